"""Workplace-democracy pages: the compliance dashboard of a subtree, and recording dialogues and employee
conferences (the activity's fields with the workplace record's).

The dashboard needs `activity.view` on the chosen unit (otherwise "not found"); a dialogue or
conference is seen with its activity; recording and editing need `activity.change` (the services
check the recording unit and the employer's union). A composition that breaks the band comes back
on the form with the issues and a box to confirm.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from unionhall.activities import services as activity_services
from unionhall.activities.choices import FileKind
from unionhall.activities.forms import edit_initial
from unionhall.activities.models import ActivityOrganiser, Speaker
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.formatting import format_date
from unionhall.core.scoping import scope_for
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.orgunits import selectors as unit_selectors

from . import selectors, services
from .choices import ComplianceFilter
from .composition import Issue
from .forms import ConferenceCreateForm, DashboardForm, DialogueCreateForm, DialogueEditForm
from .models import Dialogue, EmployeeConference

VIEW, CHANGE = services.VIEW, services.CHANGE
PAGE_SIZE = 50


def _dialogue_or_404(request: HttpRequest, pk: int) -> Dialogue:
    try:
        return selectors.dialogue_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Dialogue not found.")) from None


def _conference_or_404(request: HttpRequest, pk: int) -> EmployeeConference:
    try:
        return selectors.conference_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Employee conference not found.")) from None


def dialogue_url(dialogue: Dialogue) -> str:
    return reverse("democracy:dialogue", args=[dialogue.pk])


def conference_url(conference: EmployeeConference) -> str:
    return reverse("democracy:conference", args=[conference.pk])


# ---------------------------------------------------------------- dashboard


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The employers of a subtree that are overdue or due soon (or in the chosen state), with counts."""
    form = DashboardForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    code = (data.get("unit") or "").strip().upper()
    try:
        unit = (
            unit_selectors.unit_get(actor=request.user, code=code, action=VIEW)
            if code
            else selectors.top_unit(actor=request.user)
        )
    except NotFound:
        unit = None
    if unit is None:
        raise Http404(_("Unit not found."))
    state = data.get("state") or ComplianceFilter.ATTENTION
    result = None
    if valid:
        try:
            result = selectors.compliance_page(
                actor=request.user, unit=unit, state=state, cursor=data.get("cursor") or None, limit=PAGE_SIZE
            )
        except NotFound:
            raise Http404(_("Unit not found.")) from None
        except DomainError as error:
            add_domain_error(form, error)
    kept = [("unit", unit.code), ("state", state)]
    context = {
        "form": form,
        "unit": unit,
        "state": state,
        "result": result,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", result.next_cursor)]) if result and result.next_cursor else "",
        "paged": bool(data.get("cursor")),
        "can_record": scope_for(request.user, CHANGE).covers(path=unit.path, unit_id=unit.pk),
    }
    return TemplateResponse(request, "democracy/dashboard.html", context)


# ---------------------------------------------------------------- dialogues


def _issues(dialogue: Dialogue) -> list[str]:
    return [Issue.from_dict(values).message for values in dialogue.composition_issues]


@login_required
@require_GET
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _dialogue_or_404(request, pk)
    files = selectors.dialogue_files(dialogue)
    context = {
        "dialogue": dialogue,
        "activity": dialogue.activity,
        "issues": _issues(dialogue),
        "files": files,
        "has_minutes": any(f.kind == FileKind.MINUTES for f in files),
        "can_change": activity_services.may_change(request.user, dialogue.activity),
    }
    return TemplateResponse(request, "democracy/dialogue.html", context)


def _form_page(request: HttpRequest, *, form: Any, title: str, apply: Any, done: Any, back: str) -> HttpResponse:
    return form_page(
        request,
        form=form,
        template="democracy/form.html",
        context={"title": title, "back": back},
        apply=apply,
        done=done,
    )


@login_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    initial = {"unit": request.GET.get("unit", "").upper(), "employer": request.GET.get("employer", "").upper()}
    form = DialogueCreateForm(posted(request), actor=user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Record a dialogue at the workplace"),
        apply=lambda d: services.dialogue_record(
            actor=user,
            unit=d["unit"],
            activity=form.details(),
            dialogue=form.dialogue(),
            confirm_composition=bool(d.get("confirm_composition")),
        ),
        done=dialogue_url,
        back=reverse("democracy:dashboard"),
    )


@login_required
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _dialogue_or_404(request, pk)
    activity = dialogue.activity
    if not activity_services.may_change(request.user, activity):
        raise Http404(_("Dialogue not found."))
    organisers = list(
        ActivityOrganiser.objects.filter(activity=activity)
        .exclude(unit_id=activity.unit_id)
        .order_by("unit__path")
        .values_list("unit__code", flat=True)
    )
    speakers = list(Speaker.objects.filter(activity=activity).order_by("position"))
    initial = edit_initial(activity, organisers, speakers)
    initial.update(
        employer=dialogue.employer.code,
        trigger=dialogue.trigger,
        trigger_article=dialogue.trigger_article,
        headcount=dialogue.headcount,
        employer_side=dialogue.employer_side,
        employer_side_women=dialogue.employer_side_women,
        legal_representative_present=dialogue.legal_representative_present,
        employee_side=dialogue.employee_side,
        employee_side_women=dialogue.employee_side_women,
        agreements=dialogue.agreements,
        published_on=dialogue.published_on,
    )
    form = DialogueEditForm(posted(request), actor=request.user, initial=initial, speakers=len(speakers))
    return _form_page(
        request,
        form=form,
        title=_("Edit the dialogue of %(day)s") % {"day": format_date(dialogue.held_on)},
        apply=lambda d: services.dialogue_update(
            actor=request.user,
            dialogue=dialogue,
            activity=form.details(),
            details=form.dialogue(),
            version=d["version"],
            confirm_composition=bool(d.get("confirm_composition")),
        ),
        done=dialogue_url,
        back=dialogue_url(dialogue),
    )


# ---------------------------------------------------------------- employee conferences


@login_required
@require_GET
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(request, pk)
    return TemplateResponse(
        request, "democracy/conference.html", {"conference": conference, "activity": conference.activity}
    )


@login_required
def conference_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    initial = {
        "unit": request.GET.get("unit", "").upper(),
        "employer": request.GET.get("employer", "").upper(),
        "starts_at": timezone.localdate(),
    }
    form = ConferenceCreateForm(posted(request), actor=user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Record an employee conference"),
        apply=lambda d: services.conference_record(
            actor=user, unit=d["unit"], activity=form.details(), conference=form.conference()
        ),
        done=conference_url,
        back=reverse("democracy:dashboard"),
    )
