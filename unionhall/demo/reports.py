"""The demo's period reports: the province's 2025 targets, a figure a ward reports, and a reporting round.

Đồng Nai (DN) asks its direct units for their 2025 summary reports by 15 January 2026: Biên Hòa's
industrial-park union sent its report in time, Trảng Bom's late, Trấn Biên's was sent back for
missing figures, the others have not sent theirs. Long Bình ward keeps no records of its
dissemination sessions, so it reports their number and attendance. The roll-ups are built last,
so the first report a visitor opens reads them.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from unionhall.orgunits.models import Unit
from unionhall.reports import periods, rollup, services

YEAR = periods.year(2025)
DUE = dt.date(2026, 1, 15)
TARGETS = {
    # Set by the confederation for the province, and by the province for its direct units.
    "members.joined": {"DN": 50, "DN-KCN-BH": 4, "DN-KCN-NT": 10, "DN-TBM": 10, "DN-LT": 20},
    "activities.count": {"DN-KCN-BH": 8, "DN-HV": 3},
}
REPORTED = [("DN-LB", "activities.count", 6), ("DN-LB", "activities.participants", 240)]
SUBMITTED = [
    ("DN-KCN-BH", dt.datetime(2026, 1, 12, 3, tzinfo=dt.UTC)),
    ("DN-TBM", dt.datetime(2026, 1, 20, 2, tzinfo=dt.UTC)),
]
SENT_BACK = (
    "DN-TB",
    dt.datetime(2026, 1, 9, 4, tzinfo=dt.UTC),
    "Thiếu số liệu đối thoại tại nơi làm việc của các CĐCS.",
)


@dataclass
class ReportsResult:
    targets: int = 0
    reported: int = 0
    submissions: int = 0


def reports_build(*, admin: Any) -> ReportsResult:
    result = ReportsResult()
    units = {u.code: u for u in Unit.objects.filter(code__in=_codes())}
    for indicator, values in TARGETS.items():
        for code, value in values.items():
            services.target_set(actor=admin, unit=units[code], indicator=indicator, period=YEAR, value=value)
            result.targets += 1
    for code, indicator, value in REPORTED:
        services.figure_report(
            actor=admin,
            unit=units[code],
            indicator=indicator,
            period=YEAR,
            value=value,
            note="Sổ theo dõi tuyên truyền của phường",
        )
        result.reported += 1
    services.round_open(actor=admin, unit=units["DN"], title="Báo cáo tổng kết năm 2025", period=YEAR, due_date=DUE)
    for code, at in SUBMITTED:
        services.submission_submit(actor=admin, unit=units[code], period=YEAR, now=at)
        result.submissions += 1
    code, at, reason = SENT_BACK
    submission = services.submission_submit(actor=admin, unit=units[code], period=YEAR, now=at)
    services.submission_return(actor=admin, submission=submission, reason=reason, now=at + dt.timedelta(days=2))
    result.submissions += 1
    rollup.rollup_rebuild()
    return result


def _codes() -> set[str]:
    codes = {code for values in TARGETS.values() for code in values}
    codes |= {code for code, _i, _v in REPORTED} | {code for code, _at in SUBMITTED} | {SENT_BACK[0], "DN"}
    return codes
