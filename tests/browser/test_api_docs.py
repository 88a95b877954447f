"""The API docs page renders under the site's strict CSP, and its "Try it out" calls the API."""

import re

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
    expect(page.locator("#operations-tag-activities")).to_be_visible()
    # The page renders the sections as they scroll into view: scroll down to the units.
    operation = page.locator("#operations-units-units_list")
    page.mouse.move(640, 450)
    for _ in range(60):
        if operation.count():
            break
        page.mouse.wheel(0, 1000)
        page.wait_for_timeout(150)
    expect(operation).to_be_visible()
    # Call GET /api/v1/units/ from the page, with the session cookie.
    operation.locator(".opblock-summary").click()
    expect(operation).to_have_class(re.compile(r"\bis-open\b"))
    operation.locator(".try-out__btn").click()
    page.locator("#operations-units-units_list .execute").click()
    status = page.locator("#operations-units-units_list .live-responses-table tbody .response-col_status")
    expect(status.first).to_contain_text("200")
    assert violations == []
    assert page.problems == []  # type: ignore[attr-defined]
