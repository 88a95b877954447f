"""The movement reads: list filters and pages, one movement's page data, results, and `registered`."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unionhall.core.errors import DomainError, NotFound
from unionhall.members.models import Person
from unionhall.movements import results, selectors, services
from unionhall.movements.selectors import MovementFilters
from unionhall.movements.tests.fixtures import TODAY, launch


def pledge(**values):
    return services.registration_create(today=TODAY, **values)


def codes(page) -> list[str]:
    return [m.code for m in page.items]


# ---------------------------------------------------------------- list


def test_the_list_shows_what_the_actor_sees_latest_start_first(cast, world):
    launch(cast.admin, cast.unit, "older", start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 12, 31))
    launch(cast.admin, cast.unit, "newer", start_date=dt.date(2025, 6, 1), end_date=None)
    page = selectors.movement_list(actor=cast.officer, today=TODAY)
    # Same start: the later launched first.
    assert codes(page) == ["newer", "bao-ve-an-ninh", "xanh-sach-dep", "ldg-ldst-dn", "older"]
    assert codes(selectors.movement_list(actor=cast.sibling, today=TODAY)) == ["ldg-ldst-dn"]
    assert codes(selectors.movement_list(actor=cast.outsider, today=TODAY)) == []


def test_the_list_pages_by_keyset(cast, world):
    first = selectors.movement_list(actor=cast.admin, limit=2, today=TODAY)
    assert codes(first) == ["bao-ve-an-ninh", "xanh-sach-dep"]
    second = selectors.movement_list(actor=cast.admin, limit=2, cursor=first.next_cursor, today=TODAY)
    assert (codes(second), second.next_cursor) == (["ldg-ldst-dn"], None)


@pytest.mark.parametrize("cursor", ["garbage", "WzEsMl0", "WyIyMDI1LTAxLTAxIiwgLTFd"])
def test_a_bad_cursor_is_refused(cast, world, cursor):
    with pytest.raises(DomainError) as info:
        selectors.movement_list(actor=cast.admin, cursor=cursor)
    assert (info.value.field, str(info.value)) == ("cursor", "The page link is not valid.")


def test_the_list_filters(cast, world):
    launch(cast.admin, cast.unit, "planned", start_date=dt.date(2025, 6, 1), end_date=None, kind="thematic")
    launch(cast.admin, cast.commune, "old", start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 12, 31))
    services.movement_close(actor=cast.admin, movement=world.unit_mv, today=TODAY)

    def find(**filters) -> list[str]:
        return sorted(codes(selectors.movement_list(actor=cast.admin, filters=MovementFilters(**filters), today=TODAY)))

    assert find(status="planned") == ["planned"]
    assert find(status="running") == ["bao-ve-an-ninh", "ldg-ldst-dn", "old"]
    assert find(status="closed") == ["xanh-sach-dep"]
    assert find(kind="thematic") == ["planned", "xanh-sach-dep"]
    assert find(year=2021) == ["old"]
    assert find(year=2025) == ["bao-ve-an-ninh", "ldg-ldst-dn", "planned", "xanh-sach-dep"]
    assert find(unit=cast.commune) == ["old", "planned", "xanh-sach-dep"]
    assert find(unit=cast.unit, kind="thematic", status="planned") == ["planned"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [({"status": "open"}, "status"), ({"kind": "x"}, "kind"), ({"year": 10_000}, "year")],
)
def test_bad_filters_are_refused(cast, filters, field):
    with pytest.raises(DomainError) as info:
        selectors.movement_list(actor=cast.admin, filters=MovementFilters(**filters))
    assert info.value.field == field


def test_filtering_by_a_unit_not_seen_is_not_found(cast, world):
    with pytest.raises(NotFound):
        selectors.movement_list(actor=cast.officer, filters=MovementFilters(unit=cast.province))


def test_movement_get(cast, world):
    assert selectors.movement_get(actor=cast.officer, code=" LDG-LDST-DN ") == world.province_mv
    with pytest.raises(NotFound):
        selectors.movement_get(actor=cast.outsider, code="ldg-ldst-dn")


# ---------------------------------------------------------------- one movement


def test_milestone_states_and_what_is_due(cast, world):
    movement = world.unit_mv
    add = lambda kind, due: services.milestone_add(  # noqa: E731
        actor=cast.admin, movement=movement, kind=kind, due_date=due, today=TODAY
    )
    held = add("preliminary", dt.date(2024, 6, 30))
    services.milestone_hold(actor=cast.admin, milestone=held, held_on=dt.date(2024, 7, 5), today=TODAY)
    overdue = add("preliminary", dt.date(2024, 12, 31))
    due_today = add("preliminary", TODAY)
    final = add("final", dt.date(2026, 12, 15))
    detail = selectors.movement_detail(actor=cast.officer, movement=movement, today=TODAY)
    assert [(row.milestone, row.state) for row in detail.milestones] == [
        (held, "held"),
        (overdue, "overdue"),
        (due_today, "due"),
        (final, "due"),
    ]
    assert detail.next_due == due_today
    assert [(i.code, i.day, i.overdue, i.milestone) for i in detail.due] == [
        ("milestone", dt.date(2024, 12, 31), True, overdue),
        ("milestone", TODAY, False, due_today),
    ]
    assert (detail.status, detail.can_change, detail.can_register) == ("running", True, True)


def test_a_movement_past_its_end_is_due_to_close(cast):
    movement = launch(cast.admin, cast.unit, "ended", start_date=dt.date(2023, 1, 1), end_date=dt.date(2024, 12, 31))
    detail = selectors.movement_detail(actor=cast.officer, movement=movement, today=TODAY)
    assert [(i.code, i.day, i.overdue) for i in detail.due] == [("close", dt.date(2024, 12, 31), True)]
    services.movement_close(actor=cast.officer, movement=movement, today=TODAY)
    movement.refresh_from_db()
    detail = selectors.movement_detail(actor=cast.officer, movement=movement, today=TODAY)
    assert (detail.due, detail.status, detail.can_register) == ([], "closed", False)


def test_a_taker_part_sees_its_own_pledges_and_may_register_but_not_run(cast, world):
    movement = world.province_mv
    pledge(actor=cast.admin, movement=movement, unit=cast.unit, year=2025, initiatives_pledged=3)
    pledge(actor=cast.admin, movement=movement, unit=cast.unit, person=world.member, year=2025, initiatives_pledged=1)
    pledge(actor=cast.admin, movement=movement, unit=cast.unit, year=2024)
    pledge(actor=cast.admin, movement=movement, unit=cast.sibling_unit, year=2025, initiatives_pledged=5)
    mine = selectors.movement_detail(actor=cast.officer, movement=movement, today=TODAY)
    assert [(c.year, c.units, c.people, c.initiatives_pledged) for c in mine.year_counts] == [
        (2025, 1, 1, 4),
        (2024, 1, 0, 0),
    ]
    assert [(r.year, r.unit_id, r.person_id) for r in mine.registrations.items] == [
        (2025, cast.unit.pk, None),
        (2025, cast.unit.pk, world.member.pk),
        (2024, cast.unit.pk, None),
    ]
    assert (mine.can_change, mine.can_register) == (False, True)
    everything = selectors.movement_detail(actor=cast.parent, movement=movement, today=TODAY)
    assert [(c.year, c.units, c.people, c.initiatives_pledged) for c in everything.year_counts] == [
        (2025, 2, 1, 9),
        (2024, 1, 0, 0),
    ]
    only_2024 = selectors.movement_detail(actor=cast.parent, movement=movement, today=TODAY, year=2024)
    assert [r.year for r in only_2024.registrations.items] == [2024]


def test_registrations_page_by_keyset(cast, world):
    movement = world.province_mv
    for year in (2024, 2025, 2026):
        pledge(actor=cast.admin, movement=movement, unit=cast.unit, year=year)
    first = selectors.registration_page(actor=cast.officer, movement=movement, limit=2)
    assert [r.year for r in first.items] == [2026, 2025]
    second = selectors.registration_page(actor=cast.officer, movement=movement, limit=2, cursor=first.next_cursor)
    assert ([r.year for r in second.items], second.next_cursor) == ([2024], None)


def test_a_movement_not_seen_has_no_page(cast, world):
    with pytest.raises(NotFound):
        selectors.movement_detail(actor=cast.sibling, movement=world.unit_mv, today=TODAY)


# ---------------------------------------------------------------- results


@pytest.fixture
def two_results():
    calls: list[list[int]] = []

    def count(ids: list[int]) -> dict[int, int]:
        calls.append(ids)
        return dict.fromkeys(ids, 7)

    results.register(results.Result("test_count", "Test count", count))
    results.register(results.Result("test_money", "Test money", lambda ids: {ids[0]: 185_000_000_000}, money=True))
    yield calls
    results.unregister("test_count")
    results.unregister("test_money")


def test_every_registered_result_is_computed_once_per_page(cast, world, two_results):
    detail = selectors.movement_detail(actor=cast.officer, movement=world.unit_mv, today=TODAY)
    ours = [(r.code, r.value, r.money) for r in detail.results if r.code.startswith("test_")]
    assert ours == [("test_count", 7, False), ("test_money", 185_000_000_000, True)]
    assert two_results == [[world.unit_mv.pk]]
    figures = selectors.movement_results([world.unit_mv, world.province_mv])
    assert two_results[-1] == [world.unit_mv.pk, world.province_mv.pk]
    assert [(r.code, r.value) for r in figures[world.province_mv.pk] if r.code.startswith("test_")] == [
        ("test_count", 7),
        ("test_money", 0),
    ]


def test_registering_a_result_twice_replaces_it():
    before = len(results.results())
    results.register(results.Result("test_twice", "One", lambda ids: {}))
    results.register(results.Result("test_twice", "Two", lambda ids: {}))
    try:
        assert len(results.results()) == before + 1
        assert [r.label for r in results.results() if r.code == "test_twice"] == ["Two"]
    finally:
        results.unregister("test_twice")


# ---------------------------------------------------------------- registered


def test_registered_people_and_units_in_one_query(cast, world):
    pledge(actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=2025)
    pledge(actor=cast.admin, movement=world.unit_mv, unit=cast.unit, person=world.member, year=2025)
    pledge(actor=cast.admin, movement=world.province_mv, unit=cast.sibling_unit, person=world.sibling_member, year=2024)
    people = [world.member.pk, world.sibling_member.pk]
    with CaptureQueriesContext(connection) as queries:
        assert selectors.registered(year=2025, person_ids=people) == {world.member.pk}
    assert len(queries) == 1
    assert selectors.registered(year=2024, person_ids=people) == {world.sibling_member.pk}
    assert selectors.registered(year=2025, unit_ids=[cast.unit.pk, cast.sibling_unit.pk]) == {cast.unit.pk}
    assert selectors.registered(year=2024, unit_ids=[cast.unit.pk, cast.sibling_unit.pk]) == set()
    assert selectors.registered(year=2025, person_ids=[]) == set()
    assert selectors.registered(year=2025, person_ids=Person.objects.values("pk")) == {world.member.pk}


def test_registered_with_many_ids_reads_the_year_once(cast, world):
    pledge(actor=cast.admin, movement=world.unit_mv, unit=cast.unit, person=world.member, year=2025)
    many = [world.member.pk, *range(10_000_000, 10_040_000)]
    with CaptureQueriesContext(connection) as queries:
        assert selectors.registered(year=2025, person_ids=many) == {world.member.pk}
    assert len(queries) == 1


def test_registered_takes_exactly_one_kind_of_ids():
    with pytest.raises(TypeError):
        selectors.registered(year=2025)
    with pytest.raises(TypeError):
        selectors.registered(year=2025, person_ids=[1], unit_ids=[1])
