"""Data-job pages: upload a file to import, ask for an export, follow a job, download its files.

A job, its error report and its exported file are shown only to the person who started it (and to
superusers); anyone else, and a starter who no longer holds the record type's action, gets a 404.
"""

import io
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.web import add_domain_error

from . import selectors, services, tasks
from .choices import Direction, JobPhase, JobStatus, Outcome
from .columns import TYPE_NAMES
from .forms import ExportForm, ImportForm
from .kinds import Kind, kind_get, kind_list
from .models import DataJob
from .progress import written_get
from .writing import template_write

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
JOBS_PER_PAGE = 50


def _kind_or_none(code: str) -> Kind | None:
    try:
        return kind_get(code) if code else None
    except NotFound:
        return None


def column_rows(kind: Kind) -> list[dict[str, Any]]:
    """What the page (and the API) says about each column: label, type, whether required, help, example."""
    return [
        {
            "key": column.key,
            "label": column.label,
            "type": TYPE_NAMES[column.type],
            "required": column.required,
            "help": column.help,
            "example": column.example,
            "choices": ", ".join(str(label) for _value, label in column.choices),
        }
        for column in kind.columns
    ]


def _job_or_404(request: HttpRequest, pk: int) -> DataJob:
    try:
        return selectors.datajob_own_get(actor=request.user, job_id=pk)
    except NotFound:
        raise Http404(_("Job not found.")) from None


def job_url(job: DataJob) -> str:
    return reverse("datafiles:job", args=[job.pk])


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    """GET shows the form for ?kind=&unit=; POST stores the file and queues its run, then shows the job."""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = tasks.datajob_submit(
                    actor=request.user, kind=data["kind"], unit=data["unit"], file=data["file"], dry_run=data["dry_run"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(job_url(job))
    else:
        initial = {"kind": request.GET.get("kind", ""), "unit": request.GET.get("unit", "").strip().upper()}
        form = ImportForm(initial=initial, actor=request.user)
    kind = _kind_or_none(str(form["kind"].value() or ""))
    context = {
        "form": form,
        "kind": kind,
        "columns": column_rows(kind) if kind else [],
        "languages": settings.LANGUAGES,
        "kinds": kind_list(),
    }
    return TemplateResponse(request, "datafiles/import.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """GET shows the form for ?kind=&unit=; POST queues the export and shows its job, which offers the file."""
    if request.method == "POST":
        form = ExportForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = tasks.datajob_export_submit(
                    actor=request.user, kind=data["kind"], unit=data["unit"], file_format=data["format"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(job_url(job))
    else:
        initial = {"kind": request.GET.get("kind", ""), "unit": request.GET.get("unit", "").strip().upper()}
        form = ExportForm(initial=initial, actor=request.user)
    return TemplateResponse(request, "datafiles/export.html", {"form": form})


@login_required
@require_GET
def template(request: HttpRequest, kind: str, lang: str) -> HttpResponseBase:
    """The empty template of a record type, headers in one of the four languages."""
    spec = _kind_or_none(kind)
    if spec is None or lang not in dict(settings.LANGUAGES):
        raise Http404(_("No such template."))
    out = io.BytesIO()
    template_write(out, kind=spec, language=lang)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{spec.code}-{lang}.xlsx", content_type=XLSX_TYPE)


@login_required
@require_GET
def jobs(request: HttpRequest) -> HttpResponse:
    """The actor's own jobs, newest first; older ones page by the id of the last one shown (keyset)."""
    own = selectors.datajob_own_list(actor=request.user)
    before = request.GET.get("before", "")
    if before.isdigit():
        own = own.filter(pk__lt=int(before))
    page = list(own.order_by("-id")[: JOBS_PER_PAGE + 1])
    more = len(page) > JOBS_PER_PAGE
    page = page[:JOBS_PER_PAGE]
    context = {
        "jobs": [(job, _kind_label(job)) for job in page],
        "next_before": page[-1].pk if more else None,
        "kinds": kind_list(),
    }
    return TemplateResponse(request, "datafiles/jobs.html", context)


def _kind_label(job: DataJob) -> Any:
    spec = _kind_or_none(job.kind)
    return spec.label if spec else job.kind


def _job_context(job: DataJob, actor: Any) -> dict[str, Any]:
    finished = job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    summary = job.summary or {}
    counts = [(label, summary.get(value, 0), value) for value, label in Outcome.choices]
    confirmed_by = selectors.datajob_confirmed_by(job=job) if job.dry_run and finished else None
    writing = not finished and job.phase == JobPhase.WRITING
    done = (written_get(job.pk) or 0) if writing else job.done
    return {
        "job": job,
        "confirmed_by": confirmed_by,
        "kind_label": _kind_label(job),
        "finished": finished,
        "writing": writing,
        "done": done,
        "is_import": job.direction == Direction.IMPORT,
        "counts": counts,
        "exported_rows": summary.get("rows", 0),
        "errors": selectors.datajob_first_errors(job=job) if finished else [],
        "first_errors": selectors.FIRST_ERRORS,
        "same_file_as": summary.get("same_file_as"),
        "percent": (100 * done // job.total) if job.total else (100 if finished else 0),
        "can_confirm": (
            job.direction == Direction.IMPORT
            and job.dry_run
            and job.status == JobStatus.SUCCEEDED
            and not summary.get(Outcome.REJECTED, 0)
            and job.actor_id == actor.pk
            and confirmed_by is None
        ),
        "can_download": job.direction == Direction.EXPORT and job.status == JobStatus.SUCCEEDED,
    }


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = _job_or_404(request, pk)
    return TemplateResponse(request, "datafiles/job.html", _job_context(found, request.user))


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's panel alone, which htmx polls every second until the job is finished."""
    found = _job_or_404(request, pk)
    return TemplateResponse(request, "datafiles/_job_panel.html", _job_context(found, request.user))


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import for real the file of a dry run that passed: a new job, run in the background."""
    dry_run = _job_or_404(request, pk)
    try:
        real = tasks.datajob_confirm_submit(actor=request.user, job=dry_run)
    except NotFound:
        raise Http404(_("Job not found.")) from None
    except DomainError as error:
        context = _job_context(dry_run, request.user)
        return TemplateResponse(request, "datafiles/job.html", {**context, "refused": str(error)}, status=error.status)
    return redirect(job_url(real))


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The error report of an import, as XLSX, in the language of the person who started it."""
    try:
        found, opened = selectors.datajob_own_report_open(actor=request.user, job_id=pk)
    except NotFound:
        raise Http404(_("Job not found.")) from None
    return _file_response(opened, f"errors-{found.pk}.xlsx", XLSX_TYPE)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file an export wrote; the download is audited and the export action checked again."""
    found = _job_or_404(request, pk)
    try:
        opened = services.datajob_download(actor=request.user, job=found)
    except DomainError:
        raise Http404(_("This job has no file to download.")) from None
    content_type = CSV_TYPE if found.file_name.endswith(".csv") else XLSX_TYPE
    return _file_response(opened, found.file_name, content_type)


def _file_response(opened: File, name: str, content_type: str) -> FileResponse:
    return FileResponse(opened, as_attachment=True, filename=name, content_type=content_type)
