"""The recognition certificate: an A4 landscape PDF in the asked language, with the title and number; logged."""

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError, NotFound
from unionhall.initiatives import certificates
from unionhall.members.tests.people import fresh
from unionhall.members.tests.test_cards_pdf import page_size_mm, pdf_file, pdf_fonts, pdf_text

from .stories import accepted, people, recognised


@pytest.fixture
def initiative(cast):
    lan, binh = people(cast)
    return recognised(cast, [(lan, "60"), (binh, "40")], number="SK-2024-015")


def test_an_english_certificate(cast, initiative, tmp_path):
    path = pdf_file(
        tmp_path, certificates.certificate_pdf(actor=fresh(cast.officer), initiative=initiative, language="en")
    )
    text = pdf_text(path)
    for expected in (
        "INITIATIVE CERTIFICATE",
        "GIẤY CHỨNG NHẬN SÁNG KIẾN",
        "SK-2024-015",
        "Cải tiến khuôn ép nhựa",
        "Nguyễn Thị Lan",
        "Trần Văn Bình",
        "Sep 10, 2024",
        "Công đoàn cơ sở Công ty Sông Mây",
    ):
        assert expected in text, expected
    assert page_size_mm(path) == (297.0, 210.0)
    fonts = pdf_fonts(path)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts)
    entry = AuditEntry.objects.get(action="initiative.certificate")
    assert (entry.object_id, entry.unit_id, entry.after) == (
        str(initiative.pk),
        cast.unit.pk,
        {"certificate_number": "SK-2024-015", "language": "en"},
    )


@pytest.mark.parametrize("language", ["vi", "ar", "fa"])
def test_other_languages_render_with_the_number(cast, initiative, tmp_path, language):
    path = pdf_file(
        tmp_path, certificates.certificate_pdf(actor=fresh(cast.officer), initiative=initiative, language=language)
    )
    text = pdf_text(path)
    assert "SK-2024-015" in text
    assert "Nguyễn Thị Lan" in text
    assert AuditEntry.objects.get(action="initiative.certificate").after["language"] == language


def test_only_a_recognised_initiative_has_a_certificate(cast):
    lan, binh = people(cast)
    initiative = accepted(cast, [(lan, "60"), (binh, "40")])
    with pytest.raises(DomainError) as caught:
        certificates.certificate_pdf(actor=cast.officer, initiative=initiative, language="en")
    assert caught.value.code == "not_recognised"
    assert not AuditEntry.objects.filter(action="initiative.certificate").exists()


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_outside_the_scope_there_is_no_certificate(cast, initiative, who):
    with pytest.raises(NotFound):
        certificates.certificate_pdf(actor=getattr(cast, who), initiative=initiative, language="en")
    assert not AuditEntry.objects.filter(action="initiative.certificate").exists()
