"""Programme pages: the list with filters, a programme's page with its totals, and one form per service.

Every page starts from the programmes the actor sees for `programme.view`. Forms that change a
programme or its parties need `programme.change` on the recording unit; officer forms need it on
the recording unit or on a party; otherwise the page is "not found", like a programme outside the scope.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.orgunits import selectors as unit_selectors

from . import selectors, services
from .forms import (
    ListForm,
    OfficerForm,
    OfficerRemoveForm,
    PartyForm,
    PartyLeadForm,
    PartyRemoveForm,
    ProgrammeCreateForm,
    ProgrammeEditForm,
)
from .models import Programme, ProgrammeOfficer, ProgrammeParty
from .services import CHANGE, PartyDetails

PAGE_SIZE = 50


def _programme_or_404(request: HttpRequest, code: str) -> Programme:
    try:
        return selectors.programme_get(actor=request.user, code=code)
    except NotFound:
        raise Http404(_("Programme not found.")) from None


def _changeable_or_404(request: HttpRequest, code: str) -> Programme:
    programme = _programme_or_404(request, code)
    if not services.may_change(request.user, programme):
        raise Http404(_("Programme not found."))
    return programme


def programme_url(programme: Programme) -> str:
    return reverse("programmes:detail", args=[programme.code])


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    programme: Programme | None = None,
    done: Callable[[Any], str] | None = None,
    danger: bool = False,
) -> HttpResponse:
    return form_page(
        request,
        form=form,
        template="programmes/form.html",
        context={"title": title, "programme": programme, "danger": danger},
        apply=apply,
        done=done or (lambda _result: programme_url(programme)),  # type: ignore[arg-type]
    )


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    programmes: list[Programme] = []
    next_cursor = None
    if valid:
        code = (data.get("unit") or "").strip().upper()
        try:
            unit = unit_selectors.unit_get(actor=request.user, code=code) if code else None
            page = selectors.programme_list(
                actor=request.user,
                filters=selectors.ProgrammeFilters(unit=unit, year=data.get("year")),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except NotFound:
            form.add_error("unit", _("Unit %(code)s was not found.") % {"code": code})
        except DomainError as error:
            add_domain_error(form, error)
        else:
            programmes, next_cursor = page.items, page.next_cursor
    kept = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "form": form,
        "programmes": programmes,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(data.get("cursor")),
        "can_create": not scope_for(request.user, CHANGE).empty,
    }
    return TemplateResponse(request, "programmes/list.html", context)


@login_required
@require_GET
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    detail = selectors.programme_detail(actor=request.user, programme=programme, today=timezone.localdate())
    return TemplateResponse(request, "programmes/detail.html", {"d": detail, "programme": programme})


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    form = ProgrammeCreateForm(posted(request), actor=user, initial={"owner": request.GET.get("unit", "").upper()})
    return _form_page(
        request,
        form=form,
        title=_("Record a joint programme"),
        apply=lambda d: services.programme_create(
            actor=user, code=d["code"], owner=d["owner"], details=form.details(), parties=form.party_details()
        ),
        done=programme_url,
    )


@login_required
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    programme = _changeable_or_404(request, code)
    initial = {
        "title": programme.title,
        "reference": programme.reference,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "goals": programme.goals,
        "version": programme.version,
    }
    form = ProgrammeEditForm(posted(request), actor=request.user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Edit %(title)s") % {"title": programme.title},
        programme=programme,
        apply=lambda d: services.programme_update(
            actor=request.user, programme=programme, details=form.details(), version=d["version"]
        ),
    )


@login_required
def party_add(request: HttpRequest, code: str) -> HttpResponse:
    programme = _changeable_or_404(request, code)
    form = PartyForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Add a party to %(title)s") % {"title": programme.title},
        programme=programme,
        apply=lambda d: services.party_add(
            actor=request.user,
            programme=programme,
            party=PartyDetails(d["unit"], d["role"], d.get("signatory", "")),
        ),
    )


@login_required
def party_lead(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    programme = _changeable_or_404(request, code)
    party = (
        ProgrammeParty.objects.filter(programme=programme, unit__code=unit_code.upper()).select_related("unit").first()
    )
    if party is None:
        raise Http404(_("Party not found."))
    return _form_page(
        request,
        form=PartyLeadForm(posted(request)),
        title=_("Make %(unit)s the lead of %(title)s") % {"unit": party.unit.name, "title": programme.title},
        programme=programme,
        apply=lambda d: services.party_lead(actor=request.user, programme=programme, unit=party.unit),
    )


@login_required
def party_remove(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    programme = _changeable_or_404(request, code)
    party = (
        ProgrammeParty.objects.filter(programme=programme, unit__code=unit_code.upper()).select_related("unit").first()
    )
    if party is None:
        raise Http404(_("Party not found."))
    form = PartyRemoveForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Remove %(unit)s from %(title)s") % {"unit": party.unit.name, "title": programme.title},
        programme=programme,
        apply=lambda d: services.party_remove(actor=request.user, programme=programme, unit=party.unit),
        danger=True,
    )


@login_required
def officer_add(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme_or_404(request, code)
    parties = [
        p.unit
        for p in ProgrammeParty.objects.filter(programme=programme).select_related("unit").order_by("role", "pk")
        if services.may_mobilise(request.user, programme, p.unit)
    ]
    if not parties:
        raise Http404(_("Programme not found."))
    form = OfficerForm(posted(request), actor=request.user, parties=parties)
    return _form_page(
        request,
        form=form,
        title=_("Add a mobilised officer to %(title)s") % {"title": programme.title},
        programme=programme,
        apply=lambda d: services.officer_add(
            actor=request.user,
            programme=programme,
            unit=d["unit"],
            person=d.get("member_code"),
            name=d.get("name", ""),
            role_title=d.get("role_title", ""),
        ),
    )


@login_required
def officer_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, code)
    officer = (
        ProgrammeOfficer.objects.filter(programme=programme, pk=pk)
        .select_related("unit", "person", "programme")
        .first()
    )
    if officer is None or not services.may_mobilise(request.user, programme, officer.unit):
        raise Http404(_("Officer not found."))
    who = officer.person.full_name if officer.person else officer.name
    form = OfficerRemoveForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Remove %(who)s from %(title)s") % {"who": who, "title": programme.title},
        programme=programme,
        apply=lambda d: services.officer_remove(actor=request.user, officer=officer),
        danger=True,
    )
