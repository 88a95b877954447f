"""The report as PDF (WeasyPrint): the same content as the DOCX, with the charts as inline SVG.

`core.pdf.render_pdf` embeds the fonts (Noto Sans / Noto Sans Arabic, Vazirmatn for Persian) from
local files and refuses every other URL, so a render never reaches the network.
"""

import re

from django.utils.safestring import SafeString, mark_safe

from unionhall.core.pdf import render_pdf

from .content import Content

# What precedes the <svg> element (XML declaration, doctype) and the comments matplotlib writes.
SVG_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
SVG_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SVG_STYLE = re.compile(r'style="([^"]*)"')
SVG_ID = re.compile(r'\bid="([^"]+)"')
SVG_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')


def _attributes(match: re.Match[str]) -> str:
    """`style="fill: #fff; stroke: none"` as presentation attributes, which the page's CSS parser leaves alone."""
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def inline_svg(data: bytes, prefix: str) -> SafeString:
    """A matplotlib SVG as an element of the page, its ids prefixed so that several charts never share one.

    It holds no text of users: the labels are ours and drawn as paths.
    """
    text = SVG_COMMENT.sub("", SVG_PROLOGUE.sub("", data.decode("utf-8"), count=1))
    text = SVG_STYLE.sub(_attributes, text)
    text = SVG_ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = SVG_REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    return mark_safe(text)  # noqa: S308


def render_pdf_report(content: Content, charts: dict[str, bytes]) -> bytes:
    sections = [
        (section, inline_svg(charts[section.code], section.code) if section.code in charts else "")
        for section in content.sections
    ]
    context = {
        "c": content,
        "sections": sections,
        "trend": inline_svg(charts["trend"], "trend") if "trend" in charts else "",
    }
    return render_pdf("reports/pdf/summary.html", context, language=content.language)
