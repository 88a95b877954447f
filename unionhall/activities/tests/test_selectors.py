"""Reads: the filtered list with keyset pages, the page data, a member's history, and the figures for results."""

import datetime as dt

import pytest

from unionhall.activities import selectors, services
from unionhall.core.errors import DomainError, NotFound
from unionhall.movements import results as movement_results
from unionhall.movements.services import MovementDetails, movement_launch
from unionhall.programmes import results as programme_results

from .fixtures import create, kind, programme


def day(d: int, hour: int = 1) -> dt.datetime:
    return dt.datetime(2025, 3, d, hour, tzinfo=dt.UTC)


def test_the_list_pages_latest_first_and_filters(cast, world):
    for d in range(1, 8):
        create(cast.officer, cast.unit, title=f"Buổi {d}", starts_at=day(d), ends_at=None)
    create(cast.admin, cast.sibling_unit, title="Bên cạnh", starts_at=day(4), ends_at=None, kind=kind("training"))
    first = selectors.activity_list(actor=cast.parent, limit=3)
    assert [a.title for a in first.items] == ["Buổi 7", "Buổi 6", "Buổi 5"]
    second = selectors.activity_list(actor=cast.parent, limit=3, cursor=first.next_cursor)
    assert [a.title for a in second.items] == ["Bên cạnh", "Buổi 4", "Buổi 3"]
    f = selectors.ActivityFilters
    assert [a.title for a in selectors.activity_list(actor=cast.parent, filters=f(kind=kind("training"))).items] == [
        "Bên cạnh"
    ]
    assert [a.title for a in selectors.activity_list(actor=cast.parent, filters=f(unit=cast.sibling_unit)).items] == [
        "Bên cạnh"
    ]
    period = f(date_from=dt.date(2025, 3, 2), date_to=dt.date(2025, 3, 3))
    assert [a.title for a in selectors.activity_list(actor=cast.parent, filters=period).items] == ["Buổi 3", "Buổi 2"]
    assert [a.title for a in selectors.activity_list(actor=cast.parent, filters=f(text="buổi 1")).items] == ["Buổi 1"]


def test_bad_list_input_is_a_domain_error(cast, world):
    with pytest.raises(DomainError):
        selectors.activity_list(actor=cast.officer, cursor="garbage")
    with pytest.raises(DomainError):
        selectors.activity_list(actor=cast.officer, cursor=selectors.cursor_encode(["not a time", 1]))
    with pytest.raises(NotFound):
        selectors.activity_list(actor=cast.officer, filters=selectors.ActivityFilters(unit=cast.sibling_unit))
    with pytest.raises(DomainError) as caught:
        selectors.activity_list(
            actor=cast.officer,
            filters=selectors.ActivityFilters(date_from=dt.date(2025, 3, 2), date_to=dt.date(2025, 3, 1)),
        )
    assert caught.value.field == "date_to"


def test_the_page_summarises_attendance_by_category_and_gender(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_people(actor=cast.officer, activity=activity, people=[world.member, world.woman])
    services.check_in_guest(actor=cast.officer, activity=activity, name="Mai", category="citizen", gender="female")
    detail = selectors.activity_detail(actor=cast.officer, activity=activity, limit=2)
    assert [(c.category, c.total, c.women) for c in detail.summary] == [("member", 2, 1), ("citizen", 1, 1)]
    assert len(detail.roster.items) == 2 and detail.roster.next_cursor
    rest = selectors.roster_page(activity=activity, cursor=detail.roster.next_cursor, limit=2)
    assert len(rest.items) == 1 and rest.next_cursor is None
    assert (detail.can_change, detail.can_check_in) == (True, True)


def test_a_members_attendance_history_among_what_the_actor_sees(cast, world):
    a = create(cast.officer, cast.unit, title="A")
    b = create(cast.officer, cast.unit, title="B", co_organisers=(cast.sibling_unit,))
    for activity in (a, b):
        services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    history = selectors.attendance_history(actor=cast.officer, person=world.member)
    assert [x.activity.title for x in history.items] == ["B", "A"]
    assert [x.activity.title for x in selectors.attendance_history(actor=cast.sibling, person=world.member).items] == [
        "B"
    ]


def test_the_tick_list_shows_a_units_members_and_who_is_in(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    unit = selectors.unit_in_organisers(activity=activity, code="dn-tb-001")
    page = selectors.tick_list(activity=activity, unit=unit)
    assert [(r.person.pk, r.checked_in) for r in page.items] == [(world.member.pk, True)]
    with pytest.raises(NotFound):
        selectors.unit_in_organisers(activity=activity, code="DN-TB-002")


def test_figures_for_movements_and_programmes(cast, world):
    mv = movement_launch(
        actor=cast.admin,
        code="ldg",
        launcher=cast.province,
        details=MovementDetails(title="Lao động giỏi", kind="regular", start_date=dt.date(2024, 1, 1)),
        today=dt.date(2025, 1, 1),
    )
    joint = programme("ca-ld", world.police, cast.province)
    counted = create(cast.officer, cast.unit, movement=mv, programme=joint, attendance_mode="counted")
    services.headcounts_set(actor=cast.officer, activity=counted, counts={"worker": (150, 80)})
    create(cast.officer, cast.unit, movement=mv, programme=joint, kind=kind("training"), title="T")
    create(cast.officer, cast.unit, movement=mv, programme=joint, status="planned", title="P")
    assert selectors.movement_activities_held([mv.pk]) == {mv.pk: 2}
    assert selectors.movement_participants([mv.pk]) == {mv.pk: 150}
    lines = selectors.programme_activity_lines([joint.pk])[joint.pk]
    assert [(str(line.label), line.value) for line in lines] == [
        ("Dissemination / propaganda session", 1),
        ("Training course", 1),
        ("Participants", 150),
    ]
    codes = [r.code for r in movement_results.results()]
    assert "activities_held" in codes and "activity_participants" in codes
    section = next(r for r in programme_results.results() if r.code == "activities")
    assert section.list_url is not None and section.list_url("ca-ld") == "/activities/?programme=ca-ld"
