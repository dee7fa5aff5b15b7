"""Importing candidates from CSV and XLSX: a preview per candidate and field before anything is written,
a re-import that keeps what the file does not carry, every changed field audited, all or nothing; the CLI."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from examdesk.cli import main
from examdesk.data.audit import all_entries
from examdesk.data.sessions import candidate_by_number, count_candidates
from examdesk.domain.candidates import Candidate
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.roles import Role
from examdesk.services.candidates import CandidateService, read_table

CSV = ("Deelnemernummer;Achternaam;Tussenvoegsel;Roepnaam;Geboortedatum;Opleidingscode;Cohort\n"
       "5001;Wójcik;;Łukasz;2007-06-01;25192;2024\n5002;Berg;van den;Loïs;12-12-2009;25491;2025\n")

# What Eduarte exports for a class list: semicolons, Windows-1252, names with diaereses, no accommodations.
EDUARTE = ("Studentnummer;Achternaam;Voorvoegsels;Roepnaam\r\n"
           "7001;Vos;;Zoë\r\n"
           "7002;Hendriks;;Chloë\r\n"
           "7003;Daoudi;;Noël\r\n")


def _import(service, path, source="Eduarte"):
    table = read_table(path)
    plan = service.preview_import(table, service.mapping_for(source, table.header), source)
    return plan, service.apply_import(table, plan)


def test_reimport_updates_by_studentnummer_and_remembers_the_mapping(store, ctx_for, tmp_path):
    service = CandidateService(ctx_for(Role.BUREAU))
    path = tmp_path / "eduarte.csv"
    path.write_bytes(CSV.encode("utf-8-sig"))
    before = count_candidates(store)
    _plan, result = _import(service, path)
    assert (result.new, result.changed) == (2, 0)
    assert result.sentence == "2 kandidaten geïmporteerd met koppeling 'Eduarte': 2 nieuw, 0 gewijzigd, 0 ongewijzigd."
    path.write_bytes(CSV.replace("25491;2025", "25491;2026").encode("utf-8"))
    plan, again = _import(service, path)
    assert (again.new, again.changed, again.unchanged) == (0, 1, 1)
    assert [c.sentence for c in plan.candidates[1].changes] == ["cohort: 2025 → 2026"]
    assert count_candidates(store) == before + 2
    assert candidate_by_number(store, "5002").cohort == "2026"
    assert "Eduarte" in service.mapping_sources()


def test_a_reimport_of_an_eduarte_class_list_keeps_what_the_file_does_not_carry(store, ctx_for, tmp_path):
    """The file has studentnummer and names only: birth dates, kwalificatie, target group, extra time and
    facilities stay as they were."""
    service = CandidateService(ctx_for(Role.BUREAU))
    known = [service.save(Candidate(number, last, "", first, date(2008, 5, 17), "25180", "2024", group, extra, "",
                                    facilities))
             for number, last, first, group, extra, facilities in (
                 ("7001", "Vos", "Zoe", "regulier", 30, ("vergroting",)),
                 ("7002", "Hendriks", "Chloë", "onderwijsroute", 0, ()),
             )]
    path = tmp_path / "klas.csv"
    path.write_bytes(EDUARTE.encode("cp1252"))
    table = read_table(path)
    assert table.delimiter == ";" and table.encoding == "cp1252"
    plan = service.preview_import(table, service.mapping_for("Eduarte", table.header), "Eduarte")
    rows = {c.student_number: c for c in plan.candidates}
    assert rows["7001"].outcome == "gewijzigd"
    assert [c.sentence for c in rows["7001"].changes] == ["voornaam: Zoe → Zoë"]
    assert rows["7002"].outcome == "ongewijzigd"
    assert rows["7003"].outcome == "toegevoegd" and rows["7003"].name == "Noël Daoudi"
    assert plan.summary == "3 kandidaten in het bestand: 1 nieuw, 1 gewijzigd, 1 ongewijzigd."
    assert candidate_by_number(store, "7001").first_name == "Zoe"          # nothing written by the preview
    service.apply_import(table, plan)
    zoe = candidate_by_number(store, "7001")
    assert zoe.first_name == "Zoë"
    assert (zoe.birth_date, zoe.crebo, zoe.target_group, zoe.extra_minutes, zoe.facilities) == (
        date(2008, 5, 17), "25180", "regulier", 30, ("vergroting",))
    assert candidate_by_number(store, "7002").target_group == "onderwijsroute"
    audit = {e.entity_id: e for e in all_entries(store) if e.action == "kandidaat gewijzigd (import)"}
    assert audit["7001"].summary["wijzigingen"] == {"voornaam": ["Zoe", "Zoë"]}
    assert known[0].id == zoe.id


def test_an_empty_mapped_cell_is_a_change_the_user_sees_and_confirms(store, ctx_for, tmp_path):
    service = CandidateService(ctx_for(Role.BUREAU))
    service.save(Candidate("8001", "Meijer", "", "Lotte", date(2008, 1, 9), "25480", "2024", "regulier", 30, "",
                           ("aparte_ruimte", "pauze")))
    path = tmp_path / "export.csv"
    path.write_text("Studentnummer;Achternaam;Roepnaam;Geboortedatum;Extra tijd;Voorzieningen\n"
                    "8001;Meijer;Lotte;;;pauze\n", encoding="utf-8")
    table = read_table(path)
    plan = service.preview_import(table, service.mapping_for("Osiris", table.header), "Osiris")
    assert [c.sentence for c in plan.candidates[0].changes] == [
        "geboortedatum: 09-01-2008 → (leeg)", "extra tijd: 30 min → (leeg)",
        "voorzieningen: aparte ruimte, pauze → pauze"]
    service.apply_import(table, plan)
    entry = next(e for e in reversed(all_entries(store)) if e.action == "kandidaat gewijzigd (import)")
    assert entry.summary["wijzigingen"] == {"geboortedatum": ["09-01-2008", ""], "extra tijd": ["30 min", ""],
                                            "voorzieningen": ["aparte ruimte, pauze", "pauze"]}
    assert candidate_by_number(store, "8001").birth_date is None


def test_what_was_confirmed_is_what_is_written(store, ctx_for, tmp_path):
    """The database changes between the preview and the import: refused, nothing written."""
    service = CandidateService(ctx_for(Role.BUREAU))
    path = tmp_path / "lijst.csv"
    path.write_bytes(CSV.encode("utf-8"))
    table = read_table(path)
    plan = service.preview_import(table, service.mapping_for("Eduarte", table.header), "Eduarte")
    service.save(Candidate("5001", "Wójcik", "", "Lukasz", date(2007, 6, 1), "25192", "2023"))
    before = count_candidates(store)
    with pytest.raises(ValidationError, match="de gegevens zijn gewijzigd sinds de controle"):
        service.apply_import(table, plan)
    assert count_candidates(store) == before and candidate_by_number(store, "5002") is None
    with pytest.raises(PermissionDenied):
        CandidateService(ctx_for(Role.COMMISSIE)).preview_import(table, plan.mapping, "Eduarte")


def test_file_with_errors_saves_nothing_and_names_every_bad_line(store, ctx_for, tmp_path):
    service = CandidateService(ctx_for(Role.BUREAU))
    path = tmp_path / "osiris.csv"
    path.write_text(CSV + "\n5001;Dubbel;;Piet;01-01-2008;25192;2024\n5003;Kort\n", encoding="utf-8")
    before = count_candidates(store)
    table, plan = service.preview_file(path)
    assert plan.errors == ("Regel 5: studentnummer 5001 staat ook op regel 2.",
                           "Regel 6: deze regel heeft 2 velden en de kopregel 7; controleer de scheidingstekens.")
    with pytest.raises(ValidationError, match="Er is niets geïmporteerd. Regel 5: .* Regel 6: "):
        service.apply_import(table, plan)
    assert count_candidates(store) == before


def test_xlsx_with_real_dates_and_excel_row_numbers(store, ctx_for, tmp_path):
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.append(["Studentnummer", "Achternaam", "Voornaam", "Geboortedatum", "Extra tijd"])
    ws.append([6001, "Nguyễn", "Thi Mai", datetime(2008, 2, 29), 30])
    ws.append([6002, "Doğan", "Ahmet", "30-02-2008", 0])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    service = CandidateService(ctx_for(Role.BUREAU))
    table, plan = service.preview_file(path)
    assert plan.errors == ("Regel 3: geboortedatum '30-02-2008' is geen datum (dd-mm-jjjj of jjjj-mm-dd).",)
    ws.delete_rows(3)
    ws.append([])
    ws.append([])
    ws.append([6003, "Kowalski", "Mateusz", "01-03-2008", ""])   # after two empty rows: Excel row 5
    wb.save(path)
    table, plan = service.preview_file(path)
    assert [c.line for c in plan.candidates] == [2, 5]
    result = service.apply_import(table, plan)
    assert result.new == 2
    c = candidate_by_number(store, "6001")
    assert c.full_name == "Thi Mai Nguyễn" and c.birth_date.isoformat() == "2008-02-29" and c.extra_minutes == 30


def test_cli_import_kandidaten_shows_first_and_saves_with_ja(demo_db, tmp_path, monkeypatch, capsys):
    path = tmp_path / "lijst.csv"
    path.write_bytes(CSV.encode("cp1252", errors="replace").replace(b"?", b"L"))
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    args = ["import", "kandidaten", str(path), "--db", str(demo_db), "--user", "bureau"]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0
    assert "regel 2: toegevoegd Lukasz Wójcik (5001)" in out
    assert "    geboortedatum: (leeg) → 01-06-2007" in out
    assert "Controle: 2 kandidaten in het bestand: 2 nieuw, 0 gewijzigd, 0 ongewijzigd. Er is niets opgeslagen" in out
    code = main([*args, "--ja"])
    assert code == 0
    assert "2 kandidaten geïmporteerd met koppeling 'lijst': 2 nieuw, 0 gewijzigd, 0 ongewijzigd." in capsys.readouterr().out
    code = main([*args, "--ja"])
    assert "2 kandidaten geïmporteerd met koppeling 'lijst': 0 nieuw, 0 gewijzigd, 2 ongewijzigd" in capsys.readouterr().out
    code = main([*args, "--mapping", "Onbekend"])
    assert code == 1
    assert "Er is geen koppeling met de naam 'Onbekend'" in capsys.readouterr().err
    code = main(["import", "kandidaten", str(path), "--db", str(demo_db), "--user", "surveillant"])
    assert code == 1
    assert "mag niet kandidaten beheren" in capsys.readouterr().err
    bad = tmp_path / "fout.csv"
    bad.write_text("Studentnummer;Achternaam\n1;A\n2\n", encoding="utf-8")
    code = main(["import", "kandidaten", str(bad), "--db", str(demo_db), "--user", "bureau", "--ja"])
    assert code == 1
    assert "Regel 3: deze regel heeft 1 veld en de kopregel 2" in capsys.readouterr().err
