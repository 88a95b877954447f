"""Report exports as background jobs: asked for by an officer, written by a worker, downloaded later.

`report_export_create` checks and records the request and queues the run (`tasks.py`);
`report_export_run` builds the report in the export's language, renders it with progress, stores
the file and its hash. A failure keeps a plain message for the reader, never a traceback.
"""

import dataclasses
import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import record
from unionhall.core.errors import DomainError, NotFound
from unionhall.orgunits.models import Unit

from .choices import ExportFormat, ExportStatus
from .exports import CONTENT_TYPES, DocumentInfo, render
from .figures import placed_path, summary_build
from .models import ReportExport
from .periods import Period
from .services import VIEW, require

logger = logging.getLogger(__name__)
FIELD_MAX = 200
RECIPIENTS_MAX = 20
TEXT_PARTS = ("number", "place", "signer_name", "signer_title", "title", "issuer_parent")


def document_clean(document: DocumentInfo | None) -> DocumentInfo:
    """The officer's document parts trimmed; too long ones refused on their field."""
    document = document or DocumentInfo()
    texts: dict[str, Any] = {}
    for name in TEXT_PARTS:
        texts[name] = str(getattr(document, name)).strip()
        if len(texts[name]) > FIELD_MAX:
            raise DomainError(_("Keep this to %(count)s characters.") % {"count": FIELD_MAX}, field=name)
    document = dataclasses.replace(document, **texts)
    recipients = tuple(r.strip() for r in document.recipients if r.strip())
    if len(recipients) > RECIPIENTS_MAX or any(len(r) > FIELD_MAX for r in recipients):
        raise DomainError(
            _("List at most %(count)s recipients, one a line.") % {"count": RECIPIENTS_MAX}, field="recipients"
        )
    return dataclasses.replace(document, recipients=recipients)


def document_json(document: DocumentInfo) -> dict[str, Any]:
    values = dataclasses.asdict(document)
    values["recipients"] = list(document.recipients)
    values["date"] = document.date.isoformat() if document.date else None
    return values


def document_from_json(values: dict[str, Any] | None) -> DocumentInfo:
    """The document parts back from `document_json` (as the queued task carries them)."""
    if not values:
        return DocumentInfo()
    day = values.get("date")
    return DocumentInfo(
        **{name: str(values.get(name) or "") for name in TEXT_PARTS},
        recipients=tuple(str(r) for r in values.get("recipients") or ()),
        date=dt.date.fromisoformat(day) if day else None,
    )


@transaction.atomic
def report_export_create(
    *,
    actor: Any,
    unit: Unit,
    period: Period,
    file_format: str,
    language: str,
    document: DocumentInfo | None = None,
) -> ReportExport:
    """Record an export of the unit's summary report and queue its run once the record is committed."""
    if file_format not in ExportFormat.values:
        raise DomainError(_("Choose DOCX, XLSX or PDF."), field="file_format")
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the languages offered."), field="language")
    if not isinstance(period, Period):
        raise DomainError(_("Give a date as YYYY-MM-DD."), field="from")
    require(actor, VIEW, unit)
    placed_path(unit, period.end)
    cleaned = document_clean(document)
    export = ReportExport.objects.create(
        actor_id=actor.pk,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        file_format=file_format,
        language=language,
    )
    record(
        actor=actor,
        action="report.export",
        obj=export,
        after={
            "unit": unit.code,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "format": file_format,
            "language": language,
            "document": document_json(cleaned),
        },
    )
    values = document_json(cleaned)
    transaction.on_commit(lambda: _enqueue(export.pk, values))
    return export


def _enqueue(export_id: int, document: dict[str, Any]) -> None:
    from .tasks import report_export_task  # the task module imports this one

    report_export_task.enqueue(export_id, document)


def report_export_run(*, export_id: int, document: DocumentInfo | None = None) -> ReportExport:
    """Write a queued export once (a second run of the same export does nothing) and return it."""
    claimed = ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=1
    )
    export = ReportExport.objects.select_related("unit__parent").get(pk=export_id)
    if not claimed:
        return export

    def progress(percent: int) -> None:
        ReportExport.objects.filter(pk=export.pk).update(progress=min(max(percent, 1), 99))

    try:
        with translation.override(export.language):
            report = summary_build(
                unit=export.unit,
                period=Period(export.period_start, export.period_end),
                today=timezone.localdate(),
            )
            progress(10)
            parent = export.unit.parent
            info = dataclasses.replace(
                document_clean(document),
                issuer_parent=(document.issuer_parent if document and document.issuer_parent else "")
                or (parent.name if parent else ""),
            )
            data = render(
                report, file_format=export.file_format, language=export.language, document=info, progress=progress
            )
        stored = default_storage.save(f"reports/{export.created_at:%Y/%m}/{download_name(export)}", ContentFile(data))
    except Exception:
        logger.exception("Report export %s stopped by an unexpected error", export.pk)
        ReportExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error=str(_("The file could not be written; please try again or ask an administrator.")),
            finished_at=timezone.now(),
        )
        export.refresh_from_db()
        return export
    export.file.name = stored
    export.sha256 = hashlib.sha256(data).hexdigest()
    export.status = ExportStatus.DONE
    export.progress = 100
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "sha256", "status", "progress", "finished_at"])
    return export


def download_name(export: ReportExport) -> str:
    """ "report-DN-20230101-20251231.docx": the unit and the period."""
    return f"report-{export.unit.code}-{export.period_start:%Y%m%d}-{export.period_end:%Y%m%d}.{export.file_format}"


def report_export_open(*, actor: Any, export: ReportExport) -> tuple[File, str, str]:
    """The finished export's file (the caller closes it), its download name and content type; downloads are audited."""
    if export.status != ExportStatus.DONE or not export.file:
        raise NotFound(_("This export has no file to download."))
    require(actor, VIEW, export.unit)
    with transaction.atomic():
        record(
            actor=actor,
            action="report.export_download",
            obj=export,
            after={"format": export.file_format, "sha256": export.sha256},
        )
    return (
        default_storage.open(str(export.file.name), "rb"),
        download_name(export),
        CONTENT_TYPES[ExportFormat(export.file_format)],
    )
