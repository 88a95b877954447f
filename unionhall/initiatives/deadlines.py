"""The clocks of Decree 13/2012 as pure functions of an initiative's dates, the rule in force and `today`.

The rule in force for an initiative is the one valid on its request date (before a request, on its
first application): the procedure follows the regulation under which it was asked for. Years of
application are calendar years: year 1 is the year of first application, and each year's
remuneration falls due `payment_months` after 31 December of that year, but never before the
recognition (a year that ended before the initiative was recognised is due that long after it).
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Status


class Rule(Protocol):
    """What the clocks read of an `InitiativeRule`."""

    request_window_months: int
    examine_months: int
    amend_months: int
    decide_months: int
    remuneration_years: int
    transfer_years: int
    payment_months: int


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when that month is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_day_not_overdue(today: dt.date, months: int) -> dt.date:
    """The earliest start whose deadline `add_months(start, months)` is not before `today` (for SQL filters)."""
    day = add_months(today, -months) - dt.timedelta(days=3)
    while add_months(day, months) < today:
        day += dt.timedelta(days=1)
    return day


def rule_day(*, first_applied_on: dt.date, requested_on: dt.date | None) -> dt.date:
    """The day that chooses the rule in force for an initiative."""
    return requested_on or first_applied_on


def rule_in_force(rules: Iterable[Any], day: dt.date) -> Any | None:
    """The rule of `rules` valid on `day` (valid_from <= day < valid_to), or None."""
    for rule in rules:
        if rule.valid_from <= day and (rule.valid_to is None or day < rule.valid_to):
            return rule
    return None


# ---------------------------------------------------------------- the procedure


def request_bar(first_applied_on: dt.date, rule: Rule) -> dt.date:
    """The last day recognition may be requested."""
    return add_months(first_applied_on, rule.request_window_months)


def examination_due(*, requested_on: dt.date, amended_on: dt.date | None, rule: Rule) -> dt.date:
    """The examination is due a month after the request, or after the amended request."""
    return add_months(max(requested_on, amended_on or requested_on), rule.examine_months)


def amendment_due(amendment_requested_on: dt.date, rule: Rule) -> dt.date:
    return add_months(amendment_requested_on, rule.amend_months)


def decision_due(accepted_on: dt.date, rule: Rule) -> dt.date:
    return add_months(accepted_on, rule.decide_months)


def year_end_due(year: int, recognised_on: dt.date | None, rule: Rule) -> dt.date:
    """When the remuneration for calendar year `year` of application falls due."""
    due = add_months(dt.date(year, 12, 31), rule.payment_months)
    if recognised_on is not None:
        due = max(due, add_months(recognised_on, rule.payment_months))
    return due


def transfer_due(received_on: dt.date, rule: Rule) -> dt.date:
    return add_months(received_on, rule.payment_months)


def transfer_remunerated(*, received_on: dt.date, recognised_on: dt.date | None, rule: Rule) -> bool:
    """A transfer earns the authors a remuneration when the price is received within the years after recognition."""
    if recognised_on is None:
        return False
    return recognised_on <= received_on <= add_months(recognised_on, 12 * rule.transfer_years)


def year_index(*, year: int, first_applied_on: dt.date) -> int:
    """1 for the calendar year of first application, 2 for the next, ..."""
    return year - first_applied_on.year + 1


@dataclass(frozen=True)
class Step:
    """One clock of the procedure: what is awaited, by when, and whether it is late."""

    code: str
    label: str | Promise
    due: dt.date
    done: dt.date | None
    overdue: bool


def procedure_steps(initiative: Any, rule: Rule | None, today: dt.date) -> list[Step]:
    """The clocks that apply to the initiative in its current status (none without a rule in force)."""
    if rule is None:
        return []
    status = initiative.status
    steps: list[Step] = []
    if status == Status.DRAFT:
        bar = request_bar(initiative.first_applied_on, rule)
        steps.append(Step("request", _("Request recognition"), bar, None, today > bar))
        return steps
    requested_on = initiative.requested_on
    if requested_on is None:
        return steps
    steps.append(
        Step("request", _("Request recognition"), request_bar(initiative.first_applied_on, rule), requested_on, False)
    )
    if status == Status.SUBMITTED:
        due = examination_due(requested_on=requested_on, amended_on=initiative.amended_on, rule=rule)
        steps.append(Step("examine", _("Examine the request"), due, None, today > due))
    elif initiative.examined_on is not None:
        due = examination_due(requested_on=requested_on, amended_on=initiative.amended_on, rule=rule)
        steps.append(Step("examine", _("Examine the request"), due, initiative.examined_on, False))
    if status == Status.NEEDS_AMENDMENT and initiative.amendment_requested_on is not None:
        due = amendment_due(initiative.amendment_requested_on, rule)
        steps.append(Step("amend", _("Amend the request"), due, None, today > due))
    if status == Status.ACCEPTED and initiative.examined_on is not None:
        due = decision_due(initiative.examined_on, rule)
        steps.append(Step("decide", _("Decide on recognition"), due, None, today > due))
    elif status in (Status.RECOGNISED, Status.REJECTED) and initiative.decided_on is not None:
        accepted = initiative.examined_on or initiative.decided_on
        steps.append(
            Step("decide", _("Decide on recognition"), decision_due(accepted, rule), initiative.decided_on, False)
        )
    return steps
