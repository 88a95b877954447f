"""Activities through their services: validation, organisers, check-ins, counts, files; nothing written on a refusal."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unionhall.activities import services
from unionhall.activities.models import Activity, ActivityFile, ActivityOrganiser, Attendee, Headcount, Speaker
from unionhall.activities.services import SpeakerDetails
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.movements.services import MovementDetails, movement_launch

from .fixtures import ENDS, STARTS, create, details, kind, programme, state

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def upload(data: bytes, name: str = "file.bin") -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def organiser_codes(activity: Activity) -> list[str]:
    return sorted(ActivityOrganiser.objects.filter(activity=activity).values_list("unit__code", flat=True))


# ---------------------------------------------------------------- recording


def test_an_activity_is_recorded_with_its_organisers_speakers_and_an_audit_entry(cast, world):
    activity = create(
        cast.officer,
        cast.unit,
        reference="12/KH-CĐ",
        co_organisers=(world.police, cast.unit),
        speakers=(SpeakerDetails("Nguyễn Văn An", "Phó Giám đốc Công an tỉnh"), SpeakerDetails(" Trần Bình ")),
        chair="Chủ tịch Công đoàn",
        planned_participants=120,
    )
    activity.refresh_from_db()
    assert (activity.unit_id, activity.kind.code, activity.reference, activity.participants, activity.version) == (
        cast.unit.pk,
        "dissemination",
        "12/KH-CĐ",
        0,
        1,
    )
    assert organiser_codes(activity) == ["DN-CA", "DN-TB-001"]
    assert list(Speaker.objects.filter(activity=activity).values_list("position", "name", "title")) == [
        (0, "Nguyễn Văn An", "Phó Giám đốc Công an tỉnh"),
        (1, "Trần Bình", ""),
    ]
    entry = AuditEntry.objects.get(action="activity.create")
    assert entry.unit_id == cast.unit.pk
    assert entry.after["organisers"] == ["DN-CA", "DN-TB-001"]
    assert entry.after["speakers"] == [["Nguyễn Văn An", "Phó Giám đốc Công an tỉnh", None], ["Trần Bình", "", None]]


def test_an_activity_ending_before_it_starts_is_refused_and_nothing_is_written(cast, world):
    before = state()
    with pytest.raises(DomainError) as caught:
        create(cast.officer, cast.unit, ends_at=STARTS - dt.timedelta(minutes=1))
    assert (caught.value.field, caught.value.code, str(caught.value)) == (
        "ends_at",
        "dates_out_of_order",
        "The activity ends before it starts.",
    )
    assert state() == before


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"starts_at": dt.datetime(2025, 3, 10, 8, 0)}, "starts_at", "Enter a valid date and time."),
        ({"status": "done"}, "status", "Choose a status."),
        ({"attendance_mode": "guess"}, "attendance_mode", "Choose how attendance is kept."),
        ({"planned_participants": -1}, "planned_participants", "The number cannot be negative."),
        ({"speakers": (SpeakerDetails(""),)}, "speakers", "This field is required."),
        ({"title": "a\x00b"}, "title", "The text contains characters that are not allowed."),
    ],
)
def test_bad_details_are_refused_on_their_field(cast, world, extra, field, message):
    before = state()
    with pytest.raises(DomainError) as caught:
        create(cast.officer, cast.unit, **extra)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert state() == before


def test_an_inactive_kind_or_co_organiser_is_refused(cast, world):
    dissolved = world.police
    dissolved.status = "dissolved"
    before = state()
    with pytest.raises(DomainError) as caught:
        create(cast.officer, cast.unit, co_organisers=(dissolved,))
    assert caught.value.field == "co_organisers"
    old = kind("training")
    old.active = False
    old.save()
    with pytest.raises(DomainError) as caught:
        create(cast.officer, cast.unit, kind=old)
    assert (caught.value.field, str(caught.value)) == ("kind", "Choose a kind of activity.")
    assert state() == before


def test_the_reference_is_unique_per_recording_unit(cast, world):
    create(cast.officer, cast.unit, reference="01/KH")
    create(cast.admin, cast.sibling_unit, reference="01/KH")
    before = state()
    with pytest.raises(Conflict) as caught:
        create(cast.officer, cast.unit, reference="01/KH")
    assert (caught.value.field, str(caught.value)) == (
        "reference",
        "Unit DN-TB-001 already recorded an activity numbered 01/KH.",
    )
    assert state() == before


def test_recording_outside_ones_scope_is_not_found(cast, world):
    before = state()
    for actor in (cast.sibling, cast.outsider, world.police_officer):
        with pytest.raises(NotFound) as caught:
            create(actor, cast.unit)
        assert str(caught.value) == "Unit DN-TB-001 was not found."
    assert state() == before


def test_the_movement_must_be_seen_and_the_unit_take_part(cast, world):
    mv = movement_launch(
        actor=cast.admin,
        code="xanh-sach-dep",
        launcher=cast.unit,
        details=MovementDetails(title="Xanh – Sạch – Đẹp", kind="thematic", start_date=dt.date(2024, 1, 1)),
        today=dt.date(2025, 1, 1),
    )
    activity = create(cast.officer, cast.unit, movement=mv)
    assert activity.movement_id == mv.pk
    before = state()
    with pytest.raises(NotFound):
        create(cast.sibling, cast.sibling_unit, movement=mv)
    with pytest.raises(DomainError) as caught:
        create(cast.parent, cast.commune, movement=mv)
    assert (caught.value.field, str(caught.value)) == (
        "movement",
        "Unit DN-TB does not take part in the movement xanh-sach-dep.",
    )
    assert state() == before


def test_the_programme_needs_a_party_and_a_date_in_its_period(cast, world):
    joint = programme("ca-ld-2018", world.police, cast.province, end=dt.date(2023, 12, 31))
    before = state()
    with pytest.raises(DomainError) as caught:
        create(cast.officer, cast.unit, programme=joint)
    assert caught.value.code == "outside_period"
    with pytest.raises(DomainError) as caught:
        create(cast.outsider, cast.other_province, programme=joint, starts_at=dt.datetime(2022, 5, 1, tzinfo=dt.UTC))
    assert str(caught.value) == "Unit KH is not a party to the programme ca-ld-2018."
    assert state() == before
    held = create(
        cast.officer, cast.unit, programme=joint, starts_at=dt.datetime(2022, 5, 1, tzinfo=dt.UTC), ends_at=None
    )
    assert held.programme_id == joint.pk


def test_update_checks_the_version_and_records_before_and_after(cast, world):
    activity = create(cast.officer, cast.unit)
    changed = services.activity_update(
        actor=cast.officer,
        activity=activity,
        details=details(title="Tập huấn an toàn lao động", co_organisers=(world.police,)),
        version=1,
    )
    assert (changed.title, changed.version) == ("Tập huấn an toàn lao động", 2)
    assert organiser_codes(changed) == ["DN-CA", "DN-TB-001"]
    entry = AuditEntry.objects.get(action="activity.update")
    assert (entry.before["title"], entry.after["title"]) == (
        "Tuyên truyền Bộ luật Lao động 2019",
        "Tập huấn an toàn lao động",
    )
    before = state()
    with pytest.raises(Conflict) as caught:
        services.activity_update(actor=cast.officer, activity=activity, details=details(title="X"), version=1)
    assert caught.value.code == "stale"
    assert state() == before


def test_only_the_recording_units_scope_changes_an_activity(cast, world):
    activity = create(cast.officer, cast.unit, co_organisers=(world.police,))
    before = state()
    with pytest.raises(Forbidden):
        services.activity_update(actor=world.police_officer, activity=activity, details=details(title="X"), version=1)
    with pytest.raises(NotFound):
        services.activity_update(actor=cast.sibling, activity=activity, details=details(title="X"), version=1)
    with pytest.raises(NotFound):
        services.activity_delete(actor=cast.outsider, activity=activity)
    assert state() == before


def test_switching_attendance_mode_with_attendance_recorded_is_refused(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    before = state()
    with pytest.raises(DomainError) as caught:
        services.activity_update(
            actor=cast.officer, activity=activity, details=details(attendance_mode="counted"), version=1
        )
    assert (caught.value.field, caught.value.code) == ("attendance_mode", "mode_in_use")
    assert state() == before


def test_delete_only_without_a_roster(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    before = state()
    with pytest.raises(Conflict) as caught:
        services.activity_delete(actor=cast.officer, activity=activity)
    assert caught.value.code == "has_attendees"
    assert state() == before
    empty = create(cast.officer, cast.unit, title="Hội nghị")
    services.activity_delete(actor=cast.officer, activity=empty)
    assert not Activity.objects.filter(pk=empty.pk).exists()
    assert AuditEntry.objects.filter(action="activity.delete").count() == 1


# ---------------------------------------------------------------- check-ins


def test_a_member_checks_in_once_and_the_counters_follow(cast, world):
    activity = create(cast.officer, cast.unit)
    added = services.check_in_member(
        actor=cast.officer, activity=activity, member_code=f" {world.woman.member_code.lower()} ", method="qr"
    )
    assert (added.outcome, added.message) == ("added", f"Lê Thị Hoa ({world.woman.member_code}) checked in.")
    attendee = Attendee.objects.get()
    assert (
        attendee.key,
        attendee.person_id,
        attendee.unit_id,
        attendee.category,
        attendee.gender,
        attendee.method,
    ) == (
        services.member_key(world.woman.pk),
        world.woman.pk,
        cast.section.pk,
        "member",
        "female",
        "qr",
    )
    activity.refresh_from_db()
    assert (activity.participants, activity.women) == (1, 1)
    assert AuditEntry.objects.filter(action="activity.checkin").count() == 1
    before = state()
    again = services.check_in_member(actor=cast.officer, activity=activity, member_code=world.woman.member_code)
    assert (again.outcome, again.message, again.attendee) == (
        "already",
        f"Lê Thị Hoa ({world.woman.member_code}) is already checked in.",
        attendee,
    )
    assert state() == before


@pytest.mark.parametrize("who", ["sibling", "far", "nonexistent", "garbage", "blank", "nul"])
def test_an_unknown_code_is_shown_not_raised_and_writes_nothing(cast, world, who):
    activity = create(cast.officer, cast.unit)
    code = {
        "sibling": world.sibling_member.member_code,  # a member, but outside every organiser's subtree
        "far": world.far_member.member_code,
        "nonexistent": "0000000000X" if world.member.member_code != "0000000000X" else "0000000001X",
        "garbage": "DROP TABLE",
        "blank": "",
        "nul": "12\x00",
    }[who]
    before = state()
    result = services.check_in_member(actor=cast.officer, activity=activity, member_code=code)
    assert result.outcome == "unknown"
    assert result.attendee is None
    if who in ("sibling", "far"):
        assert result.message == f"No member with code {code}."
    assert state() == before


def test_a_co_organisers_members_and_officers_check_in(cast, world):
    activity = create(cast.officer, cast.unit, co_organisers=(cast.sibling_unit,))
    result = services.check_in_member(
        actor=cast.sibling, activity=activity, member_code=world.sibling_member.member_code
    )
    assert result.outcome == "added"
    assert Attendee.objects.get().unit_id == cast.sibling_unit.pk


def test_check_in_is_refused_to_those_without_the_right(cast, world):
    activity = create(cast.officer, cast.unit)
    before = state()
    with pytest.raises(NotFound):
        services.check_in_member(actor=cast.outsider, activity=activity, member_code=world.member.member_code)
    with pytest.raises(NotFound):
        services.check_in_guest(actor=cast.sibling, activity=activity, name="Khách", category="citizen")
    assert state() == before


def test_a_counted_or_cancelled_activity_takes_no_check_in(cast, world):
    counted = create(cast.officer, cast.unit, attendance_mode="counted")
    cancelled = create(cast.officer, cast.unit, status="cancelled", title="Hoãn")
    before = state()
    with pytest.raises(DomainError) as caught:
        services.check_in_member(actor=cast.officer, activity=counted, member_code=world.member.member_code)
    assert caught.value.code == "not_roster"
    with pytest.raises(DomainError) as caught:
        services.check_in_member(actor=cast.officer, activity=cancelled, member_code=world.member.member_code)
    assert caught.value.code == "cancelled"
    assert state() == before


def test_a_guest_is_keyed_by_folded_name_and_phone(cast, world):
    activity = create(cast.officer, cast.unit)
    first = services.check_in_guest(
        actor=cast.officer,
        activity=activity,
        name="Đỗ Thị Mai",
        category="citizen",
        gender="female",
        phone="0912 345 678",
    )
    assert (first.outcome, first.message) == ("added", "Đỗ Thị Mai checked in.")
    assert Attendee.objects.get().key == "g:do thi mai:0912345678"
    before = state()
    again = services.check_in_guest(
        actor=cast.officer, activity=activity, name="  đỗ thị  MAI ", category="worker", phone="0912-345-678"
    )
    assert (again.outcome, again.message) == ("already", "Đỗ Thị Mai is already checked in.")
    assert state() == before
    with pytest.raises(DomainError) as caught:
        services.check_in_guest(actor=cast.officer, activity=activity, name="X", category="alien")
    assert caught.value.field == "category"
    assert state() == before
    activity.refresh_from_db()
    assert (activity.participants, activity.women) == (1, 1)


def test_ticked_people_are_checked_in_at_once_with_one_outcome_each(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    results = services.check_in_people(
        actor=cast.officer, activity=activity, people=[world.member, world.woman, world.sibling_member]
    )
    assert [r.outcome for r in results] == ["already", "added", "unknown"]
    assert results[1].attendee is not None and results[1].attendee.pk is not None
    activity.refresh_from_db()
    assert (activity.participants, activity.women) == (2, 1)
    assert AuditEntry.objects.filter(action="activity.checkin").count() == 2


def test_removing_an_attendee_decrements_the_counters(cast, world):
    activity = create(cast.officer, cast.unit)
    added = services.check_in_member(actor=cast.officer, activity=activity, member_code=world.woman.member_code)
    assert added.attendee is not None
    services.attendee_remove(actor=cast.officer, activity=activity, attendee=added.attendee)
    activity.refresh_from_db()
    assert (activity.participants, activity.women, Attendee.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.filter(action="activity.checkout").count() == 1


def test_a_list_check_in_racing_a_door_counts_the_person_once(cast, world, monkeypatch):
    """Someone scanned at the door between the list's read of the roster and its insert is "already", not an error."""
    activity = create(cast.officer, cast.unit)
    original = services._insert_unless_present
    door = {"scanned": False}

    def door_first(attendees):
        if not door["scanned"]:
            door["scanned"] = True
            services.check_in_member(actor=cast.officer, activity=activity, member_code=world.woman.member_code)
        return original(attendees)

    monkeypatch.setattr(services, "_insert_unless_present", door_first)
    outcomes = services.check_in_people(actor=cast.officer, activity=activity, people=[world.woman, world.member])
    assert [o.outcome for o in outcomes] == ["already", "added"]
    activity.refresh_from_db()
    assert (activity.participants, activity.women, Attendee.objects.filter(activity=activity).count()) == (2, 1, 2)
    assert AuditEntry.objects.filter(action="activity.checkin").count() == 2


def test_a_check_in_costs_a_few_queries(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.woman.member_code)
    with CaptureQueriesContext(connection) as queries:
        services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"] and "pg_advisory" not in q["sql"]]
    # The activity with its organisers and the member (one read), the insert (which also finds someone
    # already there), the counters, the audit (2); PostgreSQL adds the audit chain's lock.
    assert len(statements) == 5, statements


# ---------------------------------------------------------------- counts


def test_headcounts_set_the_totals(cast, world):
    activity = create(cast.officer, cast.unit, attendance_mode="counted")
    services.headcounts_set(actor=cast.officer, activity=activity, counts={"worker": (120, 70), "official": (8, 3)})
    activity.refresh_from_db()
    assert (activity.participants, activity.women) == (128, 73)
    assert sorted(Headcount.objects.values_list("category", "total", "women")) == [
        ("official", 8, 3),
        ("worker", 120, 70),
    ]
    entry = AuditEntry.objects.get(action="activity.headcounts")
    assert entry.after == {"counts": {"official": [8, 3], "worker": [120, 70]}}


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ({"worker": (-5, 0)}, "worker_total", "The number cannot be negative."),
        ({"worker": (5, -1)}, "worker_women", "The number cannot be negative."),
        ({"citizen": (5, 6)}, "citizen_women", "The women (6) cannot outnumber the participants (5)."),
        ({"worker": (1.5, 0)}, "worker_total", "Enter a whole number."),
    ],
)
def test_negative_or_impossible_counts_are_refused_and_nothing_is_written(cast, world, counts, field, message):
    activity = create(cast.officer, cast.unit, attendance_mode="counted")
    services.headcounts_set(actor=cast.officer, activity=activity, counts={"worker": (10, 2)})
    before = state()
    with pytest.raises(DomainError) as caught:
        services.headcounts_set(actor=cast.officer, activity=activity, counts=counts)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert state() == before


def test_a_roster_activity_takes_no_counts(cast, world):
    activity = create(cast.officer, cast.unit)
    before = state()
    with pytest.raises(DomainError) as caught:
        services.headcounts_set(actor=cast.officer, activity=activity, counts={"worker": (1, 0)})
    assert caught.value.code == "not_counted"
    assert state() == before


# ---------------------------------------------------------------- files


def test_files_are_sniffed_captioned_and_removed(cast, world):
    activity = create(cast.officer, cast.unit)
    photo = services.file_attach(
        actor=cast.officer, activity=activity, upload=upload(PNG, "../anh.png"), kind="photo", caption="Toàn cảnh"
    )
    assert (photo.original_name, photo.content_type, photo.caption, photo.size) == (
        "anh.png",
        "image/png",
        "Toàn cảnh",
        len(PNG),
    )
    before = state()
    with pytest.raises(DomainError) as caught:
        services.file_attach(actor=cast.officer, activity=activity, upload=upload(PDF, "x.png"), kind="photo")
    assert caught.value.code == "file_type"
    with pytest.raises(DomainError) as caught:
        services.file_attach(actor=cast.officer, activity=activity, upload=upload(b"<html>", "x.pdf"), kind="document")
    assert caught.value.code == "file_type"
    with pytest.raises(DomainError) as caught:
        services.file_attach(actor=cast.officer, activity=activity, upload=upload(b""), kind="minutes")
    assert caught.value.code == "empty_file"
    assert state() == before
    services.file_remove(actor=cast.officer, activity=activity, file=photo)
    assert not ActivityFile.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="activity.file").count() == 2


def test_keys(cast):
    assert services.member_key(42) == "m:42"
    assert services.guest_key("Nguyễn  Văn A", "+84 912.345.678") == "g:nguyen van a:84912345678"
    assert (ENDS - STARTS).seconds == 3 * 3600


def test_codes_scanned_together_give_the_outcomes_one_by_one_would(cast, world):
    activity = create(cast.officer, cast.unit)
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    before = AuditEntry.objects.count()
    codes = [world.woman.member_code, world.member.member_code, "99999999999", world.woman.member_code, " "]
    outcomes = services.check_in_codes(actor=cast.officer, activity=activity, codes=codes)
    assert [o.outcome for o in outcomes] == ["added", "already", "unknown", "already", "unknown"]
    assert outcomes[2].message == "No member with code 99999999999."
    activity.refresh_from_db()
    assert (activity.participants, activity.women) == (2, 1)
    assert list(Attendee.objects.filter(activity=activity, person=world.woman).values_list("method", flat=True)) == [
        "qr"
    ]
    assert AuditEntry.objects.count() == before + 1


def test_codes_scanned_by_someone_without_the_right_write_nothing(cast, world):
    activity = create(cast.officer, cast.unit)
    before = state()
    with pytest.raises(NotFound):
        services.check_in_codes(actor=cast.outsider, activity=activity, codes=[world.woman.member_code])
    assert state() == before
