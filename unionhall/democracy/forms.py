"""Forms of the workplace-democracy pages: the dashboard's filter, and the activity form with a dialogue's
or an employee conference's fields; each feeds one service call, which validates again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhall.activities.choices import KindRole
from unionhall.activities.forms import ActivityForm
from unionhall.activities.models import ActivityKind
from unionhall.core.forms import StyledForm
from unionhall.members.forms import DayField
from unionhall.orgunits.forms import CleanCharField, UnitCodeField, UnitCodeWidget
from unionhall.orgunits.models import Unit

from .choices import ComplianceFilter, ConferenceForm, DialogueTrigger
from .services import CHANGE, MAX_HEADCOUNT, MAX_SIDE, ConferenceDetails, DialogueDetails

NUMBER = {"dir": "ltr"}


class DashboardForm(StyledForm):
    """Which subtree, which employers, which page."""

    unit = CleanCharField(label=_("Unit"), max_length=40, required=False, widget=UnitCodeWidget)
    state = forms.ChoiceField(
        label=_("Show"), choices=ComplianceFilter.choices, required=False, initial=ComplianceFilter.ATTENTION
    )
    cursor = CleanCharField(max_length=200, required=False, widget=forms.HiddenInput)


def _count(label: Any, maximum: int, **extra: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=maximum, widget=forms.NumberInput(attrs=NUMBER), **extra
    )


class WorkplaceForm(ActivityForm):
    """The activity's fields for a kind of one role, the employer among the actor's unions' employers."""

    role: str = ""
    employer = UnitCodeField(label=_("Employer (unit code)"))
    headcount = _count(_("Employees at the employer"), MAX_HEADCOUNT)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kinds = ActivityKind.objects.filter(active=True, role=self.role).order_by("rank", "code")
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
        self.fields["kind"].initial = kinds.first()
        # The employer sits beside its union, often outside a grassroots officer's subtree.
        self.fields["employer"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=Unit.objects.visible_to(self.actor, CHANGE).filter(employer__isnull=False).values("employer_id")
        )

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("speaker_") and name not in self.own]

    def workplace_fields(self) -> list[Any]:
        return [self[name] for name in self.own]

    own: tuple[str, ...] = ()


class DialogueForm(WorkplaceForm):
    role = KindRole.WORKPLACE_DIALOGUE
    own = (
        "employer",
        "trigger",
        "trigger_article",
        "headcount",
        "employer_side",
        "employer_side_women",
        "legal_representative_present",
        "employee_side",
        "employee_side_women",
        "agreements",
        "published_on",
        "confirm_composition",
    )
    trigger = forms.ChoiceField(label=_("Held"), choices=DialogueTrigger.choices, initial=DialogueTrigger.PERIODIC)
    trigger_article = CleanCharField(
        label=_("Labour Code article"),
        required=False,
        max_length=100,
        help_text=_("For a dialogue on an event, e.g. Art. 42 (restructuring)."),
    )
    employer_side = _count(_("Employer side: participants"), MAX_SIDE)
    employer_side_women = _count(_("of whom women"), MAX_SIDE, required=False, initial=0)
    legal_representative_present = forms.BooleanField(
        label=_("The employer's legal representative took part"), required=False, initial=True
    )
    employee_side = _count(_("Employee side: representatives"), MAX_SIDE)
    employee_side_women = _count(_("of whom women"), MAX_SIDE, required=False, initial=0)
    agreements = CleanCharField(
        label=_("Agreements"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    published_on = DayField(label=_("Published to employees on"), required=False)
    confirm_composition = forms.BooleanField(
        label=_("I confirm the composition although it does not meet the rule"),
        required=False,
        help_text=_("Needed only when the page warns about the composition; the confirmation is recorded."),
    )

    def dialogue(self) -> DialogueDetails:
        data = self.cleaned_data
        return DialogueDetails(
            employer=data["employer"],
            headcount=data["headcount"],
            employer_side=data["employer_side"],
            employee_side=data["employee_side"],
            legal_representative_present=bool(data.get("legal_representative_present")),
            trigger=data["trigger"],
            trigger_article=data.get("trigger_article", ""),
            employer_side_women=data.get("employer_side_women") or 0,
            employee_side_women=data.get("employee_side_women") or 0,
            agreements=data.get("agreements", ""),
            published_on=data.get("published_on"),
        )


class DialogueCreateForm(DialogueForm):
    unit = UnitCodeField(label=_("Recorded by (unit code)"))
    field_order = ["unit", "kind", "title"]


class DialogueEditForm(DialogueForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConferenceCreateForm(WorkplaceForm):
    role = KindRole.EMPLOYEE_CONFERENCE
    own = ("employer", "form", "headcount", "attended", "resolutions", "agreement_reviewed")
    unit = UnitCodeField(label=_("Recorded by (unit code)"))
    form = forms.ChoiceField(label=_("Form of the conference"), choices=ConferenceForm.choices)
    attended = _count(_("Employees or delegates attending"), MAX_HEADCOUNT)
    resolutions = CleanCharField(
        label=_("Resolutions"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    agreement_reviewed = forms.BooleanField(label=_("The collective agreement was reviewed"), required=False)
    field_order = ["unit", "kind", "title"]

    def conference(self) -> ConferenceDetails:
        data = self.cleaned_data
        return ConferenceDetails(
            employer=data["employer"],
            form=data["form"],
            headcount=data["headcount"],
            attended=data["attended"],
            resolutions=data.get("resolutions", ""),
            agreement_reviewed=bool(data.get("agreement_reviewed")),
        )
