"""The member pages: permission matrix for every page and form, exact effects, nothing changed on a denial."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.members import services
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard

from .people import CANARY_ID, TODAY, cccd, fresh, register
from .snapshots import members_state

DAY = dt.date(2024, 6, 1)
ROLES = ("officer", "parent", "sibling", "outsider")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def de(cast) -> Person:
    """Nguyễn Văn Đệ, a member of the cast's unit, with a CCCD, a union position and a card."""
    person = register(cast.admin, cast.unit, "Nguyễn Văn Đệ", id_kind="cccd", national_id=CANARY_ID)
    membership = person.memberships.get()
    services.officer_appoint(
        actor=cast.admin, membership=membership, position="vice_chair", term_start=DAY, today=TODAY
    )
    services.card_issue(actor=cast.admin, person=person, card_number="C-0001", issue_date=DAY, today=TODAY)
    return person


def urls(person: Person) -> dict[str, str]:
    code = person.member_code
    membership = person.memberships.get()
    term = OfficerTerm.objects.get(membership=membership)
    card = UnionCard.objects.get(person=person)
    base = f"/members/{code}"
    return {
        "detail": f"{base}/",
        "edit": f"{base}/edit/",
        "join": f"{base}/join/",
        "transfer": f"{base}/memberships/{membership.pk}/transfer/",
        "end": f"{base}/memberships/{membership.pk}/end/",
        "suspend": f"{base}/memberships/{membership.pk}/suspend/",
        "resume": f"{base}/memberships/{membership.pk}/resume/",
        "appoint": f"{base}/memberships/{membership.pk}/appoint/",
        "officer_end": f"{base}/terms/{term.pk}/end/",
        "card_issue": f"{base}/cards/new/",
        "card_status": f"{base}/cards/{card.pk}/status/",
    }


# ---------------------------------------------------------------- the matrix


@pytest.mark.parametrize(
    "page",
    [
        "detail",
        "edit",
        "join",
        "transfer",
        "end",
        "suspend",
        "resume",
        "appoint",
        "officer_end",
        "card_issue",
        "card_status",
    ],
)
def test_person_pages_matrix(cast, de, page):
    url = urls(de)[page]
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    expected = {"officer": 200, "parent": 200, "sibling": 404, "outsider": 404}
    for role in ROLES:
        assert client_for(getattr(cast, role)).get(url).status_code == expected[role], role


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/members/?unit=DN-TB-001", {"officer": 200, "parent": 200, "sibling": 404, "outsider": 404}),
        ("/members/", {"officer": 200, "parent": 200, "sibling": 200, "outsider": 200}),
        ("/members/search/?q=nguyen", {"officer": 200, "parent": 200, "sibling": 200, "outsider": 200}),
        ("/members/new/", {"officer": 200, "parent": 200, "sibling": 200, "outsider": 200}),
    ],
)
def test_unit_pages_matrix(cast, de, url, expected):
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for role in ROLES:
        assert client_for(getattr(cast, role)).get(url).status_code == expected[role], role


def test_a_former_unit_reads_the_history_without_the_new_unit(cast, de):
    services.membership_transfer(
        actor=cast.admin, membership=de.memberships.get(), new_unit=cast.sibling_unit, day=DAY, today=TODAY
    )
    page = client_for(cast.officer).get(f"/members/{de.member_code}/")
    assert page.status_code == 200
    assert [row["m"].unit for row in page.context["memberships"]] == [cast.unit]
    assert page.context["can_change"] is False
    assert "Hòa Phát" not in page.content.decode()
    assert client_for(cast.sibling).get(f"/members/{de.member_code}/").context["can_change"] is True


def test_viewer_sees_the_person_but_no_form(cast, de):
    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    client = client_for(viewer)
    page = client.get(urls(de)["detail"])
    assert page.status_code == 200
    assert page.context["can_change"] is False
    assert b"uh-edit" not in page.content
    before = members_state()
    for name in ("edit", "transfer", "end", "appoint", "card_issue", "card_status", "officer_end"):
        assert client.get(urls(de)[name]).status_code == 404, name
        assert client.post(urls(de)[name], {"full_name": "X"}).status_code == 404, name
    assert client.get("/members/new/").status_code == 404
    assert members_state() == before


def test_nobody_without_member_view_has_no_members_page_nor_nav(cast):
    nobody = make_user("nobody")
    client = client_for(nobody)
    assert client.get("/members/").status_code == 404
    assert b"uh-nav-members" not in client.get("/units/").content
    assert b"uh-member-search" not in client.get("/units/").content
    page = client_for(cast.officer).get("/units/").content
    assert b'id="uh-nav-members"' in page and b'id="uh-member-search"' in page


def test_the_list_starts_at_the_actors_top_unit(cast, de):
    assert client_for(cast.officer).get("/members/").context["unit"] == cast.unit
    assert client_for(cast.parent).get("/members/").context["unit"] == cast.commune
    assert client_for(cast.admin).get("/members/").context["unit"] == cast.root


# ---------------------------------------------------------------- forms: exact effects


def _post(client: Client, url: str, data: dict):
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def test_create_registers_the_person_with_native_digit_dates(cast):
    number = cccd(year=1992, female=True, tail="654321")
    response = _post(
        client_for(cast.officer),
        "/members/new/",
        {
            "unit": "dn-tb-001-s1",
            "join_date": "01/02/2024",
            "full_name": "  Trần Thị Bích ",
            "gender": "female",
            "date_of_birth": "۱۷/۰۵/۱۹۹۲",
            "id_kind": "cccd",
            "national_id": number,
            "phone": "0912 345 678",
            "ethnicity": "Kinh",
            "employer": "",
        },
    )
    person = Person.objects.get()
    assert response["Location"] == f"/members/{person.member_code}/"
    assert (person.full_name, person.gender, person.date_of_birth, person.phone, person.ethnicity) == (
        "Trần Thị Bích",
        "female",
        dt.date(1992, 5, 17),
        "0912345678",
        "Kinh",
    )
    assert person.national_id_hint == "321"
    assert number not in response["Location"]
    membership = person.memberships.get()
    assert (membership.unit, membership.join_date, membership.status) == (cast.section, dt.date(2024, 2, 1), "active")
    assert AuditEntry.objects.filter(action="member.create").count() == 2


def test_edit_saves_and_a_stale_version_is_refused(cast, de):
    client = client_for(cast.officer)
    data = {"full_name": "Nguyễn Văn Đệ Nhất", "gender": "male", "date_of_birth": "17/05/1990", "version": de.version}
    _post(client, urls(de)["edit"], {**data, "id_kind": "cccd"})
    de.refresh_from_db()
    assert (de.full_name, de.version, de.national_id_hint) == ("Nguyễn Văn Đệ Nhất", 2, "457")
    before = members_state()
    stale = client.post(urls(de)["edit"], {**data, "full_name": "Người khác", "version": 1})
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors() == [
        "Someone else changed this person meanwhile. Reload the page and try again."
    ]
    assert members_state() == before


def test_edit_form_never_echoes_the_national_id(cast, de):
    client = client_for(cast.officer)
    page = client.get(urls(de)["edit"])
    assert CANARY_ID.encode() not in page.content
    refused = client.post(
        urls(de)["edit"],
        {"full_name": "", "gender": "male", "id_kind": "cccd", "national_id": CANARY_ID, "version": de.version},
    )
    assert refused.status_code == 200
    assert CANARY_ID.encode() not in refused.content


def test_transfer_end_and_join(cast, de):
    client = client_for(cast.officer)
    old = de.memberships.get()
    links = urls(de)
    _post(client, links["transfer"], {"new_unit": "DN-TB-001-S1", "day": "01/07/2024"})
    old.refresh_from_db()
    new = Membership.objects.get(person=de, status="active")
    assert (old.status, old.end_reason, old.end_date) == ("ended", "transferred", dt.date(2024, 7, 1))
    assert (new.unit, new.join_date) == (cast.section, dt.date(2024, 7, 1))
    assert OfficerTerm.objects.get().term_end == dt.date(2024, 7, 1)

    end_url = f"/members/{de.member_code}/memberships/{new.pk}/end/"
    _post(client, end_url, {"reason": "resigned", "end_date": "2024-08-01"})
    new.refresh_from_db()
    assert (new.status, new.end_reason, new.end_date) == ("ended", "resigned", dt.date(2024, 8, 1))

    _post(client, links["join"], {"unit": "DN-TB-001", "join_date": "02/09/2024"})
    rejoined = Membership.objects.get(person=de, status="active")
    assert (rejoined.unit, rejoined.join_date) == (cast.unit, dt.date(2024, 9, 2))


def test_end_offers_only_the_reasons_given_by_hand(cast, de):
    client = client_for(cast.officer)
    choices = [value for value, _label in client.get(urls(de)["end"]).context["form"].fields["reason"].choices]
    assert choices == ["", "left_job", "expelled", "deceased", "resigned"]
    before = members_state()
    refused = client.post(urls(de)["end"], {"reason": "transferred", "end_date": "01/08/2024"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    assert members_state() == before


def test_suspend_and_resume(cast, de):
    client = client_for(cast.officer)
    _post(client, urls(de)["suspend"], {"day": "01/07/2024", "reason": "Không đóng đoàn phí 6 tháng"})
    membership = de.memberships.get()
    assert (membership.status, membership.suspended_on, membership.suspension_reason) == (
        "suspended",
        dt.date(2024, 7, 1),
        "Không đóng đoàn phí 6 tháng",
    )
    _post(client, urls(de)["resume"], {"day": "01/09/2024"})
    membership.refresh_from_db()
    assert (membership.status, membership.suspended_on, membership.suspension_reason) == ("active", None, "")


def test_appoint_and_end_a_term(cast, de):
    client = client_for(cast.officer)
    links = urls(de)
    _post(client, links["appoint"], {"position": "chair", "term_start": "01/07/2024", "full_time": "on"})
    chair = OfficerTerm.objects.get(position="chair")
    assert (chair.full_time, chair.term_start, chair.term_end) == (True, dt.date(2024, 7, 1), None)
    _post(client, links["officer_end"], {"term_end": "31/12/2024"})
    assert OfficerTerm.objects.get(position="vice_chair").term_end == dt.date(2024, 12, 31)


def test_issue_a_card_and_change_its_status(cast, de):
    client = client_for(cast.officer)
    before = members_state()
    refused = client.post(
        urls(de)["card_issue"], {"card_number": "C-0002", "card_type": "plain", "issue_date": "01/07/2024"}
    )
    assert refused.context["form"].non_field_errors() == [
        "This member already has an active card: replace it or change its status first."
    ]
    assert members_state() == before
    _post(
        client,
        urls(de)["card_issue"],
        {"card_number": "c-0002", "card_type": "linked", "issue_date": "01/07/2024", "replace": "on"},
    )
    assert dict(UnionCard.objects.values_list("card_number", "status")) == {"C-0001": "replaced", "C-0002": "active"}
    new = UnionCard.objects.get(card_number="C-0002")
    _post(client, f"/members/{de.member_code}/cards/{new.pk}/status/", {"status": "lost"})
    new.refresh_from_db()
    assert new.status == "lost"


POSTS = {
    "edit": {"full_name": "Kẻ lạ", "gender": "male", "version": 1},
    "join": {"unit": "DN-TB-002", "join_date": "01/07/2024"},
    "transfer": {"new_unit": "DN-TB-002", "day": "01/07/2024"},
    "end": {"reason": "resigned", "end_date": "01/07/2024"},
    "suspend": {"day": "01/07/2024", "reason": "Lý do"},
    "resume": {"day": "01/07/2024"},
    "appoint": {"position": "chair", "term_start": "01/07/2024"},
    "officer_end": {"term_end": "01/07/2024"},
    "card_issue": {"card_number": "C-9999", "card_type": "plain", "issue_date": "01/07/2024", "replace": "on"},
    "card_status": {"status": "lost"},
}


@pytest.mark.parametrize("page", sorted(POSTS))
@pytest.mark.parametrize("role", ["sibling", "outsider"])
def test_posts_out_of_scope_are_404_and_change_nothing(cast, de, page, role):
    target = urls(de)[page]
    before = members_state()
    assert client_for(getattr(cast, role)).post(target, POSTS[page]).status_code == 404
    assert members_state() == before


def test_create_out_of_scope_unit_is_a_field_error(cast):
    before = members_state()
    response = client_for(cast.sibling).post(
        "/members/new/", {"unit": "DN-TB-001", "join_date": "01/07/2024", "full_name": "A", "gender": "male"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["Unit DN-TB-001 was not found."]
    assert members_state() == before


def test_bad_dates_are_clear_field_errors(cast, de):
    client = client_for(cast.officer)
    before = members_state()
    for day, message in (
        ("31/02/2024", "This date does not exist."),
        ("2024/13/01", "Enter a date as dd/mm/yyyy, e.g. 25/11/2026."),
        ((timezone.localdate() + dt.timedelta(days=2)).strftime("%d/%m/%Y"), "The date cannot be in the future."),
    ):
        response = client.post(urls(de)["appoint"], {"position": "chair", "term_start": day})
        assert response.status_code == 200
        assert response.context["form"].errors["term_start"] == [message], day
    assert members_state() == before


def test_errors_are_shown_in_the_users_language(cast, de):
    officer = fresh(cast.officer)
    officer.language = "vi"
    officer.save()
    future = (timezone.localdate() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    response = client_for(officer).post(urls(de)["appoint"], {"position": "chair", "term_start": future})
    with translation.override("vi"):
        expected = str(services._("The date cannot be in the future."))
    assert expected != "The date cannot be in the future."
    assert response.context["form"].errors["term_start"] == [expected]


# ---------------------------------------------------------------- national ID and sensitive fields


def test_reveal_shows_the_number_once_and_logs_exactly_one_entry(cast, de):
    client = client_for(cast.officer)
    page = client.get(urls(de)["detail"])
    assert CANARY_ID.encode() not in page.content
    assert b"*********457" in page.content
    assert b'id="uh-reveal"' in page.content
    logged = AuditEntry.objects.count()
    response = client.post(f"/members/{de.member_code}/national-id/", {"purpose": "Xác minh hồ sơ"})
    assert response.status_code == 200
    assert CANARY_ID.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.count() == logged + 1
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.after) == (
        "member.national_id_viewed",
        {"id_kind": "cccd", "purpose": "Xác minh hồ sơ"},
    )
    assert CANARY_ID not in str(entry.after)
    assert client.get(f"/members/{de.member_code}/national-id/").status_code == 405


def test_no_number_for_those_without_the_permission(cast, de):
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")  # member.change, but not member.view_national_id
    client = client_for(clerk)
    page = client.get(urls(de)["detail"])
    assert page.status_code == 200
    assert b'id="uh-reveal"' not in page.content
    assert CANARY_ID.encode() not in page.content
    assert page.context["sensitive"] is None
    logged = AuditEntry.objects.count()
    refused = client.post(f"/members/{de.member_code}/national-id/", {"purpose": "x"})
    assert refused.status_code == 403
    assert CANARY_ID.encode() not in refused.content
    for role in ("sibling", "outsider"):
        response = client_for(getattr(cast, role)).post(f"/members/{de.member_code}/national-id/")
        assert response.status_code == 404
        assert CANARY_ID.encode() not in response.content
    assert AuditEntry.objects.count() == logged


def test_sensitive_fields_only_for_those_who_may_see_them(cast):
    person = register(cast.admin, cast.unit, "Y Ban", ethnicity="Ê Đê", religion="Tin Lành")
    page = client_for(cast.officer).get(f"/members/{person.member_code}/")
    assert page.context["sensitive"] == {"ethnicity": "Ê Đê", "religion": "Tin Lành"}
    assert "Ê Đê" in page.content.decode()
    clerk = make_user("clerk")
    grant(clerk, cast.unit, role="officer")
    page = client_for(clerk).get(f"/members/{person.member_code}/")
    assert "Ê Đê" not in page.content.decode() and "Tin Lành" not in page.content.decode()
    edit = client_for(clerk).get(f"/members/{person.member_code}/edit/")
    assert "ethnicity" not in edit.context["form"].fields


def test_print_card(cast, de):
    card = UnionCard.objects.get(person=de)
    url = f"/members/{de.member_code}/cards/{card.pk}/card.pdf"
    assert Client().get(url).status_code == 302
    before = members_state()
    for role in ("sibling", "outsider"):
        assert client_for(getattr(cast, role)).get(url).status_code == 404
    assert client_for(cast.officer).get(f"/members/{de.member_code}/cards/{card.pk + 99}/card.pdf").status_code == 404
    assert members_state() == before
    response = client_for(cast.officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="card.printed").count() == 1
    services.card_status_change(actor=cast.admin, card=card, status="lost")
    refused = client_for(cast.officer).get(url)
    assert refused.status_code == 302
    assert refused["Location"] == f"/members/{de.member_code}/"
    assert AuditEntry.objects.filter(action="card.printed").count() == 1


# ---------------------------------------------------------------- list, filters, keyset pages, search


@pytest.fixture
def roster(cast):
    """Six people of the unit and its section with known attributes, one ended, one in the sibling unit."""
    a = register(cast.admin, cast.unit, "An Văn A", join_date=dt.date(2020, 5, 1))
    b = register(cast.admin, cast.unit, "Bùi Thị B", gender="female", join_date=dt.date(2021, 5, 1))
    c = register(cast.admin, cast.section, "Cao Văn C", join_date=dt.date(2021, 6, 1))
    d = register(cast.admin, cast.section, "Đỗ Thị D", gender="female", join_date=dt.date(2022, 1, 1))
    e = register(cast.admin, cast.unit, "Lê Văn E", join_date=dt.date(2022, 2, 1))
    register(cast.admin, cast.sibling_unit, "Ngô Văn S")
    services.officer_appoint(
        actor=cast.admin, membership=a.memberships.get(), position="chair", term_start=DAY, today=TODAY
    )
    services.card_issue(actor=cast.admin, person=b, card_number="C-B", issue_date=DAY, today=TODAY)
    services.membership_end(actor=cast.admin, membership=e.memberships.get(), reason="left_job", day=DAY, today=TODAY)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def listed(client: Client, query: str) -> list[str]:
    response = client.get(f"/members/?{query}")
    assert response.status_code == 200
    return [row["m"].person.full_name for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unit=DN-TB-001", ["An Văn A", "Bùi Thị B", "Cao Văn C", "Đỗ Thị D"]),
        ("unit=DN-TB-001&subtree=0", ["An Văn A", "Bùi Thị B"]),
        ("unit=DN-TB-001&status=ended", ["Lê Văn E"]),
        ("unit=DN-TB-001&status=all", ["An Văn A", "Bùi Thị B", "Cao Văn C", "Đỗ Thị D", "Lê Văn E"]),
        ("unit=DN-TB-001&gender=female", ["Bùi Thị B", "Đỗ Thị D"]),
        ("unit=DN-TB-001&join_year=2021", ["Bùi Thị B", "Cao Văn C"]),
        ("unit=DN-TB-001&officer=yes", ["An Văn A"]),
        ("unit=DN-TB-001&officer=no", ["Bùi Thị B", "Cao Văn C", "Đỗ Thị D"]),
        ("unit=DN-TB-001&card=active", ["Bùi Thị B"]),
        ("unit=DN-TB-001-S1", ["Cao Văn C", "Đỗ Thị D"]),
    ],
)
def test_list_filters(cast, roster, query, expected):
    assert listed(client_for(cast.officer), query) == expected


def test_list_rows_show_position_and_card(cast, roster):
    rows = client_for(cast.officer).get("/members/?unit=DN-TB-001").context["rows"]
    by_name = {r["m"].person.full_name: r for r in rows}
    assert by_name["An Văn A"]["positions"] == ["Chair"]
    assert by_name["Bùi Thị B"]["card"].card_number == "C-B"
    assert by_name["Cao Văn C"]["card"] is None


def test_bad_filters_are_form_errors_not_500(cast, roster):
    client = client_for(cast.officer)
    for query in ("status=gone", "join_year=abc", "cursor=not-a-cursor", "gender=x", "card=x"):
        response = client.get(f"/members/?unit=DN-TB-001&{query}")
        assert response.status_code == 200, query
        assert response.context["rows"] == []
        assert response.context["form"].errors, query
    assert client.get("/members/?unit=NOPE").status_code == 404


def test_keyset_pages(cast, roster, monkeypatch):
    from unionhall.members import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client = client_for(cast.officer)
    first = client.get("/members/?unit=DN-TB-001&status=all")
    assert [r["m"].person.full_name for r in first.context["rows"]] == ["An Văn A", "Bùi Thị B", "Cao Văn C"]
    assert first.context["paged"] is False
    next_query = first.context["next_query"]
    assert "status=all" in next_query and "cursor=" in next_query
    second = client.get(f"/members/?{next_query}")
    assert [r["m"].person.full_name for r in second.context["rows"]] == ["Đỗ Thị D", "Lê Văn E"]
    assert second.context["next_query"] == ""
    assert second.context["paged"] is True
    assert b'id="uh-first-page"' in second.content
    assert "cursor" not in second.context["first_query"]


def test_list_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    for i in range(30):
        register(cast.admin, cast.unit, f"Người số {i}", gender="female" if i % 2 else "male")
    client = client_for(cast.officer)
    with django_assert_max_num_queries(7):
        response = client.get("/members/?unit=DN-TB-001")
    assert len(response.context["rows"]) == 30
    with django_assert_max_num_queries(7):
        assert client.get("/members/?unit=DN-TB-001&officer=no&card=active&gender=female").status_code == 200


def test_list_buttons_follow_permissions(cast, roster):
    page = client_for(cast.officer).get("/members/?unit=DN-TB-001")
    assert page.context["can_add"] is True
    assert page.context["import_url"] == "/data/import/"
    assert page.context["export_url"] == "/data/export/"
    content = page.content.decode()
    assert 'href="/data/import/?kind=members&amp;unit=DN-TB-001"' in content
    assert 'name="kind" value="members"' in content and 'name="format" value="csv"' in content
    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    page = client_for(viewer).get("/members/?unit=DN-TB-001")
    assert (page.context["can_add"], page.context["import_url"], page.context["export_url"]) == (False, None, None)
    assert b"uh-add-member" not in page.content and b"uh-export" not in page.content


def test_search_ignores_diacritics_and_persian_letter_forms(cast, de):
    persian = register(cast.admin, cast.unit, "علی کریمی", gender="male")
    client = client_for(cast.officer)
    assert [p.pk for p in client.get("/members/search/?q=nguyen van de").context["results"]] == [de.pk]
    assert [p.pk for p in client.get("/members/search/?q=علي كريمي").context["results"]] == [persian.pk]
    assert client_for(cast.sibling).get("/members/search/?q=nguyen van de").context["results"] == []
    page = client.get("/members/search/?q=nguyen").content.decode()
    assert f'href="/members/{de.member_code}/"' in page


# ---------------------------------------------------------------- languages


def test_the_list_in_persian_is_rtl_with_persian_digits_and_jalali_dates(cast, roster):
    officer = fresh(cast.officer)
    officer.language, officer.calendar = "fa", "jalali"
    officer.save()
    content = client_for(officer).get("/members/?unit=DN-TB-001").content.decode()
    assert 'dir="rtl"' in content
    # 1 May 2020 is 12 Ordibehesht 1399.
    assert "۱۲ اردیبهشت ۱۳۹۹" in content


def test_the_detail_in_arabic_is_rtl_with_arabic_indic_digits(cast, de):
    officer = fresh(cast.officer)
    officer.language = "ar"
    officer.save()
    content = client_for(officer).get(urls(de)["detail"]).content.decode()
    assert 'dir="rtl"' in content
    assert "٢٠٢٤" in content  # the year of the card and the term
