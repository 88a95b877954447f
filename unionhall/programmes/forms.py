"""Forms of the programme pages; each one feeds one service call, which validates again."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound
from unionhall.core.forms import StyledForm
from unionhall.members import selectors as member_selectors
from unionhall.members.forms import DayField
from unionhall.members.models import Person
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField
from unionhall.orgunits.models import Unit

from . import services
from .choices import PartyRole
from .services import PartyDetails, ProgrammeDetails

_SEPARATORS = re.compile(r"[\s,;]+")


def active_unit(code: str) -> Unit:
    """A party, by code, among the active units of every organisation (partner bodies are outside most scopes)."""
    unit = Unit.objects.filter(code=code.strip().upper(), status="active").first()
    if unit is None:
        raise forms.ValidationError(_("Unit %(code)s was not found."), params={"code": code.strip().upper()})
    return unit


class PartyCodeField(CleanCharField):
    """One party by unit code, among the active units of any organisation."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Unit | None:
        code = super().clean(value)
        return active_unit(code) if code else None


class PartyCodesField(CleanCharField):
    """Parties by unit code, the lead first, separated by spaces, commas, semicolons or new lines."""

    def clean(self, value: Any) -> list[Unit]:
        codes = list(dict.fromkeys(c.upper() for c in _SEPARATORS.split(super().clean(value)) if c))
        if len(codes) > services.MAX_PARTIES:
            raise forms.ValidationError(_("At most %(max)s parties."), params={"max": services.MAX_PARTIES})
        found = {u.code: u for u in Unit.objects.filter(code__in=codes, status="active")}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("These units were not found: %(codes)s"), params={"codes": ", ".join(missing[:10])}
            )
        return [found[c] for c in codes]


class ProgrammeForm(ActorForm):
    title = CleanCharField(label=_("Title"), max_length=services.TITLE_MAX_LENGTH)
    reference = CleanCharField(label=_("Document number"), max_length=services.REFERENCE_MAX_LENGTH, required=False)
    start_date = DayField(label=_("Starts on"))
    end_date = DayField(label=_("Ends on"), required=False, help_text=_("Leave blank for a programme without an end."))
    goals = CleanCharField(
        label=_("Goals"), required=False, max_length=services.GOALS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )

    def details(self) -> ProgrammeDetails:
        data = self.cleaned_data
        return ProgrammeDetails(
            title=data["title"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            reference=data.get("reference", ""),
            goals=data.get("goals", ""),
        )


class ProgrammeCreateForm(ProgrammeForm):
    code = CleanCharField(
        label=_("Code"),
        max_length=services.CODE_MAX_LENGTH,
        help_text=_("Lower-case letters, digits and hyphens, e.g. ca-ldld-2018. It cannot be changed later."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    owner = UnitCodeField(label=_("Recorded by (unit code)"), help_text=_("Your unit; it is one of the parties."))
    parties = PartyCodesField(
        label=_("Parties (unit codes, the lead first)"),
        max_length=2000,
        help_text=_("At least two, e.g. DN-CA; DN. Partner bodies (police, Fatherland Front) are units too."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    field_order = ["code", "owner", "parties", "title", "reference", "start_date", "end_date", "goals"]

    def party_details(self) -> list[PartyDetails]:
        units = self.cleaned_data.get("parties") or []
        return [PartyDetails(u, PartyRole.LEAD if i == 0 else PartyRole.PARTNER) for i, u in enumerate(units)]


class ProgrammeEditForm(ProgrammeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartyForm(StyledForm):
    unit = PartyCodeField(label=_("Unit (code)"))
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices, initial=PartyRole.PARTNER)
    signatory = CleanCharField(label=_("Signed by"), required=False, max_length=services.NAME_MAX_LENGTH)


class PartyLeadForm(StyledForm):
    confirm = forms.BooleanField(label=_("Make this party the lead; the current lead becomes a partner"))


class PartyRemoveForm(StyledForm):
    confirm = forms.BooleanField(label=_("Remove this party from the programme"))


class OfficerForm(ActorForm):
    """A mobilised officer: a member by code, or a name; for one of the parties."""

    unit = forms.ChoiceField(label=_("Party"))
    member_code = CleanCharField(
        label=_("Member code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    name = CleanCharField(label=_("Name (if not a member)"), required=False, max_length=services.NAME_MAX_LENGTH)
    role_title = CleanCharField(label=_("Role in the programme"), required=False, max_length=services.NAME_MAX_LENGTH)

    def __init__(self, *args: Any, parties: list[Unit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.parties = {str(u.pk): u for u in parties}
        self.fields["unit"].choices = [(str(u.pk), f"{u.name} ({u.code})") for u in parties]  # type: ignore[attr-defined]

    def clean_unit(self) -> Unit:
        return self.parties[self.cleaned_data["unit"]]

    def clean_member_code(self) -> Person | None:
        code = self.cleaned_data.get("member_code") or ""
        if not code:
            return None
        try:
            return member_selectors.person_get(actor=self.actor, member_code=code)
        except NotFound as error:
            raise forms.ValidationError(str(error)) from None


class OfficerRemoveForm(StyledForm):
    confirm = forms.BooleanField(label=_("Remove this officer from the programme"))


class ListForm(StyledForm):
    """The filters of the programme list, read from the query string."""

    unit = CleanCharField(
        label=_("Unit taking part (code)"), required=False, max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    year = forms.IntegerField(
        label=_("Running in (year)"),
        min_value=1900,
        max_value=9999,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
