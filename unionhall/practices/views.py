"""Model pages: the list with filters, the effective models of a year, a model's page, one form per service.

Every page starts from the models the actor sees for `practice.view`. Forms that change a model or
its members need `practice.change` on the registering unit; evaluating and recognising need the
permission on a unit at or above it (or the movement's launcher); otherwise the page is "not
found", like a model outside the actor's scope.
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
from .choices import PracticeStatus
from .forms import (
    ConfirmForm,
    DiscontinueForm,
    EffectiveForm,
    EvaluationForm,
    ListForm,
    MemberForm,
    PracticeCreateForm,
    PracticeEditForm,
    RecognitionForm,
)
from .models import Practice, PracticeMember
from .services import CHANGE, RECOGNISE

PAGE_SIZE = 50


def _practice_or_404(request: HttpRequest, code: str) -> Practice:
    try:
        return selectors.practice_get(actor=request.user, code=code)
    except NotFound:
        raise Http404(_("Model not found.")) from None


def _changeable_or_404(request: HttpRequest, code: str) -> Practice:
    practice = _practice_or_404(request, code)
    if practice.ended_on is not None or not services.may_change(request.user, practice):
        raise Http404(_("Model not found."))
    return practice


def practice_url(practice: Practice) -> str:
    return reverse("practices:detail", args=[practice.code])


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    practice: Practice | None = None,
    done: Callable[[Any], str] | None = None,
    danger: bool = False,
) -> HttpResponse:
    return form_page(
        request,
        form=form,
        template="practices/form.html",
        context={"title": title, "practice": practice, "danger": danger},
        apply=apply,
        done=done or (lambda _result: practice_url(practice)),  # type: ignore[arg-type]
    )


def _unit_filter(request: HttpRequest, form: Any, data: dict[str, Any]) -> Any:
    code = (data.get("unit") or "").strip().upper()
    if not code:
        return None
    try:
        return unit_selectors.unit_get(actor=request.user, code=code)
    except NotFound:
        form.add_error("unit", _("Unit %(code)s was not found.") % {"code": code})
        raise


def _page(
    request: HttpRequest, form: Any, template: str, filters: Callable[[dict[str, Any], Any], Any], extra: dict
) -> HttpResponse:
    """A filtered keyset list page of models."""
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    rows: list[selectors.PracticeRow] = []
    next_cursor = None
    if valid:
        try:
            unit = _unit_filter(request, form, data)
            page = selectors.practice_list(
                actor=request.user, filters=filters(data, unit), cursor=data.get("cursor") or None, limit=PAGE_SIZE
            )
        except NotFound:
            pass
        except DomainError as error:
            add_domain_error(form, error)
        else:
            rows, next_cursor = page.items, page.next_cursor
    kept = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "form": form,
        "rows": rows,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(data.get("cursor")),
        "can_register": not scope_for(request.user, CHANGE).empty,
        **extra,
    }
    return TemplateResponse(request, template, context)


@login_required
@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET, actor=request.user)
    return _page(
        request,
        form,
        "practices/list.html",
        lambda data, unit: selectors.PracticeFilters(
            unit=unit,
            field=data.get("field") or "",
            kind=data.get("kind") or "",
            movement=data.get("movement"),
            programme=data.get("programme"),
            status=data.get("status") or "",
            year=data.get("year"),
        ),
        {},
    )


@login_required
@require_GET
def effective_list(request: HttpRequest) -> HttpResponse:
    """The models evaluated effective for a year: the list the period reports need."""
    query = request.GET.copy()
    query.setdefault("year", str(timezone.localdate().year))
    form = EffectiveForm(query, actor=request.user)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return _page(
        request,
        form,
        "practices/effective.html",
        lambda data, unit: selectors.PracticeFilters(
            unit=unit, field=data.get("field") or "", movement=data.get("movement"), effective_in=data["year"]
        ),
        {"year": year},
    )


@login_required
@require_GET
def practice_detail(request: HttpRequest, code: str) -> HttpResponse:
    practice = _practice_or_404(request, code)
    detail = selectors.practice_detail(actor=request.user, practice=practice)
    context = {"d": detail, "practice": practice, "status_label": PracticeStatus(detail.status).label}
    return TemplateResponse(request, "practices/detail.html", context)


@login_required
def practice_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    initial = {"unit": request.GET.get("unit", "").upper(), "movement": request.GET.get("movement", "")}
    form = PracticeCreateForm(posted(request), actor=user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Register a model"),
        apply=lambda d: services.practice_register(actor=user, code=d["code"], unit=d["unit"], details=form.details()),
        done=practice_url,
    )


@login_required
def practice_edit(request: HttpRequest, code: str) -> HttpResponse:
    practice = _changeable_or_404(request, code)
    initial = {
        "title": practice.title,
        "kind": practice.kind,
        "field": practice.field,
        "movement": practice.movement.code if practice.movement else "",
        "programme": practice.programme.code if practice.programme else "",
        "started_on": practice.started_on,
        "registered_on": practice.registered_on,
        "description": practice.description,
        "version": practice.version,
    }
    form = PracticeEditForm(posted(request), actor=request.user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Edit %(title)s") % {"title": practice.title},
        practice=practice,
        apply=lambda d: services.practice_update(
            actor=request.user, practice=practice, details=form.details(), version=d["version"]
        ),
    )


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    practice = _changeable_or_404(request, code)
    form = MemberForm(posted(request), actor=request.user)
    return _form_page(
        request,
        form=form,
        title=_("Add a member to %(title)s") % {"title": practice.title},
        practice=practice,
        apply=lambda d: services.practice_member_add(
            actor=request.user,
            practice=practice,
            person=d.get("member_code"),
            name=d.get("name", ""),
            role=d.get("role", ""),
        ),
    )


@login_required
def member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    practice = _changeable_or_404(request, code)
    member = PracticeMember.objects.filter(practice=practice, pk=pk).select_related("person", "practice").first()
    if member is None:
        raise Http404(_("Member of the model not found."))
    who = member.person.full_name if member.person else member.name
    return _form_page(
        request,
        form=ConfirmForm(posted(request)),
        title=_("Remove %(who)s from %(title)s") % {"who": who, "title": practice.title},
        practice=practice,
        apply=lambda d: services.practice_member_remove(actor=request.user, member=member),
        danger=True,
    )


@login_required
def evaluate(request: HttpRequest, code: str) -> HttpResponse:
    practice = _practice_or_404(request, code)
    judges = services.judging_units(request.user, practice, CHANGE)
    if practice.ended_on is not None or not judges:
        raise Http404(_("Model not found."))
    form = EvaluationForm(posted(request), judges=judges)
    return _form_page(
        request,
        form=form,
        title=_("Evaluate %(title)s") % {"title": practice.title},
        practice=practice,
        apply=lambda d: services.practice_evaluate(
            actor=request.user,
            practice=practice,
            year=d["year"],
            result=d["result"],
            note=d.get("note", ""),
            evaluated_on=d.get("evaluated_on"),
            evaluator=d["unit"],
        ),
    )


@login_required
def recognise(request: HttpRequest, code: str) -> HttpResponse:
    practice = _practice_or_404(request, code)
    judges = services.judging_units(request.user, practice, RECOGNISE)
    if practice.ended_on is not None or practice.recognised_on is not None or not judges:
        raise Http404(_("Model not found."))
    form = RecognitionForm(posted(request), judges=judges)
    return _form_page(
        request,
        form=form,
        title=_("Recognise %(title)s as effective") % {"title": practice.title},
        practice=practice,
        apply=lambda d: services.practice_recognise(
            actor=request.user,
            practice=practice,
            by=d["unit"],
            recognised_on=d.get("recognised_on"),
            reference=d.get("reference", ""),
        ),
    )


@login_required
def discontinue(request: HttpRequest, code: str) -> HttpResponse:
    practice = _changeable_or_404(request, code)
    return _form_page(
        request,
        form=DiscontinueForm(posted(request)),
        title=_("Discontinue %(title)s") % {"title": practice.title},
        practice=practice,
        apply=lambda d: services.practice_discontinue(
            actor=request.user, practice=practice, ended_on=d.get("ended_on"), reason=d.get("reason", "")
        ),
        danger=True,
    )
