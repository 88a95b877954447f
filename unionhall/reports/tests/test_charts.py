"""The export charts: one per section with something to show, and a trend; SVG with text drawn as paths."""

import re

from django.utils import translation

from unionhall.reports.exports.charts import draw_charts, font_families
from unionhall.reports.exports.content import DocumentInfo, content_build

from .exports_report import PERIOD, report


def content(language: str = "en", **kwargs):
    with translation.override(language):
        return content_build(report(**kwargs), language=language, document=DocumentInfo(), today=PERIOD.end)


def test_a_chart_per_section_with_figures_and_a_trend():
    with translation.override("en"):
        drawn = draw_charts(content(), "svg")
    assert sorted(drawn) == ["activities", "democracy", "emulation", "members", "models", "trend", "units"]
    svg = drawn["members"].decode()
    assert "<svg" in svg
    # Left to right, labels are text the PDF renderer lays out (and a reader can select).
    assert "<text" in svg and "Members" in svg


def test_right_to_left_charts_draw_their_labels_as_glyph_paths():
    """matplotlib shapes and orders Arabic and Persian itself: as text, a PDF renderer would reorder them."""
    with translation.override("fa"):
        drawn = draw_charts(content("fa"), "svg")
    svg = drawn["members"].decode()
    assert "<text" not in svg and "<use" in svg


def test_sections_without_figures_have_no_chart():
    with translation.override("en"):
        drawn = draw_charts(content(values={"members.active": 5}), "png")
    # The previous period had initiatives: that section is still charted.
    assert sorted(drawn) == ["emulation", "members", "trend"]
    assert drawn["members"].startswith(b"\x89PNG")


def test_persian_charts_use_vazirmatn_first_and_the_others_noto():
    assert font_families("fa")[0] == "Vazirmatn"
    assert font_families("vi")[:2] == ["Noto Sans", "Noto Sans Arabic"]
    with translation.override("fa"):
        drawn = draw_charts(content("fa"), "svg")
    assert "Vazirmatn" in drawn["members"].decode()


def test_the_legend_stands_above_the_bars_in_one_line():
    """Below, beside the longest bar, it covered the bar's end."""
    with translation.override("en"):
        svg = draw_charts(content(), "svg")["members"].decode()
    texts = {
        text: (float(x), float(y))
        for x, y, text in re.findall(r'<text [^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]+)', svg)
    }
    this, previous = texts["This period"], texts["Previous period"]
    assert this[1] == previous[1] and this[0] < previous[0]
    assert this[1] < texts["Members"][1]
