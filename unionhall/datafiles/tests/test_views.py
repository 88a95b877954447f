"""The data-job pages: upload, dry run, confirm, errors and their report, exports and downloads, who sees what.

Jobs are run here by calling `datajob_run` (the worker's task does exactly that), so each test is deterministic.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from unionhall.audit.models import AuditEntry
from unionhall.datafiles.choices import Direction, JobStatus
from unionhall.datafiles.models import DataJob
from unionhall.datafiles.progress import written_clear, written_get, written_set
from unionhall.datafiles.services import datajob_run
from unionhall.orgunits.models import Unit

from .files import HEADER, csv_bytes, xlsx_bytes
from .renames import CODE, KIND
from .test_imports import DAY, TODAY

NEW_NAME = "Công đoàn cơ sở Sông Mây mới"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def good_rows(cast) -> list[list]:
    return [
        HEADER,
        [cast.unit.code, NEW_NAME, "Song May union", "02/01/2024", "Đổi tên"],
        [cast.section.code, "Công đoàn bộ phận Đóng gói", None, "02/01/2024", "Đổi tên"],
    ]


def bad_rows(cast) -> list[list]:
    return [
        HEADER,
        [cast.unit.code, NEW_NAME, None, DAY, "Đổi tên"],
        ["DN-TB-002", "Không thuộc đơn vị", None, DAY, "Đổi tên"],
        [cast.section.code, "Công đoàn bộ phận", None, DAY, None],
    ]


def upload(client, data: bytes, name: str = "renames.xlsx", *, unit="DN-TB-001", dry_run=True, kind=CODE):
    fields = {"kind": kind, "unit": unit, "file": SimpleUploadedFile(name, data)}
    if dry_run:
        fields["dry_run"] = "on"
    return client.post("/data/import/", fields)


def uploaded(client, data: bytes, **kwargs) -> DataJob:
    response = upload(client, data, **kwargs)
    assert response.status_code == 302, response.content
    job = DataJob.objects.order_by("-id").first()
    assert response["Location"] == f"/data/jobs/{job.pk}/"
    return job


def run(job: DataJob) -> DataJob:
    return datajob_run(job_id=job.pk, today=TODAY)


def names() -> list[tuple[str, str]]:
    return list(Unit.objects.order_by("code").values_list("code", "name_vi"))


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def sheet_rows(data: bytes) -> list[tuple]:
    return [tuple(r) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# ---------------------------------------------------------------- who may open what


PAGES = ["/data/import/", "/data/export/", "/data/jobs/", f"/data/templates/{CODE}/vi.xlsx"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_a_signed_in_user(cast, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client_for(cast.outsider).get(url).status_code == 200


def test_job_pages_need_a_signed_in_user(cast):
    job = uploaded(client_for(cast.officer), xlsx_bytes(good_rows(cast)))
    for suffix in ("", "progress/", "report/", "download/"):
        response = Client().get(f"/data/jobs/{job.pk}/{suffix}")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    response = Client().post(f"/data/jobs/{job.pk}/confirm/")
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("who", "status"), [("officer", 200), ("admin", 200), ("parent", 404), ("sibling", 404)])
def test_a_job_is_seen_only_by_its_starter_and_superusers(cast, who, status):
    """The parent officer holds the import action over the unit, yet did not start the job: 404."""
    starter = client_for(cast.officer)
    job = run(uploaded(starter, xlsx_bytes(bad_rows(cast))))
    assert job.report_name
    client = client_for(getattr(cast, who))
    assert client.get(f"/data/jobs/{job.pk}/").status_code == status
    assert client.get(f"/data/jobs/{job.pk}/progress/").status_code == status
    assert client.get(f"/data/jobs/{job.pk}/report/").status_code == status
    assert client.get("/data/jobs/").context["jobs"] == ([(job, "units")] if who == "officer" else [])


def test_nobody_else_confirms_a_dry_run_not_even_a_superuser(cast):
    job = run(uploaded(client_for(cast.officer), xlsx_bytes(good_rows(cast))))
    before, audited = DataJob.objects.count(), actions()
    assert client_for(cast.parent).post(f"/data/jobs/{job.pk}/confirm/").status_code == 404
    assert client_for(cast.admin).post(f"/data/jobs/{job.pk}/confirm/").status_code == 404
    assert (DataJob.objects.count(), actions()) == (before, audited)


def test_a_starter_who_lost_the_action_no_longer_sees_the_job(cast):
    job = run(uploaded(client_for(cast.officer), xlsx_bytes(bad_rows(cast))))
    cast.officer.grants.update(revoked_at="2025-01-01T00:00:00Z")
    client = client_for(cast.officer)
    assert client.get(f"/data/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/data/jobs/{job.pk}/report/").status_code == 404


# ---------------------------------------------------------------- the import page


def test_import_page_shows_the_kind_its_columns_and_the_templates(cast):
    response = client_for(cast.officer).get(f"/data/import/?kind={CODE}&unit=dn-tb-001")
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["kind"].value(), form["unit"].value(), form["dry_run"].value()) == (CODE, "DN-TB-001", True)
    assert [c["key"] for c in response.context["columns"]] == ["code", "name_vi", "name_en", "effective_date", "reason"]
    content = response.content.decode()
    assert '<h1 class="h3 mb-3" id="uh-import-title">Import units</h1>' in content
    for lang in ("vi", "en", "ar", "fa"):
        assert f'href="/data/templates/{CODE}/{lang}.xlsx"' in content
    assert 'type="checkbox" name="dry_run"' in content and "checked" in content


def test_choosing_another_kind_swaps_in_its_column_help(cast):
    response = client_for(cast.officer).get("/data/import/")
    content = response.content.decode()
    assert 'hx-get="/data/import/" hx-trigger="change" hx-target="#uh-kind-help"' in content
    assert '<option value="" selected>---------</option>' in content
    assert 'id="uh-kind-help"' in content


def test_import_page_without_a_kind_lists_the_kinds(cast):
    response = client_for(cast.officer).get("/data/import/?kind=nonsense")
    assert response.status_code == 200
    assert response.context["kind"] is None
    assert f'href="?kind={CODE}"' in response.content.decode()


@pytest.mark.parametrize("lang", ["vi", "en", "ar", "fa"])
def test_templates_download_in_each_language(cast, lang):
    response = client_for(cast.officer).get(f"/data/templates/{CODE}/{lang}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="{CODE}-{lang}.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames[1] in {"vi": "Các cột", "en": "Columns"}.get(lang, workbook.sheetnames[1])
    if lang == "en":
        assert [c.value for c in workbook.worksheets[0][1]] == HEADER


@pytest.mark.parametrize("url", [f"/data/templates/{CODE}/de.xlsx", "/data/templates/nonsense/vi.xlsx"])
def test_unknown_templates_are_404(cast, url):
    assert client_for(cast.officer).get(url).status_code == 404


# ---------------------------------------------------------------- upload, dry run, confirm


def test_upload_dry_run_then_confirm_applies_the_file(cast):
    client = client_for(cast.officer)
    before = names()
    start = len(actions())
    job = uploaded(client, xlsx_bytes(good_rows(cast)))
    assert (job.kind, job.unit, job.actor, job.dry_run, job.status) == (CODE, cast.unit, cast.officer, True, "queued")
    page = client.get(f"/data/jobs/{job.pk}/")
    assert page.status_code == 200
    assert f'hx-get="/data/jobs/{job.pk}/progress/" hx-trigger="every 1s"' in page.content.decode()
    assert page.context["can_confirm"] is False

    run(job)
    assert names() == before
    panel = client.get(f"/data/jobs/{job.pk}/progress/")
    content = panel.content.decode()
    assert "hx-trigger" not in content  # finished: polling stops
    assert [(code, count) for _label, count, code in panel.context["counts"]] == [
        ("new", 0),
        ("updated", 2),
        ("unchanged", 0),
        ("rejected", 0),
    ]
    assert '<dd class="col-6 col-sm-3" id="uh-count-updated">2</dd>' in content
    assert 'value="100"' in content and "2 of 2 rows" in content
    assert 'id="uh-confirm"' in content

    response = client.post(f"/data/jobs/{job.pk}/confirm/")
    real = DataJob.objects.order_by("-id").first()
    assert response.status_code == 302 and response["Location"] == f"/data/jobs/{real.pk}/"
    assert (real.dry_run, real.stored_name, real.sha256, real.actor, real.status) == (
        False,
        job.stored_name,
        job.sha256,
        cast.officer,
        JobStatus.QUEUED,
    )
    created = AuditEntry.objects.filter(action="datajob.create").order_by("-id").first()
    assert created.after["confirms"] == job.pk and created.after["dry_run"] is False

    run(real)
    assert dict(names())[cast.unit.code] == NEW_NAME
    page = client.get(f"/data/jobs/{real.pk}/")
    assert page.context["can_confirm"] is False
    assert "What the import did" in page.content.decode()
    assert actions()[start:] == [
        "datajob.create",
        "datajob.finish",
        "datajob.create",
        "unit.rename",
        "unit.rename",
        "datajob.finish",
    ]
    # The dry run now points to its real run, and cannot be imported a second time.
    dry_page = client.get(f"/data/jobs/{job.pk}/")
    assert dry_page.context["confirmed_by"] == real.pk and dry_page.context["can_confirm"] is False
    assert f'imported for real in <a href="/data/jobs/{real.pk}/">job {real.pk}</a>' in dry_page.content.decode()
    count, audited = DataJob.objects.count(), actions()
    again = client.post(f"/data/jobs/{job.pk}/confirm/")
    assert again.status_code == 409
    assert f"This dry run was already imported for real (job {real.pk})." in again.content.decode()
    assert (DataJob.objects.count(), actions()) == (count, audited)


def test_a_real_run_needs_no_confirmation_and_the_same_file_is_noted(cast):
    client = client_for(cast.officer)
    first = run(uploaded(client, csv_bytes(good_rows(cast)), name="r.csv", dry_run=False))
    assert first.status == JobStatus.SUCCEEDED, first.error
    again = run(uploaded(client, csv_bytes(good_rows(cast)), name="r.csv", dry_run=True))
    page = client.get(f"/data/jobs/{again.pk}/")
    assert page.context["same_file_as"] == first.pk
    assert f'<a href="/data/jobs/{first.pk}/">job {first.pk}</a>' in page.content.decode()
    assert [count for _label, count, _code in page.context["counts"]] == [0, 0, 2, 0]


def test_rejected_rows_show_their_errors_and_the_report_is_in_the_users_language(cast):
    cast.officer.language = "vi"
    cast.officer.save(update_fields=["language"])
    client = client_for(cast.officer)
    before = names()
    job = run(uploaded(client, xlsx_bytes(bad_rows(cast))))
    assert job.status == JobStatus.FAILED
    assert names() == before
    code, reason = (KIND.column(key).label_in("vi") for key in ("code", "reason"))
    page = client.get(f"/data/jobs/{job.pk}/")
    assert page.context["can_confirm"] is False
    assert page.context["errors"] == [
        {"row": 3, "column": code, "value": "DN-TB-002", "reason": "No such unit here."},
        {"row": 4, "column": reason, "value": "", "reason": "Cột này là bắt buộc."},
    ]
    content = page.content.decode()
    assert "Cột này là bắt buộc." in content
    assert f'href="/data/jobs/{job.pk}/report/"' in content
    assert 'id="uh-confirm"' not in content
    report = client.get(f"/data/jobs/{job.pk}/report/")
    assert report.status_code == 200
    assert f'filename="errors-{job.pk}.xlsx"' in report["Content-Disposition"]
    assert sheet_rows(body(report)) == [
        ("Hàng", "Cột", "Giá trị", "Lý do"),
        (3, code, "DN-TB-002", "No such unit here."),
        (4, reason, None, "Cột này là bắt buộc."),
    ]
    # A failed dry run cannot be imported for real.
    count, audited = DataJob.objects.count(), actions()
    response = client.post(f"/data/jobs/{job.pk}/confirm/")
    assert response.status_code == 409
    assert (DataJob.objects.count(), actions()) == (count, audited)


def test_a_job_without_errors_has_no_report(cast):
    client = client_for(cast.officer)
    job = run(uploaded(client, xlsx_bytes(good_rows(cast))))
    assert client.get(f"/data/jobs/{job.pk}/report/").status_code == 404
    assert client.get(f"/data/jobs/{job.pk}/download/").status_code == 404


# ---------------------------------------------------------------- bad input: a form error, nothing written


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "r.csv", "The submitted file is empty."),
        (
            b"code,name\nDN-TB-001,x\n",
            "r.txt",
            "Only .xlsx and .csv files can be imported (this file is r.txt).",
        ),
        (b"not a zip at all", "r.xlsx", "The file name ends in .xlsx but the file is not an Excel workbook."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "r.xls", "This is an old Excel file (.xls)"),
        (b"x" * 2048, "r.csv", "The file is larger than the limit of 0 MB."),
    ],
    ids=["empty", "text", "fake-xlsx", "xls", "too-large"],
)
def test_bad_files_are_form_errors_and_no_job_is_created(cast, settings, data, name, message):
    settings.DATAFILES_MAX_BYTES = 1024
    before = actions()
    response = upload(client_for(cast.officer), data, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and errors[0].startswith(message)
    assert DataJob.objects.count() == 0
    assert actions() == before


@pytest.mark.parametrize(
    ("who", "unit", "kind", "field", "message"),
    [
        ("officer", "DN-TB-002", CODE, "unit", "Unit DN-TB-002 was not found."),
        ("officer", "NOPE", CODE, "unit", "Unit NOPE was not found."),
        ("officer", "DN-TB-001", "nonsense", "kind", "Select a valid choice. nonsense is not one of the available"),
    ],
)
def test_bad_unit_or_kind_are_form_errors(cast, who, unit, kind, field, message):
    before = actions()
    response = upload(client_for(getattr(cast, who)), xlsx_bytes(good_rows(cast)), unit=unit, kind=kind)
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert DataJob.objects.count() == 0
    assert actions() == before


def test_an_ended_unit_is_refused(cast):
    Unit.objects.filter(pk=cast.section.pk).update(status="dissolved", ended_date=DAY)
    response = upload(client_for(cast.officer), xlsx_bytes(good_rows(cast)), unit=cast.section.code)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["Data can only be imported into active units."]
    assert DataJob.objects.count() == 0


def test_the_default_language_is_vietnamese(cast):
    cast.officer.language = "vi"
    cast.officer.save(update_fields=["language"])
    response = upload(client_for(cast.officer), b"", name="r.csv")
    assert response.context["form"].errors["file"] == ["Tập tin được gửi là rỗng."]


# ---------------------------------------------------------------- exports


def test_export_creates_a_job_and_the_file_downloads_audited(cast):
    client = client_for(cast.officer)
    start = len(actions())
    response = client.post("/data/export/", {"kind": CODE, "unit": "DN-TB-001", "format": "csv"})
    job = DataJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/jobs/{job.pk}/"
    assert (job.direction, job.file_name, job.actor) == (Direction.EXPORT, f"{CODE}-DN-TB-001.csv", cast.officer)
    assert client.get(f"/data/jobs/{job.pk}/download/").status_code == 404  # not written yet
    run(job)
    page = client.get(f"/data/jobs/{job.pk}/")
    assert page.context["can_download"] is True
    assert "2 rows exported." in page.content.decode()
    # Another officer over the unit, who did not ask for the export, cannot fetch it.
    assert client_for(cast.parent).get(f"/data/jobs/{job.pk}/download/").status_code == 404
    response = client.get(f"/data/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert [line.split(",")[0] for line in lines[1:]] == ["DN-TB-001", "DN-TB-001-S1"]
    assert actions()[start:] == ["datajob.create", "datajob.finish", "datajob.download"]
    download = AuditEntry.objects.get(action="datajob.download")
    assert (download.actor_id, download.after["sha256"]) == (
        cast.officer.pk,
        job.sha256 or DataJob.objects.get().sha256,
    )


def test_export_form_errors_write_nothing(cast):
    before = actions()
    client = client_for(cast.officer)
    response = client.post("/data/export/", {"kind": CODE, "unit": "KH", "format": "pdf"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["unit"] == ["Unit KH was not found."]
    assert errors["format"][0].startswith("Select a valid choice.")
    assert DataJob.objects.count() == 0 and actions() == before


def test_export_page_prefills_from_the_query(cast):
    response = client_for(cast.officer).get(f"/data/export/?kind={CODE}&unit=DN-TB-001")
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["kind"].value(), form["unit"].value(), form["format"].value()) == (CODE, "DN-TB-001", "xlsx")


# ---------------------------------------------------------------- my jobs


def test_my_jobs_lists_my_own_newest_first_and_pages_by_id(cast, monkeypatch):
    client = client_for(cast.officer)
    jobs = [uploaded(client, xlsx_bytes(good_rows(cast))) for _ in range(3)]
    uploaded(client_for(cast.parent), xlsx_bytes(good_rows(cast)))
    monkeypatch.setattr("unionhall.datafiles.views.JOBS_PER_PAGE", 2)
    first = client.get("/data/jobs/")
    assert [job for job, _label in first.context["jobs"]] == [jobs[2], jobs[1]]
    assert first.context["next_before"] == jobs[1].pk
    second = client.get(f"/data/jobs/?before={jobs[1].pk}")
    assert [job for job, _label in second.context["jobs"]] == [jobs[0]]
    assert second.context["next_before"] is None


def test_my_jobs_page_queries_do_not_grow_with_jobs(cast, django_assert_max_num_queries):
    client = client_for(cast.officer)
    for _ in range(5):
        uploaded(client, xlsx_bytes(good_rows(cast)))
    with django_assert_max_num_queries(12):
        assert client.get("/data/jobs/").status_code == 200


def test_counts_use_the_readers_digits(cast):
    cast.officer.language = "fa"
    cast.officer.save(update_fields=["language"])
    client = client_for(cast.officer)
    job = run(uploaded(client, xlsx_bytes(good_rows(cast))))
    content = client.get(f"/data/jobs/{job.pk}/").content.decode()
    assert '<html lang="fa" dir="rtl">' in content
    assert '<dd class="col-6 col-sm-3" id="uh-count-updated">۲</dd>' in content


def test_a_job_that_is_writing_shows_the_rows_written_so_far_and_keeps_polling(cast):
    """The writing transaction's rows are invisible to other connections: the count comes from the cache."""
    client = client_for(cast.officer)
    job = uploaded(client, xlsx_bytes(good_rows(cast)))
    DataJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, phase="writing", done=0, total=2)
    content = client.get(f"/data/jobs/{job.pk}/progress/").content.decode()
    assert "0 of 2 rows written" in content
    assert '<progress class="w-100" id="uh-job-progress" max="100" value="0" aria-label="Writing">' in content
    written_set(job.pk, 1)
    content = client.get(f"/data/jobs/{job.pk}/progress/").content.decode()
    assert "1 of 2 rows written" in content
    assert '<progress class="w-100" id="uh-job-progress" max="100" value="50" aria-label="Writing">' in content
    assert "hx-trigger" in content
    written_clear(job.pk)


def test_a_real_run_reports_each_row_written_then_shows_the_rows_checked(cast):
    client = client_for(cast.officer)
    job = uploaded(client, xlsx_bytes(good_rows(cast)), dry_run=False)
    seen: list[tuple[str, int, int, int | None]] = []

    def progress(phase: str, done: int, total: int) -> None:
        seen.append((phase, done, total, written_get(job.pk)))

    datajob_run(job_id=job.pk, today=TODAY, progress=progress)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    # Two rows checked, then the two renames written one by one (the cache holds the count meanwhile).
    assert seen == [("checking", 2, 2, None), ("writing", 1, 2, 1), ("writing", 2, 2, 2), ("writing", 2, 2, 2)]
    assert (job.done, job.total, job.phase) == (2, 2, "writing")
    assert written_get(job.pk) is None  # cleared once the job ended


def test_the_phase_is_recorded_as_a_job_runs(cast):
    client = client_for(cast.officer)
    job = uploaded(client, xlsx_bytes(good_rows(cast)))
    run(job)
    job.refresh_from_db()
    assert job.phase == "checking"  # a dry run never writes
    real = DataJob.objects.get(pk=job.pk)
    real.pk, real.dry_run, real.status, real.phase, real.finished_at = None, False, JobStatus.QUEUED, "", None
    real.save()
    run(real)
    real.refresh_from_db()
    assert (real.status, real.phase) == (JobStatus.SUCCEEDED, "writing")
