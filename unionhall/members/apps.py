from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "unionhall.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from unionhall.orgunits import lifecycle

        from .participant import MEMBERSHIPS

        lifecycle.register(MEMBERSHIPS)
