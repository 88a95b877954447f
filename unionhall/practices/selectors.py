"""Reads on models (mô hình): the list with filters and keyset pages, the effective models of a year,
one model's page, and the figures movements and programmes show.

Every read that takes an actor starts from `visible_to`. A model's status is computed, never
stored: discontinued, else recognised as effective, else evaluated effective (its latest
evaluation), else registered.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import cursor_decode, cursor_encode
from unionhall.core.errors import DomainError
from unionhall.core.scoping import scope_for
from unionhall.movements.models import Movement
from unionhall.orgunits.checks import unit_not_found
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import Programme
from unionhall.programmes.results import Line

from .choices import EvaluationResult, PracticeField, PracticeKind, PracticeStatus
from .models import Practice, PracticeEvaluation, PracticeMember
from .services import CHANGE, RECOGNISE, VIEW, judging_units, may_change, practice_not_found

MAX_PAGE = 200
UNIT_VIEW = "unit.view"


def practice_status(practice: Practice, last_result: str | None) -> str:
    if practice.ended_on is not None:
        return PracticeStatus.DISCONTINUED
    if practice.recognised_on is not None:
        return PracticeStatus.RECOGNISED
    if last_result == EvaluationResult.EFFECTIVE:
        return PracticeStatus.EFFECTIVE
    return PracticeStatus.REGISTERED


def _with_last_result(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    latest = PracticeEvaluation.objects.filter(practice_id=OuterRef("pk")).order_by("-year").values("result")[:1]
    return qs.annotate(last_result=Subquery(latest))


def practice_get(*, actor: Any, code: str, action: str = VIEW) -> Practice:
    """A model by code, if the actor sees it; otherwise NotFound, as if it did not exist."""
    code = (code or "").strip().lower()
    practice = (
        _with_last_result(Practice.objects.visible_to(actor, action))
        .select_related("unit", "movement__launcher", "programme", "recognised_by")
        .filter(code=code)
        .first()
    )
    if practice is None:
        raise practice_not_found(code)
    return practice


# ---------------------------------------------------------------- one model


@dataclass
class PracticeDetail:
    practice: Practice
    status: str
    members: list[PracticeMember]
    evaluations: list[PracticeEvaluation]
    can_change: bool
    can_evaluate: bool
    can_recognise: bool


def practice_detail(*, actor: Any, practice: Practice) -> PracticeDetail:
    """What a model's page shows: its members, evaluations, status and what the actor may do."""
    if not Practice.objects.visible_to(actor, VIEW).filter(pk=practice.pk).exists():
        raise practice_not_found(practice.code)
    evaluations = list(
        PracticeEvaluation.objects.filter(practice=practice).select_related("evaluated_by").order_by("-year")
    )
    last = evaluations[0].result if evaluations else None
    current = practice.ended_on is None
    return PracticeDetail(
        practice=practice,
        status=practice_status(practice, last),
        members=list(PracticeMember.objects.filter(practice=practice).select_related("person").order_by("pk")),
        evaluations=evaluations,
        can_change=current and may_change(actor, practice),
        can_evaluate=current and bool(judging_units(actor, practice, CHANGE)),
        can_recognise=current and practice.recognised_on is None and bool(judging_units(actor, practice, RECOGNISE)),
    )


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class PracticeFilters:
    """Filters of the list; empty means no filter. `unit`: registered by it or a unit under it;
    `year`: registered that year; with `effective_in`, only the models evaluated effective for that year."""

    unit: Unit | None = None
    field: str = ""
    kind: str = ""
    movement: Movement | None = None
    programme: Programme | None = None
    status: str = ""
    year: int | None = None
    effective_in: int | None = None


@dataclass
class PracticeRow:
    practice: Practice
    status: str

    @property
    def status_label(self) -> str:
        return str(PracticeStatus(self.status).label)


@dataclass
class PracticePage:
    items: list[PracticeRow]
    next_cursor: str | None
    filters: PracticeFilters = field(default_factory=PracticeFilters)


def _clean_year(year: int | None, name: str) -> None:
    if year is not None and not 1900 <= year <= 9999:
        raise DomainError(_("Choose a valid year."), field=name)


def _clean_filters(actor: Any, filters: PracticeFilters) -> PracticeFilters:
    if filters.field and filters.field not in PracticeField.values:
        raise DomainError(_("Choose a field."), field="field")
    if filters.kind and filters.kind not in PracticeKind.values:
        raise DomainError(_("Choose a kind."), field="kind")
    if filters.status and filters.status not in PracticeStatus.values:
        raise DomainError(_("Choose a valid status."), field="status")
    _clean_year(filters.year, "year")
    _clean_year(filters.effective_in, "effective_in")
    unit = filters.unit
    if unit is not None and not scope_for(actor, UNIT_VIEW).covers(path=unit.path, unit_id=unit.pk):
        raise unit_not_found(unit)
    return filters


def practice_queryset(*, actor: Any, filters: PracticeFilters = PracticeFilters()) -> QuerySet[Practice]:
    """The models the actor sees, filtered, with `last_result` (unordered, unpaged: the API pages it itself)."""
    filters = _clean_filters(actor, filters)
    qs = Practice.objects.visible_to(actor, VIEW)
    if filters.unit is not None:
        qs = qs.registered_under(filters.unit)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.movement is not None:
        qs = qs.filter(movement=filters.movement)
    if filters.programme is not None:
        qs = qs.filter(programme=filters.programme)
    if filters.status:
        qs = qs.with_status(filters.status)
    if filters.year is not None:
        qs = qs.registered_in(filters.year)
    if filters.effective_in is not None:
        qs = qs.effective_in(filters.effective_in)
    return _with_last_result(qs)


def practice_list(
    *, actor: Any, filters: PracticeFilters = PracticeFilters(), cursor: str | None = None, limit: int = 50
) -> PracticePage:
    """Models the actor sees, latest registered first, one keyset page."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = practice_queryset(actor=actor, filters=filters)
    if cursor:
        day, pk = cursor_decode(cursor, (dt.date, int))
        qs = qs.filter(Q(registered_on__lt=day) | Q(registered_on=day, pk__lt=pk))
    rows = list(qs.select_related("unit", "movement", "recognised_by").order_by("-registered_on", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].registered_on, rows[-1].pk]) if more and rows else None
    items = [PracticeRow(p, practice_status(p, getattr(p, "last_result", None))) for p in rows]
    return PracticePage(items, next_cursor, filters)


# ---------------------------------------------------------------- figures for movements and programmes


def registered_per_movement(ids: list[int]) -> dict[int, int]:
    """Models registered in each movement (discontinued ones included: they were registered)."""
    rows = Practice.objects.filter(movement_id__in=ids).values("movement_id").annotate(n=Count("pk")).order_by()
    return {r["movement_id"]: r["n"] for r in rows}


def recognised_per_movement(ids: list[int]) -> dict[int, int]:
    """Models of each movement recognised as effective."""
    rows = (
        Practice.objects.filter(movement_id__in=ids, recognised_on__isnull=False)
        .values("movement_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["movement_id"]: r["n"] for r in rows}


def programme_lines(ids: list[int]) -> dict[int, list[Line]]:
    """Per programme, the models registered in its period and those of them recognised as effective; one query."""
    rows = (
        Practice.objects.filter(programme_id__in=ids, registered_on__gte=F("programme__start_date"))
        .filter(Q(programme__end_date__isnull=True) | Q(registered_on__lte=F("programme__end_date")))
        .values("programme_id")
        .annotate(registered=Count("pk"), recognised=Count("pk", filter=Q(recognised_on__isnull=False)))
        .order_by()
    )
    counts = {r["programme_id"]: (r["registered"], r["recognised"]) for r in rows}
    return {
        pk: [
            Line(_("Models registered"), counts.get(pk, (0, 0))[0]),
            Line(_("Models recognised as effective"), counts.get(pk, (0, 0))[1]),
        ]
        for pk in ids
    }
