"""Forms of the member pages; each one feeds one service call, which validates again."""

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.forms import StyledForm
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField
from unionhall.orgunits.models import AdminArea

from .choices import CardStatus, CardType, EducationLevel, Gender, IdKind, MembershipStatus, Position
from .services import END_REASONS_BY_HAND, PersonDetails

# Persian and Arabic-Indic digits are read as Latin ones.
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
_DAY_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
CURRENT = "current"
ALL = "all"


class DayInput(forms.TextInput):
    """A date typed as dd/mm/yyyy; shown the same way."""

    def __init__(self, attrs: dict | None = None):
        super().__init__({"dir": "ltr", "placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)


class DayField(forms.Field):
    """A day written dd/mm/yyyy (or yyyy-mm-dd), in Latin, Persian or Arabic-Indic digits."""

    widget = DayInput
    default_error_messages = {
        "invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/11/2026."),
        "missing": _("This date does not exist."),
    }

    def __init__(self, *args: Any, **kwargs: Any):
        # Readers of the Jalali calendar type Gregorian dates here too: say so.
        kwargs.setdefault("help_text", _("Gregorian calendar, dd/mm/yyyy."))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        text = str(value or "").strip().translate(_DIGITS)
        if not text:
            return None
        if match := _DAY_RE.match(text):
            day, month, year = (int(g) for g in match.groups())
        elif match := _ISO_RE.match(text):
            year, month, day = (int(g) for g in match.groups())
        else:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["missing"], code="missing") from None


class NoEchoInput(forms.TextInput):
    """A text input that never writes the submitted value back into the page (identity numbers)."""

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        return super().get_context(name, None, attrs)


def _today() -> dt.date:
    return timezone.localdate()


def _choices(pairs: Any, blank: Any = "---------") -> list[tuple[str, Any]]:
    return [("", blank), *pairs]


class PersonForm(ActorForm):
    """A person's details; ethnicity and religion only for those who may record them."""

    full_name = CleanCharField(label=_("Full name"), max_length=200)
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices(Gender.choices))
    date_of_birth = DayField(label=_("Date of birth"), required=False)
    id_kind = forms.ChoiceField(label=_("Identity document"), choices=_choices(IdKind.choices), required=False)
    national_id = CleanCharField(
        label=_("Identity number"),
        max_length=30,
        required=False,
        widget=NoEchoInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    nationality = CleanCharField(
        label=_("Nationality (two-letter country code)"),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 2}),
    )
    ethnicity = CleanCharField(label=_("Ethnicity"), max_length=100, required=False)
    religion = CleanCharField(label=_("Religion"), max_length=100, required=False)
    education_level = forms.ChoiceField(
        label=_("Education level"), choices=_choices(EducationLevel.choices), required=False
    )
    phone = CleanCharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    email = CleanCharField(
        label=_("Email"), max_length=254, required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    residence_province = forms.ModelChoiceField(
        label=_("Province or city of residence"), queryset=AdminArea.objects.none(), required=False
    )
    residence_commune = forms.ModelChoiceField(
        label=_("Commune, ward or special zone of residence"), queryset=AdminArea.objects.none(), required=False
    )
    employer = UnitCodeField(label=_("Employer (unit code)"), required=False)
    job_title = CleanCharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args: Any, sensitive: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sensitive = sensitive
        if not sensitive:
            del self.fields["ethnicity"]
            del self.fields["religion"]
        current = AdminArea.objects.filter(scheme__valid_to__isnull=True)
        provinces = current.filter(level="province").order_by("name")
        communes = current.filter(level="commune").order_by("name")
        cast(forms.ModelChoiceField, self.fields["residence_province"]).queryset = provinces
        cast(forms.ModelChoiceField, self.fields["residence_commune"]).queryset = communes

    def sensitive_value(self, name: str) -> str | None:
        return self.cleaned_data.get(name, "") if self.sensitive else None

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            full_name=data["full_name"],
            gender=data["gender"],
            date_of_birth=data.get("date_of_birth"),
            id_kind=data.get("id_kind", ""),
            # Blank keeps the number on record (and, for a new person, means none was given).
            national_id=data.get("national_id") or None,
            nationality=data.get("nationality", ""),
            ethnicity=self.sensitive_value("ethnicity"),
            religion=self.sensitive_value("religion"),
            education_level=data.get("education_level", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            residence_province=data.get("residence_province"),
            residence_commune=data.get("residence_commune"),
            employer=data.get("employer"),
            job_title=data.get("job_title", ""),
        )


class PersonCreateForm(PersonForm):
    unit = UnitCodeField(label=_("Unit (code)"))
    join_date = DayField(label=_("Joined on"), initial=_today)
    field_order = ["unit", "join_date"]

    def sensitive_value(self, name: str) -> str | None:
        # Left blank is "not recorded", so those who may not record it in that unit are not refused.
        return self.cleaned_data.get(name) or None if self.sensitive else None


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["national_id"].help_text = _("Leave blank to keep the number on record.")


class JoinForm(ActorForm):
    unit = UnitCodeField(label=_("Unit (code)"))
    join_date = DayField(label=_("Joined on"), initial=_today)


class TransferForm(ActorForm):
    new_unit = UnitCodeField(label=_("New unit (code)"))
    day = DayField(label=_("Transferred on"), initial=_today)


class EndForm(StyledForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=_choices([(r.value, r.label) for r in END_REASONS_BY_HAND]),
    )
    end_date = DayField(label=_("Ended on"), initial=_today)


class SuspendForm(StyledForm):
    day = DayField(label=_("Suspended from"), initial=_today)
    reason = CleanCharField(label=_("Reason"), max_length=200)


class ResumeForm(StyledForm):
    day = DayField(label=_("Resumed on"), initial=_today)


class AppointForm(StyledForm):
    position = forms.ChoiceField(label=_("Position"), choices=_choices(Position.choices))
    term_start = DayField(label=_("Term start"), initial=_today)
    full_time = forms.BooleanField(label=_("Full-time"), required=False)


class OfficerEndForm(StyledForm):
    term_end = DayField(label=_("Term end"), initial=_today)


class CardIssueForm(StyledForm):
    card_number = CleanCharField(
        label=_("Card number"), max_length=30, widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"})
    )
    card_type = forms.ChoiceField(label=_("Card type"), choices=CardType.choices, initial=CardType.PLAIN)
    issue_date = DayField(label=_("Issued on"), initial=_today)
    replace = forms.BooleanField(label=_("Replace the member's active card"), required=False)


class CardStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=_choices(CardStatus.choices))


class RevealForm(StyledForm):
    purpose = CleanCharField(
        label=_("Purpose (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Purpose (optional)"), "class": "form-control-sm"}),
    )


class SearchForm(forms.Form):
    q = CleanCharField(required=False, max_length=100)


class ListForm(StyledForm):
    """The filters of a member list, read from the query string."""

    unit = CleanCharField(required=False, max_length=40)
    subtree = forms.ChoiceField(
        label=_("Members of"),
        choices=[("1", _("This unit and its sub-units")), ("0", _("This unit only"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(CURRENT, _("Current members")), *MembershipStatus.choices, (ALL, _("All"))],
        required=False,
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices(Gender.choices, _("All")), required=False)
    join_year = forms.IntegerField(
        label=_("Join year"),
        min_value=1900,
        max_value=9999,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    officer = forms.ChoiceField(
        label=_("Officers"),
        choices=[("", _("All")), ("yes", _("Officers only")), ("no", _("Not officers"))],
        required=False,
    )
    card = forms.ChoiceField(label=_("Card"), choices=_choices(CardStatus.choices, _("All")), required=False)
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
