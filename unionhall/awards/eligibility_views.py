"""The batch eligibility page: who in a unit's subtree may receive which award for a year, and why not.

The list needs award.view on the unit (otherwise "not found"); turning rows into nominations needs
award.nominate there. The list is computed for the whole subtree on each request (the engine's
cost is measured by `unionhall bench eligibility`), then filtered and cut into pages.
"""

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

import xlsxwriter
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from unionhall.audit.recorder import record
from unionhall.core import formatting
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.forms import StyledForm
from unionhall.core.scoping import scope_for
from unionhall.orgunits import selectors as unit_selectors
from unionhall.orgunits.forms import CleanCharField, UnitCodeWidget
from unionhall.orgunits.models import Unit
from unionhall.orgunits.selectors import unit_top_for

from .choices import Recipient
from .eligibility import (
    BATCH_RECURRENCES,
    MAX_BATCH_NOMINATIONS,
    MAX_YEAR,
    MIN_YEAR,
    VIEW,
    BatchRow,
    batch_eligibility,
    batch_nominate,
)
from .models import AwardType

NOMINATE = "award.nominate"
PAGE_SIZE = 100
ONLY_ELIGIBLE, ELIGIBLE_OR_REVIEW, ALL = "eligible", "open", "all"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _type_choices() -> list[tuple[str, str]]:
    kinds = AwardType.objects.filter(active=True, recurrence__in=BATCH_RECURRENCES).order_by("rank", "code")
    return [(t.code, f"{t.name} ({t.get_recipient_display()})") for t in kinds]


class EligibilityForm(StyledForm):
    """What the list shows: a unit, a year, award types, and a filter on the verdict."""

    unit = CleanCharField(label=gettext_lazy("Unit"), max_length=40, required=False, widget=UnitCodeWidget)
    year = forms.IntegerField(
        label=gettext_lazy("Achievement year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    award_types = forms.MultipleChoiceField(
        label=gettext_lazy("Award types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every annual or once-only award type."),
    )
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            (ALL, gettext_lazy("Everyone")),
            (ONLY_ELIGIBLE, gettext_lazy("Eligible only")),
            (ELIGIBLE_OR_REVIEW, gettext_lazy("Eligible or to review")),
        ],
    )
    page = forms.IntegerField(min_value=1, max_value=10**6, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["award_types"].choices = _type_choices()  # type: ignore[attr-defined]
        self.fields["award_types"].widget.attrs["class"] = "form-check-input"


class NominateForm(forms.Form):
    """The unit and year the list was made for; the ticked rows come as `rows` (the service parses them)."""

    unit = CleanCharField(max_length=40)
    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    back = CleanCharField(max_length=2000, required=False)


def _unit_or_404(request: HttpRequest, code: str, action: str = VIEW) -> Unit:
    try:
        return unit_selectors.unit_get(actor=request.user, code=code.strip().upper(), action=action)
    except NotFound:
        raise Http404(_("Unit not found.")) from None


def _top_unit(request: HttpRequest) -> Unit | None:
    """The highest unit the actor sees for award.view: where the page starts."""
    return unit_top_for(actor=request.user, action=VIEW)


def _shown(rows: list[BatchRow], show: str) -> list[BatchRow]:
    if show == ONLY_ELIGIBLE:
        return [row for row in rows if row.eligible is True]
    if show == ELIGIBLE_OR_REVIEW:
        return [row for row in rows if row.eligible is not False]
    return rows


def _default_year(today: dt.date) -> int:
    """Annual titles are decided after the year-end review: in the first half year, last year's."""
    return today.year - 1 if today.month <= 6 else today.year


def _batch(request: HttpRequest) -> tuple[EligibilityForm, dict[str, Any]]:
    """The form and, when it names a unit the actor sees, the list; a unit out of scope is a 404."""
    if scope_for(request.user, VIEW).empty:
        raise Http404(_("Unit not found."))
    today = timezone.localdate()
    form = EligibilityForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "rows": None}
    if not form.is_bound:
        top = _top_unit(request)
        form = EligibilityForm(initial={"unit": top.code if top else "", "year": _default_year(today), "show": ALL})
        context["form"] = form
        return form, context
    if not form.is_valid():
        return form, context
    data = form.cleaned_data
    code = data.get("unit") or ""
    if not code:
        form.add_error("unit", _("Enter a unit code."))
        return form, context
    unit = _unit_or_404(request, code)
    year = data.get("year") or _default_year(today)
    try:
        rows = batch_eligibility(
            actor=request.user, unit=unit, year=year, award_types=data.get("award_types") or None, today=today
        )
    except NotFound:
        raise Http404(_("Unit not found.")) from None
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return form, context
    shown = _shown(rows, data.get("show") or ALL)
    context.update(unit=unit, year=year, all_rows=rows, shown=shown)
    return form, context


def _query(form: EligibilityForm, **changes: Any) -> str:
    data = {**form.cleaned_data, **changes}
    pairs = [(name, data[name]) for name in ("unit", "year", "show", "page") if data.get(name)]
    pairs += [("award_types", code) for code in data.get("award_types") or []]
    return urlencode(pairs)


@login_required
@require_GET
def eligibility_list(request: HttpRequest) -> HttpResponse:
    form, context = _batch(request)
    shown: list[BatchRow] | None = context.get("shown")
    if shown is not None:
        page = form.cleaned_data.get("page") or 1
        start = (page - 1) * PAGE_SIZE
        unit: Unit = context["unit"]
        context.update(
            rows=shown[start : start + PAGE_SIZE],
            counts={
                "rows": len(context["all_rows"]),
                "eligible": sum(1 for r in context["all_rows"] if r.eligible is True),
                "review": sum(1 for r in context["all_rows"] if r.eligible is None),
                "shown": len(shown),
            },
            page=page,
            first_row=start + 1,
            previous_query=_query(form, page=page - 1) if page > 1 else "",
            next_query=_query(form, page=page + 1) if start + PAGE_SIZE < len(shown) else "",
            export_query=_query(form, page=None),
            back=f"{request.path}?{_query(form)}",
            can_nominate=scope_for(request.user, NOMINATE).covers(path=unit.path, unit_id=unit.pk),
            collective=Recipient.COLLECTIVE,
        )
    response = TemplateResponse(request, "awards/eligibility.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def eligibility_export(request: HttpRequest) -> HttpResponse:
    """The whole list (after the filter) as XLSX; the export is recorded in the audit log."""
    form, context = _batch(request)
    shown: list[BatchRow] | None = context.get("shown")
    if shown is None:
        raise Http404(_("Unit not found."))
    unit: Unit = context["unit"]
    data = _xlsx(shown)
    record(
        actor=request.user,
        action="eligibility.export",
        obj=unit,
        after={"year": context["year"], "rows": len(shown), "show": form.cleaned_data.get("show") or ALL},
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="eligibility-{unit.code}-{context["year"]}.xlsx"'
    add_never_cache_headers(response)
    return response


def _verdict_label(eligible: bool | None) -> str:
    return _("Eligible") if eligible is True else _("Not eligible") if eligible is False else _("To review")


def _xlsx(rows: list[BatchRow]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(_("Eligibility")[:31])
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    header = [_("Award type"), _("Name"), _("Code"), _("Unit"), _("Result"), _("Reasons")]
    sheet.write_row(0, 0, header, workbook.add_format({"bold": True}))
    for number, row in enumerate(rows, 1):
        reasons = "\n".join(_reason_line(reason) for reason in row.verdict.reasons)
        sheet.write_row(
            number,
            0,
            [row.award_type.name, row.name, row.code, row.unit_code, _verdict_label(row.eligible), reasons],
            wrap,
        )
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 4, 14)
    sheet.set_column(5, 5, 100)
    workbook.close()
    return out.getvalue()


def _reason_line(reason: Any, depth: int = 0) -> str:
    mark = {"pass": "✓", "fail": "✗"}.get(reason.outcome, "?")
    lines = [f"{'  ' * depth}{mark} {reason.message}"]
    lines += [_reason_line(child, depth + 1) for child in reason.children]
    return "\n".join(lines)


@login_required
@require_POST
def eligibility_nominate(request: HttpRequest) -> HttpResponse:
    """Draft nominations for the ticked rows, proposed by the list's unit, in one transaction."""
    form = NominateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The selection could not be read; reload the list and try again."))
        return redirect(reverse("awards:eligibility"))
    data = form.cleaned_data
    unit = _unit_or_404(request, data["unit"], NOMINATE)
    back = data.get("back") or ""
    if not back.startswith(reverse("awards:eligibility") + "?"):
        back = reverse("awards:eligibility") + "?" + urlencode({"unit": unit.code, "year": data["year"]})
    try:
        # One more than allowed is enough for the service to refuse a selection that is too large.
        keys = request.POST.getlist("rows")[: MAX_BATCH_NOMINATIONS + 1]
        created = batch_nominate(actor=request.user, unit=unit, year=data["year"], keys=keys)
    except NotFound as error:
        if error.field in (None, "unit", "proposing_unit"):
            raise Http404(_("Unit not found.")) from None
        messages.error(request, _("Nothing was created: %(reason)s") % {"reason": error})
    except DomainError as error:
        messages.error(request, _("Nothing was created: %(reason)s") % {"reason": error})
    else:
        count = len(created)
        text = ngettext("%(count)s draft nomination created.", "%(count)s draft nominations created.", count)
        messages.success(request, text % {"count": formatting.format_number(count)})
    return redirect(back)
