from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgunitsConfig(AppConfig):
    name = "unionhall.orgunits"
    label = "orgunits"
    verbose_name = _("Units")

    def ready(self) -> None:
        from unionhall.core import commands

        from . import cli

        commands.register_benchmark(cli.TREE)
        commands.register_generator(cli.UNITS)
