"""Reads on movements: the list with filters and keyset pages, one movement's page data, and `registered`.

Every read that takes an actor starts from `visible_to`. Milestone states and what is due are
computed for a given `today`, never stored.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import cursor_decode, cursor_encode
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for
from unionhall.orgunits.models import Unit

from . import results as result_registry
from .choices import MilestoneState, MovementKind, MovementStatus
from .models import Milestone, Movement, Registration
from .services import VIEW, may_register, may_run, movement_not_found

MAX_PAGE = 200
UNIT_VIEW = "unit.view"
# Above this many ids, `registered` reads the year's registrations and intersects, instead of a
# parameter list (PostgreSQL takes at most 65,535 parameters, SQLite 32,766).
IN_LIST_LIMIT = 1000


# ---------------------------------------------------------------- cursors


# ---------------------------------------------------------------- one movement


def movement_status(movement: Movement, *, today: dt.date) -> str:
    """The status as of `today`: a planned movement whose start has come is running."""
    if movement.status == MovementStatus.CLOSED:
        return MovementStatus.CLOSED
    return MovementStatus.RUNNING if movement.start_date <= today else MovementStatus.PLANNED


def movement_get(*, actor: Any, code: str, action: str = VIEW) -> Movement:
    """A movement by code, if the actor sees it; otherwise NotFound, as if it did not exist."""
    code = (code or "").strip().lower()
    movement = Movement.objects.visible_to(actor, action).select_related("launcher").filter(code=code).first()
    if movement is None:
        raise movement_not_found(code)
    return movement


def milestone_state(milestone: Milestone, *, today: dt.date) -> str:
    if milestone.held_on is not None:
        return MilestoneState.HELD
    return MilestoneState.OVERDUE if milestone.due_date < today else MilestoneState.DUE


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    state: str

    @property
    def state_label(self) -> str:
        return str(MilestoneState(self.state).label)


@dataclass(frozen=True)
class DueItem:
    """Something the movement's runners should do: hold a review ("milestone"), close the movement ("close")."""

    code: str
    day: dt.date
    overdue: bool
    milestone: Milestone | None = None


@dataclass(frozen=True)
class ResultFigure:
    code: str
    label: Promise | str
    value: int
    money: bool


@dataclass(frozen=True)
class YearCount:
    year: int
    units: int
    people: int
    initiatives_pledged: int


@dataclass
class RegistrationPage:
    items: list[Registration]
    next_cursor: str | None


@dataclass
class MovementDetail:
    movement: Movement
    status: str
    listed_units: list[Unit]
    can_change: bool
    can_register: bool
    milestones: list[MilestoneRow]
    next_due: Milestone | None
    due: list[DueItem]
    results: list[ResultFigure]
    year_counts: list[YearCount]
    registrations: RegistrationPage
    year: int | None = None


def _due_items(movement: Movement, rows: list[MilestoneRow], status: str, today: dt.date) -> list[DueItem]:
    """Overdue reviews, the next review, and closing a movement whose period has ended."""
    items = [
        DueItem("milestone", row.milestone.due_date, True, row.milestone)
        for row in rows
        if row.state == MilestoneState.OVERDUE
    ]
    upcoming = next((row.milestone for row in rows if row.state == MilestoneState.DUE), None)
    if upcoming is not None:
        items.append(DueItem("milestone", upcoming.due_date, False, upcoming))
    if status != MovementStatus.CLOSED and movement.end_date is not None and movement.end_date < today:
        items.append(DueItem("close", movement.end_date, True))
    return items


def movement_results(movements: list[Movement]) -> dict[int, list[ResultFigure]]:
    """Every registered result for these movements: one call (one query) per result."""
    ids = [m.pk for m in movements]
    out: dict[int, list[ResultFigure]] = {pk: [] for pk in ids}
    for result in result_registry.results():
        figures = result.compute(ids) if ids else {}
        for pk in ids:
            out[pk].append(ResultFigure(result.code, result.label, int(figures.get(pk, 0) or 0), result.money))
    return out


def registrations_visible(*, actor: Any, movement: Movement | None = None) -> QuerySet[Registration]:
    qs = Registration.objects.visible_to(actor, VIEW)
    return qs if movement is None else qs.filter(movement=movement)


def registration_page(
    *,
    actor: Any,
    movement: Movement,
    year: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> RegistrationPage:
    """The pledges of a movement the actor sees (by year, newest first), one keyset page."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = registrations_visible(actor=actor, movement=movement)
    if year is not None:
        qs = qs.filter(year=year)
    if cursor:
        last_year, pk = cursor_decode(cursor, (int, int))
        qs = qs.filter(Q(year__lt=last_year) | Q(year=last_year, pk__gt=pk))
    rows = list(qs.select_related("unit", "person").order_by("-year", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].year, rows[-1].pk]) if more and rows else None
    return RegistrationPage(rows, next_cursor)


def year_counts(*, actor: Any, movement: Movement) -> list[YearCount]:
    """Per year, the units' own pledges, the members' pledges and the initiatives pledged, among those seen."""
    rows = (
        registrations_visible(actor=actor, movement=movement)
        .order_by()
        .values("year")
        .annotate(
            units=Count("pk", filter=Q(person__isnull=True)),
            people=Count("pk", filter=Q(person__isnull=False)),
            initiatives=Sum("initiatives_pledged"),
        )
        .order_by("-year")
    )
    return [YearCount(r["year"], r["units"], r["people"], r["initiatives"] or 0) for r in rows]


def movement_detail(
    *,
    actor: Any,
    movement: Movement,
    today: dt.date | None = None,
    year: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> MovementDetail:
    """What a movement's page shows: registrations, results so far, milestones and what is due."""
    today = today or timezone.localdate()
    if not Movement.objects.visible_to(actor, VIEW).filter(pk=movement.pk).exists():
        raise movement_not_found(movement.code)
    status = movement_status(movement, today=today)
    rows = [MilestoneRow(m, milestone_state(m, today=today)) for m in movement.milestones.order_by("due_date", "pk")]
    upcoming = [row.milestone for row in rows if row.state == MilestoneState.DUE]
    can_register = status != MovementStatus.CLOSED and may_register(actor, movement)
    return MovementDetail(
        movement=movement,
        status=status,
        listed_units=list(movement.units.select_related("type").order_by("path")),
        can_change=may_run(actor, movement),
        can_register=can_register,
        milestones=rows,
        next_due=upcoming[0] if upcoming else None,
        due=_due_items(movement, rows, status, today),
        results=movement_results([movement])[movement.pk],
        year_counts=year_counts(actor=actor, movement=movement),
        registrations=registration_page(actor=actor, movement=movement, year=year, cursor=cursor, limit=limit),
        year=year,
    )


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class MovementFilters:
    """Filters of the movement list; empty means no filter. `unit`: launched by it or a unit under it."""

    status: str = ""
    year: int | None = None
    kind: str = ""
    unit: Unit | None = None


@dataclass
class MovementPage:
    items: list[Movement]
    next_cursor: str | None
    filters: MovementFilters = field(default_factory=MovementFilters)


def _clean_filters(actor: Any, filters: MovementFilters) -> MovementFilters:
    if filters.status and filters.status not in MovementStatus.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if filters.kind and filters.kind not in MovementKind.values:
        raise DomainError(_("Choose a kind of movement."), field="kind")
    if filters.year is not None and not 1900 <= filters.year <= 9999:
        raise DomainError(_("Choose a valid year."), field="year")
    unit = filters.unit
    if unit is not None and not scope_for(actor, UNIT_VIEW).covers(path=unit.path, unit_id=unit.pk):
        raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
    return filters


def movement_queryset(
    *, actor: Any, filters: MovementFilters = MovementFilters(), today: dt.date | None = None
) -> QuerySet[Movement]:
    """The movements the actor sees, filtered (unordered, unpaged: the API pages it itself)."""
    today = today or timezone.localdate()
    filters = _clean_filters(actor, filters)
    qs = Movement.objects.visible_to(actor, VIEW)
    if filters.status:
        qs = qs.with_status(filters.status, today=today)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year is not None:
        qs = qs.in_year(filters.year)
    if filters.unit is not None:
        qs = qs.launched_under(filters.unit)
    return qs


def movement_list(
    *,
    actor: Any,
    filters: MovementFilters = MovementFilters(),
    cursor: str | None = None,
    limit: int = 50,
    today: dt.date | None = None,
) -> MovementPage:
    """Movements the actor sees, latest start first, one keyset page."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = movement_queryset(actor=actor, filters=filters, today=today)
    if cursor:
        start, pk = cursor_decode(cursor, (dt.date, int))
        qs = qs.filter(Q(start_date__lt=start) | Q(start_date=start, pk__lt=pk))
    rows = list(qs.select_related("launcher").order_by("-start_date", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].start_date, rows[-1].pk]) if more and rows else None
    return MovementPage(rows, next_cursor, filters)


# ---------------------------------------------------------------- for other apps


def registered(
    *, year: int, person_ids: Iterable[int] | QuerySet | None = None, unit_ids: Iterable[int] | QuerySet | None = None
) -> set[int]:
    """Ids of the people (or units: their own pledge) with a registration for `year` in any movement; one query.

    Pass exactly one of `person_ids` and `unit_ids`: ids, or a queryset of ids (used as a subquery).
    """
    if (person_ids is None) == (unit_ids is None):
        raise TypeError("registered() takes exactly one of person_ids and unit_ids")
    column, wanted = ("person_id", person_ids) if person_ids is not None else ("unit_id", unit_ids)
    qs = Registration.objects.filter(year=year)
    qs = qs.filter(person__isnull=False) if person_ids is not None else qs.filter(person__isnull=True)
    if isinstance(wanted, QuerySet):
        return set(qs.filter(**{f"{column}__in": wanted}).values_list(column, flat=True).distinct())
    ids = set(wanted)  # type: ignore[arg-type]
    if not ids:
        return set()
    if len(ids) <= IN_LIST_LIMIT:
        return set(qs.filter(**{f"{column}__in": sorted(ids)}).values_list(column, flat=True).distinct())
    return ids & set(qs.values_list(column, flat=True).distinct())
