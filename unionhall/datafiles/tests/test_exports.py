"""Export jobs: formula-safe files in storage, logged with their row count and hash, scoped like imports."""

import csv
import datetime as dt
import hashlib
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError, NotFound
from unionhall.datafiles.choices import Direction, JobStatus
from unionhall.datafiles.selectors import datajob_list
from unionhall.datafiles.services import datajob_create, datajob_export_create, datajob_run
from unionhall.datafiles.tasks import datajob_export_submit
from unionhall.orgunits.services import Decision, unit_rename

from .renames import CODE

TODAY = dt.date(2026, 11, 25)


def export(actor, unit, file_format="xlsx"):
    job = datajob_export_create(actor=actor, kind=CODE, unit=unit, file_format=file_format)
    return datajob_run(job_id=job.pk, today=TODAY)


def stored(job) -> bytes:
    with default_storage.open(job.stored_name, "rb") as handle:
        return handle.read()


@pytest.fixture
def dangerous(cast):
    unit_rename(
        actor=cast.admin,
        unit=cast.section,
        names={"vi": "=1+1", "en": "@SUM(1)"},
        decision=Decision(dt.date(2024, 1, 2), "test"),
    )
    cast.refresh()
    return cast


def test_xlsx_export_of_the_subtree_is_formula_safe_and_logged(dangerous):
    cast = dangerous
    job = export(cast.officer, cast.unit)
    assert (job.status, job.direction, job.summary, job.done) == (JobStatus.SUCCEEDED, Direction.EXPORT, {"rows": 2}, 2)
    data = stored(job)
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["code", "name (Vietnamese)", "name (English)", "effective date", "reason"]
    assert values[1][:2] == ["DN-TB-001", "Công đoàn cơ sở Công ty Sông Mây"]
    assert values[2][:4] == ["DN-TB-001-S1", "'=1+1", "'@SUM(1)", dt.datetime(2020, 1, 1)]
    finish = AuditEntry.objects.filter(action="datajob.finish").get()
    assert finish.after["summary"] == {"rows": 2}
    assert finish.after["sha256"] == job.sha256
    assert finish.after["direction"] == "export"


def test_csv_export_is_utf8_with_bom_and_formula_safe(dangerous):
    cast = dangerous
    data = stored(export(cast.officer, cast.unit, "csv"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[2] == ["DN-TB-001-S1", "'=1+1", "'@SUM(1)", "01/01/2020", ""]


def test_an_export_reads_back_through_the_importer(cast):
    data = stored(export(cast.parent, cast.commune))
    job = datajob_create(
        actor=cast.parent, kind=CODE, unit=cast.commune, file=ContentFile(data, name="back.xlsx"), dry_run=True
    )
    job = datajob_run(job_id=job.pk, today=TODAY)
    # Headers, identifiers and date cells read back; only the reason, required when importing, is blank.
    assert job.status == JobStatus.FAILED
    assert job.summary == {"new": 0, "updated": 0, "unchanged": 0, "rejected": 4, "rows": 4, "errors": 4}


def test_export_permissions_and_job_visibility(cast):
    with pytest.raises(NotFound):
        export(cast.sibling, cast.unit)
    with pytest.raises(DomainError):
        datajob_export_create(actor=cast.officer, kind=CODE, unit=cast.unit, file_format="pdf")
    job = export(cast.officer, cast.unit)
    assert list(datajob_list(actor=cast.parent)) == [job]
    assert list(datajob_list(actor=cast.sibling)) == []


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
def test_export_runs_as_a_task(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = datajob_export_submit(actor=cast.officer, kind=CODE, unit=cast.unit, file_format="csv")
    job.refresh_from_db()
    assert (job.status, job.summary) == (JobStatus.SUCCEEDED, {"rows": 2})
