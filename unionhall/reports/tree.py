"""The unit tree as reports see it: on a period's last day, and now (for the roll-ups).

A fact belongs to its unit, and counts in every subtree that held the unit on the period's last day:
- a unit placed in the tree that day counts where it stood;
- a merged unit's history moves with the merge: it counts wherever its successor stood;
- another ended unit (dissolved, split) still counts under the parent it had when it ended.
The roll-ups are built on the tree as it stands now, so they answer for a period only when no
unit of the subtree has moved, merged or ended since the period's last day (`changed_since`).
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from unionhall.core.bulk import bulk_insert
from unionhall.core.scoping import PATH_END
from unionhall.orgunits import paths
from unionhall.orgunits.choices import UnitStatus
from unionhall.orgunits.models import LANGUAGES, Unit, UnitPlacement
from unionhall.orgunits.selectors import unit_children

from .models import UnitAncestor
from .summary import UnitRef


@dataclass(frozen=True)
class TreeAt:
    """Where every unit stood on one day (path), for the units that existed by then."""

    day: dt.date
    location: dict[int, str]

    def path(self, unit_id: int) -> str | None:
        return self.location.get(unit_id)


def tree_at(day: dt.date) -> TreeAt:
    """The location of every unit on `day`, by the rules in this module's docstring."""
    location: dict[int, str] = dict(UnitPlacement.objects.valid_on(day).values_list("unit_id", "path"))
    ended = {
        pk: (parent_id, merged_into_id, path)
        for pk, parent_id, merged_into_id, path in Unit.objects.filter(ended_date__lte=day).values_list(
            "pk", "parent_id", "merged_into_id", "path"
        )
    }

    def resolve(pk: int, seen: frozenset[int] = frozenset()) -> str | None:
        if pk in location:
            return location[pk]
        if pk not in ended or pk in seen:
            return None
        parent_id, merged_into_id, own_path = ended[pk]
        if merged_into_id is not None:
            found = resolve(merged_into_id, seen | {pk})
        elif parent_id is not None:
            above = resolve(parent_id, seen | {pk})
            found = above + paths.segment(pk) if above is not None else None
        else:
            found = own_path
        if found is not None:
            location[pk] = found
        return found

    for pk in list(ended):
        resolve(pk)
    return TreeAt(day, location)


@dataclass(frozen=True)
class Standing:
    """Where a unit stood on a day (None: not in the tree then), and the units placed directly under it."""

    path: str | None
    children: list[UnitRef]


def standing_on(unit: Unit, day: dt.date) -> Standing:
    """The unit's placement on `day` and its direct units' then, in tree order (only the fields a report shows).

    A report asks this, and `changed_since`, every time: both are written in SQL, where the ORM took
    longer to build each query than the database to answer it.
    """
    names = ", ".join(f"u.name_{language}" for language in LANGUAGES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.unit_id, p.path, u.code, {names} FROM orgunits_unitplacement p "  # noqa: S608 - fixed text
            "JOIN orgunits_unit u ON u.id = p.unit_id WHERE (p.unit_id = %s OR p.parent_id = %s) "
            "AND p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to > %s) ORDER BY p.path",
            [unit.pk, unit.pk, day, day],
        )
        rows = cursor.fetchall()
    path = None
    children = []
    for pk, placed, code, *found in rows:
        if pk == unit.pk:
            path = placed
        else:
            children.append(UnitRef(pk, code, dict(zip(LANGUAGES, found, strict=True)), unit.depth + 1))
    return Standing(path, children)


def children_on(*, unit: Unit, day: dt.date) -> list[Unit]:
    """The units directly under `unit` on `day`, in tree order."""
    return list(unit_children(unit=unit, as_of=day).select_related("type").order_by(F("path_on_day")))


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(unit.pk, unit.code, unit.names(), unit.depth)


def changed_since(unit: Unit, day: dt.date, path_then: str) -> bool:
    """Whether a unit of this subtree (as it stands now, or stood on `day` at `path_then`) moved, merged or
    ended after `day`."""
    prefixes = sorted({unit.path, path_then})

    def within(column: str) -> tuple[str, list[str]]:
        sql = " OR ".join(f"({column} >= %s AND {column} < %s)" for _prefix in prefixes)
        return f"({sql})", [bound for prefix in prefixes for bound in (prefix, prefix + PATH_END)]

    def closed_after(alias: str) -> str:
        return f"{alias}.valid_from <= %s AND {alias}.valid_to > %s"

    placed, placed_params = within("p.path")
    successor, successor_params = within("s.path")

    # A move or an end after `day` closed the placement the unit had that day: such placements are few, and
    # found by date (a partial index), rather than by reading every placement of the subtree. Then a unit
    # placed in the subtree after `day` that stood elsewhere that day; and a unit merged since into one
    # of the subtree, which brought its history here (merged units are few).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM orgunits_unitplacement p WHERE {closed_after('p')} AND {placed}) "  # noqa: S608
            f"OR EXISTS (SELECT 1 FROM orgunits_unitplacement p WHERE p.valid_from > %s AND {placed} "
            f"AND p.unit_id IN (SELECT c.unit_id FROM orgunits_unitplacement c WHERE {closed_after('c')})) "
            "OR EXISTS (SELECT 1 FROM orgunits_unit m JOIN orgunits_unit s ON s.id = m.merged_into_id "
            f"WHERE m.status = %s AND m.ended_date > %s AND {successor})",
            [day, day, *placed_params, day, *placed_params, day, day, UnitStatus.MERGED, day, *successor_params],
        )
        return bool(cursor.fetchone()[0])


def location_now(units: Iterable[tuple[int, str, int | None]]) -> dict[int, str]:
    """Where each unit counts now: its path, or for a merged unit its successor's (id, path, merged_into_id)."""
    rows = {pk: (path, merged_into) for pk, path, merged_into in units}
    out: dict[int, str] = {}

    def resolve(pk: int, depth: int = 0) -> str:
        path, merged_into = rows[pk]
        if merged_into is None or merged_into not in rows or depth > 50:
            return path
        return resolve(merged_into, depth + 1)

    for pk in rows:
        out[pk] = resolve(pk)
    return out


def closure_rebuild() -> int:
    """Rewrite the (unit, ancestor) pairs of the current tree; returns how many were written."""
    with transaction.atomic():
        UnitAncestor.objects.all().delete()
        located = location_now(Unit.objects.values_list("pk", "path", "merged_into_id").iterator(chunk_size=20000))
        return _closure_insert(located)


def closure_add(unit_ids: Iterable[int]) -> int:
    """Add the pairs of new units (established or split off since the last rebuild)."""
    ids = list(unit_ids)
    if not ids:
        return 0
    UnitAncestor.objects.filter(unit_id__in=ids).delete()
    rows = Unit.objects.filter(pk__in=ids).values_list("pk", "path", "merged_into_id")
    return _closure_insert({pk: path for pk, path, _merged in rows})


def _closure_insert(located: dict[int, str]) -> int:
    def pairs() -> Iterator[tuple[int, int]]:
        for pk, path in located.items():
            for ancestor in {pk, *paths.ancestor_ids(path, include_self=True)}:
                yield pk, ancestor

    return bulk_insert(UnitAncestor, ["unit_id", "ancestor_id"], pairs())
