"""Exports are formula-safe on every path; templates carry the headers of each language."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from unionhall.datafiles.columns import match_header
from unionhall.datafiles.kinds import RowError
from unionhall.datafiles.reading import read_table
from unionhall.datafiles.writing import Sheet, csv_write, error_report_write, safe_cell, xlsx_write

from .renames import COLUMNS, KIND

PAYLOADS = ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", " =1", "\x00=1", '=HYPERLINK("http://x")', "  -2+3"]
HARMLESS = ["Nguyễn Văn Đệ", "a=b", "1-2", "", "email@example.com"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dangerous_text_gets_an_apostrophe(payload):
    cell = safe_cell(payload)
    assert isinstance(cell, str) and cell.startswith("'")


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_is_unchanged(value):
    assert safe_cell(value) == value


def test_numbers_and_dates_stay_typed():
    assert safe_cell(-1) == -1
    assert safe_cell(2.5) == 2.5
    assert safe_cell(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)
    assert safe_cell(None) == ""


def test_xlsx_export_never_holds_a_formula():
    out = io.BytesIO()
    header = ["=cmd|' /C calc'!A0", "name"]
    xlsx_write(out, [Sheet("=bad", header, [[p, p] for p in PAYLOADS] + [[-1, dt.date(2024, 1, 2)]])])
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    sheet = workbook.active
    assert sheet.cell(1, 1).value == "'=cmd|' /C calc'!A0"
    for row in sheet.iter_rows(min_row=2, max_row=len(PAYLOADS) + 1, values_only=True):
        assert all(value.startswith("'") for value in row)
    assert sheet.cell(len(PAYLOADS) + 2, 1).value == -1


def test_csv_export_has_a_bom_and_no_formula():
    out = io.BytesIO()
    csv_write(out, ["=h", "tên"], [[p, "Đệ"] for p in PAYLOADS] + [[dt.date(2024, 1, 2), 3]])
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=h", "tên"]
    assert all(row[0].startswith("'") for row in rows[1:-1])
    assert rows[-1] == ["02/01/2024", "3"]


def test_right_to_left_sheets_for_arabic_and_persian():
    for language, rtl in (("fa", True), ("ar", True), ("vi", False), ("en", False)):
        out = io.BytesIO()
        xlsx_write(out, [Sheet("s", ["a"], [])], language=language)
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
        assert bool(sheet.sheet_view.rightToLeft) is rtl


def test_error_report_quotes_values_safely():
    out = io.BytesIO()
    errors = [RowError(2, "code", "=1+1", "bad"), RowError(3, "name_vi", "x\x00\ud800y", "worse")]
    error_report_write(out, kind=KIND, errors=errors, language="en")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Row", "Column", "Value", "Reason"],
        [2, "code", "'=1+1", "bad"],
        [3, "name (Vietnamese)", "x\ufffd\ufffdy", "worse"],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


TEMPLATE_HEADERS = {
    "vi": ["mã", "tên (tiếng Việt)", "tên (tiếng Anh)", "ngày hiệu lực", "lý do"],
    "en": ["code", "name (Vietnamese)", "name (English)", "effective date", "reason"],
    "ar": ["الرمز", "الاسم (بالفيتنامية)", "الاسم (بالإنجليزية)", "تاريخ النفاذ", "السبب"],
    "fa": ["کد", "نام (ویتنامی)", "نام (انگلیسی)", "تاریخ اجرا", "دلیل"],
}


@pytest.mark.parametrize("language", ["vi", "en", "ar", "fa"])
def test_templates_in_each_language_are_read_back(language, tmp_path):
    path = tmp_path / f"template-{language}.xlsx"
    call_command("import", KIND.code, template=True, lang=language, output=str(path))
    workbook = openpyxl.load_workbook(path)
    first, help_sheet = workbook.worksheets
    assert [c.value for c in first[1]] == TEMPLATE_HEADERS[language]
    assert first.sheet_view.rightToLeft is (True if language in ("ar", "fa") else None)
    assert help_sheet.max_row == 1 + len(COLUMNS)
    assert [c.value for c in help_sheet["A"]][1:] == TEMPLATE_HEADERS[language]
    assert help_sheet["E2"].value == "DN-TB-001"
    # The importer reads its own template, in whatever language it was written.
    table = read_table(path.read_bytes(), path.name)
    assert [c.key for c in match_header(table.header, COLUMNS).values()] == [c.key for c in COLUMNS]
    assert list(table.rows) == []
