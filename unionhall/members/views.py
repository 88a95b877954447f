"""Member pages: a unit's list with keyset pages, search, a person's page, and one form per service.

Every page starts from what the actor sees for `member.view`; a form page also needs `member.change`
on the unit it writes to, otherwise it is "not found" like a person outside the actor's scope.
"""

from collections.abc import Callable
from dataclasses import fields
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhall.core.errors import DomainError, Forbidden, NotFound
from unionhall.core.scoping import scope_for
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.orgunits import selectors as unit_selectors
from unionhall.orgunits.models import Unit
from unionhall.orgunits.selectors import unit_top_for

from . import cards, selectors, services
from .choices import OPEN_STATUSES, CardStatus
from .forms import (
    ALL,
    CURRENT,
    AppointForm,
    CardIssueForm,
    CardStatusForm,
    EndForm,
    JoinForm,
    ListForm,
    OfficerEndForm,
    PersonCreateForm,
    PersonEditForm,
    ResumeForm,
    RevealForm,
    SearchForm,
    SuspendForm,
    TransferForm,
)
from .models import Membership, OfficerTerm, Person, UnionCard

VIEW = services.VIEW
CHANGE = services.CHANGE
PAGE_SIZE = 50
# What the edit form starts from: the details a person record holds, less the guarded ones.
PERSON_FIELDS = tuple(
    f.name for f in fields(services.PersonDetails) if f.name not in ("national_id", *services.SENSITIVE_FIELDS)
)


# ---------------------------------------------------------------- lookups


def _holds(request: HttpRequest, action: str, unit: Unit) -> bool:
    return scope_for(request.user, action).covers(path=unit.path, unit_id=unit.pk)


def _person_or_404(request: HttpRequest, code: str) -> Person:
    try:
        return selectors.person_get(actor=request.user, member_code=code)
    except NotFound:
        raise Http404(_("Person not found.")) from None


def _unit_or_404(request: HttpRequest, code: str) -> Unit:
    try:
        return unit_selectors.unit_get(actor=request.user, code=code, action=VIEW)
    except NotFound:
        raise Http404(_("Unit not found.")) from None


def _top_unit(request: HttpRequest) -> Unit:
    """The highest unit whose members the actor sees: where the list starts."""
    unit = unit_top_for(actor=request.user, action=VIEW)
    if unit is None:
        raise Http404(_("Unit not found."))
    return unit


def _membership_or_404(request: HttpRequest, person: Person, pk: int, action: str = CHANGE) -> Membership:
    membership = selectors.person_memberships(actor=request.user, person=person).filter(pk=pk).first()
    if membership is None or not _holds(request, action, membership.unit):
        raise Http404(_("Membership not found."))
    return membership


def _home_for_change(request: HttpRequest, person: Person) -> Membership:
    home = services.home_membership(person)
    if home is None or not _holds(request, CHANGE, home.unit):
        raise Http404(_("Person not found."))
    return home


def _url_or_none(name: str) -> str | None:
    # The data-file pages are built alongside; until they exist the buttons are left out.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def person_url(person: Person) -> str:
    return reverse("members:detail", args=[person.member_code])


# ---------------------------------------------------------------- list and search


def _filters(data: dict[str, Any]) -> selectors.MemberFilters:
    status = data.get("status") or CURRENT
    statuses = tuple(OPEN_STATUSES) if status == CURRENT else () if status == ALL else (status,)
    officer = {"yes": True, "no": False}.get(data.get("officer") or "")
    return selectors.MemberFilters(
        statuses=statuses,
        gender=data.get("gender") or "",
        join_year=data.get("join_year"),
        is_officer=officer,
        card_status=data.get("card") or "",
    )


def _decorate(items: list[Membership]) -> list[dict[str, Any]]:
    """Each row with the member's current positions and card: two queries for the whole page."""
    positions: dict[int, list[str]] = {}
    terms = OfficerTerm.objects.filter(membership__in=[m.pk for m in items], term_end__isnull=True)
    for term in terms.order_by("position"):
        positions.setdefault(term.membership_id, []).append(term.get_position_display())
    cards: dict[int, UnionCard] = {}
    for card in UnionCard.objects.filter(person__in=[m.person_id for m in items]).order_by("-issue_date", "-pk"):
        known = cards.get(card.person_id)
        if known is None or (card.status == CardStatus.ACTIVE and known.status != CardStatus.ACTIVE):
            cards[card.person_id] = card
    return [{"m": m, "positions": positions.get(m.pk, []), "card": cards.get(m.person_id)} for m in items]


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data
    code = (data.get("unit") or "").strip().upper()
    unit = _unit_or_404(request, code) if code else _top_unit(request)
    subtree = data.get("subtree") != "0"
    rows: list[dict[str, Any]] = []
    next_cursor = None
    if valid:
        try:
            page = selectors.member_list(
                actor=request.user,
                unit=unit,
                subtree=subtree,
                filters=_filters(data),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except NotFound:
            raise Http404(_("Unit not found.")) from None
        except DomainError as error:
            add_domain_error(form, error)
        else:
            rows = _decorate(page.items)
            next_cursor = page.next_cursor
    kept = [(k, v) for k, v in request.GET.items() if k not in ("cursor", "unit") and v]
    query = [("unit", unit.code), *kept]
    context = {
        "form": form,
        "unit": unit,
        "subtree": subtree,
        "rows": rows,
        "first_query": urlencode(query),
        "next_query": urlencode([*query, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(data.get("cursor")),
        "can_add": unit.is_active and _holds(request, CHANGE, unit),
        "import_url": _url_or_none("datafiles:import") if _holds(request, "member.import", unit) else None,
        "export_url": _url_or_none("datafiles:export") if _holds(request, "member.export", unit) else None,
    }
    return TemplateResponse(request, "members/list.html", context)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = list(selectors.person_search(actor=request.user, query=query)) if query else []
    return TemplateResponse(request, "members/search.html", {"query": query, "results": results})


# ---------------------------------------------------------------- one person


def _detail_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    user = request.user
    memberships = list(selectors.person_memberships(actor=user, person=person))
    home = services.home_membership(person)
    can_change = home is not None and _holds(request, CHANGE, home.unit)
    terms = list(
        OfficerTerm.objects.visible_to(user, VIEW).filter(membership__person=person).select_related("membership__unit")
    )
    return {
        "person": person,
        # The newest membership the actor sees: the home unit may lie outside their scope after a transfer.
        "latest": memberships[0] if memberships else None,
        "memberships": [{"m": m, "can_change": m.is_open and _holds(request, CHANGE, m.unit)} for m in memberships],
        "terms": [
            {"t": t, "can_end": t.term_end is None and _holds(request, CHANGE, t.membership.unit)} for t in terms
        ],
        "cards": list(UnionCard.objects.filter(person=person)),
        "card_transitions": services.CARD_TRANSITIONS,
        "masked_id": selectors.masked_national_id(person),
        "can_reveal": bool(person.national_id_encrypted)
        and home is not None
        and _holds(request, services.VIEW_NATIONAL_ID, home.unit),
        # Only the home unit's readers (a former unit keeps reading the history, not the sensitive fields).
        "sensitive": services.sensitive_display(actor=user, person=person)
        if home is not None and _holds(request, VIEW, home.unit)
        else None,
        "can_change": can_change,
        "can_join": (home is None or not home.is_open) and not scope_for(user, CHANGE).empty,
        "reveal_form": RevealForm(),
    }


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    person = _person_or_404(request, code)
    return TemplateResponse(request, "members/detail.html", _detail_context(request, person))


@login_required
@require_POST
def national_id_reveal(request: HttpRequest, code: str) -> HttpResponse:
    """The number in plain, in this response only (never in a URL, never cached); the service logs it."""
    person = _person_or_404(request, code)
    form = RevealForm(request.POST)
    context = _detail_context(request, person)
    if form.is_valid():
        try:
            context["revealed"] = services.national_id_reveal(
                actor=request.user, person=person, purpose=form.cleaned_data["purpose"]
            )
        except NotFound:
            raise Http404(_("Person not found.")) from None
        except Forbidden as error:
            raise PermissionDenied(str(error)) from None
        except DomainError as error:
            add_domain_error(form, error)
    context["reveal_form"] = form
    response = TemplateResponse(request, "members/detail.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def card_pdf(request: HttpRequest, code: str, card_pk: int) -> HttpResponse:
    person = _person_or_404(request, code)
    card = UnionCard.objects.visible_to(request.user, VIEW).filter(person=person, pk=card_pk).first()
    if card is None:
        raise Http404(_("Card not found."))
    try:
        pdf = cards.card_pdf(actor=request.user, card=card)
    except NotFound:
        raise Http404(_("Card not found.")) from None
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(person_url(person))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{card.card_number}.pdf"'
    add_never_cache_headers(response)
    return response


# ---------------------------------------------------------------- forms


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    person: Person | None = None,
    done: Callable[[Any], str] | None = None,
    danger: bool = False,
) -> HttpResponse:
    """The form page of a person: `core.web.form_page`, going back to the person's page by default."""
    return form_page(
        request,
        form=form,
        template="members/form.html",
        context={"title": title, "person": person, "danger": danger},
        apply=apply,
        done=done or (lambda _result: person_url(person)),  # type: ignore[arg-type]
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    sensitive = not scope_for(user, services.VIEW_SENSITIVE).empty
    form = PersonCreateForm(
        posted(request), actor=user, sensitive=sensitive, initial={"unit": request.GET.get("unit", "").upper()}
    )
    return _form_page(
        request,
        form=form,
        title=_("New member"),
        apply=lambda d: services.person_create(
            actor=user, unit=d["unit"], join_date=d["join_date"], details=form.details()
        ),
        done=person_url,
    )


@login_required
def person_edit(request: HttpRequest, code: str) -> HttpResponse:
    person = _person_or_404(request, code)
    home = _home_for_change(request, person)
    sensitive = _holds(request, services.VIEW_SENSITIVE, home.unit)
    initial: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    initial |= {
        "residence_province": person.residence_province_id,
        "residence_commune": person.residence_commune_id,
        "employer": person.employer.code if person.employer else "",
        "version": person.version,
    }
    if sensitive:
        initial |= services.sensitive_display(actor=request.user, person=person) or {}
    form = PersonEditForm(posted(request), actor=request.user, sensitive=sensitive, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": person.full_name},
        person=person,
        apply=lambda d: services.person_update(
            actor=request.user, person=person, version=d["version"], details=form.details()
        ),
    )


@login_required
def membership_join(request: HttpRequest, code: str) -> HttpResponse:
    person = _person_or_404(request, code)
    if scope_for(request.user, CHANGE).empty:
        raise Http404(_("Person not found."))
    form = JoinForm(posted(request), actor=request.user)
    return _form_page(
        request,
        form=form,
        title=_("%(name)s joins a unit") % {"name": person.full_name},
        person=person,
        apply=lambda d: services.membership_join(
            actor=request.user, person=person, unit=d["unit"], join_date=d["join_date"]
        ),
    )


def _membership_page(
    request: HttpRequest,
    code: str,
    pk: int,
    *,
    form: Callable[..., Any],
    title: str,
    apply: Callable[[Membership, dict[str, Any]], Any],
    danger: bool = False,
) -> HttpResponse:
    """A form on one of the person's memberships, for those who may change that membership's unit."""
    person = _person_or_404(request, code)
    membership = _membership_or_404(request, person, pk)
    bound = form(posted(request), actor=request.user) if form is TransferForm else form(posted(request))
    return _form_page(
        request,
        form=bound,
        title=title % {"name": person.full_name},
        person=person,
        apply=lambda d: apply(membership, d),
        danger=danger,
    )


@login_required
def membership_transfer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _membership_page(
        request,
        code,
        pk,
        form=TransferForm,
        title=_("Transfer %(name)s to another unit"),
        apply=lambda m, d: services.membership_transfer(
            actor=request.user, membership=m, new_unit=d["new_unit"], day=d["day"]
        ),
    )


@login_required
def membership_end(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _membership_page(
        request,
        code,
        pk,
        form=EndForm,
        title=_("End the membership of %(name)s"),
        apply=lambda m, d: services.membership_end(
            actor=request.user, membership=m, reason=d["reason"], day=d["end_date"]
        ),
        danger=True,
    )


@login_required
def membership_suspend(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _membership_page(
        request,
        code,
        pk,
        form=SuspendForm,
        title=_("Suspend the membership of %(name)s"),
        apply=lambda m, d: services.membership_suspend(
            actor=request.user, membership=m, day=d["day"], reason=d["reason"]
        ),
        danger=True,
    )


@login_required
def membership_resume(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _membership_page(
        request,
        code,
        pk,
        form=ResumeForm,
        title=_("Resume the membership of %(name)s"),
        apply=lambda m, d: services.membership_resume(actor=request.user, membership=m, day=d["day"]),
    )


@login_required
def officer_appoint(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _membership_page(
        request,
        code,
        pk,
        form=AppointForm,
        title=_("Appoint %(name)s to a union position"),
        apply=lambda m, d: services.officer_appoint(
            actor=request.user,
            membership=m,
            position=d["position"],
            term_start=d["term_start"],
            full_time=d["full_time"],
        ),
    )


@login_required
def officer_end(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    person = _person_or_404(request, code)
    term = (
        OfficerTerm.objects.visible_to(request.user, VIEW)
        .filter(membership__person=person, pk=pk)
        .select_related("membership__unit")
        .first()
    )
    if term is None or not _holds(request, CHANGE, term.membership.unit):
        raise Http404(_("Officer term not found."))
    form = OfficerEndForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("End the term of %(name)s as %(position)s")
        % {"name": person.full_name, "position": term.get_position_display()},
        person=person,
        apply=lambda d: services.officer_end(actor=request.user, term=term, term_end=d["term_end"]),
    )


@login_required
def card_issue(request: HttpRequest, code: str) -> HttpResponse:
    person = _person_or_404(request, code)
    _home_for_change(request, person)
    form = CardIssueForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Issue a union card to %(name)s") % {"name": person.full_name},
        person=person,
        apply=lambda d: services.card_issue(
            actor=request.user,
            person=person,
            card_number=d["card_number"],
            card_type=d["card_type"],
            issue_date=d["issue_date"],
            replace=d["replace"],
        ),
    )


@login_required
def card_status(request: HttpRequest, code: str, card_pk: int) -> HttpResponse:
    person = _person_or_404(request, code)
    _home_for_change(request, person)
    card = UnionCard.objects.filter(person=person, pk=card_pk).first()
    if card is None:
        raise Http404(_("Card not found."))
    form = CardStatusForm(posted(request), initial={"status": ""})
    return _form_page(
        request,
        form=form,
        title=_("Change the status of card %(number)s") % {"number": card.card_number},
        person=person,
        apply=lambda d: services.card_status_change(actor=request.user, card=card, status=d["status"]),
    )
