"""The memberships, officers and cards endpoints of /api/v1/: the permission matrix with the exact
effect of each write, and "nothing changed" on every denial."""

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard

from .people import register
from .snapshots import members_state
from .test_api import EVERYONE, api_fixture, assert_denied, member_fixture  # noqa: F401  # fixtures

WRITE = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}
DAY = "2024-06-01"


def last_actions(count: int) -> list[str]:
    return list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:count])[::-1]


@pytest.fixture
def membership(member: Person) -> Membership:
    return Membership.objects.get(person=member)


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, format="json")


# ---------------------------------------------------------------- memberships


@pytest.mark.parametrize("who", EVERYONE)
def test_membership_detail_matrix(api, membership, who):
    before = members_state()
    response = api(who).get(f"/api/v1/memberships/{membership.pk}/")
    expected = {**WRITE}
    if expected[who] != 200:
        assert_denied(response, expected[who], before)
        return
    assert response.json() == {
        "id": membership.pk,
        "member_code": membership.person.member_code,
        "full_name": "Nguyễn Văn Đệ",
        "unit": "DN-TB-001",
        "unit_name": "Công đoàn cơ sở Công ty Sông Mây",
        "join_date": "2021-03-01",
        "status": "active",
        "end_reason": "",
        "end_date": None,
        "suspended_on": None,
        "suspension_reason": "",
        "version": 1,
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_transfer_matrix(api, membership, who):
    before = members_state()
    response = post(
        api(who), f"/api/v1/memberships/{membership.pk}/transfer/", {"new_unit": "DN-TB-001-S1", "date": DAY}
    )
    if WRITE[who] != 200:
        assert_denied(response, WRITE[who], before)
        return
    assert response.status_code == 201, response.content
    new = Membership.objects.get(person=membership.person, status="active")
    assert response.json()["id"] == new.pk
    assert response["Location"] == f"http://testserver/api/v1/memberships/{new.pk}/"
    assert (new.unit.code, str(new.join_date)) == ("DN-TB-001-S1", DAY)
    membership.refresh_from_db()
    assert (membership.status, membership.end_reason, str(membership.end_date)) == ("ended", "transferred", DAY)
    assert last_actions(2) == ["membership.transfer", "membership.transfer"]


def test_transfer_to_a_unit_outside_the_scope_is_a_field_error(api, membership):
    before = members_state()
    response = post(api("officer"), f"/api/v1/memberships/{membership.pk}/transfer/", {"new_unit": "KH", "date": DAY})
    error = assert_denied(response, 400, before)
    assert error["fields"] == {"new_unit": ["Unit KH was not found."]}


def test_a_date_before_the_join_is_reported_on_the_date_field(api, membership):
    before = members_state()
    url = f"/api/v1/memberships/{membership.pk}/end/"
    error = assert_denied(post(api("officer"), url, {"reason": "resigned", "date": "2020-01-01"}), 400, before)
    assert error["fields"] == {"date": ["The date is before the start (01/03/2021)."]}


@pytest.mark.parametrize("who", EVERYONE)
def test_end_matrix(api, membership, who):
    before = members_state()
    response = post(api(who), f"/api/v1/memberships/{membership.pk}/end/", {"reason": "resigned", "date": DAY})
    if WRITE[who] != 200:
        assert_denied(response, WRITE[who], before)
        return
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["end_reason"], body["end_date"], body["version"]) == ("ended", "resigned", DAY, 2)
    assert last_actions(1) == ["membership.end"]


def test_end_refuses_reasons_that_other_operations_set(api, membership):
    before = members_state()
    url = f"/api/v1/memberships/{membership.pk}/end/"
    error = assert_denied(post(api("officer"), url, {"reason": "transferred", "date": DAY}), 400, before)
    assert error["fields"] == {"reason": ['"transferred" is not a valid choice.']}


@pytest.mark.parametrize("who", EVERYONE)
def test_suspend_and_resume_matrix(api, membership, who):
    before = members_state()
    url = f"/api/v1/memberships/{membership.pk}/"
    response = post(api(who), url + "suspend/", {"reason": "Vi phạm điều lệ", "date": DAY})
    if WRITE[who] != 200:
        assert_denied(response, WRITE[who], before)
        return
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["suspended_on"], body["suspension_reason"]) == ("suspended", DAY, "Vi phạm điều lệ")
    response = post(api(who), url + "resume/", {"date": "2024-07-01"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["suspended_on"], body["suspension_reason"], body["version"]) == ("active", None, "", 3)
    assert last_actions(2) == ["membership.suspend", "membership.resume"]


def test_resume_of_an_active_membership_is_refused(api, membership):
    before = members_state()
    error = assert_denied(
        post(api("officer"), f"/api/v1/memberships/{membership.pk}/resume/", {"date": DAY}), 400, before
    )
    assert error["code"] == "not_suspended"


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("officer", 201), ("parent", 201), ("sibling", 404), ("outsider", 404), ("admin", 201)],
)
def test_join_again_after_an_end(api, membership, who, status):
    assert (
        post(api("admin"), f"/api/v1/memberships/{membership.pk}/end/", {"reason": "left_job", "date": DAY}).status_code
        == 200
    )
    before = members_state()
    url = f"/api/v1/people/{membership.person.member_code}/join/"
    response = post(api(who), url, {"unit": "DN-TB-001-S1", "join_date": "2024-08-01"})
    if status != 201:
        assert_denied(response, status, before)
        return
    assert response.status_code == 201, response.content
    assert (response.json()["unit"], response.json()["status"]) == ("DN-TB-001-S1", "active")
    assert Membership.objects.filter(person=membership.person).open().get().unit.code == "DN-TB-001-S1"
    assert last_actions(1) == ["membership.join"]


def test_join_while_a_member_is_409(api, membership):
    before = members_state()
    url = f"/api/v1/people/{membership.person.member_code}/join/"
    error = assert_denied(post(api("officer"), url, {"unit": "DN-TB-001-S1", "join_date": DAY}), 409, before)
    assert error["code"] == "already_member"


# ---------------------------------------------------------------- officers


APPOINT = {None: 401, "officer": 201, "parent": 201, "sibling": 400, "outsider": 400, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_appoint_matrix(api, member, who):
    before = members_state()
    body = {"member_code": member.member_code, "position": "chair", "term_start": DAY, "full_time": True}
    response = post(api(who), "/api/v1/officers/", body)
    if APPOINT[who] != 201:
        error = assert_denied(response, APPOINT[who], before)
        if who is not None:
            assert error["fields"] == {"member_code": [f"Person {member.member_code} was not found."]}
        return
    assert response.status_code == 201, response.content
    term = OfficerTerm.objects.get()
    assert response.json() == {
        "id": term.pk,
        "member_code": member.member_code,
        "full_name": "Nguyễn Văn Đệ",
        "membership": term.membership_id,
        "unit": "DN-TB-001",
        "position": "chair",
        "full_time": True,
        "term_start": DAY,
        "term_end": None,
    }
    assert last_actions(1) == ["officer.appoint"]


def test_appoint_twice_is_409(api, member):
    body = {"member_code": member.member_code, "position": "chair", "term_start": DAY}
    assert post(api("officer"), "/api/v1/officers/", body).status_code == 201
    before = members_state()
    error = assert_denied(post(api("officer"), "/api/v1/officers/", body), 409, before)
    assert error["fields"] == {"position": ["This member already holds this position."]}


def test_officer_list_and_end(api, cast, member):
    other = register(cast.admin, cast.sibling_unit, "Phạm Văn Chiến")
    for person, who in ((member, "officer"), (other, "admin")):
        body = {"member_code": person.member_code, "position": "vice_chair", "term_start": DAY}
        assert post(api(who), "/api/v1/officers/", body).status_code == 201
    mine = OfficerTerm.objects.get(membership__person=member)

    def listed(who, **params) -> list[str]:
        response = api(who).get("/api/v1/officers/", params)
        assert response.status_code == 200, response.content
        return [row["member_code"] for row in response.json()["results"]]

    assert listed("officer") == [member.member_code]
    assert sorted(listed("parent")) == sorted([member.member_code, other.member_code])
    assert listed("parent", unit="DN-TB-002") == [other.member_code]
    assert listed("parent", person=member.member_code) == [member.member_code]
    assert listed("outsider") == []
    before = members_state()
    assert_denied(post(api("sibling"), f"/api/v1/officers/{mine.pk}/end/", {"term_end": "2024-07-01"}), 404, before)
    response = post(api("officer"), f"/api/v1/officers/{mine.pk}/end/", {"term_end": "2024-07-01"})
    assert response.status_code == 200, response.content
    assert response.json()["term_end"] == "2024-07-01"
    assert listed("officer") == []
    assert listed("officer", current="false") == [member.member_code]
    assert last_actions(1) == ["officer.end"]


# ---------------------------------------------------------------- cards


ISSUE = {None: 401, "officer": 201, "parent": 201, "sibling": 400, "outsider": 400, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_issue_matrix(api, member, who):
    before = members_state()
    body = {"person": member.member_code, "card_number": "dn-000123", "issue_date": DAY}
    response = post(api(who), "/api/v1/cards/", body)
    if ISSUE[who] != 201:
        error = assert_denied(response, ISSUE[who], before)
        if who is not None:
            assert error["fields"] == {"person": [f"Person {member.member_code} was not found."]}
        return
    assert response.status_code == 201, response.content
    card = UnionCard.objects.get()
    assert response.json() == {
        "id": card.pk,
        "member_code": member.member_code,
        "card_number": "DN-000123",
        "card_type": "plain",
        "issue_date": DAY,
        "status": "active",
    }
    assert last_actions(1) == ["card.issue"]


def test_a_second_card_needs_replace(api, member):
    client = api("officer")
    assert (
        post(
            client, "/api/v1/cards/", {"person": member.member_code, "card_number": "DN-1", "issue_date": DAY}
        ).status_code
        == 201
    )
    before = members_state()
    body = {"person": member.member_code, "card_number": "DN-2", "issue_date": DAY}
    assert assert_denied(post(client, "/api/v1/cards/", body), 409, before)["code"] == "active_card"
    assert post(client, "/api/v1/cards/", {**body, "replace": True}).status_code == 201
    rows = client.get("/api/v1/cards/", {"person": member.member_code}).json()["results"]
    assert [(r["card_number"], r["status"]) for r in rows] == [("DN-2", "active"), ("DN-1", "replaced")]
    assert [r["card_number"] for r in client.get("/api/v1/cards/", {"status": "replaced"}).json()["results"]] == [
        "DN-1"
    ]


@pytest.mark.parametrize("who", EVERYONE)
def test_card_status_matrix(api, member, who):
    issued = post(
        api("admin"), "/api/v1/cards/", {"person": member.member_code, "card_number": "DN-1", "issue_date": DAY}
    )
    card_id = issued.json()["id"]
    before = members_state()
    response = post(api(who), f"/api/v1/cards/{card_id}/status/", {"status": "lost"})
    if WRITE[who] != 200:
        assert_denied(response, WRITE[who], before)
        return
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "lost"
    assert UnionCard.objects.get(pk=card_id).status == "lost"
    assert last_actions(1) == ["card.status"]


def test_a_card_status_change_the_rules_refuse(api, member):
    client = api("officer")
    card_id = post(
        client, "/api/v1/cards/", {"person": member.member_code, "card_number": "DN-1", "issue_date": DAY}
    ).json()["id"]
    assert post(client, f"/api/v1/cards/{card_id}/status/", {"status": "revoked"}).status_code == 200
    before = members_state()
    error = assert_denied(post(client, f"/api/v1/cards/{card_id}/status/", {"status": "active"}), 400, before)
    assert error["fields"] == {"status": ["A card cannot go from Revoked to Active."]}


def test_cards_are_listed_only_with_their_holder(api, cast, member):
    other = register(cast.admin, cast.sibling_unit, "Phạm Văn Chiến")
    for person, number in ((member, "DN-1"), (other, "DN-2")):
        assert (
            post(
                api("admin"), "/api/v1/cards/", {"person": person.member_code, "card_number": number, "issue_date": DAY}
            ).status_code
            == 201
        )
    assert [r["card_number"] for r in api("officer").get("/api/v1/cards/").json()["results"]] == ["DN-1"]
    assert [r["card_number"] for r in api("sibling").get("/api/v1/cards/").json()["results"]] == ["DN-2"]
    assert api("outsider").get("/api/v1/cards/").json()["results"] == []
    card = UnionCard.objects.get(card_number="DN-2")
    assert api("officer").get(f"/api/v1/cards/{card.pk}/").status_code == 404


PRINT = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_card_pdf_matrix(api, member, who):
    body = {"person": member.member_code, "card_number": "DN-1", "issue_date": DAY}
    card_id = post(api("admin"), "/api/v1/cards/", body).json()["id"]
    before = members_state()
    response = api(who).get(f"/api/v1/cards/{card_id}/pdf/", {"language": "en"})
    if PRINT[who] != 200:
        assert_denied(response, PRINT[who], before)
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="card-DN-1.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.after["card_number"], entry.after["language"]) == ("card.printed", "DN-1", "en")


def test_only_an_active_card_is_printed(api, member):
    client = api("officer")
    body = {"person": member.member_code, "card_number": "DN-1", "issue_date": DAY}
    card_id = post(client, "/api/v1/cards/", body).json()["id"]
    assert post(client, f"/api/v1/cards/{card_id}/status/", {"status": "lost"}).status_code == 200
    before = members_state()
    error = assert_denied(client.get(f"/api/v1/cards/{card_id}/pdf/"), 400, before)
    assert error["code"] == "card_not_active"
    error = assert_denied(client.get(f"/api/v1/cards/{card_id}/pdf/", {"language": "xx"}), 400, before)
    assert error["fields"] == {"language": ['"xx" is not a valid choice.']}
