"""The initiatives endpoints of /api/v1/: the permission matrix (anonymous and the cast), exact bodies,
the workflow, and bad input answered in the error shape with nothing written."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import grant, make_user
from unionhall.api.tests.conftest import token_client
from unionhall.audit.models import AuditEntry
from unionhall.initiatives import services
from unionhall.initiatives.models import Initiative, InitiativeAuthor, InitiativeBenefit, RemunerationPayment

from .snapshots import initiatives_state
from .stories import FIRST_APPLIED, TODAY, accepted, draft, people, recognised, submitted

EVERYONE = [None, "officer", "parent", "sibling", "outsider", "admin"]
READ = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.fixture(name="api")
def api_fixture(cast):
    def client(who):
        return APIClient() if who is None else token_client(getattr(cast, who))

    return client


@pytest.fixture
def authors(cast):
    lan, binh = people(cast)
    return [(lan, "60"), (binh, "40")]


@pytest.fixture
def story(cast, authors):
    done = recognised(cast, authors, number="SK-7", title="Đã công nhận")
    services.benefit_record(actor=cast.admin, initiative=done, year=2024, amount_vnd=100_000_000, today=TODAY)
    services.transfer_record(
        actor=cast.admin, initiative=done, price_vnd=20_000_000, received_on=dt.date(2024, 12, 1), today=TODAY
    )
    return {
        "draft": draft(cast, authors, title="Bản nháp"),
        "submitted": submitted(cast, authors, title="Đã nộp"),
        "accepted": accepted(cast, authors, title="Đã chấp nhận"),
        "recognised": done,
    }


def assert_denied(response, status: int, before: dict) -> dict:
    assert response.status_code == status, response.content
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert initiatives_state() == before
    return response.json()["error"]


# ---------------------------------------------------------------- reads


@pytest.mark.parametrize("who", EVERYONE)
def test_list_matrix(api, cast, story, who):
    response = api(who).get("/api/v1/initiatives/")
    if who is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    titles = [row["title"] for row in response.json()["results"]]
    expected = {
        "officer": ["Đã chấp nhận", "Đã nộp", "Bản nháp", "Đã công nhận"],
        "parent": ["Đã chấp nhận", "Đã nộp", "Bản nháp", "Đã công nhận"],
        "admin": ["Đã chấp nhận", "Đã nộp", "Bản nháp", "Đã công nhận"],
        "sibling": [],
        "outsider": [],
    }[who]
    assert titles == expected


def test_list_rows_and_filters(api, story):
    body = api("officer").get("/api/v1/initiatives/?status=submitted").json()
    [row] = body["results"]
    assert row["title"] == "Đã nộp"
    assert (row["unit"], row["status"], row["requested_on"], row["overdue"]) == (
        "DN-TB-001",
        "submitted",
        "2024-06-03",
        True,
    )
    overdue = api("officer").get("/api/v1/initiatives/?overdue=true").json()["results"]
    assert {r["title"] for r in overdue} >= {"Đã nộp", "Đã chấp nhận"}
    paged = api("officer").get("/api/v1/initiatives/?page_size=2").json()
    assert len(paged["results"]) == 2 and "cursor=" in paged["next"]
    rest = APIClient().get(paged["next"])
    assert rest.status_code == 401
    second = api("officer").get(paged["next"]).json()
    assert [r["title"] for r in second["results"]] == ["Bản nháp", "Đã công nhận"]
    # A unit outside the reader's scope is a bad filter, exactly like one that does not exist.
    for who, code in (("officer", "DN-TB-002"), ("sibling", "DN-TB-001"), ("officer", "NOPE")):
        bad = api(who).get(f"/api/v1/initiatives/?unit={code}")
        assert bad.status_code == 400
        assert bad.json()["error"]["fields"] == {"unit": [f"Unit {code} was not found."]}


@pytest.mark.parametrize("who", EVERYONE)
def test_detail_matrix(api, story, who):
    initiative = story["recognised"]
    before = initiatives_state()
    response = api(who).get(f"/api/v1/initiatives/{initiative.pk}/")
    if READ[who] != 200:
        error = assert_denied(response, READ[who], before)
        assert error["code"] == ("not_authenticated" if who is None else "not_found")
        return
    body = response.json()
    assert (body["title"], body["status"], body["level"], body["certificate_number"]) == (
        "Đã công nhận",
        "recognised",
        "grassroots",
        "SK-7",
    )
    assert [(a["share"], a["full_name"]) for a in body["authors"]] == [
        ("60.00", "Nguyễn Thị Lan"),
        ("40.00", "Trần Văn Bình"),
    ]
    assert [(s["code"], s["done"]) for s in body["steps"]] == [
        ("request", "2024-06-03"),
        ("examine", "2024-06-20"),
        ("decide", "2024-09-10"),
    ]
    assert [(b["year"], b["year_index"], b["amount_vnd"]) for b in body["benefits"]] == [(2024, 1, 100_000_000)]
    remuneration = body["remuneration"]
    # 7 % of 100,000,000 and 15 % of 20,000,000, split 60/40.
    assert (remuneration["due_vnd"], remuneration["paid_vnd"], remuneration["outstanding_vnd"]) == (
        10_000_000,
        0,
        10_000_000,
    )
    assert [(d["year_index"], d["due_vnd"], d["due_on"]) for d in remuneration["dues"]] == [
        (1, 4_200_000, "2025-01-31"),
        (1, 2_800_000, "2025-01-31"),
        (None, 1_800_000, "2025-01-01"),
        (None, 1_200_000, "2025-01-01"),
    ]
    assert initiatives_state() == before


@pytest.mark.parametrize("who", EVERYONE)
def test_certificate_matrix(api, story, who):
    response = api(who).get(f"/api/v1/initiatives/{story['recognised'].pk}/certificate/?language=en")
    assert response.status_code == READ[who]
    if READ[who] == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert AuditEntry.objects.filter(action="initiative.certificate").count() == 1
    else:
        assert not AuditEntry.objects.filter(action="initiative.certificate").exists()


def test_a_draft_has_no_certificate(api, story):
    response = api("officer").get(f"/api/v1/initiatives/{story['draft'].pk}/certificate/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_recognised"


@pytest.mark.parametrize("collection", ["initiative-benefits", "initiative-transfers", "initiative-payments"])
@pytest.mark.parametrize("who", EVERYONE)
def test_child_lists_matrix(api, cast, story, collection, who):
    initiative = story["recognised"]
    author = InitiativeAuthor.objects.get(initiative=initiative, share=60)
    services.remuneration_pay(actor=cast.admin, author=author, year_index=1, amount_vnd=1, paid_on=TODAY, today=TODAY)
    response = api(who).get(f"/api/v1/{collection}/?initiative={initiative.pk}")
    if who is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    count = len(response.json()["results"])
    assert count == (1 if who in ("officer", "parent", "admin") else 0)


# ---------------------------------------------------------------- writes


def create_body(authors, **extra) -> dict:
    (lan, _), (binh, _) = authors
    body = {
        "unit": "DN-TB-001",
        "title": "Máy cắt tự động",
        "field": "technical",
        "first_applied_on": "2024-03-01",
        "estimated_benefit_vnd": 150_000_000,
        "authors": [{"member_code": lan.member_code, "share": "70"}, {"member_code": binh.member_code, "share": "30"}],
    }
    body.update(extra)
    return body


CREATE = {None: 401, "officer": 201, "parent": 201, "sibling": 400, "outsider": 400, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_create_matrix(api, cast, authors, who):
    before = initiatives_state()
    response = api(who).post("/api/v1/initiatives/", create_body(authors), format="json")
    if CREATE[who] != 201:
        error = assert_denied(response, CREATE[who], before)
        if who is not None:
            assert error["fields"]["unit"] == ["Unit DN-TB-001 was not found."]
        return
    assert response.status_code == 201, response.content
    body = response.json()
    initiative = Initiative.objects.get(pk=body["id"])
    assert response["Location"].endswith(f"/api/v1/initiatives/{initiative.pk}/")
    assert (body["status"], body["version"], body["estimated_benefit_vnd"]) == ("draft", 2, 150_000_000)
    assert [a["share"] for a in body["authors"]] == ["70.00", "30.00"]
    assert initiative.first_applied_on == FIRST_APPLIED


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        (
            {"authors": "shares"},
            400,
            "authors",
            "The authors' shares add up to 90 %; they must add up to exactly 100 %.",
        ),
        ({"estimated_benefit_vnd": -1}, 400, "estimated_benefit_vnd", "The amount cannot be negative."),
        (
            {"estimated_benefit_vnd": 10**15 + 1},
            400,
            "estimated_benefit_vnd",
            "The amount is too large: at most 1,000,000,000,000,000 VND.",
        ),
        ({"estimated_benefit_vnd": 10**40}, 400, "estimated_benefit_vnd", None),
        ({"first_applied_on": "2999-01-01"}, 400, "first_applied_on", "The date cannot be in the future."),
        ({"status": "recognised"}, 400, "status", "This field is not accepted here."),
        ({"authors": "unknown"}, 400, "authors", "No member with code 00000000000 was found."),
    ],
)
def test_bad_input_on_create(api, authors, changes, status, field, message):
    body = create_body(authors)
    if changes.get("authors") == "shares":
        body["authors"][1]["share"] = "20"
    elif changes.get("authors") == "unknown":
        body["authors"] = [{"member_code": "00000000000", "share": "100"}]
    else:
        body.update(changes)
    before = initiatives_state()
    error = assert_denied(api("officer").post("/api/v1/initiatives/", body, format="json"), status, before)
    assert field in error["fields"], error
    if message is not None:
        assert error["fields"][field] == [message]


def test_patch_with_version(api, story):
    initiative = story["draft"]
    response = api("officer").patch(
        f"/api/v1/initiatives/{initiative.pk}/", {"version": initiative.version, "title": "Đổi tên"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Đổi tên"
    before = initiatives_state()
    stale = api("officer").patch(
        f"/api/v1/initiatives/{initiative.pk}/", {"version": initiative.version, "title": "Lần nữa"}, format="json"
    )
    assert assert_denied(stale, 409, before)["code"] == "stale"


def test_the_workflow_over_the_api(api, cast, authors):
    client = api("officer")
    recently = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    created = client.post("/api/v1/initiatives/", create_body(authors, first_applied_on=recently), format="json").json()
    url = f"/api/v1/initiatives/{created['id']}"
    submitted_ = client.post(f"{url}/submit/", {}, format="json")
    assert submitted_.status_code == 200, submitted_.content
    assert submitted_.json()["status"] == "submitted"
    examined = client.post(f"{url}/examine/", {"verdict": "accept"}, format="json")
    assert examined.json()["status"] == "accepted"
    recognised_ = client.post(
        f"{url}/recognise/",
        {"level": "national", "certificate_number": "QG-1", "recognised_on": examined.json()["examined_on"]},
        format="json",
    )
    assert recognised_.status_code == 200, recognised_.content
    assert (recognised_.json()["status"], recognised_.json()["level"]) == ("recognised", "national")


def test_too_late_a_request_is_a_400(api, story):
    initiative = story["draft"]  # first applied on 1 March 2024
    before = initiatives_state()
    error = assert_denied(
        api("officer").post(f"/api/v1/initiatives/{initiative.pk}/submit/", {}, format="json"), 400, before
    )
    assert error["code"] == "request_too_late"
    assert "first_applied_on" in error["fields"]


ACT = {None: 401, "officer": 200, "parent": 200, "sibling": 404, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("who", EVERYONE)
def test_examine_matrix(api, story, who):
    initiative = story["submitted"]
    before = initiatives_state()
    response = api(who).post(
        f"/api/v1/initiatives/{initiative.pk}/examine/",
        {"verdict": "amend", "note": "Bổ sung", "date": "2024-06-20"},
        format="json",
    )
    if ACT[who] != 200:
        assert_denied(response, ACT[who], before)
        return
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["amendment_note"]) == ("needs_amendment", "Bổ sung")


def test_examine_needs_initiative_decide(api, cast, story):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    before = initiatives_state()
    response = token_client(clerk).post(
        f"/api/v1/initiatives/{story['submitted'].pk}/examine/", {"verdict": "accept"}, format="json"
    )
    assert_denied(response, 404, before)
    assert token_client(clerk).get(f"/api/v1/initiatives/{story['submitted'].pk}/").status_code == 200


def test_an_examination_before_the_request_names_the_date_field(api, story):
    before = initiatives_state()
    response = api("officer").post(
        f"/api/v1/initiatives/{story['submitted'].pk}/examine/",
        {"verdict": "accept", "date": "2024-06-01"},
        format="json",
    )
    error = assert_denied(response, 400, before)
    assert (error["code"], list(error["fields"])) == ("date_order", ["date"])


@pytest.mark.parametrize("who", EVERYONE)
def test_recognise_and_reject_matrix(api, story, who):
    initiative = story["accepted"]
    before = initiatives_state()
    response = api(who).post(
        f"/api/v1/initiatives/{initiative.pk}/reject/", {"note": "Không mới", "date": "2024-07-01"}, format="json"
    )
    if ACT[who] != 200:
        assert_denied(response, ACT[who], before)
        return
    assert response.json()["status"] == "rejected"


def test_a_duplicate_certificate_is_a_409(api, story):
    before = initiatives_state()
    response = api("officer").post(
        f"/api/v1/initiatives/{story['accepted'].pk}/recognise/",
        {"level": "grassroots", "certificate_number": "SK-7", "recognised_on": "2024-09-10"},
        format="json",
    )
    error = assert_denied(response, 409, before)
    assert error["fields"] == {"certificate_number": ["Certificate number SK-7 is already used in unit DN-TB-001."]}


BENEFIT = {None: 401, "officer": 201, "parent": 201, "sibling": 400, "outsider": 400, "admin": 201}


@pytest.mark.parametrize("who", EVERYONE)
def test_benefit_matrix(api, story, who):
    initiative = story["recognised"]
    before = initiatives_state()
    response = api(who).post(
        "/api/v1/initiative-benefits/",
        {"initiative": initiative.pk, "year": 2025, "amount_vnd": 50_000_000},
        format="json",
    )
    if BENEFIT[who] != 201:
        error = assert_denied(response, BENEFIT[who], before)
        if who is not None:
            assert error["fields"] == {"initiative": [f"Initiative {initiative.pk} was not found."]}
        return
    assert response.status_code == 201, response.content
    assert (response.json()["year"], response.json()["year_index"], response.json()["amount_vnd"]) == (
        2025,
        2,
        50_000_000,
    )


@pytest.mark.parametrize(
    ("year", "amount", "field", "code"),
    [
        (2023, 1, "year", "date_order"),
        (2024, -1, "amount_vnd", "negative_amount"),
        (2024, 10**15 + 1, "amount_vnd", "amount_too_large"),
    ],
)
def test_bad_benefits(api, story, year, amount, field, code):
    before = initiatives_state()
    response = api("officer").post(
        "/api/v1/initiative-benefits/",
        {"initiative": story["recognised"].pk, "year": year, "amount_vnd": amount},
        format="json",
    )
    error = assert_denied(response, 400, before)
    assert (error["code"], list(error["fields"])) == (code, [field])


def test_transfers_and_payments(api, story):
    initiative = story["recognised"]
    lan = InitiativeAuthor.objects.get(initiative=initiative, share=60).person
    client = api("officer")
    transfer = client.post(
        "/api/v1/initiative-transfers/",
        {"initiative": initiative.pk, "price_vnd": 10_000_000, "received_on": "2024-12-20", "transferee": "Công ty A"},
        format="json",
    )
    assert transfer.status_code == 201, transfer.content
    payment = client.post(
        "/api/v1/initiative-payments/",
        {
            "initiative": initiative.pk,
            "member_code": lan.member_code,
            "transfer": transfer.json()["id"],
            "amount_vnd": 900_000,
            "paid_on": "2025-01-05",
        },
        format="json",
    )
    assert payment.status_code == 201, payment.content
    assert (payment.json()["member_code"], payment.json()["transfer"], payment.json()["amount_vnd"]) == (
        lan.member_code,
        transfer.json()["id"],
        900_000,
    )
    before = initiatives_state()
    for body, field in (
        ({"member_code": "00000000000", "year_index": 1, "amount_vnd": 1, "paid_on": "2025-01-05"}, "member_code"),
        ({"member_code": lan.member_code, "year_index": 1, "amount_vnd": 0, "paid_on": "2025-01-05"}, "amount_vnd"),
        ({"member_code": lan.member_code, "year_index": 1, "amount_vnd": 1, "paid_on": "2024-01-05"}, "paid_on"),
        ({"member_code": lan.member_code, "amount_vnd": 1, "paid_on": "2025-01-05"}, "year_index"),
    ):
        response = client.post("/api/v1/initiative-payments/", {"initiative": initiative.pk, **body}, format="json")
        error = assert_denied(response, 400, before)
        assert field in error["fields"], error
    assert RemunerationPayment.objects.count() == 1
    assert InitiativeBenefit.objects.count() == 1
