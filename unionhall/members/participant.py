"""Memberships follow their units: a dissolution ends them, a merger or a split moves them to a new unit.

Registered with the unit lifecycle at start-up; called inside the lifecycle operation's
transaction, so the units and their memberships change together or not at all.
"""

import datetime as dt
from collections.abc import Sequence
from itertools import batched
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import DomainError
from unionhall.orgunits.models import Unit

from .choices import OPEN_STATUSES, EndReason, MembershipStatus
from .models import Membership, OfficerTerm

IDS_PER_QUERY = 900


def _open_in(unit_ids: Sequence[int]) -> list[Membership]:
    found: list[Membership] = []
    for chunk in batched(unit_ids, IDS_PER_QUERY):
        found += (
            Membership.objects.filter(unit_id__in=chunk, status__in=OPEN_STATUSES)
            .select_for_update(of=("self",))
            .select_related("unit", "person")
            .order_by("pk")
        )
    return found


def _end(memberships: Sequence[Membership], reason: str, day: dt.date) -> None:
    if any(m.join_date > day for m in memberships):
        raise DomainError(
            _("A member of a unit concerned joined after the effective date: correct the date."),
            field="effective_date",
            code="member_joined_later",
        )
    if any(m.suspended_on is not None and m.suspended_on > day for m in memberships):
        raise DomainError(
            _("A member of a unit concerned was suspended after the effective date: correct the date."),
            field="effective_date",
            code="member_suspended_later",
        )
    ids = [m.pk for m in memberships]
    for chunk in batched(ids, IDS_PER_QUERY):
        if OfficerTerm.objects.filter(membership_id__in=chunk, term_end__isnull=True, term_start__gt=day).exists():
            raise DomainError(
                _("An officer of a unit concerned took office after the effective date: correct the date."),
                field="effective_date",
                code="officer_started_later",
            )
    for chunk in batched(ids, IDS_PER_QUERY):
        OfficerTerm.objects.filter(membership_id__in=chunk, term_end__isnull=True).update(term_end=day)
        Membership.objects.filter(pk__in=chunk).update(
            status=MembershipStatus.ENDED, end_reason=reason, end_date=day, version=F("version") + 1
        )


def _ended(m: Membership, reason: str, day: dt.date) -> Change:
    return Change(
        obj=None,
        object_type="members.membership",
        object_id=str(m.pk),
        object_label=str(m.person),
        unit_id=m.unit_id,
        unit_path=m.unit.path,
        before={"status": m.status},
        after={"status": MembershipStatus.ENDED, "end_reason": reason, "end_date": day},
    )


class MembershipLifecycle:
    """The members app's part in unit dissolutions and mergers."""

    def units_dissolved(self, *, actor: Any, unit_ids: Sequence[int], day: dt.date, reason: str) -> None:
        memberships = _open_in(unit_ids)
        if not memberships:
            return
        _end(memberships, EndReason.UNIT_DISSOLVED, day)
        record_many(
            actor=actor,
            action="membership.unit_dissolved",
            reason=f"{day.isoformat()}: {reason}",
            changes=[_ended(m, EndReason.UNIT_DISSOLVED, day) for m in memberships],
        )

    def units_merged(self, *, actor: Any, source_ids: Sequence[int], target_id: int, day: dt.date, reason: str) -> None:
        _move(actor, _open_in(source_ids), target_id, day, reason, "membership.unit_merged")

    def unit_split(self, *, actor: Any, unit_id: int, part_ids: Sequence[int], day: dt.date, reason: str) -> None:
        """The split unit's own members go to the first new unit; members of its sub-units move with them.

        A split ends the unit, so its members cannot stay; which new unit each of them belongs to is not
        part of the decision, so the first unit listed takes them all over and officers of the parent
        transfer individuals to the other new units afterwards.
        """
        _move(actor, _open_in([unit_id]), part_ids[0], day, reason, "membership.unit_split")


def _move(
    actor: Any, memberships: Sequence[Membership], target_id: int, day: dt.date, reason: str, action: str
) -> None:
    """End `memberships` on `day` (reason: transferred) and open each again in the target unit from `day`."""
    if not memberships:
        return
    target = Unit.objects.get(pk=target_id)
    _end(memberships, EndReason.TRANSFERRED, day)
    created = Membership.objects.bulk_create(
        [
            Membership(
                person_id=m.person_id,
                unit=target,
                join_date=day,
                status=m.status,
                # A suspension stands in the target unit from the day of the move.
                suspended_on=day if m.suspended_on else None,
                suspension_reason=m.suspension_reason,
            )
            for m in memberships
        ],
        batch_size=2000,
    )
    changes = [_ended(m, EndReason.TRANSFERRED, day) for m in memberships]
    changes += [
        Change(
            obj=None,
            object_type="members.membership",
            object_id=str(new.pk),
            object_label=str(old.person),
            unit_id=target.pk,
            unit_path=target.path,
            after={"unit": target.code, "join_date": day, "status": new.status, "from_membership": old.pk},
        )
        for old, new in zip(memberships, created, strict=True)
    ]
    record_many(actor=actor, action=action, reason=f"{day.isoformat()}: {reason}", changes=changes)


MEMBERSHIPS = MembershipLifecycle()
