"""The initiative services: the Decree 13/2012 workflow with exact effects, and every bad input refused
with a clear error and nothing written."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, NotFound
from unionhall.initiatives import services
from unionhall.initiatives.models import Initiative, InitiativeAuthor, InitiativeBenefit, RemunerationPayment
from unionhall.members.tests.people import fresh, register

from .snapshots import initiatives_state
from .stories import (
    EXAMINED,
    FIRST_APPLIED,
    RECOGNISED,
    REQUESTED,
    TODAY,
    accepted,
    details,
    draft,
    movement,
    people,
    recognised,
    submitted,
)


@pytest.fixture
def authors(cast):
    lan, binh = people(cast)
    return [(lan, "60"), (binh, "40")]


def refused(error_type, call, *, code=None, field=None, message=None):
    """The call raises `error_type` (with that code, field and message) and writes nothing."""
    before = initiatives_state()
    with pytest.raises(error_type) as caught:
        call()
    assert initiatives_state() == before
    if code is not None:
        assert caught.value.code == code
    if field is not None:
        assert caught.value.field == field
    if message is not None:
        assert str(caught.value) == message
    return caught.value


# ---------------------------------------------------------------- the application


def test_create_a_draft(cast):
    initiative = services.initiative_create(actor=cast.officer, unit=cast.unit, details=details(), today=TODAY)
    initiative.refresh_from_db()
    assert (initiative.status, initiative.title, initiative.field, initiative.first_applied_on) == (
        "draft",
        "Cải tiến khuôn ép nhựa",
        "technical",
        FIRST_APPLIED,
    )
    assert initiative.estimated_benefit_vnd == 150_000_000
    assert (initiative.requested_on, initiative.level, initiative.certificate_number) == (None, None, "")
    entry = AuditEntry.objects.get(action="initiative.create")
    assert (entry.object_id, entry.unit_id, entry.after["title"], entry.after["status"]) == (
        str(initiative.pk),
        cast.unit.pk,
        "Cải tiến khuôn ép nhựa",
        "draft",
    )


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_create_outside_the_scope_is_not_found(cast, who):
    refused(
        NotFound,
        lambda: services.initiative_create(actor=getattr(cast, who), unit=cast.unit, details=details(), today=TODAY),
        field="unit",
        message="Unit DN-TB-001 was not found.",
    )


def test_the_first_application_cannot_be_in_the_future(cast):
    refused(
        DomainError,
        lambda: services.initiative_create(
            actor=cast.officer,
            unit=cast.unit,
            details=details(first_applied_on=TODAY + dt.timedelta(days=1)),
            today=TODAY,
        ),
        code="future_date",
        field="first_applied_on",
    )


def test_a_negative_estimate_is_refused(cast):
    refused(
        DomainError,
        lambda: services.initiative_create(
            actor=cast.officer, unit=cast.unit, details=details(estimated_benefit_vnd=-1), today=TODAY
        ),
        code="negative_amount",
        field="estimated_benefit_vnd",
        message="The amount cannot be negative.",
    )


def test_an_overflowing_estimate_is_refused(cast):
    refused(
        DomainError,
        lambda: services.initiative_create(
            actor=cast.officer, unit=cast.unit, details=details(estimated_benefit_vnd=10**15 + 1), today=TODAY
        ),
        code="amount_too_large",
        field="estimated_benefit_vnd",
        message="The amount is too large: at most 1,000,000,000,000,000 VND.",
    )


def test_the_largest_amount_is_accepted(cast):
    initiative = services.initiative_create(
        actor=cast.officer, unit=cast.unit, details=details(estimated_benefit_vnd=10**15), today=TODAY
    )
    assert Initiative.objects.get(pk=initiative.pk).estimated_benefit_vnd == 10**15


def test_a_title_is_required(cast):
    refused(
        DomainError,
        lambda: services.initiative_create(
            actor=cast.officer, unit=cast.unit, details=details(title="  "), today=TODAY
        ),
        field="title",
        code="required",
    )


def test_the_movement_must_reach_the_unit(cast):
    provincial = movement(cast, launcher=cast.province)
    elsewhere = movement(cast, code="khanh-hoa", launcher=cast.other_province)
    initiative = services.initiative_create(
        actor=cast.officer, unit=cast.unit, details=details(movement=provincial), today=TODAY
    )
    assert initiative.movement_id == provincial.pk
    # The officer of the unit does not see Khánh Hòa's movement; the admin sees it, but it does not reach the unit.
    refused(
        NotFound,
        lambda: services.initiative_create(
            actor=cast.officer, unit=cast.unit, details=details(movement=elsewhere), today=TODAY
        ),
        field="movement",
    )
    refused(
        DomainError,
        lambda: services.initiative_create(
            actor=cast.admin, unit=cast.unit, details=details(movement=elsewhere), today=TODAY
        ),
        code="movement_scope",
        message="Unit DN-TB-001 does not take part in movement khanh-hoa.",
    )


def test_update_a_draft_with_its_version(cast):
    initiative = draft(cast)
    updated = services.initiative_update(
        actor=cast.officer,
        initiative=initiative,
        version=initiative.version,
        details=details(title="Khuôn ép mới", estimated_benefit_vnd=0),
        today=TODAY,
    )
    assert (updated.title, updated.estimated_benefit_vnd, updated.version) == ("Khuôn ép mới", 0, 2)
    entry = AuditEntry.objects.get(action="initiative.update")
    assert (entry.before["title"], entry.after["title"]) == ("Cải tiến khuôn ép nhựa", "Khuôn ép mới")
    refused(
        Conflict,
        lambda: services.initiative_update(
            actor=cast.officer, initiative=initiative, version=1, details=details(title="X"), today=TODAY
        ),
        code="stale",
    )


def test_an_unchanged_update_writes_nothing(cast):
    initiative = draft(cast)
    before = initiatives_state()
    services.initiative_update(
        actor=cast.officer, initiative=initiative, version=initiative.version, details=details(), today=TODAY
    )
    assert initiatives_state() == before


def test_a_submitted_application_cannot_be_edited(cast, authors):
    initiative = submitted(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_update(
            actor=cast.officer, initiative=initiative, version=initiative.version, details=details(), today=TODAY
        ),
        code="wrong_status",
        message="This cannot be done to an initiative that is Submitted.",
    )


# ---------------------------------------------------------------- authors


def test_authors_and_shares(cast, authors):
    initiative = draft(cast)
    (lan, _), (binh, _) = authors
    services.authors_set(
        actor=cast.officer, initiative=initiative, authors=[(lan, Decimal("66.67")), (binh, Decimal("33.33"))]
    )
    assert sorted(InitiativeAuthor.objects.values_list("person_id", "share")) == sorted(
        [(lan.pk, Decimal("66.67")), (binh.pk, Decimal("33.33"))]
    )
    entry = AuditEntry.objects.get(action="initiative.authors")
    assert entry.before == {"authors": []}
    assert sorted(entry.after["authors"]) == sorted([[lan.member_code, "66.67"], [binh.member_code, "33.33"]])
    services.authors_set(actor=cast.officer, initiative=initiative, authors=[(lan, Decimal("100"))])
    assert list(InitiativeAuthor.objects.values_list("person_id", "share")) == [(lan.pk, Decimal("100.00"))]


def test_shares_that_do_not_sum_to_100_are_refused(cast, authors):
    initiative = draft(cast)
    (lan, _), (binh, _) = authors
    refused(
        DomainError,
        lambda: services.authors_set(
            actor=cast.officer, initiative=initiative, authors=[(lan, Decimal("60")), (binh, Decimal("30"))]
        ),
        code="shares_not_100",
        field="authors",
        message="The authors' shares add up to 90 %; they must add up to exactly 100 %.",
    )
    refused(
        DomainError,
        lambda: services.authors_set(
            actor=cast.officer, initiative=initiative, authors=[(lan, Decimal("60")), (binh, Decimal("40.01"))]
        ),
        code="shares_not_100",
    )


def test_a_zero_or_negative_share_is_refused(cast, authors):
    initiative = draft(cast)
    (lan, _), (binh, _) = authors
    for share in ("0", "-10"):
        refused(
            DomainError,
            lambda share=share: services.authors_set(
                actor=cast.officer, initiative=initiative, authors=[(lan, Decimal("100")), (binh, Decimal(share))]
            ),
            code="share_range",
        )


def test_the_same_author_twice_is_refused(cast, authors):
    initiative = draft(cast)
    (lan, _), _ = authors
    refused(
        DomainError,
        lambda: services.authors_set(
            actor=cast.officer, initiative=initiative, authors=[(lan, Decimal("50")), (lan, Decimal("50"))]
        ),
        code="duplicate",
    )


def test_authors_must_be_people_the_actor_sees(cast, authors):
    stranger = register(cast.admin, cast.other_province, "Lê Văn Khách")
    initiative = draft(cast)
    refused(
        NotFound,
        lambda: services.authors_set(
            actor=fresh(cast.officer), initiative=initiative, authors=[(stranger, Decimal("100"))]
        ),
        code="unknown_member",
        message=f"No member with code {stranger.member_code} was found.",
    )


def test_no_author_is_refused(cast):
    initiative = draft(cast)
    refused(
        DomainError,
        lambda: services.authors_set(actor=cast.officer, initiative=initiative, authors=[]),
        code="no_authors",
    )


# ---------------------------------------------------------------- the procedure


def test_the_whole_procedure(cast, authors):
    initiative = draft(cast, authors)
    initiative = services.initiative_submit(actor=cast.officer, initiative=initiative, today=REQUESTED)
    assert (initiative.status, initiative.requested_on) == ("submitted", REQUESTED)
    initiative = services.initiative_examine(
        actor=cast.officer,
        initiative=initiative,
        verdict="amend",
        note="Bổ sung số liệu",
        day=dt.date(2024, 6, 10),
        today=dt.date(2024, 6, 10),
    )
    assert (initiative.status, initiative.amendment_requested_on, initiative.amendment_note) == (
        "needs_amendment",
        dt.date(2024, 6, 10),
        "Bổ sung số liệu",
    )
    initiative = services.initiative_update(
        actor=cast.officer,
        initiative=initiative,
        version=initiative.version,
        details=details(description="Giảm phế phẩm 30 %"),
        today=dt.date(2024, 6, 15),
    )
    initiative = services.initiative_amend(actor=cast.officer, initiative=initiative, today=dt.date(2024, 7, 10))
    assert (initiative.status, initiative.amended_on) == ("submitted", dt.date(2024, 7, 10))
    initiative = services.initiative_examine(
        actor=cast.officer,
        initiative=initiative,
        verdict="accept",
        day=dt.date(2024, 7, 20),
        today=dt.date(2024, 7, 20),
    )
    assert (initiative.status, initiative.examined_on) == ("accepted", dt.date(2024, 7, 20))
    initiative = services.initiative_recognise(
        actor=cast.officer,
        initiative=initiative,
        level="grassroots",
        certificate_number="SK-2024-07",
        recognised_on=dt.date(2024, 10, 1),
        today=dt.date(2024, 10, 2),
    )
    assert (initiative.status, initiative.level, initiative.recognised_on, initiative.decided_on) == (
        "recognised",
        "grassroots",
        dt.date(2024, 10, 1),
        dt.date(2024, 10, 1),
    )
    assert initiative.certificate_number == "SK-2024-07"
    entries = AuditEntry.objects.filter(object_type="initiatives.initiative", object_id=str(initiative.pk))
    assert list(entries.order_by("pk").values_list("action", flat=True)) == [
        "initiative.create",
        "initiative.authors",
        "initiative.submit",
        "initiative.examine",
        "initiative.update",
        "initiative.amend",
        "initiative.examine",
        "initiative.recognise",
    ]


def test_submitting_without_authors_is_refused(cast):
    initiative = draft(cast)
    refused(
        DomainError,
        lambda: services.initiative_submit(actor=cast.officer, initiative=initiative, today=REQUESTED),
        code="no_authors",
    )


def test_a_request_later_than_a_year_after_first_application_is_refused(cast, authors):
    initiative = draft(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_submit(actor=cast.officer, initiative=initiative, today=dt.date(2025, 3, 2)),
        code="request_too_late",
        field="first_applied_on",
        message="Recognition must be requested within 12 months of the first application, "
        "that is by Mar 1, 2025; it is too late.",
    )
    # The last day of the year is still in time.
    initiative = services.initiative_submit(actor=cast.officer, initiative=initiative, today=dt.date(2025, 3, 1))
    assert initiative.requested_on == dt.date(2025, 3, 1)


def test_a_request_before_the_first_application_is_refused(cast, authors):
    initiative = draft(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_submit(actor=cast.officer, initiative=initiative, today=dt.date(2024, 2, 1)),
        code="date_order",
    )


def test_examining_needs_initiative_decide(cast, authors):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")  # may change initiatives, not decide
    initiative = submitted(cast, authors)
    refused(
        NotFound,
        lambda: services.initiative_examine(actor=clerk, initiative=initiative, verdict="accept", today=EXAMINED),
        message=f"Initiative {initiative.pk} was not found.",
    )


def test_asking_for_amendment_needs_a_note(cast, authors):
    initiative = submitted(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_examine(actor=cast.officer, initiative=initiative, verdict="amend", today=EXAMINED),
        field="note",
        code="required",
    )


def test_an_examination_dated_before_the_request_is_refused(cast, authors):
    initiative = submitted(cast, authors)
    error = refused(
        DomainError,
        lambda: services.initiative_examine(
            actor=cast.officer, initiative=initiative, verdict="accept", day=dt.date(2024, 6, 2), today=EXAMINED
        ),
        code="date_order",
        field="day",
    )
    assert str(error) == "The date Jun 2, 2024 is before the request (Jun 3, 2024)."


def test_rejection_at_examination(cast, authors):
    initiative = submitted(cast, authors)
    initiative = services.initiative_examine(
        actor=cast.officer, initiative=initiative, verdict="reject", note="Đã công bố", today=EXAMINED
    )
    assert (initiative.status, initiative.decided_on, initiative.decision_note) == ("rejected", EXAMINED, "Đã công bố")


def test_an_amendment_after_its_window_is_refused(cast, authors):
    initiative = submitted(cast, authors)
    initiative = services.initiative_examine(
        actor=cast.officer, initiative=initiative, verdict="amend", note="Thiếu số liệu", day=EXAMINED, today=EXAMINED
    )
    refused(
        DomainError,
        lambda: services.initiative_amend(actor=cast.officer, initiative=initiative, today=dt.date(2024, 7, 21)),
        code="amendment_too_late",
    )
    initiative = services.initiative_amend(actor=cast.officer, initiative=initiative, today=dt.date(2024, 7, 20))
    assert initiative.status == "submitted"


def test_reject_an_accepted_initiative_with_a_reason(cast, authors):
    initiative = accepted(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_reject(actor=cast.officer, initiative=initiative, note="", today=TODAY),
        field="note",
    )
    initiative = services.initiative_reject(actor=cast.officer, initiative=initiative, note="Không mới", today=TODAY)
    assert (initiative.status, initiative.decided_on) == ("rejected", TODAY)


def test_certificate_numbers_are_unique_per_unit(cast, authors):
    recognised(cast, authors, number="SK-1")
    second = accepted(cast, authors)
    refused(
        Conflict,
        lambda: services.initiative_recognise(
            actor=cast.officer,
            initiative=second,
            level="grassroots",
            certificate_number="SK-1",
            recognised_on=RECOGNISED,
            today=TODAY,
        ),
        code="duplicate_certificate",
        field="certificate_number",
        message="Certificate number SK-1 is already used in unit DN-TB-001.",
    )


def test_the_same_certificate_number_in_another_unit_is_fine(cast, authors):
    recognised(cast, authors, number="SK-1")
    initiative = draft(cast, authors, unit=cast.section)
    initiative = services.initiative_submit(actor=cast.admin, initiative=initiative, today=REQUESTED)
    initiative = services.initiative_examine(actor=cast.admin, initiative=initiative, verdict="accept", today=EXAMINED)
    initiative = services.initiative_recognise(
        actor=cast.admin,
        initiative=initiative,
        level="provincial",
        certificate_number="SK-1",
        recognised_on=RECOGNISED,
        today=TODAY,
    )
    assert initiative.certificate_number == "SK-1"


def test_a_recognition_dated_before_acceptance_is_refused(cast, authors):
    initiative = accepted(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_recognise(
            actor=cast.officer,
            initiative=initiative,
            level="grassroots",
            certificate_number="SK-9",
            recognised_on=EXAMINED - dt.timedelta(days=1),
            today=TODAY,
        ),
        code="date_order",
        field="recognised_on",
    )
    refused(
        DomainError,
        lambda: services.initiative_recognise(
            actor=cast.officer,
            initiative=initiative,
            level="grassroots",
            certificate_number="SK-9",
            recognised_on=TODAY + dt.timedelta(days=1),
            today=TODAY,
        ),
        code="future_date",
    )
    refused(
        DomainError,
        lambda: services.initiative_recognise(
            actor=cast.officer,
            initiative=initiative,
            level="galactic",
            certificate_number="SK-9",
            recognised_on=RECOGNISED,
            today=TODAY,
        ),
        field="level",
    )


def test_recognising_a_submitted_initiative_is_refused(cast, authors):
    initiative = submitted(cast, authors)
    refused(
        DomainError,
        lambda: services.initiative_recognise(
            actor=cast.officer,
            initiative=initiative,
            level="grassroots",
            certificate_number="SK-9",
            recognised_on=RECOGNISED,
            today=TODAY,
        ),
        code="wrong_status",
    )


# ---------------------------------------------------------------- benefit, transfers, remuneration


def test_benefit_per_year_with_its_index(cast, authors):
    initiative = recognised(cast, authors)
    benefit = services.benefit_record(
        actor=cast.officer, initiative=initiative, year=2024, amount_vnd=120_000_000, today=TODAY
    )
    assert (benefit.year, benefit.year_index, benefit.amount_vnd) == (2024, 1, 120_000_000)
    services.benefit_record(actor=cast.officer, initiative=initiative, year=2025, amount_vnd=80_000_000, today=TODAY)
    assert list(InitiativeBenefit.objects.order_by("year").values_list("year", "year_index", "amount_vnd")) == [
        (2024, 1, 120_000_000),
        (2025, 2, 80_000_000),
    ]
    # Recording a year again corrects it.
    services.benefit_record(actor=cast.officer, initiative=initiative, year=2024, amount_vnd=125_000_000, today=TODAY)
    assert InitiativeBenefit.objects.get(year=2024).amount_vnd == 125_000_000
    entry = AuditEntry.objects.filter(action="initiative.benefit").order_by("pk").last()
    assert (entry.before, entry.after["amount_vnd"]) == ({"year": 2024, "amount_vnd": 120_000_000}, 125_000_000)


def test_a_benefit_before_the_first_application_year_is_refused(cast, authors):
    initiative = recognised(cast, authors)
    refused(
        DomainError,
        lambda: services.benefit_record(
            actor=cast.officer, initiative=initiative, year=2023, amount_vnd=1, today=TODAY
        ),
        code="date_order",
        field="year",
        message="The year 2023 is before the first application (2024).",
    )
    refused(
        DomainError,
        lambda: services.benefit_record(
            actor=cast.officer, initiative=initiative, year=2026, amount_vnd=1, today=TODAY
        ),
        code="future_date",
    )


@pytest.mark.parametrize(
    ("amount", "code"), [(-1, "negative_amount"), (10**15 + 1, "amount_too_large"), (2**70, "amount_too_large")]
)
def test_a_negative_or_overflowing_benefit_is_refused(cast, authors, amount, code):
    initiative = recognised(cast, authors)
    refused(
        DomainError,
        lambda: services.benefit_record(
            actor=cast.officer, initiative=initiative, year=2024, amount_vnd=amount, today=TODAY
        ),
        code=code,
        field="amount_vnd",
    )


def test_a_benefit_before_recognition_is_refused(cast, authors):
    initiative = accepted(cast, authors)
    refused(
        DomainError,
        lambda: services.benefit_record(
            actor=cast.officer, initiative=initiative, year=2024, amount_vnd=1, today=TODAY
        ),
        code="wrong_status",
    )


def test_transfers(cast, authors):
    initiative = recognised(cast, authors)
    transfer = services.transfer_record(
        actor=cast.officer,
        initiative=initiative,
        price_vnd=20_000_000,
        received_on=dt.date(2024, 12, 1),
        transferee="Công ty Đồng Tiến",
        today=TODAY,
    )
    assert (transfer.price_vnd, transfer.received_on, transfer.transferee) == (
        20_000_000,
        dt.date(2024, 12, 1),
        "Công ty Đồng Tiến",
    )
    assert AuditEntry.objects.filter(action="initiative.transfer", unit_id=cast.unit.pk).count() == 1
    refused(
        DomainError,
        lambda: services.transfer_record(
            actor=cast.officer,
            initiative=initiative,
            price_vnd=1,
            received_on=RECOGNISED - dt.timedelta(days=1),
            today=TODAY,
        ),
        code="date_order",
        field="received_on",
    )
    refused(
        DomainError,
        lambda: services.transfer_record(
            actor=cast.officer, initiative=initiative, price_vnd=-5, received_on=TODAY, today=TODAY
        ),
        code="negative_amount",
        field="price_vnd",
    )
    refused(
        DomainError,
        lambda: services.transfer_record(
            actor=cast.officer, initiative=initiative, price_vnd=10**15 + 1, received_on=TODAY, today=TODAY
        ),
        code="amount_too_large",
        field="price_vnd",
    )


def test_remuneration_payments(cast, authors):
    initiative = recognised(cast, authors)
    services.benefit_record(actor=cast.officer, initiative=initiative, year=2024, amount_vnd=100_000_000, today=TODAY)
    lan_author = InitiativeAuthor.objects.get(share=60)
    payment = services.remuneration_pay(
        actor=cast.officer,
        author=lan_author,
        year_index=1,
        amount_vnd=4_200_000,
        paid_on=dt.date(2025, 1, 10),
        today=TODAY,
    )
    assert (payment.year_index, payment.transfer_id, payment.amount_vnd) == (1, None, 4_200_000)
    entry = AuditEntry.objects.get(action="initiative.remuneration_pay")
    assert entry.after["member_code"] == lan_author.person.member_code
    assert entry.unit_id == cast.unit.pk


def test_bad_payments_are_refused(cast, authors):
    initiative = recognised(cast, authors)
    services.benefit_record(actor=cast.officer, initiative=initiative, year=2024, amount_vnd=100_000_000, today=TODAY)
    author = InitiativeAuthor.objects.get(share=60)
    late = services.transfer_record(
        actor=cast.admin, initiative=initiative, price_vnd=5, received_on=TODAY, today=TODAY
    )

    def pay(**kwargs):
        values = {"actor": cast.officer, "author": author, "amount_vnd": 1000, "paid_on": TODAY, "today": TODAY}
        values.update(kwargs)
        return lambda: services.remuneration_pay(**values)

    refused(DomainError, pay(year_index=1, amount_vnd=0), code="zero_amount")
    refused(DomainError, pay(year_index=1, amount_vnd=-1), code="negative_amount")
    refused(DomainError, pay(year_index=1, amount_vnd=10**16), code="amount_too_large")
    refused(DomainError, pay(), field="year_index")
    refused(DomainError, pay(year_index=1, transfer=late), field="year_index")
    refused(DomainError, pay(year_index=2), code="no_benefit")
    refused(DomainError, pay(year_index=4), field="year_index")
    refused(DomainError, pay(year_index=1, paid_on=RECOGNISED - dt.timedelta(days=1)), code="date_order")
    refused(DomainError, pay(year_index=1, paid_on=TODAY + dt.timedelta(days=1)), code="future_date")
    refused(NotFound, pay(year_index=1, actor=cast.sibling))
    assert RemunerationPayment.objects.count() == 0
    payment = services.remuneration_pay(
        actor=cast.officer, author=author, transfer=late, amount_vnd=1, paid_on=TODAY, today=TODAY
    )
    assert payment.transfer_id == late.pk


def test_a_transfer_more_than_three_years_after_recognition_earns_nothing(cast, authors):
    initiative = recognised(cast, authors)
    day = dt.date(2027, 9, 11)
    transfer = services.transfer_record(
        actor=cast.officer, initiative=initiative, price_vnd=10_000_000, received_on=day, today=day
    )
    author = InitiativeAuthor.objects.get(share=60)
    refused(
        DomainError,
        lambda: services.remuneration_pay(
            actor=cast.officer, author=author, transfer=transfer, amount_vnd=1, paid_on=day, today=day
        ),
        field="transfer",
        message="Only transfers within 3 years of recognition earn a remuneration.",
    )
