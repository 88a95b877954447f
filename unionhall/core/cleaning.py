"""Checks on the plain values services receive (text, dates, counts), each raising a `DomainError` on its field.

Services of every app clean their inputs with these, so the same mistake reads the same everywhere.
"""

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .text import clean_text

EARLIEST_DATE = dt.date(1900, 1, 1)


def clean_str(value: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    """The text without forbidden characters and outer blanks, within `max_length`."""
    cleaned = clean_text(value or "", field=field)
    if required and not cleaned:
        raise DomainError(_("This field is required."), field=field, code="required")
    if len(cleaned) > max_length:
        raise DomainError(
            _("This field has at most %(max)s characters.") % {"max": max_length}, field=field, code="too_long"
        )
    return cleaned


def clean_date(day: Any, *, field: str, required: bool = True) -> dt.date | None:
    """A date (not a datetime) no earlier than 1900; None only when not `required`."""
    if day is None:
        if required:
            raise DomainError(_("This date is required."), field=field, code="required")
        return None
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise DomainError(_("Enter a valid date."), field=field)
    if day < EARLIEST_DATE:
        raise DomainError(_("The date is too far in the past."), field=field)
    return day


def not_future(day: dt.date, *, field: str, today: dt.date) -> dt.date:
    if day > today:
        raise DomainError(_("The date cannot be in the future."), field=field)
    return day


def clean_count(value: Any, *, field: str, maximum: int) -> int:
    """A whole number from 0 to `maximum` (a bool is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Enter a whole number."), field=field, code="invalid")
    if value < 0:
        raise DomainError(_("The number cannot be negative."), field=field, code="negative")
    if value > maximum:
        raise DomainError(_("The number is at most %(max)s.") % {"max": f"{maximum:,}"}, field=field, code="too_large")
    return value


SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SLUG_MAX_LENGTH = 60


def clean_slug(code: str | None, *, example: str, reserved: frozenset[str] = frozenset({"new"})) -> str:
    """A record's code as it appears in its page's address: lower-case letters and digits joined by - or _.

    `reserved` are the path segments of the app's pages that a code would shadow (e.g. "new").
    """
    cleaned = clean_text(code or "", field="code").lower()
    if not cleaned:
        raise DomainError(_("The code is required."), field="code", code="required")
    if cleaned in reserved:
        raise DomainError(_("The code %(code)s is reserved; choose another.") % {"code": cleaned}, field="code")
    if len(cleaned) > SLUG_MAX_LENGTH or not SLUG_RE.match(cleaned):
        raise DomainError(
            _("A code has at most %(max)s lower-case letters, digits, hyphens or underscores, e.g. %(example)s.")
            % {"max": SLUG_MAX_LENGTH, "example": example},
            field="code",
        )
    return cleaned
