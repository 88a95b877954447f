"""Property: on random trees, lifecycles and records, every report figure equals a recount from the records.

The recount here walks the tree by parent links as it stood on the period's last day (a merged unit's
history goes with its successor, another ended unit stays under its last parent) and counts records
in Python; the product counts with SQL over materialised paths, from the roll-ups or the records.
Both paths of the product are checked: before the roll-ups are built, and after.
"""

import datetime as dt
from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Max
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import establish
from unionhall.activities import services as activities
from unionhall.activities.choices import ActivityStatus, AttendanceMode
from unionhall.activities.models import Activity, ActivityOrganiser
from unionhall.activities.tests.fixtures import details as activity_details
from unionhall.core.errors import DomainError
from unionhall.democracy.choices import ComplianceState, DialogueTrigger
from unionhall.democracy.models import Dialogue
from unionhall.democracy.selectors import obligations_on
from unionhall.democracy.tests.fixtures import record_dialogue, set_employer
from unionhall.members import services as members
from unionhall.members.models import Membership
from unionhall.members.tests.people import details as person_details
from unionhall.orgunits import services as orgunits
from unionhall.orgunits.choices import UnitStatus
from unionhall.orgunits.models import Unit, UnitPlacement
from unionhall.reports import periods
from unionhall.reports.figures import summary_build
from unionhall.reports.periods import Period
from unionhall.reports.rollup import rollup_rebuild

TODAY = dt.date(2026, 11, 26)
CHANGE_DAY = dt.date(2025, 6, 1)
PERIODS = [
    periods.years(2023, 2025),
    periods.year(2024),
    periods.half_year(2025, 2),
    periods.half_year(2025, 1),
    Period(dt.date(2023, 3, 15), dt.date(2025, 8, 20)),
    Period(dt.date(2022, 1, 1), dt.date(2025, 5, 31)),
]
CHECKED = (
    "members.active",
    "members.women",
    "members.joined",
    "members.ended",
    "units.grassroots.active",
    "units.grassroots.established",
    "units.grassroots.dissolved",
    "activities.count",
    "activities.participants",
    "dialogues.overdue_employers",
)

days = st.dates(min_value=dt.date(2021, 1, 1), max_value=CHANGE_DAY - dt.timedelta(days=1))
member = st.tuples(st.integers(0, 3), days, st.none() | st.integers(1, 900), st.booleans())
activity = st.tuples(st.lists(st.integers(0, 5), min_size=1, max_size=2, unique=True), days, st.integers(0, 40))
lifecycle = st.sampled_from(["none", "transfer", "merge", "dissolve"])
dialogue = st.tuples(st.integers(0, 3), days)


def world(cast, shape: list[int], employed: list[bool]) -> tuple[Unit, list[Unit], list[Unit]]:
    """A province with two communes holding `shape` grassroots unions each; the unions `employed` says are each
    at an employer of their own, founded with them."""
    founded = dt.date(2020, 1, 1)
    province = establish(cast.admin, cast.root, "provincial_federation", "P", "Tỉnh thử", founded)
    communes = [establish(cast.admin, province, "commune_union", f"P-C{i}", f"Xã {i}", founded) for i in range(2)]
    grassroots = []
    for c, count in enumerate(shape):
        for g in range(count):
            grassroots.append(
                establish(cast.admin, communes[c], "grassroots_union", f"P-C{c}-G{g}", f"CĐCS {c}.{g}", founded)
            )
    for index, union in enumerate(grassroots):
        if employed[index]:
            employer = establish(cast.admin, union.parent, "enterprise", f"{union.code}-E", f"Công ty {index}", founded)
            grassroots[index] = set_employer(cast.admin, union, employer)
    return province, communes, grassroots


def located_subtrees(day: dt.date) -> dict[int, set[int]]:
    """For each unit placed on `day`, the units whose records count in its subtree, walked by parent links."""
    placed = {p.unit_id: p.parent_id for p in UnitPlacement.objects.valid_on(day)}
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in placed.items():
        children[parent_id].append(unit_id)
    alias: dict[int, int] = {}
    for unit in Unit.objects.filter(ended_date__lte=day):
        if unit.merged_into_id:
            alias[unit.pk] = unit.merged_into_id
        else:
            children[unit.parent_id].append(unit.pk)

    def successor(pk: int) -> int:
        while pk in alias:
            pk = alias[pk]
        return pk

    merged_into: dict[int, list[int]] = defaultdict(list)
    for pk in alias:
        merged_into[successor(pk)].append(pk)

    def walk(pk: int) -> set[int]:
        out = {pk, *merged_into.get(pk, ())}
        for child in children.get(pk, ()):
            out |= walk(child)
        return out

    return {pk: walk(pk) for pk in placed}


def recount(units: set[int], p: Period) -> dict[str, int]:
    end = p.end
    out: dict[str, int] = defaultdict(int)
    for m in Membership.objects.filter(unit_id__in=units).select_related("person"):
        active = m.join_date <= end and (m.end_date is None or m.end_date > end)
        out["members.active"] += active
        out["members.women"] += active and m.person.gender == "female"
        out["members.joined"] += p.start <= m.join_date <= end
        out["members.ended"] += m.end_date is not None and p.start <= m.end_date <= end
    for u in Unit.objects.filter(pk__in=units, type__is_grassroots=True):
        out["units.grassroots.active"] += u.established_date <= end and (u.ended_date is None or u.ended_date > end)
        out["units.grassroots.established"] += p.start <= u.established_date <= end
        out["units.grassroots.dissolved"] += (
            u.status == UnitStatus.DISSOLVED and u.ended_date is not None and p.start <= u.ended_date <= end
        )
    held = Activity.objects.filter(status=ActivityStatus.HELD)
    ids = set(ActivityOrganiser.objects.filter(unit_id__in=units).values_list("activity_id", flat=True))
    for a in held.filter(pk__in=ids):
        if p.start <= dt.datetime.date(a.starts_at.astimezone(dt.timezone(dt.timedelta(hours=7)))) <= end:
            out["activities.count"] += 1
            out["activities.participants"] += a.participants
    out["dialogues.overdue_employers"] = overdue_employers(units, end)
    return {code: int(out[code]) for code in CHECKED}


def overdue_employers(units: set[int], end: dt.date) -> int:
    """Employers of the subtree's unions standing on `end` whose last periodic dialogue by then, or without
    one their union's founding (each has one union here), was overdue by the compliance thresholds."""

    def standing(unit: Unit) -> bool:
        return unit.established_date <= end and (unit.ended_date is None or unit.ended_date > end)

    thresholds = obligations_on(end).dialogue
    overdue = set()
    for union in Unit.objects.filter(pk__in=units, employer__isnull=False).select_related("employer"):
        if not (standing(union) and standing(union.employer)):
            continue
        held = Dialogue.objects.filter(
            employer=union.employer,
            trigger=DialogueTrigger.PERIODIC,
            activity__status=ActivityStatus.HELD,
            held_on__lte=end,
        ).aggregate(last=Max("held_on"))["last"]
        if thresholds.state(held or union.established_date) == ComplianceState.OVERDUE:
            overdue.add(union.employer_id)
    return len(overdue)


@pytest.mark.django_db
# No shrinking: each example builds a world through the services, and a failure prints its values anyway.
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    employed=st.lists(st.booleans(), min_size=4, max_size=4),
    people=st.lists(member, max_size=8),
    events=st.lists(activity, max_size=4),
    dialogues=st.lists(dialogue, max_size=4),
    change=lifecycle,
    period=st.sampled_from(PERIODS),
)
def test_every_figure_equals_a_recount(cast, shape, employed, people, events, dialogues, change, period):
    with transaction.atomic():
        _province, communes, grassroots = world(cast, list(shape), employed)
        units = [*communes, *grassroots]
        for index, (g, joined, stay, female) in enumerate(people):
            unit = grassroots[g % len(grassroots)]
            person = members.person_create(
                actor=cast.admin,
                unit=unit,
                join_date=joined,
                details=person_details(f"Người {index}", gender="female" if female else "male"),
                today=TODAY,
            )
            left = joined + dt.timedelta(days=stay) if stay else None
            if left and left < CHANGE_DAY:
                members.membership_end(
                    actor=cast.admin, membership=person.memberships.get(), reason="left_job", day=left, today=TODAY
                )
        for organisers, day, count in events:
            chosen = [units[i % len(units)] for i in organisers]
            starts = dt.datetime.combine(day, dt.time(1), tzinfo=dt.UTC)
            made = activities.activity_create(
                actor=cast.admin,
                unit=chosen[0],
                details=activity_details(
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    attendance_mode=AttendanceMode.COUNTED,
                    co_organisers=tuple(u for u in chosen[1:] if u.pk != chosen[0].pk),
                ),
            )
            activities.headcounts_set(actor=cast.admin, activity=made, counts={"worker": (count, 0)} if count else {})
        for g, day in dialogues:
            union = grassroots[g % len(grassroots)]
            if union.employer_id:
                record_dialogue(cast.admin, union, union.employer, day=day)
        decision = orgunits.Decision(CHANGE_DAY, "Sắp xếp lại")
        first = grassroots[0]
        if change == "transfer":
            orgunits.unit_transfer(
                actor=cast.admin, units=[first], new_parent=communes[1], decision=decision, today=TODAY
            )
        elif change == "merge" and len(grassroots) > 1:
            orgunits.unit_merge(
                actor=cast.admin, sources=[first], target=grassroots[-1], decision=decision, today=TODAY
            )
        elif change == "dissolve":
            orgunits.unit_dissolve(actor=cast.admin, units=[first], decision=decision, today=TODAY)

        subtrees = located_subtrees(period.end)
        for built in (False, True):
            if built:
                rollup_rebuild()
            for unit in Unit.objects.filter(code__startswith="P"):
                if unit.pk not in subtrees:
                    with pytest.raises(DomainError):
                        summary_build(unit=unit, period=period, today=TODAY, trend=0)
                    continue
                report = summary_build(unit=unit, period=period, today=TODAY, trend=0)
                assert {c: report.total.value(c) for c in CHECKED} == recount(subtrees[unit.pk], period), (
                    unit.code,
                    built,
                )
                for row in report.children:
                    assert {c: row.value(c) for c in CHECKED} == recount(subtrees[row.unit.id], period), (
                        unit.code,
                        row.unit.code,
                        built,
                    )
        transaction.set_rollback(True)
