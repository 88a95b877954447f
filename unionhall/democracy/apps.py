from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "unionhall.democracy"
    label = "democracy"
    verbose_name = _("Workplace democracy")
