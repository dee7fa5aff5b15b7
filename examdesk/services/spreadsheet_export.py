"""Writing CSV and XLSX files that are safe to open: the one place every exporter goes through.

Names, titles and incident texts come from people and from imported files. A cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and LibreOffice as a formula —
`=HYPERLINK(…)` to a phishing page, `=cmd|' /C calc'!A0` (DDE) — so, following OWASP's guidance on
CSV injection, such text is neutralised: in CSV it gets a leading apostrophe; in XLSX it is written as
a string cell with Excel's *quote prefix* (the stored apostrophe: shown as typed, never evaluated,
still text after editing). Numbers are not text and stay numbers (-5 is a number, not a formula);
the full-width forms (＝＋－＠) that some Excel versions also accept count as triggers too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from examdesk.domain.clock import format_date, format_datetime

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet would run as a formula (after any leading spaces or line breaks)."""
    return isinstance(value, str) and value.lstrip(" \n").startswith(FORMULA_TRIGGERS)


def csv_text(value: object) -> str:
    """One CSV cell as Dutch Excel should read it: dates dd-mm-jjjj, formula-like text with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if is_formula_like(value):
        return "'" + value
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM, ';' and CRLF: what Dutch Excel opens right with a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in header])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def append_xlsx_row(sheet: Any, values: Sequence[object]) -> None:
    """`sheet.append(values)`, with every formula-like text cell made an inert string."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"        # openpyxl made it a formula ('f') because it starts with '='
            cell.quotePrefix = True


def xlsx_cell(sheet: Any, value: object, bold: bool = False) -> Any:
    """One cell for a write-only sheet (a large export: rows are streamed to the file, never all kept),
    formula-like text made inert exactly as `append_xlsx_row` does."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def append_streamed_row(sheet: Any, values: Sequence[object]) -> None:
    """`append_xlsx_row` for a write-only sheet: only cells that need it are made cell objects."""
    sheet.append([xlsx_cell(sheet, v) if is_formula_like(v) else v for v in values])
