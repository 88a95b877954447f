"""Participants that act when units end or merge (e.g. memberships), registered at start-up.

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


_participants: list[LifecycleParticipant] = []


def register(participant: LifecycleParticipant) -> None:
    if participant not in _participants:
        _participants.append(participant)


def participants() -> list[LifecycleParticipant]:
    return list(_participants)
