"""Report periods: any two dates, and the presets officers use (a year, a half-year, a movement, a term)."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError

# The oldest and newest days a report may cover; wider would be a typing mistake.
EARLIEST = dt.date(1930, 1, 1)
LATEST_YEARS_AHEAD = 10


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def month_aligned(self) -> bool:
        """Starts on a first and ends on a last day of a month, so whole months of the roll-ups cover it."""
        return self.start.day == 1 and self.end == month_end(self.end)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """The equal period just before: the same number of months when month-aligned, else of days."""
        if self.month_aligned:
            end = self.start - dt.timedelta(days=1)
            return Period(add_months(self.start, -self.months), end)
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def earlier(self, count: int) -> list["Period"]:
        """This period and the `count` equal periods before it, oldest first (for trends)."""
        periods = [self]
        for _i in range(count):
            periods.append(periods[-1].previous())
        return list(reversed(periods))

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_clean(start: object, end: object, *, today: dt.date) -> Period:
    """A period from two dates (date objects or ISO text); DomainError naming what is wrong."""
    first = _date(start, field="from")
    last = _date(end, field="to")
    if last < first:
        raise DomainError(_("The period ends before it starts."), field="to")
    if first < EARLIEST:
        raise DomainError(_("The period starts too long ago."), field="from")
    if last > dt.date(today.year + LATEST_YEARS_AHEAD, 12, 31):
        raise DomainError(_("The period ends too far in the future."), field="to")
    return Period(first, last)


def _date(value: object, *, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise DomainError(_("Give a date as YYYY-MM-DD."), field=field)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_("Give a date as YYYY-MM-DD."), field=field) from None


def year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def half_year(year: int, half: int) -> Period:
    """The first (1) or second (2) half of a year."""
    if half == 1:
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30))
    return Period(dt.date(year, 7, 1), dt.date(year, 12, 31))


def years(first: int, last: int) -> Period:
    return Period(dt.date(first, 1, 1), dt.date(last, 12, 31))


def congress_terms() -> list[Period]:
    """The congress terms offered as presets, newest first (settings.REPORTS_CONGRESS_TERMS)."""
    terms = getattr(settings, "REPORTS_CONGRESS_TERMS", [(2023, 2028)])
    return [years(first, last) for first, last in sorted(terms, reverse=True)]


def movement_period(start: dt.date, end: dt.date | None, *, today: dt.date) -> Period:
    """A movement's period, up to today while it runs."""
    return Period(start, end or max(start, today))
