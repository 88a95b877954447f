from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "unionhall.democracy"
    label = "democracy"
    verbose_name = _("Workplace democracy")

    def ready(self) -> None:
        from unionhall.core import commands

        from . import cli

        commands.register_benchmark(cli.ATTENDANCE)
