"""The export opens in Excel/LibreOffice with the right columns: read back with openpyxl and csv."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from openpyxl import load_workbook

from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.roles import Role
from examdesk.services.register import RegisterService
from examdesk.services.register_export import INSTRUMENT_COLUMNS


def test_xlsx_export(ctx_for, tmp_path):
    service = RegisterService(ctx_for(Role.BUREAU))
    path = tmp_path / "register.xlsx"
    assert service.export(path) == 40
    wb = load_workbook(path)
    assert wb.sheetnames == ["Register", "Leveranciers", "Routekeuzes", "Over dit bestand"]
    ws = wb["Register"]
    header = [c.value for c in ws[1]]
    assert header == [name for name, _ in INSTRUMENT_COLUMNS]
    assert header[:6] == ["Crebo", "Kwalificatie", "Niveau", "Soort kwalificatie", "Code", "Titel"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:V41"
    rows = {r[4]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 40
    log = rows["LOG-PVB-K1"]
    assert log["Valide op peildatum"] == "nee"
    assert "het certificaat van Logistiek Examencentrum Nederland is verlopen" in log["Reden niet valide"]
    assert isinstance(log["Certificaat geldig tot"], datetime)
    assert isinstance(log["Vastgesteld op"], datetime)
    assert ws.cell(row=2, column=header.index("Vastgesteld op") + 1).number_format == "DD-MM-YYYY"
    assert rows["VIG-PVB-K1"]["Valide op peildatum"] == "ja"
    assert rows["KOK-LB-1"]["Past bij routekeuze"].startswith("Route 2 is niet gekozen")
    assert rows["MV-PVB-K1"]["Past bij routekeuze"].startswith("geen routekeuze voor")
    suppliers = [r for r in wb["Leveranciers"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "Logistiek Examencentrum Nederland" and r[5].startswith("certificaat verlopen op")
               for r in suppliers)


def test_csv_export_for_dutch_excel(ctx_for, tmp_path):
    service = RegisterService(ctx_for(Role.COMMISSIE))
    path = tmp_path / "register.csv"
    service.export(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:5] == ["Crebo", "Kwalificatie", "Niveau", "Soort kwalificatie", "Code"]
    assert len(rows) == 41
    by_code = {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_code["VIG-PVB-K1"]["Vastgesteld op"].count("-") == 2  # dd-mm-jjjj
    assert by_code["VIG-PVB-K1"]["Titel"] == "Proeve van bekwaamheid Verzorgende IG – zorg verlenen"


def test_export_refusals(ctx_for, tmp_path):
    with pytest.raises(ValidationError, match=".xlsx- of .csv"):
        RegisterService(ctx_for(Role.BUREAU)).export(tmp_path / "register.pdf")
    with pytest.raises(PermissionDenied):
        RegisterService(ctx_for(Role.SURVEILLANT)).export(tmp_path / "register.xlsx")
