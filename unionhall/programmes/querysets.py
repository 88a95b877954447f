"""Scoping of joint programmes, their parties and officers: who sees which, as one filter each.

A programme is seen by an actor whose scope for the action covers one of its parties (a party or a
unit above it), or who sits under a party (a grassroots officer sees the programme its provincial
federation signed). Parties and officers are seen with their programme. Changing a programme needs
the scope over the unit that recorded it (`changeable_by`).
"""

import datetime as dt
from typing import Any, Self, cast

from django.db import models
from django.db.models import Exists, OuterRef, Q

from unionhall.core.scoping import Scope, scope_for, subtree_q
from unionhall.movements.querysets import ancestor_paths, granted_paths
from unionhall.orgunits.models import Unit

CHANGE = "programme.change"


def party_scope_q(scope: Scope) -> Q:
    """Party rows the scope reaches: the party is covered, or the scope sits under it."""
    above = ancestor_paths(granted_paths(scope))
    return scope.as_q(path_field="unit__path", unit_field="unit_id") | Q(unit__path__in=above)


def _parties_model(model: Any) -> Any:
    return model._meta.get_field("party_rows").related_model


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        parties = _parties_model(self.model).objects.filter(programme_id=OuterRef("pk")).filter(party_scope_q(scope))
        return self.filter(Exists(parties))

    def changeable_by(self, actor: Any) -> Self:
        """Programmes whose recording unit the actor holds `programme.change` on."""
        scope = scope_for(actor, CHANGE)
        if scope.empty:
            return self.none()
        return self.filter(scope.as_q(path_field="owner__path", unit_field="owner_id"))

    def in_year(self, year: int) -> Self:
        """Programmes whose period overlaps the calendar year."""
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1)), start_date__lte=dt.date(year, 12, 31)
        )

    def with_unit(self, unit: Unit) -> Self:
        """Programmes in which the unit takes part (a party is the unit or above it) or a unit under it is a party."""
        parties = _parties_model(self.model).objects.filter(programme_id=OuterRef("pk"))
        near = Q(unit__path__in=ancestor_paths({unit.path})) | subtree_q("unit__path", unit.path)
        return self.filter(Exists(parties.filter(near)))


class WithProgrammeQuerySet(models.QuerySet):
    """Rows seen with their programme (parties, officers)."""

    def visible_to(self, actor: Any, action: str) -> Self:
        programme_model = cast(Any, self.model._meta.get_field("programme").related_model)
        programmes = programme_model.objects.visible_to(actor, action)
        return self.filter(Exists(programmes.filter(pk=OuterRef("programme_id"))))
