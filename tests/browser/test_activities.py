"""Activities in the browser: a union card scanned by the camera at the door, a typed code, the joint programme's
totals, and the workplace-democracy dashboard in Arabic, right to left.

The camera is Chromium's fake capture device playing a video of the card's QR code, so the page's own
scanning code (getUserMedia, a canvas, jsQR) reads it exactly as it would read a phone's camera.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno
from playwright.sync_api import Browser, Page, Playwright, expect

from .conftest import CHROMIUM, LAUNCH_ARGS, Server, login

pytestmark = pytest.mark.browser

TRAINING = "TH-01/2024"  # the federation's training, with a roster
PROGRAMME = "phoi-hop-ca-ldld-2023-2027"
WIDTH, HEIGHT, SCALE = 640, 480, 8


def _no_problems(page: Page) -> None:
    assert page.problems == []  # type: ignore[attr-defined]


def qr_video(text: str, path: Path) -> Path:
    """A few frames of YUV 4:2:0 video (the format Chromium's fake camera plays) showing `text` as a QR code."""
    rows = [list(row) for row in segno.make(text, micro=False).matrix_iter(scale=SCALE, border=4)]
    top, left = (HEIGHT - len(rows)) // 2, (WIDTH - len(rows[0])) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))  # white
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                luma[(top + y) * WIDTH + left + x] = 0x10
    chroma = b"\x80" * (WIDTH * HEIGHT // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 10)
    return path


@pytest.fixture(scope="module")
def door(server: Server, tmp_path_factory) -> dict:
    """The training's id, a member of the province not yet on its roster, and one already on it."""
    ((activity,),) = server.query("SELECT id FROM activities_activity WHERE reference = ?", (TRAINING,))
    on_roster = server.query(
        "SELECT p.member_code, p.full_name FROM activities_attendee a JOIN members_person p ON p.id = a.person_id "
        "WHERE a.activity_id = ? ORDER BY p.member_code LIMIT 1",
        (activity,),
    )[0]
    fresh = server.query(
        "SELECT p.member_code, p.full_name FROM members_person p JOIN members_membership m ON m.person_id = p.id "
        "JOIN orgunits_unit u ON u.id = m.unit_id WHERE m.status = 'active' AND u.path LIKE "
        "(SELECT path || '%' FROM orgunits_unit WHERE code = 'DN-KCN-NT') AND p.id NOT IN "
        "(SELECT person_id FROM activities_attendee WHERE activity_id = ? AND person_id IS NOT NULL) "
        "ORDER BY p.member_code LIMIT 1",
        (activity,),
    )[0]
    video = qr_video(fresh[0], tmp_path_factory.mktemp("camera") / "card.y4m")
    return {"activity": activity, "fresh": fresh, "on_roster": on_roster, "video": video}


@pytest.fixture(scope="module")
def camera_browser(playwright: Playwright, door: dict) -> Iterator[Browser]:
    """Chromium whose camera films the union card of `door["fresh"]`, with the permission already given."""
    args = [
        *LAUNCH_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={door['video']}",
    ]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


def test_the_door_checks_members_in_by_typed_code_and_by_scanning_the_card(
    camera_browser: Browser, server: Server, door: dict
):
    context = camera_browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["camera"], origin=server.url)
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
    activity = door["activity"]
    count = "SELECT count(*), sum(method = 'qr') FROM activities_attendee WHERE activity_id = ?"
    ((before, _qr),) = server.query(count, (activity,))
    ((participants_before,),) = server.query("SELECT participants FROM activities_activity WHERE id = ?", (activity,))

    login(page, server, "tinh.dongnai")  # unit administrator of the provincial federation, which organised it
    page.goto(f"{server.url}/activities/{activity}/checkin/")
    results = page.locator("#uh-checkin-results li")

    # Someone already on the roster, then a code nobody has: one line each, no error page, nothing written.
    page.fill("#uh-checkin-form input[name=member_code]", door["on_roster"][0])
    page.click("#uh-checkin-submit")
    expect(results.first).to_have_attribute("data-outcome", "already")
    expect(results.first).to_contain_text(door["on_roster"][1])
    page.fill("#uh-checkin-form input[name=member_code]", "99999999999")
    page.click("#uh-checkin-submit")
    expect(results.first).to_have_attribute("data-outcome", "unknown")
    assert server.query(count, (activity,))[0][0] == before

    # The camera films the card of a member who is not on the roster yet: checked in, once.
    page.click("#uh-scan")
    expect(page.locator("#uh-scan-video")).to_be_visible()
    added = page.locator('#uh-checkin-results li[data-outcome="added"]')
    expect(added).to_have_count(1, timeout=15_000)
    expect(added).to_contain_text(door["fresh"][1])
    page.click("#uh-scan")  # stop the camera
    assert server.query(count, (activity,))[0] == (before + 1, 1)
    ((participants,),) = server.query("SELECT participants FROM activities_activity WHERE id = ?", (activity,))
    assert participants == participants_before + 1

    # The activity's page counts the new attendee.
    page.click(f'a[href="/activities/{activity}/"]')
    expect(page).to_have_url(f"{server.url}/activities/{activity}/")
    assert page.problems == []  # type: ignore[attr-defined]
    context.close()


def test_programme_totals_and_the_dashboard_in_arabic(page: Page, server: Server):
    login(page, server, "tinh.dongnai")
    page.goto(f"{server.url}/programmes/{PROGRAMME}/")
    expect(page.locator("#uh-parties li")).to_have_count(3)
    activities = page.locator('#uh-totals section[data-section="activities"] dd')
    # Three dissemination sessions and a leaders' dialogue held under the programme (the planned training not
    # yet): 526 + 294 + 309 + 340 participants.
    expect(activities).to_have_count(3)
    expect(activities.nth(0)).to_have_text("3")
    expect(activities.nth(1)).to_have_text("1")
    expect(activities.nth(2)).to_have_text(re.compile(r"^1[.,]?469$"))
    _no_problems(page)

    page.context.clear_cookies()
    login(page, server, "kcn.bienhoa")  # officer of the Biên Hòa parks' union, reading Arabic
    page.goto(f"{server.url}/democracy/?unit=DN-KCN-BH")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    never = page.locator('#uh-employers tr[data-employer="DN-E-021"] td[data-state]').first
    expect(never).to_have_attribute("data-state", "overdue")
    expect(page.locator('#uh-employers tr[data-employer="DN-E-018"] [data-minutes="missing"]')).to_have_count(1)
    _no_problems(page)
