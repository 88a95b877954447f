"""The `activities` and `attendance` record types: validated whole, all-or-nothing, idempotent, with the
reason of every rejected row; nobody counted twice; rows outside the importer's scope are not found."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from unionhall.activities import imports, services
from unionhall.activities.models import Activity, ActivityOrganiser, Attendee, Headcount
from unionhall.audit.models import AuditEntry
from unionhall.datafiles import kinds
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.tests.files import csv_bytes, xlsx_bytes

from .fixtures import create, state

TODAY = dt.date(2025, 6, 1)
UTC = dt.UTC
HEADER = [
    "unit code",
    "reference",
    "kind of activity",
    "title",
    "starts on",
    "start time",
    "ends on",
    "end time",
    "place",
    "co-organisers",
    "attendance",
    "union members",
    "union members: women",
    "workers",
    "workers: women",
]
ROSTER_HEADER = ["unit code", "activity reference", "member code", "full name", "category", "gender", "phone"]


@pytest.fixture(autouse=True)
def _kinds_and_media(tmp_path, settings):
    """The two record types registered for these tests (whatever apps.py registers), files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = {code: kinds._kinds.get(code) for code in (imports.ACTIVITIES, imports.ATTENDANCE)}
    kinds.register(imports.ACTIVITIES_KIND)
    kinds.register(imports.ATTENDANCE_KIND)
    yield
    for code, kind in previous.items():
        if kind is None:
            kinds.unregister(code)
        else:
            kinds.register(kind)


def imported_state() -> dict:
    """The activities' rows and their audit entries; the job's own entries (created, finished) are expected."""
    now = state()
    now["audit"] = AuditEntry.objects.exclude(action__startswith="datajob.").count()
    return now


def run(actor, unit, data: bytes, kind: str, name: str = "file.csv", *, dry_run: bool = False) -> DataJob:
    job = datajob_create(actor=actor, kind=kind, unit=unit, file=ContentFile(data, name=name), dry_run=dry_run)
    return datajob_run(job_id=job.pk, today=TODAY)


def counts(job: DataJob) -> tuple[int, int, int, int]:
    s = job.summary
    return s["new"], s["updated"], s["unchanged"], s["rejected"]


def reasons(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
        return [(row[0], row[1], row[3]) for row in sheet.iter_rows(values_only=True)][1:]


def activity_rows(cast, *extra) -> list[list]:
    return [
        HEADER,
        [
            "",
            "TT-01",
            "dissemination",
            "Tuyên truyền Luật Công đoàn 2024",
            "10/03/2025",
            "08:00",
            "",
            "11:30",
            "Hội trường Công ty Sông Mây",
            "DN-CA",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            cast.section.code,
            "HN-02",
            "Conference",  # the kind's English name
            "Hội nghị người lao động phân xưởng",
            "20/04/2025",
            "",
            "",
            "",
            "Phân xưởng 2",
            "",
            "",
            "35",
            "20",
            "12",
            "",
        ],
        *extra,
    ]


# ---------------------------------------------------------------- activities


def test_new_rows_create_activities_with_organisers_and_counts(cast, world):
    job = run(cast.officer, cast.unit, csv_bytes(activity_rows(cast)), "activities")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (2, 0, 0, 0)
    first = Activity.objects.get(reference="TT-01")
    assert (first.unit_id, first.kind.code, first.title, first.place, first.attendance_mode, first.status) == (
        cast.unit.pk,
        "dissemination",
        "Tuyên truyền Luật Công đoàn 2024",
        "Hội trường Công ty Sông Mây",
        "roster",
        "held",
    )
    # 08:00 and 11:30 in Vietnam (UTC+7).
    assert (first.starts_at, first.ends_at) == (
        dt.datetime(2025, 3, 10, 1, 0, tzinfo=UTC),
        dt.datetime(2025, 3, 10, 4, 30, tzinfo=UTC),
    )
    assert set(ActivityOrganiser.objects.filter(activity=first).values_list("unit__code", flat=True)) == {
        "DN-TB-001",
        "DN-CA",
    }
    second = Activity.objects.get(reference="HN-02")
    assert (second.unit_id, second.kind.code, second.attendance_mode, second.ends_at) == (
        cast.section.pk,
        "conference",
        "counted",
        None,
    )
    assert second.starts_at == dt.datetime(2025, 4, 19, 17, 0, tzinfo=UTC)  # the start of the day in Vietnam
    assert sorted(Headcount.objects.filter(activity=second).values_list("category", "total", "women")) == [
        ("member", 35, 20),
        ("worker", 12, 0),
    ]
    assert (second.participants, second.women) == (47, 20)
    assert list(
        AuditEntry.objects.filter(action__startswith="activity.").order_by("pk").values_list("action", flat=True)
    ) == [
        "activity.create",
        "activity.create",
        "activity.headcounts",
    ]


def test_xlsx_works_the_same(cast, world):
    table = activity_rows(cast)
    table[1][4] = dt.date(2025, 3, 10)  # a date cell
    table[2][11] = 35  # number cells
    table[2][12] = 20
    job = run(cast.officer, cast.unit, xlsx_bytes(table), "activities", "activities.xlsx")
    assert counts(job) == (2, 0, 0, 0), job.error
    assert Activity.objects.get(reference="TT-01").starts_at == dt.datetime(2025, 3, 10, 1, 0, tzinfo=UTC)
    assert Headcount.objects.get(category="member").total == 35


def test_reimport_changes_nothing_and_a_correction_updates(cast, world):
    data = csv_bytes(activity_rows(cast))
    run(cast.officer, cast.unit, data, "activities")
    before = imported_state()
    again = run(cast.officer, cast.unit, data, "activities")
    assert counts(again) == (0, 0, 2, 0)
    assert imported_state() == before

    corrected = activity_rows(cast)
    corrected[1][3] = "Tuyên truyền Luật Công đoàn (sửa đổi) 2024"
    corrected[1][9] = ""  # the police no longer co-organise
    corrected[2][11] = "36"
    job = run(cast.officer, cast.unit, csv_bytes(corrected), "activities")
    assert counts(job) == (0, 2, 0, 0), job.error
    first = Activity.objects.get(reference="TT-01")
    assert (first.title, first.version) == ("Tuyên truyền Luật Công đoàn (sửa đổi) 2024", 2)
    assert list(ActivityOrganiser.objects.filter(activity=first).values_list("unit_id", flat=True)) == [cast.unit.pk]
    second = Activity.objects.get(reference="HN-02")
    assert (second.participants, second.women, second.version) == (48, 20, 1)
    assert Activity.objects.count() == 2


def test_columns_left_out_keep_what_is_recorded(cast, world):
    run(cast.officer, cast.unit, csv_bytes(activity_rows(cast)), "activities")
    before = imported_state()
    short = [
        ["reference", "kind of activity", "title", "starts on", "start time", "end time"],
        ["TT-01", "dissemination", "Tuyên truyền Luật Công đoàn 2024", "10/03/2025", "08:00", "11:30"],
    ]
    job = run(cast.officer, cast.unit, csv_bytes(short), "activities")
    assert counts(job) == (0, 0, 1, 0), job.error
    assert imported_state() == before
    assert Activity.objects.get(reference="TT-01").place == "Hội trường Công ty Sông Mây"


def test_a_dry_run_reports_the_same_and_writes_nothing(cast, world):
    before = imported_state()
    dry = run(cast.officer, cast.unit, csv_bytes(activity_rows(cast)), "activities", dry_run=True)
    assert dry.status == JobStatus.SUCCEEDED and counts(dry) == (2, 0, 0, 0)
    assert imported_state() == before


def bad_activity(**changes) -> list:
    row = ["", "TT-09", "training", "Lớp tập huấn", "01/05/2025", "08:00", "", "", "", "", "", "", "", "", ""]
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"c6": "30/04/2025"}, "ends on", "The activity ends before it starts."),
        ({"c7": "07:00"}, "end time", "The activity ends before it starts."),
        ({"c5": "25:00"}, "start time", "Write the time as hh:mm, e.g. 08:30."),
        ({"c11": "-5"}, "union members", "The number cannot be negative."),
        ({"c13": "10", "c14": "-1"}, "workers: women", "The number cannot be negative."),
        ({"c11": "5", "c12": "6"}, "union members: women", "The women (6) cannot outnumber the participants (5)."),
        (
            {"c10": "roster", "c11": "5"},
            "attendance",
            "This activity keeps a roster; participants are checked in, not counted.",
        ),
        ({"c2": "karaoke"}, "kind of activity", "There is no kind of activity karaoke in use."),
        (
            {"c2": "workplace_dialogue"},
            "kind of activity",
            "Record workplace dialogues and employee conferences on the workplace democracy pages.",
        ),
        ({"c1": "TT-01"}, "reference", "The same activity as row 2."),
        ({"c9": "DN-CA; NOPE"}, "co-organisers", "Unit NOPE was not found."),
        (
            {"c0": "DN-TB-002"},
            "unit code",
            "Unit DN-TB-002 was not found among the active units of DN-TB-001 that you may import into.",
        ),
        ({"c4": "31/02/2025"}, "starts on", "This date does not exist."),
    ],
)
def test_one_bad_row_rejects_the_file_with_its_reason(cast, world, changes, column, reason):
    before = imported_state()
    job = run(cast.officer, cast.unit, csv_bytes(activity_rows(cast, bad_activity(**changes))), "activities")
    assert job.status == JobStatus.FAILED
    assert counts(job) == (2, 0, 0, 1)
    assert job.error == "1 row was rejected; nothing was written."
    [(number, label, why)] = reasons(job)
    assert (number, label, why) == (4, column, reason)
    assert imported_state() == before


def test_a_movement_or_programme_the_importer_does_not_see_is_not_found(cast, world):
    header = ["reference", "kind of activity", "title", "starts on", "movement code", "programme code"]
    table = [header, ["A-1", "training", "Tập huấn", "01/05/2025", "khong-co", ""]]
    table.append(["A-2", "training", "Tập huấn", "01/05/2025", "", "khong-co"])
    before = imported_state()
    job = run(cast.officer, cast.unit, csv_bytes(table), "activities")
    assert reasons(job) == [
        (2, "movement code", "Movement khong-co was not found."),
        (3, "programme code", "Programme khong-co was not found."),
    ]
    assert imported_state() == before


def test_an_activity_with_attendance_cannot_change_how_it_is_kept(cast, world):
    activity = create(cast.officer, cast.unit, reference="TT-01")

    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    before = imported_state()
    table = [
        ["reference", "kind of activity", "title", "starts on", "attendance"],
        ["TT-01", "dissemination", "Tuyên truyền", "10/03/2025", "counted"],
    ]
    job = run(cast.officer, cast.unit, csv_bytes(table), "activities")
    assert reasons(job) == [
        (2, "attendance", "Attendance is already recorded; remove it before changing how attendance is kept.")
    ]
    assert imported_state() == before


def test_the_template_command_in_two_languages(tmp_path):
    out = tmp_path / "activities-en.xlsx"
    call_command("import", "activities", "--template", "--lang", "en", "-o", str(out))
    header = [cell.value for cell in openpyxl.load_workbook(out).worksheets[0][1]]
    assert len(header) == len(imports.ACTIVITY_COLUMNS) == 25
    assert header[:5] == ["unit code", "reference", "kind of activity", "title", "starts on"]
    roster = tmp_path / "attendance-vi.xlsx"
    call_command("import", "attendance", "--template", "--lang", "vi", "-o", str(roster))
    assert len([c.value for c in openpyxl.load_workbook(roster).worksheets[0][1]]) == len(ROSTER_HEADER)


# ---------------------------------------------------------------- attendance


@pytest.fixture
def session(cast, world):
    """A session of the grassroots union keeping a roster, and one of the sibling union."""
    own = create(cast.officer, cast.unit, reference="TT-01")
    other = create(cast.sibling, cast.sibling_unit, reference="TT-01")
    return own, other


def roster_rows(cast, world, *extra) -> list[list]:
    return [
        ROSTER_HEADER,
        ["", "TT-01", world.member.member_code, "", "", "", ""],
        [cast.unit.code, "TT-01", world.woman.member_code, "", "", "", ""],
        ["", "TT-01", "", "Lê Văn Khách", "Citizens", "Male", "0912 345 678"],
        *extra,
    ]


def test_a_roster_checks_members_and_guests_in_once_each(cast, world, session):
    own, _other = session
    job = run(cast.officer, cast.unit, csv_bytes(roster_rows(cast, world)), "attendance")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (3, 0, 0, 0)
    attendees = Attendee.objects.filter(activity=own).order_by("pk")
    assert sorted(attendees.values_list("key", "person_id", "name", "category", "gender", "method")) == [
        (services.guest_key("Lê Văn Khách", "0912345678"), None, "Lê Văn Khách", "citizen", "male", "import"),
        (services.member_key(world.member.pk), world.member.pk, "", "member", "male", "import"),
        (services.member_key(world.woman.pk), world.woman.pk, "", "member", "female", "import"),
    ]
    own.refresh_from_db()
    assert (own.participants, own.women) == (3, 1)
    assert AuditEntry.objects.filter(action="activity.checkin").count() == 3


def test_duplicates_in_the_file_and_people_already_checked_in_are_unchanged(cast, world, session):
    own, _other = session
    run(cast.officer, cast.unit, csv_bytes(roster_rows(cast, world)), "attendance")
    before = imported_state()
    again = roster_rows(
        cast,
        world,
        ["", "TT-01", f" {world.member.member_code.lower()} ", "", "", "", ""],
        ["", "TT-01", "", "LÊ VĂN KHÁCH", "Citizens", "Male", "0912345678"],
    )
    job = run(cast.officer, cast.unit, csv_bytes(again), "attendance")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (0, 0, 5, 0)
    assert imported_state() == before
    own.refresh_from_db()
    assert own.participants == 3


def test_a_duplicate_inside_a_new_file_is_counted_once(cast, world, session):
    own, _other = session
    table = [ROSTER_HEADER, *[["", "TT-01", world.member.member_code, "", "", "", ""]] * 3]
    job = run(cast.officer, cast.unit, csv_bytes(table), "attendance")
    assert counts(job) == (1, 0, 2, 0), job.error
    own.refresh_from_db()
    assert (own.participants, Attendee.objects.filter(activity=own).count()) == (1, 1)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            ["DN-TB-002", "TT-01", "{member}", "", "", "", ""],
            "unit code",
            "Unit DN-TB-002 was not found among the active units of DN-TB-001 that you may import into.",
        ),
        (
            ["", "TT-99", "{member}", "", "", "", ""],
            "activity reference",
            "Activity TT-99 of unit DN-TB-001 was not found among those you may check people in at.",
        ),
        (["", "TT-01", "0000000000X", "", "", "", ""], "member code", "No member with code 0000000000X."),
        (["", "TT-01", "{far}", "", "", "", ""], "member code", "No member with code {far}."),
        (["", "TT-01", "{sibling}", "", "", "", ""], "member code", "No member with code {sibling}."),
        (
            ["", "TT-01", "", "", "Citizens", "", ""],
            "member code",
            "Give the member code of a member, or the full name of a non-member.",
        ),
        (["", "TT-01", "", "Lê Văn Khách", "", "", ""], "category", "The category of a non-member is required."),
        (["", "TT-01", "", "Lê Văn Khách", "Citizens", "", "gọi tôi"], "phone", "Enter a valid phone number."),
        (["", "TT-01", "", "Lê Văn Khách", "Aliens", "", ""], "category", None),
    ],
)
def test_one_bad_roster_row_rejects_the_file(cast, world, session, row, column, reason):
    codes = {
        "member": world.member.member_code,
        "far": world.far_member.member_code,
        "sibling": world.sibling_member.member_code,
    }
    row = [cell.format(**codes) for cell in row]
    before = imported_state()
    job = run(cast.officer, cast.unit, csv_bytes(roster_rows(cast, world, row)), "attendance")
    assert job.status == JobStatus.FAILED
    assert counts(job) == (3, 0, 0, 1)
    [(number, label, why)] = reasons(job)
    assert (number, label) == (5, column)
    if reason is not None:
        assert why == reason.format(**codes)
    assert imported_state() == before


def test_rows_of_an_activity_outside_the_importers_scope_are_not_found(cast, world, session):
    """A grassroots officer's file naming the sibling's session is refused; the commune's officer may import it."""
    _own, other = session
    table = [ROSTER_HEADER, ["DN-TB-002", "TT-01", world.sibling_member.member_code, "", "", "", ""]]
    before = imported_state()
    # The grassroots officer imports into their own union: the sibling's session is outside it.
    job = run(cast.officer, cast.unit, csv_bytes(table), "attendance")
    assert job.status == JobStatus.FAILED
    assert reasons(job) == [
        (
            2,
            "unit code",
            "Unit DN-TB-002 was not found among the active units of DN-TB-001 that you may import into.",
        )
    ]
    assert imported_state() == before
    # The commune's officer sees both, and checks the sibling's member in at the sibling's session.
    job = run(cast.parent, cast.commune, csv_bytes(table), "attendance")
    assert counts(job) == (1, 0, 0, 0), job.error
    assert list(Attendee.objects.values_list("activity_id", "person_id")) == [(other.pk, world.sibling_member.pk)]


def test_a_counted_activity_keeps_no_roster(cast, world):
    create(cast.officer, cast.unit, reference="HN-02", attendance_mode="counted")
    table = [ROSTER_HEADER, ["", "HN-02", world.member.member_code, "", "", "", ""]]
    before = imported_state()
    job = run(cast.officer, cast.unit, csv_bytes(table), "attendance")
    assert reasons(job) == [
        (2, "activity reference", "This activity counts participants by category; it keeps no roster.")
    ]
    assert imported_state() == before
