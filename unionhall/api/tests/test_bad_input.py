"""Bad input on every endpoint: 400 (or 404/405/415) in the error shape, never a 500, nothing changed.

Run on PostgreSQL too: NUL bytes and out-of-range integers only fail there.
"""

import json

import pytest

from tests.snapshots import tree_state

from .test_matrix import decision

WRITES = [
    ("post", "/api/v1/units/"),
    ("patch", "/api/v1/units/DN-TB-001/"),
    ("post", "/api/v1/units/DN-TB-001/rename/"),
    ("post", "/api/v1/units/DN-TB-001/split/"),
    ("post", "/api/v1/units/transfer/"),
    ("post", "/api/v1/units/merge/"),
    ("post", "/api/v1/units/dissolve/"),
    ("post", "/api/v1/grants/"),
]


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b'{"reason": "x",}',
        b"\xff\xfe",
        b'{"a": NaN}',
        b"",
    ],
    ids=["broken", "trailing-comma", "not-utf8", "nan", "empty"],
)
def test_malformed_json(api, method, url, raw):
    client = api("admin")
    before = tree_state()
    response = getattr(client, method)(url, raw, content_type="application/json")
    error = assert_error(response, 400)
    assert error["code"] in ("parse_error", "invalid")
    assert tree_state() == before


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize(
    "body", [[], "text", 12, None, [{"code": "X"}]], ids=["list", "string", "number", "null", "objects"]
)
def test_not_an_object(api, method, url, body):
    before = tree_state()
    response = getattr(api("admin"), method)(url, json.dumps(body), content_type="application/json")
    assert_error(response, 400, "invalid")
    assert tree_state() == before


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize(
    "raw",
    [b'{"reason": "a\\u0000b"}', b'{"reason": "a\x00b"}', b'{"reason": "50%00"}', b'{"x\\u0000": 1}'],
    ids=["escaped", "raw", "percent", "key"],
)
def test_nul_bytes_are_refused_in_the_error_shape(api, method, url, raw):
    before = tree_state()
    response = getattr(api("admin"), method)(url, raw, content_type="application/json")
    assert_error(response, 400)
    assert tree_state() == before


@pytest.mark.parametrize(
    "url",
    ["/api/v1/units/?q=a%00b", "/api/v1/units/?subtree=%00", "/api/v1/units/DN%00/", "/api/v1/grants/?user=%00"],
)
def test_nul_bytes_in_urls_are_refused(api, url):
    assert_error(api("admin").get(url), 400)


SURROGATE = "\ud800"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/units/transfer/", decision(units=[f"DN{SURROGATE}"], new_parent="DN-TB"), "units.0"),
        ("/api/v1/units/transfer/", decision(units=["DN-TB-001-S1"], new_parent=SURROGATE), "new_parent"),
        ("/api/v1/units/DN-TB-001/rename/", decision(names={"vi": f"A{SURROGATE}"}), "names.vi"),
        ("/api/v1/units/dissolve/", decision(units=["DN-TB-001-S1"], reason=SURROGATE), "reason"),
        ("/api/v1/grants/", {"user": SURROGATE, "role": "viewer", "unit": "DN-TB-001"}, "user"),
        ("/api/v1/grants/", {"user": "parent", "role": SURROGATE, "unit": "DN-TB-001"}, "role"),
    ],
)
def test_lone_surrogates_are_field_errors(api, url, body, field):
    raw = json.dumps(body).encode()  # json.dumps escapes the lone surrogate as \ud800
    before = tree_state()
    error = assert_error(api("admin").post(url, raw, content_type="application/json"), 400, "invalid")
    assert field in error["fields"]
    assert tree_state() == before


@pytest.mark.parametrize(
    ("method", "url", "body", "fields"),
    [
        ("post", "/api/v1/units/transfer/", decision(units="DN-TB-001-S1", new_parent="DN-TB-002"), ["units"]),
        ("post", "/api/v1/units/transfer/", decision(units=[], new_parent="DN-TB-002"), ["units"]),
        ("post", "/api/v1/units/transfer/", decision(units=[["DN"]], new_parent=7), ["new_parent", "units.0"]),
        (
            "post",
            "/api/v1/units/transfer/",
            decision(units=["DN-TB-001-S1"], new_parent="DN-TB-002", dry_run="maybe"),
            ["dry_run"],
        ),
        (
            "post",
            "/api/v1/units/transfer/",
            {"units": ["DN-TB-001-S1"], "new_parent": "DN-TB-002"},
            ["effective_date", "reason"],
        ),
        (
            "post",
            "/api/v1/units/merge/",
            decision(sources=["DN-TB-002"], target="DN-TB-001", effective_date=20240601),
            ["effective_date"],
        ),
        (
            "post",
            "/api/v1/units/merge/",
            decision(sources=["DN-TB-002"], target="DN-TB-001", effective_date="01/06/2024"),
            ["effective_date"],
        ),
        ("post", "/api/v1/units/dissolve/", decision(units=["DN-TB-001-S1"], with_subtree={"a": 1}), ["with_subtree"]),
        ("post", "/api/v1/units/dissolve/", decision(units=["X" * 41]), ["units.0"]),
        ("post", "/api/v1/units/dissolve/", decision(units=["DN-TB-001-S1"], reason="r" * 2001), ["reason"]),
        ("post", "/api/v1/units/DN-TB-001/rename/", decision(names="Tên"), ["names"]),
        ("post", "/api/v1/units/DN-TB-001/rename/", decision(names={"en": "Only English"}), ["names.vi"]),
        ("post", "/api/v1/units/DN-TB-001/rename/", decision(names={"vi": "x" * 301}), ["names.vi"]),
        ("post", "/api/v1/units/DN-TB-001/split/", decision(parts={"code": "A"}), ["parts"]),
        (
            "post",
            "/api/v1/units/DN-TB-001/split/",
            decision(parts=[{"code": "A"}, 5]),
            ["parts.0.names", "parts.0.type", "parts.1"],
        ),
        (
            "post",
            "/api/v1/units/",
            decision(parent="DN-TB", type="grassroots_union", code="N1", names={"vi": "N"}, province="99"),
            ["province"],
        ),
        ("post", "/api/v1/units/", decision(parent="DN-TB", type="galaxy", code="N1", names={"vi": "N"}), ["type"]),
        ("post", "/api/v1/units/", decision(type="grassroots_union", code="N1", names={"vi": "N"}), ["parent"]),
        (
            "post",
            "/api/v1/units/",
            decision(parent="DN-TB", type="grassroots_union", code="bad code!", names={"vi": "N"}),
            ["code"],
        ),
        ("patch", "/api/v1/units/DN-TB-001/", {"address": "No version"}, ["version"]),
        ("patch", "/api/v1/units/DN-TB-001/", {"version": "one"}, ["version"]),
        ("patch", "/api/v1/units/DN-TB-001/", {"version": 10**30}, ["version"]),
        ("patch", "/api/v1/units/DN-TB-001/", {"version": 1, "employer": "DN-TB-002"}, ["employer"]),
        (
            "post",
            "/api/v1/grants/",
            {"user": "parent", "role": "viewer", "unit": "DN-TB-001", "scope": "galaxy"},
            ["scope"],
        ),
        ("post", "/api/v1/grants/", {"user": "nobody", "role": "viewer", "unit": "DN-TB-001"}, ["user"]),
        ("post", "/api/v1/grants/", {"user": "parent", "role": "emperor", "unit": "DN-TB-001"}, ["role"]),
    ],
)
def test_wrong_types_and_values_are_field_errors(api, method, url, body, fields):
    before = tree_state()
    response = getattr(api("admin"), method)(url, body, format="json")
    error = assert_error(response, 400)
    assert sorted(error["fields"]) == sorted(fields)
    assert tree_state() == before


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_only_json_is_accepted(api, method, url):
    before = tree_state()
    response = getattr(api("admin"), method)(
        url, "reason=x&units=DN-TB-001", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 415, "unsupported_media_type")
    assert tree_state() == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/grants/99999999999999999999999/",
        "/api/v1/grants/-1/",
        "/api/v1/grants/1e5/",
        "/api/v1/units/" + "X" * 5000 + "/",
        "/api/v1/units/%F0%9F%98%80/",
        "/api/v1/units/..%2F..%2Fetc/",
    ],
)
def test_strange_ids_are_404(api, url):
    assert_error(api("admin").delete(url) if "grants" in url else api("admin").get(url), 404, "not_found")


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": "-5"},
        {"page_size": "99999999999999999999999"},
        {"as_of": "0001-01-01"},
        {"as_of": "9999-12-31"},
        {"q": "x" * 100},
        {"q": "🙂 ' OR 1=1 --"},
        {"status": ""},
    ],
)
def test_odd_query_values_are_answered(api, params):
    response = api("admin").get("/api/v1/units/", params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert_error(response, 400, "invalid")


def test_an_overlong_query_is_a_field_error(api):
    assert list(assert_error(api("admin").get("/api/v1/units/", {"q": "x" * 101}), 400)["fields"]) == ["q"]


def test_a_huge_list_is_refused_before_any_lookup(api, django_assert_max_num_queries):
    body = decision(units=[f"U{n}" for n in range(5001)], new_parent="DN-TB")
    client = api("admin")
    with django_assert_max_num_queries(3):
        response = client.post("/api/v1/units/transfer/", body, format="json")
    assert list(assert_error(response, 400)["fields"]) == ["units"]
