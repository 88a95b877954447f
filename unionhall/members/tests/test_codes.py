"""Member codes: the check character catches every single wrong character and every swap of neighbours."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionhall.members.codes import LENGTH, member_code_is_valid, member_code_new, member_code_normalise

ALPHABET = "0123456789X"
serials = st.integers(min_value=0, max_value=10**10 - 1)


def test_known_values():
    # ISO 7064 MOD 11-2 reference example: 079 → check X (ISO 7064 annex); padded to ten digits here.
    assert member_code_new(79) == "0000000079X"
    assert member_code_new(0) == "00000000001"
    assert member_code_new(1234567890) == "12345678908"
    assert member_code_is_valid("12345678908")
    assert len(member_code_new(9_999_999_999)) == LENGTH


@pytest.mark.parametrize("bad", ["", "1234567890", "123456789012", "12345678A08", "1234567890x", "١٢٣٤٥٦٧٨٩٠٨"])
def test_wrong_shapes_are_invalid(bad):
    assert not member_code_is_valid(bad)


def test_normalise_accepts_what_people_type():
    assert member_code_normalise(" 0000-0000-79x ") == "0000000079X"


@given(serials)
def test_every_generated_code_is_valid(serial):
    assert member_code_is_valid(member_code_new(serial))


@given(serials)
def test_every_single_character_change_is_caught(serial):
    code = member_code_new(serial)
    for i, original in enumerate(code):
        for replacement in ALPHABET if i == LENGTH - 1 else ALPHABET[:10]:
            if replacement != original:
                assert not member_code_is_valid(code[:i] + replacement + code[i + 1 :]), (code, i, replacement)


@given(serials)
def test_every_swap_of_neighbours_is_caught(serial):
    code = member_code_new(serial)
    for i in range(LENGTH - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not member_code_is_valid(swapped), (code, i)


def test_out_of_range_serials_are_refused():
    with pytest.raises(ValueError):
        member_code_new(10**10)
    with pytest.raises(ValueError):
        member_code_new(-1)
