"""Programme services: exact effects, the rules on parties and officers, and nothing changed on a refusal."""

import datetime as dt

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import Conflict, DomainError, Forbidden, NotFound
from unionhall.members.tests.people import register
from unionhall.programmes import selectors, services
from unionhall.programmes.choices import PartyRole
from unionhall.programmes.models import Programme, ProgrammeOfficer, ProgrammeParty
from unionhall.programmes.services import PartyDetails

from .fixtures import details, fresh, parties, state


def roles(programme: Programme) -> list[tuple[str, str]]:
    return list(
        ProgrammeParty.objects.filter(programme=programme).order_by("role", "pk").values_list("unit__code", "role")
    )


def test_create_records_the_programme_its_parties_and_an_audit_entry(cast, pworld):
    programme = pworld.province_pg
    assert (programme.code, programme.owner_id, programme.start_date, programme.end_date, programme.version) == (
        "ca-ldld-2018",
        cast.province.pk,
        dt.date(2018, 3, 1),
        dt.date(2023, 12, 31),
        1,
    )
    assert roles(programme) == [("DN", "lead"), ("DN-CA", "partner")]
    entry = AuditEntry.objects.filter(action="programme.create", object_id=str(programme.pk)).get()
    assert entry.after["parties"] == [["DN", "lead", ""], ["DN-CA", "partner", ""]]
    assert entry.unit_id == cast.province.pk


def test_takes_part_and_party_unit_ids(cast, pworld):
    programme = pworld.province_pg
    assert selectors.party_unit_ids(programme) == [cast.province.pk, pworld.police.pk]
    assert services.takes_part(programme, cast.section) is True  # under the province
    assert services.takes_part(programme, pworld.police) is True
    assert services.takes_part(programme, cast.root) is False
    assert services.takes_part(programme, cast.other_province) is False
    assert services.takes_part(pworld.unit_pg, cast.sibling_unit) is False


@pytest.mark.parametrize(
    ("change", "error", "field", "message"),
    [
        (
            {"details": {"start_date": dt.date(2024, 1, 1), "end_date": dt.date(2023, 1, 1)}},
            DomainError,
            "end_date",
            "The end date (Jan 1, 2023) is before the start date (Jan 1, 2024).",
        ),
        ({"parties": "one"}, DomainError, "parties", "A joint programme has at least 2 parties."),
        (
            {"parties": "two_leads"},
            DomainError,
            "parties",
            "Exactly one party leads the programme; 2 are named as lead.",
        ),
        ({"parties": "no_lead"}, DomainError, "parties", "Exactly one party leads the programme; 0 are named as lead."),
        (
            {"parties": "owner_missing"},
            DomainError,
            "parties",
            "The recording unit DN-TB-001 must be one of the parties.",
        ),
        ({"parties": "twice"}, DomainError, "parties", "Unit DN-CA is named twice among the parties."),
        ({"code": "ca-ldld-2018"}, Conflict, "code", "The code ca-ldld-2018 is already taken."),
        ({"code": "new"}, DomainError, "code", "The code new is reserved; choose another."),
        ({"code": "Bad Code!"}, DomainError, "code", None),
        ({"details": {"title": "  "}}, DomainError, "title", "This field is required."),
        ({"owner": "sibling_unit"}, NotFound, "owner", "Unit DN-TB-002 was not found."),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(cast, pworld, change, error, field, message):
    police = pworld.police
    party_sets = {
        "one": [PartyDetails(cast.unit, PartyRole.LEAD)],
        "two_leads": [PartyDetails(cast.unit, PartyRole.LEAD), PartyDetails(police, PartyRole.LEAD)],
        "no_lead": [PartyDetails(cast.unit), PartyDetails(police)],
        "owner_missing": [PartyDetails(cast.province, PartyRole.LEAD), PartyDetails(police)],
        "twice": [PartyDetails(cast.unit, PartyRole.LEAD), PartyDetails(police), PartyDetails(police)],
    }
    owner = getattr(cast, change.get("owner", "unit"))
    party_list = party_sets.get(change.get("parties"), parties(cast.unit, police))
    if change.get("owner"):
        party_list = parties(owner, police)
    before = state()
    with pytest.raises(error) as raised:
        services.programme_create(
            actor=fresh(cast.officer),
            code=change.get("code", "moi"),
            owner=owner,
            details=details(**change.get("details", {})),
            parties=party_list,
        )
    assert raised.value.field == field
    if message is not None:
        assert str(raised.value) == message
    assert state() == before


def test_update_with_version_and_the_refusals(cast, pworld):
    programme = pworld.unit_pg
    updated = services.programme_update(
        actor=fresh(cast.officer), programme=programme, details=details(goals="Không có tội phạm"), version=1
    )
    assert (updated.version, updated.goals, updated.start_date) == (2, "Không có tội phạm", dt.date(2018, 3, 1))
    entry = AuditEntry.objects.filter(action="programme.update").get()
    assert (entry.before["goals"], entry.after["goals"]) == ("", "Không có tội phạm")
    before = state()
    with pytest.raises(Conflict):
        services.programme_update(actor=fresh(cast.officer), programme=programme, details=details(), version=1)
    with pytest.raises(Forbidden) as forbidden:  # the police is a party: it sees the programme, the unit records it
        services.programme_update(actor=fresh(pworld.police_officer), programme=programme, details=details(), version=2)
    assert str(forbidden.value) == "Only the recording unit DN-TB-001 changes this programme."
    with pytest.raises(NotFound):
        services.programme_update(actor=fresh(cast.sibling), programme=programme, details=details(), version=2)
    with pytest.raises(DomainError) as bad:
        services.programme_update(
            actor=fresh(cast.officer),
            programme=programme,
            details=details(start_date=dt.date(2024, 1, 1), end_date=dt.date(2023, 12, 31)),
            version=2,
        )
    assert bad.value.field == "end_date"
    assert state() == before


def test_adding_a_lead_moves_the_lead_and_removal_keeps_the_rules(cast, pworld):
    programme = pworld.unit_pg
    actor = fresh(cast.officer)
    services.party_add(
        actor=actor, programme=programme, party=PartyDetails(cast.sibling_unit, PartyRole.LEAD, "Trần Văn Ký")
    )
    assert roles(programme) == [("DN-TB-002", "lead"), ("DN-TB-001", "partner"), ("DN-CA", "partner")]
    assert Programme.objects.get(pk=programme.pk).version == 2
    before = state()
    for unit, message in (
        (cast.sibling_unit, "The lead party cannot be removed; make another party the lead first."),
        (cast.unit, "The recording unit cannot be removed."),
        (cast.section, "Unit DN-TB-001-S1 is not a party."),
    ):
        with pytest.raises(DomainError) as refused:
            services.party_remove(actor=actor, programme=programme, unit=unit)
        assert str(refused.value) == message
    with pytest.raises(Conflict):
        services.party_add(actor=actor, programme=programme, party=PartyDetails(pworld.police))
    assert state() == before
    services.party_remove(actor=actor, programme=programme, unit=pworld.police)
    assert roles(programme) == [("DN-TB-002", "lead"), ("DN-TB-001", "partner")]
    assert AuditEntry.objects.filter(action="programme.party_remove").get().before["unit"] == "DN-CA"
    services.party_lead(actor=actor, programme=programme, unit=cast.unit)
    assert roles(programme) == [("DN-TB-001", "lead"), ("DN-TB-002", "partner")]
    entry = AuditEntry.objects.filter(action="programme.party_lead").get()
    assert (entry.before["role"], entry.after["role"]) == ("partner", "lead")
    before = state()
    with pytest.raises(Conflict):
        services.party_add(actor=actor, programme=programme, party=PartyDetails(cast.unit, PartyRole.LEAD))
    with pytest.raises(DomainError) as too_few:
        services.party_remove(actor=actor, programme=programme, unit=cast.sibling_unit)
    assert str(too_few.value) == "A joint programme has at least 2 parties."
    assert state() == before


def test_officers_members_or_named_added_by_the_owner_or_their_party(cast, pworld):
    programme = pworld.unit_pg
    member = register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    stranger = register(cast.admin, cast.other_province, "Lê Văn Khách")
    officer = services.officer_add(
        actor=fresh(cast.officer), programme=programme, unit=cast.unit, person=member, role_title="Tổ trưởng"
    )
    named = services.officer_add(
        actor=fresh(pworld.police_officer),
        programme=programme,
        unit=pworld.police,
        name="Đại úy Phạm Văn Bảo",
        role_title="Cảnh sát khu vực",
    )
    assert list(ProgrammeOfficer.objects.order_by("pk").values_list("unit_id", "person_id", "name")) == [
        (cast.unit.pk, member.pk, ""),
        (pworld.police.pk, None, "Đại úy Phạm Văn Bảo"),
    ]
    assert AuditEntry.objects.filter(action="programme.officer_add").count() == 2
    services.party_add(actor=fresh(cast.officer), programme=programme, party=PartyDetails(cast.province))
    before = state()
    cases = [
        ({"unit": cast.unit, "person": member}, Conflict, "person"),
        ({"unit": cast.unit, "person": stranger}, NotFound, "person"),
        ({"unit": cast.unit, "person": member, "name": "X"}, DomainError, "name"),
        ({"unit": cast.unit}, DomainError, "name"),
        ({"unit": cast.sibling_unit, "name": "X"}, DomainError, "unit"),
    ]
    for kwargs, error, field in cases:
        with pytest.raises(error) as refused:
            services.officer_add(actor=fresh(cast.officer), programme=programme, **kwargs)
        assert refused.value.field == field, kwargs
    with pytest.raises(Forbidden):  # the police mobilises its own officers only
        services.officer_add(actor=fresh(pworld.police_officer), programme=programme, unit=cast.unit, name="X")
    with pytest.raises(NotFound):
        services.officer_add(actor=fresh(cast.outsider), programme=programme, unit=cast.unit, name="X")
    with pytest.raises(Forbidden):
        services.officer_remove(actor=fresh(pworld.police_officer), officer=officer)
    with pytest.raises(DomainError) as has_officers:
        services.party_remove(actor=fresh(cast.officer), programme=programme, unit=pworld.police)
    assert str(has_officers.value) == "Unit DN-CA has mobilised officers; remove them first."
    assert state() == before
    services.officer_remove(actor=fresh(cast.officer), officer=named)
    assert list(ProgrammeOfficer.objects.values_list("pk", flat=True)) == [officer.pk]
    assert AuditEntry.objects.filter(action="programme.officer_remove").get().before["name"] == "Đại úy Phạm Văn Bảo"
