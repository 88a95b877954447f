"""Browser tests: the product served as `make run` serves it (SQLite, demo organisation), driven by
Playwright in Debian's Chromium. A missing browser is a failure, never a skip."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("UNIONHALL_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "unionhall-demo-2026"
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class Server:
    def __init__(self, url: str, database: Path):
        self.url = url
        self.database = database

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unionhall(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "unionhall", *args], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("var")
    database = var / "unionhall.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "UNIONHALL_VAR_DIR": str(var),
        "UNIONHALL_CACHE_DIR": str(var / "cache"),
    }
    _unionhall("migrate", "--no-input", "-v", "0", env=env)
    _unionhall("demo", env=env)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "unionhall", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/health/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield Server(url, database)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver for the session (it cannot run twice at once); tests may launch more browsers."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required for the browser tests and was not found at {CHROMIUM}")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda r: r.url.startswith(("data:", server.url)) or page.problems.append(f"outside request {r.url}"),  # type: ignore[attr-defined]
    )
    yield page
    context.close()


def login(page: Page, server: Server, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#uh-login")
