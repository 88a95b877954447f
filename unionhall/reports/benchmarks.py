"""The period-report benchmark: summaries through the product beside a hand-written SQL recount.

For the country (the largest root), its largest province and that province's largest grassroots
union, over 2023-01-01..2025-12-31: the product's `summary_build` (roll-ups, targets, reported
figures, trend) against a recount of the same figures straight from the records by path-prefix
ranges on `orgunits_unit.path` (performance.md V1b/V4b), each for the unit and every direct unit.
Both must give the same figures. Then a province's full DOCX and PDF export, the cost of a full
roll-up rebuild, and how long a refresh takes after one new record and after an import-sized change.
"""

import datetime as dt
import statistics
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Sum

from unionhall.activities.choices import AttendanceMode, KindRole
from unionhall.activities.models import Activity, ActivityKind, ActivityOrganiser
from unionhall.audit.models import AuditEntry
from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import DomainError
from unionhall.core.scoping import PATH_END
from unionhall.democracy.choices import DialogueTrigger
from unionhall.democracy.models import Dialogue
from unionhall.democracy.selectors import obligations_on
from unionhall.members.models import Membership
from unionhall.members.synthetic import members_generate
from unionhall.orgunits.benchmarks import Measure
from unionhall.orgunits.models import Unit
from unionhall.orgunits.paths import SEGMENT

from . import rollup, tree
from .exports import render
from .figures import summary_build
from .models import Rollup, RollupState
from .periods import Period
from .summary import SummaryReport

PERIOD = Period(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
TARGET_MS = {"country": 200.0, "province": 50.0, "grassroots union": 20.0}
EXPORT_TARGET_MS = 5_000.0
IMPORT_SIZE = 1_000
# The figures the recount checks: every indicator the records of the national data set feed.
CHECKED = (
    "members.active",
    "members.joined",
    "members.ended",
    "initiatives.submitted",
    "initiatives.recognized",
    "initiatives.benefit_vnd",
    "activities.count",
    "activities.participants",
    "awards.count",
    "awards.bonus_vnd",
    "dialogues.held",
    "dialogues.overdue_employers",
)


class NoTree(Exception):
    """The database holds no province-level unit under a root."""


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class Scopes:
    country: Unit
    province: Unit
    grassroots: Unit

    def items(self) -> list[tuple[str, Unit]]:
        return [("country", self.country), ("province", self.province), ("grassroots union", self.grassroots)]


@dataclass
class ScopeResult:
    name: str
    unit: Unit
    measure: Measure
    children: int
    differences: list[str] = field(default_factory=list)


@dataclass
class ReportBench:
    rebuild_seconds: float | None  # None: the roll-ups were kept (only brought up to date)
    scopes: list[ScopeResult]
    exports: list[Measure]
    refresh_one: Measure
    refresh_import: Measure
    refresh_dialogue: Measure
    as_of: dt.datetime | None
    tree_moved: list[str]

    @property
    def figures_equal(self) -> bool:
        return not any(s.differences for s in self.scopes)


def _ms(fn: Callable[[], Any]) -> float:
    started = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - started) / 1e6


# ---------------------------------------------------------------- samples


def _members_by_unit(ids: list[int]) -> dict[int, int]:
    """Members of each of these subtrees at the end of the period, from the roll-ups (just rebuilt)."""
    if not ids:
        return {}
    rows = (
        Rollup.objects.filter(ancestor_id__in=ids, indicator="members.active", key="", month__lte=PERIOD.end)
        .values("ancestor_id")
        .annotate(total=Sum("value"))
        .values_list("ancestor_id", "total")
    )
    return dict(rows)


def scopes() -> Scopes:
    """The largest root, its largest depth-1 unit by members, and that unit's largest grassroots union."""
    roots = list(Unit.objects.filter(depth=0).values_list("pk", "path"))
    if not roots:
        raise NoTree
    sizes = {pk: Unit.objects.filter(path__gte=path, path__lt=path + PATH_END).count() for pk, path in roots}
    country = Unit.objects.get(pk=max(sizes, key=lambda pk: (sizes[pk], -pk)))
    provinces = list(Unit.objects.filter(parent=country).values_list("pk", flat=True))
    if not provinces:
        raise NoTree
    members = _members_by_unit(provinces)
    province = Unit.objects.get(pk=max(provinces, key=lambda pk: (members.get(pk, 0), -pk)))
    unions = list(
        Unit.objects.filter(
            path__gte=province.path, path__lt=province.path + PATH_END, type__is_grassroots=True
        ).values_list("pk", flat=True)
    )
    members = _members_by_unit(unions)
    grassroots = Unit.objects.get(pk=max(unions, key=lambda pk: (members.get(pk, 0), -pk))) if unions else province
    return Scopes(country, province, grassroots)


# ---------------------------------------------------------------- the recount


def _utc_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The instants the period's first day starts and the day after its last starts, in the installation's zone."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(period.start, dt.time(), zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _benefit_years(period: Period) -> tuple[int, int]:
    """The years whose 31 December falls in the period."""
    last = period.end.year if period.end >= dt.date(period.end.year, 12, 31) else period.end.year - 1
    return period.start.year, last


# How a unit `u` reaches the activities it counts: as an organiser, as the recording unit, as a party to the
# activity's programme (a join, and the activity's id).
UNIT_ACTIVITIES = (
    ("JOIN activities_activityorganiser o ON o.unit_id = u.id", "o.activity_id"),
    ("JOIN activities_activity r ON r.unit_id = u.id", "r.id"),
    (
        "JOIN programmes_programmeparty pp ON pp.unit_id = u.id "
        "JOIN activities_activity p ON p.programme_id = pp.programme_id",
        "p.id",
    ),
)


def recount(unit: Unit, period: Period) -> dict[str, dict[str, int]]:
    """The checked figures of `unit`'s subtree ("" key) and of each direct unit's (by path), straight from the records.

    Hand-written SQL over the record tables: a subtree is a range of `orgunits_unit.path`; the first
    `len(path) + 6` characters of a unit's path name the direct unit it lies under. An activity
    counts once in a subtree that holds its recording unit, an organiser or a party of its programme.
    """
    low, high = unit.path, unit.path + PATH_END
    width = len(unit.path) + SEGMENT
    d1, d2 = period.start, period.end
    t1, t2 = _utc_bounds(period)
    y1, y2 = _benefit_years(period)
    child = f"substr(u.path, 1, {width})"
    in_subtree = "u.path >= %s AND u.path < %s"
    out: dict[str, dict[str, int]] = {}

    def add(rows: list[tuple], codes: tuple[str, ...]) -> None:
        for group, *values in rows:
            # The unit's own records count in its total only.
            key = "" if group is None else group
            target = out.setdefault(key, {})
            for code, value in zip(codes, values, strict=True):
                target[code] = target.get(code, 0) + int(value or 0)
            if key:
                total = out.setdefault("", {})
                for code, value in zip(codes, values, strict=True):
                    total[code] = total.get(code, 0) + int(value or 0)

    def grouped(select: str, params: list[Any]) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(select, params)
            rows = cursor.fetchall()
        return [(None if len(group) < width else group, *values) for group, *values in rows]

    add(
        grouped(
            f"SELECT {child}, "  # noqa: S608 - fixed SQL text, values bound
            "SUM(CASE WHEN m.join_date <= %s AND (m.end_date IS NULL OR m.end_date > %s) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN m.join_date >= %s AND m.join_date <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN m.end_date >= %s AND m.end_date <= %s THEN 1 ELSE 0 END) "
            f"FROM members_membership m JOIN orgunits_unit u ON u.id = m.unit_id WHERE {in_subtree} "
            "AND (m.join_date <= %s) GROUP BY 1",
            [d2, d2, d1, d2, d1, d2, low, high, d2],
        ),
        ("members.active", "members.joined", "members.ended"),
    )
    add(
        grouped(
            f"SELECT {child}, "  # noqa: S608 - fixed SQL text, values bound
            "SUM(CASE WHEN i.status <> 'draft' AND i.requested_on >= %s AND i.requested_on <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN i.status = 'recognised' AND i.recognised_on >= %s AND i.recognised_on <= %s "
            "THEN 1 ELSE 0 END) "
            f"FROM initiatives_initiative i JOIN orgunits_unit u ON u.id = i.unit_id WHERE {in_subtree} GROUP BY 1",
            [d1, d2, d1, d2, low, high],
        ),
        ("initiatives.submitted", "initiatives.recognized"),
    )
    add(
        grouped(
            f"SELECT {child}, SUM(b.amount_vnd) FROM initiatives_initiativebenefit b "  # noqa: S608 - fixed SQL text, values bound
            "JOIN initiatives_initiative i ON i.id = b.initiative_id JOIN orgunits_unit u ON u.id = i.unit_id "
            f"WHERE {in_subtree} AND b.year >= %s AND b.year <= %s GROUP BY 1",
            [low, high, y1, y2],
        ),
        ("initiatives.benefit_vnd",),
    )
    add(
        grouped(
            f"SELECT {child}, COUNT(*), SUM(a.bonus_vnd) FROM awards_award a "  # noqa: S608 - fixed SQL text, values bound
            "JOIN awards_decision d ON d.id = a.decision_id JOIN orgunits_unit u ON u.id = a.awardee_unit_id "
            f"WHERE {in_subtree} AND d.signed_on >= %s AND d.signed_on <= %s "
            "AND (a.revoked_on IS NULL OR a.revoked_on > %s) GROUP BY 1",
            [low, high, d1, d2, d2],
        ),
        ("awards.count", "awards.bonus_vnd"),
    )
    # Activities: each counts once per subtree, whichever of its units lie there. Read from the subtree's
    # units: the activities they organised, recorded, or held under a programme they are a party to.
    held = " UNION ALL ".join(
        f"SELECT {child} AS c, a.id, a.participants FROM orgunits_unit u {join} "  # noqa: S608 - fixed SQL text
        f"JOIN activities_activity a ON a.id = {activity} "
        f"WHERE {in_subtree} AND a.status = 'held' AND a.starts_at >= %s AND a.starts_at < %s"
        for join, activity in UNIT_ACTIVITIES
    )
    held_params: list[Any] = [low, high, t1, t2] * len(UNIT_ACTIVITIES)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c, COUNT(*), SUM(participants) FROM (SELECT DISTINCT h.c, h.id, h.participants "  # noqa: S608
            f"FROM ({held}) h) x WHERE length(c) = %s GROUP BY c",
            [*held_params, width],
        )
        by_child = cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*), SUM(participants) FROM (SELECT DISTINCT h.id, h.participants "  # noqa: S608
            f"FROM ({held}) h) x",
            held_params,
        )
        total = cursor.fetchone()
    for group, count, participants in by_child:
        out.setdefault(group, {}).update({"activities.count": count, "activities.participants": int(participants or 0)})
    out.setdefault("", {}).update({"activities.count": total[0], "activities.participants": int(total[1] or 0)})
    # Dialogues held: each counts once per subtree, like the activity it is.
    dialogues = " UNION ALL ".join(
        f"SELECT {child} AS c, d.activity_id AS id FROM orgunits_unit u {join} "  # noqa: S608 - fixed SQL text
        f"JOIN democracy_dialogue d ON d.activity_id = {activity} JOIN activities_activity a ON a.id = d.activity_id "
        f"WHERE {in_subtree} AND a.status = 'held' AND d.held_on >= %s AND d.held_on <= %s"
        for join, activity in UNIT_ACTIVITIES
    )
    _distinct(
        out,
        "dialogues.held",
        f"SELECT {{group}}, COUNT(DISTINCT h.id) FROM ({dialogues}) h",  # noqa: S608 - fixed SQL text, values bound
        [low, high, d1, d2] * len(UNIT_ACTIVITIES),
        "h.c",
        width,
    )
    # Employers overdue on the last day: a union of theirs standing in the subtree, and their last periodic
    # dialogue by then (or, without one, their first standing union's founding) before the rule's threshold.
    try:
        overdue_before = obligations_on(d2).dialogue.overdue_before
    except DomainError:
        overdue_before = dt.date.min
    standing = "{t}.established_date <= %s AND ({t}.ended_date IS NULL OR {t}.ended_date > %s)"
    # Only the employers of the subtree's unions: their dialogues and first unions.
    employers = "SELECT n.employer_id FROM orgunits_unit n WHERE n.path >= %s AND n.path < %s"
    last = (
        "SELECT x.employer_id, MAX(x.held_on) AS held FROM democracy_dialogue x JOIN activities_activity a "  # noqa: S608
        "ON a.id = x.activity_id WHERE a.status = 'held' AND x.trigger = 'periodic' AND x.held_on <= %s "
        f"AND x.employer_id IN ({employers}) GROUP BY x.employer_id"
    )
    since = (
        "SELECT s.employer_id, MIN(s.established_date) AS day FROM orgunits_unit s "  # noqa: S608 - fixed SQL text
        f"WHERE s.employer_id IN ({employers}) AND {standing.format(t='s')} GROUP BY s.employer_id"
    )
    _distinct(
        out,
        "dialogues.overdue_employers",
        "SELECT {group}, COUNT(DISTINCT u.employer_id) FROM orgunits_unit u "  # noqa: S608 - fixed SQL text
        f"JOIN orgunits_unit e ON e.id = u.employer_id JOIN ({since}) f ON f.employer_id = u.employer_id "
        f"LEFT JOIN ({last}) l ON l.employer_id = u.employer_id WHERE {in_subtree} "
        f"AND {standing.format(t='u')} AND {standing.format(t='e')} AND COALESCE(l.held, f.day) < %s",
        [low, high, d2, d2, d2, low, high, low, high, d2, d2, d2, d2, overdue_before],
        child,
        width,
    )
    return out


def _distinct(out: dict[str, dict[str, int]], code: str, select: str, params: list, child: str, width: int) -> None:
    """A count of distinct things for the subtree and for each direct unit (`{group}` in `select` is where
    `child`, the direct unit's path, goes); the subtree's is not the sum of its units' when a thing lies under
    two of them."""
    with connection.cursor() as cursor:
        cursor.execute(select.format(group=f"{child} AS g") + " GROUP BY g", params)
        by_child = cursor.fetchall()
        cursor.execute(select.format(group="0"), params)
        total = cursor.fetchone()
    for group, count in by_child:
        if len(group) == width:
            out.setdefault(group, {})[code] = count
    out.setdefault("", {})[code] = total[1]


def differences(report: SummaryReport, counted: dict[str, dict[str, int]], paths: dict[str, str]) -> list[str]:
    """Every checked figure where the report and the recount disagree, as "unit indicator: report ≠ recount"."""
    out = []
    rows = [("", report.total), *((paths.get(row.unit.code, "?"), row) for row in report.children)]
    for key, row in rows:
        for code in CHECKED:
            mine = row.value(code)
            theirs = counted.get(key, {}).get(code, 0)
            if mine != theirs:
                out.append(f"{row.unit.code} {code}: {mine:,} ≠ {theirs:,}")
    return out


# ---------------------------------------------------------------- the run


def bench_report(*, repeat: int, today: dt.date, rebuild: bool = True) -> ReportBench:
    """Rebuild the roll-ups (or only bring them up to date), then time and check the summaries, the
    exports and the refreshes."""
    started = time.perf_counter()
    if rebuild:
        rollup.rollup_rebuild()
    else:
        rollup.rollup_refresh()
    rebuild_seconds = time.perf_counter() - started if rebuild else None
    chosen = scopes()
    results = []
    moved = []
    for name, unit in chosen.items():
        measure = Measure(f"summary of the {name} ({unit.code}), 2023–2025", TARGET_MS[name])
        report = summary_build(unit=unit, period=PERIOD, today=today)  # warm-up
        for _ in range(repeat):
            started_ns = time.perf_counter_ns()
            report = summary_build(unit=unit, period=PERIOD, today=today)
            measure.product.append((time.perf_counter_ns() - started_ns) / 1e6)
        counted: dict[str, dict[str, int]] = {}
        for _ in range(max(1, min(repeat, 3))):
            started_ns = time.perf_counter_ns()
            counted = recount(unit, PERIOD)
            measure.raw.append((time.perf_counter_ns() - started_ns) / 1e6)
        paths = dict(Unit.objects.filter(parent=unit).values_list("code", "path"))
        children = len(report.children)
        results.append(ScopeResult(name, unit, measure, children, differences(report, counted, paths)))
        if tree.changed_since(unit, PERIOD.end, unit.path):
            moved.append(unit.code)
    exports = []
    for file_format in ("docx", "pdf"):
        name = f"{file_format.upper()} export of the province ({chosen.province.code})"

        def export(kind: str = file_format) -> None:
            render(summary_build(unit=chosen.province, period=PERIOD, today=today), file_format=kind, language="vi")

        # The first export in a process also loads the libraries and fonts; the worker pays that once.
        first = Measure(f"{name}, first in the process", None)
        first.product.append(_ms(export))
        warm = Measure(f"{name}, median of 3 in a running worker", EXPORT_TARGET_MS)
        warm.product.extend(_ms(export) for _i in range(3))
        exports.extend([first, warm])
    refresh_one, refresh_import = _refreshes(chosen.province)
    refresh_dialogue = _refresh_after_dialogue(chosen.province)
    as_of = summary_build(unit=chosen.country, period=PERIOD, today=today, trend=0).as_of
    return ReportBench(rebuild_seconds, results, exports, refresh_one, refresh_import, refresh_dialogue, as_of, moved)


def _refreshes(province: Unit) -> tuple[Measure, Measure]:
    """`rollup_refresh` after one new membership, then after an import of 1,000 (both rolled back)."""
    one = Measure("refresh after 1 new membership", None)
    many = Measure(f"refresh after an import of {IMPORT_SIZE:,} memberships", None)
    try:
        with transaction.atomic():
            for measure, size in ((one, 1), (many, IMPORT_SIZE)):
                generated = members_generate(members=size, seed=size, with_ids=False)
                # The generator audits itself as one bulk entry, which asks for a full rebuild; the roll-ups
                # skip it here, because the per-membership entries below name every unit it touched.
                RollupState.objects.update(audit_watermark=AuditEntry.objects.aggregate(m=Max("id"))["m"])
                joined = Membership.objects.filter(person_id__gte=generated.first_id).select_related("unit")
                # What the import service records: one entry per membership, naming its unit.
                record_many(
                    actor=None,
                    action="membership.create",
                    changes=[Change(obj=m, after={"unit": m.unit.code}) for m in joined],
                    reason="Benchmark",
                )
                measure.product.append(_ms(rollup.rollup_refresh))
            raise _Rollback
    except _Rollback:
        pass
    return one, many


def _refresh_after_dialogue(province: Unit) -> Measure:
    """`rollup_refresh` after a periodic dialogue held at an employer of the province (rolled back): the
    employer's overdue spells are recounted from all its dialogues."""
    measure = Measure("refresh after 1 new dialogue", None)
    union = (
        Unit.objects.filter(path__gt=province.path, path__lt=province.path + PATH_END, employer__isnull=False)
        .order_by("pk")
        .first()
    )
    kind = ActivityKind.objects.filter(role=KindRole.WORKPLACE_DIALOGUE).first()
    if union is None or union.employer_id is None or kind is None:
        return measure
    starts = dt.datetime.combine(PERIOD.end, dt.time(2), dt.UTC)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                kind=kind,
                unit=union,
                title="Đối thoại định kỳ",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                attendance_mode=AttendanceMode.COUNTED,
            )
            ActivityOrganiser.objects.create(activity=activity, unit=union)
            dialogue = Dialogue.objects.create(
                activity=activity,
                employer_id=union.employer_id,
                trigger=DialogueTrigger.PERIODIC,
                held_on=PERIOD.end,
                headcount=120,
                employer_side=3,
                employee_side=5,
            )
            # What the dialogue service records: the activity (naming its unit), then the workplace record.
            record_many(actor=None, action="activity.create", changes=[Change(obj=activity)], reason="Benchmark")
            record_many(actor=None, action="dialogue.record", changes=[Change(obj=dialogue)], reason="Benchmark")
            measure.product.append(_ms(rollup.rollup_refresh))
            raise _Rollback
    except _Rollback:
        pass
    return measure


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
