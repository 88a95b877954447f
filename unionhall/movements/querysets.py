"""Scoping of movements, milestones and registrations: who sees which, as one filter each.

A movement is seen by an actor whose scope for the action covers the launcher, or covers a unit
under the launcher (a grassroots officer sees the province's movement it takes part in), or, for
a joint ("listed") movement, covers one of the listed units or sits under one. Changing a movement
needs the scope over the launcher itself (`changeable_by`). Registrations are seen where their unit is.
"""

import datetime as dt
from typing import Any, Self, cast

from django.db import models
from django.db.models import Exists, OuterRef, Q

from unionhall.core.scoping import Scope, ScopedQuerySet, scope_for, subtree_q
from unionhall.orgunits.models import Unit
from unionhall.orgunits.paths import SEGMENT

from .choices import MovementScope, MovementStatus

CHANGE = "movement.change"


def granted_paths(scope: Scope) -> set[str]:
    """The paths of every unit the scope names: its subtrees' roots and its single units (one query for those)."""
    paths = set(scope.subtree_paths)
    if scope.unit_ids:
        paths |= set(Unit.objects.filter(pk__in=sorted(scope.unit_ids)).values_list("path", flat=True))
    return paths


def ancestor_paths(paths: set[str]) -> list[str]:
    """Each path and the paths of its ancestors, read off the fixed-width segments."""
    return sorted({path[:end] for path in paths for end in range(SEGMENT, len(path) + 1, SEGMENT)})


def movement_scope_q(scope: Scope, *, units_through: Any) -> Q:
    """Movements the scope reaches (see the module docstring); `scope` is neither empty nor everything."""
    above = ancestor_paths(granted_paths(scope))
    q = scope.as_q(path_field="launcher__path", unit_field="launcher_id") | Q(launcher__path__in=above)
    listed = units_through.objects.filter(movement_id=OuterRef("pk")).filter(
        scope.as_q(path_field="unit__path", unit_field="unit_id") | Q(unit__path__in=above)
    )
    return q | Q(Exists(listed), scope=MovementScope.LISTED)


class MovementQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        return self.filter(movement_scope_q(scope, units_through=cast(Any, self.model).units.through))

    def changeable_by(self, actor: Any) -> Self:
        """Movements whose launcher the actor holds `movement.change` on."""
        scope = scope_for(actor, CHANGE)
        if scope.empty:
            return self.none()
        return self.filter(scope.as_q(path_field="launcher__path", unit_field="launcher_id"))

    def launched_under(self, unit: Unit) -> Self:
        return self.filter(subtree_q("launcher__path", unit.path))

    def in_year(self, year: int) -> Self:
        """Movements whose period overlaps the calendar year."""
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1)), start_date__lte=dt.date(year, 12, 31)
        )

    def with_status(self, status: str, *, today: dt.date) -> Self:
        """By the status as of `today`: a planned movement whose start has come is running."""
        if status == MovementStatus.CLOSED:
            return self.filter(status=MovementStatus.CLOSED)
        started = Q(start_date__lte=today)
        if status == MovementStatus.RUNNING:
            return self.exclude(status=MovementStatus.CLOSED).filter(started)
        return self.exclude(status=MovementStatus.CLOSED).exclude(started)


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        """Milestones are seen with their movement."""
        movement_model = cast(Any, self.model._meta.get_field("movement").related_model)
        movements = movement_model.objects.visible_to(actor, action)
        return self.filter(Exists(movements.filter(pk=OuterRef("movement_id"))))


class RegistrationQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"
