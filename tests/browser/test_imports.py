"""An officer imports a members file: dry run, the progress bar finishes, the counts show, confirm, the real run.

The jobs run in a real background worker (`unionhall db_worker`, as `make run` starts it) on the server's database.
"""

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, Server, login

pytestmark = pytest.mark.browser

OFFICER = "cdcs.songmay"
UNIT = "DN-CS-010"
# Two people new to the demo: CCCDs of Đồng Nai (075) that match each one's gender and year of birth.
MEMBERS_CSV = (
    "full_name,gender,date_of_birth,national_id,join_date\n"
    "Nguyễn Thị Thử Nghiệm,Nữ,15/03/1990,075190987650,01/07/2025\n"
    "Trần Văn Kiểm Tra,male,20/05/1988,075088987651,01/07/2025\n"
).encode()


@pytest.fixture(scope="module")
def worker(server: Server) -> Iterator[None]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{server.database}",
        "UNIONHALL_VAR_DIR": str(server.database.parent),
        "UNIONHALL_CACHE_DIR": str(server.database.parent / "cache"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "unionhall", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_finish(page: Page) -> None:
    expect(page.locator("#uh-job-panel")).to_have_attribute("data-status", "succeeded", timeout=30_000)
    expect(page.locator("#uh-job-progress")).to_have_attribute("value", "100")


def test_officer_imports_members_with_a_dry_run_first(page: Page, server: Server, worker: None):
    members_before = server.query("SELECT count(*) FROM members_membership")[0][0]
    login(page, server, OFFICER)
    page.goto(f"{server.url}/data/import/?kind=members&unit={UNIT}")
    expect(page.locator("#id_unit")).to_have_value(UNIT)
    expect(page.locator("#id_dry_run")).to_be_checked()
    expect(page.locator("#uh-templates a")).to_have_count(4)
    page.set_input_files("#id_file", files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": MEMBERS_CSV}])
    page.click("#uh-upload")

    expect(page).to_have_url(re.compile(r"/data/jobs/\d+/$"))
    expect(page.locator("#uh-dry-run")).to_be_visible()
    _wait_for_finish(page)
    expect(page.locator("#uh-count-new")).to_have_text("2")
    expect(page.locator("#uh-count-rejected")).to_have_text("0")
    assert server.query("SELECT count(*) FROM members_membership")[0][0] == members_before
    dry_run_url = page.url

    page.click("#uh-confirm")
    expect(page).not_to_have_url(dry_run_url)
    expect(page).to_have_url(re.compile(r"/data/jobs/\d+/$"))
    expect(page.locator("#uh-dry-run")).to_have_count(0)
    _wait_for_finish(page)
    expect(page.locator("#uh-count-new")).to_have_text("2")
    assert server.query("SELECT count(*) FROM members_membership")[0][0] == members_before + 2
    names = {row[0] for row in server.query("SELECT full_name FROM members_person")}
    assert {"Nguyễn Thị Thử Nghiệm", "Trần Văn Kiểm Tra"} <= names

    page.click("#uh-user-menu")
    page.click("#uh-data-jobs")
    expect(page.locator("#uh-jobs tbody tr")).to_have_count(2)
    assert page.problems == []  # type: ignore[attr-defined]
