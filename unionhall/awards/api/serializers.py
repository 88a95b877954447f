"""What the awards endpoints accept and return; the rules are in `unionhall.awards.services`.

Input serializers only parse and refuse keys they do not declare: a nomination's status, check or
version (outside PATCH), an award's bonus or a decision's rule are never written from a body.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.awards.choices import NominationStatus, RevocationReason
from unionhall.awards.models import Award, AwardRule, AwardType, BaseSalary, Decision, Nomination
from unionhall.awards.services import (
    DECIDE,
    MAX_AWARDEES,
    MAX_EVIDENCE,
    NOMINATE,
    NOTE_MAX,
    NUMBER_MAX,
    SIGNER_MAX,
    VIEW,
)
from unionhall.core.api import StrictSerializer
from unionhall.initiatives.models import Initiative
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Person
from unionhall.movements.models import Movement
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField
from unionhall.orgunits.models import Unit

MEMBER_CODE_MAX_LENGTH = 20
INITIATIVE_VIEW = "initiative.view"


class AwardTypeCodeField(CodeLookupField):
    """An award type of the catalogue, by code."""

    max_length = 60

    def lookup(self, code: str) -> AwardType:
        found = AwardType.objects.filter(code=code).first()
        if found is None:
            raise serializers.ValidationError(_("There is no award type %(code)s.") % {"code": code})
        return found


class PersonCodeField(CodeLookupField):
    """A person by member code, among those with a membership where the actor holds `action`."""

    max_length = MEMBER_CODE_MAX_LENGTH

    def __init__(self, *, action: str, **kwargs: Any):
        self.action = action
        super().__init__(**kwargs)

    def lookup(self, code: str) -> Person:
        actor = self.context["request"].user
        people = Person.objects.visible_to(actor, self.action)
        person = people.filter(member_code=member_code_normalise(code)).first()
        if person is None:
            raise serializers.ValidationError(_("Person %(code)s was not found.") % {"code": code.strip()})
        return person

    def to_representation(self, value: Any) -> str:
        return getattr(value, "member_code", value)


class AnyPersonField(PersonCodeField):
    """A person named in a decision: the service checks they belong to the granting unit (else "not found")."""

    def __init__(self, **kwargs: Any):
        super().__init__(action=DECIDE, **kwargs)

    def lookup(self, code: str) -> Person:
        person = Person.objects.filter(member_code=member_code_normalise(code)).first()
        if person is None:
            raise serializers.ValidationError(_("Person %(code)s was not found.") % {"code": code.strip()})
        return person


class AnyUnitField(CodeLookupField):
    """A unit named in a decision: the service checks it lies in the granting unit (else "not found")."""

    def lookup(self, code: str) -> Unit:
        unit = Unit.objects.select_related("type").filter(code=code.upper()).first()
        if unit is None:
            raise serializers.ValidationError(_("Unit %(code)s was not found.") % {"code": code.upper()})
        return unit


class MovementField(CodeLookupField):
    max_length = 60

    def lookup(self, code: str) -> Movement:
        actor = self.context["request"].user
        movement = Movement.objects.visible_to(actor, "movement.view").filter(code=code.strip().lower()).first()
        if movement is None:
            raise serializers.ValidationError(_("Movement %(code)s was not found.") % {"code": code.strip()})
        return movement


class InitiativeListField(serializers.ListField):
    """Initiatives by id, among those the actor sees."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=2**63 - 1))
        kwargs.setdefault("max_length", MAX_EVIDENCE)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Initiative]:
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        actor = self.context["request"].user
        found = Initiative.objects.visible_to(actor, INITIATIVE_VIEW).in_bulk(ids)
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise serializers.ValidationError(
                _("These initiatives were not found: %(ids)s") % {"ids": ", ".join(missing[:10])}
            )
        return [found[i] for i in ids]

    def to_representation(self, data: Any) -> list[int]:
        return [getattr(i, "pk", i) for i in data]


# ---------------------------------------------------------------- output


class RuleOutSerializer(serializers.ModelSerializer):
    granting_unit_types = serializers.SerializerMethodField(help_text=_("Unit type codes; empty: any."))
    quota_of = serializers.CharField(source="quota_of.code", allow_null=True, default=None)

    class Meta:
        model = AwardRule
        fields = [
            "valid_from",
            "valid_to",
            "legal_basis",
            "verified",
            "bonus_multiple",
            "collective_multiple",
            "granting_unit_types",
            "quota_of",
            "quota_percent",
            "quota_per_year",
            "period_years",
            "criteria",
            "note",
        ]
        read_only_fields = fields

    def get_granting_unit_types(self, rule: AwardRule) -> list[str]:
        return [t.code for t in rule.granting_unit_types.all()]


class AwardTypeSerializer(serializers.ModelSerializer):
    names = serializers.SerializerMethodField(help_text=_("The name in each language (blank: not translated)."))
    name = serializers.CharField(help_text=_("In the request's language."))
    rules = RuleOutSerializer(many=True)

    class Meta:
        model = AwardType
        fields = ["code", "name", "names", "recipient", "kind", "system", "recurrence", "rank", "active", "rules"]
        read_only_fields = fields

    def get_names(self, award_type: AwardType) -> dict[str, str]:
        return award_type.names()


class BaseSalarySerializer(serializers.ModelSerializer):
    class Meta:
        model = BaseSalary
        fields = ["valid_from", "amount_vnd", "legal_basis"]
        read_only_fields = fields


class CheckReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    outcome = serializers.CharField()
    message = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField())


class StoredCheckSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(allow_null=True)
    checked_on = serializers.DateField()
    reasons = CheckReasonSerializer(many=True)


class NominationSerializer(serializers.ModelSerializer):
    award_type = serializers.CharField(source="award_type.code")
    person = serializers.CharField(source="person.member_code", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    proposing_unit = serializers.CharField(source="proposing_unit.code")
    initiatives = serializers.SerializerMethodField()
    check = serializers.SerializerMethodField(help_text=_("The last eligibility check (empty when none)."))
    version = serializers.IntegerField(help_text=_("Send it back with PATCH and the workflow steps."))

    class Meta:
        model = Nomination
        fields = [
            "id",
            "award_type",
            "person",
            "unit",
            "year",
            "proposing_unit",
            "initiatives",
            "note",
            "status",
            "check",
            "checked_on",
            "submitted_on",
            "reviewed_on",
            "review_note",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_initiatives(self, nomination: Nomination) -> list[int]:
        return sorted(i.pk for i in nomination.initiatives.all())

    @extend_schema_field(StoredCheckSerializer)
    def get_check(self, nomination: Nomination) -> dict[str, Any]:
        return nomination.eligibility_check or {}


class AwardSerializer(serializers.ModelSerializer):
    decision_number = serializers.CharField(source="decision.number")
    award_type = serializers.CharField(source="award_type.code")
    person = serializers.CharField(source="person.member_code", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    awardee_unit = serializers.CharField(source="awardee_unit.code")

    class Meta:
        model = Award
        fields = [
            "id",
            "decision",
            "decision_number",
            "award_type",
            "person",
            "unit",
            "awardee_unit",
            "year",
            "nomination",
            "bonus_vnd",
            "revoked_on",
            "revocation_reason",
            "revocation_note",
            "recovered_vnd",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    granting_unit = serializers.CharField(source="granting_unit.code")
    award_type = serializers.CharField(source="award_type.code")
    movement = serializers.CharField(source="movement.code", allow_null=True, default=None)
    legal_basis = serializers.CharField(source="rule.legal_basis", allow_null=True, default=None)
    awards = serializers.SerializerMethodField(help_text=_("The awardees you see."))

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "signed_on",
            "signer",
            "granting_unit",
            "award_type",
            "movement",
            "legal_basis",
            "base_salary_vnd",
            "quota_override",
            "quota_justification",
            "note",
            "created_at",
            "awards",
        ]
        read_only_fields = fields

    @extend_schema_field(AwardSerializer(many=True))
    def get_awards(self, decision: Decision) -> list[dict[str, Any]]:
        awards = self.context.get("awards", {}).get(decision.pk, [])
        return AwardSerializer(awards, many=True).data  # type: ignore[return-value]


class DecisionRowSerializer(DecisionSerializer):
    class Meta(DecisionSerializer.Meta):
        fields = [f for f in DecisionSerializer.Meta.fields if f != "awards"]
        read_only_fields = fields


# ---------------------------------------------------------------- filters


def _year(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1900, max_value=9999, **kwargs)


class NominationFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=VIEW, required=False, help_text=_("Proposed by this unit or one of its sub-units."))
    status = serializers.ChoiceField(choices=NominationStatus.choices, required=False)
    year = _year(required=False)
    award_type = AwardTypeCodeField(required=False)


class DecisionFilterSerializer(serializers.Serializer):
    year = _year(required=False, help_text=_("The signing year."))
    award_type = AwardTypeCodeField(required=False)
    granting_unit = UnitCodeField(action=VIEW, required=False)


class AwardFilterSerializer(serializers.Serializer):
    person = serializers.CharField(required=False, max_length=MEMBER_CODE_MAX_LENGTH, help_text=_("A member code."))
    unit = serializers.CharField(required=False, max_length=40, help_text=_("The code of a unit awarded."))
    award_type = AwardTypeCodeField(required=False)
    year = _year(required=False, help_text=_("The achievement year."))
    revoked = serializers.BooleanField(required=False, allow_null=True, default=None)


class CertificateSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, help_text=_("Yours unless given.")
    )


# ---------------------------------------------------------------- input


class NominationCreateSerializer(StrictSerializer):
    award_type = AwardTypeCodeField()
    year = _year(help_text=_("The achievement year (the last one of a multi-year period)."))
    proposing_unit = UnitCodeField(action=NOMINATE)
    person = PersonCodeField(action=NOMINATE, required=False, help_text=_("A member code (or give unit)."))
    unit = UnitCodeField(action=NOMINATE, required=False, help_text=_("A unit's code (or give person)."))
    initiatives = InitiativeListField(required=False, help_text=_("Initiative ids, as evidence."))
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class NominationUpdateSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=_("Required."))
    year = _year(required=False)
    initiatives = InitiativeListField(required=False)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class StepSerializer(StrictSerializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, help_text=_("The version you read, if you want it checked.")
    )


class ApproveSerializer(StepSerializer):
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class RejectSerializer(StepSerializer):
    reason = serializers.CharField(max_length=NOTE_MAX)


class AwardeeSerializer(StrictSerializer):
    person = AnyPersonField(required=False, help_text=_("A member code (or give unit)."))
    unit = AnyUnitField(required=False, help_text=_("A unit's code (or give person)."))
    year = _year(help_text=_("The achievement year."))
    nomination = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text=_("The approved nomination it answers.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("unit" in attrs):
            raise serializers.ValidationError(_("Give either a person or a unit."))
        if "nomination" in attrs:
            actor = self.context["request"].user
            nomination = Nomination.objects.visible_to(actor, VIEW).filter(pk=attrs["nomination"]).first()
            if nomination is None:
                raise serializers.ValidationError(
                    {"nomination": [_("Nomination %(id)s was not found.") % {"id": attrs["nomination"]}]}
                )
            attrs["nomination"] = nomination
        return attrs


class DecisionCreateSerializer(StrictSerializer):
    number = serializers.CharField(max_length=NUMBER_MAX)
    signed_on = serializers.DateField()
    signer = serializers.CharField(max_length=SIGNER_MAX)
    granting_unit = UnitCodeField(action=DECIDE)
    award_type = AwardTypeCodeField()
    movement = MovementField(required=False, allow_null=True)
    awardees = AwardeeSerializer(many=True, max_length=MAX_AWARDEES, min_length=1)  # type: ignore[call-arg]
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)
    quota_override = serializers.BooleanField(required=False, default=False)
    quota_justification = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class RevokeSerializer(StrictSerializer):
    revocation_reason = serializers.ChoiceField(choices=RevocationReason.choices)
    revoked_on = serializers.DateField()
    recovered_vnd = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("VND recovered; from 0 to the bonus paid.")
    )
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)
