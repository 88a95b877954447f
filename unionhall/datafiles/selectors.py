"""Reads on data jobs: an actor sees the jobs of each record type where they hold its import (or export) action."""

from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound

from .choices import Direction, JobStatus
from .kinds import kind_get, kind_list
from .models import DataJob


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
