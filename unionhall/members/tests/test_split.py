"""Splitting a unit: its own members go to the first new unit, members of its sub-units move with them."""

import datetime as dt

import pytest

from tests.snapshots import tree_state
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError
from unionhall.members import selectors, services
from unionhall.members.models import Membership, OfficerTerm, Person
from unionhall.orgunits import services as unit_services
from unionhall.orgunits.models import Unit, UnitType

from .people import JOINED, TODAY, fresh, register
from .snapshots import members_state

DAY = dt.date(2024, 6, 1)


def history(person: Person) -> list[tuple]:
    return list(
        Membership.objects.filter(person=person)
        .order_by("join_date", "pk")
        .values_list("unit__code", "join_date", "status", "end_reason", "end_date", "suspended_on")
    )


def split(cast, *, first: str = "DN-TB-001A", day=DAY, section_to: str = "DN-TB-001A") -> list[Unit]:
    grassroots = UnitType.objects.get(code="grassroots_union")
    codes = [first, "DN-TB-001B" if first == "DN-TB-001A" else "DN-TB-001A"]
    parts = [
        unit_services.SplitPart(
            code, {"vi": f"Công đoàn {code}"}, grassroots, [cast.section] if code == section_to else []
        )
        for code in codes
    ]
    return unit_services.unit_split(
        actor=cast.parent,
        unit=cast.unit,
        parts=parts,
        decision=unit_services.Decision(day, "Chia tách công ty", "QĐ-8"),
        today=TODAY,
    )


@pytest.fixture
def roll(cast) -> dict[str, Person]:
    direct = register(cast.officer, cast.unit, "Người ở U")
    services.officer_appoint(
        actor=cast.officer, membership=direct.memberships.get(), position="chair", term_start=JOINED, today=TODAY
    )
    suspended = register(cast.officer, cast.unit, "Người bị tạm dừng")
    services.membership_suspend(
        actor=cast.officer,
        membership=suspended.memberships.get(),
        day=dt.date(2024, 1, 10),
        reason="Nợ đoàn phí",
        today=TODAY,
    )
    in_section = register(cast.officer, cast.section, "Người ở tổ")
    left = register(cast.officer, cast.unit, "Người đã nghỉ")
    services.membership_end(
        actor=cast.officer, membership=left.memberships.get(), reason="resigned", day=dt.date(2023, 1, 1), today=TODAY
    )
    elsewhere = register(cast.admin, cast.sibling_unit, "Người ở đơn vị bạn")
    return {"direct": direct, "suspended": suspended, "in_section": in_section, "left": left, "elsewhere": elsewhere}


def test_the_units_own_members_go_to_the_first_new_unit_and_sub_unit_members_stay_put(cast, roll):
    section_membership = roll["in_section"].memberships.get()
    untouched = {k: history(roll[k]) for k in ("in_section", "left", "elsewhere")}
    codes = {k: p.member_code for k, p in roll.items()}
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    a, b = split(cast)
    assert history(roll["direct"]) == [
        ("DN-TB-001", JOINED, "ended", "transferred", DAY, None),
        ("DN-TB-001A", DAY, "active", "", None, None),
    ]
    assert history(roll["suspended"]) == [
        ("DN-TB-001", JOINED, "ended", "transferred", DAY, dt.date(2024, 1, 10)),
        ("DN-TB-001A", DAY, "suspended", "", None, DAY),
    ]
    assert Membership.objects.get(person=roll["suspended"], status="suspended").suspension_reason == "Nợ đoàn phí"
    # Members of the sub-unit keep their membership: the sub-unit itself moved under the new unit A.
    assert {k: history(roll[k]) for k in untouched} == untouched
    section_membership.refresh_from_db()
    assert (section_membership.unit_id, section_membership.version) == (cast.section.pk, 1)
    assert Unit.objects.get(pk=cast.section.pk).parent_id == a.pk
    assert list(OfficerTerm.objects.values_list("position", "term_end")) == [("chair", DAY)]
    assert {k: Person.objects.get(pk=p.pk).member_code for k, p in roll.items()} == codes
    entries = list(
        AuditEntry.objects.filter(id__gt=mark, object_type="members.membership")
        .order_by("id")
        .values_list("action", "unit_path", "reason")
    )
    assert entries == [
        ("membership.unit_split", cast.unit.path, "2024-06-01: Chia tách công ty"),
        ("membership.unit_split", cast.unit.path, "2024-06-01: Chia tách công ty"),
        ("membership.unit_split", a.path, "2024-06-01: Chia tách công ty"),
        ("membership.unit_split", a.path, "2024-06-01: Chia tách công ty"),
    ]
    assert Membership.objects.filter(unit=b).count() == 0


def test_the_parents_officers_then_manage_the_moved_members(cast, roll):
    a, b = split(cast)
    parent = fresh(cast.parent)
    moved = Membership.objects.get(person=roll["direct"], unit=a)
    listed = {m.person.full_name for m in selectors.member_list(actor=parent, unit=a).items}
    assert listed == {"Người ở U", "Người bị tạm dừng", "Người ở tổ"}
    services.membership_transfer(actor=parent, membership=moved, new_unit=b, day=TODAY, today=TODAY)
    assert history(roll["direct"])[-1] == ("DN-TB-001B", TODAY, "active", "", None, None)
    # Roles on an ended unit give no scope: its officer no longer sees the members.
    officer = fresh(cast.officer)
    assert list(selectors.person_memberships(actor=officer, person=roll["direct"])) == []


def test_the_order_of_the_parts_decides_which_new_unit_takes_the_members(cast, roll):
    split(cast, first="DN-TB-001B")
    assert history(roll["direct"])[-1] == ("DN-TB-001B", DAY, "active", "", None, None)


def test_a_member_who_joined_after_the_effective_date_refuses_the_whole_split(cast, roll):
    register(cast.officer, cast.unit, "Người mới", join_date=dt.date(2024, 7, 1))
    before = (tree_state(), members_state())
    with pytest.raises(DomainError) as info:
        split(cast)
    assert info.value.code == "member_joined_later"
    assert (tree_state(), members_state()) == before


def test_a_suspension_after_the_effective_date_refuses_the_split(cast, roll):
    before = (tree_state(), members_state())
    with pytest.raises(DomainError) as info:
        split(cast, day=dt.date(2024, 1, 5))
    assert info.value.code == "member_suspended_later"
    assert (tree_state(), members_state()) == before


def test_a_unit_without_members_of_its_own_writes_no_membership_entries(cast):
    in_section = register(cast.officer, cast.section, "Người ở tổ")
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    split(cast)
    assert not AuditEntry.objects.filter(id__gt=mark, object_type="members.membership").exists()
    assert history(in_section) == [("DN-TB-001-S1", JOINED, "active", "", None, None)]
