"""Writes on movements, their milestones and registrations (pledges).

Every service is keyword-only, runs in one transaction, checks the actor's scope and writes an
audit entry. Running a movement (changing, closing, adding or holding a milestone) needs
`movement.change` on the launcher; a movement the actor does not see is "not found", one the actor
sees but may not run is "forbidden". Registering or withdrawing a pledge needs `movement.change` on
the registering unit, which must take part in the movement.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import record
from unionhall.core.cleaning import SLUG_MAX_LENGTH, clean_date, clean_slug, clean_str, not_future
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_date
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.core.text import clean_text
from unionhall.members.models import Membership, Person
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import Unit

from .choices import MilestoneKind, MovementKind, MovementScope, MovementStatus
from .models import Milestone, Movement, Registration
from .querysets import granted_paths

VIEW = "movement.view"
CHANGE = "movement.change"
UNIT_VIEW = "unit.view"
TITLE_CODE_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
CODE_MAX_LENGTH = SLUG_MAX_LENGTH
# Path segments of the movement pages that a code would shadow.
RESERVED_CODES = frozenset({"new"})
TITLE_CODE_MAX_LENGTH = 50
MAX_TITLES = 20
MAX_LISTED_UNITS = 500
MAX_INITIATIVES_PLEDGED = 100_000
CRITERIA_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 2_000
LATEST_DATE = dt.date(9999, 12, 31)
# An open-ended movement takes pledges up to the coming year; later ones are typing mistakes.
OPEN_ENDED_YEARS_AHEAD = 1


@dataclass(frozen=True)
class MovementDetails:
    """What a movement's launcher decides and may change later."""

    title: str
    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    scope: str = MovementScope.SUBTREE
    units: Sequence[Unit] = field(default_factory=tuple)
    criteria: str = ""


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _covers(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def movement_not_found(code: str) -> NotFound:
    return NotFound(_("Movement %(code)s was not found.") % {"code": code}, field="movement")


def _lock_movement(movement: Movement) -> Movement:
    return Movement.objects.select_for_update(of=("self",)).select_related("launcher").get(pk=movement.pk)


def _require_visible(actor: Any, movement: Movement) -> None:
    if not Movement.objects.visible_to(actor, VIEW).filter(pk=movement.pk).exists():
        raise movement_not_found(movement.code)


def may_run(actor: Any, movement: Movement) -> bool:
    """True when the actor holds `movement.change` on the movement's launcher."""
    return _covers(actor, CHANGE, movement.launcher)


def may_register(actor: Any, movement: Movement) -> bool:
    """True when the actor holds `movement.change` on some unit that takes part in the movement."""
    scope = scope_for(actor, CHANGE)
    if scope.empty:
        return False
    if scope.everything:
        return True
    granted = granted_paths(scope)
    taking_part = movement.units.all() if movement.scope == MovementScope.LISTED else [movement.launcher]
    return any(
        scope.covers(path=unit.path, unit_id=unit.pk) or any(path.startswith(unit.path) for path in granted)
        for unit in taking_part
    )


def _require_run(actor: Any, movement: Movement) -> None:
    """The actor may run the movement; otherwise "not found" (unseen) or "forbidden" (seen only)."""
    if may_run(actor, movement):
        return
    _require_visible(actor, movement)
    raise Forbidden(
        _("Only the launching unit %(code)s runs this movement.") % {"code": movement.launcher.code},
        field="movement",
    )


def _require_open(movement: Movement) -> None:
    if movement.status == MovementStatus.CLOSED:
        raise DomainError(_("Movement %(code)s is closed.") % {"code": movement.code}, code="closed", field="movement")


def takes_part(movement: Movement, unit: Unit, listed: Iterable[Unit] | None = None) -> bool:
    """True when `unit` is inside the movement's scope: the launcher's subtree, or a listed unit's."""
    if movement.scope == MovementScope.LISTED:
        units = movement.units.all() if listed is None else listed
        return any(unit.path.startswith(u.path) for u in units)
    return unit.path.startswith(movement.launcher.path)


def _taking_part_q(launcher: Unit, scope: str, listed: Iterable[Unit]) -> Q:
    """Rows whose unit takes part, as a filter on `unit__path`."""
    if scope == MovementScope.LISTED:
        q = Q(pk__in=[])
        for unit in listed:
            q |= subtree_q("unit__path", unit.path)
        return q
    return subtree_q("unit__path", launcher.path)


def period_years(movement: Movement, *, today: dt.date) -> tuple[int, int]:
    """The first and last year pledges may be registered for."""
    last = movement.end_date.year if movement.end_date else today.year + OPEN_ENDED_YEARS_AHEAD
    return movement.start_date.year, max(last, movement.start_date.year)


def _status_for(start_date: dt.date, today: dt.date) -> str:
    return MovementStatus.RUNNING if start_date <= today else MovementStatus.PLANNED


def movement_snapshot(movement: Movement, units: Iterable[Unit]) -> dict[str, Any]:
    return {
        "code": movement.code,
        "title": movement.title,
        "kind": movement.kind,
        "launcher": movement.launcher.code,
        "start_date": movement.start_date,
        "end_date": movement.end_date,
        "scope": movement.scope,
        "units": sorted(u.code for u in units),
        "criteria": movement.criteria,
        "status": movement.status,
    }


def _clean_code(code: str) -> str:
    return clean_slug(code, example="ldg-ldst-2025", reserved=RESERVED_CODES)


def _clean_details(actor: Any, details: MovementDetails) -> MovementDetails:
    """The details to store, validated: period in order, a scope that matches its units."""
    title = clean_str(details.title, "title", 300, required=True)
    if details.kind not in MovementKind.values:
        raise DomainError(_("Choose a kind of movement."), field="kind")
    start_date = clean_date(details.start_date, field="start_date")
    end_date = clean_date(details.end_date, field="end_date", required=False)
    assert start_date is not None
    if end_date is not None and end_date < start_date:
        raise DomainError(
            _("The end date (%(end)s) is before the start date (%(start)s).")
            % {"end": format_date(end_date), "start": format_date(start_date)},
            field="end_date",
            code="dates_out_of_order",
        )
    if details.scope not in MovementScope.values:
        raise DomainError(_("Choose a scope."), field="scope")
    units = list({u.pk: u for u in details.units or ()}.values())
    if details.scope == MovementScope.LISTED:
        if not units:
            raise DomainError(_("A joint movement lists at least one unit."), field="units", code="required")
        if len(units) > MAX_LISTED_UNITS:
            raise DomainError(_("At most %(max)s units may be listed.") % {"max": MAX_LISTED_UNITS}, field="units")
        seen = scope_for(actor, UNIT_VIEW)
        for unit in units:
            if not seen.covers(path=unit.path, unit_id=unit.pk):
                raise unit_not_found(unit, "units")
            require_active_unit(unit, "units")
    elif units:
        raise DomainError(
            _("Only a joint movement lists units; this one covers the launching unit and the units under it."),
            field="units",
        )
    criteria = clean_str(details.criteria, "criteria", CRITERIA_MAX_LENGTH)
    return MovementDetails(
        title=title,
        kind=details.kind,
        start_date=start_date,
        end_date=end_date,
        scope=details.scope,
        units=tuple(sorted(units, key=lambda u: u.path)),
        criteria=criteria,
    )


def _require_fits(movement: Movement, details: MovementDetails, *, today: dt.date) -> None:
    """The recorded milestones and pledges still fit a changed period and scope."""
    milestones = Milestone.objects.filter(movement=movement).aggregate(first=Min("due_date"), last=Max("due_date"))
    if milestones["first"] is not None and milestones["first"] < details.start_date:
        raise DomainError(
            _("A review milestone is due on %(day)s, before the new start date.")
            % {"day": format_date(milestones["first"])},
            field="start_date",
            code="dates_out_of_order",
        )
    if details.end_date is not None and milestones["last"] is not None and milestones["last"] > details.end_date:
        raise DomainError(
            _("A review milestone is due on %(day)s, after the new end date.")
            % {"day": format_date(milestones["last"])},
            field="end_date",
            code="dates_out_of_order",
        )
    registrations = Registration.objects.filter(movement=movement)
    years = registrations.aggregate(first=Min("year"), last=Max("year"))
    if years["first"] is not None and years["first"] < details.start_date.year:
        raise DomainError(
            _("Pledges are registered for %(year)s, before the new start date.") % {"year": years["first"]},
            field="start_date",
            code="dates_out_of_order",
        )
    if details.end_date is not None and years["last"] is not None and years["last"] > details.end_date.year:
        raise DomainError(
            _("Pledges are registered for %(year)s, after the new end date.") % {"year": years["last"]},
            field="end_date",
            code="dates_out_of_order",
        )
    outside = registrations.exclude(_taking_part_q(movement.launcher, details.scope, details.units))
    stray = outside.select_related("unit").order_by("unit__code").first()
    if stray is not None:
        raise DomainError(
            _("Unit %(code)s has registered pledges but would no longer take part.") % {"code": stray.unit.code},
            field="units" if details.scope == MovementScope.LISTED else "scope",
        )


# ---------------------------------------------------------------- movements


@transaction.atomic
def movement_launch(
    *, actor: Any, code: str, launcher: Unit, details: MovementDetails, today: dt.date | None = None
) -> Movement:
    """A unit launches a movement; planned until its start date, running from then."""
    today = _today(today)
    if not _covers(actor, CHANGE, launcher):
        raise unit_not_found(launcher, "launcher")
    require_active_unit(launcher, "launcher")
    code = _clean_code(code)
    values = _clean_details(actor, details)
    if Movement.objects.filter(code=code).exists():
        raise Conflict(_("The code %(code)s is already taken.") % {"code": code}, field="code", code="duplicate_code")
    try:
        with transaction.atomic():
            movement = Movement.objects.create(
                code=code,
                launcher=launcher,
                title=values.title,
                kind=values.kind,
                start_date=values.start_date,
                end_date=values.end_date,
                scope=values.scope,
                criteria=values.criteria,
                status=_status_for(values.start_date, today),
            )
    except IntegrityError:
        raise Conflict(
            _("The code %(code)s is already taken.") % {"code": code}, field="code", code="duplicate_code"
        ) from None
    movement.units.set(values.units)
    record(actor=actor, action="movement.launch", obj=movement, after=movement_snapshot(movement, values.units))
    return movement


@transaction.atomic
def movement_update(
    *, actor: Any, movement: Movement, version: int, details: MovementDetails, today: dt.date | None = None
) -> Movement:
    """Change a movement's title, kind, period, scope or criteria; `version` guards against a lost update."""
    today = _today(today)
    movement = _lock_movement(movement)
    _require_run(actor, movement)
    if movement.version != version:
        raise Conflict(_("Someone else changed this movement meanwhile. Reload the page and try again."), code="stale")
    _require_open(movement)
    values = _clean_details(actor, details)
    _require_fits(movement, values, today=today)
    before = movement_snapshot(movement, movement.units.all())
    movement.title = values.title
    movement.kind = values.kind
    movement.start_date = values.start_date
    movement.end_date = values.end_date
    movement.scope = values.scope
    movement.criteria = values.criteria
    movement.status = _status_for(values.start_date, today)
    after = movement_snapshot(movement, values.units)
    if after == before:
        return movement
    movement.version = F("version") + 1
    movement.save()
    movement.refresh_from_db()
    movement.units.set(values.units)
    record(actor=actor, action="movement.update", obj=movement, before=before, after=after)
    return movement


@transaction.atomic
def movement_close(
    *, actor: Any, movement: Movement, closed_on: dt.date | None = None, today: dt.date | None = None
) -> Movement:
    """Close a movement on `closed_on` (default today); an earlier or open end becomes that day."""
    today = _today(today)
    movement = _lock_movement(movement)
    _require_run(actor, movement)
    if movement.status == MovementStatus.CLOSED:
        raise Conflict(_("Movement %(code)s is already closed.") % {"code": movement.code}, code="closed")
    day = clean_date(closed_on or today, field="closed_on")
    assert day is not None
    not_future(day, field="closed_on", today=today)
    if day < movement.start_date:
        raise DomainError(
            _("The movement cannot close before it starts (%(start)s).") % {"start": format_date(movement.start_date)},
            field="closed_on",
            code="dates_out_of_order",
        )
    before = movement_snapshot(movement, movement.units.all())
    end_date = day if movement.end_date is None or day < movement.end_date else movement.end_date
    if end_date != movement.end_date:
        details = MovementDetails(
            title=movement.title,
            kind=movement.kind,
            start_date=movement.start_date,
            end_date=end_date,
            scope=movement.scope,
            units=tuple(movement.units.all()),
        )
        _require_fits(movement, details, today=today)
    movement.end_date = end_date
    movement.status = MovementStatus.CLOSED
    movement.version = F("version") + 1
    movement.save()
    movement.refresh_from_db()
    after = {**before, "end_date": movement.end_date, "status": movement.status, "closed_on": day}
    record(actor=actor, action="movement.close", obj=movement, before=before, after=after)
    return movement


# ---------------------------------------------------------------- milestones


def _milestone_snapshot(milestone: Milestone) -> dict[str, Any]:
    return {
        "movement": milestone.movement.code,
        "kind": milestone.kind,
        "due_date": milestone.due_date,
        "held_on": milestone.held_on,
        "note": milestone.note,
    }


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    movement: Movement,
    kind: str,
    due_date: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Milestone:
    """Plan a review (sơ kết, tổng kết) of the movement, due inside its period."""
    movement = _lock_movement(movement)
    _require_run(actor, movement)
    _require_open(movement)
    if kind not in MilestoneKind.values:
        raise DomainError(_("Choose a kind of review."), field="kind")
    due = clean_date(due_date, field="due_date")
    assert due is not None
    if due < movement.start_date or (movement.end_date is not None and due > movement.end_date):
        raise DomainError(
            _("The due date must fall inside the movement's period (%(period)s).") % {"period": _period(movement)},
            field="due_date",
            code="dates_out_of_order",
        )
    milestone = Milestone.objects.create(
        movement=movement, kind=kind, due_date=due, note=clean_str(note, "note", NOTE_MAX_LENGTH)
    )
    record(actor=actor, action="movement.milestone_add", obj=milestone, after=_milestone_snapshot(milestone))
    return milestone


def _period(movement: Movement) -> str:
    end = format_date(movement.end_date) if movement.end_date else "…"
    return f"{format_date(movement.start_date)} – {end}"


@transaction.atomic
def milestone_hold(
    *,
    actor: Any,
    milestone: Milestone,
    held_on: dt.date,
    note: str | None = None,
    today: dt.date | None = None,
) -> Milestone:
    """Record that a review was held (also after the movement closed); `note` None keeps the note."""
    today = _today(today)
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("movement__launcher").get(pk=milestone.pk)
    )
    movement = milestone.movement
    _require_run(actor, movement)
    if milestone.held_on is not None:
        raise Conflict(
            _("This review was already held on %(day)s.") % {"day": format_date(milestone.held_on)}, code="held"
        )
    day = clean_date(held_on, field="held_on")
    assert day is not None
    not_future(day, field="held_on", today=today)
    if day < movement.start_date:
        raise DomainError(
            _("A review cannot be held before the movement starts (%(start)s).")
            % {"start": format_date(movement.start_date)},
            field="held_on",
            code="dates_out_of_order",
        )
    before = _milestone_snapshot(milestone)
    milestone.held_on = day
    if note is not None:
        milestone.note = clean_str(note, "note", NOTE_MAX_LENGTH)
    milestone.save(update_fields=["held_on", "note"])
    record(
        actor=actor,
        action="movement.milestone_hold",
        obj=milestone,
        before=before,
        after=_milestone_snapshot(milestone),
    )
    return milestone


# ---------------------------------------------------------------- registrations


def _clean_titles(titles: Any) -> list[str]:
    if titles is None:
        return []
    if isinstance(titles, str) or not isinstance(titles, list | tuple):
        raise DomainError(_("Give the titles sought as a list of codes."), field="titles")
    cleaned: list[str] = []
    for title in titles:
        code = clean_text(title if isinstance(title, str) else "", field="titles").lower()
        if not code or len(code) > TITLE_CODE_MAX_LENGTH or not TITLE_CODE_RE.match(code):
            raise DomainError(
                _("%(code)s is not a title code (lower-case letters, digits, hyphens or underscores).")
                % {"code": str(title)[:TITLE_CODE_MAX_LENGTH]},
                field="titles",
            )
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_TITLES:
        raise DomainError(_("At most %(max)s titles may be pledged.") % {"max": MAX_TITLES}, field="titles")
    return cleaned


def _clean_year(year: Any, movement: Movement, *, today: dt.date) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
        raise DomainError(_("Choose a valid year."), field="year")
    first, last = period_years(movement, today=today)
    if not first <= year <= last:
        raise DomainError(
            _("The year %(year)s is outside the movement's period (%(first)s–%(last)s).")
            % {"year": year, "first": first, "last": last},
            field="year",
            code="outside_period",
        )
    return year


def _clean_count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError(_("Enter a whole number, 0 or more."), field="initiatives_pledged")
    if value > MAX_INITIATIVES_PLEDGED:
        raise DomainError(
            _("At most %(max)s initiatives may be pledged.") % {"max": MAX_INITIATIVES_PLEDGED},
            field="initiatives_pledged",
        )
    return value


def registration_snapshot(registration: Registration) -> dict[str, Any]:
    person = registration.person
    return {
        "movement": registration.movement.code,
        "unit": registration.unit.code,
        "member_code": person.member_code if person is not None else None,
        "year": registration.year,
        "titles": list(registration.titles),
        "initiatives_pledged": registration.initiatives_pledged,
        "note": registration.note,
        "registered_on": registration.registered_on,
    }


def _duplicate(unit: Unit, person: Person | None, year: int) -> Conflict:
    if person is None:
        message = _("Unit %(unit)s has already registered its pledge for %(year)s.") % {"unit": unit.code, "year": year}
    else:
        message = _("%(name)s (%(code)s) has already registered a pledge for %(year)s.") % {
            "name": person.full_name,
            "code": person.member_code,
            "year": year,
        }
    return Conflict(message, code="duplicate_registration", field="person" if person else "unit")


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    movement: Movement,
    unit: Unit,
    year: int,
    person: Person | None = None,
    titles: Sequence[str] = (),
    initiatives_pledged: int = 0,
    note: str = "",
    registered_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Registration:
    """A unit's own pledge (no person) or a member's pledge, for one year of the movement."""
    today = _today(today)
    movement = _lock_movement(movement)
    _require_visible(actor, movement)
    if not _covers(actor, CHANGE, unit):
        raise unit_not_found(unit)
    _require_open(movement)
    require_active_unit(unit)
    if not takes_part(movement, unit):
        raise DomainError(
            _("Unit %(code)s does not take part in this movement.") % {"code": unit.code},
            field="unit",
            code="not_taking_part",
        )
    if person is not None and not Membership.objects.open().filter(person=person, unit=unit).exists():
        raise DomainError(
            _("%(name)s (%(code)s) is not a current member of unit %(unit)s.")
            % {"name": person.full_name, "code": person.member_code, "unit": unit.code},
            field="person",
            code="not_a_member",
        )
    year = _clean_year(year, movement, today=today)
    cleaned_titles = _clean_titles(titles)
    count = _clean_count(initiatives_pledged)
    note = clean_str(note, "note", NOTE_MAX_LENGTH)
    day = clean_date(registered_on or today, field="registered_on")
    assert day is not None
    not_future(day, field="registered_on", today=today)
    same = Registration.objects.filter(movement=movement, unit=unit, year=year)
    if (same.filter(person=person) if person is not None else same.filter(person__isnull=True)).exists():
        raise _duplicate(unit, person, year)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                movement=movement,
                unit=unit,
                person=person,
                year=year,
                titles=cleaned_titles,
                initiatives_pledged=count,
                note=note,
                registered_on=day,
            )
    except IntegrityError:
        raise _duplicate(unit, person, year) from None
    record(
        actor=actor,
        action="movement.registration_create",
        obj=registration,
        after=registration_snapshot(registration),
    )
    return registration


@transaction.atomic
def registration_withdraw(
    *, actor: Any, registration: Registration, reason: str = "", today: dt.date | None = None
) -> None:
    """Withdraw a pledge: the row goes, the audit log keeps what it said."""
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("movement", "unit", "person")
        .filter(pk=registration.pk)
        .first()
    )
    if locked is None or not _covers(actor, CHANGE, locked.unit):
        raise NotFound(_("Registration not found."), field="registration")
    _require_open(locked.movement)
    reason = clean_str(reason, "reason", NOTE_MAX_LENGTH)
    before = registration_snapshot(locked)
    record(actor=actor, action="movement.registration_withdraw", obj=locked, before=before, reason=reason)
    locked.delete()
