"""Background runs of data jobs (Django tasks, database backend; `make run` starts the worker)."""

from typing import Any

from django.db import transaction
from django.tasks import task

from .models import DataJob
from .services import datajob_confirm, datajob_create, datajob_export_create, datajob_run


@task()
def datajob_run_task(job_id: int) -> dict[str, Any]:
    job = datajob_run(job_id=job_id)
    return {"status": job.status, "summary": job.summary}


def datajob_enqueue(job: DataJob) -> None:
    """Queue the run once the job's row is committed, so the worker can see it."""
    transaction.on_commit(lambda: datajob_run_task.enqueue(job.pk))


@transaction.atomic
def datajob_submit(*, actor: Any, kind: str, unit: Any, file: Any, dry_run: bool) -> DataJob:
    """What an upload view or endpoint calls: store the file, create the job, run it in the background."""
    job = datajob_create(actor=actor, kind=kind, unit=unit, file=file, dry_run=dry_run)
    datajob_enqueue(job)
    return job


@transaction.atomic
def datajob_export_submit(*, actor: Any, kind: str, unit: Any, file_format: str) -> DataJob:
    """What an export button calls: the file is written in the background and the export is logged."""
    job = datajob_export_create(actor=actor, kind=kind, unit=unit, file_format=file_format)
    datajob_enqueue(job)
    return job


@transaction.atomic
def datajob_confirm_submit(*, actor: Any, job: DataJob) -> DataJob:
    """What the "Import for real" button calls: a real run of a dry run that passed, in the background."""
    real = datajob_confirm(actor=actor, job=job)
    datajob_enqueue(real)
    return real
