"""Export pages: ask for a report file, follow its progress (htmx), download it.

An export is shown only to the person who asked for it while they may still see reports of its
unit; anyone else gets a 404, as for an export that does not exist.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from unionhall.core.errors import DomainError, NotFound
from unionhall.core.web import add_domain_error

from ..choices import ExportStatus
from ..exporting import VIEW, report_export_create, report_export_open
from ..models import ReportExport
from ..periods import period_clean
from .forms import ExportForm


def _own_export(request: HttpRequest, pk: int) -> ReportExport:
    found = (
        ReportExport.objects.visible_to(request.user, VIEW)
        .filter(pk=pk, actor_id=request.user.pk or 0)
        .select_related("unit")
        .first()
    )
    if found is None:
        raise Http404(_("Export not found."))
    return found


@login_required
def export_start(request: HttpRequest) -> HttpResponse:
    """GET shows the form (?unit=&from=&to= fill it in); POST records the export and shows its progress."""
    if request.method == "POST":
        form = ExportForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = period_clean(data["from"], data["to"], today=timezone.localdate())
                export = report_export_create(
                    actor=request.user,
                    unit=data["unit"],
                    period=period,
                    file_format=data["file_format"],
                    language=data["language"],
                    document=form.document(),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(reverse("reports:export", args=[export.pk]))
    else:
        initial: dict[str, Any] = {
            "unit": request.GET.get("unit", "").strip().upper(),
            "from": request.GET.get("from", ""),
            "to": request.GET.get("to", ""),
            "language": translation.get_language(),
        }
        form = ExportForm(initial=initial, actor=request.user)
    return TemplateResponse(request, "reports/exports/start.html", {"form": form})


def _context(export: ReportExport) -> dict[str, Any]:
    return {
        "export": export,
        "finished": export.status in (ExportStatus.DONE, ExportStatus.FAILED),
        "can_download": export.status == ExportStatus.DONE,
    }


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return TemplateResponse(request, "reports/exports/detail.html", _context(_own_export(request, pk)))


@login_required
@require_GET
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's panel alone, which htmx polls every second until the file is written or the run failed."""
    return TemplateResponse(request, "reports/exports/_panel.html", _context(_own_export(request, pk)))


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The written file with its content type; the download is audited and the unit's visibility checked again."""
    export = _own_export(request, pk)
    try:
        opened, name, content_type = report_export_open(actor=request.user, export=export)
    except NotFound:
        raise Http404(_("This export has no file to download.")) from None
    return FileResponse(opened, as_attachment=True, filename=name, content_type=content_type)
