"""Reported figures and reporting rounds: who may enter them, what is refused, and what the report shows."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.reports import periods, services
from unionhall.reports.figures import summary_build
from unionhall.reports.models import ReportedFigure, ReportingRound

TODAY = dt.date(2026, 11, 26)
Y2025 = periods.year(2025)


def figures_state():
    return (
        sorted(ReportedFigure.objects.values_list("unit__code", "indicator", "value", "note", "version")),
        AuditEntry.objects.count(),
    )


def rounds_state():
    return (
        sorted(ReportingRound.objects.values_list("unit__code", "title", "period_start", "period_end", "due_date")),
        AuditEntry.objects.count(),
    )


def test_an_officer_reports_a_figure_the_report_shows_as_reported(cast):
    audits = AuditEntry.objects.count()
    figure = services.figure_report(
        actor=cast.officer, unit=cast.unit, indicator="dialogues.held", period=Y2025, value=12, note="Sổ theo dõi"
    )
    assert (figure.value, figure.note, figure.entered_by, figure.version) == (12, "Sổ theo dõi", cast.officer.pk, 1)
    changed = services.figure_report(
        actor=cast.officer, unit=cast.unit, indicator="dialogues.held", period=Y2025, value=14, version=1
    )
    assert (changed.pk, changed.value, changed.version) == (figure.pk, 14, 2)
    assert AuditEntry.objects.count() == audits + 2
    report = summary_build(unit=cast.commune, period=Y2025, today=TODAY)
    assert (report.total.value("dialogues.held"), report.total.figures["dialogues.held"].reported) == (14, True)
    row = next(r for r in report.children if r.unit.code == "DN-TB-001")
    assert (row.value("dialogues.held"), row.figures["dialogues.held"].reported) == (14, True)


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [
        ("sibling", NotFound, "Unit DN-TB-001 was not found."),
        ("outsider", NotFound, "Unit DN-TB-001 was not found."),
    ],
)
def test_who_may_not_report_a_figure(cast, who, error, message):
    before = figures_state()
    with pytest.raises(error) as caught:
        services.figure_report(
            actor=getattr(cast, who), unit=cast.unit, indicator="dialogues.held", period=Y2025, value=1
        )
    assert str(caught.value) == message
    assert figures_state() == before


def test_a_viewer_sees_but_may_not_report(cast):
    from conftest import grant, make_user

    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    before = figures_state()
    with pytest.raises(Forbidden):
        services.figure_report(actor=viewer, unit=cast.unit, indicator="dialogues.held", period=Y2025, value=1)
    assert figures_state() == before


@pytest.mark.parametrize(
    ("indicator", "value", "field", "message"),
    [
        (
            "dialogues.overdue_employers",
            1,
            "indicator",
            "Employers overdue for a dialogue is always counted from the records; it cannot be reported.",
        ),
        ("nope", 1, "indicator", "Choose an indicator of the catalogue."),
        ("dialogues.held", -1, "value", "The number cannot be negative."),
        ("dialogues.held", 1.5, "value", "Enter a whole number."),
    ],
)
def test_bad_reported_figures_are_refused(cast, indicator, value, field, message):
    before = figures_state()
    with pytest.raises(DomainError) as caught:
        services.figure_report(actor=cast.officer, unit=cast.unit, indicator=indicator, period=Y2025, value=value)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert figures_state() == before


def test_withdrawing_a_reported_figure(cast):
    figure = services.figure_report(
        actor=cast.officer, unit=cast.unit, indicator="dialogues.held", period=Y2025, value=3
    )
    before = figures_state()
    with pytest.raises(NotFound):
        services.figure_withdraw(actor=cast.sibling, figure=figure)
    assert figures_state() == before
    services.figure_withdraw(actor=cast.parent, figure=figure)
    assert figures_state() == ([], before[1] + 1)
    assert AuditEntry.objects.latest("id").action == "report.figure_withdraw"


def test_opening_a_reporting_round(cast):
    reporting_round = services.round_open(
        actor=cast.parent, unit=cast.commune, title="Báo cáo tổng kết 2025", period=Y2025, due_date=dt.date(2026, 1, 10)
    )
    assert rounds_state()[0] == [
        ("DN-TB", "Báo cáo tổng kết 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 10))
    ]
    assert reporting_round.opened_by == cast.parent.pk
    assert AuditEntry.objects.latest("id").action == "report.round_open"
    before = rounds_state()
    with pytest.raises(Conflict) as caught:
        services.round_open(actor=cast.parent, unit=cast.commune, title="Lần hai", period=Y2025, due_date=TODAY)
    assert str(caught.value) == "A reporting round for this period is already open."
    assert rounds_state() == before


@pytest.mark.parametrize(
    ("who", "unit", "title", "due", "error", "message"),
    [
        ("officer", "commune", "T", dt.date(2026, 1, 10), NotFound, "Unit DN-TB was not found."),
        ("outsider", "commune", "T", dt.date(2026, 1, 10), NotFound, "Unit DN-TB was not found."),
        ("parent", "commune", "  ", dt.date(2026, 1, 10), DomainError, "This field is required."),
        (
            "parent",
            "commune",
            "T",
            dt.date(2024, 12, 31),
            DomainError,
            "The reports cannot be due before the period starts (Jan 1, 2025).",
        ),
    ],
)
def test_bad_rounds_are_refused(cast, who, unit, title, due, error, message):
    before = rounds_state()
    with pytest.raises(error) as caught:
        services.round_open(actor=getattr(cast, who), unit=getattr(cast, unit), title=title, period=Y2025, due_date=due)
    assert str(caught.value) == message
    assert rounds_state() == before
