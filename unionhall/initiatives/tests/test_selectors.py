"""Reads: the scoped list with keyset pages and filters, the set-wise "overdue" filter (checked against the
pure clocks), one initiative's detail, and the figures initiatives add to a movement's results."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unionhall.core.errors import DomainError, NotFound
from unionhall.initiatives import selectors, services
from unionhall.initiatives.models import Initiative, InitiativeAuthor
from unionhall.movements import results

from .stories import EXAMINED, RECOGNISED, REQUESTED, TODAY, accepted, draft, movement, people, recognised, submitted


@pytest.fixture
def authors(cast):
    lan, binh = people(cast)
    return [(lan, "60"), (binh, "40")]


@pytest.fixture
def many(cast, authors):
    """Initiatives in every state, some late, some not, one in the sibling unit."""
    campaign = movement(cast)
    made = {
        "draft": draft(cast, authors, title="draft"),
        "fresh_draft": draft(cast, authors, title="fresh draft", first_applied_on=dt.date(2025, 1, 10)),
        "submitted": submitted(cast, authors, title="submitted", movement=campaign),
        "accepted": accepted(cast, authors, title="accepted", movement=campaign),
        "recognised_paid": recognised(cast, authors, number="SK-1", title="paid", movement=campaign),
        "recognised_unpaid": recognised(cast, authors, number="SK-2", title="unpaid"),
        "sibling": draft(cast, None, unit=cast.sibling_unit, title="sibling"),
    }
    paid, unpaid = made["recognised_paid"], made["recognised_unpaid"]
    for initiative in (paid, unpaid):
        services.benefit_record(actor=cast.admin, initiative=initiative, year=2024, amount_vnd=100_000_001, today=TODAY)
    for author in InitiativeAuthor.objects.filter(initiative=paid):
        # 7 % x 100,000,001 x share, rounded up: 4,200,001 and 2,800,001.
        amount = 4_200_001 if author.share == 60 else 2_800_001
        services.remuneration_pay(
            actor=cast.admin, author=author, year_index=1, amount_vnd=amount, paid_on=dt.date(2025, 1, 10), today=TODAY
        )
    # One dong short for one author of the other.
    short = InitiativeAuthor.objects.get(initiative=unpaid, share=40)
    services.remuneration_pay(
        actor=cast.admin, author=short, year_index=1, amount_vnd=2_800_000, paid_on=dt.date(2025, 1, 10), today=TODAY
    )
    full = InitiativeAuthor.objects.get(initiative=unpaid, share=60)
    services.remuneration_pay(
        actor=cast.admin, author=full, year_index=1, amount_vnd=4_200_001, paid_on=dt.date(2025, 1, 10), today=TODAY
    )
    made["movement"] = campaign
    return made


def titles(page) -> list[str]:
    return [row.initiative.title for row in page.rows]


def test_the_list_is_scoped_and_newest_first(cast, many):
    page = selectors.initiative_list(actor=cast.officer, today=TODAY)
    assert titles(page) == ["unpaid", "paid", "accepted", "submitted", "fresh draft", "draft"]
    assert titles(selectors.initiative_list(actor=cast.sibling, today=TODAY)) == ["sibling"]
    assert titles(selectors.initiative_list(actor=cast.outsider, today=TODAY)) == []
    assert len(selectors.initiative_list(actor=cast.admin, today=TODAY).rows) == 7


def test_keyset_pages(cast, many):
    seen = []
    cursor = None
    while True:
        page = selectors.initiative_list(actor=cast.parent, cursor=cursor, limit=3, today=TODAY)
        seen += titles(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["sibling", "unpaid", "paid", "accepted", "submitted", "fresh draft", "draft"]
    with pytest.raises(DomainError):
        selectors.initiative_list(actor=cast.parent, cursor="not-a-cursor!", today=TODAY)


def test_filters(cast, many):
    def listed(**filters):
        return titles(
            selectors.initiative_list(actor=cast.admin, filters=selectors.InitiativeFilters(**filters), today=TODAY)
        )

    assert listed(status="recognised") == ["unpaid", "paid"]
    assert listed(level="grassroots") == ["unpaid", "paid"]
    assert listed(movement_id=many["movement"].pk) == ["paid", "accepted", "submitted"]
    assert listed(unit=cast.sibling_unit) == ["sibling"]
    assert listed(unit=cast.commune) == ["sibling", "unpaid", "paid", "accepted", "submitted", "fresh draft", "draft"]
    assert listed(year=2025) == ["fresh draft"]
    assert listed(year=2024) == ["sibling", "unpaid", "paid", "accepted", "submitted", "draft"]
    with pytest.raises(DomainError):
        listed(status="lost")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Before anything was late.
        (dt.date(2024, 6, 4), set()),
        # The request of 3 June 2024 waits for examination past 3 July.
        (dt.date(2024, 7, 4), {"submitted"}),
        # The acceptance of 20 June 2024 waits for a decision past 20 September.
        (dt.date(2024, 9, 21), {"submitted", "accepted"}),
        # Year 1 (2024) remuneration fell due on 31 January 2025: one author of "unpaid" is a dong short.
        (dt.date(2025, 1, 31), {"submitted", "accepted"}),
        (dt.date(2025, 2, 1), {"submitted", "accepted", "unpaid"}),
        # The drafts first applied on 1 March 2024 could be requested until 1 March 2025.
        (dt.date(2025, 3, 2), {"submitted", "accepted", "unpaid", "draft", "sibling"}),
    ],
)
def test_the_overdue_filter(cast, many, today, expected):
    page = selectors.initiative_list(actor=cast.admin, filters=selectors.InitiativeFilters(overdue=True), today=today)
    assert set(titles(page)) == expected
    # The SQL filter and the pure clocks agree, initiative by initiative.
    everything = selectors.initiative_list(actor=cast.admin, today=today)
    assert {row.initiative.title for row in everything.rows if row.overdue} == expected


def test_an_unpaid_transfer_is_overdue_a_month_after_the_price_came_in(cast, authors):
    initiative = recognised(cast, authors)
    services.transfer_record(
        actor=cast.admin, initiative=initiative, price_vnd=10_000_000, received_on=dt.date(2024, 10, 1), today=TODAY
    )
    overdue = selectors.InitiativeFilters(overdue=True)
    assert titles(selectors.initiative_list(actor=cast.admin, filters=overdue, today=dt.date(2024, 11, 1))) == []
    late = selectors.initiative_list(actor=cast.admin, filters=overdue, today=dt.date(2024, 11, 2))
    assert [row.initiative.pk for row in late.rows] == [initiative.pk]
    dues = [(d.transfer_id is not None, d.due_vnd) for d in late.rows[0].remuneration.dues]
    assert dues == [(True, 900_000), (True, 600_000)]


def test_a_list_page_takes_a_bounded_number_of_queries(cast, many):
    with CaptureQueriesContext(connection) as queries:
        page = selectors.initiative_list(actor=cast.admin, today=TODAY)
    assert len(page.rows) == 7
    assert len(queries) <= 8


def test_the_detail(cast, many):
    initiative = many["recognised_paid"]
    detail = selectors.initiative_detail(actor=cast.officer, pk=initiative.pk, today=TODAY)
    assert [a.share for a in detail.authors] == [60, 40]
    assert [(b.year, b.year_index, b.amount_vnd) for b in detail.benefits] == [(2024, 1, 100_000_001)]
    assert (detail.remuneration.due_vnd, detail.remuneration.paid_vnd, detail.remuneration.outstanding_vnd) == (
        7_000_002,
        7_000_002,
        0,
    )
    assert detail.request_bar == dt.date(2025, 3, 1)
    assert [(s.code, s.done) for s in detail.steps] == [
        ("request", REQUESTED),
        ("examine", EXAMINED),
        ("decide", RECOGNISED),
    ]
    assert not detail.overdue
    with pytest.raises(NotFound):
        selectors.initiative_detail(actor=cast.sibling, pk=initiative.pk, today=TODAY)


def test_movement_results(cast, many):
    figures = {r.code: r for r in results.results()}
    campaign = many["movement"].pk
    assert figures["initiatives_submitted"].compute([campaign]) == {campaign: 3}
    assert figures["initiatives_recognised"].compute([campaign]) == {campaign: 1}
    assert figures["initiatives_benefit_vnd"].compute([campaign]) == {campaign: 100_000_001}
    assert figures["initiatives_benefit_vnd"].money
    assert figures["initiatives_submitted"].compute([campaign + 1000]) == {}
    assert Initiative.objects.filter(movement_id=campaign).count() == 3
