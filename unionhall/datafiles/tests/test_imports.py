"""Import jobs end to end with a test-only record type (unit renames): all-or-nothing, dry run, reports, audit."""

import datetime as dt
import io
import unicodedata

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Forbidden, NotFound
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.errors import FileRefused
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_create, datajob_run
from unionhall.datafiles.tasks import datajob_submit
from unionhall.orgunits.models import Unit

from .files import HEADER, csv_bytes, xlsx_bytes
from .renames import CODE


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages; the product's default language is Vietnamese."""
    with translation.override("en"):
        yield


DAY = dt.date(2024, 1, 2)
TODAY = dt.date(2026, 11, 25)


def rows(cast) -> list[list]:
    return [
        HEADER,
        [cast.unit.code, "Công đoàn cơ sở Sông Mây mới", "Song May union", DAY, "Đổi tên"],
        [cast.section.code, "Công đoàn bộ phận Đóng gói", None, "02/01/2024", "Đổi tên"],
    ]


def run(actor, cast, data: bytes, name: str = "renames.xlsx", *, dry_run: bool = False, unit=None) -> DataJob:
    job = datajob_create(
        actor=actor, kind=CODE, unit=unit or cast.unit, file=ContentFile(data, name=name), dry_run=dry_run
    )
    return datajob_run(job_id=job.pk, today=TODAY)


def names(cast) -> list[tuple[str, str, int]]:
    return list(Unit.objects.order_by("code").values_list("code", "name_vi", "version"))


def report_rows(job: DataJob) -> list[tuple]:
    with default_storage.open(job.report_name, "rb") as report:
        sheet = openpyxl.load_workbook(io.BytesIO(report.read())).active
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_import_applies_every_row_through_the_domain_service(cast):
    before = actions()
    job = run(cast.officer, cast, xlsx_bytes(rows(cast)))
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary == {"new": 0, "updated": 2, "unchanged": 0, "rejected": 0, "rows": 2, "errors": 0}
    assert (job.done, job.total) == (2, 2)
    assert job.error == "" and job.report_name == ""
    cast.refresh()
    assert (cast.unit.name_vi, cast.unit.name_en) == ("Công đoàn cơ sở Sông Mây mới", "Song May union")
    assert cast.section.name_vi == "Công đoàn bộ phận Đóng gói"
    assert actions()[len(before) :] == ["datajob.create", "unit.rename", "unit.rename", "datajob.finish"]
    finish = AuditEntry.objects.filter(action="datajob.finish").get()
    assert (finish.actor_id, finish.unit_id, finish.after["status"]) == (cast.officer.pk, cast.unit.pk, "succeeded")
    assert len(job.sha256) == 64


@pytest.mark.parametrize("name,make", [("r.xlsx", xlsx_bytes), ("r.csv", csv_bytes)])
def test_dry_run_reports_what_the_real_run_does_and_writes_nothing(cast, name, make):
    data = make([[cell.strftime("%d/%m/%Y") if isinstance(cell, dt.date) else cell for cell in r] for r in rows(cast)])
    before = names(cast)
    dry = run(cast.officer, cast, data, name, dry_run=True)
    assert dry.status == JobStatus.SUCCEEDED
    assert names(cast) == before
    assert "unit.rename" not in actions()
    real = run(cast.officer, cast, data, name)
    assert real.summary == dry.summary
    assert real.status == dry.status
    assert names(cast) != before


def test_reimporting_the_same_file_changes_nothing(cast):
    data = xlsx_bytes(rows(cast))
    first = run(cast.officer, cast, data)
    after_first, audited = names(cast), actions().count("unit.rename")
    second = run(cast.officer, cast, data)
    assert second.status == JobStatus.SUCCEEDED
    assert second.summary == {
        "new": 0,
        "updated": 0,
        "unchanged": 2,
        "rejected": 0,
        "rows": 2,
        "errors": 0,
        "same_file_as": first.pk,
    }
    assert second.sha256 == first.sha256
    assert names(cast) == after_first
    assert actions().count("unit.rename") == audited


def test_one_bad_row_writes_nothing_and_every_error_is_reported(cast):
    bad = [
        *rows(cast),
        [cast.sibling_unit.code, "Ngoài phạm vi", None, "02/01/2024", "x"],
        [123.0, "Mã số", None, "02/01/2024", "x"],
        [cast.unit.code, "Trùng", None, "02/01/2024", "x"],
        [],
        [cast.section.code + "X", "Không có", None, "2024-01-02", "x"],
        ["DN-TB-001-S1", "Tương lai", None, "26/11/2026", "x\x00y"],
        ["DN-TB-001", "Ngày serial", None, 45293, None],
    ]
    before, audited = names(cast), actions().count("unit.rename")
    job = run(cast.officer, cast, xlsx_bytes(bad))
    assert job.status == JobStatus.FAILED
    assert job.error == "6 rows were rejected; nothing was written."
    assert job.summary == {"new": 0, "updated": 2, "unchanged": 0, "rejected": 6, "rows": 8, "errors": 7}
    assert names(cast) == before
    assert actions().count("unit.rename") == audited
    assert report_rows(job) == [
        ("Row", "Column", "Value", "Reason"),
        (4, "code", "DN-TB-002", "No such unit here."),
        (
            5,
            "code",
            "123",
            "This identifier is stored as a number, so leading zeros may have been lost. "
            "Format the column as Text and type it again.",
        ),
        (6, "code", "DN-TB-001", "Same unit as row 2."),
        (8, "effective date", "2024-01-02", "Expected a date written dd/mm/yyyy, e.g. 25/11/2026."),
        (9, "effective date", "26/11/2026", "The date cannot be in the future."),
        (9, "reason", "x\ufffdy", "The text contains characters that are not allowed."),
        (10, "reason", None, "This column is required."),
    ]


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (xlsx_bytes([HEADER, ["DN-TB-001", "a", None, "02/01/2024", "x"]], formula=True), "r.xlsx", "formulas"),
        (xlsx_bytes([HEADER, ["DN-TB-001", "a", None, "02/01/2024", "x"]], merge=True), "r.xlsx", "merged cells"),
        (xlsx_bytes([HEADER, ["DN-TB-001", "a", None, "02/01/2024", "x"]])[:-40], "r.xlsx", "damaged"),
        (csv_bytes([HEADER, ["DN-TB-001", "Sông Mây", "", "02/01/2024", "x"]], encoding="utf-16"), "r.csv", "UTF-8"),
        (csv_bytes([[*HEADER, "Phone"], ["DN-TB-001", "a", "", "02/01/2024", "x", "1"]]), "r.csv", "“Phone”"),
        (csv_bytes([[*HEADER, "Mã"], ["DN-TB-001", "a", "", "02/01/2024", "x", "1"]]), "r.csv", "more than once"),
        (csv_bytes([HEADER, ["DN-TB-001", "a", "", "02/01/2024", "x"]]), "r.txt", ".xlsx and .csv"),
    ],
    ids=["formula", "merged", "truncated", "utf-16", "unknown-column", "duplicate-header", "extension"],
)
def test_refused_files_fail_the_job_and_write_nothing(cast, data, name, error):
    before, audited = names(cast), actions().count("unit.rename")
    job = run(cast.officer, cast, data, name)
    assert job.status == JobStatus.FAILED
    assert error in job.error
    assert job.summary == {}
    assert names(cast) == before
    assert actions().count("unit.rename") == audited
    assert AuditEntry.objects.filter(action="datajob.finish").get().after["status"] == "failed"


def test_nul_bytes_and_blank_lines_in_a_csv_reject_exact_rows(cast):
    data = (
        b"code,name (Vietnamese),effective date,reason\n"
        b"\n"
        b"DN-TB-001,S\x00ng,02/01/2024,x\n"
        b",,,\n"
        b"DN-TB-001-S1,ok,02/01/2024,x\n"
    )
    before = names(cast)
    job = run(cast.officer, cast, data, "r.csv")
    assert (job.status, job.summary["rejected"], job.summary["updated"]) == (JobStatus.FAILED, 1, 1)
    assert report_rows(job)[1:] == [
        (3, "name (Vietnamese)", "S\ufffdng", "The text contains characters that are not allowed.")
    ]
    assert names(cast) == before


def test_empty_and_oversized_files_are_refused_before_any_job(cast, settings):
    with pytest.raises(FileRefused, match="The file is empty"):
        run(cast.officer, cast, b"")
    settings.DATAFILES_MAX_BYTES = 100
    with pytest.raises(FileRefused, match="larger than the limit"):
        run(cast.officer, cast, b"x" * 101, "r.csv")
    assert not DataJob.objects.exists()
    assert "datajob.create" not in actions()


def test_errors_and_report_in_the_users_language(cast):
    cast.officer.language = "vi"
    cast.officer.save()
    job = run(cast.officer, cast, csv_bytes([HEADER, ["DN-TB-001", "", "", "02/01/2024", "x"]]), "r.csv")
    assert job.language == "vi"
    assert report_rows(job)[1][:3] == (2, "tên (tiếng Việt)", None)


def test_progress_and_summary_are_stored(cast, settings):
    many = [HEADER] + [[cast.unit.code, f"Tên {i}", "", "02/01/2024", "x"] for i in range(1200)]
    seen: list[tuple[str, int, int]] = []
    job = datajob_create(
        actor=cast.officer, kind=CODE, unit=cast.unit, file=ContentFile(csv_bytes(many), name="r.csv"), dry_run=True
    )
    job = datajob_run(job_id=job.pk, progress=lambda *heard: seen.append(heard), today=TODAY)
    assert seen == [("checking", 500, 1200), ("checking", 1000, 1200), ("checking", 1200, 1200)]
    job.refresh_from_db()
    assert (job.done, job.total) == (1200, 1200)
    assert job.summary["rows"] == 1200 and job.summary["rejected"] == 1199
    assert job.started_at and job.finished_at


def test_a_job_runs_once(cast):
    job = run(cast.officer, cast, xlsx_bytes(rows(cast)))
    again = datajob_run(job_id=job.pk, today=TODAY)
    assert again.finished_at == job.finished_at
    assert actions().count("datajob.finish") == 1


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
def test_submitted_jobs_run_as_tasks_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = datajob_submit(
            actor=cast.officer,
            kind=CODE,
            unit=cast.unit,
            file=ContentFile(xlsx_bytes(rows(cast)), name="r.xlsx"),
            dry_run=False,
        )
        assert DataJob.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.summary["updated"] == 2


# ---------------------------------------------------------------- permissions


def test_only_holders_of_the_kinds_action_on_the_unit_may_import(cast):
    data = xlsx_bytes(rows(cast))
    for actor in (cast.sibling, cast.outsider):
        with pytest.raises(NotFound):
            run(actor, cast, data)
    from conftest import grant, make_user

    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    with pytest.raises(Forbidden):
        run(viewer, cast, data)
    assert not DataJob.objects.exists()
    assert run(cast.parent, cast, data).status == JobStatus.SUCCEEDED


def test_a_revoked_grant_stops_a_queued_job(cast):
    job = datajob_create(
        actor=cast.officer,
        kind=CODE,
        unit=cast.unit,
        file=ContentFile(xlsx_bytes(rows(cast)), name="r.xlsx"),
        dry_run=False,
    )
    cast.officer.grants.update(revoked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    cast.officer.refresh_from_db()
    job = datajob_run(job_id=job.pk, today=TODAY)
    assert job.status == JobStatus.FAILED
    assert "was not found" in job.error


def test_a_unit_ended_while_the_job_waited_stops_it(cast):
    job = datajob_create(
        actor=cast.officer,
        kind=CODE,
        unit=cast.section,
        file=ContentFile(xlsx_bytes(rows(cast)[::2]), name="r.xlsx"),
        dry_run=False,
    )
    Unit.objects.filter(pk=cast.section.pk).update(status="dissolved", ended_date=dt.date(2026, 1, 1))
    job = datajob_run(job_id=job.pk, today=TODAY)
    assert (job.status, job.error) == (JobStatus.FAILED, "Data can only be imported into active units.")


# ---------------------------------------------------------------- command


def test_command_imports_with_progress_and_exit_status(cast, tmp_path, capsys):
    path = tmp_path / "renames.xlsx"
    path.write_bytes(xlsx_bytes(rows(cast)))
    call_command("import", CODE, str(path), unit=cast.unit.code, actor="officer", dry_run=True)
    out = capsys.readouterr()
    assert "(dry run, sha256 " in out.out and "succeeded. new 0, updated 2, unchanged 0, rejected 0." in out.out
    assert out.err == "\r2 / 2 rows checked\n"
    call_command("import", CODE, str(path), unit=cast.unit.code, actor="officer")
    assert capsys.readouterr().err == (
        "\r2 / 2 rows checked\n\r1 / 2 rows written\r2 / 2 rows written\r2 / 2 rows written\n"
    )
    cast.refresh()
    assert cast.unit.name_vi == "Công đoàn cơ sở Sông Mây mới"

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["DN-TB-001", "", "", "02/01/2024", "x"]]))
    report = tmp_path / "report.xlsx"
    with pytest.raises(CommandError, match="1 row was rejected; nothing was written") as failed:
        call_command("import", CODE, str(bad), unit=cast.unit.code, actor="officer", report=str(report))
    assert failed.value.returncode == 1
    sheet = openpyxl.load_workbook(report).active
    assert [c.value for c in sheet[2]] == [2, "name (Vietnamese)", None, "This column is required."]


def test_command_refusals(cast, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes(rows(cast)))
    with pytest.raises(CommandError, match="Unknown record type"):
        call_command("import", "nothing", str(path), unit=cast.unit.code)
    with pytest.raises(CommandError, match="No unit has the code"):
        call_command("import", CODE, str(path), unit="NOPE")
    with pytest.raises(CommandError, match="was not found"):
        call_command("import", CODE, str(path), unit=cast.unit.code, actor="sibling")
    with pytest.raises(CommandError, match="The file is empty"):
        (tmp_path / "empty.csv").write_bytes(b"")
        call_command("import", CODE, str(tmp_path / "empty.csv"), unit=cast.unit.code, actor="officer")


# ---------------------------------------------------------------- properties (P30)

NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip() and not s.strip().startswith(("=", "+", "-", "@")))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit_name=NAMES, section_name=NAMES, bad_row=st.integers(0, 2), as_csv=st.booleans())
def test_any_roster_imports_once_and_one_bad_row_writes_nothing(cast, unit_name, section_name, bad_row, as_csv):
    table = [
        HEADER,
        [cast.unit.code, unit_name, "", "02/01/2024", "x"],
        [cast.section.code, section_name, "", "02/01/2024", "x"],
    ]
    make, name = (csv_bytes, "r.csv") if as_csv else (xlsx_bytes, "r.xlsx")
    broken = [list(row) for row in table]
    broken.insert(bad_row + 1, [cast.unit.code + "-NO", "a", "", "31/02/2024", "x"])
    before = names(cast)
    job = run(cast.officer, cast, make(broken), name)
    assert (job.status, job.summary["rejected"], job.summary["errors"]) == (JobStatus.FAILED, 1, 1)
    assert names(cast) == before

    dry = run(cast.officer, cast, make(table), name, dry_run=True)
    real = run(cast.officer, cast, make(table), name)
    again = run(cast.officer, cast, make(table), name)
    after = names(cast)
    assert dry.summary == real.summary
    assert again.summary["unchanged"] == 2 and again.summary["updated"] == 0
    assert names(cast) == after
    assert [n for _code, n, _v in after if _code in (cast.unit.code, cast.section.code)] == [
        unicodedata.normalize("NFC", unit_name.strip()),
        unicodedata.normalize("NFC", section_name.strip()),
    ]
