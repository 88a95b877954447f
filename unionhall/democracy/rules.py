"""Reading the dated rules: the composition band and the obligation rule in force on a day.

Pure reads of data that is the same for every actor; nothing here writes or looks at scope. A rule
is in force from `valid_from` until the day before `valid_to`; where rows overlap, the latest start wins.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import CompositionBand, ObligationRule


def _in_force(qs: QuerySet, day: dt.date) -> QuerySet:
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


def band_for(headcount: int, day: dt.date) -> CompositionBand | None:
    """The band covering `headcount` employees on `day`; None before any band was in force."""
    return (
        _in_force(CompositionBand.objects.all(), day)
        .filter(Q(headcount_to__isnull=True) | Q(headcount_to__gt=headcount), headcount_from__lte=headcount)
        .order_by("-valid_from", "-headcount_from")
        .first()
    )


def obligation_rule_on(day: dt.date) -> ObligationRule | None:
    """How often the dialogue and the employee conference fall due on `day`."""
    return _in_force(ObligationRule.objects.all(), day).order_by("-valid_from").first()


@dataclass(frozen=True)
class DialogueSpan:
    """Days from `starts` until the day before `ends` (no end when None) on which a periodic dialogue falls due
    `every_months` after the last one."""

    starts: dt.date
    ends: dt.date | None
    every_months: int


def dialogue_spans() -> list[DialogueSpan]:
    """The periodic dialogue's interval over time, by the rule in force on each day (as `obligation_rule_on`
    decides), neighbouring days of the same interval joined; no span where no rule is in force."""
    rules = list(ObligationRule.objects.order_by("valid_from", "pk"))
    bounds = sorted({r.valid_from for r in rules} | {r.valid_to for r in rules if r.valid_to})
    spans: list[DialogueSpan] = []
    for index, day in enumerate(bounds):
        ends = bounds[index + 1] if index + 1 < len(bounds) else None
        in_force = [r for r in rules if r.valid_from <= day and (r.valid_to is None or r.valid_to > day)]
        if not in_force:
            continue
        months = max(in_force, key=lambda r: r.valid_from).dialogue_every_months
        if spans and spans[-1].ends == day and spans[-1].every_months == months:
            spans[-1] = DialogueSpan(spans[-1].starts, ends, months)
        else:
            spans.append(DialogueSpan(day, ends, months))
    return spans
