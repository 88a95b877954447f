"""The employers of the tests, helpers to record dialogues and conferences, and "nothing changed".

Employers (enterprise units under the commune union): Sông Mây (its union is the cast's grassroots
union, founded 2020-01-01) and Hòa Phát (the sibling union's); Cam Ranh is an employer in the other
province, with a union there. Sông Mây has 120 employees: the band of 50–149 wants 4–8 employee
representatives and 3 on the employer's side, the legal representative among them.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import FOUNDED, establish
from unionhall.activities.models import Activity, ActivityKind, ActivityOrganiser
from unionhall.activities.services import ActivityDetails
from unionhall.audit.models import AuditEntry
from unionhall.democracy import services
from unionhall.democracy.models import Dialogue, EmployeeConference
from unionhall.democracy.services import ConferenceDetails, DialogueDetails
from unionhall.orgunits import services as unit_services
from unionhall.orgunits.models import Unit

TODAY = dt.date(2025, 3, 15)
HELD_AT = dt.datetime(2025, 3, 10, 1, 0, tzinfo=dt.UTC)  # 08:00 on 10 March in Vietnam
HELD_ON = dt.date(2025, 3, 10)


def at(day: dt.date) -> dt.datetime:
    """08:00 in Vietnam on `day`."""
    return dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC)


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def activity(
    title: str = "Đối thoại định kỳ năm 2025", *, code: str = "workplace_dialogue", **extra
) -> ActivityDetails:
    values = {"kind": kind(code), "title": title, "starts_at": HELD_AT, "place": "Phòng họp công ty"}
    values.update(extra)
    return ActivityDetails(**values)


def sides(employer: Unit, **extra) -> DialogueDetails:
    values = {
        "employer": employer,
        "headcount": 120,
        "employer_side": 3,
        "employee_side": 5,
        "legal_representative_present": True,
        "employee_side_women": 2,
        "agreements": "Tăng tiền ăn ca lên 30.000 đồng.",
    }
    values.update(extra)
    return DialogueDetails(**values)


def record_dialogue(actor, unit: Unit, employer: Unit, *, day: dt.date = HELD_ON, confirm: bool = False, **extra):
    return services.dialogue_record(
        actor=actor,
        unit=unit,
        activity=activity(starts_at=at(day)),
        dialogue=sides(employer, **extra),
        confirm_composition=confirm,
        today=max(day, TODAY),
    )


def conference(employer: Unit, **extra) -> ConferenceDetails:
    values = {"employer": employer, "form": "all", "headcount": 120, "attended": 95, "agreement_reviewed": True}
    values.update(extra)
    return ConferenceDetails(**values)


def record_conference(actor, unit: Unit, employer: Unit, *, day: dt.date = HELD_ON, **extra) -> EmployeeConference:
    return services.conference_record(
        actor=actor,
        unit=unit,
        activity=activity("Hội nghị người lao động năm 2025", code="employee_conference", starts_at=at(day)),
        conference=conference(employer, **extra),
        today=max(day, TODAY),
    )


def state() -> dict:
    """Every row the democracy services write (with their activities) and the size of the audit log."""
    return {
        "activities": list(Activity.objects.order_by("pk").values_list("pk", "unit_id", "title", "version")),
        "organisers": list(ActivityOrganiser.objects.order_by("pk").values_list("activity_id", "unit_id")),
        "dialogues": list(
            Dialogue.objects.order_by("pk").values_list(
                "pk",
                "employer_id",
                "held_on",
                "headcount",
                "employer_side",
                "employee_side",
                "composition_issues",
                "composition_confirmed_by",
            )
        ),
        "conferences": list(
            EmployeeConference.objects.order_by("pk").values_list("pk", "employer_id", "held_on", "attended")
        ),
        "audit": AuditEntry.objects.count(),
    }


def set_employer(admin, union: Unit, employer: Unit) -> Unit:
    union.refresh_from_db()
    return unit_services.unit_update_details(
        actor=admin, unit=union, version=union.version, details=unit_services.UnitDetails(employer=employer)
    )


@dataclass
class World:
    song_may: Unit
    hoa_phat: Unit
    cam_ranh: Unit
    cam_ranh_union: Unit


@pytest.fixture
def world(cast) -> World:
    song_may = establish(cast.admin, cast.commune, "enterprise", "DN-TB-E001", "Công ty TNHH Sông Mây")
    hoa_phat = establish(cast.admin, cast.commune, "enterprise", "DN-TB-E002", "Công ty CP Hòa Phát")
    cam_ranh = establish(cast.admin, cast.other_province, "enterprise", "KH-E001", "Công ty Cam Ranh")
    cam_ranh_union = establish(cast.admin, cast.other_province, "grassroots_union", "KH-001", "CĐCS Công ty Cam Ranh")
    set_employer(cast.admin, cast.unit, song_may)
    set_employer(cast.admin, cast.sibling_unit, hoa_phat)
    set_employer(cast.admin, cam_ranh_union, cam_ranh)
    cast.refresh()
    assert cast.unit.established_date == FOUNDED
    return World(song_may, hoa_phat, cam_ranh, cam_ranh_union)
