"""The `programmes` record type: keyed by code, parties as unit codes (the lead first), all-or-nothing, idempotent."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import NotFound
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.tests.files import csv_bytes, xlsx_bytes
from unionhall.programmes.models import Programme, ProgrammeOfficer, ProgrammeParty

from .fixtures import state

TODAY = dt.date(2025, 3, 15)
HEADER = ["code", "title", "document number", "recorded by (unit code)", "parties", "starts on", "ends on", "goals"]


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def table(*extra) -> list[list]:
    return [
        HEADER,
        [
            "ca-tb-2020",
            "An ninh khu nhà trọ Trấn Biên",
            "05/CTPH",
            "",
            "DN-TB-001; DN-CA",
            "01/01/2020",
            "31/12/2025",
            "",
        ],
        [
            "ca-s1-2024",
            "Tổ tự quản bộ phận Sản xuất",
            "",
            "DN-TB-001-S1",
            "DN-CA;DN-TB-001-S1",
            "01/06/2024",
            "",
            "Giữ gìn",
        ],
        *extra,
    ]


def run(actor, unit, data: bytes, name: str = "programmes.csv") -> DataJob:
    job = datajob_create(actor=actor, kind="programmes", unit=unit, file=ContentFile(data, name=name), dry_run=False)
    return datajob_run(job_id=job.pk, today=TODAY)


def counts(job: DataJob) -> tuple[int, int, int, int]:
    s = job.summary
    return s["new"], s["updated"], s["unchanged"], s["rejected"]


def reasons(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
        return [(row[0], row[1], row[3]) for row in sheet.iter_rows(values_only=True)][1:]


def imported_state() -> dict:
    """The programmes' rows and their audit entries; the job's own entries are expected."""
    current = state()
    current["audit"] = AuditEntry.objects.exclude(action__startswith="datajob.").count()
    return current


def parties_of(code: str) -> list[tuple[str, str]]:
    return list(
        ProgrammeParty.objects.filter(programme__code=code).order_by("role", "pk").values_list("unit__code", "role")
    )


def test_new_rows_create_programmes_with_their_parties(cast, pworld):
    job = run(cast.officer, cast.unit, csv_bytes(table()))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (2, 0, 0, 0)
    first = Programme.objects.get(code="ca-tb-2020")
    assert (first.owner_id, first.reference, first.start_date, first.end_date) == (
        cast.unit.pk,
        "05/CTPH",
        dt.date(2020, 1, 1),
        dt.date(2025, 12, 31),
    )
    assert parties_of("ca-tb-2020") == [("DN-TB-001", "lead"), ("DN-CA", "partner")]
    assert parties_of("ca-s1-2024") == [("DN-CA", "lead"), ("DN-TB-001-S1", "partner")]
    assert Programme.objects.get(code="ca-s1-2024").owner_id == cast.section.pk
    entries = AuditEntry.objects.filter(action="programme.import").order_by("pk")
    assert [(e.after["code"], e.after["row"]) for e in entries] == [("ca-tb-2020", 2), ("ca-s1-2024", 3)]


def test_reimport_changes_nothing_and_a_correction_updates(cast, pworld):
    data = xlsx_bytes(table())
    run(cast.officer, cast.unit, data, "programmes.xlsx")
    before = imported_state()
    again = run(cast.officer, cast.unit, data, "programmes.xlsx")
    assert counts(again) == (0, 0, 2, 0)
    assert imported_state() == before
    corrected = table()
    corrected[1][4] = "DN-CA; DN-TB-001; DN-TB-002"
    corrected[1][7] = "Không có tội phạm"
    job = run(cast.officer, cast.unit, csv_bytes(corrected))
    assert counts(job) == (0, 1, 1, 0)
    assert parties_of("ca-tb-2020") == [("DN-CA", "lead"), ("DN-TB-001", "partner"), ("DN-TB-002", "partner")]
    programme = Programme.objects.get(code="ca-tb-2020")
    assert (programme.goals, programme.version) == ("Không có tội phạm", 2)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            ["x-1", "A", "", "", "DN-TB-001", "01/01/2020", "", ""],
            "parties",
            "A joint programme has at least 2 parties.",
        ),
        (
            ["x-1", "A", "", "", "DN-TB-001; DN-CA", "01/01/2020", "01/01/2019", ""],
            "ends on",
            "The end date (Jan 1, 2019) is before the start date (Jan 1, 2020).",
        ),
        (
            ["x-1", "A", "", "DN-TB-002", "DN-TB-002; DN-CA", "01/01/2020", "", ""],
            "recorded by (unit code)",
            "Unit DN-TB-002 was not found among the active units of DN-TB-001 that you may import into.",
        ),
        (["x-1", "A", "", "", "DN-CA; DN", "01/01/2020", "", ""], "parties", "The recording unit DN-TB-001 must be"),
        (["x-1", "A", "", "", "DN-TB-001; XX-9", "01/01/2020", "", ""], "parties", "These units were not found: XX-9"),
        (["ca-tb-2020", "A", "", "", "DN-TB-001; DN-CA", "01/01/2020", "", ""], "code", "The same programme as row 2."),
        (
            ["ca-ldld-2018", "A", "", "", "DN-TB-001; DN-CA", "01/01/2020", "", ""],
            "code",
            "Programme ca-ldld-2018 is recorded by unit DN; only an import there may change it.",
        ),
    ],
)
def test_one_bad_row_rejects_the_file_with_its_reason(cast, pworld, row, column, reason):
    before = imported_state()
    job = run(cast.officer, cast.unit, csv_bytes(table(row)))
    assert job.status == JobStatus.FAILED
    assert counts(job) == (2, 0, 0, 1)
    [(number, label, why)] = reasons(job)
    assert (number, label) == (4, column)
    assert why.startswith(reason), why
    assert imported_state() == before


def test_a_party_with_officers_is_not_dropped(cast, pworld):
    ProgrammeOfficer.objects.create(programme=pworld.unit_pg, unit=pworld.police, name="Đại úy B")
    before = imported_state()
    job = run(
        cast.officer, cast.unit, csv_bytes([HEADER, ["ca-songmay", "A", "", "", "DN-TB-001; DN", "01/01/2024", "", ""]])
    )
    [(_number, label, why)] = reasons(job)
    assert (label, why) == ("parties", "Unit DN-CA has mobilised officers; remove them first.")
    assert imported_state() == before


def test_outside_the_scope_no_job_starts(cast, pworld):
    before = imported_state()
    with pytest.raises(NotFound):
        run(cast.sibling, cast.unit, csv_bytes(table()))
    assert imported_state() == before
    assert not DataJob.objects.exists()
