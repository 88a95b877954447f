"""Forms of the data-job pages: upload a file to import, ask for an export; units are named by code."""

from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from unionhall.core.forms import StyledForm
from unionhall.orgunits.forms import UnitCodeField
from unionhall.orgunits.models import Unit

from .errors import FileRefused
from .kinds import kind_list
from .services import EXPORT_FORMATS, datajob_file_check

UNIT_VIEW = "unit.view"
# On the import page: a change of record type fetches the page again and swaps in only its column help.
KIND_HELP_SWAP = {
    "hx-get": reverse_lazy("datafiles:import"),
    "hx-trigger": "change",
    "hx-target": "#uh-kind-help",
    "hx-select": "#uh-kind-help",
    "hx-swap": "outerHTML",
}


class DataJobForm(StyledForm):
    """A record type and a unit among those the actor sees; the service checks the kind's action on it."""

    kind = forms.ChoiceField(label=_("Record type"))
    unit = UnitCodeField(label=_("Unit"), help_text=_("The code of the unit, e.g. DN-TB-001."))

    def __init__(self, *args: Any, actor: Any, exportable: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        kinds = [k for k in kind_list() if k.export is not None] if exportable else kind_list()
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "---------"), *((k.code, k.label) for k in kinds)]
        cast(UnitCodeField, self.fields["unit"]).queryset = Unit.objects.visible_to(actor, UNIT_VIEW)
        if not exportable:
            self.fields["kind"].widget.attrs.update(KIND_HELP_SWAP)


class ImportForm(DataJobForm):
    """Choosing another record type swaps in its columns and templates (htmx), the form keeps what was typed."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file in UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without writing anything"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            datajob_file_check(file=file)
        except FileRefused as refused:
            raise forms.ValidationError(str(refused), code=refused.code) from None
        return file


class ExportForm(DataJobForm):
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f.upper()) for f in EXPORT_FORMATS], initial="xlsx")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, exportable=True, **kwargs)
