from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")
    DISSOLVED = "dissolved", _("Dissolved")


class EventKind(models.TextChoices):
    ESTABLISH = "establish", _("Established")
    RENAME = "rename", _("Renamed")
    UPDATE = "update", _("Details changed")
    TRANSFER = "transfer", _("Transferred")
    MERGE = "merge", _("Merged")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolved")


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province or city")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune, ward or special zone")
