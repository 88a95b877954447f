"""The `models` record type: models (mô hình) and exemplars keyed by code, with the years they were
evaluated effective and their recognition.

`validate` reads the whole file, checks every row the way the services would (the unit inside the
unit imported into, the movement and programme seen and taken part in, the years neither in the
future nor before the start, a recognition backed by an "effective" evaluation), finds the model
already recorded under the same code, and classifies each row: new, updated, unchanged, or
rejected. It writes nothing. A recognition in the file is made by the unit imported into (at or
above every unit of the file), so the importer needs `practice.recognise` there. Evaluations already
recorded stay; a year in the file recorded with another result is refused; a blank recognition
keeps what is recorded. `apply` saves each row through `services.practice_import_save`.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import CHOICE, DATE, IDENTIFIER, TEXT, Column
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.movements.models import Movement
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import Programme

from . import services
from .choices import EvaluationResult, PracticeField, PracticeKind
from .models import Practice, PracticeEvaluation

CODE = "models"
ACTION = services.CHANGE
_SEPARATORS = re.compile(r"[;,\s]+")
MAX_YEARS = 50

COLUMNS = (
    Column(
        "code",
        _("code"),
        IDENTIFIER,
        required=True,
        max_length=services.CODE_MAX_LENGTH,
        help=_("Unique: a later import finds the model again by it."),
        example="tu-quan-nha-tro-1",
    ),
    Column(
        "title",
        _("name"),
        TEXT,
        required=True,
        max_length=services.TITLE_MAX_LENGTH,
        example="Tổ công nhân tự quản an ninh trật tự khu nhà trọ",
    ),
    Column("kind", _("kind"), CHOICE, choices=PracticeKind.choices, example=_("Model (mô hình)")),
    Column(
        "field", _("field"), CHOICE, required=True, choices=PracticeField.choices, example=_("Defence and security")
    ),
    Column(
        "unit_code",
        _("unit code"),
        IDENTIFIER,
        max_length=40,
        help=_("The registering unit, inside the unit imported into; blank: that unit itself."),
        example="DN-TB-001",
    ),
    Column("movement", _("movement code"), IDENTIFIER, max_length=60, example="dan-van-kheo"),
    Column("programme", _("programme code"), IDENTIFIER, max_length=60),
    Column("started_on", _("started on"), DATE, required=True, no_future=True, example="01/03/2022"),
    Column("registered_on", _("registered on"), DATE, required=True, no_future=True, example="15/03/2022"),
    Column("description", _("description"), TEXT, max_length=services.DESCRIPTION_MAX_LENGTH),
    Column(
        "effective_years",
        _("evaluated effective in"),
        TEXT,
        max_length=400,
        help=_("Years the model was evaluated effective, separated by semicolons."),
        example="2022; 2023",
    ),
    Column(
        "recognised_on",
        _("recognised as effective on"),
        DATE,
        no_future=True,
        help=_("Recognised by the unit imported into; blank keeps what is recorded."),
    ),
    Column("recognition_ref", _("recognition decision"), TEXT, max_length=services.REFERENCE_MAX_LENGTH),
)


@dataclass
class _Read:
    row: Row
    code: str
    unit_code: str
    values: dict[str, Any]
    years: tuple[int, ...]


def _years(text: str, context: Context) -> tuple[int, ...]:
    parts = [p for p in _SEPARATORS.split(text or "") if p]
    if len(parts) > MAX_YEARS:
        raise DomainError(_("At most %(max)s years.") % {"max": MAX_YEARS}, field="effective_years")
    years: list[int] = []
    for part in parts:
        if not part.isdigit() or not 1900 <= int(part) <= 9999:
            raise DomainError(_("%(value)s is not a year.") % {"value": part[:10]}, field="effective_years")
        year = int(part)
        if year > context.today.year:
            raise DomainError(
                _("The year %(year)s has not come yet.") % {"year": year}, field="effective_years", code="future_year"
            )
        if year not in years:
            years.append(year)
    return tuple(sorted(years))


def _check(row: Row, context: Context) -> _Read | DomainError:
    values = row.values
    try:
        code = services.clean_code(values["code"] or "")
        years = _years(values["effective_years"] or "", context)
        started = values["started_on"]
        if years and years[0] < started.year:
            raise DomainError(
                _("The model started in %(start)s; it cannot be evaluated for %(year)s.")
                % {"start": started.year, "year": years[0]},
                field="effective_years",
            )
        recognised = values["recognised_on"]
        if recognised is not None and recognised < values["registered_on"]:
            raise DomainError(_("A model is recognised after it is registered."), field="recognised_on")
    except DomainError as error:
        return error
    unit_code = (values["unit_code"] or context.unit.code).upper()
    return _Read(row, code, unit_code, values, years)


def _units(codes: set[str], context: Context) -> dict[str, Unit]:
    """Active units of the file, inside the unit imported into, where the actor may register models."""
    scope = scope_for(context.actor, ACTION) if context.actor is not None else None
    found = Unit.objects.filter(subtree_q("path", context.unit.path), code__in=sorted(codes), status="active")
    return {u.code: u for u in found if scope is None or scope.covers(path=u.path, unit_id=u.pk)}


def _movements(codes: set[str], context: Context) -> dict[str, Movement]:
    qs = (
        Movement.objects.all() if context.actor is None else Movement.objects.visible_to(context.actor, "movement.view")
    )
    return {m.code: m for m in qs.filter(code__in=sorted(codes)).select_related("launcher")}


def _programmes(codes: set[str], context: Context) -> dict[str, Programme]:
    qs = (
        Programme.objects.all()
        if context.actor is None
        else Programme.objects.visible_to(context.actor, "programme.view")
    )
    return {p.code: p for p in qs.filter(code__in=sorted(codes))}


def validate(rows: Any, context: Context) -> Plan:
    plan = Plan(payload=[])
    read: list[_Read] = []
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        checked = _check(row, context)
        if isinstance(checked, DomainError):
            column = checked.field if checked.field in row.values else ""
            plan.reject(row, row.error(column or "", str(checked)))
            continue
        read.append(checked)
    lookups = _Lookups(
        units=_units({r.unit_code for r in read}, context),
        movements=_movements({r.values["movement"].lower() for r in read if r.values["movement"]}, context),
        programmes=_programmes({r.values["programme"].lower() for r in read if r.values["programme"]}, context),
        existing={
            p.code: p
            for p in Practice.objects.filter(code__in=sorted({r.code for r in read})).select_related(
                "unit", "movement", "programme", "recognised_by"
            )
        },
        evaluations={},
        may_recognise=context.actor is None
        or scope_for(context.actor, services.RECOGNISE).covers(path=context.unit.path, unit_id=context.unit.pk),
    )
    ids = [p.pk for p in lookups.existing.values()]
    for practice_id, year, result in PracticeEvaluation.objects.filter(practice_id__in=ids).values_list(
        "practice_id", "year", "result"
    ):
        lookups.evaluations.setdefault(practice_id, {})[year] = result
    seen: dict[str, int] = {}
    for item in read:
        op = _decide(item, plan, context, lookups, seen)
        if op is not None:
            plan.payload.append(op)
    return plan


@dataclass
class _Lookups:
    units: dict[str, Unit]
    movements: dict[str, Movement]
    programmes: dict[str, Programme]
    existing: dict[str, Practice]
    evaluations: dict[int, dict[int, str]]
    may_recognise: bool


def _reject(plan: Plan, row: Row, column: str, message: Any) -> None:
    plan.reject(row, row.error(column if column in row.raw else "", message))


def _decide(item: _Read, plan: Plan, context: Context, lookups: _Lookups, seen: dict[str, int]) -> tuple | None:
    row, values = item.row, item.values
    unit = lookups.units.get(item.unit_code)
    if unit is None:
        message = _("Unit %(code)s was not found among the active units of %(unit)s that you may import into.")
        _reject(plan, row, "unit_code", message % {"code": item.unit_code, "unit": context.unit.code})
        return None
    if item.code in seen:
        _reject(plan, row, "code", _("The same model as row %(row)s.") % {"row": seen[item.code]})
        return None
    seen[item.code] = row.number
    movement = programme = None
    if values["movement"]:
        movement = lookups.movements.get(values["movement"].lower())
        if movement is None:
            _reject(plan, row, "movement", _("Movement %(code)s was not found.") % {"code": values["movement"]})
            return None
    if values["programme"]:
        programme = lookups.programmes.get(values["programme"].lower())
        if programme is None:
            _reject(plan, row, "programme", _("Programme %(code)s was not found.") % {"code": values["programme"]})
            return None
    details = services.PracticeDetails(
        title=values["title"] or "",
        field=values["field"],
        started_on=values["started_on"],
        kind=values["kind"] or PracticeKind.MODEL,
        registered_on=values["registered_on"],
        movement=movement,
        programme=programme,
        description=values["description"] or "",
    )
    try:
        # Movement and programme were looked up among those the importer sees: check the rest as the system.
        cleaned = services.clean_details(None, unit, details, today=context.today)
    except DomainError as error:
        _reject(plan, row, error.field or "", str(error))
        return None
    current = lookups.existing.get(item.code)
    recorded = lookups.evaluations.get(current.pk, {}) if current is not None else {}
    clash = next(
        (y for y in item.years if recorded.get(y, EvaluationResult.EFFECTIVE) != EvaluationResult.EFFECTIVE), None
    )
    if clash is not None:
        _reject(
            plan,
            row,
            "effective_years",
            _("The model is already evaluated for %(year)s, with another result.") % {"year": clash},
        )
        return None
    recognised_on = values["recognised_on"]
    if recognised_on is not None:
        problem = _recognition_problem(item, current, recorded, lookups, recognised_on)
        if problem is not None:
            _reject(plan, row, "recognised_on", problem)
            return None
    data = services.ImportedPractice(
        code=item.code,
        unit=unit,
        details=cleaned,
        effective_years=item.years,
        recognised_on=recognised_on,
        recognised_by=context.unit if recognised_on is not None else None,
        recognition_ref=values["recognition_ref"] or "",
    )
    if current is None:
        plan.add(row.number, Outcome.NEW)
        return (row.number, data, None)
    if current.unit_id != unit.pk:
        _reject(
            plan,
            row,
            "code",
            _("The code %(code)s is taken by a model of unit %(unit)s.")
            % {"code": item.code, "unit": current.unit.code},
        )
        return None
    try:
        services.require_fits(current, cleaned)
    except DomainError as error:
        _reject(plan, row, error.field or "", str(error))
        return None
    same = (
        all(getattr(current, name) == getattr(cleaned, name) for name in _COMPARED)
        and all(y in recorded for y in item.years)
        and (recognised_on is None or current.recognised_on == recognised_on)
    )
    if same:
        plan.add(row.number, Outcome.UNCHANGED)
        return None
    if current.ended_on is not None:
        _reject(plan, row, "code", _("The model was discontinued; it is no longer changed."))
        return None
    plan.add(row.number, Outcome.UPDATED)
    return (row.number, data, current)


_COMPARED = ("title", "kind", "field", "started_on", "registered_on", "movement", "programme", "description")


def _recognition_problem(
    item: _Read, current: Practice | None, recorded: dict[int, str], lookups: _Lookups, day: Any
) -> Any:
    if current is not None and current.recognised_on is not None:
        if current.recognised_on == day:
            return None
        return _("The model is already recognised, on another day.")
    if not lookups.may_recognise:
        return _("You may not recognise models in this unit.")
    results = {**recorded, **dict.fromkeys(item.years, EvaluationResult.EFFECTIVE)}
    earlier = [y for y in results if y <= day.year]
    if not earlier or results[max(earlier)] != EvaluationResult.EFFECTIVE:
        return _("A model is recognised only when its latest evaluation, up to that year, says effective.")
    return None


def apply(plan: Plan, context: Context) -> None:
    for number, data, practice in context.counted(plan.payload):
        services.practice_import_save(
            actor=context.actor, data=data, existing=practice, today=context.today, row=number
        )


KIND = Kind(
    code=CODE,
    label=_("models and exemplars"),
    action=ACTION,
    columns=COLUMNS,
    validate=validate,
    apply=apply,
)
