"""Initiatives for the tests: authors in the cast's unit, and initiatives walked to each status."""

import datetime as dt
from decimal import Decimal

from unionhall.initiatives import services
from unionhall.initiatives.models import Initiative
from unionhall.initiatives.services import InitiativeDetails
from unionhall.members.models import Person
from unionhall.members.tests.people import register
from unionhall.movements.models import Movement

FIRST_APPLIED = dt.date(2024, 3, 1)
REQUESTED = dt.date(2024, 6, 3)
EXAMINED = dt.date(2024, 6, 20)
RECOGNISED = dt.date(2024, 9, 10)
TODAY = dt.date(2025, 1, 15)


def people(cast) -> tuple[Person, Person]:
    lan = register(cast.admin, cast.unit, "Nguyễn Thị Lan", gender="female")
    binh = register(cast.admin, cast.section, "Trần Văn Bình")
    return lan, binh


def details(**extra) -> InitiativeDetails:
    values = {
        "title": "Cải tiến khuôn ép nhựa",
        "field": "technical",
        "first_applied_on": FIRST_APPLIED,
        "description": "Giảm phế phẩm",
        "estimated_benefit_vnd": 150_000_000,
    }
    values.update(extra)
    return InitiativeDetails(**values)


def draft(cast, authors=None, *, unit=None, actor=None, **extra) -> Initiative:
    actor = actor or cast.admin
    initiative = services.initiative_create(actor=actor, unit=unit or cast.unit, details=details(**extra), today=TODAY)
    if authors:
        services.authors_set(
            actor=actor,
            initiative=initiative,
            authors=[(p, Decimal(s)) for p, s in authors],
            today=TODAY,
        )
    return Initiative.objects.get(pk=initiative.pk)


def submitted(cast, authors, **extra) -> Initiative:
    initiative = draft(cast, authors, **extra)
    return services.initiative_submit(actor=cast.admin, initiative=initiative, today=REQUESTED)


def accepted(cast, authors, **extra) -> Initiative:
    initiative = submitted(cast, authors, **extra)
    return services.initiative_examine(
        actor=cast.admin, initiative=initiative, verdict="accept", day=EXAMINED, today=EXAMINED
    )


def recognised(cast, authors, number: str = "SK-2024-01", **extra) -> Initiative:
    initiative = accepted(cast, authors, **extra)
    return services.initiative_recognise(
        actor=cast.admin,
        initiative=initiative,
        level="grassroots",
        certificate_number=number,
        recognised_on=RECOGNISED,
        today=RECOGNISED,
    )


def movement(cast, code: str = "ldg-ldst", launcher=None) -> Movement:
    return Movement.objects.create(
        code=code,
        title="Lao động giỏi, Lao động sáng tạo",
        kind="regular",
        launcher=launcher or cast.province,
        start_date=dt.date(2023, 1, 1),
        status="running",
    )
