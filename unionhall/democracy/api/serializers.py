"""What the democracy endpoints accept and return; the rules are in `unionhall.democracy.services`.

A dialogue or conference is sent as the activity's fields (those of the activities endpoints) with the
workplace record's. The employer is named by code among the employers of the unions the actor may
record for, so an employer outside the actor's scope reads exactly as one that does not exist.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.activities.api.serializers import ActivityFieldsSerializer, KindCodeField, activity_details
from unionhall.activities.choices import KindRole
from unionhall.activities.models import ActivityKind
from unionhall.activities.services import ActivityDetails
from unionhall.democracy.choices import ComplianceFilter, ComplianceState, ConferenceForm, DialogueTrigger
from unionhall.democracy.composition import Issue
from unionhall.democracy.models import Dialogue
from unionhall.democracy.services import CHANGE, MAX_HEADCOUNT, MAX_SIDE, ConferenceDetails, DialogueDetails
from unionhall.orgunits.api.fields import CodeLookupField, UnitCodeField
from unionhall.orgunits.models import Unit

VIEW = "activity.view"


class EmployerCodeField(CodeLookupField):
    """An employer, by code, with a union on which the actor holds activity.change."""

    def lookup(self, code: str) -> Unit:
        code = code.upper()
        actor = self.context["request"].user
        unions = Unit.objects.visible_to(actor, CHANGE).filter(employer__isnull=False).values("employer_id")
        employer = Unit.objects.select_related("type").filter(code=code, pk__in=unions).first()
        if employer is None:
            raise serializers.ValidationError(_("Unit %(code)s was not found.") % {"code": code})
        return employer


def _count(maximum: int, **extra: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=maximum, **extra)


class WorkplaceFieldsSerializer(ActivityFieldsSerializer):
    """The activity's fields; the kind defaults to the one kind of the record's role."""

    role = ""
    unit = UnitCodeField(action=CHANGE, help_text=_("The recording unit; you need activity.change on it."))
    kind = KindCodeField(required=False, help_text=_("Defaults to the kind for this record."))
    employer = EmployerCodeField(help_text=_("The employer's unit code."))
    headcount = _count(MAX_HEADCOUNT, help_text=_("Employees at the employer."))

    def activity(self) -> ActivityDetails:
        data = dict(self.validated_data)
        if "kind" not in data:
            data["kind"] = ActivityKind.objects.filter(role=self.role, active=True).order_by("rank", "code").first()
        return activity_details(data)


class DialogueCreateSerializer(WorkplaceFieldsSerializer):
    role = KindRole.WORKPLACE_DIALOGUE
    trigger = serializers.ChoiceField(choices=DialogueTrigger.choices, required=False, default=DialogueTrigger.PERIODIC)
    trigger_article = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    employer_side = _count(MAX_SIDE)
    employer_side_women = _count(MAX_SIDE, required=False, default=0)
    legal_representative_present = serializers.BooleanField()
    employee_side = _count(MAX_SIDE)
    employee_side_women = _count(MAX_SIDE, required=False, default=0)
    agreements = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    confirm_composition = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Send true to record a composition that breaks the band; without it such a dialogue answers 400 "
            "(composition) listing the issues. The confirmation is recorded."
        ),
    )

    def dialogue(self) -> DialogueDetails:
        data = self.validated_data
        return DialogueDetails(
            employer=data["employer"],
            headcount=data["headcount"],
            employer_side=data["employer_side"],
            employee_side=data["employee_side"],
            legal_representative_present=data["legal_representative_present"],
            trigger=data["trigger"],
            trigger_article=data["trigger_article"],
            employer_side_women=data["employer_side_women"],
            employee_side_women=data["employee_side_women"],
            agreements=data["agreements"],
            published_on=data["published_on"],
        )


class ConferenceCreateSerializer(WorkplaceFieldsSerializer):
    role = KindRole.EMPLOYEE_CONFERENCE
    form = serializers.ChoiceField(choices=ConferenceForm.choices)
    attended = _count(MAX_HEADCOUNT, help_text=_("Employees or delegates attending."))
    resolutions = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    agreement_reviewed = serializers.BooleanField(required=False, default=False)

    def conference(self) -> ConferenceDetails:
        data = self.validated_data
        return ConferenceDetails(
            employer=data["employer"],
            form=data["form"],
            headcount=data["headcount"],
            attended=data["attended"],
            resolutions=data["resolutions"],
            agreement_reviewed=data["agreement_reviewed"],
        )


# ---------------------------------------------------------------- output


class IssueSerializer(serializers.Serializer):
    code = serializers.CharField()
    actual = serializers.IntegerField()
    limit = serializers.IntegerField()
    headcount = serializers.IntegerField()
    message = serializers.CharField(help_text=_("In the request's language."))


class WorkplaceRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="activity_id", help_text=_("The activity's id (/api/v1/activities/{id}/)."))
    title = serializers.CharField(source="activity.title")
    unit = serializers.CharField(source="activity.unit.code", help_text=_("The recording unit."))
    status = serializers.CharField(source="activity.status")
    employer = serializers.CharField(source="employer.code")
    employer_name = serializers.CharField(source="employer.name")
    held_on = serializers.DateField()
    headcount = serializers.IntegerField()


class DialogueSerializer(WorkplaceRecordSerializer):
    trigger = serializers.ChoiceField(choices=DialogueTrigger.choices)
    trigger_article = serializers.CharField()
    employer_side = serializers.IntegerField()
    employer_side_women = serializers.IntegerField()
    legal_representative_present = serializers.BooleanField()
    employee_side = serializers.IntegerField()
    employee_side_women = serializers.IntegerField()
    agreements = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    composition_issues = serializers.SerializerMethodField()
    composition_confirmed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(source="activity.version")

    @extend_schema_field(IssueSerializer(many=True))
    def get_composition_issues(self, dialogue: Dialogue) -> list[dict[str, Any]]:
        issues = [Issue.from_dict(values) for values in dialogue.composition_issues]
        return [{**issue.as_dict(), "message": issue.message} for issue in issues]


class ConferenceSerializer(WorkplaceRecordSerializer):
    form = serializers.ChoiceField(choices=ConferenceForm.choices)
    attended = serializers.IntegerField()
    resolutions = serializers.CharField()
    agreement_reviewed = serializers.BooleanField()


class RecordFilterSerializer(serializers.Serializer):
    employer = serializers.CharField(required=False, max_length=40, help_text=_("An employer's unit code."))


class ComplianceFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(
        action=VIEW, required=False, help_text=_("The subtree (default: the highest unit you see activities of).")
    )
    state = serializers.ChoiceField(
        choices=ComplianceFilter.choices, required=False, default=ComplianceFilter.ATTENTION
    )
    cursor = serializers.CharField(required=False, max_length=200)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


class ComplianceRowSerializer(serializers.Serializer):
    employer = serializers.CharField(source="employer.code")
    employer_name = serializers.CharField(source="employer.name")
    state = serializers.ChoiceField(choices=ComplianceState.choices, help_text=_("The worse of the two obligations."))
    union_since = serializers.DateField()
    last_dialogue = serializers.DateField(allow_null=True)
    last_dialogue_activity = serializers.IntegerField(source="last_dialogue_activity_id", allow_null=True)
    last_dialogue_minutes = serializers.BooleanField(help_text=_("Minutes attached to the last periodic dialogue."))
    dialogue_due = serializers.DateField()
    dialogue_state = serializers.ChoiceField(choices=ComplianceState.choices)
    last_conference = serializers.DateField(allow_null=True)
    last_conference_activity = serializers.IntegerField(source="last_conference_activity_id", allow_null=True)
    conference_due = serializers.DateField()
    conference_state = serializers.ChoiceField(choices=ComplianceState.choices)
    headcount = serializers.IntegerField(allow_null=True, help_text=_("Employees, as last recorded."))
    headcount_on = serializers.DateField(allow_null=True)


class StateCountsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    up_to_date = serializers.IntegerField()


class ComplianceCountsSerializer(serializers.Serializer):
    employers = serializers.IntegerField()
    overall = StateCountsSerializer()
    dialogue = StateCountsSerializer()
    conference = StateCountsSerializer()


class CompliancePageSerializer(serializers.Serializer):
    unit = serializers.CharField()
    today = serializers.DateField()
    counts = ComplianceCountsSerializer()
    next = serializers.CharField(allow_null=True, help_text=_("The cursor of the next page, if any."))
    results = ComplianceRowSerializer(many=True)
