"""Report files (DOCX, XLSX, PDF), the export jobs and their pages: what each file says, who may have it."""

import dataclasses
import datetime as dt
import hashlib
import io
import subprocess
import tempfile
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from unionhall.access.models import RoleGrant
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.pdf import _html_with_defaults, local_fetcher
from unionhall.reports import exporting
from unionhall.reports.choices import ExportStatus
from unionhall.reports.exports import DocumentInfo, render
from unionhall.reports.exports.content import Cell, Table
from unionhall.reports.exports.pdf import USER_AGENT, column_widths
from unionhall.reports.models import ReportExport
from unionhall.reports.periods import years

from .exports_report import report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = DocumentInfo(
    number="12/BC-LĐLĐ",
    place="Đồng Nai",
    signer_name="Nguyễn Văn An",
    signer_title="Chủ tịch",
    recipients=("Tổng Liên đoàn Lao động Việt Nam", "Lưu: VT"),
    issuer_parent="Tổng Liên đoàn Lao động Việt Nam",
    date=dt.date(2026, 11, 26),
)


def docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return document, "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


# ---- the files


def test_the_vietnamese_docx_is_laid_out_as_an_administrative_report():
    data = render(report(), file_format="docx", language="vi", document=DOCUMENT)
    document, text = docx_text(data)
    header = document.tables[0]
    issuer = header.rows[0].cells[0].text.splitlines()
    assert issuer == ["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐỒNG NAI"]
    assert header.rows[0].cells[1].text.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert header.rows[1].cells[1].text == "Đồng Nai, ngày 26 tháng 11 năm 2026"
    assert "12/BC-LĐLĐ" in header.rows[1].cells[0].text
    assert "6.800" in text and "10.177" in text and "120,44%" in text
    assert "Nguyễn Văn An" in text and "CHỦ TỊCH" in text and "- Lưu: VT;" in text
    # A chart per section with figures and the trend, as PNG images.
    assert len(document.inline_shapes) == 7
    assert document.paragraphs[0]._p.find(f"{W}pPr/{W}bidi") is None


def test_the_english_docx_says_the_narrative_in_english():
    with translation.override("en"):
        _document, text = docx_text(render(report(), file_format="docx", language="en", document=DOCUMENT))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text
    assert "Independence - Freedom - Happiness" in text
    assert "No.: 12/BC-LĐLĐ" in text
    assert "Summary report of Dong Nai Provincial Federation of Labour" in text
    assert (
        "In 2023–2025, the whole system had 6,800 initiatives and solutions recognised, "
        "bringing a benefit of more than 185 billion VND." in text
    )


def test_the_persian_docx_runs_right_to_left_without_right_alignment():
    data = render(report(), file_format="docx", language="fa", document=DOCUMENT)
    document, text = docx_text(data)
    body = document.element.body
    paragraphs = body.findall(f".//{W}p")
    with_text = [p for p in paragraphs if "".join(t.text or "" for t in p.iter(f"{W}t"))]
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in with_text)
    assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in body.iter(f"{W}r") if r.find(f"{W}t") is not None)
    assert not [jc for jc in body.iter(f"{W}jc") if jc.get(f"{W}val") == "right"]
    assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in body.iter(f"{W}tbl"))
    assert "۶٬۸۰۰" in text
    assert "۱۴۰۵" in text  # the Jalali year of 26 November 2026
    styles = document.styles["Normal"].element
    assert styles.find(f"{W}rPr/{W}rFonts").get(f"{W}cs") == "Vazirmatn"


def test_the_xlsx_has_a_sheet_per_section_formula_safe_cells_and_native_charts():
    with translation.override("en"):
        data = render(report(), file_format="xlsx", language="en", document=DOCUMENT)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Summary",
        "Members",
        "Grassroots unions",
        "Emulation, initiatives and comm",
        "Activities and dissemination",
        "Workplace democracy",
        "Models and joint programmes",
        "By unit",
        "Trend",
    ]
    members = book["Members"]
    assert [c.value for c in members[1]] == [
        "Indicator",
        "This period",
        "Previous period",
        "Change",
        "Target",
        "% of target",
    ]
    assert [c.value for c in members[4]] == ["Members joined", 10177, 9000, 1177, 8450, 120.44]
    by_unit = book["By unit"]
    assert by_unit["A2"].value == "=Công đoàn phường Trấn Biên"
    assert by_unit["A2"].data_type == "s"
    assert by_unit["A3"].value == "Total"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert len(charts) == 7
    assert "rightToLeft" not in sheet


def test_the_arabic_xlsx_sheets_run_right_to_left():
    data = render(report(), file_format="xlsx", language="ar", document=DOCUMENT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all('rightToLeft="1"' in archive.read(n).decode() for n in sheets)
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert all(len(name) <= 31 for name in names)


def test_the_pdf_embeds_its_fonts_and_reads_in_persian():
    data = render(report(), file_format="pdf", language="fa", document=DOCUMENT)
    text = pdf_text(data)
    assert "فدراسیون کار استان دونگ نای" in text
    assert "۱۲۵٬۰۰۰" in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()
    if not fonts:  # pdffonts cannot read standard input on every version
        fonts = _pdffonts(data)
    assert "Vazirmatn" in fonts


def _pdffonts(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        out.write(data)
        out.flush()
        return subprocess.run(["pdffonts", out.name], capture_output=True, check=True).stdout.decode()


def test_the_vietnamese_pdf_reads_the_header_and_figures():
    text = pdf_text(render(report(), file_format="pdf", language="vi", document=DOCUMENT))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đồng Nai, ngày 26 tháng 11 năm 2026" in text
    assert "6.800" in text


def test_the_pdf_prints_markup_characters_of_the_officers_text_as_text():
    """The report page is parsed as XML: what officers type (here `&`, `<`, quotes) must reach it escaped."""
    document = dataclasses.replace(
        DOCUMENT, signer_name='Trần "Bé" <An>', recipients=("Công đoàn Cao su & Hóa chất", "Lưu: VT")
    )
    text = pdf_text(render(report(), file_format="pdf", language="vi", document=document))
    assert 'Trần "Bé" <An>' in text
    assert "- Công đoàn Cao su & Hóa chất;" in text


def test_the_pdf_fetcher_refuses_the_network():
    fetcher = local_fetcher()
    for url in ("http://example.com/font.woff2", "https://example.com/chart.svg"):
        with pytest.raises(ValueError, match="Only local files"):
            fetcher.fetch(url)


def test_the_report_pdf_lays_out_from_its_own_browser_defaults():
    """WeasyPrint's own defaults are replaced through a hook of its HTML class; an upgrade that drops it fails here."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    assert "_ua_stylesheets" in vars(weasyprint.HTML)
    document_class = _html_with_defaults(USER_AGENT)
    assert issubclass(document_class, weasyprint.HTML)
    html = (
        '<html dir="rtl"><head><title>t</title></head><body><h1>A</h1><section><h3>B</h3>'
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>x</td><td>y</td></tr></tbody></table>"
        "</section><p>z</p></body></html>"
    )
    document = document_class(string=html).render()
    # Headings still make the outline, tables are still tables, and the direction is the page's.
    assert [
        (label, [child[0] for child in children]) for label, _at, children, _state in document.make_bookmark_tree()
    ] == [("A", ["B"])]
    page = document.pages[0]._page_box

    def kinds(box) -> set[type]:
        return {type(box)} | {k for child in getattr(box, "children", []) for k in kinds(child)}

    assert {boxes.TableBox, boxes.TableRowBox, boxes.TableCellBox} <= kinds(page)
    assert page.children[0].style["direction"] == "rtl"
    assert sorted("".join(pdf_text(document.write_pdf()).split())) == sorted("ABhxyz")  # not the <title> "t"


def test_pdf_columns_fit_their_longest_figure_and_the_first_column_takes_the_rest():
    # "123": 3 x 1.85 mm, less than the least column (12 mm): 4 + 12 = 16 mm.
    # "144.253.302.000": 12 digits x 1.85 + 3 separators x 0.9 = 24.9 mm, and 4 mm of cell: 28.9 mm.
    table = Table("t", ["Unit", "A", "B"], [[Cell("x"), Cell("123"), Cell("144.253.302.000")]])
    widths = column_widths(table)
    # Two narrow columns leave more than the first column's most (72 mm): they share the rest in proportion.
    assert widths == [45.0, round(100 * 88 * 16 / 44.9 / 160, 2), round(100 * 88 * 28.9 / 44.9 / 160, 2)]
    assert sum(widths) == pytest.approx(100, abs=0.02)
    six = Table("t", ["Unit", *"ABCDEF"], [[Cell("x"), *(Cell("1.000") for _ in range(6))]])
    # Six columns of 4 + 12 = 16 mm: 96 mm, the first column keeps 64 mm.
    assert column_widths(six) == [40.0, *[10.0] * 6]
    # "+111.114.568.000": 13 x 1.85 + 3 x 0.9 + 4 = 30.75 mm; "12,5%": 3 x 1.85 + 0.9 + 2.8 = 9.25 mm, under 12: 16 mm.
    three = Table("t", ["Unit", *"ABCD"], [[Cell("x"), *(Cell("+111.114.568.000") for _ in range(3)), Cell("12,5%")]])
    assert column_widths(three) == [32.34, 19.22, 19.22, 19.22, 10.0]  # the first column: 160 - 3 x 30.75 - 16 mm
    # Figures too wide to leave the first column 30 mm: WeasyPrint lays the table out itself.
    wide = Table("t", ["Unit", *"ABCDE"], [[Cell("x"), *(Cell("+111.114.568.000") for _ in range(5))]])
    assert column_widths(wide) is None


def test_progress_is_reported_up_to_a_hundred():
    heard: list[int] = []
    render(report(), file_format="docx", language="en", progress=heard.append)
    assert heard[0] == 20 and heard[-1] == 100 and heard == sorted(heard)


# ---- the jobs


def _create(cast, actor, **kwargs):
    values = {"unit": cast.province, "period": years(2023, 2025), "file_format": "pdf", "language": "vi"}
    return exporting.report_export_create(actor=actor, **{**values, **kwargs})


def test_an_export_is_recorded_logged_and_queued_on_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        export = _create(cast, cast.admin, document=DOCUMENT)
    assert len(callbacks) == 1
    assert (export.status, export.progress, export.file_format, export.language) == ("queued", 0, "pdf", "vi")
    entry = AuditEntry.objects.filter(action="report.export").get()
    assert entry.after["unit"] == "DN"
    assert entry.after["document"]["number"] == "12/BC-LĐLĐ"


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"file_format": "odt"}, DomainError, "file_format"),
        ({"language": "de"}, DomainError, "language"),
        ({"period": "2023-01-01/2025-12-31"}, DomainError, "from"),
        ({"document": DocumentInfo(number="x" * 201)}, DomainError, "number"),
    ],
)
def test_bad_input_changes_nothing(cast, kwargs, error, field):
    audit = AuditEntry.objects.count()
    with pytest.raises(error) as raised:
        _create(cast, cast.admin, **kwargs)
    assert raised.value.field == field
    assert ReportExport.objects.count() == 0
    assert AuditEntry.objects.count() == audit


def test_a_unit_outside_the_actors_scope_was_not_found(cast):
    audit = AuditEntry.objects.count()
    with pytest.raises(NotFound, match=r"^Unit DN-TB-002 was not found\.$"):
        _create(cast, cast.officer, unit=cast.sibling_unit)
    assert ReportExport.objects.count() == 0
    assert AuditEntry.objects.count() == audit


def test_a_run_builds_the_report_from_the_records_and_stores_the_file(cast):
    export = _create(cast, cast.parent, unit=cast.commune, file_format="docx", language="en")
    done = exporting.report_export_run(export_id=export.pk, document=dataclasses.replace(DOCUMENT, issuer_parent=""))
    assert (done.status, done.progress, done.error) == (ExportStatus.DONE, 100, "")
    with default_storage.open(done.file.name, "rb") as stored:
        data = stored.read()
    assert done.sha256 == hashlib.sha256(data).hexdigest()
    _document, text = docx_text(data)
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐỒNG NAI" in text  # the commune's parent, above it
    assert "CÔNG ĐOÀN PHƯỜNG TRẤN BIÊN" in text
    assert "Công đoàn cơ sở Công ty Sông Mây" in text  # a row per direct unit
    # A second run of the same export does nothing.
    assert exporting.report_export_run(export_id=export.pk).sha256 == done.sha256


def test_a_failed_run_keeps_a_plain_message(cast, monkeypatch):
    export = _create(cast, cast.admin)

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(exporting, "render", broken)
    failed = exporting.report_export_run(export_id=export.pk)
    assert failed.status == ExportStatus.FAILED
    assert failed.error == "The file could not be written; please try again or ask an administrator."
    assert "secret" not in failed.error and not failed.file


# ---- the pages


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_starts_an_export_and_the_panel_offers_the_file(cast, django_capture_on_commit_callbacks):
    client = client_for(cast.officer)
    page = client.get(reverse("reports:export_start"), {"unit": "dn-tb-001", "from": "2025-01-01", "to": "2025-12-31"})
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == "DN-TB-001"
    posted = {"unit": "DN-TB-001", "from": "2025-01-01", "to": "2025-12-31", "file_format": "xlsx", "language": "en"}
    posted |= {"recipients": "Lưu: VT\n", "number": "", "place": "", "title": "", "signer_title": "", "signer_name": ""}
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("reports:export_start"), posted)
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:export", args=[export.pk])
    panel = client.get(reverse("reports:export_progress", args=[export.pk]))
    assert b'data-status="queued"' in panel.content and b"hx-get" in panel.content
    exporting.report_export_run(export_id=export.pk)
    panel = client.get(reverse("reports:export_progress", args=[export.pk]))
    assert b'data-status="done"' in panel.content and b"hx-get" not in panel.content
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"] == 'attachment; filename="report-DN-TB-001-20250101-20251231.xlsx"'
    assert AuditEntry.objects.filter(action="report.export_download").count() == 1


def test_a_bad_period_is_shown_on_the_form(cast):
    client = client_for(cast.officer)
    posted = {"unit": "DN-TB-001", "from": "2025-12-31", "to": "2025-01-01", "file_format": "pdf", "language": "vi"}
    response = client.post(reverse("reports:export_start"), posted)
    assert response.status_code == 200
    assert response.context["form"].errors["to"] == ["The period ends before it starts."]
    posted |= {"from": "2025-01-01", "to": "2025-12-31", "unit": "DN-TB-002"}
    response = client.post(reverse("reports:export_start"), posted)
    assert response.context["form"].errors["unit"] == ["Unit DN-TB-002 was not found."]
    assert ReportExport.objects.count() == 0


@pytest.mark.parametrize("who", ["sibling", "outsider", "parent"])
def test_only_the_starter_sees_an_export(cast, who):
    export = _create(cast, cast.officer, unit=cast.unit, file_format="pdf")
    exporting.report_export_run(export_id=export.pk)
    client = client_for(getattr(cast, who))
    for name in ("reports:export", "reports:export_progress", "reports:export_download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="report.export_download").count() == 0


def test_a_starter_who_no_longer_sees_the_unit_gets_a_404(cast):
    export = _create(cast, cast.officer, unit=cast.unit)
    RoleGrant.objects.filter(user=cast.officer).delete()
    assert client_for(cast.officer).get(reverse("reports:export", args=[export.pk])).status_code == 404


def test_pages_need_a_signed_in_user(cast):
    response = Client().get(reverse("reports:export_start"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_number_and_symbol_keep_their_order_in_a_persian_pdf():
    number = dataclasses.replace(DOCUMENT, number="12/BC-LĐLĐ")
    with translation.override("fa"):
        text = pdf_text(render(report(), file_format="pdf", language="fa", document=number))
    assert "12/BC-LĐLĐ" in text  # without the left-to-right isolate it reads "BC-LĐLĐ/12"
    with translation.override("vi"):
        _document, text = docx_text(render(report(), file_format="docx", language="vi", document=number))
    assert "Số: 12/BC-LĐLĐ" in text
