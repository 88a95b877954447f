"""The eligibility benchmark: batch eligibility of a province, beside the same criteria in raw SQL.

Inside one transaction that is rolled back: synthetic people and `years` of award and initiative
history (see `synthetic`) are written into the grassroots unions of one province; then the product's
`batch_eligibility` judges every active member of the province against every individual annual or
once-only award type for the last year, and `raw_eligibility` computes the same verdicts with
hand-written aggregate SQL (one query per criterion, set logic in Python, no messages). Both are
timed in the same run and their tallies (eligible / to review / not eligible) compared.

The raw side reads the synthetic data's shape: one membership per person, in a grassroots union,
and at most one officer term per person; on that data it judges exactly as the product does.
"""

import datetime as dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from math import floor
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from unionhall.core.scoping import PATH_END
from unionhall.initiatives.choices import levels_at_least
from unionhall.members.benchmarks import target_province
from unionhall.orgunits import paths
from unionhall.orgunits.synthetic import synthetic_tree_generate

from .choices import Recipient
from .criteria import FAIL, PASS, REVIEW, common_prefix
from .eligibility import BATCH_RECURRENCES, batch_eligibility, judgement_day
from .models import AwardType
from .synthetic import History, award_history_generate

TARGET_SECONDS = 20.0
TARGET_PEOPLE = 100_000
# A tree for the benchmark when the database holds none (rolled back with the rest).
FALLBACK_UNITS = 2_000
OPEN_NOMINATIONS = ("draft", "submitted", "approved")


class _Rollback(Exception):
    pass


@dataclass
class EligibilityResult:
    """One run: the data written, and the product and the raw SQL side by side."""

    history: History
    population: int
    types: list[str]
    product_seconds: float = 0.0
    raw_seconds: float = 0.0
    product_queries: int = 0
    raw_queries: int = 0
    product_tallies: dict[str, Counter] = field(default_factory=dict)
    raw_tallies: dict[str, Counter] = field(default_factory=dict)
    tree_generated: int = 0

    @property
    def ratio(self) -> float:
        return self.product_seconds / self.raw_seconds if self.raw_seconds else float("inf")

    @property
    def same_verdicts(self) -> bool:
        return self.product_tallies == self.raw_tallies


def bench_eligibility(*, people: int, years: int, seed: int = 1, today: dt.date | None = None) -> EligibilityResult:
    """Generate, run the product and the raw SQL, roll everything back."""
    today = today or dt.date.today()
    last_year = today.year - 1
    judged_on = dt.date(last_year + 1, 3, 1)  # after the year-end review, before the next year ends
    result: EligibilityResult | None = None
    try:
        with transaction.atomic():
            generated = 0
            try:
                province, _codes = target_province()
            except ValueError:
                synthetic_tree_generate(actor=None, units=FALLBACK_UNITS, seed=seed, force=True)
                generated = FALLBACK_UNITS
                province, _codes = target_province()
            history = award_history_generate(
                province=province, people=people, years=years, last_year=last_year, seed=seed
            )
            kinds = list(
                AwardType.objects.filter(
                    active=True, recipient=Recipient.INDIVIDUAL, recurrence__in=BATCH_RECURRENCES
                ).order_by("rank", "code")
            )
            actor = get_user_model()(username="bench", is_superuser=True, is_active=True)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                rows = batch_eligibility(actor=actor, unit=province, year=last_year, award_types=kinds, today=judged_on)
                product_seconds = time.perf_counter() - started
            product_tallies: dict[str, Counter] = {k.code: Counter() for k in kinds}
            population = set()
            for row in rows:
                product_tallies[row.award_type.code][_label(row.eligible)] += 1
                population.add(row.person_id)
            with CaptureQueriesContext(connection) as raw_queries, connection.cursor() as cursor:
                started = time.perf_counter()
                raw_tallies = raw_eligibility(
                    cursor, province_path=province.path, year=last_year, kinds=kinds, today=judged_on
                )
                raw_seconds = time.perf_counter() - started
            result = EligibilityResult(
                history=history,
                population=len(population),
                types=[k.code for k in kinds],
                product_seconds=product_seconds,
                raw_seconds=raw_seconds,
                product_queries=len(queries),
                raw_queries=len(raw_queries),
                product_tallies=product_tallies,
                raw_tallies=raw_tallies,
                tree_generated=generated,
            )
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _label(eligible: bool | None) -> str:
    return PASS if eligible is True else FAIL if eligible is False else REVIEW


# ---------------------------------------------------------------- the raw limit


class _Raw:
    """The criteria language as hand-written aggregate SQL over one population (three-valued sets)."""

    def __init__(self, cursor: Any, *, province_path: str, year: int, day: dt.date) -> None:
        self.cursor = cursor
        self.year = year
        self.day = day
        self.postgres = connection.vendor == "postgresql"
        self.pop_sql = (
            "SELECT m.person_id FROM members_membership m JOIN orgunits_unit u ON u.id = m.unit_id "
            "WHERE u.path >= %s AND u.path < %s AND m.status = 'active'"
        )
        self.pop_params = [province_path, province_path + PATH_END]
        cursor.execute(self.pop_sql.replace("SELECT m.person_id", "SELECT m.person_id, m.unit_id"), self.pop_params)
        self.unit_of: dict[int, int] = dict(cursor.fetchall())
        self.everyone = frozenset(self.unit_of)
        if self.postgres:
            # As the product does: the ids as one array, so the planner knows how many there are.
            self.pop_clause, self.pop_values = "= ANY(%s::bigint[])", ["{" + ",".join(map(str, self.unit_of)) + "}"]
        else:
            self.pop_clause, self.pop_values = f"IN ({self.pop_sql})", self.pop_params
        self.province_path = province_path
        self._units: dict[int, tuple[str, int, bool, bool]] | None = None

    def ids(self, sql: str, params: list[Any], after: list[Any] | None = None) -> set[int]:
        """People of the population that `sql` returns; POP stands for the population's subquery.

        `params` fill the placeholders before POP, `after` those after it.
        """
        self.cursor.execute(sql.replace("IN (POP)", self.pop_clause), [*params, *self.pop_values, *(after or [])])
        return {row[0] for row in self.cursor.fetchall()}

    @staticmethod
    def marks(values: list[Any]) -> str:
        return ", ".join(["%s"] * len(values))

    # ------------------------------------------------------------ criteria: (pass set, review set)

    def judge(self, item: Any, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        name = item.get("check") if isinstance(item, dict) else None
        method = getattr(self, f"c_{name}", None) if isinstance(name, str) else None
        if method is None:
            return set(), set(self.everyone)
        return method(item, kinds, own)

    def c_all(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        parts = [self.judge(child, kinds, own) for child in item.get("of") or []]
        if not parts:
            return set(), set(self.everyone)
        passed = set.intersection(*(p for p, _r in parts))
        failed = set().union(*(self.everyone - p - r for p, r in parts))
        return passed, set(self.everyone) - passed - failed

    def c_any(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        parts = [self.judge(child, kinds, own) for child in item.get("of") or []]
        if not parts:
            return set(), set(self.everyone)
        passed = set().union(*(p for p, _r in parts))
        return passed, set().union(*(r for _p, r in parts)) - passed

    def _award_years(self, kind: int, first: int | None, last: int, having: str = "") -> set[int]:
        window = "AND a.year >= %s " if first is not None else ""
        params = [kind, *([first] if first is not None else []), last]
        return self.ids(
            "SELECT a.person_id FROM awards_award a WHERE a.award_type_id = %s "  # noqa: S608
            f"{window}AND a.year <= %s AND a.revoked_on IS NULL AND a.person_id IN (POP) GROUP BY a.person_id {having}",
            params,
        )

    def c_holds(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        kind = kinds.get(item.get("award", ""))
        if kind is None:
            return set(), set(self.everyone)
        return self._award_years(kind, self.year, self.year), set()

    def c_consecutive(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        kind, years = kinds.get(item.get("award", "")), item.get("years")
        if kind is None or not isinstance(years, int) or isinstance(years, bool) or years < 1:
            return set(), set(self.everyone)
        first = self.year - years + 1
        return self._award_years(kind, first, self.year, f"HAVING COUNT(DISTINCT a.year) >= {years:d}"), set()

    def c_once(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        return set(self.everyone) - self._award_years(own, None, 9999), set()

    def c_initiatives(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        count, years = item.get("count", 1), item.get("years", 1)
        levels = levels_at_least(item.get("level", "grassroots"))
        passed = self.ids(
            "SELECT ia.person_id FROM initiatives_initiativeauthor ia "  # noqa: S608
            "JOIN initiatives_initiative i ON i.id = ia.initiative_id "
            f"WHERE i.status = 'recognised' AND i.level IN ({self.marks(levels)}) "
            "AND i.recognised_on >= %s AND i.recognised_on <= %s AND ia.person_id IN (POP) "
            "GROUP BY ia.person_id HAVING COUNT(*) >= %s",
            [*levels, dt.date(self.year - years + 1, 1, 1), self.day],
            [count],
        )
        return passed, set()

    def c_benefit(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        years, single = item.get("years", 1), item.get("single", False)
        share = (
            "FLOOR(SUM(b.amount_vnd) * ia.share / 100)"
            if self.postgres
            else "CAST(SUM(b.amount_vnd) * ia.share / 100 AS INTEGER)"
        )
        passed = self.ids(
            f"SELECT person_id FROM (SELECT ia.person_id, {share} AS v FROM initiatives_initiativeauthor ia "  # noqa: S608
            "JOIN initiatives_initiative i ON i.id = ia.initiative_id "
            "JOIN initiatives_initiativebenefit b ON b.initiative_id = i.id AND b.year >= %s AND b.year <= %s "
            "WHERE i.status = 'recognised' AND ia.person_id IN (POP) "
            "GROUP BY ia.person_id, ia.initiative_id, ia.share) t "
            f"GROUP BY person_id HAVING {'MAX' if single else 'SUM'}(v) >= %s",
            [self.year - years + 1, self.year],
            [item.get("amount_vnd", 0)],
        )
        return passed, set()

    def c_education(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        inside = "in" in item
        levels = item.get("in" if inside else "not_in") or [""]
        blank = self.ids("SELECT p.id FROM members_person p WHERE p.education_level = '' AND p.id IN (POP)", [])
        listed = self.ids(
            f"SELECT p.id FROM members_person p WHERE p.education_level IN ({self.marks(levels)}) AND p.id IN (POP)",  # noqa: S608
            levels,
        )
        return (listed if inside else set(self.everyone) - listed - blank), blank

    def _officers(self, positions: list[str]) -> set[int]:
        among = f"AND t.position IN ({self.marks(positions)}) " if positions else ""
        return self.ids(
            "SELECT DISTINCT m.person_id FROM members_officerterm t "  # noqa: S608
            "JOIN members_membership m ON m.id = t.membership_id "
            f"WHERE t.term_start <= %s AND (t.term_end IS NULL OR t.term_end >= %s) {among}AND m.person_id IN (POP)",
            [self.day, dt.date(self.year, 1, 1), *positions],
        )

    def c_officer(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        return self._officers(item.get("positions") or []), set()

    def c_not_officer(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        return set(self.everyone) - self._officers(item.get("positions") or []), set()

    def c_membership_months(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        months = item.get("months", 0)
        end = self.day + dt.timedelta(days=1)
        total = end.year * 12 + end.month - 1 - months
        cutoff = dt.date(total // 12, total % 12 + 1, end.day)  # whole months up to `end` reach `months`
        passed = self.ids(
            "SELECT m.person_id FROM members_membership m WHERE m.join_date <= %s "
            "AND (m.end_date IS NULL OR m.end_date >= %s) AND m.person_id IN (POP)",
            [cutoff, self.day],
        )
        return passed, set()

    def c_registered(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        sql = "SELECT DISTINCT r.person_id FROM movements_registration r WHERE r.year = %s AND r.person_id IN (POP)"
        return self.ids(sql, [self.year]), set()

    def c_unit_holds(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        kind = kinds.get(item.get("award", ""))
        self.cursor.execute(
            "SELECT DISTINCT a.unit_id FROM awards_award a WHERE a.award_type_id = %s AND a.year = %s "
            "AND a.revoked_on IS NULL AND a.unit_id IS NOT NULL",
            [kind, self.year],
        )
        held = {row[0] for row in self.cursor.fetchall()}
        return {person for person, unit in self.unit_of.items() if unit in held}, set()

    def c_service_years(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        needed = Decimal(str(item.get("years", 0)))
        factor = Decimal(str(item.get("part_time_factor", 1)))
        if self.postgres:
            days = "LEAST(COALESCE(t.term_end, %s), %s) - t.term_start + 1"
        else:
            days = "julianday(MIN(COALESCE(t.term_end, %s), %s)) - julianday(t.term_start) + 1"
        self.cursor.execute(
            f"SELECT m.person_id, t.full_time, SUM({days}) FROM members_officerterm t "  # noqa: S608
            "JOIN members_membership m ON m.id = t.membership_id "
            f"WHERE t.term_start <= %s AND m.person_id {self.pop_clause} GROUP BY m.person_id, t.full_time",
            [self.day, self.day, self.day, *self.pop_values],
        )
        weighted: dict[int, Decimal] = {}
        for person, full_time, total in self.cursor.fetchall():
            weighted[person] = weighted.get(person, Decimal(0)) + Decimal(int(total)) * (1 if full_time else factor)
        passed = {
            person
            for person, value in weighted.items()
            if (value / Decimal("365.25")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) >= needed
        }
        return passed, set()

    def c_manual(self, item: dict, kinds: dict[str, int], own: int) -> tuple[set[int], set[int]]:
        return set(), set(self.everyone)

    # ------------------------------------------------------------ the checks always added

    def already_awarded(self, own: int, period: int) -> set[int]:
        return self._award_years(own, self.year - period + 1, self.year)

    def nominated(self, own: int) -> set[int]:
        return self.ids(
            "SELECT n.person_id FROM awards_nomination n WHERE n.award_type_id = %s AND n.year = %s "  # noqa: S608
            f"AND n.status IN ({self.marks(list(OPEN_NOMINATIONS))}) AND n.person_id IN (POP)",
            [own, self.year, *OPEN_NOMINATIONS],
        )

    def units(self) -> dict[int, tuple[str, int, bool, bool]]:
        """The province's units and their ancestors: id -> (path, type, grassroots, employer type)."""
        if self._units is None:
            above = paths.ancestor_ids(self.province_path)
            self.cursor.execute(
                "SELECT u.id, u.path, u.type_id, t.is_grassroots, t.is_employer FROM orgunits_unit u "  # noqa: S608
                "JOIN orgunits_unittype t ON t.id = u.type_id "
                f"WHERE (u.path >= %s AND u.path < %s){' OR u.id IN (' + self.marks(above) + ')' if above else ''}",
                [self.province_path, self.province_path + PATH_END, *above],
            )
            self._units = {row[0]: (row[1], row[2], row[3], row[4]) for row in self.cursor.fetchall()}
        return self._units

    def quota_full(self, own: int, rule: tuple) -> tuple[set[int], set[int]]:
        """(people whose granting unit's quota is used up, people with no granting unit found)."""
        quota_of, percent, per_year, granting_types, employer_grants = rule
        units = self.units()

        def grants(pk: int) -> bool:
            if not granting_types:
                return units[pk][2]
            return units[pk][1] in granting_types or (employer_grants and units[pk][2])

        granting_of: dict[int, int | None] = {}
        for unit in set(self.unit_of.values()):
            chain = [pk for pk in reversed(paths.ancestor_ids(units[unit][0], include_self=True)) if pk in units]
            fallback = chain[0] if chain and not granting_types else None
            granting_of[unit] = next((pk for pk in chain if grants(pk)), fallback)
        targets = {units[g][0]: g for g in set(granting_of.values()) if g is not None}
        counted: Counter = Counter()
        if targets:
            prefix = common_prefix(targets)
            wanted = [own, *([quota_of] if quota_of else [])]
            self.cursor.execute(
                "SELECT a.award_type_id, u.path, COUNT(*) FROM awards_award a "  # noqa: S608
                "JOIN orgunits_unit u ON u.id = a.awardee_unit_id "
                f"WHERE u.path >= %s AND u.path < %s AND a.year = %s AND a.award_type_id IN ({self.marks(wanted)}) "
                "AND a.revoked_on IS NULL GROUP BY a.award_type_id, u.path",
                [prefix, prefix + PATH_END, self.year, *wanted],
            )
            for kind, path, n in self.cursor.fetchall():
                for end in range(paths.SEGMENT, len(path) + 1, paths.SEGMENT):
                    if path[:end] in targets:
                        counted[(targets[path[:end]], kind)] += n
        full_units = set()
        for granting in set(targets.values()):
            caps = []
            if quota_of is not None and percent is not None:
                caps.append(floor(Decimal(counted[(granting, quota_of)]) * percent / 100))
            if per_year is not None:
                caps.append(per_year)
            if counted[(granting, own)] >= min(caps):
                full_units.add(granting)
        full = {p for p, u in self.unit_of.items() if granting_of.get(u) in full_units}
        unknown = {p for p, u in self.unit_of.items() if granting_of.get(u) is None}
        return full, unknown


def raw_eligibility(
    cursor: Any, *, province_path: str, year: int, kinds: list[AwardType], today: dt.date
) -> dict[str, Counter]:
    """Tallies (pass / review / fail) per award type, computed with aggregate SQL and set logic only."""
    raw = _Raw(cursor, province_path=province_path, year=year, day=dt.date(year, 12, 31))
    cursor.execute("SELECT code, id FROM awards_awardtype")
    codes = dict(cursor.fetchall())
    day = judgement_day(year, today)
    tallies: dict[str, Counter] = {}
    for kind in kinds:
        cursor.execute(
            "SELECT r.id, r.criteria, r.period_years, r.quota_of_id, r.quota_percent, r.quota_per_year "
            "FROM awards_awardrule r WHERE r.award_type_id = %s AND r.valid_from <= %s "
            "AND (r.valid_to IS NULL OR r.valid_to > %s) ORDER BY r.valid_from DESC LIMIT 1",
            [kind.pk, day, day],
        )
        found = cursor.fetchone()
        failed: set[int] = set()
        review: set[int] = set()
        if found is None:
            review = set(raw.everyone)
            failed = raw.already_awarded(kind.pk, 1)
        else:
            rule_id, criteria, period, quota_of, percent, per_year = found
            items = json.loads(criteria) if isinstance(criteria, str) else criteria
            for item in items if isinstance(items, list) else [None]:
                passed, unsure = raw.judge(item, codes, kind.pk)
                failed |= raw.everyone - passed - unsure
                review |= unsure
            failed |= raw.already_awarded(kind.pk, period)
            if quota_of is not None or per_year is not None:
                cursor.execute(
                    "SELECT t.id, t.is_employer FROM awards_awardrule_granting_unit_types g "
                    "JOIN orgunits_unittype t ON t.id = g.unittype_id WHERE g.awardrule_id = %s",
                    [rule_id],
                )
                types = cursor.fetchall()
                rule = (
                    quota_of,
                    None if percent is None else Decimal(str(percent)),
                    per_year,
                    {t[0] for t in types},
                    any(t[1] for t in types),
                )
                full, unknown = raw.quota_full(kind.pk, rule)
                review |= full | unknown
        review |= raw.nominated(kind.pk)
        review -= failed
        tallies[kind.code] = Counter(
            {FAIL: len(failed), REVIEW: len(review), PASS: len(raw.everyone) - len(failed) - len(review)}
        )
        tallies[kind.code] = +tallies[kind.code]  # drop zero counts, as the product's tallies have none
    return tallies
