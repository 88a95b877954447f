"""The authors' remuneration: at least 7 % of each of the first three years' benefit and 15 % of a transfer
price within three years of recognition, split by share and rounded up; due, paid, outstanding."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from unionhall.initiatives import remuneration

from .test_deadlines import RULE

RECOGNISED = dt.date(2024, 9, 10)


def author(pk, share):
    return SimpleNamespace(pk=pk, person_id=pk * 10, share=Decimal(share))


def benefit(year, index, amount):
    return SimpleNamespace(year=year, year_index=index, amount_vnd=amount)


def payment(author_id, amount, year_index=None, transfer_id=None):
    return SimpleNamespace(author_id=author_id, amount_vnd=amount, year_index=year_index, transfer_id=transfer_id)


def test_minimum_due_rounds_up_to_a_whole_dong():
    assert remuneration.minimum_due(100_000_000, Decimal(7), Decimal(60)) == 4_200_000
    assert remuneration.minimum_due(100_000_001, Decimal(7), Decimal("33.33")) == 2_333_101  # 2,333,100.0233...
    assert remuneration.minimum_due(1, Decimal(7), Decimal(1)) == 1
    assert remuneration.minimum_due(0, Decimal(7), Decimal(100)) == 0
    assert remuneration.minimum_due(10**15, Decimal(15), Decimal("99.99")) == 149_985_000_000_000


def test_schedule_for_three_years_and_a_transfer():
    authors = [author(1, "60"), author(2, "40")]
    benefits = [
        benefit(2024, 1, 100_000_000),
        benefit(2025, 2, 50_000_000),
        benefit(2026, 3, 10_000_000),
        benefit(2027, 4, 999_000_000),  # the fourth year earns nothing
    ]
    transfers = [
        SimpleNamespace(id=7, price_vnd=20_000_000, received_on=dt.date(2025, 3, 5)),
        SimpleNamespace(id=8, price_vnd=30_000_000, received_on=dt.date(2028, 1, 1)),  # too late
    ]
    payments = [
        payment(1, 4_200_000, year_index=1),
        payment(2, 1_000_000, year_index=1),
        payment(2, 1_200_000, transfer_id=7),
    ]
    summary = remuneration.schedule(
        recognised_on=RECOGNISED,
        authors=authors,
        benefits=benefits,
        transfers=transfers,
        payments=payments,
        rule=RULE,
        today=dt.date(2025, 2, 15),
    )
    table = [
        (d.author_id, d.year_index, d.transfer_id, d.due_vnd, d.due_on, d.paid_vnd, d.outstanding_vnd)
        for d in summary.dues
    ]
    assert table == [
        (1, 1, None, 4_200_000, dt.date(2025, 1, 31), 4_200_000, 0),
        (2, 1, None, 2_800_000, dt.date(2025, 1, 31), 1_000_000, 1_800_000),
        (1, 2, None, 2_100_000, dt.date(2026, 1, 31), 0, 2_100_000),
        (2, 2, None, 1_400_000, dt.date(2026, 1, 31), 0, 1_400_000),
        (1, 3, None, 420_000, dt.date(2027, 1, 31), 0, 420_000),
        (2, 3, None, 280_000, dt.date(2027, 1, 31), 0, 280_000),
        (1, None, 7, 1_800_000, dt.date(2025, 4, 5), 0, 1_800_000),
        (2, None, 7, 1_200_000, dt.date(2025, 4, 5), 1_200_000, 0),
    ]
    assert summary.due_vnd == 14_200_000
    assert summary.paid_vnd == 6_400_000
    assert summary.outstanding_vnd == 7_800_000
    # Author 2's year-1 part was due on 31 January 2025 and is short.
    assert summary.overdue
    assert [d.overdue(dt.date(2025, 2, 15)) for d in summary.dues] == [False, True, *[False] * 6]


def test_overpaying_is_allowed_and_never_negative():
    summary = remuneration.schedule(
        recognised_on=RECOGNISED,
        authors=[author(1, "100")],
        benefits=[benefit(2024, 1, 10_000_000)],
        transfers=[],
        payments=[payment(1, 2_000_000, year_index=1)],
        rule=RULE,
        today=dt.date(2026, 1, 1),
    )
    (due,) = summary.dues
    assert (due.due_vnd, due.paid_vnd, due.outstanding_vnd, summary.overdue) == (700_000, 2_000_000, 0, False)


def test_nothing_is_due_before_recognition_or_without_a_rule():
    args = {"authors": [author(1, "100")], "benefits": [benefit(2024, 1, 10)], "transfers": [], "payments": []}
    assert remuneration.schedule(recognised_on=None, rule=RULE, today=dt.date(2026, 1, 1), **args).dues == []
    assert remuneration.schedule(recognised_on=RECOGNISED, rule=None, today=dt.date(2026, 1, 1), **args).dues == []
