"""The reports endpoints' query parameters and the documented shape of their answers."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from unionhall.orgunits.api.fields import CODE_MAX_LENGTH
from unionhall.reports.choices import Flow, Measure, Section

# Room for an ISO date with stray spaces; anything longer is not a date.
DATE_MAX_LENGTH = 30
MAX_TREND = 12


class SummaryQuerySerializer(serializers.Serializer):
    """`?unit=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD`: the dates are cleaned by `periods.period_clean`."""

    unit = serializers.CharField(
        max_length=CODE_MAX_LENGTH, help_text=_("The code of the unit whose subtree to count.")
    )
    trend = serializers.IntegerField(
        required=False,
        default=4,
        min_value=0,
        max_value=MAX_TREND,
        help_text=_("How many equal periods before this one the trend shows (default 4)."),
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so these two cannot be declared as class attributes.
        fields = super().get_fields()
        fields["from"] = serializers.CharField(
            max_length=DATE_MAX_LENGTH, help_text=_("The first day of the period, YYYY-MM-DD.")
        )
        fields["to"] = serializers.CharField(
            max_length=DATE_MAX_LENGTH, help_text=_("The last day of the period, YYYY-MM-DD.")
        )
        return fields


class TargetSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    value = serializers.IntegerField()
    percent = serializers.CharField(help_text=_("The value as a percentage of the target, two decimals."))


FIGURES_HELP = _(
    "Indicator code to its value; an indicator with breakdowns gives "
    '{"total": n, "by_<dimension>": {key: n}} instead of a number.'
)


class RowSerializer(serializers.Serializer):
    """Documentation only: one direct unit's figures."""

    unit = serializers.CharField()
    name = serializers.CharField()
    indicators = serializers.DictField(child=serializers.JSONField(), help_text=FIGURES_HELP)
    previous = serializers.DictField(child=serializers.JSONField(), help_text=_("The same for the previous period."))
    reported = serializers.ListField(
        child=serializers.CharField(), help_text=_("Indicators whose value includes a figure reported by officers.")
    )
    targets = serializers.DictField(child=TargetSerializer())


class PeriodSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class TrendPointSerializer(PeriodSerializer):
    indicators = serializers.DictField(child=serializers.IntegerField())


class SummarySerializer(RowSerializer):
    """Documentation only: the body is `summary.report_json(report)`."""

    previous_period = PeriodSerializer()
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When the roll-ups the figures came from were last brought up to date; null: counted just now."),
    )
    children = RowSerializer(many=True, help_text=_("A row per direct unit, on the tree at the period's end."))
    children_overlap = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Items shared by several direct units: counted in each of their rows, once in the total."),
    )
    trend = TrendPointSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class DimensionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class IndicatorSerializer(serializers.Serializer):
    """One indicator of the catalogue, in the request's language."""

    code = serializers.CharField()
    section = serializers.ChoiceField(choices=Section.choices)
    section_label = serializers.SerializerMethodField()
    label = serializers.CharField()  # type: ignore[assignment]
    definition = serializers.CharField()
    measure = serializers.ChoiceField(choices=Measure.choices)
    flow = serializers.ChoiceField(choices=Flow.choices)
    dimensions = DimensionSerializer(many=True)
    reportable = serializers.BooleanField(help_text=_("Officers may report a figure where no records are kept."))

    def get_section_label(self, item: Any) -> str:
        return str(Section(item.section).label)
