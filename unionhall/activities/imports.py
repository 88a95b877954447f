"""The `activities` and `attendance` record types: activities keyed by unit and reference, and roster rows.

`activities`: one row per activity, found again by its recording unit and the organiser's own
reference, so a re-import changes nothing and a corrected row updates. Every row is checked the way
`services.activity_create` would (kind, dates in order, movement and programme the unit takes part
in, co-organising units, counts neither negative nor with more women than participants) and
classified: new, updated, unchanged or rejected. `apply` writes through `activity_create` /
`activity_update` and, for counted activities, `headcounts_set`.

`attendance`: one row per person at an activity of the file (named by its reference and recording
unit): a member by member code, or a non-member by name and category. A member code resolves only
among members of the organisers' subtrees, as at the door. Somebody already on the roster, or listed
twice in the file, is "unchanged": nobody is counted twice. `apply` checks members in through
`services.check_in_people` (a list per activity, set-wise) and non-members through `check_in_guest`,
with the method "imported"; the services write the audit entry of each check-in.

`validate` writes nothing; the mechanism applies a plan only when no row is rejected, in one transaction.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.cleaning import clean_count, clean_str
from unionhall.core.errors import Conflict, DomainError
from unionhall.core.formatting import format_number
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.core.text import fold
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import CHOICE, DATE, IDENTIFIER, INTEGER, TEXT, Column
from unionhall.datafiles.errors import FileRefused
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.members.choices import OPEN_STATUSES, Gender
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Membership, Person
from unionhall.movements import services as movement_services
from unionhall.movements.models import Movement
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import Unit
from unionhall.programmes import services as programme_services
from unionhall.programmes.models import Programme

from . import services
from .choices import ActivityStatus, AttendanceMode, CheckInMethod, CheckInOutcome, KindRole, ParticipantCategory
from .models import Activity, ActivityKind, ActivityOrganiser, Attendee, Headcount

ACTIVITIES, ATTENDANCE = "activities", "attendance"
IMPORT, CHANGE, CHECKIN = services.IMPORT, services.CHANGE, services.CHECKIN
MOVEMENT_VIEW, PROGRAMME_VIEW = "movement.view", "programme.view"
UNIT_CODE_MAX = 40
REFERENCE_MAX = 60
TITLE_MAX = 300
PLACE_MAX = 300
TOPIC_MAX = services.TEXT_MAX_LENGTH
CHAIR_MAX = 200
NAME_MAX = 200
PHONE_MAX = 20
TIME_RE = re.compile(r"^(\d{1,2})[:hH.](\d{2})(?::(\d{2}))?$")
DAY_START, DAY_END = dt.time(0, 0), dt.time(23, 59)
SEPARATOR = ";"
# Count columns: (category, key and label of the total, key and label of the women among them).
COUNT_COLUMNS = (
    (ParticipantCategory.MEMBER, "members", _("union members"), "members_women", _("union members: women")),
    (ParticipantCategory.OFFICIAL, "officials", _("officials"), "officials_women", _("officials: women")),
    (ParticipantCategory.WORKER, "workers", _("workers"), "workers_women", _("workers: women")),
    (ParticipantCategory.CITIZEN, "citizens", _("citizens"), "citizens_women", _("citizens: women")),
)
COUNT_HELP = _("Counted activities only: participants of this category.")
WOMEN_HELP = _("Counted activities only: the women among them.")
NOT_FOUND_UNIT = _("Unit %(code)s was not found among the active units of %(unit)s that you may import into.")

UNIT_COLUMN = Column(
    "unit_code",
    _("unit code"),
    IDENTIFIER,
    max_length=UNIT_CODE_MAX,
    help=_("The unit that records the activity (its lead organiser), inside the unit imported into; blank: that unit."),
    example="DN-TB-001",
)

ACTIVITY_COLUMNS = (
    UNIT_COLUMN,
    Column(
        "reference",
        _("reference"),
        IDENTIFIER,
        required=True,
        max_length=REFERENCE_MAX,
        help=_("The organiser's own number, unique in the unit: a later import finds the activity again by it."),
        example="TT-2025-07",
    ),
    Column(
        "kind",
        _("kind of activity"),
        TEXT,
        required=True,
        max_length=300,
        help=_("The kind's code or its name in any of the four languages."),
        example="dissemination",
    ),
    Column("title", _("title"), TEXT, required=True, max_length=TITLE_MAX, example="Tuyên truyền Luật Công đoàn 2024"),
    Column("starts_on", _("starts on"), DATE, required=True, example="15/03/2025"),
    Column(
        "starts_time",
        _("start time"),
        TEXT,
        max_length=8,
        help=_("hh:mm; blank: the start of the day."),
        example="08:00",
    ),
    Column(
        "ends_on",
        _("ends on"),
        DATE,
        help=_("Blank: the day it starts when an end time is given."),
        example="15/03/2025",
    ),
    Column(
        "ends_time", _("end time"), TEXT, max_length=8, help=_("hh:mm; blank: the end of the day."), example="11:30"
    ),
    Column("place", _("place"), TEXT, max_length=PLACE_MAX, example="Hội trường Công ty Sông Mây"),
    Column("topic", _("topic"), TEXT, max_length=TOPIC_MAX),
    Column("movement", _("movement code"), IDENTIFIER, max_length=60, help=_("The movement it serves; blank: none.")),
    Column(
        "programme",
        _("programme code"),
        IDENTIFIER,
        max_length=60,
        help=_("The joint programme it serves; blank: none."),
    ),
    Column("chair", _("chaired by"), TEXT, max_length=CHAIR_MAX),
    Column(
        "co_organisers",
        _("co-organisers"),
        TEXT,
        max_length=1000,
        help=_("Codes of the other organising units (partner bodies too), separated by semicolons."),
        example="DN-CA; DN-TB-002",
    ),
    Column("status", _("status"), CHOICE, choices=ActivityStatus.choices, help=_("Blank: held."), example=_("Held")),
    Column(
        "attendance_mode",
        _("attendance"),
        CHOICE,
        choices=AttendanceMode.choices,
        help=_("Blank: counted when counts are given, otherwise a roster."),
        example="counted",
    ),
    Column("planned_participants", _("participants planned"), INTEGER),
    *(
        column
        for _category, total, total_label, women, women_label in COUNT_COLUMNS
        for column in (
            Column(total, total_label, INTEGER, help=COUNT_HELP, example="120"),
            Column(women, women_label, INTEGER, help=WOMEN_HELP, example="45"),
        )
    ),
)

ATTENDANCE_COLUMNS = (
    UNIT_COLUMN,
    Column(
        "activity",
        _("activity reference"),
        IDENTIFIER,
        required=True,
        max_length=REFERENCE_MAX,
        help=_("The reference of the activity in the unit of the row."),
        example="TT-2025-07",
    ),
    Column(
        "member_code",
        _("member code"),
        IDENTIFIER,
        max_length=20,
        help=_("For a union member; leave blank for a non-member."),
        example="0012345678X",
    ),
    Column("full_name", _("full name"), TEXT, max_length=NAME_MAX, help=_("For a non-member."), example="Lê Văn Khách"),
    Column(
        "category",
        _("category"),
        CHOICE,
        choices=ParticipantCategory.choices,
        help=_("For a non-member."),
        example=_("Citizens"),
    ),
    Column("gender", _("gender"), CHOICE, choices=Gender.choices, help=_("For a non-member.")),
    Column("phone", _("phone"), IDENTIFIER, max_length=PHONE_MAX, help=_("For a non-member; tells namesakes apart.")),
)


# ---------------------------------------------------------------- shared lookups


def _default_unit_code(row: Row, context: Context) -> str:
    return (row.values["unit_code"] or context.unit.code).upper()


def _units(codes: set[str], context: Context, *actions: str) -> dict[str, Unit]:
    """Active units of the file, inside the unit imported into, where the actor holds every one of `actions`."""
    if not codes:
        return {}
    found = Unit.objects.filter(subtree_q("path", context.unit.path), code__in=sorted(codes), status="active")
    # As the services: without an actor (the command line) nothing is in scope.
    scopes = [scope_for(context.actor, action) for action in actions]
    return {u.code: u for u in found if all(s.covers(path=u.path, unit_id=u.pk) for s in scopes)}


def _reject_unit(row: Row, plan: Plan, code: str, context: Context) -> None:
    column = "unit_code" if "unit_code" in row.raw else ""
    plan.reject(row, row.error(column, NOT_FOUND_UNIT % {"code": code, "unit": context.unit.code}))


def _domain_reject(row: Row, plan: Plan, error: DomainError, fields: dict[str, str] | None = None) -> None:
    """A service-style error on the row's column (`fields` maps a service field to a column key)."""
    column = (fields or {}).get(error.field or "", error.field or "")
    plan.reject(row, row.error(column if column in row.values else "", str(error)))


# ---------------------------------------------------------------- activities: reading a row


def _time(raw: str | None, *, field: str) -> dt.time | None:
    if not raw:
        return None
    match = TIME_RE.match(raw.strip())
    hour, minute = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
    if hour > 23 or minute > 59:
        raise DomainError(_("Write the time as hh:mm, e.g. 08:30."), field=field)
    return dt.time(hour, minute)


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _codes(raw: str | None) -> list[str]:
    return list(dict.fromkeys(code.strip().upper() for code in (raw or "").split(SEPARATOR) if code.strip()))


@dataclass
class _ActivityRow:
    """A row that passed the checks that need no database."""

    row: Row
    unit_code: str
    reference: str
    kind: str
    values: dict[str, Any]
    co_organisers: list[str]
    counts: dict[str, tuple[int, int]] | None  # None: the row gives no counts


def _read_activity(row: Row, context: Context) -> _ActivityRow | DomainError:
    values = row.values
    try:
        title = clean_str(values["title"], "title", TITLE_MAX, required=True)
        start_time = _time(values["starts_time"], field="starts_time")
        end_time = _time(values["ends_time"], field="ends_time")
        starts_at = _moment(values["starts_on"], start_time or DAY_START)
        ends_at = None
        if values["ends_on"] is not None or end_time is not None:
            ends_at = _moment(values["ends_on"] or values["starts_on"], end_time or DAY_END)
            if ends_at < starts_at:
                field = "ends_on" if values["ends_on"] is not None else "ends_time"
                raise DomainError(_("The activity ends before it starts."), field=field, code="dates_out_of_order")
        counts = _counts(row)
        co_organisers = _codes(values["co_organisers"])
        if len(co_organisers) > services.MAX_CO_ORGANISERS:
            raise DomainError(
                _("At most %(max)s co-organisers.") % {"max": services.MAX_CO_ORGANISERS}, field="co_organisers"
            )
        mode = values["attendance_mode"] or (AttendanceMode.COUNTED if counts else "")
        if counts and mode != AttendanceMode.COUNTED:
            raise DomainError(
                _("This activity keeps a roster; participants are checked in, not counted."), field="attendance_mode"
            )
        planned = values["planned_participants"]
        if planned is not None:
            planned = clean_count(planned, field="planned_participants", maximum=services.MAX_PEOPLE)
    except DomainError as error:
        return error
    cleaned = {
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": values["place"] or "",
        "topic": values["topic"] or "",
        "chair": values["chair"] or "",
        "status": values["status"] or ActivityStatus.HELD,
        # Blank: as recorded for an activity the file updates, a roster for a new one.
        "attendance_mode": mode,
        "planned_participants": planned,
        "movement": (values["movement"] or "").lower(),
        "programme": (values["programme"] or "").lower(),
    }
    return _ActivityRow(
        row=row,
        unit_code=_default_unit_code(row, context),
        reference=values["reference"],
        kind=fold(values["kind"]),
        values=cleaned,
        co_organisers=co_organisers,
        counts=counts,
    )


def _counts(row: Row) -> dict[str, tuple[int, int]] | None:
    """Counted participants by category (a blank count is 0); None when the row gives none."""
    values = row.values
    if all(values[total] is None and values[women] is None for _c, total, _tl, women, _wl in COUNT_COLUMNS):
        return None
    counts: dict[str, tuple[int, int]] = {}
    for category, total_key, _tl, women_key, _wl in COUNT_COLUMNS:
        total = clean_count(values[total_key] or 0, field=total_key, maximum=services.MAX_PEOPLE)
        women = clean_count(values[women_key] or 0, field=women_key, maximum=services.MAX_PEOPLE)
        if women > total:
            raise DomainError(
                _("The women (%(women)s) cannot outnumber the participants (%(total)s).")
                % {"women": format_number(women), "total": format_number(total)},
                field=women_key,
                code="women_over_total",
            )
        if total:
            counts[str(category)] = (total, women)
    return counts


# ---------------------------------------------------------------- activities: what the database holds


@dataclass
class _Lookups:
    units: dict[str, Unit]
    kinds: dict[str, ActivityKind]
    movements: dict[str, Movement]
    programmes: dict[str, Programme]
    partners: dict[str, Unit]
    existing: dict[tuple[int, str], Activity]
    organisers: dict[int, list[Unit]]
    headcounts: dict[int, dict[str, tuple[int, int]]]


def _kinds() -> dict[str, ActivityKind]:
    """Kinds in use, by folded code and by folded name in every language."""
    found: dict[str, ActivityKind] = {}
    for kind in ActivityKind.objects.filter(active=True).order_by("rank", "code"):
        for name in (kind.code, *kind.names().values()):
            if name:
                found.setdefault(fold(name), kind)
    return found


def _lookups(read: list[_ActivityRow], context: Context) -> _Lookups:
    actor = context.actor
    units = _units({r.unit_code for r in read}, context, IMPORT, CHANGE)
    movement_codes = sorted({r.values["movement"] for r in read if r.values["movement"]})
    programme_codes = sorted({r.values["programme"] for r in read if r.values["programme"]})
    keys = {(units[r.unit_code].pk, r.reference) for r in read if r.unit_code in units}
    existing: dict[tuple[int, str], Activity] = {}
    if keys:
        candidates = Activity.objects.filter(
            unit_id__in=sorted({unit_id for unit_id, _r in keys}),
            reference__in=sorted({reference for _u, reference in keys}),
        ).select_related("kind", "movement", "programme")
        existing = {(a.unit_id, a.reference): a for a in candidates if (a.unit_id, a.reference) in keys}
    ids = sorted(a.pk for a in existing.values())
    organisers: dict[int, list[Unit]] = {}
    for row in ActivityOrganiser.objects.filter(activity_id__in=ids).select_related("unit").order_by("unit__path"):
        organisers.setdefault(row.activity_id, []).append(row.unit)
    headcounts: dict[int, dict[str, tuple[int, int]]] = {}
    for h in Headcount.objects.filter(activity_id__in=ids):
        headcounts.setdefault(h.activity_id, {})[h.category] = (h.total, h.women)
    movements = Movement.objects.visible_to(actor, MOVEMENT_VIEW).filter(code__in=movement_codes)
    programmes = Programme.objects.visible_to(actor, PROGRAMME_VIEW).filter(code__in=programme_codes)
    partners = Unit.objects.filter(code__in=sorted({code for r in read for code in r.co_organisers}))
    return _Lookups(
        units=units,
        kinds=_kinds(),
        movements={m.code: m for m in movements.select_related("launcher").prefetch_related("units")},
        programmes={p.code: p for p in programmes},
        partners={u.code: u for u in partners},
        existing=existing,
        organisers=organisers,
        headcounts=headcounts,
    )


# ---------------------------------------------------------------- activities: deciding


def _require_user(context: Context) -> None:
    """Activities and check-ins are recorded in a named officer's name: the command line needs --actor."""
    if context.actor is None:
        raise FileRefused(
            _("Activities and attendance are imported in a user's name: give the user (--actor)."), code="no_actor"
        )


def validate_activities(rows: Iterator[Row], context: Context) -> Plan:
    _require_user(context)
    plan = Plan(payload=[])
    read: list[_ActivityRow] = []
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        checked = _read_activity(row, context)
        if isinstance(checked, DomainError):
            _domain_reject(row, plan, checked)
            continue
        read.append(checked)
    found = _lookups(read, context)
    seen: dict[tuple[str, str], int] = {}
    for item in read:
        op = _decide_activity(item, plan, context, found, seen)
        if op is not None:
            plan.payload.append(op)
    return plan


def _decide_activity(
    item: _ActivityRow, plan: Plan, context: Context, found: _Lookups, seen: dict[tuple[str, str], int]
) -> tuple | None:
    row = item.row
    unit = found.units.get(item.unit_code)
    if unit is None:
        _reject_unit(row, plan, item.unit_code, context)
        return None
    key = (unit.code, item.reference)
    if key in seen:
        plan.reject(row, row.error("reference", _("The same activity as row %(row)s.") % {"row": seen[key]}))
        return None
    seen[key] = row.number
    current = found.existing.get((unit.pk, item.reference))
    try:
        details = _details(item, unit, found, current)
    except DomainError as error:
        _domain_reject(row, plan, error, FIELD_COLUMNS)
        return None
    counts = item.counts
    if details.attendance_mode == AttendanceMode.COUNTED and counts is None and current is None:
        counts = {}
    if current is None:
        plan.add(row.number, Outcome.NEW)
        return (row.number, unit, details, counts, None)
    if current.kind.role != KindRole.GENERAL:
        message = _("This activity is a workplace dialogue or an employee conference: change it on its own page.")
        plan.reject(row, row.error("reference", message))
        return None
    if current.attendance_mode != details.attendance_mode and current.participants:
        message = _("Attendance is already recorded; remove it before changing how attendance is kept.")
        plan.reject(row, row.error("attendance_mode", message))
        return None
    if _same(current, details, found, counts):
        plan.add(row.number, Outcome.UNCHANGED)
        return None
    plan.add(row.number, Outcome.UPDATED)
    return (row.number, unit, details, counts, current)


# A service's field -> the column that carries it.
FIELD_COLUMNS = {"starts_at": "starts_on", "ends_at": "ends_on"}


def _details(item: _ActivityRow, unit: Unit, found: _Lookups, current: Activity | None) -> services.ActivityDetails:
    """The row as the services take it, checked as they check it; raises DomainError on the field at fault.

    For an activity already recorded, a column the file leaves out keeps the recorded value, and
    what the file never carries (agenda, speakers) stays.
    """
    values, given = dict(item.values), item.row.raw
    if current is not None:
        for name in KEPT_WHEN_ABSENT:
            if name not in given:
                values[name] = getattr(current, name)
        if "ends_on" not in given and "ends_time" not in given:
            values["ends_at"] = current.ends_at
        if not values["attendance_mode"]:
            values["attendance_mode"] = current.attendance_mode
    values["attendance_mode"] = values["attendance_mode"] or AttendanceMode.ROSTER
    if values["ends_at"] is not None and values["ends_at"] < values["starts_at"]:
        raise DomainError(_("The activity ends before it starts."), field="starts_at", code="dates_out_of_order")
    kind = found.kinds.get(item.kind)
    if kind is None and current is not None and item.kind == fold(current.kind.code):
        kind = current.kind  # a kind no longer offered stays on the activities that have it
    if kind is None:
        message = _("There is no kind of activity %(kind)s in use.") % {"kind": item.row.values["kind"]}
        raise DomainError(message, field="kind")
    if kind.role != KindRole.GENERAL:
        raise DomainError(
            _("Record workplace dialogues and employee conferences on the workplace democracy pages."), field="kind"
        )
    movement = _movement(values["movement"], unit, found) if "movement" in given or current is None else None
    programme = _programme(values, unit, found) if "programme" in given or current is None else None
    if current is not None:
        movement = current.movement if "movement" not in given else movement
        programme = current.programme if "programme" not in given else programme
        if "programme" not in given and programme is not None:
            services.require_serves_programme(programme, unit, values["starts_at"])
    if "co_organisers" in given or current is None:
        missing = [code for code in item.co_organisers if code not in found.partners]
        if missing:
            raise unit_not_found(missing[0], "co_organisers")
        partners = [found.partners[code] for code in item.co_organisers]
        for partner in partners:
            require_active_unit(partner, "co_organisers")
        co_organisers = tuple(p for p in partners if p.pk != unit.pk)
    else:
        co_organisers = tuple(u for u in found.organisers.get(current.pk, []) if u.pk != unit.pk)
    agenda = ""
    speakers: tuple[services.SpeakerDetails, ...] = ()
    if current is not None:
        agenda = current.agenda
        speakers = tuple(
            services.SpeakerDetails(name=s.name, title=s.title, person=s.person)
            for s in current.speakers.select_related("person").order_by("position", "pk")
        )
    return services.ActivityDetails(
        kind=kind,
        title=values["title"],
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        place=values["place"],
        topic=values["topic"],
        reference=item.reference,
        movement=movement,
        programme=programme,
        chair=values["chair"],
        agenda=agenda,
        status=values["status"],
        attendance_mode=values["attendance_mode"],
        planned_participants=values["planned_participants"],
        co_organisers=co_organisers,
        speakers=speakers,
    )


# Columns whose absence from the file keeps the recorded value of an activity it updates.
KEPT_WHEN_ABSENT = ("place", "topic", "chair", "status", "planned_participants")


def _movement(code: str, unit: Unit, found: _Lookups) -> Movement | None:
    if not code:
        return None
    movement = found.movements.get(code)
    if movement is None:
        raise movement_services.movement_not_found(code)
    services.require_serves_movement(movement, unit)
    return movement


def _programme(values: dict[str, Any], unit: Unit, found: _Lookups) -> Programme | None:
    code = values["programme"]
    if not code:
        return None
    programme = found.programmes.get(code)
    if programme is None:
        raise programme_services.programme_not_found(code)
    services.require_serves_programme(programme, unit, values["starts_at"])
    return programme


def _same(
    current: Activity, details: services.ActivityDetails, found: _Lookups, counts: dict[str, tuple[int, int]] | None
) -> bool:
    fields = (
        "title",
        "starts_at",
        "ends_at",
        "place",
        "topic",
        "chair",
        "status",
        "attendance_mode",
        "planned_participants",
    )
    if any(getattr(current, name) != getattr(details, name) for name in fields):
        return False
    if (current.kind_id, current.movement_id, current.programme_id) != (
        details.kind.pk,
        details.movement.pk if details.movement else None,
        details.programme.pk if details.programme else None,
    ):
        return False
    organisers = {u.pk for u in details.co_organisers} | {current.unit_id}
    if {u.pk for u in found.organisers.get(current.pk, [])} != organisers:
        return False
    return counts is None or found.headcounts.get(current.pk, {}) == counts


def apply_activities(plan: Plan, context: Context) -> None:
    for _number, unit, details, counts, current in context.counted(plan.payload):
        if current is None:
            activity = services.activity_create(actor=context.actor, unit=unit, details=details)
        else:
            activity = services.activity_update(
                actor=context.actor, activity=current, details=details, version=current.version
            )
        if counts is not None:
            services.headcounts_set(actor=context.actor, activity=activity, counts=counts)


# ---------------------------------------------------------------- attendance


@dataclass
class _AttendanceRow:
    row: Row
    unit_code: str
    reference: str
    member_code: str
    name: str
    category: str
    gender: str
    phone: str


def _read_attendance(row: Row, context: Context) -> _AttendanceRow | DomainError:
    values = row.values
    code = member_code_normalise(values["member_code"] or "")
    name = phone = category = gender = ""
    try:
        if not code:
            name = clean_str(values["full_name"], "full_name", NAME_MAX)
            if not name:
                raise DomainError(
                    _("Give the member code of a member, or the full name of a non-member."), field="member_code"
                )
            if not values["category"]:
                raise DomainError(_("The category of a non-member is required."), field="category")
            category, gender, phone = values["category"], values["gender"] or "", values["phone"] or ""
            if phone and not services.PHONE_RE.fullmatch(phone):
                raise DomainError(_("Enter a valid phone number."), field="phone")
    except DomainError as error:
        return error
    return _AttendanceRow(
        row=row,
        unit_code=_default_unit_code(row, context),
        reference=values["activity"],
        member_code=code,
        name=name,
        category=category,
        gender=gender,
        phone=phone,
    )


@dataclass
class _Roster:
    """The file's activities (those the actor may check people in at) and who is on their rosters."""

    units: dict[str, Unit]
    activities: dict[tuple[str, str], Activity]
    organiser_paths: dict[int, list[str]]
    # member code -> (person id, path of the unit of their open membership)
    members: dict[str, tuple[int, str]]
    present: set[tuple[int, str]]


def _roster(read: list[_AttendanceRow], context: Context) -> _Roster:
    units = _units({r.unit_code for r in read}, context, IMPORT)
    wanted = {(r.unit_code, r.reference) for r in read if r.unit_code in units}
    activities: dict[tuple[str, str], Activity] = {}
    if wanted:
        candidates = Activity.objects.filter(
            unit_id__in=sorted({units[code].pk for code, _r in wanted}),
            reference__in=sorted({reference for _code, reference in wanted}),
        ).select_related("unit")
        activities = {(a.unit.code, a.reference): a for a in candidates if (a.unit.code, a.reference) in wanted}
    ids = sorted(a.pk for a in activities.values())
    scope = scope_for(context.actor, CHECKIN)
    organiser_paths: dict[int, list[str]] = {}
    allowed: set[int] = set()
    for activity_id, unit_id, path in ActivityOrganiser.objects.filter(activity_id__in=ids).values_list(
        "activity_id", "unit_id", "unit__path"
    ):
        organiser_paths.setdefault(activity_id, []).append(path)
        if scope.covers(path=path, unit_id=unit_id):
            allowed.add(activity_id)
    # Checking in needs activity.checkin on one of the organisers: other activities are not found.
    activities = {key: a for key, a in activities.items() if a.pk in allowed}
    codes = sorted({r.member_code for r in read if r.member_code})
    members = {
        code: (person_id, path)
        for code, person_id, path in Membership.objects.filter(
            person__member_code__in=codes, status__in=OPEN_STATUSES
        ).values_list("person__member_code", "person_id", "unit__path")
    }
    present = set(Attendee.objects.filter(activity_id__in=sorted(allowed)).values_list("activity_id", "key").iterator())
    return _Roster(units, activities, organiser_paths, members, present)


def validate_attendance(rows: Iterator[Row], context: Context) -> Plan:
    _require_user(context)
    plan = Plan(payload=[])
    read: list[_AttendanceRow] = []
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        checked = _read_attendance(row, context)
        if isinstance(checked, DomainError):
            _domain_reject(row, plan, checked)
            continue
        read.append(checked)
    roster = _roster(read, context)
    seen: set[tuple[int, str]] = set()
    for item in read:
        op = _decide_attendance(item, plan, context, roster, seen)
        if op is not None:
            plan.payload.append(op)
    return plan


def _decide_attendance(
    item: _AttendanceRow, plan: Plan, context: Context, roster: _Roster, seen: set[tuple[int, str]]
) -> tuple | None:
    row = item.row
    if item.unit_code not in roster.units:
        _reject_unit(row, plan, item.unit_code, context)
        return None
    activity = roster.activities.get((item.unit_code, item.reference))
    if activity is None:
        message = _("Activity %(reference)s of unit %(code)s was not found among those you may check people in at.")
        plan.reject(row, row.error("activity", message % {"reference": item.reference, "code": item.unit_code}))
        return None
    if activity.attendance_mode != AttendanceMode.ROSTER:
        plan.reject(row, row.error("activity", _("This activity counts participants by category; it keeps no roster.")))
        return None
    if activity.status == ActivityStatus.CANCELLED:
        plan.reject(row, row.error("activity", _("This activity was cancelled.")))
        return None
    if item.member_code:
        # As at the door: a code resolves only among members under one of the organisers.
        person_id, path = roster.members.get(item.member_code, (None, ""))
        if person_id is None or not any(path.startswith(p) for p in roster.organiser_paths.get(activity.pk, [])):
            plan.reject(row, row.error("member_code", _("No member with code %(code)s.") % {"code": item.member_code}))
            return None
        key = services.member_key(person_id)
    else:
        key = services.guest_key(item.name, item.phone)
    if (activity.pk, key) in roster.present or (activity.pk, key) in seen:
        plan.add(row.number, Outcome.UNCHANGED)
        return None
    seen.add((activity.pk, key))
    plan.add(row.number, Outcome.NEW)
    if item.member_code:
        return (activity, person_id, None)
    return (activity, None, (item.name, item.category, item.gender, item.phone))


def apply_attendance(plan: Plan, context: Context) -> None:
    """Members are checked in by activity, a list at a time (set-wise); non-members one by one."""
    members: dict[int, list[int]] = {}
    activities: dict[int, Activity] = {}
    outcomes: list[str] = []
    for activity, person_id, guest in plan.payload:
        activities[activity.pk] = activity
        if person_id is not None:
            members.setdefault(activity.pk, []).append(person_id)
            continue
        name, category, gender, phone = guest
        done = services.check_in_guest(
            actor=context.actor,
            activity=activity,
            name=name,
            category=category,
            gender=gender,
            phone=phone,
            method=CheckInMethod.IMPORT,
        )
        outcomes.append(done.outcome)
        if len(outcomes) % 100 == 0:
            context.wrote(len(outcomes))
    for activity_id, ids in members.items():
        for start in range(0, len(ids), services.MAX_LIST_CHECKIN):
            chunk = ids[start : start + services.MAX_LIST_CHECKIN]
            people = Person.objects.in_bulk(chunk)
            done_list = services.check_in_people(
                actor=context.actor,
                activity=activities[activity_id],
                people=[people[pk] for pk in chunk],
                method=CheckInMethod.IMPORT,
            )
            outcomes.extend(done.outcome for done in done_list)
            context.wrote(len(outcomes))
    if any(outcome != CheckInOutcome.ADDED for outcome in outcomes):
        raise Conflict(
            _("The roster changed while the file was being checked; nothing was written. Import it again."),
            code="changed_meanwhile",
        )


ACTIVITIES_KIND = Kind(
    code=ACTIVITIES,
    label=_("activities"),
    action=IMPORT,
    columns=ACTIVITY_COLUMNS,
    validate=validate_activities,
    apply=apply_activities,
)
ATTENDANCE_KIND = Kind(
    code=ATTENDANCE,
    label=_("attendance"),
    action=IMPORT,
    columns=ATTENDANCE_COLUMNS,
    validate=validate_attendance,
    apply=apply_attendance,
)
