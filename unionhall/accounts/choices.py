from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")
    AR = "ar", _("Arabic")
    FA = "fa", _("Persian")


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    JALALI = "jalali", _("Jalali (Persian only)")
