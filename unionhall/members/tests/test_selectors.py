"""Member lists (filters, keyset pages) and search (diacritics, Arabic/Persian variants, scope)."""

import datetime as dt
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unionhall.core.errors import DomainError, NotFound
from unionhall.members import selectors, services
from unionhall.members.selectors import MemberFilters

from .people import TODAY, fresh, register

DAY = dt.date(2024, 6, 1)


def found(actor, query) -> list[str]:
    return [p.full_name for p in selectors.person_search(actor=fresh(actor), query=query)]


def test_search_ignores_vietnamese_diacritics(cast):
    register(cast.officer, cast.unit, "Nguyễn Văn Đệ")
    register(cast.officer, cast.unit, "Trần Thị Đào", gender="female")
    for query in (
        "nguyen van de",
        "Nguyễn Văn Đệ",
        "NGUYEN",
        "van de",
        "  nguyễn   đệ ",
        unicodedata.normalize("NFD", "Đệ"),
    ):
        assert found(cast.officer, query) == ["Nguyễn Văn Đệ"], query
    assert found(cast.officer, "dao") == ["Trần Thị Đào"]
    assert found(cast.officer, "") == []
    assert found(cast.officer, "nguyen dao") == []


def test_names_that_start_with_the_query_come_first_then_the_others_in_name_order(cast):
    for name in ("Hoàng Minh Anh", "Bùi Minh Hoàng", "Minh Thị Lan", "Hoàng Văn Minh", "Lê Văn Nam"):
        register(cast.officer, cast.unit, name, gender="male")
    assert found(cast.officer, "hoang minh") == ["Hoàng Minh Anh", "Bùi Minh Hoàng", "Hoàng Văn Minh"]
    assert found(cast.officer, "minh") == ["Minh Thị Lan", "Bùi Minh Hoàng", "Hoàng Minh Anh", "Hoàng Văn Minh"]
    assert [p.full_name for p in selectors.person_search(actor=fresh(cast.officer), query="minh", limit=2)] == [
        "Minh Thị Lan",
        "Bùi Minh Hoàng",
    ]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("علي كريمي", "علی کریمی"),
        ("علی کریمی", "علي كريمي"),
        ("فاطمة", "فاطمه"),
        ("أحمد", "احمد"),
        ("إيمان", "ایمان"),
        ("مـحـمـد", "محمد"),
        ("مؤمن", "مومن"),
    ],
)
def test_search_treats_arabic_and_persian_variants_alike(cast, stored, typed):
    register(cast.officer, cast.unit, stored)
    assert found(cast.officer, typed) == [unicodedata.normalize("NFC", stored)]


def test_search_by_member_code_and_phone_in_any_digits(cast):
    person = register(cast.officer, cast.unit, "Lê Văn C", phone="0912 345 678")
    code = person.member_code
    assert found(cast.officer, code) == ["Lê Văn C"]
    assert found(cast.officer, code.lower()) == ["Lê Văn C"]
    assert found(cast.officer, f"{code[:4]}-{code[4:8]}-{code[8:]}") == ["Lê Văn C"]
    assert found(cast.officer, "0912345678") == ["Lê Văn C"]
    assert found(cast.officer, "۰۹۱۲۳۴۵") == ["Lê Văn C"]
    assert found(cast.officer, "٠٩١٢") == ["Lê Văn C"]


def test_search_is_scoped(cast):
    register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    register(cast.admin, cast.sibling_unit, "Nguyễn Văn Đệ Hai")
    assert found(cast.officer, "nguyen") == ["Nguyễn Văn Đệ"]
    assert found(cast.sibling, "nguyen") == ["Nguyễn Văn Đệ Hai"]
    assert found(cast.parent, "nguyen") == ["Nguyễn Văn Đệ", "Nguyễn Văn Đệ Hai"]
    assert found(cast.outsider, "nguyen") == []
    with pytest.raises(DomainError):
        selectors.person_search(actor=cast.officer, query="a\x00b")


def test_person_get(cast):
    person = register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    assert selectors.person_get(actor=fresh(cast.officer), member_code=person.member_code.lower()) == person
    with pytest.raises(NotFound):
        selectors.person_get(actor=fresh(cast.sibling), member_code=person.member_code)


def pages(actor, unit, **kwargs) -> list[list[int]]:
    out, cursor = [], None
    while True:
        page = selectors.member_list(actor=fresh(actor), unit=unit, cursor=cursor, **kwargs)
        out.append([m.pk for m in page.items])
        cursor = page.next_cursor
        if cursor is None:
            return out


def test_keyset_pages_return_each_member_exactly_once_in_order(cast):
    names = ["An", "Bình", "Bình", "Chi", "Đức", "Dũng", "Bình", "Ánh", "Yến", "Ân", "Hà", "Hạ", "Hả"] * 2
    for i, name in enumerate(names):
        register(cast.admin, cast.section if i % 3 else cast.unit, name)
    register(cast.admin, cast.sibling_unit, "Người ngoài")
    expected = [m.pk for m in selectors.member_list(actor=fresh(cast.officer), unit=cast.unit, limit=200).items]
    assert len(expected) == len(names)
    for size in (1, 4, 7, len(names), 100):
        got = pages(cast.officer, cast.unit, limit=size)
        flat = [pk for page in got for pk in page]
        assert flat == expected, size
        assert all(len(page) <= size for page in got)
    assert [len(p) for p in pages(cast.officer, cast.unit, limit=10)] == [10, 10, 6]


def test_pages_use_no_offset_and_no_count(cast):
    for i in range(5):
        register(cast.admin, cast.unit, f"Người {i}")
    page = selectors.member_list(actor=fresh(cast.officer), unit=cast.unit, limit=2)
    with CaptureQueriesContext(connection) as queries:
        selectors.member_list(actor=fresh(cast.officer), unit=cast.unit, limit=2, cursor=page.next_cursor)
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJhIiwgdHJ1ZV0", "!!"])
def test_a_bad_cursor_is_refused(cast, cursor):
    with pytest.raises(DomainError) as info:
        selectors.member_list(actor=cast.officer, unit=cast.unit, cursor=cursor)
    assert info.value.field == "cursor"


def test_filters(cast):
    an = register(cast.admin, cast.unit, "An", join_date=dt.date(2021, 3, 1))
    binh = register(cast.admin, cast.section, "Bình", gender="female", join_date=dt.date(2022, 5, 1))
    chi = register(cast.admin, cast.unit, "Chi", join_date=dt.date(2022, 12, 31))
    dung = register(cast.admin, cast.unit, "Dũng", join_date=dt.date(2021, 3, 1))
    services.officer_appoint(
        actor=cast.admin, membership=an.memberships.get(), position="chair", term_start=DAY, today=TODAY
    )
    services.card_issue(actor=cast.admin, person=binh, card_number="C-1", issue_date=DAY, today=TODAY)
    card = services.card_issue(actor=cast.admin, person=chi, card_number="C-2", issue_date=DAY, today=TODAY)
    services.card_status_change(actor=cast.admin, card=card, status="lost")
    services.membership_end(
        actor=cast.admin, membership=dung.memberships.get(), reason="resigned", day=DAY, today=TODAY
    )

    def names(**filters) -> list[str]:
        subtree = filters.pop("subtree", True)
        page = selectors.member_list(
            actor=fresh(cast.officer), unit=cast.unit, subtree=subtree, filters=MemberFilters(**filters)
        )
        return [m.person.full_name for m in page.items]

    assert names() == ["An", "Bình", "Chi"]
    assert names(subtree=False) == ["An", "Chi"]
    assert names(statuses=("ended",)) == ["Dũng"]
    assert names(statuses=()) == ["An", "Bình", "Chi", "Dũng"]
    assert names(gender="female") == ["Bình"]
    assert names(join_year=2022) == ["Bình", "Chi"]
    assert names(is_officer=True) == ["An"]
    assert names(is_officer=False) == ["Bình", "Chi"]
    assert names(card_status="active") == ["Bình"]
    assert names(card_status="lost") == ["Chi"]
    for bad in ({"statuses": ("gone",)}, {"gender": "x"}, {"card_status": "x"}, {"join_year": 10}):
        with pytest.raises(DomainError):
            names(**bad)


def test_a_list_of_a_unit_out_of_scope_is_not_found(cast):
    with pytest.raises(NotFound):
        selectors.member_list(actor=fresh(cast.sibling), unit=cast.unit)
    with pytest.raises(NotFound):
        selectors.member_list(actor=fresh(cast.officer), unit=cast.commune)


def test_the_trigram_index_exists_only_on_postgresql(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_trgm'")
            [(indexdef,)] = cursor.fetchall()
            assert "gin" in indexdef and "gin_trgm_ops" in indexdef
        else:
            names = set(connection.introspection.get_constraints(cursor, "members_person"))
            assert "person_search_trgm" not in names
