"""People for the members tests: valid details and CCCD numbers, and a one-call registration."""

import datetime as dt

from unionhall.accounts.models import User
from unionhall.members import services
from unionhall.members.models import Person
from unionhall.members.services import PersonDetails
from unionhall.orgunits.models import Unit

TODAY = dt.date(2025, 1, 15)
JOINED = dt.date(2021, 3, 1)
# A structurally valid CCCD: Đồng Nai (075), a man born in 1990 (digit 0, year 90).
CANARY_ID = "075090123457"


def fresh(user: User) -> User:
    """The user as a new request sees them (grants are cached per user object)."""
    return User.objects.get(pk=user.pk)


def details(name: str = "Nguyễn Văn Đệ", **extra) -> PersonDetails:
    values = {"full_name": name, "gender": "male", "date_of_birth": dt.date(1990, 5, 17)}
    values.update(extra)
    return PersonDetails(**values)


def cccd(province: str = "075", *, year: int = 1990, female: bool = False, tail: str = "123457") -> str:
    digit = 2 * (year // 100 - 19) + (1 if female else 0)
    return f"{province}{digit}{year % 100:02d}{tail}"


def register(actor, unit: Unit, name: str = "Nguyễn Văn Đệ", *, join_date=JOINED, **extra) -> Person:
    return services.person_create(
        actor=actor, unit=unit, join_date=join_date, details=details(name, **extra), today=TODAY
    )
