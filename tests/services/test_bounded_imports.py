"""Spreadsheet imports are bounded before they are read (issue 11, "Resource exhaustion"): a merged
range over the whole sheet, a zip bomb, a DTD, a sheet that claims a million rows, and CSV bytes that
do not decode are each refused with a Dutch sentence naming the file — and nothing is imported.

Attack first: every file here is built by hand, the way someone who wants to hurt the program would."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from examdesk.domain.errors import ValidationError
from examdesk.domain.register_import import ImportKind
from examdesk.domain.roles import Role
from examdesk.services import tabular
from examdesk.services.candidates import CandidateService, read_table
from examdesk.services.register import RegisterService

SHEET = "xl/worksheets/sheet1.xml"


def _workbook_bytes(rows: list[list[object]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows or [["Studentnummer", "Achternaam"], ["1001", "Jansen"]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, changes: dict[str, bytes], level: int = 6) -> bytes:
    """The same zip with some parts replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=level) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changes.pop(info.filename, src.read(info.filename)))
        for name, content in changes.items():
            dst.writestr(name, content)
    return out.getvalue()


def _with_merge(ref: str) -> bytes:
    data = _workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(SHEET).decode()
    sheet = sheet.replace("</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>')
    return _rewrite(data, {SHEET: sheet.encode()})


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(ValidationError) as info:
        read_table(path)
    message = info.value.message
    assert path.name in message, message
    for word in words:
        assert word in message, message
    return message


def test_one_merged_range_over_the_whole_sheet_is_refused_fast_and_small(tmp_path):
    """Issue 11: a 4.9 KB XLSX with one merged range A1:XFD1048576 took 56 s and 6.8 GB."""
    path = tmp_path / "samengevoegd.xlsx"
    path.write_bytes(_with_merge("A1:XFD1048576"))
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    try:
        message = _refused(path, "A1:XFD1048576", "samengevoegde celbereik", "17.179.869.184")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB for a refusal"
    assert "Traceback" not in message


def test_a_merged_range_is_refused_by_the_register_and_the_candidate_import_alike(tmp_path, ctx_for):
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(_with_merge("B2:ZZ9000"))
    bureau = ctx_for(Role.BUREAU)
    before = bureau.store.query_one("SELECT count(*) FROM audit_log")[0]
    with pytest.raises(ValidationError, match="samengevoegde celbereik B2:ZZ9000"):
        RegisterService(bureau).check_import(ImportKind.QUALIFICATIONS, path)
    with pytest.raises(ValidationError, match="samengevoegde celbereik B2:ZZ9000"):
        CandidateService(bureau).preview_file(path)
    assert bureau.store.query_one("SELECT count(*) FROM audit_log")[0] == before


def test_a_small_merged_header_still_reads(tmp_path):
    path = tmp_path / "kop.xlsx"
    path.write_bytes(_with_merge("A1:B1"))
    table = tabular.read_table(path)
    assert table.headers == ["Studentnummer", "Studentnummer"]     # the merged value fills both columns


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    padding = b" " * (60 * 2**20)                                   # 60 MB of spaces packs to ~60 KB
    data = _workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(SHEET)
    bomb = _rewrite(data, {SHEET: sheet.replace(b"<sheetData>", b"<sheetData>" + padding)}, level=9)
    path = tmp_path / "bom.xlsx"
    path.write_bytes(bomb)
    assert path.stat().st_size < 1_000_000
    _refused(path, "zip-bom", SHEET)


def test_a_part_that_declares_a_gigabyte_is_refused_by_what_it_declares(tmp_path):
    """The zip's own size fields say 1 GiB: refused from the directory, nothing is inflated."""
    data = bytearray(_workbook_bytes())
    gib = 2**30
    at = data.find(b"PK\x01\x02")
    while at != -1:                                                 # central directory: uncompressed size at +24
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == SHEET.encode():
            struct.pack_into("<I", data, at + 24, gib)
        at = data.find(b"PK\x01\x02", at + 4)
    path = tmp_path / "groot.xlsx"
    path.write_bytes(bytes(data))
    _refused(path, "MB", "zip-bom")


def test_a_dtd_with_entities_is_refused(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    path = tmp_path / "lach.xlsx"
    path.write_bytes(_rewrite(_workbook_bytes(), {"xl/sharedStrings.xml": laughs}))
    _refused(path, "DOCTYPE")


@pytest.mark.parametrize("cell,words", [
    ('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>', ("rij 1.048.576", "rijen")),
    ('<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>', ("kolom XFD", "kolommen")),
    ('<row r="90000"><c r="ALL90000" t="inlineStr"><is><t>x</t></is></c></row>', ("cellen",)),
])
def test_a_sheet_that_spans_too_many_rows_columns_or_cells_is_refused(tmp_path, cell, words):
    data = _workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(SHEET).decode()
    path = tmp_path / "wijd.xlsx"
    path.write_bytes(_rewrite(data, {SHEET: sheet.replace("</sheetData>", cell + "</sheetData>").encode()}))
    _refused(path, *words)


def test_a_lying_dimension_is_not_believed(tmp_path):
    """The <dimension> element claims the whole sheet; the rows are read as they are."""
    data = _workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(SHEET).decode()
    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', sheet)
    assert "XFD1048576" in sheet
    path = tmp_path / "dimensie.xlsx"
    path.write_bytes(_rewrite(data, {SHEET: sheet.encode()}))
    table = tabular.read_table(path)
    assert table.headers == ["Studentnummer", "Achternaam"] and len(table.rows) == 1


# --- CSV bytes that do not decode ---------------------------------------------------------------------

@pytest.mark.parametrize("raw,words", [
    (b"\xff\xfe" + "Studentnummer;Achternaam\n1001;Jansen\n".encode("utf-16-le") + b"\x00", ("oneven aantal bytes",)),
    (b"\xfe\xff" + "Studentnummer\n".encode("utf-16-be") + b"\x00", ("oneven aantal bytes", "UTF-16")),
    (b"\xff\xfe" + "a;b\n".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"), ("rij 2", "UTF-16")),
    (b"\xef\xbb\xbfStudentnummer;Achternaam\n1001;Jans\xffen\n", ("rij 2", "UTF-8")),
    (b"Studentnummer;Achternaam\n1001;Jansen\n1002;Vri\x81s\n", ("rij 3", "0x81")),
])
def test_csv_bytes_that_do_not_decode_get_a_dutch_refusal_naming_the_file(tmp_path, raw, words):
    path = tmp_path / "kandidaten.csv"
    path.write_bytes(raw)
    _refused(path, *words)


def test_the_odd_utf16_file_is_refused_through_the_candidate_import_too(tmp_path, ctx_for):
    path = tmp_path / "osiris-export.csv"
    path.write_bytes(b"\xff\xfe" + "Studentnummer;Achternaam\n1001;Jansen\n".encode("utf-16-le") + b"\x00")
    bureau = ctx_for(Role.BUREAU)
    before = bureau.store.query_one("SELECT count(*) FROM candidates")[0]
    with pytest.raises(ValidationError, match="osiris-export.csv.*oneven"):
        CandidateService(bureau).preview_file(path)
    assert bureau.store.query_one("SELECT count(*) FROM candidates")[0] == before


def test_a_file_larger_than_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "groot.csv"
    path.write_bytes(b"a;b\n" * 500)
    _refused(path, "groter dan")
