"""Tree benchmarks: the product's reads and transfer, each beside the same work in raw SQL.

Every measurement runs the product's code (selectors, the ORM, `services.unit_transfer`) and the
equivalent hand-written SQL through `cursor.execute`, on the same samples in the same run, so the
ratio shows what the product's layers cost on top of the database's limit.
"""

import datetime as dt
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import django
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from unionhall.core.scoping import PATH_END, subtree_q

from . import paths, selectors, services
from .models import Unit, UnitPlacement

READ_TARGET_MS = 5.0
TRANSFER_TARGET_MS = 2000.0
TRANSFER_SIZE = 1_000
PAGE = 50
WARMUP = 3
MAX_TRANSFER_SAMPLES = 10
# A day in the synthetic tree's history (it is established on 1 January 2020).
AS_OF = dt.date(2021, 1, 1)


@dataclass
class Measure:
    """Timings of one operation through the product and in raw SQL, in milliseconds."""

    name: str
    target_ms: float | None  # None: measured for information, no target set
    product: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    note: str = ""

    @staticmethod
    def _p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def product_median(self) -> float:
        return statistics.median(self.product)

    @property
    def product_p95(self) -> float:
        return self._p95(self.product)

    @property
    def raw_median(self) -> float:
        return statistics.median(self.raw)

    @property
    def raw_p95(self) -> float:
        return self._p95(self.raw)

    @property
    def ratio(self) -> float:
        return self.product_median / self.raw_median if self.raw_median else float("inf")

    @property
    def met(self) -> bool:
        return self.target_ms is None or self.product_median <= self.target_ms


def _ms(fn: Callable[[], Any]) -> float:
    started = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - started) / 1e6


# ---------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    """CPU, cores, memory, OS and database, for the benchmark report."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 'PostgreSQL ' || current_setting('server_version')")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        database = cursor.fetchone()[0]
    os_name = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.exists():
        for line in os_release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.release()})"
    return {
        "CPU": cpu,
        "cores": str(cores),
        "RAM": memory,
        "OS": os_name,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "database": database,
    }


# ---------------------------------------------------------------- samples


def _random_unit(rng: random.Random, *, min_depth: int, bounds: tuple[int, int]) -> Unit:
    """A random unit at `min_depth` or deeper, found by a random id (no scan, no tree walk)."""
    while True:
        start = rng.randint(*bounds)
        unit = Unit.objects.filter(pk__gte=start, depth__gte=min_depth).order_by("pk").first()
        if unit is not None:
            return unit


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(str(f.column)) for f in Unit._meta.concrete_fields)


# ---------------------------------------------------------------- reads


def bench_reads(*, repeat: int, seed: int) -> list[Measure]:
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    table = connection.ops.quote_name(Unit._meta.db_table)
    columns = _columns()
    bounds_row = Unit.objects.order_by("pk").values_list("pk", flat=True)
    bounds = (bounds_row.first() or 1, bounds_row.last() or 1)
    provinces = list(Unit.objects.filter(depth=1, type__code="provincial_federation"))
    total = repeat + WARMUP

    subtree = Measure(f"subtree: first {PAGE} units of a province, by path", READ_TARGET_MS)
    ancestors = Measure("ancestors of a leaf (root first)", READ_TARGET_MS)
    inside = Measure("is X inside Y's subtree", READ_TARGET_MS)
    as_of = Measure(f"as-of subtree: first {PAGE} units of a province on {AS_OF}", None)
    as_of.note = "both sides join the placements valid that day and order by that day's path"
    placement_t = connection.ops.quote_name(UnitPlacement._meta.db_table)
    valid = "({p}valid_to IS NULL OR {p}valid_to > %s) AND {p}valid_from <= %s"
    as_of_columns = ", ".join(f"u.{c}" for c in columns.split(", "))

    with connection.cursor() as cursor:
        for i in range(total):
            province = rng.choice(provinces)
            leaf = _random_unit(rng, min_depth=3, bounds=bounds)
            ancestor_ids = paths.ancestor_ids(leaf.path)
            # Half the pairs lie inside (Y is X's own province), half most likely do not.
            other = Unit.objects.get(pk=ancestor_ids[1]) if rng.random() < 0.5 else rng.choice(provinces)

            def product_subtree(p: Unit = province) -> None:
                list(selectors.unit_subtree(unit=p).order_by("path")[:PAGE])

            def raw_subtree(p: Unit = province) -> None:
                cursor.execute(
                    f"SELECT {columns} FROM {table} WHERE path >= %s AND path < %s ORDER BY path LIMIT {PAGE}",  # noqa: S608
                    [p.path, p.path + PATH_END],
                )
                cursor.fetchall()

            def product_ancestors(u: Unit = leaf) -> None:
                list(selectors.unit_ancestors(unit=u))

            def raw_ancestors(ids: list[int] = ancestor_ids) -> None:
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(f"SELECT {columns} FROM {table} WHERE id IN ({marks}) ORDER BY depth", ids)  # noqa: S608
                cursor.fetchall()

            def product_inside(x: Unit = leaf, y: Unit = other) -> None:
                Unit.objects.filter(subtree_q("path", y.path), pk=x.pk).exists()

            def raw_inside(x: Unit = leaf, y: Unit = other) -> None:
                cursor.execute(
                    f"SELECT 1 FROM {table} WHERE id = %s AND path >= %s AND path < %s LIMIT 1",  # noqa: S608
                    [x.pk, y.path, y.path + PATH_END],
                )
                cursor.fetchone()

            def product_as_of(p: Unit = province) -> None:
                list(selectors.unit_subtree(unit=p, as_of=AS_OF).order_by("path_on_day")[:PAGE])  # type: ignore[misc]

            def raw_as_of(p: Unit = province) -> None:
                cursor.execute(
                    f"SELECT path FROM {placement_t} WHERE unit_id = %s AND {valid.format(p='')} LIMIT 1",  # noqa: S608
                    [p.pk, AS_OF, AS_OF],
                )
                root = cursor.fetchone()
                if root is None:
                    return
                cursor.execute(
                    f"SELECT {as_of_columns}, pl.path FROM {placement_t} pl JOIN {table} u ON u.id = pl.unit_id "  # noqa: S608
                    f"WHERE pl.path >= %s AND pl.path < %s AND {valid.format(p='pl.')} "
                    f"ORDER BY pl.path LIMIT {PAGE}",
                    [root[0], root[0] + PATH_END, AS_OF, AS_OF],
                )
                cursor.fetchall()

            for measure, product, raw in (
                (subtree, product_subtree, raw_subtree),
                (ancestors, product_ancestors, raw_ancestors),
                (inside, product_inside, raw_inside),
                (as_of, product_as_of, raw_as_of),
            ):
                # Alternate which side runs first, so neither always gets the warmer cache.
                if i % 2:
                    p_ms, r_ms = _ms(product), _ms(raw)
                else:
                    r_ms, p_ms = _ms(raw), _ms(product)
                if i >= WARMUP:
                    measure.product.append(p_ms)
                    measure.raw.append(r_ms)
    return [subtree, ancestors, inside, as_of]


# ---------------------------------------------------------------- transfer


def transfer_candidate(size: int) -> tuple[Unit, int]:
    """The commune-level unit whose subtree size is closest to `size`, and that size."""
    segment_end = 3 * paths.SEGMENT
    sizes = (
        Unit.objects.filter(depth__gte=2)
        .annotate(prefix=Substr("path", 1, segment_end))
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    prefix, n = min(sizes, key=lambda pn: (abs(pn[1] - size), pn[0]))
    return Unit.objects.select_related("type", "parent").get(path=prefix), n


def raw_transfer(cursor: Any, *, unit_id: int, old_path: str, new_parent_id: int, new_parent_path: str, day: dt.date):
    """What `unit_transfer` does to paths and placements, in hand-written SQL."""
    unit_t = connection.ops.quote_name(Unit._meta.db_table)
    place_t = connection.ops.quote_name(UnitPlacement._meta.db_table)
    new_path = paths.child_path(new_parent_path, unit_id)
    old_depth = paths.depth(old_path)
    new_depth = paths.depth(new_path)
    in_subtree = f"unit_id IN (SELECT id FROM {unit_t} WHERE path >= %s AND path < %s)"  # noqa: S608
    old_range = [old_path, old_path + PATH_END]
    cursor.execute(
        f"DELETE FROM {place_t} WHERE valid_to IS NULL AND valid_from >= %s AND {in_subtree}",  # noqa: S608
        [day, *old_range],
    )
    cursor.execute(f"UPDATE {place_t} SET valid_to = %s WHERE valid_to IS NULL AND {in_subtree}", [day, *old_range])  # noqa: S608
    cursor.execute(
        f"UPDATE {unit_t} SET path = %s || substr(path, %s), depth = depth + %s WHERE path >= %s AND path < %s",  # noqa: S608
        [new_path, len(old_path) + 1, new_depth - old_depth, *old_range],
    )
    cursor.execute(
        f"UPDATE {unit_t} SET parent_id = %s, version = version + 1 WHERE id = %s",  # noqa: S608
        [new_parent_id, unit_id],
    )
    cursor.execute(
        f"INSERT INTO {place_t} (unit_id, parent_id, path, valid_from) "  # noqa: S608
        f"SELECT id, parent_id, path, %s FROM {unit_t} WHERE path >= %s AND path < %s",
        [day, new_path, new_path + PATH_END],
    )


class _Rollback(Exception):
    pass


def bench_transfer(*, repeat: int, seed: int, size: int = TRANSFER_SIZE) -> Measure:
    """Move one subtree of about `size` units to another province, through the service and in SQL.

    Each run happens in a transaction that is rolled back, so every run starts from the same tree
    and the benchmark leaves the database as it found it.
    """
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    unit, moved = transfer_candidate(size)
    provinces = list(
        Unit.objects.filter(depth=1, type__code="provincial_federation")
        .exclude(pk=unit.parent_id or 0)
        .select_related("type")
    )
    measure = Measure(f"transfer a subtree of {moved:,} units", TRANSFER_TARGET_MS)
    measure.note = f"{unit.code} ({moved} units)"
    # An unsaved national administrator: the benchmark creates no user.
    actor = get_user_model()(username="bench", is_superuser=True, is_active=True)
    day = timezone.localdate()
    samples = max(1, min(repeat, MAX_TRANSFER_SAMPLES))
    for i in range(samples + 1):
        target = rng.choice(provinces)
        fresh = Unit.objects.select_related("type", "parent").get(pk=unit.pk)
        decision = services.Decision(day, "Benchmark transfer")
        timings: dict[str, float] = {}
        product = partial(
            services.unit_transfer, actor=actor, units=[fresh], new_parent=target, decision=decision, today=day
        )
        for side in ("product", "raw") if i % 2 else ("raw", "product"):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    raw = partial(
                        raw_transfer,
                        cursor,
                        unit_id=fresh.pk,
                        old_path=fresh.path,
                        new_parent_id=target.pk,
                        new_parent_path=target.path,
                        day=day,
                    )
                    timings[side] = _ms(product if side == "product" else raw)
                    raise _Rollback
            except _Rollback:
                pass
        if i > 0:  # the first run warms the caches
            measure.product.append(timings["product"])
            measure.raw.append(timings["raw"])
    return measure


# ---------------------------------------------------------------- bulk operations (the 2025 restructuring)

BULK_TRANSFER = 648  # Khánh Hòa, 2025: 648 grassroots unions moved under the provincial federation
BULK_DISSOLVE = 834  # Khánh Hòa, 2025: 834 grassroots unions dissolved


def _grassroots_of_province(province: Unit, limit: int) -> list[Unit]:
    return list(
        Unit.objects.filter(subtree_q("path", province.path), depth=province.depth + 2, status="active")
        .select_related("type", "parent")
        .order_by("path")[:limit]
    )


def _raw_dissolve(cursor: Any, *, roots: list[Unit], day: dt.date) -> None:
    """What `unit_dissolve(with_subtree=True)` does to units and placements, in hand-written SQL."""
    unit_t = connection.ops.quote_name(Unit._meta.db_table)
    place_t = connection.ops.quote_name(UnitPlacement._meta.db_table)
    for root in roots:
        in_range = [root.path, root.path + PATH_END]
        cursor.execute(
            f"UPDATE {place_t} SET valid_to = %s WHERE valid_to IS NULL AND unit_id IN "  # noqa: S608
            f"(SELECT id FROM {unit_t} WHERE path >= %s AND path < %s AND status = 'active')",
            [day, *in_range],
        )
        cursor.execute(
            f"UPDATE {unit_t} SET status = 'dissolved', ended_date = %s, version = version + 1 "  # noqa: S608
            "WHERE path >= %s AND path < %s AND status = 'active'",
            [day, *in_range],
        )


def bench_bulk(*, repeat: int, seed: int) -> list[Measure]:
    """One transfer of 648 grassroots unions and one dissolution of 834, as in one province in 2025.

    Each run is rolled back. On a small tree the counts shrink to what one province holds.
    """
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    provinces = list(Unit.objects.filter(depth=1, type__code="provincial_federation").select_related("type"))
    actor = get_user_model()(username="bench", is_superuser=True, is_active=True)
    day = timezone.localdate()
    samples = max(1, min(repeat, MAX_TRANSFER_SAMPLES // 2))
    transfer = Measure("", None)
    dissolve = Measure("", None)
    for i in range(samples + 1):
        province = Unit.objects.select_related("type").get(pk=rng.choice(provinces).pk)
        movers = _grassroots_of_province(province, BULK_TRANSFER)
        ending = _grassroots_of_province(province, BULK_DISSOLVE)
        transfer.name = f"bulk transfer of {len(movers):,} grassroots unions (with their sub-units)"
        dissolve.name = f"bulk dissolution of {len(ending):,} grassroots unions (with their sub-units)"
        timings = _bulk_sample(actor=actor, province=province, movers=movers, ending=ending, day=day)
        if i > 0:  # the first run warms the caches
            transfer.product.append(timings["transfer product"])
            transfer.raw.append(timings["transfer raw"])
            dissolve.product.append(timings["dissolve product"])
            dissolve.raw.append(timings["dissolve raw"])
    return [transfer, dissolve]


def _bulk_sample(
    *, actor: Any, province: Unit, movers: list[Unit], ending: list[Unit], day: dt.date
) -> dict[str, float]:
    """One timing of each bulk operation through the service and in raw SQL, each rolled back."""
    decision = services.Decision(day, "Benchmark restructuring")

    def transfer_product(_cursor: Any) -> None:
        services.unit_transfer(actor=actor, units=movers, new_parent=province, decision=decision, today=day)

    def transfer_raw(cursor: Any) -> None:
        for u in movers:
            raw_transfer(
                cursor, unit_id=u.pk, old_path=u.path, new_parent_id=province.pk, new_parent_path=province.path, day=day
            )

    def dissolve_product(_cursor: Any) -> None:
        services.unit_dissolve(actor=actor, units=ending, decision=decision, with_subtree=True, today=day)

    def dissolve_raw(cursor: Any) -> None:
        _raw_dissolve(cursor, roots=ending, day=day)

    timings: dict[str, float] = {}
    for name, run in (
        ("transfer product", transfer_product),
        ("transfer raw", transfer_raw),
        ("dissolve product", dissolve_product),
        ("dissolve raw", dissolve_raw),
    ):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                timings[name] = _ms(partial(run, cursor))
                raise _Rollback
        except _Rollback:
            pass
    return timings


def table(measures: list[Measure]) -> str:
    header = (
        "| Operation | Product median ms | Product p95 ms | Raw SQL median ms | Raw SQL p95 ms | Ratio | Target | Met |"
    )
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---|"]
    for m in measures:
        target = "—" if m.target_ms is None else f"≤ {m.target_ms:,.0f} ms"
        met = "—" if m.target_ms is None else ("yes" if m.met else "NO")
        lines.append(
            f"| {m.name} | {m.product_median:.2f} | {m.product_p95:.2f} | {m.raw_median:.2f} | {m.raw_p95:.2f} "
            f"| {m.ratio:.1f}× | {target} | {met} |"
        )
    return "\n".join(lines)
