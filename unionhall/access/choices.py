from django.db import models
from django.utils.translation import gettext_lazy as _


class GrantScope(models.TextChoices):
    UNIT = "unit", _("This unit only")
    SUBTREE = "subtree", _("This unit and its sub-units")
