"""Reads on activities: the list with filters and keyset pages, one activity's page, rosters, and figures.

Every read that takes an actor starts from `Activity.objects.visible_to`. The figures for the
movements' and programmes' result pages are computed for many ids in one query each.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import cursor_decode, cursor_encode
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for
from unionhall.members.choices import OPEN_STATUSES, Gender
from unionhall.members.models import Membership, Person
from unionhall.movements.models import Movement
from unionhall.orgunits.checks import unit_not_found
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import Programme
from unionhall.programmes.results import Line

from .choices import ActivityStatus, AttendanceMode, FileKind, ParticipantCategory
from .models import Activity, ActivityFile, ActivityKind, ActivityOrganiser, Attendee, Headcount, Speaker
from .services import VIEW, activity_not_found, may_change, may_check_in, member_key

MAX_PAGE = 200
UNIT_VIEW = "unit.view"
TEXT_MAX_LENGTH = 100


# ---------------------------------------------------------------- one activity


def activity_get(*, actor: Any, pk: Any, action: str = VIEW) -> Activity:
    """An activity by id, if the actor sees it for `action`; otherwise NotFound, as if it did not exist."""
    if isinstance(pk, bool) or not isinstance(pk, int | str) or not str(pk).isdigit() or not 0 < int(pk) < 2**63:
        raise activity_not_found()
    found = (
        Activity.objects.visible_to(actor, action)
        .select_related("kind", "unit", "movement", "programme")
        .filter(pk=int(pk))
        .first()
    )
    if found is None:
        raise activity_not_found()
    return found


@dataclass(frozen=True)
class CategoryCount:
    category: str
    total: int
    women: int

    @property
    def label(self) -> str:
        return str(ParticipantCategory(self.category).label)

    @property
    def men_and_others(self) -> int:
        return self.total - self.women


def attendance_summary(activity: Activity) -> list[CategoryCount]:
    """Participants per category with the women among them: from the roster or from the counts."""
    if activity.attendance_mode == AttendanceMode.COUNTED:
        rows = {h.category: (h.total, h.women) for h in Headcount.objects.filter(activity=activity)}
    else:
        rows = {
            r["category"]: (r["total"], r["women"])
            for r in Attendee.objects.filter(activity=activity)
            .order_by()
            .values("category")
            .annotate(total=Count("pk"), women=Count("pk", filter=Q(gender=Gender.FEMALE)))
        }
    return [CategoryCount(c, *rows[c]) for c in ParticipantCategory.values if c in rows]


@dataclass
class RosterPage:
    items: list[Attendee]
    next_cursor: str | None


def roster_page(*, activity: Activity, cursor: str | None = None, limit: int = 50) -> RosterPage:
    """The roster of an activity (the caller has checked the actor sees it), latest check-in first."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = Attendee.objects.filter(activity=activity)
    if cursor:
        (pk,) = cursor_decode(cursor, (int,))
        qs = qs.filter(pk__lt=pk)
    rows = list(qs.select_related("person", "unit").order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return RosterPage(rows, cursor_encode([rows[-1].pk]) if more and rows else None)


@dataclass
class ActivityDetail:
    activity: Activity
    organisers: list[Unit]
    speakers: list[Speaker]
    documents: list[ActivityFile]
    photos: list[ActivityFile]
    summary: list[CategoryCount]
    roster: RosterPage
    can_change: bool
    can_check_in: bool


def activity_detail(*, actor: Any, activity: Activity, cursor: str | None = None, limit: int = 50) -> ActivityDetail:
    """What an activity's page shows: organisers, speakers, files, attendance by category, the roster."""
    if not Activity.objects.visible_to(actor, VIEW).filter(pk=activity.pk).exists():
        raise activity_not_found()
    organisers = list(
        Unit.objects.filter(pk__in=ActivityOrganiser.objects.filter(activity=activity).values("unit_id"))
        .select_related("type")
        .order_by("path")
    )
    organisers.sort(key=lambda u: u.pk != activity.unit_id)
    files = list(ActivityFile.objects.filter(activity=activity).order_by("pk"))
    roster = (
        roster_page(activity=activity, cursor=cursor, limit=limit)
        if activity.attendance_mode == AttendanceMode.ROSTER
        else RosterPage([], None)
    )
    return ActivityDetail(
        activity=activity,
        organisers=organisers,
        speakers=list(Speaker.objects.filter(activity=activity).order_by("position", "pk")),
        documents=[f for f in files if f.kind != FileKind.PHOTO],
        photos=[f for f in files if f.kind == FileKind.PHOTO],
        summary=attendance_summary(activity),
        roster=roster,
        can_change=may_change(actor, activity),
        can_check_in=activity.attendance_mode == AttendanceMode.ROSTER
        and activity.status != ActivityStatus.CANCELLED
        and may_check_in(actor, activity, [(u.pk, u.path) for u in organisers]),
    )


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class ActivityFilters:
    """Filters of the list; empty means no filter. `unit`: organised by it or a unit under it."""

    unit: Unit | None = None
    kind: ActivityKind | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    movement: Movement | None = None
    programme: Programme | None = None
    status: str = ""
    text: str = ""


@dataclass
class ActivityPage:
    items: list[Activity]
    next_cursor: str | None
    filters: ActivityFilters = field(default_factory=ActivityFilters)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _clean_filters(actor: Any, filters: ActivityFilters) -> ActivityFilters:
    unit = filters.unit
    if unit is not None and not scope_for(actor, UNIT_VIEW).covers(path=unit.path, unit_id=unit.pk):
        raise unit_not_found(unit)
    if filters.status and filters.status not in ActivityStatus.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise DomainError(_("The period ends before it starts."), field="date_to", code="dates_out_of_order")
    if len(filters.text) > TEXT_MAX_LENGTH:
        raise DomainError(
            _("This field has at most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}, field="text", code="too_long"
        )
    return filters


def activity_queryset(*, actor: Any, filters: ActivityFilters = ActivityFilters()) -> QuerySet[Activity]:
    """The activities the actor sees, filtered (unordered, unpaged: the API pages it itself)."""
    filters = _clean_filters(actor, filters)
    qs = Activity.objects.visible_to(actor, VIEW)
    if filters.unit is not None:
        qs = qs.organised_under(filters.unit.path)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from is not None:
        qs = qs.filter(starts_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(starts_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.movement is not None:
        qs = qs.filter(movement=filters.movement)
    if filters.programme is not None:
        qs = qs.filter(programme=filters.programme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    text = filters.text.strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(reference__iexact=text) | Q(place__icontains=text))
    return qs


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DomainError(_("The page link is not valid."), field="cursor") from None
    if timezone.is_naive(moment):
        raise DomainError(_("The page link is not valid."), field="cursor")
    return moment


def activity_list(
    *, actor: Any, filters: ActivityFilters = ActivityFilters(), cursor: str | None = None, limit: int = 50
) -> ActivityPage:
    """Activities the actor sees, latest first, one keyset page."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = activity_queryset(actor=actor, filters=filters)
    if cursor:
        starts, pk = cursor_decode(cursor, (str, int))
        moment = _moment(starts)
        qs = qs.filter(Q(starts_at__lt=moment) | Q(starts_at=moment, pk__lt=pk))
    rows = list(qs.select_related("kind", "unit").order_by("-starts_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].starts_at.isoformat(), rows[-1].pk]) if more and rows else None
    return ActivityPage(rows, next_cursor, filters)


# ---------------------------------------------------------------- people


@dataclass
class HistoryPage:
    items: list[Attendee]
    next_cursor: str | None


def attendance_history(*, actor: Any, person: Person, cursor: str | None = None, limit: int = 50) -> HistoryPage:
    """The activities a member attended, among those the actor sees, latest first."""
    limit = max(1, min(limit, MAX_PAGE))
    visible = Activity.objects.visible_to(actor, VIEW)
    qs = Attendee.objects.filter(person=person, activity_id__in=visible.values("pk"))
    if cursor:
        (pk,) = cursor_decode(cursor, (int,))
        qs = qs.filter(pk__lt=pk)
    rows = list(qs.select_related("activity__kind", "activity__unit").order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return HistoryPage(rows, cursor_encode([rows[-1].pk]) if more and rows else None)


@dataclass(frozen=True)
class TickRow:
    person: Person
    checked_in: bool


@dataclass
class TickPage:
    unit: Unit
    items: list[TickRow]
    next_cursor: str | None


def tick_list(*, activity: Activity, unit: Unit, cursor: str | None = None, limit: int = 50) -> TickPage:
    """The members of `unit` (open memberships) by name, each marked when already on the roster.

    The caller has checked the actor may check people in; `unit` must be under an organiser.
    """
    limit = max(1, min(limit, MAX_PAGE))
    paths = ActivityOrganiser.objects.filter(activity=activity).values_list("unit__path", flat=True)
    if not any(unit.path.startswith(path) for path in paths):
        raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
    people = Person.objects.filter(
        Exists(Membership.objects.filter(person_id=OuterRef("pk"), unit=unit, status__in=OPEN_STATUSES))
    )
    if cursor:
        name, pk = cursor_decode(cursor, (str, int))
        people = people.filter(Q(search_name__gt=name) | Q(search_name=name, pk__gt=pk))
    rows = list(people.order_by("search_name", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    present = set(
        Attendee.objects.filter(activity=activity, key__in=[member_key(p.pk) for p in rows]).values_list(
            "person_id", flat=True
        )
    )
    next_cursor = cursor_encode([rows[-1].search_name, rows[-1].pk]) if more and rows else None
    return TickPage(unit, [TickRow(p, p.pk in present) for p in rows], next_cursor)


def unit_in_organisers(*, activity: Activity, code: str) -> Unit:
    """A unit by code inside the subtree of one of the activity's organisers (for the tick list)."""
    code = (code or "").strip().upper()[:40]
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is None:
        raise unit_not_found(code)
    paths = ActivityOrganiser.objects.filter(activity=activity).values_list("unit__path", flat=True)
    if not any(unit.path.startswith(path) for path in paths):
        raise unit_not_found(code)
    return unit


# ---------------------------------------------------------------- figures for other apps' pages


def _held_for(column: str, ids: Iterable[int]) -> QuerySet[Activity]:
    return Activity.objects.held().filter(**{f"{column}__in": sorted(set(ids))}).order_by()


def movement_activities_held(movement_ids: list[int]) -> dict[int, int]:
    """Activities held in each movement (one query)."""
    rows = _held_for("movement_id", movement_ids).values("movement_id").annotate(n=Count("pk"))
    return {r["movement_id"]: r["n"] for r in rows}


def movement_participants(movement_ids: list[int]) -> dict[int, int]:
    """Participants of the activities held in each movement (one query)."""
    rows = _held_for("movement_id", movement_ids).values("movement_id").annotate(n=Sum("participants"))
    return {r["movement_id"]: r["n"] or 0 for r in rows}


def programme_activity_lines(programme_ids: list[int]) -> dict[int, list[Line]]:
    """Per programme: the activities held, one line per kind (in the kinds' order), then the participants."""
    rows = list(
        _held_for("programme_id", programme_ids)
        .values("programme_id", "kind_id")
        .annotate(n=Count("pk"), people=Sum("participants"))
    )
    kinds = ActivityKind.objects.in_bulk({r["kind_id"] for r in rows})
    ordered = sorted(rows, key=lambda r: (kinds[r["kind_id"]].rank, kinds[r["kind_id"]].code))
    out: dict[int, list[Line]] = {}
    participants: dict[int, int] = {}
    for r in ordered:
        out.setdefault(r["programme_id"], []).append(Line(kinds[r["kind_id"]].name, r["n"]))
        participants[r["programme_id"]] = participants.get(r["programme_id"], 0) + (r["people"] or 0)
    for programme_id, lines in out.items():
        lines.append(Line(_("Participants"), participants[programme_id]))
    return out
