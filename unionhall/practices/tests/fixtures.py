"""The models of the tests, on top of the movements' world (province, unit and joint movements, the police).

A joint programme of the province (lead) and the provincial police runs 2024–2026. The cast's unit
registers a self-managed security group in the province's movement and the programme; the commune
registers a "Dân vận khéo" model in the province's movement only.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.practices import services
from unionhall.practices.models import Practice, PracticeEvaluation, PracticeMember
from unionhall.practices.services import PracticeDetails
from unionhall.programmes import services as programme_services
from unionhall.programmes.choices import PartyRole
from unionhall.programmes.models import Programme

TODAY = dt.date(2025, 3, 15)
ROLES = ("officer", "parent", "sibling", "outsider")


def details(title: str = "Tổ công nhân tự quản an ninh trật tự khu nhà trọ", **extra) -> PracticeDetails:
    values = {
        "title": title,
        "field": "defence_security",
        "started_on": dt.date(2024, 1, 15),
        "registered_on": dt.date(2024, 2, 1),
    }
    values.update(extra)
    return PracticeDetails(**values)


def state() -> dict:
    """Every row the practice services write, and the size of the audit log: "nothing changed"."""
    return {
        "practices": list(
            Practice.objects.order_by("pk").values_list(
                "code",
                "title",
                "kind",
                "field",
                "unit_id",
                "movement_id",
                "programme_id",
                "started_on",
                "registered_on",
                "recognised_on",
                "recognised_by_id",
                "recognition_ref",
                "ended_on",
                "version",
            )
        ),
        "members": list(PracticeMember.objects.order_by("pk").values_list("practice_id", "person_id", "name", "role")),
        "evaluations": list(
            PracticeEvaluation.objects.order_by("pk").values_list(
                "practice_id", "year", "result", "evaluated_on", "evaluated_by_id"
            )
        ),
        "audit": AuditEntry.objects.count(),
    }


@dataclass
class ModelsWorld:
    programme: Programme
    unit_practice: Practice
    commune_practice: Practice


@pytest.fixture
def models_world(cast, world) -> ModelsWorld:
    programme = programme_services.programme_create(
        actor=cast.admin,
        code="ca-ldld-2024",
        owner=cast.province,
        details=programme_services.ProgrammeDetails(
            title="Phối hợp bảo đảm an ninh trật tự", start_date=dt.date(2024, 1, 1), end_date=dt.date(2026, 12, 31)
        ),
        parties=[
            programme_services.PartyDetails(cast.province, PartyRole.LEAD),
            programme_services.PartyDetails(world.police),
        ],
    )
    unit_practice = services.practice_register(
        actor=cast.admin,
        code="tu-quan-nha-tro",
        unit=cast.unit,
        details=details(movement=world.province_mv, programme=programme),
        today=TODAY,
    )
    commune_practice = services.practice_register(
        actor=cast.admin,
        code="dan-van-kheo-tb",
        unit=cast.commune,
        details=details(
            "Dân vận khéo trong khu công nghiệp",
            field="culture_society",
            movement=world.province_mv,
            registered_on=dt.date(2024, 5, 1),
        ),
        today=TODAY,
    )
    return ModelsWorld(programme, unit_practice, commune_practice)
