from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "unionhall.awards"
    label = "awards"
    verbose_name = _("Commendations and awards")

    def ready(self) -> None:
        from unionhall.core import commands
        from unionhall.datafiles import kinds
        from unionhall.movements import results

        from . import cli, imports, selectors

        kinds.register(imports.KIND)
        commands.register_benchmark(cli.ELIGIBILITY)
        results.register(results.Result("awards_decided", _("Awards decided"), selectors.awards_per_movement))
