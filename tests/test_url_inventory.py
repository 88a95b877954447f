"""Deny by default (P3): every page needs a signed-in user unless it is listed here as public."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "/accounts/login/",
    "/accounts/password-reset/",
    "/accounts/password-reset/sent/",
    "/accounts/password-reset/done/",
    "/accounts/password-reset/MQ/set-password/",
    "/health/",
    "/i18n/setlang/",
}
SAMPLE = {"code": "DN-TB-001", "pk": "1", "path": "x", "uidb64": "MQ", "token": "set-password"}


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def concrete(route: str) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "1"), route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


@pytest.mark.django_db
def test_every_page_requires_sign_in(cast):
    client = Client()
    checked = 0
    for route in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")) or "(?P" in route or "\\" in route:
            continue
        url = concrete(route)
        if url in PUBLIC:
            continue
        response = client.get(url)
        assert response.status_code in (302, 405), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), url
        checked += 1
    assert checked >= 19


@pytest.mark.django_db
def test_admin_requires_staff(cast):
    client = Client()
    assert client.get("/admin/").status_code == 302
    client.force_login(cast.officer)
    assert client.get("/admin/").status_code == 302
    client.force_login(cast.admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/orgunits/unit/").status_code == 200
