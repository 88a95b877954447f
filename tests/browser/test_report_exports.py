"""Report exports in the browser: an officer asks for the summary report as DOCX, XLSX and PDF, in Vietnamese and
in Persian, follows the progress bar until the file is offered, downloads it and the file says what it should.

The exports run in a real background worker (`unionhall db_worker`, as `make run` starts it) on the server's database.
"""

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import docx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, Server, login

pytestmark = pytest.mark.browser

# (user, language, unit): the provincial federation's officer in Vietnamese, an industrial-park officer in Persian.
CASES = [("tinh.dongnai", "vi", "DN"), ("kcn.nhontrach", "fa", "DN-KCN-NT")]
FORMATS = ["docx", "xlsx", "pdf"]


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


def file_text(data: bytes, file_format: str) -> str:
    if file_format == "pdf":
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    if file_format == "docx":
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize(("username", "language", "unit"), CASES)
def test_an_officer_exports_the_summary_report_in_each_format(
    page: Page, server: Server, worker: None, username: str, language: str, unit: str
):
    name_vi, name_fa = server.query("SELECT name_vi, name_fa FROM orgunits_unit WHERE code = ?", (unit,))[0]
    unit_name = (name_fa or name_vi) if language == "fa" else name_vi
    login(page, server, username)
    for file_format in FORMATS:
        page.goto(f"{server.url}/reports/exports/?unit={unit}&from=2025-01-01&to=2025-12-31")
        expect(page.locator("#id_unit")).to_have_value(unit)
        page.select_option("#id_file_format", file_format)
        page.select_option("#id_language", language)
        page.fill("#id_number", "12/BC-LĐLĐ")
        page.fill("#id_place", "Đồng Nai")
        page.click("#uh-export")

        expect(page).to_have_url(re.compile(r"/reports/exports/\d+/$"))
        expect(page.locator("#uh-export-panel")).to_have_attribute("data-status", "done", timeout=60_000)
        expect(page.locator("#uh-export-progress")).to_have_attribute("value", "100")
        with page.expect_download() as downloaded:
            page.click("#uh-export-download")
        download = downloaded.value
        assert download.suggested_filename == f"report-{unit}-20250101-20251231.{file_format}"
        data = download.path().read_bytes()
        text = file_text(data, file_format)

        assert "12/BC-LĐLĐ" in text
        assert unit_name.upper() in text.upper()
        if language == "vi":
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
            assert "Độc lập - Tự do - Hạnh phúc" in text
        else:
            assert "۲۰۲۵" in text  # the period, in Persian digits
    assert page.problems == []  # type: ignore[attr-defined]
