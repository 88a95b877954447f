"""When an obligation falls due, and an employer's state on a day: pure functions of dates and the rule.

The next periodic dialogue (or employee conference) is due `every_months` after the last one held,
or, when none was held, after the employer's union was founded. On the due date itself it is still
"due"; from the day after it is overdue. It is "due soon" from `due_soon_days` before the due date.
Because the due date only grows with the reference date, each state is a range of reference dates:
`Thresholds` holds its limits, so judging an employer is two date comparisons, month ends included.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from .choices import ComplianceState


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where it is shorter (29 Feb + 12 months = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _first_reference_due_on_or_after(limit: dt.date, months: int) -> dt.date:
    """The earliest reference date whose due date is on or after `limit`."""
    day = add_months(limit, -months)
    # Month ends shorten some due dates: step to the first reference date that reaches `limit`.
    while add_months(day, months) < limit:
        day += dt.timedelta(days=1)
    while add_months(day - dt.timedelta(days=1), months) >= limit:
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Thresholds:
    """For one obligation on `today`: reference dates before `overdue_before` are overdue, those before
    `due_soon_before` are due soon, later ones are up to date."""

    today: dt.date
    every_months: int
    due_soon_days: int
    overdue_before: dt.date
    due_soon_before: dt.date

    def state(self, reference: dt.date) -> str:
        if reference < self.overdue_before:
            return ComplianceState.OVERDUE
        if reference < self.due_soon_before:
            return ComplianceState.DUE_SOON
        return ComplianceState.UP_TO_DATE

    def due_on(self, reference: dt.date) -> dt.date:
        return add_months(reference, self.every_months)


def thresholds(*, today: dt.date, every_months: int, due_soon_days: int) -> Thresholds:
    """Overdue: due before today. Due soon: due from today to `due_soon_days` ahead."""
    overdue_before = _first_reference_due_on_or_after(today, every_months)
    due_soon_before = _first_reference_due_on_or_after(today + dt.timedelta(days=due_soon_days + 1), every_months)
    return Thresholds(today, every_months, due_soon_days, overdue_before, due_soon_before)
