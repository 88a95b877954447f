"""The programmes of the tests: the province with the provincial police, and the cast's unit with the police.

The police department is a partner body under the province; its officer holds unit_admin there.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import establish, grant, make_user
from unionhall.accounts.models import User
from unionhall.audit.models import AuditEntry
from unionhall.orgunits.models import Unit
from unionhall.programmes import services
from unionhall.programmes.choices import PartyRole
from unionhall.programmes.models import Programme, ProgrammeOfficer, ProgrammeParty
from unionhall.programmes.services import PartyDetails, ProgrammeDetails

START = dt.date(2018, 3, 1)
END = dt.date(2023, 12, 31)
ROLES = ("officer", "parent", "sibling", "outsider")


def fresh(user: User) -> User:
    """The user as a new request sees them (grants are cached per user object)."""
    return User.objects.get(pk=user.pk)


def details(title: str = "Phối hợp bảo đảm an ninh trật tự trong công nhân", **extra) -> ProgrammeDetails:
    values = {"title": title, "start_date": START, "end_date": END, "reference": "01/CTPH-CA-LĐLĐ"}
    values.update(extra)
    return ProgrammeDetails(**values)


def parties(lead: Unit, *partners: Unit) -> list[PartyDetails]:
    return [PartyDetails(lead, PartyRole.LEAD), *(PartyDetails(u) for u in partners)]


def create(actor, owner: Unit, code: str, party_list: list[PartyDetails], **extra) -> Programme:
    return services.programme_create(actor=actor, code=code, owner=owner, details=details(**extra), parties=party_list)


def state() -> dict:
    """Every row the programme services write, and the size of the audit log: "nothing changed"."""
    return {
        "programmes": list(
            Programme.objects.order_by("pk").values_list(
                "code", "title", "reference", "owner_id", "start_date", "end_date", "goals", "version"
            )
        ),
        "parties": list(
            ProgrammeParty.objects.order_by("pk").values_list("programme_id", "unit_id", "role", "signatory")
        ),
        "officers": list(
            ProgrammeOfficer.objects.order_by("pk").values_list("programme_id", "unit_id", "person_id", "name")
        ),
        "audit": AuditEntry.objects.count(),
    }


@dataclass
class ProgrammeWorld:
    police: Unit
    police_officer: User
    province_pg: Programme
    unit_pg: Programme


@pytest.fixture
def pworld(cast) -> ProgrammeWorld:
    police = establish(cast.admin, cast.province, "police_department", "DN-CA", "Công an tỉnh Đồng Nai")
    police_officer = make_user("police")
    grant(police_officer, police)
    province_pg = create(cast.admin, cast.province, "ca-ldld-2018", parties(cast.province, police))
    unit_pg = create(
        cast.admin,
        cast.unit,
        "ca-songmay",
        parties(cast.unit, police),
        title="Công nhân Sông Mây giữ gìn an ninh",
        start_date=dt.date(2024, 1, 1),
        end_date=None,
        reference="",
    )
    return ProgrammeWorld(police, police_officer, province_pg, unit_pg)
