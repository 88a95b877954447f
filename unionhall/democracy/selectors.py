"""Reads of workplace democracy: the compliance of a subtree's employers, and dialogues and conferences.

Compliance is computed as of a day, never stored. The employers of a subtree are those with an
active union (a unit whose `employer` is set) in it; for each, the last periodic dialogue and the
last employee conference held give the reference date of each obligation (the union's founding
when none was held), and the rule in force on the day turns reference dates into states (see
`deadlines`). Whatever the number of employers, the dates of all of them are one SQL statement (an
index lookup per employer and date), the counts and the order are computed from it, and a page's
units and details (last activity, minutes, headcount) are two more statements for its rows only.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.activities.choices import ActivityStatus, FileKind
from unionhall.activities.models import ActivityFile
from unionhall.core.cursors import Offset, cursor_decode, cursor_encode
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.orgunits.checks import unit_not_found
from unionhall.orgunits.choices import UnitStatus
from unionhall.orgunits.models import Unit
from unionhall.orgunits.selectors import unit_top_for

from .choices import ComplianceFilter, ComplianceState, DialogueTrigger
from .deadlines import Thresholds, thresholds
from .models import Dialogue, EmployeeConference
from .rules import obligation_rule_on

VIEW = "activity.view"
MAX_PAGE = 200
STATE_RANK: dict[str, int] = {ComplianceState.OVERDUE: 0, ComplianceState.DUE_SOON: 1, ComplianceState.UP_TO_DATE: 2}
RANK_STATE: dict[int, str] = {rank: state for state, rank in STATE_RANK.items()}
FILTER_RANKS = {
    ComplianceFilter.ATTENTION: (0, 1),
    ComplianceFilter.OVERDUE: (0,),
    ComplianceFilter.DUE_SOON: (1,),
    ComplianceFilter.UP_TO_DATE: (2,),
    ComplianceFilter.ALL: (0, 1, 2),
}


# ---------------------------------------------------------------- where the dashboard looks


def top_unit(*, actor: Any, action: str = VIEW) -> Unit | None:
    """The highest unit the actor sees for `action`: where the dashboard starts."""
    return unit_top_for(actor=actor, action=action)


def _unions_q(actor: Any, unit: Unit) -> Q:
    """The units of `unit`'s subtree the actor sees for `activity.view` (the unit alone on a single-unit grant)."""
    scope = scope_for(actor, VIEW)
    if scope.covers_subtree(unit.path):
        return subtree_q("path", unit.path)
    if scope.covers(path=unit.path, unit_id=unit.pk):
        return Q(pk=unit.pk)
    raise unit_not_found(unit)


# ---------------------------------------------------------------- compliance


@dataclass(frozen=True)
class Obligations:
    """The two obligations' thresholds on one day, from the rule in force then."""

    dialogue: Thresholds
    conference: Thresholds


def obligations_on(today: dt.date) -> Obligations:
    rule = obligation_rule_on(today)
    if rule is None:
        raise DomainError(
            _("No workplace-democracy rule is in force on %(day)s.") % {"day": today.isoformat()}, code="no_rule"
        )
    return Obligations(
        thresholds(today=today, every_months=rule.dialogue_every_months, due_soon_days=rule.due_soon_days),
        thresholds(today=today, every_months=rule.conference_every_months, due_soon_days=rule.due_soon_days),
    )


def _last_dialogues() -> QuerySet[Dialogue]:
    return Dialogue.objects.filter(
        employer_id=OuterRef("pk"), trigger=DialogueTrigger.PERIODIC, activity__status=ActivityStatus.HELD
    ).order_by("-held_on", "-activity_id")


def _last_conferences() -> QuerySet[EmployeeConference]:
    return EmployeeConference.objects.filter(employer_id=OuterRef("pk"), activity__status=ActivityStatus.HELD).order_by(
        "-held_on", "-activity_id"
    )


@dataclass(frozen=True)
class Standing:
    """One employer's reference dates and states on a day (ranks: 0 overdue, 1 due soon, 2 up to date)."""

    pk: int
    union_since: dt.date
    last_dialogue: dt.date | None
    last_conference: dt.date | None
    dialogue_ref: dt.date
    conference_ref: dt.date
    dialogue_rank: int
    conference_rank: int

    @property
    def rank(self) -> int:
        """The worse of the two obligations."""
        return min(self.dialogue_rank, self.conference_rank)

    @property
    def sort_key(self) -> tuple[int, dt.date, int]:
        """Overdue first, then the longest since the last dialogue or conference, then by id."""
        return (self.rank, min(self.dialogue_ref, self.conference_ref), self.pk)


def employers_in(*, actor: Any, unit: Unit) -> QuerySet[Unit]:
    """The active employers with an active union in `unit`'s subtree (the part the actor sees)."""
    unions = Unit.objects.filter(_unions_q(actor, unit), status=UnitStatus.ACTIVE, employer__isnull=False)
    return Unit.objects.filter(pk__in=unions.values("employer_id"), status=UnitStatus.ACTIVE).annotate(
        union_since=Subquery(
            unions.filter(employer_id=OuterRef("pk")).order_by("established_date").values("established_date")[:1]
        )
    )


def standings(*, actor: Any, unit: Unit, obligations: Obligations) -> list[Standing]:
    """Every employer of the subtree with its states, from one statement.

    Each employer's three dates are read once by the database (index lookups per employer); the
    states are compared here, because SQL would repeat each subquery in every expression naming it.
    """
    rows = (
        employers_in(actor=actor, unit=unit)
        .annotate(
            last_dialogue=Subquery(_last_dialogues().values("held_on")[:1]),
            last_conference=Subquery(_last_conferences().values("held_on")[:1]),
        )
        .order_by()
        .values_list("pk", "union_since", "last_dialogue", "last_conference")
    )
    d, c = obligations.dialogue, obligations.conference
    out = []
    for pk, since, last_dialogue, last_conference in rows:
        dialogue_ref = last_dialogue or since
        conference_ref = last_conference or since
        out.append(
            Standing(
                pk,
                since,
                last_dialogue,
                last_conference,
                dialogue_ref,
                conference_ref,
                STATE_RANK[d.state(dialogue_ref)],
                STATE_RANK[c.state(conference_ref)],
            )
        )
    return out


@dataclass(frozen=True)
class ComplianceCounts:
    """How many employers stand in each state: overall (the worse of the two) and per obligation."""

    employers: int
    overall: dict[str, int]
    dialogue: dict[str, int]
    conference: dict[str, int]


def _counts(rows: list[Standing]) -> ComplianceCounts:
    overall, dialogue, conference = (Counter[int]() for _ in range(3))
    for row in rows:
        overall[row.rank] += 1
        dialogue[row.dialogue_rank] += 1
        conference[row.conference_rank] += 1

    def per_state(counter: Counter[int]) -> dict[str, int]:
        return {state: counter[rank] for state, rank in STATE_RANK.items()}

    return ComplianceCounts(len(rows), per_state(overall), per_state(dialogue), per_state(conference))


def compliance_counts(*, actor: Any, unit: Unit, today: dt.date | None = None) -> ComplianceCounts:
    today = today or timezone.localdate()
    return _counts(standings(actor=actor, unit=unit, obligations=obligations_on(today)))


@dataclass(frozen=True)
class ComplianceRow:
    """One employer's standing on a day, with what the dashboard links to."""

    employer: Unit
    state: str
    union_since: dt.date
    last_dialogue: dt.date | None
    dialogue_due: dt.date
    dialogue_state: str
    last_conference: dt.date | None
    conference_due: dt.date
    conference_state: str
    last_dialogue_activity_id: int | None = None
    last_dialogue_minutes: bool = False
    last_conference_activity_id: int | None = None
    headcount: int | None = None
    headcount_on: dt.date | None = None

    @property
    def state_label(self) -> str:
        return str(ComplianceState(self.state).label)

    @property
    def dialogue_state_label(self) -> str:
        return str(ComplianceState(self.dialogue_state).label)

    @property
    def conference_state_label(self) -> str:
        return str(ComplianceState(self.conference_state).label)


@dataclass
class CompliancePage:
    rows: list[ComplianceRow]
    next_cursor: str | None
    obligations: Obligations
    counts: ComplianceCounts
    today: dt.date


def _details(ids: list[int]) -> dict[int, dict[str, Any]]:
    """For the page's employers: the last periodic dialogue's activity and minutes, the last conference's
    activity, and the headcount last recorded by either (one query)."""
    if not ids:
        return {}
    any_dialogue = Dialogue.objects.filter(employer_id=OuterRef("pk"), activity__status=ActivityStatus.HELD).order_by(
        "-held_on", "-activity_id"
    )
    rows = (
        Unit.objects.filter(pk__in=ids)
        .annotate(
            dialogue_activity=Subquery(_last_dialogues().values("activity_id")[:1]),
            conference_activity=Subquery(_last_conferences().values("activity_id")[:1]),
            dialogue_headcount=Subquery(any_dialogue.values("headcount")[:1]),
            dialogue_headcount_on=Subquery(any_dialogue.values("held_on")[:1]),
            conference_headcount=Subquery(_last_conferences().values("headcount")[:1]),
            conference_headcount_on=Subquery(_last_conferences().values("held_on")[:1]),
        )
        .annotate(
            minutes=Exists(
                ActivityFile.objects.filter(activity_id=OuterRef("dialogue_activity"), kind=FileKind.MINUTES)
            )
        )
        .values(
            "pk",
            "dialogue_activity",
            "conference_activity",
            "minutes",
            "dialogue_headcount",
            "dialogue_headcount_on",
            "conference_headcount",
            "conference_headcount_on",
        )
    )
    out = {}
    for row in rows:
        recorded = [
            (day, count)
            for day, count in (
                (row["dialogue_headcount_on"], row["dialogue_headcount"]),
                (row["conference_headcount_on"], row["conference_headcount"]),
            )
            if day is not None
        ]
        headcount_on, headcount = max(recorded) if recorded else (None, None)
        out[row["pk"]] = {
            "last_dialogue_activity_id": row["dialogue_activity"],
            "last_dialogue_minutes": bool(row["minutes"]) and row["dialogue_activity"] is not None,
            "last_conference_activity_id": row["conference_activity"],
            "headcount": headcount,
            "headcount_on": headcount_on,
        }
    return out


def compliance_page(
    *,
    actor: Any,
    unit: Unit,
    state: str = ComplianceFilter.ATTENTION,
    today: dt.date | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> CompliancePage:
    """One keyset page of the subtree's employers in `state` (overdue first, then the longest since the last
    dialogue or conference, then by id), with the counts per state."""
    if state not in FILTER_RANKS:
        raise DomainError(_("Choose a state."), field="state")
    today = today or timezone.localdate()
    limit = max(1, min(limit, MAX_PAGE))
    after = tuple(cursor_decode(cursor, (Offset, dt.date, int))) if cursor else None
    obligations = obligations_on(today)
    everyone = standings(actor=actor, unit=unit, obligations=obligations)
    ranks = FILTER_RANKS[ComplianceFilter(state)]
    chosen = sorted(
        (row for row in everyone if row.rank in ranks and (after is None or row.sort_key > after)),
        key=lambda row: row.sort_key,
    )
    shown = chosen[:limit]
    units = Unit.objects.select_related("type").in_bulk([row.pk for row in shown])
    details = _details([row.pk for row in shown])
    d, c = obligations.dialogue, obligations.conference
    rows = [
        ComplianceRow(
            employer=units[row.pk],
            state=RANK_STATE[row.rank],
            union_since=row.union_since,
            last_dialogue=row.last_dialogue,
            dialogue_due=d.due_on(row.dialogue_ref),
            dialogue_state=RANK_STATE[row.dialogue_rank],
            last_conference=row.last_conference,
            conference_due=c.due_on(row.conference_ref),
            conference_state=RANK_STATE[row.conference_rank],
            **details.get(row.pk, {}),
        )
        for row in shown
    ]
    next_cursor = cursor_encode(list(shown[-1].sort_key)) if len(chosen) > limit else None
    return CompliancePage(rows, next_cursor, obligations, _counts(everyone), today)


# ---------------------------------------------------------------- dialogues and conferences


def dialogue_get(*, actor: Any, pk: int, action: str = VIEW) -> Dialogue:
    """A dialogue by its activity's id, if the actor sees the activity; otherwise NotFound."""
    dialogue = (
        Dialogue.objects.visible_to(actor, action)
        .select_related("activity", "activity__kind", "activity__unit", "employer")
        .filter(pk=pk)
        .first()
    )
    if dialogue is None:
        raise NotFound(_("Dialogue %(id)s was not found.") % {"id": pk})
    return dialogue


def conference_get(*, actor: Any, pk: int, action: str = VIEW) -> EmployeeConference:
    conference = (
        EmployeeConference.objects.visible_to(actor, action)
        .select_related("activity", "activity__kind", "activity__unit", "employer")
        .filter(pk=pk)
        .first()
    )
    if conference is None:
        raise NotFound(_("Employee conference %(id)s was not found.") % {"id": pk})
    return conference


def dialogue_files(dialogue: Dialogue) -> list[ActivityFile]:
    return list(ActivityFile.objects.filter(activity_id=dialogue.pk).order_by("kind", "pk"))
