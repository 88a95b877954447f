"""Writes on joint programmes, their parties and the officers they mobilise.

Every service is keyword-only, runs in one transaction, checks the actor's scope and writes an
audit entry. Recording and changing a programme and its parties needs `programme.change` on the
unit that recorded it (the owner, itself a party); a party may also add and remove its own
mobilised officers. A programme the actor does not see is "not found"; one the actor sees but may
not change is "forbidden".

Parties are units of any organisation, partner bodies included (a police department, a Fatherland
Front committee), so they are not limited to the actor's scope. A programme always has at least
two parties and exactly one lead: adding a party as the lead, or making a party the lead, makes the
former lead a partner; the lead, the owner and a party with mobilised officers cannot be removed.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import record
from unionhall.core.cleaning import SLUG_MAX_LENGTH, clean_date, clean_slug, clean_str
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.core.formatting import format_date
from unionhall.core.scoping import scope_for
from unionhall.members.models import Person
from unionhall.orgunits.checks import require_active_unit, unit_not_found
from unionhall.orgunits.models import Unit

from .choices import PartyRole
from .models import Programme, ProgrammeOfficer, ProgrammeParty

VIEW = "programme.view"
CHANGE = "programme.change"
MEMBER_VIEW = "member.view"
CODE_MAX_LENGTH = SLUG_MAX_LENGTH
# Path segments of the programme pages that a code would shadow.
RESERVED_CODES = frozenset({"new"})
TITLE_MAX_LENGTH = 300
REFERENCE_MAX_LENGTH = 100
GOALS_MAX_LENGTH = 20_000
NAME_MAX_LENGTH = 200
MIN_PARTIES = 2
MAX_PARTIES = 50


@dataclass(frozen=True)
class ProgrammeDetails:
    """What the parties agreed and the owner may correct later."""

    title: str
    start_date: dt.date
    end_date: dt.date | None = None
    reference: str = ""
    goals: str = ""


@dataclass(frozen=True)
class PartyDetails:
    """An organisation taking part: a unit of any organisation, its role, who signed for it."""

    unit: Unit
    role: str = PartyRole.PARTNER
    signatory: str = ""


# ---------------------------------------------------------------- rules shared with the apps above


def takes_part(programme: Programme, unit: Unit) -> bool:
    """True when `unit` is a party of the programme or a unit under one (one query)."""
    paths = ProgrammeParty.objects.filter(programme=programme).values_list("unit__path", flat=True)
    return any(unit.path.startswith(path) for path in paths)


def in_period(programme: Programme, day: dt.date) -> bool:
    return programme.start_date <= day and (programme.end_date is None or day <= programme.end_date)


def period_text(programme: Programme) -> str:
    end = format_date(programme.end_date) if programme.end_date else "…"
    return f"{format_date(programme.start_date)} – {end}"


def programme_not_found(code: str) -> NotFound:
    return NotFound(_("Programme %(code)s was not found.") % {"code": code}, field="programme")


def may_change(actor: Any, programme: Programme) -> bool:
    """True when the actor holds `programme.change` on the unit that recorded the programme."""
    return scope_for(actor, CHANGE).covers(path=programme.owner.path, unit_id=programme.owner_id)


def may_mobilise(actor: Any, programme: Programme, unit: Unit) -> bool:
    """True when the actor may add or remove officers of party `unit`: on the owner, or on that party."""
    return may_change(actor, programme) or scope_for(actor, CHANGE).covers(path=unit.path, unit_id=unit.pk)


# ---------------------------------------------------------------- helpers


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update(of=("self",)).select_related("owner").get(pk=programme.pk)


def _require_visible(actor: Any, programme: Programme) -> None:
    if not Programme.objects.visible_to(actor, VIEW).filter(pk=programme.pk).exists():
        raise programme_not_found(programme.code)


def _require_change(actor: Any, programme: Programme) -> None:
    """The actor may change the programme; otherwise "not found" (unseen) or "forbidden" (seen only)."""
    if may_change(actor, programme):
        return
    _require_visible(actor, programme)
    raise Forbidden(
        _("Only the recording unit %(code)s changes this programme.") % {"code": programme.owner.code},
        field="programme",
    )


def clean_code(code: str) -> str:
    return clean_slug(code, example="ca-ldld-2018", reserved=RESERVED_CODES)


def clean_details(details: ProgrammeDetails) -> ProgrammeDetails:
    title = clean_str(details.title, "title", TITLE_MAX_LENGTH, required=True)
    start_date = clean_date(details.start_date, field="start_date")
    end_date = clean_date(details.end_date, field="end_date", required=False)
    assert start_date is not None
    if end_date is not None and end_date < start_date:
        raise DomainError(
            _("The end date (%(end)s) is before the start date (%(start)s).")
            % {"end": format_date(end_date), "start": format_date(start_date)},
            field="end_date",
            code="dates_out_of_order",
        )
    return ProgrammeDetails(
        title=title,
        start_date=start_date,
        end_date=end_date,
        reference=clean_str(details.reference, "reference", REFERENCE_MAX_LENGTH),
        goals=clean_str(details.goals, "goals", GOALS_MAX_LENGTH),
    )


def _clean_party(party: PartyDetails) -> PartyDetails:
    if not isinstance(party.unit, Unit):
        raise DomainError(_("Choose a unit."), field="parties")
    require_active_unit(party.unit, "parties")
    if party.role not in PartyRole.values:
        raise DomainError(_("Choose the party's role."), field="role")
    return PartyDetails(party.unit, party.role, clean_str(party.signatory, "signatory", NAME_MAX_LENGTH))


def clean_parties(parties: Iterable[PartyDetails], owner: Unit) -> list[PartyDetails]:
    """At least two distinct active units, exactly one lead, the owner among them."""
    cleaned = [_clean_party(p) for p in parties]
    units = [p.unit.pk for p in cleaned]
    if len(set(units)) != len(units):
        repeated = next(p.unit.code for i, p in enumerate(cleaned) if p.unit.pk in units[:i])
        raise DomainError(_("Unit %(code)s is named twice among the parties.") % {"code": repeated}, field="parties")
    if len(cleaned) < MIN_PARTIES:
        raise DomainError(
            _("A joint programme has at least %(min)s parties.") % {"min": MIN_PARTIES},
            field="parties",
            code="too_few_parties",
        )
    if len(cleaned) > MAX_PARTIES:
        raise DomainError(_("At most %(max)s parties.") % {"max": MAX_PARTIES}, field="parties")
    leads = [p for p in cleaned if p.role == PartyRole.LEAD]
    if len(leads) != 1:
        raise DomainError(
            _("Exactly one party leads the programme; %(count)s are named as lead.") % {"count": len(leads)},
            field="parties",
            code="one_lead",
        )
    if owner.pk not in units:
        raise DomainError(
            _("The recording unit %(code)s must be one of the parties.") % {"code": owner.code},
            field="parties",
            code="owner_not_party",
        )
    return cleaned


def programme_snapshot(programme: Programme, parties: Iterable[ProgrammeParty] | None = None) -> dict[str, Any]:
    rows = (
        parties
        if parties is not None
        else ProgrammeParty.objects.filter(programme=programme).select_related("unit").order_by("pk")
    )
    return {
        "code": programme.code,
        "title": programme.title,
        "reference": programme.reference,
        "owner": programme.owner.code,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "goals": programme.goals,
        "parties": [[p.unit.code, p.role, p.signatory] for p in rows],
    }


# ---------------------------------------------------------------- programmes


@transaction.atomic
def programme_create(
    *, actor: Any, code: str, owner: Unit, details: ProgrammeDetails, parties: Sequence[PartyDetails]
) -> Programme:
    """Record a programme; the recording unit (where the actor holds programme.change) is one of its parties."""
    if not scope_for(actor, CHANGE).covers(path=owner.path, unit_id=owner.pk):
        raise unit_not_found(owner, "owner")
    require_active_unit(owner, "owner")
    code = clean_code(code)
    values = clean_details(details)
    cleaned = clean_parties(parties, owner)
    if Programme.objects.filter(code=code).exists():
        raise Conflict(_("The code %(code)s is already taken.") % {"code": code}, field="code", code="duplicate_code")
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                code=code,
                owner=owner,
                title=values.title,
                reference=values.reference,
                start_date=values.start_date,
                end_date=values.end_date,
                goals=values.goals,
            )
    except IntegrityError:
        raise Conflict(
            _("The code %(code)s is already taken.") % {"code": code}, field="code", code="duplicate_code"
        ) from None
    ProgrammeParty.objects.bulk_create(
        ProgrammeParty(programme=programme, unit=p.unit, role=p.role, signatory=p.signatory) for p in cleaned
    )
    record(actor=actor, action="programme.create", obj=programme, after=programme_snapshot(programme))
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, details: ProgrammeDetails, version: int) -> Programme:
    """Change a programme's title, document number, period or goals; `version` guards against a lost update."""
    programme = _lock(programme)
    _require_change(actor, programme)
    if programme.version != version:
        raise Conflict(_("Someone else changed this programme meanwhile. Reload the page and try again."), code="stale")
    values = clean_details(details)
    before = programme_snapshot(programme)
    programme.title = values.title
    programme.reference = values.reference
    programme.start_date = values.start_date
    programme.end_date = values.end_date
    programme.goals = values.goals
    after = programme_snapshot(programme)
    if after == before:
        return programme
    programme.version = F("version") + 1
    programme.save()
    programme.refresh_from_db()
    record(actor=actor, action="programme.update", obj=programme, before=before, after=after)
    return programme


def _party_snapshot(party: ProgrammeParty) -> dict[str, Any]:
    return {
        "programme": party.programme.code,
        "unit": party.unit.code,
        "role": party.role,
        "signatory": party.signatory,
    }


def _bump(programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(version=F("version") + 1)


@transaction.atomic
def party_add(*, actor: Any, programme: Programme, party: PartyDetails) -> ProgrammeParty:
    """Add a party; added as the lead, it takes the lead over from the former lead (who becomes a partner)."""
    programme = _lock(programme)
    _require_change(actor, programme)
    cleaned = _clean_party(party)
    if ProgrammeParty.objects.filter(programme=programme, unit=cleaned.unit).exists():
        raise Conflict(
            _("Unit %(code)s is already a party.") % {"code": cleaned.unit.code}, field="parties", code="duplicate"
        )
    if ProgrammeParty.objects.filter(programme=programme).count() >= MAX_PARTIES:
        raise DomainError(_("At most %(max)s parties.") % {"max": MAX_PARTIES}, field="parties")
    if cleaned.role == PartyRole.LEAD:
        ProgrammeParty.objects.filter(programme=programme, role=PartyRole.LEAD).update(role=PartyRole.PARTNER)
    row = ProgrammeParty.objects.create(
        programme=programme, unit=cleaned.unit, role=cleaned.role, signatory=cleaned.signatory
    )
    _bump(programme)
    record(actor=actor, action="programme.party_add", obj=row, after=_party_snapshot(row))
    return row


@transaction.atomic
def party_lead(*, actor: Any, programme: Programme, unit: Unit) -> ProgrammeParty:
    """Make a party the lead; the former lead becomes a partner."""
    programme = _lock(programme)
    _require_change(actor, programme)
    row = ProgrammeParty.objects.filter(programme=programme, unit=unit).select_related("unit", "programme").first()
    if row is None:
        raise NotFound(_("Unit %(code)s is not a party.") % {"code": unit.code}, field="unit")
    if row.role == PartyRole.LEAD:
        return row
    before = _party_snapshot(row)
    ProgrammeParty.objects.filter(programme=programme, role=PartyRole.LEAD).update(role=PartyRole.PARTNER)
    row.role = PartyRole.LEAD
    row.save(update_fields=["role"])
    _bump(programme)
    record(actor=actor, action="programme.party_lead", obj=row, before=before, after=_party_snapshot(row))
    return row


@transaction.atomic
def party_remove(*, actor: Any, programme: Programme, unit: Unit) -> None:
    """Remove a party that is neither the lead nor the recording unit, has no mobilised officers, and leaves two."""
    programme = _lock(programme)
    _require_change(actor, programme)
    row = ProgrammeParty.objects.filter(programme=programme, unit=unit).select_related("unit", "programme").first()
    if row is None:
        raise NotFound(_("Unit %(code)s is not a party.") % {"code": unit.code}, field="unit")
    if row.role == PartyRole.LEAD:
        raise DomainError(
            _("The lead party cannot be removed; make another party the lead first."), field="unit", code="lead"
        )
    if unit.pk == programme.owner_id:
        raise DomainError(_("The recording unit cannot be removed."), field="unit", code="owner")
    if ProgrammeParty.objects.filter(programme=programme).count() <= MIN_PARTIES:
        raise DomainError(
            _("A joint programme has at least %(min)s parties.") % {"min": MIN_PARTIES},
            field="unit",
            code="too_few_parties",
        )
    if ProgrammeOfficer.objects.filter(programme=programme, unit=unit).exists():
        raise DomainError(
            _("Unit %(code)s has mobilised officers; remove them first.") % {"code": unit.code},
            field="unit",
            code="has_officers",
        )
    record(actor=actor, action="programme.party_remove", obj=row, before=_party_snapshot(row))
    row.delete()
    _bump(programme)


# ---------------------------------------------------------------- officers


def officer_snapshot(officer: ProgrammeOfficer) -> dict[str, Any]:
    return {
        "programme": officer.programme.code,
        "unit": officer.unit.code,
        "member_code": officer.person.member_code if officer.person is not None else None,
        "name": officer.name,
        "role_title": officer.role_title,
    }


@transaction.atomic
def officer_add(
    *,
    actor: Any,
    programme: Programme,
    unit: Unit,
    person: Person | None = None,
    name: str = "",
    role_title: str = "",
) -> ProgrammeOfficer:
    """A party mobilises an officer: a member the actor sees, or someone named who is not one."""
    programme = _lock(programme)
    _require_visible(actor, programme)
    party = ProgrammeParty.objects.filter(programme=programme, unit=unit).first()
    if party is None:
        raise DomainError(
            _("Unit %(code)s is not a party of this programme.") % {"code": unit.code}, field="unit", code="not_party"
        )
    if not may_mobilise(actor, programme, unit):
        raise Forbidden(
            _("Only the recording unit or party %(code)s mobilises its officers.") % {"code": unit.code}, field="unit"
        )
    name = clean_str(name, "name", NAME_MAX_LENGTH)
    role_title = clean_str(role_title, "role_title", NAME_MAX_LENGTH)
    if person is not None:
        if name:
            raise DomainError(_("Give a member or a name, not both."), field="name")
        if not Person.objects.visible_to(actor, MEMBER_VIEW).filter(pk=person.pk).exists():
            raise NotFound(_("Person %(code)s was not found.") % {"code": person.member_code}, field="person")
        if ProgrammeOfficer.objects.filter(programme=programme, person=person).exists():
            raise Conflict(
                _("%(name)s (%(code)s) is already mobilised for this programme.")
                % {"name": person.full_name, "code": person.member_code},
                field="person",
                code="duplicate",
            )
    elif not name:
        raise DomainError(_("Give a member's code or a name."), field="name", code="required")
    officer = ProgrammeOfficer.objects.create(
        programme=programme, unit=unit, person=person, name=name, role_title=role_title
    )
    record(actor=actor, action="programme.officer_add", obj=officer, after=officer_snapshot(officer))
    return officer


@transaction.atomic
def officer_remove(*, actor: Any, officer: ProgrammeOfficer) -> None:
    locked = (
        ProgrammeOfficer.objects.select_for_update(of=("self",))
        .select_related("programme__owner", "unit", "person")
        .filter(pk=officer.pk)
        .first()
    )
    if locked is None or not Programme.objects.visible_to(actor, VIEW).filter(pk=locked.programme_id).exists():
        raise NotFound(_("Officer not found."), field="officer")
    if not may_mobilise(actor, locked.programme, locked.unit):
        raise Forbidden(
            _("Only the recording unit or party %(code)s mobilises its officers.") % {"code": locked.unit.code},
            field="officer",
        )
    record(actor=actor, action="programme.officer_remove", obj=locked, before=officer_snapshot(locked))
    locked.delete()


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportedProgramme:
    """A programme as an import row gives it (already checked): the parties in order, the lead first."""

    code: str
    owner: Unit
    details: ProgrammeDetails
    parties: tuple[Unit, ...]


@transaction.atomic
def programme_import_save(
    *, actor: Any, data: ImportedProgramme, existing: Programme | None, row: int | None = None
) -> Programme:
    """Create a programme or make a recorded one match the row: details, parties (the first leads).

    Called by the import inside its one transaction, after the whole file was validated; `actor`
    None is the system (the command line without --actor).
    """
    if actor is not None and not scope_for(actor, CHANGE).covers(path=data.owner.path, unit_id=data.owner.pk):
        raise unit_not_found(data.owner, "owner")
    values = clean_details(data.details)
    parties = clean_parties(
        [PartyDetails(unit, PartyRole.LEAD if i == 0 else PartyRole.PARTNER) for i, unit in enumerate(data.parties)],
        data.owner,
    )
    if existing is None:
        programme = Programme.objects.create(code=data.code, owner=data.owner, **_fields(values))
        before = None
        current: dict[int, ProgrammeParty] = {}
    else:
        programme = _lock(existing)
        before = programme_snapshot(programme)
        for name, value in _fields(values).items():
            setattr(programme, name, value)
        programme.version = F("version") + 1
        programme.save()
        programme.refresh_from_db()
        current = {p.unit_id: p for p in ProgrammeParty.objects.filter(programme=programme)}
    wanted = {p.unit.pk: p for p in parties}
    ProgrammeParty.objects.filter(programme=programme).exclude(unit_id__in=list(wanted)).delete()
    for unit_id, party in wanted.items():
        found = current.get(unit_id)
        if found is None:
            ProgrammeParty.objects.create(programme=programme, unit=party.unit, role=party.role)
        elif found.role != party.role:
            found.role = party.role
            found.save(update_fields=["role"])
    after = programme_snapshot(programme)
    if row is not None:
        after["row"] = row
    record(actor=actor, action="programme.import", obj=programme, before=before, after=after)
    return programme


def _fields(values: ProgrammeDetails) -> dict[str, Any]:
    return {
        "title": values.title,
        "reference": values.reference,
        "start_date": values.start_date,
        "end_date": values.end_date,
        "goals": values.goals,
    }
