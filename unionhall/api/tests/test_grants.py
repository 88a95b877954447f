"""The grants endpoints beyond the matrix: no escalation, no self-grants, filters, immediate effect."""

import pytest

from conftest import grant, make_user
from tests.snapshots import tree_state
from unionhall.access.models import Role, RoleGrant
from unionhall.access.seed import ACTIVITY_VIEWER, REPORT_VIEWER
from unionhall.access.seed import EMULATION_VIEWER as VIEWER_EMULATION

from .conftest import token_client


@pytest.fixture
def newcomer(db):
    return make_user("newcomer")


def post_grant(client, **body):
    return client.post("/api/v1/grants/", {"scope": "subtree", **body}, format="json")


def test_a_granted_role_works_at_once(api, newcomer):
    newcomer_client = token_client(newcomer)
    assert newcomer_client.get("/api/v1/units/").json()["results"] == []
    response = post_grant(api("officer"), user="newcomer", role="viewer", unit="DN-TB-001")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("user", "role", "unit", "scope", "granted_by")} == {
        "user": "newcomer",
        "role": "viewer",
        "unit": "DN-TB-001",
        "scope": "subtree",
        "granted_by": "officer",
    }
    assert [u["code"] for u in newcomer_client.get("/api/v1/units/").json()["results"]] == [
        "DN-TB-001",
        "DN-TB-001-S1",
    ]
    assert newcomer_client.delete(f"/api/v1/grants/{body['id']}/").status_code == 404  # a viewer grants nothing
    assert api("officer").delete(f"/api/v1/grants/{body['id']}/").status_code == 204
    assert newcomer_client.get("/api/v1/units/").json()["results"] == []


def test_no_one_grants_more_than_they_hold(api, cast, newcomer):
    granter = make_user("granter")
    role = Role.objects.create(
        code="granter",
        name_vi="Cấp quyền",
        actions=["unit.view", "member.view", "role.grant", *VIEWER_EMULATION, *ACTIVITY_VIEWER, *REPORT_VIEWER],
    )
    grant(granter, cast.unit, role=role.code)
    before = tree_state()
    response = post_grant(token_client(granter), user="newcomer", role="unit_admin", unit="DN-TB-001")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "escalation"
    assert tree_state() == before
    assert post_grant(token_client(granter), user="newcomer", role="viewer", unit="DN-TB-001").status_code == 201


def test_a_unit_only_granter_cannot_grant_on_the_subtree(api, cast, newcomer):
    granter = make_user("granter")
    grant(granter, cast.unit, scope="unit")
    client = token_client(granter)
    before = tree_state()
    response = post_grant(client, user="newcomer", role="viewer", unit="DN-TB-001", scope="subtree")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"unit": ["Unit DN-TB-001 was not found."]}
    assert tree_state() == before
    assert post_grant(client, user="newcomer", role="viewer", unit="DN-TB-001", scope="unit").status_code == 201


def test_no_one_changes_their_own_roles(api, cast):
    before = tree_state()
    response = post_grant(api("officer"), user="officer", role="viewer", unit="DN-TB-001-S1")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "self_grant"
    own = RoleGrant.objects.get(user=cast.officer)
    assert api("officer").delete(f"/api/v1/grants/{own.pk}/").json()["error"]["code"] == "self_grant"
    assert tree_state() == before


def test_a_duplicate_grant_is_409(api, newcomer):
    client = api("parent")
    assert post_grant(client, user="newcomer", role="viewer", unit="DN-TB-001").status_code == 201
    before = tree_state()
    response = post_grant(client, user="newcomer", role="viewer", unit="DN-TB-001")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert tree_state() == before


def test_a_revoked_grant_is_gone(api, cast, newcomer):
    held = grant(newcomer, cast.unit, role="viewer")
    client = api("parent")
    assert client.delete(f"/api/v1/grants/{held.pk}/").status_code == 204
    assert client.delete(f"/api/v1/grants/{held.pk}/").status_code == 404
    assert [g["user"] for g in client.get("/api/v1/grants/").json()["results"]] == ["officer", "parent", "sibling"]


def test_grant_filters(api):
    client = api("parent")
    by_unit = client.get("/api/v1/grants/", {"unit": "DN-TB-001"}).json()["results"]
    assert [(g["user"], g["unit"]) for g in by_unit] == [("officer", "DN-TB-001")]
    by_user = client.get("/api/v1/grants/", {"user": "sibling"}).json()["results"]
    assert [(g["user"], g["unit"]) for g in by_user] == [("sibling", "DN-TB-002")]
    assert client.get("/api/v1/grants/", {"user": "outsider"}).json()["results"] == []
    outside = client.get("/api/v1/grants/", {"unit": "KH"})
    assert outside.status_code == 400
    assert outside.json()["error"]["fields"] == {"unit": ["Unit KH was not found."]}


def test_grant_ids_are_not_writable(api, newcomer):
    before = tree_state()
    response = post_grant(
        api("parent"), user="newcomer", role="viewer", unit="DN-TB-001", id=1, granted_by="admin", revoked_at=None
    )
    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["granted_by", "id", "revoked_at"]
    assert tree_state() == before
