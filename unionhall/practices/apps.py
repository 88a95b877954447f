from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "unionhall.practices"
    label = "practices"
    verbose_name = _("Models and exemplars")

    def ready(self) -> None:
        from django.urls import reverse

        from unionhall.datafiles import kinds
        from unionhall.movements import results as movement_results
        from unionhall.programmes import results as programme_results

        from . import imports, selectors

        kinds.register(imports.KIND)
        movement_results.register(
            movement_results.Result("models_registered", _("Models registered"), selectors.registered_per_movement)
        )
        movement_results.register(
            movement_results.Result(
                "models_effective", _("Models recognised as effective"), selectors.recognised_per_movement
            )
        )
        programme_results.register(
            programme_results.Result(
                "models",
                _("Models (mô hình) and exemplars"),
                selectors.programme_lines,
                list_url=lambda code: f"{reverse('practices:list')}?programme={code}",
            )
        )
