"""The `initiatives` record type: historic, already recognised initiatives, keyed by unit and certificate number.

`validate` reads the whole file, checks every row the way the services would (shares summing to
100 %, members the importer sees, dates in order, amounts neither negative nor too large), finds
the initiative already recorded under the same unit and certificate number, and classifies each row:
new, updated (something differs), unchanged, or rejected. It writes nothing. `apply` saves each row
through `services.initiative_historic_save`, inside the import's one transaction. A benefit cell left
blank keeps what is recorded for that year.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import CHOICE, DATE, IDENTIFIER, INTEGER, TEXT, Column
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.members.models import Person
from unionhall.orgunits.models import Unit

from . import services, shares
from .choices import Field, Level, Status
from .models import Initiative, InitiativeAuthor, InitiativeBenefit, InitiativeTransfer, RemunerationPayment

CODE = "initiatives"
IMPORT = services.IMPORT
BENEFIT_YEARS = 3
BENEFIT_HELP = _("Benefit (VND, whole number) of this year of application; blank keeps what is recorded.")

COLUMNS = (
    Column("title", _("title"), TEXT, required=True, max_length=services.TITLE_MAX, example="Cải tiến khuôn ép"),
    Column("field", _("field"), CHOICE, required=True, choices=Field.choices, example=_("Technical solution")),
    Column(
        "unit_code",
        _("unit code"),
        IDENTIFIER,
        max_length=40,
        help=_("The unit that recognised it, inside the unit imported into; blank: that unit itself."),
        example="DN-TB-001",
    ),
    Column("first_applied_on", _("first applied on"), DATE, required=True, no_future=True, example="15/03/2022"),
    Column("level", _("level"), CHOICE, required=True, choices=Level.choices, example=_("Grassroots")),
    Column("recognised_on", _("recognised on"), DATE, required=True, no_future=True, example="20/12/2022"),
    Column(
        "certificate_number",
        _("certificate number"),
        IDENTIFIER,
        required=True,
        max_length=services.CERTIFICATE_MAX,
        help=_("Unique in the unit: a later import finds the initiative again by it."),
        example="SK-2022-015",
    ),
    Column(
        "authors",
        _("authors"),
        TEXT,
        required=True,
        max_length=2000,
        help=_("Member code: share (%) of each author, separated by semicolons; the shares add up to 100."),
        example="0012345678X: 60; 0012345679Y: 40",
    ),
    Column("benefit_year_1", _("benefit year 1"), INTEGER, help=BENEFIT_HELP, example="120000000"),
    Column("benefit_year_2", _("benefit year 2"), INTEGER, help=BENEFIT_HELP),
    Column("benefit_year_3", _("benefit year 3"), INTEGER, help=BENEFIT_HELP),
)


@dataclass
class _Read:
    """A row that passed the checks that need no database."""

    row: Row
    unit_code: str
    values: dict[str, Any]
    authors: list[tuple[str, Decimal]]
    benefits: list[tuple[str, int, int]]  # (column, year, amount)


def _check(row: Row, context: Context) -> _Read | DomainError:
    values = row.values
    try:
        title = services.text_clean(values["title"] or "", field="title", max_length=services.TITLE_MAX, required=True)
        first, recognised = values["first_applied_on"], values["recognised_on"]
        if recognised < first:
            raise DomainError(
                _("The recognition date is before the first application."), field="recognised_on", code="date_order"
            )
        authors = shares.authors_parse(values["authors"] or "")
        shares.shares_check([share for _code, share in authors])
        codes = [code for code, _share in authors]
        if len(set(codes)) != len(codes):
            raise DomainError(_("The same person is named twice among the authors."), field="authors")
        benefits = []
        for k in range(1, BENEFIT_YEARS + 1):
            key = f"benefit_year_{k}"
            if values[key] is None:
                continue
            amount = services.vnd_clean(values[key], field=key)
            year = first.year + k - 1
            if year > context.today.year:
                raise DomainError(_("This year of application has not come yet."), field=key, code="future_date")
            benefits.append((key, year, amount))
    except DomainError as error:
        return error
    unit_code = (values["unit_code"] or context.unit.code).upper()
    cleaned = {
        "title": title,
        "field": values["field"],
        "first_applied_on": first,
        "level": values["level"],
        "recognised_on": recognised,
        "certificate_number": values["certificate_number"],
    }
    return _Read(row, unit_code, cleaned, authors, benefits)


def _units(codes: set[str], context: Context) -> dict[str, Unit]:
    """Active units of the file, inside the unit imported into, where the actor may import."""
    scope = scope_for(context.actor, IMPORT) if context.actor is not None else None
    found = Unit.objects.filter(subtree_q("path", context.unit.path), code__in=sorted(codes), status="active")
    return {u.code: u for u in found if scope is None or scope.covers(path=u.path, unit_id=u.pk)}


def _people(codes: set[str], context: Context) -> dict[str, int]:
    people = Person.objects.all() if context.actor is None else Person.objects.visible_to(context.actor, "member.view")
    return dict(people.filter(member_code__in=sorted(codes)).values_list("member_code", "pk"))


@dataclass
class _Existing:
    initiative: Initiative
    authors: dict[int, Decimal]
    benefits: dict[int, int]
    paid_authors: set[int]
    earliest_after_recognition: dt.date | None


def _existing(keys: set[tuple[int, str]]) -> dict[tuple[int, str], _Existing]:
    if not keys:
        return {}
    q = Q(pk__in=[])
    for unit_id, number in keys:
        q |= Q(unit_id=unit_id, certificate_number=number)
    found = {(i.unit_id, i.certificate_number): i for i in Initiative.objects.filter(q)}
    ids = [i.pk for i in found.values()]
    authors: dict[int, dict[int, Decimal]] = {}
    for a in InitiativeAuthor.objects.filter(initiative_id__in=ids):
        authors.setdefault(a.initiative_id, {})[a.person_id] = a.share
    benefits: dict[int, dict[int, int]] = {}
    for b in InitiativeBenefit.objects.filter(initiative_id__in=ids):
        benefits.setdefault(b.initiative_id, {})[b.year] = b.amount_vnd
    paid: dict[int, set[int]] = {}
    earliest: dict[int, dt.date] = {}
    for initiative_id, person_id, day in RemunerationPayment.objects.filter(author__initiative_id__in=ids).values_list(
        "author__initiative_id", "author__person_id", "paid_on"
    ):
        paid.setdefault(initiative_id, set()).add(person_id)
        earliest[initiative_id] = min(day, earliest.get(initiative_id, day))
    for initiative_id, day in InitiativeTransfer.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "received_on"
    ):
        earliest[initiative_id] = min(day, earliest.get(initiative_id, day))
    return {
        key: _Existing(i, authors.get(i.pk, {}), benefits.get(i.pk, {}), paid.get(i.pk, set()), earliest.get(i.pk))
        for key, i in found.items()
    }


def validate(rows: Any, context: Context) -> Plan:
    plan = Plan(payload=[])
    read: list[_Read] = []
    for row in rows:
        if row.errors:
            plan.add(row.number, Outcome.REJECTED)
            continue
        checked = _check(row, context)
        if isinstance(checked, DomainError):
            column = checked.field if checked.field in row.values else ""
            plan.reject(row, row.error(column or "", str(checked)))
            continue
        read.append(checked)
    units = _units({r.unit_code for r in read}, context)
    people = _people({code for r in read for code, _share in r.authors}, context)
    keys = {(units[r.unit_code].pk, r.values["certificate_number"]) for r in read if r.unit_code in units}
    existing = _existing(keys)
    seen: dict[tuple[str, str], int] = {}
    for item in read:
        op = _decide(item, plan, context, units, people, existing, seen)
        if op is not None:
            plan.payload.append(op)
    return plan


def _decide(
    item: _Read,
    plan: Plan,
    context: Context,
    units: dict[str, Unit],
    people: dict[str, int],
    existing: dict[tuple[int, str], _Existing],
    seen: dict[tuple[str, str], int],
) -> tuple | None:
    row, values = item.row, item.values
    unit = units.get(item.unit_code)
    if unit is None:
        message = _("Unit %(code)s was not found among the active units of %(unit)s that you may import into.")
        column = "unit_code" if "unit_code" in row.raw else ""
        plan.reject(row, row.error(column, message % {"code": item.unit_code, "unit": context.unit.code}))
        return None
    key = (unit.code, values["certificate_number"])
    if key in seen:
        plan.reject(row, row.error("certificate_number", _("The same initiative as row %(row)s.") % {"row": seen[key]}))
        return None
    seen[key] = row.number
    missing = [code for code, _share in item.authors if code not in people]
    if missing:
        plan.reject(
            row,
            row.error("authors", _("No member with code %(codes)s was found.") % {"codes": ", ".join(missing[:5])}),
        )
        return None
    authors = tuple((people[code], share) for code, share in item.authors)
    benefits = tuple((year, amount) for _column, year, amount in item.benefits)
    data = services.HistoricInitiative(unit=unit, authors=authors, benefits=benefits, **values)
    current = existing.get((unit.pk, values["certificate_number"]))
    if current is None:
        plan.add(row.number, Outcome.NEW)
        return (row.number, data, None)
    initiative = current.initiative
    if initiative.status != Status.RECOGNISED:
        plan.reject(row, row.error("certificate_number", _("This initiative is not recorded as recognised.")))
        return None
    dropped = current.paid_authors - {person_id for person_id, _share in authors}
    if dropped:
        plan.reject(row, row.error("authors", _("An author who has been paid remuneration cannot be removed.")))
        return None
    if current.earliest_after_recognition and values["recognised_on"] > current.earliest_after_recognition:
        plan.reject(
            row,
            row.error(
                "recognised_on", _("A transfer or a payment of this initiative is dated before this recognition date.")
            ),
        )
        return None
    if any(year < values["first_applied_on"].year for year in current.benefits):
        plan.reject(
            row, row.error("first_applied_on", _("A benefit is recorded for a year before this first application."))
        )
        return None
    same = (
        all(getattr(initiative, name) == value for name, value in values.items())
        and current.authors == dict(authors)
        and all(current.benefits.get(year) == amount for year, amount in benefits)
    )
    if same:
        plan.add(row.number, Outcome.UNCHANGED)
        return None
    plan.add(row.number, Outcome.UPDATED)
    return (row.number, data, initiative)


def apply(plan: Plan, context: Context) -> None:
    for number, data, initiative in context.counted(plan.payload):
        services.initiative_historic_save(actor=context.actor, data=data, existing=initiative, row=number)


KIND = Kind(
    code=CODE,
    label=_("initiatives"),
    action=IMPORT,
    columns=COLUMNS,
    validate=validate,
    apply=apply,
)
