"""Building test files byte by byte: XLSX with XlsxWriter directly (formulas, merges, numbers), CSV in any encoding."""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

HEADER = ["code", "name (Vietnamese)", "name (English)", "effective date", "reason"]


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, formula: bool = False, merge: bool = False) -> bytes:
    """Strings are written as strings, numbers as numbers, dates as date cells."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    if formula:
        sheet.write_formula(len(rows), 0, "=1+1")
    if merge:
        sheet.merge_range(len(rows) + 1, 0, len(rows) + 1, 1, "merged")
    workbook.close()
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)
