"""Whether a dialogue's sides meet the composition band for the employer's headcount (Decree 145/2020 Art. 38).

A pure function of the figures and the band: it returns every rule the composition breaks, each with
its code, the figures involved and a message, so the officer sees why and can confirm knowingly.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import CompositionBand

EMPLOYER_SIDE_SHORT = "employer_side_short"
LEGAL_REPRESENTATIVE_ABSENT = "legal_representative_absent"
EMPLOYEE_SIDE_SHORT = "employee_side_short"
EMPLOYEE_SIDE_OVER = "employee_side_over"


@dataclass(frozen=True)
class Issue:
    """One broken rule: `code`, the figure found (`actual`) and the limit of the band (`limit`)."""

    code: str
    actual: int
    limit: int
    headcount: int

    @property
    def message(self) -> str:
        values = {"actual": self.actual, "limit": self.limit, "headcount": self.headcount}
        if self.code == EMPLOYER_SIDE_SHORT:
            return str(
                ngettext_lazy(
                    "The employer side has %(actual)s participant; at least %(limit)s are required.",
                    "The employer side has %(actual)s participants; at least %(limit)s are required.",
                    "actual",
                )
                % values
            )
        if self.code == LEGAL_REPRESENTATIVE_ABSENT:
            return str(_("The employer's legal representative must take part on the employer side."))
        if self.code == EMPLOYEE_SIDE_SHORT:
            return str(
                ngettext_lazy(
                    "The employee side has %(actual)s representative; with %(headcount)s employees at least "
                    "%(limit)s are required.",
                    "The employee side has %(actual)s representatives; with %(headcount)s employees at least "
                    "%(limit)s are required.",
                    "actual",
                )
                % values
            )
        return str(
            _("The employee side has %(actual)s representatives; with %(headcount)s employees at most %(limit)s.")
            % values
        )

    def as_dict(self) -> dict[str, Any]:
        """What is stored with a confirmed dialogue (no message: it is read in the reader's language)."""
        return {"code": self.code, "actual": self.actual, "limit": self.limit, "headcount": self.headcount}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "Issue":
        return cls(values["code"], int(values["actual"]), int(values["limit"]), int(values["headcount"]))


def composition_issues(
    *,
    band: CompositionBand,
    headcount: int,
    employer_side: int,
    legal_representative_present: bool,
    employee_side: int,
) -> list[Issue]:
    """The rules of `band` the composition breaks, in a fixed order; empty when it complies."""
    issues = []
    if employer_side < band.employer_side_min:
        issues.append(Issue(EMPLOYER_SIDE_SHORT, employer_side, band.employer_side_min, headcount))
    if not legal_representative_present:
        issues.append(Issue(LEGAL_REPRESENTATIVE_ABSENT, 0, 1, headcount))
    if employee_side < band.employee_side_min:
        issues.append(Issue(EMPLOYEE_SIDE_SHORT, employee_side, band.employee_side_min, headcount))
    elif band.employee_side_max is not None and employee_side > band.employee_side_max:
        issues.append(Issue(EMPLOYEE_SIDE_OVER, employee_side, band.employee_side_max, headcount))
    return issues
