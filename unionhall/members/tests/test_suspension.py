"""Suspending and resuming a membership: exact rows, audit entries, and nothing changed on a refusal."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError, NotFound
from unionhall.members import services
from unionhall.members.models import Membership, OfficerTerm, Person
from unionhall.orgunits import services as unit_services

from .people import JOINED, TODAY, fresh, register
from .snapshots import members_state

SUSPENDED = dt.date(2024, 6, 1)
RESUMED = dt.date(2024, 9, 1)


def state() -> dict:
    return {
        **members_state(),
        "suspensions": list(Membership.objects.order_by("pk").values_list("suspended_on", "suspension_reason")),
    }


def refused(error_type, service, /, **kwargs):
    before = state()
    with pytest.raises(error_type) as info:
        service(**kwargs)
    assert type(info.value) is error_type
    assert state() == before
    return info.value


def row(membership: Membership) -> tuple:
    membership.refresh_from_db()
    return (
        membership.status,
        membership.suspended_on,
        membership.suspension_reason,
        membership.end_reason,
        membership.end_date,
        membership.version,
    )


def last_audit() -> tuple:
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    return entry.action, entry.unit_path, entry.before, entry.after


@pytest.fixture
def de(cast) -> Person:
    return register(cast.officer, cast.unit)


@pytest.fixture
def membership(de) -> Membership:
    return Membership.objects.get(person=de)


def suspend(actor, membership, day=SUSPENDED, reason="Nợ đoàn phí 6 tháng"):
    return services.membership_suspend(actor=actor, membership=membership, day=day, reason=reason, today=TODAY)


def test_suspend_keeps_when_and_why_and_ends_officer_terms(cast, de, membership):
    term = services.officer_appoint(
        actor=cast.officer, membership=membership, position="chair", term_start=JOINED, today=TODAY
    )
    before = AuditEntry.objects.count()
    result = suspend(fresh(cast.officer), membership, reason="  Nợ đoàn phí 6 tháng ")
    assert result.pk == membership.pk
    assert row(membership) == ("suspended", SUSPENDED, "Nợ đoàn phí 6 tháng", "", None, 2)
    term.refresh_from_db()
    assert term.term_end == SUSPENDED
    assert AuditEntry.objects.count() == before + 2
    entries = list(AuditEntry.objects.order_by("-id")[:2].values_list("action", "object_type", "before", "after"))
    entries.reverse()
    path = cast.unit.path
    assert AuditEntry.objects.order_by("-id").first().unit_path == path
    assert entries[0] == (
        "membership.suspend",
        "members.membership",
        {
            "member_code": de.member_code,
            "unit": "DN-TB-001",
            "join_date": "2021-03-01",
            "status": "active",
            "end_reason": "",
            "end_date": None,
        },
        {
            "member_code": de.member_code,
            "unit": "DN-TB-001",
            "join_date": "2021-03-01",
            "status": "suspended",
            "end_reason": "",
            "end_date": None,
            "suspended_on": "2024-06-01",
            "suspension_reason": "Nợ đoàn phí 6 tháng",
        },
    )
    assert entries[1] == (
        "membership.suspend",
        "members.officerterm",
        {"term_end": None},
        {"position": "chair", "term_end": "2024-06-01"},
    )


def test_resume_clears_the_suspension_and_the_log_keeps_it(cast, de, membership):
    suspend(cast.officer, membership)
    result = services.membership_resume(actor=cast.officer, membership=membership, day=RESUMED, today=TODAY)
    assert result.status == "active"
    assert row(membership) == ("active", None, "", "", None, 3)
    action, path, before, after = last_audit()
    assert (action, path) == ("membership.resume", cast.unit.path)
    assert (before["status"], before["suspended_on"], before["suspension_reason"]) == (
        "suspended",
        "2024-06-01",
        "Nợ đoàn phí 6 tháng",
    )
    assert after == {
        "member_code": de.member_code,
        "unit": "DN-TB-001",
        "join_date": "2021-03-01",
        "status": "active",
        "end_reason": "",
        "end_date": None,
        "resumed_on": "2024-09-01",
    }
    # A suspended member is not appointed; once resumed they are.
    services.officer_appoint(
        actor=cast.officer, membership=membership, position="chair", term_start=RESUMED, today=TODAY
    )
    assert OfficerTerm.objects.filter(membership=membership, term_end__isnull=True).count() == 1


def test_the_parent_may_suspend_and_the_admin_resume(cast, membership):
    suspend(cast.parent, membership)
    services.membership_resume(actor=cast.admin, membership=membership, day=SUSPENDED, today=TODAY)
    assert row(membership)[:3] == ("active", None, "")


@pytest.mark.parametrize(
    ("day", "reason", "field", "message"),
    [
        (dt.date(2025, 1, 16), "Lý do", "day", "The date cannot be in the future."),
        (dt.date(2021, 2, 28), "Lý do", "day", "The date is before the start (01/03/2021)."),
        (None, "Lý do", "day", "This date is required."),
        (SUSPENDED, "   ", "reason", "Give the reason for the suspension."),
        (SUSPENDED, "x" * 201, "reason", "This field has at most 200 characters."),
        (SUSPENDED, "bad\x00", "reason", None),
    ],
)
def test_bad_suspensions_are_refused(cast, membership, day, reason, field, message):
    error = refused(
        DomainError,
        services.membership_suspend,
        actor=cast.officer,
        membership=membership,
        day=day,
        reason=reason,
        today=TODAY,
    )
    assert error.field == field
    if message is not None:
        assert str(error) == message


def test_suspending_twice_or_a_closed_membership_is_refused(cast, membership):
    suspend(cast.officer, membership)
    error = refused(
        DomainError,
        services.membership_suspend,
        actor=cast.officer,
        membership=membership,
        day=SUSPENDED,
        reason="Again",
        today=TODAY,
    )
    assert (str(error), error.code) == ("This membership is already suspended (since 01/06/2024).", "suspended")
    services.membership_end(actor=cast.officer, membership=membership, reason="resigned", day=RESUMED, today=TODAY)
    # The ended membership keeps when and why it was suspended.
    assert row(membership) == ("ended", SUSPENDED, "Nợ đoàn phí 6 tháng", "resigned", RESUMED, 3)
    for service, extra in (
        (services.membership_suspend, {"reason": "Again"}),
        (services.membership_resume, {}),
    ):
        error = refused(
            DomainError, service, actor=cast.officer, membership=membership, day=RESUMED, today=TODAY, **extra
        )
        assert (str(error), error.code) == ("This membership has already ended.", "ended")


def test_bad_resumptions_are_refused(cast, membership):
    error = refused(
        DomainError, services.membership_resume, actor=cast.officer, membership=membership, day=RESUMED, today=TODAY
    )
    assert (str(error), error.code) == ("This membership is not suspended.", "not_suspended")
    suspend(cast.officer, membership)
    for day, message in (
        (dt.date(2024, 5, 31), "The date is before the start (01/06/2024)."),
        (dt.date(2025, 1, 16), "The date cannot be in the future."),
    ):
        error = refused(
            DomainError, services.membership_resume, actor=cast.officer, membership=membership, day=day, today=TODAY
        )
        assert (str(error), error.field) == (message, "day")


def test_a_suspended_membership_ends_no_earlier_than_its_suspension(cast, membership):
    suspend(cast.officer, membership)
    for service, extra, field in (
        (services.membership_end, {"reason": "resigned"}, "end_date"),
        (services.membership_transfer, {"new_unit": cast.section}, "day"),
    ):
        error = refused(
            DomainError,
            service,
            actor=cast.officer,
            membership=membership,
            day=dt.date(2024, 5, 1),
            today=TODAY,
            **extra,
        )
        assert (str(error), error.field) == ("The date is before the start (01/06/2024).", field)


def test_a_transfer_carries_the_suspension_to_the_new_unit(cast, membership):
    suspend(cast.officer, membership)
    new = services.membership_transfer(
        actor=cast.officer, membership=membership, new_unit=cast.section, day=RESUMED, today=TODAY
    )
    assert row(membership) == ("ended", SUSPENDED, "Nợ đoàn phí 6 tháng", "transferred", RESUMED, 3)
    assert row(new) == ("suspended", RESUMED, "Nợ đoàn phí 6 tháng", "", None, 1)


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_out_of_scope_is_not_found(cast, membership, who):
    error = refused(
        NotFound,
        services.membership_suspend,
        actor=getattr(cast, who),
        membership=membership,
        day=SUSPENDED,
        reason="Lý do",
        today=TODAY,
    )
    assert str(error) == "Unit DN-TB-001 was not found."
    suspend(cast.officer, membership)
    error = refused(
        NotFound,
        services.membership_resume,
        actor=getattr(cast, who),
        membership=membership,
        day=RESUMED,
        today=TODAY,
    )
    assert str(error) == "Unit DN-TB-001 was not found."


def test_a_viewer_cannot_suspend(cast, membership):
    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    refused(
        NotFound,
        services.membership_suspend,
        actor=viewer,
        membership=membership,
        day=SUSPENDED,
        reason="Lý do",
        today=TODAY,
    )


def test_the_database_refuses_a_suspension_without_its_date_or_reason(cast, membership):
    for values in (
        {"status": "suspended"},
        {"status": "suspended", "suspended_on": SUSPENDED},
        {"status": "active", "suspended_on": SUSPENDED, "suspension_reason": "x"},
        {"status": "suspended", "suspended_on": dt.date(2020, 1, 1), "suspension_reason": "x"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(**values)


def test_a_merger_carries_a_suspension_and_refuses_an_earlier_date(cast, membership):
    suspend(cast.officer, membership)
    decision = unit_services.Decision(dt.date(2024, 5, 1), "Hợp nhất")
    with pytest.raises(DomainError) as info:
        unit_services.unit_merge(
            actor=cast.admin, sources=[cast.unit], target=cast.sibling_unit, decision=decision, today=TODAY
        )
    assert info.value.code == "member_suspended_later"
    assert row(membership)[0] == "suspended"
    decision = unit_services.Decision(RESUMED, "Hợp nhất")
    unit_services.unit_merge(
        actor=cast.admin, sources=[cast.unit], target=cast.sibling_unit, decision=decision, today=TODAY
    )
    new = Membership.objects.get(person=membership.person, unit=cast.sibling_unit)
    assert row(new) == ("suspended", RESUMED, "Nợ đoàn phí 6 tháng", "", None, 1)
