"""Turning one raw cell (a CSV string, or a calamine value) into a typed value, or a reason it cannot be.

Pure functions: each returns the value or raises `CellRefused` with a translated reason.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unionhall.core.text import fold

FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
INTEGER_RE = re.compile(r"^[+-]?\d+$")
# What Excel shows once it has turned a long identifier into a number: 1.23457E+11, or 79123456789.0.
MANGLED_NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$|^\d+\.0+$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel's serial numbers run from 1 (1 January 1900) to 2958465 (31 December 9999).
MAX_SERIAL = 2_958_465


class CellRefused(Exception):
    """A cell's value cannot be used; `reason` says why, in words for the user."""

    def __init__(self, reason: str | Promise):
        super().__init__(str(reason))
        self.reason = reason


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def display(raw: Any) -> str:
    """The cell as the user typed it, for the error report."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)


def _is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def to_text(raw: Any, *, max_length: int | None = None) -> str:
    """Text, stripped and NFC-normalised; NUL bytes and lone surrogates refused (as `core.text.clean_text`)."""
    if isinstance(raw, bool):
        raise CellRefused(_("Expected text, found a true/false value."))
    value = (raw if isinstance(raw, str) else display(raw)).strip()
    # The same rule as clean_text, at a cost per cell that a million-row file can afford.
    if value.isascii():
        # ASCII is always NFC, and NUL is its only forbidden character.
        if "\x00" in value:
            raise CellRefused(_("The text contains characters that are not allowed."))
    else:
        if FORBIDDEN.search(value):
            raise CellRefused(_("The text contains characters that are not allowed."))
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
    if max_length is not None and len(value) > max_length:
        raise CellRefused(_("At most %(count)s characters.") % {"count": max_length})
    return value


def to_identifier(raw: Any, *, max_length: int | None = None) -> str:
    """An identifier is text: leading zeros matter, so a number cell is refused, never padded."""
    if _is_number(raw):
        raise CellRefused(
            _(
                "This identifier is stored as a number, so leading zeros may have been lost. "
                "Format the column as Text and type it again."
            )
        )
    value = to_text(raw, max_length=max_length)
    if not value.isdigit() and MANGLED_NUMBER_RE.match(value):
        raise CellRefused(
            _("This identifier looks like a number reformatted by Excel. Format the column as Text and type it again.")
        )
    return value


def to_date(raw: Any, *, today: dt.date | None = None) -> dt.date:
    """A date cell, an Excel serial number, or text written dd/mm/yyyy; `today` refuses later dates."""
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif _is_number(raw) or (isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit()):
        value = _from_serial(raw)
    elif isinstance(raw, str):
        value = _from_text(raw)
    else:
        raise CellRefused(_("Expected a date written dd/mm/yyyy, e.g. 25/11/2026."))
    if today is not None and value > today:
        raise CellRefused(_("The date cannot be in the future."))
    return value


def _from_serial(raw: Any) -> dt.date:
    try:
        serial = float(raw)
    except (TypeError, ValueError):
        raise CellRefused(_("Expected a date written dd/mm/yyyy, e.g. 25/11/2026.")) from None
    if not serial.is_integer() or not 1 <= serial <= MAX_SERIAL:
        raise CellRefused(_("Expected a date written dd/mm/yyyy, e.g. 25/11/2026."))
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _from_text(raw: str) -> dt.date:
    match = DATE_RE.match(raw.strip())
    if not match:
        raise CellRefused(_("Expected a date written dd/mm/yyyy, e.g. 25/11/2026."))
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellRefused(_("This date does not exist.")) from None


def to_integer(raw: Any, *, min_value: int | None = None, max_value: int | None = None) -> int:
    if isinstance(raw, bool):
        raise CellRefused(_("Expected a whole number."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and INTEGER_RE.match(raw.strip()):
        value = int(raw.strip())
    else:
        raise CellRefused(_("Expected a whole number."))
    if min_value is not None and value < min_value:
        raise CellRefused(_("The number must be at least %(min)s.") % {"min": min_value})
    if max_value is not None and value > max_value:
        raise CellRefused(_("The number must be at most %(max)s.") % {"max": max_value})
    return value


def to_choice(raw: Any, *, lookup: Mapping[str, str], options: Sequence[str]) -> str:
    """One of the choices: `lookup` maps each folded name, in any language, to its value."""
    value = lookup.get(fold(to_text(raw)))
    if value is None:
        raise CellRefused(_("Choose one of: %(choices)s.") % {"choices": ", ".join(options)})
    return value
