"""Formula injection (OWASP CSV injection): names and incident texts that start with =, +, -, @, a tab or
a carriage return come out of every CSV and XLSX export as inert text; numbers stay numbers.

Attack first: each payload below is what someone could type into a supplier name, an instrument title,
a candidate's name or an incident text, and what Excel would have run."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from examdesk.domain.candidates import Candidate
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.register import InstrumentDraft, SupplierDraft
from examdesk.domain.roles import Role
from examdesk.domain.sessions import IncidentInput
from examdesk.services.candidates import CandidateService
from examdesk.services.doc_incidenten import export_incidents
from examdesk.services.register import RegisterService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.spreadsheet_export import csv_text, is_formula_like
from tests.session_support import DAY, Clock, at, context, plan_session

HYPERLINK = '=HYPERLINK("https://example.invalid/inlog","Klik hier voor uw cijfer")'
DDE = "=cmd|' /C calc'!A0"
PLUS = "+31-6-12345678"
MINUS = "-2+3+cmd|' /C notepad'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=1+1"
PAYLOADS = [HYPERLINK, DDE, PLUS, MINUS, AT, TAB, CR, "  =1+1", "\uff1d1+1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_every_trigger_is_recognised_and_neutralised_in_csv(text):
    assert is_formula_like(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -2.5, 3, 0, None, "Jansen", "e=mc²", "a-b", "Loïs van den Berg", "", "'al"])
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert not is_formula_like(value)
    assert csv_text(value) == ("" if value is None else str(value))


def _no_formulas_in(path: Path) -> None:
    """No cell of any sheet in the file is a formula: nothing for Excel to run."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _xlsx_cells(path: Path) -> dict[object, object]:
    book = load_workbook(path)
    return {cell.value: cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}


# --- the register export -------------------------------------------------------------------------------

@pytest.fixture
def poisoned_register(ctx_for) -> RegisterService:
    service = RegisterService(ctx_for(Role.COMMISSIE))
    supplier = service.add_supplier(SupplierDraft(HYPERLINK))
    crebo = service.list_qualifications()[0].crebo
    service.add_instrument(InstrumentDraft("INJ-1", DDE, crebo, AT, "proeve van bekwaamheid", False, 1,
                                           supplier_id=supplier.id, validator=PLUS))
    service.add_instrument(InstrumentDraft("INJ-2", MINUS, crebo, TAB, "proeve van bekwaamheid", False, 2,
                                           validator=CR))
    return service


def test_register_csv_export_neutralises_formula_cells(poisoned_register, tmp_path):
    path = tmp_path / "register.csv"
    poisoned_register.export(path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    cells = {c for row in rows for c in row}
    for payload in (HYPERLINK, DDE, PLUS, MINUS, AT, "=1+1"):     # the register strips the tab and CR it got
        assert "'" + payload in cells, payload
        assert payload not in cells
    assert not any(is_formula_like(c) for c in cells)
    niveau = rows[0].index("Niveau")
    assert any(row[niveau].isdigit() for row in rows[1:])          # numbers are still plain numbers


def test_register_xlsx_export_writes_formula_cells_as_text(poisoned_register, tmp_path):
    path = tmp_path / "register.xlsx"
    poisoned_register.export(path)
    _no_formulas_in(path)
    cells = _xlsx_cells(path)
    for payload in (HYPERLINK, DDE, PLUS, MINUS, AT, "=1+1"):
        cell = cells[payload]                                      # shown exactly as typed …
        assert cell.data_type == "s" and cell.quotePrefix, payload  # … and never evaluated
    sheet = load_workbook(path)["Register"]
    header = [c.value for c in sheet[1]]
    route = header.index("Route") + 1
    assert all(sheet.cell(r, route).data_type == "n" for r in range(2, sheet.max_row + 1))


# --- the incident overview export -------------------------------------------------------------------------

@pytest.fixture
def poisoned_incident(store, ctx_for) -> object:
    clock = Clock(at(8, 0))
    names = [("Noor", "", AT), ("Daan", "", "Vries")]
    sid, ids = plan_session(store, clock, count=2, names=names)
    mode = SessionModeService(context(store, "surveillant", clock), sid)
    clock.set(8, 40)
    mode.record_receipt("Jan Bakker", True)
    mode.mark_present(ids)
    clock.set(9, 2)
    mode.start()
    clock.set(9, 30)
    mode.log_incident(IncidentInput("ONWEL", candidate_ids=(ids[0],), what_happened=HYPERLINK, what_was_done=DDE))
    clock.set(9, 40)
    mode.log_incident(IncidentInput("ONWEL", candidate_ids=(ids[1],), what_happened=MINUS, what_was_done=PLUS))
    return ctx_for(Role.COMMISSIE)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_incident_overview_exports_neutralise_names_and_texts(poisoned_incident, tmp_path, suffix):
    path = tmp_path / f"incidenten{suffix}"
    assert export_incidents(poisoned_incident, IncidentFilter(date_from=DAY, date_to=DAY), path) == 2
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
        cells = {c for row in rows for c in row}
        for payload in (HYPERLINK, DDE, MINUS, PLUS):
            assert "'" + payload in cells and payload not in cells
        assert any(AT in c for c in cells) and not any(is_formula_like(c) for c in cells)
    else:
        _no_formulas_in(path)
        cells = _xlsx_cells(path)
        for payload in (HYPERLINK, DDE, MINUS, PLUS):
            assert cells[payload].data_type == "s" and cells[payload].quotePrefix
        sheet = load_workbook(path).active
        count_column = [c.value for c in sheet[1]].index("Aantal kandidaten") + 1
        assert all(isinstance(sheet.cell(r, count_column).value, int) for r in (2, 3))


def test_a_candidate_named_like_a_formula_is_saved_as_typed(ctx_for):
    """Neutralising happens on the way out; the database keeps exactly what was typed."""
    saved = CandidateService(ctx_for(Role.BUREAU)).save(Candidate("INJ001", AT, first_name="Noor"))
    assert saved.last_name == AT
