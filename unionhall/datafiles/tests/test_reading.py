"""Reading files: every bad file ends in one clear `FileRefused`, whatever its bytes."""

import datetime as dt
import io
import os
import time
import tracemalloc
import zipfile

import pytest
import xlsxwriter
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionhall.datafiles.errors import FileRefused
from unionhall.datafiles.reading import read_table

from .files import HEADER, csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages; the product's default language is Vietnamese."""
    with translation.override("en"):
        yield


ROW = ["DN-TB-001", "Công đoàn", "Union", "02/01/2024", "Đổi tên"]


def refused(data: bytes, name: str) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        table = read_table(data, name)
        list(table.rows)
    return caught.value


def rows_of(data: bytes, name: str) -> list:
    return list(read_table(data, name).rows)


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_csv_in_utf8_with_or_without_bom(encoding):
    table = read_table(csv_bytes([HEADER, ROW], encoding=encoding), "roster.csv")
    assert table.header == HEADER
    assert list(table.rows) == [(2, ROW)]


def test_csv_semicolons_as_excel_writes_them_in_vietnamese_locale():
    assert rows_of(csv_bytes([HEADER, ROW], delimiter=";"), "roster.CSV") == [(2, ROW)]
    assert rows_of(b"\r\n" + csv_bytes([HEADER, ROW], delimiter=";"), "roster.csv") == [(3, ROW)]
    assert rows_of(csv_bytes([HEADER, ROW], delimiter="\t"), "roster.csv") == [(2, ROW)]


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes([HEADER, ROW], encoding="utf-16"),
        csv_bytes([HEADER, ROW], encoding="utf-16-le"),
        csv_bytes([HEADER, ["DN", "Công", "Union", "02/01/2024", "lý do"]], encoding="cp1252"),
        csv_bytes([HEADER, ROW], encoding="utf-8") + b"\xff\xfe\xfa",
    ],
    ids=["utf-16-bom", "utf-16-no-bom", "windows-1252", "invalid-utf8-at-the-end"],
)
def test_other_encodings_are_refused(data):
    error = refused(data, "roster.csv")
    assert error.code == "encoding"
    assert "UTF-8" in str(error)


def test_blank_rows_are_skipped_and_numbers_kept():
    data = csv_bytes([[], HEADER, [], ROW, ["", " ", ""], ROW])
    assert read_table(data, "r.csv").header == HEADER
    assert rows_of(data, "r.csv") == [(4, ROW), (6, ROW)]


def test_nul_bytes_reach_the_cells_where_they_are_refused():
    assert rows_of(b"code,name\nA\x00B,x\n", "r.csv") == [(2, ["A\x00B", "x"])]


def test_header_only_and_empty_files():
    assert rows_of(csv_bytes([HEADER]), "r.csv") == []
    assert refused(b"", "r.csv").code == "empty"
    assert refused(b"\n\n ,\n", "r.csv").code == "no_header"


def test_size_and_row_limits(settings):
    settings.DATAFILES_MAX_BYTES = 1000
    assert refused(b"a" * 1001, "r.csv").code == "too_large"
    settings.DATAFILES_MAX_BYTES = 10_000
    settings.DATAFILES_MAX_ROWS = 3
    assert len(rows_of(csv_bytes([HEADER, ROW, ROW, [], ROW]), "r.csv")) == 3
    assert refused(csv_bytes([HEADER, ROW, ROW, ROW, ROW]), "r.csv").code == "too_many_rows"


# ---------------------------------------------------------------- format against name


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (xlsx_bytes([HEADER]), "roster.csv", "not_csv"),
        (csv_bytes([HEADER]), "roster.xlsx", "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "roster.xls", "unsupported_format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "protected.xlsx", "unsupported_format"),
        (csv_bytes([HEADER]), "roster.txt", "unsupported_format"),
        (xlsx_bytes([HEADER]), "roster", "unsupported_format"),
    ],
)
def test_format_must_match_the_name(data, name, code):
    assert refused(data, name).code == code


# ---------------------------------------------------------------- XLSX


def test_xlsx_first_sheet_with_typed_cells_and_blank_rows_skipped():
    data = xlsx_bytes([HEADER, ["A1", "Tên", None, dt.date(2024, 1, 2), "x"], [], [79123.0, "b", "c", 45000, "r"]])
    table = read_table(data, "Roster.XLSX")
    assert table.header == HEADER
    assert list(table.rows) == [
        (2, ["A1", "Tên", "", dt.date(2024, 1, 2), "x"]),
        (4, [79123.0, "b", "c", 45000.0, "r"]),
    ]


def test_formulas_are_refused():
    error = refused(xlsx_bytes([HEADER, ROW], formula=True), "r.xlsx")
    assert (error.code, str(error)) == (
        "formulas",
        "The file contains formulas. Copy the cells and paste them as values only, then try again.",
    )


def test_merged_cells_are_refused():
    error = refused(xlsx_bytes([HEADER, ROW], merge=True), "r.xlsx")
    assert (error.code, str(error)) == (
        "merged_cells",
        "The file contains merged cells. Unmerge all cells, then try again.",
    )


@pytest.mark.parametrize("cut", [10, 100, 1000, -200, -22])
def test_truncated_xlsx_is_damaged(cut):
    data = xlsx_bytes([HEADER, ROW] * 20)
    error = refused(data[:cut], "r.xlsx")
    assert error.code in {"file_refused", "not_xlsx"}


def _zip(entries: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16) | 0
            archive.writestr(info, b"/etc/passwd")
    return out.getvalue()


def _workbook_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, ROW]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_bomb_is_refused_fast_and_small():
    entries = _workbook_entries()
    # 256 MB of zeros in one entry, about 250 kB compressed (a ratio near 1,000).
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        with archive.open("xl/media/bomb.bin", "w", force_zip64=True) as bomb:
            chunk = b"\0" * (2 * 1024 * 1024)
            for _ in range(128):
                bomb.write(chunk)
    data = out.getvalue()
    assert len(data) < 5 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    error = refused(data, "bomb.xlsx")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error.code == "zip_bomb"
    assert elapsed < 1
    assert peak < 50 * 1024 * 1024


def test_high_ratio_and_total_size_are_each_refused(settings):
    entries = _workbook_entries()
    entries["xl/media/zeros.bin"] = b"\0" * (20 * 1024 * 1024)
    assert refused(_zip(entries), "r.xlsx").code == "zip_bomb"
    settings.DATAFILES_MAX_COMPRESSION_RATIO = 10**6
    settings.DATAFILES_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    assert refused(_zip(entries), "r.xlsx").code == "zip_bomb"


def test_too_many_entries_and_symlinks_are_refused(settings):
    settings.DATAFILES_MAX_ZIP_ENTRIES = 30
    entries = _workbook_entries()
    many = {**entries, **{f"xl/media/{i}.txt": b"x" for i in range(40)}}
    assert refused(_zip(many), "r.xlsx").code == "zip_entries"
    assert refused(_zip(entries, symlink="xl/link"), "r.xlsx").code == "zip_symlink"


def test_doctype_in_the_xml_is_refused():
    entries = _workbook_entries()
    sheet = entries["xl/worksheets/sheet1.xml"]
    entries["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"?>", b'?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>', 1
    )
    assert "XML declarations" in str(refused(_zip(entries), "r.xlsx"))


def test_a_zip_that_is_not_a_workbook():
    assert refused(_zip({"hello.txt": b"hi"}), "r.xlsx").code == "not_xlsx"


# ---------------------------------------------------------------- never anything but FileRefused


def _read_all(data: bytes, name: str) -> None:
    try:
        table = read_table(data, name)
        for _row in table.rows:
            pass
    except FileRefused:
        pass


# Seconds in CI; a nightly run can ask for more with DATAFILES_FUZZ_EXAMPLES.
FUZZ = settings(
    max_examples=int(os.environ.get("DATAFILES_FUZZ_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
VALID_XLSX = xlsx_bytes([HEADER, ROW, ["x", 1.5, dt.date(2020, 1, 1), True, None]])
VALID_CSV = csv_bytes([HEADER, ROW], encoding="utf-8-sig")


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f"]))
def test_fuzz_arbitrary_bytes(data, name):
    _read_all(data, name)


@FUZZ
@given(data=st.data(), base=st.sampled_from([(VALID_XLSX, "f.xlsx"), (VALID_CSV, "f.csv")]))
def test_fuzz_mutated_valid_files(data, base):
    content, name = base
    mutated = bytearray(content)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(mutated) - 1))
        operation = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if operation == "flip":
            mutated[position] = data.draw(st.integers(0, 255))
        elif operation == "delete":
            del mutated[position : position + data.draw(st.integers(1, 64))]
        elif operation == "insert":
            mutated[position:position] = data.draw(st.binary(min_size=1, max_size=32))
        else:
            del mutated[position:]
        if not mutated:
            break
    _read_all(bytes(mutated), name)


@pytest.mark.parametrize(("row", "col"), [(10, 16383), (300_000, 30), (1_048_575, 5)])
def test_stray_cells_far_from_the_data_are_refused_before_the_parser_allocates_the_grid(row, col):
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out)
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "code")
    sheet.write_string(row, col, "x")
    workbook.close()
    started = time.perf_counter()
    assert refused(out.getvalue(), "r.xlsx").code == "sheet_too_large"
    assert time.perf_counter() - started < 1


VALID_PARTS = {
    name: zipfile.ZipFile(io.BytesIO(VALID_XLSX)).read(name)
    for name in zipfile.ZipFile(io.BytesIO(VALID_XLSX)).namelist()
}


@FUZZ
@given(data=st.data(), part=st.sampled_from(sorted(VALID_PARTS)))
def test_fuzz_mutated_parts_inside_a_sound_archive(data, part):
    """The zip is intact (CRCs match), so the mutated XML reaches the parser itself."""
    content = bytearray(VALID_PARTS[part])
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, max(len(content) - 1, 0)))
        replacement = data.draw(
            st.binary(max_size=16) | st.sampled_from([b"<", b">", b'"', b"</c>", b'<c r="Z9">', b"9"])
        )
        content[position : position + data.draw(st.integers(0, 16))] = replacement
    _read_all(_zip({**VALID_PARTS, part: bytes(content)}), "f.xlsx")
