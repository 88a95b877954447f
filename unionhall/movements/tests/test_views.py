"""The movement pages: permission matrix for every page and form, exact effects, nothing changed on a denial."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from unionhall.movements import results, services
from unionhall.movements.models import Milestone, Movement, Registration
from unionhall.movements.tests.fixtures import ROLES, TODAY, state

YEAR = 2025  # inside every test movement's period, whatever the day the tests run


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix(url: str, expected: dict[str, int], cast) -> None:
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for role in (*ROLES, "admin"):
        assert client_for(getattr(cast, role)).get(url).status_code == expected.get(role, 200), (role, url)


SEES = {
    "province_mv": {"outsider": 404},
    "unit_mv": {"sibling": 404, "outsider": 404},
    "joint_mv": {"sibling": 404, "outsider": 404},
}
RUNS = {
    "province_mv": {"officer": 404, "parent": 404, "sibling": 404, "outsider": 404},
    "unit_mv": {"sibling": 404, "outsider": 404},
    "joint_mv": {"officer": 404, "parent": 404, "sibling": 404, "outsider": 404},
}


@pytest.mark.parametrize("name", list(SEES))
def test_movement_pages_matrix(cast, world, name):
    movement = getattr(world, name)
    milestone = services.milestone_add(
        actor=cast.admin, movement=movement, kind="final", due_date=dt.date(2026, 12, 15), today=TODAY
    )
    base = f"/movements/{movement.code}"
    matrix(f"{base}/", SEES[name], cast)
    matrix(f"{base}/registrations/new/", SEES[name], cast)
    for page in ("edit/", "close/", "milestones/new/", f"milestones/{milestone.pk}/hold/"):
        matrix(f"{base}/{page}", RUNS[name], cast)


def test_list_and_launch_pages_matrix(cast, world):
    matrix("/movements/", {}, cast)
    matrix("/movements/?status=running&year=2025&kind=regular", {}, cast)
    matrix("/movements/new/", {}, cast)


def test_withdraw_page_matrix(cast, world):
    registration = services.registration_create(actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=YEAR)
    url = f"/movements/{world.province_mv.code}/registrations/{registration.pk}/withdraw/"
    matrix(url, {"sibling": 404, "outsider": 404}, cast)


def test_the_list_shows_the_movements_seen(cast, world):
    page = client_for(cast.sibling).get("/movements/")
    assert [row["m"].code for row in page.context["movements"]] == ["ldg-ldst-dn"]
    assert str(page.context["movements"][0]["status"]) == "Running"
    assert page.context["can_launch"] is True
    body = page.content.decode()
    assert "Lao động giỏi, Lao động sáng tạo" in body
    assert "Toàn dân bảo vệ an ninh Tổ quốc" not in body


def test_the_list_reports_an_unknown_unit_on_the_form(cast, world):
    page = client_for(cast.officer).get("/movements/?unit=DN")
    assert page.status_code == 200
    assert page.context["form"].errors == {"unit": ["Unit DN was not found."]}
    assert page.context["movements"] == []


def test_the_list_page_has_a_query_budget(cast, world, django_assert_max_num_queries):
    for i in range(20):
        services.movement_launch(
            actor=cast.admin,
            code=f"m-{i}",
            launcher=cast.unit,
            details=services.MovementDetails(title=f"Phong trào {i}", kind="thematic", start_date=dt.date(2025, 1, 1)),
            today=TODAY,
        )
    client = client_for(cast.officer)
    with django_assert_max_num_queries(12):
        assert client.get("/movements/").status_code == 200


def test_the_movement_page_shows_pledges_reviews_and_what_is_due(cast, world):
    movement = world.unit_mv
    services.milestone_add(actor=cast.admin, movement=movement, kind="preliminary", due_date=dt.date(2024, 6, 30))
    services.registration_create(
        actor=cast.admin, movement=movement, unit=cast.unit, person=world.member, year=YEAR, titles=["ldtt"]
    )
    page = client_for(cast.officer).get(f"/movements/{movement.code}/")
    body = page.content.decode()
    assert page.context["d"].can_change is True
    assert 'data-due="milestone"' in body
    assert "is not recorded as held" in body
    assert world.member.member_code in body
    assert 'data-state="overdue"' in body
    assert f'data-year="{YEAR}"' in body
    assert [row["can_withdraw"] for row in page.context["rows"]] == [True]


def test_launching_through_the_form(cast, world):
    response = client_for(cast.officer).post(
        "/movements/new/",
        {
            "code": "Gioi-Viec-Nuoc",
            "launcher": "dn-tb-001",
            "title": "Giỏi việc nước, đảm việc nhà",
            "kind": "thematic",
            "start_date": "01/01/2025",
            "end_date": "31/12/2025",
            "scope": "subtree",
            "units": "",
            "criteria": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/movements/gioi-viec-nuoc/"
    movement = Movement.objects.get(code="gioi-viec-nuoc")
    assert (movement.launcher, movement.end_date) == (cast.unit, dt.date(2025, 12, 31))


def test_launching_a_joint_movement_through_the_form(cast, world):
    response = client_for(cast.admin).post(
        "/movements/new/",
        {
            "code": "lien-tich",
            "launcher": "DN",
            "title": "Liên tịch",
            "kind": "campaign",
            "start_date": "2025-01-01",
            "scope": "listed",
            "units": "DN-CA, DN-TB-002",
        },
    )
    assert response.status_code == 302
    movement = Movement.objects.get(code="lien-tich")
    assert sorted(movement.units.values_list("code", flat=True)) == ["DN-CA", "DN-TB-002"]


def test_the_launch_form_shows_dates_out_of_order_and_writes_nothing(cast, world):
    before = state()
    response = client_for(cast.officer).post(
        "/movements/new/",
        {
            "code": "sai",
            "launcher": "DN-TB-001",
            "title": "Sai ngày",
            "kind": "thematic",
            "start_date": "01/06/2025",
            "end_date": "31/05/2025",
            "scope": "subtree",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": ["The end date (May 31, 2025) is before the start date (Jun 1, 2025)."]
    }
    assert state() == before


def test_the_launch_form_refuses_a_launcher_out_of_reach(cast, world):
    before = state()
    response = client_for(cast.sibling).post(
        "/movements/new/",
        {
            "code": "x",
            "launcher": "DN-TB-001",
            "title": "X",
            "kind": "thematic",
            "start_date": "01/06/2025",
            "scope": "subtree",
        },
    )
    assert response.context["form"].errors == {"launcher": ["Unit DN-TB-001 was not found."]}
    assert state() == before


def test_editing_closing_and_reviews_through_the_forms(cast, world):
    client = client_for(cast.parent)
    base = f"/movements/{world.unit_mv.code}"
    response = client.post(
        f"{base}/edit/",
        {
            "title": "Xanh – Sạch – Đẹp 2024–2026",
            "kind": "thematic",
            "start_date": "01/01/2024",
            "end_date": "31/12/2026",
            "scope": "subtree",
            "version": "1",
        },
    )
    assert response.status_code == 302
    world.unit_mv.refresh_from_db()
    assert (world.unit_mv.title, world.unit_mv.version) == ("Xanh – Sạch – Đẹp 2024–2026", 2)
    stale = client.post(
        f"{base}/edit/",
        {"title": "Khác", "kind": "thematic", "start_date": "01/01/2024", "scope": "subtree", "version": "1"},
    )
    assert stale.context["form"].non_field_errors() == [
        "Someone else changed this movement meanwhile. Reload the page and try again."
    ]
    assert client.post(f"{base}/milestones/new/", {"kind": "preliminary", "due_date": "30/06/2024"}).status_code == 302
    milestone = Milestone.objects.get(movement=world.unit_mv)
    assert client.post(f"{base}/milestones/{milestone.pk}/hold/", {"held_on": "02/07/2024"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.held_on == dt.date(2024, 7, 2)
    outside = client.post(f"{base}/milestones/new/", {"kind": "final", "due_date": "31/12/2030"})
    assert list(outside.context["form"].errors) == ["due_date"]
    assert client.post(f"{base}/close/", {"closed_on": timezone.localdate().strftime("%d/%m/%Y")}).status_code == 302
    world.unit_mv.refresh_from_db()
    assert world.unit_mv.status == "closed"


def test_a_denied_post_changes_nothing(cast, world):
    before = state()
    client = client_for(cast.officer)
    base = f"/movements/{world.province_mv.code}"
    assert client.post(f"{base}/close/", {"closed_on": "01/03/2025"}).status_code == 404
    assert client.post(f"{base}/milestones/new/", {"kind": "final", "due_date": "01/03/2025"}).status_code == 404
    sibling = client_for(cast.sibling)
    assert sibling.post(f"/movements/{world.unit_mv.code}/registrations/new/", {"year": YEAR}).status_code == 404
    assert state() == before


def test_registering_pledges_through_the_form(cast, world):
    client = client_for(cast.officer)
    url = f"/movements/{world.province_mv.code}/registrations/new/"
    unit_pledge = client.post(
        url, {"unit": "DN-TB-001", "year": YEAR, "titles": "TTLDXS, cong-doan-vung-manh", "initiatives_pledged": "4"}
    )
    assert unit_pledge.status_code == 302
    # A member's pledge: the member's unit is found from the member code.
    code = world.member.member_code
    member_pledge = client.post(url, {"member_code": f"{code[:4]}-{code[4:]}", "year": YEAR, "titles": "ldtt"})
    assert member_pledge.status_code == 302
    rows = Registration.objects.order_by("pk").values_list("unit_id", "person_id", "titles", "initiatives_pledged")
    assert list(rows) == [
        (cast.unit.pk, None, ["ttldxs", "cong-doan-vung-manh"], 4),
        (cast.unit.pk, world.member.pk, ["ldtt"], 0),
    ]
    before = state()
    duplicate = client.post(url, {"member_code": code, "year": YEAR})
    assert duplicate.context["form"].errors == {
        "__all__": [f"Nguyễn Văn Đệ ({code}) has already registered a pledge for {YEAR}."]
    }
    nobody = client.post(url, {"year": YEAR})
    assert nobody.context["form"].errors == {
        "__all__": ["Give the unit's code, or a member's code for a member's pledge."]
    }
    stranger = client.post(url, {"member_code": world.sibling_member.member_code, "year": YEAR})
    assert stranger.context["form"].errors == {
        "member_code": [f"Person {world.sibling_member.member_code} was not found."]
    }
    assert state() == before


def test_withdrawing_through_the_form(cast, world):
    registration = services.registration_create(actor=cast.admin, movement=world.province_mv, unit=cast.unit, year=YEAR)
    url = f"/movements/{world.province_mv.code}/registrations/{registration.pk}/withdraw/"
    before = state()
    assert client_for(cast.sibling).post(url, {"reason": "x"}).status_code == 404
    assert state() == before
    assert client_for(cast.officer).post(url, {"reason": "Nhầm"}).status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_a_bad_page_link_is_reported_not_a_crash(cast, world):
    detail = client_for(cast.officer).get(f"/movements/{world.province_mv.code}/?cursor=garbage")
    assert detail.status_code == 200
    assert detail.context["form"].errors == {"cursor": ["The page link is not valid."]}
    listing = client_for(cast.officer).get("/movements/?cursor=garbage")
    assert listing.context["form"].errors == {"cursor": ["The page link is not valid."]}


def test_the_movement_page_shows_every_registered_result(cast, world):
    results.register(results.Result("test_benefit", "Benefit (VND)", lambda ids: {ids[0]: 185_000_000}, money=True))
    try:
        page = client_for(cast.officer).get(f"/movements/{world.unit_mv.code}/")
    finally:
        results.unregister("test_benefit")
    body = page.content.decode()
    assert 'data-result="test_benefit"' in body
    assert [(r.code, r.value) for r in page.context["d"].results if r.code == "test_benefit"] == [
        ("test_benefit", 185_000_000)
    ]


def test_the_admin_reads_movements_and_pledges(cast, world):
    registration = services.registration_create(actor=cast.admin, movement=world.joint_mv, unit=cast.unit, year=YEAR)
    client = client_for(cast.admin)
    for url in (
        "/admin/movements/movement/",
        f"/admin/movements/movement/{world.joint_mv.pk}/change/",
        "/admin/movements/registration/",
        f"/admin/movements/registration/{registration.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/movements/movement/add/").status_code == 403
