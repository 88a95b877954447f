"""Forms of the movement pages; each one feeds one service call, which validates again."""

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhall.core.errors import NotFound
from unionhall.core.forms import StyledForm
from unionhall.members import selectors as member_selectors
from unionhall.members.forms import DayField
from unionhall.members.models import Membership, Person
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField, UnitCodesField

from .choices import MilestoneKind, MovementKind, MovementScope, MovementStatus
from .services import MovementDetails

_SEPARATORS = re.compile(r"[\s,;]+")
MEMBER_VIEW = "member.view"


def _choices(pairs: Any, blank: Any = "---------") -> list[tuple[str, Any]]:
    return [("", blank), *pairs]


def _today() -> Any:
    return timezone.localdate()


class MovementForm(ActorForm):
    """What the launcher decides: title, kind, period, scope and criteria."""

    title = CleanCharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(MovementKind.choices))
    start_date = DayField(label=_("Starts on"))
    end_date = DayField(label=_("Ends on"), required=False, help_text=_("Leave blank for a movement without an end."))
    scope = forms.ChoiceField(label=_("Who takes part"), choices=MovementScope.choices, initial=MovementScope.SUBTREE)
    units = UnitCodesField(
        label=_("Listed units (codes; joint movements only)"),
        required=False,
        help_text=_("Partner bodies and units taking part, separated by spaces, commas or new lines."),
    )
    criteria = CleanCharField(
        label=_("Criteria and targets"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def details(self) -> MovementDetails:
        data = self.cleaned_data
        return MovementDetails(
            title=data["title"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            scope=data["scope"],
            units=tuple(data.get("units") or ()),
            criteria=data.get("criteria", ""),
        )


class MovementCreateForm(MovementForm):
    code = CleanCharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. ldg-ldst-2025. It cannot be changed later."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    launcher = UnitCodeField(label=_("Launched by (unit code)"))
    field_order = ["code", "launcher", "title", "kind", "start_date", "end_date", "scope", "units", "criteria"]


class MovementEditForm(MovementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(StyledForm):
    closed_on = DayField(label=_("Closed on"), initial=_today)


class MilestoneForm(StyledForm):
    kind = forms.ChoiceField(
        label=pgettext_lazy("movement milestone", "Review"), choices=_choices(MilestoneKind.choices)
    )
    due_date = DayField(label=_("Due on"))
    note = CleanCharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(StyledForm):
    held_on = DayField(label=_("Held on"), initial=_today)
    note = CleanCharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RegistrationForm(ActorForm):
    """A unit's own pledge (no member code) or a member's pledge (their unit is found when left blank)."""

    unit = UnitCodeField(label=_("Unit (code)"), required=False)
    member_code = CleanCharField(
        label=_("Member code (for a member's pledge)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=9999,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    titles = CleanCharField(
        label=_("Titles sought (codes)"),
        required=False,
        max_length=1000,
        help_text=_("Codes of the titles or awards sought, separated by spaces or commas, e.g. ldtt cstdcs."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    initiatives_pledged = forms.IntegerField(
        label=_("Initiatives pledged"), min_value=0, max_value=100_000, initial=0, required=False
    )
    note = CleanCharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    registered_on = DayField(label=_("Registered on"), initial=_today, required=False)

    def clean_member_code(self) -> Person | None:
        code = self.cleaned_data.get("member_code") or ""
        if not code:
            return None
        try:
            return member_selectors.person_get(actor=self.actor, member_code=code)
        except NotFound as error:
            raise forms.ValidationError(str(error)) from None

    def clean_titles(self) -> list[str]:
        text = self.cleaned_data.get("titles") or ""
        return [code.lower() for code in _SEPARATORS.split(text) if code]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, unit = data.get("member_code"), data.get("unit")
        if self.errors:
            return data
        if unit is None and person is None:
            raise forms.ValidationError(_("Give the unit's code, or a member's code for a member's pledge."))
        if unit is None:
            home = (
                Membership.objects.visible_to(self.actor, MEMBER_VIEW)
                .open()
                .filter(person=person)
                .select_related("unit")
                .first()
            )
            if home is None:
                self.add_error("unit", _("The member has no current membership you see; give the unit's code."))
            else:
                data["unit"] = home.unit
        return data


class WithdrawForm(StyledForm):
    reason = CleanCharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListForm(StyledForm):
    """The filters of the movement list, read from the query string."""

    status = forms.ChoiceField(label=_("Status"), choices=_choices(MovementStatus.choices, _("All")), required=False)
    year = forms.IntegerField(
        label=_("Year"), min_value=1900, max_value=9999, required=False, widget=forms.NumberInput(attrs={"dir": "ltr"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(MovementKind.choices, _("All")), required=False)
    unit = CleanCharField(
        label=_("Launched by or under (unit code)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class RegistrationListForm(StyledForm):
    year = forms.IntegerField(
        label=_("Year"), min_value=1900, max_value=9999, required=False, widget=forms.NumberInput(attrs={"dir": "ltr"})
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
