"""Creating and running data jobs: the file is stored and hashed, validated whole, then applied all-or-nothing."""

import datetime as dt
import hashlib
import io
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unionhall.audit.recorder import record
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.scoping import scope_for
from unionhall.orgunits.models import Unit

from .choices import Direction, JobPhase, JobStatus, Outcome
from .errors import FileRefused
from .importing import PROGRESS_EVERY, import_plan
from .kinds import Context, Kind, Plan, kind_get
from .limits import limit
from .models import DataJob
from .progress import JobProgress, written_clear, written_set
from .reading import check_file
from .selectors import datajob_confirmed_by
from .writing import Sheet, csv_write, error_report_write, xlsx_write

logger = logging.getLogger(__name__)
UNIT_VIEW = "unit.view"
STORAGE_DIR = "datafiles"


def _require_action(actor: Any, kind: Kind, unit: Unit, direction: str = Direction.IMPORT) -> None:
    """`actor=None` is the system itself (a command run by the operator), which may do anything."""
    if actor is None:
        return
    action = kind.action if direction == Direction.IMPORT else kind.export_action
    if action and scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk):
        return
    if scope_for(actor, UNIT_VIEW).covers(path=unit.path, unit_id=unit.pk):
        if direction == Direction.IMPORT:
            raise Forbidden(_("You may not import %(kind)s into this unit.") % {"kind": kind.label})
        raise Forbidden(_("You may not export %(kind)s of this unit.") % {"kind": kind.label})
    raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")


def _safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base)[-100:]
    return cleaned.lstrip(".") or "file"


@transaction.atomic
def datajob_create(
    *, actor: Any, kind: str, unit: Unit, file: File, dry_run: bool, language: str | None = None
) -> DataJob:
    """Store the file and queue its import; the caller enqueues the run (`tasks.datajob_enqueue`)."""
    spec = kind_get(kind)
    _require_action(actor, spec, unit)
    if not unit.is_active:
        raise DomainError(_("Data can only be imported into active units."), field="unit")
    data = _file_bytes(file)
    if not data:
        raise FileRefused(_("The file is empty."), code="empty")
    name = (file.name or "file").replace("\x00", "")[-255:]
    stored = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}/{_safe_name(name)}", ContentFile(data))
    job = DataJob.objects.create(
        kind=spec.code,
        direction=Direction.IMPORT,
        actor=actor,
        unit=unit,
        language=language or getattr(actor, "language", "") or settings.LANGUAGE_CODE,
        file_name=name,
        stored_name=stored,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        dry_run=dry_run,
    )
    _record_import_created(actor, job)
    return job


def _record_import_created(actor: Any, job: DataJob, **extra: Any) -> None:
    after = {
        "kind": job.kind,
        "direction": job.direction,
        "unit": job.unit.code,
        "file_name": job.file_name,
        "sha256": job.sha256,
        "size": job.size,
        "dry_run": job.dry_run,
    }
    record(actor=actor, action="datajob.create", obj=job, after={**after, **extra})


EXPORT_FORMATS = ("xlsx", "csv")


@transaction.atomic
def datajob_export_create(
    *, actor: Any, kind: str, unit: Unit, file_format: str, language: str | None = None
) -> DataJob:
    """Queue an export of a record type for a unit's subtree; the caller enqueues the run."""
    spec = kind_get(kind)
    if spec.export is None:
        raise DomainError(_("%(kind)s cannot be exported.") % {"kind": spec.label}, field="kind")
    if file_format not in EXPORT_FORMATS:
        raise DomainError(_("Choose XLSX or CSV."), field="file_format")
    _require_action(actor, spec, unit, Direction.EXPORT)
    job = DataJob.objects.create(
        kind=spec.code,
        direction=Direction.EXPORT,
        actor=actor,
        unit=unit,
        language=language or getattr(actor, "language", "") or settings.LANGUAGE_CODE,
        file_name=_safe_name(f"{spec.code}-{unit.code}.{file_format}"),
    )
    record(
        actor=actor,
        action="datajob.create",
        obj=job,
        after={"kind": job.kind, "direction": job.direction, "unit": unit.code, "file_name": job.file_name},
    )
    return job


def datajob_run(*, job_id: int, progress: JobProgress | None = None, today: dt.date | None = None) -> DataJob:
    """Run a queued job once: validate the whole file, then (not a dry run, no row rejected) apply it."""
    claimed = DataJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, phase=JobPhase.CHECKING, started_at=timezone.now()
    )
    job = DataJob.objects.select_related("unit", "actor").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            if job.direction == Direction.EXPORT:
                return _run_export(job, progress, today or timezone.localdate())
            return _run(job, progress, today or timezone.localdate())
        except Exception:
            logger.exception("Data job %s stopped by an unexpected error", job.pk)
            _finish(job, JobStatus.FAILED, error=_("An unexpected error stopped this job; nothing was written."))
            raise


def _run(job: DataJob, progress: JobProgress | None, today: dt.date) -> DataJob:
    try:
        kind = kind_get(job.kind)
        _require_action(job.actor, kind, job.unit)
        if not job.unit.is_active:
            raise DomainError(_("Data can only be imported into active units."), field="unit")
        with default_storage.open(job.stored_name, "rb") as stored:
            data = stored.read()
        context = Context(actor=job.actor, unit=job.unit, today=today, dry_run=job.dry_run, language=job.language)
        plan = import_plan(kind=kind, data=data, name=job.file_name, context=context, progress=_reporter(job, progress))
    except DomainError as error:
        return _finish(job, JobStatus.FAILED, error=str(error))
    try:
        return _settle(job, kind, plan, context, progress)
    finally:
        # A payload may hold resources (a kind's staged rows in a temporary file): released however the job ends.
        close = getattr(plan.payload, "close", None)
        if callable(close):
            close()


def _settle(job: DataJob, kind: Kind, plan: Plan, context: Context, progress: JobProgress | None) -> DataJob:
    """Report the plan, and apply it when it is a real run with no row rejected."""
    counts = plan.counts()
    summary: dict[str, Any] = {**counts, "rows": len(plan.outcomes), "errors": len(plan.errors)}
    previous = _same_file_imported(job)
    if previous is not None:
        summary["same_file_as"] = previous
    report_name = _write_report(job, kind, plan) if plan.errors else ""
    if plan.rejected:
        rejected = counts[Outcome.REJECTED]
        message = ngettext(
            "%(count)s row was rejected; nothing was written.",
            "%(count)s rows were rejected; nothing was written.",
            rejected,
        ) % {"count": rejected}
        return _finish(job, JobStatus.FAILED, summary=summary, error=message, report_name=report_name)
    if job.dry_run or not (counts[Outcome.NEW] or counts[Outcome.UPDATED]):
        return _finish(job, JobStatus.SUCCEEDED, summary=summary, report_name=report_name)
    # Said before the writing transaction starts: its own rows are invisible to others until it commits,
    # so the count written goes to the cache (`progress`), against the rows to write as the total.
    # The finished job shows the rows checked again.
    checked = job.done, job.total
    to_write = counts[Outcome.NEW] + counts[Outcome.UPDATED]
    DataJob.objects.filter(pk=job.pk).update(phase=JobPhase.WRITING, done=0, total=to_write)
    job.phase, job.done, job.total = JobPhase.WRITING, 0, to_write
    context.on_written = _write_reporter(job, to_write, progress)
    try:
        with transaction.atomic():
            kind.apply(plan, context)
            job.done, job.total = checked
            return _finish(job, JobStatus.SUCCEEDED, summary=summary, report_name=report_name)
    except DomainError as refused:
        # The data changed between validation and writing; the transaction left nothing behind.
        job.done, job.total = checked
        return _finish(job, JobStatus.FAILED, summary=summary, error=str(refused), report_name=report_name)
    finally:
        written_clear(job.pk)


def _run_export(job: DataJob, progress: JobProgress | None, today: dt.date) -> DataJob:
    """Write the rows to a file in storage; the audit entry keeps the row count and the file's hash."""
    try:
        kind = kind_get(job.kind)
        _require_action(job.actor, kind, job.unit, Direction.EXPORT)
    except DomainError as error:
        return _finish(job, JobStatus.FAILED, error=str(error))
    assert kind.export is not None
    context = Context(actor=job.actor, unit=job.unit, today=today, dry_run=False, language=job.language)
    report = _reporter(job, progress)
    counted = {"rows": 0}

    def rows() -> Iterator[list[Any]]:
        for values in kind.export(context):  # type: ignore[misc]
            counted["rows"] += 1
            if counted["rows"] % PROGRESS_EVERY == 0:
                report(counted["rows"], counted["rows"])
            yield [values.get(column.key) for column in kind.columns]

    header = [column.label_in(job.language) for column in kind.columns]
    with tempfile.TemporaryFile() as out:
        if job.file_name.endswith(".csv"):
            csv_write(out, header, rows())
        else:
            xlsx_write(out, [Sheet(str(kind.label), header, rows())], language=job.language)
        out.seek(0)
        digest = hashlib.sha256()
        while chunk := out.read(1024 * 1024):
            digest.update(chunk)
        out.seek(0)
        job.stored_name = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}/{job.file_name}", File(out))
        job.size = default_storage.size(job.stored_name)
    job.sha256 = digest.hexdigest()
    report(counted["rows"], counted["rows"])
    job.save(update_fields=["stored_name", "size", "sha256"])
    return _finish(job, JobStatus.SUCCEEDED, summary={"rows": counted["rows"]})


def _write_reporter(job: DataJob, total: int, progress: JobProgress | None) -> Callable[[int], None]:
    def report(rows: int) -> None:
        written_set(job.pk, rows)
        if progress is not None:
            progress(JobPhase.WRITING, rows, total)

    return report


def _reporter(job: DataJob, progress: JobProgress | None) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        DataJob.objects.filter(pk=job.pk).update(done=done, total=total)
        job.done, job.total = done, total
        if progress is not None:
            progress(job.phase, done, total)

    return report


def _same_file_imported(job: DataJob) -> int | None:
    """An earlier real import of the same file into the same unit: re-importing it should change nothing."""
    return (
        DataJob.objects.filter(
            kind=job.kind,
            direction=Direction.IMPORT,
            unit=job.unit,
            sha256=job.sha256,
            dry_run=False,
            status=JobStatus.SUCCEEDED,
        )
        .exclude(pk=job.pk)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
    )


def _write_report(job: DataJob, kind: Kind, plan: Plan) -> str:
    buffer = io.BytesIO()
    error_report_write(buffer, kind=kind, errors=plan.errors, language=job.language)
    folder = PurePath(job.stored_name).parent
    return default_storage.save(f"{folder}/report-{job.pk}.xlsx", ContentFile(buffer.getvalue()))


@transaction.atomic
def _finish(
    job: DataJob, status: str, *, summary: dict | None = None, error: str = "", report_name: str = ""
) -> DataJob:
    job.status = status
    job.summary = summary if summary is not None else job.summary
    job.error = error
    job.report_name = report_name
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "error", "report_name", "finished_at", "done", "total"])
    record(
        actor=job.actor,
        action="datajob.finish",
        obj=job,
        after={
            "status": status,
            "direction": job.direction,
            "dry_run": job.dry_run,
            "sha256": job.sha256,
            "summary": job.summary,
            "error": error,
        },
    )
    return job


def datajob_file_check(*, file: File) -> None:
    """Refuse, before any job exists, a file no run could read: empty, too large, or not a real .xlsx/.csv.

    The run reads the file again in full; this check is for the person uploading, who hears at once.
    """
    data = _file_bytes(file)
    file.seek(0)
    check_file(data, file.name or "")


def _file_bytes(file: File) -> bytes:
    """The whole file, read only once its size is known to be within the limit."""
    if (file.size or 0) > limit("MAX_BYTES"):
        raise FileRefused(
            _("The file is larger than the limit of %(size)s MB.") % {"size": limit("MAX_BYTES") // (1024 * 1024)},
            code="too_large",
        )
    file.seek(0)
    return b"".join(file.chunks())


@transaction.atomic
def datajob_confirm(*, actor: Any, job: DataJob) -> DataJob:
    """The real run of a dry run that passed: a new job on the same stored file; the caller enqueues it."""
    if job.actor_id is None or actor is None or job.actor_id != actor.pk:
        raise NotFound(_("Job %(id)s was not found.") % {"id": job.pk})
    if job.direction != Direction.IMPORT or not job.dry_run:
        raise Conflict(_("Only a dry run can be confirmed."), code="not_dry_run")
    if job.status != JobStatus.SUCCEEDED or job.summary.get(Outcome.REJECTED, 0):
        raise Conflict(_("Only a dry run that finished without rejected rows can be imported for real."))
    # One confirmation at a time: a double click must not import the file twice.
    DataJob.objects.select_for_update().filter(pk=job.pk).first()
    earlier = datajob_confirmed_by(job=job)
    if earlier is not None:
        raise Conflict(
            _("This dry run was already imported for real (job %(id)s).") % {"id": earlier}, code="already_confirmed"
        )
    spec = kind_get(job.kind)
    unit = Unit.objects.get(pk=job.unit_id)
    _require_action(actor, spec, unit)
    if not unit.is_active:
        raise DomainError(_("Data can only be imported into active units."), field="unit")
    real = DataJob.objects.create(
        kind=job.kind,
        direction=Direction.IMPORT,
        actor=actor,
        unit=unit,
        language=job.language,
        file_name=job.file_name,
        stored_name=job.stored_name,
        sha256=job.sha256,
        size=job.size,
        dry_run=False,
    )
    _record_import_created(actor, real, confirms=job.pk)
    return real


@transaction.atomic
def datajob_download(*, actor: Any, job: DataJob) -> File:
    """Open the file an export wrote (the caller closes it); every download is audited."""
    if job.direction != Direction.EXPORT or job.status != JobStatus.SUCCEEDED:
        raise NotFound(_("This job has no file to download."))
    _require_action(actor, kind_get(job.kind), job.unit, Direction.EXPORT)
    record(
        actor=actor,
        action="datajob.download",
        obj=job,
        after={"kind": job.kind, "file_name": job.file_name, "sha256": job.sha256, "size": job.size},
    )
    return default_storage.open(job.stored_name, "rb")
