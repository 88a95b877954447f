"""Registering a former member again re-joins them; a current member elsewhere stays a conflict."""

import datetime as dt

import pytest

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members import selectors, services
from unionhall.members.models import Membership, Person

from .people import TODAY, cccd, details, fresh, register
from .snapshots import members_state

NUMBER = cccd(tail="000004")
LEFT = dt.date(2023, 12, 31)
REJOINED = dt.date(2024, 1, 2)


def refused(error_type, **kwargs):
    before = members_state()
    with pytest.raises(error_type) as info:
        services.person_create(**kwargs)
    assert type(info.value) is error_type
    assert members_state() == before
    return info.value


def history(person: Person) -> list[tuple]:
    return list(
        Membership.objects.filter(person=person)
        .order_by("join_date", "pk")
        .values_list("unit__code", "join_date", "status", "end_reason", "end_date")
    )


@pytest.fixture
def former(cast) -> Person:
    """A man registered in Khánh Hòa with details the officer of DN-TB-001 must never read, who then left."""
    person = register(
        cast.admin,
        cast.other_province,
        "Phạm Văn D",
        id_kind="cccd",
        national_id=NUMBER,
        phone="0912000111",
        email="old@example.vn",
        job_title="Thợ hàn",
        ethnicity="Tày",
        religion="Phật giáo",
    )
    services.membership_end(
        actor=cast.admin, membership=person.memberships.get(), reason="left_job", day=LEFT, today=TODAY
    )
    person.refresh_from_db()
    return person


def rejoin(cast, **extra):
    values = {"id_kind": "cccd", "national_id": NUMBER, "phone": "0987 654 321", **extra}
    return services.person_create(
        actor=fresh(cast.officer),
        unit=cast.unit,
        join_date=REJOINED,
        details=details("Phạm Văn Đông", **values),
        today=TODAY,
    )


def test_a_former_member_out_of_scope_is_re_joined_with_the_details_entered(cast, former):
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    person = rejoin(cast)
    assert person.pk == former.pk and Person.objects.count() == 1
    person.refresh_from_db()
    assert person.member_code == former.member_code
    assert (person.full_name, person.phone, person.email, person.job_title) == ("Phạm Văn Đông", "0987654321", "", "")
    assert (person.ethnicity, person.religion) == ("", "")
    assert (person.id_kind, person.national_id_index, person.national_id_hint) == (
        "cccd",
        former.national_id_index,
        "004",
    )
    assert person.version == former.version + 1
    assert person.search_name == services.person_search_name("Phạm Văn Đông", person.member_code, "0987654321")
    assert history(person) == [
        ("KH", dt.date(2021, 3, 1), "ended", "left_job", LEFT),
        ("DN-TB-001", REJOINED, "active", "", None),
    ]
    entries = list(
        AuditEntry.objects.filter(id__gt=mark).order_by("id").values_list("action", "object_type", "unit_path")
    )
    assert entries == [
        ("member.rejoin", "members.person", cast.other_province.path),
        ("member.rejoin", "members.person", cast.unit.path),
        ("member.rejoin", "members.membership", cast.unit.path),
    ]
    old_unit_entry, new_unit_entry, membership_entry = AuditEntry.objects.filter(id__gt=mark).order_by("id")
    # The former unit's log keeps what the record held; the new unit's log holds only the new state.
    assert old_unit_entry.before["full_name"] == "Phạm Văn D"
    assert old_unit_entry.before["phone"] == "0912000111"
    assert old_unit_entry.after == {
        "member_code": person.member_code,
        "changed": ["email", "full_name", "job_title", "phone"],
        "sensitive_changed": ["ethnicity", "religion"],
    }
    assert new_unit_entry.before is None
    assert new_unit_entry.after == services.person_snapshot(person) | {
        "date_of_birth": "1990-05-17",
        "national_id": "***",
    }
    assert 'Phạm Văn D"' not in str(new_unit_entry.after) and "0912000111" not in str(new_unit_entry.after)
    assert NUMBER not in str(list(AuditEntry.objects.values_list("before", "after")))
    assert membership_entry.after == {
        "member_code": person.member_code,
        "unit": "DN-TB-001",
        "join_date": "2024-01-02",
        "status": "active",
        "end_reason": "",
        "end_date": None,
    }


def test_the_new_unit_sees_only_its_own_history_and_the_old_unit_only_reads(cast, former):
    person = rejoin(cast)
    officer = fresh(cast.officer)
    assert selectors.person_get(actor=officer, member_code=person.member_code).pk == person.pk
    assert [m.unit.code for m in selectors.person_memberships(actor=officer, person=person)] == ["DN-TB-001"]
    assert services.sensitive_display(actor=officer, person=person) == {"ethnicity": "", "religion": ""}
    # Khánh Hòa keeps reading its part of the history, and no longer answers for the person.
    outsider = fresh(cast.outsider)
    assert [m.unit.code for m in selectors.person_memberships(actor=outsider, person=person)] == ["KH"]
    before = members_state()
    with pytest.raises(NotFound):
        services.person_update(
            actor=outsider, person=person, version=person.version, details=details("Khác"), today=TODAY
        )
    assert members_state() == before


def test_re_joining_with_sensitive_details_needs_their_permission(cast, former):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    error = refused(
        Forbidden,
        actor=clerk,
        unit=cast.unit,
        join_date=REJOINED,
        details=details("Phạm Văn Đông", id_kind="cccd", national_id=NUMBER, ethnicity="Kinh"),
        today=TODAY,
    )
    assert str(error) == "You may not record ethnicity or religion in this unit."
    person = rejoin(cast, ethnicity="Kinh")
    assert (person.ethnicity, person.religion) == ("Kinh", "")


def test_a_re_join_before_the_earlier_membership_ended_is_refused(cast, former):
    error = refused(
        DomainError,
        actor=cast.officer,
        unit=cast.unit,
        join_date=dt.date(2023, 12, 1),
        details=details("Phạm Văn Đông", id_kind="cccd", national_id=NUMBER),
        today=TODAY,
    )
    assert (str(error), error.field) == (
        "The date is before the end of an earlier membership of this person.",
        "join_date",
    )


def test_a_re_join_into_a_unit_out_of_scope_is_not_found(cast, former):
    error = refused(
        NotFound,
        actor=cast.officer,
        unit=cast.sibling_unit,
        join_date=REJOINED,
        details=details("Phạm Văn Đông", id_kind="cccd", national_id=NUMBER),
        today=TODAY,
    )
    assert str(error) == "Unit DN-TB-002 was not found."


def test_details_that_do_not_fit_the_number_are_refused(cast, former):
    error = refused(
        DomainError,
        actor=cast.officer,
        unit=cast.unit,
        join_date=REJOINED,
        details=details("Phạm Thị Đông", gender="female", id_kind="cccd", national_id=NUMBER),
        today=TODAY,
    )
    assert error.field == "national_id"


@pytest.mark.parametrize("suspended", [False, True])
def test_a_current_member_elsewhere_stays_a_conflict_that_names_no_unit(cast, suspended):
    person = register(cast.admin, cast.other_province, "Phạm Văn D", id_kind="cccd", national_id=NUMBER)
    if suspended:
        services.membership_suspend(
            actor=cast.admin, membership=person.memberships.get(), day=LEFT, reason="Lý do", today=TODAY
        )
    error = refused(
        Conflict,
        actor=fresh(cast.officer),
        unit=cast.unit,
        join_date=REJOINED,
        details=details("Phạm Văn Đông", id_kind="cccd", national_id=NUMBER),
        today=TODAY,
    )
    assert (str(error), error.code, error.field) == (
        "A person with this identity number is already registered.",
        "duplicate_national_id",
        "national_id",
    )
    assert "KH" not in str(error) and person.member_code not in str(error)


def test_a_former_member_of_the_actors_own_unit_is_re_joined_too(cast):
    person = register(cast.officer, cast.unit, "Phạm Văn D", id_kind="cccd", national_id=NUMBER)
    services.membership_end(
        actor=cast.officer, membership=person.memberships.get(), reason="resigned", day=LEFT, today=TODAY
    )
    again = rejoin(cast)
    assert again.pk == person.pk
    assert history(again) == [
        ("DN-TB-001", dt.date(2021, 3, 1), "ended", "resigned", LEFT),
        ("DN-TB-001", REJOINED, "active", "", None),
    ]
