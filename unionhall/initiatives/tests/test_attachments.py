"""Attachments: the type is read from the content (not the name), the size is limited, removal deletes the file."""

import pytest

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError, NotFound
from unionhall.initiatives import attachments, services
from unionhall.initiatives.models import InitiativeAttachment

from .files import DOCX, JPEG, PDF, PNG, XLSX, office, upload
from .snapshots import initiatives_state
from .stories import draft, people, submitted


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "ho-so.pdf", "application/pdf"),
        (PNG, "anh.png", "image/png"),
        (JPEG, "anh.jpg", "image/jpeg"),
        (DOCX, "mo-ta.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "so-lieu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        # The name does not matter: a PDF called .png is a PDF.
        (PDF, "trick.png", "application/pdf"),
    ],
)
def test_each_accepted_type_is_recognised_from_its_content(cast, data, name, expected):
    initiative = draft(cast)
    attachment = services.attachment_add(actor=cast.officer, initiative=initiative, file=upload(data, name))
    attachment.refresh_from_db()
    assert (attachment.original_name, attachment.size, attachment.content_type) == (name, len(data), expected)
    assert attachment.file.name.startswith(f"initiatives/{initiative.pk}/")
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    entry = AuditEntry.objects.get(action="initiative.attachment_add")
    assert entry.after == {"initiative_id": initiative.pk, "name": name, "size": len(data), "content_type": expected}
    assert entry.unit_id == cast.unit.pk


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 an executable",
        office("content.xml"),  # an OpenDocument-like zip
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_content_is_refused_whatever_its_name(cast, data):
    initiative = draft(cast)
    before = initiatives_state()
    with pytest.raises(DomainError) as caught:
        services.attachment_add(actor=cast.officer, initiative=initiative, file=upload(data, "ho-so.pdf"))
    assert caught.value.code == "file_type"
    assert str(caught.value) == "Only PDF, DOCX, XLSX, PNG and JPEG files can be attached; this file is none of them."
    assert initiatives_state() == before


def test_an_empty_or_too_large_file_is_refused(cast, settings):
    initiative = draft(cast)
    before = initiatives_state()
    with pytest.raises(DomainError) as caught:
        services.attachment_add(actor=cast.officer, initiative=initiative, file=upload(b""))
    assert caught.value.code == "empty_file"
    settings.INITIATIVES_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError) as caught:
        services.attachment_add(actor=cast.officer, initiative=initiative, file=upload(PDF + b"0" * 1024 * 1024))
    assert caught.value.code == "file_too_large"
    assert str(caught.value) == "The file is too large: at most 1 MB."
    assert initiatives_state() == before
    assert attachments.max_bytes() == 1024 * 1024


def test_the_stored_name_never_comes_from_the_user(cast):
    initiative = draft(cast)
    attachment = services.attachment_add(
        actor=cast.officer, initiative=initiative, file=upload(PDF, "../../etc/passwd.pdf")
    )
    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name


def test_remove_deletes_the_row_and_the_file(cast, django_capture_on_commit_callbacks):
    initiative = draft(cast)
    attachment = services.attachment_add(actor=cast.officer, initiative=initiative, file=upload(PDF))
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=cast.officer, attachment=attachment)
    assert not InitiativeAttachment.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.get(action="initiative.attachment_remove").before["name"] == "file.pdf"


def test_attachments_only_while_the_application_is_editable_and_in_scope(cast):
    lan, binh = people(cast)
    initiative = submitted(cast, [(lan, "50"), (binh, "50")])
    before = initiatives_state()
    with pytest.raises(DomainError) as caught:
        services.attachment_add(actor=cast.officer, initiative=initiative, file=upload(PDF))
    assert caught.value.code == "wrong_status"
    with pytest.raises(NotFound):
        services.attachment_add(actor=cast.sibling, initiative=draft(cast), file=upload(PDF))
    assert initiatives_state()["attachments"] == before["attachments"]
