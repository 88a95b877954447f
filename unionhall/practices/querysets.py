"""Scoping of models (mô hình) and their members and evaluations: who sees which, as one filter each.

A model is seen by an actor whose scope for the action covers the unit that registered it (so the
units above it see it too), the launcher of its movement (the launching body that evaluates and
recognises models, e.g. the police for a security movement), or a party of its programme (what a
joint programme achieves counts for every party). Members and evaluations are seen with their model.
"""

import datetime as dt
from typing import Any, Self, cast

from django.db import models
from django.db.models import Exists, OuterRef, Q

from unionhall.core.scoping import Scope, scope_for, subtree_q
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import ProgrammeParty

from .choices import EvaluationResult, PracticeStatus

CHANGE = "practice.change"


def practice_scope_q(scope: Scope) -> Q:
    """Models the scope reaches (see the module docstring); `scope` is neither empty nor everything."""
    parties = ProgrammeParty.objects.filter(programme_id=OuterRef("programme_id")).filter(
        scope.as_q(path_field="unit__path", unit_field="unit_id")
    )
    return (
        scope.as_q(path_field="unit__path", unit_field="unit_id")
        | scope.as_q(path_field="movement__launcher__path", unit_field="movement__launcher_id")
        | Q(Exists(parties))
    )


def _evaluations(model: Any) -> Any:
    return model._meta.get_field("evaluations").related_model.objects


class PracticeQuerySet(models.QuerySet):
    def visible_to(self, actor: Any, action: str) -> Self:
        scope = scope_for(actor, action)
        if scope.empty:
            return self.none()
        if scope.everything:
            return self.all()
        return self.filter(practice_scope_q(scope))

    def changeable_by(self, actor: Any) -> Self:
        """Models whose registering unit the actor holds `practice.change` on."""
        scope = scope_for(actor, CHANGE)
        if scope.empty:
            return self.none()
        return self.filter(scope.as_q(path_field="unit__path", unit_field="unit_id"))

    def registered_under(self, unit: Unit) -> Self:
        return self.filter(subtree_q("unit__path", unit.path))

    def discontinued(self) -> Self:
        return self.filter(ended_on__isnull=False)

    def current(self) -> Self:
        return self.filter(ended_on__isnull=True)

    def recognised(self) -> Self:
        """Recognised as effective and not discontinued."""
        return self.current().filter(recognised_on__isnull=False)

    def effective_in(self, year: int) -> Self:
        """Models evaluated effective for `year`."""
        evaluations = _evaluations(self.model).filter(
            practice_id=OuterRef("pk"), year=year, result=EvaluationResult.EFFECTIVE
        )
        return self.filter(Exists(evaluations))

    def last_evaluated_effective(self) -> Self:
        """Models whose latest evaluation says effective."""
        latest = _evaluations(self.model).filter(practice_id=OuterRef("pk")).order_by("-year").values("result")[:1]
        return self.annotate(last_result=models.Subquery(latest)).filter(last_result=EvaluationResult.EFFECTIVE)

    def with_status(self, status: str) -> Self:
        """By status, in the order discontinued > recognised > effective > registered (see `PracticeStatus`)."""
        if status == PracticeStatus.DISCONTINUED:
            return self.discontinued()
        if status == PracticeStatus.RECOGNISED:
            return self.recognised()
        pending = self.current().filter(recognised_on__isnull=True)
        effective = pending.last_evaluated_effective()
        if status == PracticeStatus.EFFECTIVE:
            return effective
        return pending.exclude(pk__in=effective.values("pk"))

    def registered_in(self, year: int) -> Self:
        return self.filter(registered_on__gte=dt.date(year, 1, 1), registered_on__lte=dt.date(year, 12, 31))


class WithPracticeQuerySet(models.QuerySet):
    """Rows seen with their model (members, evaluations)."""

    def visible_to(self, actor: Any, action: str) -> Self:
        practice_model = cast(Any, self.model._meta.get_field("practice").related_model)
        practices = practice_model.objects.visible_to(actor, action)
        return self.filter(Exists(practices.filter(pk=OuterRef("practice_id"))))
