"""The report as PDF (WeasyPrint): the same content as the DOCX, with the charts as SVG images.

`core.pdf.render_pdf` embeds the fonts (Noto Sans / Noto Sans Arabic, Vazirmatn for Persian) from
local files and refuses every other URL, so a render never reaches the network.

Four choices keep a province report with 100 direct units within seconds. The charts travel in the
page as `data:` URLs of their SVG, so their thousands of elements stay out of the page's style
cascade. The tables have a fixed layout, with column widths worked out here from the longest figure
of each column, so WeasyPrint does not measure every cell twice to find them. The page starts from
the few browser defaults its elements need (`user-agent.css`), not from WeasyPrint's whole HTML5
stylesheet, whose every rule would be tested against every cell. And the page is XHTML, parsed as
XML rather than by WeasyPrint's HTML5 parser (0.25–0.35 s less for a province report).
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from unionhall.core.pdf import data_image_url, render_pdf

from .content import Content, Table

# The browser defaults of the report's elements (see the module's docstring).
USER_AGENT = "reports/pdf/user-agent.css"
# The page's text width (A4 less the margins of summary.css), in millimetres.
TEXT_WIDTH_MM = 160.0
# Widths at the tables' 9 pt (Noto Sans): a digit or sign of the figures, a group or decimal separator,
# any other character (a per cent sign, the digits of other scripts); a letter of a heading (bold).
DIGIT_MM = 1.85
SEPARATOR_MM = 0.9
OTHER_CHAR_MM = 2.8
HEADING_CHAR_MM = 2.1
DIGITS = frozenset("0123456789+-\u2212")
SEPARATORS = frozenset(".,\u00a0\u202f ")
# A cell's padding and borders; the least and the most the first column (labels, unit names) takes.
CELL_EXTRA_MM = 4.0
FIRST_COLUMN_MIN_MM = 30.0
FIRST_COLUMN_MAX_MM = 72.0
# The least a figure column takes, so that a heading of several words wraps on a few lines only.
FIGURE_COLUMN_MIN_MM = 12.0


@dataclass(frozen=True)
class LaidTable:
    """A table with the widths of its columns in percent of the text width; none: let WeasyPrint find them."""

    table: Table
    widths: list[float] | None


def column_widths(table: Table) -> list[float] | None:
    """Widths for a fixed layout: each figure column as wide as its longest figure (never wrapped) or the
    longest word of its heading, the first column the rest; None if the figures leave it too little."""
    needed = []
    for index, heading in enumerate(table.header[1:], start=1):
        figure = max((_figure_mm(row[index].text) for row in table.rows if index < len(row)), default=0.0)
        word = max((len(part) for part in heading.split()), default=0)
        needed.append(max(figure, word * HEADING_CHAR_MM, FIGURE_COLUMN_MIN_MM) + CELL_EXTRA_MM)
    first = TEXT_WIDTH_MM - sum(needed)
    if first < FIRST_COLUMN_MIN_MM:
        return None
    if first > FIRST_COLUMN_MAX_MM and needed:
        # Few figure columns: they share the room the first column does not need, in proportion.
        scale = (TEXT_WIDTH_MM - FIRST_COLUMN_MAX_MM) / sum(needed)
        needed = [width * scale for width in needed]
        first = FIRST_COLUMN_MAX_MM
    return [round(100 * width / TEXT_WIDTH_MM, 2) for width in (first, *needed)]


def _figure_mm(text: str) -> float:
    """How wide a figure prints: digits and signs, narrower separators, anything else wider."""
    return sum(DIGIT_MM if ch in DIGITS else SEPARATOR_MM if ch in SEPARATORS else OTHER_CHAR_MM for ch in text)


def svg_image(data: bytes) -> SafeString:
    """A matplotlib SVG as an image of the page (its labels are the catalogue's and figures, escaped by matplotlib)."""
    return format_html('<img class="chart-image" alt="" src="{}"/>', data_image_url(data, "image/svg+xml"))


def render_pdf_report(content: Content, charts: dict[str, bytes]) -> bytes:
    sections = [
        (
            section,
            svg_image(charts[section.code]) if section.code in charts else "",
            LaidTable(section.table, column_widths(section.table)),
        )
        for section in content.sections
    ]
    context = {
        "c": content,
        "sections": sections,
        "children": [LaidTable(table, column_widths(table)) for table in content.children],
        "trend": svg_image(charts["trend"]) if "trend" in charts else "",
    }
    return render_pdf("reports/pdf/summary.html", context, language=content.language, user_agent=USER_AGENT)
