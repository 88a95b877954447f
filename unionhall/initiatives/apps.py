from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "unionhall.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from unionhall.datafiles import kinds
        from unionhall.movements import results

        from . import imports, selectors

        kinds.register(imports.KIND)
        results.register(
            results.Result("initiatives_submitted", _("Initiatives submitted"), selectors.submitted_per_movement)
        )
        results.register(
            results.Result("initiatives_recognised", _("Initiatives recognised"), selectors.recognised_per_movement)
        )
        results.register(
            results.Result(
                "initiatives_benefit_vnd",
                _("Benefit of recognised initiatives (VND)"),
                selectors.benefit_per_movement,
                money=True,
            )
        )
