"""The authors' remuneration, as a pure computation: what is due, paid and outstanding, per author.

For each of the first `remuneration_years` years of application the authors together are due at
least `remuneration_percent` of that year's benefit, and for each transfer whose price is received
within `transfer_years` of recognition at least `transfer_percent` of the price; each author's part is
their share of it, rounded up to a whole dong (the law sets a minimum).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import deadlines

HUNDRED = Decimal(100)


def minimum_due(amount_vnd: int, percent: Decimal, share: Decimal) -> int:
    """`amount_vnd` x `percent` % x `share` %, rounded up to a whole dong, computed exactly."""
    exact = Decimal(amount_vnd) * Decimal(percent) * Decimal(share) / (HUNDRED * HUNDRED)
    whole = int(exact)
    return whole + 1 if exact > whole else whole


@dataclass(frozen=True)
class AuthorShare:
    author_id: int
    person_id: int
    share: Decimal


@dataclass(frozen=True)
class Due:
    """One author's remuneration for one year of application or one transfer."""

    author_id: int
    person_id: int
    share: Decimal
    basis_vnd: int
    percent: Decimal
    due_vnd: int
    due_on: dt.date
    paid_vnd: int
    year_index: int | None = None
    year: int | None = None
    transfer_id: int | None = None

    @property
    def outstanding_vnd(self) -> int:
        return max(self.due_vnd - self.paid_vnd, 0)

    def overdue(self, today: dt.date) -> bool:
        return self.outstanding_vnd > 0 and today > self.due_on


@dataclass(frozen=True)
class Summary:
    """Every author's remuneration and the totals."""

    dues: list[Due]
    today: dt.date

    @property
    def due_vnd(self) -> int:
        return sum(d.due_vnd for d in self.dues)

    @property
    def paid_vnd(self) -> int:
        return sum(d.paid_vnd for d in self.dues)

    @property
    def outstanding_vnd(self) -> int:
        return sum(d.outstanding_vnd for d in self.dues)

    @property
    def overdue(self) -> bool:
        return any(d.overdue(self.today) for d in self.dues)

    def of_author(self, author_id: int) -> list[Due]:
        return [d for d in self.dues if d.author_id == author_id]


def paid_by_key(payments: Iterable[Any]) -> dict[tuple[int, str, int], int]:
    """Sum of payments per (author, "year" | "transfer", year index | transfer id)."""
    paid: dict[tuple[int, str, int], int] = {}
    for p in payments:
        key = (p.author_id, "year", p.year_index) if p.transfer_id is None else (p.author_id, "transfer", p.transfer_id)
        paid[key] = paid.get(key, 0) + p.amount_vnd
    return paid


def schedule(
    *,
    recognised_on: dt.date | None,
    authors: Iterable[Any],
    benefits: Iterable[Any],
    transfers: Iterable[Any],
    payments: Iterable[Any],
    rule: Any,
    today: dt.date,
) -> Summary:
    """What each author is due, has been paid and is still owed (nothing before recognition or without a rule).

    `authors` have pk, person_id and share; `benefits` year, year_index and amount_vnd;
    `transfers` id, price_vnd and received_on; `payments` author_id, year_index, transfer_id and amount_vnd.
    """
    if recognised_on is None or rule is None:
        return Summary([], today)
    shares = [AuthorShare(a.pk, a.person_id, a.share) for a in authors]
    paid = paid_by_key(payments)
    dues: list[Due] = []
    for benefit in sorted(benefits, key=lambda b: b.year):
        if not 1 <= benefit.year_index <= rule.remuneration_years:
            continue
        due_on = deadlines.year_end_due(benefit.year, recognised_on, rule)
        for a in shares:
            dues.append(
                Due(
                    author_id=a.author_id,
                    person_id=a.person_id,
                    share=a.share,
                    basis_vnd=benefit.amount_vnd,
                    percent=rule.remuneration_percent,
                    due_vnd=minimum_due(benefit.amount_vnd, rule.remuneration_percent, a.share),
                    due_on=due_on,
                    paid_vnd=paid.get((a.author_id, "year", benefit.year_index), 0),
                    year_index=benefit.year_index,
                    year=benefit.year,
                )
            )
    for transfer in sorted(transfers, key=lambda t: (t.received_on, t.id)):
        if not deadlines.transfer_remunerated(received_on=transfer.received_on, recognised_on=recognised_on, rule=rule):
            continue
        due_on = deadlines.transfer_due(transfer.received_on, rule)
        for a in shares:
            dues.append(
                Due(
                    author_id=a.author_id,
                    person_id=a.person_id,
                    share=a.share,
                    basis_vnd=transfer.price_vnd,
                    percent=rule.transfer_percent,
                    due_vnd=minimum_due(transfer.price_vnd, rule.transfer_percent, a.share),
                    due_on=due_on,
                    paid_vnd=paid.get((a.author_id, "transfer", transfer.id), 0),
                    transfer_id=transfer.id,
                )
            )
    return Summary(dues, today)
