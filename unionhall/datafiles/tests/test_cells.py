"""Cells and header matching: identifiers stay text, dates are strict, headers match in any language."""

import datetime as dt
import unicodedata

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unionhall.datafiles import cells
from unionhall.datafiles.cells import CellRefused
from unionhall.datafiles.columns import CHOICE, INTEGER, Column, match_header
from unionhall.datafiles.errors import FileRefused

from .renames import COLUMNS

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def reason(func, *args, **kwargs) -> str:
    with pytest.raises(CellRefused) as caught:
        func(*args, **kwargs)
    return str(caught.value.reason)


def test_identifiers_keep_leading_zeros_and_numeric_cells_are_flagged():
    assert cells.to_identifier(" 001234567890 ") == "001234567890"
    assert reason(cells.to_identifier, 1234567890.0).startswith("This identifier is stored as a number")
    assert reason(cells.to_identifier, 79).startswith("This identifier is stored as a number")
    assert reason(cells.to_identifier, "1.23457E+11").startswith("This identifier looks like a number")
    assert reason(cells.to_identifier, "79123456789.0").startswith("This identifier looks like a number")


def test_text_is_nfc_and_refuses_nul_and_lone_surrogates():
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert cells.to_text(decomposed) == unicodedata.normalize("NFC", "Nguyễn")
    assert reason(cells.to_text, "A\x00B") == "The text contains characters that are not allowed."
    assert reason(cells.to_text, "A\ud800B") == "The text contains characters that are not allowed."
    assert reason(cells.to_text, "abcd", max_length=3) == "At most 3 characters."
    assert cells.to_text(12.0) == "12"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02/01/2024", dt.date(2024, 1, 2)),
        ("2/1/2024", dt.date(2024, 1, 2)),
        (dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
        (dt.datetime(2024, 1, 2, 8, 30), dt.date(2024, 1, 2)),
        (45293.0, dt.date(2024, 1, 2)),
        (45293, dt.date(2024, 1, 2)),
        ("45293", dt.date(2024, 1, 2)),
        ("29/02/2024", dt.date(2024, 2, 29)),
    ],
)
def test_dates_dd_mm_yyyy_serial_or_date_cells(raw, expected):
    assert cells.to_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-02", "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        ("01/02/24", "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        ("Jan 2, 2024", "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        ("31/02/2024", "This date does not exist."),
        ("13/13/2024", "This date does not exist."),
        (45293.5, "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        (0, "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        (99999999, "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        (True, "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
    ],
)
def test_invalid_dates(raw, expected):
    assert reason(cells.to_date, raw) == expected


def test_future_dates_refused_only_when_asked():
    assert cells.to_date("26/11/2026") == dt.date(2026, 11, 26)
    assert cells.to_date("25/11/2026", today=TODAY) == TODAY
    assert reason(cells.to_date, "26/11/2026", today=TODAY) == "The date cannot be in the future."


def test_integers():
    assert cells.to_integer("  42 ") == 42
    assert cells.to_integer(42.0) == 42
    assert reason(cells.to_integer, 4.5) == "Expected a whole number."
    assert reason(cells.to_integer, "4,5") == "Expected a whole number."
    assert reason(cells.to_integer, True) == "Expected a whole number."
    assert reason(cells.to_integer, "-1", min_value=0) == "The number must be at least 0."


def test_choices_match_labels_in_any_language_without_case_or_diacritics():
    column = Column("scope", "scope", CHOICE, choices=[("unit", _("This unit only")), ("subtree", _("units"))])
    assert column.read("UNIT", today=TODAY) == "unit"
    assert column.read("this unit only", today=TODAY) == "unit"
    assert column.read("DON VI", today=TODAY) == "subtree"  # "đơn vị", Vietnamese without diacritics
    with translation.override("vi"):
        vi_label = str(_("units"))
    assert column.read(vi_label, today=TODAY) == "subtree"
    assert reason(column.read, "other", today=TODAY) == "Choose one of: This unit only, units."


def test_required_and_optional_blank_cells():
    required = Column("n", "n", INTEGER, required=True)
    assert reason(required.read, "  ", today=TODAY) == "This column is required."
    assert Column("n", "n", INTEGER).read("", today=TODAY) is None


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "header",
    [
        ["code", "name (Vietnamese)", "name (English)", "effective date", "reason"],
        ["mã", "tên (tiếng Việt)", "tên (tiếng Anh)", "ngày hiệu lực", "lý do"],
        ["MA", "ten (tieng viet)", "TEN (TIENG ANH)", "Ngay Hieu Luc", "ly do"],
        ["الرمز", "الاسم (بالفيتنامية)", "الاسم (بالإنجليزية)", "تاريخ النفاذ", "السبب"],
        ["کد", "نام (ویتنامی)", "نام (انگلیسی)", "تاریخ اجرا", "دلیل"],
    ],
    ids=["en", "vi", "vi-folded", "ar", "fa"],
)
def test_headers_match_in_any_language(header):
    matched = match_header(header, COLUMNS)
    assert [matched[i].key for i in range(5)] == ["code", "name_vi", "name_en", "effective_date", "reason"]


def test_headers_mixing_languages_keys_and_letter_variants():
    # "كد" is the Persian "کد" typed with an Arabic kaf; the optional English name is left out.
    matched = match_header(["reason", " Tên (tiếng Việt) ", "كد", "effective_date", ""], COLUMNS)
    assert {i: c.key for i, c in matched.items()} == {0: "reason", 1: "name_vi", 2: "code", 3: "effective_date"}


def test_header_errors_list_the_columns():
    with pytest.raises(FileRefused) as unknown:
        match_header(["code", "name (Vietnamese)", "effective date", "reason", "Phone", "Email"], COLUMNS)
    assert str(unknown.value) == "Unknown columns: “Phone”, “Email”. Use the headers of the template."
    with pytest.raises(FileRefused) as duplicate:
        match_header(["code", "mã", "name (Vietnamese)", "effective date", "reason"], COLUMNS)
    assert str(duplicate.value) == "Columns given more than once: “mã”."
    with pytest.raises(FileRefused) as missing:
        match_header(["code", "name (English)", "", None], COLUMNS)
    assert str(missing.value) == "Required columns are missing: “name (Vietnamese)”, “effective date”, “reason”."
