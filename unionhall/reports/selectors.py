"""Reads of period reports, each taking the actor: out of scope is NotFound."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhall.activities.choices import ParticipantCategory
from unionhall.activities.models import ActivityKind
from unionhall.awards.choices import Recipient
from unionhall.awards.models import AwardType
from unionhall.core.errors import NotFound
from unionhall.core.formatting import current_preferences, format_date
from unionhall.core.scoping import scope_for
from unionhall.members.choices import EndReason
from unionhall.movements.models import Movement
from unionhall.orgunits.checks import unit_not_found
from unionhall.orgunits.models import Unit, UnitType
from unionhall.orgunits.selectors import unit_top_for

from . import catalogue, tree
from .choices import ChildState, Measure, SubmissionStatus
from .figures import summary_build
from .models import ReportedFigure, ReportingRound, Submission, Target
from .periods import Period, movement_period
from .summary import Figure, SummaryReport

VIEW = "report.view"
REVIEW = "report.review"
MOVEMENT_VIEW = "movement.view"
# How many of the newest movements the period picker offers, and how many rounds a unit's list shows.
MOVEMENT_CHOICES = 100
ROUNDS_SHOWN = 50


def summary_for(*, actor: Any, unit: Unit, period: Period, today: dt.date, trend: int = 4) -> SummaryReport:
    """The summary report of `unit`'s subtree, if the actor may see reports there."""
    if not Unit.objects.visible_to(actor, "report.view").filter(pk=unit.pk).exists():
        raise unit_not_found(unit)
    return summary_build(unit=unit, period=period, today=today, trend=trend)


# ---------------------------------------------------------------- where a page starts


def top_unit(*, actor: Any, action: str = VIEW) -> Unit | None:
    """The highest unit the actor sees reports of: where the summary page starts."""
    return unit_top_for(actor=actor, action=action)


def report_unit(*, actor: Any, code: str, action: str = VIEW) -> Unit:
    """A unit by code whose reports the actor sees; NotFound otherwise."""
    code = (code or "").strip().upper()
    unit = Unit.objects.visible_to(actor, action).select_related("type").filter(code=code).first() if code else None
    if unit is None:
        raise unit_not_found(code or "?")
    return unit


def movement_periods(*, actor: Any, today: dt.date, limit: int = MOVEMENT_CHOICES) -> list[tuple[str, str, Period]]:
    """The newest movements the actor sees, as (code, title, period) to offer as report periods."""
    rows = (
        Movement.objects.visible_to(actor, MOVEMENT_VIEW)
        .order_by("-start_date", "-id")
        .values_list("code", "title", "start_date", "end_date")[:limit]
    )
    return [(code, title, movement_period(start, end, today=today)) for code, title, start, end in rows]


def may(actor: Any, action: str, unit: Unit | None) -> bool:
    return unit is not None and scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


# ---------------------------------------------------------------- what the report pages show


@dataclass(frozen=True)
class Part:
    """One key of a breakdown, labelled (a reason, a kind of activity, a form of award, ...)."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    parts: list[Part]


@dataclass(frozen=True)
class Line:
    """An indicator's line in a section table."""

    item: catalogue.Indicator
    value: int
    previous: int
    breakdowns: list[Breakdown] = field(default_factory=list)
    reported: bool = False
    target: int | None = None
    percent: Decimal | None = None

    @property
    def change(self) -> int:
        return self.value - self.previous

    @property
    def money(self) -> bool:
        return self.item.measure == Measure.VND

    @property
    def met(self) -> bool:
        return self.target is not None and self.value >= self.target


@dataclass(frozen=True)
class SectionLines:
    section: Any
    lines: list[Line]


Labels = dict[str, dict[str, str]]


def breakdown_labels(breakdowns: Iterable[Mapping[str, Any]]) -> Labels:
    """What each breakdown key reads as: choice labels, or the names of kinds, award types and unit types."""
    keys: dict[str, set[str]] = {}
    for breakdown in breakdowns:
        for dimension, values in breakdown.items():
            keys.setdefault(dimension, set()).update(values)
    labels: Labels = {
        "reason": {k: str(v) for k, v in EndReason.choices},
        "category": {k: str(v) for k, v in ParticipantCategory.choices},
        "recipient": {k: str(v) for k, v in Recipient.choices},
    }
    named: dict[str, Any] = {"kind": ActivityKind, "form": AwardType, "level": UnitType}
    for dimension, model in named.items():
        wanted = sorted(keys.get(dimension, ()))
        labels[dimension] = {row.code: row.name for row in model.objects.filter(code__in=wanted)} if wanted else {}
    return labels


def _breakdowns(
    item: catalogue.Indicator, breakdown: Mapping[str, Mapping[str, int]], labels: Labels
) -> list[Breakdown]:
    out = []
    for dimension in item.dimensions:
        values = breakdown.get(dimension.name) or {}
        if not values:
            continue
        names = labels.get(dimension.name, {})
        parts = [Part(key, names.get(key) or key, value) for key, value in values.items()]
        parts.sort(key=lambda p: (-p.value, p.label))
        out.append(Breakdown(dimension.name, str(dimension.label), parts))
    return out


def report_sections(report: SummaryReport, labels: Labels) -> list[SectionLines]:
    """The report's total, section by section, for the page."""
    total = report.total
    sections = []
    for section, items in report.sections():
        lines = []
        for item in items:
            figure = total.figures.get(item.code) or Figure(0)
            progress = total.targets.get(item.code)
            lines.append(
                Line(
                    item=item,
                    value=figure.value,
                    previous=total.previous[item.code].value if item.code in total.previous else 0,
                    breakdowns=_breakdowns(item, figure.breakdown, labels),
                    reported=figure.reported,
                    target=progress.target if progress else None,
                    percent=progress.percent if progress else None,
                )
            )
        sections.append(SectionLines(section, lines))
    return sections


def report_breakdowns(report: SummaryReport) -> list[Mapping[str, Mapping[str, int]]]:
    return [figure.breakdown for figure in report.total.figures.values() if figure.breakdown]


def _frozen(value: Any) -> tuple[int, dict[str, dict[str, int]]]:
    """(total, breakdown) from a figure of `report_json`: a number, or {"total": n, "by_<dimension>": {...}}."""
    if isinstance(value, dict):
        breakdown = {
            name.removeprefix("by_"): {str(k): int(v) for k, v in parts.items()}
            for name, parts in value.items()
            if name.startswith("by_") and isinstance(parts, dict)
        }
        return int(value.get("total") or 0), breakdown
    return (int(value) if isinstance(value, int) else 0), {}


def frozen_sections(figures: dict[str, Any]) -> list[SectionLines]:
    """A submitted report's figures, section by section, read from its frozen copy (never recounted)."""
    current = figures.get("indicators") or {}
    previous = figures.get("previous") or {}
    targets = figures.get("targets") or {}
    reported = set(figures.get("reported") or ())
    parsed = {code: _frozen(value) for code, value in current.items()}
    labels = breakdown_labels(breakdown for _total, breakdown in parsed.values())
    sections = []
    for section, items in catalogue.by_section(parsed):
        lines = []
        for item in items:
            value, breakdown = parsed[item.code]
            target = targets.get(item.code) or {}
            lines.append(
                Line(
                    item=item,
                    value=value,
                    previous=_frozen(previous.get(item.code, 0))[0],
                    breakdowns=_breakdowns(item, breakdown, labels),
                    reported=item.code in reported,
                    target=int(target["target"]) if "target" in target else None,
                    percent=Decimal(target["percent"]) if "percent" in target else None,
                )
            )
        sections.append(SectionLines(section, lines))
    return sections


# The figures shown as columns of the table of direct units, and drawn in the trend chart.
KEY_INDICATORS = (
    "members.active",
    "members.joined",
    "initiatives.recognized",
    "initiatives.benefit_vnd",
    "awards.count",
    "activities.count",
    "activities.participants",
    "dialogues.held",
)
TREND_INDICATORS = ("members.joined", "initiatives.recognized", "awards.count", "activities.count")


def key_indicators(report: SummaryReport) -> list[catalogue.Indicator]:
    return [catalogue.indicator(code) for code in KEY_INDICATORS if code in report.indicators]


def report_charts(report: SummaryReport, sections: list[SectionLines]) -> list[dict[str, Any]]:
    """What the page's charts draw: a bar chart per section (this period against the previous), and the trend.

    Amounts in VND get their own chart: on one axis with counts, they would flatten every bar.
    """
    this, before = str(_("This period")), str(_("Previous period"))
    charts: list[dict[str, Any]] = []
    for index, part in enumerate(sections):
        for money in (False, True):
            lines = [line for line in part.lines if line.money == money]
            if not lines:
                continue
            title = str(part.section.label)
            charts.append(
                {
                    "id": f"uh-chart-{index}{'-vnd' if money else ''}",
                    "slot": str(index),
                    "type": "bar",
                    "title": f"{title} ({_('VND')})" if money else title,
                    "labels": [str(line.item.label) for line in lines],
                    "datasets": [
                        {"label": this, "data": [line.value for line in lines]},
                        {"label": before, "data": [line.previous for line in lines]},
                    ],
                }
            )
    codes = [code for code in TREND_INDICATORS if code in report.indicators]
    if len(report.trend) > 1 and codes:
        charts.append(
            {
                "id": "uh-chart-trend",
                "slot": "trend",
                "type": "line",
                "title": str(_("Trend over the periods")),
                "labels": [f"{format_date(p.period.start)} – {format_date(p.period.end)}" for p in report.trend],
                "datasets": [
                    {
                        "label": str(catalogue.indicator(code).label),
                        "data": [p.values.get(code, 0) for p in report.trend],
                    }
                    for code in codes
                ],
            }
        )
    return charts


def chart_locale() -> str:
    """The locale Chart.js formats numbers in: the reader's digits, as `core.formatting` writes them."""
    prefs = current_preferences()
    locale = {"vi": "vi-VN", "en": "en-GB", "ar": "ar-EG", "fa": "fa-IR"}.get(prefs.language, "vi-VN")
    return f"{locale}-u-nu-latn" if prefs.latin_digits else locale


# ---------------------------------------------------------------- targets, reported figures


def targets_set_by(*, actor: Any, unit: Unit, period: Period) -> list[Target]:
    """The targets `unit` set for its direct units in the period, if the actor sees reports there."""
    return list(
        Target.objects.visible_to(actor, VIEW)
        .filter(set_by=unit, period_start=period.start, period_end=period.end)
        .select_related("unit")
        .order_by("indicator", "unit__path")
    )


def target_get(*, actor: Any, pk: int) -> Target:
    target = Target.objects.visible_to(actor, VIEW).select_related("unit", "set_by").filter(pk=pk).first()
    if target is None:
        raise NotFound(_("The target was not found."))
    return target


def reported_figures(*, actor: Any, unit: Unit, period: Period) -> list[ReportedFigure]:
    return list(
        ReportedFigure.objects.visible_to(actor, VIEW)
        .filter(unit=unit, period_start=period.start, period_end=period.end)
        .select_related("unit")
        .order_by("indicator")
    )


def reported_figure_get(*, actor: Any, pk: int) -> ReportedFigure:
    figure = ReportedFigure.objects.visible_to(actor, VIEW).select_related("unit").filter(pk=pk).first()
    if figure is None:
        raise NotFound(_("The reported figure was not found."))
    return figure


# ---------------------------------------------------------------- rounds and submissions


def _reviewed_or_seen(actor: Any) -> Q:
    """Submissions of a unit the actor sees reports of, or sent to a unit the actor reviews for."""
    seen = scope_for(actor, VIEW)
    review = scope_for(actor, REVIEW)
    if seen.everything or review.everything:
        return Q()
    q = Q(pk__in=[])
    if not seen.empty:
        q |= seen.as_q(path_field="unit__path", unit_field="unit_id")
    if not review.empty:
        q |= review.as_q(path_field="parent__path", unit_field="parent_id")
    return q


def submission_get(*, actor: Any, pk: int) -> Submission:
    submission = Submission.objects.filter(_reviewed_or_seen(actor), pk=pk).select_related("unit", "parent").first()
    if submission is None:
        raise NotFound(_("The submitted report was not found."))
    return submission


def submission_of(*, unit: Unit, period: Period) -> Submission | None:
    """The unit's report for exactly this period, if it was submitted."""
    return (
        Submission.objects.filter(unit=unit, period_start=period.start, period_end=period.end)
        .select_related("parent")
        .first()
    )


def round_get(*, actor: Any, pk: int) -> ReportingRound:
    reporting_round = ReportingRound.objects.visible_to(actor, VIEW).select_related("unit").filter(pk=pk).first()
    if reporting_round is None:
        raise NotFound(_("The reporting round was not found."))
    return reporting_round


def round_list(*, actor: Any, unit: Unit, limit: int = ROUNDS_SHOWN) -> list[ReportingRound]:
    """The rounds `unit` opened, newest period first."""
    return list(
        ReportingRound.objects.visible_to(actor, VIEW)
        .filter(unit=unit)
        .select_related("unit")
        .order_by("-period_end", "-id")[:limit]
    )


def rounds_calling(*, unit: Unit, parent: Unit | None, period: Period) -> list[ReportingRound]:
    """The rounds of the unit above that call for `unit`'s report for this period."""
    if parent is None:
        return []
    return list(ReportingRound.objects.filter(unit=parent, period_start=period.start, period_end=period.end))


@dataclass(frozen=True)
class ChildStatus:
    unit: Unit
    state: ChildState
    submission: Submission | None


@dataclass(frozen=True)
class RoundStatus:
    reporting_round: ReportingRound
    children: list[ChildStatus]
    counts: list[tuple[ChildState, int]]


def child_state(submission: Submission | None, *, due_date: dt.date, today: dt.date) -> ChildState:
    """Where a direct unit's report stands in a round (late: past the due date; submitted late: after it)."""
    if submission is None:
        return ChildState.LATE if today > due_date else ChildState.PENDING
    if submission.status == SubmissionStatus.RETURNED:
        return ChildState.RETURNED
    if submission.status == SubmissionStatus.ACCEPTED:
        return ChildState.ACCEPTED
    if timezone.localdate(submission.submitted_at) > due_date:
        return ChildState.SUBMITTED_LATE
    return ChildState.SUBMITTED


def round_status(*, reporting_round: ReportingRound, today: dt.date) -> RoundStatus:
    """Every unit directly under the round's unit at the period's end, with where its report stands."""
    period = Period(reporting_round.period_start, reporting_round.period_end)
    children = tree.children_on(unit=reporting_round.unit, day=period.end)
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(
            unit_id__in=[c.pk for c in children], period_start=period.start, period_end=period.end
        )
    }
    rows = [
        ChildStatus(
            unit=child,
            state=child_state(submissions.get(child.pk), due_date=reporting_round.due_date, today=today),
            submission=submissions.get(child.pk),
        )
        for child in children
    ]
    tally = Counter(row.state for row in rows)
    return RoundStatus(reporting_round, rows, [(state, tally.get(state, 0)) for state in ChildState])
