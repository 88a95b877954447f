"""Reads on the unit tree: scoped lookups, subtrees, children and ancestors now and as of a day, search."""

import datetime as dt
import unicodedata

import pytest

from conftest import grant, make_user
from unionhall.core.errors import NotFound
from unionhall.orgunits import selectors, services
from unionhall.orgunits.models import Unit, UnitType

DAY = dt.date(2024, 6, 1)
TODAY = dt.date(2025, 1, 15)
BEFORE = DAY - dt.timedelta(days=1)


def establish(actor, parent, code, type_code, names, day=dt.date(2021, 1, 1)) -> Unit:
    return services.unit_establish(
        actor=actor,
        parent=parent,
        unit_type=UnitType.objects.get(code=type_code),
        code=code,
        names=names,
        decision=services.Decision(day, "Thành lập"),
        today=TODAY,
    )


def transfer(actor, units, new_parent, day=DAY):
    return services.unit_transfer(
        actor=actor, units=units, new_parent=new_parent, decision=services.Decision(day, "Điều chuyển"), today=TODAY
    )


def codes(queryset) -> list[str]:
    return [u.code for u in queryset]


def test_unit_get_in_and_out_of_scope(cast):
    found = selectors.unit_get(actor=cast.officer, code="DN-TB-001-S1")
    assert (found.pk, found.type.code, found.parent.code) == (cast.section.pk, "union_section", "DN-TB-001")
    with pytest.raises(NotFound) as hidden_info:
        selectors.unit_get(actor=cast.officer, code="DN-TB-002")
    with pytest.raises(NotFound) as missing_info:
        selectors.unit_get(actor=cast.officer, code="NO-SUCH")
    hidden, missing = hidden_info.value, missing_info.value
    # Out of scope and not existing look the same.
    assert (
        (hidden.status, hidden.code, hidden.field)
        == (missing.status, missing.code, missing.field)
        == (404, "not_found", None)
    )
    with pytest.raises(NotFound):
        selectors.unit_get(actor=cast.officer, code="DN-TB")  # the parent is seen from below only
    assert selectors.unit_get(actor=cast.admin, code="KH").pk == cast.other_province.pk


def test_unit_get_checks_the_named_action(cast):
    viewer = make_user("viewer")
    grant(viewer, cast.commune, role="viewer")
    assert selectors.unit_get(actor=viewer, code="DN-TB-001").pk == cast.unit.pk
    with pytest.raises(NotFound):
        selectors.unit_get(actor=viewer, code="DN-TB-001", action="unit.change")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", ["VN", "DN", "DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002", "KH"]),
        ("parent", ["DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"]),
        ("officer", ["DN-TB-001", "DN-TB-001-S1"]),
        ("sibling", ["DN-TB-002"]),
        ("outsider", ["KH"]),
    ],
)
def test_unit_list_is_scoped_and_in_tree_order(cast, actor, expected):
    assert codes(selectors.unit_list(actor=getattr(cast, actor))) == expected


def test_subtree_children_and_ancestors_now(cast):
    assert set(codes(selectors.unit_subtree(unit=cast.commune))) == {"DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"}
    assert set(codes(selectors.unit_subtree(unit=cast.commune, include_self=False))) == {
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
    }
    assert codes(selectors.unit_subtree(unit=cast.section)) == ["DN-TB-001-S1"]
    assert set(codes(selectors.unit_children(unit=cast.commune))) == {"DN-TB-001", "DN-TB-002"}
    assert codes(selectors.unit_children(unit=cast.section)) == []
    assert codes(selectors.unit_ancestors(unit=cast.section)) == ["VN", "DN", "DN-TB", "DN-TB-001"]
    assert codes(selectors.unit_ancestors(unit=cast.root)) == []
    assert selectors.unit_is_inside(unit=cast.section, ancestor=cast.province)
    assert selectors.unit_is_inside(unit=cast.section, ancestor=cast.section)
    assert not selectors.unit_is_inside(unit=cast.province, ancestor=cast.section)
    assert not selectors.unit_is_inside(unit=cast.sibling_unit, ancestor=cast.unit)


def test_the_tree_as_of_a_day(cast):
    transfer(cast.admin, [cast.unit], cast.other_province)
    founded = dt.date(2020, 1, 1)
    assert codes(selectors.units_as_of(day=founded - dt.timedelta(days=1))) == []
    assert set(codes(selectors.units_as_of(day=founded))) == {
        "VN",
        "DN",
        "DN-TB",
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
        "KH",
    }
    assert codes(selectors.unit_subtree(unit=cast.commune, as_of=founded - dt.timedelta(days=1))) == []
    assert set(codes(selectors.unit_children(unit=cast.commune, as_of=BEFORE))) == {"DN-TB-001", "DN-TB-002"}
    assert codes(selectors.unit_children(unit=cast.commune, as_of=DAY)) == ["DN-TB-002"]
    assert codes(selectors.unit_children(unit=cast.other_province, as_of=BEFORE)) == []
    assert codes(selectors.unit_children(unit=cast.other_province, as_of=DAY)) == ["DN-TB-001"]
    assert set(codes(selectors.unit_subtree(unit=cast.other_province, as_of=DAY, include_self=False))) == {
        "DN-TB-001",
        "DN-TB-001-S1",
    }
    section = Unit.objects.get(code="DN-TB-001-S1")
    assert codes(selectors.unit_ancestors(unit=section, as_of=BEFORE)) == ["VN", "DN", "DN-TB", "DN-TB-001"]
    assert codes(selectors.unit_ancestors(unit=section, as_of=DAY)) == ["VN", "KH", "DN-TB-001"]
    assert codes(selectors.unit_ancestors(unit=section, as_of=founded - dt.timedelta(days=1))) == []


def test_past_ancestors_come_root_first_even_when_they_moved_since(cast):
    """Police departments nest freely: VN > CA1 > CA2 > CA3 > CA4 > CA5, then CA4 moves up under VN."""
    chain = [cast.root]
    for i in range(1, 6):
        chain.append(establish(cast.admin, chain[-1], f"CA{i}", "police_department", {"vi": f"Công an {i}"}))
    ca4, ca5 = chain[4], chain[5]
    transfer(cast.admin, [ca4], cast.root)
    ca5.refresh_from_db()
    # Today CA4 is as shallow as CA1; the order of the past must not follow today's depths.
    assert codes(selectors.unit_ancestors(unit=ca5, as_of=BEFORE)) == ["VN", "CA1", "CA2", "CA3", "CA4"]
    assert codes(selectors.unit_ancestors(unit=ca5, as_of=DAY)) == ["VN", "CA4"]
    assert codes(selectors.unit_ancestors(unit=ca5)) == ["VN", "CA4"]


def test_search_ignores_diacritics_case_and_normal_form_within_scope(cast):
    establish(
        cast.admin,
        cast.sibling_unit,
        "DN-TB-002-S1",
        "union_section",
        {"vi": "Công đoàn bộ phận Đóng gói", "ar": "قسم التعبئة", "fa": "بخش بسته‌بندی"},
    )
    for query in ("đóng gói", "DONG GOI", unicodedata.normalize("NFD", "Đóng Gói"), "dn-tb-002-s1", "bo phan dong"):
        assert codes(selectors.unit_search(actor=cast.sibling, query=query)) == ["DN-TB-002-S1"], query
    assert codes(selectors.unit_search(actor=cast.sibling, query="قسم التعبئة")) == ["DN-TB-002-S1"]
    assert codes(selectors.unit_search(actor=cast.sibling, query="قسم التعبىه")) == ["DN-TB-002-S1"]
    assert codes(selectors.unit_search(actor=cast.sibling, query="بسته بندي")) == ["DN-TB-002-S1"]
    # Out of scope: the same words find nothing for other officers.
    assert codes(selectors.unit_search(actor=cast.officer, query="đóng gói")) == []
    assert codes(selectors.unit_search(actor=cast.outsider, query="đóng gói")) == []
    assert codes(selectors.unit_search(actor=cast.parent, query="bộ phận")) == ["DN-TB-001-S1", "DN-TB-002-S1"]


def test_search_order_and_limit(cast):
    assert codes(selectors.unit_search(actor=cast.admin, query="công đoàn")) == [
        "DN-TB",
        "DN-TB-001",
        "DN-TB-002",
        "DN-TB-001-S1",
    ]
    assert codes(selectors.unit_search(actor=cast.admin, query="công đoàn", limit=2)) == ["DN-TB", "DN-TB-001"]
    assert len(codes(selectors.unit_search(actor=cast.admin, query=""))) == 7
    assert codes(selectors.unit_search(actor=cast.admin, query="không có")) == []
