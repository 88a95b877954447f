"""Reads on the unit tree; each subtree or ancestor question is one indexed query."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from unionhall.core.errors import NotFound
from unionhall.core.scoping import minimal_prefixes, scope_for, subtree_q
from unionhall.core.text import fold

from . import paths
from .models import Unit, UnitPlacement

VIEW = "unit.view"


def unit_get(*, actor: Any, code: str, action: str = VIEW) -> Unit:
    """A unit by code, if the actor may see it; otherwise NotFound, as if it did not exist."""
    unit = Unit.objects.visible_to(actor, action).select_related("type", "parent").filter(code=code).first()
    if unit is None:
        raise NotFound(code)
    return unit


def unit_list(*, actor: Any, action: str = VIEW) -> QuerySet[Unit]:
    return Unit.objects.visible_to(actor, action).select_related("type")


def unit_subtree(*, unit: Unit, as_of: dt.date | None = None, include_self: bool = True) -> QuerySet[Unit]:
    """The units under `unit`, now or as the tree stood on `as_of` (then annotated `path_on_day`)."""
    qs: QuerySet[Unit]
    if as_of is None:
        qs = Unit.objects.filter(subtree_q("path", unit.path))
    else:
        qs = units_placed_on(Unit.objects.all(), day=as_of, under=unit)
    return qs if include_self else qs.exclude(pk=unit.pk)


def unit_children(*, unit: Unit, as_of: dt.date | None = None) -> QuerySet[Unit]:
    if as_of is None:
        return Unit.objects.filter(parent=unit)
    return units_placed_on(Unit.objects.all(), day=as_of, parent=unit)


def unit_ancestors(*, unit: Unit, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """Root first, read off the materialised path: one primary-key query."""
    path = unit.path
    if as_of is not None:
        path = UnitPlacement.objects.valid_on(as_of).filter(unit=unit).values_list("path", flat=True).first() or ""
    ids = paths.ancestor_ids(path) if path else []
    if not ids:
        return Unit.objects.none()
    # The order of the path itself: ancestors may have moved since `as_of`, so today's depths can tie or swap.
    order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
    return Unit.objects.filter(pk__in=ids).order_by(order)


def unit_is_inside(*, unit: Unit, ancestor: Unit) -> bool:
    return paths.is_inside(unit.path, ancestor.path)


def units_as_of(*, day: dt.date) -> QuerySet[Unit]:
    return units_placed_on(Unit.objects.all(), day=day)


def unit_search(*, actor: Any, query: str, limit: int | None = 20) -> QuerySet[Unit]:
    """Find units by code or name, insensitive to diacritics, within the actor's scope.

    `limit=None` leaves the queryset unsliced, for callers that filter further and paginate.
    """
    folded = fold(query)
    qs = Unit.objects.visible_to(actor, VIEW).select_related("type")
    for word in folded.split()[:6]:
        qs = qs.filter(search_name__contains=word)
    qs = qs.order_by("depth", "path")
    return qs if limit is None else qs[:limit]


def units_placed_on(
    units: QuerySet[Unit], *, day: dt.date, under: Unit | None = None, parent: Unit | None = None
) -> QuerySet[Unit]:
    """`units` as the tree stood on `day`, annotated `path_on_day`; optionally only `under` a unit or below a `parent`.

    A join, not `pk IN (...)`: placements do not overlap, so there is one row per unit, and ordering
    or paging by `path_on_day` walks the placement path index (10x faster on 135,000 units).
    """
    placed = Q(placements__valid_to__isnull=True) | Q(placements__valid_to__gt=day)
    if parent is not None:
        placed &= Q(placements__parent=parent)
    units = units.filter(placed, placements__valid_from__lte=day).annotate(path_on_day=F("placements__path"))
    if under is None:
        return units
    root = UnitPlacement.objects.valid_on(day).filter(unit=under).values_list("path", flat=True).first()
    return units.filter(subtree_q("path_on_day", root)) if root else units.none()


def unit_placements_on(*, unit_ids: Iterable[int], day: dt.date) -> dict[int, UnitPlacement]:
    """Where each unit stood in the tree on `day` (its parent and path then), by unit id."""
    rows = UnitPlacement.objects.valid_on(day).filter(unit_id__in=list(unit_ids)).select_related("parent")
    return {placement.unit_id: placement for placement in rows}


def unit_roots_for(*, actor: Any, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """The top-most units the actor sees: where their tree browser starts."""
    scope = scope_for(actor, VIEW)
    if scope.everything:
        if as_of is None:
            return Unit.objects.filter(parent__isnull=True)
        placed = UnitPlacement.objects.valid_on(as_of).filter(parent__isnull=True).values("unit_id")
        return Unit.objects.filter(pk__in=placed)
    prefixes = minimal_prefixes(scope.subtree_paths)
    roots = Q(path__in=prefixes)
    if scope.unit_ids:
        inside = Q(pk__in=[])
        for prefix in prefixes:
            inside |= subtree_q("path", prefix)
        roots |= Q(pk__in=sorted(scope.unit_ids)) & ~inside
    return Unit.objects.filter(roots) if not scope.empty else Unit.objects.none()


def unit_top_for(*, actor: Any, action: str) -> Unit | None:
    """The highest unit where the actor may perform `action`: where a page about a subtree starts."""
    scope = scope_for(actor, action)
    units = Unit.objects.select_related("type")
    if scope.everything:
        return units.filter(parent__isnull=True).order_by("path").first()
    prefixes = minimal_prefixes(scope.subtree_paths)
    unit = units.filter(path__in=prefixes[:1]).first() if prefixes else None
    if unit is None and scope.unit_ids:
        unit = units.filter(pk__in=sorted(scope.unit_ids)).order_by("path").first()
    return unit
