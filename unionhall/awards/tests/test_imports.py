"""The `awards` record type: historic awards validated first, all-or-nothing, idempotent, dry run = real run."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from unionhall.awards.models import Award, Decision
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.tests.files import csv_bytes, xlsx_bytes

from .awarding import decide, english, member, state  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")
TODAY = dt.date(2025, 3, 15)
HEADER = [
    "award type code",
    "decision number",
    "signed on",
    "granting unit code",
    "member code",
    "unit code",
    "achievement year",
    "bonus (VND)",
]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(cast):
    return member(cast, cast.unit, "Nguyễn Thị Lan"), member(cast, cast.section, "Trần Văn Bình")


def rows(cast, people, *extra):
    lan, binh = people
    return [
        HEADER,
        ["lao_dong_tien_tien", "15/QĐ-CĐ", "20/01/2024", cast.commune.code, lan.member_code, "", "2023", ""],
        ["lao_dong_tien_tien", "15/QĐ-CĐ", "20/01/2024", cast.commune.code, binh.member_code, "", "2023", "540000"],
        ["tap_the_lao_dong_tien_tien", "16/QĐ-CĐ", "20/01/2024", cast.commune.code, "", cast.section.code, "2023", ""],
        *extra,
    ]


def run(actor, cast, data: bytes, name: str = "awards.csv", *, dry_run: bool = False) -> DataJob:
    job = datajob_create(actor=actor, kind="awards", unit=cast.unit, file=ContentFile(data, name=name), dry_run=dry_run)
    return datajob_run(job_id=job.pk, today=TODAY)


def counts(job: DataJob) -> tuple[int, int, int, int]:
    s = job.summary
    return s["new"], s["updated"], s["unchanged"], s["rejected"]


def reasons(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
        return [(row[0], row[3]) for row in list(sheet.iter_rows(values_only=True))[1:]]


def awards_state() -> dict:
    """The awards' rows; the job's own audit entries (created, finished) are expected."""
    from unionhall.audit.models import AuditEntry

    values = state()
    values["audit"] = AuditEntry.objects.exclude(action__startswith="datajob.").count()
    values["bonuses"] = sorted(Award.objects.values_list("bonus_vnd", flat=True))
    return values


def test_historic_awards_are_imported_with_computed_or_given_bonuses(cast, people):
    job = run(cast.officer, cast, csv_bytes(rows(cast, people)))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert counts(job) == (3, 0, 0, 0)
    lan, binh = people
    lan_award = Award.objects.get(person=lan)
    assert lan_award.bonus_vnd == 540_000  # 0.3 × 1,800,000 (in force on 20 January 2024)
    assert Award.objects.get(person=binh).bonus_vnd == 540_000
    assert Award.objects.get(unit=cast.section).bonus_vnd == 1_440_000  # 0.8 × 1,800,000
    assert lan_award.awardee_unit == cast.unit
    assert Decision.objects.count() == 2
    assert Decision.objects.get(number="15/QĐ-CĐ").awards.count() == 2


def test_importing_the_same_file_again_changes_nothing(cast, people):
    data = csv_bytes(rows(cast, people))
    run(cast.officer, cast, data)
    before = awards_state()
    job = run(cast.officer, cast, data)
    assert counts(job) == (0, 0, 3, 0)
    assert awards_state() == before


def test_a_changed_bonus_updates_the_award(cast, people):
    run(cast.officer, cast, csv_bytes(rows(cast, people)))
    changed = rows(cast, people)
    changed[1][7] = "600000"
    job = run(cast.officer, cast, xlsx_bytes(changed), "awards.xlsx")
    assert counts(job) == (0, 1, 2, 0)
    assert Award.objects.get(person=people[0]).bonus_vnd == 600_000


def test_a_dry_run_reports_the_same_and_writes_nothing(cast, people):
    before = awards_state()
    job = run(cast.officer, cast, csv_bytes(rows(cast, people)), dry_run=True)
    assert job.status == JobStatus.SUCCEEDED
    assert counts(job) == (3, 0, 0, 0)
    assert awards_state() == before


def test_one_bad_row_rejects_the_whole_file_with_every_error_reported(cast, people):
    lan, _binh = people
    stranger = member(cast, cast.sibling_unit, "Lê Văn Cường")
    bad = rows(
        cast,
        people,
        ["nope", "1", "20/01/2024", cast.commune.code, lan.member_code, "", "2023", ""],
        ["lao_dong_tien_tien", "17/QĐ", "20/01/2024", cast.commune.code, stranger.member_code, "", "2023", ""],
        ["lao_dong_tien_tien", "18/QĐ", "20/01/2024", cast.commune.code, lan.member_code, "", "2023", ""],
        ["chien_si_thi_dua_tinh", "19/QĐ", "20/01/2024", cast.unit.code, lan.member_code, "", "2023", ""],
        ["giay_khen", "20/QĐ", "20/01/2024", cast.commune.code, lan.member_code, "", "2025", ""],
        ["giay_khen", "21/QĐ", "20/01/2024", cast.commune.code, lan.member_code, "", "2022", "-5"],
        ["giay_khen", "22/QĐ", "20/01/2024", cast.commune.code, lan.member_code, "", "2021", str(10**16)],
    )
    before = awards_state()
    job = run(cast.officer, cast, csv_bytes(bad))
    assert job.status == JobStatus.FAILED
    assert counts(job)[3] == 7
    found = dict(reasons(job))
    assert "There is no award type nope." in found[5]
    assert "No member with code" in found[6]
    assert "Already awarded for 2023 by decision 15/QĐ-CĐ" in found[7] or "same year as row 2" in found[7]
    assert "may not grant" in found[8]
    assert "after the decision" in found[9]
    assert "cannot be negative" in found[10]
    assert "cannot exceed" in found[11]
    assert awards_state() == before


def test_an_award_already_recorded_by_another_decision_is_refused(cast, people):
    lan, _binh = people
    decide(cast, "lao_dong_tien_tien", [(lan, 2023, None)], number="01/QĐ", signed_on=dt.date(2024, 1, 25))
    job = run(cast.officer, cast, csv_bytes(rows(cast, people)))
    assert job.status == JobStatus.FAILED
    assert "one achievement is awarded only once" in dict(reasons(job))[2]


def test_a_once_only_prize_twice_in_the_file_is_refused(cast, people):
    lan, _binh = people
    data = [
        HEADER,
        ["ky_niem_chuong", "1/QĐ-TLĐ", "28/07/2022", cast.root.code, lan.member_code, "", "2022", "0"],
        ["ky_niem_chuong", "2/QĐ-TLĐ", "28/07/2023", cast.root.code, lan.member_code, "", "2023", "0"],
    ]
    job = run(cast.officer, cast, csv_bytes(data))
    assert "awarded once per person" in dict(reasons(job))[3]


def test_rows_of_one_decision_must_agree_on_the_award_type(cast, people):
    lan, binh = people
    data = [
        HEADER,
        ["lao_dong_tien_tien", "15/QĐ", "20/01/2024", cast.commune.code, lan.member_code, "", "2023", ""],
        ["giay_khen", "15/QĐ", "20/01/2024", cast.commune.code, binh.member_code, "", "2023", ""],
    ]
    job = run(cast.officer, cast, csv_bytes(data))
    assert "another award type for the same decision" in dict(reasons(job))[3]


def test_the_import_needs_award_import_on_the_unit(cast, people):
    from unionhall.core.errors import DomainError

    before = awards_state()
    with pytest.raises(DomainError):
        run(cast.sibling, cast, csv_bytes(rows(cast, people)))
    assert awards_state() == before
