"""The import pipeline: bytes → header matched to a kind's columns → typed rows → the kind's plan.

Nothing here writes: the services apply a plan only when every row passed, in one transaction.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .cells import CellRefused
from .choices import Outcome
from .columns import Column, match_header
from .kinds import Context, Kind, Plan, Row, RowError, quoted
from .reading import read_table

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500


def import_plan(*, kind: Kind, data: bytes, name: str, context: Context, progress: Progress | None = None) -> Plan:
    """Read and validate the whole file; raises `FileRefused` when the file itself cannot be used."""
    table = read_table(data, name)
    matched = match_header(table.header, kind.columns)
    unreadable: dict[int, list[RowError]] = {}
    counter = {"rows": 0}
    rows = _rows(table.rows, kind.columns, matched, context, unreadable, counter, table.total, progress)
    plan = kind.validate(rows, context)
    # A kind may stop early; the rest of the file is still read, so every bad row is reported.
    for _row in rows:
        pass
    known = set(plan.errors)
    for number, errors in unreadable.items():
        plan.outcomes[number] = Outcome.REJECTED
        plan.errors.extend(e for e in errors if e not in known)
    order = {column.key: i for i, column in enumerate(kind.columns)}
    plan.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if progress is not None:
        progress(counter["rows"], counter["rows"])
    return plan


def _rows(
    source: Iterator[tuple[int, list[Any]]],
    all_columns: Sequence[Column],
    matched: dict[int, Column],
    context: Context,
    unreadable: dict[int, list[RowError]],
    counter: dict[str, int],
    total: int,
    progress: Progress | None,
) -> Iterator[Row]:
    # (index in the file, key, reader): looked up once, not for each of a million rows.
    columns = [(index, column.key, column.read) for index, column in matched.items()]
    # Columns the file leaves out (optional ones) read as blank, so a kind can index every key.
    absent = {column.key: None for column in all_columns}
    today = context.today
    for number, cells in source:
        values: dict[str, Any] = absent.copy()
        raw: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(cells)
        for index, key, read in columns:
            cell = cells[index] if index < width else None
            raw[key] = cell
            try:
                values[key] = read(cell, today=today)
            except CellRefused as refused:
                values[key] = None
                errors.append(RowError(number, key, quoted(cell), refused.reason))
        if errors:
            unreadable[number] = errors
        counter["rows"] += 1
        if progress is not None and counter["rows"] % PROGRESS_EVERY == 0:
            progress(counter["rows"], max(total, counter["rows"]))
        yield Row(number=number, values=values, raw=raw, errors=errors)
