"""The `awards` record type: historic awards, one row per awardee, keyed by decision, awardee and year.

`validate` reads the whole file and checks every row the way `services.decision_create` would
(the award type, the granting unit's type under the rule in force, the awardee inside the unit
imported into, the achievement year not after the decision, one award per achievement, once-only
prizes, amounts neither negative nor too large). It writes nothing. A row whose decision (granting
unit, number, signing day) already holds the same awardee for the same year is unchanged, or
updated when its bonus differs. `apply` writes through `services.awards_historic_save` inside the
import's one transaction. A blank bonus is computed from the rule and the base salary in force on
the signing day (0 when no rule was recorded for that time). Quotas are not applied to history.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import DATE, IDENTIFIER, INTEGER, TEXT, Column
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.members.codes import member_code_normalise
from unionhall.members.models import Membership, Person
from unionhall.orgunits.models import Unit

from . import rules, services
from .choices import Recurrence
from .models import Award, AwardType

CODE = "awards"
IMPORT = services.IMPORT

COLUMNS = (
    Column(
        "award_type",
        _("award type code"),
        IDENTIFIER,
        required=True,
        max_length=60,
        help=_("The code of the award in the catalogue, e.g. lao_dong_tien_tien."),
        example="lao_dong_tien_tien",
    ),
    Column("decision_number", _("decision number"), IDENTIFIER, required=True, max_length=60, example="15/QĐ-CĐ"),
    Column("signed_on", _("signed on"), DATE, required=True, no_future=True, example="20/01/2024"),
    Column(
        "granting_unit",
        _("granting unit code"),
        IDENTIFIER,
        required=True,
        max_length=40,
        help=_("The unit that signed the decision."),
        example="DN-TB",
    ),
    Column(
        "member_code",
        _("member code"),
        IDENTIFIER,
        max_length=20,
        help=_("The person awarded; leave blank for a unit."),
        example="0012345678X",
    ),
    Column(
        "unit_code",
        _("unit code"),
        IDENTIFIER,
        max_length=40,
        help=_("The unit awarded (a collective award); leave blank for a person."),
    ),
    Column("year", _("achievement year"), INTEGER, required=True, min_value=1900, max_value=9999, example="2023"),
    Column(
        "bonus_vnd",
        _("bonus (VND)"),
        INTEGER,
        help=_("Blank: computed from the rule and the base salary in force on the signing day."),
        example="702000",
    ),
    Column("signer", _("signer"), TEXT, max_length=services.SIGNER_MAX),
)


@dataclass
class _Read:
    """A row that passed the checks that need no database."""

    row: Row
    award_type: str
    number: str
    signed_on: dt.date
    granting_unit: str
    member_code: str
    unit_code: str
    year: int
    bonus_vnd: int | None
    signer: str


def _check(row: Row) -> _Read | DomainError:
    values = row.values
    try:
        member = member_code_normalise(values["member_code"] or "")
        unit_code = (values["unit_code"] or "").upper()
        if bool(member) == bool(unit_code):
            raise DomainError(_("Give either a member code or a unit code."), field="member_code")
        signed_on, year = values["signed_on"], values["year"]
        if year > signed_on.year:
            raise DomainError(
                _("The achievement year %(year)s is after the decision (%(day)s).") % {"year": year, "day": signed_on},
                field="year",
                code="date_order",
            )
        bonus = values["bonus_vnd"]
        if bonus is not None:
            services.money(bonus, field="bonus_vnd")
        number = services.text_clean(
            values["decision_number"] or "", field="decision_number", max_length=60, required=True
        )
        signer = services.text_clean(values["signer"] or "", field="signer", max_length=services.SIGNER_MAX)
    except DomainError as error:
        return error
    return _Read(
        row,
        values["award_type"],
        number,
        signed_on,
        values["granting_unit"].upper(),
        member,
        unit_code,
        year,
        bonus,
        signer,
    )


def _reject(plan: Plan, row: Row, column: str, message: Any) -> None:
    plan.reject(row, row.error(column if column in row.values else "", message))


@dataclass
class _Lookups:
    types: dict[str, AwardType]
    granting: dict[str, Unit]
    people: dict[str, Person]
    units: dict[str, Unit]
    # person id -> the units of their memberships inside the unit imported into: (unit, join, end)
    memberships: dict[int, list[tuple[Unit, dt.date, dt.date | None]]]


def _lookups(read: list[_Read], context: Context) -> _Lookups:
    scope = scope_for(context.actor, IMPORT) if context.actor is not None else None
    inside = subtree_q("path", context.unit.path)
    types = {t.code: t for t in AwardType.objects.filter(code__in={r.award_type for r in read})}
    granting = {u.code: u for u in Unit.objects.select_related("type").filter(code__in={r.granting_unit for r in read})}
    units = {
        u.code: u
        for u in Unit.objects.filter(inside, code__in={r.unit_code for r in read if r.unit_code})
        if scope is None or scope.covers(path=u.path, unit_id=u.pk)
    }
    people = {
        p.member_code: p for p in Person.objects.filter(member_code__in={r.member_code for r in read if r.member_code})
    }
    memberships: dict[int, list[tuple[Unit, dt.date, dt.date | None]]] = {}
    rows = (
        Membership.objects.filter(
            subtree_q("unit__path", context.unit.path), person_id__in=[p.pk for p in people.values()]
        )
        .select_related("unit")
        .order_by("join_date", "pk")
    )
    for m in rows:
        if scope is None or scope.covers(path=m.unit.path, unit_id=m.unit_id):
            memberships.setdefault(m.person_id, []).append((m.unit, m.join_date, m.end_date))
    return _Lookups(types, granting, people, units, memberships)


def _awardee_unit(spans: list[tuple[Unit, dt.date, dt.date | None]], year: int) -> Unit:
    """The unit of the membership during the year, else the latest one (history often predates the records)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    during = [u for u, joined, ended in spans if joined <= end and (ended is None or ended >= start)]
    return (during or [u for u, _joined, _ended in spans])[-1]


def _existing_awards(read: list[_Read], lookups: _Lookups) -> list[Award]:
    """Awards (revoked ones too) of the file's award types, for its awardees (one query)."""
    people = [lookups.people[r.member_code].pk for r in read if r.member_code in lookups.people]
    units = [lookups.units[r.unit_code].pk for r in read if r.unit_code in lookups.units]
    if not people and not units:
        return []
    return list(
        Award.objects.filter(award_type__in=list(lookups.types.values()))
        .filter(Q(person_id__in=people) | Q(unit_id__in=units))
        .select_related("decision")
    )


def validate(rows: Any, context: Context) -> Plan:
    plan = Plan(payload=[])
    read: list[_Read] = []
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        checked = _check(row)
        if isinstance(checked, DomainError):
            _reject(plan, row, checked.field or "", str(checked))
            continue
        read.append(checked)
    lookups = _lookups(read, context)
    existing = _existing_awards(read, lookups)
    held: dict[tuple, Award] = {}  # (type, p/u, id, year) -> the active award
    recorded: dict[tuple, Award] = {}  # the same and the decision's (granting unit, number, day) -> any award
    once: dict[tuple[int, int], int] = {}  # (type, person) -> year held
    for award in existing:
        kind, pk = ("p", award.person_id) if award.person_id else ("u", award.unit_id)
        key = (award.award_type_id, kind, pk, award.year)
        decision = award.decision
        recorded[(*key, decision.granting_unit_id, decision.number, decision.signed_on)] = award
        if award.revoked_on is None:
            held[key] = award
            if award.person_id:
                once[(award.award_type_id, award.person_id)] = award.year
    headers: dict[tuple[str, str, dt.date], tuple[str, int]] = {}
    seen: dict[tuple[int, str, int, int], int] = {}
    for item in read:
        op = _decide(item, plan, context, lookups, (held, recorded, once), headers, seen)
        if op is not None:
            plan.payload.append(op)
    return plan


def _decide(
    item: _Read,
    plan: Plan,
    context: Context,
    lookups: _Lookups,
    known: tuple[dict, dict, dict],
    headers: dict,
    seen: dict,
) -> services.HistoricAward | None:
    row = item.row
    held, recorded, once = known
    award_type = lookups.types.get(item.award_type)
    if award_type is None:
        _reject(plan, row, "award_type", _("There is no award type %(code)s.") % {"code": item.award_type})
        return None
    granting = lookups.granting.get(item.granting_unit)
    if granting is None:
        _reject(plan, row, "granting_unit", _("Unit %(code)s was not found.") % {"code": item.granting_unit})
        return None
    header = (granting.code, item.number, item.signed_on)
    first = headers.setdefault(header, (item.award_type, row.number))
    if first[0] != item.award_type:
        message = _("Row %(row)s gives another award type for the same decision.") % {"row": first[1]}
        _reject(plan, row, "award_type", message)
        return None
    rule = rules.rule_in_force(award_type, item.signed_on)
    if rule is not None and not rules.may_grant(rule, granting.type_id):
        message = _("A unit of type %(type)s may not grant %(award)s under the rule in force on that day.") % {
            "type": granting.type.name,
            "award": award_type.name,
        }
        _reject(plan, row, "granting_unit", message)
        return None
    nominee: Person | Unit
    if item.member_code:
        person = lookups.people.get(item.member_code)
        spans = lookups.memberships.get(person.pk, []) if person is not None else []
        if person is None or not spans:
            message = _("No member with code %(code)s was found in %(unit)s.") % {
                "code": item.member_code,
                "unit": context.unit.code,
            }
            _reject(plan, row, "member_code", message)
            return None
        if not rules.accepts_people(award_type):
            _reject(plan, row, "member_code", _("%(award)s is awarded to collectives.") % {"award": award_type.name})
            return None
        nominee, awardee_unit, kind = person, _awardee_unit(spans, item.year), "p"
    else:
        unit = lookups.units.get(item.unit_code)
        if unit is None:
            message = _("Unit %(code)s was not found among the units of %(unit)s that you may import into.") % {
                "code": item.unit_code,
                "unit": context.unit.code,
            }
            _reject(plan, row, "unit_code", message)
            return None
        if not (rules.accepts_units(award_type, rule) or (rule is None and award_type.recipient == "collective")):
            _reject(plan, row, "unit_code", _("%(award)s is awarded to people.") % {"award": award_type.name})
            return None
        nominee, awardee_unit, kind = unit, unit, "u"
    key = (award_type.pk, kind, nominee.pk, item.year)
    if key in seen:
        _reject(plan, row, "year", _("The same award for the same year as row %(row)s.") % {"row": seen[key]})
        return None
    seen[key] = row.number
    bonus, base = _bonus(item, rule, nominee)
    current = recorded.get((*key, granting.pk, item.number, item.signed_on))
    if current is not None:
        # The same decision, awardee and year: already imported (a revoked award stays revoked).
        if current.bonus_vnd == bonus or current.revoked_on is not None:
            plan.add(row.number, Outcome.UNCHANGED)
            return None
        plan.add(row.number, Outcome.UPDATED)
        return _historic(item, award_type, granting, nominee, awardee_unit, bonus, rule, base, current)
    other = held.get(key)
    if other is not None:
        already = _("Already awarded for %(year)s by decision %(number)s; one achievement is awarded only once.")
        _reject(plan, row, "year", already % {"year": item.year, "number": other.decision.number})
        return None
    if award_type.recurrence == Recurrence.ONCE and kind == "p":
        earlier = once.get((award_type.pk, nominee.pk))
        if earlier is not None and earlier != item.year:
            once_only = _("%(award)s is awarded once per person; already received for %(year)s.")
            _reject(plan, row, "year", once_only % {"award": award_type.name, "year": earlier})
            return None
        once[(award_type.pk, nominee.pk)] = item.year
    plan.add(row.number, Outcome.NEW)
    return _historic(item, award_type, granting, nominee, awardee_unit, bonus, rule, base, None)


def _bonus(item: _Read, rule: Any, nominee: Person | Unit) -> tuple[int, int | None]:
    base = rules.base_salary_on(item.signed_on)
    base_vnd = base.amount_vnd if base is not None else None
    if item.bonus_vnd is not None:
        return item.bonus_vnd, base_vnd
    if rule is None or base_vnd is None:
        return 0, base_vnd
    return rules.bonus_vnd(rules.multiple_for(rule, collective=isinstance(nominee, Unit)), base_vnd), base_vnd


def _historic(
    item: _Read,
    award_type: AwardType,
    granting: Unit,
    nominee: Person | Unit,
    awardee_unit: Unit,
    bonus: int,
    rule: Any,
    base: int | None,
    existing: Award | None,
) -> services.HistoricAward:
    return services.HistoricAward(
        row=item.row.number,
        award_type=award_type,
        number=item.number,
        signed_on=item.signed_on,
        signer=item.signer or "—",
        granting_unit=granting,
        nominee=nominee,
        awardee_unit=awardee_unit,
        year=item.year,
        bonus_vnd=bonus,
        rule=rule,
        base_salary_vnd=base,
        existing=existing,
    )


def apply(plan: Plan, context: Context) -> None:
    if plan.payload:
        services.awards_historic_save(actor=context.actor, rows=plan.payload, unit=context.unit)
        context.wrote(len(plan.payload))


KIND = Kind(
    code=CODE,
    label=_("awards"),
    action=IMPORT,
    columns=COLUMNS,
    validate=validate,
    apply=apply,
)
