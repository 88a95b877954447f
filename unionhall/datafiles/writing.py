"""Writing CSV and XLSX files that no spreadsheet will run as formulas, the error report and the templates.

Every export path writes its cells through `safe_cell`: a text that starts, after optional whitespace,
with = + - @ TAB CR or NUL gets a leading apostrophe, and XLSX cells are written as strings, never as
formulas (P14).
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from .columns import CHOICE, IDENTIFIER, TEXT, TYPE_NAMES, Column
from .kinds import Kind, RowError

RTL_LANGUAGES = frozenset({"ar", "fa"})
DANGEROUS_START = re.compile(r"^\s*[=+\-@\t\r\x00]|^[\t\r\x00]")
# XML 1.0 cannot carry these; UTF-8 cannot carry lone surrogates.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
MAX_SHEET_CELL = 32_767


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text: formula starters neutralised, unwritable characters replaced."""
    if DANGEROUS_START.match(value):
        value = "'" + value
    return UNWRITABLE.sub("\ufffd", value)


def safe_cell(value: Any) -> str | int | float | Decimal | dt.date:
    """Numbers and dates stay typed; everything else becomes safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_text(str(value))
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return safe_text(str(value))


@dataclass
class Sheet:
    name: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()
    # Columns Excel should keep as text when the user types into them (identifiers with leading zeros).
    text_columns: Sequence[int] = ()


def xlsx_write(out: IO[bytes] | str, sheets: Sequence[Sheet], *, language: str = "vi") -> None:
    """An XLSX workbook, streamed row by row; right-to-left sheets for Arabic and Persian."""
    workbook = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    text_format = workbook.add_format({"num_format": "@"})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(_sheet_name(sheet.name))
        if language in RTL_LANGUAGES:
            worksheet.right_to_left()
        for index, width in enumerate(sheet.widths):
            worksheet.set_column(index, index, width, text_format if index in sheet.text_columns else None)
        _write_row(worksheet, 0, sheet.header, bold, date_format)
        for number, row in enumerate(sheet.rows, start=1):
            _write_row(worksheet, number, row, None, date_format)
    workbook.close()


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\']", " ", safe_text(name))[:31].strip() or "Sheet"


def _write_row(worksheet: Any, row: int, values: Sequence[Any], cell_format: Any, date_format: Any) -> None:
    for col, value in enumerate(values):
        cell = safe_cell(value)
        if cell == "":
            continue
        if isinstance(cell, str):
            worksheet.write_string(row, col, cell[:MAX_SHEET_CELL], cell_format)
        elif isinstance(cell, dt.datetime):
            worksheet.write_datetime(row, col, cell.replace(tzinfo=None), date_format)
        elif isinstance(cell, dt.date):
            worksheet.write_datetime(row, col, dt.datetime.combine(cell, dt.time()), date_format)
        else:
            worksheet.write_number(row, col, cell, cell_format)


def csv_write(out: IO[bytes], header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """UTF-8 with a byte-order mark, so that Excel shows Vietnamese letters correctly."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([_csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    text.flush()
    text.detach()


def _csv_cell(value: Any) -> str:
    cell = safe_cell(value)
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y")
    return str(cell)


# ---------------------------------------------------------------- error report and template


def error_report_write(out: IO[bytes] | str, *, kind: Kind, errors: Iterable[RowError], language: str) -> None:
    """Row, column, value and reason of every rejected cell, in the reader's language."""
    with translation.override(language):
        labels = {column.key: str(column.label) for column in kind.columns}
        header = [_("Row"), _("Column"), _("Value"), _("Reason")]
        rows = ((e.row, labels.get(e.column, e.column), e.value, str(e.reason)) for e in errors)
        xlsx_write(out, [Sheet(_("Errors"), header, rows, widths=(8, 30, 30, 80))], language=language)


def template_write(out: IO[bytes] | str, *, kind: Kind, language: str) -> None:
    """An empty sheet with the headers in `language`, and a sheet that explains each column."""
    with translation.override(language):
        header = [column.label_in(language) for column in kind.columns]
        help_header = [_("Column"), _("Required"), _("Type"), _("Description"), _("Example")]
        help_rows = [_column_help(column) for column in kind.columns]
        xlsx_write(
            out,
            [
                Sheet(
                    str(kind.label),
                    header,
                    [],
                    widths=[max(14, len(h) + 4) for h in header],
                    text_columns=[i for i, c in enumerate(kind.columns) if c.type in (IDENTIFIER, TEXT)],
                ),
                Sheet(_("Columns"), help_header, help_rows, widths=(30, 10, 30, 60, 24)),
            ],
            language=language,
        )


def _column_help(column: Column) -> list[str]:
    description = str(column.help)
    if column.type == CHOICE:
        names = ", ".join(str(label) for _value, label in column.choices)
        description = " ".join(filter(None, [description, _("One of: %(choices)s.") % {"choices": names}]))
    return [
        str(column.label),
        _("Yes") if column.required else _("No"),
        str(TYPE_NAMES[column.type]),
        description,
        str(column.example),
    ]
