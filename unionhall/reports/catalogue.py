"""The indicator catalogue: every figure a period report shows, with its stable code and meaning.

Codes are stable: the API, exports, targets and reported figures use them. A breakdown key is
stored as "dimension=value" (e.g. "reason=left_job"); the empty key is the indicator's total.
How each figure is counted from the records is in `facts.py`, next to the same codes.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Flow, Measure, Section


@dataclass(frozen=True)
class Dimension:
    """A breakdown of an indicator, e.g. members who left by reason."""

    name: str
    label: Promise


@dataclass(frozen=True)
class Indicator:
    code: str
    section: Section
    label: Promise
    definition: Promise
    measure: Measure = Measure.COUNT
    flow: Flow = Flow.FLOW
    dimensions: tuple[Dimension, ...] = ()
    # Officers may report a figure for their subtree where it keeps no records for this indicator.
    reportable: bool = True


REASON = Dimension("reason", _("by reason"))
KIND = Dimension("kind", _("by kind"))
CATEGORY = Dimension("category", _("by participant category"))
FORM = Dimension("form", _("by form"))
LEVEL = Dimension("level", _("by granting level"))
RECIPIENT = Dimension("recipient", _("individual or collective"))

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "members.active",
        Section.MEMBERS,
        _("Members"),
        _("Memberships that had begun and not ended on the last day of the period (suspended members included)."),
        flow=Flow.STOCK,
    ),
    Indicator(
        "members.women",
        Section.MEMBERS,
        _("Women members"),
        _("Of the members at the end of the period, those recorded as women."),
        flow=Flow.STOCK,
    ),
    Indicator(
        "members.joined",
        Section.MEMBERS,
        _("Members joined"),
        _("Memberships that began in the period, including those opened by a transfer from another unit."),
    ),
    Indicator(
        "members.ended",
        Section.MEMBERS,
        _("Memberships ended"),
        _("Memberships that ended in the period, by the reason recorded (a transfer ends one and opens another)."),
        dimensions=(REASON,),
    ),
    Indicator(
        "units.grassroots.active",
        Section.UNITS,
        _("Grassroots unions"),
        _("Grassroots unions established on or before the last day of the period and not ended by then."),
        flow=Flow.STOCK,
    ),
    Indicator(
        "units.grassroots.established",
        Section.UNITS,
        _("Grassroots unions established"),
        _("Grassroots unions whose establishment date falls in the period."),
    ),
    Indicator(
        "units.grassroots.dissolved",
        Section.UNITS,
        _("Grassroots unions dissolved"),
        _("Grassroots unions dissolved in the period (merged or split ones are not counted)."),
    ),
    Indicator(
        "movements.registrations",
        Section.EMULATION,
        _("Emulation registrations"),
        _("Pledges registered in emulation movements in the period, by units and by their members."),
    ),
    Indicator(
        "initiatives.submitted",
        Section.EMULATION,
        _("Initiatives submitted"),
        _("Initiatives whose request for recognition is dated in the period."),
    ),
    Indicator(
        "initiatives.recognized",
        Section.EMULATION,
        _("Initiatives recognised"),
        _("Initiatives recognised in the period."),
    ),
    Indicator(
        "initiatives.benefit_vnd",
        Section.EMULATION,
        _("Benefit of initiatives (VND)"),
        _("The benefit (tiền làm lợi) recorded for initiatives for each calendar year that ends in the period."),
        measure=Measure.VND,
    ),
    Indicator(
        "awards.count",
        Section.EMULATION,
        _("Awards granted"),
        _("Awards of decisions signed in the period and not revoked by its end, by form, granting level and awardee."),
        dimensions=(FORM, LEVEL, RECIPIENT),
    ),
    Indicator(
        "awards.bonus_vnd",
        Section.EMULATION,
        _("Award bonuses (VND)"),
        _("The bonuses of those awards."),
        measure=Measure.VND,
    ),
    Indicator(
        "activities.count",
        Section.ACTIVITIES,
        _("Activities held"),
        _("Activities held that began in the period, by kind; one held together by several units counts once."),
        dimensions=(KIND,),
    ),
    Indicator(
        "activities.participants",
        Section.ACTIVITIES,
        _("Participants"),
        _("Attendance at those activities (person-sessions), by kind and by participant category."),
        dimensions=(KIND, CATEGORY),
    ),
    Indicator(
        "dialogues.held",
        Section.DEMOCRACY,
        _("Workplace dialogues held"),
        _("Dialogues at the workplace held in the period, periodic or not."),
    ),
    Indicator(
        "dialogues.overdue_employers",
        Section.DEMOCRACY,
        _("Employers overdue for a dialogue"),
        _("Employers with a grassroots union whose periodic dialogue was overdue on the last day of the period."),
        flow=Flow.STOCK,
        reportable=False,
    ),
    Indicator(
        "employee_conferences.held",
        Section.DEMOCRACY,
        _("Employee conferences held"),
        _("Employee conferences (hội nghị người lao động) held in the period."),
    ),
    Indicator(
        "models.registered",
        Section.MODELS,
        _("Models registered"),
        _("Models and exemplars registered in the period; one of a joint programme counts for every party."),
    ),
    Indicator(
        "models.effective",
        Section.MODELS,
        _("Models recognised as effective"),
        _("Models and exemplars recognised as effective in the period."),
    ),
    Indicator(
        "programmes.activities",
        Section.MODELS,
        _("Activities of joint programmes"),
        _("Of the activities held, those serving a joint programme; they count for every party of the programme."),
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    """The indicator with this code; KeyError for an unknown code."""
    return BY_CODE[code]


def by_section(codes: Iterable[str] | None = None) -> list[tuple[Section, list[Indicator]]]:
    """Indicators grouped by section, in catalogue order."""
    wanted = set(codes) if codes is not None else None
    out: dict[Section, list[Indicator]] = {}
    for item in INDICATORS:
        if wanted is None or item.code in wanted:
            out.setdefault(item.section, []).append(item)
    return list(out.items())


def split_key(key: str) -> tuple[str, str]:
    """("reason", "left_job") from "reason=left_job"; ("", "") for the total."""
    dimension, _sep, value = key.partition("=")
    return dimension, value
