"""Reading the dated rules: the composition band and the obligation rule in force on a day.

Pure reads of data that is the same for every actor; nothing here writes or looks at scope. A rule
is in force from `valid_from` until the day before `valid_to`; where rows overlap, the latest start wins.
"""

import datetime as dt

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
