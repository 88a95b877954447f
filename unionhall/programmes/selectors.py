"""Reads on joint programmes: the list with filters and keyset pages, a programme's page with its totals.

Every read that takes an actor starts from `visible_to`. The totals come from the results the apps
above register in `programmes.results`, one call per result for all the programmes asked about.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import cursor_decode, cursor_encode
from unionhall.core.errors import DomainError
from unionhall.core.scoping import scope_for
from unionhall.orgunits.checks import unit_not_found
from unionhall.orgunits.models import Unit

from . import results as result_registry
from .models import Programme, ProgrammeOfficer, ProgrammeParty
from .services import VIEW, in_period, may_change, may_mobilise, programme_not_found

MAX_PAGE = 200
UNIT_VIEW = "unit.view"


def programme_get(*, actor: Any, code: str, action: str = VIEW) -> Programme:
    """A programme by code, if the actor sees it; otherwise NotFound, as if it did not exist."""
    code = (code or "").strip().lower()
    programme = Programme.objects.visible_to(actor, action).select_related("owner").filter(code=code).first()
    if programme is None:
        raise programme_not_found(code)
    return programme


def party_unit_ids(programme: Programme) -> list[int]:
    """The ids of the programme's parties, the lead first ("lead" sorts before "partner")."""
    return list(
        ProgrammeParty.objects.filter(programme=programme).order_by("role", "pk").values_list("unit_id", flat=True)
    )


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class Section:
    """One registered result of a programme: its label, its lines, and the page listing the records."""

    code: str
    label: Promise | str
    lines: list[result_registry.Line]
    url: str = ""


def programme_totals(programmes: list[Programme]) -> dict[int, list[Section]]:
    """Every registered result for these programmes: one call per result, whatever their number."""
    ids = [p.pk for p in programmes]
    out: dict[int, list[Section]] = {pk: [] for pk in ids}
    for result in result_registry.results():
        lines = result.compute(ids) if ids else {}
        for programme in programmes:
            url = result.list_url(programme.code) if result.list_url is not None else ""
            out[programme.pk].append(Section(result.code, result.label, list(lines.get(programme.pk, [])), url))
    return out


# ---------------------------------------------------------------- one programme


@dataclass
class PartyRow:
    party: ProgrammeParty
    can_mobilise: bool


@dataclass
class ProgrammeDetail:
    programme: Programme
    parties: list[PartyRow]
    officers: list[ProgrammeOfficer]
    totals: list[Section]
    can_change: bool
    can_mobilise: bool
    running: bool


def programme_detail(*, actor: Any, programme: Programme, today: dt.date) -> ProgrammeDetail:
    """What a programme's page shows: parties, officers, and its totals for the period."""
    if not Programme.objects.visible_to(actor, VIEW).filter(pk=programme.pk).exists():
        raise programme_not_found(programme.code)
    parties = list(
        ProgrammeParty.objects.filter(programme=programme).select_related("unit__type").order_by("role", "pk")
    )
    rows = [PartyRow(p, may_mobilise(actor, programme, p.unit)) for p in parties]
    officers = list(
        ProgrammeOfficer.objects.filter(programme=programme).select_related("unit", "person").order_by("unit_id", "pk")
    )
    return ProgrammeDetail(
        programme=programme,
        parties=rows,
        officers=officers,
        totals=programme_totals([programme])[programme.pk],
        can_change=may_change(actor, programme),
        can_mobilise=any(r.can_mobilise for r in rows),
        running=in_period(programme, today),
    )


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class ProgrammeFilters:
    """Filters of the list; `unit`: programmes it takes part in or a unit under it is a party of; `year`: running."""

    unit: Unit | None = None
    year: int | None = None


@dataclass
class ProgrammePage:
    items: list[Programme]
    next_cursor: str | None
    filters: ProgrammeFilters = field(default_factory=ProgrammeFilters)


def _clean_filters(actor: Any, filters: ProgrammeFilters) -> ProgrammeFilters:
    if filters.year is not None and not 1900 <= filters.year <= 9999:
        raise DomainError(_("Choose a valid year."), field="year")
    unit = filters.unit
    if unit is not None and not scope_for(actor, UNIT_VIEW).covers(path=unit.path, unit_id=unit.pk):
        raise unit_not_found(unit)
    return filters


def programme_queryset(*, actor: Any, filters: ProgrammeFilters = ProgrammeFilters()) -> QuerySet[Programme]:
    """The programmes the actor sees, filtered (unordered, unpaged: the API pages it itself)."""
    filters = _clean_filters(actor, filters)
    qs = Programme.objects.visible_to(actor, VIEW)
    if filters.year is not None:
        qs = qs.in_year(filters.year)
    if filters.unit is not None:
        qs = qs.with_unit(filters.unit)
    return qs


def programme_list(
    *, actor: Any, filters: ProgrammeFilters = ProgrammeFilters(), cursor: str | None = None, limit: int = 50
) -> ProgrammePage:
    """Programmes the actor sees, latest start first, one keyset page."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = programme_queryset(actor=actor, filters=filters)
    if cursor:
        start, pk = cursor_decode(cursor, (dt.date, int))
        qs = qs.filter(Q(start_date__lt=start) | Q(start_date=start, pk__lt=pk))
    rows = list(qs.select_related("owner").order_by("-start_date", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].start_date, rows[-1].pk]) if more and rows else None
    return ProgrammePage(rows, next_cursor, filters)
