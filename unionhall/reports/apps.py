from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "unionhall.reports"
    label = "reports"
    verbose_name = _("Period reports")

    def ready(self) -> None:
        from unionhall.core import commands

        from . import cli

        commands.register_benchmark(cli.REPORT)
        for generator in cli.GENERATORS:
            commands.register_generator(generator)
