"""The criteria language of `AwardRule.criteria`, evaluated set-wise for a whole population of nominees.

Each check compiles, once per evaluation, into a column: one or two aggregate queries for the whole
set (GROUP BY person or unit), then a function from a nominee's id to its `Reason`. Reasons are
interned: nominees with the same figures share one object, so a province of 100,000 members costs a
few dictionary lookups per member and per check, and each distinct message is formatted once.
Unknown or malformed checks in the data give a "review" reason instead of an error.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from math import floor
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unionhall.core import formatting
from unionhall.core.scoping import subtree_q
from unionhall.initiatives.choices import Level, Status, levels_at_least
from unionhall.initiatives.models import InitiativeAuthor
from unionhall.members.choices import EducationLevel, Position
from unionhall.members.models import Membership, OfficerTerm, Person
from unionhall.movements.models import Registration
from unionhall.orgunits import paths
from unionhall.orgunits.models import Unit

from .choices import NominationStatus
from .models import Award, AwardRule, AwardType, Nomination

PASS, FAIL, REVIEW = "pass", "fail", "review"
PERSON, UNIT = "person", "unit"
# Beyond this many ids an explicit list is filtered by its id range (then exactly, in Python):
# long IN lists are slow to plan on PostgreSQL and SQLite refuses more than 32,766 parameters.
IN_LIST_LIMIT = 900
OPEN_NOMINATIONS = (NominationStatus.DRAFT, NominationStatus.SUBMITTED, NominationStatus.APPROVED)
DAYS_PER_YEAR = Decimal("365.25")
# Bounds on what a rule may ask, so bad data gives "review" rather than an error.
MAX_YEARS = 100
MAX_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of a check: what was tested, its outcome ("pass", "fail", "review") and why, in words."""

    code: str
    outcome: str
    message: str
    children: tuple["Reason", ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "outcome": self.outcome, "message": self.message}
        if self.children:
            data["children"] = [child.as_dict() for child in self.children]
        return data


# A criterion's outcome for every nominee of the population, by id.
Column = dict[int, Reason]


def outcome_of(outcomes: Iterable[str], *, any_of: bool = False) -> str:
    """All must pass (or, with `any_of`, one must); "review" when only unconfirmed items stand in the way."""
    seen = set(outcomes)
    if any_of:
        return PASS if PASS in seen else REVIEW if REVIEW in seen else FAIL
    return FAIL if FAIL in seen else REVIEW if REVIEW in seen else PASS


# ---------------------------------------------------------------- who is evaluated


@dataclass
class Population:
    """The nominees (people or units) by id; `subquery` selects the same ids in SQL for large sets."""

    kind: str
    ids: list[int]
    subquery: QuerySet | None = None
    _array: str | None = None  # the ids as a PostgreSQL array literal, made once

    def q(self, field_name: str) -> Q:
        if connection.vendor == "postgresql" and len(self.ids) > IN_LIST_LIMIT:
            if self._array is None:
                self._array = array_literal(self.ids)
            return Q(AnyOf(field_name, self._array))
        if self.subquery is not None:
            return Q(**{f"{field_name}__in": self.subquery})
        return id_q(field_name, self.ids)


class AnyOf(Func):
    """`field = ANY(ids)` with the ids as one array parameter (PostgreSQL).

    Unlike `IN (subquery)` over a unit subtree, whose size the planner cannot guess (it then probes
    an index once per person), an array tells it how many there are, so it can pick a hashed scan.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, field_name: str, ids: str):
        super().__init__(F(field_name))
        self.ids = ids  # "{1,2,3}": one text parameter is far cheaper to send than a list of ints

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s::bigint[])", (*params, self.ids)


def id_q(field_name: str, ids: list[int]) -> Q:
    """`field IN ids`; for a long list an array on PostgreSQL, else the id range around them
    (callers keep only the ids they asked for)."""
    if len(ids) <= IN_LIST_LIMIT:
        return Q(**{f"{field_name}__in": ids})
    if connection.vendor == "postgresql":
        return Q(AnyOf(field_name, array_literal(ids)))
    return Q(**{f"{field_name}__gte": min(ids), f"{field_name}__lte": max(ids)})


def array_literal(ids: Iterable[int]) -> str:
    return "{" + ",".join(map(str, ids)) + "}"


def common_prefix(unit_paths: Iterable[str]) -> str:
    """The longest path that every path starts with, cut at a segment boundary."""
    items = list(unit_paths)
    if not items:
        return ""
    low, high = min(items), max(items)
    length = 0
    while length < min(len(low), len(high)) and low[length] == high[length]:
        length += 1
    return low[: length - length % paths.SEGMENT]


@dataclass(frozen=True)
class UnitInfo:
    pk: int
    path: str
    type_id: int
    grassroots: bool
    name: str


class Facts:
    """What the database says about a population, loaded set-wise on first use and kept for reuse.

    One `Facts` serves several evaluations of the same population (batch eligibility evaluates
    every award type for the same members), so a fact needed by two rules is read once.
    """

    def __init__(self, population: Population):
        self.population = population
        self._memo: dict[Any, Any] = {}

    def _once(self, key: Any, load: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    @property
    def nominee_field(self) -> str:
        return "person_id" if self.population.kind == PERSON else "unit_id"

    # ------------------------------------------------------------ catalogue and units

    def award_types(self) -> dict[str, AwardType]:
        return self._once("types", lambda: {t.code: t for t in AwardType.objects.all()})

    def units(self, ids: Iterable[int]) -> dict[int, UnitInfo]:
        """Units by id with their ancestors (read off the paths): two queries at most, then cached."""
        known: dict[int, UnitInfo] = self._memo.setdefault("units", {})
        wanted = {pk for pk in ids if pk not in known}
        if wanted:
            found = self._load_units(wanted)
            known.update(found)
            ancestors = {a for info in found.values() for a in paths.ancestor_ids(info.path)} - known.keys()
            if ancestors:
                known.update(self._load_units(ancestors))
        return known

    @staticmethod
    def _load_units(ids: set[int]) -> dict[int, UnitInfo]:
        wanted = sorted(ids)
        rows = (
            Unit.objects.filter(id_q("pk", wanted))
            .order_by()
            .values_list("pk", "path", "type_id", "type__is_grassroots", "name_vi", "name_en", "name_ar", "name_fa")
        )
        language = formatting.current_preferences().language
        column = {"vi": 4, "en": 5, "ar": 6, "fa": 7}.get(language, 4)
        return {
            row[0]: UnitInfo(row[0], row[1], row[2], row[3], str(row[column] or row[4]))
            for row in rows
            if row[0] in ids
        }

    # ------------------------------------------------------------ awards

    def award_years(self, type_id: int, first: int | None, last: int | None) -> dict[int, tuple[int, ...]]:
        """Nominee id -> the years (ascending) of their active awards of one type in [first, last]."""

        def load() -> dict[int, tuple[int, ...]]:
            qs = Award.objects.filter(self.population.q(self.nominee_field), award_type_id=type_id, revoked_on=None)
            if first is not None:
                qs = qs.filter(year__gte=first)
            if last is not None:
                qs = qs.filter(year__lte=last)
            found: dict[int, set[int]] = {}
            for nominee, year in qs.order_by().values_list(self.nominee_field, "year"):
                found.setdefault(nominee, set()).add(year)
            return {nominee: tuple(sorted(years)) for nominee, years in found.items()}

        return self._once(("award_years", type_id, first, last), load)

    # ------------------------------------------------------------ people

    def memberships(self) -> dict[int, list[tuple[int, dt.date, dt.date | None]]]:
        """Person id -> their memberships (unit, joined, ended), by join date."""

        def load() -> dict[int, list[tuple[int, dt.date, dt.date | None]]]:
            found: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
            rows = (
                Membership.objects.filter(self.population.q("person_id"))
                .order_by()
                .values_list("person_id", "unit_id", "join_date", "end_date")
            )
            for person, unit, joined, ended in rows:
                found.setdefault(person, []).append((unit, joined, ended))
            for items in found.values():
                items.sort(key=lambda item: item[1])
            return found

        return self._once("memberships", load)

    def unit_on(self, day: dt.date) -> dict[int, int]:
        """Person id -> the unit of their membership in force on `day` (else the last one begun by then)."""

        def load() -> dict[int, int]:
            out: dict[int, int] = {}
            for person, items in self.memberships().items():
                chosen: tuple[int, bool] | None = None
                for unit, joined, ended in items:
                    if joined > day:
                        break
                    if ended is None or ended >= day:
                        chosen = (unit, True)
                    elif chosen is None or not chosen[1]:
                        chosen = (unit, False)
                if chosen is not None:
                    out[person] = chosen[0]
            return out

        return self._once(("unit_on", day), load)

    def membership_months(self, day: dt.date) -> dict[int, int | None]:
        """Person id -> whole months of unbroken membership up to `day` (None: not a member that day)."""

        def load() -> dict[int, int | None]:
            return {person: months_of_membership(items, day) for person, items in self.memberships().items()}

        return self._once(("membership_months", day), load)

    def education(self) -> dict[int, str]:
        def load() -> dict[int, str]:
            rows = Person.objects.filter(self.population.q("pk")).order_by().values_list("pk", "education_level")
            return dict(rows)

        return self._once("education", load)

    def officer_terms(self) -> dict[int, list[tuple[str, bool, dt.date, dt.date | None]]]:
        """Person id -> their officer terms (position, full-time, start, end)."""

        def load() -> dict[int, list[tuple[str, bool, dt.date, dt.date | None]]]:
            found: dict[int, list[tuple[str, bool, dt.date, dt.date | None]]] = {}
            rows = (
                OfficerTerm.objects.filter(self.population.q("membership__person_id"))
                .order_by()
                .values_list("membership__person_id", "position", "full_time", "term_start", "term_end")
            )
            for person, position, full_time, start, end in rows:
                found.setdefault(person, []).append((position, full_time, start, end))
            return found

        return self._once("officer_terms", load)

    def initiative_counts(self, level: str, first: dt.date, last: dt.date) -> dict[int, int]:
        """Person id -> initiatives they authored, recognised at `level` or higher between two days."""

        def load() -> dict[int, int]:
            rows = (
                InitiativeAuthor.objects.filter(
                    self.population.q("person_id"),
                    initiative__status=Status.RECOGNISED,
                    initiative__level__in=levels_at_least(level),
                    initiative__recognised_on__gte=first,
                    initiative__recognised_on__lte=last,
                )
                .values("person_id")
                .annotate(n=Count("initiative_id"))
                .values_list("person_id", "n")
            )
            return dict(rows)

        return self._once(("initiatives", level, first, last), load)

    def benefits(self, first: int, last: int) -> dict[int, list[int]]:
        """Person id -> their share of the benefit of each recognised initiative, over years [first, last]."""

        def load() -> dict[int, list[int]]:
            in_years = Q(initiative__benefits__year__gte=first, initiative__benefits__year__lte=last)
            rows = (
                InitiativeAuthor.objects.filter(self.population.q("person_id"), initiative__status=Status.RECOGNISED)
                .values("person_id", "initiative_id", "share")
                .annotate(total=Sum("initiative__benefits__amount_vnd", filter=in_years))
                .values_list("person_id", "share", "total")
            )
            found: dict[int, list[int]] = {}
            for person, share, total in rows:
                if total:
                    found.setdefault(person, []).append(int(Decimal(total) * share / 100))
            return found

        return self._once(("benefits", first, last), load)

    def registered(self, year: int) -> set[int]:
        """Nominees with a pledge in any movement for `year` (a unit's own pledge has no person)."""

        def load() -> set[int]:
            # As `movements.selectors.registered`, with the population's own filter (an array on PostgreSQL).
            qs = Registration.objects.filter(self.population.q(self.nominee_field), year=year)
            qs = qs.filter(person__isnull=self.population.kind == UNIT)
            return set(qs.order_by().values_list(self.nominee_field, flat=True).distinct())

        return self._once(("registered", year), load)

    # ------------------------------------------------------------ units as nominees

    def member_counts(self, day: dt.date, type_id: int, year: int) -> dict[int, tuple[int, int]]:
        """Unit id -> (members on `day` in its subtree, of whom hold the award type for `year`)."""

        def load() -> dict[int, tuple[int, int]]:
            units = self.units(self.population.ids)
            targets = {units[pk].path: pk for pk in self.population.ids if pk in units}
            if not targets:
                return {}
            holds = Award.objects.filter(
                person_id=OuterRef("person_id"), award_type_id=type_id, year=year, revoked_on=None
            )
            rows = (
                Membership.objects.filter(subtree_q("unit__path", common_prefix(targets)), join_date__lte=day)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
                .values("unit__path")
                .annotate(
                    members=Count("person_id", distinct=True), holders=Count("person_id", filter=Q(Exists(holds)))
                )
                .values_list("unit__path", "members", "holders")
            )
            totals: dict[int, list[int]] = {}
            for path, members, holders in rows:
                for end in range(paths.SEGMENT, len(path) + 1, paths.SEGMENT):
                    unit = targets.get(path[:end])
                    if unit is not None:
                        counted = totals.setdefault(unit, [0, 0])
                        counted[0] += members
                        counted[1] += holders
            return {unit: (m, h) for unit, (m, h) in totals.items()}

        return self._once(("member_counts", day, type_id, year), load)


# ---------------------------------------------------------------- one evaluation


class Malformed(Exception):
    """A criterion lacks a parameter or has one of the wrong kind."""


@dataclass
class Evaluation:
    """One award type, one year, one population: compiles the rule's criteria into columns.

    A column maps every nominee id to its (shared) Reason; columns are built with C-speed dict
    operations from the few nominees whose figures differ from the common case.
    """

    award_type: AwardType
    year: int
    today: dt.date
    rule: AwardRule | None
    facts: Facts
    exclude_nomination: int | None = None
    _reasons: dict[Any, Reason] = field(default_factory=dict)
    _formatted: dict[Any, str] = field(default_factory=dict)
    _depth: int = 0

    def __post_init__(self) -> None:
        self.ids: list[int] = self.facts.population.ids
        # The day the year's achievement is judged on: its last day.
        self.day = dt.date(self.year, 12, 31)

    @property
    def kind(self) -> str:
        return self.facts.population.kind

    # ------------------------------------------------------------ columns

    def constant(self, reason: Reason) -> Column:
        return dict.fromkeys(self.ids, reason)

    def by_value(self, values: dict[int, Any], make: Callable[[Any], Reason], default: Reason) -> Column:
        """`default` for everyone, `make(value)` (once per distinct value) for the nominees in `values`."""
        column = dict.fromkeys(self.ids, default)
        made: dict[Any, Reason] = {}
        for nominee, value in values.items():
            if nominee in column:
                reason = made.get(value)
                if reason is None:
                    reason = made[value] = make(value)
                column[nominee] = reason
        return column

    # ------------------------------------------------------------ words and figures

    def reason(self, code: str, outcome: str, template: str, params: dict[str, str] | None = None) -> Reason:
        """The one Reason with these words and figures (shared by every nominee it applies to)."""
        items = tuple(params.items()) if params else ()
        key = (code, outcome, template, items)
        found = self._reasons.get(key)
        if found is None:
            found = self._reasons[key] = Reason(code, outcome, template % dict(items) if items else template)
        return found

    def group(self, code: str, outcome: str, message: str, children: tuple[Reason, ...]) -> Reason:
        key = (code, outcome, message, tuple(id(child) for child in children))
        found = self._reasons.get(key)
        if found is None:
            found = self._reasons[key] = Reason(code, outcome, message, children)
        return found

    def _format(self, kind: str, value: Any) -> str:
        key = (kind, value)
        text = self._formatted.get(key)
        if text is None:
            if kind == "num":
                text = formatting.format_number(value)
            elif kind == "year":
                text = formatting.format_number(value, grouping=False)
            elif kind == "money":
                text = formatting.format_money(value)
            else:
                text = formatting.format_date(value)
            self._formatted[key] = text
        return text

    def num(self, value: int | Decimal) -> str:
        return self._format("num", value)

    def year_text(self, value: int) -> str:
        return self._format("year", value)

    def money(self, value: int) -> str:
        return self._format("money", value)

    def date_text(self, value: dt.date) -> str:
        return self._format("date", value)

    def years_text(self, years: Iterable[int]) -> str:
        return ", ".join(self.year_text(y) for y in years)

    def period(self, years: int) -> str:
        """ "2025", or "2023–2025" for a period of several years ending with the evaluated one."""
        if years <= 1:
            return self.year_text(self.year)
        return f"{self.year_text(self.year - years + 1)}–{self.year_text(self.year)}"

    # ------------------------------------------------------------ parameters

    @staticmethod
    def count_param(item: dict[str, Any], key: str, *, default: int | None = None, maximum: int = 10**6) -> int:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
            raise Malformed(key)
        return value

    @staticmethod
    def number_param(item: dict[str, Any], key: str, *, default: Any = None) -> Decimal:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise Malformed(key)
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise Malformed(key) from None
        if not number.is_finite() or number < 0:
            raise Malformed(key)
        return number

    @staticmethod
    def list_param(item: dict[str, Any], key: str) -> list[str]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Malformed(key)
        return value

    def award_param(self, item: dict[str, Any], check: str, key: str = "award") -> AwardType | Reason:
        code = item.get(key)
        if not isinstance(code, str) or not code:
            raise Malformed(key)
        found = self.facts.award_types().get(code)
        if found is None:
            template = _(
                "The criterion “%(name)s” names the award type “%(code)s”, which does not exist; check by hand."
            )
            return self.reason(check, REVIEW, template, {"name": check, "code": code})
        return found

    # ------------------------------------------------------------ compiling

    def compile(self, item: Any) -> Column:
        """A column for one criterion; anything the engine does not understand becomes "review"."""
        self._depth += 1
        try:
            return self._compile(item)
        finally:
            self._depth -= 1

    def _compile(self, item: Any) -> Column:
        name = item.get("check") if isinstance(item, dict) else None
        if self._depth > MAX_DEPTH and name in ("all", "any"):
            template = _("The criterion “%(name)s” is incomplete or malformed (%(param)s); check by hand.")
            return self.constant(self.reason(name, REVIEW, template, {"name": name, "param": "of"}))
        if not isinstance(name, str) or name not in CHECKS:
            shown = name if isinstance(name, str) else str(item)[:60]
            template = _("Unknown criterion “%(name)s” in the rule; check by hand.")
            return self.constant(self.reason("unknown", REVIEW, template, {"name": shown}))
        scope = ONLY_FOR.get(name)
        if scope is not None and scope != self.kind:
            template = (
                _("The criterion “%(name)s” applies only to individuals; check by hand.")
                if scope == PERSON
                else _("The criterion “%(name)s” applies only to units; check by hand.")
            )
            return self.constant(self.reason(name, REVIEW, template, {"name": name}))
        try:
            return CHECKS[name](self, item)
        except Malformed as malformed:
            template = _("The criterion “%(name)s” is incomplete or malformed (%(param)s); check by hand.")
            return self.constant(self.reason(name, REVIEW, template, {"name": name, "param": str(malformed)}))


def rows_of(ids: list[int], columns: list[Column]) -> Iterator[tuple[int, tuple[Reason, ...]]]:
    """Each nominee with its reasons, one per column (the columns read in C, then transposed)."""
    lists = [list(map(column.__getitem__, ids)) for column in columns]
    return zip(ids, zip(*lists, strict=True), strict=True)


# ---------------------------------------------------------------- combinators


def _combinator(ev: Evaluation, item: dict[str, Any], *, any_of: bool) -> Column:
    name = "any" if any_of else "all"
    children = item.get("of")
    if not isinstance(children, list) or not children:
        raise Malformed("of")
    columns = [ev.compile(child) for child in children]
    total = len(columns)
    params = {"n": ev.num(total)}
    made: dict[tuple[int, ...], Reason] = {}
    if any_of:
        messages = {
            PASS: ngettext("The alternative is met.", "At least one of %(n)s alternatives is met.", total),
            FAIL: ngettext("The alternative is not met.", "None of %(n)s alternatives is met.", total),
            REVIEW: ngettext(
                "The alternative needs review.",
                "No alternative is met outright; %(review)s of %(n)s need review.",
                total,
            ),
        }
    else:
        messages = {
            PASS: ngettext("The condition is met.", "All %(n)s conditions are met.", total),
            FAIL: ngettext("The condition is not met.", "%(failed)s of %(n)s conditions are not met.", total),
            REVIEW: ngettext("The condition needs review.", "%(review)s of %(n)s conditions need review.", total),
        }
    texts: dict[tuple[str, int, int], str] = {}

    def combine(reasons: tuple[Reason, ...]) -> Reason:
        outcomes = [r.outcome for r in reasons]
        outcome = outcome_of(outcomes, any_of=any_of)
        counts = (outcome, outcomes.count(FAIL), outcomes.count(REVIEW))
        message = texts.get(counts)
        if message is None:
            figures = {**params, "failed": ev.num(counts[1]), "review": ev.num(counts[2])}
            message = texts[counts] = messages[outcome] % figures
        return ev.group(name, outcome, message, reasons)

    column: Column = {}
    for nominee, reasons in rows_of(ev.ids, columns):
        key = tuple(map(id, reasons))
        found = made.get(key)
        if found is None:
            found = made[key] = combine(reasons)
        column[nominee] = found
    return column


def check_all(ev: Evaluation, item: dict[str, Any]) -> Column:
    return _combinator(ev, item, any_of=False)


def check_any(ev: Evaluation, item: dict[str, Any]) -> Column:
    return _combinator(ev, item, any_of=True)


# ---------------------------------------------------------------- award history


def check_holds(ev: Evaluation, item: dict[str, Any]) -> Column:
    award = ev.award_param(item, "holds")
    if isinstance(award, Reason):
        return ev.constant(award)
    holders = ev.facts.award_years(award.pk, ev.year, ev.year)
    params = {"award": award.name, "year": ev.year_text(ev.year)}
    yes = ev.reason("holds", PASS, _("Holds %(award)s for %(year)s."), params)
    no = ev.reason("holds", FAIL, _("Does not hold %(award)s for %(year)s."), params)
    return ev.by_value(holders, lambda _years: yes, no)


def check_consecutive(ev: Evaluation, item: dict[str, Any]) -> Column:
    award = ev.award_param(item, "consecutive")
    if isinstance(award, Reason):
        return ev.constant(award)
    years = ev.count_param(item, "years", maximum=MAX_YEARS)
    held = ev.facts.award_years(award.pk, ev.year - years + 1, ev.year)
    base = {"n": ev.num(years), "award": award.name}
    template = ngettext(
        "%(n)s consecutive year of %(award)s needed; %(found)s found (%(years)s).",
        "%(n)s consecutive years of %(award)s needed; %(found)s found (%(years)s).",
        years,
    )
    none = ngettext(
        "%(n)s consecutive year of %(award)s needed (%(period)s); none found.",
        "%(n)s consecutive years of %(award)s needed (%(period)s); none found.",
        years,
    )

    def make(found: tuple[int, ...]) -> Reason:
        params = {**base, "found": ev.num(len(found)), "years": ev.years_text(found)}
        return ev.reason("consecutive", PASS if len(found) >= years else FAIL, template, params)

    return ev.by_value(held, make, ev.reason("consecutive", FAIL, none, {**base, "period": ev.period(years)}))


def check_once(ev: Evaluation, item: dict[str, Any]) -> Column:
    award = ev.award_type
    held = ev.facts.award_years(award.pk, None, None)
    yes = ev.reason("once", PASS, _("Has not received %(award)s before."), {"award": award.name})
    template = _("%(award)s is awarded only once; already received for %(years)s.")

    def make(found: tuple[int, ...]) -> Reason:
        return ev.reason("once", FAIL, template, {"award": award.name, "years": ev.years_text(found)})

    return ev.by_value(held, make, yes)


def check_unit_holds(ev: Evaluation, item: dict[str, Any]) -> Column:
    """The nominee's union (their unit, or the grassroots union that holds it) holds the award."""
    award = ev.award_param(item, "unit_holds")
    if isinstance(award, Reason):
        return ev.constant(award)
    unit_of = ev.facts.unit_on(ev.day)
    units = ev.facts.units(set(unit_of.values()))
    chains: dict[int, list[int]] = {}
    for unit in set(unit_of.values()):
        chain = []
        for pk in reversed(paths.ancestor_ids(units[unit].path, include_self=True)):
            if pk not in units:
                break
            chain.append(pk)
            if units[pk].grassroots:
                break
        else:
            chain = chain[:1]  # no grassroots union above: the unit alone
        chains[unit] = chain
    candidates = sorted({pk for chain in chains.values() for pk in chain})
    holders = set(
        Award.objects.filter(id_q("unit_id", candidates), award_type_id=award.pk, year=ev.year, revoked_on=None)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )
    year = ev.year_text(ev.year)

    def make(unit: int) -> Reason:
        chain = chains[unit]
        holder = next((pk for pk in chain if pk in holders), None)
        if holder is not None:
            params = {"unit": units[holder].name, "award": award.name, "year": year}
            return ev.reason("unit_holds", PASS, _("%(unit)s holds %(award)s for %(year)s."), params)
        params = {"unit": units[chain[-1]].name, "award": award.name, "year": year}
        return ev.reason("unit_holds", FAIL, _("%(unit)s does not hold %(award)s for %(year)s."), params)

    none = ev.reason("unit_holds", FAIL, _("Not a member of any unit on %(day)s."), {"day": ev.date_text(ev.day)})
    return ev.by_value(unit_of, make, none)


# ---------------------------------------------------------------- initiatives


def _level_param(item: dict[str, Any]) -> str:
    level = item.get("level", Level.GRASSROOTS)
    if level not in Level.values:
        raise Malformed("level")
    return str(level)


def check_initiatives(ev: Evaluation, item: dict[str, Any]) -> Column:
    needed = ev.count_param(item, "count", default=1)
    years = ev.count_param(item, "years", default=1, maximum=MAX_YEARS)
    level = _level_param(item)
    counts = ev.facts.initiative_counts(level, dt.date(ev.year - years + 1, 1, 1), ev.day)
    template = ngettext(
        "%(needed)s initiative recognised at level “%(level)s” or higher in %(period)s needed; %(found)s found.",
        "%(needed)s initiatives recognised at level “%(level)s” or higher in %(period)s needed; %(found)s found.",
        needed,
    )
    base = {"needed": ev.num(needed), "level": str(Level(level).label), "period": ev.period(years)}

    def make(found: int) -> Reason:
        return ev.reason("initiatives", PASS if found >= needed else FAIL, template, {**base, "found": ev.num(found)})

    return ev.by_value(counts, make, make(0))


def check_benefit(ev: Evaluation, item: dict[str, Any]) -> Column:
    threshold = ev.number_param(item, "amount_vnd")
    years = ev.count_param(item, "years", default=1, maximum=MAX_YEARS)
    single = item.get("single", False)
    if not isinstance(single, bool):
        raise Malformed("single")
    benefits = ev.facts.benefits(ev.year - years + 1, ev.year)
    needed = ev.money(int(threshold))
    period = ev.period(years)
    if single:
        met = _("Benefit from one initiative in %(period)s: %(amount)s ≥ %(needed)s.")
        missed = _("Benefit from one initiative in %(period)s: %(amount)s < %(needed)s.")
    else:
        met = _("Benefit from initiatives in %(period)s: %(amount)s ≥ %(needed)s.")
        missed = _("Benefit from initiatives in %(period)s: %(amount)s < %(needed)s.")

    def make(amount: int) -> Reason:
        ok = amount >= threshold
        params = {"period": period, "amount": ev.money(amount), "needed": needed}
        return ev.reason("benefit", PASS if ok else FAIL, met if ok else missed, params)

    amounts = {nominee: max(found) if single else sum(found) for nominee, found in benefits.items()}
    return ev.by_value(amounts, make, make(0))


# ---------------------------------------------------------------- the person


def _choice_label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def check_education(ev: Evaluation, item: dict[str, Any]) -> Column:
    inside = "in" in item
    levels = ev.list_param(item, "in" if inside else "not_in")
    if not levels:
        raise Malformed("in" if inside else "not_in")
    listed = ", ".join(_choice_label(EducationLevel, level) for level in levels)
    if inside:
        unknown = ev.reason(
            "education", REVIEW, _("Education level not recorded; needed: %(levels)s."), {"levels": listed}
        )
    else:
        unknown = ev.reason(
            "education", REVIEW, _("Education level not recorded; excluded: %(levels)s."), {"levels": listed}
        )

    def make(level: str) -> Reason:
        if not level:
            return unknown
        among = level in levels
        params = {"level": _choice_label(EducationLevel, level), "levels": listed}
        template = (
            _("Education: %(level)s, one of %(levels)s.")
            if among
            else _("Education: %(level)s, not one of %(levels)s.")
        )
        return ev.reason("education", PASS if among == inside else FAIL, template, params)

    return ev.by_value(ev.facts.education(), make, unknown)


def _positions_held(ev: Evaluation, positions: list[str]) -> dict[int, tuple[str, ...]]:
    """Person id -> the listed positions (any, if none listed) they hold in a term open during the year."""
    first = dt.date(ev.year, 1, 1)
    held: dict[int, tuple[str, ...]] = {}
    for person, terms in ev.facts.officer_terms().items():
        found = sorted(
            {
                position
                for position, _full_time, start, end in terms
                if start <= ev.day and (end is None or end >= first) and (not positions or position in positions)
            }
        )
        if found:
            held[person] = tuple(found)
    return held


def _officer_check(ev: Evaluation, item: dict[str, Any], *, wanted: bool) -> Column:
    code = "officer" if wanted else "not_officer"
    positions = ev.list_param(item, "positions")
    year = ev.year_text(ev.year)
    listed = ", ".join(_choice_label(Position, p) for p in positions) if positions else _("any officer position")
    none = ev.reason(
        code,
        FAIL if wanted else PASS,
        _("Holds none of: %(positions)s in %(year)s."),
        {"positions": listed, "year": year},
    )

    def make(found: tuple[str, ...]) -> Reason:
        params = {"held": ", ".join(_choice_label(Position, p) for p in found), "year": year}
        return ev.reason(code, PASS if wanted else FAIL, _("Holds %(held)s in %(year)s."), params)

    return ev.by_value(_positions_held(ev, positions), make, none)


def check_officer(ev: Evaluation, item: dict[str, Any]) -> Column:
    return _officer_check(ev, item, wanted=True)


def check_not_officer(ev: Evaluation, item: dict[str, Any]) -> Column:
    return _officer_check(ev, item, wanted=False)


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` up to (not including) `end`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def months_of_membership(items: list[tuple[int, dt.date, dt.date | None]], day: dt.date) -> int | None:
    """Whole months of unbroken membership up to `day` (transfers do not break it); None if not a member then."""
    after = day + dt.timedelta(days=1)
    if len(items) == 1:  # the common case, without the walk below
        _unit, joined, ended = items[0]
        if joined > day or (ended is not None and ended < day):
            return None
        return max(0, full_months(joined, after))
    spans = [(joined, ended) for _unit, joined, ended in items if joined <= day]
    current = [s for s in spans if s[1] is None or s[1] >= day]
    if not current:
        return None
    start = min(joined for joined, _ended in current)
    changed = True
    while changed:  # walk back over memberships that ended when (or the day before) a later one began
        changed = False
        for joined, ended in spans:
            if joined < start and ended is not None and ended >= start - dt.timedelta(days=1):
                start, changed = joined, True
    return max(0, full_months(start, after))


def check_membership_months(ev: Evaluation, item: dict[str, Any]) -> Column:
    needed = ev.count_param(item, "months", maximum=12 * MAX_YEARS)
    day = ev.date_text(ev.day)
    template = ngettext(
        "Member for %(months)s months by %(day)s; %(needed)s month needed.",
        "Member for %(months)s months by %(day)s; %(needed)s months needed.",
        needed,
    )
    absent = ev.reason("membership_months", FAIL, _("Not a member on %(day)s."), {"day": day})

    def make(months: int | None) -> Reason:
        if months is None:
            return absent
        params = {"months": ev.num(months), "day": day, "needed": ev.num(needed)}
        return ev.reason("membership_months", PASS if months >= needed else FAIL, template, params)

    return ev.by_value(ev.facts.membership_months(ev.day), make, absent)


def service_days(terms: list[tuple[str, bool, dt.date, dt.date | None]], day: dt.date) -> tuple[int, int]:
    """(full-time days, part-time days) of officer service up to `day`; overlaps count once, full-time first."""

    def merged(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
        out: list[tuple[dt.date, dt.date]] = []
        for start, end in sorted(spans):
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    full: list[tuple[dt.date, dt.date]] = []
    part: list[tuple[dt.date, dt.date]] = []
    for _position, full_time, start, end in terms:
        if start > day:
            continue
        stop = min(end, day) if end is not None else day
        (full if full_time else part).append((start, stop + dt.timedelta(days=1)))
    full = merged(full)
    full_days = sum((end - start).days for start, end in full)
    part_days = 0
    for start, end in merged(part):
        length = (end - start).days
        for f_start, f_end in full:
            overlap = (min(end, f_end) - max(start, f_start)).days
            if overlap > 0:
                length -= overlap
        part_days += length
    return full_days, part_days


def _years(days: Decimal) -> Decimal:
    """Days as years to one decimal (365.25 days a year), as shown and as compared with the threshold."""
    return (days / DAYS_PER_YEAR).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_service_years(ev: Evaluation, item: dict[str, Any]) -> Column:
    needed = ev.number_param(item, "years")
    factor = ev.number_param(item, "part_time_factor", default=1)
    template = _(
        "Officer service %(total)s years (full-time %(full)s, part-time %(part)s × %(factor)s); %(needed)s needed."
    )

    def make(days: tuple[int, int]) -> Reason:
        weighted = _years(Decimal(days[0]) + Decimal(days[1]) * factor)
        params = {
            "total": ev.num(weighted),
            "full": ev.num(_years(Decimal(days[0]))),
            "part": ev.num(_years(Decimal(days[1]))),
            "factor": ev.num(factor.normalize()),
            "needed": ev.num(needed.normalize()),
        }
        return ev.reason("service_years", PASS if weighted >= needed else FAIL, template, params)

    days = {person: service_days(terms, ev.day) for person, terms in ev.facts.officer_terms().items()}
    return ev.by_value(days, make, make((0, 0)))


def check_registered(ev: Evaluation, item: dict[str, Any]) -> Column:
    params = {"year": ev.year_text(ev.year)}
    yes = ev.reason("registered", PASS, _("Registered an emulation pledge for %(year)s."), params)
    no = ev.reason("registered", FAIL, _("No emulation pledge registered for %(year)s."), params)
    return ev.by_value(dict.fromkeys(ev.facts.registered(ev.year), True), lambda _found: yes, no)


def check_manual(ev: Evaluation, item: dict[str, Any]) -> Column:
    language = formatting.current_preferences().language
    label = next(
        (item[k] for k in (f"label_{language}", "label_en", "label_vi") if isinstance(item.get(k), str) and item[k]),
        None,
    )
    if label is None:
        raise Malformed("label_vi")
    return ev.constant(ev.reason("manual", REVIEW, _("To be confirmed by the reviewer: %(label)s"), {"label": label}))


# ---------------------------------------------------------------- units as nominees


def check_share(ev: Evaluation, item: dict[str, Any]) -> Column:
    award = ev.award_param(item, "share")
    if isinstance(award, Reason):
        return ev.constant(award)
    percent = ev.number_param(item, "percent")
    strict = item.get("strict", False)
    if not isinstance(strict, bool):
        raise Malformed("strict")
    if percent > 100:
        raise Malformed("percent")
    counts = ev.facts.member_counts(ev.day, award.pk, ev.year)
    if strict:
        template = _(
            "%(share)s%% of members hold %(award)s (%(holders)s of %(members)s); more than %(needed)s%% needed."
        )
    else:
        template = _(
            "%(share)s%% of members hold %(award)s (%(holders)s of %(members)s); at least %(needed)s%% needed."
        )
    empty = ev.reason("share", FAIL, _("The unit has no members on %(day)s."), {"day": ev.date_text(ev.day)})

    def make(count: tuple[int, int]) -> Reason:
        members, holders = count
        if not members:
            return empty
        # Compared exactly: holders / members against percent / 100.
        scaled, limit = Decimal(holders) * 100, percent * members
        ok = scaled > limit if strict else scaled >= limit
        share = Decimal(floor(Decimal(holders) * 1000 / members)) / 10
        params = {
            "share": ev.num(share),
            "award": award.name,
            "holders": ev.num(holders),
            "members": ev.num(members),
            "needed": ev.num(percent.normalize()),
        }
        return ev.reason("share", PASS if ok else FAIL, template, params)

    return ev.by_value(counts, make, empty)


def check_members_hold(ev: Evaluation, item: dict[str, Any]) -> Column:
    award = ev.award_param(item, "members_hold")
    if isinstance(award, Reason):
        return ev.constant(award)
    needed = ev.count_param(item, "count", default=1)
    counts = ev.facts.member_counts(ev.day, award.pk, ev.year)
    template = ngettext(
        "%(holders)s members hold %(award)s for %(year)s; %(needed)s needed.",
        "%(holders)s members hold %(award)s for %(year)s; %(needed)s needed.",
        needed,
    )

    def make(holders: int) -> Reason:
        params = {
            "holders": ev.num(holders),
            "award": award.name,
            "year": ev.year_text(ev.year),
            "needed": ev.num(needed),
        }
        return ev.reason("members_hold", PASS if holders >= needed else FAIL, template, params)

    return ev.by_value({unit: count[1] for unit, count in counts.items()}, make, make(0))


CHECKS: dict[str, Callable[[Evaluation, dict[str, Any]], Column]] = {
    "all": check_all,
    "any": check_any,
    "holds": check_holds,
    "consecutive": check_consecutive,
    "initiatives": check_initiatives,
    "benefit": check_benefit,
    "education": check_education,
    "officer": check_officer,
    "not_officer": check_not_officer,
    "membership_months": check_membership_months,
    "registered": check_registered,
    "once": check_once,
    "share": check_share,
    "members_hold": check_members_hold,
    "unit_holds": check_unit_holds,
    "service_years": check_service_years,
    "manual": check_manual,
}
# Checks that make sense for one kind of nominee only.
ONLY_FOR = {
    "initiatives": PERSON,
    "benefit": PERSON,
    "education": PERSON,
    "officer": PERSON,
    "not_officer": PERSON,
    "membership_months": PERSON,
    "unit_holds": PERSON,
    "service_years": PERSON,
    "share": UNIT,
    "members_hold": UNIT,
}


# ---------------------------------------------------------------- checks the engine always adds


def already_awarded(ev: Evaluation) -> Column:
    """No second award for the same achievement: the same type, nominee and year (or period), not revoked."""
    period = ev.rule.period_years if ev.rule is not None else 1
    field_name = ev.facts.nominee_field
    rows = (
        Award.objects.filter(
            ev.facts.population.q(field_name),
            award_type_id=ev.award_type.pk,
            year__gte=ev.year - period + 1,
            year__lte=ev.year,
            revoked_on=None,
        )
        .order_by()
        .values_list(field_name, "year", "decision__number")
    )
    found: dict[int, tuple[int, str]] = {}
    for nominee, year, number in rows:
        found.setdefault(nominee, (year, number))
    params = {"award": ev.award_type.name, "period": ev.period(period)}
    yes = ev.reason("already_awarded", PASS, _("Not yet awarded %(award)s for %(period)s."), params)
    template = _("Already awarded %(award)s for %(year)s (decision %(number)s).")

    def make(hit: tuple[int, str]) -> Reason:
        params = {"award": ev.award_type.name, "year": ev.year_text(hit[0]), "number": hit[1]}
        return ev.reason("already_awarded", FAIL, template, params)

    return ev.by_value(found, make, yes)


def already_nominated(ev: Evaluation) -> dict[int, Reason]:
    """Open nominations for the same achievement (other than the one being checked): a reviewer decides."""
    field_name = ev.facts.nominee_field
    qs = Nomination.objects.filter(
        ev.facts.population.q(field_name),
        award_type_id=ev.award_type.pk,
        year=ev.year,
        status__in=OPEN_NOMINATIONS,
    )
    if ev.exclude_nomination is not None:
        qs = qs.exclude(pk=ev.exclude_nomination)
    out: dict[int, Reason] = {}
    template = _("Already nominated for %(award)s for %(year)s (nomination %(number)s, %(status)s).")
    wanted = set(ev.ids)
    for nominee, pk, status in qs.values_list(field_name, "pk", "status").order_by("pk"):
        if nominee in out or nominee not in wanted:
            continue
        params = {
            "award": ev.award_type.name,
            "year": ev.year_text(ev.year),
            "number": ev.num(pk),
            "status": _choice_label(NominationStatus, status),
        }
        out[nominee] = ev.reason("already_nominated", REVIEW, template, params)
    return out


def quota(ev: Evaluation) -> Column | None:
    """How many of the quota's base (and of this type) the granting unit has for the year, against the cap."""
    rule = ev.rule
    if rule is None or (rule.quota_of_id is None and rule.quota_per_year is None):
        return None
    granting_types = {t.pk for t in rule.granting_unit_types.all()}
    # Where an employer's head grants (state titles), its grassroots union stands for it in the tree.
    employer_grants = any(t.is_employer for t in rule.granting_unit_types.all())
    unit_of = ev.facts.unit_on(ev.day) if ev.kind == PERSON else {pk: pk for pk in ev.ids}
    units = ev.facts.units(set(unit_of.values()))

    def grants(pk: int) -> bool:
        info = units[pk]
        if not granting_types:
            return info.grassroots
        return info.type_id in granting_types or (employer_grants and info.grassroots)

    granting_of: dict[int, int] = {}
    for unit in set(unit_of.values()):
        if unit not in units:
            continue
        chain = list(reversed(paths.ancestor_ids(units[unit].path, include_self=True)))
        if ev.kind == UNIT:
            chain = chain[1:]  # a unit is commended by a unit above it
        chain = [pk for pk in chain if pk in units]
        fallback = chain[0] if chain and not granting_types else None
        chosen = next((pk for pk in chain if grants(pk)), fallback)
        if chosen is not None:
            granting_of[unit] = chosen
    targets = {units[g].path: g for g in set(granting_of.values())}
    counted: dict[tuple[int, int], int] = {}
    if targets:
        wanted_types = [ev.award_type.pk] + ([rule.quota_of_id] if rule.quota_of_id else [])
        rows = (
            Award.objects.filter(
                subtree_q("awardee_unit__path", common_prefix(targets)),
                award_type_id__in=wanted_types,
                year=ev.year,
                revoked_on=None,
            )
            .values("award_type_id", "awardee_unit__path")
            .annotate(n=Count("id"))
            .values_list("award_type_id", "awardee_unit__path", "n")
        )
        for type_id, path, n in rows:
            for end in range(paths.SEGMENT, len(path) + 1, paths.SEGMENT):
                granting = targets.get(path[:end])
                if granting is not None:
                    counted[(granting, type_id)] = counted.get((granting, type_id), 0) + n
    quota_of = next((t for t in ev.facts.award_types().values() if t.pk == rule.quota_of_id), None)
    year = ev.year_text(ev.year)

    def make(granting: int) -> Reason:
        used = counted.get((granting, ev.award_type.pk), 0)
        caps = []
        params = {"unit": units[granting].name, "year": year, "used": ev.num(used)}
        if rule.quota_of_id is not None and rule.quota_percent is not None:
            base = counted.get((granting, rule.quota_of_id), 0)
            caps.append(floor(Decimal(base) * rule.quota_percent / 100))
            params.update(
                percent=ev.num(rule.quota_percent.normalize()),
                base=ev.num(base),
                of=quota_of.name if quota_of else "?",
            )
        if rule.quota_per_year is not None:
            caps.append(rule.quota_per_year)
        cap = min(caps)
        params["cap"] = ev.num(cap)
        full = used >= cap
        if "percent" in params:
            template = (
                _(
                    "Quota of %(unit)s for %(year)s used up: %(used)s of at most %(cap)s "
                    "(%(percent)s%% of %(base)s %(of)s)."
                )
                if full
                else _(
                    "Quota of %(unit)s for %(year)s: %(used)s of at most %(cap)s (%(percent)s%% of %(base)s %(of)s)."
                )
            )
        else:
            template = (
                _("Quota of %(unit)s for %(year)s used up: %(used)s of at most %(cap)s a year.")
                if full
                else _("Quota of %(unit)s for %(year)s: %(used)s of at most %(cap)s a year.")
            )
        return ev.reason("quota", REVIEW if full else PASS, template, params)

    unknown = ev.reason("quota", REVIEW, _("No granting unit found to count the quota in; check by hand."))
    granting_by_nominee = {nominee: granting_of[unit] for nominee, unit in unit_of.items() if unit in granting_of}
    return ev.by_value(granting_by_nominee, make, unknown)
