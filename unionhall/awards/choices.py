from django.db import models
from django.utils.translation import gettext_lazy as _


class Recipient(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class AwardKind(models.TextChoices):
    TITLE = "title", _("Emulation title")
    FORM = "form", _("Form of commendation")
    PRIZE = "prize", _("Prize")
    MEDAL = "medal", _("Order or medal")


class AwardSystem(models.TextChoices):
    STATE = "state", _("State")
    UNION = "union", _("Trade union")


class Recurrence(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    ONCE = "once", _("Once per person")
    PERIODIC = "periodic", _("Periodic")
    AD_HOC = "ad_hoc", _("Ad hoc")


class Verified(models.TextChoices):
    SOURCED = "S", _("Sourced")
    UNVERIFIED = "M", _("Unverified")
    UNKNOWN = "?", _("Unknown")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DECIDED = "decided", _("Decided")


class RevocationReason(models.TextChoices):
    FRAUD = "fraud", _("Fraudulent declaration")
    FALSE_DOSSIER = "false_dossier", _("False or forged dossier")
    UNLAWFUL_APPRAISAL = "unlawful_appraisal", _("Unlawful appraisal")
    CRITERIA_NOT_MET = "criteria_not_met", _("Criteria later found not met")
