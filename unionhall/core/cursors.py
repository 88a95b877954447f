"""Page links of keyset pagination: the sort key of a page's last row as an opaque, URL-safe token.

A token that was not made here (edited, truncated, a NUL in a name, an id past a bigint) is refused
with one clear error, before the database sees it.
"""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .text import has_forbidden_characters

MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9


class Offset(int):
    """A kind for `cursor_decode`: a position in a computed list (0 and up), not a row id."""


def cursor_encode(values: Sequence[str | int | dt.date]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def cursor_decode(cursor: str, kinds: Sequence[type]) -> list[Any]:
    """The values of a token, one per kind: `str`, `int` (a row id), `dt.date` or `Offset`."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        return [_typed(value, kind) for value, kind in zip(values, kinds, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DomainError(_("The page link is not valid."), field="cursor") from None


def _typed(value: Any, kind: type) -> Any:
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is str:
        if not isinstance(value, str) or has_forbidden_characters(value):
            raise ValueError
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError
    low, high = (0, MAX_OFFSET) if kind is Offset else (1, MAX_ID)
    if not low <= value <= high:
        raise ValueError
    return value
