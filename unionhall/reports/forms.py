"""Forms of the report pages: the summary's unit and period, and one form per service."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.formatting import format_date
from unionhall.core.forms import StyledForm
from unionhall.members.forms import DayField
from unionhall.orgunits.forms import CleanCharField, UnitCodeWidget

from . import catalogue, periods
from .periods import Period, period_clean
from .services import MAX_VALUE, NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH

NUMBER = {"dir": "ltr", "inputmode": "numeric"}
YEAR_MIN = periods.EARLIEST.year
YEAR_MAX = 2100


PRESETS = [
    ("year", _("A year")),
    ("first_half", _("First six months of a year")),
    ("second_half", _("Last six months of a year")),
    ("movement", _("An emulation movement's period")),
    ("term", _("A congress term")),
    ("dates", _("Any dates")),
]


def _term_value(period: Period) -> str:
    return f"{period.start.year}-{period.end.year}"


class PeriodForm(StyledForm):
    """A unit and a period given by two dates (the pages reached from a summary report)."""

    unit = CleanCharField(label=_("Unit"), max_length=40, required=False, widget=UnitCodeWidget)
    start = DayField(label=_("From"), required=False)
    end = DayField(label=_("To"), required=False)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any):
        # The query string says from/to (as the API does); those names are Python keywords.
        if data is not None:
            data = data.copy()
            for name, alias in (("from", "start"), ("to", "end")):
                if name in data and alias not in data:
                    data[alias] = data[name]
        super().__init__(data, *args, **kwargs)

    def period(self, *, today: dt.date) -> Period | None:
        """The period asked for, or None (with the error on the form) when it is not one."""
        data = self.cleaned_data
        if not data.get("start") or not data.get("end"):
            self.add_error("start" if not data.get("start") else "end", _("Give both dates of the period."))
            return None
        return self._checked(data["start"], data["end"], today=today)

    def _checked(self, start: Any, end: Any, *, today: dt.date) -> Period | None:
        try:
            return period_clean(start, end, today=today)
        except DomainError as error:
            self.add_error("start" if error.field == "from" else "end", str(error))
            return None


class SummaryForm(PeriodForm):
    """Which subtree and which period: a preset or any dates."""

    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False, initial="year")
    year = forms.IntegerField(
        label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    movement = forms.ChoiceField(label=_("Movement"), required=False)
    term = forms.ChoiceField(label=_("Congress term"), required=False)
    field_order = ["unit", "preset", "year", "movement", "term", "start", "end"]

    def __init__(self, data: Any = None, *args: Any, movements: list[tuple[str, str, Period]], **kwargs: Any):
        super().__init__(data, *args, **kwargs)
        self.movements = {code: period for code, _title, period in movements}
        movement_field = self.fields["movement"]
        assert isinstance(movement_field, forms.ChoiceField)
        movement_field.choices = [("", "---------")] + [
            (code, f"{title} ({format_date(period.start)} – {format_date(period.end)})")
            for code, title, period in movements
        ]
        self.terms = {_term_value(p): p for p in periods.congress_terms()}
        term_field = self.fields["term"]
        assert isinstance(term_field, forms.ChoiceField)
        term_field.choices = [(value, value.replace("-", "–")) for value in self.terms]

    def period(self, *, today: dt.date) -> Period | None:
        data = self.cleaned_data
        preset = data.get("preset") or ("dates" if data.get("start") or data.get("end") else "year")
        if preset == "dates":
            return super().period(today=today)
        if preset == "movement":
            found = self.movements.get(data.get("movement") or "")
            if found is None:
                self.add_error("movement", _("Choose a movement."))
                return None
            return self._checked(found.start, found.end, today=today)
        if preset == "term":
            term = self.terms.get(data.get("term") or "")
            if term is None:
                self.add_error("term", _("Choose a congress term."))
                return None
            return term
        year = data.get("year") or today.year
        if preset == "first_half":
            return periods.half_year(year, 1)
        if preset == "second_half":
            return periods.half_year(year, 2)
        return periods.year(year)


def _indicator_choices(*, reportable: bool = False) -> list[tuple[str, Any]]:
    return [("", "---------")] + [
        (item.code, item.label) for item in catalogue.INDICATORS if item.reportable or not reportable
    ]


class TargetsForm(StyledForm):
    """The targets of one indicator for the direct units: a number for each, blank or zero for none."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=_indicator_choices)
    note = CleanCharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            self.fields[f"u_{child.pk}"] = forms.IntegerField(
                label=f"{child.name} ({child.code})",
                min_value=0,
                max_value=MAX_VALUE,
                required=False,
                widget=forms.NumberInput(attrs={**NUMBER, "class": "form-control form-control-sm"}),
            )

    def child_fields(self) -> list[tuple[Any, Any]]:
        return [(child, self[f"u_{child.pk}"]) for child in self.children]

    def values(self) -> dict[Any, int | None]:
        return {child: self.cleaned_data.get(f"u_{child.pk}") for child in self.children}


class FigureForm(StyledForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=lambda: _indicator_choices(reportable=True))
    value = forms.IntegerField(
        label=_("Figure"), min_value=0, max_value=MAX_VALUE, widget=forms.NumberInput(attrs=NUMBER)
    )
    note = CleanCharField(label=_("Source or note"), max_length=NOTE_MAX_LENGTH, required=False)


class RoundForm(StyledForm):
    title = CleanCharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    start = DayField(label=_("From"))
    end = DayField(label=_("To"))
    due_date = DayField(label=_("Reports due on"), initial=timezone.localdate)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class SubmitForm(StyledForm):
    note = CleanCharField(
        label=_("Covering note"), max_length=TEXT_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(StyledForm):
    reason = CleanCharField(
        label=_("Reason for sending back"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
