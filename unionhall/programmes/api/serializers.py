"""What the programmes endpoints accept and return; the rules are in `unionhall.programmes.services`.

Input serializers only parse and refuse keys they do not declare. Parties are named by unit code
among the active units of every organisation (partner bodies lie outside most scopes); the
recording unit and mobilised members are looked up among those the actor sees.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.members.api.serializers import MemberCodeField
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField
from unionhall.orgunits.models import Unit
from unionhall.programmes import services
from unionhall.programmes.choices import PartyRole
from unionhall.programmes.models import Programme

VIEW = services.VIEW
UNIT_VIEW = "unit.view"
MEMBER_VIEW = "member.view"


class PartyUnitField(CodeLookupField):
    """A unit of any organisation, by code, among the active ones."""

    def lookup(self, code: str) -> Unit:
        code = code.strip().upper()
        unit = Unit.objects.filter(code=code, status="active").first()
        if unit is None:
            raise serializers.ValidationError(_("Unit %(code)s was not found.") % {"code": code})
        return unit


class ProgrammeCodeField(CodeLookupField):
    """A programme, by code, among those the actor sees."""

    max_length = services.CODE_MAX_LENGTH

    def lookup(self, code: str) -> Programme:
        actor = self.context["request"].user
        code = code.strip().lower()
        programme = Programme.objects.visible_to(actor, VIEW).select_related("owner").filter(code=code).first()
        if programme is None:
            raise serializers.ValidationError(_("Programme %(code)s was not found.") % {"code": code})
        return programme

    def to_representation(self, value: Any) -> str:
        return getattr(value, "member_code", value)


# ---------------------------------------------------------------- output


class PartySerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    role = serializers.ChoiceField(choices=PartyRole.choices)
    signatory = serializers.CharField()


class ProgrammeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    reference = serializers.CharField()
    owner = serializers.CharField(source="owner.code")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    goals = serializers.CharField()
    parties = serializers.SerializerMethodField(help_text=_("The lead first."))
    version = serializers.IntegerField(help_text=_("Send it back with PATCH; if changed meanwhile, the answer is 409."))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, programme: Programme) -> Any:
        rows = sorted(programme.party_rows.all(), key=lambda p: (p.role, p.pk))
        return PartySerializer(rows, many=True).data


class LineSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.IntegerField()
    money = serializers.BooleanField(help_text=_("The value is an amount in VND."))


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    lines = LineSerializer(many=True)


class ProgrammeDetailSerializer(ProgrammeSerializer):
    """One programme with its totals for the period, one section per registered result."""

    totals = serializers.SerializerMethodField()

    @extend_schema_field(SectionSerializer(many=True))
    def get_totals(self, programme: Programme) -> Any:
        return SectionSerializer(self.context["totals"], many=True).data


class OfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = serializers.CharField(source="programme.code")
    unit = serializers.CharField(source="unit.code")
    member_code = serializers.CharField(source="person.member_code", allow_null=True, default=None)
    name = serializers.SerializerMethodField(help_text=_("The member's name, or the name recorded."))
    role_title = serializers.CharField()

    def get_name(self, officer: Any) -> str:
        return officer.person.full_name if officer.person is not None else officer.name


# ---------------------------------------------------------------- filters


class ProgrammeFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(
        action=UNIT_VIEW,
        required=False,
        help_text=_("Programmes this unit takes part in, or in which a unit under it is a party."),
    )
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=9999, help_text=_("Programmes running at some time that year.")
    )


class OfficerFilterSerializer(serializers.Serializer):
    programme = ProgrammeCodeField(required=False)


# ---------------------------------------------------------------- input


class PartyInputSerializer(StrictSerializer):
    unit = PartyUnitField()
    role = serializers.ChoiceField(choices=PartyRole.choices, required=False, default=PartyRole.PARTNER)
    signatory = serializers.CharField(max_length=services.NAME_MAX_LENGTH, required=False, allow_blank=True, default="")

    def to_details(self, data: dict[str, Any]) -> services.PartyDetails:
        return services.PartyDetails(data["unit"], data.get("role", PartyRole.PARTNER), data.get("signatory", ""))


class ProgrammeFieldsSerializer(StrictSerializer):
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH)
    reference = serializers.CharField(
        max_length=services.REFERENCE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, help_text=_("Null: without an end."))
    goals = serializers.CharField(max_length=services.GOALS_MAX_LENGTH, required=False, allow_blank=True, default="")


class ProgrammeCreateSerializer(ProgrammeFieldsSerializer):
    code = serializers.CharField(max_length=services.CODE_MAX_LENGTH)
    owner = UnitCodeField(action=UNIT_VIEW, help_text=_("The recording unit; you need programme.change on it."))
    parties = PartyInputSerializer(
        many=True, help_text=_("At least two, exactly one with role lead, the recording unit among them.")
    )


class ProgrammeUpdateSerializer(ProgrammeFieldsSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH, required=False)
    reference = serializers.CharField(max_length=services.REFERENCE_MAX_LENGTH, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    goals = serializers.CharField(max_length=services.GOALS_MAX_LENGTH, required=False, allow_blank=True)


def programme_details(data: dict[str, Any], current: Programme | None = None) -> services.ProgrammeDetails:
    """The details sent; for a change, the current ones for any left out."""

    def pick(name: str, default: Any) -> Any:
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    return services.ProgrammeDetails(
        title=pick("title", ""),
        start_date=pick("start_date", None),
        end_date=pick("end_date", None),
        reference=pick("reference", "") or "",
        goals=pick("goals", "") or "",
    )


class PartyUnitSerializer(StrictSerializer):
    unit = PartyUnitField()


class OfficerCreateSerializer(StrictSerializer):
    """A member (member_code) or someone named (name), mobilised by one of the parties (unit)."""

    programme = ProgrammeCodeField()
    unit = PartyUnitField(help_text=_("The party that mobilises the officer."))
    member_code = MemberCodeField(action=MEMBER_VIEW, required=False, allow_null=True)
    name = serializers.CharField(max_length=services.NAME_MAX_LENGTH, required=False, allow_blank=True, default="")
    role_title = serializers.CharField(
        max_length=services.NAME_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
