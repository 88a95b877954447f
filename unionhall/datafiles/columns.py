"""Column specs of a record type, and matching a file's header row to them in any of the four languages."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unionhall.core.text import fold

from . import cells
from .errors import FileRefused

TEXT, IDENTIFIER, DATE, INTEGER, CHOICE = "text", "identifier", "date", "integer", "choice"
TYPES = (TEXT, IDENTIFIER, DATE, INTEGER, CHOICE)
# Distinct date and choice texts remembered per column (a few MB at most).
MEMO_SIZE = 50_000
TYPE_NAMES = {
    TEXT: _("Text"),
    IDENTIFIER: _("Identifier (text; keep leading zeros)"),
    DATE: _("Date (dd/mm/yyyy)"),
    INTEGER: _("Whole number"),
    CHOICE: _("One of a list"),
}


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Column:
    """One column a record type reads: its key, its translated label and how its cells are read."""

    key: str
    label: str | Promise
    type: str = TEXT
    required: bool = False
    help: str | Promise = ""
    example: str | Promise = ""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    # For a date: refuse dates after the import's day.
    no_future: bool = False
    # For a choice: (stored value, translated label).
    choices: Sequence[tuple[str, str | Promise]] = field(default_factory=tuple)
    _lookups: dict[str, tuple[dict[str, str], list[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"Unknown column type {self.type!r}")
        object.__setattr__(self, "choices", tuple(tuple(choice) for choice in self.choices))

    def label_in(self, language: str) -> str:
        with translation.override(language):
            return str(self.label)

    def choice_lookup(self, language: str) -> tuple[dict[str, str], list[str]]:
        """Folded names of each choice in every language -> its value; and the names in `language`.

        Kept on the column per language: hashing the lazy labels for every cell would translate them each time.
        """
        found = self._lookups.get(language)
        if found is not None:
            return found
        lookup: dict[str, str] = {}
        for value, label in self.choices:
            lookup.setdefault(fold(value), value)
            for lang in languages():
                with translation.override(lang):
                    lookup.setdefault(fold(str(label)), value)
        with translation.override(language or None):
            options = [str(label) for _value, label in self.choices]
        self._lookups[language] = (lookup, options)
        return lookup, options

    def names(self) -> set[str]:
        """Folded header texts that name this column: its key and its label in every language."""
        return {fold(self.key)} | {fold(self.label_in(lang)) for lang in languages()}

    def read(self, raw: Any, *, today: dt.date) -> Any:
        """The cell's value (None when blank and optional), or `CellRefused`."""
        if raw is None or raw == "" or (isinstance(raw, str) and raw.isspace()):
            if self.required:
                raise cells.CellRefused(_("This column is required."))
            return None
        if self.type == IDENTIFIER:
            return cells.to_identifier(raw, max_length=self.max_length)
        if self.type in (DATE, CHOICE) and isinstance(raw, str):
            # A roster repeats its dates and choices: each distinct text is parsed once (a bounded memo).
            known = self._memo.get(raw)
            if known is not None:
                return cells.to_date(known, today=today if self.no_future else None) if self.type == DATE else known
            value = self._read_typed(raw, today=today)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[raw] = value
            return value
        return self._read_typed(raw, today=today)

    def _read_typed(self, raw: Any, *, today: dt.date) -> Any:
        if self.type == DATE:
            return cells.to_date(raw, today=today if self.no_future else None)
        if self.type == INTEGER:
            return cells.to_integer(raw, min_value=self.min_value, max_value=self.max_value)
        if self.type == CHOICE:
            lookup, options = self.choice_lookup(translation.get_language() or "")
            return cells.to_choice(raw, lookup=lookup, options=options)
        return cells.to_text(raw, max_length=self.max_length)


def match_header(header: Sequence[Any], columns: Sequence[Column]) -> dict[int, Column]:
    """Which column each header cell names; unknown, duplicate and missing required columns refuse the file."""
    by_name: dict[str, Column] = {}
    for column in columns:
        for name in column.names():
            by_name.setdefault(name, column)
    matched: dict[int, Column] = {}
    seen: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, raw in enumerate(header):
        text = cells.display(raw).strip() if not isinstance(raw, str) else raw.strip()
        if not text:
            continue
        named = by_name.get(fold(text))
        if named is None:
            unknown.append(text)
        elif named.key in seen:
            duplicates.append(text)
        else:
            seen[named.key] = text
            matched[index] = named
    if unknown:
        raise FileRefused(
            _("Unknown columns: %(columns)s. Use the headers of the template.")
            % {"columns": ", ".join(_quoted(unknown))},
            code="unknown_columns",
        )
    if duplicates:
        raise FileRefused(
            _("Columns given more than once: %(columns)s.") % {"columns": ", ".join(_quoted(duplicates))},
            code="duplicate_columns",
        )
    missing = [str(c.label) for c in columns if c.required and c.key not in seen]
    if missing:
        raise FileRefused(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(_quoted(missing))},
            code="missing_columns",
        )
    return matched


def _quoted(names: Sequence[str]) -> list[str]:
    # A header can hold anything; keep the message readable.
    return [f"“{name[:60]}”" for name in names[:20]]
