"""Report pages: the summary of a subtree for a period (tables, charts, the units below), targets,
reported figures, reporting rounds and the reports units submit to the unit above.

Every page needs `report.view` on its unit; the forms need `report.submit` (reported figures,
submitting) or `report.review` (targets, rounds, deciding on a submitted report) there. A unit
outside that scope is "not found"; a bad query string comes back on the form, never as an error page.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.web import add_domain_error, form_page, posted
from unionhall.orgunits.models import Unit

from . import catalogue, selectors, services, tree
from .forms import AcceptForm, FigureForm, PeriodForm, ReturnForm, RoundForm, SubmitForm, SummaryForm, TargetsForm
from .models import Submission
from .periods import Period
from .tasks import refresh_if_behind

VIEW, SUBMIT, REVIEW = services.VIEW, services.SUBMIT, services.REVIEW


# ---------------------------------------------------------------- lookups


def _not_found() -> Http404:
    return Http404(_("Unit not found."))


def _unit_or_404(request: HttpRequest, code: str, action: str = VIEW) -> Unit:
    try:
        return selectors.report_unit(actor=request.user, code=code, action=action)
    except NotFound:
        raise _not_found() from None


def period_query(unit: Any, period: Period, **extra: str) -> str:
    """unit=CODE&from=…&to=… (a `Unit` or a report's `UnitRef`)."""
    return urlencode({"unit": unit.code, "from": period.start.isoformat(), "to": period.end.isoformat(), **extra})


def summary_url(unit: Unit, period: Period) -> str:
    return f"{reverse('reports:summary')}?{period_query(unit, period, preset='dates')}"


def _unit_and_period(request: HttpRequest, action: str) -> tuple[Unit, Period]:
    """The unit (with `action` there, else 404) and the period of a page reached from a summary report."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise _not_found()
    unit = _unit_or_404(request, form.cleaned_data["unit"], action)
    period = form.period(today=timezone.localdate())
    if period is None:
        raise Http404(_("Choose a period."))
    return unit, period


def _act(request: HttpRequest, apply: Callable[[], Any], done: str) -> HttpResponse:
    """A button's POST: one service call; a refusal is shown as a message, and nothing was changed."""
    try:
        apply()
    except NotFound:
        raise Http404(_("Not found.")) from None
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(done)


# ---------------------------------------------------------------- the summary


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The summary report of a unit's subtree for a period, with charts and a row per direct unit."""
    user = request.user
    today = timezone.localdate()
    form = SummaryForm(request.GET, movements=selectors.movement_periods(actor=user, today=today))
    context: dict[str, Any] = {"form": form, "report": None}
    if not form.is_valid():
        return TemplateResponse(request, "reports/summary.html", context)
    code = form.cleaned_data.get("unit") or ""
    unit = _unit_or_404(request, code) if code else selectors.top_unit(actor=user)
    if unit is None:
        raise _not_found()
    period = form.period(today=today)
    context["unit"] = unit
    if period is None:
        return TemplateResponse(request, "reports/summary.html", context)
    try:
        report = selectors.summary_for(actor=user, unit=unit, period=period, today=today)
    except NotFound:
        raise _not_found() from None
    except DomainError as error:
        add_domain_error(form, error)
        return TemplateResponse(request, "reports/summary.html", context)
    refresh_if_behind(report)
    sections = selectors.report_sections(report, selectors.breakdown_labels(selectors.report_breakdowns(report)))
    keys = selectors.key_indicators(report)
    parent = services.parent_on(unit, period.end)
    can_submit = parent is not None and selectors.may(user, SUBMIT, unit)
    context.update(
        {
            "period": period,
            "report": report,
            "sections": sections,
            "keys": keys,
            "children": [
                {
                    "row": row,
                    "values": [(item, row.value(item.code), row.targets.get(item.code)) for item in keys],
                    "url": f"{reverse('reports:summary')}?{period_query(row.unit, period, preset='dates')}",
                }
                for row in report.children
            ],
            "total_values": [(item, report.total.value(item.code)) for item in keys],
            "charts": {
                "locale": selectors.chart_locale(),
                "rtl": get_language_bidi(),
                "charts": selectors.report_charts(report, sections),
            },
            "query": period_query(unit, period),
            "parent": parent,
            "can_submit": can_submit,
            "submission": selectors.submission_of(unit=unit, period=period) if parent is not None else None,
            "rounds": selectors.rounds_calling(unit=unit, parent=parent, period=period) if can_submit else [],
            "can_review": selectors.may(user, REVIEW, unit),
        }
    )
    return TemplateResponse(request, "reports/summary.html", context)


# ---------------------------------------------------------------- targets


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The targets a unit sets for its direct units in a period, one indicator at a time."""
    unit, period = _unit_and_period(request, REVIEW)
    children = tree.children_on(unit=unit, day=period.end)
    existing = selectors.targets_set_by(actor=request.user, unit=unit, period=period)
    indicator = request.POST.get("indicator") or request.GET.get("indicator") or ""
    initial: dict[str, Any] = {"indicator": indicator}
    initial.update({f"u_{t.unit_id}": t.value for t in existing if t.indicator == indicator})
    form = TargetsForm(posted(request), children=children, initial=initial)
    here = f"{reverse('reports:targets')}?{period_query(unit, period)}"
    return form_page(
        request,
        form=form,
        template="reports/targets.html",
        context={
            "unit": unit,
            "period": period,
            "targets": [(t, catalogue.indicator(t.indicator).label) for t in existing],
            "summary_url": summary_url(unit, period),
        },
        apply=lambda d: services.targets_assign(
            actor=request.user,
            set_by=unit,
            indicator=d["indicator"],
            period=period,
            values=form.values(),
            note=d.get("note", ""),
        ),
        done=lambda _result: f"{here}&{urlencode({'indicator': form.cleaned_data['indicator']})}",
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        target = selectors.target_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Not found.")) from None
    period = Period(target.period_start, target.period_end)
    # Someone who sees the target but may not set it goes back to the unit's report, not a page they cannot open.
    if selectors.may(request.user, REVIEW, target.set_by):
        done = f"{reverse('reports:targets')}?{period_query(target.set_by, period)}"
    else:
        done = f"{reverse('reports:summary')}?{period_query(target.unit, period, preset='dates')}"
    return _act(request, lambda: services.target_delete(actor=request.user, target=target), done)


# ---------------------------------------------------------------- reported figures


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The figures a unit's officers report for its subtree in a period, and a form to add or change one."""
    unit, period = _unit_and_period(request, SUBMIT)
    form = FigureForm(posted(request))
    here = f"{reverse('reports:figures')}?{period_query(unit, period)}"
    return form_page(
        request,
        form=form,
        template="reports/figures.html",
        context={
            "unit": unit,
            "period": period,
            "figures": [
                (f, catalogue.indicator(f.indicator).label)
                for f in selectors.reported_figures(actor=request.user, unit=unit, period=period)
            ],
            "summary_url": summary_url(unit, period),
        },
        apply=lambda d: services.figure_report(
            actor=request.user,
            unit=unit,
            indicator=d["indicator"],
            period=period,
            value=d["value"],
            note=d.get("note", ""),
        ),
        done=lambda _result: here,
    )


@login_required
@require_POST
def figure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        figure = selectors.reported_figure_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Not found.")) from None
    period = Period(figure.period_start, figure.period_end)
    done = f"{reverse('reports:figures')}?{period_query(figure.unit, period)}"
    return _act(request, lambda: services.figure_withdraw(actor=request.user, figure=figure), done)


# ---------------------------------------------------------------- rounds


@login_required
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    """The reporting rounds a unit opened."""
    code = request.GET.get("unit", "")
    unit = _unit_or_404(request, code) if code else selectors.top_unit(actor=request.user)
    if unit is None:
        raise _not_found()
    context = {
        "unit": unit,
        "rounds": selectors.round_list(actor=request.user, unit=unit),
        "can_open": selectors.may(request.user, REVIEW, unit),
    }
    return TemplateResponse(request, "reports/rounds.html", context)


@login_required
def round_open(request: HttpRequest) -> HttpResponse:
    unit = _unit_or_404(request, request.GET.get("unit", ""), REVIEW)
    form = RoundForm(posted(request), initial={"start": request.GET.get("from"), "end": request.GET.get("to")})
    return form_page(
        request,
        form=form,
        template="reports/form.html",
        context={"title": _("Call for reports from the units of %(unit)s") % {"unit": unit.name}, "unit": unit},
        apply=lambda d: services.round_open(
            actor=request.user,
            unit=unit,
            title=d["title"],
            period=Period(d["start"], d["end"]),
            due_date=d["due_date"],
        ),
        done=lambda reporting_round: reverse("reports:round", args=[reporting_round.pk]),
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Which direct units have submitted, are late, or were sent back."""
    try:
        reporting_round = selectors.round_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Not found.")) from None
    status = selectors.round_status(reporting_round=reporting_round, today=timezone.localdate())
    period = Period(reporting_round.period_start, reporting_round.period_end)
    context = {
        "status": status,
        "reporting_round": reporting_round,
        "period": period,
        "summary_url": summary_url(reporting_round.unit, period),
    }
    return TemplateResponse(request, "reports/round.html", context)


# ---------------------------------------------------------------- submissions


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    """Send the unit's report for the period to the unit above."""
    unit, period = _unit_and_period(request, SUBMIT)
    parent = services.parent_on(unit, period.end)
    if parent is None:
        raise _not_found()
    form = SubmitForm(posted(request))
    return form_page(
        request,
        form=form,
        template="reports/form.html",
        context={
            "title": _("Submit the report of %(unit)s to %(parent)s") % {"unit": unit.name, "parent": parent.name},
            "unit": unit,
            "period": period,
            "summary_url": summary_url(unit, period),
        },
        apply=lambda d: services.submission_submit(actor=request.user, unit=unit, period=period, note=d["note"]),
        done=lambda submission: reverse("reports:submission", args=[submission.pk]),
    )


def _submission_or_404(request: HttpRequest, pk: int) -> Submission:
    try:
        return selectors.submission_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404(_("Not found.")) from None


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A submitted report as it was frozen when sent, with the decision on it."""
    submission = _submission_or_404(request, pk)
    period = Period(submission.period_start, submission.period_end)
    context = {
        "submission": submission,
        "period": period,
        "sections": selectors.frozen_sections(submission.figures),
        "can_decide": submission.status == "submitted" and selectors.may(request.user, REVIEW, submission.parent),
        "accept_form": AcceptForm(initial={"version": submission.version}),
        "summary_url": summary_url(submission.unit, period),
    }
    return TemplateResponse(request, "reports/submission.html", context)


@login_required
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    if not selectors.may(request.user, REVIEW, submission.parent):
        raise Http404(_("Not found."))
    form = ReturnForm(posted(request), initial={"version": submission.version})
    return form_page(
        request,
        form=form,
        template="reports/form.html",
        context={
            "title": _("Send the report of %(unit)s back") % {"unit": submission.unit.name},
            "unit": submission.unit,
            "danger": True,
            "back_url": reverse("reports:submission", args=[submission.pk]),
        },
        apply=lambda d: services.submission_return(
            actor=request.user, submission=submission, reason=d["reason"], version=d["version"]
        ),
        done=lambda result: reverse("reports:submission", args=[result.pk]),
    )


@login_required
@require_POST
def submission_accept(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    form = AcceptForm(request.POST)
    done = reverse("reports:submission", args=[submission.pk])
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(done)
    version = form.cleaned_data["version"]
    return _act(
        request, lambda: services.submission_accept(actor=request.user, submission=submission, version=version), done
    )
