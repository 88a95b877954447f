"""Forms of the awards pages; each one feeds one service call, which validates again."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.forms import StyledForm
from unionhall.initiatives.models import Initiative
from unionhall.members.codes import member_code_is_valid, member_code_normalise
from unionhall.members.forms import DayField
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField
from unionhall.orgunits.models import Unit

from .choices import NominationStatus, RevocationReason
from .models import AwardType, Nomination
from .services import MAX_AWARDEES, MAX_EVIDENCE, Awardee

_SEPARATORS = re.compile(r"[\s,;]+")
INITIATIVE_VIEW = "initiative.view"


def _year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(min_value=1900, max_value=9999, widget=forms.NumberInput(attrs={"dir": "ltr"}), **kwargs)


def _last_year() -> int:
    return timezone.localdate().year - 1


def _types() -> Any:
    return AwardType.objects.filter(active=True).order_by("rank", "code")


class AwardTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class InitiativesField(CleanCharField):
    """Initiatives by number (id), separated by spaces or commas, among those the actor sees."""

    widget = forms.TextInput(attrs={"dir": "ltr"})

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Initiative numbers, separated by spaces or commas."))
        super().__init__(*args, **kwargs)
        self.queryset = Initiative.objects.none()

    def clean(self, value: Any) -> list[Initiative]:
        text = super().clean(value)
        words = [w for w in _SEPARATORS.split(text) if w]
        if len(words) > MAX_EVIDENCE:
            raise forms.ValidationError(_("At most %(max)s initiatives can be attached."), params={"max": MAX_EVIDENCE})
        if any(not w.isdigit() or len(w) > 18 for w in words):
            raise forms.ValidationError(_("Enter initiative numbers."))
        ids = [int(w) for w in words]
        found = self.queryset.in_bulk(ids)
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                _("These initiatives were not found: %(ids)s"), params={"ids": ", ".join(missing[:10])}
            )
        return [found[i] for i in dict.fromkeys(ids)]


class AwardsForm(ActorForm):
    """Scopes the initiative fields too."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, InitiativesField):
                field.queryset = Initiative.objects.visible_to(self.actor, INITIATIVE_VIEW)


class NominationForm(AwardsForm):
    award_type = AwardTypeChoiceField(label=_("Award"), queryset=_types())
    year = _year_field(label=_("Achievement year"), initial=_last_year)
    proposing_unit = UnitCodeField(label=_("Proposing unit (code)"))
    member_code = CleanCharField(
        label=_("Nominee: member code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("For a person; leave blank to nominate a unit."),
    )
    unit = UnitCodeField(label=_("Nominee: unit (code)"), required=False, help_text=_("For a collective award."))
    initiatives = InitiativesField(label=_("Initiatives (evidence)"))
    note = CleanCharField(label=_("Achievements"), max_length=5000, required=False, widget=forms.Textarea({"rows": 4}))

    def clean_member_code(self) -> Person | None:
        code = member_code_normalise(self.cleaned_data.get("member_code") or "")
        if not code:
            return None
        person = Person.objects.filter(member_code=code).first() if member_code_is_valid(code) else None
        if person is None:
            raise forms.ValidationError(_("Person %(code)s was not found."), params={"code": code})
        return person


class NominationEditForm(AwardsForm):
    year = _year_field(label=_("Achievement year"))
    initiatives = InitiativesField(label=_("Initiatives (evidence)"))
    note = CleanCharField(label=_("Achievements"), max_length=5000, required=False, widget=forms.Textarea({"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(StyledForm):
    note = CleanCharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea({"rows": 3}))


class RejectForm(StyledForm):
    note = CleanCharField(label=_("Reason"), max_length=5000, widget=forms.Textarea({"rows": 3}))


class NominationListForm(StyledForm):
    unit = CleanCharField(required=False, max_length=40)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *NominationStatus.choices], required=False)
    year = _year_field(label=_("Year"), required=False)
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class DecisionListForm(StyledForm):
    year = _year_field(label=_("Signed in"), required=False)
    award_type = AwardTypeChoiceField(
        label=_("Award"), queryset=AwardType.objects.order_by("rank", "code"), required=False, empty_label=_("All")
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


def parse_awardees(text: str) -> list[Awardee]:
    """Lines of "code year [nomination]": a member code or a unit code, the achievement year, a nomination number."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_AWARDEES:
        raise forms.ValidationError(_("At most %(max)s awardees per decision."), params={"max": MAX_AWARDEES})
    words = [_SEPARATORS.split(line) for line in lines]
    member_codes = {member_code_normalise(w[0]) for w in words}
    people = {p.member_code: p for p in Person.objects.filter(member_code__in=member_codes)}
    units = {u.code: u for u in Unit.objects.filter(code__in={w[0].upper() for w in words})}
    nomination_ids = {int(w[2]) for w in words if len(w) > 2 and w[2].isdigit() and len(w[2]) <= 18}
    nominations = Nomination.objects.in_bulk(list(nomination_ids))
    out: list[Awardee] = []
    for number, parts in enumerate(words, start=1):
        if len(parts) not in (2, 3) or not parts[1].isdigit() or len(parts[1]) != 4:
            raise forms.ValidationError(
                _("Line %(line)s: write a member or unit code, the year, and optionally the nomination number."),
                params={"line": number},
            )
        code = parts[0]
        nominee: Person | Unit | None = people.get(member_code_normalise(code)) or units.get(code.upper())
        if nominee is None:
            raise forms.ValidationError(
                _("Line %(line)s: %(code)s is neither a member code nor a unit code."),
                params={"line": number, "code": code[:40]},
            )
        nomination = None
        if len(parts) == 3:
            nomination = nominations.get(int(parts[2])) if parts[2].isdigit() and len(parts[2]) <= 18 else None
            if nomination is None:
                raise forms.ValidationError(
                    _("Line %(line)s: nomination %(id)s was not found."), params={"line": number, "id": parts[2][:20]}
                )
        out.append(Awardee(nominee, int(parts[1]), nomination))
    if not out:
        raise forms.ValidationError(_("List at least one awardee."))
    return out


class DecisionForm(ActorForm):
    award_type = AwardTypeChoiceField(label=_("Award"), queryset=_types())
    number = CleanCharField(label=_("Decision number"), max_length=60, widget=forms.TextInput(attrs={"dir": "ltr"}))
    signed_on = DayField(label=_("Signed on"), initial=timezone.localdate)
    signer = CleanCharField(label=_("Signer"), max_length=200)
    granting_unit = UnitCodeField(label=_("Granting unit (code)"))
    movement = CleanCharField(
        label=_("Emulation movement (code)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    awardees = CleanCharField(
        label=_("Awardees"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace", "dir": "ltr"}),
        help_text=_(
            "One per line: a member code or a unit code, the achievement year and, if any, the nomination number."
        ),
    )
    note = CleanCharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea({"rows": 2}))
    quota_override = forms.BooleanField(label=_("Exceed the quota"), required=False)
    quota_justification = CleanCharField(
        label=_("Why the quota is exceeded"), max_length=5000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def clean_awardees(self) -> list[Awardee]:
        return parse_awardees(self.cleaned_data["awardees"])

    def clean_movement(self) -> Movement | None:
        code = (self.cleaned_data.get("movement") or "").strip()
        if not code:
            return None
        movement = Movement.objects.visible_to(self.actor, "movement.view").filter(code=code).first()
        if movement is None:
            raise forms.ValidationError(_("Movement %(code)s was not found."), params={"code": code})
        return movement


class RevokeForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *RevocationReason.choices])
    revoked_on = DayField(label=_("Revoked on"), initial=timezone.localdate)
    recovered_vnd = forms.IntegerField(
        label=_("Money recovered (VND)"), required=False, widget=forms.NumberInput(attrs={"dir": "ltr"})
    )
    note = CleanCharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea({"rows": 3}))


class CertificateForm(forms.Form):
    language = forms.ChoiceField(required=False, choices=lambda: [("", ""), *settings.LANGUAGES])
