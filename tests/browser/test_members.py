"""Members in the browser: find a member without diacritics, open their page, read the list in Persian."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, login

pytestmark = pytest.mark.browser


def _no_problems(page: Page) -> None:
    assert page.problems == []  # type: ignore[attr-defined]


def test_search_without_diacritics_and_open_the_member(page: Page, server: Server):
    ((code,),) = server.query("SELECT member_code FROM members_person WHERE full_name = ?", ("Nguyễn Văn Đệ",))
    login(page, server, "cdcs.songmay")
    page.fill("#uh-member-search", "nguyen van de")
    with page.expect_navigation():
        page.press("#uh-member-search", "Enter")
    expect(page).to_have_url(re.compile(r"/members/search/\?q=nguyen"))
    result = page.locator("#uh-member-results a", has_text="Nguyễn Văn Đệ")
    expect(result).to_have_count(1)
    result.click()
    expect(page).to_have_url(f"{server.url}/members/{code}/")
    expect(page.locator("#uh-person-name")).to_have_text("Nguyễn Văn Đệ")
    expect(page.locator("#uh-member-code")).to_have_text(code)
    # An officer changes records but does not read national IDs: masked, and no Show button.
    expect(page.locator("#uh-national-id")).to_have_text(re.compile(r"^\*{9}\d{3}$"))
    expect(page.locator("#uh-reveal")).to_have_count(0)
    expect(page.locator("#uh-cards")).to_contain_text(re.compile(r"DN\d{7}"))
    _no_problems(page)


def test_member_list_in_persian_is_right_to_left(page: Page, server: Server):
    login(page, server, "kcn.nhontrach")  # reads Persian with the Jalali calendar
    page.click("#uh-nav-members")
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("#uh-list-unit")).to_be_visible()
    rows = page.locator("#uh-members tbody tr[data-member]")
    expect(rows.first).to_be_visible()
    # Dates in Persian digits and Jalali months, e.g. "۱۲ اردیبهشت ۱۳۹۹".
    joined = rows.first.locator("td").nth(3).inner_text()
    assert re.fullmatch(r"[۰-۹]{1,2} \S+ [۰-۹]{4}", joined), joined
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.select_option("#id_officer", "yes")
    with page.expect_navigation():
        page.click("#uh-filter")
    ((officers,),) = server.query(
        "SELECT count(DISTINCT m.id) FROM members_membership m JOIN orgunits_unit u ON m.unit_id = u.id "
        "JOIN members_officerterm t ON t.membership_id = m.id WHERE t.term_end IS NULL AND m.status = 'active' "
        "AND u.path LIKE (SELECT path FROM orgunits_unit WHERE code = 'DN-KCN-NT') || '%'"
    )
    expect(rows).to_have_count(officers)
    assert officers >= 2
    _no_problems(page)
