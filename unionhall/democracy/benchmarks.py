"""The compliance benchmark: the dashboard of a province with thousands of employers, beside raw SQL.

Inside one transaction that is rolled back: a synthetic province (communes, `employers` enterprises,
each with its grassroots union) and three years of periodic dialogues and employee conferences
(some employers never held one, some are late, most are on time) are written set-wise. Then the
product's dashboard selector (`compliance_page` with its counts: the first page of the overdue and
due-soon employers and the counts per state) runs for the province, several times, and the median
is kept; the raw limit computes the same counts and page with hand-written SQL. Both answers are compared.
"""

import datetime as dt
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from unionhall.activities.choices import ActivityStatus, AttendanceMode
from unionhall.activities.models import Activity, ActivityKind, ActivityOrganiser
from unionhall.core.bulk import analyze, bulk_insert_values, reserve_ids
from unionhall.core.scoping import PATH_END
from unionhall.orgunits import paths
from unionhall.orgunits.models import Unit, UnitType

from .choices import ComplianceFilter, DialogueTrigger
from .models import Dialogue, EmployeeConference
from .selectors import STATE_RANK, compliance_page, obligations_on

TARGET_MS = 300.0
TARGET_EMPLOYERS = 5_000
EMPLOYERS_PER_COMMUNE = 100
PAGE = 50
REPEATS = 7
YEARS = 3
# Of the employers: never held anything, held late, held on time (the rest).
NEVER, LATE = 0.05, 0.15


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class ComplianceBench:
    employers: int
    product_ms: float
    raw_ms: float
    queries: int
    database: str
    generated: str
    counts: dict[str, int]
    same_answer: bool

    @property
    def ratio(self) -> float:
        return self.product_ms / self.raw_ms if self.raw_ms else float("inf")


def _unit_row(unit_id: int, parent: dict[str, Any] | None, type_id: int, code: str, name: str, day: dt.date) -> dict:
    path = paths.child_path(parent["path"] if parent else "", unit_id)
    return {
        "id": unit_id,
        "code": code,
        "name_vi": name,
        "search_name": code.lower(),
        "type_id": type_id,
        "parent_id": parent["id"] if parent else None,
        "path": path,
        "depth": paths.depth(path),
        "established_date": day,
        "status": "active",
    }


def _generate(employers: int, seed: int, today: dt.date) -> tuple[Unit, str]:
    """A province with `employers` employers and their unions, and their dialogues and conferences."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    types = dict(UnitType.objects.values_list("code", "pk"))
    communes = max(1, employers // EMPLOYERS_PER_COMMUNE)
    ids = iter(reserve_ids(Unit, 2 + communes + 2 * employers))
    founded = dt.date(today.year - 6, 1, 1)
    root = _unit_row(next(ids), None, types["confederation"], "", "Tổng Liên đoàn (benchmark)", founded)
    province = _unit_row(next(ids), root, types["provincial_federation"], "", "Liên đoàn tỉnh (benchmark)", founded)
    rows = [root, province]
    commune_rows = []
    for i in range(communes):
        commune_rows.append(
            _unit_row(next(ids), province, types["commune_union"], "", f"Công đoàn xã {i + 1}", founded)
        )
    rows += commune_rows
    employer_ids = []
    for i in range(employers):
        commune = commune_rows[i % communes]
        enterprise = _unit_row(next(ids), commune, types["enterprise"], "", f"Công ty {i + 1}", founded)
        # Unions founded over six years: some younger than the interval, so never held is not always overdue.
        since = founded + dt.timedelta(days=rng.randrange(6 * 365))
        union = _unit_row(next(ids), commune, types["grassroots_union"], "", f"CĐCS Công ty {i + 1}", since)
        union["employer_id"] = enterprise["id"]
        rows += [enterprise, union]
        employer_ids.append((enterprise["id"], union["id"], since))
    for row in rows:
        row["code"] = f"BENCH-DM-{row['id']}"
        row["search_name"] = row["code"].lower()
    bulk_insert_values(Unit, rows, with_pk=True)

    kinds = dict(
        ActivityKind.objects.filter(code__in=["workplace_dialogue", "employee_conference"]).values_list("code", "pk")
    )
    plans: list[tuple[str, int, int, dt.date]] = []
    for employer_id, union_id, since in employer_ids:
        luck = rng.random()
        if luck < NEVER:
            continue
        # Late employers last met 13–24 months ago; the others 1–12 months ago, and yearly before that.
        gap = rng.randrange(395, 730) if luck < NEVER + LATE else rng.randrange(20, 365)
        for code in ("workplace_dialogue", "employee_conference"):
            day = today - dt.timedelta(days=gap + rng.randrange(0, 15))
            for _year in range(YEARS):
                if day >= since:
                    plans.append((code, employer_id, union_id, day))
                day -= dt.timedelta(days=365)
    activity_ids = reserve_ids(Activity, len(plans))
    now = timezone.now()
    activities, organisers, dialogues, conferences = [], [], [], []
    for pk, (code, employer_id, union_id, day) in zip(activity_ids, plans, strict=True):
        starts = dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC)
        activities.append(
            {
                "id": pk,
                "kind_id": kinds[code],
                "unit_id": union_id,
                "title": "Đối thoại định kỳ" if code == "workplace_dialogue" else "Hội nghị người lao động",
                "starts_at": starts,
                "status": ActivityStatus.HELD.value,
                "attendance_mode": AttendanceMode.COUNTED.value,
                "created_at": now,
                "updated_at": now,
            }
        )
        organisers.append({"activity_id": pk, "unit_id": union_id})
        headcount = 50 + (employer_id % 400)
        if code == "workplace_dialogue":
            dialogues.append(
                {
                    "activity_id": pk,
                    "employer_id": employer_id,
                    "trigger": DialogueTrigger.PERIODIC.value,
                    "held_on": day,
                    "headcount": headcount,
                    "employer_side": 3,
                    "legal_representative_present": True,
                    "employee_side": 9,
                    "composition_issues": "[]",
                }
            )
        else:
            conferences.append(
                {
                    "activity_id": pk,
                    "employer_id": employer_id,
                    "held_on": day,
                    "form": "all",
                    "headcount": headcount,
                    "attended": headcount - 5,
                }
            )
    bulk_insert_values(Activity, activities, with_pk=True)
    bulk_insert_values(ActivityOrganiser, organisers)
    bulk_insert_values(Dialogue, dialogues, with_pk=True)
    bulk_insert_values(EmployeeConference, conferences, with_pk=True)
    analyze([Unit, Activity, ActivityOrganiser, Dialogue, EmployeeConference])
    generated = (
        f"a province of {communes:,} communes and {employers:,} employers with their unions; "
        f"{len(dialogues):,} periodic dialogues and {len(conferences):,} employee conferences over {YEARS} years"
    )
    return Unit.objects.get(pk=province["id"]), generated


def _raw(unit: Unit, today: dt.date, limit: int) -> tuple[dict[str, int], list[int]]:
    """The same counts and first page as the product, in hand-written SQL (two statements)."""
    obligations = obligations_on(today)
    d, c = obligations.dialogue, obligations.conference
    postgres = connection.vendor == "postgresql"
    least = "LEAST" if postgres else "MIN"

    def day(value: dt.date) -> Any:
        return value if postgres else value.isoformat()

    ranked = f"""
        WITH emp AS (
            SELECT u.employer_id AS id, MIN(u.established_date) AS since
            FROM orgunits_unit u
            WHERE u.path >= %s AND u.path < %s AND u.status = 'active' AND u.employer_id IS NOT NULL
            GROUP BY u.employer_id
        ), dl AS (
            SELECT d.employer_id AS id, MAX(d.held_on) AS last
            FROM democracy_dialogue d JOIN activities_activity a ON a.id = d.activity_id
            WHERE d.trigger = 'periodic' AND a.status = 'held' AND d.employer_id IN (SELECT id FROM emp)
            GROUP BY d.employer_id
        ), cf AS (
            SELECT c.employer_id AS id, MAX(c.held_on) AS last
            FROM democracy_employeeconference c JOIN activities_activity a ON a.id = c.activity_id
            WHERE a.status = 'held' AND c.employer_id IN (SELECT id FROM emp)
            GROUP BY c.employer_id
        ), refs AS (
            SELECT emp.id, COALESCE(dl.last, emp.since) AS dref, COALESCE(cf.last, emp.since) AS cref
            FROM emp JOIN orgunits_unit e ON e.id = emp.id AND e.status = 'active'
            LEFT JOIN dl ON dl.id = emp.id LEFT JOIN cf ON cf.id = emp.id
        ), ranked AS (
            SELECT id, {least}(dref, cref) AS oldest,
                {least}(CASE WHEN dref < %s THEN 0 WHEN dref < %s THEN 1 ELSE 2 END,
                        CASE WHEN cref < %s THEN 0 WHEN cref < %s THEN 1 ELSE 2 END) AS rank
            FROM refs
        )"""  # noqa: S608 - only the function name is formatted in
    params = [
        unit.path,
        unit.path + PATH_END,
        day(d.overdue_before),
        day(d.due_soon_before),
        day(c.overdue_before),
        day(c.due_soon_before),
    ]
    with connection.cursor() as cursor:
        cursor.execute(ranked + " SELECT rank, COUNT(*) FROM ranked GROUP BY rank", params)  # noqa: S608
        by_rank = dict(cursor.fetchall())
        cursor.execute(
            ranked + " SELECT id FROM ranked WHERE rank < 2 ORDER BY rank, oldest, id LIMIT %s",  # noqa: S608
            [*params, limit],
        )
        page = [row[0] for row in cursor.fetchall()]
    return {state: by_rank.get(rank, 0) for state, rank in STATE_RANK.items()}, page


def bench_compliance(
    *, employers: int = TARGET_EMPLOYERS, seed: int = 1, today: dt.date | None = None
) -> ComplianceBench:
    """Generate, time the dashboard and the raw SQL (median of repeats), roll everything back."""
    today = today or timezone.localdate()
    result: ComplianceBench | None = None
    try:
        with transaction.atomic():
            province, generated = _generate(employers, seed, today)
            actor = get_user_model()(username="bench", is_superuser=True, is_active=True)
            product, raw = [], []
            for _ in range(REPEATS):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    page = compliance_page(
                        actor=actor, unit=province, state=ComplianceFilter.ATTENTION, today=today, limit=PAGE
                    )
                    product.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                raw_counts, raw_page = _raw(province, today, PAGE)
                raw.append((time.perf_counter() - started) * 1000)
            assert page.counts is not None
            same = page.counts.overall == raw_counts and [r.employer.pk for r in page.rows] == raw_page
            result = ComplianceBench(
                employers=page.counts.employers,
                product_ms=statistics.median(product),
                raw_ms=statistics.median(raw),
                queries=len(queries),
                database=connection.vendor,
                generated=generated,
                counts=page.counts.overall,
                same_answer=same,
            )
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result
