"""The unit pages: permission matrix for every view, previews that change nothing, bad input."""

import pytest
from django.test import Client

from conftest import grant, make_user
from tests.snapshots import tree_state
from unionhall.access.models import Role
from unionhall.audit.models import AuditEntry
from unionhall.orgunits.models import Unit

# (url, expected status for officer, parent, sibling, outsider); the target is the cast's unit.
GET_MATRIX = [
    ("/units/DN-TB-001/", 200, 200, 404, 404),
    ("/units/DN-TB-001/children/", 200, 200, 404, 404),
    ("/units/DN-TB-001/establish/", 200, 200, 404, 404),
    ("/units/DN-TB-001/rename/", 200, 200, 404, 404),
    ("/units/DN-TB-001/edit/", 200, 200, 404, 404),
    ("/units/DN-TB-001/split/", 200, 200, 404, 404),
    ("/units/DN-TB-001/history/", 200, 200, 404, 404),
    ("/units/", 200, 200, 200, 200),
    ("/units/search/?q=song", 200, 200, 200, 200),
    ("/units/transfer/", 200, 200, 200, 200),
    ("/units/merge/", 200, 200, 200, 200),
    ("/units/dissolve/", 200, 200, 200, 200),
]
ROLES = ("officer", "parent", "sibling", "outsider")


@pytest.mark.parametrize(("url", *ROLES), GET_MATRIX)
def test_get_matrix(cast, url, officer, parent, sibling, outsider):
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for role, expected in zip(ROLES, (officer, parent, sibling, outsider), strict=True):
        client = Client()
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == expected, role


def test_tree_shows_only_the_actors_roots(cast):
    client = Client()
    client.force_login(cast.parent)
    roots = [u.code for u in client.get("/units/").context["roots"]]
    assert roots == ["DN-TB"]
    client.force_login(cast.admin)
    assert [u.code for u in client.get("/units/").context["roots"]] == ["VN"]


def test_children_hide_units_outside_scope(cast):
    client = Client()
    client.force_login(cast.officer)
    assert client.get("/units/DN-TB/children/").status_code == 404
    client.force_login(cast.parent)
    codes = [u.code for u in client.get("/units/DN-TB/children/").context["units"]]
    assert codes == ["DN-TB-002", "DN-TB-001"]  # by name: Hòa Phát before Sông Mây


def test_search_is_scoped_and_diacritic_insensitive(cast):
    client = Client()
    client.force_login(cast.sibling)
    results = client.get("/units/search/?q=cong ty").context["results"]
    assert [u.code for u in results] == ["DN-TB-002"]
    client.force_login(cast.parent)
    assert [u.code for u in client.get("/units/search/?q=SONG MAY").context["results"]] == ["DN-TB-001"]


def transfer_data(**overrides):
    return {
        "units": "DN-TB-001",
        "new_parent": "DN-TB",
        "effective_date": "2025-07-01",
        "reason": "Sắp xếp",
        **overrides,
    }


def test_transfer_preview_changes_nothing_then_confirm_moves(cast):
    province_union = Unit.objects.get(code="DN")
    client = Client()
    client.force_login(cast.admin)
    before = tree_state()
    response = client.post("/units/transfer/", transfer_data(new_parent="DN"))
    assert response.status_code == 200
    assert response.context["preview"].subtree_size == 2
    assert tree_state() == before
    response = client.post("/units/transfer/", {**transfer_data(new_parent="DN"), "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/units/DN/"
    cast.refresh()
    assert cast.unit.parent_id == province_union.pk
    assert cast.section.path == province_union.path + cast.unit.path[-6:] + cast.section.path[-6:]
    assert AuditEntry.objects.filter(action="unit.transfer", object_id=str(cast.unit.pk)).count() == 1


@pytest.mark.parametrize(
    ("actor", "data", "message"),
    [
        ("parent", transfer_data(new_parent="DN-TB-001-S1", units="DN-TB-001"), "cannot be moved under itself"),
        ("parent", transfer_data(new_parent="DN-TB-002"), "cannot hold"),
        ("parent", transfer_data(new_parent="KH"), "not found"),
        ("officer", transfer_data(new_parent="DN-TB-002", units="DN-TB-001-S1"), "not found"),
        ("sibling", transfer_data(), "not found"),
        ("parent", transfer_data(effective_date="2999-01-01"), "future"),
        ("parent", transfer_data(reason=""), "required"),
        ("parent", transfer_data(reason="bad\x00reason"), "not allowed"),
    ],
)
def test_transfer_refusals_change_nothing(cast, actor, data, message):
    client = Client()
    client.force_login(getattr(cast, actor))
    before = tree_state()
    for confirm in ("", "1"):
        response = client.post("/units/transfer/", {**data, "confirm": confirm})
        assert response.status_code in (200, 400), response.status_code
        if response.status_code == 200:
            errors = " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)
            assert message in errors.lower() or message in errors, errors
    assert tree_state() == before


def test_dissolve_with_children_refused_then_with_subtree(cast):
    client = Client()
    client.force_login(cast.parent)
    data = {"units": "DN-TB-001", "effective_date": "2025-07-01", "reason": "Doanh nghiệp giải thể", "confirm": "1"}
    before = tree_state()
    response = client.post("/units/dissolve/", data)
    assert "DN-TB-001-S1" in str(response.context["form"].non_field_errors())
    assert tree_state() == before
    response = client.post("/units/dissolve/", {**data, "with_subtree": "on"})
    assert response.status_code == 302
    assert set(Unit.objects.filter(status="dissolved").values_list("code", flat=True)) == {"DN-TB-001", "DN-TB-001-S1"}


def test_establish_rename_and_edit(cast):
    client = Client()
    client.force_login(cast.officer)
    from unionhall.orgunits.models import UnitType

    group = UnitType.objects.get(code="union_group")
    response = client.post(
        "/units/DN-TB-001/establish/",
        {
            "unit_type": group.pk,
            "code": "dn-tb-001-t1",
            "name_vi": "Tổ công đoàn 1",
            "effective_date": "2024-01-02",
            "reason": "Thành lập",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    created = Unit.objects.get(code="DN-TB-001-T1")
    assert created.parent_id == cast.unit.pk
    response = client.post(
        "/units/DN-TB-001-T1/rename/",
        {"name_vi": "Tổ công đoàn Sản xuất", "effective_date": "2024-02-01", "reason": "Đổi tên"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name_vi == "Tổ công đoàn Sản xuất"
    response = client.post("/units/DN-TB-001-T1/edit/", {"address": "Số 1, đường A", "version": created.version})
    assert response.status_code == 302
    stale = client.post("/units/DN-TB-001-T1/edit/", {"address": "Số 2", "version": created.version})
    assert "changed this unit meanwhile" in str(stale.context["form"].non_field_errors())
    created.refresh_from_db()
    assert created.address == "Số 1, đường A"


def test_sibling_cannot_post_to_unit_outside_scope(cast):
    client = Client()
    client.force_login(cast.sibling)
    before = tree_state()
    assert (
        client.post(
            "/units/DN-TB-001/rename/", {"name_vi": "X", "effective_date": "2024-01-01", "reason": "x"}
        ).status_code
        == 404
    )
    assert client.post("/units/DN-TB-001/edit/", {"address": "X", "version": 1}).status_code == 404
    assert client.post("/units/DN-TB-001/establish/", {}).status_code == 404
    assert client.post("/units/DN-TB-001/split/", {}).status_code == 404
    assert tree_state() == before


def test_as_of_tree_shows_the_old_parent(cast):
    from unionhall.orgunits import services

    services.unit_transfer(
        actor=cast.admin,
        units=[cast.unit],
        new_parent=Unit.objects.get(code="DN"),
        decision=services.Decision(__import__("datetime").date(2025, 7, 1), "x"),
    )
    client = Client()
    client.force_login(cast.admin)
    old = [u.code for u in client.get("/units/DN-TB/children/?as_of=2025-06-30").context["units"]]
    new = [u.code for u in client.get("/units/DN-TB/children/?as_of=2025-07-01").context["units"]]
    assert old == ["DN-TB-002", "DN-TB-001"]
    assert new == ["DN-TB-002"]


def test_ended_units_are_listed_only_on_request(cast):
    import datetime as dt

    from unionhall.orgunits import services

    services.unit_dissolve(
        actor=cast.admin, units=[cast.sibling_unit], decision=services.Decision(dt.date(2025, 7, 1), "Giải thể")
    )
    client = Client()
    client.force_login(cast.parent)
    assert [u.code for u in client.get("/units/DN-TB/children/").context["units"]] == ["DN-TB-001"]
    assert [u.code for u in client.get("/units/DN-TB/children/?ended=1").context["units"]] == ["DN-TB-002", "DN-TB-001"]
    response = client.get("/units/?ended=1")
    assert response.context["tree_query"] == "?ended=1"
    assert b'hx-get="/units/DN-TB/children/?ended=1"' in response.content


def test_unit_code_suggestions(cast):
    client = Client()
    client.force_login(cast.sibling)
    response = client.get("/units/search/?new_parent=cong&as=options&field=new_parent")
    assert response.content.decode().strip() == '<option value="DN-TB-002">Công đoàn cơ sở Công ty Hòa Phát</option>'
    form_page = client.get("/units/transfer/").content.decode()
    assert 'list="id_new_parent-options"' in form_page
    assert '<datalist id="id_new_parent-options"></datalist>' in form_page


def test_bulk_forms_can_add_all_sub_units_of_a_unit(cast):
    client = Client()
    client.force_login(cast.parent)
    page = client.get("/units/transfer/").content.decode()
    assert 'id="uh-fill-units"' in page
    assert 'id="uh-fill-sources"' not in page
    response = client.get("/units/codes/?field=units&units=DN-TB-001-S1&of=DN-TB")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="units"' in text and 'id="id_units"' in text
    assert text.split(">", 1)[1].split("</textarea>")[0].split() == ["DN-TB-001-S1", "DN-TB-001", "DN-TB-002"]
    # Outside the actor's scope, or a field that is not a code list: not found.
    assert client.get("/units/codes/?field=units&of=KH").status_code == 404
    assert client.get("/units/codes/?field=name_vi&of=DN-TB").status_code == 404
    client.force_login(cast.sibling)
    assert client.get("/units/codes/?field=units&of=DN-TB").status_code == 404


def test_the_unit_page_links_its_members_for_those_who_may_see_them(cast):
    Role.objects.create(code="units-only", name_vi="Chỉ xem đơn vị", actions=["unit.view"])
    planner = make_user("planner")
    grant(planner, cast.unit, role="units-only")
    link = 'href="/members/?unit=DN-TB-001"'
    for user, shown in ((cast.officer, True), (planner, False)):
        client = Client()
        client.force_login(user)
        response = client.get("/units/DN-TB-001/")
        assert response.status_code == 200
        assert (link in response.content.decode()) is shown
