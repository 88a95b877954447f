"""CCCD, CMND and passport rules (P13): valid generated numbers pass, structural mutations fail."""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from unionhall.members.identity import (
    CCCD_PROVINCES,
    blind_index_input,
    cccd_problems,
    century_gender_digit,
    id_problems,
    masked,
    normalise,
    province_codes,
)

CODES = sorted(province_codes())
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
genders = st.sampled_from(["male", "female"])
tails = st.text(alphabet="0123456789", min_size=6, max_size=6)


def make(province: str, born: dt.date, gender: str, tail: str) -> str:
    return f"{province}{century_gender_digit(born.year, gender)}{born.year % 100:02d}{tail}"


def test_the_province_table():
    assert len(CCCD_PROVINCES) == 63
    assert CODES[0] == "001" and CODES[-1] == "096"
    assert {"001", "075", "079", "092"} <= province_codes(dt.date(2025, 1, 1))
    assert province_codes(dt.date(2000, 1, 1)) == frozenset()
    assert "003" not in province_codes() and "000" not in province_codes() and "097" not in province_codes()


@pytest.mark.parametrize(
    ("year", "gender", "digit"),
    [
        (1990, "male", 0),
        (1990, "female", 1),
        (2001, "male", 2),
        (2001, "female", 3),
        (2100, "male", 4),
        (2199, "female", 5),
    ],
)
def test_century_and_gender_digit(year, gender, digit):
    assert century_gender_digit(year, gender) == digit


def test_a_known_number():
    assert cccd_problems("075090123457", gender="male", date_of_birth=dt.date(1990, 5, 17)) == []
    assert cccd_problems("079303000123", gender="female", date_of_birth=dt.date(2003, 1, 1)) == []
    # "other" cannot be checked against the digit; the century still is.
    assert cccd_problems("079303000123", gender="other", date_of_birth=dt.date(2003, 1, 1)) == []


@given(st.sampled_from(CODES), births, genders, tails)
def test_generated_valid_numbers_pass(province, born, gender, tail):
    number = make(province, born, gender, tail)
    assert cccd_problems(number, gender=gender, date_of_birth=born) == []
    assert (
        id_problems("cccd", normalise("cccd", f" {number[:4]} {number[4:]} "), gender=gender, date_of_birth=born) == []
    )


@given(st.integers(0, 999), births, genders, tails)
def test_an_unknown_province_fails(code, born, gender, tail):
    province = f"{code:03d}"
    assume(province not in CODES)
    problems = cccd_problems(make(province, born, gender, tail), gender=gender, date_of_birth=born)
    assert [str(p) for p in problems] == ["The first three digits of the CCCD are not a province code."]


@given(st.sampled_from(CODES), births, genders, tails)
def test_the_other_gender_fails(province, born, gender, tail):
    other = "female" if gender == "male" else "male"
    problems = cccd_problems(make(province, born, other, tail), gender=gender, date_of_birth=born)
    assert [str(p) for p in problems] == ["The 4th digit of the CCCD does not match the gender."]


@given(st.sampled_from(CODES), births, genders, tails, st.integers(1, 3))
def test_another_century_fails(province, born, gender, tail, shift):
    number = make(province, born, gender, tail)
    digit = (int(number[3]) + 2 * shift) % 10
    mutated = number[:3] + str(digit) + number[4:]
    problems = cccd_problems(mutated, gender=gender, date_of_birth=born)
    assert [str(p) for p in problems] == ["The 4th digit of the CCCD does not match the century of the date of birth."]


@given(st.sampled_from(CODES), births, genders, tails, st.integers(1, 99))
def test_another_birth_year_fails(province, born, gender, tail, shift):
    number = make(province, born, gender, tail)
    year = f"{(born.year + shift) % 100:02d}"
    problems = cccd_problems(number[:4] + year + number[6:], gender=gender, date_of_birth=born)
    assert [str(p) for p in problems] == ["The 5th and 6th digits of the CCCD do not match the year of birth."]


@given(st.sampled_from(CODES), births, genders, tails, st.data())
def test_wrong_lengths_and_characters_fail(province, born, gender, tail, data):
    number = make(province, born, gender, tail)
    cut = data.draw(st.integers(0, 11))
    for bad in (
        number[:cut],
        number + "0",
        number[:cut] + "A" + number[cut + 1 :],
        number[:cut] + "٣" + number[cut + 1 :],
    ):
        problems = cccd_problems(bad, gender=gender, date_of_birth=born)
        assert [str(p) for p in problems] == ["A citizen identity number (CCCD) has exactly 12 digits."]


def test_the_birth_date_is_needed_for_a_cccd():
    assert [str(p) for p in cccd_problems("075090123457")] == ["The date of birth is needed to check the CCCD."]


def test_problems_never_repeat_the_number():
    number = "099190123456"
    for problem in cccd_problems(number, gender="female", date_of_birth=dt.date(1985, 1, 1)):
        assert number not in str(problem) and "123456" not in str(problem)


def test_cmnd_and_passport():
    assert id_problems("cmnd", "012345678") == []
    assert [str(p) for p in id_problems("cmnd", "01234567")] == [
        "A legacy identity number (CMND) has exactly 9 digits."
    ]
    assert id_problems("passport", normalise("passport", "c1234567"), nationality="PH") == []
    assert [str(p) for p in id_problems("passport", "C12", nationality="PH")] == [
        "A passport number has 6 to 12 letters and digits."
    ]
    assert [str(p) for p in id_problems("passport", "C1234567")] == [
        "Give the nationality of the passport as a two-letter country code."
    ]
    assert [str(p) for p in id_problems("", "1")] == ["Choose the kind of identity document."]
    assert normalise("passport", " c12-345.67 ") == "C1234567"


def test_masking_and_blind_index_input():
    assert masked("cccd", "457") == "*********457"
    assert masked("cmnd", "678") == "******678"
    assert masked("passport", "567") == "******567"
    assert masked("", "") == ""
    assert blind_index_input("passport", "C1234567", "ph") == "passport:PH:C1234567"
    assert blind_index_input("cccd", "075090123457") == "cccd:075090123457"
