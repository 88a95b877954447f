"""Scoping of dialogues and employee conferences: each is seen with its activity (see activities.querysets)."""

from typing import Self

from unionhall.activities.choices import ActivityStatus
from unionhall.activities.querysets import ActivityRowQuerySet

from .choices import DialogueTrigger


class DialogueQuerySet(ActivityRowQuerySet):
    def held(self) -> Self:
        return self.filter(activity__status=ActivityStatus.HELD)

    def periodic(self) -> Self:
        return self.filter(trigger=DialogueTrigger.PERIODIC)


class EmployeeConferenceQuerySet(ActivityRowQuerySet):
    def held(self) -> Self:
        return self.filter(activity__status=ActivityStatus.HELD)
