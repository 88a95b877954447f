"""The people endpoints of /api/v1/: the permission matrix, the masked and revealed national ID,
PATCH with a version, member lists in keyset pages, and search.

On every denial the members' tables and the audit log are exactly as before.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.fields import ChoiceField
from rest_framework.test import APIClient

from unionhall.access.models import Role
from unionhall.api.tests.conftest import token_client
from unionhall.audit.models import AuditEntry
from unionhall.members.models import Membership, Person

from .people import CANARY_ID, register
from .snapshots import members_state

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin"]
READ = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}
MASKED = "*********457"


@pytest.fixture(name="api")
def api_fixture(cast):
    """`api("officer")` signs in with a token as cast.officer; `api(None)` is anonymous."""

    def client(who):
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


@pytest.fixture(name="member")
def member_fixture(cast) -> Person:
    """A member of the cast's unit (DN-TB-001) with a national ID and sensitive fields recorded."""
    return register(cast.officer, cast.unit, id_kind="cccd", national_id=CANARY_ID, ethnicity="Kinh", religion="Không")


def url(person: Person, tail: str = "") -> str:
    return f"/api/v1/people/{person.member_code}/{tail}"


def assert_denied(response, status: int, before: dict) -> dict:
    """The error shape, the status, and nothing written."""
    assert response.status_code == status, response.content
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert members_state() == before
    return response.json()["error"]


def transfer(client, membership: Membership, unit_code: str):
    body = {"new_unit": unit_code, "date": "2024-06-01"}
    return client.post(f"/api/v1/memberships/{membership.pk}/transfer/", body, format="json")


def grant_role(user, unit, role: str) -> None:
    user.grants.all().delete()
    user.grants.create(role=Role.objects.get(code=role), unit=unit, scope="subtree")


# ---------------------------------------------------------------- one person


@pytest.mark.parametrize("who", EVERYONE)
def test_person_detail_matrix(api, member, who):
    before = members_state()
    response = api(who).get(url(member))
    if READ[who] != 200:
        error = assert_denied(response, READ[who], before)
        assert error["code"] == ("not_authenticated" if who is None else "not_found")
        return
    assert response.status_code == 200
    body = response.json()
    assert body["member_code"] == member.member_code
    assert body["full_name"] == "Nguyễn Văn Đệ"
    assert body["gender"] == "male"
    assert body["date_of_birth"] == "1990-05-17"
    assert body["id_kind"] == "cccd"
    assert body["national_id"] == MASKED
    assert body["nationality"] == "VN"
    assert body["sensitive"] == {"ethnicity": "Kinh", "religion": "Không"}
    assert body["version"] == 1
    membership = Membership.objects.get(person=member)
    assert body["membership"] == {
        "id": membership.pk,
        "unit": "DN-TB-001",
        "status": "active",
        "join_date": "2021-03-01",
        "end_date": None,
    }
    assert CANARY_ID not in response.content.decode()
    assert members_state() == before  # reading logs nothing


def test_an_unknown_member_code_is_a_404_in_the_error_shape(api, member):
    response = api("admin").get("/api/v1/people/00000000000/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"] == "Person 00000000000 was not found."


def test_ethnicity_and_religion_only_with_member_view_sensitive(api, cast, member):
    grant_role(cast.sibling, cast.unit, "officer")  # member.view and member.change, nothing sensitive
    response = api("sibling").get(url(member))
    assert response.status_code == 200
    body = response.json()
    assert body["sensitive"] is None
    assert body["national_id"] == MASKED
    assert "Kinh" not in response.content.decode()
    assert CANARY_ID not in response.content.decode()


def test_a_former_unit_still_reads_the_person_but_not_their_sensitive_fields(api, cast, member):
    response = transfer(api("parent"), Membership.objects.get(person=member), "DN-TB-002")
    assert response.status_code == 201, response.content
    body = api("officer").get(url(member)).json()
    assert body["membership"] is None  # the home membership is now in DN-TB-002
    assert body["sensitive"] is None
    before = members_state()
    # A former unit reads but does not change or reveal: the person is not "theirs" any more.
    response = api("officer").patch(url(member), {"version": 1, "job_title": "Thợ hàn"}, format="json")
    assert_denied(response, 404, before)
    assert_denied(api("officer").post(url(member, "national-id/"), {}, format="json"), 404, before)


# ---------------------------------------------------------------- the national ID


REVEAL = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_reveal_matrix_and_one_audit_entry(api, member, who):
    before = members_state()
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = api(who).post(url(member, "national-id/"), {"purpose": "Xác minh hồ sơ"}, format="json")
    if REVEAL[who] != 200:
        assert_denied(response, REVEAL[who], before)
        return
    assert response.status_code == 200
    assert response.json() == {"id_kind": "cccd", "national_id": CANARY_ID}
    assert response["Cache-Control"] == "no-store"
    entries = list(AuditEntry.objects.filter(id__gt=mark))
    assert [(e.action, e.object_id) for e in entries] == [("member.national_id_viewed", str(member.pk))]
    assert entries[0].after == {"id_kind": "cccd", "purpose": "Xác minh hồ sơ"}


def test_reveal_without_the_permission_is_403_and_logs_nothing(api, cast, member):
    grant_role(cast.sibling, cast.unit, "officer")  # sees the person, may not see the number
    before = members_state()
    error = assert_denied(api("sibling").post(url(member, "national-id/"), format="json"), 403, before)
    assert error["code"] == "forbidden"
    assert error["message"] == "You may not see national ID numbers in this unit."


def test_the_plain_id_is_in_no_answer_to_a_user_without_the_permission(api, cast, member):
    grant_role(cast.sibling, cast.unit, "officer")
    client = api("sibling")
    responses = [
        client.get(url(member)),
        client.get("/api/v1/people/", {"unit": "DN-TB-001"}),
        client.get("/api/v1/people/search/", {"q": "nguyen"}),
        client.get(url(member, "memberships/")),
        client.patch(url(member), {"version": 1, "job_title": "Thợ hàn"}, format="json"),
        client.post(url(member, "national-id/"), format="json"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 403]
    for response in responses:
        text = response.content.decode()
        assert CANARY_ID not in text and CANARY_ID[3:] not in text


def test_search_does_not_find_people_by_national_id(api, member):
    response = api("officer").get("/api/v1/people/search/", {"q": CANARY_ID})
    assert response.status_code == 200
    assert response.json()["results"] == []


# ---------------------------------------------------------------- create and change


def new_person(**extra) -> dict:
    return {
        "unit": "DN-TB-001",
        "join_date": "2024-03-01",
        "full_name": "Trần Thị Đào",
        "gender": "female",
        "date_of_birth": "1995-02-03",
        "id_kind": "cccd",
        "national_id": "075195123458",
        "phone": "0912 345 678",
        **extra,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("officer", 201), ("parent", 201), ("sibling", 400), ("outsider", 400), ("admin", 201)],
)
def test_create_matrix(api, cast, who, status):
    before = members_state()
    response = api(who).post("/api/v1/people/", new_person(), format="json")
    if status != 201:
        error = assert_denied(response, status, before)
        if who is not None:
            assert error["fields"] == {"unit": ["Unit DN-TB-001 was not found."]}
        return
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(member_code=body["member_code"])
    assert response["Location"] == f"http://testserver/api/v1/people/{person.member_code}/"
    assert body["full_name"] == "Trần Thị Đào"
    assert body["national_id"] == "*********458"
    assert body["phone"] == "0912345678"
    assert body["membership"]["unit"] == "DN-TB-001"
    assert body["membership"]["join_date"] == "2024-03-01"
    assert list(Membership.objects.filter(person=person).values_list("unit__code", "status")) == [
        ("DN-TB-001", "active")
    ]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True))[-2:] == [
        "member.create",
        "member.create",
    ]


def test_create_refuses_unknown_fields_and_bad_values(api, cast):
    before = members_state()
    body = new_person(member_code="00000000019", national_id="12345", gender="x")
    error = assert_denied(api("officer").post("/api/v1/people/", body, format="json"), 400, before)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "gender": ['"x" is not a valid choice.'],
        "member_code": ["This field is not accepted here."],
    }
    error = assert_denied(
        api("officer").post("/api/v1/people/", new_person(national_id="12345"), format="json"), 400, before
    )
    assert set(error["fields"]) == {"national_id"}
    assert error["code"] == "bad_national_id"


def test_field_errors_come_in_the_users_language(api, cast):
    cast.officer.language = "vi"
    cast.officer.save(update_fields=["language"])
    before = members_state()
    error = assert_denied(api("officer").post("/api/v1/people/", new_person(gender="x"), format="json"), 400, before)
    with translation.override("vi"):
        expected = str(ChoiceField.default_error_messages["invalid_choice"]).format(input="x")
    assert error["fields"] == {"gender": [expected]}


def test_a_duplicate_national_id_is_409(api, cast, member):
    before = members_state()
    body = new_person(national_id=CANARY_ID, gender="male", date_of_birth="1990-05-17")
    error = assert_denied(api("officer").post("/api/v1/people/", body, format="json"), 409, before)
    assert error["code"] == "duplicate_national_id"
    assert CANARY_ID not in error["message"]


PATCH = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_patch_matrix(api, member, who):
    before = members_state()
    response = api(who).patch(url(member), {"version": 1, "job_title": "Thợ hàn"}, format="json")
    if PATCH[who] != 200:
        assert_denied(response, PATCH[who], before)
        return
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["job_title"] == "Thợ hàn"
    assert body["version"] == 2
    member.refresh_from_db()
    # What was left out stays, the national ID and the sensitive fields included.
    assert (member.full_name, member.job_title, member.version) == ("Nguyễn Văn Đệ", "Thợ hàn", 2)
    assert (member.ethnicity, member.religion, member.national_id_hint) == ("Kinh", "Không", "457")
    assert AuditEntry.objects.latest("id").action == "member.update"


def test_patch_with_a_stale_version_is_409_and_changes_nothing(api, member):
    assert api("officer").patch(url(member), {"version": 1, "phone": "0912345678"}, format="json").status_code == 200
    before = members_state()
    response = api("parent").patch(url(member), {"version": 1, "job_title": "Thợ hàn"}, format="json")
    error = assert_denied(response, 409, before)
    assert error["code"] == "stale"
    assert error["message"] == "Someone else changed this person meanwhile. Reload the page and try again."


def test_patch_needs_a_version_and_refuses_unknown_fields(api, member):
    before = members_state()
    response = api("officer").patch(url(member), {"national_id_hint": "999"}, format="json")
    error = assert_denied(response, 400, before)
    assert error["fields"] == {
        "national_id_hint": ["This field is not accepted here."],
        "version": ["This field is required."],
    }


def test_patch_may_replace_the_national_id(api, member):
    response = api("officer").patch(url(member), {"version": 1, "national_id": "075090123458"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["national_id"] == "*********458"


# ---------------------------------------------------------------- lists and search


def test_member_list_matrix(api, cast, member):
    in_section = register(cast.officer, cast.section, "Lê Văn Bình")
    register(cast.admin, cast.sibling_unit, "Phạm Văn Chiến")
    expected = {
        "officer": [in_section.member_code, member.member_code],
        "parent": [in_section.member_code, member.member_code],
        "admin": [in_section.member_code, member.member_code],
    }
    for who in EVERYONE:
        response = api(who).get("/api/v1/people/", {"unit": "DN-TB-001"})
        if who is None:
            assert response.status_code == 401
        elif who in expected:
            assert response.status_code == 200
            assert [row["member_code"] for row in response.json()["results"]] == expected[who], who
        else:
            assert response.status_code == 400
            assert response.json()["error"]["fields"] == {"unit": ["Unit DN-TB-001 was not found."]}
    only_unit = api("officer").get("/api/v1/people/", {"unit": "DN-TB-001", "subtree": "false"}).json()
    row = only_unit["results"][0]
    assert only_unit["results"] == [row]
    membership = Membership.objects.get(person=member)
    assert row == {
        "member_code": member.member_code,
        "full_name": "Nguyễn Văn Đệ",
        "gender": "male",
        "date_of_birth": "1990-05-17",
        "membership": membership.pk,
        "unit": "DN-TB-001",
        "status": "active",
        "join_date": "2021-03-01",
    }


def test_member_list_needs_a_unit(api, member):
    response = api("officer").get("/api/v1/people/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"unit": ["This field is required."]}


def test_member_list_filters(api, cast, member):
    woman = register(cast.officer, cast.unit, "Trần Thị Đào", gender="female")
    client = api("officer")

    def codes(**params) -> list[str]:
        response = client.get("/api/v1/people/", {"unit": "DN-TB-001", **params})
        assert response.status_code == 200, response.content
        return [row["member_code"] for row in response.json()["results"]]

    assert codes(gender="female") == [woman.member_code]
    assert codes(gender="") == [member.member_code, woman.member_code]
    assert codes(join_year="2021") == [member.member_code, woman.member_code]
    assert codes(join_year="2022") == []
    assert codes(officer="true") == []
    assert codes(officer="false") == [member.member_code, woman.member_code]
    assert codes(status="ended") == []
    assert codes(card_status="active") == []


def test_member_list_pages_exactly(api, cast):
    names = ["An", "Bình", "Chi", "Dũng", "Én"]
    people = [register(cast.officer, cast.unit, name) for name in reversed(names)]
    by_name = sorted(people, key=lambda p: p.search_name)
    client = api("officer")
    seen, pages = [], 0
    link = "/api/v1/people/?unit=DN-TB-001&page_size=2"
    while link:
        response = client.get(link)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["previous"] is None
        seen.append([row["full_name"] for row in body["results"]])
        link = body["next"]
        pages += 1
        assert pages <= 3
    assert seen == [["An", "Bình"], ["Chi", "Dũng"], ["Én"]]
    assert [p.full_name for p in by_name] == names


@pytest.mark.parametrize(
    "cursor",
    ["not-a-cursor", "WyJhIiwgMV0", "WyJcdTAwMDAiLCAxXQ", "WyJhIiwgOTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"],
    ids=["garbage", "valid", "nul", "huge-id"],
)
def test_a_damaged_cursor_is_a_400(api, member, cursor):
    response = api("officer").get("/api/v1/people/", {"unit": "DN-TB-001", "cursor": cursor})
    if cursor == "WyJhIiwgMV0":  # ["a", 1]: a sound position
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cursor": ["The page link is not valid."]}


@pytest.mark.parametrize(
    ("who", "found"), [("officer", True), ("parent", True), ("admin", True), ("sibling", False), ("outsider", False)]
)
def test_search_ignores_diacritics_within_scope(api, cast, member, who, found):
    for query in ("nguyen van de", "NGUYỄN ĐỆ", "van de"):
        response = api(who).get("/api/v1/people/search/", {"q": query})
        assert response.status_code == 200
        expected = [{"member_code": member.member_code, "full_name": "Nguyễn Văn Đệ", "gender": "male"}]
        results = [{k: row[k] for k in ("member_code", "full_name", "gender")} for row in response.json()["results"]]
        assert results == (expected if found else []), (who, query)
    if found:
        assert response.json()["results"][0]["unit"] == "DN-TB-001"
        assert response.json()["next"] is None


def test_search_refuses_a_nul_byte(api, member):
    response = api("officer").get("/api/v1/people/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_membership_history(api, cast, member):
    membership = Membership.objects.get(person=member)
    client = api("parent")
    assert transfer(client, membership, "DN-TB-002").status_code == 201
    rows = client.get(url(member, "memberships/")).json()["results"]
    assert [(r["unit"], r["status"], r["join_date"], r["end_date"], r["end_reason"]) for r in rows] == [
        ("DN-TB-002", "active", "2024-06-01", None, ""),
        ("DN-TB-001", "ended", "2021-03-01", "2024-06-01", "transferred"),
    ]
    # The old unit's officer sees only the history inside their own scope.
    rows = api("officer").get(url(member, "memberships/")).json()["results"]
    assert [r["unit"] for r in rows] == ["DN-TB-001"]
    assert api("sibling").get(url(member, "memberships/")).json()["results"][0]["unit"] == "DN-TB-002"
    assert api("outsider").get(url(member, "memberships/")).status_code == 404


# ---------------------------------------------------------------- bad input and query budgets


def writes(person: Person) -> list[tuple[str, str]]:
    membership = Membership.objects.get(person=person)
    return [
        ("post", "/api/v1/people/"),
        ("patch", url(person)),
        ("post", url(person, "national-id/")),
        ("post", url(person, "join/")),
        ("post", f"/api/v1/memberships/{membership.pk}/transfer/"),
        ("post", f"/api/v1/memberships/{membership.pk}/end/"),
        ("post", f"/api/v1/memberships/{membership.pk}/suspend/"),
        ("post", f"/api/v1/memberships/{membership.pk}/resume/"),
        ("post", "/api/v1/officers/"),
        ("post", "/api/v1/cards/"),
    ]


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'"text"', b'{"version": 99999999999999999999}', b'{"full_name": "a\\u0000b"}'],
    ids=["broken", "list", "string", "huge-int", "nul"],
)
def test_bad_bodies_are_400_and_write_nothing(api, member, raw):
    client = api("admin")
    for method, path in writes(member):
        before = members_state()
        response = getattr(client, method)(path, raw, content_type="application/json")
        error = assert_denied(response, 400, before)
        # A NUL byte is refused by the middleware before any view reads the body.
        assert error["code"] in ("parse_error", "invalid", "bad_request"), (path, error)


def test_the_member_list_costs_the_same_queries_for_more_rows(api, cast):
    client = api("officer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/people/", {"unit": "DN-TB-001"}).status_code == 200
        return len(captured)

    register(cast.officer, cast.unit, "An")
    few = queries()
    for name in ("Bình", "Chi", "Dũng", "Én"):
        register(cast.officer, cast.unit, name)
    assert queries() == few


def test_the_api_index_links_the_members_collections(api):
    links = api("officer").get("/api/v1/").json()
    assert {name: links[name] for name in ("people", "officers", "cards")} == {
        "people": "http://testserver/api/v1/people/",
        "officers": "http://testserver/api/v1/officers/",
        "cards": "http://testserver/api/v1/cards/",
    }
