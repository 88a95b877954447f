"""/api/v1/ plumbing: every route requires authentication, the schema, the docs page, languages."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from unionhall.api.pagination import CursorPagination

from .conftest import token_client

SAMPLES = {"code": "DN-TB-001", "pk": "1", "member_code": "00000000019"}
METHODS = ["get", "post", "put", "patch", "delete", "options", "head"]
# Every route under /api/v1/ and who may call it. A new route fails this test until it is declared.
ROUTES = {
    "root": "authenticated",
    "schema": "authenticated",
    "docs": "authenticated",
    "unit-list": "authenticated",
    "unit-detail": "authenticated",
    "unit-ancestors": "authenticated",
    "unit-children": "authenticated",
    "unit-rename": "authenticated",
    "unit-split": "authenticated",
    "unit-transfer": "authenticated",
    "unit-merge": "authenticated",
    "unit-dissolve": "authenticated",
    "grant-list": "authenticated",
    "grant-detail": "authenticated",
    "person-list": "authenticated",
    "person-detail": "authenticated",
    "person-search": "authenticated",
    "person-memberships": "authenticated",
    "person-national-id": "authenticated",
    "person-join": "authenticated",
    "membership-detail": "authenticated",
    "membership-transfer": "authenticated",
    "membership-end": "authenticated",
    "membership-suspend": "authenticated",
    "membership-resume": "authenticated",
    "officer-list": "authenticated",
    "officer-detail": "authenticated",
    "officer-end": "authenticated",
    "card-list": "authenticated",
    "card-detail": "authenticated",
    "card-status": "authenticated",
    "card-pdf": "authenticated",
    "kind-list": "authenticated",
    "kind-template": "authenticated",
    "job-list": "authenticated",
    "job-detail": "authenticated",
    "job-export": "authenticated",
    "job-confirm": "authenticated",
    "job-report": "authenticated",
    "job-download": "authenticated",
    "award-certificate": "authenticated",
    "award-detail": "authenticated",
    "award-list": "authenticated",
    "award-revoke": "authenticated",
    "award-type-detail": "authenticated",
    "award-type-list": "authenticated",
    "base-salary-list": "authenticated",
    "decision-detail": "authenticated",
    "decision-list": "authenticated",
    "eligibility-check": "authenticated",
    "eligibility-list": "authenticated",
    "initiative-amend": "authenticated",
    "initiative-benefit-detail": "authenticated",
    "initiative-benefit-list": "authenticated",
    "initiative-certificate": "authenticated",
    "initiative-detail": "authenticated",
    "initiative-examine": "authenticated",
    "initiative-list": "authenticated",
    "initiative-payment-detail": "authenticated",
    "initiative-payment-list": "authenticated",
    "initiative-recognise": "authenticated",
    "initiative-reject": "authenticated",
    "initiative-submit": "authenticated",
    "initiative-transfer-detail": "authenticated",
    "initiative-transfer-list": "authenticated",
    "movement-close": "authenticated",
    "movement-detail": "authenticated",
    "movement-list": "authenticated",
    "movement-milestone-detail": "authenticated",
    "movement-milestone-hold": "authenticated",
    "movement-milestone-list": "authenticated",
    "movement-registration-detail": "authenticated",
    "movement-registration-list": "authenticated",
    "movement-registration-withdraw": "authenticated",
    "nomination-approve": "authenticated",
    "nomination-check": "authenticated",
    "nomination-detail": "authenticated",
    "nomination-list": "authenticated",
    "nomination-reject": "authenticated",
    "nomination-submit": "authenticated",
    "activity-attendee-detail": "authenticated",
    "activity-attendee-list": "authenticated",
    "activity-detail": "authenticated",
    "activity-headcounts": "authenticated",
    "activity-kind-detail": "authenticated",
    "activity-kind-list": "authenticated",
    "activity-list": "authenticated",
    "dialogue-detail": "authenticated",
    "dialogue-list": "authenticated",
    "employee-conference-detail": "authenticated",
    "employee-conference-list": "authenticated",
    "model-evaluation-detail": "authenticated",
    "model-evaluation-list": "authenticated",
    "practice-add-member": "authenticated",
    "practice-detail": "authenticated",
    "practice-discontinue": "authenticated",
    "practice-list": "authenticated",
    "practice-recognise": "authenticated",
    "practice-remove-member": "authenticated",
    "programme-add-party": "authenticated",
    "programme-detail": "authenticated",
    "programme-lead": "authenticated",
    "programme-list": "authenticated",
    "programme-officer-detail": "authenticated",
    "programme-officer-list": "authenticated",
    "programme-remove-party": "authenticated",
    "workplace-compliance-list": "authenticated",
    "report-indicators": "authenticated",
    "report-summary": "authenticated",
    "unknown": "authenticated",
}


def api_patterns() -> list[URLPattern]:
    (api,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"]
    return list(api.url_patterns)


def concrete(pattern: URLPattern) -> str:
    """A URL the pattern matches, with sample values for its parameters."""
    text = str(pattern.pattern)
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES[m[1]], text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES[m[1]], text)
    return "/api/v1/" + text.replace(".*", "some/where").lstrip("^").rstrip("$")


def test_every_route_is_declared():
    assert sorted(p.name for p in api_patterns()) == sorted(ROUTES)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("pattern", api_patterns(), ids=lambda p: p.name)
def test_every_route_requires_authentication(cast, pattern, method):
    url = concrete(pattern)
    assert pattern.resolve(url.removeprefix("/api/v1/")), url
    response = getattr(APIClient(), method)(url)
    assert response.status_code == 401, (method, url)
    assert response["WWW-Authenticate"] == "Token"
    if method != "head":
        assert response.json()["error"]["code"] == "not_authenticated"


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, method) for path, item in schema["paths"].items() for method in item]


def test_the_schema_has_every_operation():
    assert (
        len(schema_operations()) == 23 + 22 + 13 + 19 + 20 + 12 + 7 + 22 + 2
    )  # units, grants, data jobs; members; movements; initiatives; awards; activities; democracy; models, programmes


@pytest.mark.parametrize(("path", "method"), schema_operations())
def test_every_schema_operation_requires_authentication(cast, path, method):
    url = path.replace("{code}", SAMPLES["code"]).replace("{id}", SAMPLES["pk"])
    url = url.replace("{member_code}", SAMPLES["member_code"])
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401, (method, url)


def test_session_users_are_signed_in_too(cast):
    """The docs page calls the API with the session cookie; unsafe methods then need the CSRF token."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.officer)
    assert client.get("/api/v1/units/").status_code == 200
    response = client.post("/api/v1/units/dissolve/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_bad_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_deactivated_users_token_stops_working(cast):
    client = token_client(cast.officer)
    assert client.get("/api/v1/units/").status_code == 200
    cast.officer.is_active = False
    cast.officer.save(update_fields=["is_active"])
    assert client.get("/api/v1/units/").status_code == 401


def test_a_revoked_role_counts_on_the_next_request(cast):
    client = token_client(cast.officer)
    assert client.get("/api/v1/units/DN-TB-001/").status_code == 200
    cast.officer.grants.update(revoked_at="2025-01-01T00:00:00Z")
    assert client.get("/api/v1/units/DN-TB-001/").status_code == 404


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize("language", ["vi", "fa", "ar", "en"])
def test_token_users_get_their_own_language(cast, language):
    cast.officer.language = language
    cast.officer.save(update_fields=["language"])
    response = token_client(cast.officer).get("/api/v1/units/NOPE/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Language"] == language
    with translation.override(language):
        assert response.json()["error"]["message"] == str(exceptions.NotFound.default_detail)


def test_anonymous_requests_follow_accept_language(db):
    response = APIClient().get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE="fa")
    assert response["Content-Language"] == "fa"
    with translation.override("fa"):
        assert response.json()["error"]["message"] == str(exceptions.NotAuthenticated.default_detail)


# ---------------------------------------------------------------- schema and docs


def test_the_schema_is_valid_and_complete(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/units/{code}/split/", "/api/v1/units/transfer/", "/api/v1/grants/{id}/"):
        assert f"{path}:" in text
    assert "ErrorBody" in text


def test_the_schema_is_served_to_signed_in_users(cast):
    response = token_client(cast.officer).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "unionhall API"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1][0] == "script" and data.strip():
            self.inline_script = True


def test_the_docs_page_obeys_the_csp(cast):
    client = Client()
    client.force_login(cast.officer)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    # No nonce is even needed: the page has no inline script at all.
    assert "script-src 'self'" in csp
    assert "style-src 'self';" in csp
    assert "unsafe" not in csp
    html = _Tags()
    html.feed(page.content.decode())
    assert not html.inline_script
    tags = [tag for tag, _ in html.tags]
    assert "style" not in tags
    assert not any(name.startswith("on") for _, attrs in html.tags for name in attrs)
    scripts = [attrs["src"] for tag, attrs in html.tags if tag == "script"]
    styles = [attrs["href"] for tag, attrs in html.tags if tag == "link" and attrs.get("rel") == "stylesheet"]
    assert scripts[-1] == "/api/v1/docs/?script="
    for url in [*scripts, *styles]:
        assert url and url.startswith("/"), url  # same origin: nothing from a CDN
        assert client.get(url).status_code == 200, url
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


# ---------------------------------------------------------------- pagination


@pytest.mark.parametrize(("asked", "given"), [("100000", 500), ("500", 500), ("7", 7), ("0", 50), ("x", 50)])
def test_page_size_is_capped(asked, given):
    request = APIRequestFactory().get("/api/v1/units/", {"page_size": asked})
    assert CursorPagination().get_page_size(Request(request)) == given


# ---------------------------------------------------------------- errors outside DRF


def test_a_crash_is_a_500_in_the_error_shape(cast, monkeypatch):
    from unionhall.orgunits.api.views import UnitViewSet

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(UnitViewSet, "retrieve", crash)
    client = token_client(cast.officer)
    client.raise_request_exception = False
    response = client.get("/api/v1/units/DN-TB-001/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_a_refused_host_is_a_400_in_the_error_shape(cast):
    response = token_client(cast.officer).get("/api/v1/units/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_pages_outside_the_api_keep_their_own_errors(cast):
    client = Client()
    client.force_login(cast.officer)
    response = client.get("/units/NOPE/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
