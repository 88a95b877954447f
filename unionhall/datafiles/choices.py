from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobPhase(models.TextChoices):
    """What a running import is doing: reading and checking the file, then writing it (one transaction)."""

    CHECKING = "checking", _("Checking the file")
    WRITING = "writing", _("Writing")


class Outcome(models.TextChoices):
    """What an import does, or would do, with one row."""

    NEW = "new", _("New")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    REJECTED = "rejected", _("Rejected")
