"""The compliance of a subtree's employers on a day: states at exact dates, counts, scope and the page's details."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from conftest import establish
from unionhall.activities import services as activity_services
from unionhall.core.errors import DomainError, NotFound
from unionhall.democracy import selectors
from unionhall.democracy.models import ObligationRule
from unionhall.democracy.tests.fixtures import TODAY, record_conference, record_dialogue, set_employer


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page(actor, unit, state="attention", today=TODAY, **extra):
    return selectors.compliance_page(actor=actor, unit=unit, state=state, today=today, **extra)


def codes(result):
    return [(row.employer.code, row.state, row.dialogue_state, row.conference_state) for row in result.rows]


def test_never_held_is_overdue_and_a_dialogue_due_today_is_due_soon(cast, world):
    record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 3, 15))
    record_conference(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 6, 1))
    result = page(cast.parent, cast.commune)
    assert codes(result) == [
        ("DN-TB-E002", "overdue", "overdue", "overdue"),
        ("DN-TB-E001", "due_soon", "due_soon", "up_to_date"),
    ]
    song_may = result.rows[1]
    assert (song_may.last_dialogue, song_may.dialogue_due, song_may.last_conference, song_may.conference_due) == (
        dt.date(2024, 3, 15),
        dt.date(2025, 3, 15),
        dt.date(2024, 6, 1),
        dt.date(2025, 6, 1),
    )
    hoa_phat = result.rows[0]
    assert (hoa_phat.last_dialogue, hoa_phat.dialogue_due, hoa_phat.union_since) == (
        None,
        dt.date(2021, 1, 1),
        dt.date(2020, 1, 1),
    )
    counts = result.counts
    assert (counts.employers, counts.overall, counts.dialogue, counts.conference) == (
        2,
        {"overdue": 1, "due_soon": 1, "up_to_date": 0},
        {"overdue": 1, "due_soon": 1, "up_to_date": 0},
        {"overdue": 1, "due_soon": 0, "up_to_date": 1},
    )


def test_the_day_after_the_due_date_is_overdue(cast, world):
    record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 3, 14))
    record_conference(cast.officer, cast.unit, world.song_may, day=dt.date(2025, 1, 10))
    assert codes(page(cast.officer, cast.unit)) == [("DN-TB-E001", "overdue", "overdue", "up_to_date")]


def test_due_soon_ends_60_days_ahead(cast, world):
    record_conference(cast.officer, cast.unit, world.song_may, day=dt.date(2025, 1, 10))
    record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 5, 14))
    assert codes(page(cast.officer, cast.unit)) == [("DN-TB-E001", "due_soon", "due_soon", "up_to_date")]
    record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 5, 15))
    assert codes(page(cast.officer, cast.unit)) == []
    assert codes(page(cast.officer, cast.unit, "up_to_date")) == [
        ("DN-TB-E001", "up_to_date", "up_to_date", "up_to_date")
    ]


def test_a_young_union_is_not_overdue_before_the_interval(cast, world):
    young_employer = establish(cast.admin, cast.commune, "enterprise", "DN-TB-E003", "Công ty Mới")
    young = establish(cast.admin, cast.commune, "grassroots_union", "DN-TB-003", "CĐCS Mới", dt.date(2024, 4, 1))
    set_employer(cast.admin, young, young_employer)
    rows = {r.employer.code: r for r in page(cast.parent, cast.commune, "all").rows}
    assert (rows["DN-TB-E003"].state, rows["DN-TB-E003"].dialogue_due) == ("due_soon", dt.date(2025, 4, 1))
    later = {r.employer.code: r for r in page(cast.parent, cast.commune, "all", today=dt.date(2025, 4, 2)).rows}
    assert later["DN-TB-E003"].state == "overdue"


def test_only_held_periodic_dialogues_count(cast, world):
    record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2025, 1, 5), trigger="on_request")
    record_conference(cast.officer, cast.unit, world.song_may, day=dt.date(2025, 1, 10))
    assert codes(page(cast.officer, cast.unit)) == [("DN-TB-E001", "overdue", "overdue", "up_to_date")]


def test_the_page_links_the_last_dialogue_its_minutes_and_the_headcount(cast, world):
    dialogue = record_dialogue(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 3, 20), headcount=130)
    conference = record_conference(cast.officer, cast.unit, world.song_may, day=dt.date(2024, 2, 1), headcount=118)
    (row,) = page(cast.officer, cast.unit).rows
    assert (row.last_dialogue_activity_id, row.last_dialogue_minutes, row.last_conference_activity_id) == (
        dialogue.pk,
        False,
        conference.pk,
    )
    assert (row.headcount, row.headcount_on) == (130, dt.date(2024, 3, 20))
    activity_services.file_attach(
        actor=cast.officer,
        activity=dialogue.activity,
        upload=ContentFile(b"%PDF-1.4 bien ban", name="bien-ban.pdf"),
        kind="minutes",
    )
    assert page(cast.officer, cast.unit).rows[0].last_dialogue_minutes is True


def test_scope_of_the_dashboard(cast, world):
    assert [r.employer.code for r in page(cast.officer, cast.unit, "all").rows] == ["DN-TB-E001"]
    assert [r.employer.code for r in page(cast.sibling, cast.sibling_unit, "all").rows] == ["DN-TB-E002"]
    # All never held, unions founded the same day: by id.
    assert [r.employer.code for r in page(cast.admin, cast.root, "all").rows] == ["DN-TB-E001", "DN-TB-E002", "KH-E001"]
    for actor, unit in ((cast.officer, cast.commune), (cast.sibling, cast.unit), (cast.outsider, cast.commune)):
        with pytest.raises(NotFound):
            page(actor, unit)


def test_keyset_pages(cast, world):
    first = page(cast.admin, cast.root, "all", limit=2)
    assert len(first.rows) == 2 and first.next_cursor
    second = page(cast.admin, cast.root, "all", limit=2, cursor=first.next_cursor)
    assert second.next_cursor is None
    seen = [r.employer.code for r in first.rows + second.rows]
    assert sorted(seen) == ["DN-TB-E001", "DN-TB-E002", "KH-E001"]
    with pytest.raises(DomainError):
        page(cast.admin, cast.root, "all", cursor="not-a-cursor")
    with pytest.raises(DomainError):
        page(cast.admin, cast.root, "nonsense")


def test_no_rule_in_force(cast, world):
    ObligationRule.objects.all().delete()
    with pytest.raises(DomainError, match="No workplace-democracy rule is in force"):
        page(cast.officer, cast.unit)


def test_the_queries_do_not_grow_with_the_employers(cast, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page(cast.admin, cast.root, "all")
