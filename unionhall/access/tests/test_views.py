"""The roles page: matrix, granting within one's own roles only, revoking."""

from django.test import Client

from tests.snapshots import tree_state
from unionhall.access.models import Role, RoleGrant


def test_anonymous_is_sent_to_login(cast):
    for url in ("/access/grants/",):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Client().post(f"/access/grants/{RoleGrant.objects.first().pk}/revoke/").status_code == 302


def test_grant_list_is_scoped(cast):
    client = Client()
    expected = {
        "officer": {("officer", "DN-TB-001")},
        "parent": {("parent", "DN-TB"), ("officer", "DN-TB-001"), ("sibling", "DN-TB-002")},
        "sibling": {("sibling", "DN-TB-002")},
        "outsider": {("outsider", "KH")},
    }
    for role, rows in expected.items():
        client.force_login(getattr(cast, role))
        grants = client.get("/access/grants/").context["grants"]
        assert {(g.user.username, g.unit.code) for g in grants} == rows, role


def test_parent_grants_viewer_in_subtree(cast):
    client = Client()
    client.force_login(cast.parent)
    viewer = Role.objects.get(code="viewer")
    response = client.post(
        "/access/grants/", {"username": "outsider", "role": viewer.pk, "unit": "DN-TB-002", "scope": "unit"}
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=cast.outsider, unit=cast.sibling_unit, role=viewer, scope="unit").count() == 1


def test_grant_outside_scope_or_to_self_changes_nothing(cast):
    client = Client()
    client.force_login(cast.officer)
    admin_role = Role.objects.get(code="unit_admin")
    before = tree_state()
    for data in (
        {"username": "outsider", "role": admin_role.pk, "unit": "DN-TB-002", "scope": "subtree"},
        {"username": "outsider", "role": admin_role.pk, "unit": "DN-TB", "scope": "unit"},
        {"username": "officer", "role": admin_role.pk, "unit": "DN-TB-001", "scope": "subtree"},
    ):
        response = client.post("/access/grants/", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert tree_state() == before


def test_officer_role_cannot_grant_unit_admin(cast):
    officer_role = Role.objects.get(code="officer")
    limited = cast.outsider
    RoleGrant.objects.filter(user=limited).delete()
    RoleGrant.objects.create(user=limited, role=officer_role, unit=cast.unit, scope="subtree")
    client = Client()
    client.force_login(limited)
    before = tree_state()
    response = client.post(
        "/access/grants/",
        {"username": "sibling", "role": Role.objects.get(code="viewer").pk, "unit": "DN-TB-001", "scope": "unit"},
    )
    assert response.status_code == 200
    assert tree_state() == before


def test_revoke_matrix(cast):
    target = RoleGrant.objects.get(user=cast.officer)
    before = tree_state()
    for role in ("sibling", "outsider", "officer"):
        client = Client()
        client.force_login(getattr(cast, role))
        response = client.post(f"/access/grants/{target.pk}/revoke/")
        assert response.status_code in (404, 302), role
    assert tree_state() == before
    client = Client()
    client.force_login(cast.parent)
    assert client.post(f"/access/grants/{target.pk}/revoke/").status_code == 302
    target.refresh_from_db()
    assert target.revoked_at is not None
    client.force_login(cast.officer)
    assert client.get("/units/DN-TB-001/").status_code == 404
