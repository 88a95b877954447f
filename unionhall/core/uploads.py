"""What an uploaded file really is, read from its first bytes (and, for Office files, its zip directory).

The name and the type the browser claims are ignored: a PDF starts with %PDF-, a PNG and a JPEG
with their signatures, and DOCX and XLSX are zip packages holding word/document.xml or
xl/workbook.xml. Only the zip directory is read, nothing is decompressed. Every app that takes
files (initiatives' attachments, activities' documents and photos) uses these.
"""

import zipfile
from typing import IO, Any

from django.db import models

from .text import clean_text

ZIP_MAGIC = b"PK\x03\x04"


class FileType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"


EXTENSIONS = {
    FileType.PDF: "pdf",
    FileType.DOCX: "docx",
    FileType.XLSX: "xlsx",
    FileType.PNG: "png",
    FileType.JPEG: "jpg",
}
IMAGE_TYPES = frozenset({FileType.PNG, FileType.JPEG})


def sniff(stream: IO[bytes]) -> str | None:
    """The content type of the file, one of `FileType`, or None when it is none of them."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
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
            return FileType.DOCX
        if "xl/workbook.xml" in names:
            return FileType.XLSX
    return None


def file_size(stream: Any) -> int:
    """The size in bytes: the upload's own, or measured by seeking to the end."""
    size = getattr(stream, "size", None)
    if size is None:
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
    return int(size)


def original_name(name: str) -> str:
    """The file's own name without any folder (never used to store it), or "file"."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_text(base)[:255] or "file"
