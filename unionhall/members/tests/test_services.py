"""Member services: exact results, audit entries, and on every refusal nothing changed."""

import dataclasses
import datetime as dt
import unicodedata

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members import services
from unionhall.members.codes import member_code_is_valid
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard

from .people import CANARY_ID, JOINED, TODAY, cccd, details, fresh, register
from .snapshots import members_state

DAY = dt.date(2024, 6, 1)


def refused(error_type, service, /, **kwargs):
    """Call `service`, expect `error_type`, and check that nothing changed."""
    before = members_state()
    with pytest.raises(error_type) as info:
        service(**kwargs)
    assert type(info.value) is error_type
    assert members_state() == before
    return info.value


def audit_since(mark: int) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(id__gt=mark)
        .order_by("id")
        .values_list("action", "object_type", "unit_path", "before", "after")
    )


def mark() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def memberships(person: Person) -> list[tuple]:
    return list(
        Membership.objects.filter(person=person)
        .order_by("join_date", "pk")
        .values_list("unit__code", "join_date", "status", "end_reason", "end_date")
    )


@pytest.fixture
def de(cast) -> Person:
    return register(cast.officer, cast.unit, id_kind="cccd", national_id=CANARY_ID, phone="0912 345 678")


# ---------------------------------------------------------------- create


def test_create_writes_the_person_the_membership_and_two_audit_entries(cast):
    start = mark()
    person = register(
        fresh(cast.officer),
        cast.unit,
        id_kind="cccd",
        national_id="075 090 123 457",
        phone="+84 912 345 678",
        email="de@example.vn",
        job_title=" Thợ may ",
        education_level="university",
    )
    person.refresh_from_db()
    code = person.member_code
    assert member_code_is_valid(code)
    assert (person.full_name, person.gender, person.date_of_birth) == ("Nguyễn Văn Đệ", "male", dt.date(1990, 5, 17))
    assert (person.id_kind, person.nationality, person.national_id_hint) == ("cccd", "VN", "457")
    assert person.national_id_encrypted.startswith("v1:") and CANARY_ID not in person.national_id_encrypted
    assert len(person.national_id_index) == 64
    assert (person.phone, person.email, person.job_title) == ("+84912345678", "de@example.vn", "Thợ may")
    assert person.search_name == f"nguyen van de {code.lower()} +84912345678"
    assert person.version == 1
    assert memberships(person) == [("DN-TB-001", JOINED, "active", "", None)]
    entries = audit_since(start)
    assert [e[:3] for e in entries] == [
        ("member.create", "members.person", cast.unit.path),
        ("member.create", "members.membership", cast.unit.path),
    ]
    assert entries[0][4]["national_id"] == "***"
    assert entries[0][4]["member_code"] == code
    assert entries[0][4]["sensitive_recorded"] == []
    assert entries[1][4] == {
        "member_code": code,
        "unit": "DN-TB-001",
        "join_date": "2021-03-01",
        "status": "active",
        "end_reason": "",
        "end_date": None,
    }


def test_text_is_stored_nfc(cast):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    person = register(cast.officer, cast.unit, nfd)
    assert person.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", Person.objects.get(pk=person.pk).full_name)


@pytest.mark.parametrize("bad", ["Nguyễn\x00Văn", "Nguyễn\ud800"])
@pytest.mark.parametrize("field", ["full_name", "job_title", "national_id", "phone", "ethnicity"])
def test_nul_and_lone_surrogates_are_refused(cast, field, bad):
    values = {"full_name": "Nguyễn Văn Đệ", field: bad}
    if field == "national_id":
        values["id_kind"] = "cccd"
    error = refused(
        DomainError,
        services.person_create,
        actor=cast.officer,
        unit=cast.unit,
        join_date=JOINED,
        details=details(**values),
        today=TODAY,
    )
    assert error.code == "bad_characters"
    assert error.field == field


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"join_date": TODAY + dt.timedelta(days=1)}, "join_date", "The date cannot be in the future."),
        ({"date_of_birth": TODAY + dt.timedelta(days=1)}, "date_of_birth", "The date cannot be in the future."),
        ({"join_date": dt.date(1989, 1, 1)}, "join_date", "The join date is before the date of birth."),
        ({"full_name": "  "}, "full_name", "The full name is required."),
        ({"gender": "x"}, "gender", "Choose a gender."),
        ({"phone": "12ab"}, "phone", "A phone number has 6 to 15 digits, optionally after a +."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"education_level": "phd"}, "education_level", "Choose an education level."),
        ({"id_kind": "cccd"}, "national_id", "Enter the number of the identity document."),
        ({"national_id": "075090123457"}, "id_kind", "Choose the kind of identity document."),
    ],
)
def test_bad_details_are_refused(cast, change, field, message):
    join_date = change.pop("join_date", JOINED)
    error = refused(
        DomainError,
        services.person_create,
        actor=cast.officer,
        unit=cast.unit,
        join_date=join_date,
        details=details(**change),
        today=TODAY,
    )
    assert (error.field, str(error)) == (field, message)


@pytest.mark.parametrize(
    ("number", "extra", "message"),
    [
        ("0750901234", {}, "A citizen identity number (CCCD) has exactly 12 digits."),
        ("003090123457", {}, "The first three digits of the CCCD are not a province code."),
        ("075190123457", {}, "The 4th digit of the CCCD does not match the gender."),
        ("075290123457", {}, "The 4th digit of the CCCD does not match the century of the date of birth."),
        ("075091123457", {}, "The 5th and 6th digits of the CCCD do not match the year of birth."),
        (CANARY_ID, {"date_of_birth": None}, "The date of birth is needed to check the CCCD."),
    ],
)
def test_a_cccd_with_a_wrong_structure_is_refused(cast, number, extra, message):
    error = refused(
        DomainError,
        services.person_create,
        actor=cast.officer,
        unit=cast.unit,
        join_date=JOINED,
        details=details(id_kind="cccd", national_id=number, **extra),
        today=TODAY,
    )
    assert (error.field, error.code, str(error)) == ("national_id", "bad_national_id", message)
    assert number not in str(error)


def test_cmnd_and_passport_are_accepted(cast):
    legacy = register(cast.officer, cast.unit, "Trần Thị B", gender="female", id_kind="cmnd", national_id="012345678")
    foreign = register(
        cast.officer, cast.unit, "Maria Santos", id_kind="passport", national_id="p1234567", nationality="ph"
    )
    assert (legacy.nationality, legacy.national_id_hint) == ("VN", "678")
    assert (foreign.id_kind, foreign.nationality, foreign.national_id_hint) == ("passport", "PH", "567")
    assert services.national_id_reveal(actor=cast.officer, person=foreign) == "P1234567"


def test_a_duplicate_national_id_is_a_conflict(cast, de):
    error = refused(
        Conflict,
        services.person_create,
        actor=cast.officer,
        unit=cast.section,
        join_date=JOINED,
        details=details("Someone Else", id_kind="cccd", national_id=CANARY_ID),
        today=TODAY,
    )
    assert str(error) == (f"A person with this identity number is already registered (member code {de.member_code}).")
    # Outside the actor's scope the clash is named, the other person is not.
    error = refused(
        Conflict,
        services.person_create,
        actor=cast.sibling,
        unit=cast.sibling_unit,
        join_date=JOINED,
        details=details("Someone Else", id_kind="cccd", national_id=CANARY_ID),
        today=TODAY,
    )
    assert str(error) == "A person with this identity number is already registered."
    assert error.code == "duplicate_national_id"


def test_a_concurrent_duplicate_ends_as_a_conflict(cast, de, monkeypatch):
    """Two writers pass the check at once; the unique blind index stops the second."""
    real = services._duplicate_id
    calls = []

    def late(actor, index, exclude_pk=None):
        calls.append(index)
        return None if len(calls) == 1 else real(actor, index, exclude_pk)

    monkeypatch.setattr(services, "_duplicate_id", late)
    error = refused(
        Conflict,
        services.person_create,
        actor=cast.officer,
        unit=cast.unit,
        join_date=JOINED,
        details=details("Racer", id_kind="cccd", national_id=CANARY_ID),
        today=TODAY,
    )
    assert error.code == "duplicate_national_id"
    assert len(calls) == 2


def test_a_member_code_clash_draws_again(cast, monkeypatch):
    first = register(cast.officer, cast.unit, "Một")
    draws = iter([int(first.member_code[:10]), 42])
    monkeypatch.setattr(services.secrets, "randbelow", lambda n: next(draws))
    second = register(cast.officer, cast.unit, "Hai")
    assert second.member_code == "00000000420"[:10] + second.member_code[10]
    assert member_code_is_valid(second.member_code)


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_out_of_scope_creation_is_not_found(cast, who):
    error = refused(
        NotFound,
        services.person_create,
        actor=getattr(cast, who),
        unit=cast.unit,
        join_date=JOINED,
        details=details(),
        today=TODAY,
    )
    assert str(error) == "Unit DN-TB-001 was not found."


def test_a_viewer_cannot_register(cast):
    viewer = make_user("viewer1")
    grant(viewer, cast.unit, role="viewer")
    refused(
        NotFound,
        services.person_create,
        actor=viewer,
        unit=cast.unit,
        join_date=JOINED,
        details=details(),
        today=TODAY,
    )


def test_the_parent_registers_in_the_subtree_and_the_admin_anywhere(cast):
    assert register(cast.parent, cast.section).memberships.get().unit == cast.section
    assert register(cast.admin, cast.other_province).memberships.get().unit == cast.other_province


# ---------------------------------------------------------------- sensitive fields


def test_ethnicity_and_religion_need_their_permission(cast):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    error = refused(
        Forbidden,
        services.person_create,
        actor=clerk,
        unit=cast.unit,
        join_date=JOINED,
        details=details(ethnicity="Tày"),
        today=TODAY,
    )
    assert str(error) == "You may not record ethnicity or religion in this unit."
    person = register(cast.officer, cast.unit, ethnicity="Tày", religion="Phật giáo")
    assert (person.ethnicity, person.religion) == ("Tày", "Phật giáo")
    assert services.sensitive_display(actor=fresh(clerk), person=person) is None
    assert services.sensitive_display(actor=cast.officer, person=person) == {
        "ethnicity": "Tày",
        "religion": "Phật giáo",
    }
    entry = AuditEntry.objects.filter(object_type="members.person").latest("id")
    assert entry.after["sensitive_recorded"] == ["ethnicity", "religion"]
    assert "Tày" not in str(entry.after) and "Phật" not in str(entry.after)


# ---------------------------------------------------------------- update


def test_update_changes_the_details_and_bumps_the_version(cast, de):
    start = mark()
    changed = dataclasses.replace(details(), full_name="Nguyễn Văn Đễ", job_title="Tổ trưởng", phone="0912345679")
    person = services.person_update(actor=cast.officer, person=de, version=1, details=changed, today=TODAY)
    assert (person.full_name, person.job_title, person.version) == ("Nguyễn Văn Đễ", "Tổ trưởng", 2)
    # The national ID was kept (None means "unchanged"): same ciphertext, same index.
    assert person.national_id_encrypted == de.national_id_encrypted
    assert person.search_name == f"nguyen van de {de.member_code.lower()} 0912345679"
    [(action, _type, path, before, after)] = audit_since(start)
    assert (action, path) == ("member.update", cast.unit.path)
    assert (before["full_name"], after["full_name"]) == ("Nguyễn Văn Đệ", "Nguyễn Văn Đễ")
    assert before["national_id"] == after["national_id"] == "***"
    assert "national_id_changed" not in after


def test_an_unchanged_update_writes_nothing(cast, de):
    before = members_state()
    same = details(phone="0912 345 678", id_kind="cccd", national_id=CANARY_ID)
    person = services.person_update(actor=cast.officer, person=de, version=1, details=same, today=TODAY)
    assert person.version == 1
    assert members_state() == before


def test_a_stale_version_is_a_conflict(cast, de):
    error = refused(
        Conflict, services.person_update, actor=cast.officer, person=de, version=7, details=details(), today=TODAY
    )
    assert error.code == "stale"


def test_a_kept_cccd_is_checked_against_a_new_gender(cast, de):
    error = refused(
        DomainError,
        services.person_update,
        actor=cast.officer,
        person=de,
        version=1,
        details=details(gender="female"),
        today=TODAY,
    )
    assert str(error) == "The 4th digit of the CCCD does not match the gender."


def test_a_new_national_id_is_encrypted_and_logged_as_changed(cast, de):
    start = mark()
    new_id = cccd(tail="000111")
    person = services.person_update(
        actor=cast.officer, person=de, version=1, details=details(id_kind="cccd", national_id=new_id), today=TODAY
    )
    assert person.national_id_hint == "111"
    assert services.national_id_reveal(actor=cast.officer, person=person) == new_id
    assert audit_since(start)[0][4]["national_id_changed"] is True


def test_the_national_id_can_be_removed(cast, de):
    person = services.person_update(
        actor=cast.officer, person=de, version=1, details=details(national_id=""), today=TODAY
    )
    assert (person.id_kind, person.national_id_encrypted, person.national_id_index, person.national_id_hint) == (
        "",
        "",
        None,
        "",
    )


def test_update_to_a_duplicate_national_id_is_a_conflict(cast, de):
    other = register(cast.officer, cast.unit, "Lê Văn C", id_kind="cccd", national_id=cccd(tail="999999"))
    refused(
        Conflict,
        services.person_update,
        actor=cast.officer,
        person=other,
        version=1,
        details=details("Lê Văn C", id_kind="cccd", national_id=CANARY_ID),
        today=TODAY,
    )


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_out_of_scope_update_is_not_found(cast, de, who):
    error = refused(
        NotFound,
        services.person_update,
        actor=getattr(cast, who),
        person=de,
        version=1,
        details=details("Hacked"),
        today=TODAY,
    )
    assert str(error) == f"Person {de.member_code} was not found."


# ---------------------------------------------------------------- memberships


def test_a_second_open_membership_is_refused(cast, de):
    error = refused(
        Conflict, services.membership_join, actor=cast.officer, person=de, unit=cast.section, join_date=DAY, today=TODAY
    )
    assert error.code == "already_member"


def test_a_member_who_left_can_join_again_without_a_new_code(cast, de):
    code = de.member_code
    services.membership_end(
        actor=cast.officer, membership=de.memberships.get(), reason="left_job", day=dt.date(2023, 1, 1), today=TODAY
    )
    refused(
        DomainError,
        services.membership_join,
        actor=cast.officer,
        person=de,
        unit=cast.section,
        join_date=dt.date(2022, 12, 31),
        today=TODAY,
    )
    start = mark()
    joined = services.membership_join(actor=cast.officer, person=de, unit=cast.section, join_date=DAY, today=TODAY)
    assert joined.status == "active"
    assert Person.objects.get(pk=de.pk).member_code == code
    assert memberships(de) == [
        ("DN-TB-001", JOINED, "ended", "left_job", dt.date(2023, 1, 1)),
        ("DN-TB-001-S1", DAY, "active", "", None),
    ]
    assert [e[:3] for e in audit_since(start)] == [("membership.join", "members.membership", cast.section.path)]


def test_joining_a_unit_out_of_scope_or_an_unseen_person_is_not_found(cast, de):
    services.membership_end(
        actor=cast.officer, membership=de.memberships.get(), reason="resigned", day=DAY, today=TODAY
    )
    refused(
        NotFound,
        services.membership_join,
        actor=cast.officer,
        person=de,
        unit=cast.sibling_unit,
        join_date=DAY,
        today=TODAY,
    )
    refused(
        NotFound,
        services.membership_join,
        actor=cast.sibling,
        person=de,
        unit=cast.sibling_unit,
        join_date=DAY,
        today=TODAY,
    )


def test_transfer_keeps_the_history_and_ends_officer_terms(cast, de):
    membership = de.memberships.get()
    term = services.officer_appoint(
        actor=cast.officer, membership=membership, position="chair", term_start=dt.date(2022, 1, 1), today=TODAY
    )
    start = mark()
    new = services.membership_transfer(
        actor=cast.parent, membership=membership, new_unit=cast.sibling_unit, day=DAY, today=TODAY
    )
    assert memberships(de) == [
        ("DN-TB-001", JOINED, "ended", "transferred", DAY),
        ("DN-TB-002", DAY, "active", "", None),
    ]
    assert new.unit == cast.sibling_unit
    assert OfficerTerm.objects.get(pk=term.pk).term_end == DAY
    assert [e[:3] for e in audit_since(start)] == [
        ("membership.transfer", "members.membership", cast.unit.path),
        ("membership.transfer", "members.membership", cast.sibling_unit.path),
        ("membership.transfer", "members.officerterm", cast.unit.path),
    ]


def test_transfer_needs_change_on_both_units(cast, de):
    membership = de.memberships.get()
    error = refused(
        NotFound,
        services.membership_transfer,
        actor=cast.officer,
        membership=membership,
        new_unit=cast.sibling_unit,
        day=DAY,
        today=TODAY,
    )
    assert (error.field, str(error)) == ("new_unit", "Unit DN-TB-002 was not found.")
    refused(
        NotFound,
        services.membership_transfer,
        actor=cast.sibling,
        membership=membership,
        new_unit=cast.sibling_unit,
        day=DAY,
        today=TODAY,
    )
    refused(
        DomainError,
        services.membership_transfer,
        actor=cast.parent,
        membership=membership,
        new_unit=cast.sibling_unit,
        day=dt.date(2020, 1, 1),
        today=TODAY,
    )
    refused(
        DomainError,
        services.membership_transfer,
        actor=cast.parent,
        membership=membership,
        new_unit=cast.sibling_unit,
        day=TODAY + dt.timedelta(days=1),
        today=TODAY,
    )


def test_end_reasons_and_dates(cast, de):
    membership = de.memberships.get()
    for reason in ("transferred", "unit_dissolved", "nonsense"):
        refused(
            DomainError,
            services.membership_end,
            actor=cast.officer,
            membership=membership,
            reason=reason,
            day=DAY,
            today=TODAY,
        )
    refused(
        NotFound,
        services.membership_end,
        actor=cast.outsider,
        membership=membership,
        reason="resigned",
        day=DAY,
        today=TODAY,
    )
    ended = services.membership_end(actor=cast.officer, membership=membership, reason="deceased", day=DAY, today=TODAY)
    assert (ended.status, ended.end_reason, ended.end_date, ended.version) == ("ended", "deceased", DAY, 2)
    error = refused(
        DomainError,
        services.membership_end,
        actor=cast.officer,
        membership=membership,
        reason="resigned",
        day=DAY,
        today=TODAY,
    )
    assert error.code == "ended"


# ---------------------------------------------------------------- officers


def test_officer_appoint_and_end(cast, de):
    membership = de.memberships.get()
    term = services.officer_appoint(
        actor=cast.officer,
        membership=membership,
        position="vice_chair",
        full_time=True,
        term_start=dt.date(2023, 5, 1),
        today=TODAY,
    )
    assert (term.position, term.full_time, term.term_start, term.term_end) == (
        "vice_chair",
        True,
        dt.date(2023, 5, 1),
        None,
    )
    refused(
        Conflict,
        services.officer_appoint,
        actor=cast.officer,
        membership=membership,
        position="vice_chair",
        term_start=DAY,
        today=TODAY,
    )
    refused(
        DomainError,
        services.officer_appoint,
        actor=cast.officer,
        membership=membership,
        position="president",
        term_start=DAY,
        today=TODAY,
    )
    refused(
        DomainError,
        services.officer_appoint,
        actor=cast.officer,
        membership=membership,
        position="chair",
        term_start=dt.date(2020, 1, 1),
        today=TODAY,
    )
    refused(
        NotFound,
        services.officer_appoint,
        actor=cast.sibling,
        membership=membership,
        position="chair",
        term_start=DAY,
        today=TODAY,
    )
    refused(
        DomainError, services.officer_end, actor=cast.officer, term=term, term_end=dt.date(2023, 4, 30), today=TODAY
    )
    refused(NotFound, services.officer_end, actor=cast.outsider, term=term, term_end=DAY, today=TODAY)
    ended = services.officer_end(actor=cast.officer, term=term, term_end=DAY, today=TODAY)
    assert ended.term_end == DAY
    refused(DomainError, services.officer_end, actor=cast.officer, term=term, term_end=DAY, today=TODAY)


# ---------------------------------------------------------------- cards


def test_cards(cast, de):
    card = services.card_issue(
        actor=cast.officer, person=de, card_number="dn-0001", issue_date=DAY, card_type="linked", today=TODAY
    )
    assert (card.card_number, card.card_type, card.status, card.issue_date) == ("DN-0001", "linked", "active", DAY)
    refused(
        Conflict, services.card_issue, actor=cast.officer, person=de, card_number="DN-0002", issue_date=DAY, today=TODAY
    )
    other = register(cast.officer, cast.unit, "Lê Văn C")
    refused(
        Conflict,
        services.card_issue,
        actor=cast.officer,
        person=other,
        card_number="DN-0001",
        issue_date=DAY,
        today=TODAY,
    )
    refused(
        DomainError, services.card_issue, actor=cast.officer, person=other, card_number="#", issue_date=DAY, today=TODAY
    )
    refused(
        DomainError,
        services.card_issue,
        actor=cast.officer,
        person=other,
        card_number="DN-0003",
        issue_date=TODAY + dt.timedelta(days=1),
        today=TODAY,
    )
    refused(
        NotFound,
        services.card_issue,
        actor=cast.sibling,
        person=other,
        card_number="DN-0003",
        issue_date=DAY,
        today=TODAY,
    )
    second = services.card_issue(
        actor=cast.officer, person=de, card_number="DN-0002", issue_date=DAY, replace=True, today=TODAY
    )
    assert UnionCard.objects.get(pk=card.pk).status == "replaced"
    assert services.card_status_change(actor=cast.officer, card=second, status="lost").status == "lost"
    assert services.card_status_change(actor=cast.officer, card=second, status="active").status == "active"
    error = refused(DomainError, services.card_status_change, actor=cast.officer, card=card, status="active")
    assert str(error) == "A card cannot go from Replaced to Active."
    refused(NotFound, services.card_status_change, actor=cast.outsider, card=second, status="revoked")


def test_cards_go_to_current_members_only(cast, de):
    services.membership_end(
        actor=cast.officer, membership=de.memberships.get(), reason="resigned", day=DAY, today=TODAY
    )
    refused(
        DomainError,
        services.card_issue,
        actor=cast.officer,
        person=de,
        card_number="DN-0009",
        issue_date=DAY,
        today=TODAY,
    )


# ---------------------------------------------------------------- the national ID on a page


def test_the_national_id_shows_in_plain_only_with_the_permission_and_every_view_is_logged(cast, de):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    before = AuditEntry.objects.count()
    assert services.national_id_display(actor=fresh(clerk), person=de) == "*********457"
    assert AuditEntry.objects.count() == before
    with pytest.raises(Forbidden):
        services.national_id_reveal(actor=fresh(clerk), person=de)
    assert AuditEntry.objects.count() == before
    for who in ("sibling", "outsider"):
        with pytest.raises(NotFound):
            services.national_id_display(actor=getattr(cast, who), person=de)
    assert services.national_id_display(actor=cast.officer, person=de, purpose="Card printing") == CANARY_ID
    assert services.national_id_display(actor=cast.parent, person=de) == CANARY_ID
    entries = list(
        AuditEntry.objects.filter(action="member.national_id_viewed")
        .order_by("id")
        .values_list("actor_label", "object_id", "unit_path", "after")
    )
    assert entries == [
        ("officer", str(de.pk), cast.unit.path, {"id_kind": "cccd", "purpose": "Card printing"}),
        ("parent", str(de.pk), cast.unit.path, {"id_kind": "cccd", "purpose": ""}),
    ]
    assert AuditEntry.objects.count() == before + 2


def test_a_person_without_an_id_shows_nothing(cast):
    person = register(cast.officer, cast.unit)
    assert services.national_id_display(actor=cast.officer, person=person) == ""


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_text_is_stored_nfc_or_refused_cleanly(cast, text):
    """P12: whatever the text, a write either stores it NFC-normalised or refuses with a domain error."""
    before = members_state()
    try:
        with transaction.atomic():
            person = register(cast.officer, cast.unit, text or "x", job_title=text)
    except DomainError:
        assert members_state() == before
        return
    assert person.full_name == unicodedata.normalize("NFC", (text or "x").strip())
    assert person.job_title == unicodedata.normalize("NFC", text.strip())
