"""The export form: which report (unit by code, period), in which format and language, and the document's parts."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from unionhall.core.forms import StyledForm
from unionhall.orgunits.forms import UnitCodeField
from unionhall.orgunits.models import Unit

from ..choices import ExportFormat
from .content import DocumentInfo

VIEW = "report.view"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportForm(StyledForm):
    unit = UnitCodeField(label=_("Unit"), help_text=_("The code of the unit, e.g. DN-TB-001."))
    file_format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.DOCX)
    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("E.g. the review of a movement for 2023–2025; blank: “Summary report of” the unit."),
    )
    number = forms.CharField(label=_("Number and symbol"), required=False, max_length=60)
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    signer_title = forms.CharField(label=_("Signer's title"), required=False, max_length=200)
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=200)
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(UnitCodeField, self.fields["unit"]).queryset = Unit.objects.visible_to(actor, VIEW)
        # Named as in the API's query string ("from" and "to"), which the period check names in its errors.
        fields = list(self.fields.items())
        dates = [
            ("from", forms.DateField(label=_("From"), widget=DATE)),
            ("to", forms.DateField(label=_("To"), widget=DATE)),
        ]
        self.fields = dict([fields[0], *dates, *fields[1:]])
        for _name, field in dates:
            field.widget.attrs["class"] = "form-control"

    def document(self) -> DocumentInfo:
        data = self.cleaned_data
        return DocumentInfo(
            number=data["number"],
            place=data["place"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            title=data["title"],
            recipients=tuple(line.strip() for line in data["recipients"].splitlines() if line.strip()),
        )
