"""The permission matrix of every /api/v1/ endpoint: anonymous and each cast member.

Exact status codes; exact unit codes in lists; on every denial, nothing changed (units, paths,
placements, events, grants and the audit log are as before).
"""

import pytest

from tests.snapshots import tree_state
from unionhall.access.models import Role, RoleGrant
from unionhall.audit.models import AuditEntry
from unionhall.orgunits.models import Unit

from .conftest import EVERYONE

DAY = "2024-06-01"
ALL_UNITS = ["VN", "DN", "DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002", "KH"]


def decision(**fields) -> dict:
    return {"effective_date": DAY, "reason": "Theo quyết định của Ban Thường vụ", "decision_ref": "12/QĐ", **fields}


def codes(response) -> list[str]:
    return [unit["code"] for unit in response.json()["results"]]


def call(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)


def check(api, who, method: str, url: str, body: dict | None, expected: dict):
    """Call as `who`; assert the status; on a denial assert the error shape and that nothing changed."""
    client = api(who)
    before = tree_state()
    response = call(client, method, url, body)
    assert response.status_code == expected[who], response.content
    if response.status_code >= 400:
        assert tree_state() == before
        assert set(response.json()) == {"error"}
        assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response


# ---------------------------------------------------------------- reads

LIST = {
    None: 401,
    "officer": ["DN-TB-001", "DN-TB-001-S1"],
    "parent": ["DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"],
    "sibling": ["DN-TB-002"],
    "outsider": ["KH"],
    "admin": ALL_UNITS,
}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_list(api, who):
    response = api(who).get("/api/v1/units/")
    if who is None:
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
    else:
        assert response.status_code == 200
        assert codes(response) == LIST[who]


READ_ONE = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_retrieve(api, who):
    response = check(api, who, "get", "/api/v1/units/DN-TB-001/", None, READ_ONE)
    if response.status_code == 200:
        body = response.json()
        assert body["code"] == "DN-TB-001"
        assert body["type"] == "grassroots_union"
        assert body["status"] == "active"
        assert body["depth"] == 3
        # The parent is named only to those who see it.
        assert body["parent"] == (None if who == "officer" else "DN-TB")


ANCESTORS = {
    None: 401,
    "officer": ["DN-TB-001"],
    "parent": ["DN-TB", "DN-TB-001"],
    "sibling": 404,
    "outsider": 404,
    "admin": ["VN", "DN", "DN-TB", "DN-TB-001"],
}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_ancestors(api, who):
    response = api(who).get("/api/v1/units/DN-TB-001-S1/ancestors/")
    expected = ANCESTORS[who]
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert codes(response) == expected


CHILDREN = {
    None: 401,
    "officer": 404,
    "parent": ["DN-TB-001", "DN-TB-002"],
    "sibling": 404,
    "outsider": 404,
    "admin": ["DN-TB-001", "DN-TB-002"],
}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_children(api, who):
    response = api(who).get("/api/v1/units/DN-TB/children/")
    expected = CHILDREN[who]
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert codes(response) == expected


# ---------------------------------------------------------------- writes

ESTABLISH = {None: 401, "officer": 201, "parent": 201, "sibling": 400, "outsider": 400, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_establish(api, cast, who):
    body = decision(
        parent="DN-TB-001",
        type="union_section",
        code="DN-TB-001-S2",
        names={"vi": "Công đoàn bộ phận Kho vận", "en": "Warehouse section"},
    )
    response = check(api, who, "post", "/api/v1/units/", body, ESTABLISH)
    if response.status_code == 201:
        unit = Unit.objects.get(code="DN-TB-001-S2")
        assert unit.path.startswith(cast.unit.path)
        assert response.json()["units"][0]["code"] == "DN-TB-001-S2"
        assert response["Location"].endswith("/api/v1/units/DN-TB-001-S2/")
    elif response.status_code == 400:
        assert response.json()["error"]["fields"] == {"parent": ["Unit DN-TB-001 was not found."]}


CHANGE_ONE = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_patch(api, cast, who):
    body = {"version": cast.unit.version, "address": "Số 1 đường Đồng Khởi"}
    response = check(api, who, "patch", "/api/v1/units/DN-TB-001/", body, CHANGE_ONE)
    if response.status_code == 200:
        cast.unit.refresh_from_db()
        assert cast.unit.address == "Số 1 đường Đồng Khởi"
        assert response.json()["version"] == cast.unit.version == body["version"] + 1


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_rename(api, cast, who):
    body = decision(names={"vi": "Công đoàn cơ sở Công ty Sông Mây Mới"})
    response = check(api, who, "post", "/api/v1/units/DN-TB-001/rename/", body, CHANGE_ONE)
    if response.status_code == 200:
        cast.unit.refresh_from_db()
        assert cast.unit.name_vi == "Công đoàn cơ sở Công ty Sông Mây Mới"
        assert response.json()["units"][0]["names"]["vi"] == "Công đoàn cơ sở Công ty Sông Mây Mới"


TRANSFER = {None: 401, "officer": 400, "parent": 200, "sibling": 400, "outsider": 400, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_transfer(api, cast, who):
    body = decision(units=["DN-TB-001-S1"], new_parent="DN-TB-002")
    response = check(api, who, "post", "/api/v1/units/transfer/", body, TRANSFER)
    if response.status_code == 200:
        cast.refresh()
        assert cast.section.parent_id == cast.sibling_unit.pk
        assert cast.section.path.startswith(cast.sibling_unit.path)
    elif who == "officer":
        assert response.json()["error"]["fields"] == {"new_parent": ["Unit DN-TB-002 was not found."]}
    elif who == "sibling":
        assert response.json()["error"]["fields"] == {"units": ["These units were not found: DN-TB-001-S1"]}
    elif who == "outsider":
        assert response.json()["error"]["fields"] == {
            "units": ["These units were not found: DN-TB-001-S1"],
            "new_parent": ["Unit DN-TB-002 was not found."],
        }


MERGE = {None: 401, "officer": 400, "parent": 200, "sibling": 400, "outsider": 400, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_merge(api, cast, who):
    body = decision(sources=["DN-TB-002"], target="DN-TB-001")
    response = check(api, who, "post", "/api/v1/units/merge/", body, MERGE)
    if response.status_code == 200:
        cast.refresh()
        assert cast.sibling_unit.status == "merged"
        assert cast.sibling_unit.merged_into_id == cast.unit.pk
        assert [u["code"] for u in response.json()["units"]] == ["DN-TB-002", "DN-TB-001"]


SPLIT = {None: 401, "officer": 403, "parent": 201, "sibling": 404, "outsider": 404, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_split(api, cast, who):
    body = decision(
        parts=[
            {
                "code": "DN-TB-001A",
                "names": {"vi": "CĐCS Sông Mây A"},
                "type": "grassroots_union",
                "children": ["DN-TB-001-S1"],
            },
            {"code": "DN-TB-001B", "names": {"vi": "CĐCS Sông Mây B"}, "type": "grassroots_union"},
        ]
    )
    response = check(api, who, "post", "/api/v1/units/DN-TB-001/split/", body, SPLIT)
    if response.status_code == 201:
        cast.refresh()
        assert cast.unit.status == "split"
        part_a = Unit.objects.get(code="DN-TB-001A")
        assert cast.section.parent_id == part_a.pk
        assert cast.section.path.startswith(part_a.path)
        assert [u["code"] for u in response.json()["units"]] == ["DN-TB-001A", "DN-TB-001B", "DN-TB-001"]
    elif who == "officer":
        # The officer may act on the unit, not on its parent, where the new units would go; the
        # refusal says so without naming the parent.
        assert response.json()["error"]["code"] == "forbidden"
        assert 'DN-TB"' not in response.content.decode()


DISSOLVE = {None: 401, "officer": 200, "parent": 200, "sibling": 400, "outsider": 400, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_unit_dissolve(api, cast, who):
    body = decision(units=["DN-TB-001-S1"])
    response = check(api, who, "post", "/api/v1/units/dissolve/", body, DISSOLVE)
    if response.status_code == 200:
        cast.refresh()
        assert cast.section.status == "dissolved"
        assert response.json()["units"][0]["status"] == "dissolved"


# ---------------------------------------------------------------- grants

GRANT_LIST = {
    None: 401,
    "officer": [("officer", "DN-TB-001")],
    "parent": [("officer", "DN-TB-001"), ("parent", "DN-TB"), ("sibling", "DN-TB-002")],
    "sibling": [("sibling", "DN-TB-002")],
    "outsider": [("outsider", "KH")],
    "admin": [("officer", "DN-TB-001"), ("parent", "DN-TB"), ("sibling", "DN-TB-002"), ("outsider", "KH")],
}


@pytest.mark.parametrize("who", EVERYONE)
def test_grant_list(api, who):
    response = api(who).get("/api/v1/grants/")
    if who is None:
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        assert [(g["user"], g["unit"]) for g in response.json()["results"]] == GRANT_LIST[who]


GRANT_CREATE = {None: 401, "officer": 201, "parent": 201, "sibling": 400, "outsider": 400, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_grant_create(api, cast, django_user_model, who):
    newcomer = django_user_model.objects.create_user("newcomer", password="another-horse-battery-7")
    body = {"user": "newcomer", "role": "viewer", "unit": "DN-TB-001", "scope": "subtree"}
    audit_before = AuditEntry.objects.count()
    response = check(api, who, "post", "/api/v1/grants/", body, GRANT_CREATE)
    if response.status_code == 201:
        grant = RoleGrant.objects.get(user=newcomer)
        assert (grant.role.code, grant.unit_id, grant.scope, grant.granted_by) == (
            "viewer",
            cast.unit.pk,
            "subtree",
            getattr(cast, who),
        )
        assert response.json()["id"] == grant.pk
        assert AuditEntry.objects.count() == audit_before + 1
    elif response.status_code == 400:
        assert response.json()["error"]["fields"] == {"unit": ["Unit DN-TB-001 was not found."]}


GRANT_REVOKE = {None: 401, "officer": 204, "parent": 204, "sibling": 404, "outsider": 404, "admin": 204}


@pytest.mark.parametrize("who", EVERYONE)
def test_grant_revoke(api, cast, django_user_model, who):
    newcomer = django_user_model.objects.create_user("newcomer", password="another-horse-battery-7")
    grant = RoleGrant.objects.create(user=newcomer, role=Role.objects.get(code="viewer"), unit=cast.unit)
    response = check(api, who, "delete", f"/api/v1/grants/{grant.pk}/", None, GRANT_REVOKE)
    grant.refresh_from_db()
    assert (grant.revoked_at is not None) == (response.status_code == 204)


# ---------------------------------------------------------------- plumbing

SIGNED_IN = {None: 401, "officer": 200, "parent": 200, "sibling": 200, "outsider": 200, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/?script="])
def test_root_schema_and_docs(api, who, url):
    assert api(who).get(url).status_code == SIGNED_IN[who]


@pytest.mark.parametrize("who", EVERYONE)
def test_unknown_endpoint(api, who):
    response = api(who).get("/api/v1/nothing/here/")
    assert response.status_code == (401 if who is None else 404)
    assert response.json()["error"]["code"] == ("not_authenticated" if who is None else "not_found")
