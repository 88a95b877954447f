"""Submitting a unit's report to the unit above, and the decisions on it; the round's view of its units."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members.tests.people import register
from unionhall.reports import periods, selectors, services
from unionhall.reports.choices import ChildState
from unionhall.reports.models import Submission

UTC = dt.UTC
Y2024 = periods.year(2024)
AT = dt.datetime(2025, 1, 5, 3, tzinfo=UTC)


def state():
    return (
        sorted(Submission.objects.values_list("unit__code", "status", "version", "return_reason")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def members(cast):
    register(cast.admin, cast.unit, "Nguyễn Văn An", join_date=dt.date(2024, 3, 1))
    register(cast.admin, cast.unit, "Trần Văn Bình", join_date=dt.date(2024, 4, 1))


def test_submit_freezes_the_figures_and_sends_them_to_the_parent(cast, members):
    submission = services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, note="Kính gửi", now=AT)
    assert (submission.parent, submission.status, submission.version, submission.submitted_at) == (
        cast.commune,
        "submitted",
        1,
        AT,
    )
    assert (submission.figures["unit"], submission.figures["from"], submission.figures["to"]) == (
        "DN-TB-001",
        "2024-01-01",
        "2024-12-31",
    )
    assert submission.figures["indicators"]["members.joined"] == 2
    assert AuditEntry.objects.latest("id").action == "report.submit"
    # Frozen: later records do not change what was submitted.
    register(cast.admin, cast.unit, "Lê Văn Cường", join_date=dt.date(2024, 5, 1))
    submission.refresh_from_db()
    assert submission.figures["indicators"]["members.joined"] == 2
    lines = {line.item.code: line for part in selectors.frozen_sections(submission.figures) for line in part.lines}
    assert (lines["members.joined"].value, lines["members.active"].value) == (2, 2)


def test_submitting_again_is_refused_until_sent_back(cast, members):
    submission = services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    before = state()
    with pytest.raises(Conflict) as caught:
        services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    assert str(caught.value) == "The report for this period was already submitted (Submitted)."
    assert state() == before
    returned = services.submission_return(actor=cast.parent, submission=submission, reason="Thiếu số liệu", version=1)
    assert (returned.status, returned.return_reason, returned.version, returned.decided_by) == (
        "returned",
        "Thiếu số liệu",
        2,
        cast.parent.pk,
    )
    register(cast.admin, cast.unit, "Lê Văn Cường", join_date=dt.date(2024, 5, 1))
    again = services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    assert (again.pk, again.status, again.version, again.return_reason) == (submission.pk, "submitted", 3, "")
    assert again.figures["indicators"]["members.joined"] == 3
    accepted = services.submission_accept(actor=cast.parent, submission=again)
    assert (accepted.status, accepted.version) == ("accepted", 4)
    before = state()
    with pytest.raises(Conflict):
        services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    with pytest.raises(Conflict):
        services.submission_accept(actor=cast.parent, submission=again)
    assert state() == before


@pytest.mark.parametrize(
    ("who", "unit", "error", "message"),
    [
        ("sibling", "unit", NotFound, "Unit DN-TB-001 was not found."),
        ("outsider", "unit", NotFound, "Unit DN-TB-001 was not found."),
        ("admin", "root", DomainError, "Unit VN has no unit above it on Dec 31, 2024 to submit its report to."),
    ],
)
def test_who_may_not_submit(cast, who, unit, error, message):
    before = state()
    with pytest.raises(error) as caught:
        services.submission_submit(actor=getattr(cast, who), unit=getattr(cast, unit), period=Y2024, now=AT)
    assert str(caught.value) == message
    assert state() == before


@pytest.mark.parametrize(("who", "error"), [("officer", Forbidden), ("sibling", NotFound), ("outsider", NotFound)])
def test_only_the_parent_decides(cast, who, error):
    submission = services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    before = state()
    with pytest.raises(error):
        services.submission_accept(actor=getattr(cast, who), submission=submission)
    with pytest.raises(error):
        services.submission_return(actor=getattr(cast, who), submission=submission, reason="x")
    assert state() == before


def test_sending_back_needs_a_reason_and_the_current_version(cast):
    submission = services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    before = state()
    with pytest.raises(DomainError) as caught:
        services.submission_return(actor=cast.parent, submission=submission, reason="  ")
    assert (caught.value.field, str(caught.value)) == ("reason", "This field is required.")
    with pytest.raises(Conflict):
        services.submission_return(actor=cast.parent, submission=submission, reason="x", version=9)
    assert state() == before


def test_the_round_shows_where_each_unit_stands(cast):
    reporting_round = services.round_open(
        actor=cast.parent, unit=cast.commune, title="Tổng kết 2024", period=Y2024, due_date=dt.date(2025, 1, 10)
    )
    services.submission_submit(actor=cast.officer, unit=cast.unit, period=Y2024, now=AT)
    status = selectors.round_status(reporting_round=reporting_round, today=dt.date(2025, 1, 8))
    assert [(row.unit.code, row.state) for row in status.children] == [
        ("DN-TB-001", ChildState.SUBMITTED),
        ("DN-TB-002", ChildState.PENDING),
    ]
    late = selectors.round_status(reporting_round=reporting_round, today=dt.date(2025, 1, 11))
    assert [row.state for row in late.children] == [ChildState.SUBMITTED, ChildState.LATE]
    assert dict(late.counts) == {
        ChildState.SUBMITTED: 1,
        ChildState.SUBMITTED_LATE: 0,
        ChildState.RETURNED: 0,
        ChildState.ACCEPTED: 0,
        ChildState.PENDING: 0,
        ChildState.LATE: 1,
    }
    services.submission_submit(
        actor=cast.sibling, unit=cast.sibling_unit, period=Y2024, now=dt.datetime(2025, 1, 12, 3, tzinfo=UTC)
    )
    submitted = Submission.objects.get(unit=cast.unit)
    services.submission_return(actor=cast.parent, submission=submitted, reason="Sai số liệu")
    after = selectors.round_status(reporting_round=reporting_round, today=dt.date(2025, 1, 12))
    assert [row.state for row in after.children] == [ChildState.RETURNED, ChildState.SUBMITTED_LATE]
