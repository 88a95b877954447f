"""Numbers, money and dates as each reader sees them: native digits, Latin switch, Jalali for fa."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from unionhall.core import formatting
from unionhall.core.formatting import (
    Preferences,
    current_preferences,
    format_date,
    format_datetime,
    format_money,
    format_number,
    localize_digits,
    use_preferences,
)

DAY = dt.date(2024, 3, 20)  # 1 Farvardin 1403, the Persian new year
RLM, LRM, NBSP = "\u200f", "\u200e", "\xa0"


@pytest.fixture(autouse=True)
def _restore_preferences():
    token = formatting._current.set(None)
    yield
    formatting._current.reset(token)


@pytest.mark.parametrize(
    ("prefs", "number", "ungrouped", "money", "date"),
    [
        (Preferences("vi"), "1.234.567,5", "1234567", f"185.000.000.000{NBSP}₫", "20/03/2024"),
        (Preferences("en"), "1,234,567.5", "1234567", "₫185,000,000,000", "Mar 20, 2024"),
        (
            Preferences("ar"),
            "١٬٢٣٤٬٥٦٧٫٥",
            "١٢٣٤٥٦٧",
            f"{RLM}١٨٥٬٠٠٠٬٠٠٠٬٠٠٠{NBSP}₫",
            f"٢٠{RLM}/٠٣{RLM}/٢٠٢٤",
        ),
        (
            Preferences("fa"),
            "۱٬۲۳۴٬۵۶۷٫۵",
            "۱۲۳۴۵۶۷",
            f"{LRM}₫{NBSP}۱۸۵٬۰۰۰٬۰۰۰٬۰۰۰",
            "۲۰ مارس ۲۰۲۴",
        ),
        # Latin digits come with Latin separators, never "1٬234٫5".
        (
            Preferences("ar", latin_digits=True),
            "1,234,567.5",
            "1234567",
            f"{RLM}185,000,000,000{NBSP}₫",
            f"20{RLM}/03{RLM}/2024",
        ),
        (
            Preferences("fa", latin_digits=True),
            "1,234,567.5",
            "1234567",
            f"{LRM}₫{NBSP}185,000,000,000",
            "20 مارس 2024",
        ),
        # The switch changes nothing where digits are already Latin.
        (Preferences("vi", latin_digits=True), "1.234.567,5", "1234567", f"185.000.000.000{NBSP}₫", "20/03/2024"),
        (Preferences("en", latin_digits=True), "1,234,567.5", "1234567", "₫185,000,000,000", "Mar 20, 2024"),
    ],
    ids=["vi", "en", "ar", "fa", "ar-latin", "fa-latin", "vi-latin", "en-latin"],
)
def test_exact_strings(prefs, number, ungrouped, money, date):
    assert format_number(1234567.5, prefs) == number
    assert format_number(1234567, prefs, grouping=False) == ungrouped
    assert format_money(185_000_000_000, prefs) == money
    assert format_date(DAY, prefs) == date


def test_numbers_edge_values():
    assert format_number(0, Preferences("vi")) == "0"
    assert format_number(Decimal("-1234.56"), Preferences("vi")) == "-1.234,56"
    assert format_number(Decimal("-1234.56"), Preferences("en")) == "-1,234.56"
    assert format_number(164654, Preferences("fa")) == "۱۶۴٬۶۵۴"
    assert format_number(3022, Preferences("ar")) == "٣٬٠٢٢"
    assert format_money(Decimal(6800), Preferences("vi")) == f"6.800{NBSP}₫"


@pytest.mark.parametrize(
    ("day", "native", "latin"),
    [
        (dt.date(2024, 3, 20), "۱ فروردین ۱۴۰۳", "1 فروردین 1403"),
        (dt.date(2024, 3, 19), "۲۹ اسفند ۱۴۰۲", "29 اسفند 1402"),
        (dt.date(2025, 7, 1), "۱۰ تیر ۱۴۰۴", "10 تیر 1404"),
        (dt.date(2025, 12, 31), "۱۰ دی ۱۴۰۴", "10 دی 1404"),
    ],
)
def test_jalali_dates_for_persian_readers(day, native, latin):
    assert format_date(day, Preferences("fa", jalali=True)) == native
    assert format_date(day, Preferences("fa", jalali=True, latin_digits=True)) == latin


def test_jalali_applies_to_persian_only():
    assert format_date(DAY, Preferences("vi", jalali=True)) == "20/03/2024"
    assert format_date(DAY, Preferences("ar", jalali=True)) == f"٢٠{RLM}/٠٣{RLM}/٢٠٢٤"
    assert format_date(None, Preferences("fa", jalali=True)) == ""


def test_datetime_is_shown_in_local_time():
    moment = dt.datetime(2024, 3, 19, 20, 30, tzinfo=dt.UTC)  # 03:30 on 20 March in Hanoi
    assert format_datetime(moment, Preferences("vi")) == "20/03/2024 03:30"
    assert format_datetime(moment, Preferences("fa", jalali=True)) == "۱ فروردین ۱۴۰۳ ۰۳:۳۰"
    assert format_datetime(moment, Preferences("ar")) == f"٢٠{RLM}/٠٣{RLM}/٢٠٢٤ ٠٣:٣٠"
    assert format_datetime(None, Preferences("vi")) == ""


def test_a_datetime_given_to_format_date_is_cut_to_its_day():
    assert format_date(dt.datetime(2024, 3, 20, 23, 59), Preferences("vi")) == "20/03/2024"


def test_localize_digits():
    assert localize_digits("Năm 2025: 34 tỉnh", Preferences("vi")) == "Năm 2025: 34 tỉnh"
    assert localize_digits("2025", Preferences("fa")) == "۲۰۲۵"
    assert localize_digits("2025", Preferences("ar")) == "٢٠٢٥"
    assert localize_digits("2025", Preferences("fa", latin_digits=True)) == "2025"


def test_current_preferences_follow_the_active_language():
    with translation.override("vi"):
        assert current_preferences() == Preferences("vi")
        assert format_number(1234.5) == "1.234,5"
    use_preferences(Preferences("fa", latin_digits=False, jalali=True))
    with translation.override("fa"):
        assert current_preferences() == Preferences("fa", jalali=True)
        assert format_date(DAY) == "۱ فروردین ۱۴۰۳"
    # The language switched for this response keeps the reader's digit and calendar choices.
    use_preferences(Preferences("fa", latin_digits=True, jalali=True))
    with translation.override("en"):
        assert current_preferences() == Preferences("en", latin_digits=True, jalali=True)
        assert format_date(DAY) == "Mar 20, 2024"
    with translation.override("ar"):
        assert format_number(1234.5) == "1,234.5"
