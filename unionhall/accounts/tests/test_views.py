"""Sign-in, lockout, preferences, language switch, API token."""

from django.test import Client
from rest_framework.authtoken.models import Token

from conftest import PASSWORD
from unionhall.audit.models import AuditEntry


def test_login_and_lockout(cast, settings):
    client = Client()
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/units/"
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "parent", "password": "wrong-password"})
    locked = client.post("/accounts/login/", {"username": "parent", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_argon2_is_the_production_hasher():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_preferences_and_language_switch(cast):
    client = Client()
    client.force_login(cast.officer)
    response = client.post(
        "/accounts/profile/", {"save_preferences": "1", "language": "fa", "calendar": "jalali", "latin_digits": ""}
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert (cast.officer.language, cast.officer.calendar, cast.officer.latin_digits) == ("fa", "jalali", False)
    page = client.get("/units/")
    assert b'dir="rtl"' in page.content
    assert b'lang="fa"' in page.content
    assert "۱۸۵" in client.get("/accounts/profile/").content.decode()
    response = client.post("/accounts/language/", {"language": "vi", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    cast.officer.refresh_from_db()
    assert cast.officer.language == "vi"
    assert AuditEntry.objects.filter(action="user.preferences", object_id=str(cast.officer.pk)).count() == 2
    assert client.post("/accounts/language/", {"language": "xx"}).status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.language == "vi"


def test_token_renewal_replaces_the_old_token(cast):
    client = Client()
    client.force_login(cast.officer)
    first = client.post("/accounts/profile/", {"renew_token": "1"}).context["new_token"]
    second = client.post("/accounts/profile/", {"renew_token": "1"}).context["new_token"]
    assert first != second
    assert list(Token.objects.filter(user=cast.officer).values_list("key", flat=True)) == [second]


def test_anonymous_pages(db):
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 302
    assert client.get("/health/").json() == {"status": "ok"}


def test_password_reset_email_in_the_users_language(cast, mailoutbox):
    cast.officer.email = "officer@example.vn"
    cast.officer.language = "vi"
    cast.officer.save()
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "officer@example.vn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert page.context["validlink"] is True
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "a-new-long-secret-42", "new_password2": "a-new-long-secret-42"}
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("a-new-long-secret-42")
    assert AuditEntry.objects.filter(action="user.password_reset", object_id=str(cast.officer.pk)).count() == 1
    assert Client().post("/accounts/password-reset/", {"email": "nobody@example.vn"}).status_code == 302
    assert len(mailoutbox) == 1


def test_navigation_offers_only_usable_sections(cast):
    from unionhall.access.models import Role, RoleGrant

    viewer = cast.outsider
    RoleGrant.objects.filter(user=viewer).update(role=Role.objects.get(code="viewer"))
    client = Client()
    client.force_login(viewer)
    page = client.get("/units/").content.decode()
    assert 'href="/access/grants/"' not in page
    assert 'href="/audit/"' not in page
    client.force_login(cast.officer)
    page = client.get("/units/").content.decode()
    assert 'href="/access/grants/"' in page
    assert 'href="/audit/"' in page


def test_sign_in_is_audited_and_the_admin_signs_in_on_the_same_page(cast):
    client = Client()
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    entry = AuditEntry.objects.filter(action="user.sign_in").get()
    assert (entry.actor_label, entry.object_id) == ("officer", str(cast.officer.pk))
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
