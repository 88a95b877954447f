"""The Decree 13/2012 clocks as pure functions: exact due dates and overdue flags."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from unionhall.initiatives import deadlines
from unionhall.initiatives.models import InitiativeRule

RULE = SimpleNamespace(
    valid_from=dt.date(2012, 4, 25),
    valid_to=None,
    request_window_months=12,
    examine_months=1,
    amend_months=1,
    decide_months=3,
    remuneration_percent=Decimal(7),
    remuneration_years=3,
    transfer_percent=Decimal(15),
    transfer_years=3,
    payment_months=1,
)


def initiative(**values):
    base = {
        "status": "draft",
        "first_applied_on": dt.date(2024, 3, 1),
        "requested_on": None,
        "examined_on": None,
        "amendment_requested_on": None,
        "amended_on": None,
        "decided_on": None,
    }
    return SimpleNamespace(**{**base, **values})


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 3, 15), 12, dt.date(2025, 3, 15)),
        (dt.date(2024, 11, 30), 3, dt.date(2025, 2, 28)),
        (dt.date(2024, 12, 31), 1, dt.date(2025, 1, 31)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
    ],
)
def test_add_months(day, months, expected):
    assert deadlines.add_months(day, months) == expected


@pytest.mark.parametrize("months", [1, 3, 12])
def test_first_day_not_overdue_is_exactly_the_boundary(months):
    for offset in range(0, 400, 7):
        today = dt.date(2024, 1, 1) + dt.timedelta(days=offset)
        cut = deadlines.first_day_not_overdue(today, months)
        assert deadlines.add_months(cut, months) >= today
        assert deadlines.add_months(cut - dt.timedelta(days=1), months) < today


def test_the_request_bar_is_one_year_after_first_application():
    assert deadlines.request_bar(dt.date(2024, 3, 1), RULE) == dt.date(2025, 3, 1)


def test_examination_is_due_a_month_after_the_request_or_the_amendment():
    assert deadlines.examination_due(requested_on=dt.date(2024, 6, 3), amended_on=None, rule=RULE) == dt.date(
        2024, 7, 3
    )
    assert deadlines.examination_due(
        requested_on=dt.date(2024, 6, 3), amended_on=dt.date(2024, 7, 10), rule=RULE
    ) == dt.date(2024, 8, 10)


def test_amendment_and_decision_due_dates():
    assert deadlines.amendment_due(dt.date(2024, 6, 20), RULE) == dt.date(2024, 7, 20)
    assert deadlines.decision_due(dt.date(2024, 6, 20), RULE) == dt.date(2024, 9, 20)


def test_a_years_remuneration_is_due_a_month_after_the_year_but_not_before_recognition():
    assert deadlines.year_end_due(2024, dt.date(2024, 9, 10), RULE) == dt.date(2025, 1, 31)
    # Year 1 ended before the recognition: due a month after the recognition.
    assert deadlines.year_end_due(2023, dt.date(2024, 9, 10), RULE) == dt.date(2024, 10, 10)


def test_transfers_are_remunerated_within_three_years_of_recognition():
    recognised = dt.date(2024, 9, 10)
    assert deadlines.transfer_due(dt.date(2025, 1, 31), RULE) == dt.date(2025, 2, 28)
    assert deadlines.transfer_remunerated(received_on=dt.date(2027, 9, 10), recognised_on=recognised, rule=RULE)
    assert not deadlines.transfer_remunerated(received_on=dt.date(2027, 9, 11), recognised_on=recognised, rule=RULE)
    assert not deadlines.transfer_remunerated(received_on=dt.date(2024, 9, 9), recognised_on=recognised, rule=RULE)
    assert not deadlines.transfer_remunerated(received_on=dt.date(2025, 1, 1), recognised_on=None, rule=RULE)


def test_year_index_counts_calendar_years_from_the_first_application():
    assert deadlines.year_index(year=2024, first_applied_on=dt.date(2024, 11, 1)) == 1
    assert deadlines.year_index(year=2026, first_applied_on=dt.date(2024, 11, 1)) == 3


def test_rule_in_force_picks_the_rule_by_its_dates():
    old = SimpleNamespace(valid_from=dt.date(2012, 4, 25), valid_to=dt.date(2026, 1, 1))
    new = SimpleNamespace(valid_from=dt.date(2026, 1, 1), valid_to=None)
    assert deadlines.rule_in_force([new, old], dt.date(2025, 12, 31)) is old
    assert deadlines.rule_in_force([new, old], dt.date(2026, 1, 1)) is new
    assert deadlines.rule_in_force([new, old], dt.date(2012, 4, 24)) is None
    assert deadlines.rule_day(first_applied_on=dt.date(2024, 3, 1), requested_on=None) == dt.date(2024, 3, 1)
    assert deadlines.rule_day(first_applied_on=dt.date(2024, 3, 1), requested_on=dt.date(2024, 6, 3)) == dt.date(
        2024, 6, 3
    )


def test_a_draft_is_flagged_once_the_request_bar_has_passed():
    draft = initiative()
    (step,) = deadlines.procedure_steps(draft, RULE, dt.date(2025, 3, 1))
    assert (step.code, step.due, step.overdue) == ("request", dt.date(2025, 3, 1), False)
    (step,) = deadlines.procedure_steps(draft, RULE, dt.date(2025, 3, 2))
    assert step.overdue


def test_a_submitted_request_is_flagged_when_not_examined_within_a_month():
    submitted = initiative(status="submitted", requested_on=dt.date(2024, 6, 3))
    steps = deadlines.procedure_steps(submitted, RULE, dt.date(2024, 7, 3))
    assert [(s.code, s.due, s.done, s.overdue) for s in steps] == [
        ("request", dt.date(2025, 3, 1), dt.date(2024, 6, 3), False),
        ("examine", dt.date(2024, 7, 3), None, False),
    ]
    assert deadlines.procedure_steps(submitted, RULE, dt.date(2024, 7, 4))[-1].overdue


def test_an_amendment_is_flagged_after_its_month():
    waiting = initiative(
        status="needs_amendment",
        requested_on=dt.date(2024, 6, 3),
        examined_on=dt.date(2024, 6, 20),
        amendment_requested_on=dt.date(2024, 6, 20),
    )
    steps = deadlines.procedure_steps(waiting, RULE, dt.date(2024, 7, 21))
    assert [(s.code, s.overdue) for s in steps] == [("request", False), ("examine", False), ("amend", True)]
    assert steps[-1].due == dt.date(2024, 7, 20)


def test_an_accepted_request_is_flagged_when_not_decided_within_three_months():
    accepted = initiative(status="accepted", requested_on=dt.date(2024, 6, 3), examined_on=dt.date(2024, 6, 20))
    assert not deadlines.procedure_steps(accepted, RULE, dt.date(2024, 9, 20))[-1].overdue
    late = deadlines.procedure_steps(accepted, RULE, dt.date(2024, 9, 21))[-1]
    assert (late.code, late.due, late.overdue) == ("decide", dt.date(2024, 9, 20), True)


def test_a_decided_initiative_has_no_open_clock():
    done = initiative(
        status="recognised",
        requested_on=dt.date(2024, 6, 3),
        examined_on=dt.date(2024, 6, 20),
        decided_on=dt.date(2024, 12, 1),
    )
    steps = deadlines.procedure_steps(done, RULE, dt.date(2025, 6, 1))
    assert [(s.code, s.done, s.overdue) for s in steps] == [
        ("request", dt.date(2024, 6, 3), False),
        ("examine", dt.date(2024, 6, 20), False),
        ("decide", dt.date(2024, 12, 1), False),
    ]


def test_no_rule_no_clock():
    assert deadlines.procedure_steps(initiative(), None, dt.date(2030, 1, 1)) == []


@pytest.mark.django_db
def test_the_decree_is_seeded_as_a_dated_rule():
    rule = InitiativeRule.objects.in_force(dt.date(2025, 1, 1)).get()
    assert rule.valid_from == dt.date(2012, 4, 25)
    assert rule.valid_to is None
    assert rule.verified == "S"
    assert "13/2012/NĐ-CP" in rule.legal_basis
    assert (
        rule.request_window_months,
        rule.examine_months,
        rule.amend_months,
        rule.decide_months,
        rule.remuneration_percent,
        rule.remuneration_years,
        rule.transfer_percent,
        rule.transfer_years,
        rule.payment_months,
    ) == (12, 1, 1, 3, Decimal("7.00"), 3, Decimal("15.00"), 3, 1)
    assert not InitiativeRule.objects.in_force(dt.date(2012, 4, 24)).exists()
