"""The fixed vocabularies of period reports: sections, measures, submissions and exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    MEMBERS = "members", _("Members")
    UNITS = "units", _("Grassroots unions")
    EMULATION = "emulation", _("Emulation, initiatives and commendation")
    ACTIVITIES = "activities", _("Activities and dissemination")
    DEMOCRACY = "democracy", _("Workplace democracy")
    MODELS = "models", _("Models and joint programmes")


class Measure(models.TextChoices):
    COUNT = "count", _("Count")
    VND = "vnd", _("Amount (VND)")


class Flow(models.TextChoices):
    """How a figure reads over a period: what happened in it, or what stood at its end."""

    FLOW = "flow", _("During the period")
    STOCK = "stock", _("At the end of the period")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Sent back")
    ACCEPTED = "accepted", _("Accepted")


class ChildState(models.TextChoices):
    """A child unit's report for a reporting round, as its parent sees it; computed, never stored."""

    SUBMITTED = "submitted", _("Submitted")
    SUBMITTED_LATE = "submitted_late", _("Submitted late")
    RETURNED = "returned", _("Sent back")
    ACCEPTED = "accepted", _("Accepted")
    PENDING = "pending", _("Not yet submitted")
    LATE = "late", _("Late")


class ExportFormat(models.TextChoices):
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Excel (XLSX)")
    PDF = "pdf", _("PDF")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
