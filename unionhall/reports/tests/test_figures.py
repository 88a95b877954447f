"""Summary figures from the records and from the roll-ups: exact values, shared items, freshness, tree at period end."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from unionhall.activities.tests.fixtures import create, kind
from unionhall.democracy.tests.fixtures import record_dialogue, world  # noqa: F401 - a fixture
from unionhall.members import services as members
from unionhall.members.tests.people import details, register
from unionhall.reports import periods
from unionhall.reports.figures import summary_build
from unionhall.reports.models import Rollup, RollupBalance, RollupState, RollupYear
from unionhall.reports.periods import Period
from unionhall.reports.rollup import STOCKS, rollup_rebuild, rollup_refresh

TODAY = dt.date(2026, 11, 26)
UTC = dt.UTC
Y2023_2025 = periods.years(2023, 2025)


@pytest.fixture
def people(cast):
    """Three members of the grassroots union (one a woman, one who left in 2024) and one of its sibling."""
    admin = cast.admin
    de = register(admin, cast.unit, "Nguyễn Văn Đệ", join_date=dt.date(2021, 3, 1))
    hoa = register(admin, cast.unit, "Trần Thị Hoa", join_date=dt.date(2023, 6, 1), gender="female")
    tam = register(admin, cast.unit, "Lê Văn Tâm", join_date=dt.date(2023, 7, 1))
    lan = register(admin, cast.sibling_unit, "Phạm Thị Lan", join_date=dt.date(2024, 2, 1), gender="female")
    members.membership_end(
        actor=admin, membership=tam.memberships.get(), reason="left_job", day=dt.date(2024, 5, 31), today=TODAY
    )
    return {"de": de, "hoa": hoa, "tam": tam, "lan": lan}


def values(row, *codes):
    return {code: row.value(code) for code in codes}


MEMBERS = ("members.active", "members.women", "members.joined", "members.ended")


@pytest.mark.parametrize("fast", [True, False])
def test_members_rolled_up_the_tree(cast, people, fast):
    if fast:
        rollup_rebuild()
    report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert (report.as_of is not None) is fast
    assert values(report.total, *MEMBERS) == {
        "members.active": 3,
        "members.women": 2,
        "members.joined": 3,
        "members.ended": 1,
    }
    assert report.total.figures["members.ended"].breakdown == {"reason": {"left_job": 1}}
    rows = {row.unit.code: values(row, *MEMBERS) for row in report.children}
    assert rows == {
        "DN-TB-001": {"members.active": 2, "members.women": 1, "members.joined": 2, "members.ended": 1},
        "DN-TB-002": {"members.active": 1, "members.women": 1, "members.joined": 1, "members.ended": 0},
    }
    # The previous three years: only Đệ, who joined in 2021.
    assert values(report.total, "members.active", "members.joined") == {"members.active": 3, "members.joined": 3}
    assert report.total.previous["members.active"].value == 1
    assert report.total.previous["members.joined"].value == 1
    assert report.total.change("members.active") == 2


def test_an_activity_of_two_units_counts_once_in_their_parent(cast, people):
    shared = create(
        cast.admin, cast.unit, co_organisers=(cast.sibling_unit,), starts_at=dt.datetime(2024, 4, 2, 1, tzinfo=UTC)
    )
    create(cast.admin, cast.unit, starts_at=dt.datetime(2024, 5, 2, 1, tzinfo=UTC), kind=kind("training"))
    assert shared.pk
    for fast in (False, True):
        if fast:
            rollup_rebuild()
        report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
        assert report.total.value("activities.count") == 2
        assert report.total.figures["activities.count"].breakdown == {"kind": {"dissemination": 1, "training": 1}}
        rows = {row.unit.code: row.value("activities.count") for row in report.children}
        assert rows == {"DN-TB-001": 2, "DN-TB-002": 1}
        assert report.children_overlap == {"activities.count": 1}


def test_rollups_follow_new_records_from_the_audit_log(cast, people):
    rollup_rebuild()
    register(cast.admin, cast.sibling_unit, "Võ Văn Nam", join_date=dt.date(2024, 11, 3))
    state = RollupState.objects.get()
    report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert report.total.value("members.active") == 4
    assert report.as_of is not None and report.as_of > state.refreshed_at
    assert (
        Rollup.objects.filter(ancestor=cast.root, indicator="members.joined", month=dt.date(2024, 11, 1)).get().value
        == 1
    )
    assert rollup_refresh().pending == 0


def _rollups() -> dict[str, dict[tuple, int]]:
    """Every roll-up row that is not zero (a refresh may leave zeros where a rebuild writes nothing)."""
    return {
        "month": {(r.ancestor_id, r.month, r.indicator, r.key): r.value for r in Rollup.objects.exclude(value=0)},
        "year": {(r.ancestor_id, r.year, r.indicator, r.key): r.value for r in RollupYear.objects.exclude(value=0)},
        "balance": {
            (r.ancestor_id, r.year, r.indicator, r.key): r.value for r in RollupBalance.objects.exclude(value=0)
        },
    }


def test_a_refresh_pushes_only_what_changed_and_leaves_what_a_rebuild_writes(cast, people):
    rollup_rebuild()
    before = _rollups()
    register(cast.admin, cast.unit, "Võ Văn Nam", join_date=dt.date(2024, 11, 3), gender="female")
    members.membership_end(
        actor=cast.admin,
        membership=people["de"].memberships.get(),
        reason="resigned",
        day=dt.date(2025, 2, 10),
        today=TODAY,
    )
    assert rollup_refresh().owners == 1
    refreshed = _rollups()
    changed = {
        grain: {
            k for k in refreshed[grain].keys() | before[grain].keys() if refreshed[grain].get(k) != before[grain].get(k)
        }
        for grain in refreshed
    }
    # The union's four ancestors and itself, for the months and years the two changes touched, and no other.
    assert {key[1] for key in changed["month"]} == {dt.date(2024, 11, 1), dt.date(2025, 2, 1)}
    assert {key[0] for key in changed["month"]} == {cast.root.pk, cast.province.pk, cast.commune.pk, cast.unit.pk}
    # The balances of the years from the change on: the new member from 2024, the one who left from 2025.
    assert {key[1] for key in changed["balance"]} == {2024, 2025, 2026}
    assert before["balance"][cast.unit.pk, 2026, "members.active", ""] == 2
    assert refreshed["balance"][cast.unit.pk, 2026, "members.active", ""] == 2
    assert refreshed["balance"][cast.unit.pk, 2024, "members.active", ""] == 3
    assert refreshed["balance"][cast.root.pk, 2026, "members.women", ""] == 3
    # A report reads the balances and the yearly roll-ups without filtering them: stocks only, flows only.
    assert {key[2] for key in refreshed["balance"]} == {"members.active", "members.women", "units.grassroots.active"}
    assert {key[2] for key in refreshed["balance"]} <= set(STOCKS)
    assert refreshed["year"] and not {key[2] for key in refreshed["year"]} & set(STOCKS)
    rollup_rebuild()
    assert _rollups() == refreshed


def test_stock_balances_run_from_the_first_change_to_the_last_year(cast, people):
    rollup_rebuild(now=dt.datetime(2024, 6, 1, tzinfo=UTC))
    unit = {
        (r.year, r.indicator): r.value
        for r in RollupBalance.objects.filter(ancestor=cast.unit).exclude(indicator="units.grassroots.active")
    }
    # Đệ joined in 2021, Hoa and Tâm in 2023, Tâm left in 2024: nothing is written before the first change.
    assert unit == {
        (2021, "members.active"): 1,
        (2022, "members.active"): 1,
        (2023, "members.active"): 3,
        (2023, "members.women"): 1,
        (2024, "members.active"): 2,
        (2024, "members.women"): 1,
    }
    assert RollupState.objects.get().balance_year == 2024


def test_a_stock_change_in_a_year_after_the_balances_extends_them(cast, people):
    rollup_rebuild(now=dt.datetime(2024, 6, 1, tzinfo=UTC))
    members.person_create(
        actor=cast.admin,
        unit=cast.sibling_unit,
        join_date=dt.date(2025, 3, 4),
        details=details("Võ Văn Nam"),
        today=TODAY,
    )
    assert rollup_refresh().balance_year == 2025
    state = RollupState.objects.get()
    assert state.balance_year == 2025
    refreshed = _rollups()["balance"]
    # Every subtree's balance carried into 2025, the sibling union's and its ancestors' with the new member.
    assert refreshed[cast.unit.pk, 2025, "members.active", ""] == 2
    assert refreshed[cast.sibling_unit.pk, 2025, "members.active", ""] == 2
    assert refreshed[cast.root.pk, 2025, "members.active", ""] == 4
    assert refreshed[cast.root.pk, 2024, "members.active", ""] == 3
    # A later period's stocks stand as at the end of the last year of balances.
    report = summary_build(unit=cast.commune, period=periods.years(2026, 2026), today=TODAY)
    assert report.as_of is not None
    assert values(report.total, "members.active", "members.women", "members.joined") == {
        "members.active": 4,
        "members.women": 2,
        "members.joined": 0,
    }
    rollup_rebuild(now=dt.datetime(2024, 6, 1, tzinfo=UTC))
    assert _rollups()["balance"] == refreshed
    assert RollupState.objects.get().balance_year == 2025


def test_the_balances_migration_counts_from_the_records_until_the_worker_rebuilds(cast, people):
    from unionhall.reports import tasks

    rollup_rebuild()
    # As an installation stood before the migration: roll-ups built, no balances.
    RollupBalance.objects.all().delete()
    RollupState.objects.update(balance_year=None)
    migration = importlib.import_module("unionhall.reports.migrations.0003_rollup_balances")
    assert any(getattr(op, "code", None) is migration.rebuild_needed for op in migration.Migration.operations)
    historical = MigrationLoader(connection).project_state(("reports", "0003_rollup_balances")).apps
    migration.rebuild_needed(historical, None)
    state = RollupState.objects.get()
    assert (state.rebuilt_at, state.refreshed_at, state.balance_year) == (None, None, None)
    expected = {"members.active": 3, "members.women": 2, "members.joined": 3, "members.ended": 1}
    counted = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert counted.as_of is None
    assert values(counted.total, *MEMBERS) == expected
    assert not RollupBalance.objects.exists()
    tasks.rollup_refresh_task.call()
    assert RollupState.objects.get().balance_year == timezone.localdate().year
    assert RollupBalance.objects.get(ancestor=cast.commune, year=2025, indicator="members.active", key="").value == 3
    rebuilt = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert rebuilt.as_of is not None
    assert values(rebuilt.total, *MEMBERS) == expected


def test_days_not_whole_months_are_counted_from_the_records(cast, people):
    rollup_rebuild()
    report = summary_build(unit=cast.unit, period=Period(dt.date(2023, 6, 2), dt.date(2024, 5, 30)), today=TODAY)
    assert report.as_of is None
    assert values(report.total, *MEMBERS) == {
        "members.active": 3,
        "members.women": 1,
        "members.joined": 1,
        "members.ended": 0,
    }


def test_a_report_behind_many_changes_says_so_and_the_worker_catches_up(cast, people, monkeypatch):
    from unionhall.reports import figures, tasks

    rollup_rebuild()
    monkeypatch.setattr(figures, "INLINE_REFRESH_LIMIT", 1)
    register(cast.admin, cast.sibling_unit, "Võ Văn Nam", join_date=dt.date(2024, 11, 3))
    stale = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert (stale.total.value("members.active"), stale.pending) == (3, 2)
    tasks.rollup_refresh_task.call()
    fresh = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert (fresh.total.value("members.active"), fresh.pending) == (4, 0)


def test_a_transfer_waiting_for_the_worker_is_counted_from_the_records(cast, people):
    from unionhall.orgunits import services as orgunits

    rollup_rebuild()
    orgunits.unit_transfer(
        actor=cast.admin,
        units=[cast.sibling_unit],
        new_parent=cast.province,
        decision=orgunits.Decision(dt.date(2025, 6, 1), "Sắp xếp lại"),
        today=TODAY,
    )
    report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    # The roll-ups still hold the old tree: the report is counted from the records, and says changes wait.
    assert report.as_of is None
    assert [row.unit.code for row in report.children] == ["DN-TB-001"]
    assert report.total.value("members.active") == 2
    assert RollupState.objects.get().tree_changed


def test_reported_figures_replace_the_count_in_both_periods_and_drop_the_breakdown(cast, people):
    from unionhall.reports.models import ReportedFigure

    for period, value in ((Y2023_2025, 40), (periods.years(2020, 2022), 25)):
        ReportedFigure.objects.create(
            unit=cast.sibling_unit,
            indicator="members.ended",
            period_start=period.start,
            period_end=period.end,
            value=value,
        )
    report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    ended = report.total.figures["members.ended"]
    assert (ended.value, ended.reported, ended.breakdown) == (41, True, {"reason": {}})
    assert report.total.previous["members.ended"].value == 25
    assert report.total.change("members.ended") == 16


@pytest.mark.parametrize("fast", [True, False])
def test_employers_overdue_for_a_dialogue_at_each_period_end(cast, world, fast):  # noqa: F811 - the fixture
    """Dialogues are due every 12 months since Decree 145 (2021-02-01). Sông Mây held one on 2025-03-10:
    overdue at the end of 2022, not at the end of 2025; Hòa Phát never held one: overdue at both."""
    record_dialogue(cast.officer, cast.unit, world.song_may)
    if fast:
        rollup_rebuild()
    report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
    assert (report.as_of is not None) is fast
    code = "dialogues.overdue_employers"
    assert (report.total.value(code), report.total.previous[code].value) == (1, 2)
    assert {row.unit.code: (row.value(code), row.previous[code].value) for row in report.children} == {
        "DN-TB-001": (0, 1),
        "DN-TB-002": (1, 1),
        "DN-TB-E001": (0, 0),
        "DN-TB-E002": (0, 0),
    }
    # Cam Ranh's union stands in the other province.
    other = summary_build(unit=cast.other_province, period=Y2023_2025, today=TODAY)
    assert (other.total.value(code), other.total.previous[code].value) == (1, 1)


@pytest.mark.parametrize("fast", [True, False])
def test_a_dialogue_before_the_last_twelve_months_leaves_the_employer_overdue(cast, world, fast):  # noqa: F811
    """At the end of 2025 a periodic dialogue is due within the twelve months before: Hòa Phát's of 2024-06-10
    is overdue, its next one of 2025-06-10 is not. At the end of 2022 neither had been held."""
    code = "dialogues.overdue_employers"
    record_dialogue(cast.admin, cast.sibling_unit, world.hoa_phat, day=dt.date(2024, 6, 10))
    counts = []
    for later in (None, dt.date(2025, 6, 10)):
        if later:
            record_dialogue(cast.admin, cast.sibling_unit, world.hoa_phat, day=later)
        if fast:
            rollup_rebuild()
        report = summary_build(unit=cast.commune, period=Y2023_2025, today=TODAY)
        assert (report.as_of is not None) is fast
        row = next(r for r in report.children if r.unit.code == "DN-TB-002")
        counts.append((report.total.value(code), report.total.previous[code].value, row.value(code)))
    assert counts == [(2, 2, 1), (1, 2, 0)]


OVERDUE = "dialogues.overdue_employers"


def _overdue_by_union(cast, period=Y2023_2025):
    """The commune's count and its two unions' counts, and whether the roll-ups answered."""
    report = summary_build(unit=cast.commune, period=period, today=TODAY)
    rows = {row.unit.code: row.value(OVERDUE) for row in report.children if row.unit.code in ("DN-TB-001", "DN-TB-002")}
    return report.total.value(OVERDUE), rows, report.as_of is not None


def test_employers_overdue_follow_the_dialogues_as_they_are_recorded_and_changed(cast, world):  # noqa: F811
    """After a rebuild, a dialogue recorded for Hòa Phát, then changed to have been held with Sông Mây: each
    report's refresh moves the count, and leaves the roll-ups as a rebuild writes them."""
    from unionhall.democracy import services
    from unionhall.democracy.tests.fixtures import activity, at, sides

    rollup_rebuild()
    assert _overdue_by_union(cast) == (2, {"DN-TB-001": 1, "DN-TB-002": 1}, True)
    held = dt.date(2025, 6, 10)
    dialogue = record_dialogue(cast.admin, cast.commune, world.hoa_phat, day=held)
    assert _overdue_by_union(cast) == (1, {"DN-TB-001": 1, "DN-TB-002": 0}, True)
    refreshed = _rollups()
    rollup_rebuild()
    assert _rollups() == refreshed
    services.dialogue_update(
        actor=cast.admin,
        dialogue=dialogue,
        activity=activity(starts_at=at(held)),
        details=sides(world.song_may),
        version=1,
        today=TODAY,
    )
    assert _overdue_by_union(cast) == (1, {"DN-TB-001": 0, "DN-TB-002": 1}, True)
    refreshed = _rollups()
    # Sông Mây's union, founded 2020-01-01, was due on 2021-01-01: overdue from 2021-02-01, when the seeded rule
    # came into force, until the dialogue of 2025-06-10, and again from the day after 2026-06-10.
    song_may = {k[1]: v for k, v in refreshed["month"].items() if k[0] == cast.unit.pk and k[2] == OVERDUE}
    assert song_may == {dt.date(2021, 2, 1): 1, dt.date(2025, 6, 1): -1, dt.date(2026, 6, 1): 1}
    rollup_rebuild()
    assert _rollups() == refreshed


def test_a_new_dialogue_rule_counts_from_the_records_until_the_worker_rebuilds(cast, world):  # noqa: F811
    """From 2025 a periodic dialogue falls due every 24 months: Hòa Phát's of 2024-06-10 is then not overdue at
    the end of 2025. The rule's change is audited; reports count from the records until the rebuild."""
    from unionhall.audit.recorder import record
    from unionhall.democracy.models import ObligationRule

    record_dialogue(cast.admin, cast.sibling_unit, world.hoa_phat, day=dt.date(2024, 6, 10))
    rollup_rebuild()
    assert _overdue_by_union(cast) == (2, {"DN-TB-001": 1, "DN-TB-002": 1}, True)
    seeded = ObligationRule.objects.get()
    seeded.valid_to = dt.date(2025, 1, 1)
    seeded.save()
    record(actor=cast.admin, action="admin.change", obj=seeded)
    later = ObligationRule.objects.create(valid_from=dt.date(2025, 1, 1), dialogue_every_months=24, legal_basis="x")
    record(actor=cast.admin, action="admin.add", obj=later)
    assert _overdue_by_union(cast) == (1, {"DN-TB-001": 1, "DN-TB-002": 0}, False)
    assert RollupState.objects.get().tree_changed
    rollup_refresh()  # the worker's: a rebuild
    assert _overdue_by_union(cast) == (1, {"DN-TB-001": 1, "DN-TB-002": 0}, True)


@pytest.mark.parametrize("day", [dt.date(2025, 2, 28), dt.date(2025, 3, 1)])
def test_a_dialogue_on_29_february_falls_due_on_the_last_day_of_february(cast, world, day):  # noqa: F811
    """A dialogue of 2024-02-29 is due on 2025-02-28 (`democracy.deadlines`), overdue from 2025-03-01: the
    count from the records, by the database's date arithmetic, agrees with the compliance thresholds."""
    from unionhall.democracy.choices import ComplianceState
    from unionhall.democracy.selectors import obligations_on

    record_dialogue(cast.admin, cast.sibling_unit, world.hoa_phat, day=dt.date(2024, 2, 29))
    record_dialogue(cast.admin, cast.unit, world.song_may, day=dt.date(2024, 11, 1))
    overdue = obligations_on(day).dialogue.state(dt.date(2024, 2, 29)) == ComplianceState.OVERDUE
    assert overdue is (day.month == 3)
    total, rows, fast = _overdue_by_union(cast, Period(dt.date(2025, 1, 1), day))
    assert (total, rows, fast) == (int(overdue), {"DN-TB-001": 0, "DN-TB-002": int(overdue)}, False)


def test_a_union_moving_to_another_employer_moves_the_overdue_employer(cast, world):  # noqa: F811 - the fixture
    """Sông Mây's union is recorded as Hòa Phát's after a rebuild: Sông Mây, left without a union, is no longer
    judged; Hòa Phát counts once in the commune and once under each of its two unions."""
    from unionhall.democracy.tests.fixtures import set_employer

    # Recorded by the commune: the union's own records do not lead to Sông Mây, its item's units do.
    record_dialogue(cast.admin, cast.commune, world.song_may, day=dt.date(2025, 6, 10))
    rollup_rebuild()
    assert _overdue_by_union(cast) == (1, {"DN-TB-001": 0, "DN-TB-002": 1}, True)
    set_employer(cast.admin, cast.unit, world.hoa_phat)
    assert _overdue_by_union(cast) == (1, {"DN-TB-001": 1, "DN-TB-002": 1}, True)
    refreshed = _rollups()
    rollup_rebuild()
    assert _rollups() == refreshed
