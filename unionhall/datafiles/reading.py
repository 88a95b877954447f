"""From the bytes of an uploaded CSV or XLSX file to a header and a stream of rows of raw cells.

Every check that needs no parsing runs first (size, format against name, archive limits). Whatever the
bytes, the only exception that leaves this module is `FileRefused`.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .archives import check_xlsx_archive
from .errors import FileRefused
from .limits import limit

ZIP_MAGIC = b"PK\x03\x04"
# Old binary Excel files and password-protected workbooks are both OLE compound files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_DELIMITERS = (",", ";", "\t")
# A cell longer than this is not a roster value; csv refuses it anyway above its own limit.
MAX_CELL_CHARS = 32_767


@dataclass
class Table:
    """A header and its data rows; `rows` yields (row number as the user sees it, cells) and can be read once."""

    format: str
    header: list[Any]
    rows: Iterator[tuple[int, list[Any]]]
    # An upper bound on the number of data rows, for progress.
    total: int


def file_format(name: str) -> str:
    lowered = name.lower()
    for ext in ("xlsx", "csv", "xls", "xlsm", "ods"):
        if lowered.endswith("." + ext):
            return ext
    return ""


def check_file(data: bytes, name: str) -> str:
    """The checks made before parsing; returns "csv" or "xlsx"."""
    if len(data) > limit("MAX_BYTES"):
        raise FileRefused(
            _("The file is larger than the limit of %(size)s MB.") % {"size": limit("MAX_BYTES") // (1024 * 1024)},
            code="too_large",
        )
    if not data:
        raise FileRefused(_("The file is empty."), code="empty")
    ext = file_format(name)
    is_zip = data.startswith(ZIP_MAGIC)
    if data.startswith(OLE_MAGIC):
        raise FileRefused(
            _("This is an old Excel file (.xls) or a workbook with a password. Save it as .xlsx without a password."),
            code="unsupported_format",
        )
    if ext == "xlsx":
        if not is_zip:
            raise FileRefused(_("The file name ends in .xlsx but the file is not an Excel workbook."), code="not_xlsx")
        check_xlsx_archive(data)
        return "xlsx"
    if ext == "csv":
        if is_zip:
            raise FileRefused(
                _("The file name ends in .csv but the file is an Excel workbook. Rename it to .xlsx."), code="not_csv"
            )
        return "csv"
    raise FileRefused(
        _("Only .xlsx and .csv files can be imported (this file is %(name)s).") % {"name": name[-80:]},
        code="unsupported_format",
    )


def read_table(data: bytes, name: str) -> Table:
    """The first sheet of an XLSX file, or a CSV file in UTF-8; blank rows are skipped."""
    kind = check_file(data, name)
    table = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    return Table(format=table.format, header=table.header, rows=_limited(table.rows), total=table.total)


def _limited(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    max_rows = limit("MAX_ROWS")
    count = 0
    for number, cells in rows:
        if not _has_value(cells):
            continue
        count += 1
        if count > max_rows:
            raise FileRefused(
                _("The file has more than %(count)s rows. Split it into smaller files.") % {"count": max_rows},
                code="too_many_rows",
            )
        yield number, cells


def _has_value(cells: list[Any]) -> bool:
    """Whether any cell holds something other than blanks (a plain loop: it runs once per row)."""
    for c in cells:  # noqa: SIM110 - a generator costs a frame per row
        if c is not None and c != "" and not (isinstance(c, str) and c.isspace()):
            return True
    return False


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _first_nonblank(rows: Iterator[tuple[int, list[Any]]]) -> list[Any] | None:
    for _number, cells in rows:
        if not all(_blank(c) for c in cells):
            return cells
    return None


def _no_header() -> FileRefused:
    return FileRefused(_("The file has no header row."), code="no_header")


# ---------------------------------------------------------------- CSV


def _wrong_encoding() -> FileRefused:
    return FileRefused(
        _('The file is not in UTF-8. In Excel, choose Save As, then "CSV UTF-8 (Comma delimited)".'),
        code="encoding",
    )


def _read_csv(data: bytes) -> Table:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:4096].count(0) > len(data[:4096]) // 10:
        raise _wrong_encoding()
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="strict", newline="")
    try:
        sample = text.read(65536)
    except UnicodeDecodeError:
        raise _wrong_encoding() from None
    text.seek(0)
    # The header names the delimiter: the first line with something on it.
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    rows = _csv_rows(text, delimiter)
    header = _first_nonblank(rows)
    if header is None:
        raise _no_header()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return Table(format="csv", header=header, rows=rows, total=max(lines - 1, 0))


def _csv_rows(text: io.TextIOWrapper, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except UnicodeDecodeError:
        raise _wrong_encoding() from None
    except (csv.Error, ValueError, MemoryError):
        raise FileRefused(_("The CSV file is malformed and cannot be read."), code="malformed") from None


# ---------------------------------------------------------------- XLSX


def _damaged() -> FileRefused:
    return FileRefused(_("The Excel file is damaged or incomplete. Open it in Excel and save it again."))


def _calamine_call(func: Any, *args: Any) -> Any:
    """Calamine reports trouble with its own exceptions, and a Rust panic is not an Exception at all."""
    try:
        return func(*args)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException:
        raise _damaged() from None


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineWorkbook

    workbook = _calamine_call(CalamineWorkbook.from_filelike, io.BytesIO(data))
    if not _calamine_call(lambda: workbook.sheet_names):
        raise FileRefused(_("The Excel file has no sheet."), code="no_sheet")
    sheet = _calamine_call(workbook.get_sheet_by_index, 0)
    total = max(int(_calamine_call(lambda: sheet.height)) - 1, 0)
    rows = _xlsx_rows(sheet)
    header = _first_nonblank(rows)
    if header is None:
        raise _no_header()
    return Table(format="xlsx", header=header, rows=rows, total=total)


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    iterator = _calamine_call(lambda: iter(sheet.iter_rows()))
    # Calamine yields every row from the sheet's first, so counting gives the row numbers Excel shows.
    number = 0
    while True:
        cells = _calamine_call(next, iterator, None)
        if cells is None:
            return
        number += 1
        yield number, list(cells)
