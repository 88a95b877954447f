"""The report as an Excel workbook: a summary sheet, a sheet per section with a native column chart,
the figures by unit and the trend; right-to-left sheets for Arabic and Persian.

Text is always written with `write_string` (the workbook never turns "=…" into a formula), numbers as
numbers with their format, so the figures can be summed and charted in Excel.
"""

import io
import re
from collections.abc import Callable
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from .content import Cell, Content, Table

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
SHEET_NAME_MAX = 31
# Characters an XLSX file cannot hold, and those a sheet name may not have.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\']")
CELL_MAX = 32_767


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name from a title: allowed characters, at most 31 of them, unique in the workbook."""
    base = NOT_IN_SHEET_NAME.sub(" ", UNWRITABLE.sub("", title)).strip()[:SHEET_NAME_MAX].strip() or "Sheet"
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


class _Writer:
    def __init__(self, content: Content):
        self.content = content
        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.out, OPTIONS)
        self.taken: set[str] = set()
        self.bold = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = self.book.add_format({"bold": True, "font_size": 14, "align": "center"})
        self.centre = self.book.add_format({"bold": True, "align": "center"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.integer = self.book.add_format({"num_format": "#,##0"})
        self.decimal = self.book.add_format({"num_format": "#,##0.00"})

    def sheet(self, title: str) -> Any:
        worksheet = self.book.add_worksheet(sheet_name(title, self.taken))
        if self.content.rtl:
            worksheet.right_to_left()
        return worksheet

    def text(self, worksheet: Any, row: int, col: int, value: str, cell_format: Any = None) -> None:
        if value:
            worksheet.write_string(row, col, UNWRITABLE.sub("\ufffd", value)[:CELL_MAX], cell_format)

    def cell(self, worksheet: Any, row: int, col: int, cell: Cell) -> None:
        if isinstance(cell.value, int):
            worksheet.write_number(row, col, cell.value, self.integer)
        elif isinstance(cell.value, float):
            worksheet.write_number(row, col, cell.value, self.decimal)
        else:
            self.text(worksheet, row, col, cell.text)

    def table(self, worksheet: Any, top: int, table: Table) -> int:
        """The table with its header row from `top`; the row after it."""
        for col, label in enumerate(table.header):
            self.text(worksheet, top, col, label, self.bold)
        for offset, row in enumerate(table.rows, start=1):
            for col, cell in enumerate(row):
                self.cell(worksheet, top + offset, col, cell)
        worksheet.set_column(0, 0, 42)
        worksheet.set_column(1, len(table.header) - 1, 16)
        worksheet.freeze_panes(top + 1, 1)
        return top + len(table.rows) + 1

    def summary(self) -> None:
        c = self.content
        worksheet = self.sheet(_("Summary"))
        worksheet.set_column(0, 0, 100)
        lines: list[tuple[str, Any]] = [
            (c.national_title, self.centre),
            (c.motto, self.centre),
            (c.issuer_parent, None),
            (c.issuer, self.bold),
            (c.number_line, None),
            (c.place_date, None),
            ("", None),
            (c.heading, self.title),
            (c.title, self.title),
            (c.period_line, self.centre),
            ("", None),
        ]
        for section in c.sections:
            lines += [(section.title, self.bold), (section.paragraph, self.wrap)]
        lines += [("", None), (c.children_note, self.wrap), (c.reported_note, self.wrap), (c.as_of_line, self.wrap)]
        if c.recipients:
            lines += [("", None), (c.recipients_heading, self.bold), *((f"- {name};", None) for name in c.recipients)]
        lines += [("", None), (c.signer_title, self.bold), (c.signer_name, self.bold)]
        for row, (text, cell_format) in enumerate(lines):
            self.text(worksheet, row, 0, text, cell_format)

    def sections(self, progress: Callable[[int], None]) -> None:
        c = self.content
        for index, section in enumerate(c.sections):
            worksheet = self.sheet(section.title)
            end = self.table(worksheet, 0, section.table)
            if section.chart:
                self.column_chart(worksheet, end + 1, section.title, section.chart)
            progress(60 + 30 * (index + 1) // len(c.sections))

    def column_chart(self, worksheet: Any, top: int, title: str, data: list[tuple[str, int, int]]) -> None:
        """The section's counts under its table (this period, previous period) and a column chart of them."""
        header = [_("Indicator"), _("This period"), _("Previous period")]
        for col, label in enumerate(header):
            self.text(worksheet, top, col, label, self.bold)
        for offset, (label, now, before) in enumerate(data, start=1):
            self.text(worksheet, top + offset, 0, label)
            worksheet.write_number(top + offset, 1, now, self.integer)
            worksheet.write_number(top + offset, 2, before, self.integer)
        chart = self.book.add_chart({"type": "column"})
        name = worksheet.get_name()
        first, last = top + 1, top + len(data)
        for col in (1, 2):
            chart.add_series(
                {
                    "name": [name, top, col],
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, col, last, col],
                }
            )
        chart.set_title({"name": title})
        chart.set_legend({"position": "bottom"})
        if self.content.rtl:
            chart.set_x_axis({"reverse": True})
        worksheet.insert_chart(last + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})

    def children(self) -> None:
        c = self.content
        if not c.children:
            return
        worksheet = self.sheet(_("By unit"))
        first = c.children[0]
        header = [first.header[0], *(label for table in c.children for label in table.header[1:])]
        rows = [
            [row[0], *(cell for table in c.children for cell in table.rows[index][1:])]
            for index, row in enumerate(first.rows)
        ]
        end = self.table(worksheet, 0, Table(_("By unit"), header, rows))
        for offset, note in enumerate((c.children_note, c.reported_note), start=1):
            self.text(worksheet, end + offset, 0, note)

    def trend(self) -> None:
        c = self.content
        if len(c.trend) < 2 or not c.trend[0][1]:
            return
        worksheet = self.sheet(_("Trend"))
        labels = list(c.trend[0][1])
        self.text(worksheet, 0, 0, _("Period"), self.bold)
        for col, label in enumerate(labels, start=1):
            self.text(worksheet, 0, col, label, self.bold)
        for row, (period, values) in enumerate(c.trend, start=1):
            self.text(worksheet, row, 0, period)
            for col, label in enumerate(labels, start=1):
                worksheet.write_number(row, col, values[label], self.integer)
        worksheet.set_column(0, 0, 24)
        worksheet.set_column(1, len(labels), 18)
        chart = self.book.add_chart({"type": "line"})
        name = worksheet.get_name()
        for col in range(1, len(labels) + 1):
            chart.add_series(
                {
                    "name": [name, 0, col],
                    "categories": [name, 1, 0, len(c.trend), 0],
                    "values": [name, 1, col, len(c.trend), col],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_title({"name": _("Trend over the periods")})
        chart.set_legend({"position": "bottom"})
        if c.rtl:
            chart.set_x_axis({"reverse": True})
        worksheet.insert_chart(len(c.trend) + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.3})

    def bytes(self) -> bytes:
        self.book.close()
        return self.out.getvalue()


def render_xlsx(content: Content, progress: Callable[[int], None]) -> bytes:
    writer = _Writer(content)
    writer.summary()
    writer.sections(progress)
    writer.children()
    writer.trend()
    return writer.bytes()
