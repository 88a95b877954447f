"""The data-job API: record types and templates, upload → dry run → confirm, errors, exports, who sees what."""

import io
from collections.abc import Iterator

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from unionhall.api.tests.conftest import token_client
from unionhall.core.formatting import Preferences, use_preferences
from unionhall.datafiles.choices import JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.services import datajob_run
from unionhall.orgunits.models import Unit

from .files import HEADER, csv_bytes, xlsx_bytes
from .renames import CODE
from .test_imports import TODAY
from .test_views import NEW_NAME, actions, bad_rows, body, good_rows, names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOB_FIELDS = {
    "id",
    "kind",
    "direction",
    "unit",
    "status",
    "phase",
    "dry_run",
    "file_name",
    "sha256",
    "size",
    "done",
    "total",
    "summary",
    "error",
    "created_at",
    "started_at",
    "finished_at",
}


@pytest.fixture(autouse=True)
def _forget_the_request_language() -> Iterator[None]:
    """A token request activates its user's language in this thread; later tests start from the default."""
    yield
    translation.deactivate()
    use_preferences(Preferences())


def post_file(client: APIClient, data: bytes, name: str = "r.xlsx", **fields) -> object:
    payload = {"kind": CODE, "unit": "DN-TB-001", "file": SimpleUploadedFile(name, data), **fields}
    return client.post("/api/v1/jobs/", payload, format="multipart")


def run(pk: int) -> DataJob:
    return datajob_run(job_id=pk, today=TODAY)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    return error


# ---------------------------------------------------------------- record types


def test_kinds_list_their_columns(cast):
    response = token_client(cast.officer).get("/api/v1/kinds/")
    assert response.status_code == 200
    (kind,) = [k for k in response.json() if k["code"] == CODE]
    assert kind["label"] == "units"
    assert kind["can_export"] is True
    assert kind["columns"][0] == {"key": "code", "label": "code", "type": "identifier", "required": True, "help": ""}
    assert [c["key"] for c in kind["columns"]] == ["code", "name_vi", "name_en", "effective_date", "reason"]
    assert [c["required"] for c in kind["columns"]] == [True, True, False, True, True]


@pytest.mark.parametrize(("lang", "sheet"), [("en", "Columns"), (None, "Columns")])
def test_kind_template(cast, lang, sheet):
    url = f"/api/v1/kinds/{CODE}/template/" + (f"?lang={lang}" if lang else "")
    response = token_client(cast.officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames[1] == sheet  # the officer reads English
    assert [c.value for c in workbook.worksheets[0][1]] == HEADER


def test_kind_template_errors(cast):
    client = token_client(cast.officer)
    assert_error(client.get("/api/v1/kinds/nonsense/template/"), 404, "not_found")
    error = assert_error(client.get(f"/api/v1/kinds/{CODE}/template/?lang=de"), 400, "invalid")
    assert list(error["fields"]) == ["lang"]


@pytest.mark.parametrize(
    "url", ["/api/v1/kinds/", f"/api/v1/kinds/{CODE}/template/", "/api/v1/jobs/", "/api/v1/jobs/1/"]
)
def test_anonymous_is_401(cast, url):
    assert_error(APIClient().get(url), 401, "not_authenticated")


# ---------------------------------------------------------------- upload, dry run, confirm


def test_upload_dry_run_confirm_apply(cast):
    client = token_client(cast.officer)
    before = names()
    response = post_file(client, xlsx_bytes(good_rows(cast)))
    assert response.status_code == 202, response.content
    job = response.json()
    assert set(job) == JOB_FIELDS
    assert (job["kind"], job["unit"], job["dry_run"], job["status"], job["direction"]) == (
        CODE,
        "DN-TB-001",
        True,
        "queued",
        "import",
    )
    assert response["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    run(job["id"])
    assert names() == before
    detail = client.get(f"/api/v1/jobs/{job['id']}/").json()
    assert (detail["status"], detail["done"], detail["total"], detail["first_errors"]) == ("succeeded", 2, 2, [])
    assert detail["summary"] == {"new": 0, "updated": 2, "unchanged": 0, "rejected": 0, "rows": 2, "errors": 0}

    confirmed = client.post(f"/api/v1/jobs/{job['id']}/confirm/")
    assert confirmed.status_code == 202, confirmed.content
    real = confirmed.json()
    assert (real["dry_run"], real["status"], real["sha256"]) == (False, "queued", job["sha256"])
    run(real["id"])
    assert dict(names())[cast.unit.code] == NEW_NAME
    assert client.get(f"/api/v1/jobs/{real['id']}/").json()["status"] == "succeeded"
    listed = client.get("/api/v1/jobs/").json()["results"]
    assert [j["id"] for j in listed] == [real["id"], job["id"]]
    count = DataJob.objects.count()
    assert_error(client.post(f"/api/v1/jobs/{job['id']}/confirm/"), 409, "already_confirmed")
    assert DataJob.objects.count() == count


def test_dry_run_is_the_default_and_false_imports_at_once(cast):
    client = token_client(cast.officer)
    default = post_file(client, csv_bytes(good_rows(cast)), "r.csv").json()
    assert default["dry_run"] is True
    real = post_file(client, csv_bytes(good_rows(cast)), "r.csv", dry_run="false").json()
    assert real["dry_run"] is False
    assert run(real["id"]).status == JobStatus.SUCCEEDED
    assert dict(names())[cast.unit.code] == NEW_NAME


def test_rejected_rows_first_errors_report_and_no_confirm(cast):
    client = token_client(cast.officer)
    job = post_file(client, xlsx_bytes(bad_rows(cast))).json()
    run(job["id"])
    detail = client.get(f"/api/v1/jobs/{job['id']}/").json()
    assert detail["status"] == "failed"
    assert detail["error"] == "2 rows were rejected; nothing was written."
    assert detail["first_errors"] == [
        {"row": 3, "column": "code", "value": "DN-TB-002", "reason": "No such unit here."},
        {"row": 4, "column": "reason", "value": "", "reason": "This column is required."},
    ]
    report = client.get(f"/api/v1/jobs/{job['id']}/report/")
    assert report.status_code == 200 and report["Content-Type"] == XLSX
    rows = list(openpyxl.load_workbook(io.BytesIO(body(report))).active.iter_rows(values_only=True))
    assert rows[0] == ("Row", "Column", "Value", "Reason")
    count, audited = DataJob.objects.count(), actions()
    assert_error(client.post(f"/api/v1/jobs/{job['id']}/confirm/"), 409, "conflict")
    assert (DataJob.objects.count(), actions()) == (count, audited)


def test_confirming_a_real_run_is_a_conflict(cast):
    client = token_client(cast.officer)
    job = post_file(client, xlsx_bytes(good_rows(cast)), dry_run="false").json()
    run(job["id"])
    assert_error(client.post(f"/api/v1/jobs/{job['id']}/confirm/"), 409, "not_dry_run")


@pytest.mark.parametrize(
    ("fields", "name", "data", "field"),
    [
        ({}, "r.csv", b"", "file"),
        ({}, "r.txt", b"code\nDN-TB-001\n", "file"),
        ({}, "r.xlsx", b"not a workbook", "file"),
        ({"unit": "DN-TB-002"}, "r.xlsx", None, "unit"),
        ({"unit": "NOPE"}, "r.xlsx", None, "unit"),
        ({"kind": "nonsense"}, "r.xlsx", None, "kind"),
        ({"extra": "x"}, "r.xlsx", None, "extra"),
    ],
    ids=["empty", "text", "fake-xlsx", "sibling-unit", "no-unit", "no-kind", "unknown-field"],
)
def test_bad_uploads_are_400_and_write_nothing(cast, fields, name, data, field):
    before = actions()
    content = xlsx_bytes(good_rows(cast)) if data is None else data
    error = assert_error(post_file(token_client(cast.officer), content, name, **fields), 400, "invalid")
    assert list(error["fields"]) == [field]
    assert DataJob.objects.count() == 0
    assert actions() == before


def test_too_large_upload_is_400(cast, settings):
    settings.DATAFILES_MAX_BYTES = 1024
    error = assert_error(post_file(token_client(cast.officer), b"x" * 2048, "r.csv"), 400, "invalid")
    assert error["fields"] == {"file": ["The file is larger than the limit of 0 MB."]}
    assert DataJob.objects.count() == 0


def test_an_ended_unit_is_refused(cast):
    Unit.objects.filter(pk=cast.section.pk).update(status="dissolved", ended_date="2024-01-02")
    response = post_file(token_client(cast.officer), xlsx_bytes(good_rows(cast)), unit=cast.section.code)
    error = assert_error(response, 400, "invalid")
    assert error["fields"] == {"unit": ["Data can only be imported into active units."]}
    assert DataJob.objects.count() == 0


# ---------------------------------------------------------------- who sees a job


@pytest.mark.parametrize(("who", "status"), [("officer", 200), ("admin", 200), ("parent", 404), ("outsider", 404)])
def test_a_job_is_seen_by_its_starter_and_superusers_only(cast, who, status):
    job = post_file(token_client(cast.officer), xlsx_bytes(bad_rows(cast))).json()
    run(job["id"])
    client = token_client(getattr(cast, who))
    assert client.get(f"/api/v1/jobs/{job['id']}/").status_code == status
    assert client.get(f"/api/v1/jobs/{job['id']}/report/").status_code == status
    listed = [j["id"] for j in client.get("/api/v1/jobs/").json()["results"]]
    assert listed == ([job["id"]] if who == "officer" else [])


def test_others_cannot_confirm(cast):
    job = post_file(token_client(cast.officer), xlsx_bytes(good_rows(cast))).json()
    run(job["id"])
    count, audited = DataJob.objects.count(), actions()
    for who in ("parent", "admin"):
        assert_error(token_client(getattr(cast, who)).post(f"/api/v1/jobs/{job['id']}/confirm/"), 404, "not_found")
    assert (DataJob.objects.count(), actions()) == (count, audited)


# ---------------------------------------------------------------- exports


def test_export_then_download_is_audited(cast):
    client = token_client(cast.officer)
    start = len(actions())
    response = client.post("/api/v1/jobs/export/", {"kind": CODE, "unit": "DN-TB-001", "format": "xlsx"}, format="json")
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["direction"], job["file_name"], job["status"]) == ("export", f"{CODE}-DN-TB-001.xlsx", "queued")
    assert_error(client.get(f"/api/v1/jobs/{job['id']}/download/"), 404, "not_found")
    run(job["id"])
    assert_error(token_client(cast.parent).get(f"/api/v1/jobs/{job['id']}/download/"), 404, "not_found")
    download = client.get(f"/api/v1/jobs/{job['id']}/download/")
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(body(download))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["code", "DN-TB-001", "DN-TB-001-S1"]
    assert actions()[start:] == ["datajob.create", "datajob.finish", "datajob.download"]
    assert client.get(f"/api/v1/jobs/{job['id']}/").json()["summary"] == {"rows": 2}


@pytest.mark.parametrize(
    ("body_", "field"),
    [
        ({"kind": CODE, "unit": "KH", "format": "xlsx"}, "unit"),
        ({"kind": CODE, "unit": "DN-TB-001", "format": "pdf"}, "format"),
        ({"kind": "nonsense", "unit": "DN-TB-001"}, "kind"),
    ],
)
def test_bad_exports_are_400_and_write_nothing(cast, body_, field):
    before = actions()
    response = token_client(cast.officer).post("/api/v1/jobs/export/", body_, format="json")
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == [field]
    assert DataJob.objects.count() == 0 and actions() == before


def test_an_export_without_the_export_action_is_403(cast, monkeypatch):
    """The test kind exports to holders of unit.view; a kind with an action the officer lacks refuses."""
    from dataclasses import replace

    from unionhall.datafiles import kinds

    from .renames import KIND

    kinds.register(replace(KIND, export_action="audit.export_everything"))
    before = actions()
    response = token_client(cast.officer).post(
        "/api/v1/jobs/export/", {"kind": CODE, "unit": "DN-TB-001"}, format="json"
    )
    assert_error(response, 403, "forbidden")
    assert DataJob.objects.count() == 0 and actions() == before
