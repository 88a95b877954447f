"""Reads on initiatives: a scoped list with keyset pages and overdue flags, one initiative with its clocks,
benefit and remuneration, and the figures initiatives add to a movement's results.

Every read takes the actor and starts from `visible_to`. The list pages by id (newest first) and never
counts the table; the "overdue" filter is a set-wise SQL condition per rule in force.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import MAX_ID, cursor_decode, cursor_encode
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import subtree_q
from unionhall.orgunits.models import Unit

from . import deadlines, remuneration
from .choices import Level, Status
from .models import (
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    InitiativeBenefit,
    InitiativeRule,
    InitiativeTransfer,
    RemunerationPayment,
)

VIEW = "initiative.view"
MAX_PAGE = 200


@dataclass(frozen=True)
class InitiativeFilters:
    """Filters of an initiative list; empty means no filter. `year` is the year of recognition, else of the
    request, else of the first application."""

    unit: Unit | None = None
    status: str = ""
    level: str = ""
    year: int | None = None
    movement_id: int | None = None
    overdue: bool = False


@dataclass
class Row:
    """An initiative of a list page with its clocks and whether anything is late."""

    initiative: Initiative
    steps: list[deadlines.Step]
    remuneration: remuneration.Summary
    overdue: bool


@dataclass
class Page:
    rows: list[Row]
    next_cursor: str | None
    filters: InitiativeFilters = field(default_factory=InitiativeFilters)


def _clean_filters(filters: InitiativeFilters) -> InitiativeFilters:
    if filters.status and filters.status not in Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if filters.level and filters.level not in Level.values:
        raise DomainError(_("Choose a valid level."), field="level")
    if filters.year is not None and not 1900 <= filters.year <= 9999:
        raise DomainError(_("Choose a valid year."), field="year")
    return filters


# ---------------------------------------------------------------- overdue, set-wise


def _last_year_due(today: dt.date, months: int) -> int:
    """The last calendar year whose remuneration (due `months` after 31 December) is due before `today`."""
    year = today.year
    while deadlines.add_months(dt.date(year, 12, 31), months) >= today:
        year -= 1
    return year


def _unpaid_benefit_q(rule: InitiativeRule, today: dt.date) -> Q:
    """A recognised initiative owes an author part of a year's remuneration past its due date."""
    paid = (
        RemunerationPayment.objects.filter(author_id=OuterRef("pk"), year_index=OuterRef(OuterRef("year_index")))
        .values("author_id")
        .annotate(total=Sum("amount_vnd"))
        .values("total")
    )
    owed = ExpressionWrapper(
        OuterRef("amount_vnd") * Value(rule.remuneration_percent) * F("share") / Value(10000),
        output_field=DecimalField(max_digits=30, decimal_places=6),
    )
    short = (
        InitiativeAuthor.objects.filter(initiative_id=OuterRef("initiative_id"))
        .alias(paid=Coalesce(Subquery(paid), 0), owed=owed)
        .filter(paid__lt=F("owed"))
    )
    benefits = InitiativeBenefit.objects.filter(
        initiative_id=OuterRef("pk"),
        year_index__gte=1,
        year_index__lte=rule.remuneration_years,
        year__lte=_last_year_due(today, rule.payment_months),
        amount_vnd__gt=0,
    ).filter(Exists(short))
    return Q(
        status=Status.RECOGNISED,
        recognised_on__lt=deadlines.first_day_not_overdue(today, rule.payment_months),
    ) & Q(Exists(benefits))


def _transfer_overdue_ids(initiatives: QuerySet[Initiative], rules: list[InitiativeRule], today: dt.date) -> set[int]:
    """Initiatives owing a transfer's remuneration past its due date (transfers are few: checked exactly)."""
    earliest = min((deadlines.first_day_not_overdue(today, r.payment_months) for r in rules), default=today)
    ids = set(
        InitiativeTransfer.objects.filter(
            initiative__in=initiatives.filter(status=Status.RECOGNISED), received_on__lt=earliest, price_vnd__gt=0
        ).values_list("initiative_id", flat=True)
    )
    if not ids:
        return set()
    found = set()
    for row in decorate(list(Initiative.objects.filter(pk__in=ids)), today=today, rules=rules):
        if any(d.transfer_id is not None and d.overdue(today) for d in row.remuneration.dues):
            found.add(row.initiative.pk)
    return found


def overdue_q(rules: list[InitiativeRule], today: dt.date) -> Q:
    """Initiatives with a clock past its deadline, under the rule in force for each (see `deadlines`)."""
    q = Q(pk__in=[])
    for rule in rules:
        in_force = Q(rule_day__gte=rule.valid_from)
        if rule.valid_to is not None:
            in_force &= Q(rule_day__lt=rule.valid_to)

        def cutoff(months: int) -> dt.date:
            return deadlines.first_day_not_overdue(today, months)

        late = (
            Q(status=Status.DRAFT, first_applied_on__lt=cutoff(rule.request_window_months))
            | Q(status=Status.SUBMITTED, examination_base__lt=cutoff(rule.examine_months))
            | Q(status=Status.NEEDS_AMENDMENT, amendment_requested_on__lt=cutoff(rule.amend_months))
            | Q(status=Status.ACCEPTED, examined_on__lt=cutoff(rule.decide_months))
            | _unpaid_benefit_q(rule, today)
        )
        q |= in_force & late
    return q


def with_clock_days(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.alias(
        rule_day=Coalesce("requested_on", "first_applied_on"),
        examination_base=Coalesce("amended_on", "requested_on"),
    )


# ---------------------------------------------------------------- list


def initiative_list(
    *,
    actor: Any,
    filters: InitiativeFilters = InitiativeFilters(),
    cursor: str | None = None,
    limit: int = 50,
    today: dt.date,
) -> Page:
    """Initiatives the actor sees, newest first, one keyset page, each with its clocks."""
    filters = _clean_filters(filters)
    limit = max(1, min(limit, MAX_PAGE))
    qs: QuerySet[Initiative] = Initiative.objects.visible_to(actor, VIEW)
    unit = filters.unit
    if unit is not None:
        qs = qs.filter(subtree_q("unit__path", unit.path))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.movement_id is not None:
        qs = qs.filter(movement_id=filters.movement_id)
    if filters.year is not None:
        start, end = dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31)
        qs = qs.alias(year_day=Coalesce("recognised_on", "requested_on", "first_applied_on")).filter(
            year_day__gte=start, year_day__lte=end
        )
    rules = list(InitiativeRule.objects.all())
    if filters.overdue:
        clocked = with_clock_days(qs)
        qs = clocked.filter(overdue_q(rules, today) | Q(pk__in=sorted(_transfer_overdue_ids(clocked, rules, today))))
    if cursor:
        qs = qs.filter(pk__lt=cursor_decode(cursor, (int,))[0])
    items = list(qs.select_related("unit", "movement").order_by("-pk")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    rows = decorate(items, today=today, rules=rules)
    next_cursor = cursor_encode([items[-1].pk]) if more and items else None
    return Page(rows=rows, next_cursor=next_cursor, filters=filters)


def decorate(items: list[Initiative], *, today: dt.date, rules: list[InitiativeRule] | None = None) -> list[Row]:
    """Each initiative with its clocks and remuneration: four queries for the whole page."""
    if rules is None:
        rules = list(InitiativeRule.objects.all())
    authors: dict[int, list[InitiativeAuthor]] = defaultdict(list)
    benefits: dict[int, list[InitiativeBenefit]] = defaultdict(list)
    transfers: dict[int, list[InitiativeTransfer]] = defaultdict(list)
    payments: dict[int, list[RemunerationPayment]] = defaultdict(list)
    recognised = [i.pk for i in items if i.status == Status.RECOGNISED]
    if recognised:
        for a in InitiativeAuthor.objects.filter(initiative_id__in=recognised):
            authors[a.initiative_id].append(a)
        for b in InitiativeBenefit.objects.filter(initiative_id__in=recognised):
            benefits[b.initiative_id].append(b)
        for t in InitiativeTransfer.objects.filter(initiative_id__in=recognised):
            transfers[t.initiative_id].append(t)
        for p in RemunerationPayment.objects.filter(author__initiative_id__in=recognised).annotate(
            initiative_id=F("author__initiative_id")
        ):
            payments[p.initiative_id].append(p)
    rows = []
    for initiative in items:
        rule = deadlines.rule_in_force(
            rules,
            deadlines.rule_day(first_applied_on=initiative.first_applied_on, requested_on=initiative.requested_on),
        )
        steps = deadlines.procedure_steps(initiative, rule, today)
        summary = remuneration.schedule(
            recognised_on=initiative.recognised_on,
            authors=authors.get(initiative.pk, []),
            benefits=benefits.get(initiative.pk, []),
            transfers=transfers.get(initiative.pk, []),
            payments=payments.get(initiative.pk, []),
            rule=rule,
            today=today,
        )
        overdue = any(s.overdue for s in steps) or summary.overdue
        rows.append(Row(initiative=initiative, steps=steps, remuneration=summary, overdue=overdue))
    return rows


# ---------------------------------------------------------------- one initiative


@dataclass
class Detail:
    """One initiative with everything its page shows."""

    initiative: Initiative
    authors: list[InitiativeAuthor]
    attachments: list[InitiativeAttachment]
    benefits: list[InitiativeBenefit]
    transfers: list[InitiativeTransfer]
    payments: list[RemunerationPayment]
    rule: InitiativeRule | None
    steps: list[deadlines.Step]
    remuneration: remuneration.Summary
    request_bar: dt.date | None

    @property
    def overdue(self) -> bool:
        return any(s.overdue for s in self.steps) or self.remuneration.overdue

    @property
    def benefit_total_vnd(self) -> int:
        return sum(b.amount_vnd for b in self.benefits)


def initiative_get(*, actor: Any, pk: int, action: str = VIEW) -> Initiative:
    """An initiative, if the actor holds `action` on its unit; otherwise NotFound."""
    initiative = (
        Initiative.objects.visible_to(actor, action).select_related("unit", "movement").filter(pk=pk).first()
        if 0 < pk <= MAX_ID
        else None
    )
    if initiative is None:
        raise NotFound(_("Initiative %(id)s was not found.") % {"id": pk})
    return initiative


def initiative_detail(*, actor: Any, pk: int, today: dt.date) -> Detail:
    initiative = initiative_get(actor=actor, pk=pk)
    authors = list(
        InitiativeAuthor.objects.filter(initiative=initiative).select_related("person").order_by("-share", "pk")
    )
    benefits = list(InitiativeBenefit.objects.filter(initiative=initiative).order_by("year"))
    transfers = list(InitiativeTransfer.objects.filter(initiative=initiative).order_by("received_on", "pk"))
    payments = list(
        RemunerationPayment.objects.filter(author__initiative=initiative)
        .select_related("author__person", "transfer")
        .order_by("paid_on", "pk")
    )
    rule = InitiativeRule.objects.in_force(
        deadlines.rule_day(first_applied_on=initiative.first_applied_on, requested_on=initiative.requested_on)
    ).first()
    summary = remuneration.schedule(
        recognised_on=initiative.recognised_on,
        authors=authors,
        benefits=benefits,
        transfers=transfers,
        payments=payments,
        rule=rule,
        today=today,
    )
    return Detail(
        initiative=initiative,
        authors=authors,
        attachments=list(InitiativeAttachment.objects.filter(initiative=initiative).order_by("pk")),
        benefits=benefits,
        transfers=transfers,
        payments=payments,
        rule=rule,
        steps=deadlines.procedure_steps(initiative, rule, today),
        remuneration=summary,
        request_bar=deadlines.request_bar(initiative.first_applied_on, rule) if rule is not None else None,
    )


# ---------------------------------------------------------------- movement results


def submitted_per_movement(movement_ids: list[int]) -> dict[int, int]:
    """Initiatives of each movement that were submitted for recognition (whatever became of them)."""
    rows = (
        Initiative.objects.filter(movement_id__in=movement_ids, requested_on__isnull=False)
        .values("movement_id")
        .annotate(n=Count("pk"))
    )
    return {r["movement_id"]: r["n"] for r in rows}


def recognised_per_movement(movement_ids: list[int]) -> dict[int, int]:
    rows = (
        Initiative.objects.filter(movement_id__in=movement_ids, status=Status.RECOGNISED)
        .values("movement_id")
        .annotate(n=Count("pk"))
    )
    return {r["movement_id"]: r["n"] for r in rows}


def benefit_per_movement(movement_ids: list[int]) -> dict[int, int]:
    """The benefit (VND) recorded for the recognised initiatives of each movement."""
    rows = (
        InitiativeBenefit.objects.filter(initiative__movement_id__in=movement_ids, initiative__status=Status.RECOGNISED)
        .values("initiative__movement_id")
        .annotate(total=Sum("amount_vnd"))
    )
    return {r["initiative__movement_id"]: int(r["total"] or 0) for r in rows}
