"""The fixed vocabularies of emulation movements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    REGULAR = "regular", _("Regular (thường xuyên)")
    THEMATIC = "thematic", _("Thematic or by phase (theo đợt, chuyên đề)")
    CAMPAIGN = "campaign", _("Campaign (cuộc vận động)")


class MovementScope(models.TextChoices):
    SUBTREE = "subtree", _("The launching unit and the units under it")
    LISTED = "listed", _("The listed units and the units under them (joint movement)")


class MovementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class MilestoneKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary review (sơ kết)")
    FINAL = "final", _("Final review (tổng kết)")


class MilestoneState(models.TextChoices):
    """A milestone as of a day; computed, never stored."""

    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    HELD = "held", _("Held")
