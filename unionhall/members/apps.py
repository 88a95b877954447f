from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "unionhall.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from unionhall.core import commands
        from unionhall.datafiles import kinds
        from unionhall.orgunits import lifecycle

        from . import cli, imports
        from .participant import MEMBERSHIPS

        lifecycle.register(MEMBERSHIPS)
        kinds.register(imports.KIND)
        commands.register_benchmark(cli.IMPORT)
        commands.register_benchmark(cli.SEARCH)
        commands.register_generator(cli.MEMBERS)
