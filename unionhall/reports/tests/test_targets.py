"""Targets an upper unit sets for its direct units: who may, what is refused, and the report's progress."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members.tests.people import register
from unionhall.reports import periods, services
from unionhall.reports.figures import summary_build
from unionhall.reports.models import Target
from unionhall.reports.summary import Progress

TODAY = dt.date(2026, 11, 26)
Y2025 = periods.year(2025)


def state():
    return (
        sorted(Target.objects.values_list("unit__code", "set_by__code", "indicator", "value", "note", "version")),
        AuditEntry.objects.count(),
    )


def test_the_parent_sets_a_target_then_changes_it(cast):
    audits = AuditEntry.objects.count()
    target = services.target_set(
        actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2025, value=8450, note="Nghị quyết"
    )
    assert (target.unit, target.set_by, target.value, target.note, target.version) == (
        cast.unit,
        cast.commune,
        8450,
        "Nghị quyết",
        1,
    )
    assert (target.period_start, target.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.after["value"], entry.after["set_by"]) == ("report.target_set", 8450, "DN-TB")
    changed = services.target_set(
        actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2025, value=9000, version=1
    )
    assert (changed.pk, changed.value, changed.note, changed.version) == (target.pk, 9000, "", 2)
    assert AuditEntry.objects.count() == audits + 2
    again = services.target_set(actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2025, value=9000)
    assert again.version == 2
    assert AuditEntry.objects.count() == audits + 2


def test_a_stale_version_is_refused(cast):
    services.target_set(actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2025, value=10)
    before = state()
    with pytest.raises(Conflict):
        services.target_set(
            actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2025, value=11, version=7
        )
    assert state() == before


@pytest.mark.parametrize(
    ("who", "unit", "error", "message"),
    [
        ("officer", "unit", Forbidden, "The targets of DN-TB-001 are set by DN-TB."),
        ("sibling", "unit", NotFound, "Unit DN-TB-001 was not found."),
        ("outsider", "unit", NotFound, "Unit DN-TB-001 was not found."),
        ("admin", "root", DomainError, "Unit VN has no unit above it on Dec 31, 2025 to set its targets."),
    ],
)
def test_who_may_not_set_a_target(cast, who, unit, error, message):
    before = state()
    with pytest.raises(error) as caught:
        services.target_set(
            actor=getattr(cast, who), unit=getattr(cast, unit), indicator="members.joined", period=Y2025, value=5
        )
    assert str(caught.value) == message
    assert state() == before


def test_the_officer_sets_targets_for_the_units_below_it(cast):
    target = services.target_set(actor=cast.officer, unit=cast.section, indicator="awards.count", period=Y2025, value=3)
    assert (target.set_by, target.value) == (cast.unit, 3)


@pytest.mark.parametrize(
    ("indicator", "value", "field", "message"),
    [
        ("members.nope", 5, "indicator", "Choose an indicator of the catalogue."),
        ("members.joined", 0, "value", "A target is more than zero."),
        ("members.joined", -3, "value", "The number cannot be negative."),
        ("members.joined", "7", "value", "Enter a whole number."),
        ("members.joined", 10**16, "value", "The number is at most 1,000,000,000,000,000."),
    ],
)
def test_bad_targets_are_refused(cast, indicator, value, field, message):
    before = state()
    with pytest.raises(DomainError) as caught:
        services.target_set(actor=cast.parent, unit=cast.unit, indicator=indicator, period=Y2025, value=value)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert state() == before


def test_assigning_targets_to_the_direct_units_at_once(cast):
    services.target_set(actor=cast.parent, unit=cast.sibling_unit, indicator="members.joined", period=Y2025, value=4)
    audits = AuditEntry.objects.count()
    saved = services.targets_assign(
        actor=cast.parent,
        set_by=cast.commune,
        indicator="members.joined",
        period=Y2025,
        values={cast.unit: 120, cast.sibling_unit: None},
    )
    assert [(t.unit.code, t.value) for t in saved] == [("DN-TB-001", 120)]
    assert state()[0] == [("DN-TB-001", "DN-TB", "members.joined", 120, "", 1)]
    assert AuditEntry.objects.count() == audits + 2
    assert list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:2]) == [
        "report.target_delete",
        "report.target_set",
    ]


def test_assigning_to_a_unit_not_directly_below_changes_nothing(cast):
    before = state()
    with pytest.raises(DomainError) as caught:
        services.targets_assign(
            actor=cast.parent,
            set_by=cast.commune,
            indicator="members.joined",
            period=Y2025,
            values={cast.unit: 10, cast.section: 5},
        )
    assert str(caught.value) == "Unit DN-TB-001-S1 is not directly under DN-TB on Dec 31, 2025."
    assert state() == before


def test_deleting_a_target(cast):
    target = services.target_set(actor=cast.parent, unit=cast.unit, indicator="members.joined", period=Y2025, value=9)
    before = state()
    with pytest.raises(Forbidden):
        services.target_delete(actor=cast.officer, target=target)
    with pytest.raises(NotFound):
        services.target_delete(actor=cast.sibling, target=target)
    assert state() == before
    services.target_delete(actor=cast.parent, target=target)
    assert state() == ([], before[1] + 1)


def test_the_report_shows_progress_against_the_targets(cast):
    y2024 = periods.year(2024)
    for day, name in ((dt.date(2024, 3, 1), "Nguyễn Văn An"), (dt.date(2024, 4, 1), "Trần Văn Bình")):
        register(cast.admin, cast.unit, name, join_date=day)
    services.target_set(actor=cast.parent, unit=cast.unit, indicator="members.joined", period=y2024, value=3)
    report = summary_build(unit=cast.commune, period=y2024, today=TODAY)
    row = next(r for r in report.children if r.unit.code == "DN-TB-001")
    assert row.targets == {"members.joined": Progress(target=3, value=2)}
    assert str(row.targets["members.joined"].percent) == "66.67"
