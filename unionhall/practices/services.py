"""Writes on models (mô hình) and exemplars: registration, members, yearly evaluations, recognition.

Every service is keyword-only, runs in one transaction, checks the actor's scope and writes an
audit entry. Registering, changing, discontinuing a model and keeping its members needs
`practice.change` on the registering unit. A model the actor does not see is "not found"; one the
actor sees but may not change is "forbidden".

Evaluating and recognising are done by a unit at or above the registering unit, or by the launcher
of the model's movement (the launching body): `practice.change` on that unit to evaluate,
`practice.recognise` to recognise. Recognition needs an evaluation: the latest evaluation for the
year of recognition or earlier must say "effective" (a model evaluated not effective since is
not recognised on an older verdict).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import record
from unionhall.core.cleaning import SLUG_MAX_LENGTH, clean_date, clean_slug, clean_str, not_future
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_date
from unionhall.core.scoping import scope_for
from unionhall.members.models import Person
from unionhall.movements import services as movement_services
from unionhall.movements.models import Movement
from unionhall.movements.querysets import ancestor_paths
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import Unit
from unionhall.programmes import services as programme_services
from unionhall.programmes.models import Programme

from .choices import EvaluationResult, PracticeField, PracticeKind
from .models import Practice, PracticeEvaluation, PracticeMember

VIEW = "practice.view"
CHANGE = "practice.change"
RECOGNISE = "practice.recognise"
MEMBER_VIEW = "member.view"
CODE_MAX_LENGTH = SLUG_MAX_LENGTH
# Path segments of the model pages that a code would shadow.
RESERVED_CODES = frozenset({"new", "effective"})
TITLE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 20_000
NAME_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2_000
REFERENCE_MAX_LENGTH = 100


@dataclass(frozen=True)
class PracticeDetails:
    """What the registering unit records and may correct later."""

    title: str
    field: str
    started_on: dt.date
    kind: str = PracticeKind.MODEL
    registered_on: dt.date | None = None  # today when not given
    movement: Movement | None = None
    programme: Programme | None = None
    description: str = ""


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _covers(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def practice_not_found(code: str) -> NotFound:
    return NotFound(_("Model %(code)s was not found.") % {"code": code}, field="practice")


def _lock(practice: Practice) -> Practice:
    return (
        Practice.objects.select_for_update(of=("self",))
        .select_related("unit", "movement__launcher", "programme", "recognised_by")
        .get(pk=practice.pk)
    )


def _require_visible(actor: Any, practice: Practice) -> None:
    if not Practice.objects.visible_to(actor, VIEW).filter(pk=practice.pk).exists():
        raise practice_not_found(practice.code)


def may_change(actor: Any, practice: Practice) -> bool:
    """True when the actor holds `practice.change` on the registering unit."""
    return _covers(actor, CHANGE, practice.unit)


def judges(practice: Practice, unit: Unit) -> bool:
    """True when `unit` may evaluate or recognise the model: the registering unit, a unit above it, the launcher."""
    if practice.unit.path.startswith(unit.path):
        return True
    return practice.movement is not None and practice.movement.launcher_id == unit.pk


def judging_units(actor: Any, practice: Practice, action: str) -> list[Unit]:
    """The units on which the actor may evaluate (`practice.change`) or recognise the model, nearest first."""
    scope = scope_for(actor, action)
    if scope.empty:
        return []
    candidates = list(Unit.objects.filter(path__in=ancestor_paths({practice.unit.path})))
    if practice.movement is not None:
        candidates.append(practice.movement.launcher)
    found = {u.pk: u for u in candidates if scope.covers(path=u.path, unit_id=u.pk) and u.is_active}
    return sorted(found.values(), key=lambda u: -len(u.path))


def _require_change(actor: Any, practice: Practice) -> None:
    if may_change(actor, practice):
        return
    _require_visible(actor, practice)
    raise Forbidden(
        _("Only the registering unit %(code)s changes this model.") % {"code": practice.unit.code}, field="practice"
    )


def _require_current(practice: Practice) -> None:
    if practice.ended_on is not None:
        raise DomainError(
            _("The model was discontinued on %(day)s.") % {"day": format_date(practice.ended_on)},
            field="practice",
            code="discontinued",
        )


def clean_code(code: str) -> str:
    return clean_slug(code, example="tu-quan-nha-tro-1", reserved=RESERVED_CODES)


def clean_details(actor: Any, unit: Unit, details: PracticeDetails, *, today: dt.date) -> PracticeDetails:
    """The details to store, validated; the movement and programme must be seen (unless the system imports)
    and the unit must take part in them, the registration day inside their periods."""
    title = clean_str(details.title, "title", TITLE_MAX_LENGTH, required=True)
    if details.kind not in PracticeKind.values:
        raise DomainError(_("Choose a kind."), field="kind")
    if details.field not in PracticeField.values:
        raise DomainError(_("Choose a field."), field="field")
    started_on = clean_date(details.started_on, field="started_on")
    assert started_on is not None
    not_future(started_on, field="started_on", today=today)
    registered_on = clean_date(details.registered_on or today, field="registered_on")
    assert registered_on is not None
    not_future(registered_on, field="registered_on", today=today)
    movement, programme = details.movement, details.programme
    if movement is not None:
        if (
            actor is not None
            and not Movement.objects.visible_to(actor, movement_services.VIEW).filter(pk=movement.pk).exists()
        ):
            raise movement_services.movement_not_found(movement.code)
        if not movement_services.takes_part(movement, unit):
            raise DomainError(
                _("Unit %(unit)s does not take part in movement %(code)s.")
                % {"unit": unit.code, "code": movement.code},
                field="movement",
                code="not_taking_part",
            )
        if registered_on < movement.start_date or (movement.end_date is not None and registered_on > movement.end_date):
            raise DomainError(
                _("The registration day is outside the movement's period."),
                field="registered_on",
                code="outside_period",
            )
    if programme is not None:
        if (
            actor is not None
            and not Programme.objects.visible_to(actor, programme_services.VIEW).filter(pk=programme.pk).exists()
        ):
            raise programme_services.programme_not_found(programme.code)
        if not programme_services.takes_part(programme, unit):
            raise DomainError(
                _("Unit %(unit)s does not take part in programme %(code)s.")
                % {"unit": unit.code, "code": programme.code},
                field="programme",
                code="not_taking_part",
            )
        if not programme_services.in_period(programme, registered_on):
            raise DomainError(
                _("The registration day is outside the programme's period (%(period)s).")
                % {"period": programme_services.period_text(programme)},
                field="registered_on",
                code="outside_period",
            )
    return PracticeDetails(
        title=title,
        field=details.field,
        started_on=started_on,
        kind=details.kind,
        registered_on=registered_on,
        movement=movement,
        programme=programme,
        description=clean_str(details.description, "description", DESCRIPTION_MAX_LENGTH),
    )


def practice_snapshot(practice: Practice) -> dict[str, Any]:
    return {
        "code": practice.code,
        "title": practice.title,
        "kind": practice.kind,
        "field": practice.field,
        "unit": practice.unit.code,
        "movement": practice.movement.code if practice.movement is not None else None,
        "programme": practice.programme.code if practice.programme is not None else None,
        "description": practice.description,
        "started_on": practice.started_on,
        "registered_on": practice.registered_on,
        "recognised_on": practice.recognised_on,
        "recognised_by": practice.recognised_by.code if practice.recognised_by is not None else None,
        "recognition_ref": practice.recognition_ref,
        "ended_on": practice.ended_on,
    }


def _assign(practice: Practice, values: PracticeDetails) -> None:
    practice.title = values.title
    practice.kind = values.kind
    practice.field = values.field
    practice.started_on = values.started_on
    practice.registered_on = values.registered_on  # type: ignore[assignment]
    practice.movement = values.movement
    practice.programme = values.programme
    practice.description = values.description


def require_fits(practice: Practice, values: PracticeDetails) -> None:
    """The recorded evaluations and recognition still fit changed dates."""
    years = PracticeEvaluation.objects.filter(practice=practice).aggregate(first=Min("year"))
    if years["first"] is not None and years["first"] < values.started_on.year:
        raise DomainError(
            _("The model is evaluated for %(year)s, before the new start date.") % {"year": years["first"]},
            field="started_on",
            code="dates_out_of_order",
        )
    if practice.ended_on is not None and practice.ended_on < values.started_on:
        raise DomainError(
            _("The model was discontinued before the new start date."), field="started_on", code="dates_out_of_order"
        )
    if practice.recognised_on is not None and values.registered_on and practice.recognised_on < values.registered_on:
        raise DomainError(
            _("The model was recognised before the new registration day."),
            field="registered_on",
            code="dates_out_of_order",
        )


# ---------------------------------------------------------------- models


@transaction.atomic
def practice_register(
    *, actor: Any, code: str, unit: Unit, details: PracticeDetails, today: dt.date | None = None
) -> Practice:
    """A unit registers a model or exemplar, usually within a movement (and maybe a joint programme)."""
    today = _today(today)
    if not _covers(actor, CHANGE, unit):
        raise unit_not_found(unit)
    require_active_unit(unit)
    code = clean_code(code)
    values = clean_details(actor, unit, details, today=today)
    if Practice.objects.filter(code=code).exists():
        raise Conflict(_("The code %(code)s is already taken.") % {"code": code}, field="code", code="duplicate_code")
    practice = Practice(code=code, unit=unit)
    _assign(practice, values)
    try:
        with transaction.atomic():
            practice.save()
    except IntegrityError:
        raise Conflict(
            _("The code %(code)s is already taken.") % {"code": code}, field="code", code="duplicate_code"
        ) from None
    record(actor=actor, action="practice.register", obj=practice, after=practice_snapshot(practice))
    return practice


@transaction.atomic
def practice_update(
    *, actor: Any, practice: Practice, details: PracticeDetails, version: int, today: dt.date | None = None
) -> Practice:
    """Correct a model's details; `version` guards against a lost update. The registering unit stays."""
    today = _today(today)
    practice = _lock(practice)
    _require_change(actor, practice)
    _require_current(practice)
    if practice.version != version:
        raise Conflict(_("Someone else changed this model meanwhile. Reload the page and try again."), code="stale")
    values = clean_details(actor, practice.unit, details, today=today)
    require_fits(practice, values)
    before = practice_snapshot(practice)
    _assign(practice, values)
    after = practice_snapshot(practice)
    if after == before:
        return practice
    practice.version = F("version") + 1
    practice.save()
    practice.refresh_from_db()
    record(actor=actor, action="practice.update", obj=practice, before=before, after=after)
    return practice


@transaction.atomic
def practice_discontinue(
    *, actor: Any, practice: Practice, ended_on: dt.date | None = None, reason: str = "", today: dt.date | None = None
) -> Practice:
    """The model stops (default today); it stays in the lists of the years it ran."""
    today = _today(today)
    practice = _lock(practice)
    _require_change(actor, practice)
    if practice.ended_on is not None:
        raise Conflict(
            _("The model was already discontinued on %(day)s.") % {"day": format_date(practice.ended_on)},
            code="discontinued",
        )
    day = clean_date(ended_on or today, field="ended_on")
    assert day is not None
    not_future(day, field="ended_on", today=today)
    if day < practice.started_on:
        raise DomainError(
            _("A model cannot end before it starts (%(day)s).") % {"day": format_date(practice.started_on)},
            field="ended_on",
            code="dates_out_of_order",
        )
    last = PracticeEvaluation.objects.filter(practice=practice).aggregate(last=Max("year"))["last"]
    if last is not None and last > day.year:
        raise DomainError(
            _("The model is evaluated for %(year)s, after that day.") % {"year": last},
            field="ended_on",
            code="dates_out_of_order",
        )
    reason = clean_str(reason, "reason", NOTE_MAX_LENGTH)
    before = practice_snapshot(practice)
    practice.ended_on = day
    practice.version = F("version") + 1
    practice.save()
    practice.refresh_from_db()
    record(
        actor=actor,
        action="practice.discontinue",
        obj=practice,
        before=before,
        after=practice_snapshot(practice),
        reason=reason,
    )
    return practice


# ---------------------------------------------------------------- members


def member_snapshot(member: PracticeMember) -> dict[str, Any]:
    return {
        "practice": member.practice.code,
        "member_code": member.person.member_code if member.person is not None else None,
        "name": member.name,
        "role": member.role,
    }


@transaction.atomic
def practice_member_add(
    *, actor: Any, practice: Practice, person: Person | None = None, name: str = "", role: str = ""
) -> PracticeMember:
    """Someone takes part in the model: a member the actor sees, or someone named (a citizen, a landlord)."""
    practice = _lock(practice)
    _require_change(actor, practice)
    _require_current(practice)
    name = clean_str(name, "name", NAME_MAX_LENGTH)
    role = clean_str(role, "role", NAME_MAX_LENGTH)
    if person is not None:
        if name:
            raise DomainError(_("Give a member or a name, not both."), field="name")
        if not Person.objects.visible_to(actor, MEMBER_VIEW).filter(pk=person.pk).exists():
            raise NotFound(_("Person %(code)s was not found.") % {"code": person.member_code}, field="person")
        if PracticeMember.objects.filter(practice=practice, person=person).exists():
            raise Conflict(
                _("%(name)s (%(code)s) already takes part in this model.")
                % {"name": person.full_name, "code": person.member_code},
                field="person",
                code="duplicate",
            )
    elif not name:
        raise DomainError(_("Give a member's code or a name."), field="name", code="required")
    member = PracticeMember.objects.create(practice=practice, person=person, name=name, role=role)
    record(actor=actor, action="practice.member_add", obj=member, after=member_snapshot(member))
    return member


@transaction.atomic
def practice_member_remove(*, actor: Any, member: PracticeMember) -> None:
    locked = (
        PracticeMember.objects.select_for_update(of=("self",))
        .select_related("practice__unit", "person")
        .filter(pk=member.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Member of the model not found."), field="member")
    _require_change(actor, locked.practice)
    _require_current(locked.practice)
    record(actor=actor, action="practice.member_remove", obj=locked, before=member_snapshot(locked))
    locked.delete()


# ---------------------------------------------------------------- evaluation and recognition


def evaluation_snapshot(evaluation: PracticeEvaluation) -> dict[str, Any]:
    return {
        "practice": evaluation.practice.code,
        "year": evaluation.year,
        "result": evaluation.result,
        "note": evaluation.note,
        "evaluated_on": evaluation.evaluated_on,
        "evaluated_by": evaluation.evaluated_by.code,
    }


def _require_judge(actor: Any, practice: Practice, unit: Unit, action: str, field: str) -> None:
    """`unit` may judge the model and the actor holds `action` on it; otherwise "forbidden" (the model is seen)."""
    if not judges(practice, unit):
        raise Forbidden(
            _(
                "A model is evaluated and recognised by the registering unit %(code)s, a unit above it, "
                "or the launcher of its movement."
            )
            % {"code": practice.unit.code},
            field=field,
        )
    if not _covers(actor, action, unit):
        raise Forbidden(_("You may not do this on behalf of unit %(code)s.") % {"code": unit.code}, field=field)


def _clean_year(year: Any, practice: Practice, *, today: dt.date) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
        raise DomainError(_("Choose a valid year."), field="year")
    if year > today.year:
        raise DomainError(_("The year %(year)s has not come yet.") % {"year": year}, field="year", code="future_year")
    if year < practice.started_on.year:
        raise DomainError(
            _("The model started in %(start)s; it cannot be evaluated for %(year)s.")
            % {"start": practice.started_on.year, "year": year},
            field="year",
            code="before_start",
        )
    if practice.ended_on is not None and year > practice.ended_on.year:
        raise DomainError(
            _("The model was discontinued in %(end)s.") % {"end": practice.ended_on.year},
            field="year",
            code="after_end",
        )
    return year


@transaction.atomic
def practice_evaluate(
    *,
    actor: Any,
    practice: Practice,
    year: int,
    result: str,
    note: str = "",
    evaluated_on: dt.date | None = None,
    evaluator: Unit | None = None,
    today: dt.date | None = None,
) -> PracticeEvaluation:
    """The yearly evaluation of a model (one per year), by the registering unit unless another judge is named."""
    today = _today(today)
    practice = _lock(practice)
    _require_visible(actor, practice)
    unit = evaluator or practice.unit
    _require_judge(actor, practice, unit, CHANGE, "evaluator")
    year = _clean_year(year, practice, today=today)
    if result not in EvaluationResult.values:
        raise DomainError(_("Choose a result."), field="result")
    day = clean_date(evaluated_on or today, field="evaluated_on")
    assert day is not None
    not_future(day, field="evaluated_on", today=today)
    if day.year < year:
        raise DomainError(
            _("A year is evaluated in that year or later."), field="evaluated_on", code="dates_out_of_order"
        )
    note = clean_str(note, "note", NOTE_MAX_LENGTH)
    if PracticeEvaluation.objects.filter(practice=practice, year=year).exists():
        raise Conflict(
            _("The model is already evaluated for %(year)s.") % {"year": year}, field="year", code="duplicate"
        )
    evaluation = PracticeEvaluation.objects.create(
        practice=practice, year=year, result=result, note=note, evaluated_on=day, evaluated_by=unit
    )
    record(actor=actor, action="practice.evaluate", obj=evaluation, after=evaluation_snapshot(evaluation))
    return evaluation


def require_effective(practice: Practice, year: int) -> None:
    """The latest evaluation for `year` or earlier says "effective"; otherwise the reason."""
    latest = PracticeEvaluation.objects.filter(practice=practice, year__lte=year).order_by("-year").first()
    if latest is None:
        raise DomainError(
            _("The model has no evaluation for %(year)s or earlier; evaluate it as effective first.") % {"year": year},
            field="recognised_on",
            code="not_evaluated",
        )
    if latest.result != EvaluationResult.EFFECTIVE:
        raise DomainError(
            _("The model was evaluated %(result)s for %(year)s; it is recognised only when evaluated effective.")
            % {"result": str(latest.get_result_display()).lower(), "year": latest.year},
            field="recognised_on",
            code="not_effective",
        )


@transaction.atomic
def practice_recognise(
    *,
    actor: Any,
    practice: Practice,
    by: Unit,
    recognised_on: dt.date | None = None,
    reference: str = "",
    today: dt.date | None = None,
) -> Practice:
    """Recognise a model as effective: by the registering unit or above it (usually the launching body)."""
    today = _today(today)
    practice = _lock(practice)
    _require_visible(actor, practice)
    _require_judge(actor, practice, by, RECOGNISE, "by")
    if practice.recognised_on is not None:
        raise Conflict(
            _("The model was already recognised as effective on %(day)s.")
            % {"day": format_date(practice.recognised_on)},
            code="recognised",
        )
    _require_current(practice)
    require_active_unit(by, "by")
    day = clean_date(recognised_on or today, field="recognised_on")
    assert day is not None
    not_future(day, field="recognised_on", today=today)
    if day < practice.registered_on:
        raise DomainError(
            _("A model is recognised after it is registered (%(day)s).") % {"day": format_date(practice.registered_on)},
            field="recognised_on",
            code="dates_out_of_order",
        )
    require_effective(practice, day.year)
    reference = clean_str(reference, "reference", REFERENCE_MAX_LENGTH)
    before = practice_snapshot(practice)
    practice.recognised_on = day
    practice.recognised_by = by
    practice.recognition_ref = reference
    practice.version = F("version") + 1
    practice.save()
    practice.refresh_from_db()
    record(actor=actor, action="practice.recognise", obj=practice, before=before, after=practice_snapshot(practice))
    return practice


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportedPractice:
    """A model as an import row gives it (already checked): details, years evaluated effective, recognition."""

    code: str
    unit: Unit
    details: PracticeDetails
    effective_years: tuple[int, ...] = ()
    recognised_on: dt.date | None = None
    recognised_by: Unit | None = None
    recognition_ref: str = ""


@transaction.atomic
def practice_import_save(
    *,
    actor: Any,
    data: ImportedPractice,
    existing: Practice | None,
    today: dt.date,
    row: int | None = None,
) -> Practice:
    """Create a model or correct a recorded one; add the years evaluated effective; record a recognition.

    Called by the import inside its one transaction, after the whole file was validated; `actor`
    None is the system (the command line without --actor). Evaluations already recorded stay.
    """
    if actor is not None and not _covers(actor, CHANGE, data.unit):
        raise unit_not_found(data.unit)
    values = clean_details(actor, data.unit, data.details, today=today)
    if existing is None:
        practice = Practice(code=data.code, unit=data.unit)
        before = None
    else:
        practice = _lock(existing)
        require_fits(practice, values)
        before = practice_snapshot(practice)
        practice.version = F("version") + 1
    _assign(practice, values)
    if data.recognised_on is not None and practice.recognised_on is None:
        practice.recognised_on = data.recognised_on
        practice.recognised_by = data.recognised_by
        practice.recognition_ref = data.recognition_ref
    practice.save()
    practice.refresh_from_db()
    recorded = set(PracticeEvaluation.objects.filter(practice=practice).values_list("year", flat=True))
    PracticeEvaluation.objects.bulk_create(
        PracticeEvaluation(
            practice=practice,
            year=year,
            result=EvaluationResult.EFFECTIVE,
            evaluated_on=min(dt.date(year, 12, 31), today),
            evaluated_by=data.unit,
        )
        for year in data.effective_years
        if year not in recorded
    )
    after = {**practice_snapshot(practice), "effective_years": list(data.effective_years)}
    if row is not None:
        after["row"] = row
    record(actor=actor, action="practice.import", obj=practice, before=before, after=after)
    return practice
