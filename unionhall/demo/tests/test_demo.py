"""`unionhall demo`: exact contents, history, idempotence, and logins that work."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.http import HttpRequest

from unionhall.access.models import RoleGrant
from unionhall.accounts.models import User
from unionhall.audit.chain import find_break, iterate_rows
from unionhall.audit.models import AuditEntry
from unionhall.demo.builder import DEMO_PASSWORD, USERS
from unionhall.orgunits import selectors
from unionhall.orgunits.models import AdminArea, Unit, UnitEvent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def unit(code: str) -> Unit:
    return Unit.objects.select_related("parent", "type").get(code=code)


DEMO_TYPES = {
    "confederation": 1,
    "provincial_federation": 1,
    "police_department": 2,
    "fatherland_front": 1,
    "district_federation": 2,
    "industrial_park_union": 2,
    "commune_union": 5,
    "corporation_union": 1,
    "grassroots_union": 39,
    "professional_union": 1,
    "enterprise": 12,
    "union_section": 90,
    "union_group": 130,
}


def test_demo_builds_once_with_exact_counts_and_history():
    first = run("demo")
    entries = AuditEntry.objects.count()
    second = run("demo")

    assert first.startswith("Demo organisation created: 287 units, 8 users, 355 union members.")
    assert second.startswith("The demo organisation is already there; nothing was changed.")
    assert Unit.objects.count() == 287 == sum(DEMO_TYPES.values())
    assert dict(Unit.objects.values_list("type__code").annotate(n=Count("pk"))) == DEMO_TYPES
    assert dict(Unit.objects.values_list("status").annotate(n=Count("pk"))) == {
        "active": 284,
        "dissolved": 2,
        "merged": 1,
    }
    assert User.objects.count() == 8
    assert RoleGrant.objects.current().count() == 7
    assert AdminArea.objects.filter(scheme__code="vn-2025", level="commune", parent__code="75").count() == 8
    assert AuditEntry.objects.count() == entries
    assert find_break(iterate_rows(AuditEntry.objects.all())) is None

    # Before 1 July 2025 the grassroots unions stood under the district federations; now under communes.
    bien_hoa, tran_bien = unit("DN-BH"), unit("DN-TB")
    before = dt.date(2024, 12, 31)
    assert selectors.unit_children(unit=bien_hoa, as_of=before).count() == 9
    assert selectors.unit_children(unit=bien_hoa).count() == 0
    assert selectors.unit_subtree(unit=bien_hoa).count() == 1
    assert (bien_hoa.status, bien_hoa.ended_date) == ("dissolved", dt.date(2025, 7, 1))
    assert unit("DN-CS-001").parent == tran_bien
    first = unit("DN-CS-001")
    assert selectors.unit_placements_on(unit_ids=[first.pk], day=before)[first.pk].parent == bien_hoa
    assert selectors.unit_subtree(unit=tran_bien, as_of=before).count() == 0
    # Four grassroots unions moved in and one was founded since; each has 2 or 3 sections and their groups.
    assert selectors.unit_subtree(unit=tran_bien).count() == 1 + 5 + (5 + 5 + 7 + 5 + 5)
    assert sorted(
        selectors.unit_subtree(unit=unit("DN"), as_of=dt.date(2016, 1, 1)).values_list("code", flat=True)
    ) == ["DN", "DN-BH", "DN-CA", "DN-KCN-BH", "DN-MTTQ", "DN-TBH"]

    # The merge, the rename, and the addresses moved to the 2025 map.
    merged = unit("DN-CS-026")
    assert (merged.status, merged.merged_into) == ("merged", unit("DN-CS-025"))
    assert selectors.unit_children(unit=unit("DN-CS-025")).count() == 3
    assert unit("DN-CS-017").name_vi == "Công đoàn cơ sở Công ty TNHH Giày da Tân Phú Việt Nam"
    assert UnitEvent.objects.filter(unit__code="DN-CS-017", kind="rename").count() == 1
    moved = unit("DN-CS-010")
    assert (moved.province.scheme.code, moved.commune.code) == ("vn-2025", "D75-05")
    assert moved.address == "Khu công nghiệp Sông Mây, xã Trảng Bom, tỉnh Đồng Nai"
    assert bien_hoa.province.scheme.code == "vn-2008"
    assert unit("DN-CS-016").employer == unit("DN-E-016")
    assert Unit.objects.filter(employer__isnull=False).count() == 12
    assert unit("DN-CS-035").name_en == "Long Thanh Ride-hailing Drivers' Union"


def test_demo_logins_work_with_their_scopes(client):
    out = run("demo", "--print-logins")

    for spec in USERS:
        assert spec.username in out
        assert client.login(request=HttpRequest(), username=spec.username, password=DEMO_PASSWORD)
        client.logout()
    assert out.count(DEMO_PASSWORD) == len(USERS)
    users = {u.username: u for u in User.objects.all()}
    assert {u.language for u in users.values()} == {"vi", "fa", "ar"}
    assert all(u.full_name for u in users.values())
    assert users["admin"].is_superuser
    visible = {name: Unit.objects.visible_to(users[name], "unit.view").count() for name in users}
    assert visible == {
        "admin": 287,
        "tinh.dongnai": 286,
        "xem.dongnai": 286,
        "xa.tranbien": 33,
        "cdcs.songmay": 6,
        "congan.dongnai": 1,
        "kcn.nhontrach": 52,
        "kcn.bienhoa": 61,
    }
    assert Unit.objects.visible_to(users["xem.dongnai"], "unit.change").count() == 0

    # A second run prints the same logins and notices a changed password.
    users["xem.dongnai"].set_password("another-password-77")
    users["xem.dongnai"].save()
    again = run("demo", "--print-logins")
    assert "already there" in again
    assert again.count(DEMO_PASSWORD) == len(USERS) - 1
    assert "(changed)" in again


def test_demo_refuses_an_admin_that_is_not_a_superuser():
    User.objects.create_user("admin", password="another-password-77")
    with pytest.raises(CommandError, match="not a superuser"):
        run("demo")
    assert not Unit.objects.exists()


# ---------------------------------------------------------------- generate


def test_demo_persian_user_reads_jalali_dates():
    run("demo")
    user = User.objects.get(username="kcn.nhontrach")
    assert (user.language, user.calendar) == ("fa", "jalali")
    assert User.objects.get(username="tinh.dongnai").calendar == "gregorian"


# ---------------------------------------------------------------- members


def test_demo_members_have_history_officers_cards_and_valid_ids():
    from unionhall.core import fieldcrypto
    from unionhall.members import identity
    from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard
    from unionhall.members.services import ID_CONTEXT

    run("demo")
    assert Person.objects.count() == 355
    rows = Membership.objects.values_list("status", "end_reason").annotate(n=Count("pk"))
    assert {(status, reason): n for status, reason, n in rows} == {
        ("active", ""): 334,
        ("ended", "left_job"): 21,
        ("ended", "transferred"): 15,
    }
    # Each grassroots union (and the drivers' union) has a chair and a vice-chair, members of the union itself.
    unions = Unit.objects.filter(type__code__in=("grassroots_union", "professional_union"), status="active")
    assert unions.count() == 39
    for position in ("chair", "vice_chair"):
        terms = OfficerTerm.objects.filter(position=position, term_end__isnull=True)
        assert sorted(terms.values_list("membership__unit__code", flat=True)) == sorted(u.code for u in unions)
    assert dict(UnionCard.objects.values_list("status").annotate(n=Count("pk"))) == {
        "active": 321,
        "lost": 8,
        "revoked": 21,
    }
    assert dict(Person.objects.values_list("nationality").annotate(n=Count("pk"))) == {
        "VN": 350,
        "KR": 2,
        "CN": 1,
        "TW": 1,
        "JP": 1,
    }
    # Every CCCD agrees with its holder's gender and year of birth.
    for person in Person.objects.filter(id_kind="cccd"):
        number = fieldcrypto.decrypt(person.national_id_encrypted, context=ID_CONTEXT)
        assert identity.cccd_problems(number, gender=person.gender, date_of_birth=person.date_of_birth) == []
    known = Person.objects.get(full_name="Nguyễn Văn Đệ")
    assert known.memberships.get().unit.code == "DN-CS-010"
    assert UnionCard.objects.filter(person=known, status="active").count() == 1


def test_demo_users_see_the_members_of_their_units():
    from unionhall.members.models import Person

    run("demo")
    users = {u.username: u for u in User.objects.all()}
    visible = {name: Person.objects.visible_to(users[name], "member.view").count() for name in users}
    assert visible["admin"] == visible["tinh.dongnai"] == visible["xem.dongnai"] == 355
    assert visible["congan.dongnai"] == 0
    assert 0 < visible["cdcs.songmay"] < visible["xa.tranbien"] < 355
    assert 0 < visible["kcn.nhontrach"] < 355 and 0 < visible["kcn.bienhoa"] < 355
    changes = {name: Person.objects.visible_to(users[name], "member.change").count() for name in users}
    assert changes["xem.dongnai"] == 0
    assert changes["cdcs.songmay"] == visible["cdcs.songmay"]
    national_ids = {name: Person.objects.visible_to(users[name], "member.view_national_id").count() for name in users}
    assert national_ids["cdcs.songmay"] == 0  # officers change records but do not read national IDs
    assert national_ids["xa.tranbien"] == visible["xa.tranbien"]
