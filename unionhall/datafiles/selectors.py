"""Reads on data jobs: an actor sees the jobs of each record type where they hold its import (or export) action."""

import itertools
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound

from .choices import Direction, JobStatus
from .kinds import kind_get, kind_list
from .models import DataJob
from .reading import read_table


def datajob_list(*, actor: Any, kind: str | None = None) -> QuerySet[DataJob]:
    kinds = [kind_get(kind)] if kind else kind_list()
    visible = DataJob.objects.none()
    for each in kinds:
        imports = DataJob.objects.filter(kind=each.code, direction=Direction.IMPORT)
        visible = visible | imports.visible_to(actor, each.action)
        if each.export_action:
            exports = DataJob.objects.filter(kind=each.code, direction=Direction.EXPORT)
            visible = visible | exports.visible_to(actor, each.export_action)
    return visible.select_related("unit", "actor").order_by("-created_at", "-id")


def datajob_get(*, actor: Any, job_id: int) -> DataJob:
    job = datajob_list(actor=actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Job %(id)s was not found.") % {"id": job_id})
    return job


def datajob_report_open(*, actor: Any, job_id: int) -> File:
    """The error report of a job the actor can see, opened for reading (the caller closes it)."""
    job = datajob_get(actor=actor, job_id=job_id)
    if not job.report_name:
        raise NotFound(_("This job has no error report."))
    return default_storage.open(job.report_name, "rb")


def datajob_output_open(*, actor: Any, job_id: int) -> File:
    """The file an export job wrote, once it succeeded, opened for reading (the caller closes it)."""
    job = datajob_get(actor=actor, job_id=job_id)
    if job.direction != Direction.EXPORT or job.status != JobStatus.SUCCEEDED:
        raise NotFound(_("This job has no file to download."))
    return default_storage.open(job.stored_name, "rb")


# ---------------------------------------------------------------- the jobs an actor started

FIRST_ERRORS = 50


def datajob_own_list(*, actor: Any) -> QuerySet[DataJob]:
    """The jobs the actor started, among those their roles still let them see ("My data jobs")."""
    return datajob_list(actor=actor).filter(actor=actor)


def datajob_openable(*, actor: Any) -> QuerySet[DataJob]:
    """The jobs the actor started, or every job for a superuser, among those their roles let them see."""
    jobs = datajob_list(actor=actor)
    return jobs if actor.is_superuser else jobs.filter(actor=actor)


def datajob_own_get(*, actor: Any, job_id: int) -> DataJob:
    """A job its starter (or a superuser) may open; anyone else, and a starter who lost the action, gets NotFound.

    A job holds a whole file of someone's data: an officer of the unit who did not start it does not see it.
    """
    job = datajob_openable(actor=actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Job %(id)s was not found.") % {"id": job_id})
    return job


def datajob_own_report_open(*, actor: Any, job_id: int) -> tuple[DataJob, File]:
    """The error report of a job the actor may open (the caller closes the file)."""
    job = datajob_own_get(actor=actor, job_id=job_id)
    if not job.report_name:
        raise NotFound(_("This job has no error report."))
    return job, default_storage.open(job.report_name, "rb")


def datajob_first_errors(*, job: DataJob, limit: int = FIRST_ERRORS) -> list[dict[str, Any]]:
    """The first rejected cells of a job, read back from its error report: row, column label, value, reason."""
    if not job.report_name:
        return []
    with default_storage.open(job.report_name, "rb") as report:
        table = read_table(report.read(), job.report_name)
    errors = []
    for _number, cells in itertools.islice(table.rows, limit):
        row, column, value, reason = (list(cells) + [None] * 4)[:4]
        errors.append(
            {
                "row": int(row) if isinstance(row, int | float) else row,
                "column": column or "",
                "value": "" if value is None else str(value),
                "reason": reason or "",
            }
        )
    return errors


def datajob_confirmed_by(*, job: DataJob) -> int | None:
    """The real run that a dry run was confirmed into (same stored file), unless that run failed."""
    return (
        DataJob.objects.filter(stored_name=job.stored_name, direction=Direction.IMPORT, dry_run=False)
        .exclude(pk=job.pk)
        .exclude(status=JobStatus.FAILED)
        .values_list("pk", flat=True)
        .first()
    )
