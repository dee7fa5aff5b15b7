"""Reading a spreadsheet the way people actually save them (register lists, student-system exports): CSV with ';', ',' or tab, in UTF-8
(with or without BOM), UTF-16 or cp1252, empty lines anywhere; XLSX with a title row or merged
header cells above the real header. Every row keeps the number the user sees in Excel.

A file comes from outside, so it is bounded before it is read (issue 11, "Resource exhaustion"): its
size; for an XLSX the number of parts in the zip, what they unpack to (declared sizes and the ratio,
so a zip bomb is refused before it is unpacked), no DTD in any XML part, and for the sheet that is read
the rows, columns and merged ranges — a 4.9 KB file with one merged range A1:XFD1048576 once took 56 s
and 6.8 GB. Bytes that do not decode are refused too. Every refusal names the file and what is wrong."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.etree.ElementTree import ParseError, XMLPullParser

from examdesk.domain.errors import ValidationError
from examdesk.domain.plural import number
from examdesk.domain.register_import import Column, header_score, normalise_header

HEADER_SEARCH_ROWS = 10

MAX_FILE_BYTES = 50 * 1024 * 1024            # the file as it lies on disk
MAX_XLSX_PARTS = 1_000                       # files inside the zip
MAX_UNPACKED_BYTES = 200 * 1024 * 1024       # all parts together, unpacked
MAX_PACKING_RATIO = 200                      # unpacked / packed, for a part larger than BOMB_MIN_BYTES
BOMB_MIN_BYTES = 4 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000                        # rows × columns of the rectangle the sheet spans
MAX_MERGED_CELLS = 100_000                   # all merged ranges together
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Table:
    header_row: int                          # row number of the header, as Excel shows it
    headers: list[str]
    rows: list[tuple[int, list[object]]]     # (row number, cells), empty rows left out
    encoding: str = ""                       # of a CSV: 'utf-8', 'utf-8-sig', 'utf-16', 'cp1252'
    delimiter: str = ""                      # of a CSV


def _line_of(text: str) -> int:
    return text.count("\n") + 1


def decode(raw: bytes, name: str = "Het bestand") -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (what Dutch Excel
    writes by default). Bytes that do not fit the encoding are refused with the row they are on."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            row = _line_of(raw[3:exc.start].decode("utf-8", errors="replace"))
            raise ValidationError(f"{name}, rij {row}: het bestand zegt UTF-8 te zijn (het begint met een UTF-8-"
                                  "kenmerk), maar bevat bytes die geen UTF-8 zijn. Sla het opnieuw op als CSV "
                                  "UTF-8.") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(raw) % 2:
            raise ValidationError(f"{name} zegt UTF-16 te zijn (het begint met een UTF-16-kenmerk), maar heeft een "
                                  f"oneven aantal bytes ({number(len(raw))}): het is afgebroken of beschadigd. Sla "
                                  "het opnieuw op als CSV UTF-8.")
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            row = _line_of(raw[:exc.start - exc.start % 2].decode("utf-16", errors="replace"))
            raise ValidationError(f"{name}, rij {row}: het bestand zegt UTF-16 te zijn, maar bevat tekens die "
                                  "geen UTF-16 zijn (het is beschadigd). Sla het opnieuw op als CSV UTF-8.") from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        row = _line_of(raw[:exc.start].decode("cp1252", errors="replace"))
        raise ValidationError(f"{name}, rij {row}: het bestand bevat bytes die geen tekst zijn in UTF-8 of Windows-"
                              f"1252 (byte {exc.object[exc.start]:#04x}); sla het op als CSV UTF-8 of als XLSX.") from None


def sniff_delimiter(line: str) -> str:
    """The delimiter is the one of ';', tab, ',' that occurs most in the header line outside quotes."""
    counts = {";": 0, "\t": 0, ",": 0, "|": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: (counts[c], c == ";"))
    return best if counts[best] else ";"


def _is_empty(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _pick_header(rows: list[tuple[int, list[object]]], score: Callable[[Sequence[object]], int]) -> int:
    """Index (in `rows`) of the row that looks most like the header among the first few."""
    best, best_score = 0, -1
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        s = score(cells)
        if s > best_score:
            best, best_score = i, s
    return best


def read_csv(raw: bytes, columns: Sequence[Column] | None = None, name: str = "Het bestand") -> Table:
    text, encoding = decode(raw, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ValidationError(f"{name}, rij {line}: het bestand is geen leesbare CSV (het bevat binaire tekens); "
                              "sla het op als CSV of XLSX.")
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for cells in reader:
            if not _is_empty(cells):
                if len(rows) >= MAX_ROWS:
                    raise ValidationError(f"{name} heeft meer dan {number(MAX_ROWS)} rijen; zo lang is geen lijst "
                                          "voor ExamDesk. Splits het bestand.")
                if len(cells) > MAX_COLUMNS:
                    raise ValidationError(f"{name}, rij {start}: {number(len(cells))} kolommen, meer dan "
                                          f"{number(MAX_COLUMNS)}; dat is geen lijst voor ExamDesk.")
                rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(f"{name}, rij {reader.line_num}: het bestand is geen leesbare CSV ({exc}).") from None
    return replace(_table(rows, columns, name=name), encoding=encoding, delimiter=delimiter)


# --- XLSX: bounded before openpyxl sees it --------------------------------------------------------

def _not_xlsx(name: str, why: str) -> ValidationError:
    return ValidationError(f"{name} is geen leesbaar Excel-bestand (.xlsx): {why}")


def _check_archive(path: Path) -> None:
    """The zip around the workbook: how many parts, what they unpack to (by what the zip declares and by
    the ratio, before anything is unpacked), and no DTD in any XML part (Excel never writes one; an
    entity in a DTD is how XML is made to grow without end)."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_xlsx(name, f"het is geen zip-bestand ({exc}).") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            raise _not_xlsx(name, f"het bevat {number(len(parts))} onderdelen, meer dan {number(MAX_XLSX_PARTS)}.")
        total = sum(p.file_size for p in parts)
        if total > MAX_UNPACKED_BYTES:
            raise _not_xlsx(name, f"uitgepakt wordt het {number(total // 2**20)} MB, meer dan "
                                  f"{number(MAX_UNPACKED_BYTES // 2**20)} MB; zo groot is geen lijst (een zip-bom?). "
                                  "Er is niets ingelezen.")
        for part in parts:
            if part.file_size > BOMB_MIN_BYTES and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1):
                raise _not_xlsx(name, f"het onderdeel {part.filename} wordt bij uitpakken "
                                      f"{number(part.file_size // max(part.compress_size, 1))} keer zo groot; dat is een "
                                      "zip-bom, geen werkblad. Er is niets ingelezen.")
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                _scan_for_dtd(archive, part, name)


def _scan_for_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str) -> None:
    tail = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise _not_xlsx(name, f"het onderdeel {part.filename} bevat een XML-documenttypedefinitie "
                                          "(DOCTYPE of ENTITY); Excel schrijft die nooit.")
                tail = window[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _not_xlsx(name, f"het onderdeel {part.filename} is beschadigd ({exc}).") from None


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class _Shape:
    rows: int = 0
    columns: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # min_col, min_row, max_col, max_row


def _scan_sheet(archive: zipfile.ZipFile, member: str, name: str) -> _Shape:
    """Rows, columns and merged ranges of one worksheet, read as a stream and refused at the first limit
    crossed — before openpyxl builds anything for them."""
    from openpyxl.utils.cell import range_boundaries

    shape = _Shape()
    merged_cells = 0
    parser = XMLPullParser(events=("start", "end"))
    row = 0
    column = 0

    def handle(event: str, element) -> None:
        nonlocal row, column, merged_cells
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "end":
            if tag == "row":
                element.clear()
            return
        if tag == "row":
            r = element.get("r")
            row = int(r) if r and r.isdigit() else row + 1
            column = 0
            if row > MAX_ROWS:
                raise ValidationError(f"{name}: het eerste werkblad heeft rij {number(row)}, meer dan "
                                      f"{number(MAX_ROWS)} rijen; zo lang is geen lijst voor ExamDesk. Splits het bestand.")
            shape.rows = max(shape.rows, row)
        elif tag == "c":
            ref = _CELL_REF.match(element.get("r") or "")
            column = _column_number(ref.group(1)) if ref else column + 1
            if column > MAX_COLUMNS:
                raise ValidationError(f"{name}: het eerste werkblad gebruikt kolom {ref.group(1) if ref else column} "
                                      f"(kolom {number(column)}), meer dan {number(MAX_COLUMNS)} kolommen; dat is geen "
                                      "lijst voor ExamDesk.")
            shape.columns = max(shape.columns, column)
            if shape.rows * shape.columns > MAX_CELLS:
                raise ValidationError(f"{name}: het eerste werkblad beslaat {number(shape.rows)} rijen × "
                                      f"{number(shape.columns)} kolommen, meer dan {number(MAX_CELLS)} cellen.")
        elif tag == "mergeCell":
            ref = element.get("ref") or ""
            try:
                bounds = range_boundaries(ref)
            except (ValueError, TypeError):
                raise ValidationError(f"{name}: het samengevoegde celbereik '{ref[:40]}' is ongeldig.") from None
            min_col, min_row, max_col, max_row = bounds
            if None in bounds:
                raise ValidationError(f"{name}: het samengevoegde celbereik '{ref[:40]}' is ongeldig.")
            area = (max_col - min_col + 1) * (max_row - min_row + 1)
            merged_cells += area
            if merged_cells > MAX_MERGED_CELLS:
                size = (f"beslaat {number(area)} cellen" if area == merged_cells else
                        f"brengt de samengevoegde cellen op {number(merged_cells)}")
                raise ValidationError(
                    f"{name}: het samengevoegde celbereik {ref} {size}, meer dan {number(MAX_MERGED_CELLS)}. "
                    "Maak de samenvoeging ongedaan en sla het bestand opnieuw op.")
            shape.merges.append(bounds)

    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    handle(event, element)
        parser.close()
        for event, element in parser.read_events():
            handle(event, element)
    except ParseError as exc:
        raise _not_xlsx(name, f"het werkblad is geen geldige XML ({exc}).") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise _not_xlsx(name, f"het werkblad is beschadigd ({exc}).") from None
    return shape


def read_xlsx(path: Path, columns: Sequence[Column] | None = None) -> Table:
    from openpyxl import load_workbook

    name = path.name
    _check_archive(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # InvalidFileException, KeyError, BadZipFile and friends: damaged or renamed
        raise _not_xlsx(name, f"{exc}.") from None
    try:
        if not workbook.worksheets:
            raise _not_xlsx(name, "het bevat geen werkblad.")
        sheet = workbook.worksheets[0]
        with zipfile.ZipFile(path) as archive:
            shape = _scan_sheet(archive, sheet._worksheet_path, name)   # openpyxl's own path of that sheet
        sheet.reset_dimensions()    # the <dimension> a file declares is not trusted: rows are as long as they are
        # A merged cell holds its value only in the top-left; give every cell of the range that value,
        # so a header spanning columns (or rows) names each column it covers. Bounded by the scan.
        spans: dict[int, int] = {}
        for _, min_row, max_col, max_row in shape.merges:
            for r in range(min_row, max_row + 1):
                spans[r] = max(spans.get(r, 0), max_col)
        tops: dict[tuple[int, int], object] = {}
        fill: dict[tuple[int, int], tuple[int, int]] = {}
        for min_col, min_row, max_col, max_row in shape.merges:
            tops[(min_row, min_col)] = None
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    fill[(r, c)] = (min_row, min_col)
        raw_rows: list[tuple[int, list[object]]] = []
        for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values) + [None] * (spans.get(r, 0) - len(values))
            for c, v in enumerate(cells, start=1):
                if (r, c) in tops:
                    tops[(r, c)] = v
            raw_rows.append((r, cells))
    except ValidationError:
        raise
    except Exception as exc:  # a part openpyxl cannot parse
        raise _not_xlsx(name, f"{exc}.") from None
    finally:
        workbook.close()
    rows: list[tuple[int, list[object]]] = []
    for r, values in raw_rows:
        cells = [tops[fill[(r, c)]] if (r, c) in fill else v for c, v in enumerate(values, start=1)]
        if not _is_empty(cells):
            rows.append((r, cells))
    return _table(rows, columns, merged_header=bool(fill), name=name)


def _table(rows: list[tuple[int, list[object]]], columns: Sequence[Column] | None,
           merged_header: bool = False, name: str = "Het bestand") -> Table:
    """Without known columns (a file the user maps by hand) the first non-empty row is the header."""
    if not rows:
        raise ValidationError(f"{name} is leeg: er staan geen rijen in.")
    if columns is None:
        return Table(rows[0][0], ["" if h is None else str(h).strip() for h in rows[0][1]], rows[1:])
    at = _pick_header(rows, lambda cells: header_score(cells, columns))
    header_row, headers = rows[at]
    names = ["" if h is None else str(h).strip() for h in headers]
    if merged_header and at > 0 and rows[at - 1][0] == header_row - 1:
        # Two header rows, a merged group such as 'Geldigheid' over 'van' | 'tot': a column takes
        # the joined text ('Geldigheid van') when that is a name the register knows.
        known = {alias for column in columns for alias in column.aliases}
        above = rows[at - 1][1]
        for i, name_ in enumerate(names):
            top = above[i] if i < len(above) else None
            joined = f"{'' if top is None else str(top).strip()} {name_}".strip()
            if top is not None and normalise_header(joined) in known and normalise_header(top) != normalise_header(name_):
                names[i] = joined
    return Table(header_row, names, rows[at + 1:])


def read_table(path: Path, columns: Sequence[Column] | None = None) -> Table:
    """Reads the first sheet of an .xlsx or a .csv/.txt file. Bad files raise ValidationError."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise ValidationError(f"Het bestand {path} bestaat niet.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"{path.name} kan niet worden gelezen: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise ValidationError(f"{path.name} is {number(size // 2**20)} MB, groter dan {number(MAX_FILE_BYTES // 2**20)} MB; "
                              "dat is geen lijst voor ExamDesk.")
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, columns)
    if suffix == ".xls":
        raise ValidationError(f"{path.name} is een oud Excel-bestand (.xls); sla het op als .xlsx of .csv.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path.name} kan niet worden gelezen: {exc.strerror}.") from None
    if raw.startswith(b"PK\x03\x04"):
        return read_xlsx(path, columns)
    return read_csv(raw, columns, path.name)
