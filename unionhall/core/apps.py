from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "unionhall.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's new empty-choice label is not yet in its own vi/ar/fa catalogues; ours has it.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
