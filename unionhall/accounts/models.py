"""Users and their display preferences."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Calendar, Language


class User(AbstractUser):
    """A person who signs in: an officer, an administrator or a viewer."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.VI)
    latin_digits = models.BooleanField(
        _("Latin digits"), default=False, help_text=_("Show 0-9 instead of Arabic or Persian digits.")
    )
    calendar = models.CharField(_("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.GREGORIAN)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()
