"""The activities of the tests: members in the cast's units, a partner police department, helpers and "nothing changed".

The police department (a partner body under the province) co-organises; its officer holds a role there.
Members: Đệ (grassroots union, man), Hoa (its section, woman), Lan (sibling union), Minh (other province).
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import establish, grant, make_user
from unionhall.accounts.models import User
from unionhall.activities import services
from unionhall.activities.models import (
    Activity,
    ActivityFile,
    ActivityKind,
    ActivityOrganiser,
    Attendee,
    Headcount,
    Speaker,
)
from unionhall.activities.services import ActivityDetails
from unionhall.audit.models import AuditEntry
from unionhall.members.models import Person
from unionhall.members.tests.people import register
from unionhall.orgunits.models import Unit

UTC = dt.UTC
STARTS = dt.datetime(2025, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
ENDS = dt.datetime(2025, 3, 10, 4, 0, tzinfo=UTC)


def fresh(user: User) -> User:
    """The user as a new request sees them (grants are cached per user object)."""
    return User.objects.get(pk=user.pk)


def kind(code: str = "dissemination") -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def details(title: str = "Tuyên truyền Bộ luật Lao động 2019", **extra) -> ActivityDetails:
    values = {"kind": kind(), "title": title, "starts_at": STARTS, "ends_at": ENDS, "place": "Hội trường công ty"}
    values.update(extra)
    return ActivityDetails(**values)


def create(actor, unit: Unit, **extra) -> Activity:
    return services.activity_create(actor=actor, unit=unit, details=details(**extra))


def state() -> dict:
    """Every row the activity services write, and the size of the audit log: "nothing changed"."""
    return {
        "activities": list(
            Activity.objects.order_by("pk").values_list(
                "kind_id",
                "unit_id",
                "reference",
                "title",
                "starts_at",
                "ends_at",
                "status",
                "attendance_mode",
                "movement_id",
                "programme_id",
                "participants",
                "women",
                "version",
            )
        ),
        "organisers": list(ActivityOrganiser.objects.order_by("pk").values_list("activity_id", "unit_id")),
        "speakers": list(Speaker.objects.order_by("pk").values_list("activity_id", "name", "title")),
        "attendees": list(Attendee.objects.order_by("pk").values_list("activity_id", "key", "category", "gender")),
        "headcounts": list(Headcount.objects.order_by("pk").values_list("activity_id", "category", "total", "women")),
        "files": list(ActivityFile.objects.order_by("pk").values_list("activity_id", "kind", "original_name")),
        "audit": AuditEntry.objects.count(),
    }


@dataclass
class World:
    police: Unit
    police_officer: User
    member: Person
    woman: Person
    sibling_member: Person
    far_member: Person


@pytest.fixture
def world(cast) -> World:
    police = establish(cast.admin, cast.province, "police_department", "DN-CA", "Công an tỉnh Đồng Nai")
    police_officer = make_user("police")
    grant(police_officer, police)
    member = register(cast.admin, cast.unit, "Nguyễn Văn Đệ")
    woman = register(cast.admin, cast.section, "Lê Thị Hoa", gender="female", date_of_birth=dt.date(1992, 2, 3))
    sibling_member = register(cast.admin, cast.sibling_unit, "Trần Thị Lan", gender="female")
    far_member = register(cast.admin, cast.other_province, "Phạm Văn Minh")
    return World(police, police_officer, member, woman, sibling_member, far_member)


def programme(code: str, *parties: Unit, start=dt.date(2018, 1, 1), end=dt.date(2026, 12, 31)):
    """A joint programme between `parties` (rows made directly: the programmes app has its own tests)."""
    from unionhall.programmes.models import Programme, ProgrammeParty

    made = Programme.objects.create(
        code=code, title=f"Chương trình {code}", owner=parties[0], start_date=start, end_date=end
    )
    for i, unit in enumerate(parties):
        ProgrammeParty.objects.create(programme=made, unit=unit, role="lead" if i == 0 else "partner")
    return made
