"""The `programmes` record type: joint programmes keyed by code, their parties as unit codes (the lead first).

`validate` reads the whole file, checks every row the way the services would (period in order, at
least two parties, the recording unit among them), finds the programme already recorded under the
same code, and classifies each row: new, updated, unchanged, or rejected. It writes nothing. A
recorded programme is only updated by an import into the subtree of the unit that recorded it.
`apply` saves each row through `services.programme_import_save`, inside the import's one transaction.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.scoping import scope_for, subtree_q
from unionhall.datafiles.choices import Outcome
from unionhall.datafiles.columns import DATE, IDENTIFIER, TEXT, Column
from unionhall.datafiles.kinds import Context, Kind, Plan, Row
from unionhall.orgunits.models import Unit

from . import services
from .choices import PartyRole
from .models import Programme, ProgrammeOfficer, ProgrammeParty

CODE = "programmes"
ACTION = services.CHANGE
_SEPARATORS = re.compile(r"[;,\s]+")

COLUMNS = (
    Column(
        "code",
        _("code"),
        IDENTIFIER,
        required=True,
        max_length=services.CODE_MAX_LENGTH,
        help=_("Unique: a later import finds the programme again by it."),
        example="ca-ldld-2018",
    ),
    Column(
        "title",
        _("title"),
        TEXT,
        required=True,
        max_length=services.TITLE_MAX_LENGTH,
        example="Phối hợp bảo đảm an ninh trật tự trong công nhân",
    ),
    Column("reference", _("document number"), TEXT, max_length=services.REFERENCE_MAX_LENGTH, example="01/CTPH"),
    Column(
        "owner_code",
        _("recorded by (unit code)"),
        IDENTIFIER,
        max_length=40,
        help=_("Inside the unit imported into; blank: that unit itself. It must be one of the parties."),
    ),
    Column(
        "parties",
        _("parties"),
        TEXT,
        required=True,
        max_length=2000,
        help=_("Unit codes separated by semicolons, the lead first; at least two."),
        example="DN-CA; DN",
    ),
    Column("start_date", _("starts on"), DATE, required=True, example="01/03/2018"),
    Column("end_date", _("ends on"), DATE, example="31/12/2023"),
    Column("goals", _("goals"), TEXT, max_length=services.GOALS_MAX_LENGTH),
)


@dataclass
class _Read:
    row: Row
    code: str
    owner_code: str
    party_codes: list[str]
    details: services.ProgrammeDetails


def _check(row: Row, context: Context) -> _Read | DomainError:
    values = row.values
    try:
        code = services.clean_code(values["code"] or "")
        details = services.clean_details(
            services.ProgrammeDetails(
                title=values["title"] or "",
                start_date=values["start_date"],
                end_date=values["end_date"],
                reference=values["reference"] or "",
                goals=values["goals"] or "",
            )
        )
        party_codes = [c.upper() for c in _SEPARATORS.split(values["parties"] or "") if c]
        if len(set(party_codes)) != len(party_codes):
            raise DomainError(_("A unit is named twice among the parties."), field="parties")
        if len(party_codes) < services.MIN_PARTIES:
            raise DomainError(
                _("A joint programme has at least %(min)s parties.") % {"min": services.MIN_PARTIES}, field="parties"
            )
        if len(party_codes) > services.MAX_PARTIES:
            raise DomainError(_("At most %(max)s parties.") % {"max": services.MAX_PARTIES}, field="parties")
    except DomainError as error:
        return error
    owner_code = (values["owner_code"] or context.unit.code).upper()
    return _Read(row, code, owner_code, party_codes, details)


def _owners(codes: set[str], context: Context) -> dict[str, Unit]:
    """Active units of the file, inside the unit imported into, where the actor may record programmes."""
    scope = scope_for(context.actor, ACTION) if context.actor is not None else None
    found = Unit.objects.filter(subtree_q("path", context.unit.path), code__in=sorted(codes), status="active")
    return {u.code: u for u in found if scope is None or scope.covers(path=u.path, unit_id=u.pk)}


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
    owners = _owners({r.owner_code for r in read}, context)
    parties = {
        u.code: u
        for u in Unit.objects.filter(code__in=sorted({c for r in read for c in r.party_codes}), status="active")
    }
    existing = {
        p.code: p for p in Programme.objects.filter(code__in=sorted({r.code for r in read})).select_related("owner")
    }
    ids = [p.pk for p in existing.values()]
    current: dict[int, list[tuple[str, str]]] = {}
    for programme_id, unit_code, role in ProgrammeParty.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "unit__code", "role"
    ):
        current.setdefault(programme_id, []).append((unit_code, role))
    mobilised = {
        (programme_id, unit_code)
        for programme_id, unit_code in ProgrammeOfficer.objects.filter(programme_id__in=ids).values_list(
            "programme_id", "unit__code"
        )
    }
    seen: dict[str, int] = {}
    for item in read:
        op = _decide(item, plan, context, owners, parties, existing, current, mobilised, seen)
        if op is not None:
            plan.payload.append(op)
    return plan


def _decide(
    item: _Read,
    plan: Plan,
    context: Context,
    owners: dict[str, Unit],
    parties: dict[str, Unit],
    existing: dict[str, Programme],
    current: dict[int, list[tuple[str, str]]],
    mobilised: set[tuple[int, str]],
    seen: dict[str, int],
) -> tuple | None:
    row = item.row
    owner = owners.get(item.owner_code)
    if owner is None:
        message = _("Unit %(code)s was not found among the active units of %(unit)s that you may import into.")
        column = "owner_code" if "owner_code" in row.raw else ""
        plan.reject(row, row.error(column, message % {"code": item.owner_code, "unit": context.unit.code}))
        return None
    if item.code in seen:
        plan.reject(row, row.error("code", _("The same programme as row %(row)s.") % {"row": seen[item.code]}))
        return None
    seen[item.code] = row.number
    missing = [c for c in item.party_codes if c not in parties]
    if missing:
        plan.reject(
            row, row.error("parties", _("These units were not found: %(codes)s") % {"codes": ", ".join(missing[:10])})
        )
        return None
    if item.owner_code not in item.party_codes:
        plan.reject(
            row,
            row.error("parties", _("The recording unit %(code)s must be one of the parties.") % {"code": owner.code}),
        )
        return None
    data = services.ImportedProgramme(
        code=item.code, owner=owner, details=item.details, parties=tuple(parties[c] for c in item.party_codes)
    )
    programme = existing.get(item.code)
    if programme is None:
        plan.add(row.number, Outcome.NEW)
        return (row.number, data, None)
    if programme.owner_id != owner.pk:
        plan.reject(
            row,
            row.error(
                "code",
                _("Programme %(code)s is recorded by unit %(owner)s; only an import there may change it.")
                % {"code": programme.code, "owner": programme.owner.code},
            ),
        )
        return None
    recorded = current.get(programme.pk, [])
    dropped = [code for code, _role in recorded if code not in item.party_codes and (programme.pk, code) in mobilised]
    if dropped:
        plan.reject(
            row,
            row.error(
                "parties",
                _("Unit %(code)s has mobilised officers; remove them first.") % {"code": dropped[0]},
            ),
        )
        return None
    wanted = [(code, PartyRole.LEAD if i == 0 else PartyRole.PARTNER) for i, code in enumerate(item.party_codes)]
    same = (
        sorted(recorded) == sorted(wanted)
        and programme.title == item.details.title
        and programme.reference == item.details.reference
        and programme.start_date == item.details.start_date
        and programme.end_date == item.details.end_date
        and programme.goals == item.details.goals
    )
    if same:
        plan.add(row.number, Outcome.UNCHANGED)
        return None
    plan.add(row.number, Outcome.UPDATED)
    return (row.number, data, programme)


def apply(plan: Plan, context: Context) -> None:
    for number, data, programme in context.counted(plan.payload):
        services.programme_import_save(actor=context.actor, data=data, existing=programme, row=number)


KIND = Kind(
    code=CODE,
    label=_("joint programmes"),
    action=ACTION,
    columns=COLUMNS,
    validate=validate,
    apply=apply,
)
