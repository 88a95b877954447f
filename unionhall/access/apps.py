from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "unionhall.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from unionhall.core.scoping import register_scope_resolver

        from .scopes import grants_scope

        register_scope_resolver(grants_scope)
