"""What the members endpoints accept and return; the rules are in `unionhall.members.services`.

Input serializers only parse and refuse keys they do not declare, so `member_code`, `version`
(outside PATCH), the stored national ID fields or `status` are never written from a body. Output
never carries the national ID in plain: only `POST people/{member_code}/national-id/` does.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.members import selectors, services
from unionhall.members.choices import CardStatus, CardType, EducationLevel, Gender, IdKind, MembershipStatus, Position
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard
from unionhall.members.services import CHANGE, END_REASONS_BY_HAND, VIEW, PersonDetails
from unionhall.orgunits.api.fields import AreaCodeField, CodeLookupField, UnitCodeField

from . import queries

MEMBER_CODE_MAX_LENGTH = 20  # eleven characters, with the dashes or spaces people type
TEXT_MAX_LENGTH = 200
REASON_MAX_LENGTH = 200
UNIT_VIEW = "unit.view"
SENSITIVE_HELP = _("Needs member.view_sensitive; left out: unchanged.")


class MemberCodeField(CodeLookupField):
    """A person, by member code, among those the actor sees for `action`."""

    max_length = MEMBER_CODE_MAX_LENGTH

    def __init__(self, *, action: str, **kwargs: Any):
        self.action = action
        super().__init__(**kwargs)

    def lookup(self, code: str) -> Person:
        actor = self.context["request"].user
        person = queries.person_by_code(Person.objects.visible_to(actor, self.action), code)
        if person is None:
            raise serializers.ValidationError(_("Person %(code)s was not found.") % {"code": code.strip()})
        return person

    def to_representation(self, value: Any) -> str:
        return getattr(value, "member_code", value)


# ---------------------------------------------------------------- output


class SensitiveSerializer(serializers.Serializer):
    ethnicity = serializers.CharField()
    religion = serializers.CharField()


class HomeMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    join_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class PersonSerializer(serializers.Serializer):
    """One person. The national ID is masked; ethnicity and religion only for holders of member.view_sensitive."""

    # The context carries `home` (the answering membership, if the reader sees it) and `sensitive`.

    member_code = serializers.CharField()
    full_name = serializers.CharField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField(allow_null=True)
    id_kind = serializers.ChoiceField(choices=IdKind.choices, allow_blank=True)
    national_id = serializers.SerializerMethodField(help_text=_("Masked: only the last three characters show."))
    nationality = serializers.CharField()
    sensitive = serializers.SerializerMethodField(
        help_text=_("Ethnicity and religion; null unless you may see them in the person's unit.")
    )
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, allow_blank=True)
    phone = serializers.CharField()
    email = serializers.CharField()
    residence_province = serializers.CharField(source="residence_province.code", allow_null=True, default=None)
    residence_commune = serializers.CharField(source="residence_commune.code", allow_null=True, default=None)
    employer = serializers.SerializerMethodField(help_text=_("The employer unit's code, if you see it."))
    job_title = serializers.CharField()
    membership = serializers.SerializerMethodField(
        help_text=_("The membership that answers for the person: the open one, else the latest.")
    )
    version = serializers.IntegerField(
        help_text=_("Send it back with PATCH; if the person was changed meanwhile, the answer is 409.")
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_national_id(self, person: Person) -> str:
        return selectors.masked_national_id(person)

    @extend_schema_field(SensitiveSerializer(allow_null=True))
    def get_sensitive(self, person: Person) -> dict[str, str] | None:
        return self.context.get("sensitive")

    def get_employer(self, person: Person) -> str | None:
        employer = person.employer
        if employer is None or not queries.covers(self.context["request"].user, UNIT_VIEW, employer):
            return None
        return employer.code

    @extend_schema_field(HomeMembershipSerializer(allow_null=True))
    def get_membership(self, person: Person) -> dict[str, Any] | None:
        home = self.context.get("home")
        return None if home is None else HomeMembershipSerializer(home).data


class MemberRowSerializer(serializers.Serializer):
    """A row of a member list: a membership and its person."""

    member_code = serializers.CharField(source="person.member_code")
    full_name = serializers.CharField(source="person.full_name")
    gender = serializers.ChoiceField(source="person.gender", choices=Gender.choices)
    date_of_birth = serializers.DateField(source="person.date_of_birth", allow_null=True)
    membership = serializers.IntegerField(source="pk")
    unit = serializers.CharField(source="unit.code")
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    join_date = serializers.DateField()


class PersonFoundSerializer(serializers.Serializer):
    """A search result; `unit` is the unit of the open membership, if you see it."""

    member_code = serializers.CharField()
    full_name = serializers.CharField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField(allow_null=True)
    unit = serializers.SerializerMethodField()

    def get_unit(self, person: Person) -> str | None:
        unit = self.context.get("units", {}).get(person.pk)
        return None if unit is None else unit.code


class MembershipSerializer(serializers.ModelSerializer):
    member_code = serializers.CharField(source="person.member_code")
    full_name = serializers.CharField(source="person.full_name")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Membership
        fields = [
            "id",
            "member_code",
            "full_name",
            "unit",
            "unit_name",
            "join_date",
            "status",
            "end_reason",
            "end_date",
            "suspended_on",
            "suspension_reason",
            "version",
        ]
        read_only_fields = fields


class OfficerTermSerializer(serializers.ModelSerializer):
    member_code = serializers.CharField(source="membership.person.member_code")
    full_name = serializers.CharField(source="membership.person.full_name")
    unit = serializers.CharField(source="membership.unit.code")

    class Meta:
        model = OfficerTerm
        fields = [
            "id",
            "member_code",
            "full_name",
            "membership",
            "unit",
            "position",
            "full_time",
            "term_start",
            "term_end",
        ]
        read_only_fields = fields


class CardSerializer(serializers.ModelSerializer):
    member_code = serializers.CharField(source="person.member_code")

    class Meta:
        model = UnionCard
        fields = ["id", "member_code", "card_number", "card_type", "issue_date", "status"]
        read_only_fields = fields


class NationalIdSerializer(serializers.Serializer):
    id_kind = serializers.ChoiceField(choices=IdKind.choices, allow_blank=True)
    national_id = serializers.CharField(help_text=_("In plain; empty when none is recorded."))


# ---------------------------------------------------------------- filters


def optional_boolean(help_text: Any) -> serializers.BooleanField:
    # allow_null: an absent query parameter is "not given", not False (DRF's default for form input).
    return serializers.BooleanField(required=False, allow_null=True, help_text=help_text)


def optional_choice(choices: Any) -> serializers.ChoiceField:
    # An empty filter (`?status=`) means "no filter".
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class MemberFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=VIEW, help_text=_("The unit whose members to list."))
    subtree = optional_boolean(_("Include the members of its sub-units (the default)."))
    status = optional_choice(MembershipStatus.choices)
    gender = optional_choice(Gender.choices)
    join_year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)
    officer = optional_boolean(_("Only those who hold (or do not hold) a union position now."))
    card_status = optional_choice(CardStatus.choices)
    cursor = serializers.CharField(required=False, max_length=1000, help_text=_("From the previous page's link."))
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_PAGE, default=50)


class PersonSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100, allow_blank=True, help_text=_("Name, member code or phone; diacritics are ignored.")
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_PAGE, default=20)


class OfficerFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(action=VIEW, required=False, help_text=_("Officers of this unit (and its sub-units)."))
    subtree = optional_boolean(_("Include the sub-units (the default)."))
    person = serializers.CharField(required=False, max_length=MEMBER_CODE_MAX_LENGTH, help_text=_("A member code."))
    current = optional_boolean(_("Only terms that have not ended (the default); false for ended terms only."))


class CardPdfSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, help_text=_("Yours unless given.")
    )


class CardFilterSerializer(serializers.Serializer):
    person = serializers.CharField(required=False, max_length=MEMBER_CODE_MAX_LENGTH, help_text=_("A member code."))
    status = optional_choice(CardStatus.choices)


# ---------------------------------------------------------------- input


class PersonFieldsSerializer(StrictSerializer):
    """The details of a person, as `services.PersonDetails` holds them."""

    full_name = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    id_kind = serializers.ChoiceField(choices=IdKind.choices, required=False, allow_blank=True)
    national_id = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Left out: unchanged. Empty: removed."),
    )
    nationality = serializers.CharField(max_length=2, required=False, allow_blank=True)
    ethnicity = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text=SENSITIVE_HELP)
    religion = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text=SENSITIVE_HELP)
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    residence_province = AreaCodeField(level="province", required=False, allow_null=True)
    residence_commune = AreaCodeField(level="commune", required=False, allow_null=True)
    employer = UnitCodeField(action=UNIT_VIEW, required=False, allow_null=True)
    job_title = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)


# The fields a PATCH that leaves them out keeps as they are.
KEPT_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "id_kind",
    "nationality",
    "education_level",
    "phone",
    "email",
    "residence_province",
    "residence_commune",
    "employer",
    "job_title",
)
NULLABLE = frozenset({"date_of_birth", "residence_province", "residence_commune", "employer"})


def person_details(data: dict[str, Any], current: Person | None = None) -> PersonDetails:
    """The details sent; for a change, the current ones for any left out.

    The national ID, ethnicity and religion left out are passed as None: the service keeps them.
    """
    values: dict[str, Any] = {name: data.get(name, getattr(current, name, None)) for name in KEPT_FIELDS}
    values = {name: "" if value is None and name not in NULLABLE else value for name, value in values.items()}
    for name in ("national_id", "ethnicity", "religion"):
        values[name] = data.get(name)
    return PersonDetails(**values)


class PersonCreateSerializer(PersonFieldsSerializer):
    unit = UnitCodeField(action=CHANGE, help_text=_("The unit the person joins."))
    join_date = serializers.DateField()


class PersonUpdateSerializer(PersonFieldsSerializer):
    """PATCH: the fields sent change, the others stay."""

    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("Required: the version read with the person.")
    )
    full_name = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)


class NationalIdRevealSerializer(StrictSerializer):
    purpose = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why you need the number; it goes into the audit log."),
    )


class MembershipJoinSerializer(StrictSerializer):
    unit = UnitCodeField(action=CHANGE)
    join_date = serializers.DateField()


class MembershipTransferSerializer(StrictSerializer):
    new_unit = UnitCodeField(action=CHANGE)
    date = serializers.DateField(help_text=_("The last day in the old unit and the first in the new one."))


class MembershipEndSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=[(r.value, r.label) for r in END_REASONS_BY_HAND])
    date = serializers.DateField()


class MembershipSuspendSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=services.SUSPENSION_REASON_MAX)
    date = serializers.DateField()


class MembershipResumeSerializer(StrictSerializer):
    date = serializers.DateField()


class OfficerAppointSerializer(StrictSerializer):
    member_code = MemberCodeField(action=CHANGE)
    position = serializers.ChoiceField(choices=Position.choices)
    term_start = serializers.DateField()
    full_time = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        actor = self.context["request"].user
        membership = queries.open_membership(actor=actor, person=attrs["member_code"], action=CHANGE)
        if membership is None:
            raise serializers.ValidationError(
                {"member_code": [_("This person is not a current member of a unit you manage.")]}
            )
        return {**attrs, "membership": membership}


class OfficerEndSerializer(StrictSerializer):
    term_end = serializers.DateField()


class CardIssueSerializer(StrictSerializer):
    person = MemberCodeField(action=VIEW)
    card_number = serializers.CharField(max_length=40)
    issue_date = serializers.DateField()
    card_type = serializers.ChoiceField(choices=CardType.choices, required=False, default=CardType.PLAIN)
    replace = serializers.BooleanField(
        required=False, default=False, help_text=_("Mark the member's active card replaced by this one.")
    )


class CardStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=CardStatus.choices)
