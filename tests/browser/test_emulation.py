"""Emulation in the browser: a movement's results, the batch eligibility list turned into a nomination, and the
same list in Persian, right to left."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, login

pytestmark = pytest.mark.browser

MOVEMENT = "ldg-ldst-2023-2027"
FIGHTER = "chien_si_thi_dua_co_so"


def _no_problems(page: Page) -> None:
    assert page.problems == []  # type: ignore[attr-defined]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_officer_reads_the_movement_and_nominates_from_the_eligibility_list(page: Page, server: Server):
    login(page, server, "cdcs.songmay")  # officer of the Sông Mây grassroots union (DN-CS-010)
    page.click("#uh-nav-movements")
    page.locator(f'tr[data-movement="{MOVEMENT}"] a').click()
    expect(page).to_have_url(f"{server.url}/movements/{MOVEMENT}/")
    expect(page.locator("#uh-movement-title")).to_have_text("Lao động giỏi, Lao động sáng tạo")
    results = page.locator("#uh-results")
    recognised = results.locator('dt[data-result="initiatives_recognised"] + dd')
    benefit = results.locator('dt[data-result="initiatives_benefit_vnd"] + dd')
    expect(recognised).to_have_text("17")
    assert _digits(benefit.inner_text()) == "1508000000"
    expect(page.locator('#uh-milestones tr[data-state="held"]')).to_have_count(1)

    # The batch eligibility list of the union for 2025, Chiến sĩ thi đua cơ sở only, eligible rows only.
    page.goto(f"{server.url}/awards/eligibility/")
    page.fill("#id_unit", "DN-CS-010")
    page.fill("#id_year", "2025")
    page.check(f'input[name="award_types"][value="{FIGHTER}"]')
    page.select_option("#id_show", "eligible")
    with page.expect_navigation():
        page.click("#uh-eligibility-run")
    expect(page.locator("#uh-eligibility-unit")).to_be_visible()
    eligible = page.locator('#uh-eligibility tbody tr[data-eligible="yes"]')
    expect(eligible).to_have_count(4)
    expect(page.locator('#uh-eligibility tbody tr:not([data-eligible="yes"])')).to_have_count(0)
    row = eligible.filter(has_text="Nguyễn Văn Đệ")
    key = row.get_attribute("data-row")
    assert key is not None and key.startswith(f"{FIGHTER}:p:")
    person_id = int(key.rsplit(":", 1)[1])
    nominations = (
        "SELECT n.id, n.status, n.year, u.code FROM awards_nomination n JOIN awards_awardtype t "
        "ON t.id = n.award_type_id JOIN orgunits_unit u ON u.id = n.proposing_unit_id "
        "WHERE n.person_id = ? AND t.code = ?"
    )
    assert server.query(nominations, (person_id, FIGHTER)) == []
    row.locator('input[name="rows"]').check()
    with page.expect_navigation():
        page.click("#uh-eligibility-create")
    expect(page.locator(".alert-success")).to_be_visible()
    # Nominated now: the list shows him only among the rows to review.
    expect(page.locator(f'#uh-eligibility tbody tr[data-row="{key}"]')).to_have_count(0)
    created = server.query(nominations, (person_id, FIGHTER))
    assert [row[1:] for row in created] == [("draft", 2025, "DN-CS-010")]
    nomination = created[0][0]

    # The nominations list shows the new draft.
    page.click("#uh-nav-awards")
    expect(page).to_have_url(re.compile(r"/awards/nominations/"))
    listed = page.locator(f'#uh-nominations tr[data-nomination="{nomination}"]')
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Nguyễn Văn Đệ")
    expect(listed.locator(".badge")).to_have_class(re.compile(r"text-bg-success"))
    _no_problems(page)


def test_eligibility_list_in_persian_is_right_to_left(page: Page, server: Server):
    login(page, server, "kcn.nhontrach")  # reads Persian
    page.goto(f"{server.url}/awards/eligibility/?unit=DN-KCN-NT&year=2025&award_types={FIGHTER}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("#uh-eligibility-unit")).to_be_visible()
    rows = page.locator("#uh-eligibility tbody tr[data-row]")
    expect(rows.first).to_be_visible()
    ((members,),) = server.query(
        "SELECT count(*) FROM members_membership m JOIN orgunits_unit u ON m.unit_id = u.id "
        "WHERE m.status = 'active' AND u.path LIKE (SELECT path FROM orgunits_unit WHERE code = 'DN-KCN-NT') || '%'"
    )
    expect(rows).to_have_count(members)
    # Nobody there holds Lao động tiên tiến 2025, so nobody may be Chiến sĩ thi đua cơ sở.
    expect(page.locator('#uh-eligibility tbody tr[data-eligible="no"]')).to_have_count(members)
    # The year in Persian digits, and no sideways scrolling.
    expect(page.locator("main")).to_contain_text("۲۰۲۵")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    _no_problems(page)
