"""The activity pages: permission matrix, htmx check-in answers, forms and their effects; refusals change nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from unionhall.activities import services
from unionhall.activities.models import Activity, ActivityFile, Attendee

from .fixtures import create, kind, state

ROLES = ("officer", "parent", "sibling", "outsider", "admin")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix(url: str, expected: dict[str, int], cast) -> None:
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for role in ROLES:
        assert client_for(getattr(cast, role)).get(url).status_code == expected.get(role, 200), (role, url)


HIDDEN = {"sibling": 404, "outsider": 404}


@pytest.fixture
def joint(cast, world) -> Activity:
    activity = create(cast.officer, cast.unit, co_organisers=(world.police,), reference="05/KH")
    services.check_in_member(actor=cast.officer, activity=activity, member_code=world.member.member_code)
    services.file_attach(
        actor=cast.officer, activity=activity, upload=SimpleUploadedFile("a.png", PNG), kind="photo", caption="Ảnh"
    )
    return activity


def test_list_and_create_pages(cast, world, joint):
    matrix("/activities/", {}, cast)
    matrix("/activities/?kind=dissemination&date_from=01/03/2025&date_to=31/03/2025&text=luật", {}, cast)
    matrix("/activities/new/", {}, cast)
    page = client_for(cast.parent).get("/activities/").content.decode()
    assert f'data-activity="{joint.pk}"' in page
    assert f'data-activity="{joint.pk}"' not in client_for(cast.sibling).get("/activities/").content.decode()


@pytest.mark.parametrize(
    "query",
    ["cursor=garbage", "unit=NOPE", "unit=DN-TB-002", "date_from=99/99/2025", "movement=nope", "programme=nope-x"],
)
def test_bad_list_queries_are_shown_on_the_form(cast, world, query):
    assert client_for(cast.officer).get(f"/activities/?{query}").status_code == 200


def test_activity_pages_matrix(cast, world, joint):
    pk = joint.pk
    file_pk = ActivityFile.objects.get().pk
    matrix(f"/activities/{pk}/", HIDDEN, cast)
    matrix(f"/activities/{pk}/files/{file_pk}/", HIDDEN, cast)
    for page in ("edit/", "delete/", "files/new/", "checkin/", "checkin/list/"):
        matrix(f"/activities/{pk}/{page}", HIDDEN, cast)
    police = client_for(world.police_officer)
    assert police.get(f"/activities/{pk}/").status_code == 200
    assert police.get(f"/activities/{pk}/checkin/").status_code == 200
    assert police.get(f"/activities/{pk}/edit/").status_code == 404
    assert client_for(cast.admin).get("/activities/999999/").status_code == 404


def test_the_detail_page_shows_organisers_photos_and_the_roster(cast, world, joint):
    page = client_for(cast.officer).get(f"/activities/{joint.pk}/").content.decode()
    assert "DN-CA" in page and "Ảnh" in page and world.member.member_code in page
    assert 'data-category="member"' in page


def test_check_in_by_htmx_answers_with_one_line_never_an_error_page(cast, world, joint):
    client = client_for(cast.officer)
    url = f"/activities/{joint.pk}/checkin/"
    added = client.post(url, {"member_code": world.woman.member_code, "method": "qr"}, headers={"HX-Request": "true"})
    assert added.status_code == 200
    assert 'data-outcome="added"' in added.content.decode()
    assert f"Lê Thị Hoa ({world.woman.member_code}) checked in." in added.content.decode()
    assert Attendee.objects.get(person=world.woman).method == "qr"
    before = state()
    already = client.post(url, {"member_code": world.member.member_code}, headers={"HX-Request": "true"})
    assert 'data-outcome="already"' in already.content.decode()
    unknown = client.post(url, {"member_code": world.sibling_member.member_code}, headers={"HX-Request": "true"})
    assert unknown.status_code == 200
    assert 'data-outcome="unknown"' in unknown.content.decode()
    assert f"No member with code {world.sibling_member.member_code}." in unknown.content.decode()
    junk = client.post(url, {"member_code": "x" * 500, "method": "laser"}, headers={"HX-Request": "true"})
    assert junk.status_code == 200
    assert state() == before
    plain = client.post(url, {"member_code": "nope"})
    assert plain.status_code == 302


def test_check_in_refused_out_of_scope_is_404(cast, world, joint):
    before = state()
    response = client_for(cast.sibling).post(
        f"/activities/{joint.pk}/checkin/", {"member_code": world.woman.member_code}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert state() == before


def test_guest_and_tick_list(cast, world, joint):
    client = client_for(cast.officer)
    guest = client.post(
        f"/activities/{joint.pk}/checkin/guest/",
        {"name": "Đỗ Thị Mai", "category": "citizen", "gender": "female", "phone": ""},
        headers={"HX-Request": "true"},
    )
    assert 'data-outcome="added"' in guest.content.decode()
    before = state()
    bad = client.post(f"/activities/{joint.pk}/checkin/guest/", {"name": "", "category": "nope"})
    assert bad.status_code == 200 and 'data-outcome="error"' in bad.content.decode()
    assert state() == before
    listing = client.get(f"/activities/{joint.pk}/checkin/list/?unit=DN-TB-001-S1")
    assert f'data-person="{world.woman.pk}"' in listing.content.decode()
    ticked = client.post(
        f"/activities/{joint.pk}/checkin/list/?unit=DN-TB-001-S1", {"person": [str(world.woman.pk), "x", "99999999"]}
    )
    assert ticked.status_code == 200
    assert Attendee.objects.filter(person=world.woman).exists()
    assert client.get(f"/activities/{joint.pk}/checkin/list/?unit=KH").status_code == 200


def test_headcount_form_refuses_negative_numbers(cast, world):
    activity = create(cast.officer, cast.unit, attendance_mode="counted")
    client = client_for(cast.officer)
    before = state()
    response = client.post(f"/activities/{activity.pk}/participants/", {"worker_total": "-3", "worker_women": "0"})
    assert response.status_code == 200
    assert state() == before
    response = client.post(f"/activities/{activity.pk}/participants/", {"worker_total": "5", "worker_women": "9"})
    assert response.status_code == 200
    assert "The women (9) cannot outnumber the participants (5)." in response.content.decode()
    assert state() == before
    response = client.post(f"/activities/{activity.pk}/participants/", {"worker_total": "50", "worker_women": "20"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.participants, activity.women) == (50, 20)


def test_create_and_edit_forms(cast, world):
    client = client_for(cast.officer)
    data = {
        "unit": "DN-TB-001",
        "kind": kind("training").pk,
        "title": "Tập huấn an toàn",
        "starts_at": "10/03/2025",
        "starts_time": "08:00",
        "ends_time": "07:00",
        "status": "held",
        "attendance_mode": "roster",
        "co_organisers": "DN-CA",
        "speaker_0_name": "Nguyễn Văn An",
        "speaker_0_title": "Giảng viên",
    }
    before = state()
    refused = client.post("/activities/new/", data)
    assert refused.status_code == 200
    assert "The activity ends before it starts." in refused.content.decode()
    assert state() == before
    data["ends_time"] = "11:00"
    created = client.post("/activities/new/", data)
    assert created.status_code == 302
    activity = Activity.objects.get()
    assert created["Location"] == f"/activities/{activity.pk}/"
    assert (activity.title, activity.ends_at - activity.starts_at) == ("Tập huấn an toàn", dt.timedelta(hours=3))
    assert list(activity.speakers.values_list("name", "title")) == [("Nguyễn Văn An", "Giảng viên")]
    edit = client.get(f"/activities/{activity.pk}/edit/")
    assert edit.status_code == 200 and "DN-CA" in edit.content.decode()
    data.pop("unit")
    data.update({"title": "Tập huấn ATVSLĐ", "version": "1"})
    assert client.post(f"/activities/{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Tập huấn ATVSLĐ", 2)
    stale = client.post(f"/activities/{activity.pk}/edit/", data)
    assert stale.status_code == 200 and "Someone else changed this activity" in stale.content.decode()


def test_files_and_delete(cast, world):
    activity = create(cast.officer, cast.unit)
    client = client_for(cast.officer)
    before = state()
    bad = client.post(
        f"/activities/{activity.pk}/files/new/", {"kind": "photo", "file": SimpleUploadedFile("x.png", b"<html>")}
    )
    assert bad.status_code == 200
    assert state() == before
    good = client.post(
        f"/activities/{activity.pk}/files/new/", {"kind": "photo", "file": SimpleUploadedFile("x.png", PNG)}
    )
    assert good.status_code == 302
    found = ActivityFile.objects.get()
    shown = client.get(f"/activities/{activity.pk}/files/{found.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert client.post(f"/activities/{activity.pk}/files/{found.pk}/remove/").status_code == 302
    assert client.post(f"/activities/{activity.pk}/delete/", {"confirm": "on"}).status_code == 302
    assert not Activity.objects.exists()


def test_list_and_roster_pages_cost_the_same_queries_for_more_rows(cast, world, joint):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.officer)

    def queries(url: str) -> int:
        client.get(url)  # warm the per-user caches (grants) as a second request would have them
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    detail = f"/activities/{joint.pk}/"
    few = (queries("/activities/"), queries(detail))
    for n in range(8):
        create(cast.officer, cast.unit, co_organisers=(world.police,), reference=f"{n:02d}/TT")
    services.check_in_people(actor=cast.officer, activity=joint, people=[world.woman])
    services.check_in_guest(actor=cast.officer, activity=joint, name="Trần Thị Hoa", category="worker")
    assert (queries("/activities/"), queries(detail)) == few


def test_the_cameras_queue_of_scans_comes_back_one_line_each_newest_first(cast, world, joint):
    client = client_for(cast.officer)
    before = Attendee.objects.filter(activity=joint).count()
    response = client.post(
        f"/activities/{joint.pk}/checkin/batch/",
        {"codes": [world.woman.member_code, world.member.member_code, "12345"], "method": "qr"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    outcomes = [line.split('"')[0] for line in body.split('data-outcome="')[1:]]
    assert outcomes == ["unknown", "already", "added"]
    assert Attendee.objects.filter(activity=joint).count() == before + 1
    # Someone who may not check people in there sees nothing of the activity.
    assert client_for(cast.outsider).post(f"/activities/{joint.pk}/checkin/batch/", {"codes": ["x"]}).status_code == 404
    assert Attendee.objects.filter(activity=joint).count() == before + 1
