"""Scoping of activities and their rows: who sees which, as one filter each.

An activity is seen by an actor whose scope for the action covers one of its organising units
(every organiser, the recording unit included, has an `ActivityOrganiser` row), or one of the
parties of the joint programme it serves: a joint activity counts for each organisation.
Speakers, files, attendees and headcounts are seen with their activity.
"""

from typing import Any, Self, cast

from django.db import models
from django.db.models import Exists, OuterRef, Q

from unionhall.core.scoping import Scope, scope_for, subtree_q
from unionhall.programmes.models import ProgrammeParty

from .choices import ActivityStatus


def activity_scope_q(scope: Scope, organiser_model: Any) -> Q:
    """Activities the scope reaches; `scope` is neither empty nor everything."""
    organised = organiser_model.objects.filter(activity_id=OuterRef("pk")).filter(
        scope.as_q(path_field="unit__path", unit_field="unit_id")
    )
    party = ProgrammeParty.objects.filter(programme_id=OuterRef("programme_id")).filter(
        scope.as_q(path_field="unit__path", unit_field="unit_id")
    )
    return Q(Exists(organised)) | Q(Exists(party))


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        organiser_model = cast(Any, self.model._meta.get_field("organiser_rows").related_model)
        return self.filter(activity_scope_q(scope, organiser_model))

    def organised_under(self, path: str) -> Self:
        """Activities one of whose organisers is in the subtree at `path`."""
        organiser_model = cast(Any, self.model._meta.get_field("organiser_rows").related_model)
        rows = organiser_model.objects.filter(activity_id=OuterRef("pk")).filter(subtree_q("unit__path", path))
        return self.filter(Exists(rows))

    def held(self) -> Self:
        return self.filter(status=ActivityStatus.HELD)


class ActivityRowQuerySet(models.QuerySet):
    """Rows that belong to one activity (speakers, files, attendees, headcounts): seen with it."""

    def visible_to(self, actor: Any, action: str) -> Self:
        activity_model = cast(Any, self.model._meta.get_field("activity").related_model)
        activities = activity_model.objects.visible_to(actor, action)
        return self.filter(activity_id__in=activities.values("pk"))
