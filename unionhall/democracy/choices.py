"""The fixed vocabularies of workplace democracy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DialogueTrigger(models.TextChoices):
    PERIODIC = "periodic", _("Periodic (at least once a year)")
    ON_REQUEST = "on_request", _("At the request of one or both sides")
    EVENT = "event", _("On an event the Labour Code names")


class ConferenceForm(models.TextChoices):
    ALL_EMPLOYEES = "all", _("All employees")
    DELEGATES = "delegates", _("Delegates")


class Certainty(models.TextChoices):
    """How sure the source of a rule is (see the domain reference)."""

    SOURCED = "S", _("Sourced")
    MISSING = "M", _("Source missing")
    UNSURE = "?", _("Uncertain")


class ComplianceState(models.TextChoices):
    """An employer's standing on one obligation as of a day; computed, never stored."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    UP_TO_DATE = "up_to_date", _("Up to date")


class ComplianceFilter(models.TextChoices):
    """Which employers the dashboard lists, by their worse state of the two obligations."""

    ATTENTION = "attention", _("Overdue or due soon")
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    UP_TO_DATE = "up_to_date", _("Up to date")
    ALL = "all", _("All employers")
