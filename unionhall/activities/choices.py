"""The fixed vocabularies of activities and attendance (the kinds of activity are data: `ActivityKind`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KindRole(models.TextChoices):
    """What the platform does with a kind beyond counting it."""

    GENERAL = "general", _("Counted only")
    WORKPLACE_DIALOGUE = "workplace_dialogue", _("Periodic dialogue at the workplace")
    EMPLOYEE_CONFERENCE = "employee_conference", _("Employee conference")


class AttendanceMode(models.TextChoices):
    ROSTER = "roster", _("Roster: people checked in one by one")
    COUNTED = "counted", _("Counted: participants by category")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipantCategory(models.TextChoices):
    MEMBER = "member", _("Union members")
    OFFICIAL = "official", _("Officials")
    WORKER = "worker", _("Workers")
    CITIZEN = "citizen", _("Citizens")


class CheckInMethod(models.TextChoices):
    CODE = "code", _("Member code typed")
    QR = "qr", _("Union card scanned")
    LIST = "list", _("Ticked on the list")
    IMPORT = "import", _("Imported from a file")
    NAME = "name", _("Non-member by name")


class FileKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")
    MINUTES = "minutes", _("Minutes")


class CheckInOutcome(models.TextChoices):
    """What a check-in did: the door officer sees it inline, never as an error page."""

    ADDED = "added", _("Checked in")
    ALREADY = "already", _("Already checked in")
    UNKNOWN = "unknown", _("Unknown code")
