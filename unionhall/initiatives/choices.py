"""The fixed vocabularies of initiatives: field, status, recognition level, attachment types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    TECHNICAL = "technical", _("Technical solution")
    MANAGEMENT = "management", _("Management solution")
    OPERATIONAL = "operational", _("Operational solution")
    TECHNOLOGY_APPLICATION = "technology_application", _("Technology application")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_AMENDMENT = "needs_amendment", _("Needs amendment")
    ACCEPTED = "accepted", _("Accepted for decision")
    RECOGNISED = "recognised", _("Recognised")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the author may still edit the application.
EDITABLE_STATUSES = (Status.DRAFT, Status.NEEDS_AMENDMENT)


class Level(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots")
    PROVINCIAL = "provincial", _("Province or ministry")
    NATIONAL = "national", _("National")


# "Recognised at level >= L": the levels in ascending order.
LEVEL_ORDER = (Level.GRASSROOTS, Level.PROVINCIAL, Level.NATIONAL)


def levels_at_least(level: str) -> list[str]:
    """The levels that count as `level` or higher."""
    return [str(v) for v in LEVEL_ORDER[LEVEL_ORDER.index(Level(level)) :]]


class Verdict(models.TextChoices):
    ACCEPT = "accept", _("Accept for decision")
    AMEND = "amend", _("Ask for amendment")
    REJECT = "reject", _("Reject")


class Verified(models.TextChoices):
    SOURCED = "S", _("Sourced")
    UNVERIFIED = "M", _("Unverified")
    UNKNOWN = "?", _("Unknown")
