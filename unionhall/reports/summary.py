"""What a summary report holds, independent of how it is shown (page, API, DOCX, XLSX, PDF).

`figures.py` builds a `SummaryReport`; everything that shows one reads only these classes.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from django.utils import translation

from . import catalogue
from .periods import Period


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    names: dict[str, str]
    depth: int = 0

    @property
    def name(self) -> str:
        """The name in the active language."""
        language = (translation.get_language() or "vi").split("-")[0]
        return self.names.get(language) or self.names.get("vi") or self.code


class Figure(NamedTuple):
    """One indicator's value; `breakdown` maps a dimension to its keys' values.

    A named tuple: a province report makes about 4,000, and a tuple is made in less than half a frozen
    dataclass's time. Like the tuple, its breakdown is never changed (figures share the empty ones).
    """

    value: int
    breakdown: Mapping[str, Mapping[str, int]] = MappingProxyType({})
    # An officer-reported figure replaced the counted one for (part of) this row.
    reported: bool = False


@dataclass(frozen=True)
class Progress:
    target: int
    value: int

    @property
    def percent(self) -> Decimal:
        """Value as a percentage of the target, to two decimals (10,177 of 8,450 is 120.44)."""
        return (Decimal(self.value) * 100 / Decimal(self.target)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        return self.value >= self.target


@dataclass(frozen=True)
class Row:
    """The figures of one subtree (the report's unit, or one of its direct units) for the period."""

    unit: UnitRef
    figures: dict[str, Figure]
    previous: dict[str, Figure]
    targets: dict[str, Progress] = field(default_factory=dict)

    def value(self, code: str) -> int:
        figure = self.figures.get(code)
        return figure.value if figure else 0

    def change(self, code: str) -> int:
        """This period's value less the previous period's."""
        before = self.previous.get(code)
        return self.value(code) - (before.value if before else 0)


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    values: dict[str, int]


@dataclass(frozen=True)
class SummaryReport:
    """A unit's summary report for a period, on the tree as it stood on the period's last day."""

    unit: UnitRef
    period: Period
    previous_period: Period
    total: Row
    children: list[Row]
    trend: list[TrendPoint]
    # When the roll-ups the figures came from were last brought up to date (None: counted from the records now).
    as_of: dt.datetime | None
    # Shared items (an activity of several units) appear in each child row that holds one: rows may add up to more.
    children_overlap: dict[str, int] = field(default_factory=dict)
    # Audit entries written since `as_of` that the roll-ups do not hold yet (the worker is adding them).
    pending: int = 0
    indicators: tuple[str, ...] = tuple(i.code for i in catalogue.INDICATORS)

    def sections(self) -> list[tuple[Any, list[catalogue.Indicator]]]:
        return catalogue.by_section(self.indicators)


def figure_json(figure: Figure) -> int | dict[str, Any]:
    """A value, or {"total": n, "by_<dimension>": {key: n}} when the indicator has breakdowns."""
    if not figure.breakdown:
        return figure.value
    out: dict[str, Any] = {"total": figure.value}
    for dimension, values in figure.breakdown.items():
        out[f"by_{dimension}"] = dict(sorted(values.items()))
    return out


def figures_json(figures: dict[str, Figure], codes: tuple[str, ...]) -> dict[str, Any]:
    return {code: figure_json(figures.get(code, Figure(0))) for code in codes}


def report_json(report: SummaryReport) -> dict[str, Any]:
    """The machine-readable report of `GET /api/v1/reports/summary` and `unionhall report summary --format json`."""

    def row_json(row: Row) -> dict[str, Any]:
        return {
            "unit": row.unit.code,
            "name": row.unit.name,
            "indicators": figures_json(row.figures, report.indicators),
            "previous": figures_json(row.previous, report.indicators),
            "reported": sorted(code for code, figure in row.figures.items() if figure.reported),
            "targets": {
                code: {"target": p.target, "value": p.value, "percent": str(p.percent)}
                for code, p in sorted(row.targets.items())
            },
        }

    total = row_json(report.total)
    return {
        "unit": report.unit.code,
        "name": report.unit.name,
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "previous_period": {
            "from": report.previous_period.start.isoformat(),
            "to": report.previous_period.end.isoformat(),
        },
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "pending_changes": report.pending,
        "indicators": total["indicators"],
        "previous": total["previous"],
        "reported": total["reported"],
        "targets": total["targets"],
        "children": [row_json(child) for child in report.children],
        "children_overlap": dict(sorted(report.children_overlap.items())),
        "trend": [
            {
                "from": p.period.start.isoformat(),
                "to": p.period.end.isoformat(),
                "indicators": dict(sorted(p.values.items())),
            }
            for p in report.trend
        ],
    }
