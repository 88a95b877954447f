"""Writes on activities: the activity with its organisers and speakers, attendance (roster or counts), files.

Every service is keyword-only, runs in one transaction, checks the actor's scope and writes an
audit entry per change. Recording, changing or deleting an activity, its counts and its files
needs `activity.change` on the recording unit; checking people in or out needs `activity.checkin`
on one of the organising units. An activity the actor does not see is "not found", one the actor
sees but may not act on is "forbidden". Check-ins of an unknown or already checked-in member are
outcomes returned to the door officer, not errors, and write nothing.

An activity is deleted only while nobody is on its roster and no other record (a workplace
dialogue or employee conference) hangs on it; its speakers, counts and files go with it.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record, record_many
from unionhall.core import uploads
from unionhall.core.cleaning import clean_count, clean_str
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_number
from unionhall.core.scoping import scope_for
from unionhall.core.text import clean_text, fold
from unionhall.members.choices import OPEN_STATUSES, Gender
from unionhall.members.codes import member_code_is_valid, member_code_normalise
from unionhall.members.models import Membership, Person
from unionhall.movements import services as movement_services
from unionhall.movements.models import Movement
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import Unit
from unionhall.programmes import services as programme_services
from unionhall.programmes.models import Programme

from .choices import (
    ActivityStatus,
    AttendanceMode,
    CheckInMethod,
    CheckInOutcome,
    FileKind,
    ParticipantCategory,
)
from .models import Activity, ActivityFile, ActivityKind, ActivityOrganiser, Attendee, Headcount, Speaker

VIEW, CHANGE, CHECKIN, IMPORT = "activity.view", "activity.change", "activity.checkin", "activity.import"
MOVEMENT_VIEW = "movement.view"
MAX_SPEAKERS = 50
MAX_CO_ORGANISERS = 50
MAX_PEOPLE = 10_000_000
MAX_LIST_CHECKIN = 500
MAX_FILES = 50
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_MAX_LENGTH = 20_000
_NOT_DIGITS = re.compile(r"\D")
# A non-member's phone number as typed: digits with spaces, dots or hyphens, maybe a leading +.
PHONE_RE = re.compile(r"\+?[0-9 .\-]{6,20}")


@dataclass(frozen=True)
class SpeakerDetails:
    name: str
    title: str = ""
    person: Person | None = None


@dataclass(frozen=True)
class ActivityDetails:
    """What the recording unit decides about an activity and may change later."""

    kind: ActivityKind
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str = ""
    topic: str = ""
    reference: str = ""
    movement: Movement | None = None
    programme: Programme | None = None
    chair: str = ""
    agenda: str = ""
    status: str = ActivityStatus.HELD
    attendance_mode: str = AttendanceMode.ROSTER
    planned_participants: int | None = None
    co_organisers: tuple[Unit, ...] = ()
    speakers: tuple[SpeakerDetails, ...] = ()


@dataclass(frozen=True)
class CheckIn:
    """The outcome of one check-in, with the message the door officer sees."""

    outcome: str
    message: str
    attendee: Attendee | None = None
    person: Person | None = None


# ---------------------------------------------------------------- keys


def member_key(person_id: int) -> str:
    """The roster key of a member: the same whichever way they were checked in."""
    return f"m:{person_id}"


def guest_key(name: str, phone: str) -> str:
    """The roster key of a non-member: the folded name and the digits of the phone."""
    return f"g:{fold(name)}:{_NOT_DIGITS.sub('', phone or '')}"[:250]


# ---------------------------------------------------------------- scope


def _organisers(activity: Activity) -> list[tuple[int, str]]:
    return list(
        ActivityOrganiser.objects.filter(activity_id=activity.pk).values_list("unit_id", "unit__path").order_by("pk")
    )


def activity_not_found() -> NotFound:
    return NotFound(_("Activity not found."), field="activity")


def _require_visible(actor: Any, activity: Activity) -> None:
    if not Activity.objects.visible_to(actor, VIEW).filter(pk=activity.pk).exists():
        raise activity_not_found()


def may_change(actor: Any, activity: Activity) -> bool:
    """True when the actor holds `activity.change` on the recording unit."""
    return scope_for(actor, CHANGE).covers(path=activity.unit.path, unit_id=activity.unit_id)


def may_check_in(actor: Any, activity: Activity, organisers: list[tuple[int, str]] | None = None) -> bool:
    """True when the actor holds `activity.checkin` on one of the organising units."""
    scope = scope_for(actor, CHECKIN)
    if scope.empty:
        return False
    rows = _organisers(activity) if organisers is None else organisers
    return any(scope.covers(path=path, unit_id=unit_id) for unit_id, path in rows)


def _lock(activity: Activity) -> Activity:
    found = Activity.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=activity.pk).first()
    if found is None:
        raise activity_not_found()
    return found


def _require_change(actor: Any, activity: Activity) -> None:
    if may_change(actor, activity):
        return
    _require_visible(actor, activity)
    raise Forbidden(
        _("Only the recording unit %(code)s changes this activity.") % {"code": activity.unit.code}, field="activity"
    )


def _require_checkin(actor: Any, activity: Activity) -> list[tuple[int, str]]:
    """The organisers (id, path), when the actor may check people in; otherwise not found or forbidden."""
    organisers = _organisers(activity)
    if may_check_in(actor, activity, organisers):
        return organisers
    _require_visible(actor, activity)
    raise Forbidden(_("You may not check people in at this activity."), field="activity")


def _require_roster(activity: Any) -> None:
    if activity.attendance_mode != AttendanceMode.ROSTER:
        raise DomainError(
            _("This activity counts participants by category; it keeps no roster."),
            field="attendance_mode",
            code="not_roster",
        )
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("This activity was cancelled."), field="status", code="cancelled")


# ---------------------------------------------------------------- activities


def _clean_moment(value: Any, field: str, *, required: bool) -> dt.datetime | None:
    if value is None:
        if required:
            raise DomainError(_("This date and time is required."), field=field, code="required")
        return None
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise DomainError(_("Enter a valid date and time."), field=field)
    if value.year < 1900:
        raise DomainError(_("The date is too far in the past."), field=field)
    return value


def _clean_speakers(speakers: Sequence[SpeakerDetails]) -> list[SpeakerDetails]:
    if len(speakers) > MAX_SPEAKERS:
        raise DomainError(_("At most %(max)s speakers.") % {"max": MAX_SPEAKERS}, field="speakers")
    return [
        SpeakerDetails(
            name=clean_str(s.name, "speakers", 200, required=True),
            title=clean_str(s.title, "speakers", 200),
            person=s.person,
        )
        for s in speakers
    ]


def _clean_co_organisers(unit: Unit, co_organisers: Sequence[Unit]) -> list[Unit]:
    """Other organising units: active, each once, without the recording unit (partners outside scope allowed)."""
    units = [u for u in {u.pk: u for u in co_organisers}.values() if u.pk != unit.pk]
    if len(units) > MAX_CO_ORGANISERS:
        raise DomainError(_("At most %(max)s co-organisers.") % {"max": MAX_CO_ORGANISERS}, field="co_organisers")
    for other in units:
        if other.pk is None or not Unit.objects.filter(pk=other.pk).exists():
            raise unit_not_found(other, "co_organisers")
        require_active_unit(other, "co_organisers")
    return sorted(units, key=lambda u: u.path)


def require_serves_movement(movement: Movement, unit: Unit) -> None:
    """An activity of `unit` may serve the movement: the unit takes part in it, or launched it (the launcher
    organises its launch and review conferences even when the movement lists other units)."""
    if unit.pk != movement.launcher_id and not movement_services.takes_part(movement, unit):
        raise DomainError(
            _("Unit %(code)s does not take part in the movement %(movement)s.")
            % {"code": unit.code, "movement": movement.code},
            field="movement",
        )


def require_serves_programme(programme: Programme, unit: Unit, starts_at: dt.datetime) -> None:
    """An activity of `unit` starting at `starts_at` may serve the programme: a party's, inside its period."""
    if not programme_services.takes_part(programme, unit):
        raise DomainError(
            _("Unit %(code)s is not a party to the programme %(programme)s.")
            % {"code": unit.code, "programme": programme.code},
            field="programme",
        )
    if not programme_services.in_period(programme, timezone.localtime(starts_at).date()):
        raise DomainError(
            _("The activity's date is outside the programme's period (%(period)s).")
            % {"period": programme_services.period_text(programme)},
            field="programme",
            code="outside_period",
        )


def _clean_details(actor: Any, unit: Unit, details: ActivityDetails, *, new: bool) -> ActivityDetails:
    kind = details.kind
    if not isinstance(kind, ActivityKind) or kind.pk is None or (new and not kind.active):
        raise DomainError(_("Choose a kind of activity."), field="kind")
    title = clean_str(details.title, "title", 300, required=True)
    starts_at = _clean_moment(details.starts_at, "starts_at", required=True)
    ends_at = _clean_moment(details.ends_at, "ends_at", required=False)
    assert starts_at is not None
    if ends_at is not None and ends_at < starts_at:
        raise DomainError(
            _("The activity ends before it starts."),
            field="ends_at",
            code="dates_out_of_order",
        )
    if details.status not in ActivityStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    if details.attendance_mode not in AttendanceMode.values:
        raise DomainError(_("Choose how attendance is kept."), field="attendance_mode")
    planned = details.planned_participants
    if planned is not None:
        planned = clean_count(planned, field="planned_participants", maximum=MAX_PEOPLE)
    movement = details.movement
    if movement is not None:
        if not Movement.objects.visible_to(actor, MOVEMENT_VIEW).filter(pk=movement.pk).exists():
            raise movement_services.movement_not_found(movement.code)
        require_serves_movement(movement, unit)
    programme = details.programme
    if programme is not None:
        require_serves_programme(programme, unit, starts_at)
    return ActivityDetails(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=clean_str(details.place, "place", 300),
        topic=clean_str(details.topic, "topic", TEXT_MAX_LENGTH),
        reference=clean_str(details.reference, "reference", 60),
        movement=movement,
        programme=programme,
        chair=clean_str(details.chair, "chair", 200),
        agenda=clean_str(details.agenda, "agenda", TEXT_MAX_LENGTH),
        status=details.status,
        attendance_mode=details.attendance_mode,
        planned_participants=planned,
        co_organisers=tuple(_clean_co_organisers(unit, details.co_organisers)),
        speakers=tuple(_clean_speakers(details.speakers)),
    )


def _require_reference_free(unit: Unit, reference: str, activity: Activity | None = None) -> None:
    if not reference:
        return
    taken = Activity.objects.filter(unit=unit, reference=reference)
    if activity is not None:
        taken = taken.exclude(pk=activity.pk)
    if taken.exists():
        raise Conflict(
            _("Unit %(code)s already recorded an activity numbered %(reference)s.")
            % {"code": unit.code, "reference": reference},
            field="reference",
            code="duplicate_reference",
        )


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    """The audited state of an activity: its fields, organisers and speakers."""
    return {
        "kind": activity.kind.code,
        "unit": activity.unit.code,
        "title": activity.title,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place": activity.place,
        "topic": activity.topic,
        "reference": activity.reference,
        "movement_id": activity.movement_id,
        "programme_id": activity.programme_id,
        "chair": activity.chair,
        "agenda": activity.agenda,
        "status": activity.status,
        "attendance_mode": activity.attendance_mode,
        "planned_participants": activity.planned_participants,
        "organisers": list(
            ActivityOrganiser.objects.filter(activity_id=activity.pk)
            .order_by("unit__code")
            .values_list("unit__code", flat=True)
        ),
        "speakers": [
            [s.name, s.title, s.person_id] for s in Speaker.objects.filter(activity_id=activity.pk).order_by("position")
        ],
    }


def _assign(activity: Activity, values: ActivityDetails) -> None:
    activity.kind = values.kind
    activity.title = values.title
    activity.starts_at = values.starts_at
    activity.ends_at = values.ends_at
    activity.place = values.place
    activity.topic = values.topic
    activity.reference = values.reference
    activity.movement = values.movement
    activity.programme = values.programme
    activity.chair = values.chair
    activity.agenda = values.agenda
    activity.status = values.status
    activity.attendance_mode = values.attendance_mode
    activity.planned_participants = values.planned_participants


def _write_rows(activity: Activity, values: ActivityDetails) -> None:
    """Organisers (the recording unit and the co-organisers) and speakers, replaced by the given ones."""
    wanted = {activity.unit_id, *(u.pk for u in values.co_organisers)}
    ActivityOrganiser.objects.filter(activity=activity).exclude(unit_id__in=wanted).delete()
    present = set(ActivityOrganiser.objects.filter(activity=activity).values_list("unit_id", flat=True))
    ActivityOrganiser.objects.bulk_create(
        [ActivityOrganiser(activity=activity, unit_id=pk) for pk in sorted(wanted - present)]
    )
    Speaker.objects.filter(activity=activity).delete()
    Speaker.objects.bulk_create(
        [
            Speaker(activity=activity, position=i, name=s.name, title=s.title, person=s.person)
            for i, s in enumerate(values.speakers)
        ]
    )


@transaction.atomic
def activity_create(*, actor: Any, unit: Unit, details: ActivityDetails) -> Activity:
    """Record an activity organised by `unit` (and its co-organisers); needs `activity.change` on `unit`."""
    if not scope_for(actor, CHANGE).covers(path=unit.path, unit_id=unit.pk):
        raise unit_not_found(unit)
    require_active_unit(unit)
    values = _clean_details(actor, unit, details, new=True)
    _require_reference_free(unit, values.reference)
    activity = Activity(unit=unit)
    _assign(activity, values)
    activity.save()
    _write_rows(activity, values)
    record(actor=actor, action="activity.create", obj=activity, after=activity_snapshot(activity))
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, details: ActivityDetails, version: int) -> Activity:
    """Change an activity; `version` guards against a lost update. The recording unit stays."""
    activity = _lock(activity)
    _require_change(actor, activity)
    if activity.version != version:
        raise Conflict(_("Someone else changed this activity meanwhile. Reload the page and try again."), code="stale")
    values = _clean_details(actor, activity.unit, details, new=details.kind.pk != activity.kind_id)
    if values.attendance_mode != activity.attendance_mode and (
        Attendee.objects.filter(activity=activity).exists() or Headcount.objects.filter(activity=activity).exists()
    ):
        raise DomainError(
            _("Attendance is already recorded; remove it before changing how attendance is kept."),
            field="attendance_mode",
            code="mode_in_use",
        )
    _require_reference_free(activity.unit, values.reference, activity)
    before = activity_snapshot(activity)
    _assign(activity, values)
    _write_rows(activity, values)
    after = activity_snapshot(activity)
    if after == before:
        return activity
    activity.version = F("version") + 1
    activity.save()
    activity.refresh_from_db()
    record(actor=actor, action="activity.update", obj=activity, before=before, after=after)
    return activity


def activity_touch(activity: Activity) -> None:
    """The activity changed through a record attached to it (a workplace dialogue): its version moves, so forms
    opened before go stale. The attaching app's service has checked the actor and writes the audit entry."""
    Activity.objects.filter(pk=activity.pk).update(version=F("version") + 1, updated_at=timezone.now())


def _attached_records(activity: Activity) -> list[str]:
    """The names of records other apps attach one-to-one to the activity (a workplace dialogue, ...)."""
    names = []
    for relation in Activity._meta.related_objects:
        if (
            relation.one_to_one
            and relation.related_model._default_manager.filter(**{relation.field.name: activity}).exists()
        ):
            names.append(str(relation.related_model._meta.verbose_name))
    return names


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    """Delete an activity with nobody on its roster and no record attached (see the module docstring)."""
    activity = _lock(activity)
    _require_change(actor, activity)
    if Attendee.objects.filter(activity=activity).exists():
        raise Conflict(
            _("People are checked in at this activity; remove them before deleting it."), code="has_attendees"
        )
    attached = _attached_records(activity)
    if attached:
        raise Conflict(
            _("A record is attached to this activity (%(what)s); delete that first.") % {"what": ", ".join(attached)},
            code="has_records",
        )
    before = activity_snapshot(activity)
    stored = list(ActivityFile.objects.filter(activity=activity).values_list("file", flat=True))
    record(actor=actor, action="activity.delete", obj=activity, before=before)
    activity.delete()
    transaction.on_commit(lambda: _delete_stored(stored))


def _delete_stored(names: list[str]) -> None:
    storage = ActivityFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


# ---------------------------------------------------------------- check-ins


def _member_message(template: Any, person: Person) -> str:
    return str(template % {"name": person.full_name, "code": person.member_code})


def _normalise_code(raw: Any) -> str:
    """A member code as scanned or typed, in its stored form; blank when it is not text at all."""
    try:
        return member_code_normalise(clean_text(raw if isinstance(raw, str) else ""))[:40]
    except DomainError:
        return ""


def _unknown(code: str) -> CheckIn:
    return CheckIn(
        CheckInOutcome.UNKNOWN,
        str(_("No member with code %(code)s.") % {"code": code[:40]}) if code else str(_("Enter a member code.")),
    )


def _attendee_after(attendee: Attendee) -> dict[str, Any]:
    return {
        "activity_id": attendee.activity_id,
        "person_id": attendee.person_id,
        "unit_id": attendee.unit_id,
        "name": attendee.name,
        "category": attendee.category,
        "gender": attendee.gender,
        "method": attendee.method,
        "checked_in_at": attendee.checked_in_at,
    }


def _count(activity: Activity, people: int, women: int) -> None:
    """Add to the activity's kept totals, in the database (concurrent doors add up)."""
    if people or women:
        table = Activity._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET participants = participants + %s, women = women + %s WHERE id = %s",  # noqa: S608 - table name only
                [people, women, activity.pk],
            )


def _within(path: str, organisers: list[tuple[int, str]]) -> bool:
    return any(path.startswith(organiser_path) for _unit_id, organiser_path in organisers)


def _clean_method(method: str, allowed: tuple[str, ...]) -> str:
    if method not in allowed:
        raise DomainError(_("Choose how the person was checked in."), field="method")
    return method


def _member_attendee(
    activity: Activity, person: Person, unit_id: int, method: str, at: dt.datetime, actor: Any
) -> Attendee:
    return Attendee(
        activity=activity,
        key=member_key(person.pk),
        person=person,
        unit_id=unit_id,
        category=ParticipantCategory.MEMBER,
        gender=person.gender,
        method=method,
        checked_in_at=at,
        recorded_by=getattr(actor, "pk", None),
    )


# Roster rows per INSERT: 11 parameters each, under SQLite's limit of 32,766.
INSERT_CHUNK = 1_000
_ATTENDEE_COLUMNS = (
    "activity_id",
    "key",
    "person_id",
    "unit_id",
    "name",
    "phone",
    "category",
    "gender",
    "method",
    "checked_in_at",
    "recorded_by",
)


def _row(attendee: Attendee) -> list[Any]:
    values = []
    for column in _ATTENDEE_COLUMNS:
        field = Attendee._meta.get_field(column)
        assert isinstance(field, models.Field)
        values.append(field.get_db_prep_save(getattr(attendee, field.attname), connection))
    return values


def _insert_unless_present(attendees: Sequence[Attendee]) -> list[Attendee]:
    """Insert the roster rows of the people not on the roster yet; the unique key decides, in one statement.

    Returns the rows inserted, with their `pk` set; the others were checked in before, even a moment
    ago at another door. At most `INSERT_CHUNK` rows at a time (SQLite's limit on parameters).
    """
    if not attendees:
        return []
    by_key = {a.key: a for a in attendees}
    inserted = []
    for start in range(0, len(attendees), INSERT_CHUNK):
        chunk = attendees[start : start + INSERT_CHUNK]
        table, columns = Attendee._meta.db_table, ", ".join(_ATTENDEE_COLUMNS)
        marks = ", ".join(["(" + ", ".join(["%s"] * len(_ATTENDEE_COLUMNS)) + ")"] * len(chunk))
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {marks}"  # noqa: S608 - table and column names only
            " ON CONFLICT (activity_id, key) DO NOTHING RETURNING id, key"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for a in chunk for value in _row(a)])
            rows = cursor.fetchall()
        for pk, key in rows:
            attendee = by_key[key]
            attendee.pk = pk
            attendee._state.adding = False
            inserted.append(attendee)
    return inserted


@dataclass(frozen=True)
class _Door:
    """What a check-in needs to know of its activity, and of the member whose code was given, read in one query."""

    attendance_mode: str
    status: str
    organisers: list[tuple[int, str]]
    unit_id: int
    unit_path: str
    # The member's open membership (unit id, unit path, person id, full name, gender), if the code names one.
    home: tuple[int, str, int, str, str] | None


def _door_sql() -> str:
    activity, organiser, unit = Activity._meta.db_table, ActivityOrganiser._meta.db_table, Unit._meta.db_table
    person, membership = Person._meta.db_table, Membership._meta.db_table
    return (
        "SELECT o.unit_id, ou.path, a.attendance_mode, a.status, a.unit_id, au.path,"  # noqa: S608 - table names only
        " h.unit_id, h.path, h.id, h.full_name, h.gender"
        f" FROM {organiser} o JOIN {unit} ou ON ou.id = o.unit_id JOIN {activity} a ON a.id = o.activity_id"
        f" JOIN {unit} au ON au.id = a.unit_id"
        " LEFT JOIN (SELECT m.unit_id, u.path, p.id, p.full_name, p.gender"
        f" FROM {person} p JOIN {membership} m ON m.person_id = p.id JOIN {unit} u ON u.id = m.unit_id"
        " WHERE p.member_code = %s AND m.status IN (%s, %s) ORDER BY m.id LIMIT 1) h ON 1 = 1"
        " WHERE o.activity_id = %s"
    )


def _door(actor: Any, activity: Activity, code: str = "") -> _Door:
    # The door's read is hand-written: the ORM would spend longer building it than the database answering.
    with connection.cursor() as cursor:
        cursor.execute(_door_sql(), [code, *OPEN_STATUSES, activity.pk])
        rows = cursor.fetchall()
    if not rows:
        raise activity_not_found()
    first = rows[0]
    home = (first[6], first[7], first[8], first[9], first[10]) if first[8] is not None else None
    door = _Door(first[2], first[3], [(r[0], r[1]) for r in rows], first[4], first[5], home)
    scope = scope_for(actor, CHECKIN)
    if not any(scope.covers(path=path, unit_id=unit_id) for unit_id, path in door.organisers):
        _require_visible(actor, activity)
        raise Forbidden(_("You may not check people in at this activity."), field="activity")
    return door


@transaction.atomic
def check_in_member(
    *, actor: Any, activity: Activity, member_code: str, method: str = CheckInMethod.CODE, at: dt.datetime | None = None
) -> CheckIn:
    """Check a member in by code (typed, scanned from the card's QR, or from a file).

    The code resolves only among members with an open membership under one of the organisers;
    anything else is "unknown". Unknown and already checked in are returned and write nothing.
    This is the door's hot path: a handful of lean queries, no lock (the roster's unique key and
    the F() counters keep concurrent check-ins right).
    """
    code = _normalise_code(member_code)
    valid = member_code_is_valid(code)
    door = _door(actor, activity, code if valid else "")
    _require_roster(door)
    method = _clean_method(method, (CheckInMethod.CODE, CheckInMethod.QR, CheckInMethod.IMPORT))
    at = _clean_moment(at or timezone.now(), "at", required=True)
    assert at is not None
    found = door.home
    if not valid or found is None or not _within(found[1], door.organisers):
        return _unknown(code)
    unit_id, _path, person_id, full_name, gender = found
    # The person with the fields read here; any other field loads on first use.
    person = Person.from_db(
        "default", ["id", "full_name", "gender", "member_code"], [person_id, full_name, gender, code]
    )
    attendee = _member_attendee(activity, person, unit_id, method, at, actor)
    if not _insert_unless_present([attendee]):
        return CheckIn(
            CheckInOutcome.ALREADY,
            _member_message(_("%(name)s (%(code)s) is already checked in."), person),
            Attendee.objects.get(activity_id=activity.pk, key=attendee.key),
            person,
        )
    _count(activity, 1, 1 if gender == Gender.FEMALE else 0)
    record_many(
        actor=actor,
        action="activity.checkin",
        changes=[Change(obj=attendee, after=_attendee_after(attendee), unit_id=door.unit_id, unit_path=door.unit_path)],
    )
    return CheckIn(
        CheckInOutcome.ADDED, _member_message(_("%(name)s (%(code)s) checked in."), person), attendee, person
    )


@transaction.atomic
def check_in_people(
    *, actor: Any, activity: Activity, people: Sequence[Person], method: str = CheckInMethod.LIST
) -> list[CheckIn]:
    """Check several members in at once (ticked on a list, or from a file); one outcome per person, in order."""
    method = _clean_method(method, (CheckInMethod.LIST, CheckInMethod.IMPORT, CheckInMethod.CODE, CheckInMethod.QR))
    return _check_in_many(actor, activity, [(p.member_code, p) for p in people], method)


@transaction.atomic
def check_in_codes(
    *, actor: Any, activity: Activity, codes: Sequence[str], method: str = CheckInMethod.QR
) -> list[CheckIn]:
    """Check in the members whose codes a door read in the last moment, together (the camera page sends its
    queue of scans every second); one outcome per code, in order, as `check_in_member` gives them one by one."""
    method = _clean_method(method, (CheckInMethod.CODE, CheckInMethod.QR, CheckInMethod.IMPORT))
    if len(codes) > MAX_LIST_CHECKIN:
        raise DomainError(_("At most %(max)s people at once.") % {"max": MAX_LIST_CHECKIN}, field="codes")
    cleaned = [_normalise_code(raw) for raw in codes]
    wanted = sorted({c for c in cleaned if member_code_is_valid(c)})
    found = {
        p.member_code: p
        for p in Person.objects.filter(member_code__in=wanted).only("id", "full_name", "gender", "member_code")
    }
    return _check_in_many(actor, activity, [(c, found.get(c)) for c in cleaned], method)


def _check_in_many(
    actor: Any, activity: Activity, entries: Sequence[tuple[str, Person | None]], method: str
) -> list[CheckIn]:
    """The members of `entries` (code shown, person or None when the code names nobody) on the roster, set-wise."""
    activity = _lock(activity)
    organisers = _require_checkin(actor, activity)
    _require_roster(activity)
    if len(entries) > MAX_LIST_CHECKIN:
        raise DomainError(_("At most %(max)s people at once.") % {"max": MAX_LIST_CHECKIN}, field="people")
    ids = sorted({p.pk for _code, p in entries if p is not None})
    homes = {
        person_id: unit_id
        for person_id, unit_id, path in Membership.objects.filter(person_id__in=ids, status__in=OPEN_STATUSES)
        .values_list("person_id", "unit_id", "unit__path")
        .iterator()
        if _within(path, organisers)
    }
    present = {a.key: a for a in Attendee.objects.filter(activity=activity, key__in=[member_key(pk) for pk in homes])}
    at = timezone.now()
    outcomes: list[CheckIn] = []
    added: list[Attendee] = []
    for code, person in entries:
        if person is None or person.pk not in homes:
            outcomes.append(_unknown(code))
            continue
        key = member_key(person.pk)
        if key in present:
            message = _member_message(_("%(name)s (%(code)s) is already checked in."), person)
            outcomes.append(CheckIn(CheckInOutcome.ALREADY, message, present[key], person))
        else:
            attendee = _member_attendee(activity, person, homes[person.pk], method, at, actor)
            present[key] = attendee
            added.append(attendee)
            message = _member_message(_("%(name)s (%(code)s) checked in."), person)
            outcomes.append(CheckIn(CheckInOutcome.ADDED, message, attendee, person))
    inserted = {a.key for a in _insert_unless_present(added)}
    if len(inserted) < len(added):
        # Checked in at a door between the read above and the insert: "already", as at the door.
        late = {
            a.key: a
            for a in Attendee.objects.filter(activity=activity, key__in=[a.key for a in added if a.key not in inserted])
        }
        outcomes = [
            CheckIn(
                CheckInOutcome.ALREADY,
                _member_message(_("%(name)s (%(code)s) is already checked in."), o.person),
                late[o.attendee.key],
                o.person,
            )
            if o.attendee is not None
            and o.outcome == CheckInOutcome.ADDED
            and o.attendee.key not in inserted
            and o.person is not None
            else o
            for o in outcomes
        ]
        added = [a for a in added if a.key in inserted]
    if added:
        _count(activity, len(added), sum(1 for a in added if a.gender == Gender.FEMALE))
        record_many(
            actor=actor,
            action="activity.checkin",
            changes=[Change(obj=a, after=_attendee_after(a)) for a in added],
        )
    return outcomes


@transaction.atomic
def check_in_guest(
    *,
    actor: Any,
    activity: Activity,
    name: str,
    category: str,
    gender: str = "",
    phone: str = "",
    method: str = CheckInMethod.NAME,
) -> CheckIn:
    """Check a non-member in by name and category; the same name and phone twice is "already checked in"."""
    activity = _lock(activity)
    _require_checkin(actor, activity)
    _require_roster(activity)
    method = _clean_method(method, (CheckInMethod.NAME, CheckInMethod.IMPORT))
    name = clean_str(name, "name", 200, required=True)
    if category not in ParticipantCategory.values:
        raise DomainError(_("Choose a category."), field="category")
    if gender and gender not in Gender.values:
        raise DomainError(_("Choose a gender."), field="gender")
    phone = clean_str(phone, "phone", 20)
    if phone and not PHONE_RE.fullmatch(phone):
        raise DomainError(_("Enter a valid phone number."), field="phone")
    key = guest_key(name, phone)
    existing = Attendee.objects.filter(activity=activity, key=key).first()
    if existing is not None:
        return CheckIn(
            CheckInOutcome.ALREADY, str(_("%(name)s is already checked in.") % {"name": existing.name}), existing
        )
    attendee = Attendee(
        activity=activity,
        key=key,
        name=name,
        phone=phone,
        category=category,
        gender=gender,
        method=method,
        checked_in_at=timezone.now(),
        recorded_by=getattr(actor, "pk", None),
    )
    attendee.save(force_insert=True)
    _count(activity, 1, 1 if gender == Gender.FEMALE else 0)
    record(actor=actor, action="activity.checkin", obj=attendee, after=_attendee_after(attendee))
    return CheckIn(CheckInOutcome.ADDED, str(_("%(name)s checked in.") % {"name": name}), attendee)


@transaction.atomic
def attendee_remove(*, actor: Any, activity: Activity, attendee: Attendee) -> None:
    """Take someone off the roster (checked in by mistake)."""
    activity = _lock(activity)
    _require_checkin(actor, activity)
    found = Attendee.objects.filter(pk=attendee.pk, activity=activity).first()
    if found is None:
        raise NotFound(_("This person is not on the roster."), field="attendee")
    before = _attendee_after(found)
    record(actor=actor, action="activity.checkout", obj=found, before=before)
    found.delete()
    _count(activity, -1, -1 if before["gender"] == Gender.FEMALE else 0)


# ---------------------------------------------------------------- counts


@transaction.atomic
def headcounts_set(*, actor: Any, activity: Activity, counts: Mapping[str, tuple[int, int]]) -> Activity:
    """Set the counted participants (total, women) per category; categories left out are cleared."""
    activity = _lock(activity)
    _require_change(actor, activity)
    if activity.attendance_mode != AttendanceMode.COUNTED:
        raise DomainError(
            _("This activity keeps a roster; participants are checked in, not counted."),
            field="attendance_mode",
            code="not_counted",
        )
    cleaned: dict[str, tuple[int, int]] = {}
    for category, pair in counts.items():
        if category not in ParticipantCategory.values:
            raise DomainError(_("Choose a category."), field="category")
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise DomainError(_("Give the participants and the women among them."), field=f"{category}_total")
        total = clean_count(pair[0], field=f"{category}_total", maximum=MAX_PEOPLE)
        women = clean_count(pair[1], field=f"{category}_women", maximum=MAX_PEOPLE)
        if women > total:
            raise DomainError(
                _("The women (%(women)s) cannot outnumber the participants (%(total)s).")
                % {"women": format_number(women), "total": format_number(total)},
                field=f"{category}_women",
                code="women_over_total",
            )
        if total:
            cleaned[category] = (total, women)
    before = {h.category: [h.total, h.women] for h in Headcount.objects.filter(activity=activity)}
    after = {category: [total, women] for category, (total, women) in sorted(cleaned.items())}
    if before == after:
        return activity
    Headcount.objects.filter(activity=activity).delete()
    Headcount.objects.bulk_create(
        [Headcount(activity=activity, category=c, total=t, women=w) for c, (t, w) in sorted(cleaned.items())]
    )
    activity.participants = sum(t for t, _w in cleaned.values())
    activity.women = sum(w for _t, w in cleaned.values())
    activity.save(update_fields=["participants", "women", "updated_at"])
    record(actor=actor, action="activity.headcounts", obj=activity, before={"counts": before}, after={"counts": after})
    return activity


# ---------------------------------------------------------------- files


def max_file_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "ACTIVITIES_FILE_MAX_BYTES", DEFAULT_MAX_FILE_BYTES))


@transaction.atomic
def file_attach(
    *, actor: Any, activity: Activity, upload: IO[bytes] | File, kind: str, caption: str = ""
) -> ActivityFile:
    """Attach a document or the minutes (PDF, DOCX, XLSX, PNG, JPEG) or a photo (PNG, JPEG), sniffed from content."""
    activity = _lock(activity)
    _require_change(actor, activity)
    if kind not in FileKind.values:
        raise DomainError(_("Choose what the file is."), field="kind")
    caption = clean_str(caption, "caption", 300)
    size = uploads.file_size(upload)
    if not size:
        raise DomainError(_("The file is empty."), field="file", code="empty_file")
    if size > max_file_bytes():
        raise DomainError(
            _("The file is too large: at most %(max)s MB.") % {"max": format_number(max_file_bytes() // 2**20)},
            field="file",
            code="file_too_large",
        )
    content_type = uploads.sniff(upload)
    if kind == FileKind.PHOTO and content_type not in uploads.IMAGE_TYPES:
        raise DomainError(
            _("Only PNG and JPEG pictures can be added as photos; this file is neither."),
            field="file",
            code="file_type",
        )
    if content_type is None:
        raise DomainError(
            _("Only PDF, DOCX, XLSX, PNG and JPEG files can be attached; this file is none of them."),
            field="file",
            code="file_type",
        )
    if ActivityFile.objects.filter(activity=activity).count() >= MAX_FILES:
        raise DomainError(_("An activity has at most %(max)s files.") % {"max": MAX_FILES}, field="file")
    original = uploads.original_name(getattr(upload, "name", "") or "")
    attached = ActivityFile(
        activity=activity, kind=kind, original_name=original, size=size, content_type=content_type, caption=caption
    )
    attached.file.save(original, upload if isinstance(upload, File) else File(upload), save=False)
    stored = attached.file.name or ""
    try:
        attached.save()
        record(
            actor=actor,
            action="activity.file_attach",
            obj=attached,
            after={
                "activity_id": activity.pk,
                "kind": kind,
                "name": original,
                "size": size,
                "content_type": content_type,
                "caption": caption,
            },
        )
    except Exception:
        attached.file.storage.delete(stored)
        raise
    return attached


@transaction.atomic
def file_remove(*, actor: Any, activity: Activity, file: ActivityFile) -> None:
    activity = _lock(activity)
    _require_change(actor, activity)
    found = ActivityFile.objects.filter(pk=file.pk, activity=activity).first()
    if found is None:
        raise NotFound(_("File not found."), field="file")
    stored = found.file.name or ""
    record(
        actor=actor,
        action="activity.file_remove",
        obj=found,
        before={
            "activity_id": activity.pk,
            "kind": found.kind,
            "name": found.original_name,
            "size": found.size,
            "content_type": found.content_type,
            "caption": found.caption,
        },
    )
    found.delete()
    transaction.on_commit(lambda: _delete_stored([stored]))
