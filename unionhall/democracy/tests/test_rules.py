"""The seeded rules (Decree 145/2020 Art. 38 bands, the yearly obligations), the composition check and due dates."""

import datetime as dt

import pytest

from unionhall.democracy import composition, rules
from unionhall.democracy.choices import ComplianceState
from unionhall.democracy.composition import Issue, composition_issues
from unionhall.democracy.deadlines import add_months, thresholds
from unionhall.democracy.models import CompositionBand

DAY = dt.date(2025, 3, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headcount", "low", "high"),
    [
        (1, 3, None),
        (49, 3, None),
        (50, 4, 8),
        (149, 4, 8),
        (150, 9, 13),
        (299, 9, 13),
        (300, 14, 18),
        (499, 14, 18),
        (500, 19, 23),
        (999, 19, 23),
        (1000, 24, None),
        (250_000, 24, None),
    ],
)
def test_the_band_for_each_headcount_boundary(headcount, low, high):
    band = rules.band_for(headcount, DAY)
    assert (band.employee_side_min, band.employee_side_max, band.employer_side_min) == (low, high, 3)


@pytest.mark.django_db
def test_the_seeded_bands_and_their_sources():
    rows = list(
        CompositionBand.objects.order_by("headcount_from").values_list(
            "valid_from", "headcount_from", "headcount_to", "employee_side_min", "employee_side_max", "certainty"
        )
    )
    start = dt.date(2021, 2, 1)
    assert rows == [
        (start, 0, 50, 3, None, "S"),
        (start, 50, 150, 4, 8, "S"),
        (start, 150, 300, 9, 13, "S"),
        (start, 300, 500, 14, 18, "S"),
        (start, 500, 1000, 19, 23, "S"),
        (start, 1000, None, 24, None, "M"),
    ]


@pytest.mark.django_db
def test_no_band_before_decree_145_and_a_later_band_replaces_it():
    assert rules.band_for(120, dt.date(2021, 1, 31)) is None
    CompositionBand.objects.filter(headcount_from=50).update(valid_to=dt.date(2026, 1, 1))
    CompositionBand.objects.create(
        valid_from=dt.date(2026, 1, 1), headcount_from=50, headcount_to=150, employee_side_min=5, legal_basis="X"
    )
    assert rules.band_for(120, dt.date(2025, 12, 31)).employee_side_min == 4
    assert rules.band_for(120, dt.date(2026, 1, 1)).employee_side_min == 5


@pytest.mark.django_db
def test_the_obligation_rule_in_force():
    assert rules.obligation_rule_on(dt.date(2021, 1, 31)) is None
    rule = rules.obligation_rule_on(DAY)
    assert (rule.dialogue_every_months, rule.conference_every_months, rule.due_soon_days, rule.certainty) == (
        12,
        12,
        60,
        "M",
    )


def _band(low=4, high=8, employer=3) -> CompositionBand:
    return CompositionBand(
        headcount_from=50, headcount_to=150, employee_side_min=low, employee_side_max=high, employer_side_min=employer
    )


def test_a_composition_within_the_band_has_no_issues():
    assert (
        composition_issues(
            band=_band(), headcount=120, employer_side=3, legal_representative_present=True, employee_side=4
        )
        == []
    )
    assert (
        composition_issues(
            band=_band(), headcount=120, employer_side=7, legal_representative_present=True, employee_side=8
        )
        == []
    )


def test_every_broken_rule_is_listed_with_its_figures():
    issues = composition_issues(
        band=_band(), headcount=120, employer_side=2, legal_representative_present=False, employee_side=3
    )
    assert issues == [
        Issue(composition.EMPLOYER_SIDE_SHORT, 2, 3, 120),
        Issue(composition.LEGAL_REPRESENTATIVE_ABSENT, 0, 1, 120),
        Issue(composition.EMPLOYEE_SIDE_SHORT, 3, 4, 120),
    ]
    assert [i.message for i in issues] == [
        "The employer side has 2 participants; at least 3 are required.",
        "The employer's legal representative must take part on the employer side.",
        "The employee side has 3 representatives; with 120 employees at least 4 are required.",
    ]


def test_too_many_employee_representatives():
    issues = composition_issues(
        band=_band(), headcount=120, employer_side=3, legal_representative_present=True, employee_side=9
    )
    assert issues == [Issue(composition.EMPLOYEE_SIDE_OVER, 9, 8, 120)]
    assert issues[0].message == "The employee side has 9 representatives; with 120 employees at most 8."
    assert Issue.from_dict(issues[0].as_dict()) == issues[0]


def test_no_upper_limit_in_an_open_band():
    band = _band(low=24, high=None)
    assert (
        composition_issues(
            band=band, headcount=5000, employer_side=3, legal_representative_present=True, employee_side=60
        )
        == []
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 3, 10), 12, dt.date(2025, 3, 10)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 3, 31), -1, dt.date(2025, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_states_at_their_boundaries():
    t = thresholds(today=dt.date(2025, 3, 15), every_months=12, due_soon_days=60)
    # Due on 2025-03-15 (today): still due soon; due on the 14th: overdue.
    assert t.state(dt.date(2024, 3, 15)) == ComplianceState.DUE_SOON
    assert t.state(dt.date(2024, 3, 14)) == ComplianceState.OVERDUE
    # Due 60 days ahead (2025-05-14): due soon; 61 days ahead: up to date.
    assert t.state(dt.date(2024, 5, 14)) == ComplianceState.DUE_SOON
    assert t.state(dt.date(2024, 5, 15)) == ComplianceState.UP_TO_DATE
    assert (t.overdue_before, t.due_soon_before) == (dt.date(2024, 3, 15), dt.date(2024, 5, 15))
    assert t.due_on(dt.date(2024, 3, 14)) == dt.date(2025, 3, 14)


def test_thresholds_across_a_month_end():
    # Reference dates 29 Feb and 28 Feb 2024 are both due on 28 Feb 2025.
    t = thresholds(today=dt.date(2025, 2, 28), every_months=12, due_soon_days=0)
    assert t.state(dt.date(2024, 2, 27)) == ComplianceState.OVERDUE
    assert t.state(dt.date(2024, 2, 28)) == ComplianceState.DUE_SOON
    assert t.state(dt.date(2024, 2, 29)) == ComplianceState.DUE_SOON
    assert t.state(dt.date(2024, 3, 1)) == ComplianceState.UP_TO_DATE
    t = thresholds(today=dt.date(2025, 3, 1), every_months=12, due_soon_days=0)
    assert t.state(dt.date(2024, 2, 29)) == ComplianceState.OVERDUE
    assert t.state(dt.date(2024, 3, 1)) == ComplianceState.DUE_SOON


@pytest.mark.django_db
def test_the_dialogue_spans_follow_the_rule_in_force_each_day():
    """The seeded rule (12 months from 2021-02-01), a later one overlapping it for 2025 (the latest start wins),
    one of the same interval right after (joined), and a gap before the seeded rule (no span)."""
    from unionhall.democracy.models import ObligationRule

    def rule(start, end, months):
        ObligationRule.objects.create(valid_from=start, valid_to=end, dialogue_every_months=months, legal_basis="x")

    rule(dt.date(2025, 1, 1), dt.date(2026, 1, 1), 24)
    rule(dt.date(2026, 1, 1), dt.date(2027, 1, 1), 24)
    rule(dt.date(2019, 1, 1), dt.date(2020, 1, 1), 6)
    assert [(s.starts, s.ends, s.every_months) for s in rules.dialogue_spans()] == [
        (dt.date(2019, 1, 1), dt.date(2020, 1, 1), 6),
        (dt.date(2021, 2, 1), dt.date(2025, 1, 1), 12),
        (dt.date(2025, 1, 1), dt.date(2027, 1, 1), 24),
        (dt.date(2027, 1, 1), None, 12),
    ]
    ObligationRule.objects.all().delete()
    assert rules.dialogue_spans() == []
