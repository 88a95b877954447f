"""Shared test fixtures: a small unit tree and the cast of the permission matrix.

The cast, for a unit U (a grassroots union):
  officer   - unit administrator on U and its subtree
  parent    - unit administrator on U's parent (a commune union) and its subtree
  sibling   - unit administrator on a sibling grassroots union
  outsider  - unit administrator in another province
  admin     - the national administrator (superuser)
"""

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from unionhall.access.models import Role, RoleGrant
from unionhall.accounts.models import User
from unionhall.orgunits import services
from unionhall.orgunits.models import Unit, UnitType

# CI replays the same examples every run (a red run can be reproduced); local runs explore new ones.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

PASSWORD = "correct-horse-battery-9"
FOUNDED = dt.date(2020, 1, 1)


@dataclass
class Cast:
    root: Unit
    province: Unit
    commune: Unit
    unit: Unit
    section: Unit
    sibling_unit: Unit
    other_province: Unit
    admin: User
    officer: User
    parent: User
    sibling: User
    outsider: User

    def refresh(self) -> None:
        for name in ("root", "province", "commune", "unit", "section", "sibling_unit", "other_province"):
            getattr(self, name).refresh_from_db()


def make_user(username: str, **extra) -> User:
    # English, so assertions can read messages; the default language (vi) is tested on its own.
    extra.setdefault("language", "en")
    user = User(username=username, full_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def unit_types() -> dict[str, UnitType]:
    return {t.code: t for t in UnitType.objects.all()}


def establish(actor, parent, type_code: str, code: str, name: str, day: dt.date = FOUNDED) -> Unit:
    return services.unit_establish(
        actor=actor,
        parent=parent,
        unit_type=unit_types()[type_code],
        code=code,
        names={"vi": name},
        decision=services.Decision(day, "Thành lập"),
    )


def grant(user: User, unit: Unit, role: str = "unit_admin", scope: str = "subtree") -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=Role.objects.get(code=role), unit=unit, scope=scope)


@pytest.fixture
def cast(db) -> Cast:
    admin = make_user("admin", is_superuser=True, is_staff=True)
    root = establish(admin, None, "confederation", "VN", "Tổng Liên đoàn Lao động Việt Nam")
    province = establish(admin, root, "provincial_federation", "DN", "Liên đoàn Lao động tỉnh Đồng Nai")
    commune = establish(admin, province, "commune_union", "DN-TB", "Công đoàn phường Trấn Biên")
    unit = establish(admin, commune, "grassroots_union", "DN-TB-001", "Công đoàn cơ sở Công ty Sông Mây")
    section = establish(admin, unit, "union_section", "DN-TB-001-S1", "Công đoàn bộ phận Sản xuất")
    sibling_unit = establish(admin, commune, "grassroots_union", "DN-TB-002", "Công đoàn cơ sở Công ty Hòa Phát")
    other_province = establish(admin, root, "provincial_federation", "KH", "Liên đoàn Lao động tỉnh Khánh Hòa")
    officer, parent, sibling, outsider = (make_user(n) for n in ("officer", "parent", "sibling", "outsider"))
    grant(officer, unit)
    grant(parent, commune)
    grant(sibling, sibling_unit)
    grant(outsider, other_province)
    return Cast(
        root, province, commune, unit, section, sibling_unit, other_province, admin, officer, parent, sibling, outsider
    )
