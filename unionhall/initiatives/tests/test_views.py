"""The initiative pages: permission matrix for every page and form, exact effects, nothing changed on a denial."""

import datetime as dt

import pytest
from django.test import Client

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.initiatives import services
from unionhall.initiatives.models import Initiative, InitiativeAttachment, InitiativeAuthor, InitiativeBenefit

from .files import PDF, upload
from .snapshots import initiatives_state
from .stories import TODAY, accepted, draft, people, recognised, submitted

ROLES = ("officer", "parent", "sibling", "outsider")
IN_SCOPE = {"officer": 200, "parent": 200, "sibling": 404, "outsider": 404}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def authors(cast):
    lan, binh = people(cast)
    return [(lan, "60"), (binh, "40")]


@pytest.fixture
def story(cast, authors):
    """One initiative in each state, in the cast's unit."""
    first = draft(cast, authors, title="Bản nháp")
    attachment = services.attachment_add(actor=cast.admin, initiative=first, file=upload(PDF, "ho-so.pdf"))
    done = recognised(cast, authors, number="SK-7", title="Đã công nhận")
    services.benefit_record(actor=cast.admin, initiative=done, year=2024, amount_vnd=100_000_000, today=TODAY)
    return {
        "draft": first,
        "attachment": attachment,
        "submitted": submitted(cast, authors, title="Đã nộp"),
        "accepted": accepted(cast, authors, title="Đã chấp nhận"),
        "recognised": done,
    }


def urls(story) -> dict[str, str]:
    d, s, a, r = (story[k].pk for k in ("draft", "submitted", "accepted", "recognised"))
    return {
        "detail": f"/initiatives/{r}/",
        "edit": f"/initiatives/{d}/edit/",
        "attachment": f"/initiatives/{d}/attachments/{story['attachment'].pk}/",
        "examine": f"/initiatives/{s}/examine/",
        "recognise": f"/initiatives/{a}/recognise/",
        "reject": f"/initiatives/{a}/reject/",
        "benefit": f"/initiatives/{r}/benefits/",
        "transfer": f"/initiatives/{r}/transfers/",
        "payment": f"/initiatives/{r}/payments/",
        "certificate": f"/initiatives/{r}/certificate.pdf?lang=en",
    }


@pytest.mark.parametrize(
    "page",
    ["detail", "edit", "attachment", "examine", "recognise", "reject", "benefit", "transfer", "payment", "certificate"],
)
def test_initiative_pages_matrix(cast, story, page):
    url = urls(story)[page]
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for role in ROLES:
        response = client_for(getattr(cast, role)).get(url)
        assert response.status_code == IN_SCOPE[role], (role, response.status_code)
    assert client_for(cast.admin).get(url).status_code == 200


def test_the_list_and_the_new_form_matrix(cast, story):
    for url in ("/initiatives/", "/initiatives/new/"):
        assert Client().get(url).status_code == 302
        for role in (*ROLES, "admin"):
            assert client_for(getattr(cast, role)).get(url).status_code == 200, (url, role)
    nobody = make_user("nobody")
    assert client_for(nobody).get("/initiatives/").status_code == 404
    assert client_for(nobody).get("/initiatives/new/").status_code == 404


def test_the_list_shows_only_what_the_actor_sees_with_overdue_flags(cast, story):
    page = client_for(cast.officer).get("/initiatives/")
    body = page.content.decode()
    for title in ("Bản nháp", "Đã nộp", "Đã chấp nhận", "Đã công nhận"):
        assert title in body
    # The request of June 2024 was never examined: a month later it was overdue.
    row = body.split(f'data-initiative="{story["submitted"].pk}"')[1].split("</tr>")[0]
    assert "uh-overdue" in row
    assert "Đã nộp" not in client_for(cast.sibling).get("/initiatives/").content.decode()
    overdue = client_for(cast.officer).get("/initiatives/?overdue=on").content.decode()
    assert "Đã nộp" in overdue and "Đã chấp nhận" in overdue
    recognised_only = client_for(cast.officer).get("/initiatives/?status=recognised").content.decode()
    assert "Đã công nhận" in recognised_only and "Đã nộp" not in recognised_only
    assert client_for(cast.sibling).get("/initiatives/?unit=DN-TB-001").status_code == 404


def test_create_with_authors(cast, authors):
    (lan, _), (binh, _) = authors
    response = client_for(cast.officer).post(
        "/initiatives/new/",
        {
            "unit": "dn-tb-001",
            "title": "Máy cắt tự động",
            "field": "technology_application",
            "first_applied_on": "01/03/2024",
            "estimated_benefit_vnd": "150.000.000",
            "authors": f"{lan.member_code}: 70\n{binh.member_code}: 30",
        },
    )
    initiative = Initiative.objects.get(title="Máy cắt tự động")
    assert response.status_code == 302
    assert response["Location"] == f"/initiatives/{initiative.pk}/"
    assert (initiative.unit_id, initiative.status, initiative.estimated_benefit_vnd) == (
        cast.unit.pk,
        "draft",
        150_000_000,
    )
    assert sorted(InitiativeAuthor.objects.filter(initiative=initiative).values_list("person_id", "share")) == sorted(
        [(lan.pk, 70), (binh.pk, 30)]
    )


def test_create_with_shares_not_summing_to_100_writes_nothing(cast, authors):
    (lan, _), (binh, _) = authors
    before = initiatives_state()
    response = client_for(cast.officer).post(
        "/initiatives/new/",
        {
            "unit": "DN-TB-001",
            "title": "Máy cắt tự động",
            "field": "technical",
            "first_applied_on": "01/03/2024",
            "authors": f"{lan.member_code}: 70; {binh.member_code}: 20",
        },
    )
    assert response.status_code == 200
    assert "The authors&#x27; shares add up to 90 %; they must add up to exactly 100 %." in response.content.decode()
    assert initiatives_state() == before


def test_create_in_another_unit_is_refused(cast, authors):
    (lan, _), _ = authors
    before = initiatives_state()
    response = client_for(cast.sibling).post(
        "/initiatives/new/",
        {
            "unit": "DN-TB-001",
            "title": "X",
            "field": "technical",
            "first_applied_on": "01/03/2024",
            "authors": f"{lan.member_code}: 100",
        },
    )
    assert response.status_code == 200
    assert "Unit DN-TB-001 was not found." in response.content.decode()
    assert initiatives_state() == before


def test_edit_then_submit(cast, story):
    initiative = story["draft"]
    lan = InitiativeAuthor.objects.filter(initiative=initiative).order_by("-share").first().person
    response = client_for(cast.officer).post(
        f"/initiatives/{initiative.pk}/edit/",
        {
            "title": "Bản nháp đã sửa",
            "field": "management",
            "first_applied_on": "01/03/2024",
            "estimated_benefit_vnd": "0",
            "authors": f"{lan.member_code}: 100",
            "version": initiative.version,
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.field) == ("Bản nháp đã sửa", "management")
    assert list(InitiativeAuthor.objects.filter(initiative=initiative).values_list("person_id", flat=True)) == [lan.pk]


def test_submit_too_late_shows_the_reason(cast, story):
    initiative = story["draft"]
    before = initiatives_state()
    response = client_for(cast.officer).post(f"/initiatives/{initiative.pk}/submit/", follow=True)
    # First applied on 1 March 2024: the request window closed on 1 March 2025.
    assert "it is too late" in response.content.decode()
    assert initiatives_state() == before


@pytest.mark.parametrize("role", ["sibling", "outsider"])
def test_actions_outside_the_scope_are_404_and_change_nothing(cast, story, role):
    client = client_for(getattr(cast, role))
    before = initiatives_state()
    d, s, a, r = (story[k].pk for k in ("draft", "submitted", "accepted", "recognised"))
    posts = [
        (f"/initiatives/{d}/submit/", {}),
        (f"/initiatives/{d}/attachments/", {"file": upload(PDF)}),
        (f"/initiatives/{d}/attachments/{story['attachment'].pk}/remove/", {}),
        (f"/initiatives/{s}/examine/", {"verdict": "accept", "day": "20/06/2024"}),
        (
            f"/initiatives/{a}/recognise/",
            {"level": "grassroots", "certificate_number": "X", "recognised_on": "10/09/2024"},
        ),
        (f"/initiatives/{a}/reject/", {"note": "Không", "day": "10/09/2024"}),
        (f"/initiatives/{r}/benefits/", {"year": "2024", "amount_vnd": "1"}),
        (f"/initiatives/{r}/transfers/", {"price_vnd": "1", "received_on": "10/10/2024"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert initiatives_state() == before


def test_an_officer_without_initiative_decide_cannot_examine(cast, story):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    before = initiatives_state()
    url = f"/initiatives/{story['submitted'].pk}/examine/"
    assert client_for(clerk).get(url).status_code == 404
    assert client_for(clerk).post(url, {"verdict": "accept", "day": "20/06/2024"}).status_code == 404
    assert initiatives_state() == before
    assert client_for(clerk).get(f"/initiatives/{story['submitted'].pk}/").status_code == 200


def test_examine_recognise_and_record(cast, story):
    client = client_for(cast.officer)
    submitted_one = story["submitted"]
    response = client.post(f"/initiatives/{submitted_one.pk}/examine/", {"verdict": "accept", "day": "20/06/2024"})
    assert response.status_code == 302
    submitted_one.refresh_from_db()
    assert (submitted_one.status, submitted_one.examined_on) == ("accepted", dt.date(2024, 6, 20))
    response = client.post(
        f"/initiatives/{submitted_one.pk}/recognise/",
        {"level": "provincial", "certificate_number": "SK-8", "recognised_on": "10/09/2024"},
    )
    assert response.status_code == 302
    submitted_one.refresh_from_db()
    assert (submitted_one.status, submitted_one.level, submitted_one.certificate_number) == (
        "recognised",
        "provincial",
        "SK-8",
    )
    response = client.post(
        f"/initiatives/{submitted_one.pk}/recognise/",
        {"level": "provincial", "certificate_number": "SK-8", "recognised_on": "10/09/2024"},
    )
    assert response.status_code == 200  # no longer accepted: the form shows why
    assert "This cannot be done to an initiative that is Recognised." in response.content.decode()
    response = client.post(f"/initiatives/{submitted_one.pk}/benefits/", {"year": "2024", "amount_vnd": "120.000.000"})
    assert response.status_code == 302
    assert InitiativeBenefit.objects.get(initiative=submitted_one).amount_vnd == 120_000_000


def test_a_duplicate_certificate_number_is_shown_on_the_form(cast, story):
    before = initiatives_state()
    response = client_for(cast.officer).post(
        f"/initiatives/{story['accepted'].pk}/recognise/",
        {"level": "grassroots", "certificate_number": "SK-7", "recognised_on": "10/09/2024"},
    )
    assert response.status_code == 200
    assert "Certificate number SK-7 is already used in unit DN-TB-001." in response.content.decode()
    assert initiatives_state() == before


@pytest.mark.parametrize(
    ("amount", "message"), [("-5", "The amount cannot be negative."), ("10000000000000000", "The amount is too large")]
)
def test_negative_or_overflowing_benefit_on_the_form(cast, story, amount, message):
    before = initiatives_state()
    response = client_for(cast.officer).post(
        f"/initiatives/{story['recognised'].pk}/benefits/", {"year": "2024", "amount_vnd": amount}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert initiatives_state() == before


def test_the_detail_shows_remuneration_due_and_paid(cast, story):
    initiative = story["recognised"]
    author = InitiativeAuthor.objects.get(initiative=initiative, share=60)
    response = client_for(cast.officer).post(
        f"/initiatives/{initiative.pk}/payments/",
        {"author": str(author.pk), "paid_for": "year:1", "amount_vnd": "4200000", "paid_on": "10/01/2025"},
    )
    assert response.status_code == 302
    body = client_for(cast.officer).get(f"/initiatives/{initiative.pk}/").content.decode()
    # 7 % of 100,000,000 VND: 4,200,000 for the 60 % author (paid), 2,800,000 for the 40 % one.
    assert 'id="uh-due-total">₫7,000,000<' in body
    assert 'id="uh-paid-total">₫4,200,000<' in body
    assert 'id="uh-outstanding-total">₫2,800,000<' in body


def test_certificate_download_and_attachment(cast, story):
    response = client_for(cast.officer).get(f"/initiatives/{story['recognised'].pk}/certificate.pdf?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="initiative.certificate").count() == 1
    response = client_for(cast.officer).get(f"/initiatives/{story['draft'].pk}/certificate.pdf", follow=True)
    assert "Only a recognised initiative has a certificate" in response.content.decode()
    download = client_for(cast.officer).get(urls(story)["attachment"])
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


def test_upload_an_attachment_of_a_wrong_type(cast, story):
    initiative = story["draft"]
    response = client_for(cast.officer).post(
        f"/initiatives/{initiative.pk}/attachments/", {"file": upload(b"<html></html>", "x.pdf")}, follow=True
    )
    assert "Only PDF, DOCX, XLSX, PNG and JPEG files can be attached" in response.content.decode()
    assert InitiativeAttachment.objects.filter(initiative=initiative).count() == 1
    client_for(cast.officer).post(f"/initiatives/{initiative.pk}/attachments/", {"file": upload(PDF, "b.pdf")})
    assert InitiativeAttachment.objects.filter(initiative=initiative).count() == 2


@pytest.mark.parametrize(
    ("state", "buttons", "absent"),
    [
        ("draft", ["uh-edit", "uh-submit-request", "uh-attach"], ["uh-examine", "uh-certificate"]),
        ("submitted", ["uh-examine", "uh-reject"], ["uh-edit", "uh-recognise"]),
        ("accepted", ["uh-recognise", "uh-reject"], ["uh-examine", "uh-edit"]),
        ("recognised", ["uh-certificate", "uh-benefit", "uh-transfer", "uh-payment"], ["uh-edit", "uh-reject"]),
    ],
)
def test_each_state_offers_its_next_steps(cast, story, state, buttons, absent):
    body = client_for(cast.officer).get(f"/initiatives/{story[state].pk}/").content.decode()
    for button in buttons:
        assert f'id="{button}"' in body, button
    for button in absent:
        assert f'id="{button}"' not in body, button
    # A reader without initiative.change sees the page but no buttons that write.
    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    read_only = client_for(viewer).get(f"/initiatives/{story[state].pk}/").content.decode()
    for button in (*buttons, *absent):
        if button != "uh-certificate":
            assert f'id="{button}"' not in read_only, button
