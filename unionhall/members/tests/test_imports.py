"""The `members` record type: roster files upserted by national ID, all-or-nothing, idempotent, scoped."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import grant, make_user
from unionhall.audit.chain import find_break
from unionhall.audit.models import AuditEntry
from unionhall.core import fieldcrypto
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.kinds import kind_get
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_export_create, datajob_run
from unionhall.datafiles.tests.files import csv_bytes, xlsx_bytes
from unionhall.datafiles.writing import template_write
from unionhall.members import imports, services
from unionhall.members.codes import member_code_is_valid
from unionhall.members.models import Membership, Person
from unionhall.members.services import ID_CONTEXT

from .people import cccd, fresh, register
from .snapshots import members_state as _members_state

TODAY = dt.date(2025, 1, 15)
HEADER = ["full name", "gender", "date of birth", "identity number", "phone", "unit code", "joined on"]
LAN = cccd("075", year=1990, female=True, tail="000001")
BINH = cccd("001", year=1985, tail="000002")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def roster(cast, *extra: list) -> list[list]:
    return [
        HEADER,
        ["Nguyễn Thị Lan", "Female", "17/05/1990", LAN, "0912345678", "", "01/03/2021"],
        ["Trần Văn Bình", "nam", "02/01/1985", BINH, "", cast.section.code, "01/07/2024"],
        *extra,
    ]


def run(actor, cast, data: bytes, name: str = "members.csv", *, dry_run: bool = False, unit=None) -> DataJob:
    job = datajob_create(
        actor=actor, kind="members", unit=unit or cast.unit, file=ContentFile(data, name=name), dry_run=dry_run
    )
    return datajob_run(job_id=job.pk, today=TODAY)


def counts(job: DataJob) -> tuple[int, int, int, int]:
    s = job.summary
    return s["new"], s["updated"], s["unchanged"], s["rejected"]


def report(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
        return [tuple(row) for row in sheet.iter_rows(values_only=True)][1:]


def reasons(job: DataJob) -> list[tuple[int, str]]:
    return [(row[0], row[3]) for row in report(job)]


def members_state() -> dict:
    """The members' rows and their audit entries; the job's own entries (created, finished) are expected."""
    state = _members_state()
    state["audit"] = AuditEntry.objects.exclude(action__startswith="datajob.").count()
    return state


def by_name(name: str) -> Person:
    return Person.objects.get(full_name=name)


def test_new_rows_create_people_and_memberships_with_one_audit_entry_each(cast):
    job = run(cast.officer, cast, csv_bytes(roster(cast)))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (2, 0, 0, 0)
    lan, binh = by_name("Nguyễn Thị Lan"), by_name("Trần Văn Bình")
    assert member_code_is_valid(lan.member_code) and member_code_is_valid(binh.member_code)
    assert lan.gender == "female" and lan.date_of_birth == dt.date(1990, 5, 17) and lan.phone == "0912345678"
    assert lan.id_kind == "cccd" and lan.nationality == "VN" and lan.national_id_hint == LAN[-3:]
    assert fieldcrypto.decrypt(lan.national_id_encrypted, context=ID_CONTEXT) == LAN
    assert lan.search_name == f"nguyen thi lan {lan.member_code.lower()} 0912345678"
    assert list(Membership.objects.order_by("person__full_name").values_list("person__full_name", "unit__code")) == [
        ("Nguyễn Thị Lan", cast.unit.code),
        ("Trần Văn Bình", cast.section.code),
    ]
    entries = AuditEntry.objects.filter(action="member.import").order_by("id")
    assert [(e.object_id, e.unit_path) for e in entries] == [
        (str(lan.pk), cast.unit.path),
        (str(binh.pk), cast.section.path),
    ]
    assert entries[0].after["national_id"] == "***" and LAN not in str(entries[0].after)
    assert find_break(AuditEntry.objects.order_by("id").values()) is None


def test_the_writing_phase_reports_each_chunk_of_rows_written(cast, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 1)
    job = datajob_create(
        actor=cast.officer,
        kind="members",
        unit=cast.unit,
        file=ContentFile(csv_bytes(roster(cast)), name="m.csv"),
        dry_run=False,
    )
    heard: list[tuple[str, int, int]] = []
    job = datajob_run(job_id=job.pk, today=TODAY, progress=lambda *step: heard.append(step))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert heard == [("checking", 2, 2), ("writing", 1, 2), ("writing", 2, 2)]
    assert Person.objects.filter(full_name__in=["Nguyễn Thị Lan", "Trần Văn Bình"]).count() == 2


def test_the_same_file_again_changes_nothing_and_a_corrected_file_updates_without_duplicates(cast):
    data = csv_bytes(roster(cast))
    run(cast.officer, cast, data)
    before = members_state()
    again = run(cast.officer, cast, data)
    assert counts(again) == (0, 0, 2, 0) and again.summary["same_file_as"]
    assert members_state() == before

    corrected = roster(cast)
    corrected[1][4] = "0987654321"
    job = run(cast.officer, cast, csv_bytes(corrected))
    assert counts(job) == (0, 1, 1, 0)
    lan = by_name("Nguyễn Thị Lan")
    assert (Person.objects.count(), lan.phone, lan.version) == (2, "0987654321", 2)
    assert lan.search_name.endswith("0987654321")
    entry = AuditEntry.objects.filter(action="member.import").latest("id")
    assert (entry.before, entry.after) == ({"phone": "0912345678"}, {"phone": "0987654321", "row": 2})


def test_a_dry_run_reports_what_the_real_run_does_and_writes_nothing(cast):
    before = members_state()
    dry = run(cast.officer, cast, csv_bytes(roster(cast)), dry_run=True)
    assert dry.status == JobStatus.SUCCEEDED and counts(dry) == (2, 0, 0, 0)
    assert members_state() == before
    real = run(cast.officer, cast, csv_bytes(roster(cast)))
    assert counts(real) == counts(dry)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["Lê Văn C", "nam", "01/01/1990", "999090000003", "", "", "01/01/2020"], 4, "not a province code"),
        (["Lê Văn C", "nam", "01/01/1990", "075290000003", "", "", "01/01/2020"], 4, "century"),
        (["Lê Thị C", "nữ", "01/01/1990", "075090000003", "", "", "01/01/2020"], 4, "gender"),
        (["Lê Văn C", "nam", "01/01/1990", "075091000003", "", "", "01/01/2020"], 4, "year of birth"),
        (["Lê Văn C", "nam", "01/01/1990", LAN, "", "", "01/01/2020"], 4, "same person as row 2"),
        (["Lê Văn C", "nam", "01/01/1990", "075090000003", "", "", "01/01/2099"], 7, "future"),
        (["Lê Văn C", "nam", "01/01/1990", "075090000003", "", "NOPE", "01/01/2020"], 6, "NOPE was not found"),
        (["Lê Văn C", "nam", "01/01/1990", "075090000003", "", "DN-TB-002", "01/01/2020"], 6, "was not found"),
        (["Lê Văn C", "nam", "01/01/1990", "075090000003", "", "", ""], 7, "required for a new member"),
        (["Lê Văn C", "nam", "01/01/1990", "", "", "", "01/01/2020"], 4, "Give the identity number"),
        (["Lê Văn C", "nam", "01/01/1990", "075090000003", "12", "", "01/01/2020"], 5, "6 to 15 digits"),
        (["Lê Văn C", "nam", "01/01/1990", "075090000003", "", "", "01/01/1980"], 7, "before the date of birth"),
        (["Lê Văn C", "nam", "01/01/1990", "=1+1", "", "", "01/01/2020"], 4, None),
        (["Lê\x00 Văn C", "nam", "01/01/1990", "075090000003", "", "", "01/01/2020"], 1, "not allowed"),
    ],
)
def test_one_bad_row_rejects_the_file_with_its_reason_and_nothing_is_written(cast, row, column, reason):
    before = members_state()
    job = run(cast.officer, cast, csv_bytes(roster(cast, row)))
    assert job.status == JobStatus.FAILED and counts(job) == (2, 0, 0, 1)
    assert job.error == "1 row was rejected; nothing was written."
    [(number, col_label, _value, why)] = report(job)
    assert number == 4 and col_label == HEADER[column - 1]
    if reason:
        assert reason in why
    assert members_state() == before


def test_an_identity_number_typed_as_a_number_in_excel_is_flagged(cast):
    rows = roster(cast, ["Lê Văn C", "nam", "01/01/1990", 75090000003, "", "", "01/01/2020"])
    job = run(cast.officer, cast, xlsx_bytes(rows), name="members.xlsx")
    [(number, why)] = reasons(job)
    assert number == 4 and "stored as a number" in why
    assert Person.objects.count() == 0


def test_a_member_of_another_unit_in_scope_is_not_moved_by_an_import(cast):
    register(cast.admin, cast.sibling_unit, "Phạm Văn D", national_id=cccd(tail="000004"), id_kind="cccd")
    rows = roster(cast, ["Phạm Văn D", "nam", "17/05/1990", cccd(tail="000004"), "", "", "01/01/2024"])
    before = members_state()
    job = run(cast.parent, cast, csv_bytes(rows), unit=cast.commune)
    assert reasons(job) == [
        (4, "This person is a member of unit DN-TB-002: transfer them on their page, not by import.")
    ]
    assert members_state() == before


def test_a_member_elsewhere_out_of_scope_is_refused_without_naming_the_unit(cast):
    register(cast.admin, cast.other_province, "Phạm Văn D", national_id=cccd(tail="000004"), id_kind="cccd")
    rows = roster(cast, ["Phạm Văn D", "nam", "17/05/1990", cccd(tail="000004"), "", "", "01/01/2024"])
    job = run(cast.officer, cast, csv_bytes(rows))
    assert reasons(job) == [(4, "A person with this identity number is a member of another unit.")]
    assert "KH" not in str(report(job))


def test_a_former_member_last_seen_out_of_scope_rejoins_with_a_new_membership(cast):
    person = register(
        cast.admin,
        cast.other_province,
        "Phạm Văn D",
        national_id=cccd(tail="000004"),
        id_kind="cccd",
        religion="Phật giáo",
    )
    home = Membership.objects.get(person=person)
    services.membership_end(
        actor=cast.admin, membership=home, reason="left_job", day=dt.date(2023, 12, 31), today=TODAY
    )
    rows = roster(cast, ["Phạm Văn Đông", "nam", "17/05/1990", cccd(tail="000004"), "", "", "01/01/2024"])
    job = run(cast.officer, cast, csv_bytes(rows))
    assert counts(job) == (2, 1, 0, 0), job.error
    person.refresh_from_db()
    assert person.full_name == "Phạm Văn Đông" and Person.objects.count() == 3
    assert person.religion == ""  # what the former unit recorded does not follow the person
    assert list(Membership.objects.filter(person=person).order_by("join_date").values_list("unit__code", "status")) == [
        ("KH", "ended"),
        (cast.unit.code, "active"),
    ]
    # A re-join may not start before the end of the earlier membership.
    services.membership_end(
        actor=cast.admin,
        membership=Membership.objects.get(person=person, status="active"),
        reason="left_job",
        day=dt.date(2024, 6, 30),
        today=TODAY,
    )
    rows[3][6] = "01/06/2024"
    job = run(cast.officer, cast, csv_bytes(rows))
    assert reasons(job) == [(4, "The date is before the end of an earlier membership of this person.")]


def test_sensitive_columns_need_their_permission(cast, settings):
    header = [*HEADER, "ethnicity"]
    rows = [header, ["Nguyễn Thị Lan", "Female", "17/05/1990", LAN, "", "", "01/03/2021", "Tày"]]
    job = run(fresh(cast.parent), cast, csv_bytes(rows), unit=cast.commune)
    assert counts(job) == (1, 0, 0, 0)
    assert by_name("Nguyễn Thị Lan").ethnicity == "Tày"
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    rows[1][3] = BINH
    rows[1][2] = "02/01/1985"
    rows[1][0] = "Trần Thị Hoa"
    rows[1][3] = cccd("001", year=1985, female=True, tail="000009")
    job = run(fresh(clerk), cast, csv_bytes(rows))
    assert reasons(job) == [(2, "You may not record ethnicity or religion in this unit.")]


def test_an_export_reimports_unchanged_and_masks_ids_without_the_permission(cast):
    run(cast.officer, cast, csv_bytes(roster(cast)))
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    job = datajob_export_create(actor=fresh(clerk), kind="members", unit=cast.unit, file_format="csv")
    job = datajob_run(job_id=job.pk, today=TODAY)
    with default_storage.open(job.stored_name, "rb") as stored:
        data = stored.read()
    text = data.decode("utf-8-sig")
    assert LAN not in text and "*********001" in text and "Nguyễn Thị Lan" in text
    before = members_state()
    again = run(fresh(clerk), cast, data)
    assert counts(again) == (0, 0, 2, 0), again.error
    assert members_state() == before


def test_headers_match_in_every_language_from_the_template(cast, tmp_path):
    for language in ("vi", "en", "ar", "fa"):
        path = tmp_path / f"members-{language}.xlsx"
        template_write(str(path), kind=kind_get("members"), language=language)
        header = [c.value for c in openpyxl.load_workbook(path).worksheets[0][1]]
        row = ["", "Nguyễn Thị Lan", "Female", "17/05/1990", "", LAN, "", "", "", "", "", "", "", "", "01/03/2021"]
        job = run(cast.officer, cast, xlsx_bytes([header, row]), name="m.xlsx", dry_run=True)
        assert counts(job) == (1, 0, 0, 0), (language, job.error)


def test_the_command_imports_a_file_as_the_system(cast, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes(roster(cast)))
    out = io.StringIO()
    call_command("import", "members", str(path), "--unit", cast.unit.code, stdout=out)
    assert Person.objects.count() == 2


CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "Nam", "nữ", "01/01/1990", "31/02/2020", "075090000003", "DN-TB-001", "=cmd()", "\x00"]),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=17), min_size=1, max_size=6))
def test_any_cells_give_a_finished_job_and_a_rejected_file_writes_nothing(cast, rows):
    header = [c.key for c in kind_get("members").columns]
    before = members_state()
    job = run(cast.officer, cast, csv_bytes([header, *rows]))
    assert job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    if job.status == JobStatus.FAILED:
        assert members_state() == before
    else:
        assert job.summary["rejected"] == 0
