"""Unit lifecycle and memberships: dissolving ends them, merging moves them; in the same transaction."""

import datetime as dt

import pytest

from tests.snapshots import tree_state
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError
from unionhall.members import services
from unionhall.members.models import Membership, OfficerTerm
from unionhall.orgunits import services as unit_services
from unionhall.orgunits.models import Unit

from .people import JOINED, TODAY, register
from .snapshots import members_state

DAY = dt.date(2024, 6, 1)


def decision(day=DAY):
    return unit_services.Decision(day, "Theo quyết định", "12/QĐ")


def history(person) -> list[tuple]:
    return list(
        Membership.objects.filter(person=person)
        .order_by("join_date", "pk")
        .values_list("unit__code", "join_date", "status", "end_reason", "end_date")
    )


def test_dissolving_ends_the_memberships_of_every_unit_dissolved(cast):
    in_section = register(cast.admin, cast.section, "Người ở tổ")
    in_unit = register(cast.admin, cast.unit, "Người ở U")
    outside = register(cast.admin, cast.sibling_unit, "Người ở đơn vị bạn")
    term = services.officer_appoint(
        actor=cast.admin,
        membership=in_section.memberships.get(),
        position="union_group_leader",
        term_start=dt.date(2023, 1, 1),
        today=TODAY,
    )
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    unit_services.unit_dissolve(
        actor=cast.admin, units=[cast.unit], decision=decision(), with_subtree=True, today=TODAY
    )
    assert history(in_section) == [("DN-TB-001-S1", JOINED, "ended", "unit_dissolved", DAY)]
    assert history(in_unit) == [("DN-TB-001", JOINED, "ended", "unit_dissolved", DAY)]
    assert history(outside) == [("DN-TB-002", JOINED, "active", "", None)]
    assert OfficerTerm.objects.get(pk=term.pk).term_end == DAY
    entries = list(
        AuditEntry.objects.filter(id__gt=mark, object_type="members.membership")
        .order_by("id")
        .values_list("action", "unit_path", "after", "reason")
    )
    assert sorted(entries, key=lambda e: e[1]) == [
        (
            "membership.unit_dissolved",
            cast.unit.path,
            {"status": "ended", "end_reason": "unit_dissolved", "end_date": "2024-06-01"},
            "2024-06-01: Theo quyết định",
        ),
        (
            "membership.unit_dissolved",
            cast.section.path,
            {"status": "ended", "end_reason": "unit_dissolved", "end_date": "2024-06-01"},
            "2024-06-01: Theo quyết định",
        ),
    ]


def test_a_member_who_joined_after_the_effective_date_stops_the_dissolution(cast):
    register(cast.admin, cast.section, "Người mới", join_date=dt.date(2024, 7, 1))
    before_tree, before_members = tree_state(), members_state()
    with pytest.raises(DomainError) as info:
        unit_services.unit_dissolve(actor=cast.admin, units=[cast.section], decision=decision(), today=TODAY)
    assert info.value.code == "member_joined_later"
    assert tree_state() == before_tree
    assert members_state() == before_members
    assert Unit.objects.get(pk=cast.section.pk).status == "active"


def test_merging_moves_open_memberships_to_the_target(cast):
    moving = register(cast.admin, cast.sibling_unit, "Người chuyển")
    left = register(cast.admin, cast.sibling_unit, "Người đã nghỉ")
    services.membership_end(
        actor=cast.admin, membership=left.memberships.get(), reason="resigned", day=dt.date(2023, 1, 1), today=TODAY
    )
    code = moving.member_code
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    unit_services.unit_merge(
        actor=cast.admin, sources=[cast.sibling_unit], target=cast.unit, decision=decision(), today=TODAY
    )
    assert history(moving) == [
        ("DN-TB-002", JOINED, "ended", "transferred", DAY),
        ("DN-TB-001", DAY, "active", "", None),
    ]
    assert history(left) == [("DN-TB-002", JOINED, "ended", "resigned", dt.date(2023, 1, 1))]
    moving.refresh_from_db()
    assert moving.member_code == code
    actions = list(
        AuditEntry.objects.filter(id__gt=mark, object_type="members.membership")
        .order_by("id")
        .values_list("action", "unit_path")
    )
    assert actions == [
        ("membership.unit_merged", cast.sibling_unit.path),
        ("membership.unit_merged", cast.unit.path),
    ]
    # The officer of the target now sees and manages the moved member.
    from .people import fresh

    assert services.national_id_display(actor=fresh(cast.officer), person=moving) == ""


def test_a_refused_merge_changes_no_membership(cast):
    register(cast.admin, cast.sibling_unit, "Người ở lại")
    before = members_state()
    with pytest.raises(DomainError):
        unit_services.unit_merge(
            actor=cast.admin, sources=[cast.sibling_unit], target=cast.sibling_unit, decision=decision(), today=TODAY
        )
    assert members_state() == before


def test_units_without_members_write_no_member_entries(cast):
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    unit_services.unit_dissolve(actor=cast.admin, units=[cast.section], decision=decision(), today=TODAY)
    assert not AuditEntry.objects.filter(id__gt=mark, object_type="members.membership").exists()
