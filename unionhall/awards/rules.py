"""Reading the dated catalogue: the rule and the base salary in force on a day, and the bonus they give.

Pure reads of data that is the same for every actor (the catalogue is public inside the system);
nothing here writes or looks at scope.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError

from .choices import Recipient
from .models import MAX_VND, AwardRule, AwardType, BaseSalary


def rule_in_force(award_type: AwardType, day: dt.date) -> AwardRule | None:
    """The rule of `award_type` in force on `day` (the latest starting one if rows overlap)."""
    return (
        AwardRule.objects.in_force(day)
        .filter(award_type=award_type)
        .select_related("quota_of")
        .order_by("-valid_from")
        .first()
    )


def judgement_day(year: int, today: dt.date) -> dt.date:
    """The day whose rule judges an achievement of `year`: 31 December, or today if that is earlier."""
    return min(dt.date(year, 12, 31), today)


def rule_for_year(award_type: AwardType, year: int, today: dt.date) -> AwardRule | None:
    """The rule that judges an achievement of `year`: the one in force on its judgement day."""
    return rule_in_force(award_type, judgement_day(year, today))


def base_salary_on(day: dt.date) -> BaseSalary | None:
    return BaseSalary.objects.in_force(day)


def accepts_units(award_type: AwardType, rule: AwardRule | None) -> bool:
    """A collective award, or a form whose rule has a collective bonus, may go to a unit."""
    return award_type.recipient == Recipient.COLLECTIVE or (rule is not None and rule.collective_multiple is not None)


def accepts_people(award_type: AwardType) -> bool:
    return award_type.recipient == Recipient.INDIVIDUAL


def multiple_for(rule: AwardRule, *, collective: bool) -> Decimal:
    if collective and rule.collective_multiple is not None:
        return rule.collective_multiple
    return rule.bonus_multiple


def bonus_vnd(multiple: Decimal, base_salary_vnd: int) -> int:
    """multiple × base salary, rounded half up to a whole dong; a result past the ceiling is refused."""
    amount = int((Decimal(multiple) * Decimal(base_salary_vnd)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if amount < 0 or amount > MAX_VND:
        raise DomainError(
            _("The bonus of %(amount)s VND is outside the accepted range.") % {"amount": amount},
            code="amount_range",
            field="bonus_vnd",
        )
    return amount


def may_grant(rule: AwardRule, unit_type_id: int) -> bool:
    allowed = [t.pk for t in rule.granting_unit_types.all()]
    return not allowed or unit_type_id in allowed
