"""Reading a spreadsheet the way people actually save them (register lists, student-system exports): CSV with ';', ',' or tab, in UTF-8
(with or without BOM), UTF-16 or cp1252, empty lines anywhere; XLSX with a title row or merged
header cells above the real header. Every row keeps the number the user sees in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from examdesk.domain.errors import ValidationError
from examdesk.domain.register_import import Column, header_score, normalise_header

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Table:
    header_row: int                          # row number of the header, as Excel shows it
    headers: list[str]
    rows: list[tuple[int, list[object]]]     # (row number, cells), empty rows left out
    encoding: str = ""                       # of a CSV: 'utf-8', 'utf-8-sig', 'utf-16', 'cp1252'
    delimiter: str = ""                      # of a CSV


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (what Dutch Excel
    writes by default)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


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


def read_csv(raw: bytes, columns: Sequence[Column] | None = None) -> Table:
    text, encoding = decode(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ValidationError(f"Rij {line}: het bestand is geen leesbare CSV (het bevat binaire tekens); "
                              "sla het op als CSV of XLSX.")
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for cells in reader:
            if not _is_empty(cells):
                rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(f"Rij {reader.line_num}: het bestand is geen leesbare CSV ({exc}).") from None
    return replace(_table(rows, columns), encoding=encoding, delimiter=delimiter)


def read_xlsx(path: Path, columns: Sequence[Column] | None = None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ValidationError(f"{path.name} is geen leesbaar Excel-bestand (.xlsx): {exc}.") from None
    except Exception as exc:  # zipfile.BadZipFile and friends: a damaged or renamed file
        raise ValidationError(f"{path.name} is geen leesbaar Excel-bestand (.xlsx): {exc}.") from None
    sheet = workbook.worksheets[0]
    # A merged cell holds its value only in the top-left; give every cell of the range that value,
    # so a header spanning columns (or rows) names each column it covers.
    fill: dict[tuple[int, int], object] = {}
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                fill[(r, c)] = value
    rows: list[tuple[int, list[object]]] = []
    for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [fill.get((r, c), v) for c, v in enumerate(values, start=1)]
        if not _is_empty(cells):
            rows.append((r, cells))
    workbook.close()
    return _table(rows, columns, merged_header=bool(fill))


def _table(rows: list[tuple[int, list[object]]], columns: Sequence[Column] | None,
           merged_header: bool = False) -> Table:
    """Without known columns (a file the user maps by hand) the first non-empty row is the header."""
    if not rows:
        raise ValidationError("Het bestand is leeg: er staan geen rijen in.")
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
        for i, name in enumerate(names):
            top = above[i] if i < len(above) else None
            joined = f"{'' if top is None else str(top).strip()} {name}".strip()
            if top is not None and normalise_header(joined) in known and normalise_header(top) != normalise_header(name):
                names[i] = joined
    return Table(header_row, names, rows[at + 1:])


def read_table(path: Path, columns: Sequence[Column] | None = None) -> Table:
    """Reads the first sheet of an .xlsx or a .csv/.txt file. Bad files raise ValidationError."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise ValidationError(f"Het bestand {path} bestaat niet.")
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
    return read_csv(raw, columns)
