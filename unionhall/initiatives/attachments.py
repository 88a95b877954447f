"""What an attached file really is, read from its first bytes (and, for Office files, its zip directory).

The name and the type the browser claims are ignored: a PDF starts with %PDF-, a PNG and a JPEG
with their signatures, and DOCX and XLSX are zip packages holding word/document.xml or
xl/workbook.xml. Only the zip directory is read, nothing is decompressed.
"""

import zipfile
from typing import IO

from django.conf import settings

from .choices import AttachmentType

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PER_INITIATIVE = 20
ZIP_MAGIC = b"PK\x03\x04"
EXTENSIONS = {
    AttachmentType.PDF: "pdf",
    AttachmentType.DOCX: "docx",
    AttachmentType.XLSX: "xlsx",
    AttachmentType.PNG: "png",
    AttachmentType.JPEG: "jpg",
}


def max_bytes() -> int:
    return int(getattr(settings, "INITIATIVES_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(stream: IO[bytes]) -> str | None:
    """The content type of the file, one of `AttachmentType`, or None when it is none of them."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return AttachmentType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return AttachmentType.JPEG
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(stream) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return AttachmentType.DOCX
        if "xl/workbook.xml" in names:
            return AttachmentType.XLSX
    return None
