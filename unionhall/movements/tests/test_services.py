"""The movement services: exact effects, every rule and bad input, and nothing written on a refusal."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members import services as member_services
from unionhall.movements import services
from unionhall.movements.models import Milestone, Movement, Registration
from unionhall.movements.tests.fixtures import END, START, TODAY, details, launch, state


def refused(error_class, call, **match):
    """`call` raises `error_class` (with these attributes) and changes nothing."""
    before = state()
    with pytest.raises(error_class) as info:
        call()
    for name, value in match.items():
        actual = getattr(info.value, name)
        assert (str(actual) if name == "message" else actual) == value, name
    assert state() == before
    return info.value


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-pk").first()


# ---------------------------------------------------------------- launch


def test_launch_records_the_movement_and_an_audit_entry(cast):
    movement = launch(cast.officer, cast.unit, "LDG-2025", criteria="  100% đăng ký  ")
    assert Movement.objects.filter(pk=movement.pk).values_list(
        "code", "title", "kind", "launcher_id", "start_date", "end_date", "scope", "criteria", "status", "version"
    ).get() == (
        "ldg-2025",
        "Lao động giỏi, Lao động sáng tạo",
        "regular",
        cast.unit.pk,
        START,
        END,
        "subtree",
        "100% đăng ký",
        "running",
        1,
    )
    entry = last_audit()
    assert (entry.action, entry.object_id, entry.unit_id, entry.before) == (
        "movement.launch",
        str(movement.pk),
        cast.unit.pk,
        None,
    )
    assert entry.after == {
        "code": "ldg-2025",
        "title": "Lao động giỏi, Lao động sáng tạo",
        "kind": "regular",
        "launcher": "DN-TB-001",
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "scope": "subtree",
        "units": [],
        "criteria": "100% đăng ký",
        "status": "running",
    }


def test_a_movement_starting_later_is_planned(cast):
    movement = launch(cast.admin, cast.unit, "later", start_date=dt.date(2025, 6, 1), end_date=None)
    assert (movement.status, movement.end_date) == ("planned", None)


def test_a_joint_movement_keeps_its_listed_units(cast, world):
    assert world.joint_mv.scope == "listed"
    assert sorted(world.joint_mv.units.values_list("code", flat=True)) == ["DN-CA", "DN-TB-001"]


def test_launch_end_before_start_is_refused(cast):
    refused(
        DomainError,
        lambda: launch(cast.admin, cast.unit, "x", start_date=dt.date(2025, 1, 1), end_date=dt.date(2024, 12, 31)),
        field="end_date",
        code="dates_out_of_order",
        message="The end date (Dec 31, 2024) is before the start date (Jan 1, 2025).",
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "The code is required."),
        ("ldg 2025", "A code has at most 60 lower-case letters, digits, hyphens or underscores, e.g. ldg-ldst-2025."),
        ("-ldg", "A code has at most 60 lower-case letters, digits, hyphens or underscores, e.g. ldg-ldst-2025."),
        ("a" * 61, "A code has at most 60 lower-case letters, digits, hyphens or underscores, e.g. ldg-ldst-2025."),
        ("new", "The code new is reserved; choose another."),
        ("ldg\x00", "The text contains characters that are not allowed."),
    ],
)
def test_launch_bad_code_is_refused(cast, code, message):
    refused(DomainError, lambda: launch(cast.admin, cast.unit, code), field="code", message=message)


def test_launch_duplicate_code_is_a_conflict(cast, world):
    refused(
        Conflict,
        lambda: launch(cast.admin, cast.unit, "LDG-LDST-DN"),
        field="code",
        message="The code ldg-ldst-dn is already taken.",
    )


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"title": "x" * 301}, "title", "This field has at most 300 characters."),
        ({"kind": "annual"}, "kind", "Choose a kind of movement."),
        ({"scope": "everyone"}, "scope", "Choose a scope."),
        ({"scope": "listed"}, "units", "A joint movement lists at least one unit."),
        ({"start_date": None}, "start_date", "This date is required."),
        ({"start_date": dt.date(1899, 12, 31)}, "start_date", "The date is too far in the past."),
        ({"criteria": "x" * 20_001}, "criteria", "This field has at most 20000 characters."),
    ],
)
def test_launch_bad_details_are_refused(cast, extra, field, message):
    refused(DomainError, lambda: launch(cast.admin, cast.unit, "x", **extra), field=field, message=message)


def test_launch_subtree_with_listed_units_is_refused(cast):
    refused(
        DomainError,
        lambda: launch(cast.admin, cast.unit, "x", units=(cast.section,)),
        field="units",
        message="Only a joint movement lists units; this one covers the launching unit and the units under it.",
    )


def test_launch_outside_scope_is_not_found(cast):
    refused(
        NotFound,
        lambda: launch(cast.sibling, cast.unit, "x"),
        field="launcher",
        message="Unit DN-TB-001 was not found.",
    )


def test_launch_listing_a_unit_the_actor_does_not_see_is_not_found(cast):
    refused(
        NotFound,
        lambda: launch(cast.officer, cast.unit, "x", scope="listed", units=(cast.section, cast.sibling_unit)),
        field="units",
        message="Unit DN-TB-002 was not found.",
    )


# ---------------------------------------------------------------- update


def test_update_changes_the_details_and_the_version(cast, world):
    movement = services.movement_update(
        actor=cast.officer,
        movement=world.unit_mv,
        version=1,
        details=details("Xanh – Sạch – Đẹp, an toàn vệ sinh lao động", kind="thematic", end_date=dt.date(2025, 12, 31)),
        today=TODAY,
    )
    assert (movement.title, movement.end_date, movement.version) == (
        "Xanh – Sạch – Đẹp, an toàn vệ sinh lao động",
        dt.date(2025, 12, 31),
        2,
    )
    entry = last_audit()
    assert entry.action == "movement.update"
    assert (entry.before["title"], entry.after["title"]) == (
        "Xanh – Sạch – Đẹp",
        "Xanh – Sạch – Đẹp, an toàn vệ sinh lao động",
    )
    assert (entry.before["end_date"], entry.after["end_date"]) == ("2026-12-31", "2025-12-31")


def test_update_without_a_change_writes_nothing(cast, world):
    before = state()
    services.movement_update(
        actor=cast.officer,
        movement=world.unit_mv,
        version=1,
        details=details("Xanh – Sạch – Đẹp", kind="thematic"),
        today=TODAY,
    )
    assert state() == before


def test_update_moving_the_start_later_makes_it_planned(cast, world):
    movement = services.movement_update(
        actor=cast.admin,
        movement=world.unit_mv,
        version=1,
        details=details("Xanh – Sạch – Đẹp", kind="thematic", start_date=dt.date(2025, 4, 1)),
        today=TODAY,
    )
    assert movement.status == "planned"


def test_update_with_a_stale_version_is_a_conflict(cast, world):
    refused(
        Conflict,
        lambda: services.movement_update(
            actor=cast.officer, movement=world.unit_mv, version=7, details=details("Khác"), today=TODAY
        ),
        code="stale",
    )


def test_update_end_before_start_is_refused(cast, world):
    refused(
        DomainError,
        lambda: services.movement_update(
            actor=cast.officer,
            movement=world.unit_mv,
            version=1,
            details=details(end_date=dt.date(2023, 12, 31)),
            today=TODAY,
        ),
        field="end_date",
        code="dates_out_of_order",
    )


def test_update_by_a_taker_part_is_forbidden_and_by_an_outsider_not_found(cast, world):
    refused(
        Forbidden,
        lambda: services.movement_update(
            actor=cast.officer, movement=world.province_mv, version=1, details=details("Khác"), today=TODAY
        ),
        message="Only the launching unit DN runs this movement.",
    )
    refused(
        NotFound,
        lambda: services.movement_update(
            actor=cast.sibling, movement=world.unit_mv, version=1, details=details("Khác"), today=TODAY
        ),
        message="Movement xanh-sach-dep was not found.",
    )


def test_update_leaving_a_milestone_outside_the_period_is_refused(cast, world):
    services.milestone_add(
        actor=cast.officer, movement=world.unit_mv, kind="final", due_date=dt.date(2026, 12, 15), today=TODAY
    )
    refused(
        DomainError,
        lambda: services.movement_update(
            actor=cast.officer,
            movement=world.unit_mv,
            version=1,
            details=details("Xanh – Sạch – Đẹp", kind="thematic", end_date=dt.date(2025, 12, 31)),
            today=TODAY,
        ),
        field="end_date",
        message="A review milestone is due on Dec 15, 2026, after the new end date.",
    )


def test_update_leaving_pledges_outside_the_period_is_refused(cast, world):
    services.registration_create(actor=cast.officer, movement=world.unit_mv, unit=cast.unit, year=2024, today=TODAY)
    refused(
        DomainError,
        lambda: services.movement_update(
            actor=cast.officer,
            movement=world.unit_mv,
            version=1,
            details=details("Xanh – Sạch – Đẹp", kind="thematic", start_date=dt.date(2025, 1, 1)),
            today=TODAY,
        ),
        field="start_date",
        message="Pledges are registered for 2024, before the new start date.",
    )


def test_update_leaving_a_registered_unit_out_of_scope_is_refused(cast, world):
    services.registration_create(actor=cast.admin, movement=world.joint_mv, unit=cast.section, year=2025, today=TODAY)
    refused(
        DomainError,
        lambda: services.movement_update(
            actor=cast.admin,
            movement=world.joint_mv,
            version=1,
            details=details("Toàn dân bảo vệ an ninh Tổ quốc", kind="campaign", scope="listed", units=(world.police,)),
            today=TODAY,
        ),
        field="units",
        message="Unit DN-TB-001-S1 has registered pledges but would no longer take part.",
    )


def test_a_closed_movement_is_not_updated(cast, world):
    services.movement_close(actor=cast.officer, movement=world.unit_mv, today=TODAY)
    refused(
        DomainError,
        lambda: services.movement_update(
            actor=cast.officer, movement=world.unit_mv, version=2, details=details("Khác"), today=TODAY
        ),
        code="closed",
        message="Movement xanh-sach-dep is closed.",
    )


# ---------------------------------------------------------------- close


def test_close_ends_the_period_on_the_day(cast, world):
    movement = services.movement_close(
        actor=cast.officer, movement=world.unit_mv, closed_on=dt.date(2025, 3, 1), today=TODAY
    )
    assert (movement.status, movement.end_date, movement.version) == ("closed", dt.date(2025, 3, 1), 2)
    entry = last_audit()
    assert entry.action == "movement.close"
    assert (entry.before["status"], entry.after["status"], entry.after["closed_on"]) == (
        "running",
        "closed",
        "2025-03-01",
    )


def test_closing_after_the_period_keeps_its_end(cast):
    movement = launch(cast.admin, cast.unit, "done", start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 12, 31))
    movement = services.movement_close(actor=cast.admin, movement=movement, today=TODAY)
    assert (movement.status, movement.end_date) == ("closed", dt.date(2024, 12, 31))


def test_close_twice_is_a_conflict(cast, world):
    services.movement_close(actor=cast.officer, movement=world.unit_mv, today=TODAY)
    refused(Conflict, lambda: services.movement_close(actor=cast.officer, movement=world.unit_mv, today=TODAY))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2025, 3, 16), "The date cannot be in the future."),
        (dt.date(2023, 12, 31), "The movement cannot close before it starts (Jan 1, 2024)."),
    ],
)
def test_close_on_a_bad_day_is_refused(cast, world, day, message):
    refused(
        DomainError,
        lambda: services.movement_close(actor=cast.officer, movement=world.unit_mv, closed_on=day, today=TODAY),
        field="closed_on",
        message=message,
    )


def test_closing_before_registered_years_is_refused(cast, world):
    services.registration_create(actor=cast.officer, movement=world.unit_mv, unit=cast.unit, year=2025, today=TODAY)
    refused(
        DomainError,
        lambda: services.movement_close(
            actor=cast.officer, movement=world.unit_mv, closed_on=dt.date(2024, 12, 31), today=TODAY
        ),
        message="Pledges are registered for 2025, after the new end date.",
    )


def test_close_by_a_taker_part_is_forbidden(cast, world):
    refused(Forbidden, lambda: services.movement_close(actor=cast.parent, movement=world.province_mv, today=TODAY))


# ---------------------------------------------------------------- milestones


def test_milestone_add_and_hold(cast, world):
    milestone = services.milestone_add(
        actor=cast.officer,
        movement=world.unit_mv,
        kind="preliminary",
        due_date=dt.date(2025, 6, 30),
        note=" Sơ kết 6 tháng ",
        today=TODAY,
    )
    assert Milestone.objects.filter(pk=milestone.pk).values_list("kind", "due_date", "held_on", "note").get() == (
        "preliminary",
        dt.date(2025, 6, 30),
        None,
        "Sơ kết 6 tháng",
    )
    assert last_audit().action == "movement.milestone_add"
    held = services.milestone_hold(
        actor=cast.parent, milestone=milestone, held_on=dt.date(2025, 7, 2), today=dt.date(2025, 7, 3)
    )
    assert (held.held_on, held.note) == (dt.date(2025, 7, 2), "Sơ kết 6 tháng")
    entry = last_audit()
    assert (entry.action, entry.before["held_on"], entry.after["held_on"]) == (
        "movement.milestone_hold",
        None,
        "2025-07-02",
    )


@pytest.mark.parametrize("due", [dt.date(2023, 12, 31), dt.date(2027, 1, 1)])
def test_milestone_outside_the_period_is_refused(cast, world, due):
    refused(
        DomainError,
        lambda: services.milestone_add(actor=cast.officer, movement=world.unit_mv, kind="final", due_date=due),
        field="due_date",
        code="dates_out_of_order",
        message="The due date must fall inside the movement's period (Jan 1, 2024 – Dec 31, 2026).",
    )


def test_milestone_bad_kind_is_refused(cast, world):
    refused(
        DomainError,
        lambda: services.milestone_add(actor=cast.officer, movement=world.unit_mv, kind="annual", due_date=TODAY),
        field="kind",
    )


def test_milestone_by_a_taker_part_is_forbidden(cast, world):
    refused(
        Forbidden,
        lambda: services.milestone_add(actor=cast.officer, movement=world.joint_mv, kind="final", due_date=TODAY),
    )


def test_milestone_on_a_closed_movement_is_refused_but_holding_one_is_recorded(cast, world):
    milestone = services.milestone_add(
        actor=cast.officer, movement=world.unit_mv, kind="final", due_date=dt.date(2025, 3, 10), today=TODAY
    )
    services.movement_close(actor=cast.officer, movement=world.unit_mv, today=TODAY)
    refused(
        DomainError,
        lambda: services.milestone_add(actor=cast.officer, movement=world.unit_mv, kind="final", due_date=TODAY),
        code="closed",
    )
    held = services.milestone_hold(
        actor=cast.officer, milestone=milestone, held_on=dt.date(2025, 3, 12), note="Đã tổng kết", today=TODAY
    )
    assert (held.held_on, held.note) == (dt.date(2025, 3, 12), "Đã tổng kết")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2025, 3, 16), "The date cannot be in the future."),
        (dt.date(2023, 12, 31), "A review cannot be held before the movement starts (Jan 1, 2024)."),
    ],
)
def test_hold_on_a_bad_day_is_refused(cast, world, day, message):
    milestone = services.milestone_add(
        actor=cast.officer, movement=world.unit_mv, kind="final", due_date=TODAY, today=TODAY
    )
    refused(
        DomainError,
        lambda: services.milestone_hold(actor=cast.officer, milestone=milestone, held_on=day, today=TODAY),
        field="held_on",
        message=message,
    )


def test_holding_twice_is_a_conflict(cast, world):
    milestone = services.milestone_add(
        actor=cast.officer, movement=world.unit_mv, kind="final", due_date=TODAY, today=TODAY
    )
    services.milestone_hold(actor=cast.officer, milestone=milestone, held_on=TODAY, today=TODAY)
    refused(
        Conflict,
        lambda: services.milestone_hold(actor=cast.officer, milestone=milestone, held_on=TODAY, today=TODAY),
        message="This review was already held on Mar 15, 2025.",
    )


# ---------------------------------------------------------------- registrations


def register(actor, movement, unit, year=2025, **extra):
    return services.registration_create(actor=actor, movement=movement, unit=unit, year=year, today=TODAY, **extra)


def test_a_unit_pledge(cast, world):
    registration = register(
        cast.officer,
        world.province_mv,
        cast.unit,
        titles=["TTLDXS", "cong-doan-vung-manh", "ttldxs"],
        initiatives_pledged=12,
        note="Đăng ký thi đua năm 2025",
        registered_on=dt.date(2025, 2, 1),
    )
    assert Registration.objects.filter(pk=registration.pk).values_list(
        "movement_id", "unit_id", "person_id", "year", "titles", "initiatives_pledged", "note", "registered_on"
    ).get() == (
        world.province_mv.pk,
        cast.unit.pk,
        None,
        2025,
        ["ttldxs", "cong-doan-vung-manh"],
        12,
        "Đăng ký thi đua năm 2025",
        dt.date(2025, 2, 1),
    )
    entry = last_audit()
    assert (entry.action, entry.unit_id) == ("movement.registration_create", cast.unit.pk)
    assert entry.after == {
        "movement": "ldg-ldst-dn",
        "unit": "DN-TB-001",
        "member_code": None,
        "year": 2025,
        "titles": ["ttldxs", "cong-doan-vung-manh"],
        "initiatives_pledged": 12,
        "note": "Đăng ký thi đua năm 2025",
        "registered_on": "2025-02-01",
    }


def test_a_member_pledge_beside_the_unit_pledge(cast, world):
    register(cast.officer, world.province_mv, cast.unit)
    mine = register(cast.officer, world.province_mv, cast.unit, person=world.member, titles=["ldtt"])
    assert (mine.person_id, mine.registered_on, mine.titles) == (world.member.pk, TODAY, ["ldtt"])
    assert last_audit().after["member_code"] == world.member.member_code


def test_a_pledge_of_someone_who_is_not_a_member_of_the_unit_is_refused(cast, world):
    refused(
        DomainError,
        lambda: register(cast.admin, world.province_mv, cast.unit, person=world.sibling_member),
        field="person",
        code="not_a_member",
        message=f"Trần Thị Hoa ({world.sibling_member.member_code}) is not a current member of unit DN-TB-001.",
    )


def test_a_pledge_of_a_former_member_is_refused(cast, world):
    member_services.membership_end(
        actor=cast.admin,
        membership=world.member.memberships.get(),
        reason="left_job",
        day=dt.date(2025, 1, 10),
        today=TODAY,
    )
    refused(
        DomainError,
        lambda: register(cast.officer, world.province_mv, cast.unit, person=world.member),
        code="not_a_member",
    )


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2023, "The year 2023 is outside the movement's period (2024–2026)."),
        (2027, "The year 2027 is outside the movement's period (2024–2026)."),
        (1800, "Choose a valid year."),
        ("2025", "Choose a valid year."),
    ],
)
def test_a_pledge_outside_the_period_is_refused(cast, world, year, message):
    refused(
        DomainError,
        lambda: register(cast.officer, world.province_mv, cast.unit, year=year),
        field="year",
        message=message,
    )


def test_an_open_ended_movement_takes_pledges_up_to_next_year(cast):
    movement = launch(cast.admin, cast.unit, "open", end_date=None)
    assert register(cast.officer, movement, cast.unit, year=2026).year == 2026
    refused(
        DomainError,
        lambda: register(cast.officer, movement, cast.unit, year=2027),
        message="The year 2027 is outside the movement's period (2024–2026).",
    )


def test_a_duplicate_unit_pledge_is_a_conflict(cast, world):
    register(cast.officer, world.province_mv, cast.unit)
    refused(
        Conflict,
        lambda: register(cast.parent, world.province_mv, cast.unit),
        code="duplicate_registration",
        message="Unit DN-TB-001 has already registered its pledge for 2025.",
    )


def test_a_duplicate_member_pledge_is_a_conflict(cast, world):
    register(cast.officer, world.province_mv, cast.unit, person=world.member)
    refused(
        Conflict,
        lambda: register(cast.officer, world.province_mv, cast.unit, person=world.member, titles=["cstdcs"]),
        field="person",
        message=f"Nguyễn Văn Đệ ({world.member.member_code}) has already registered a pledge for 2025.",
    )
    # Another year, or another movement, is another pledge.
    register(cast.officer, world.province_mv, cast.unit, person=world.member, year=2026)
    register(cast.officer, world.unit_mv, cast.unit, person=world.member)


def test_a_unit_outside_the_movement_does_not_take_part(cast, world):
    refused(
        DomainError,
        lambda: register(cast.admin, world.unit_mv, cast.sibling_unit),
        field="unit",
        code="not_taking_part",
        message="Unit DN-TB-002 does not take part in this movement.",
    )
    refused(DomainError, lambda: register(cast.admin, world.joint_mv, cast.sibling_unit), code="not_taking_part")


def test_the_listed_partner_and_units_under_listed_ones_take_part(cast, world):
    assert register(world.police_officer, world.joint_mv, world.police).unit_id == world.police.pk
    assert register(cast.officer, world.joint_mv, cast.section).unit_id == cast.section.pk


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"titles": "ldtt"}, "titles", "Give the titles sought as a list of codes."),
        (
            {"titles": ["LĐTT"]},
            "titles",
            "LĐTT is not a title code (lower-case letters, digits, hyphens or underscores).",
        ),
        ({"titles": [3]}, "titles", "3 is not a title code (lower-case letters, digits, hyphens or underscores)."),
        ({"titles": [f"t{i}" for i in range(21)]}, "titles", "At most 20 titles may be pledged."),
        ({"initiatives_pledged": -1}, "initiatives_pledged", "Enter a whole number, 0 or more."),
        ({"initiatives_pledged": 100_001}, "initiatives_pledged", "At most 100000 initiatives may be pledged."),
        ({"registered_on": dt.date(2025, 3, 16)}, "registered_on", "The date cannot be in the future."),
        ({"note": "x" * 2001}, "note", "This field has at most 2000 characters."),
    ],
)
def test_a_pledge_with_bad_input_is_refused(cast, world, extra, field, message):
    refused(
        DomainError, lambda: register(cast.officer, world.province_mv, cast.unit, **extra), field=field, message=message
    )


def test_a_pledge_in_a_closed_movement_is_refused(cast, world):
    services.movement_close(actor=cast.officer, movement=world.unit_mv, today=TODAY)
    refused(DomainError, lambda: register(cast.officer, world.unit_mv, cast.unit), code="closed")


def test_a_pledge_in_a_movement_not_seen_is_not_found(cast, world):
    refused(
        NotFound,
        lambda: register(cast.outsider, world.province_mv, cast.other_province),
        field="movement",
        message="Movement ldg-ldst-dn was not found.",
    )


def test_a_pledge_of_a_unit_outside_scope_is_not_found(cast, world):
    refused(
        NotFound,
        lambda: register(cast.sibling, world.province_mv, cast.unit),
        field="unit",
        message="Unit DN-TB-001 was not found.",
    )


def test_withdraw_removes_the_pledge_and_keeps_it_in_the_log(cast, world):
    registration = register(cast.officer, world.province_mv, cast.unit, person=world.member, titles=["ldtt"])
    services.registration_withdraw(actor=cast.parent, registration=registration, reason="Chuyển công tác")
    assert not Registration.objects.filter(pk=registration.pk).exists()
    entry = last_audit()
    assert (entry.action, entry.reason, entry.after, entry.before["titles"]) == (
        "movement.registration_withdraw",
        "Chuyển công tác",
        None,
        ["ldtt"],
    )


def test_withdraw_outside_scope_is_not_found_and_in_a_closed_movement_refused(cast, world):
    registration = register(cast.officer, world.unit_mv, cast.unit)
    refused(NotFound, lambda: services.registration_withdraw(actor=cast.sibling, registration=registration))
    services.movement_close(actor=cast.officer, movement=world.unit_mv, today=TODAY)
    refused(
        DomainError,
        lambda: services.registration_withdraw(actor=cast.officer, registration=registration),
        code="closed",
    )
