"""The eligibility engine: who meets the rule of an award type for a year, and why (not).

`evaluate` judges a set of people or units against the rule in force (the `AwardRule` valid on
31 December of the year, or today if that is earlier), with every criterion of the rule evaluated
set-wise (see `criteria`), plus the checks the engine always adds: not already awarded for this
achievement, open nominations for it, and the quota. `batch_eligibility` does it for every active
member or unit of a subtree and every annual or once-only award type, as a list to review and turn
into nominations. Both are pure reads; they take `today` and never write.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.formatting import current_preferences
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.members.choices import MembershipStatus
from unionhall.members.models import Membership, Person
from unionhall.orgunits.choices import UnitStatus
from unionhall.orgunits.models import Unit

from . import rules
from .choices import Recipient, Recurrence
from .criteria import (
    FAIL,
    PASS,
    PERSON,
    REVIEW,
    UNIT,
    Column,
    Evaluation,
    Facts,
    Population,
    Reason,
    already_awarded,
    already_nominated,
    outcome_of,
    quota,
    rows_of,
)
from .models import AwardType

__all__ = [
    "FAIL",
    "PASS",
    "REVIEW",
    "BatchRow",
    "Reason",
    "Verdict",
    "batch_eligibility",
    "evaluate",
    "judgement_day",
    "rule_for",
]

VIEW = "award.view"
BATCH_RECURRENCES = (Recurrence.ANNUAL, Recurrence.ONCE)
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True, slots=True)
class Verdict:
    """Eligible (True), not (False), or for a person to decide (None: nothing failed, something needs review)."""

    eligible: bool | None
    reasons: list[Reason]

    def as_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "reasons": [reason.as_dict() for reason in self.reasons]}


judgement_day = rules.judgement_day
rule_for = rules.rule_for_year


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            gettext_lazy("Choose a year between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR},
            field="year",
        )


def _population(kind: str, items: Any) -> Population:
    """Ids from model instances or ints, or a queryset (of the model, or a flat `values_list` of ids)."""
    if isinstance(items, QuerySet):
        if items.query.values_select:
            return Population(kind, list(dict.fromkeys(items)), subquery=items)
        return Population(kind, list(items.values_list("pk", flat=True)), subquery=items.values("pk"))
    ids = [item.pk if isinstance(item, Model) else int(item) for item in items]
    return Population(kind, list(dict.fromkeys(ids)))


def evaluate(
    *,
    award_type: AwardType,
    year: int,
    people: Iterable[Person | int] | QuerySet = (),
    units: Iterable[Unit | int] | QuerySet = (),
    today: dt.date,
    exclude_nomination: Any = None,
) -> dict[int, Verdict]:
    """The verdict of each person (or each unit) for `award_type` and achievement `year`, by id.

    Pass people or units, not both. The number of queries depends on the rule, not on how many
    nominees there are; pass a queryset for a large set (it is used as a subquery).
    """
    _check_year(year)
    people = people if isinstance(people, QuerySet) else list(people)
    units = units if isinstance(units, QuerySet) else list(units)
    given_people = isinstance(people, QuerySet) or bool(people)
    given_units = isinstance(units, QuerySet) or bool(units)
    if given_people and given_units:
        raise TypeError("evaluate() takes people or units, not both")
    population = _population(UNIT, units) if given_units else _population(PERSON, people)
    if not population.ids:
        return {}
    excluded = exclude_nomination.pk if isinstance(exclude_nomination, Model) else exclude_nomination
    return judge(award_type=award_type, year=year, today=today, facts=Facts(population), exclude_nomination=excluded)


def judge(
    *, award_type: AwardType, year: int, today: dt.date, facts: Facts, exclude_nomination: int | None = None
) -> dict[int, Verdict]:
    """`evaluate` on facts that may already be loaded (batch eligibility shares them across award types)."""
    rule = rule_for(award_type, year, today)
    if rule is not None:
        prefetch_related_objects([rule], "granting_unit_types")
    ev = Evaluation(award_type, year, today, rule, facts, exclude_nomination)
    kind = facts.population.kind
    columns: list[Column] = []
    if kind == PERSON and not rules.accepts_people(award_type):
        message = _("%(award)s is awarded to collectives, not to individuals.") % {"award": award_type.name}
        columns.append(ev.constant(ev.reason("recipient", FAIL, message)))
    elif kind == UNIT and not rules.accepts_units(award_type, rule):
        message = _("%(award)s is awarded to individuals, not to collectives.") % {"award": award_type.name}
        columns.append(ev.constant(ev.reason("recipient", FAIL, message)))
    else:
        if not award_type.active:
            message = _("%(award)s is no longer awarded.") % {"award": award_type.name}
            columns.append(ev.constant(ev.reason("inactive", REVIEW, message)))
        if rule is None:
            template = _("No rule for %(award)s is in force on %(day)s; check by hand.")
            params = {"award": award_type.name, "day": ev.date_text(judgement_day(year, today))}
            columns.append(ev.constant(ev.reason("rule", REVIEW, template, params)))
        elif not isinstance(rule.criteria, list):
            template = _("The criteria of the rule are not a list; check by hand.")
            columns.append(ev.constant(ev.reason("rule", REVIEW, template)))
        else:
            columns.extend(ev.compile(item) for item in rule.criteria)
        columns.append(already_awarded(ev))
        counted = quota(ev)
        if counted is not None:
            columns.append(counted)
    nominated = already_nominated(ev)
    # Nominees with the same reasons share one Verdict (read-only): a province has few distinct ones.
    shared: dict[tuple[int, ...], Verdict] = {}
    verdicts: dict[int, Verdict] = {}
    for nominee, reasons in rows_of(facts.population.ids, columns):
        extra = nominated.get(nominee)
        if extra is not None:
            reasons = (*reasons, extra)
        key = tuple(map(id, reasons))
        verdict = shared.get(key)
        if verdict is None:
            outcome = outcome_of(reason.outcome for reason in reasons)
            eligible = True if outcome == PASS else False if outcome == FAIL else None
            verdict = shared[key] = Verdict(eligible, list(reasons))
        verdicts[nominee] = verdict
    return verdicts


# ---------------------------------------------------------------- batch eligibility


class BatchRow(NamedTuple):
    """One nominee and one award type: the verdict, and what the list shows of the nominee."""

    award_type: AwardType
    verdict: Verdict
    person_id: int | None
    unit_id: int | None
    name: str
    code: str  # the member code, or the unit's code
    unit_code: str  # the member's unit, or the unit itself
    unit_name: str

    @property
    def key(self) -> str:
        """Names the row in a form: "<award type code>:p:<person id>" or "...:u:<unit id>"."""
        if self.person_id is not None:
            return f"{self.award_type.code}:p:{self.person_id}"
        return f"{self.award_type.code}:u:{self.unit_id}"

    @property
    def eligible(self) -> bool | None:
        return self.verdict.eligible


def _name_column() -> int:
    """Which of (name_vi, name_en, name_ar, name_fa) the reader's language reads (Vietnamese if empty)."""
    return {"vi": 0, "en": 1, "ar": 2, "fa": 3}.get(current_preferences().language, 0)


def batch_award_types(award_types: Iterable[AwardType | str] | None = None) -> list[AwardType]:
    """The award types of a batch: those given (by code or object), else every active annual or once-only one."""
    if award_types is None:
        return list(AwardType.objects.filter(active=True, recurrence__in=BATCH_RECURRENCES).order_by("rank", "code"))
    wanted = list(award_types)
    codes = [t if isinstance(t, str) else t.code for t in wanted]
    found = {t.code: t for t in AwardType.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise DomainError(
            gettext_lazy("Unknown award type: %(codes)s.") % {"codes": ", ".join(missing[:10])}, field="award_type"
        )
    return sorted(dict.fromkeys(found[code] for code in codes), key=lambda t: (t.rank, t.code))


def batch_people(*, actor: Any, unit: Unit) -> QuerySet:
    """The active memberships of `unit`'s subtree that the actor may see for award.view."""
    return Membership.objects.visible_to(actor, VIEW).filter(
        subtree_q("unit__path", unit.path), status=MembershipStatus.ACTIVE
    )


def batch_units(*, actor: Any, unit: Unit) -> QuerySet:
    """The active union units of `unit`'s subtree (partner bodies left out) that the actor may see."""
    return Unit.objects.visible_to(actor, VIEW).filter(
        subtree_q("path", unit.path), status=UnitStatus.ACTIVE, type__is_partner=False
    )


def batch_eligibility(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    award_types: Iterable[AwardType | str] | None = None,
    today: dt.date,
) -> list[BatchRow]:
    """For a unit's subtree and a year: each active member (individual types) or unit (collective types)
    against each annual or once-only award type, by award type then name.

    Outside the actor's award.view scope the unit is not found (NotFound), as if it did not exist.
    """
    if not scope_for(actor, VIEW).covers(path=unit.path, unit_id=unit.pk):
        raise NotFound(gettext_lazy("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
    _check_year(year)
    types = batch_award_types(award_types)
    individual = [t for t in types if t.recipient == Recipient.INDIVIDUAL]
    collective = [t for t in types if t.recipient == Recipient.COLLECTIVE]
    rows: list[BatchRow] = []
    if individual:
        memberships = batch_people(actor=actor, unit=unit)
        listed = memberships.order_by("person__search_name", "person_id").values_list(
            "person_id",
            "person__full_name",
            "person__member_code",
            "unit__code",
            "unit__name_vi",
            "unit__name_en",
            "unit__name_ar",
            "unit__name_fa",
        )
        pick = _name_column()
        people = {row[0]: (row[1], row[2], row[3], row[4 + pick] or row[4]) for row in listed}
        facts = Facts(Population(PERSON, list(people), subquery=memberships.values("person_id")))
        for award_type in individual:
            verdicts = judge(award_type=award_type, year=year, today=today, facts=facts)
            rows.extend(
                BatchRow(award_type, verdicts[person], person, None, *shown) for person, shown in people.items()
            )
    if collective:
        listed_units = (
            batch_units(actor=actor, unit=unit)
            .order_by("path")
            .values_list("pk", "code", "name_vi", "name_en", "name_ar", "name_fa")
        )
        pick = _name_column()
        units = {row[0]: (row[2 + pick] or row[2], row[1]) for row in listed_units}
        facts = Facts(Population(UNIT, list(units), subquery=batch_units(actor=actor, unit=unit).values("pk")))
        for award_type in collective:
            verdicts = judge(award_type=award_type, year=year, today=today, facts=facts)
            rows.extend(
                BatchRow(award_type, verdicts[pk], None, pk, name, code, code, name)
                for pk, (name, code) in units.items()
            )
    return rows


# ---------------------------------------------------------------- from the list to nominations

MAX_BATCH_NOMINATIONS = 500


@dataclass(frozen=True)
class RowKey:
    """A row of the batch list named in a form: an award type and a person or a unit."""

    award_type: str
    person_id: int | None
    unit_id: int | None


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < len(text) <= 18 and int(text) > 0


def parse_row_keys(keys: Iterable[str]) -> list[RowKey]:
    """ "<award type code>:p:<person id>" or "...:u:<unit id>", each once, in the order given."""
    parsed: list[RowKey] = []
    for key in dict.fromkeys(keys):
        parts = key.split(":") if isinstance(key, str) else []
        if len(parts) != 3 or not parts[0] or parts[1] not in ("p", "u") or not _is_id(parts[2]):
            raise DomainError(gettext_lazy("A selected row is not valid; reload the list."), field="rows")
        code, kind, pk = parts
        parsed.append(RowKey(code, int(pk) if kind == "p" else None, int(pk) if kind == "u" else None))
    if not parsed:
        raise DomainError(gettext_lazy("Select at least one row."), field="rows")
    if len(parsed) > MAX_BATCH_NOMINATIONS:
        raise DomainError(
            gettext_lazy("Select at most %(max)s rows at a time.") % {"max": MAX_BATCH_NOMINATIONS}, field="rows"
        )
    return parsed


@transaction.atomic
def batch_nominate(
    *, actor: Any, unit: Unit, year: int, keys: Iterable[str], today: dt.date | None = None
) -> list[Any]:
    """Draft nominations, proposed by `unit`, for the selected rows of its batch list: all or none.

    Each goes through `services.nomination_create` (scope, rules, eligibility check, audit entry);
    the first refusal undoes the ones before it.
    """
    from . import services  # services reads eligibility lazily too; imported here to keep the layers one-way

    if not scope_for(actor, services.NOMINATE).covers(path=unit.path, unit_id=unit.pk):
        raise NotFound(gettext_lazy("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
    _check_year(year)
    rows = parse_row_keys(keys)
    kinds = {t.code: t for t in AwardType.objects.filter(code__in={r.award_type for r in rows})}
    people = Person.objects.in_bulk([r.person_id for r in rows if r.person_id is not None])
    units = Unit.objects.in_bulk([r.unit_id for r in rows if r.unit_id is not None])
    created = []
    for row in rows:
        kind = kinds.get(row.award_type)
        nominee_person = people.get(row.person_id) if row.person_id is not None else None
        nominee_unit = units.get(row.unit_id) if row.unit_id is not None else None
        if kind is None or (nominee_person is None and nominee_unit is None):
            raise NotFound(gettext_lazy("A selected row is no longer in the list; reload it."), field="rows")
        created.append(
            services.nomination_create(
                actor=actor,
                award_type=kind,
                year=year,
                proposing_unit=unit,
                person=nominee_person,
                unit=nominee_unit,
                today=today,
            )
        )
    return created
