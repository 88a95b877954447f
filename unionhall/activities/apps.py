from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "unionhall.activities"
    label = "activities"
    verbose_name = _("Activities and attendance")

    def ready(self) -> None:
        from django.urls import reverse

        from unionhall.datafiles import kinds
        from unionhall.movements import results as movement_results
        from unionhall.programmes import results as programme_results

        from . import imports, selectors

        kinds.register(imports.ACTIVITIES_KIND)
        kinds.register(imports.ATTENDANCE_KIND)

        movement_results.register(
            movement_results.Result("activities_held", _("Activities held"), selectors.movement_activities_held)
        )
        movement_results.register(
            movement_results.Result(
                "activity_participants", _("Participants in activities"), selectors.movement_participants
            )
        )
        programme_results.register(
            programme_results.Result(
                "activities",
                _("Activities"),
                selectors.programme_activity_lines,
                list_url=lambda code: f"{reverse('activities:list')}?programme={code}",
            )
        )
