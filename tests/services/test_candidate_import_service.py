"""Importing candidates from CSV and XLSX: re-import updates, mapping remembered, all or nothing; the CLI."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from examdesk.cli import main
from examdesk.data.sessions import candidate_by_number, count_candidates
from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role
from examdesk.services.candidates import CandidateService, read_table

CSV = ("Deelnemernummer;Achternaam;Tussenvoegsel;Roepnaam;Geboortedatum;Opleidingscode;Cohort\n"
       "5001;Wójcik;;Łukasz;2007-06-01;25192;2024\n5002;Berg;van den;Loïs;12-12-2009;25491;2025\n")


def test_reimport_updates_by_studentnummer_and_remembers_the_mapping(store, ctx_for, tmp_path):
    service = CandidateService(ctx_for(Role.BUREAU))
    path = tmp_path / "eduarte.csv"
    path.write_bytes(CSV.encode("utf-8-sig"))
    table = read_table(path)
    mapping = service.mapping_for("Eduarte", table.header)
    before = count_candidates(store)
    result = service.import_table(table, mapping, "Eduarte")
    assert (result.added, result.updated) == (2, 0)
    path.write_bytes(CSV.replace("25491;2025", "25491;2026").encode("utf-8"))
    again = service.import_table(read_table(path), service.mapping_for("Eduarte", table.header), "Eduarte")
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    assert count_candidates(store) == before + 2
    assert candidate_by_number(store, "5002").cohort == "2026"
    assert "Eduarte" in service.mapping_sources()


def test_file_with_an_error_saves_nothing(store, ctx_for, tmp_path):
    service = CandidateService(ctx_for(Role.BUREAU))
    path = tmp_path / "osiris.csv"
    path.write_text(CSV + "5001;Dubbel;;Piet;01-01-2008;25192;2024\n", encoding="utf-8")
    before = count_candidates(store)
    with pytest.raises(ValidationError, match="Er is niets geïmporteerd. Regel 4: studentnummer 5001 staat ook op regel 2"):
        service.import_file(path)
    assert count_candidates(store) == before


def test_xlsx_with_real_dates(store, ctx_for, tmp_path):
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.append(["Studentnummer", "Achternaam", "Voornaam", "Geboortedatum", "Extra tijd"])
    ws.append([6001, "Nguyễn", "Thi Mai", datetime(2008, 2, 29), 30])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    result = CandidateService(ctx_for(Role.BUREAU)).import_file(path)
    assert result.added == 1
    c = candidate_by_number(store, "6001")
    assert c.full_name == "Thi Mai Nguyễn" and c.birth_date.isoformat() == "2008-02-29" and c.extra_minutes == 30


def test_cli_import_kandidaten(demo_db, tmp_path, monkeypatch, capsys):
    path = tmp_path / "lijst.csv"
    path.write_bytes(CSV.encode("cp1252", errors="replace").replace(b"?", b"L"))
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    code = main(["import", "kandidaten", str(path), "--db", str(demo_db), "--user", "bureau"])
    assert code == 0
    assert "2 kandidaten toegevoegd" in capsys.readouterr().out
    code = main(["import", "kandidaten", str(path), "--db", str(demo_db), "--user", "bureau", "--mapping", "Onbekend"])
    assert code == 1
    assert "Er is geen koppeling met de naam 'Onbekend'" in capsys.readouterr().err
    code = main(["import", "kandidaten", str(path), "--db", str(demo_db), "--user", "surveillant"])
    assert code == 1
    assert "mag niet kandidaten beheren" in capsys.readouterr().err
