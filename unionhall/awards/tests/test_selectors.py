"""Reads: keyset pages, scoped histories, decisions seen through their awardees, query budgets of list pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unionhall.awards import selectors, services
from unionhall.core.errors import DomainError, NotFound

from .awarding import TODAY, YEAR, decide, english, kind, member  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


def nominate(cast, person, code="giay_khen"):
    return services.nomination_create(
        actor=cast.officer, award_type=kind(code), year=YEAR, proposing_unit=cast.unit, person=person, today=TODAY
    )


def test_nominations_page_newest_first_by_key(cast):
    made = [nominate(cast, member(cast, cast.unit, f"Người {i}")) for i in range(3)]
    first = selectors.nomination_list(actor=cast.officer, limit=2)
    assert [n.pk for n in first.items] == [made[2].pk, made[1].pk]
    second = selectors.nomination_list(actor=cast.officer, limit=2, cursor=first.next_cursor)
    assert [n.pk for n in second.items] == [made[0].pk] and second.next_cursor is None
    assert selectors.nomination_list(actor=cast.sibling).items == []
    assert selectors.nomination_list(actor=cast.parent, status="draft", year=YEAR).items[0] == made[2]
    with pytest.raises(NotFound):
        selectors.nomination_list(actor=cast.officer, unit=cast.sibling_unit)


def test_a_damaged_cursor_is_a_clear_error(cast):
    with pytest.raises(DomainError) as caught:
        selectors.nomination_list(actor=cast.officer, cursor="not-a-cursor")
    assert caught.value.field == "cursor"
    with pytest.raises(DomainError):
        selectors.decision_list(actor=cast.officer, cursor="W10")


def test_decisions_page_by_signing_day_then_id(cast):
    lan = member(cast, cast.unit, "Lan")
    days = [dt.date(2024, 2, 1), dt.date(2025, 1, 20), dt.date(2025, 1, 20)]
    made = [
        decide(
            cast,
            "giay_khen",
            [(lan, 2023 + (i > 0), None)] if i < 2 else [(lan, 2022, None)],
            number=f"{i}/QĐ",
            signed_on=day,
        )
        for i, day in enumerate(days)
    ]
    first = selectors.decision_list(actor=cast.parent, limit=2)
    assert [d.pk for d in first.items] == [made[2].pk, made[1].pk]
    second = selectors.decision_list(actor=cast.parent, limit=2, cursor=first.next_cursor)
    assert [d.pk for d in second.items] == [made[0].pk]
    assert [d.pk for d in selectors.decision_list(actor=cast.parent, year=2024).items] == [made[0].pk]


def test_a_decision_is_seen_through_its_awardees_but_only_theirs(cast):
    mine, theirs = member(cast, cast.unit, "Của tôi"), member(cast, cast.sibling_unit, "Của họ")
    decision = decide(cast, "lao_dong_tien_tien", [(mine, YEAR, None), (theirs, YEAR, None)])
    assert selectors.decision_get(actor=cast.officer, pk=decision.pk) == decision
    assert [a.person for a in selectors.decision_awards(actor=cast.officer, decision=decision)] == [mine]
    assert [a.person for a in selectors.decision_awards(actor=cast.sibling, decision=decision)] == [theirs]
    assert len(selectors.decision_awards(actor=cast.parent, decision=decision)) == 2
    with pytest.raises(NotFound):
        selectors.decision_get(actor=cast.outsider, pk=decision.pk)


def test_award_history_newest_first_with_revoked_ones(cast):
    lan = member(cast, cast.unit, "Lan")
    old = decide(cast, "lao_dong_tien_tien", [(lan, 2023, None)], number="1", signed_on=dt.date(2024, 1, 25))
    new = decide(cast, "lao_dong_tien_tien", [(lan, 2024, None)], number="2")
    services.award_revoke(
        actor=cast.admin, award=old.awards.get(), reason="fraud", revoked_on=dt.date(2024, 3, 1), today=TODAY
    )
    history = selectors.award_history(actor=cast.officer, person=lan)
    assert [(a.year, a.revoked_on) for a in history] == [(2024, None), (2023, dt.date(2024, 3, 1))]
    assert history[0].decision == new
    assert selectors.award_history(actor=cast.sibling, person=lan) == []
    assert [a.year for a in selectors.award_list(actor=cast.officer, person=lan, revoked=False).items] == [2024]


@pytest.mark.parametrize("rows", [2, 8])
def test_list_pages_read_a_fixed_number_of_queries(client, cast, rows):
    people = [member(cast, cast.unit, f"Người {i}") for i in range(rows)]
    for person in people:
        nominate(cast, person)
    decide(cast, "lao_dong_tien_tien", [(p, YEAR, None) for p in people])
    client.force_login(cast.officer)
    budgets = {}
    for name in ("awards:nominations", "awards:decisions"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        budgets[name] = len(queries)
    decision = selectors.decision_list(actor=cast.officer).items[0]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("awards:decision", args=[decision.pk])).status_code == 200
    budgets["decision"] = len(queries)
    assert budgets["awards:nominations"] <= 12
    assert budgets["awards:decisions"] <= 12
    assert budgets["decision"] <= 12
