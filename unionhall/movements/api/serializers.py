"""What the movements endpoints accept and return; the rules are in `unionhall.movements.services`.

Input serializers only parse and refuse keys they do not declare; units, movements and people are
named by code and looked up among those the actor sees.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Membership, Person
from unionhall.movements import selectors, services
from unionhall.movements.choices import MilestoneKind, MilestoneState, MovementKind, MovementScope, MovementStatus
from unionhall.movements.models import Milestone, Movement
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField, UnitCodeListField

VIEW = services.VIEW
CHANGE = services.CHANGE
UNIT_VIEW = "unit.view"
MEMBER_VIEW = "member.view"
MEMBER_CODE_MAX_LENGTH = 20
NOTE_MAX_LENGTH = services.NOTE_MAX_LENGTH


class MovementCodeField(CodeLookupField):
    """A movement, by code, among those the actor sees."""

    max_length = services.CODE_MAX_LENGTH

    def lookup(self, code: str) -> Movement:
        actor = self.context["request"].user
        code = code.strip().lower()
        movement = Movement.objects.visible_to(actor, VIEW).select_related("launcher").filter(code=code).first()
        if movement is None:
            raise serializers.ValidationError(_("Movement %(code)s was not found.") % {"code": code})
        return movement


class MemberCodeField(CodeLookupField):
    """A person, by member code, among those the actor sees."""

    max_length = MEMBER_CODE_MAX_LENGTH

    def lookup(self, code: str) -> Person:
        actor = self.context["request"].user
        person = Person.objects.visible_to(actor, MEMBER_VIEW).filter(member_code=member_code_normalise(code)).first()
        if person is None:
            raise serializers.ValidationError(_("Person %(code)s was not found.") % {"code": code.strip()})
        return person

    def to_representation(self, value: Any) -> str:
        return getattr(value, "member_code", value)


# ---------------------------------------------------------------- output


class MovementSerializer(serializers.Serializer):
    """One movement; `status` is the status today (a planned movement whose start has come is running)."""

    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=MovementKind.choices)
    launcher = serializers.CharField(source="launcher.code")
    launcher_name = serializers.CharField(source="launcher.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    scope = serializers.ChoiceField(choices=MovementScope.choices)
    units = serializers.SerializerMethodField(help_text=_("The listed units' codes (joint movements)."))
    criteria = serializers.CharField()
    status = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text=_("Send it back with PATCH; if changed meanwhile, the answer is 409."))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_units(self, movement: Movement) -> list[str]:
        return sorted(unit.code for unit in movement.units.all())

    @extend_schema_field(serializers.ChoiceField(choices=MovementStatus.choices))
    def get_status(self, movement: Movement) -> str:
        return selectors.movement_status(movement, today=self.context.get("today") or timezone.localdate())


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    movement = serializers.CharField(source="movement.code")
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    due_date = serializers.DateField()
    held_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    state = serializers.SerializerMethodField(help_text=_("held, overdue (not held after its due date) or due."))

    @extend_schema_field(serializers.ChoiceField(choices=MilestoneState.choices))
    def get_state(self, milestone: Milestone) -> str:
        return selectors.milestone_state(milestone, today=self.context.get("today") or timezone.localdate())


class ResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.IntegerField()
    money = serializers.BooleanField(help_text=_("The value is an amount in VND."))


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    units = serializers.IntegerField(help_text=_("Units' own pledges."))
    people = serializers.IntegerField(help_text=_("Members' pledges."))
    initiatives_pledged = serializers.IntegerField()


class DueItemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("milestone", "milestone"), ("close", "close")])
    day = serializers.DateField()
    overdue = serializers.BooleanField()
    milestone = serializers.IntegerField(source="milestone.pk", allow_null=True, default=None)


class MovementDetailSerializer(MovementSerializer):
    """One movement with its results so far, reviews, what is due, and pledge counts per year (those you see)."""

    results = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    year_counts = serializers.SerializerMethodField()

    def _detail(self) -> selectors.MovementDetail:
        return self.context["detail"]

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, movement: Movement) -> Any:
        return ResultSerializer(self._detail().results, many=True).data

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, movement: Movement) -> Any:
        rows = [row.milestone for row in self._detail().milestones]
        return MilestoneSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(DueItemSerializer(many=True))
    def get_due(self, movement: Movement) -> Any:
        return DueItemSerializer(self._detail().due, many=True).data

    @extend_schema_field(YearCountSerializer(many=True))
    def get_year_counts(self, movement: Movement) -> Any:
        return YearCountSerializer(self._detail().year_counts, many=True).data


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    movement = serializers.CharField(source="movement.code")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    member_code = serializers.CharField(source="person.member_code", allow_null=True, default=None)
    full_name = serializers.CharField(source="person.full_name", allow_null=True, default=None)
    year = serializers.IntegerField()
    titles = serializers.ListField(child=serializers.CharField())
    initiatives_pledged = serializers.IntegerField()
    note = serializers.CharField()
    registered_on = serializers.DateField()


# ---------------------------------------------------------------- filters


def optional_choice(choices: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class MovementFilterSerializer(serializers.Serializer):
    status = optional_choice(MovementStatus.choices)
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=9999, help_text=_("Movements running at some time that year.")
    )
    kind = optional_choice(MovementKind.choices)
    unit = UnitCodeField(
        action=UNIT_VIEW, required=False, help_text=_("Movements launched by this unit or a unit under it.")
    )


class MilestoneFilterSerializer(serializers.Serializer):
    movement = MovementCodeField(required=False)


class RegistrationFilterSerializer(serializers.Serializer):
    movement = MovementCodeField(required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)
    unit = UnitCodeField(action=UNIT_VIEW, required=False, help_text=_("Pledges of this unit and the units under it."))
    subtree = serializers.BooleanField(
        required=False, allow_null=True, help_text=_("Include the units under it (the default).")
    )
    member_code = serializers.CharField(required=False, max_length=MEMBER_CODE_MAX_LENGTH)


# ---------------------------------------------------------------- input


class MovementFieldsSerializer(StrictSerializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=MovementKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, help_text=_("Null: without an end."))
    scope = serializers.ChoiceField(choices=MovementScope.choices, required=False, default=MovementScope.SUBTREE)
    units = UnitCodeListField(
        action=UNIT_VIEW, required=False, min_length=0, help_text=_("Joint movements: the units taking part.")
    )
    criteria = serializers.CharField(
        max_length=services.CRITERIA_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class MovementCreateSerializer(MovementFieldsSerializer):
    code = serializers.CharField(max_length=services.CODE_MAX_LENGTH)
    launcher = UnitCodeField(action=UNIT_VIEW, help_text=_("The launching unit; you need movement.change on it."))


class MovementUpdateSerializer(MovementFieldsSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=MovementKind.choices, required=False)
    start_date = serializers.DateField(required=False)
    scope = serializers.ChoiceField(choices=MovementScope.choices, required=False)
    criteria = serializers.CharField(max_length=services.CRITERIA_MAX_LENGTH, required=False, allow_blank=True)


def movement_details(data: dict[str, Any], current: Movement | None = None) -> services.MovementDetails:
    """The details sent; for a change, the current ones for any left out."""

    def pick(name: str, default: Any) -> Any:
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    if "units" in data:
        units = tuple(data["units"])
    elif current is not None:
        units = tuple(current.units.all())
    else:
        units = ()
    return services.MovementDetails(
        title=pick("title", ""),
        kind=pick("kind", ""),
        start_date=pick("start_date", None),
        end_date=pick("end_date", None),
        scope=pick("scope", MovementScope.SUBTREE),
        units=units,
        criteria=pick("criteria", "") or "",
    )


class MovementCloseSerializer(StrictSerializer):
    closed_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today unless given."))


class MilestoneCreateSerializer(StrictSerializer):
    movement = MovementCodeField()
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    due_date = serializers.DateField()
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class MilestoneHoldSerializer(StrictSerializer):
    held_on = serializers.DateField()
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, help_text=_("Left out: unchanged.")
    )


class RegistrationCreateSerializer(StrictSerializer):
    """A unit's own pledge (no member_code) or a member's (their current unit unless `unit` is given)."""

    movement = MovementCodeField()
    unit = UnitCodeField(action=UNIT_VIEW, required=False)
    member_code = MemberCodeField(required=False, allow_null=True)
    year = serializers.IntegerField(min_value=1900, max_value=9999)
    titles = serializers.ListField(
        child=serializers.CharField(max_length=services.TITLE_CODE_MAX_LENGTH),
        required=False,
        default=list,
        max_length=services.MAX_TITLES,
        help_text=_("Codes of the titles or awards sought."),
    )
    initiatives_pledged = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=services.MAX_INITIATIVES_PLEDGED
    )
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")
    registered_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today unless given."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        person = attrs.get("member_code")
        if attrs.get("unit") is None:
            if person is None:
                raise serializers.ValidationError(
                    {"unit": [_("Give the unit's code, or a member's code for a member's pledge.")]}
                )
            actor = self.context["request"].user
            home = (
                Membership.objects.visible_to(actor, MEMBER_VIEW)
                .open()
                .filter(person=person)
                .select_related("unit")
                .first()
            )
            if home is None:
                raise serializers.ValidationError(
                    {"unit": [_("The member has no current membership you see; give the unit's code.")]}
                )
            attrs["unit"] = home.unit
        return attrs


class RegistrationWithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")
