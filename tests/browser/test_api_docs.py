"""The API docs page renders under the site's strict CSP, and its "Try it out" calls the API."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, login

pytestmark = pytest.mark.browser


def test_api_docs_render_without_csp_violations(page: Page, server: Server):
    login(page, server, "tinh.dongnai")
    violations: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(f"{server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("unionhall API")
    expect(page.locator("#operations-units-units_list")).to_be_visible()
    # Call GET /api/v1/units/ from the page, with the session cookie.
    page.locator("#operations-units-units_list .opblock-summary").click()
    page.locator("#operations-units-units_list .try-out__btn").click()
    page.locator("#operations-units-units_list .execute").click()
    status = page.locator("#operations-units-units_list .live-responses-table tbody .response-col_status")
    expect(status.first).to_contain_text("200")
    assert violations == []
    assert page.problems == []  # type: ignore[attr-defined]
