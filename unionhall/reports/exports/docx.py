"""The report as a Word document laid out as a Vietnamese administrative report (Decree 30/2020).

python-docx has no right-to-left API: for ar/fa every paragraph gets `w:bidi`, every run `w:rtl` and
complex-script fonts, every table `w:bidiVisual`. A bidi paragraph is never given `jc=right` (in a bidi
paragraph that means the end, i.e. the left); it starts on the right by itself.
"""

import io
from collections.abc import Callable

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .content import Content, Table

LATIN_FONT = "Times New Roman"
# The complex-script face Word uses for Arabic-script runs.
SCRIPT_FONTS = {"fa": "Vazirmatn", "ar": "Noto Sans Arabic"}
LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-GB", "ar": "ar-SA", "fa": "fa-IR"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
BODY_SIZE = Pt(13)
TABLE_SIZE = Pt(10)


class _Writer:
    def __init__(self, content: Content):
        self.content = content
        self.document = Document()
        self._styles()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        # Decree 30/2020: the binding margin is 30 mm, the other 20 mm.
        section.left_margin, section.right_margin = (Cm(2), Cm(3)) if content.rtl else (Cm(3), Cm(2))

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = BODY_SIZE
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        fonts.set(qn("w:cs"), SCRIPT_FONTS.get(self.content.language, LATIN_FONT))
        fonts.set(qn("w:eastAsia"), LATIN_FONT)
        _lang(rpr, self.content.language)
        normal.paragraph_format.space_after = Pt(4)

    def paragraph(
        self,
        container: object,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: Pt | None = None,
        center: bool = False,
        justify: bool = False,
        reuse: bool = False,
    ) -> Paragraph:
        """A paragraph (the cell's first, empty one when `reuse`), right-to-left in ar/fa."""
        paragraphs = getattr(container, "paragraphs", [])
        if reuse and paragraphs and not paragraphs[0].text:  # noqa: SIM108
            paragraph = paragraphs[0]
        else:
            paragraph = container.add_paragraph()  # type: ignore[attr-defined]
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif justify:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if self.content.rtl:
            _bidi(paragraph)
        if text:
            self.run(paragraph, text, bold=bold, italic=italic, size=size)
        return paragraph

    def run(
        self, paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: Pt | None = None
    ) -> None:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = size
        if self.content.rtl:
            rpr = run._r.get_or_add_rPr()
            if bold:
                rpr.insert_element_before(OxmlElement("w:bCs"), *_RPR_AFTER_BCS)
            if italic:
                rpr.insert_element_before(OxmlElement("w:iCs"), *_RPR_AFTER_ICS)
            if size is not None:
                size_cs = OxmlElement("w:szCs")
                size_cs.set(qn("w:val"), str(int(size.pt * 2)))
                rpr.insert_element_before(size_cs, *_RPR_AFTER_SZCS)
            rpr.get_or_add_rtl()

    def table(self, rows: int, columns: int) -> DocxTable:
        table = self.document.add_table(rows=rows, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if self.content.rtl:
            table._tbl.tblPr.get_or_add_bidiVisual()
        return table

    def header(self) -> None:
        """Issuing unit and number on the start side, national title, motto, place and date on the end side."""
        c = self.content
        table = self.table(2, 2)
        issuer, nation = table.rows[0].cells
        if c.issuer_parent:
            self.paragraph(issuer, c.issuer_parent, size=Pt(12), center=True, reuse=True)
        unit = self.paragraph(issuer, c.issuer, bold=True, size=Pt(12), center=True, reuse=True)
        _rule_below(unit)
        self.paragraph(nation, c.national_title, bold=True, size=Pt(12), center=True, reuse=True)
        motto = self.paragraph(nation, c.motto, bold=True, size=Pt(13), center=True)
        _rule_below(motto)
        number, when = table.rows[1].cells
        self.paragraph(number, c.number_line, size=Pt(13), center=True, reuse=True)
        self.paragraph(when, c.place_date, italic=True, size=Pt(13), center=True, reuse=True)
        self.paragraph(self.document)
        self.paragraph(self.document, c.heading, bold=True, size=Pt(14), center=True)
        self.paragraph(self.document, c.title, bold=True, size=Pt(14), center=True)
        self.paragraph(self.document, c.period_line, italic=True, center=True)

    def data_table(self, data: Table) -> None:
        table = self.table(1, len(data.header))
        table.style = self.document.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, data.header, strict=True):
            self.paragraph(cell, text, bold=True, size=TABLE_SIZE, center=True, reuse=True)
        for row in data.rows:
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
                self.paragraph(cell, value.text, size=TABLE_SIZE, center=index > 0, reuse=True)

    def body(self, charts: dict[str, bytes], progress: Callable[[int], None]) -> None:
        c = self.content
        for index, section in enumerate(c.sections):
            self.paragraph(self.document, f"{ROMAN[index % len(ROMAN)]}. {section.title}", bold=True)
            if section.paragraph:
                self.paragraph(self.document, section.paragraph, justify=True)
            if section.code in charts:
                self.document.add_picture(io.BytesIO(charts[section.code]), width=Cm(14))
                self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.data_table(section.table)
            progress(70 + 15 * (index + 1) // len(c.sections))
        if "trend" in charts:
            self.paragraph(self.document, _("Trend over the periods"), bold=True)
            self.document.add_picture(io.BytesIO(charts["trend"]), width=Cm(14))
            self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if c.children:
            self.paragraph(self.document, _("Figures by unit"), bold=True)
            for table in c.children:
                self.paragraph(self.document, table.title, italic=True)
                self.data_table(table)
        for note in (c.children_note, c.reported_note, c.as_of_line):
            if note:
                self.paragraph(self.document, note, italic=True, size=Pt(11))

    def footer(self) -> None:
        """Recipients on the start side, the signer's title and name on the end side."""
        c = self.content
        self.paragraph(self.document)
        table = self.table(1, 2)
        recipients, signer = table.rows[0].cells
        if c.recipients:
            self.paragraph(recipients, c.recipients_heading, bold=True, italic=True, size=Pt(12), reuse=True)
            for name in c.recipients:
                self.paragraph(recipients, f"- {name};", size=Pt(11))
        if c.signer_title:
            self.paragraph(signer, c.signer_title, bold=True, size=Pt(13), center=True, reuse=True)
        if c.signer_name:
            for _blank in range(3):
                self.paragraph(signer)
            self.paragraph(signer, c.signer_name, bold=True, size=Pt(13), center=True, reuse=True)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


_RPR_SEQUENCE = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
_RPR_AFTER_BCS = _RPR_SEQUENCE[_RPR_SEQUENCE.index("w:bCs") + 1 :]
_RPR_AFTER_ICS = _RPR_SEQUENCE[_RPR_SEQUENCE.index("w:iCs") + 1 :]
_RPR_AFTER_SZCS = _RPR_SEQUENCE[_RPR_SEQUENCE.index("w:szCs") + 1 :]
_RPR_AFTER_LANG = _RPR_SEQUENCE[_RPR_SEQUENCE.index("w:lang") + 1 :]
_PPR_SEQUENCE = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)  # fmt: skip
_PPR_AFTER_BIDI = _PPR_SEQUENCE[_PPR_SEQUENCE.index("w:bidi") + 1 :]
_PPR_AFTER_PBDR = _PPR_SEQUENCE[_PPR_SEQUENCE.index("w:pBdr") + 1 :]


def _bidi(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)


def _lang(rpr: object, language: str) -> None:
    lang = OxmlElement("w:lang")
    tag = LANGUAGE_TAGS.get(language, "vi-VN")
    lang.set(qn("w:val"), tag)
    if language in SCRIPT_FONTS:
        lang.set(qn("w:bidi"), tag)
    rpr.insert_element_before(lang, *_RPR_AFTER_LANG)  # type: ignore[attr-defined]


def _rule_below(paragraph: Paragraph) -> None:
    """The short line under the issuing unit and under the motto: a bottom border, indented to a third."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *_PPR_AFTER_PBDR)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(2)


def render_docx(content: Content, charts: dict[str, bytes], progress: Callable[[int], None]) -> bytes:
    """The report as DOCX bytes, with the section charts as PNG images."""
    writer = _Writer(content)
    writer.header()
    writer.body(charts, progress)
    writer.footer()
    return writer.bytes()
