"""Sign in, browse the tree, run a transfer through its preview, switch to Persian (RTL)."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, login

pytestmark = pytest.mark.browser


def _no_problems(page: Page) -> None:
    assert page.problems == []  # type: ignore[attr-defined]


def test_login_and_browse_tree(page: Page, server: Server):
    login(page, server, "tinh.dongnai")
    expect(page).to_have_url(re.compile(r"/units/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    root = page.locator("#uh-tree > li").first
    expect(root).to_have_attribute("data-unit", "DN")
    root.locator("button.uh-toggle").first.click()
    expect(root.locator(".uh-children li").first).to_be_visible()
    children = root.locator(".uh-children > ul > li").count()
    (direct,) = server.query(
        "SELECT count(*) FROM orgunits_unit u JOIN orgunits_unit p ON u.parent_id = p.id "
        "WHERE p.code = 'DN' AND u.status = 'active'"
    )[0]
    assert children == direct
    page.fill("#uh-search", "cong doan")
    expect(page.locator("#uh-search-results li").first).to_be_visible()
    _no_problems(page)


def test_transfer_with_preview(page: Page, server: Server):
    (unit_code, old_parent), *_ = server.query(
        "SELECT u.code, p.code FROM orgunits_unit u JOIN orgunits_unit p ON u.parent_id = p.id "
        "JOIN orgunits_unittype t ON u.type_id = t.id JOIN orgunits_unittype pt ON p.type_id = pt.id "
        "WHERE t.code = 'grassroots_union' AND pt.code = 'commune_union' AND u.status = 'active' ORDER BY u.code"
    )
    (new_parent,) = server.query(
        "SELECT u.code FROM orgunits_unit u JOIN orgunits_unittype t ON u.type_id = t.id "
        "WHERE t.code = 'commune_union' AND u.status = 'active' AND u.code != ? ORDER BY u.code LIMIT 1",
        (old_parent,),
    )[0]
    (subtree,) = server.query(
        "SELECT count(*) FROM orgunits_unit WHERE path LIKE (SELECT path FROM orgunits_unit WHERE code = ?) || '%'",
        (unit_code,),
    )[0]
    login(page, server, "tinh.dongnai")
    page.goto(f"{server.url}/units/transfer/?units={unit_code}")
    page.fill("#id_new_parent", new_parent)
    page.fill("#id_effective_date", "2025-07-01")
    page.fill("#id_reason", "Sắp xếp lại theo Kết luận 127-KL/TW")
    page.click("#uh-submit")
    expect(page.locator("#uh-preview")).to_be_visible()
    assert str(subtree) in page.locator("#uh-preview-size").inner_text()
    assert server.query(
        "SELECT p.code FROM orgunits_unit u JOIN orgunits_unit p ON u.parent_id = p.id WHERE u.code = ?", (unit_code,)
    ) == [(old_parent,)]
    page.click("#uh-confirm")
    expect(page).to_have_url(re.compile(rf"/units/{new_parent}/$"))
    assert server.query(
        "SELECT p.code FROM orgunits_unit u JOIN orgunits_unit p ON u.parent_id = p.id WHERE u.code = ?", (unit_code,)
    ) == [(new_parent,)]
    expect(page.locator(f'li[data-unit="{unit_code}"]')).to_be_visible()
    _no_problems(page)


def test_persian_is_right_to_left_without_overflow(page: Page, server: Server):
    login(page, server, "xa.tranbien")
    with page.expect_navigation():
        page.select_option("#uh-language", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    for path in ["/units/", "/access/grants/", "/audit/", "/accounts/profile/"]:
        page.goto(server.url + path)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
    page.goto(server.url + "/accounts/profile/")
    example = page.locator("text=۱۸۵").first
    expect(example).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(server.url + "/units/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    _no_problems(page)


def test_lockout_after_repeated_failures(page: Page, server: Server):
    for _ in range(5):
        login(page, server, "xem.dongnai", "wrong-password-123")
    login(page, server, "xem.dongnai")
    expect(page.locator("#uh-locked")).to_be_visible()
