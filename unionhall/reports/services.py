"""Writes of period reports: targets, reported figures, reporting rounds and submissions up the tree.

Every service is keyword-only, runs in one transaction, checks the actor's scope and writes an audit
entry. A unit the actor does not see for `report.view` is "not found"; one seen but outside the scope
of the action needed (`report.submit` on the reporting unit, `report.review` on the unit above) is
"forbidden". Each period is taken on the tree as it stood on its last day.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import record
from unionhall.core.cleaning import clean_count, clean_date, clean_str
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_date
from unionhall.core.scoping import scope_for
from unionhall.orgunits.checks import unit_not_found
from unionhall.orgunits.models import Unit
from unionhall.orgunits.selectors import unit_children, unit_placements_on

from . import catalogue
from .choices import SubmissionStatus
from .figures import summary_build
from .models import ReportedFigure, ReportingRound, Submission, Target
from .periods import Period
from .rollup import rollup_refresh
from .summary import report_json

VIEW = "report.view"
SUBMIT = "report.submit"
REVIEW = "report.review"
NOTE_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 2_000
TITLE_MAX_LENGTH = 200
# A figure above this is a typing mistake (more than the country's population, or 10^15 VND).
MAX_VALUE = 10**15


# ---------------------------------------------------------------- checks


def covers(actor: Any, action: str, unit: Unit) -> bool:
    return scope_for(actor, action).covers(path=unit.path, unit_id=unit.pk)


def require(actor: Any, action: str, unit: Unit, field: str = "unit") -> None:
    """The actor may do `action` on `unit`: otherwise "not found" (unseen) or "forbidden" (seen only)."""
    if covers(actor, action, unit):
        return
    if not covers(actor, VIEW, unit):
        raise unit_not_found(unit, field)
    raise Forbidden(_("You may not do this for unit %(code)s.") % {"code": unit.code}, field=field, code="forbidden")


def parent_on(unit: Unit, day: dt.date) -> Unit | None:
    """The unit directly above `unit` on `day` (None for a root, or a unit that did not stand then)."""
    placement = unit_placements_on(unit_ids=[unit.pk], day=day).get(unit.pk)
    return placement.parent if placement else None


def clean_period(period: Any) -> Period:
    if not isinstance(period, Period):
        raise DomainError(_("Choose a period."), field="period")
    start = clean_date(period.start, field="from")
    end = clean_date(period.end, field="to")
    assert start is not None and end is not None
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="to")
    return period


def clean_indicator(code: Any, *, reportable: bool = False) -> catalogue.Indicator:
    item = catalogue.BY_CODE.get(code) if isinstance(code, str) else None
    if item is None:
        raise DomainError(_("Choose an indicator of the catalogue."), field="indicator")
    if reportable and not item.reportable:
        raise DomainError(
            _("%(indicator)s is always counted from the records; it cannot be reported.") % {"indicator": item.label},
            field="indicator",
            code="not_reportable",
        )
    return item


def _stale() -> Conflict:
    return Conflict(_("Someone else changed this meanwhile. Reload the page and try again."), code="stale")


def _period_snapshot(period_start: dt.date, period_end: dt.date) -> dict[str, Any]:
    return {"from": period_start, "to": period_end}


def _same(row: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return getattr(row, f"{name}_id") == value.pk
    return getattr(row, name) == value


def _period_row_put[PeriodRow: (Target, ReportedFigure)](
    model: type[PeriodRow],
    *,
    actor: Any,
    action: str,
    snapshot: Callable[[PeriodRow], dict[str, Any]],
    key: dict[str, Any],
    values: dict[str, Any],
    version: int | None,
    stamp: dict[str, Any] | None = None,
) -> PeriodRow:
    """Create or change the one row of `model` for a unit, indicator and period; `version` guards an edit."""
    row = model.objects.select_for_update().select_related("unit").filter(**key).first()
    stamp = stamp or {}
    if row is None:
        if version is not None:
            raise _stale()
        try:
            with transaction.atomic():
                row = model.objects.create(**key, **values, **stamp)
        except IntegrityError:
            raise _stale() from None
        record(actor=actor, action=action, obj=row, after=snapshot(row))
        return row
    if version is not None and row.version != version:
        raise _stale()
    if all(_same(row, name, value) for name, value in values.items()):
        return row
    before = snapshot(row)
    for name, value in {**values, **stamp}.items():
        setattr(row, name, value)
    row.version = F("version") + 1
    row.save()
    row.refresh_from_db()
    record(actor=actor, action=action, obj=row, before=before, after=snapshot(row))
    return row


# ---------------------------------------------------------------- targets


def target_snapshot(target: Target) -> dict[str, Any]:
    return {
        "unit": target.unit.code,
        "set_by": target.set_by.code,
        "indicator": target.indicator,
        **_period_snapshot(target.period_start, target.period_end),
        "value": target.value,
        "note": target.note,
    }


def target_setter(unit: Unit, period: Period) -> Unit:
    """The unit that sets `unit`'s targets for the period: its parent on the period's last day."""
    parent = parent_on(unit, period.end)
    if parent is None:
        raise DomainError(
            _("Unit %(code)s has no unit above it on %(day)s to set its targets.")
            % {"code": unit.code, "day": format_date(period.end)},
            field="unit",
            code="no_parent",
        )
    return parent


def _require_setter(actor: Any, set_by: Unit, unit: Unit) -> None:
    """The actor reviews for the unit above `unit` (the actor already sees `unit`, so a refusal is "forbidden")."""
    if not covers(actor, REVIEW, set_by):
        raise Forbidden(
            _("The targets of %(unit)s are set by %(parent)s.") % {"unit": unit.code, "parent": set_by.code},
            field="unit",
            code="forbidden",
        )


@transaction.atomic
def target_set(
    *,
    actor: Any,
    unit: Unit,
    indicator: str,
    period: Period,
    value: int,
    note: str = "",
    version: int | None = None,
) -> Target:
    """Set (or change) the target the unit above asks `unit` to reach for an indicator in a period."""
    if not covers(actor, VIEW, unit):
        raise unit_not_found(unit)
    period = clean_period(period)
    set_by = target_setter(unit, period)
    _require_setter(actor, set_by, unit)
    item = clean_indicator(indicator)
    amount = clean_count(value, field="value", maximum=MAX_VALUE)
    if amount == 0:
        raise DomainError(_("A target is more than zero."), field="value", code="not_positive")
    note = clean_str(note, "note", NOTE_MAX_LENGTH)
    return _period_row_put(
        Target,
        actor=actor,
        action="report.target_set",
        snapshot=target_snapshot,
        key={"unit": unit, "indicator": item.code, "period_start": period.start, "period_end": period.end},
        values={"value": amount, "note": note, "set_by": set_by},
        version=version,
    )


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    """Remove a target; its unit no longer shows progress against it."""
    locked = Target.objects.select_for_update().select_related("unit", "set_by").filter(pk=target.pk).first()
    if locked is None:
        raise NotFound(_("The target was not found."), code="not_found")
    if not covers(actor, VIEW, locked.unit):
        raise NotFound(_("The target was not found."), code="not_found")
    _require_setter(actor, locked.set_by, locked.unit)
    before = target_snapshot(locked)
    record(actor=actor, action="report.target_delete", obj=locked, before=before)
    locked.delete()


@transaction.atomic
def targets_assign(
    *,
    actor: Any,
    set_by: Unit,
    indicator: str,
    period: Period,
    values: Mapping[Unit, int | None],
    note: str = "",
) -> list[Target]:
    """Set the targets of several direct units at once; an empty or zero value removes a unit's target.

    Every unit must stand directly under `set_by` on the period's last day; one refusal changes nothing.
    """
    require(actor, REVIEW, set_by, field="set_by")
    period = clean_period(period)
    item = clean_indicator(indicator)
    children = set(unit_children(unit=set_by, as_of=period.end).values_list("pk", flat=True))
    for unit in values:
        if unit.pk not in children:
            raise DomainError(
                _("Unit %(code)s is not directly under %(parent)s on %(day)s.")
                % {"code": unit.code, "parent": set_by.code, "day": format_date(period.end)},
                field="values",
                code="not_a_child",
            )
    saved: list[Target] = []
    existing = {
        t.unit_id: t
        for t in Target.objects.filter(
            unit_id__in=[u.pk for u in values], indicator=item.code, period_start=period.start, period_end=period.end
        )
    }
    for unit, value in sorted(values.items(), key=lambda pair: pair[0].path):
        if value:
            saved.append(target_set(actor=actor, unit=unit, indicator=item.code, period=period, value=value, note=note))
        elif unit.pk in existing:
            target_delete(actor=actor, target=existing[unit.pk])
    return saved


# ---------------------------------------------------------------- reported figures


def figure_snapshot(figure: ReportedFigure) -> dict[str, Any]:
    return {
        "unit": figure.unit.code,
        "indicator": figure.indicator,
        **_period_snapshot(figure.period_start, figure.period_end),
        "value": figure.value,
        "note": figure.note,
    }


@transaction.atomic
def figure_report(
    *,
    actor: Any,
    unit: Unit,
    indicator: str,
    period: Period,
    value: int,
    note: str = "",
    version: int | None = None,
) -> ReportedFigure:
    """Report a figure for `unit`'s whole subtree where it keeps no records for the indicator (or change it)."""
    require(actor, SUBMIT, unit)
    period = clean_period(period)
    item = clean_indicator(indicator, reportable=True)
    amount = clean_count(value, field="value", maximum=MAX_VALUE)
    note = clean_str(note, "note", NOTE_MAX_LENGTH)
    return _period_row_put(
        ReportedFigure,
        actor=actor,
        action="report.figure_report",
        snapshot=figure_snapshot,
        key={"unit": unit, "indicator": item.code, "period_start": period.start, "period_end": period.end},
        values={"value": amount, "note": note},
        version=version,
        # Who entered it is written on every change, but is no change by itself.
        stamp={"entered_by": getattr(actor, "pk", None)},
    )


@transaction.atomic
def figure_withdraw(*, actor: Any, figure: ReportedFigure) -> None:
    """Withdraw a reported figure: the report shows the counted one again."""
    locked = ReportedFigure.objects.select_for_update().select_related("unit").filter(pk=figure.pk).first()
    if locked is None or not covers(actor, VIEW, locked.unit):
        raise NotFound(_("The reported figure was not found."), code="not_found")
    require(actor, SUBMIT, locked.unit)
    record(actor=actor, action="report.figure_withdraw", obj=locked, before=figure_snapshot(locked))
    locked.delete()


# ---------------------------------------------------------------- reporting rounds


def round_snapshot(reporting_round: ReportingRound) -> dict[str, Any]:
    return {
        "unit": reporting_round.unit.code,
        "title": reporting_round.title,
        **_period_snapshot(reporting_round.period_start, reporting_round.period_end),
        "due_date": reporting_round.due_date,
    }


@transaction.atomic
def round_open(*, actor: Any, unit: Unit, title: str, period: Period, due_date: dt.date) -> ReportingRound:
    """A unit calls on its direct units to submit their reports for a period by a date."""
    require(actor, REVIEW, unit)
    period = clean_period(period)
    title = clean_str(title, "title", TITLE_MAX_LENGTH, required=True)
    due = clean_date(due_date, field="due_date")
    assert due is not None
    if due < period.start:
        raise DomainError(
            _("The reports cannot be due before the period starts (%(day)s).") % {"day": format_date(period.start)},
            field="due_date",
            code="dates_out_of_order",
        )
    duplicate = _("A reporting round for this period is already open.")
    if ReportingRound.objects.filter(unit=unit, period_start=period.start, period_end=period.end).exists():
        raise Conflict(duplicate, field="period", code="duplicate")
    try:
        with transaction.atomic():
            reporting_round = ReportingRound.objects.create(
                unit=unit,
                title=title,
                period_start=period.start,
                period_end=period.end,
                due_date=due,
                opened_by=getattr(actor, "pk", None),
            )
    except IntegrityError:
        raise Conflict(duplicate, field="period", code="duplicate") from None
    record(actor=actor, action="report.round_open", obj=reporting_round, after=round_snapshot(reporting_round))
    return reporting_round


# ---------------------------------------------------------------- submissions


def submission_snapshot(submission: Submission) -> dict[str, Any]:
    return {
        "unit": submission.unit.code,
        "parent": submission.parent.code,
        **_period_snapshot(submission.period_start, submission.period_end),
        "status": submission.status,
        "note": submission.note,
        "return_reason": submission.return_reason,
        "version": submission.version,
    }


@transaction.atomic
def submission_submit(
    *, actor: Any, unit: Unit, period: Period, note: str = "", now: dt.datetime | None = None
) -> Submission:
    """Send the unit's report for the period to the unit above it: a frozen copy of its figures.

    A report sent back may be submitted again (its figures replaced); one submitted or accepted may not.
    """
    now = now or timezone.now()
    require(actor, SUBMIT, unit)
    period = clean_period(period)
    note = clean_str(note, "note", TEXT_MAX_LENGTH)
    parent = parent_on(unit, period.end)
    if parent is None:
        raise DomainError(
            _("Unit %(code)s has no unit above it on %(day)s to submit its report to.")
            % {"code": unit.code, "day": format_date(period.end)},
            field="unit",
            code="no_parent",
        )
    existing = (
        Submission.objects.select_for_update()
        .select_related("unit", "parent")
        .filter(unit=unit, period_start=period.start, period_end=period.end)
        .first()
    )
    if existing is not None and existing.status != SubmissionStatus.RETURNED:
        raise Conflict(
            _("The report for this period was already submitted (%(status)s).")
            % {"status": existing.get_status_display()},
            code="already_submitted",
        )
    # The frozen copy must hold every record written so far, however many changes wait for the worker.
    rollup_refresh()
    figures = report_json(summary_build(unit=unit, period=period, today=timezone.localdate(now)))
    if existing is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    unit=unit,
                    parent=parent,
                    period_start=period.start,
                    period_end=period.end,
                    status=SubmissionStatus.SUBMITTED,
                    figures=figures,
                    note=note,
                    submitted_at=now,
                    submitted_by=getattr(actor, "pk", None),
                )
        except IntegrityError:
            raise _stale() from None
        record(actor=actor, action="report.submit", obj=submission, after=submission_snapshot(submission))
        return submission
    before = submission_snapshot(existing)
    existing.parent = parent
    existing.status = SubmissionStatus.SUBMITTED
    existing.figures = figures
    existing.note = note
    existing.submitted_at = now
    existing.submitted_by = getattr(actor, "pk", None)
    existing.decided_at = None
    existing.decided_by = None
    existing.return_reason = ""
    existing.version = F("version") + 1
    existing.save()
    existing.refresh_from_db()
    record(actor=actor, action="report.submit", obj=existing, before=before, after=submission_snapshot(existing))
    return existing


def _decidable(actor: Any, submission: Submission, version: int | None) -> Submission:
    """The submission locked, if the actor reviews for the unit it went to and it awaits a decision."""
    locked = Submission.objects.select_for_update().select_related("unit", "parent").filter(pk=submission.pk).first()
    if locked is None:
        raise NotFound(_("The submitted report was not found."), code="not_found")
    if not covers(actor, REVIEW, locked.parent):
        if not (covers(actor, VIEW, locked.unit) or covers(actor, VIEW, locked.parent)):
            raise NotFound(_("The submitted report was not found."), code="not_found")
        raise Forbidden(
            _("Only unit %(code)s decides on this report.") % {"code": locked.parent.code}, code="forbidden"
        )
    if version is not None and locked.version != version:
        raise _stale()
    if locked.status != SubmissionStatus.SUBMITTED:
        raise Conflict(
            _("This report was already decided on (%(status)s).") % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


@transaction.atomic
def submission_return(
    *, actor: Any, submission: Submission, reason: str, version: int | None = None, now: dt.datetime | None = None
) -> Submission:
    """Send a submitted report back to its unit, saying why; the unit may then submit it again."""
    locked = _decidable(actor, submission, version)
    reason = clean_str(reason, "reason", TEXT_MAX_LENGTH, required=True)
    before = submission_snapshot(locked)
    locked.status = SubmissionStatus.RETURNED
    locked.return_reason = reason
    locked.decided_at = now or timezone.now()
    locked.decided_by = getattr(actor, "pk", None)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    record(actor=actor, action="report.return", obj=locked, before=before, after=submission_snapshot(locked))
    return locked


@transaction.atomic
def submission_accept(
    *, actor: Any, submission: Submission, version: int | None = None, now: dt.datetime | None = None
) -> Submission:
    """Accept a submitted report."""
    locked = _decidable(actor, submission, version)
    before = submission_snapshot(locked)
    locked.status = SubmissionStatus.ACCEPTED
    locked.decided_at = now or timezone.now()
    locked.decided_by = getattr(actor, "pk", None)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    record(actor=actor, action="report.accept", obj=locked, before=before, after=submission_snapshot(locked))
    return locked
