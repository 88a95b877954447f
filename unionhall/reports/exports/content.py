"""What every export of a summary report says, as text in the report's language, built once.

The DOCX, XLSX and PDF writers only lay this out: the Decree 30/2020 header (national title and
motto, issuing unit, number and symbol, place and date), the title, the narrative, a table per
section, the tables by unit, the recipients and the signer. Call under `translation.override`.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from unionhall.core.formatting import Preferences, format_date, format_datetime, format_number

from .. import catalogue
from ..choices import Measure
from ..summary import Row, SummaryReport
from .narrative import number, percent, section_sentences

# The national title and motto of Viet Nam, as Decree 30/2020 prints them on every administrative document.
NATIONAL_TITLE_VI = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_VI = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class DocumentInfo:
    """The parts of an administrative report the officer fills in (Decree 30/2020); blank parts are left out."""

    number: str = ""
    place: str = ""
    signer_name: str = ""
    signer_title: str = ""
    recipients: tuple[str, ...] = ()
    # E.g. "Tổng kết phong trào thi đua giai đoạn 2023–2025"; blank: "Summary report" and the period.
    title: str = ""
    # The issuing unit's parent, printed above it (the "cơ quan chủ quản").
    issuer_parent: str = ""
    # The document's date; None: the day it is written.
    date: dt.date | None = None


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and its number when it has one (the XLSX writes the number)."""

    text: str
    value: int | float | None = None


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class SectionContent:
    code: str
    title: str
    paragraph: str
    table: Table
    # (label, this period, previous period) of the section's counts, for its chart.
    chart: list[tuple[str, int, int]]


@dataclass(frozen=True)
class Content:
    language: str
    rtl: bool
    prefs: Preferences
    national_title: str
    motto: str
    issuer_parent: str
    issuer: str
    number_line: str
    place_date: str
    heading: str
    title: str
    period_line: str
    as_of_line: str
    sections: list[SectionContent]
    children: list[Table]
    children_note: str
    reported_note: str
    recipients_heading: str
    recipients: list[str]
    signer_title: str
    signer_name: str
    # (period label, {indicator label: value}) oldest first, for the trend chart.
    trend: list[tuple[str, dict[str, int]]] = field(default_factory=list)


def left_to_right(text: str) -> str:
    """`text` as a left-to-right island (Unicode isolate): a number and symbol such as "12/BC-LĐLĐ" keeps its
    order inside a right-to-left line instead of reading "BC-LĐLĐ/12"."""
    return f"\u2066{text}\u2069"


def preferences_for(language: str) -> Preferences:
    """A document's number and date style: native digits, and the Jalali calendar in Persian."""
    return Preferences(language=language, jalali=language == "fa")


def place_date(place: str, day: dt.date, prefs: Preferences) -> str:
    """ "Đồng Nai, ngày 26 tháng 11 năm 2026" in Vietnamese (Decree 30/2020); else place and formatted date."""
    if prefs.language == "vi":
        # Decree 30/2020: a zero before days below 10 and before months 1 and 2.
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
        return f"{place}, {text}" if place else text.capitalize()
    date = format_date(day, prefs)
    # Translators: the place and date of a document, vi "%(place)s, ngày … tháng … năm …" is written by code
    return _("%(place)s, %(date)s") % {"place": place, "date": date} if place else date


def _mark(row: Row, code: str) -> str:
    figure = row.figures.get(code)
    return " *" if figure is not None and figure.reported else ""


def _previous(row: Row, code: str) -> int:
    figure = row.previous.get(code)
    return figure.value if figure else 0


def _value_cell(value: int, prefs: Preferences) -> Cell:
    return Cell(number(value, prefs), value)


def _change_cell(change: int, prefs: Preferences) -> Cell:
    text = number(abs(change), prefs)
    return Cell(f"+{text}" if change > 0 else f"−{text}" if change < 0 else text, change)


def _section_table(
    report: SummaryReport, title: str, indicators: list[catalogue.Indicator], prefs: Preferences
) -> Table:
    header = [
        _("Indicator"),
        _("This period"),
        _("Previous period"),
        pgettext("figure column", "Change"),
        _("Target"),
        # xgettext:no-python-format
        _("% of target"),
    ]
    rows = []
    total = report.total
    for item in indicators:
        progress = total.targets.get(item.code)
        rows.append(
            [
                Cell(f"{item.label}{_mark(total, item.code)}"),
                _value_cell(total.value(item.code), prefs),
                _value_cell(_previous(total, item.code), prefs),
                _change_cell(total.change(item.code), prefs),
                _value_cell(progress.target, prefs) if progress else Cell(""),
                Cell(percent(progress.percent, prefs), float(progress.percent)) if progress else Cell(""),
            ]
        )
    return Table(title, header, rows)


def _children_table(
    report: SummaryReport, title: str, indicators: list[catalogue.Indicator], prefs: Preferences
) -> Table:
    header = [_("Unit"), *(str(item.label) for item in indicators)]
    rows = [
        [Cell(child.unit.name), *(_value_cell(child.value(i.code), prefs) for i in indicators)]
        for child in report.children
    ]
    rows.append([Cell(_("Total")), *(_value_cell(report.total.value(i.code), prefs) for i in indicators)])
    return Table(title, header, rows)


def _trend(report: SummaryReport, prefs: Preferences) -> list[tuple[str, dict[str, int]]]:
    """The counts that were not zero in some trend period (at most six, in catalogue order)."""
    codes = [
        i.code
        for i in catalogue.INDICATORS
        if i.code in report.indicators
        and i.measure == Measure.COUNT
        and any(p.values.get(i.code) for p in report.trend)
    ][:6]
    return [
        (
            period_label(point.period.start, point.period.end, prefs),
            {str(catalogue.indicator(code).label): point.values.get(code, 0) for code in codes},
        )
        for point in report.trend
    ]


def period_label(start: dt.date, end: dt.date, prefs: Preferences) -> str:
    """A short label of a period: "2024", "2023–2025", else its two dates."""
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        first = format_number(start.year, prefs, grouping=False)
        last = format_number(end.year, prefs, grouping=False)
        return first if start.year == end.year else f"{first}–{last}"
    return f"{format_date(start, prefs)} – {format_date(end, prefs)}"


def content_build(report: SummaryReport, *, language: str, document: DocumentInfo, today: dt.date) -> Content:
    """Everything the document says, in `language` (active while this runs)."""
    prefs = preferences_for(language)
    vietnamese = language == "vi"
    sentences = section_sentences(report, prefs)
    sections = []
    children = []
    for section, indicators in report.sections():
        title = str(section.label)
        counts = [i for i in indicators if i.measure == Measure.COUNT]
        sections.append(
            SectionContent(
                code=str(section),
                title=title,
                paragraph=" ".join(sentences.get(section, [])),
                table=_section_table(report, title, indicators, prefs),
                chart=[
                    (
                        str(i.label),
                        report.total.value(i.code),
                        _previous(report.total, i.code),
                    )
                    for i in counts
                ],
            )
        )
        if report.children:
            children.append(_children_table(report, title, indicators, prefs))
    overlap = sum(report.children_overlap.values())
    reported = any(f.reported for f in report.total.figures.values()) or any(
        f.reported for child in report.children for f in child.figures.values()
    )
    return Content(
        language=language,
        rtl=translation.get_language_bidi(),
        prefs=prefs,
        national_title=NATIONAL_TITLE_VI if vietnamese else _("SOCIALIST REPUBLIC OF VIET NAM"),
        motto=MOTTO_VI if vietnamese else _("Independence - Freedom - Happiness"),
        issuer_parent=document.issuer_parent.upper(),
        issuer=report.unit.name.upper(),
        # Translators: the number and symbol of a document, vi "Số: %(number)s"
        number_line=_("No.: %(number)s")
        % {"number": left_to_right(document.number) if translation.get_language_bidi() else document.number}
        if document.number
        else "",
        place_date=place_date(document.place, document.date or today, prefs),
        # Translators: the kind of document, in capitals; vi "BÁO CÁO"
        heading=_("REPORT"),
        title=document.title or _("Summary report of %(unit)s") % {"unit": report.unit.name},
        # Translators: vi "Kỳ báo cáo: %(period)s"
        period_line=_("Period: %(period)s") % {"period": period_label(report.period.start, report.period.end, prefs)},
        as_of_line=_("Figures as of %(time)s.") % {"time": format_datetime(report.as_of, prefs)}
        if report.as_of
        else _("Figures counted from the records when the report was made."),
        sections=sections,
        children=children,
        children_note=_(
            "An item shared by several units (an activity they held together) is shown in the row of each of them "
            "and counted once in the total, so the rows may add up to more than the total."
        )
        if report.children and overlap
        else "",
        reported_note=_("* Includes figures reported by units that keep no records for the indicator.")
        if reported
        else "",
        # Translators: vi "Nơi nhận:"
        recipients_heading=_("Recipients:"),
        recipients=list(document.recipients),
        signer_title=document.signer_title.upper(),
        signer_name=document.signer_name,
        trend=_trend(report, prefs),
    )
