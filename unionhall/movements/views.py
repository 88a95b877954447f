"""Movement pages: the list with filters, a movement's page, and one form per service.

Every page starts from the movements the actor sees for `movement.view`. Forms that run a
movement need `movement.change` on its launcher, a pledge form needs it on a unit taking part;
otherwise the page is "not found", like a movement outside the actor's scope.
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
from .choices import MovementStatus
from .forms import (
    CloseForm,
    HoldForm,
    ListForm,
    MilestoneForm,
    MovementCreateForm,
    MovementEditForm,
    RegistrationForm,
    RegistrationListForm,
    WithdrawForm,
)
from .models import Milestone, Movement, Registration

VIEW = services.VIEW
CHANGE = services.CHANGE
PAGE_SIZE = 50


# ---------------------------------------------------------------- lookups


def _movement_or_404(request: HttpRequest, code: str) -> Movement:
    try:
        return selectors.movement_get(actor=request.user, code=code)
    except NotFound:
        raise Http404(_("Movement not found.")) from None


def _runnable_or_404(request: HttpRequest, code: str) -> Movement:
    """The movement, when the actor may run it (holds movement.change on the launcher)."""
    movement = _movement_or_404(request, code)
    if not services.may_run(request.user, movement):
        raise Http404(_("Movement not found."))
    return movement


def movement_url(movement: Movement) -> str:
    return reverse("movements:detail", args=[movement.code])


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    apply: Callable[[dict[str, Any]], Any],
    movement: Movement | None = None,
    done: Callable[[Any], str] | None = None,
    danger: bool = False,
) -> HttpResponse:
    """The form page of a movement: `core.web.form_page`, going back to the movement's page by default."""
    return form_page(
        request,
        form=form,
        template="movements/form.html",
        context={"title": title, "movement": movement, "danger": danger},
        apply=apply,
        done=done or (lambda _result: movement_url(movement)),  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- list and page


@login_required
@require_GET
def movement_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    movements: list[dict[str, Any]] = []
    next_cursor = None
    if valid:
        try:
            code = (data.get("unit") or "").strip().upper()
            unit = unit_selectors.unit_get(actor=request.user, code=code) if code else None
            page = selectors.movement_list(
                actor=request.user,
                filters=selectors.MovementFilters(
                    status=data.get("status") or "", year=data.get("year"), kind=data.get("kind") or "", unit=unit
                ),
                cursor=data.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except NotFound:
            form.add_error("unit", _("Unit %(code)s was not found.") % {"code": code})
        except DomainError as error:
            add_domain_error(form, error)
        else:
            today = timezone.localdate()
            movements = [
                {"m": m, "status": MovementStatus(selectors.movement_status(m, today=today)).label} for m in page.items
            ]
            next_cursor = page.next_cursor
    kept = [(k, v) for k, v in request.GET.items() if k != "cursor" and v]
    context = {
        "form": form,
        "movements": movements,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(data.get("cursor")),
        "can_launch": not scope_for(request.user, CHANGE).empty,
    }
    return TemplateResponse(request, "movements/list.html", context)


@login_required
@require_GET
def movement_detail(request: HttpRequest, code: str) -> HttpResponse:
    movement = _movement_or_404(request, code)
    form = RegistrationListForm(request.GET)
    valid = form.is_valid()
    year = form.cleaned_data.get("year") if valid else None
    cursor = (form.cleaned_data.get("cursor") or None) if valid else None
    try:
        detail = selectors.movement_detail(
            actor=request.user, movement=movement, year=year, cursor=cursor, limit=PAGE_SIZE
        )
    except NotFound:
        raise Http404(_("Movement not found.")) from None
    except DomainError as error:
        add_domain_error(form, error)
        detail = selectors.movement_detail(actor=request.user, movement=movement, year=year, limit=PAGE_SIZE)
    scope = scope_for(request.user, CHANGE)
    rows = [
        {"r": r, "can_withdraw": scope.covers(path=r.unit.path, unit_id=r.unit_id)} for r in detail.registrations.items
    ]
    kept = [("year", str(year))] if year else []
    next_cursor = detail.registrations.next_cursor
    context = {
        "d": detail,
        "status_label": MovementStatus(detail.status).label,
        "movement": movement,
        "form": form,
        "rows": rows,
        "first_query": urlencode(kept),
        "next_query": urlencode([*kept, ("cursor", next_cursor)]) if next_cursor else "",
        "paged": bool(cursor),
    }
    return TemplateResponse(request, "movements/detail.html", context)


# ---------------------------------------------------------------- forms


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope_for(user, CHANGE).empty:
        raise Http404(_("Unit not found."))
    form = MovementCreateForm(posted(request), actor=user, initial={"launcher": request.GET.get("unit", "").upper()})
    return _form_page(
        request,
        form=form,
        title=_("Launch a movement"),
        apply=lambda d: services.movement_launch(
            actor=user, code=d["code"], launcher=d["launcher"], details=form.details()
        ),
        done=movement_url,
    )


@login_required
def movement_edit(request: HttpRequest, code: str) -> HttpResponse:
    movement = _runnable_or_404(request, code)
    initial = {
        "title": movement.title,
        "kind": movement.kind,
        "start_date": movement.start_date,
        "end_date": movement.end_date,
        "scope": movement.scope,
        "units": " ".join(u.code for u in movement.units.order_by("path")),
        "criteria": movement.criteria,
        "version": movement.version,
    }
    form = MovementEditForm(posted(request), actor=request.user, initial=initial)
    return _form_page(
        request,
        form=form,
        title=_("Edit %(title)s") % {"title": movement.title},
        movement=movement,
        apply=lambda d: services.movement_update(
            actor=request.user, movement=movement, version=d["version"], details=form.details()
        ),
    )


@login_required
def movement_close(request: HttpRequest, code: str) -> HttpResponse:
    movement = _runnable_or_404(request, code)
    form = CloseForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Close %(title)s") % {"title": movement.title},
        movement=movement,
        apply=lambda d: services.movement_close(actor=request.user, movement=movement, closed_on=d["closed_on"]),
        danger=True,
    )


@login_required
def milestone_add(request: HttpRequest, code: str) -> HttpResponse:
    movement = _runnable_or_404(request, code)
    form = MilestoneForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Plan a review of %(title)s") % {"title": movement.title},
        movement=movement,
        apply=lambda d: services.milestone_add(
            actor=request.user, movement=movement, kind=d["kind"], due_date=d["due_date"], note=d.get("note", "")
        ),
    )


@login_required
def milestone_hold(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    movement = _runnable_or_404(request, code)
    milestone = Milestone.objects.filter(movement=movement, pk=pk).first()
    if milestone is None:
        raise Http404(_("Review not found."))
    form = HoldForm(posted(request), initial={"note": milestone.note})
    return _form_page(
        request,
        form=form,
        title=_("%(kind)s due on %(day)s: record it as held")
        % {"kind": milestone.get_kind_display(), "day": milestone.due_date.strftime("%d/%m/%Y")},
        movement=movement,
        apply=lambda d: services.milestone_hold(
            actor=request.user, milestone=milestone, held_on=d["held_on"], note=d.get("note", "")
        ),
    )


@login_required
def registration_create(request: HttpRequest, code: str) -> HttpResponse:
    movement = _movement_or_404(request, code)
    if not services.may_register(request.user, movement):
        raise Http404(_("Movement not found."))
    form = RegistrationForm(posted(request), actor=request.user, initial={"unit": request.GET.get("unit", "").upper()})
    return _form_page(
        request,
        form=form,
        title=_("Register a pledge in %(title)s") % {"title": movement.title},
        movement=movement,
        apply=lambda d: services.registration_create(
            actor=request.user,
            movement=movement,
            unit=d["unit"],
            person=d.get("member_code"),
            year=d["year"],
            titles=d.get("titles") or [],
            initiatives_pledged=d.get("initiatives_pledged") or 0,
            note=d.get("note", ""),
            registered_on=d.get("registered_on"),
        ),
    )


@login_required
def registration_withdraw(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    movement = _movement_or_404(request, code)
    registration = (
        Registration.objects.visible_to(request.user, CHANGE)
        .filter(movement=movement, pk=pk)
        .select_related("unit", "person")
        .first()
    )
    if registration is None:
        raise Http404(_("Registration not found."))
    who = registration.person.full_name if registration.person else registration.unit.name
    form = WithdrawForm(posted(request))
    return _form_page(
        request,
        form=form,
        title=_("Withdraw the pledge of %(who)s for %(year)s") % {"who": who, "year": registration.year},
        movement=movement,
        apply=lambda d: services.registration_withdraw(
            actor=request.user, registration=registration, reason=d.get("reason", "")
        ),
        danger=True,
    )
