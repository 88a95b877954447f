"""Data jobs: one import (or export) of a file for a unit, its progress and its outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.orgunits.models import Unit

from .choices import Direction, JobPhase, JobStatus
from .querysets import DataJobQuerySet


class DataJob(models.Model):
    """An import or export of one file for one unit, run in the background."""

    kind = models.CharField(_("record type"), max_length=40)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.IMPORT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    language = models.CharField(_("language"), max_length=8, default="vi")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=255, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    phase = models.CharField(_("phase"), max_length=10, choices=JobPhase.choices, blank=True)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    report_name = models.CharField(_("error report"), max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DataJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("data job")
        verbose_name_plural = _("data jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="datajob_status_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="datajob_direction_valid"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]),
                name="datajob_finished_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.direction} #{self.pk}"

    def audit_unit(self) -> Unit:
        return self.unit
