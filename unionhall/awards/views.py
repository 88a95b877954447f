"""Award pages: the catalogue, nominations (with their eligibility check), decisions, revocations,
certificates and a person's or unit's award history.

Every page starts from what the actor sees for `award.view`; a form page also needs the action
its service checks (`award.nominate`, `award.decide`), otherwise it is "not found".
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhall.core.errors import DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_money
from unionhall.core.scoping import scope_for
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Membership, Person
from unionhall.orgunits import selectors as unit_selectors

from . import certificates, selectors, services
from .choices import NominationStatus
from .describe import describe
from .forms import (
    CertificateForm,
    DecisionForm,
    DecisionListForm,
    NominationEditForm,
    NominationForm,
    NominationListForm,
    RejectForm,
    ReviewForm,
    RevokeForm,
)
from .models import Award, AwardType, Decision, Nomination

VIEW = services.VIEW
NOMINATE = services.NOMINATE
DECIDE = services.DECIDE
PAGE_SIZE = 50


def _holds(request: HttpRequest, action: str, unit: Any) -> bool:
    return scope_for(request.user, action).covers(path=unit.path, unit_id=unit.pk)


def _require_any(request: HttpRequest, action: str = VIEW) -> None:
    if scope_for(request.user, action).empty:
        raise Http404(_("Page not found."))


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    cancel: str,
    danger: bool = False,
    intro: str = "",
) -> HttpResponse:
    """The form page of the awards: `core.web.form_page`; a refusal for lack of rights is a 403 page."""

    def forbidden_is_403(data: dict[str, Any]) -> Any:
        try:
            return apply(data)
        except Forbidden as error:
            raise PermissionDenied(str(error)) from None

    return form_page(
        request,
        form=form,
        template="awards/form.html",
        context={"title": title, "cancel": cancel, "danger": danger, "intro": intro},
        apply=forbidden_is_403,
        done=done,
    )


def nomination_url(nomination: Nomination) -> str:
    return reverse("awards:nomination", args=[nomination.pk])


def decision_url(decision: Decision) -> str:
    return reverse("awards:decision", args=[decision.pk])


# ---------------------------------------------------------------- catalogue


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    today = timezone.localdate()
    rows = []
    for award_type in selectors.award_type_list():
        rule = next(
            (r for r in award_type.rules.all() if r.valid_from <= today and (r.valid_to is None or r.valid_to > today)),
            None,
        )
        rows.append({"type": award_type, "rule": rule})
    return TemplateResponse(request, "awards/catalogue.html", {"rows": rows, "today": today})


@login_required
@require_GET
def award_type_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_any(request)
    try:
        award_type = selectors.award_type_get(code=code)
    except NotFound:
        raise Http404(_("Award type not found.")) from None
    rows = [
        {"rule": rule, "criteria": describe(rule.criteria)}
        for rule in sorted(award_type.rules.all(), key=lambda r: r.valid_from, reverse=True)
    ]
    return TemplateResponse(request, "awards/award_type.html", {"award_type": award_type, "rows": rows})


# ---------------------------------------------------------------- nominations


@login_required
@require_GET
def nomination_list(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    form = NominationListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    unit = None
    if data.get("unit"):
        try:
            unit = unit_selectors.unit_get(actor=request.user, code=data["unit"].upper(), action=VIEW)
        except NotFound:
            raise Http404(_("Unit not found.")) from None
    rows: list[Nomination] = []
    next_cursor = None
    if valid:
        try:
            page = selectors.nomination_list(
                actor=request.user,
                unit=unit,
                status=data.get("status") or "",
                year=data.get("year"),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except NotFound:
            raise Http404(_("Unit not found.")) from None
        except DomainError as error:
            add_domain_error(form, error)
        else:
            rows, next_cursor = page.items, page.next_cursor
    query = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "form": form,
        "rows": rows,
        "unit": unit,
        "next_query": urlencode([*query, ("cursor", next_cursor)]) if next_cursor else "",
        "first_query": urlencode(query),
        "paged": bool(data.get("cursor")),
        "can_nominate": not scope_for(request.user, NOMINATE).empty,
    }
    return TemplateResponse(request, "awards/nominations.html", context)


def _nomination_or_404(request: HttpRequest, pk: int) -> Nomination:
    try:
        return selectors.nomination_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Nomination not found.")) from None


def _nomination_initial(request: HttpRequest) -> dict[str, Any]:
    """The form filled from the query string (the batch eligibility list links here):
    ?unit=proposing unit&award_type=code&year=2024&member_code=... or &nominee_unit=code."""
    get = request.GET
    initial: dict[str, Any] = {"proposing_unit": get.get("unit", "")[:40].upper()}
    award_type = AwardType.objects.filter(code=get.get("award_type", "")[:60], active=True).first()
    if award_type is not None:
        initial["award_type"] = award_type.pk
    year = get.get("year", "")
    if year.isdigit() and len(year) == 4:
        initial["year"] = int(year)
    if get.get("member_code"):
        initial["member_code"] = get["member_code"][:20]
    if get.get("nominee_unit"):
        initial["unit"] = get["nominee_unit"][:40].upper()
    return initial


@login_required
def nomination_create(request: HttpRequest) -> HttpResponse:
    _require_any(request, NOMINATE)
    user = request.user
    form = NominationForm(posted(request), actor=user, initial=_nomination_initial(request))
    return _form_page(
        request,
        form=form,
        title=_("New nomination"),
        apply=lambda d: services.nomination_create(
            actor=user,
            award_type=d["award_type"],
            year=d["year"],
            proposing_unit=d["proposing_unit"],
            person=d.get("member_code"),
            unit=d.get("unit"),
            initiatives=d.get("initiatives") or [],
            note=d.get("note") or "",
        ),
        done=nomination_url,
        cancel=reverse("awards:nominations"),
    )


@login_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    can_nominate = _holds(request, NOMINATE, nomination.proposing_unit)
    submitted = nomination.status == NominationStatus.SUBMITTED
    check = nomination.eligibility_check or {}
    context = {
        "nomination": nomination,
        "check": check,
        "reasons": check.get("reasons", []),
        "initiatives": list(nomination.initiatives.all()),
        "awards": list(nomination.awards.select_related("decision")),
        "can_edit": can_nominate and nomination.status == NominationStatus.DRAFT,
        "can_check": can_nominate and nomination.status in (NominationStatus.DRAFT, NominationStatus.SUBMITTED),
        "can_review": submitted and services.may_review(request.user, nomination),
        "can_decide": nomination.status == NominationStatus.APPROVED and not scope_for(request.user, DECIDE).empty,
    }
    return TemplateResponse(request, "awards/nomination.html", context)


@login_required
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    if not _holds(request, NOMINATE, nomination.proposing_unit):
        raise Http404(_("Nomination not found."))
    initial = {
        "year": nomination.year,
        "initiatives": " ".join(str(i) for i in nomination.initiatives.values_list("pk", flat=True)),
        "note": nomination.note,
        "version": nomination.version,
    }
    form = NominationEditForm(posted(request), actor=request.user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Edit nomination %(id)s") % {"id": nomination.pk},
        apply=lambda d: services.nomination_update(
            actor=request.user,
            nomination=nomination,
            version=d["version"],
            year=d["year"],
            initiatives=d.get("initiatives") or [],
            note=d.get("note") or "",
        ),
        done=nomination_url,
        cancel=nomination_url(nomination),
    )


def _nomination_step(request: HttpRequest, pk: int, step: Callable[[Nomination], Any]) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    try:
        step(nomination)
    except NotFound:
        raise Http404(_("Nomination not found.")) from None
    except Forbidden as error:
        raise PermissionDenied(str(error)) from None
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(nomination_url(nomination))


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _nomination_step(request, pk, lambda n: services.nomination_submit(actor=request.user, nomination=n))


@login_required
@require_POST
def nomination_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _nomination_step(request, pk, lambda n: services.nomination_check(actor=request.user, nomination=n))


def _review_page(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    if not services.may_review(request.user, nomination):
        raise PermissionDenied(_("Only the level above the proposing unit may approve or reject this nomination."))
    form = (ReviewForm if approve else RejectForm)(posted(request))
    if approve:
        title = _("Approve nomination %(id)s") % {"id": nomination.pk}

        def apply(d: dict[str, Any]) -> Any:
            return services.nomination_approve(
                actor=request.user, nomination=nomination, note=d.get("note") or "", version=nomination.version
            )
    else:
        title = _("Reject nomination %(id)s") % {"id": nomination.pk}

        def apply(d: dict[str, Any]) -> Any:
            return services.nomination_reject(
                actor=request.user, nomination=nomination, reason=d["note"], version=nomination.version
            )

    return _form_page(
        request,
        form=form,
        title=title,
        apply=apply,
        done=nomination_url,
        cancel=nomination_url(nomination),
        danger=not approve,
    )


@login_required
def nomination_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, pk, approve=True)


@login_required
def nomination_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, pk, approve=False)


# ---------------------------------------------------------------- decisions


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    form = DecisionListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    rows: list[Decision] = []
    next_cursor = None
    if valid:
        try:
            page = selectors.decision_list(
                actor=request.user,
                year=data.get("year"),
                award_type=data.get("award_type"),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            rows, next_cursor = page.items, page.next_cursor
    query = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "form": form,
        "rows": rows,
        "next_query": urlencode([*query, ("cursor", next_cursor)]) if next_cursor else "",
        "first_query": urlencode(query),
        "paged": bool(data.get("cursor")),
        "can_decide": not scope_for(request.user, DECIDE).empty,
    }
    return TemplateResponse(request, "awards/decisions.html", context)


def _initial_awardees(request: HttpRequest) -> dict[str, Any]:
    """Approved nominations named in ?nominations=1,2 become the first awardee lines."""
    ids = [int(i) for i in request.GET.get("nominations", "").split(",") if i.isdigit() and len(i) <= 18][:500]
    if not ids:
        return {}
    found = list(
        Nomination.objects.visible_to(request.user, VIEW)
        .filter(pk__in=ids, status=NominationStatus.APPROVED)
        .select_related("person", "unit", "award_type")
        .order_by("pk")
    )
    if not found:
        return {}
    lines = [f"{n.person.member_code if n.person else n.unit.code} {n.year} {n.pk}" for n in found]  # type: ignore[union-attr]
    return {"awardees": "\n".join(lines), "award_type": found[0].award_type_id}


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    _require_any(request, DECIDE)
    user = request.user
    form = DecisionForm(posted(request), actor=user, initial=_initial_awardees(request))
    return _form_page(
        request,
        form=form,
        title=_("New decision"),
        apply=lambda d: services.decision_create(
            actor=user,
            number=d["number"],
            signed_on=d["signed_on"],
            signer=d["signer"],
            granting_unit=d["granting_unit"],
            award_type=d["award_type"],
            movement=d.get("movement"),
            awardees=d["awardees"],
            note=d.get("note") or "",
            quota_override=bool(d.get("quota_override")),
            quota_justification=d.get("quota_justification") or "",
        ),
        done=decision_url,
        cancel=reverse("awards:decisions"),
    )


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = selectors.decision_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Decision not found.")) from None
    awards = list(selectors.decision_awards(actor=request.user, decision=decision))
    can_revoke = _holds(request, DECIDE, decision.granting_unit)
    context = {
        "decision": decision,
        "awards": awards,
        "can_revoke": can_revoke,
        "total_vnd": sum(a.bonus_vnd for a in awards if a.revoked_on is None),
    }
    return TemplateResponse(request, "awards/decision.html", context)


def _award_or_404(request: HttpRequest, pk: int) -> Award:
    try:
        return selectors.award_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Award not found.")) from None


@login_required
def award_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award_or_404(request, pk)
    if not _holds(request, DECIDE, award.decision.granting_unit):
        raise Http404(_("Award not found."))
    form = RevokeForm(posted(request))
    name = award.person.full_name if award.person else award.unit.name  # type: ignore[union-attr]
    return _form_page(
        request,
        form=form,
        title=_("Revoke %(award)s of %(name)s") % {"award": award.award_type.name, "name": name},
        apply=lambda d: services.award_revoke(
            actor=request.user,
            award=award,
            reason=d["reason"],
            revoked_on=d["revoked_on"],
            recovered_vnd=d.get("recovered_vnd"),
            note=d.get("note") or "",
        ),
        done=lambda a: decision_url(a.decision),
        cancel=decision_url(award.decision),
        danger=True,
        intro=_("The bonus paid was %(bonus)s.") % {"bonus": format_money(award.bonus_vnd)},
    )


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award_or_404(request, pk)
    form = CertificateForm(request.GET)
    language = form.cleaned_data.get("language") if form.is_valid() else None
    try:
        pdf = certificates.certificate_pdf(actor=request.user, award=award, language=language or None)
    except NotFound:
        raise Http404(_("Award not found.")) from None
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(decision_url(award.decision))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="award-{award.pk}.pdf"'
    add_never_cache_headers(response)
    return response


# ---------------------------------------------------------------- history


@login_required
@require_GET
def person_history(request: HttpRequest, code: str) -> HttpResponse:
    """A person's awards; the person is found where the actor sees one of their memberships or awards."""
    _require_any(request)
    person = Person.objects.filter(member_code=member_code_normalise(code)).first()
    awards = selectors.award_history(actor=request.user, person=person) if person is not None else []
    if person is None or (
        not awards and not Membership.objects.visible_to(request.user, VIEW).filter(person=person).exists()
    ):
        raise Http404(_("Person not found."))
    context = {"person": person, "unit": None, "awards": awards, "title": person.full_name}
    return TemplateResponse(request, "awards/history.html", context)


@login_required
@require_GET
def unit_history(request: HttpRequest, code: str) -> HttpResponse:
    _require_any(request)
    try:
        unit = unit_selectors.unit_get(actor=request.user, code=code.upper(), action=VIEW)
    except NotFound:
        raise Http404(_("Unit not found.")) from None
    awards = selectors.award_history(actor=request.user, unit=unit)
    return TemplateResponse(
        request, "awards/history.html", {"person": None, "unit": unit, "awards": awards, "title": unit.name}
    )
