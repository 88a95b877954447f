"""The units endpoints beyond the permission matrix: what they return and what they change."""

import base64
import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext

from conftest import establish
from tests.snapshots import tree_state
from unionhall.orgunits import paths
from unionhall.orgunits.models import AdminArea, Unit, UnitPlacement

from .test_matrix import DAY, codes, decision

BEFORE = "2024-01-01"  # a day before the operations these tests make on DAY


@pytest.fixture
def other_commune(cast):
    """A second commune union in Đồng Nai, a place to transfer grassroots unions to."""
    return establish(cast.admin, cast.province, "commune_union", "DN-LB", "Công đoàn phường Long Bình")


def transfer_unit_to_other_commune(api, other_commune):
    response = api("admin").post(
        "/api/v1/units/transfer/", decision(units=["DN-TB-001"], new_parent="DN-LB"), format="json"
    )
    assert response.status_code == 200, response.content
    return response


# ---------------------------------------------------------------- lifecycle through the API


def test_transfer_moves_the_subtree(api, cast, other_commune):
    response = transfer_unit_to_other_commune(api, other_commune)
    cast.refresh()
    assert cast.unit.parent_id == other_commune.pk
    assert cast.unit.path == paths.child_path(other_commune.path, cast.unit.pk)
    assert cast.section.path == paths.child_path(cast.unit.path, cast.section.pk)
    assert (cast.unit.depth, cast.section.depth) == (3, 4)
    body = response.json()
    assert body["dry_run"] is False
    assert body["plan"] is None
    assert [(u["code"], u["parent"]) for u in body["units"]] == [("DN-TB-001", "DN-LB")]
    # The old placements end on the effective date; the new ones start on it.
    closed = UnitPlacement.objects.filter(unit__in=[cast.unit, cast.section], valid_to__isnull=False)
    assert sorted(str(p.valid_to) for p in closed) == [DAY, DAY]


def test_as_of_list_returns_the_tree_as_it_stood(api, cast, other_commune):
    transfer_unit_to_other_commune(api, other_commune)
    admin = api("admin")
    now = admin.get("/api/v1/units/", {"subtree": "DN-TB"})
    then = admin.get("/api/v1/units/", {"subtree": "DN-TB", "as_of": BEFORE})
    assert codes(now) == ["DN-TB", "DN-TB-002"]
    assert codes(then) == ["DN-TB", "DN-TB-001", "DN-TB-001-S1", "DN-TB-002"]
    # parent and depth are as of that day
    then_unit = next(u for u in then.json()["results"] if u["code"] == "DN-TB-001")
    assert (then_unit["parent"], then_unit["depth"]) == ("DN-TB", 3)
    now_unit = admin.get("/api/v1/units/DN-TB-001/").json()
    assert now_unit["parent"] == "DN-LB"

    assert codes(admin.get("/api/v1/units/DN-TB/children/", {"as_of": BEFORE})) == ["DN-TB-001", "DN-TB-002"]
    assert codes(admin.get("/api/v1/units/DN-TB/children/")) == ["DN-TB-002"]
    assert codes(admin.get("/api/v1/units/DN-TB-001-S1/ancestors/", {"as_of": BEFORE})) == [
        "VN",
        "DN",
        "DN-TB",
        "DN-TB-001",
    ]
    assert codes(admin.get("/api/v1/units/DN-TB-001-S1/ancestors/")) == ["VN", "DN", "DN-LB", "DN-TB-001"]
    # Before anything was founded there was no tree; the whole tree as of a day, without subtree=.
    assert codes(admin.get("/api/v1/units/", {"as_of": "2019-12-31"})) == []
    assert codes(admin.get("/api/v1/units/", {"as_of": BEFORE})) == [
        "VN",
        "DN",
        "DN-TB",
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
        "DN-LB",
        "KH",
    ]
    # Today's whole tree has DN-TB-001 under DN-LB.
    assert codes(admin.get("/api/v1/units/"))[3:7] == ["DN-TB-002", "DN-LB", "DN-TB-001", "DN-TB-001-S1"]


def test_as_of_list_is_still_scoped(api, cast, other_commune):
    transfer_unit_to_other_commune(api, other_commune)
    # The commune officer sees only what is in their scope today, also in yesterday's tree.
    then = api("parent").get("/api/v1/units/", {"subtree": "DN-TB", "as_of": BEFORE})
    assert codes(then) == ["DN-TB", "DN-TB-002"]


def plans():
    split_parts = [
        {"code": "DN-TB-001A", "names": {"vi": "CĐCS A"}, "type": "grassroots_union", "children": ["DN-TB-001-S1"]},
        {"code": "DN-TB-001B", "names": {"vi": "CĐCS B"}, "type": "grassroots_union"},
    ]
    return [
        pytest.param(
            "/api/v1/units/",
            decision(parent="DN-TB-001", type="union_section", code="dn-tb-001-s2", names={"vi": "CĐ bộ phận Kho"}),
            {
                "kind": "establish",
                "units": [],
                "target": "DN-TB-001",
                "affected_units": 1,
                "new_units": [
                    {
                        "code": "DN-TB-001-S2",
                        "names": {"vi": "CĐ bộ phận Kho", "en": "", "ar": "", "fa": ""},
                        "type": "union_section",
                        "children": [],
                    }
                ],
            },
            id="establish",
        ),
        pytest.param(
            "/api/v1/units/DN-TB-001/rename/",
            decision(names={"vi": "Tên mới", "en": "New name"}),
            {
                "kind": "rename",
                "units": ["DN-TB-001"],
                "names": {"vi": "Tên mới", "en": "New name", "ar": "", "fa": ""},
            },
            id="rename",
        ),
        pytest.param(
            "/api/v1/units/transfer/",
            decision(units=["DN-TB-001"], new_parent="DN-LB"),
            {"kind": "transfer", "units": ["DN-TB-001"], "target": "DN-LB", "affected_units": 2},
            id="transfer",
        ),
        pytest.param(
            "/api/v1/units/merge/",
            decision(sources=["DN-TB-001"], target="DN-TB-002"),
            {"kind": "merge", "units": ["DN-TB-001"], "target": "DN-TB-002", "moved_units": ["DN-TB-001-S1"]},
            id="merge",
        ),
        pytest.param(
            "/api/v1/units/DN-TB-001/split/",
            decision(parts=split_parts),
            {
                "kind": "split",
                "units": ["DN-TB-001"],
                "target": "DN-TB",
                "affected_units": 2,
                "new_units": [
                    {
                        "code": "DN-TB-001A",
                        "names": {"vi": "CĐCS A", "en": "", "ar": "", "fa": ""},
                        "type": "grassroots_union",
                        "children": ["DN-TB-001-S1"],
                    },
                    {
                        "code": "DN-TB-001B",
                        "names": {"vi": "CĐCS B", "en": "", "ar": "", "fa": ""},
                        "type": "grassroots_union",
                        "children": [],
                    },
                ],
            },
            id="split",
        ),
        pytest.param(
            "/api/v1/units/dissolve/",
            decision(units=["DN-TB"], with_subtree=True),
            {"kind": "dissolve", "units": ["DN-TB"], "affected_units": 4},
            id="dissolve",
        ),
    ]


@pytest.mark.parametrize(("url", "body", "expected"), plans())
def test_dry_run_returns_the_plan_and_writes_nothing(api, other_commune, url, body, expected):
    client = api("admin")
    before = tree_state()
    response = client.post(url, {**body, "dry_run": True}, format="json")
    assert response.status_code == 200, response.content
    assert tree_state() == before
    result = response.json()
    assert (result["dry_run"], result["units"]) == (True, [])
    plan = result["plan"]
    assert {key: plan[key] for key in expected} == expected
    assert (plan["effective_date"], plan["decision_ref"]) == (DAY, "12/QĐ")
    # and the same request without dry_run does it
    assert client.post(url, body, format="json").status_code in (200, 201)
    assert tree_state() != before


def test_dry_run_refusal_is_the_real_refusal(api):
    """A preview checks the same rules: an impossible operation fails in the preview already."""
    body = decision(units=["DN-TB-001"], new_parent="DN-TB-001-S1", dry_run=True)
    response = api("admin").post("/api/v1/units/transfer/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "cycle"


# ---------------------------------------------------------------- errors


def test_not_found_shape(api):
    response = api("admin").get("/api/v1/units/NOPE/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_stale_version_is_409_and_changes_nothing(api, cast):
    before = tree_state()
    body = {"version": cast.unit.version + 1, "address": "Somewhere"}
    response = api("officer").patch("/api/v1/units/DN-TB-001/", body, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale"
    assert response.json()["error"]["fields"] == {}
    assert tree_state() == before


def test_patch_keeps_what_it_is_not_sent(api, cast):
    province = AdminArea.objects.get(scheme__code="vn-2025", code="01")
    client = api("officer")
    first = client.patch("/api/v1/units/DN-TB-001/", {"version": 1, "province": "01"}, format="json")
    assert first.status_code == 200, first.content
    second = client.patch("/api/v1/units/DN-TB-001/", {"version": 2, "address": "Số 5"}, format="json")
    assert second.status_code == 200, second.content
    cast.unit.refresh_from_db()
    assert (cast.unit.province, cast.unit.address, cast.unit.version) == (province, "Số 5", 3)
    assert second.json()["province"] == {"code": "01", "name": province.name, "map": "vn-2025"}
    cleared = client.patch("/api/v1/units/DN-TB-001/", {"version": 3, "province": None}, format="json")
    assert cleared.json()["province"] is None


def test_duplicate_code_is_409(api):
    body = decision(parent="DN-TB", type="grassroots_union", code="DN-TB-002", names={"vi": "Trùng mã"})
    before = tree_state()
    response = api("admin").post("/api/v1/units/", body, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "The code DN-TB-002 is already used by another unit.",
            "fields": {"code": ["The code DN-TB-002 is already used by another unit."]},
        }
    }
    assert tree_state() == before


def test_service_field_names_are_the_request_names(api):
    body = decision(parent="DN-TB", type="grassroots_union", code="DN-TB-009", names={"vi": "   "})
    response = api("admin").post("/api/v1/units/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["names.vi"]


def test_rename_to_the_same_names_is_refused(api):
    body = decision(names={"vi": "Công đoàn cơ sở Công ty Sông Mây"})
    response = api("officer").post("/api/v1/units/DN-TB-001/rename/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unchanged"


def test_future_effective_date_is_a_field_error(api):
    body = decision(units=["DN-TB-001-S1"], new_parent="DN-TB-002", effective_date="2999-01-01")
    response = api("admin").post("/api/v1/units/transfer/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["effective_date"]


@pytest.mark.parametrize(
    ("url", "body_for"),
    [
        ("/api/v1/units/transfer/", lambda code: decision(units=["DN-TB-001-S1"], new_parent=code)),
        ("/api/v1/units/merge/", lambda code: decision(sources=["DN-TB-001-S1"], target=code)),
        ("/api/v1/units/dissolve/", lambda code: decision(units=[code])),
        ("/api/v1/units/", lambda code: decision(parent=code, type="union_section", code="X1", names={"vi": "X"})),
        ("/api/v1/grants/", lambda code: {"user": "parent", "role": "viewer", "unit": code}),
    ],
)
def test_an_out_of_scope_code_reads_like_a_missing_one(api, url, body_for):
    """No oracle: the officer learns nothing about DN-TB-002 (exists, not theirs) that ZZ-999 does not tell."""
    client = api("officer")
    out_of_scope = client.post(url, body_for("DN-TB-002"), format="json")
    missing = client.post(url, body_for("ZZ-999"), format="json")
    assert out_of_scope.status_code == missing.status_code == 400
    assert out_of_scope.content.decode().replace("DN-TB-002", "ZZ-999") == missing.content.decode()


def test_an_out_of_scope_subtree_filter_reads_like_a_missing_one(api):
    client = api("officer")
    out_of_scope = client.get("/api/v1/units/", {"subtree": "DN-TB-002"})
    missing = client.get("/api/v1/units/", {"subtree": "ZZ-999"})
    assert out_of_scope.status_code == missing.status_code == 400
    assert out_of_scope.json()["error"]["fields"] == {"subtree": ["Unit DN-TB-002 was not found."]}
    assert out_of_scope.content.decode().replace("DN-TB-002", "ZZ-999") == missing.content.decode()


# ---------------------------------------------------------------- mass assignment


def test_protected_fields_are_refused_on_create(api):
    body = decision(
        parent="DN-TB-001",
        type="union_section",
        code="DN-TB-001-S9",
        names={"vi": "X", "xx": "y"},
        path="000001",
        status="dissolved",
        version=99,
        id=1,
    )
    before = tree_state()
    response = api("admin").post("/api/v1/units/", body, format="json")
    assert response.status_code == 400
    refused = ["This field is not accepted here."]
    assert response.json()["error"]["fields"] == {
        "names.xx": refused,
        "id": refused,
        "path": refused,
        "status": refused,
        "version": refused,
    }
    assert tree_state() == before


def test_protected_fields_are_refused_on_patch(api, cast):
    before = tree_state()
    body = {"version": 1, "status": "dissolved", "path": "", "code": "HACKED", "parent": "KH"}
    response = api("officer").patch("/api/v1/units/DN-TB-001/", body, format="json")
    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["code", "parent", "path", "status"]
    assert tree_state() == before


def test_put_and_delete_are_not_offered(api):
    client = api("admin")
    assert client.put("/api/v1/units/DN-TB-001/", {}, format="json").status_code == 405
    response = client.delete("/api/v1/units/DN-TB-001/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


# ---------------------------------------------------------------- filters, search, pages


def test_filters(api, cast):
    client = api("admin")
    assert codes(client.get("/api/v1/units/", {"type": "grassroots_union"})) == ["DN-TB-001", "DN-TB-002"]
    assert codes(client.get("/api/v1/units/", {"subtree": "dn-tb-001"})) == ["DN-TB-001", "DN-TB-001-S1"]
    assert codes(client.get("/api/v1/units/", {"q": "song may"})) == ["DN-TB-001"]
    assert codes(client.get("/api/v1/units/", {"q": "cong doan", "subtree": "DN-TB-001"})) == [
        "DN-TB-001",
        "DN-TB-001-S1",
    ]
    client.post("/api/v1/units/dissolve/", decision(units=["DN-TB-002"]), format="json")
    assert codes(client.get("/api/v1/units/", {"status": "dissolved"})) == ["DN-TB-002"]
    assert codes(client.get("/api/v1/units/", {"status": "active", "type": "grassroots_union"})) == ["DN-TB-001"]
    # Parameters that are not filters change nothing; they never reach the ORM.
    unfiltered = codes(client.get("/api/v1/units/"))
    assert codes(client.get("/api/v1/units/", {"path__startswith": "0", "ordering": "-code"})) == unfiltered


def test_search_is_scoped(api):
    assert codes(api("sibling").get("/api/v1/units/", {"q": "cong doan"})) == ["DN-TB-002"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "asleep"}, "status"), ({"type": "planet"}, "type"), ({"as_of": "2024-02-30"}, "as_of")],
)
def test_bad_filters_are_field_errors(api, params, field):
    response = api("admin").get("/api/v1/units/", params)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_pages_follow_the_tree(api):
    client = api("admin")
    first = client.get("/api/v1/units/", {"page_size": 3}).json()
    assert [u["code"] for u in first["results"]] == ["VN", "DN", "DN-TB"]
    second = client.get(first["next"]).json()
    assert [u["code"] for u in second["results"]] == ["DN-TB-001", "DN-TB-001-S1", "DN-TB-002"]
    third = client.get(second["next"]).json()
    assert [u["code"] for u in third["results"]] == ["KH"]
    assert third["next"] is None


@pytest.mark.parametrize("position", ["\x00", "abc\x00def"])
def test_a_forged_cursor_is_a_field_error(api, position):
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    response = api("admin").get("/api/v1/units/", {"cursor": cursor})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]


def test_a_damaged_cursor_is_a_field_error(api):
    response = api("admin").get("/api/v1/units/", {"cursor": "not base64!"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]


def test_the_list_has_a_query_budget(api, cast, django_db_setup):
    from django.db import connection

    client = api("admin")
    for n in range(5):
        establish(cast.admin, cast.commune, "grassroots_union", f"DN-TB-1{n}", f"Công đoàn {n}")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/units/", {"page_size": 3})
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/units/", {"page_size": 12})
    assert len(response.json()["results"]) == 12
    # token, grants, the page: a constant number, whatever the page size
    assert len(many) == len(few) <= 4


def test_references_show_only_in_scope(api, cast):
    """merged_into and parent name a unit only to readers who may see it."""
    api("admin").post("/api/v1/units/merge/", decision(sources=["DN-TB-001-S1"], target="DN-TB-002"), format="json")
    as_parent = api("parent").get("/api/v1/units/DN-TB-001-S1/").json()
    assert (as_parent["status"], as_parent["merged_into"], as_parent["parent"]) == ("merged", "DN-TB-002", "DN-TB-001")
    as_officer = api("officer").get("/api/v1/units/DN-TB-001-S1/").json()
    assert (as_officer["merged_into"], as_officer["parent"]) == (None, "DN-TB-001")
    assert Unit.objects.get(code="DN-TB-001-S1").merged_into_id == cast.sibling_unit.pk


def test_units_placed_on_selects_what_the_as_of_selectors_select(api, cast, other_commune):
    """The join the API pages past trees with agrees with units_as_of, unit_subtree and unit_children."""
    from unionhall.orgunits import selectors

    transfer_unit_to_other_commune(api, other_commune)
    api("admin").post("/api/v1/units/dissolve/", decision(units=["DN-TB-002"]), format="json")
    everything = Unit.objects.all()
    for day in (dt.date(2019, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date.today()):
        placed = selectors.units_placed_on(everything, day=day)
        assert set(placed) == set(selectors.units_as_of(day=day))
        for unit in Unit.objects.all():
            under = selectors.units_placed_on(everything, day=day, under=unit)
            assert set(under) == set(selectors.unit_subtree(unit=unit, as_of=day)), (day, unit.code)
            children = selectors.units_placed_on(everything, day=day, parent=unit)
            assert set(children) == set(selectors.unit_children(unit=unit, as_of=day)), (day, unit.code)
        assert all(u.path_on_day for u in placed)
