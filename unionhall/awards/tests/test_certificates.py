"""The award certificate PDF: texts in the language asked for, scoping, revoked awards, the audit entry."""

import subprocess
from pathlib import Path

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.awards import certificates, services
from unionhall.core.errors import DomainError, NotFound

from .awarding import TODAY, YEAR, decide, english, member  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


def pdf_text(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def award(cast):
    lan = member(cast, cast.unit, "Nguyễn Thị Lan")
    return decide(cast, "lao_dong_tien_tien", [(lan, YEAR, None)], number="15/QĐ-CĐ").awards.get()


def test_the_certificate_in_vietnamese(cast, award, tmp_path):
    text = pdf_text(tmp_path, certificates.certificate_pdf(actor=cast.officer, award=award, language="vi"))
    for expected in (
        "Lao động tiên tiến",
        "Nguyễn Thị Lan",
        "Công đoàn cơ sở Công ty Sông Mây",
        "15/QĐ-CĐ",
        "20/01/2025",
    ):
        assert expected in text, expected
    assert "Trần Văn Ký" in text and "2024" in text


def test_the_certificate_in_english_by_default_for_an_english_reader(cast, award, tmp_path):
    text = pdf_text(tmp_path, certificates.certificate_pdf(actor=cast.officer, award=award))
    assert "Advanced Worker" in text
    assert "For the achievements of 2024" in text
    assert "Decision number" in text


def test_the_certificate_in_persian_uses_persian_digits(cast, award, tmp_path):
    text = pdf_text(tmp_path, certificates.certificate_pdf(actor=cast.officer, award=award, language="fa"))
    assert "کارگر پیشرو" in text
    assert "۲۰۲۴" in text


def test_printing_is_logged(cast, award):
    certificates.certificate_pdf(actor=cast.officer, award=award, language="vi")
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.after["language"], entry.unit_id) == ("award.certificate", "vi", cast.unit.pk)


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_an_award_outside_the_scope_has_no_certificate(cast, award, who):
    before = AuditEntry.objects.count()
    with pytest.raises(NotFound):
        certificates.certificate_pdf(actor=getattr(cast, who), award=award, language="vi")
    assert AuditEntry.objects.count() == before


def test_a_revoked_award_has_no_certificate(cast, award):
    services.award_revoke(actor=cast.admin, award=award, reason="fraud", revoked_on=TODAY, today=TODAY)
    with pytest.raises(DomainError) as caught:
        certificates.certificate_pdf(actor=cast.officer, award=award, language="vi")
    assert caught.value.code == "revoked"


def test_an_unknown_language_is_refused(cast, award):
    with pytest.raises(DomainError):
        certificates.certificate_pdf(actor=cast.officer, award=award, language="de")
