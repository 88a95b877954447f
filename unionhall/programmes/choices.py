"""The fixed vocabularies of joint programmes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead party")
    PARTNER = "partner", _("Partner")
