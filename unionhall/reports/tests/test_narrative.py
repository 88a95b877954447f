"""The narrative: exact sentences from the figures, only non-zero ones, numbers and money in the language's style."""

import datetime as dt

import pytest
from django.utils import translation

from unionhall.core.formatting import Preferences
from unionhall.reports.exports.content import place_date, preferences_for
from unionhall.reports.exports.narrative import money_phrase, narrative, period_phrase, section_sentences
from unionhall.reports.periods import Period, half_year, year, years

from .exports_report import report

EN = Preferences(language="en")


def test_the_english_narrative_says_exactly_the_figures():
    sentences = section_sentences(report(), EN)
    assert sentences["members"] == [
        "At the end of the period, the whole system had 125,000 members, of whom 61,000 were women.",
        "In 2023–2025, 10,177 new members joined.",
        "3,200 memberships ended in the period.",
        "Members joined: 10,177, 120.44% of the target of 8,450.",
    ]
    assert sentences["units"] == [
        "At the end of the period there were 820 grassroots unions.",
        "In 2023–2025, 80 new grassroots unions were established.",
    ]
    assert sentences["emulation"] == [
        "In 2023–2025, the whole system had 6,800 initiatives and solutions recognised, "
        "bringing a benefit of more than 185 billion VND."
    ]
    assert sentences["activities"] == ["In 2023–2025, 3,022 activities were held with 164,654 participants."]
    assert sentences["democracy"] == ["In 2023–2025, 1,626 workplace dialogues were held."]
    assert sentences["models"] == ["In 2023–2025, 83 models and exemplars were registered."]


def test_zero_figures_say_nothing_and_a_lone_unit_is_named():
    lone = report(values={"members.active": 1, "initiatives.benefit_vnd": 2_000_000}, children=False)
    with translation.override("en"):
        assert narrative(lone, EN) == [
            "At the end of the period, Dong Nai Provincial Federation of Labour had 1 member.",
            "Initiatives brought a benefit of 2 million VND.",
        ]
    assert narrative(report(values={}), EN) == []


def test_vietnamese_numbers_use_dots_and_persian_native_digits():
    with translation.override("vi"):
        vi = section_sentences(report(), preferences_for("vi"))
    assert "6.800" in vi["emulation"][0]
    assert "185" in vi["emulation"][0]
    with translation.override("fa"):
        fa = section_sentences(report(), preferences_for("fa"))
    assert "۶٬۸۰۰" in fa["emulation"][0]
    assert "۲۰۲۳" in fa["members"][1]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (185_300_000_000, "more than 185 billion VND"),
        (185_000_000_000, "185 billion VND"),
        (1_560_000_000, "more than 1.5 billion VND"),
        (2_000_000_000, "2 billion VND"),
        (12_340_000, "more than 12 million VND"),
        (900_000, "900,000 VND"),
    ],
)
def test_money_is_said_in_words_of_scale_rounded_down(value, text):
    assert money_phrase(value, EN) == text


def test_vietnamese_money_keeps_the_decimal_comma():
    assert money_phrase(1_560_000_000, Preferences(language="vi")).endswith("1,5 billion VND")


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (year(2024), "In 2024"),
        (years(2023, 2025), "In 2023–2025"),
        (half_year(2024, 1), "In the first half of 2024"),
        (half_year(2024, 2), "In the second half of 2024"),
        (Period(dt.date(2024, 3, 5), dt.date(2024, 9, 30)), "From Mar 5, 2024 to Sep 30, 2024"),
    ],
)
def test_the_period_opens_the_sentences(period, text):
    assert period_phrase(period, EN) == text


def test_the_vietnamese_date_line_follows_decree_30():
    vi = preferences_for("vi")
    assert place_date("Đồng Nai", dt.date(2026, 11, 26), vi) == "Đồng Nai, ngày 26 tháng 11 năm 2026"
    assert place_date("Hà Nội", dt.date(2026, 2, 5), vi) == "Hà Nội, ngày 05 tháng 02 năm 2026"
    with translation.override("fa"):
        assert place_date("", dt.date(2024, 3, 20), preferences_for("fa")) == "۱ فروردین ۱۴۰۳"
