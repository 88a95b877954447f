"""What the initiatives endpoints accept and return; the rules are in `unionhall.initiatives.services`.

Input serializers only parse and refuse keys they do not declare: `status`, the procedure's dates,
`version` (outside PATCH) are never written from a body. Amounts are whole numbers of dong; their range
(not negative, at most 10^15) is the services' to check, so every client gets the same message.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.initiatives import selectors, services
from unionhall.initiatives.choices import Field, Level, Status, Verdict
from unionhall.initiatives.models import (
    Initiative,
    InitiativeAttachment,
    InitiativeBenefit,
    InitiativeTransfer,
    RemunerationPayment,
)
from unionhall.movements.models import Movement
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField

CHANGE, VIEW = services.CHANGE, services.VIEW
ID_MAX = 10**18 - 1
TEXT_MAX = services.TEXT_MAX


def money(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("help_text", _("Whole dong, from 0 to 10^15."))
    return serializers.IntegerField(**kwargs)


class MovementCodeField(CodeLookupField):
    """A movement, by code, among those the actor sees."""

    max_length = 60

    def lookup(self, code: str) -> Movement:
        actor = self.context["request"].user
        movement = Movement.objects.visible_to(actor, services.MOVEMENT_VIEW).filter(code=code.strip().lower()).first()
        if movement is None:
            raise serializers.ValidationError(_("Movement %(code)s was not found.") % {"code": code.strip()})
        return movement


@extend_schema_field(OpenApiTypes.INT)
class InitiativeLookupField(serializers.Field):
    """An initiative, by id, among those on which the actor holds `action`."""

    def __init__(self, *, action: str, **kwargs: Any):
        self.action = action
        super().__init__(**kwargs)
        self.id_field = serializers.IntegerField(min_value=1, max_value=ID_MAX)

    def to_internal_value(self, data: Any) -> Initiative:
        pk = self.id_field.run_validation(data)
        actor = self.context["request"].user
        found = Initiative.objects.visible_to(actor, self.action).select_related("unit").filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Initiative %(id)s was not found.") % {"id": pk})
        return found

    def to_representation(self, value: Any) -> int:
        return getattr(value, "pk", value)


# ---------------------------------------------------------------- output


class InitiativeAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member_code = serializers.CharField(source="person.member_code")
    full_name = serializers.CharField(source="person.full_name")
    share = serializers.DecimalField(max_digits=5, decimal_places=2)


class InitiativeStepSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    due = serializers.DateField()
    done = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class RemunerationDueSerializer(serializers.Serializer):
    author = serializers.IntegerField(source="author_id")
    year_index = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    transfer = serializers.IntegerField(source="transfer_id", allow_null=True)
    basis_vnd = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    due_vnd = serializers.IntegerField()
    due_on = serializers.DateField()
    paid_vnd = serializers.IntegerField()
    outstanding_vnd = serializers.IntegerField()


class InitiativeRemunerationSerializer(serializers.Serializer):
    due_vnd = serializers.IntegerField()
    paid_vnd = serializers.IntegerField()
    outstanding_vnd = serializers.IntegerField()
    overdue = serializers.BooleanField()
    dues = RemunerationDueSerializer(many=True)


class InitiativeAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = InitiativeAttachment
        fields = ["id", "original_name", "size", "content_type", "created_at"]
        read_only_fields = fields


class InitiativeBenefitSerializer(serializers.ModelSerializer):
    class Meta:
        model = InitiativeBenefit
        fields = ["id", "initiative", "year", "year_index", "amount_vnd", "note"]
        read_only_fields = fields


class InitiativeTransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = InitiativeTransfer
        fields = ["id", "initiative", "transferee", "price_vnd", "received_on", "note"]
        read_only_fields = fields


class RemunerationPaymentSerializer(serializers.ModelSerializer):
    initiative = serializers.IntegerField(source="author.initiative_id")
    member_code = serializers.CharField(source="author.person.member_code")

    class Meta:
        model = RemunerationPayment
        fields = [
            "id",
            "initiative",
            "author",
            "member_code",
            "year_index",
            "transfer",
            "amount_vnd",
            "paid_on",
            "note",
        ]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer):
    """One initiative as a list row: its fields, and whether a clock is overdue."""

    unit = serializers.CharField(source="unit.code")
    movement = serializers.CharField(source="movement.code", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "unit",
            "title",
            "field",
            "description",
            "movement",
            "first_applied_on",
            "requested_on",
            "estimated_benefit_vnd",
            "state_funded",
            "status",
            "examined_on",
            "amendment_requested_on",
            "amendment_note",
            "amended_on",
            "decided_on",
            "level",
            "recognised_on",
            "certificate_number",
            "decision_note",
            "version",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, initiative: Initiative) -> bool:
        return bool(self.context.get("overdue", {}).get(initiative.pk, False))


class InitiativeDetailSerializer(InitiativeSerializer):
    """One initiative with its authors, clocks, files, benefit and remuneration (due, paid, outstanding)."""

    authors = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    benefits = serializers.SerializerMethodField()
    transfers = serializers.SerializerMethodField()
    remuneration = serializers.SerializerMethodField()

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            "authors",
            "steps",
            "attachments",
            "benefits",
            "transfers",
            "remuneration",
        ]
        read_only_fields = fields

    def _detail(self) -> selectors.Detail:
        return self.context["detail"]

    def get_overdue(self, initiative: Initiative) -> bool:
        return self._detail().overdue

    @extend_schema_field(InitiativeAuthorSerializer(many=True))
    def get_authors(self, initiative: Initiative) -> Any:
        return InitiativeAuthorSerializer(self._detail().authors, many=True).data

    @extend_schema_field(InitiativeStepSerializer(many=True))
    def get_steps(self, initiative: Initiative) -> Any:
        return InitiativeStepSerializer(self._detail().steps, many=True).data

    @extend_schema_field(InitiativeAttachmentSerializer(many=True))
    def get_attachments(self, initiative: Initiative) -> Any:
        return InitiativeAttachmentSerializer(self._detail().attachments, many=True).data

    @extend_schema_field(InitiativeBenefitSerializer(many=True))
    def get_benefits(self, initiative: Initiative) -> Any:
        return InitiativeBenefitSerializer(self._detail().benefits, many=True).data

    @extend_schema_field(InitiativeTransferSerializer(many=True))
    def get_transfers(self, initiative: Initiative) -> Any:
        return InitiativeTransferSerializer(self._detail().transfers, many=True).data

    @extend_schema_field(InitiativeRemunerationSerializer)
    def get_remuneration(self, initiative: Initiative) -> Any:
        return InitiativeRemunerationSerializer(self._detail().remuneration).data


# ---------------------------------------------------------------- filters


def optional_choice(choices: Any) -> serializers.ChoiceField:
    # An empty filter (`?status=`) means "no filter".
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class InitiativeFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=VIEW, required=False, help_text=_("Initiatives of this unit and its sub-units."))
    status = optional_choice(Status.choices)
    level = optional_choice(Level.choices)
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=9999, help_text=_("Year of recognition, else of the request.")
    )
    movement = MovementCodeField(required=False)
    overdue = serializers.BooleanField(required=False, default=False, help_text=_("Only those with a late clock."))
    cursor = serializers.CharField(required=False, max_length=100, help_text=_("From the previous page's link."))
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_PAGE, default=50)


class InitiativeChildFilterSerializer(serializers.Serializer):
    initiative = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class InitiativeCertificateSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, help_text=_("Yours unless given.")
    )


# ---------------------------------------------------------------- input


class InitiativeAuthorInputSerializer(StrictSerializer):
    member_code = serializers.CharField(max_length=20)
    share = serializers.DecimalField(max_digits=6, decimal_places=2, help_text=_("Percent; the shares add up to 100."))


class InitiativeFieldsSerializer(StrictSerializer):
    title = serializers.CharField(max_length=services.TITLE_MAX)
    field = serializers.ChoiceField(choices=Field.choices)
    description = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    first_applied_on = serializers.DateField()
    estimated_benefit_vnd = money(required=False, default=0)
    state_funded = serializers.BooleanField(required=False, default=False)
    movement = MovementCodeField(required=False, allow_null=True, default=None)
    authors = InitiativeAuthorInputSerializer(
        many=True, help_text=_("Every author with their share; replaces the list.")
    )


class InitiativeCreateSerializer(InitiativeFieldsSerializer):
    unit = UnitCodeField(action=CHANGE, help_text=_("The unit that invested in the initiative."))


class InitiativeUpdateSerializer(InitiativeFieldsSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=_("The version read."))
    title = serializers.CharField(max_length=services.TITLE_MAX, required=False)
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    description = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    first_applied_on = serializers.DateField(required=False)
    estimated_benefit_vnd = money(required=False)
    state_funded = serializers.BooleanField(required=False)
    movement = MovementCodeField(required=False, allow_null=True)
    authors = InitiativeAuthorInputSerializer(many=True, required=False)


class InitiativeActionSerializer(StrictSerializer):
    """No fields: the action needs none."""


class InitiativeExamineSerializer(StrictSerializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("Today unless given."))


class InitiativeRecogniseSerializer(StrictSerializer):
    level = serializers.ChoiceField(choices=Level.choices)
    certificate_number = serializers.CharField(max_length=services.CERTIFICATE_MAX)
    recognised_on = serializers.DateField()
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class InitiativeRejectSerializer(StrictSerializer):
    note = serializers.CharField(max_length=TEXT_MAX)
    date = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("Today unless given."))


class InitiativeBenefitInputSerializer(StrictSerializer):
    initiative = InitiativeLookupField(action=CHANGE)
    year = serializers.IntegerField(min_value=1900, max_value=9999)
    amount_vnd = money()
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class InitiativeTransferInputSerializer(StrictSerializer):
    initiative = InitiativeLookupField(action=CHANGE)
    price_vnd = money()
    received_on = serializers.DateField()
    transferee = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class RemunerationPaymentInputSerializer(StrictSerializer):
    initiative = InitiativeLookupField(action=CHANGE)
    member_code = serializers.CharField(max_length=20, help_text=_("The author paid."))
    year_index = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=99)
    transfer = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX)
    amount_vnd = money()
    paid_on = serializers.DateField()
    note = serializers.CharField(max_length=services.NOTE_MAX, required=False, allow_blank=True, default="")
