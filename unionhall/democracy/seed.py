"""The workplace-democracy rules every installation starts with (domain reference §6).

Decree 145/2020/NĐ-CP Art. 38 sets the composition of the dialogue from 1 February 2021 (the band
of 1,000 employees and more is not verified, [M]); Labour Code 2019 Art. 63 the yearly periodic
dialogue; the yearly employee conference is not verified in the wording in force ([M]). Applied by
a data migration with the migration's historical models; idempotent, so an administrator's later
edits are kept (bands are matched by (valid_from, headcount_from), rules by valid_from).
"""

import datetime as dt

DECREE_145 = dt.date(2021, 2, 1)
DECREE_145_BASIS = "Nghị định 145/2020/NĐ-CP, Điều 38 (thành phần đối thoại tại nơi làm việc)"
OBLIGATION_BASIS = (
    "Bộ luật Lao động 2019, Điều 63 (đối thoại định kỳ ít nhất 1 năm 1 lần); "
    "Nghị định 145/2020/NĐ-CP (hội nghị người lao động hằng năm)"
)

# (employees from, employees below, employee side at least, at most, certainty)
BANDS = [
    (0, 50, 3, None, "S"),
    (50, 150, 4, 8, "S"),
    (150, 300, 9, 13, "S"),
    (300, 500, 14, 18, "S"),
    (500, 1000, 19, 23, "S"),
    (1000, None, 24, None, "M"),
]
EMPLOYER_SIDE_MIN = 3
DIALOGUE_EVERY_MONTHS = 12
CONFERENCE_EVERY_MONTHS = 12
DUE_SOON_DAYS = 60


def seed_rules(CompositionBand, ObligationRule) -> None:
    for start, below, low, high, certainty in BANDS:
        CompositionBand.objects.get_or_create(
            valid_from=DECREE_145,
            headcount_from=start,
            defaults={
                "headcount_to": below,
                "employee_side_min": low,
                "employee_side_max": high,
                "employer_side_min": EMPLOYER_SIDE_MIN,
                "legal_basis": DECREE_145_BASIS,
                "certainty": certainty,
            },
        )
    ObligationRule.objects.get_or_create(
        valid_from=DECREE_145,
        defaults={
            "dialogue_every_months": DIALOGUE_EVERY_MONTHS,
            "conference_every_months": CONFERENCE_EVERY_MONTHS,
            "due_soon_days": DUE_SOON_DAYS,
            "legal_basis": OBLIGATION_BASIS,
            # The dialogue interval is sourced, the yearly employee conference is not.
            "certainty": "M",
        },
    )
