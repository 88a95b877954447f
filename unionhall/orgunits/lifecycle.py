"""Participants that act when units end, merge or split (e.g. memberships), registered at start-up.

The unit tree sits below the apps that hold records in units, so those apps register here and the
lifecycle services call them explicitly, inside the same transaction.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol


class LifecycleParticipant(Protocol):
    def units_dissolved(self, *, actor: Any, unit_ids: Sequence[int], day: dt.date, reason: str) -> None: ...

    def units_merged(
        self, *, actor: Any, source_ids: Sequence[int], target_id: int, day: dt.date, reason: str
    ) -> None: ...

    def unit_split(self, *, actor: Any, unit_id: int, part_ids: Sequence[int], day: dt.date, reason: str) -> None:
        """`unit_id` ended on `day`, split into the new units `part_ids` (in the order the split listed them)."""
        ...


_participants: list[LifecycleParticipant] = []


def register(participant: LifecycleParticipant) -> None:
    if participant not in _participants:
        _participants.append(participant)


def participants() -> list[LifecycleParticipant]:
    return list(_participants)
