"""A summary report built by hand, for the rendering tests: given this report, a document says exactly X."""

from unionhall.reports.periods import Period, years
from unionhall.reports.summary import Figure, Progress, Row, SummaryReport, TrendPoint, UnitRef

PERIOD = years(2023, 2025)
PROVINCE = UnitRef(
    1,
    "DN",
    {
        "vi": "Liên đoàn Lao động tỉnh Đồng Nai",
        "en": "Dong Nai Provincial Federation of Labour",
        "ar": "اتحاد العمل في محافظة دونغ ناي",
        "fa": "فدراسیون کار استان دونگ نای",
    },
    1,
)
COMMUNE = UnitRef(2, "DN-TB", {"vi": "=Công đoàn phường Trấn Biên"}, 2)
VALUES = {
    "members.active": 125_000,
    "members.women": 61_000,
    "members.joined": 10_177,
    "members.ended": 3_200,
    "units.grassroots.active": 820,
    "units.grassroots.established": 80,
    "initiatives.recognized": 6_800,
    "initiatives.benefit_vnd": 185_300_000_000,
    "activities.count": 3_022,
    "activities.participants": 164_654,
    "dialogues.held": 1_626,
    "models.registered": 83,
}
PREVIOUS = {"members.active": 120_000, "members.joined": 9_000, "initiatives.recognized": 6_000}


def figures(values: dict[str, int], *, reported: tuple[str, ...] = ()) -> dict[str, Figure]:
    return {code: Figure(value, reported=code in reported) for code, value in values.items()}


def report(*, values: dict[str, int] | None = None, children: bool = True, period: Period = PERIOD) -> SummaryReport:
    values = VALUES if values is None else values
    total = Row(
        PROVINCE,
        figures(values, reported=("models.registered",) if "models.registered" in values else ()),
        figures(PREVIOUS),
        {"members.joined": Progress(8_450, values.get("members.joined", 0))} if values.get("members.joined") else {},
    )
    rows = [Row(COMMUNE, figures({code: v // 2 for code, v in values.items()}), figures({}))] if children else []
    trend = [
        TrendPoint(p, {code: v * (i + 1) // 4 for code, v in values.items()}) for i, p in enumerate(period.earlier(3))
    ]
    return SummaryReport(PROVINCE, period, period.previous(), total, rows, trend, None)
