"""Forms of the unit pages; units are named by code and looked up within the actor's scope."""

import re
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.forms import StyledForm
from unionhall.core.text import clean_text, has_forbidden_characters

from .models import AdminArea, Unit, UnitType
from .services import Decision, UnitDetails

MAX_BULK_UNITS = 5000
_SEPARATORS = re.compile(r"[\s,;]+")


class CleanCharField(forms.CharField):
    """A text field that refuses NUL bytes and stores NFC text."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if has_forbidden_characters(value):
            raise forms.ValidationError(_("The text contains characters that are not allowed."))
        return clean_text(value)


class UnitCodeWidget(forms.TextInput):
    """A code input that suggests units by name or code as one types (htmx fills the datalist)."""

    template_name = "orgunits/unit_code_widget.html"

    def __init__(self, attrs: dict | None = None):
        super().__init__({"dir": "ltr", "autocomplete": "off", **(attrs or {})})


class UnitCodeField(CleanCharField):
    """One unit, by code, among the units the actor may see."""

    widget = UnitCodeWidget

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.queryset = Unit.objects.none()

    def clean(self, value: Any) -> Unit | None:
        code = super().clean(value).upper()
        if not code:
            return None
        unit = self.queryset.select_related("type", "parent").filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Unit %(code)s was not found."), params={"code": code})
        return unit


class UnitCodesField(CleanCharField):
    """Many units, by code, separated by spaces, commas or new lines (bulk operations)."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "font-monospace", "dir": "ltr"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.queryset = Unit.objects.none()

    def clean(self, value: Any) -> list[Unit]:
        text = super().clean(value)
        codes = list(dict.fromkeys(c.upper() for c in _SEPARATORS.split(text) if c))
        if not codes and not self.required:
            return []
        if not codes:
            raise forms.ValidationError(_("Give at least one unit code."))
        if len(codes) > MAX_BULK_UNITS:
            raise forms.ValidationError(_("At most %(max)d units in one operation."), params={"max": MAX_BULK_UNITS})
        found = {u.code: u for u in self.queryset.select_related("type", "parent").filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("These units were not found: %(codes)s"), params={"codes": ", ".join(missing[:10])}
            )
        return [found[c] for c in codes]


class ActorForm(StyledForm):
    """A form that knows who fills it in, and scopes its unit fields to them."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        visible = Unit.objects.visible_to(actor, "unit.view")
        for field in self.fields.values():
            if isinstance(field, UnitCodeField | UnitCodesField):
                field.queryset = visible


class DecisionForm(ActorForm):
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    reason = CleanCharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    decision_ref = CleanCharField(label=_("Decision number"), required=False, max_length=100)

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(data["effective_date"], data["reason"], data.get("decision_ref", ""))


class NamesMixin(forms.Form):
    name_vi = CleanCharField(label=_("Name (Vietnamese)"), max_length=300)
    name_en = CleanCharField(label=_("Name (English)"), max_length=300, required=False)
    name_ar = CleanCharField(label=_("Name (Arabic)"), max_length=300, required=False)
    name_fa = CleanCharField(label=_("Name (Persian)"), max_length=300, required=False)

    def names(self) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"name_{lang}", "") for lang in ("vi", "en", "ar", "fa")}


class AddressMixin(forms.Form):
    address = CleanCharField(label=_("Address"), max_length=300, required=False)
    province = forms.ModelChoiceField(label=_("Province or city"), queryset=AdminArea.objects.none(), required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune, ward or special zone"), queryset=AdminArea.objects.none(), required=False
    )
    employer = UnitCodeField(label=_("Employer (unit code)"), required=False)

    def setup_areas(self) -> None:
        current = AdminArea.objects.filter(scheme__valid_to__isnull=True)
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = current.filter(level="province").order_by(
            "name"
        )
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = current.filter(level="commune").order_by("name")

    def details(self) -> UnitDetails:
        data = self.cleaned_data
        return UnitDetails(data.get("address", ""), data.get("province"), data.get("commune"), data.get("employer"))


class EstablishForm(DecisionForm, NamesMixin, AddressMixin):
    unit_type = forms.ModelChoiceField(label=_("Type"), queryset=UnitType.objects.none())
    code = CleanCharField(label=_("Code"), max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"}))
    field_order = [
        "unit_type",
        "code",
        "name_vi",
        "name_en",
        "name_ar",
        "name_fa",
        "address",
        "province",
        "commune",
        "employer",
        "effective_date",
        "reason",
        "decision_ref",
    ]

    def __init__(self, *args: Any, parent: Unit, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit_type"]).queryset = parent.type.allowed_children.all()
        self.setup_areas()


class RenameForm(DecisionForm, NamesMixin):
    field_order = ["name_vi", "name_en", "name_ar", "name_fa", "effective_date", "reason", "decision_ref"]


class DetailsForm(ActorForm, AddressMixin):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.setup_areas()


class TransferForm(DecisionForm):
    units = UnitCodesField(label=_("Units to transfer (codes)"), help_text=_("Each unit moves with all its sub-units."))
    new_parent = UnitCodeField(label=_("New parent unit (code)"))
    field_order = ["units", "new_parent", "effective_date", "reason", "decision_ref"]


class MergeForm(DecisionForm):
    sources = UnitCodesField(label=_("Units to merge (codes)"))
    target = UnitCodeField(label=_("Merge into (code)"))
    field_order = ["sources", "target", "effective_date", "reason", "decision_ref"]


class DissolveForm(DecisionForm):
    units = UnitCodesField(label=_("Units to dissolve (codes)"))
    with_subtree = forms.BooleanField(label=_("Dissolve their sub-units too"), required=False)
    field_order = ["units", "with_subtree", "effective_date", "reason", "decision_ref"]


class SplitPartForm(ActorForm):
    code = CleanCharField(label=_("Code"), max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"}))
    unit_type = forms.ModelChoiceField(label=_("Type"), queryset=UnitType.objects.none())
    name_vi = CleanCharField(label=_("Name (Vietnamese)"), max_length=300)
    children = UnitCodesField(
        label=_("Sub-units it takes over (codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace", "dir": "ltr"}),
    )

    def __init__(self, *args: Any, parent: Unit, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit_type"]).queryset = parent.type.allowed_children.all()


class SplitForm(DecisionForm):
    field_order = ["effective_date", "reason", "decision_ref"]


class SearchForm(forms.Form):
    q = CleanCharField(required=False, max_length=100)
