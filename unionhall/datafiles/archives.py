"""Checks on an XLSX archive before any parser sees it: zip-bomb limits, symlinks, formulas, merged cells.

Every entry is decompressed once, in chunks, against the limits; zipfile stops at each entry's declared
size and checks its CRC, so a lying header is caught here rather than inside the parser.
"""

import io
import re
import stat
import zipfile

from django.utils.translation import gettext_lazy as _

from .errors import FileRefused
from .limits import limit

CHUNK = 1024 * 1024
# Large enough to hold any tag we look for when it straddles two chunks.
OVERLAP = 64
FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
MERGED_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell[\s>/]")
# The tags above start with "<", which every tag does; these start with a rare literal, which the regex
# engine finds at memory speed. A candidate is then confirmed against the full pattern around it.
FORMULA_CANDIDATE = re.compile(rb"f[\s>/]")
MERGED_CELL_CANDIDATE = re.compile(rb"mergeCell[\s>/]")
DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Row numbers (<row r="7">) and cell references (<c r="AB7">): the parser allocates the whole grid they span.
REFERENCE = re.compile(rb'\sr="([A-Z]{0,3})(\d{1,7})"')
# Writers separate attributes by one space; when every reference in a window does, this pattern with a
# literal start reads the window three times faster.
SPACED_REFERENCE = re.compile(rb' r="([A-Z]{0,3})(\d{1,7})"')
# Entries below this size may compress well without being a bomb.
RATIO_FLOOR = 1024 * 1024


def _damaged() -> FileRefused:
    return FileRefused(_("The Excel file is damaged or incomplete. Open it in Excel and save it again."))


def check_xlsx_archive(data: bytes) -> None:
    """Refuse the archive unless it is a plain, reasonably sized workbook without formulas or merged cells."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:
        raise _damaged() from None
    if len(infos) > limit("MAX_ZIP_ENTRIES"):
        raise FileRefused(_("The Excel file has too many parts to be a spreadsheet."), code="zip_entries")
    declared = 0
    for info in infos:
        declared += info.file_size
        if stat.S_ISLNK(info.external_attr >> 16):
            raise FileRefused(_("The Excel file contains a link to another file."), code="zip_symlink")
        if info.flag_bits & 0x1:
            raise FileRefused(_("The Excel file is protected by a password. Remove the password and try again."))
        if info.filename.startswith("/") or ".." in info.filename.split("/"):
            raise _damaged()
        if info.file_size > RATIO_FLOOR and info.file_size > limit("MAX_COMPRESSION_RATIO") * max(
            info.compress_size, 1
        ):
            raise FileRefused(_("The Excel file expands to an unreasonable size."), code="zip_bomb")
    if declared > limit("MAX_UNCOMPRESSED_BYTES"):
        raise FileRefused(_("The Excel file expands to an unreasonable size."), code="zip_bomb")
    if "xl/workbook.xml" not in archive.NameToInfo:
        raise FileRefused(_("This file is not an Excel workbook (.xlsx)."), code="not_xlsx")
    for info in infos:
        if not info.is_dir():
            _scan_entry(archive, info)


def _scan_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    tail = b""
    extent = [0, 0]
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                window = tail + chunk
                if DOCTYPE.search(window):
                    raise FileRefused(_("The Excel file contains XML declarations that are not allowed."))
                if is_sheet and _has_tag(window, FORMULA_CANDIDATE, FORMULA):
                    raise FileRefused(
                        _("The file contains formulas. Copy the cells and paste them as values only, then try again."),
                        code="formulas",
                    )
                if is_sheet and _has_tag(window, MERGED_CELL_CANDIDATE, MERGED_CELL):
                    raise FileRefused(
                        _("The file contains merged cells. Unmerge all cells, then try again."), code="merged_cells"
                    )
                if is_sheet:
                    _track_extent(window, extent)
                tail = window[-OVERLAP:]
    except FileRefused:
        raise
    except Exception:
        raise _damaged() from None


def _has_tag(window: bytes, candidate: re.Pattern[bytes], tag: re.Pattern[bytes]) -> bool:
    """Whether `tag` occurs in `window`, found through its rarer `candidate` (the tag's name onwards)."""
    for found in candidate.finditer(window):
        start = found.start()
        if window[start - 1 : start] in (b"<", b":") and tag.search(window, max(start - OVERLAP, 0), found.end()):
            return True
    return False


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _track_extent(window: bytes, extent: list[int]) -> None:
    """Refuse a sheet whose cells span more rows x columns than the parser can hold in memory."""
    # Many references, few distinct columns: the row numbers are compared in C, the columns once each.
    spaced = window.count(b' r="') == window.count(b'r="')
    references = (SPACED_REFERENCE if spaced else REFERENCE).findall(window)
    if references:
        columns, rows = zip(*references, strict=True)
        extent[0] = max(extent[0], max(map(int, rows)))
        extent[1] = max(extent[1], max(map(_column_number, set(columns))))
    if extent[1] > limit("MAX_COLUMNS") or extent[0] * max(extent[1], 1) > limit("MAX_XLSX_CELLS"):
        raise FileRefused(
            _(
                "The sheet is too large: it has cells far below or to the right of the data. "
                "Delete the empty rows and columns after the data, or split the file."
            ),
            code="sheet_too_large",
        )
