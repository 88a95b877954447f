"""Reads on the catalogue, nominations, decisions and awards, each scoped to the actor.

Lists page by key (newest first, by id or by signing day and id) with no OFFSET and no count.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from unionhall.core.cursors import cursor_decode, cursor_encode
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.members.models import Person
from unionhall.orgunits.models import Unit

from .choices import NominationStatus
from .models import Award, AwardType, BaseSalary, Decision, Nomination

VIEW = "award.view"
MAX_PAGE = 200


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    filters: dict[str, Any] = field(default_factory=dict)


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


def _page_by_id(qs: QuerySet, cursor: str | None, limit: int, filters: dict[str, Any]) -> Page:
    limit = _limit(limit)
    if cursor:
        (pk,) = cursor_decode(cursor, (int,))
        qs = qs.filter(pk__lt=pk)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, cursor_encode([rows[-1].pk]) if more and rows else None, filters)


# ---------------------------------------------------------------- catalogue


def award_type_list(*, active_only: bool = False) -> QuerySet[AwardType]:
    """The catalogue (the same for everyone who may see awards)."""
    qs = AwardType.objects.prefetch_related("rules__granting_unit_types", "rules__quota_of")
    return qs.filter(active=True) if active_only else qs


def award_type_get(*, code: str) -> AwardType:
    found = award_type_list().filter(code=code).first()
    if found is None:
        raise NotFound(_("There is no award type %(code)s.") % {"code": code[:60]}, field="award_type")
    return found


def base_salary_list() -> QuerySet[BaseSalary]:
    return BaseSalary.objects.order_by("-valid_from")


# ---------------------------------------------------------------- nominations


def _year_filter(year: Any) -> int | None:
    if year in (None, ""):
        return None
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
        raise DomainError(_("Choose a valid year."), field="year")
    return year


def nomination_list(
    *,
    actor: Any,
    unit: Unit | None = None,
    status: str = "",
    year: int | None = None,
    award_type: AwardType | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Nominations the actor sees (proposed in their scope), newest first; `unit` narrows to a subtree."""
    qs = Nomination.objects.visible_to(actor, VIEW).select_related("award_type", "person", "unit", "proposing_unit")
    if unit is not None:
        if not scope_for(actor, VIEW).covers(path=unit.path, unit_id=unit.pk):
            raise NotFound(_("Unit %(code)s was not found.") % {"code": unit.code}, field="unit")
        qs = qs.filter(subtree_q("proposing_unit__path", unit.path))
    if status:
        if status not in NominationStatus.values:
            raise DomainError(_("Choose a valid status."), field="status")
        qs = qs.filter(status=status)
    year = _year_filter(year)
    if year is not None:
        qs = qs.filter(year=year)
    if award_type is not None:
        qs = qs.filter(award_type=award_type)
    return _page_by_id(qs, cursor, limit, {"status": status, "year": year})


def nomination_get(*, actor: Any, pk: int) -> Nomination:
    found = (
        Nomination.objects.visible_to(actor, VIEW)
        .select_related("award_type", "person", "unit", "proposing_unit__parent")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Nomination %(id)s was not found.") % {"id": pk})
    return found


# ---------------------------------------------------------------- decisions


def decision_list(
    *,
    actor: Any,
    year: int | None = None,
    award_type: AwardType | None = None,
    granting_unit: Unit | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Decisions the actor sees, newest signing day first; `year` is the signing year."""
    limit = _limit(limit)
    qs = Decision.objects.visible_to(actor, VIEW).select_related("award_type", "granting_unit")
    year = _year_filter(year)
    if year is not None:
        qs = qs.filter(signed_on__gte=dt.date(year, 1, 1), signed_on__lte=dt.date(year, 12, 31))
    if award_type is not None:
        qs = qs.filter(award_type=award_type)
    if granting_unit is not None:
        qs = qs.filter(granting_unit=granting_unit)
    if cursor:
        day, pk = cursor_decode(cursor, (dt.date, int))
        qs = qs.filter(signed_on__lte=day).filter(Q(signed_on__lt=day) | Q(signed_on=day, pk__lt=pk))
    rows = list(qs.order_by("-signed_on", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([rows[-1].signed_on, rows[-1].pk]) if more and rows else None
    return Page(rows, next_cursor, {"year": year})


def decision_get(*, actor: Any, pk: int) -> Decision:
    found = (
        Decision.objects.visible_to(actor, VIEW)
        .select_related("award_type", "granting_unit__type", "movement", "rule")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Decision %(id)s was not found.") % {"id": pk})
    return found


def decision_awards(*, actor: Any, decision: Decision) -> QuerySet[Award]:
    """The awards of a decision the actor sees: all of them for the granting level, else those in their scope."""
    return (
        Award.objects.visible_to(actor, VIEW)
        .filter(decision=decision)
        .select_related("person", "unit", "awardee_unit", "award_type", "decision")
        .order_by("pk")
    )


# ---------------------------------------------------------------- awards


def award_list(
    *,
    actor: Any,
    person: Person | None = None,
    unit: Unit | None = None,
    award_type: AwardType | None = None,
    year: int | None = None,
    revoked: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    qs = Award.objects.visible_to(actor, VIEW).select_related(
        "person", "unit", "awardee_unit", "award_type", "decision__granting_unit"
    )
    if person is not None:
        qs = qs.filter(person=person)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if award_type is not None:
        qs = qs.filter(award_type=award_type)
    year = _year_filter(year)
    if year is not None:
        qs = qs.filter(year=year)
    if revoked is not None:
        qs = qs.filter(revoked_on__isnull=not revoked)
    return _page_by_id(qs, cursor, limit, {"year": year})


def award_get(*, actor: Any, pk: int) -> Award:
    found = (
        Award.objects.visible_to(actor, VIEW)
        .select_related("person", "unit", "awardee_unit", "award_type", "decision__granting_unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Award %(id)s was not found.") % {"id": pk})
    return found


def award_history(*, actor: Any, person: Person | None = None, unit: Unit | None = None) -> list[Award]:
    """Every award of a person or a unit the actor sees, newest achievement first, revoked ones included."""
    if (person is None) == (unit is None):
        raise DomainError(_("Name either a person or a unit."), field="person")
    qs = Award.objects.visible_to(actor, VIEW).select_related("award_type", "decision__granting_unit", "awardee_unit")
    qs = qs.filter(person=person) if person is not None else qs.filter(unit=unit)
    return list(qs.order_by("-year", "award_type__rank", "-pk"))


def awards_per_movement(movement_ids: list[int]) -> dict[int, int]:
    """Awards in force decided within each movement (one query): the movement page's "awards decided"."""
    rows = (
        Award.objects.active()
        .filter(decision__movement_id__in=movement_ids)
        .order_by()
        .values_list("decision__movement_id")
        .annotate(count=Count("pk"))
    )
    return dict(rows)
