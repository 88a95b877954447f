"""The registry of record types that files can import, and the contract each one fulfils.

A record type registers a `Kind`: its columns and two callables. `validate(rows, context)` reads every
row and returns a `Plan` saying what would happen to each one (new, updated, unchanged, rejected, with
reasons); it writes nothing. `apply(plan, context)` carries the plan out through the domain's services.
The mechanism calls `apply` only when no row is rejected, inside one transaction. A kind may also
offer `export(context)`: the rows of the unit's subtree, written formula-safe to XLSX or CSV.

Each `Row` has a value for every column key (None when blank or left out of the file). A row with an
unreadable cell arrives with `errors` set; the mechanism rejects it and reports its errors whatever
the kind decides, so a kind may simply mark it rejected and move on.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound

from .cells import display
from .choices import Outcome
from .columns import Column


@dataclass(frozen=True)
class RowError:
    """Why one cell (or one row, when `column` is empty) was rejected."""

    row: int
    column: str
    value: str
    reason: str | Promise


@dataclass
class Row:
    """One data row: its values by column key, and the cells that could not be read."""

    number: int
    values: dict[str, Any]
    # The cells as read from the file, by column key.
    raw: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, reason: str | Promise) -> RowError:
        """A rejection of one of this row's cells, quoting the cell."""
        return RowError(self.number, column, quoted(self.raw.get(column)), reason)


@dataclass
class Context:
    """Who imports, into which unit, on which day; `dry_run` is for information, validate must not write.

    While applying, a kind says how many rows it has written so far through `wrote`, or walks its rows
    through `counted`: the job's progress bar moves while the writing transaction is still open.
    """

    actor: Any
    unit: Any
    today: dt.date
    dry_run: bool
    language: str
    on_written: Callable[[int], None] | None = None

    def wrote(self, rows: int) -> None:
        if self.on_written is not None:
            self.on_written(rows)

    def counted[T](self, items: Iterable[T], every: int = 100) -> Iterator[T]:
        """The items, saying every `every` of them (and at the end) how many have been written."""
        done = 0
        for done, item in enumerate(items, 1):
            yield item
            if done % every == 0:
                self.wrote(done)
        self.wrote(done)


@dataclass
class Plan:
    """What an import does, row by row; `payload` is whatever the kind's `apply` needs.

    A payload with a `close()` method is closed when the job ends, applied or not.
    """

    outcomes: dict[int, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    payload: Any = None

    def add(self, row: int, outcome: str, errors: Iterable[RowError] = ()) -> None:
        self.outcomes[row] = outcome
        self.errors.extend(errors)

    def reject(self, row: Row, *errors: RowError) -> None:
        self.add(row.number, Outcome.REJECTED, errors)

    def counts(self) -> dict[str, int]:
        counted = Counter(self.outcomes.values())
        return {outcome: counted.get(outcome, 0) for outcome in Outcome.values}

    @property
    def rejected(self) -> bool:
        return any(outcome == Outcome.REJECTED for outcome in self.outcomes.values())


Validate = Callable[[Iterator[Row], Context], Plan]
Apply = Callable[[Plan, Context], None]
# Rows to export, as values by column key (the columns' order and labels make the header).
Export = Callable[[Context], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Kind:
    """A record type that can be imported from a file: `unionhall import CODE FILE`."""

    code: str
    label: str | Promise
    # The permission an actor needs on the unit, e.g. "member.import".
    action: str
    columns: Sequence[Column]
    validate: Validate
    apply: Apply
    # Optional: the record type can also be exported, by holders of `export_action`.
    export: Export | None = None
    export_action: str = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def quoted(raw: Any) -> str:
    """A cell as the user typed it, short enough for a report."""
    return display(raw)[:200]


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Called from an app's `ready()`; registering the same code again replaces it."""
    _kinds[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _kinds.pop(code, None)


def kind_get(code: str) -> Kind:
    kind = _kinds.get(code)
    if kind is None:
        raise NotFound(_("No record type can be imported under the name %(kind)s.") % {"kind": code[:40]}, field="kind")
    return kind


def kind_list() -> list[Kind]:
    return [_kinds[code] for code in sorted(_kinds)]


def kind_choices() -> list[tuple[str, str]]:
    """(code, label) of every record type, for choice fields (and the API schema's name for them)."""
    return [(kind.code, str(kind.label)) for kind in kind_list()]
