"""Page links: what `cursor_encode` makes, `cursor_decode` reads back; anything else is one clear refusal."""

import datetime as dt

import pytest

from unionhall.core.cursors import MAX_ID, Offset, cursor_decode, cursor_encode
from unionhall.core.errors import DomainError


def test_values_come_back_with_their_kinds():
    token = cursor_encode(["nguyen van de", 42, dt.date(2025, 7, 1), 0])
    assert cursor_decode(token, (str, int, dt.date, Offset)) == ["nguyen van de", 42, dt.date(2025, 7, 1), 0]


@pytest.mark.parametrize(
    ("values", "kinds"),
    [
        (["a\x00b", 1], (str, int)),  # a NUL the database could not compare
        (["a", MAX_ID + 1], (str, int)),  # past a bigint
        ([0], (int,)),  # ids start at 1
        ([True], (int,)),
        (["2025-13-01"], (dt.date,)),
        ([-1], (Offset,)),
        ([1, 2], (int,)),  # the wrong length
    ],
)
def test_a_token_not_made_here_is_refused(values, kinds):
    with pytest.raises(DomainError) as refused:
        cursor_decode(cursor_encode(values), kinds)
    assert refused.value.field == "cursor"


@pytest.mark.parametrize("token", ["", "not base64 !", "bm90IGpzb24"])
def test_garbage_is_refused(token):
    with pytest.raises(DomainError):
        cursor_decode(token, (int,))
