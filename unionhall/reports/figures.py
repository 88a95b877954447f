"""Building a summary report: figures for a subtree and its direct units, over a period and the one before.

The figures come from the roll-ups when they can answer (a period of whole months, and no unit of
the subtree moved, merged or ended since the period's last day); otherwise they are counted from
the records on the tree as it stood that day. Both read the same event lists (`facts.py`). The
previous period and the trend are counted on the same tree, so a change is like for like.
"""

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import batched, groupby
from operator import itemgetter

from django.db import connection
from django.utils.translation import gettext_lazy as _

from unionhall.core.collector import collector_paused
from unionhall.core.errors import DomainError
from unionhall.core.scoping import PATH_END
from unionhall.orgunits import paths
from unionhall.orgunits.models import Unit, UnitPlacement

from . import catalogue, facts, rollup, tree
from .periods import Period
from .summary import Figure, Progress, Row, SummaryReport, TrendPoint, UnitRef

# Audit entries a report brings into the roll-ups itself before reading them; more wait for the worker.
# At national scale a unit's recount takes about 0.2 s (1,000 units about 45 s): a report keeps it to seconds.
INLINE_REFRESH_LIMIT = 20
# Scopes up to this many units filter the records by unit; larger ones read them whole.
UNIT_FILTER_LIMIT = 2_000
TREND_CODES = tuple(i.code for i in catalogue.INDICATORS)

Values = dict[tuple[str, str], int]  # (indicator, key) -> value


@dataclass(frozen=True)
class Scope:
    """The rows of a report: each a unit whose subtree is counted, with where it stands."""

    ids: tuple[int, ...]
    paths: dict[int, str]

    @functools.cached_property
    def _rows_at(self) -> tuple[dict[str, list[int]], list[int]]:
        """The rows by path, and the lengths of their paths."""
        at: dict[str, list[int]] = defaultdict(list)
        for pk in self.ids:
            if self.paths.get(pk):
                at[self.paths[pk]].append(pk)
        return at, sorted({len(path) for path in at})

    @functools.cached_property
    def _placed(self) -> dict[str, list[int]]:
        return {}

    def rows_of(self, located: str | None) -> list[int]:
        """The rows whose subtree holds a unit standing at `located` (found once per place): the rows at those
        of its path's prefixes that are as long as a row's path, so that a country's 130,000 unions are placed
        without a scan each."""
        if not located:
            return []
        found = self._placed.get(located)
        if found is None:
            at, lengths = self._rows_at
            found = [pk for length in lengths if length <= len(located) for pk in at.get(located[:length], ())]
            self._placed[located] = found
        return found


def summary_build(*, unit: Unit, period: Period, today: dt.date, trend: int = 4) -> SummaryReport:
    """The summary report of `unit`'s subtree for `period` (no access check: see selectors.summary_for)."""
    with collector_paused():
        return _summary_build(unit=unit, period=period, today=today, trend=trend)


def _summary_build(*, unit: Unit, period: Period, today: dt.date, trend: int) -> SummaryReport:
    freshness = rollup.rollup_refresh(limit=INLINE_REFRESH_LIMIT)
    end = period.end
    standing = tree.standing_on(unit, end)
    if standing.path is None:
        raise _not_in_tree(unit, end)
    root_path, children = standing.path, standing.children
    previous = period.previous()
    periods = [period, previous]
    reported = _reported(unit, periods)
    trend_periods = period.earlier(trend) if trend else [period]
    rows_now = {unit.pk, *(c.id for c in children)}
    now_paths = {r.unit_id: r.path for items in reported for r in items}
    extra = sorted(set(now_paths) - rows_now)
    fast = _rollups_answer(unit, period, freshness, root_path)
    tree_day = None if fast else tree.tree_at(end)
    location = now_paths.get if fast else (lambda pk: tree_day.path(pk))  # type: ignore[union-attr]
    scope = Scope(
        (unit.pk, *(c.id for c in children), *extra),
        {unit.pk: root_path, **{c.id: root_path + paths.segment(c.id) for c in children}}
        | {pk: location(pk) or "" for pk in extra},
    )
    if fast:
        values = _from_rollups(scope.ids, periods, freshness.balance_year)
        trend_values = _from_rollups((unit.pk,), trend_periods, freshness.balance_year)
    else:
        values = _from_records(scope, periods, tree_day)  # type: ignore[arg-type]
        trend_values = _from_records(Scope((unit.pk,), {unit.pk: root_path}), trend_periods, tree_day)  # type: ignore[arg-type]

    def figures(pk: int, index: int) -> dict[str, Figure]:
        return _with_reported(_figures(values[pk][index]), pk, scope, values, index, reported[index])

    targets = _targets(unit, children, period)
    root_ref = tree.unit_ref(unit)

    def row(ref: UnitRef) -> Row:
        current = figures(ref.id, 0)
        progress = {
            code: Progress(target, current[code].value if code in current else 0)
            for code, target in targets.get(ref.id, {}).items()
        }
        return Row(ref, current, figures(ref.id, 1), progress)

    total = row(root_ref)
    child_rows = [row(c) for c in children]
    return SummaryReport(
        unit=root_ref,
        period=period,
        previous_period=previous,
        total=total,
        children=child_rows,
        trend=[
            TrendPoint(p, {code: trend_values[unit.pk][i].get((code, ""), 0) for code in TREND_CODES})
            for i, p in enumerate(trend_periods)
        ],
        as_of=freshness.refreshed_at if fast else None,
        children_overlap=_overlap(total, child_rows),
        pending=freshness.pending if fast else 0,
    )


# ------------------------------------------------------------------ the tree and which path answers


def placed_path(unit: Unit, day: dt.date) -> str:
    """Where `unit` stood on `day`; DomainError if it was not in the tree that day (nothing to report on)."""
    found = UnitPlacement.objects.valid_on(day).filter(unit=unit).values_list("path", flat=True).first()
    if found is None:
        raise _not_in_tree(unit, day)
    return found


def _not_in_tree(unit: Unit, day: dt.date) -> DomainError:
    return DomainError(
        _("Unit %(code)s was not in the tree on %(day)s; choose a period that ends while it was.")
        % {"code": unit.code, "day": day.isoformat()},
        code="not_in_tree",
        field="to",
    )


def _rollups_answer(unit: Unit, period: Period, freshness: rollup.Freshness, root_path: str) -> bool:
    if not period.month_aligned or freshness.refreshed_at is None or freshness.tree_stale:
        return False
    return not tree.changed_since(unit, period.end, root_path)


# ------------------------------------------------------------------ from the roll-ups


def _whole_years(p: Period) -> tuple[int, int]:
    first = p.start.year if (p.start.month, p.start.day) == (1, 1) else p.start.year + 1
    last = p.end.year if (p.end.month, p.end.day) == (12, 31) else p.end.year - 1
    return first, last


def _loose_months(p: Period) -> list[tuple[dt.date, dt.date]]:
    """The month ranges of `p` outside its whole years (first days of months)."""
    first, last = _whole_years(p)
    if first > last:
        return [(p.start, p.end.replace(day=1))]
    out = []
    if p.start.year < first:
        out.append((p.start, dt.date(p.start.year, 12, 1)))
    if p.end.year > last:
        out.append((dt.date(p.end.year, 1, 1), p.end.replace(day=1)))
    return out


def _stock_years_to(p: Period) -> int:
    return p.end.year if (p.end.month, p.end.day) == (12, 31) else p.end.year - 1


def _from_rollups(
    ancestors: Sequence[int], periods: Sequence[Period], balance_year: int | None
) -> dict[int, list[Values]]:
    out: dict[int, list[Values]] = {pk: [defaultdict(int) for _p in periods] for pk in ancestors}
    marks = ", ".join(["%s"] * len(ancestors))
    # The whole years: flows summed over their years (the yearly roll-ups hold flows only), stocks read from
    # their balance at the last one's end (the balances hold stocks only; after the last year of balances, a
    # stock stands as it did then).
    flow_cols: list[str] = []
    flow_params: list[int] = []
    stock_years: list[int] = []
    for p in periods:
        flow_cols.append("CAST(SUM(CASE WHEN r.year BETWEEN %s AND %s THEN r.value ELSE 0 END) AS BIGINT)")
        flow_params.extend(_whole_years(p))
        stock_years.append(min(_stock_years_to(p), balance_year or 0))
    stock_cols = ["CAST(SUM(CASE WHEN b.year = %s THEN b.value ELSE 0 END) AS BIGINT)"] * len(periods)
    # Only the whole years: a part-year's yearly rows would be read and summed into no column.
    low = min(_whole_years(p)[0] for p in periods)
    high = max(_whole_years(p)[1] for p in periods)
    years = sorted(set(stock_years))
    sql = (
        f"SELECT r.ancestor_id, r.indicator, r.key, {', '.join(flow_cols)} FROM reports_rollupyear r "  # noqa: S608
        f"WHERE r.ancestor_id IN ({marks}) AND r.year BETWEEN %s AND %s "
        "GROUP BY r.ancestor_id, r.indicator, r.key UNION ALL "
        f"SELECT b.ancestor_id, b.indicator, b.key, {', '.join(stock_cols)} FROM reports_rollupbalance b "
        f"WHERE b.ancestor_id IN ({marks}) AND b.year IN ({', '.join(['%s'] * len(years))}) "
        "GROUP BY b.ancestor_id, b.indicator, b.key"
    )
    params = [*flow_params, *ancestors, low, high, *stock_years, *ancestors, *years]
    _collect(out, sql, params, add=False)
    # The months outside whole years: flows inside the period, stocks from January of the last year.
    loose_cols: list[str] = []
    january_cols: list[str] = []
    loose_params: list[dt.date] = []
    january_params: list[dt.date] = []
    for p in periods:
        loose = _loose_months(p)
        cond = " OR ".join(["r.month BETWEEN %s AND %s"] * len(loose)) or "1 = 0"
        loose_cols.append(f"CAST(SUM(CASE WHEN {cond} THEN r.value ELSE 0 END) AS BIGINT)")
        loose_params.extend(v for pair in loose for v in pair)
        if _stock_years_to(p) < p.end.year:
            january_cols.append("CAST(SUM(CASE WHEN r.month BETWEEN %s AND %s THEN r.value ELSE 0 END) AS BIGINT)")
            january_params.extend([dt.date(p.end.year, 1, 1), p.end.replace(day=1)])
        else:
            january_cols.append("0")
    if loose_params or january_params:
        earliest = min([p.start for p in periods] + [dt.date(p.end.year, 1, 1) for p in periods])
        branch = [*ancestors, earliest, max(p.end for p in periods), *rollup.STOCKS]
        where = f"WHERE r.ancestor_id IN ({marks}) AND r.month BETWEEN %s AND %s AND r.indicator"
        sql = (
            f"SELECT r.ancestor_id, r.indicator, r.key, {', '.join(loose_cols)} FROM reports_rollup r "  # noqa: S608
            f"{where} NOT IN ({rollup.stock_marks()}) GROUP BY r.ancestor_id, r.indicator, r.key UNION ALL "
            f"SELECT r.ancestor_id, r.indicator, r.key, {', '.join(january_cols)} FROM reports_rollup r "
            f"{where} IN ({rollup.stock_marks()}) GROUP BY r.ancestor_id, r.indicator, r.key"
        )
        _collect(out, sql, [*loose_params, *branch, *january_params, *branch], add=True)
    return out


def _collect(out: dict[int, list[Values]], sql: str, params: list, *, add: bool) -> None:
    """Put in, or with `add` add to, `out` the rows of (ancestor, indicator, key, then a value per period).

    A query gives each (ancestor, indicator, key) once (grouped by them, and its branches read disjoint
    indicators): without `add`, a run of one ancestor's rows sets its values of a period in one update.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for pk, group in groupby(found, key=itemgetter(0)):
        rows = list(group)
        items = [(row[1], row[2]) for row in rows]
        for index, values in enumerate(out[pk]):
            column = 3 + index
            if add:
                for item, row in zip(items, rows, strict=True):
                    if row[column]:
                        values[item] += row[column]
            else:
                values.update({item: row[column] for item, row in zip(items, rows, strict=True) if row[column]})


# ------------------------------------------------------------------ from the records


def _from_records(scope: Scope, periods: Sequence[Period], tree_day: tree.TreeAt) -> dict[int, list[Values]]:
    out: dict[int, list[Values]] = {pk: [defaultdict(int) for _p in periods] for pk in scope.ids}
    root_path = scope.paths[scope.ids[0]]
    in_scope = [pk for pk, path in tree_day.location.items() if path.startswith(root_path)]
    unit_filter = in_scope if len(in_scope) <= UNIT_FILTER_LIMIT else None
    latest = max(p.end for p in periods)
    with connection.cursor() as cursor:
        for events in facts.single_events():
            cols, params = _period_columns(periods, stock=events.stock)
            where = "e.day <= %s"
            extra: list = [latest]
            if unit_filter is not None:
                where += f" AND e.unit_id IN ({', '.join(['%s'] * len(unit_filter))})"
                extra.extend(unit_filter)
            cursor.execute(
                f"SELECT e.unit_id, e.key, {cols} FROM ({events.sql}) e WHERE {where} GROUP BY e.unit_id, e.key",  # noqa: S608
                [*params, *extra],
            )
            for unit_id, key, *sums in cursor.fetchall():
                for row in scope.rows_of(tree_day.path(unit_id)):
                    for i, value in enumerate(sums):
                        if value:
                            out[row][i][(events.indicator, key)] += int(value)
        units_of = _shared_units(cursor, unit_filter)
        for events in facts.shared_events():
            cols, params = _period_columns(periods, stock=events.stock)
            cursor.execute(
                f"SELECT e.item, e.key, {cols} FROM ({events.sql}) e WHERE e.day <= %s GROUP BY e.item, e.key",  # noqa: S608
                [*params, latest],
            )
            for item, key, *sums in cursor.fetchall():
                rows = {row for unit_id in units_of.get(item, ()) for row in scope.rows_of(tree_day.path(unit_id))}
                for row in rows:
                    for i, value in enumerate(sums):
                        if value:
                            out[row][i][(events.indicator, key)] += int(value)
    return out


def _period_columns(periods: Sequence[Period], *, stock: bool) -> tuple[str, list]:
    cols, params = [], []
    for p in periods:
        if stock:
            cols.append("SUM(CASE WHEN e.day <= %s THEN e.value ELSE 0 END)")
            params.append(p.end)
        else:
            cols.append("SUM(CASE WHEN e.day BETWEEN %s AND %s THEN e.value ELSE 0 END)")
            params.extend([p.start, p.end])
    return ", ".join(cols), params


def _shared_units(cursor, unit_filter: list[int] | None) -> dict[str, set[int]]:
    """Each shared item's units (only items with a unit in `unit_filter`, when given)."""
    units_of: dict[str, set[int]] = defaultdict(set)
    base = f"SELECT s.item, s.unit_id FROM ({facts.shared_units_sql()}) s"  # noqa: S608
    if unit_filter is None:
        cursor.execute(base, [])
        for item, unit_id in cursor.fetchall():
            units_of[item].add(unit_id)
        return units_of
    items: set[str] = set()
    for chunk in batched(unit_filter, 500):
        cursor.execute(f"{base} WHERE s.unit_id IN ({', '.join(['%s'] * len(chunk))})", list(chunk))
        items.update(item for item, _unit in cursor.fetchall())
    for names in batched(sorted(items), 500):
        cursor.execute(f"{base} WHERE s.item IN ({', '.join(['%s'] * len(names))})", list(names))
        for item, unit_id in cursor.fetchall():
            units_of[item].add(unit_id)
    return units_of


# ------------------------------------------------------------------ figures, reported figures, targets


# Each indicator's breakdown names, in catalogue order; each breakdown key split once. Figures are never
# changed: a row's figures share the zero figure and the empty breakdowns of each indicator.
_DIMENSIONS = {i.code: tuple(d.name for d in i.dimensions) for i in catalogue.INDICATORS}
_split_key = functools.cache(catalogue.split_key)
_NO_BREAKDOWN: dict[str, dict[str, dict[str, int]]] = {
    code: {name: {} for name in names} for code, names in _DIMENSIONS.items()
}
_ZERO = {code: Figure(0, _NO_BREAKDOWN[code]) for code in _DIMENSIONS}


def _figures(values: Values) -> dict[str, Figure]:
    """The figures of one row and period: every indicator of the catalogue, with its breakdowns."""
    totals: dict[str, int] = {}
    parts: dict[str, dict[str, dict[str, int]]] = {}  # code -> dimension -> name -> value
    for (code, key), value in values.items():
        if not key:
            totals[code] = value
            continue
        dimension, name = _split_key(key)
        by_dimension = parts.get(code)
        if by_dimension is None:
            parts[code] = {dimension: {name: value}}
        elif dimension in by_dimension:
            by_dimension[dimension][name] = value
        else:
            by_dimension[dimension] = {name: value}
    # Most indicators of most rows are zero: a copy of the zero figures, with the others put in their place.
    out = dict(_ZERO)
    for code, value in totals.items():
        if code in out and code not in parts:
            out[code] = Figure(value, _NO_BREAKDOWN[code])
    for code, by_dimension in parts.items():
        names = _DIMENSIONS.get(code)
        if names is None:
            continue
        out[code] = Figure(totals.get(code, 0), {name: by_dimension.get(name, {}) for name in names})
    return out


@dataclass(frozen=True)
class Reported:
    """A figure reported for a period by a unit standing now at `path`."""

    unit_id: int
    path: str
    indicator: str
    value: int


def _reported(unit: Unit, periods: list[Period]) -> list[list[Reported]]:
    """For each period, the figures reported for exactly that period by units of the subtree (as it stands now)."""
    out: list[list[Reported]] = [[] for _p in periods]
    index = {(p.start, p.end): i for i, p in enumerate(periods)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.unit_id, u.path, f.indicator, f.value, f.period_start, f.period_end "  # noqa: S608 - fixed text
            "FROM reports_reportedfigure f JOIN orgunits_unit u ON u.id = f.unit_id "
            "WHERE u.path >= %s AND u.path < %s "
            f"AND f.period_start IN ({', '.join(['%s'] * len(periods))})",
            [unit.path, unit.path + PATH_END, *(p.start for p in periods)],
        )
        for unit_id, path, code, value, start, end in cursor.fetchall():
            if (start, end) in index:
                out[index[start, end]].append(Reported(unit_id, path, code, value))
    return out


def _with_reported(
    figures: dict[str, Figure],
    row: int,
    scope: Scope,
    values: dict[int, list[Values]],
    index: int,
    reported: list[Reported],
) -> dict[str, Figure]:
    """Replace, in this row, the counted figure of each reporting unit's subtree by its reported figure.

    A reported figure is a total: the row's breakdown of that indicator is left out rather than shown
    with parts that no longer add up to it.
    """
    if not reported:
        return figures
    row_path = scope.paths.get(row, "")
    by_code: dict[str, list[Reported]] = defaultdict(list)
    for item in reported:
        unit_path = scope.paths.get(item.unit_id) or item.path
        if unit_path.startswith(row_path):
            by_code[item.indicator].append(item)
    out = dict(figures)
    for code, items in by_code.items():
        if code not in out or not catalogue.BY_CODE[code].reportable:
            continue
        paths_of = {i.unit_id: scope.paths.get(i.unit_id) or i.path for i in items}
        # A reporting unit inside another reporting unit is covered by the outer one's figure.
        topmost = [
            i
            for i in items
            if not any(
                other.unit_id != i.unit_id and paths_of[i.unit_id].startswith(paths_of[other.unit_id])
                for other in items
            )
        ]
        value = out[code].value
        for i in topmost:
            value += i.value - values[i.unit_id][index].get((code, ""), 0)
        out[code] = Figure(value, {dimension: {} for dimension in out[code].breakdown}, reported=True)
    return out


def _targets(unit: Unit, children: list[UnitRef], period: Period) -> dict[int, dict[str, int]]:
    ids = [unit.pk, *(c.id for c in children)]
    out: dict[int, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, indicator, value FROM reports_target WHERE period_start = %s AND period_end = %s "  # noqa: S608
            f"AND unit_id IN ({', '.join(['%s'] * len(ids))})",
            [period.start, period.end, *ids],
        )
        for unit_id, code, value in cursor.fetchall():
            out[unit_id][code] = value
    return out


def _overlap(total: Row, children: list[Row]) -> dict[str, int]:
    """Per indicator, how much the children's rows add up to beyond the total (shared items shown in each)."""
    out = {}
    for code in catalogue.BY_CODE:
        extra = sum(c.value(code) for c in children) - total.value(code)
        if extra > 0:
            out[code] = extra
    return out
