"""What the activities endpoints accept and return; the rules are in `unionhall.activities.services`.

Input serializers only parse and refuse keys they do not declare. Kinds, movements, programmes and
activities are named by code or id and looked up among those the actor sees; co-organisers are any
active unit (partner bodies outside the actor's scope organise too).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.activities import selectors, services
from unionhall.activities.choices import (
    ActivityStatus,
    AttendanceMode,
    CheckInMethod,
    FileKind,
    KindRole,
    ParticipantCategory,
)
from unionhall.activities.models import Activity, ActivityKind, Attendee
from unionhall.core.api import StrictSerializer
from unionhall.members.choices import Gender
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.api.fields import CODE_MAX_LENGTH, CodeLookupField, UnitCodeField
from unionhall.orgunits.models import Unit
from unionhall.programmes.models import Programme

UNIT_VIEW = "unit.view"
MEMBER_VIEW = "member.view"
MOVEMENT_VIEW = "movement.view"
PROGRAMME_VIEW = "programme.view"
ID_MAX = 10**18 - 1
MEMBER_CODE_MAX_LENGTH = 20
TEXT_MAX_LENGTH = services.TEXT_MAX_LENGTH


# ---------------------------------------------------------------- lookups


class KindCodeField(CodeLookupField):
    """A kind of activity in use, by code."""

    def lookup(self, code: str) -> ActivityKind:
        kind = ActivityKind.objects.filter(code=code.strip().lower(), active=True).first()
        if kind is None:
            raise serializers.ValidationError(_("There is no kind of activity %(kind)s in use.") % {"kind": code})
        return kind


class AnyKindCodeField(CodeLookupField):
    """A kind of activity, by code, in use or not (to find the activities of a retired kind)."""

    def lookup(self, code: str) -> ActivityKind:
        kind = ActivityKind.objects.filter(code=code.strip().lower()).first()
        if kind is None:
            raise serializers.ValidationError(_("There is no kind of activity %(kind)s.") % {"kind": code})
        return kind


class MovementCodeField(CodeLookupField):
    """A movement, by code, among those the actor sees."""

    max_length = 60

    def lookup(self, code: str) -> Movement:
        actor = self.context["request"].user
        code = code.strip().lower()
        movement = Movement.objects.visible_to(actor, MOVEMENT_VIEW).select_related("launcher").filter(code=code)
        found = movement.prefetch_related("units").first()
        if found is None:
            raise serializers.ValidationError(_("Movement %(code)s was not found.") % {"code": code})
        return found


class ProgrammeCodeField(CodeLookupField):
    """A joint programme, by code, among those the actor sees."""

    max_length = 60

    def lookup(self, code: str) -> Programme:
        actor = self.context["request"].user
        code = code.strip().lower()
        programme = Programme.objects.visible_to(actor, PROGRAMME_VIEW).filter(code=code).first()
        if programme is None:
            raise serializers.ValidationError(_("Programme %(code)s was not found.") % {"code": code})
        return programme


class PartnerListField(serializers.ListField):
    """Co-organising units by code: any active unit, in the order given, each once."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("child", serializers.CharField(max_length=CODE_MAX_LENGTH))
        kwargs.setdefault("max_length", services.MAX_CO_ORGANISERS)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Unit]:
        codes = list(dict.fromkeys(code.strip().upper() for code in super().to_internal_value(data)))
        found = {u.code: u for u in Unit.objects.filter(code__in=codes, status="active")}
        missing = [code for code in codes if code not in found]
        if missing:
            raise serializers.ValidationError(
                _("These units were not found: %(codes)s") % {"codes": ", ".join(missing[:10])}
            )
        return [found[code] for code in codes]

    def to_representation(self, data: Any) -> list[str]:
        return [unit.code if isinstance(unit, Unit) else str(unit) for unit in data]


@extend_schema_field(OpenApiTypes.INT)
class ActivityLookupField(serializers.Field):
    """An activity, by id, among those on which the actor holds `action`."""

    def __init__(self, *, action: str, **kwargs: Any):
        self.action = action
        super().__init__(**kwargs)
        self.id_field = serializers.IntegerField(min_value=1, max_value=ID_MAX)

    def to_internal_value(self, data: Any) -> Activity:
        pk = self.id_field.run_validation(data)
        actor = self.context["request"].user
        found = Activity.objects.visible_to(actor, self.action).select_related("unit").filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Activity %(id)s was not found.") % {"id": pk})
        return found

    def to_representation(self, value: Any) -> int:
        return getattr(value, "pk", value)


# ---------------------------------------------------------------- output


class ActivityKindSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text=_("In the request's language."))
    role = serializers.ChoiceField(choices=KindRole.choices)
    rank = serializers.IntegerField()
    active = serializers.BooleanField()


class ActivitySerializer(serializers.Serializer):
    """One activity in a list; `participants` and `women` are the roster's size or the counted total."""

    id = serializers.IntegerField()
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    unit = serializers.CharField(source="unit.code", help_text=_("The recording unit (the lead organiser)."))
    unit_name = serializers.CharField(source="unit.name")
    reference = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    attendance_mode = serializers.ChoiceField(choices=AttendanceMode.choices)
    movement = serializers.CharField(source="movement.code", allow_null=True, default=None)
    programme = serializers.CharField(source="programme.code", allow_null=True, default=None)
    participants = serializers.IntegerField()
    women = serializers.IntegerField()
    version = serializers.IntegerField(help_text=_("Send it back with PATCH; if changed meanwhile, the answer is 409."))


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    member_code = serializers.CharField(source="person.member_code", allow_null=True, default=None)


class HeadcountSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ParticipantCategory.choices)
    total = serializers.IntegerField()
    women = serializers.IntegerField()


class ActivityFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FileKind.choices)
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    caption = serializers.CharField()
    created_at = serializers.DateTimeField()


class ActivityDetailSerializer(ActivitySerializer):
    """One activity with its organisers, speakers, counts and files."""

    topic = serializers.CharField()
    chair = serializers.CharField()
    agenda = serializers.CharField()
    planned_participants = serializers.IntegerField(allow_null=True)
    organisers = serializers.SerializerMethodField(
        help_text=_("Codes of every organising unit, the recording one too.")
    )
    speakers = SpeakerSerializer(many=True)
    headcounts = HeadcountSerializer(many=True)
    files = ActivityFileSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_organisers(self, activity: Activity) -> list[str]:
        return sorted(row.unit.code for row in activity.organiser_rows.all())


class AttendeeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.IntegerField(source="activity_id")
    member_code = serializers.CharField(source="person.member_code", allow_null=True, default=None)
    name = serializers.SerializerMethodField(help_text=_("The member's name, or the non-member's."))
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None, help_text=_("The member's unit."))
    category = serializers.ChoiceField(choices=ParticipantCategory.choices)
    gender = serializers.ChoiceField(choices=[("", ""), *Gender.choices])
    method = serializers.ChoiceField(choices=CheckInMethod.choices)
    checked_in_at = serializers.DateTimeField()

    def get_name(self, attendee: Attendee) -> str:
        return attendee.person.full_name if attendee.person is not None else attendee.name


# ---------------------------------------------------------------- filters


def optional_choice(choices: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class ActivityFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(
        action=UNIT_VIEW, required=False, help_text=_("Activities organised by this unit or a unit under it.")
    )
    kind = AnyKindCodeField(required=False, help_text=_("A kind's code."))
    status = optional_choice(ActivityStatus.choices)
    movement = MovementCodeField(required=False)
    programme = ProgrammeCodeField(required=False)
    date_from = serializers.DateField(required=False, help_text=_("Starting on this day or later."))
    date_to = serializers.DateField(required=False, help_text=_("Starting on this day or earlier."))
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=selectors.TEXT_MAX_LENGTH,
        help_text=_("In the title or place, or the reference."),
    )


class AttendeeFilterSerializer(serializers.Serializer):
    activity = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)


# ---------------------------------------------------------------- input


class SpeakerInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    member_code = serializers.CharField(
        max_length=MEMBER_CODE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("When the speaker is a member."),
    )

    def validate_member_code(self, code: str) -> Person | None:
        if not code:
            return None
        actor = self.context["request"].user
        person = Person.objects.visible_to(actor, MEMBER_VIEW).filter(member_code=member_code_normalise(code)).first()
        if person is None:
            raise serializers.ValidationError(_("Person %(code)s was not found.") % {"code": code.strip()})
        return person


class ActivityFieldsSerializer(StrictSerializer):
    kind = KindCodeField()
    title = serializers.CharField(max_length=300)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    reference = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text=_("The organiser's own number, unique in the unit.")
    )
    movement = MovementCodeField(required=False, allow_null=True)
    programme = ProgrammeCodeField(required=False, allow_null=True)
    chair = serializers.CharField(max_length=200, required=False, allow_blank=True)
    agenda = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    attendance_mode = serializers.ChoiceField(choices=AttendanceMode.choices, required=False)
    planned_participants = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=services.MAX_PEOPLE
    )
    co_organisers = PartnerListField(required=False, help_text=_("Codes of the other organising units."))
    speakers = SpeakerInputSerializer(many=True, required=False)


class ActivityCreateSerializer(ActivityFieldsSerializer):
    unit = UnitCodeField(action=services.CHANGE, help_text=_("The recording unit; you need activity.change on it."))


class ActivityUpdateSerializer(ActivityFieldsSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    kind = KindCodeField(required=False)
    title = serializers.CharField(max_length=300, required=False)
    starts_at = serializers.DateTimeField(required=False)


def activity_details(data: dict[str, Any], current: Activity | None = None) -> services.ActivityDetails:
    """The details sent; for a change, the current ones for any left out."""

    def pick(name: str, default: Any) -> Any:
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    if "co_organisers" in data:
        co_organisers = tuple(data["co_organisers"])
    elif current is not None:
        co_organisers = tuple(
            r.unit for r in current.organiser_rows.select_related("unit") if r.unit_id != current.unit_id
        )
    else:
        co_organisers = ()
    if "speakers" in data:
        speakers = tuple(
            services.SpeakerDetails(name=s["name"], title=s.get("title", ""), person=s.get("member_code"))
            for s in data["speakers"]
        )
    elif current is not None:
        speakers = tuple(
            services.SpeakerDetails(name=s.name, title=s.title, person=s.person)
            for s in current.speakers.select_related("person").order_by("position", "pk")
        )
    else:
        speakers = ()
    return services.ActivityDetails(
        kind=pick("kind", None),
        title=pick("title", ""),
        starts_at=pick("starts_at", None),
        ends_at=pick("ends_at", None),
        place=pick("place", ""),
        topic=pick("topic", ""),
        reference=pick("reference", ""),
        movement=pick("movement", None),
        programme=pick("programme", None),
        chair=pick("chair", ""),
        agenda=pick("agenda", ""),
        status=pick("status", ActivityStatus.HELD),
        attendance_mode=pick("attendance_mode", AttendanceMode.ROSTER),
        planned_participants=pick("planned_participants", None),
        co_organisers=co_organisers,
        speakers=speakers,
    )


class HeadcountInputSerializer(StrictSerializer):
    category = serializers.ChoiceField(choices=ParticipantCategory.choices)
    total = serializers.IntegerField(min_value=0, max_value=services.MAX_PEOPLE)
    women = serializers.IntegerField(min_value=0, max_value=services.MAX_PEOPLE, required=False, default=0)


class HeadcountsSerializer(StrictSerializer):
    counts = HeadcountInputSerializer(
        many=True, help_text=_("Participants per category; a category left out is cleared.")
    )

    def validate_counts(self, rows: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
        categories = [row["category"] for row in rows]
        if len(set(categories)) != len(categories):
            raise serializers.ValidationError(_("Each category at most once."))
        return {row["category"]: (row["total"], row["women"]) for row in rows}


class CheckInSerializer(StrictSerializer):
    """A member by code (typed or scanned from the card), or a non-member by name and category."""

    activity = ActivityLookupField(action=services.CHECKIN)
    member_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    method = serializers.ChoiceField(
        choices=[(CheckInMethod.CODE, CheckInMethod.CODE.label), (CheckInMethod.QR, CheckInMethod.QR.label)],
        required=False,
        default=CheckInMethod.CODE,
        help_text=_("For a member: typed or scanned."),
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text=_("A non-member's name."))
    category = serializers.ChoiceField(choices=ParticipantCategory.choices, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("member_code"):
            return attrs
        if not attrs.get("name"):
            raise serializers.ValidationError(
                {"member_code": [_("Give the member code of a member, or the name of a non-member.")]}
            )
        if not attrs.get("category"):
            raise serializers.ValidationError({"category": [_("The category of a non-member is required.")]})
        return attrs
