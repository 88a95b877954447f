"""Forms of the initiative pages; each one feeds one service call, which validates again."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.forms import StyledForm
from unionhall.core.text import has_forbidden_characters
from unionhall.members.forms import DayField
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField

from . import services, shares
from .choices import Field, Level, Status, Verdict
from .models import InitiativeAuthor, InitiativeTransfer

_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
_MONEY_RE = re.compile(r"^-?[0-9]{1,30}$")
# People write amounts with group separators: "1.500.000", "1,500,000", "1 500 000".
_GROUPING = str.maketrans("", "", " .,_\u00a0\u202f٬")


def _today() -> dt.date:
    return timezone.localdate()


def _choices(pairs: Any, blank: Any = "---------") -> list[tuple[str, Any]]:
    return [("", blank), *pairs]


class MoneyField(forms.Field):
    """A whole amount of dong, with or without group separators; its range is the service's to check."""

    default_error_messages = {"invalid": _("Enter the amount as a whole number of dong.")}

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "maxlength": 40}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if has_forbidden_characters(text) or len(text) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        text = text.translate(_DIGITS).translate(_GROUPING).replace("−", "-")
        if not text:
            return None
        if not _MONEY_RE.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class MovementCodeField(CleanCharField):
    """A movement, by code, among those the actor sees."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr"}))
        super().__init__(*args, **kwargs)
        self.actor: Any = None

    def clean(self, value: Any) -> Movement | None:
        code = super().clean(value).strip().lower()
        if not code:
            return None
        movement = Movement.objects.visible_to(self.actor, services.MOVEMENT_VIEW).filter(code=code).first()
        if movement is None:
            raise forms.ValidationError(_("Movement %(code)s was not found."), params={"code": code})
        return movement


class InitiativeForm(ActorForm):
    """The application: what the initiative is, when it was first applied, who its authors are."""

    unit = UnitCodeField(label=_("Unit that invested in it (code)"))
    title = CleanCharField(label=_("Title"), max_length=services.TITLE_MAX)
    field = forms.ChoiceField(label=_("Field"), choices=_choices(Field.choices))
    description = CleanCharField(
        label=_("Description"), required=False, max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    first_applied_on = DayField(label=_("First applied on"))
    estimated_benefit_vnd = MoneyField(label=_("Benefit estimated by the author (VND)"), required=False)
    state_funded = forms.BooleanField(label=_("State funds or materials were used"), required=False)
    movement = MovementCodeField(label=_("Emulation movement (code)"), required=False)
    authors = CleanCharField(
        label=_("Authors"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr", "class": "font-monospace"}),
        help_text=_("One author per line: member code: share (%), e.g. 0012345678X: 60. The shares add up to 100."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["movement"].actor = self.actor  # type: ignore[attr-defined]

    def clean_authors(self) -> list[tuple[Person, Decimal]]:
        try:
            pairs = shares.authors_parse(self.cleaned_data["authors"])
            people = services.people_for_authors(self.actor, [code for code, _share in pairs])
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None
        return [(people[code], share) for code, share in pairs]

    def details(self) -> services.InitiativeDetails:
        data = self.cleaned_data
        return services.InitiativeDetails(
            title=data["title"],
            field=data["field"],
            first_applied_on=data["first_applied_on"],
            description=data.get("description", ""),
            estimated_benefit_vnd=data.get("estimated_benefit_vnd") or 0,
            state_funded=data.get("state_funded", False),
            movement=data.get("movement"),
        )


class InitiativeEditForm(InitiativeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, PNG or JPEG)"))


class ExamineForm(StyledForm):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    note = CleanCharField(
        label=_("Note (required to ask for amendment or to reject)"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    day = DayField(label=_("Examined on"), initial=_today)


class RecogniseForm(StyledForm):
    level = forms.ChoiceField(label=_("Level"), choices=_choices(Level.choices))
    certificate_number = CleanCharField(
        label=_("Certificate number"), max_length=services.CERTIFICATE_MAX, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    recognised_on = DayField(label=_("Recognised on"), initial=_today)
    note = CleanCharField(
        label=_("Note"), required=False, max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(StyledForm):
    note = CleanCharField(label=_("Reason"), max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    day = DayField(label=_("Decided on"), initial=_today)


class BenefitForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"dir": "ltr"}))
    amount_vnd = MoneyField(label=_("Benefit (VND)"))
    note = CleanCharField(
        label=_("How it was computed"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(StyledForm):
    transferee = CleanCharField(label=_("Transferred to"), required=False, max_length=300)
    price_vnd = MoneyField(label=_("Price (VND)"))
    received_on = DayField(label=_("Price received on"), initial=_today)
    note = CleanCharField(
        label=_("Note"), required=False, max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(StyledForm):
    author = forms.ChoiceField(label=_("Author"))
    paid_for = forms.ChoiceField(label=_("Paid for"))
    amount_vnd = MoneyField(label=_("Amount (VND)"))
    paid_on = DayField(label=_("Paid on"), initial=_today)
    note = CleanCharField(label=_("Note"), required=False, max_length=services.NOTE_MAX)

    def __init__(
        self,
        *args: Any,
        authors: list[InitiativeAuthor],
        transfers: list[InitiativeTransfer],
        years: int,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.authors = {str(a.pk): a for a in authors}
        self.transfers = {str(t.pk): t for t in transfers}
        self.fields["author"].choices = _choices(  # type: ignore[attr-defined]
            [(str(a.pk), f"{a.person.full_name} ({a.person.member_code})") for a in authors]
        )
        paid_for = [(f"year:{k}", _("Year %(index)s of application") % {"index": k}) for k in range(1, years + 1)]
        paid_for += [
            (f"transfer:{t.pk}", _("Transfer received on %(day)s") % {"day": t.received_on.strftime("%d/%m/%Y")})
            for t in transfers
        ]
        self.fields["paid_for"].choices = _choices(paid_for)  # type: ignore[attr-defined]

    def target(self) -> dict[str, Any]:
        kind, _sep, key = self.cleaned_data["paid_for"].partition(":")
        if kind == "year":
            return {"year_index": int(key), "transfer": None}
        return {"year_index": None, "transfer": self.transfers[key]}


class ListForm(StyledForm):
    """The filters of an initiative list, read from the query string."""

    unit = CleanCharField(
        label=_("Unit (code)"), required=False, max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=_choices(Status.choices, _("All")), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=_choices(Level.choices, _("All")), required=False)
    year = forms.IntegerField(
        label=_("Year"), min_value=1900, max_value=9999, required=False, widget=forms.NumberInput(attrs={"dir": "ltr"})
    )
    movement = CleanCharField(
        label=_("Movement (code)"), required=False, max_length=60, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    cursor = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
