"""What the data-job endpoints read and answer: record types with their columns, jobs, uploads and export requests."""

from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhall.core.api import StrictSerializer
from unionhall.orgunits.api.fields import UnitCodeField

from ..columns import TYPES
from ..errors import FileRefused
from ..kinds import kind_choices
from ..services import EXPORT_FORMATS, datajob_file_check

UNIT_VIEW = "unit.view"


class ColumnSerializer(serializers.Serializer):
    # Field names that shadow attributes of DRF's Field in the type stubs (the metaclass moves them away).
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    type = serializers.ChoiceField(choices=TYPES)
    required = serializers.BooleanField()  # type: ignore[assignment]
    help = serializers.CharField()


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    columns = ColumnSerializer(many=True)
    can_export = serializers.SerializerMethodField(help_text=_("Whether this record type can also be exported."))

    def get_can_export(self, kind: Any) -> bool:
        return kind.export is not None


class TemplateQuerySerializer(StrictSerializer):
    lang = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text=_("The language of the column headers; the request's language when left out."),
    )


class JobErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    direction = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    status = serializers.CharField()
    phase = serializers.CharField(help_text=_("While running: checking (the file is read and checked), then writing."))
    dry_run = serializers.BooleanField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    summary = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Rows new, updated, unchanged, rejected; rows, errors; same_file_as: an earlier job's id."),
    )
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class JobDetailSerializer(JobSerializer):
    first_errors = serializers.SerializerMethodField(
        help_text=_("The first 50 rejected cells; the error report has them all.")
    )

    @extend_schema_field(JobErrorSerializer(many=True))
    def get_first_errors(self, job: Any) -> list[dict[str, Any]]:
        return JobErrorSerializer(self.context.get("errors", []), many=True).data  # type: ignore[return-value]


class ImportSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=[], help_text=_("The record type's code (see kinds/)."))
    unit = UnitCodeField(action=UNIT_VIEW, help_text=_("The code of the unit to import into."))
    file = serializers.FileField(help_text=_("An Excel workbook (.xlsx) or a CSV file in UTF-8."))
    dry_run = serializers.BooleanField(
        default=True, help_text=_("Check the file and report what would change, without writing anything.")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(serializers.ChoiceField, self.fields["kind"]).choices = kind_choices()

    def validate_file(self, file: Any) -> Any:
        try:
            datajob_file_check(file=file)
        except FileRefused as refused:
            raise serializers.ValidationError(str(refused), code=refused.code) from None
        return file


class ExportSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=[], help_text=_("The record type's code (see kinds/)."))
    unit = UnitCodeField(action=UNIT_VIEW, help_text=_("The unit whose subtree is exported."))
    format = serializers.ChoiceField(choices=list(EXPORT_FORMATS), default="xlsx")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(serializers.ChoiceField, self.fields["kind"]).choices = kind_choices()
