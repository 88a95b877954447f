"""Summary reports as files: DOCX (a Decree 30/2020 administrative report), XLSX and PDF, in vi/en/ar/fa.

`render` is the one entry: the report is turned into text once (`content.py`), charted once
(`charts.py`), then laid out by the format's writer. Progress is reported as a percentage.
"""

from collections.abc import Callable

from django.utils import timezone, translation

from unionhall.core.collector import collector_paused

from ..choices import ExportFormat
from ..summary import SummaryReport
from .charts import draw_charts
from .content import DocumentInfo, content_build
from .docx import render_docx
from .pdf import render_pdf_report
from .xlsx import render_xlsx

__all__ = ["CONTENT_TYPES", "DocumentInfo", "render"]

CONTENT_TYPES = {
    ExportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}


def _ignore(_percent: int) -> None:
    return None


def render(
    report: SummaryReport,
    *,
    file_format: str,
    language: str,
    document: DocumentInfo | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The report as a file of `file_format` in `language`; `progress` hears percentages as the work goes on."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {file_format!r}")
    report_progress = progress or _ignore
    # Rendering frees its many objects as it goes: no cyclic collection over them (a tenth of the time).
    with translation.override(language), collector_paused():
        content = content_build(
            report, language=language, document=document or DocumentInfo(), today=timezone.localdate()
        )
        report_progress(20)
        if file_format == ExportFormat.XLSX:
            data = render_xlsx(content, report_progress)
        else:
            drawn = draw_charts(content, "png" if file_format == ExportFormat.DOCX else "svg")
            report_progress(60)
            data = (
                render_docx(content, drawn, report_progress)
                if file_format == ExportFormat.DOCX
                else render_pdf_report(content, drawn)
            )
    report_progress(100)
    return data
