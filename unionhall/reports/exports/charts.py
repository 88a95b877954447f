"""The export charts (matplotlib): a bar chart per section (this period against the previous) and a trend.

SVG for the PDF (text as text in left-to-right reports, as glyph paths in right-to-left ones), PNG for
the DOCX. matplotlib 3.11 shapes Arabic and Persian itself: labels go in as they are, never reshaped. Right-to-left
reports mirror the charts (bars grow leftwards, labels on the right); tick digits are the report's.
A chart has no title of its own: it stands under its section's heading in both documents.
"""

import io
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .content import Content, SectionContent
from .narrative import number

VAZIRMATN = "vendor/vazirmatn/Vazirmatn-Regular.ttf"
VAZIRMATN_NPM = "node_modules/vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf"
COLOURS = ("#0d6efd", "#adb5bd", "#198754", "#dc3545", "#fd7e14", "#6f42c1")
LABEL_WIDTH = 30
DPI = 150


@cache
def _vazirmatn() -> bool:
    """Register Vazirmatn with matplotlib once; False when its file is not there."""
    found = finders.find(VAZIRMATN)
    path = Path(found) if isinstance(found, str) else Path(settings.BASE_DIR) / VAZIRMATN_NPM
    if not path.is_file():
        return False
    font_manager.fontManager.addfont(str(path))
    return True


def font_families(language: str) -> list[str]:
    """Noto Sans for Latin and Vietnamese, then the Arabic-script face of the language (matplotlib falls back)."""
    if language == "fa" and _vazirmatn():
        return ["Vazirmatn", "Noto Sans", "Noto Sans Arabic", "DejaVu Sans"]
    return ["Noto Sans", "Noto Sans Arabic", "DejaVu Sans"]


def _style(content: Content) -> Any:  # matplotlib types rc keys as literals
    """The chart's fonts, and how its SVG carries text: as text where the PDF renderer lays it out as
    matplotlib would (left-to-right scripts: a tenth of the time, and selectable); as glyph paths in
    right-to-left reports, which matplotlib shapes and orders itself."""
    return {"font.family": font_families(content.language), "svg.fonttype": "path" if content.rtl else "none"}


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH)) or label


def _save(figure: Figure, file_format: str) -> bytes:
    """The figure as its constrained layout fits it: a "tight" bounding box would draw it twice."""
    out = io.BytesIO()
    metadata = {"Date": None} if file_format == "svg" else {}
    figure.savefig(out, format=file_format, dpi=DPI, metadata=metadata)
    return out.getvalue()


def _number_axis(axis: object, content: Content) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(int(value), content.prefs)))  # type: ignore[attr-defined]
    axis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # type: ignore[attr-defined]


def section_chart(section: SectionContent, content: Content, file_format: str) -> bytes | None:
    """Horizontal bars of the section's counts, this period and the previous; None when all are zero."""
    bars = [item for item in section.chart if item[1] or item[2]]
    if not bars:
        return None
    with matplotlib.rc_context(_style(content)):
        figure = Figure(figsize=(7.0, 0.9 + 0.55 * len(bars)), layout="constrained")
        ax = figure.add_subplot()
        positions = list(range(len(bars)))
        height = 0.38
        ax.barh(
            [p - height / 2 for p in positions], [b[1] for b in bars], height, label=_("This period"), color=COLOURS[0]
        )
        ax.barh(
            [p + height / 2 for p in positions],
            [b[2] for b in bars],
            height,
            label=_("Previous period"),
            color=COLOURS[1],
        )
        ax.set_yticks(positions, [_wrap(b[0]) for b in bars])
        ax.invert_yaxis()
        _number_axis(ax.xaxis, content)
        if content.rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        # Above the bars, where it covers none of them; read from the right, keys on the right, in right-to-left.
        handles, labels = ax.get_legend_handles_labels()
        if content.rtl:
            handles, labels = handles[::-1], labels[::-1]
        ax.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=2,
            fontsize=8,
            frameon=False,
            markerfirst=not content.rtl,
        )
        ax.spines[["top", "left" if content.rtl else "right"]].set_visible(False)
        return _save(figure, file_format)


def trend_chart(content: Content, file_format: str) -> bytes | None:
    """Lines of the counts over the trend periods, oldest first (mirrored in right-to-left reports)."""
    if len(content.trend) < 2 or not content.trend[0][1]:
        return None
    with matplotlib.rc_context(_style(content)):
        figure = Figure(figsize=(7.0, 4.2), layout="constrained")
        ax = figure.add_subplot()
        positions = list(range(len(content.trend)))
        for index, label in enumerate(content.trend[0][1]):
            values = [point[1][label] for point in content.trend]
            ax.plot(positions, values, marker="o", label=_wrap(label), color=COLOURS[index % len(COLOURS)])
        ax.set_xticks(positions, [point[0] for point in content.trend], fontsize=8)
        _number_axis(ax.yaxis, content)
        ax.set_ylim(bottom=0)
        if content.rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
        return _save(figure, file_format)


def draw_charts(content: Content, file_format: str) -> dict[str, bytes]:
    """Each section's chart by section code, and the trend under "trend"; charts with nothing to show are left out."""
    out = {}
    for section in content.sections:
        drawn = section_chart(section, content, file_format)
        if drawn is not None:
            out[section.code] = drawn
    trend = trend_chart(content, file_format)
    if trend is not None:
        out["trend"] = trend
    return out
