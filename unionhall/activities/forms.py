"""Forms of the activity pages; each one feeds one service call, which validates again."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import NotFound
from unionhall.core.forms import StyledForm
from unionhall.members.choices import Gender
from unionhall.members.forms import DayField
from unionhall.movements import selectors as movement_selectors
from unionhall.movements.models import Movement
from unionhall.orgunits.forms import ActorForm, CleanCharField, UnitCodeField, UnitCodesField
from unionhall.orgunits.models import Unit
from unionhall.programmes import selectors as programme_selectors
from unionhall.programmes.models import Programme

from .choices import ActivityStatus, AttendanceMode, FileKind, ParticipantCategory
from .models import Activity, ActivityKind, Speaker
from .services import MAX_PEOPLE, ActivityDetails, SpeakerDetails

SPEAKER_ROWS = 4
CODE_INPUT = {"dir": "ltr", "autocomplete": "off"}


def _choices(pairs: Any, blank: Any = "---------") -> list[tuple[str, Any]]:
    return [("", blank), *pairs]


def _moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time.min))


class KindField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ActivityForm(ActorForm):
    """What the recording unit decides: kind, title, when and where, what it serves, who speaks."""

    kind = KindField(label=_("Kind"), queryset=ActivityKind.objects.filter(active=True).order_by("rank", "code"))
    title = CleanCharField(label=_("Title"), max_length=300)
    reference = CleanCharField(
        label=_("Number (the organiser's own)"), required=False, max_length=60, widget=forms.TextInput(CODE_INPUT)
    )
    starts_at = DayField(label=_("Date"))
    starts_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"}, format="%H:%M")
    )
    ends_at = DayField(label=_("Ends on"), required=False, help_text=_("Leave blank when it ends the same day."))
    ends_time = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"}, format="%H:%M"),
    )
    place = CleanCharField(label=_("Place"), required=False, max_length=300)
    topic = CleanCharField(
        label=_("Topic"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    co_organisers = UnitCodesField(
        label=_("Co-organisers (unit codes)"),
        required=False,
        help_text=_("Other units organising it, partner bodies included (e.g. a police department)."),
    )
    movement = CleanCharField(
        label=_("Movement (code)"), required=False, max_length=60, widget=forms.TextInput(CODE_INPUT)
    )
    programme = CleanCharField(
        label=_("Joint programme (code)"), required=False, max_length=60, widget=forms.TextInput(CODE_INPUT)
    )
    chair = CleanCharField(label=_("Chaired by"), required=False, max_length=200)
    agenda = CleanCharField(
        label=_("Agenda"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.HELD)
    attendance_mode = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceMode.choices, initial=AttendanceMode.ROSTER
    )
    planned_participants = forms.IntegerField(
        label=_("Participants planned"), required=False, min_value=0, max_value=MAX_PEOPLE
    )

    def __init__(self, *args: Any, speakers: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Partner bodies outside the actor's scope organise too: any unit, named by its code.
        self.fields["co_organisers"].queryset = Unit.objects.all()  # type: ignore[attr-defined]
        self.speaker_rows = []
        for i in range(speakers + SPEAKER_ROWS):
            name = CleanCharField(label=_("Speaker"), required=False, max_length=200)
            title = CleanCharField(label=_("Title or position"), required=False, max_length=200)
            self.fields[f"speaker_{i}_name"] = name
            self.fields[f"speaker_{i}_title"] = title
            for field in (name, title):
                field.widget.attrs["class"] = "form-control"
            self.speaker_rows.append((f"speaker_{i}_name", f"speaker_{i}_title"))

    def speaker_fields(self) -> list[tuple[Any, Any]]:
        return [(self[name], self[title]) for name, title in self.speaker_rows]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("speaker_")]

    def clean_movement(self) -> Movement | None:
        code = self.cleaned_data.get("movement") or ""
        if not code:
            return None
        try:
            return movement_selectors.movement_get(actor=self.actor, code=code)
        except NotFound as error:
            raise forms.ValidationError(str(error)) from None

    def clean_programme(self) -> Programme | None:
        code = self.cleaned_data.get("programme") or ""
        if not code:
            return None
        try:
            return programme_selectors.programme_get(actor=self.actor, code=code)
        except NotFound as error:
            raise forms.ValidationError(str(error)) from None

    def details(self) -> ActivityDetails:
        data = self.cleaned_data
        starts_at = _moment(data["starts_at"], data["starts_time"])
        assert starts_at is not None
        ends_at = _moment(
            data.get("ends_at") or (data["starts_at"] if data.get("ends_time") else None), data.get("ends_time")
        )
        speakers = tuple(
            SpeakerDetails(name=data.get(name) or "", title=data.get(title) or "")
            for name, title in self.speaker_rows
            if data.get(name) or data.get(title)
        )
        return ActivityDetails(
            kind=data["kind"],
            title=data["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            place=data.get("place", ""),
            topic=data.get("topic", ""),
            reference=data.get("reference", ""),
            movement=data.get("movement"),
            programme=data.get("programme"),
            chair=data.get("chair", ""),
            agenda=data.get("agenda", ""),
            status=data["status"],
            attendance_mode=data["attendance_mode"],
            planned_participants=data.get("planned_participants"),
            co_organisers=tuple(data.get("co_organisers") or ()),
            speakers=speakers,
        )


class ActivityCreateForm(ActivityForm):
    unit = UnitCodeField(label=_("Organised by (unit code)"))
    field_order = ["unit", "kind", "title"]


class ActivityEditForm(ActivityForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def edit_initial(activity: Activity, co_organisers: list[str], speakers: list[Speaker]) -> dict[str, Any]:
    starts = timezone.localtime(activity.starts_at)
    ends = timezone.localtime(activity.ends_at) if activity.ends_at else None
    initial: dict[str, Any] = {
        "kind": activity.kind_id,
        "title": activity.title,
        "reference": activity.reference,
        "starts_at": starts.date(),
        "starts_time": starts.time(),
        "ends_at": ends.date() if ends and ends.date() != starts.date() else None,
        "ends_time": ends.time() if ends else None,
        "place": activity.place,
        "topic": activity.topic,
        "co_organisers": " ".join(co_organisers),
        "movement": activity.movement.code if activity.movement else "",
        "programme": activity.programme.code if activity.programme else "",
        "chair": activity.chair,
        "agenda": activity.agenda,
        "status": activity.status,
        "attendance_mode": activity.attendance_mode,
        "planned_participants": activity.planned_participants,
        "version": activity.version,
    }
    for i, speaker in enumerate(speakers):
        initial[f"speaker_{i}_name"] = speaker.name
        initial[f"speaker_{i}_title"] = speaker.title
    return initial


class DeleteForm(StyledForm):
    confirm = forms.BooleanField(label=_("Yes, delete this activity"))


class CheckInForm(StyledForm):
    """A member code typed, read by a USB scanner, or decoded from the card's QR by the camera."""

    member_code = forms.CharField(
        label=_("Member code"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={**CODE_INPUT, "autofocus": True, "inputmode": "text"}),
    )
    method = forms.ChoiceField(choices=[("code", "code"), ("qr", "qr")], required=False, widget=forms.HiddenInput)


class GuestForm(StyledForm):
    name = CleanCharField(label=_("Full name"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), choices=[c for c in ParticipantCategory.choices if c[0] != ParticipantCategory.MEMBER]
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices(Gender.choices), required=False)
    phone = CleanCharField(label=_("Phone"), max_length=20, required=False, widget=forms.TextInput({"dir": "ltr"}))


class TickUnitForm(StyledForm):
    unit = CleanCharField(label=_("Unit (code)"), max_length=40, required=False, widget=forms.TextInput(CODE_INPUT))
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class HeadcountForm(StyledForm):
    """Participants and the women among them, per category; negative numbers are refused here and by the service."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for category, label in ParticipantCategory.choices:
            self.fields[f"{category}_total"] = forms.IntegerField(
                label=label, min_value=0, max_value=MAX_PEOPLE, required=False, widget=forms.NumberInput({"dir": "ltr"})
            )
            self.fields[f"{category}_women"] = forms.IntegerField(
                label=_("of whom women"),
                min_value=0,
                max_value=MAX_PEOPLE,
                required=False,
                widget=forms.NumberInput({"dir": "ltr"}),
            )
            for name in (f"{category}_total", f"{category}_women"):
                self.fields[name].widget.attrs["class"] = "form-control"

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [(str(label), self[f"{c}_total"], self[f"{c}_women"]) for c, label in ParticipantCategory.choices]

    def counts(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            c: (data.get(f"{c}_total") or 0, data.get(f"{c}_women") or 0)
            for c in ParticipantCategory.values
            if data.get(f"{c}_total") or data.get(f"{c}_women")
        }


class FileForm(StyledForm):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("What it is"), choices=FileKind.choices, initial=FileKind.PHOTO)
    caption = CleanCharField(label=_("Caption"), max_length=300, required=False)


class ListForm(StyledForm):
    """The filters of the activity list, read from the query string."""

    text = CleanCharField(label=_("Title, place or number"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    unit = CleanCharField(
        label=_("Organised by or under (unit code)"), required=False, max_length=40, widget=forms.TextInput(CODE_INPUT)
    )
    date_from = DayField(label=_("From"), required=False, help_text="")
    date_to = DayField(label=_("To"), required=False, help_text="")
    status = forms.ChoiceField(label=_("Status"), choices=_choices(ActivityStatus.choices, _("All")), required=False)
    movement = CleanCharField(
        label=_("Movement (code)"), required=False, max_length=60, widget=forms.TextInput(CODE_INPUT)
    )
    programme = CleanCharField(
        label=_("Joint programme (code)"), required=False, max_length=60, widget=forms.TextInput(CODE_INPUT)
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kinds = ActivityKind.objects.order_by("rank", "code")
        self.fields["kind"].choices = _choices([(k.code, k.name) for k in kinds], _("All"))  # type: ignore[attr-defined]


class RosterForm(StyledForm):
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
