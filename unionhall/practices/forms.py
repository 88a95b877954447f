"""Forms of the model pages; each one feeds one service call, which validates again."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound
from unionhall.core.forms import StyledForm
from unionhall.members import selectors as member_selectors
from unionhall.members.forms import DayField
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import Programme

from . import services
from .choices import EvaluationResult, PracticeField, PracticeKind, PracticeStatus
from .services import PracticeDetails


def _choices(pairs: Any, blank: Any = "---------") -> list[tuple[str, Any]]:
    return [("", blank), *pairs]


def _today() -> Any:
    return timezone.localdate()


class CodeLookupMixin(ActorForm):
    """Movement and programme fields typed as codes, looked up among those the actor sees."""

    def _lookup(self, name: str, model: Any, action: str, message: Any) -> Any:
        code = (self.cleaned_data.get(name) or "").strip().lower()
        if not code:
            return None
        found = model.objects.visible_to(self.actor, action).filter(code=code).first()
        if found is None:
            raise forms.ValidationError(message % {"code": code})
        return found

    def clean_movement(self) -> Movement | None:
        return self._lookup("movement", Movement, "movement.view", _("Movement %(code)s was not found."))

    def clean_programme(self) -> Programme | None:
        return self._lookup("programme", Programme, "programme.view", _("Programme %(code)s was not found."))


def _code_input() -> forms.TextInput:
    return forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"})


class PracticeForm(CodeLookupMixin):
    title = CleanCharField(label=_("Name"), max_length=services.TITLE_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeKind.choices, initial=PracticeKind.MODEL)
    field = forms.ChoiceField(label=_("Field"), choices=_choices(PracticeField.choices))
    movement = CleanCharField(
        label=_("Movement (code)"),
        required=False,
        max_length=60,
        widget=_code_input(),
        help_text=_("The movement the model belongs to, e.g. dan-van-kheo."),
    )
    programme = CleanCharField(label=_("Joint programme (code)"), required=False, max_length=60, widget=_code_input())
    started_on = DayField(label=_("Started on"))
    registered_on = DayField(label=_("Registered on"), initial=_today)
    description = CleanCharField(
        label=_("Description"),
        required=False,
        max_length=services.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def details(self) -> PracticeDetails:
        data = self.cleaned_data
        return PracticeDetails(
            title=data["title"],
            field=data["field"],
            started_on=data["started_on"],
            kind=data["kind"],
            registered_on=data.get("registered_on"),
            movement=data.get("movement"),
            programme=data.get("programme"),
            description=data.get("description", ""),
        )


class PracticeCreateForm(PracticeForm):
    code = CleanCharField(
        label=_("Code"),
        max_length=services.CODE_MAX_LENGTH,
        help_text=_("Lower-case letters, digits and hyphens, e.g. tu-quan-nha-tro-1. It cannot be changed later."),
        widget=_code_input(),
    )
    unit = UnitCodeField(label=_("Registered by (unit code)"))
    field_order = ["code", "unit", "title", "kind", "field", "movement", "programme", "started_on", "registered_on"]


class PracticeEditForm(PracticeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberForm(ActorForm):
    member_code = CleanCharField(label=_("Member code"), required=False, max_length=20, widget=_code_input())
    name = CleanCharField(label=_("Name (if not a member)"), required=False, max_length=services.NAME_MAX_LENGTH)
    role = CleanCharField(label=_("Role"), required=False, max_length=services.NAME_MAX_LENGTH)

    def clean_member_code(self) -> Person | None:
        code = self.cleaned_data.get("member_code") or ""
        if not code:
            return None
        try:
            return member_selectors.person_get(actor=self.actor, member_code=code)
        except NotFound as error:
            raise forms.ValidationError(str(error)) from None


class ConfirmForm(StyledForm):
    confirm = forms.BooleanField(label=_("Yes, remove"))


class JudgeForm(StyledForm):
    """A form made on behalf of one of the units the actor may judge the model for."""

    def __init__(self, *args: Any, judges: list[Unit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.judges = {str(u.pk): u for u in judges}
        field = self.fields["unit"]
        field.choices = [(str(u.pk), f"{u.name} ({u.code})") for u in judges]  # type: ignore[attr-defined]
        if judges:
            field.initial = str(judges[0].pk)

    def clean_unit(self) -> Unit:
        return self.judges[self.cleaned_data["unit"]]


class EvaluationForm(JudgeForm):
    unit = forms.ChoiceField(label=_("Evaluated by"))
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=9999,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    result = forms.ChoiceField(label=_("Result"), choices=_choices(EvaluationResult.choices))
    evaluated_on = DayField(label=_("Evaluated on"), initial=_today)
    note = CleanCharField(
        label=_("Note"), required=False, max_length=services.NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecognitionForm(JudgeForm):
    unit = forms.ChoiceField(label=_("Recognised by"))
    recognised_on = DayField(label=_("Recognised on"), initial=_today)
    reference = CleanCharField(label=_("Decision number"), required=False, max_length=services.REFERENCE_MAX_LENGTH)


class DiscontinueForm(StyledForm):
    ended_on = DayField(label=_("Discontinued on"), initial=_today)
    reason = CleanCharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ListForm(CodeLookupMixin):
    """The filters of the model list, read from the query string."""

    unit = CleanCharField(
        label=_("Registered by or under (unit code)"), required=False, max_length=40, widget=_code_input()
    )
    field = forms.ChoiceField(label=_("Field"), choices=_choices(PracticeField.choices, _("All")), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(PracticeKind.choices, _("All")), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_choices(PracticeStatus.choices, _("All")), required=False)
    movement = CleanCharField(label=_("Movement (code)"), required=False, max_length=60, widget=_code_input())
    programme = CleanCharField(label=_("Joint programme (code)"), required=False, max_length=60, widget=_code_input())
    year = forms.IntegerField(
        label=_("Registered in (year)"),
        min_value=1900,
        max_value=9999,
        required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class EffectiveForm(CodeLookupMixin):
    """The filters of the effective models of a year."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=9999,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    unit = CleanCharField(
        label=_("Registered by or under (unit code)"), required=False, max_length=40, widget=_code_input()
    )
    field = forms.ChoiceField(label=_("Field"), choices=_choices(PracticeField.choices, _("All")), required=False)
    movement = CleanCharField(label=_("Movement (code)"), required=False, max_length=60, widget=_code_input())
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
