"""What the models endpoints accept and return; the rules are in `unionhall.practices.services`.

Input serializers only parse and refuse keys they do not declare; units, movements, programmes,
models and people are named by code and looked up among those the actor sees.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.members.api.serializers import MemberCodeField
from unionhall.movements.models import Movement
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField
from unionhall.practices import selectors, services
from unionhall.practices.choices import EvaluationResult, PracticeField, PracticeKind, PracticeStatus
from unionhall.practices.models import Practice
from unionhall.programmes.models import Programme

VIEW = services.VIEW
UNIT_VIEW = "unit.view"
MEMBER_VIEW = "member.view"


class _VisibleCodeField(CodeLookupField):
    model: Any = None
    action = ""
    message: Any = ""
    max_length = services.CODE_MAX_LENGTH

    def lookup(self, code: str) -> Any:
        actor = self.context["request"].user
        code = code.strip().lower()
        found = self.model.objects.visible_to(actor, self.action).filter(code=code).first()
        if found is None:
            raise serializers.ValidationError(self.message % {"code": code})
        return found


class MovementCodeField(_VisibleCodeField):
    model = Movement
    action = "movement.view"
    message = _("Movement %(code)s was not found.")


class ProgrammeCodeField(_VisibleCodeField):
    model = Programme
    action = "programme.view"
    message = _("Programme %(code)s was not found.")


class PracticeCodeField(_VisibleCodeField):
    model = Practice
    action = VIEW
    message = _("Model %(code)s was not found.")


# ---------------------------------------------------------------- output


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member_code = serializers.CharField(source="person.member_code", allow_null=True, default=None)
    name = serializers.SerializerMethodField(help_text=_("The member's name, or the name recorded."))
    role = serializers.CharField()

    def get_name(self, member: Any) -> str:
        return member.person.full_name if member.person is not None else member.name


class PracticeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=PracticeKind.choices)
    field = serializers.ChoiceField(choices=PracticeField.choices)
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    movement = serializers.CharField(source="movement.code", allow_null=True, default=None)
    programme = serializers.CharField(source="programme.code", allow_null=True, default=None)
    description = serializers.CharField()
    started_on = serializers.DateField()
    registered_on = serializers.DateField()
    recognised_on = serializers.DateField(allow_null=True)
    recognised_by = serializers.CharField(source="recognised_by.code", allow_null=True, default=None)
    recognition_ref = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)
    status = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text=_("Send it back with PATCH; if changed meanwhile, the answer is 409."))

    @extend_schema_field(serializers.ChoiceField(choices=PracticeStatus.choices))
    def get_status(self, practice: Practice) -> str:
        return selectors.practice_status(practice, getattr(practice, "last_result", None))


class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    practice = serializers.CharField(source="practice.code")
    year = serializers.IntegerField()
    result = serializers.ChoiceField(choices=EvaluationResult.choices)
    note = serializers.CharField()
    evaluated_on = serializers.DateField()
    evaluated_by = serializers.CharField(source="evaluated_by.code")


class PracticeDetailSerializer(PracticeSerializer):
    """One model with its members and evaluations."""

    members = serializers.SerializerMethodField()
    evaluations = serializers.SerializerMethodField()

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, practice: Practice) -> Any:
        return MemberSerializer(self.context["detail"].members, many=True).data

    @extend_schema_field(EvaluationSerializer(many=True))
    def get_evaluations(self, practice: Practice) -> Any:
        return EvaluationSerializer(self.context["detail"].evaluations, many=True).data

    def get_status(self, practice: Practice) -> str:
        return self.context["detail"].status


# ---------------------------------------------------------------- filters


def optional_choice(choices: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class PracticeFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=UNIT_VIEW, required=False, help_text=_("Registered by this unit or a unit under it."))
    field = optional_choice(PracticeField.choices)
    kind = optional_choice(PracticeKind.choices)
    status = optional_choice(PracticeStatus.choices)
    movement = MovementCodeField(required=False)
    programme = ProgrammeCodeField(required=False)
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=9999, help_text=_("Registered that year.")
    )
    effective_in = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=9999,
        help_text=_("Only the models evaluated effective for this year."),
    )


class EvaluationFilterSerializer(serializers.Serializer):
    practice = PracticeCodeField(required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)


# ---------------------------------------------------------------- input


class PracticeFieldsSerializer(StrictSerializer):
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=PracticeKind.choices, required=False, default=PracticeKind.MODEL)
    field = serializers.ChoiceField(choices=PracticeField.choices)
    movement = MovementCodeField(required=False, allow_null=True)
    programme = ProgrammeCodeField(required=False, allow_null=True)
    started_on = serializers.DateField()
    registered_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today unless given."))
    description = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class PracticeCreateSerializer(PracticeFieldsSerializer):
    code = serializers.CharField(max_length=services.CODE_MAX_LENGTH)
    unit = UnitCodeField(action=UNIT_VIEW, help_text=_("The registering unit; you need practice.change on it."))


class PracticeUpdateSerializer(PracticeFieldsSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH, required=False)
    kind = serializers.ChoiceField(choices=PracticeKind.choices, required=False)
    field = serializers.ChoiceField(choices=PracticeField.choices, required=False)
    started_on = serializers.DateField(required=False)
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)


def practice_details(data: dict[str, Any], current: Practice | None = None) -> services.PracticeDetails:
    """The details sent; for a change, the current ones for any left out."""

    def pick(name: str, default: Any) -> Any:
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    return services.PracticeDetails(
        title=pick("title", ""),
        field=pick("field", ""),
        started_on=pick("started_on", None),
        kind=pick("kind", PracticeKind.MODEL),
        registered_on=pick("registered_on", None),
        movement=pick("movement", None),
        programme=pick("programme", None),
        description=pick("description", "") or "",
    )


class MemberAddSerializer(StrictSerializer):
    member_code = MemberCodeField(action=MEMBER_VIEW, required=False, allow_null=True)
    name = serializers.CharField(max_length=services.NAME_MAX_LENGTH, required=False, allow_blank=True, default="")
    role = serializers.CharField(max_length=services.NAME_MAX_LENGTH, required=False, allow_blank=True, default="")


class MemberRemoveSerializer(StrictSerializer):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("The member row's id."))


class RecogniseSerializer(StrictSerializer):
    by = UnitCodeField(action=UNIT_VIEW, help_text=_("The recognising unit: the registering unit or one above it."))
    recognised_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today unless given."))
    reference = serializers.CharField(
        max_length=services.REFERENCE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class DiscontinueSerializer(StrictSerializer):
    ended_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today unless given."))
    reason = serializers.CharField(max_length=services.NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class EvaluationCreateSerializer(StrictSerializer):
    practice = PracticeCodeField()
    year = serializers.IntegerField(min_value=1900, max_value=9999)
    result = serializers.ChoiceField(choices=EvaluationResult.choices)
    note = serializers.CharField(max_length=services.NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")
    evaluated_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today unless given."))
    evaluator = UnitCodeField(
        action=UNIT_VIEW, required=False, allow_null=True, help_text=_("The registering unit unless given.")
    )
