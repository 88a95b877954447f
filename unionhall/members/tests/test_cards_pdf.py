"""The printable union card: text, embedded fonts, the QR payload, scoping, the audit entry, no network."""

import datetime as dt
import socket
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import zxingcpp
from PIL import Image

from conftest import grant, make_user
from unionhall.audit.models import AuditEntry
from unionhall.core import pdf
from unionhall.core.errors import DomainError, NotFound
from unionhall.members import cards, services
from unionhall.members.models import UnionCard

from .people import TODAY, fresh, register

ISSUED = dt.date(2024, 6, 1)


@pytest.fixture
def card(cast) -> UnionCard:
    person = register(cast.officer, cast.unit, "Nguyễn Thị Hằng", gender="female", date_of_birth=dt.date(1990, 1, 1))
    return services.card_issue(actor=cast.officer, person=person, card_number="dn-0001", issue_date=ISSUED, today=TODAY)


def pdf_file(tmp_path: Path, data: bytes, name: str = "card.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name without the subset prefix, embedded yes/no) for every font in the file."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        fields = line.split()
        fonts.append((fields[0].split("+")[-1], fields[-5]))
    return fonts


def page_size_mm(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    return round(float(size[2]) * 25.4 / 72, 1), round(float(size[4]) * 25.4 / 72, 1)


def qr_payloads(path: Path, tmp_path: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        return [
            barcode.text for barcode in zxingcpp.read_barcodes(image) if barcode.format == zxingcpp.BarcodeFormat.QRCode
        ]


def test_a_vietnamese_card_shows_the_holder_with_embedded_fonts_and_a_qr_of_the_member_code(cast, card, tmp_path):
    code = card.person.member_code
    path = pdf_file(tmp_path, cards.card_pdf(actor=fresh(cast.officer), card=card, language="vi"))
    text = pdf_text(path)
    for expected in (
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "Nguyễn Thị Hằng",
        code,
        "DN-0001",
        "01/06/2024",
        "Công đoàn cơ sở Công ty Sông Mây",
    ):
        assert expected in text, expected
    assert page_size_mm(path) == (85.6, 54.0)
    fonts = pdf_fonts(path)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts)
    assert {name for name, _ in fonts} == {"Noto-Sans", "Noto-Sans-Bold"}
    assert qr_payloads(path, tmp_path) == [code]


def test_a_persian_card_is_right_to_left_with_vazirmatn_and_persian_digits(cast, card, tmp_path):
    code = card.person.member_code
    path = pdf_file(tmp_path, cards.card_pdf(actor=cast.officer, card=card, language="fa"))
    text = pdf_text(path)
    assert "Nguyễn Thị Hằng" in text and code in text and "DN-0001" in text
    assert "۲۰۲۴" in text and "2024" not in text
    fonts = pdf_fonts(path)
    assert all(embedded == "yes" for _name, embedded in fonts)
    assert {"Vazirmatn", "Noto-Sans-Bold"} <= {name for name, _ in fonts}
    assert qr_payloads(path, tmp_path) == [code]


def test_the_card_speaks_the_actors_language_by_default_and_every_print_is_logged(cast, card, tmp_path):
    before = AuditEntry.objects.count()
    path = pdf_file(tmp_path, cards.card_pdf(actor=fresh(cast.parent), card=card))
    assert "Member code:" in pdf_text(path)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.object_id, entry.unit_path, entry.actor_id) == (
        "card.printed",
        "members.unioncard",
        str(card.pk),
        cast.unit.path,
        cast.parent.pk,
    )
    assert entry.after == {"member_code": card.person.member_code, "card_number": "DN-0001", "language": "en"}


def test_a_viewer_of_the_unit_may_print(cast, card):
    viewer = make_user("viewer")
    grant(viewer, cast.unit, role="viewer")
    assert cards.card_pdf(actor=viewer, card=card, language="vi").startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_out_of_scope_is_not_found_and_nothing_is_logged(cast, card, who):
    before = AuditEntry.objects.count()
    with pytest.raises(NotFound) as info:
        cards.card_pdf(actor=getattr(cast, who), card=card, language="vi")
    assert str(info.value) == "Card DN-0001 was not found."
    assert AuditEntry.objects.count() == before


def test_a_former_unit_reads_the_history_but_does_not_print_the_card(cast, card):
    membership = card.person.memberships.get()
    services.membership_transfer(
        actor=cast.admin, membership=membership, new_unit=cast.sibling_unit, day=dt.date(2024, 7, 1), today=TODAY
    )
    before = AuditEntry.objects.count()
    with pytest.raises(NotFound):
        cards.card_pdf(actor=fresh(cast.officer), card=card, language="vi")
    assert AuditEntry.objects.count() == before


def test_only_an_active_card_is_printed_and_only_in_an_offered_language(cast, card):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        cards.card_pdf(actor=cast.officer, card=card, language="de")
    assert (str(info.value), info.value.field) == ("Choose one of the languages offered.", "language")
    services.card_status_change(actor=cast.officer, card=card, status="lost")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        cards.card_pdf(actor=cast.officer, card=card, language="vi")
    assert (str(info.value), info.value.code) == (
        "Only an active card can be printed; this one is Lost.",
        "card_not_active",
    )
    assert AuditEntry.objects.count() == before


def test_rendering_opens_no_network_connection(cast, card, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the card render tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert cards.card_pdf(actor=cast.officer, card=card, language="ar").startswith(b"%PDF-")


def test_the_fetcher_serves_only_the_font_files():
    fetcher = pdf.local_fetcher()
    noto = pdf.NOTO_DIR / "NotoSans-Regular.ttf"
    response = fetcher.fetch(noto.as_uri())
    assert response.read() == noto.read_bytes()
    for url in (
        "http://example.com/font.woff2",
        "https://example.com/font.woff2",
        "file:///etc/passwd",
        "file://example.com/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        (pdf.NOTO_DIR / ".." / ".." / ".." / ".." / ".." / "etc" / "passwd").as_uri(),
        "data:text/plain,hello",
    ):
        with pytest.raises(ValueError, match="Only"):
            fetcher.fetch(url)


def test_every_declared_font_is_a_local_file():
    faces = pdf.font_faces()
    families = {family for family, _weight, _url in faces}
    assert {"Noto Sans", "Noto Sans Arabic", "Vazirmatn"} <= families
    assert all(url.startswith("file:///") for _family, _weight, url in faces)


def test_the_declared_fonts_are_truetype_files():
    # WeasyPrint decompresses a WOFF2 file at every render (0.6 s a document): the PDF embeds TrueType.
    for _family, _weight, url in pdf.font_faces():
        path = Path(unquote(urlsplit(url).path))
        assert path.suffix == ".ttf"
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"


def test_the_fetcher_serves_the_documents_own_images_and_no_other_data():
    fetcher = pdf.local_fetcher()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    response = fetcher.fetch(pdf.data_image_url(svg, "image/svg+xml"))
    assert (response.read(), response.headers["Content-Type"]) == (svg, "image/svg+xml")
    for url in (
        "data:image/svg+xml,%3Csvg%2F%3E",  # not base64
        "data:image/svg+xml;base64,not base64!",
        "data:text/html;base64,PGI+aGk8L2I+",
        "data:image/jpeg;base64,AAAA",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="Not an image type"):
        pdf.data_image_url(b"<b>hi</b>", "text/html")
