from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "unionhall.programmes"
    label = "programmes"
    verbose_name = _("Joint programmes")

    def ready(self) -> None:
        from unionhall.datafiles import kinds

        from . import imports

        kinds.register(imports.KIND)
