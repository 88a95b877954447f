"""Shared set-up of the awards core tests: people in the cast's units, award types, decisions, snapshots."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from unionhall.audit.models import AuditEntry
from unionhall.awards import services
from unionhall.awards.models import Award, AwardType, Decision, Nomination
from unionhall.initiatives.models import Initiative, InitiativeAuthor
from unionhall.members import services as member_services
from unionhall.members.models import Person
from unionhall.members.services import PersonDetails
from unionhall.orgunits.models import Unit

TODAY = dt.date(2025, 3, 15)
SIGNED = dt.date(2025, 1, 20)
JOINED = dt.date(2021, 3, 1)
YEAR = 2024


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def kind(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


def member(cast, unit: Unit, name: str = "Nguyễn Văn An", *, join_date: dt.date = JOINED) -> Person:
    details = PersonDetails(full_name=name, gender="male", date_of_birth=dt.date(1990, 5, 17))
    return member_services.person_create(actor=cast.admin, unit=unit, join_date=join_date, details=details, today=TODAY)


def initiative(unit: Unit, author: Person, *, level: str = "grassroots", recognised_on=dt.date(2024, 6, 1), n=1):
    item = Initiative.objects.create(
        unit=unit,
        title=f"Sáng kiến {n}",
        field="technical",
        first_applied_on=dt.date(2024, 1, 10),
        status="recognised",
        level=level,
        recognised_on=recognised_on,
        certificate_number=f"SK-{n}",
    )
    InitiativeAuthor.objects.create(initiative=item, person=author, share=Decimal(100))
    return item


def decide(cast, code: str, awardees, *, unit: Unit | None = None, number: str = "01/QĐ", signed_on=SIGNED, **extra):
    return services.decision_create(
        actor=cast.admin,
        number=number,
        signed_on=signed_on,
        signer="Trần Văn Ký",
        granting_unit=unit or cast.commune,
        award_type=kind(code),
        awardees=awardees,
        **{"today": TODAY, **extra},
    )


def state() -> dict[str, int]:
    """Row counts of everything the awards services write, and the audit log."""
    return {
        "nominations": Nomination.objects.count(),
        "decisions": Decision.objects.count(),
        "awards": Award.objects.count(),
        "revoked": Award.objects.filter(revoked_on__isnull=False).count(),
        "audit": AuditEntry.objects.count(),
        "approved": Nomination.objects.filter(status="approved").count(),
        "submitted": Nomination.objects.filter(status="submitted").count(),
    }
