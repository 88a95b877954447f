"""The movements of the tests: one launched by the province, one by the cast's unit, one joint movement.

The joint movement is launched by the provincial police (a partner body under the province) and
lists the police and the cast's grassroots union.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import establish, grant, make_user
from unionhall.accounts.models import User
from unionhall.audit.models import AuditEntry
from unionhall.members.models import Person
from unionhall.members.tests.people import register
from unionhall.movements import services
from unionhall.movements.models import Milestone, Movement, Registration
from unionhall.movements.services import MovementDetails
from unionhall.orgunits.models import Unit

TODAY = dt.date(2025, 3, 15)
START = dt.date(2024, 1, 1)
END = dt.date(2026, 12, 31)
ROLES = ("officer", "parent", "sibling", "outsider")


def fresh(user: User) -> User:
    """The user as a new request sees them (grants are cached per user object)."""
    return User.objects.get(pk=user.pk)


def details(title: str = "Lao động giỏi, Lao động sáng tạo", **extra) -> MovementDetails:
    values = {"title": title, "kind": "regular", "start_date": START, "end_date": END}
    values.update(extra)
    return MovementDetails(**values)


def launch(actor, launcher: Unit, code: str, **extra) -> Movement:
    return services.movement_launch(actor=actor, code=code, launcher=launcher, details=details(**extra), today=TODAY)


def state() -> dict:
    """Every row the movement services write, and the size of the audit log: "nothing changed"."""
    return {
        "movements": list(
            Movement.objects.order_by("pk").values_list(
                "code",
                "title",
                "kind",
                "launcher_id",
                "start_date",
                "end_date",
                "scope",
                "criteria",
                "status",
                "version",
            )
        ),
        "units": list(Movement.units.through.objects.order_by("pk").values_list("movement_id", "unit_id")),
        "milestones": list(
            Milestone.objects.order_by("pk").values_list("movement_id", "kind", "due_date", "held_on", "note")
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "movement_id", "unit_id", "person_id", "year", "titles", "initiatives_pledged", "note", "registered_on"
            )
        ),
        "audit": AuditEntry.objects.count(),
    }


@dataclass
class World:
    police: Unit
    province_mv: Movement
    unit_mv: Movement
    joint_mv: Movement
    police_officer: User
    member: Person
    sibling_member: Person


@pytest.fixture
def world(cast) -> World:
    police = establish(cast.admin, cast.province, "police_department", "DN-CA", "Công an tỉnh Đồng Nai")
    police_officer = make_user("police")
    grant(police_officer, police)
    province_mv = launch(cast.admin, cast.province, "ldg-ldst-dn")
    unit_mv = launch(cast.admin, cast.unit, "xanh-sach-dep", title="Xanh – Sạch – Đẹp", kind="thematic")
    joint_mv = launch(
        cast.admin,
        police,
        "bao-ve-an-ninh",
        title="Toàn dân bảo vệ an ninh Tổ quốc",
        kind="campaign",
        scope="listed",
        units=(cast.unit, police),
    )
    member = register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    sibling_member = register(cast.admin, cast.sibling_unit, "Trần Thị Hoa")
    return World(police, province_mv, unit_mv, joint_mv, police_officer, member, sibling_member)
