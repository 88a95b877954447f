"""Text canonicalisation (P12) and search folding for Vietnamese, Arabic and Persian."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionhall.core.errors import DomainError
from unionhall.core.text import clean_text, fold, has_forbidden_characters

NFC_NAME = "Nguyễn Văn Đệ"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)


def test_fold_vietnamese():
    assert fold("Nguyễn Văn Đệ") == "nguyen van de"
    assert fold(NFD_NAME) == "nguyen van de"
    assert fold("  ĐẶNG   thị\tMỹ  ") == "dang thi my"
    assert fold("Công đoàn cơ sở Công ty Sông Mây") == "cong doan co so cong ty song may"


@pytest.mark.parametrize(
    ("variants", "folded"),
    [
        (["علي", "علی", "على", "علئ"[:3]], "علی"),  # Arabic yeh, Persian yeh, alef maksura
        (["كتاب", "کتاب", "كـتاب", "كـــتاب"], "کتاب"),  # Arabic kaf, Persian keheh, tatweel
        (["مدرسة", "مدرسه", "مدرسۀ"], "مدرسه"),  # teh marbuta, heh, heh with yeh
        (["أحمد", "إحمد", "آحمد", "ٱحمد", "احمد"], "احمد"),  # hamza forms of alef
        (["مُحَمَّد", "محمد"], "محمد"),  # harakat are dropped
        (["مسؤول", "مسوول"], "مسوول"),
        (["١٤٠٣", "۱۴۰۳", "1403"], "1403"),  # Arabic-Indic and Persian digits
        (["می\u200cخواهم", "می خواهم"], "می خواهم"),  # ZWNJ is a word break
        (["ﻻ", "لا"], "لا"),  # presentation-form ligature
    ],
)
def test_fold_arabic_and_persian_variants_are_equal(variants, folded):
    assert {fold(v) for v in variants} == {folded}


def test_fold_is_idempotent_on_examples():
    for text in [NFC_NAME, "كـتاب ١٢٣", "مدرسة", "Đồng Nai"]:
        assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_fold_is_idempotent_and_ignores_normal_form(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded
    assert fold(unicodedata.normalize("NFC", text)) == folded


def test_clean_text_normalises_to_nfc_and_strips():
    assert NFD_NAME != NFC_NAME
    assert clean_text(f"  {NFD_NAME}\n") == NFC_NAME
    assert unicodedata.is_normalized("NFC", clean_text(NFD_NAME))
    assert clean_text("") == ""


@pytest.mark.parametrize("bad", ["a\x00b", "\x00", "x\ud800", "\udfffy", "Nguy\ud83d n"])
def test_clean_text_refuses_nul_and_lone_surrogates(bad):
    assert has_forbidden_characters(bad)
    with pytest.raises(DomainError) as info:
        clean_text(bad, field="name_vi")
    assert info.value.code == "bad_characters"
    assert info.value.field == "name_vi"
    assert info.value.status == 400


def test_clean_text_accepts_astral_characters():
    # A proper surrogate pair in UTF-16 is one code point in Python, and is allowed.
    assert not has_forbidden_characters("đoàn 🎉")
    assert clean_text(" đoàn 🎉 ") == "đoàn 🎉"


@given(st.text())
def test_clean_text_either_refuses_or_returns_storable_nfc(text):
    forbidden = "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)
    if forbidden:
        with pytest.raises(DomainError):
            clean_text(text)
    else:
        cleaned = clean_text(text)
        assert unicodedata.is_normalized("NFC", cleaned)
        assert cleaned == cleaned.strip()
        cleaned.encode("utf-8")  # never raises: storable on PostgreSQL
