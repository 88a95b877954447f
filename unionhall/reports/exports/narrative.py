"""The report's narrative: sentences generated from its figures, in the active language.

Every sentence is a gettext template with named placeholders (translators may reorder them); numbers,
money and dates go through `core.formatting`, so vi reads "6.800", en "6,800", fa "۶٬۸۰۰". A sentence is
written only when its main figure is not zero. Call under `translation.override(language)`.
"""

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from unionhall.core.formatting import Preferences, format_date, format_number

from .. import catalogue
from ..choices import Section
from ..periods import Period, month_end
from ..summary import Progress, SummaryReport

BILLION = 1_000_000_000
MILLION = 1_000_000


def number(value: int | Decimal, prefs: Preferences) -> str:
    return format_number(value, prefs)


def percent(value: Decimal, prefs: Preferences) -> str:
    # Translators: a percentage; vi "%(number)s%%" (e.g. "120,44%"), fa may use "٪".
    return _("%(number)s%%") % {"number": format_number(value, prefs)}


def _scaled(value: int, unit: int) -> tuple[Decimal, bool]:
    """`value` in `unit`s, rounded down to a whole number (one decimal below ten); whether some was dropped."""
    exact = Decimal(value) / unit
    places = Decimal("0.1") if exact < 10 else Decimal("1")
    shown = exact.quantize(places, rounding=ROUND_DOWN)
    if shown == shown.to_integral_value():
        shown = shown.quantize(Decimal("1"))
    return shown, shown != exact


def money_phrase(value: int, prefs: Preferences) -> str:
    """An amount of VND in words of scale, rounded down: "more than 185 billion VND" (vi "trên 185 tỷ đồng")."""
    if value >= BILLION:
        amount, more = _scaled(value, BILLION)
        if more:
            # Translators: vi "trên %(amount)s tỷ đồng"
            return _("more than %(amount)s billion VND") % {"amount": number(amount, prefs)}
        # Translators: vi "%(amount)s tỷ đồng"
        return _("%(amount)s billion VND") % {"amount": number(amount, prefs)}
    if value >= MILLION:
        amount, more = _scaled(value, MILLION)
        if more:
            # Translators: vi "trên %(amount)s triệu đồng"
            return _("more than %(amount)s million VND") % {"amount": number(amount, prefs)}
        # Translators: vi "%(amount)s triệu đồng"
        return _("%(amount)s million VND") % {"amount": number(amount, prefs)}
    # Translators: vi "%(amount)s đồng"
    return _("%(amount)s VND") % {"amount": number(value, prefs)}


def period_phrase(period: Period, prefs: Preferences) -> str:
    """How a sentence opens on the period: "In 2024", "In 2023–2025", "In the first half of 2024", "From … to …"."""
    start, end = period.start, period.end
    whole_years = start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31

    def year(value: int) -> str:
        return format_number(value, prefs, grouping=False)

    if whole_years and start.year == end.year:
        # Translators: vi "Trong năm %(year)s"
        return _("In %(year)s") % {"year": year(start.year)}
    if whole_years:
        # Translators: vi "Trong giai đoạn %(first)s–%(last)s"
        return _("In %(first)s–%(last)s") % {"first": year(start.year), "last": year(end.year)}
    if start.year == end.year and start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 6, 30):
        # Translators: vi "Trong 6 tháng đầu năm %(year)s"
        return _("In the first half of %(year)s") % {"year": year(start.year)}
    if start.year == end.year and start == dt.date(start.year, 7, 1) and end == month_end(dt.date(start.year, 12, 1)):
        # Translators: vi "Trong 6 tháng cuối năm %(year)s"
        return _("In the second half of %(year)s") % {"year": year(start.year)}
    # Translators: vi "Từ %(start)s đến %(end)s"
    return _("From %(start)s to %(end)s") % {"start": format_date(start, prefs), "end": format_date(end, prefs)}


class _Writer:
    """Sentences about one report's total row."""

    def __init__(self, report: SummaryReport, prefs: Preferences):
        self.report = report
        self.prefs = prefs
        self.when = period_phrase(report.period, prefs)
        # Translators: the subject of a sentence about a unit with units below it; vi "toàn hệ thống"
        self.who = _("the whole system") if report.children else report.unit.name

    def value(self, code: str) -> int:
        return self.report.total.value(code) if code in self.report.indicators else 0

    def count(self, code: str, text: Promise, **extra: str) -> list[str]:
        """`text` (plural forms chosen by the figure, as "n") with the figure of `code`; nothing when it is zero."""
        n = self.value(code)
        if not n:
            return []
        return [str(text % {"n": n, "when": self.when, "who": self.who, "count": number(n, self.prefs), **extra})]

    def target(self, code: str, progress: Progress) -> str:
        return _("%(indicator)s: %(value)s, %(percent)s of the target of %(target)s.") % {
            "indicator": catalogue.indicator(code).label,
            "value": number(progress.value, self.prefs),
            "percent": percent(progress.percent, self.prefs),
            "target": number(progress.target, self.prefs),
        }

    def members(self) -> list[str]:
        out: list[str] = []
        women = self.value("members.women")
        if women and self.value("members.active"):
            out += self.count(
                "members.active",
                ngettext_lazy(
                    "At the end of the period, %(who)s had %(count)s member, of whom %(women)s were women.",
                    "At the end of the period, %(who)s had %(count)s members, of whom %(women)s were women.",
                    "n",
                ),
                women=number(women, self.prefs),
            )
        else:
            out += self.count(
                "members.active",
                ngettext_lazy(
                    "At the end of the period, %(who)s had %(count)s member.",
                    "At the end of the period, %(who)s had %(count)s members.",
                    "n",
                ),
            )
        out += self.count(
            "members.joined",
            ngettext_lazy("%(when)s, %(count)s new member joined.", "%(when)s, %(count)s new members joined.", "n"),
        )
        out += self.count(
            "members.ended",
            ngettext_lazy(
                "%(count)s membership ended in the period.", "%(count)s memberships ended in the period.", "n"
            ),
        )
        return out

    def units(self) -> list[str]:
        out: list[str] = []
        out += self.count(
            "units.grassroots.active",
            ngettext_lazy(
                "At the end of the period there was %(count)s grassroots union.",
                "At the end of the period there were %(count)s grassroots unions.",
                "n",
            ),
        )
        out += self.count(
            "units.grassroots.established",
            ngettext_lazy(
                "%(when)s, %(count)s new grassroots union was established.",
                "%(when)s, %(count)s new grassroots unions were established.",
                "n",
            ),
        )
        out += self.count(
            "units.grassroots.dissolved",
            ngettext_lazy(
                "%(count)s grassroots union was dissolved.",
                "%(count)s grassroots unions were dissolved.",
                "n",
            ),
        )
        return out

    def emulation(self) -> list[str]:
        out: list[str] = []
        out += self.count(
            "movements.registrations",
            ngettext_lazy(
                "%(when)s, %(count)s emulation pledge was registered.",
                "%(when)s, %(count)s emulation pledges were registered.",
                "n",
            ),
        )
        out += self.count(
            "initiatives.submitted",
            ngettext_lazy(
                "%(count)s initiative was submitted for recognition.",
                "%(count)s initiatives were submitted for recognition.",
                "n",
            ),
        )
        benefit = self.value("initiatives.benefit_vnd")
        if benefit and self.value("initiatives.recognized"):
            out += self.count(
                "initiatives.recognized",
                # Translators: vi "%(when)s, %(who)s có %(count)s sáng kiến, giải pháp, làm lợi %(amount)s."
                ngettext_lazy(
                    "%(when)s, %(who)s had %(count)s initiative and solution recognised, "
                    "bringing a benefit of %(amount)s.",
                    "%(when)s, %(who)s had %(count)s initiatives and solutions recognised, "
                    "bringing a benefit of %(amount)s.",
                    "n",
                ),
                amount=money_phrase(benefit, self.prefs),
            )
        elif benefit:
            out.append(
                _("Initiatives brought a benefit of %(amount)s.") % {"amount": money_phrase(benefit, self.prefs)}
            )
        else:
            out += self.count(
                "initiatives.recognized",
                ngettext_lazy(
                    "%(when)s, %(who)s had %(count)s initiative and solution recognised.",
                    "%(when)s, %(who)s had %(count)s initiatives and solutions recognised.",
                    "n",
                ),
            )
        bonus = self.value("awards.bonus_vnd")
        if bonus and self.value("awards.count"):
            out += self.count(
                "awards.count",
                ngettext_lazy(
                    "%(count)s commendation or award was granted, with bonuses of %(amount)s.",
                    "%(count)s commendations and awards were granted, with bonuses of %(amount)s.",
                    "n",
                ),
                amount=money_phrase(bonus, self.prefs),
            )
        else:
            out += self.count(
                "awards.count",
                ngettext_lazy(
                    "%(count)s commendation or award was granted.",
                    "%(count)s commendations and awards were granted.",
                    "n",
                ),
            )
        return out

    def activities(self) -> list[str]:
        participants = self.value("activities.participants")
        if participants:
            return self.count(
                "activities.count",
                ngettext_lazy(
                    "%(when)s, %(count)s activity was held with %(participants)s participants.",
                    "%(when)s, %(count)s activities were held with %(participants)s participants.",
                    "n",
                ),
                participants=number(participants, self.prefs),
            )
        return self.count(
            "activities.count",
            ngettext_lazy("%(when)s, %(count)s activity was held.", "%(when)s, %(count)s activities were held.", "n"),
        )

    def democracy(self) -> list[str]:
        out: list[str] = []
        out += self.count(
            "dialogues.held",
            ngettext_lazy(
                "%(when)s, %(count)s workplace dialogue was held.",
                "%(when)s, %(count)s workplace dialogues were held.",
                "n",
            ),
        )
        out += self.count(
            "employee_conferences.held",
            ngettext_lazy(
                "%(count)s employee conference was held.",
                "%(count)s employee conferences were held.",
                "n",
            ),
        )
        out += self.count(
            "dialogues.overdue_employers",
            ngettext_lazy(
                "At the end of the period, %(count)s employer was overdue for a periodic dialogue.",
                "At the end of the period, %(count)s employers were overdue for a periodic dialogue.",
                "n",
            ),
        )
        return out

    def models(self) -> list[str]:
        out: list[str] = []
        out += self.count(
            "models.registered",
            ngettext_lazy(
                "%(when)s, %(count)s model or exemplar was registered.",
                "%(when)s, %(count)s models and exemplars were registered.",
                "n",
            ),
        )
        out += self.count(
            "models.effective",
            ngettext_lazy(
                "%(count)s model was recognised as effective.",
                "%(count)s models were recognised as effective.",
                "n",
            ),
        )
        out += self.count(
            "programmes.activities",
            ngettext_lazy(
                "%(count)s activity was held under joint programmes.",
                "%(count)s activities were held under joint programmes.",
                "n",
            ),
        )
        return out

    def targets(self, codes: list[str]) -> list[str]:
        return [
            self.target(code, self.report.total.targets[code]) for code in codes if code in self.report.total.targets
        ]


SECTION_SENTENCES: dict[str, Callable[[_Writer], list[str]]] = {
    Section.MEMBERS: _Writer.members,
    Section.UNITS: _Writer.units,
    Section.EMULATION: _Writer.emulation,
    Section.ACTIVITIES: _Writer.activities,
    Section.DEMOCRACY: _Writer.democracy,
    Section.MODELS: _Writer.models,
}


def section_sentences(report: SummaryReport, prefs: Preferences) -> dict[str, list[str]]:
    """Each section's sentences (figures, then targets), in catalogue order; a section with none is left out."""
    writer = _Writer(report, prefs)
    out: dict[str, list[str]] = {}
    for section, indicators in report.sections():
        sentences = SECTION_SENTENCES[section](writer) + writer.targets([i.code for i in indicators])
        if sentences:
            out[section] = sentences
    return out


def narrative(report: SummaryReport, prefs: Preferences) -> list[str]:
    """The narrative as paragraphs, one per section that has something to say."""
    return [" ".join(sentences) for sentences in section_sentences(report, prefs).values()]
