"""Imports of kwalificatie, supplier and instrument lists: the real crebo list, every bad input of
issue 3 (refused whole with row and column, or imported correctly), idempotence, newer lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from examdesk.data.audit import all_entries
from examdesk.data.db import Store, open_store
from examdesk.data.users import insert
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.register_import import ImportKind, ImportRefused
from examdesk.domain.roles import Role
from examdesk.domain.users import User
from examdesk.paths import resource
from examdesk.services.context import AppContext
from examdesk.services.register import RegisterService

CREBO_2015 = resource("crebolijst_hks_2015_from_BWBR0036352.csv")
CREBO_2014 = Path(__file__).resolve().parents[2] / "tests" / "data" / "crebolijst_2014_from_BWBR0031310.csv"
Q, INSTR, S = ImportKind.QUALIFICATIONS, ImportKind.INSTRUMENTS, ImportKind.SUPPLIERS


@pytest.fixture
def fresh(empty_db: Path) -> Iterator[RegisterService]:
    """An empty register and a commission member (the services read the account on every call)."""
    store = open_store(empty_db)
    user_id = insert(store, "commissie", "Marieke de Vries", "-", frozenset({Role.COMMISSIE}), "2025-01-01T00:00:00+01:00")
    user = User(user_id, "commissie", "Marieke de Vries", frozenset({Role.COMMISSIE}))
    yield RegisterService(AppContext(store, user))
    store.close()


@pytest.fixture
def commission(ctx_for) -> RegisterService:
    return RegisterService(ctx_for(Role.COMMISSIE))


@pytest.fixture
def bureau(ctx_for) -> RegisterService:
    return RegisterService(ctx_for(Role.BUREAU))


def dump(store: Store) -> dict[str, list[tuple]]:
    return {t: [tuple(r) for r in store.query(f"SELECT * FROM {t} ORDER BY 1")]  # noqa: S608
            for t in ("qualifications", "suppliers", "instruments", "instrument_status", "route_choices")}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def refused(service: RegisterService, kind: ImportKind, path: Path) -> list[tuple[int, str, str]]:
    """Imports a bad file, checks nothing changed, and returns its issues as (row, column, message)."""
    before = dump(service.store)
    with pytest.raises(ImportRefused) as caught:
        service.run_import(kind, path)
    assert dump(service.store) == before
    assert "Er is niets opgeslagen" in caught.value.message
    return [(i.row, i.column, i.message) for i in caught.value.issues]


# --- the real crebo list ---------------------------------------------------------------------------

def test_the_real_crebo_list_imports_cleanly(fresh):
    plan = fresh.check_import(Q, CREBO_2015)
    assert plan.ok and plan.rows == 470 and plan.new == 470
    result = fresh.run_import(Q, CREBO_2015)
    assert (result.new, result.changed, result.unchanged) == (470, 0, 0)
    qualifications = fresh.list_qualifications()
    assert len(qualifications) == 470
    verkoper = [q.crebo for q in qualifications if q.name == "Verkoper"]
    assert verkoper == ["25167", "25503"]  # the same name under two crebos is two kwalificaties
    q = fresh.qualification("25080")
    assert (q.name, q.niveau, q.dossier, q.dossier_crebo) == ("Betonreparateur", 2, "Betonreparatie", "23046")
    assert fresh.qualification("25250").niveau == 1
    assert all_entries(fresh.store)[-1].summary["nieuw"] == 470


def test_reimport_changes_nothing(fresh):
    fresh.run_import(Q, CREBO_2015)
    before, audit = dump(fresh.store), len(all_entries(fresh.store))
    result = fresh.run_import(Q, CREBO_2015)
    assert (result.new, result.changed, result.unchanged) == (0, 0, 470)
    assert dump(fresh.store) == before and len(all_entries(fresh.store)) == audit


def test_crebo_printed_with_a_thousands_point(fresh, tmp_path):
    text = CREBO_2015.read_text(encoding="utf-8").replace(",25080,", ',"25.080",')
    assert '"25.080"' in text
    fresh.run_import(Q, write(tmp_path / "lijst.csv", text))
    assert fresh.qualification("25080").name == "Betonreparateur"


def test_a_newer_list_updates_names_and_adds_crebos_without_touching_instruments(commission, tmp_path):
    before = dump(commission.store)
    newer = tmp_path / "nieuwer.csv"
    write(newer, "crebo;naam;niveau;kwalificatiedossier\n"
                 "25491;Verzorgende-IG (herzien);3;Verzorgende IG\n"
                 "25999;Nieuwe kwalificatie;2;Nieuw dossier\n")
    result = commission.run_import(Q, newer)
    assert (result.new, result.changed, result.unchanged) == (1, 1, 0)
    after = dump(commission.store)
    assert after["instruments"] == before["instruments"]
    assert after["instrument_status"] == before["instrument_status"]
    assert commission.qualification("25491").name == "Verzorgende-IG (herzien)"
    assert commission.qualification("25080").name == "Betonreparateur"  # not in the newer list: kept
    assert len(after["qualifications"]) == 471


def test_the_older_list_is_other_valid_input(commission):
    result = commission.run_import(Q, CREBO_2014)
    assert result.new == 690 and len(commission.list_qualifications()) == 470 + 690


# --- bad input: refused with row and column, nothing half imported ---------------------------------

def test_crebo_of_4_or_6_digits_and_niveau_7(fresh, tmp_path):
    path = write(tmp_path / "fout.csv", "crebo;naam;niveau\n25080;Betonreparateur;2\n2508;Vier;2\n250801;Zes;3\n"
                                        "25081;Allround betonstaalverwerker;7\n")
    assert refused(fresh, Q, path) == [
        (3, "crebo", "Crebo '2508' heeft 4 cijfers; een crebo heeft er precies 5."),
        (4, "crebo", "Crebo '250801' heeft 6 cijfers; een crebo heeft er precies 5."),
        (5, "niveau", "Niveau 7 bestaat niet; kies 1 (Entree) tot en met 4."),
    ]


def test_import_only_the_valid_rows_when_the_user_chooses_to(fresh, tmp_path):
    path = write(tmp_path / "fout.csv", "crebo;naam;niveau\n25080;Betonreparateur;2\n2508;Vier;2\n")
    result = fresh.run_import(Q, path, valid_rows_only=True)
    assert (result.new, result.skipped) == (1, 1)
    assert result.skipped_issues[0].sentence == "Rij 3, kolom 'crebo': Crebo '2508' heeft 4 cijfers; een crebo heeft er precies 5."
    assert [q.crebo for q in fresh.list_qualifications()] == ["25080"]


def test_missing_column_is_refused_even_for_valid_rows_only(fresh, tmp_path):
    path = write(tmp_path / "fout.csv", "crebo;naam\n25080;Betonreparateur\n")
    with pytest.raises(ImportRefused) as caught:
        fresh.run_import(Q, path, valid_rows_only=True)
    assert [(i.row, i.column) for i in caught.value.issues] == [(1, "niveau")]
    assert fresh.list_qualifications() == []


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_delimiters_and_encodings(fresh, tmp_path, delimiter, encoding):
    rows = [["crebo", "naam", "niveau", "kwalificatiedossier"], ["25080", "Betonreparateur", "2", "Betonreparatie"],
            ["25491", "Verzorgende IG – coördinatie, ë", "3", "Zorg; welzijn"]]
    lines = [delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1252":
        text = text.replace("–", "-")
    fresh.run_import(Q, write(tmp_path / "lijst.csv", text, encoding))
    name = fresh.qualification("25491").name
    assert name.endswith("coördinatie, ë")
    assert fresh.qualification("25491").dossier == "Zorg; welzijn"
    assert fresh.qualification("25080").name == "Betonreparateur"  # no BOM glued to the first header


def test_empty_lines_are_skipped_and_rows_keep_their_numbers(fresh, tmp_path):
    path = write(tmp_path / "lijst.csv", "\ncrebo;naam;niveau\n\n25080;Betonreparateur;2\n;;\n\n25081;X;9\n\n")
    assert refused(fresh, Q, path) == [(7, "niveau", "Niveau 9 bestaat niet; kies 1 (Entree) tot en met 4.")]
    path = write(tmp_path / "lijst2.csv", "\ncrebo;naam;niveau\n\n25080;Betonreparateur;2\n;;\n\n")
    assert fresh.run_import(Q, path).new == 1


def test_duplicate_crebo_in_one_file(fresh, tmp_path):
    path = write(tmp_path / "lijst.csv", "crebo;naam;niveau\n25080;A;2\n25080;B;2\n")
    assert refused(fresh, Q, path) == [(3, "crebo", "Crebo 25080 staat ook al in rij 2.")]


def test_xlsx_with_title_row_and_merged_header_cells(fresh, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Kwalificaties ROC Midden-Holland 2026"
    ws.merge_cells("A1:F1")
    ws["A2"], ws["C2"], ws["D2"], ws["E2"] = "Kwalificatie", "Niveau", "Geldigheid", None
    ws.merge_cells("A2:B2")
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:E2")
    ws["A3"], ws["B3"], ws["D3"], ws["E3"], ws["F3"] = "crebo", "naam", "van", "tot", "Soort"
    ws.append([25080, "Betonreparateur", 2, date(2015, 8, 1), date(2027, 7, 31), "kwalificatie"])
    ws.append(["25.491", "Verzorgende IG", "3", "01-08-2015", None, "mbo-certificaat"])
    ws.append([None, None, None, None, None, None])
    ws.append([25473.0, "Doktersassistent", 4, None, None, None])
    path = tmp_path / "lijst.xlsx"
    wb.save(path)
    result = fresh.run_import(Q, path)
    assert result.new == 3
    q = fresh.qualification("25080")
    assert (q.valid_from, q.valid_until) == (date(2015, 8, 1), date(2027, 7, 31))
    assert fresh.qualification("25491").kind.value == "mbo-certificaat"
    assert fresh.qualification("25491").valid_from == date(2015, 8, 1)


def test_xlsx_errors_name_excel_rows(fresh, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Crebo", "Naam", "Niveau"])
    ws.append([25080, "Betonreparateur", 2])
    ws.append([2508, "Vier", 2])
    path = tmp_path / "lijst.xlsx"
    wb.save(path)
    assert refused(fresh, Q, path) == [(3, "Crebo", "Crebo '2508' heeft 4 cijfers; een crebo heeft er precies 5.")]


@pytest.mark.parametrize("name,content,message", [
    ("leeg.csv", b"", "leeg"),
    ("oud.xls", b"\xd0\xcf\x11\xe0", "oud Excel-bestand"),
    ("kapot.xlsx", b"PK\x03\x04 not really a zip", "geen leesbaar Excel-bestand"),
    ("nul.csv", b"crebo;naam;niveau\n25080;Beton\x00;2\n", "geen leesbare CSV"),
])
def test_unreadable_files_are_refused_in_dutch(fresh, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        fresh.run_import(Q, path)
    assert fresh.list_qualifications() == []


def test_missing_file(fresh, tmp_path):
    with pytest.raises(ValidationError, match="bestaat niet"):
        fresh.check_import(Q, tmp_path / "weg.csv")


# --- suppliers and instruments -----------------------------------------------------------------------

SUPPLIERS_CSV = ("Naam;Certificerende instelling;Certificaatnummer;Gecertificeerd van;Gecertificeerd tot\n"
                 "Examenhuis Noord;Stichting Certificering Examenkwaliteit;SCE-1;01-01-2025;31-12-2027\n"
                 "Examenhuis Zuid;Examencertificering Nederland;ECN-2;2024-02-01;2026-01-31\n")


def test_suppliers_import_and_reimport(commission, tmp_path):
    path = write(tmp_path / "lev.csv", SUPPLIERS_CSV)
    assert commission.run_import(S, path).new == 2
    assert commission.run_import(S, path).unchanged == 2
    noord = next(s for s in commission.list_suppliers() if s.name == "Examenhuis Noord")
    assert noord.certified_until == date(2027, 12, 31)


def test_a_renewed_certificate_in_an_import_keeps_the_earlier_one(commission, tmp_path):
    commission.run_import(S, write(tmp_path / "lev.csv", SUPPLIERS_CSV))
    renewed = SUPPLIERS_CSV.replace("SCE-1;01-01-2025;31-12-2027", "SCE-9;01-01-2028;31-12-2030")
    assert commission.run_import(S, write(tmp_path / "lev2.csv", renewed)).changed == 1
    noord = next(s for s in commission.list_suppliers() if s.name == "Examenhuis Noord")
    assert [p.number for p in noord.certificate_periods] == ["SCE-1", "SCE-9"]
    assert noord.certified_on(date(2026, 6, 1)) and not noord.certified_on(date(2024, 6, 1))


def test_a_route_2_instrument_is_not_adopted_through_an_import_without_its_criteria(commission, tmp_path):
    past = (commission.today() - timedelta(days=10)).strftime("%d-%m-%Y")
    path = write(tmp_path / "instr.csv", HEADER + f"KOK-OWN-1;Eigen examen;25180;B1-K1;PVB;nee;2;;;;1;{past};EC-78\n")
    ((row, column, message),) = refused(commission, INSTR, path)
    assert (row, column) == (2, "vaststellingsdatum")
    assert message.startswith("KOK-OWN-1 (route 2) kan nog niet worden vastgesteld: deze criteria van bijlage 2 zijn "
                              "niet als voldaan vastgelegd")


def test_bad_supplier_rows(commission, tmp_path):
    path = write(tmp_path / "lev.csv", "Naam;Certificaatnummer;Gecertificeerd van;Gecertificeerd tot\n"
                                       ";X;01-01-2025;31-12-2027\nA;X;31-02-2025;31-12-2027\nB;X;01-01-2025;\n")
    assert refused(commission, S, path) == [
        (2, "Naam", "De naam van de leverancier ontbreekt."),
        (3, "Gecertificeerd van", "'31-02-2025' is geen bestaande datum."),
        (4, "Gecertificeerd tot", "Vul in tot wanneer het certificaat geldig is."),
    ]


HEADER = "code;titel;crebo;onderdeel;soort;formatief;route;leverancier;externe validator;validatiedatum;versie;vaststellingsdatum;besluitnummer\n"


def test_instruments_import_adopt_and_reimport(commission, tmp_path):
    past = (commission.today() - timedelta(days=10)).strftime("%d-%m-%Y")
    path = write(tmp_path / "instr.csv", HEADER +
                 f"KOK-NEW-1;Proeve nieuw;25180;B1-K1;PVB;summatief;1;Horeca Examenservice;;;1;{past};EC-77\n"
                 "KOK-NEW-2;Oefenexamen;25.180;B1-K2;digitaal;formatief;2;;;;1;;\n"
                 f"KOK-NEW-3;Extern;25180;B1-K2;schriftelijk;nee;3;;Stichting Validering;{past};1;;\n")
    result = commission.run_import(INSTR, path)
    assert result.new == 3
    first = commission.instrument_by_code("KOK-NEW-1")
    assert commission.validity_on(first.id, commission.today()).valid
    assert commission.instrument_by_code("KOK-NEW-2").formative
    assert not commission.validity_on(commission.instrument_by_code("KOK-NEW-3").id, commission.today()).valid
    before = dump(commission.store)
    again = commission.run_import(INSTR, path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    assert dump(commission.store) == before


def test_bad_instrument_rows(commission, tmp_path):
    future = (commission.today() + timedelta(days=3)).strftime("%d-%m-%Y")
    path = write(tmp_path / "instr.csv", HEADER +
                 "A-1;Onbekend;99999;B1;pvb;nee;2;;;;1;;\n"
                 "A-2;Route vier;25180;B1;pvb;nee;4;;;;1;;\n"
                 "A-3;Zonder leverancier;25180;B1;pvb;nee;1;;;;1;;\n"
                 f"A-4;Toekomst;25180;B1;pvb;nee;2;;;;1;{future};EC-1\n"
                 "A-5;Onbekende leverancier;25180;B1;pvb;nee;1;Nergens BV;;;1;;\n"
                 "A-6;Soort;25180;B1;toverspreuk;nee;2;;;;1;;\n"
                 "A-7;Goed;25180;B1;pvb;nee;2;;;;1;;\n")
    issues = refused(commission, INSTR, path)
    assert issues == [
        (2, "crebo", "Crebo 99999 staat niet in het register; importeer eerst de kwalificatielijst."),
        (3, "route", "Route 4 bestaat niet; kies route 1, 2 of 3."),
        (4, "leverancier", "Route 1 vraagt een examenleverancier, maar de leverancier ontbreekt."),
        (5, "vaststellingsdatum", "De vaststellingsdatum ligt in de toekomst; vaststellen kan alleen achteraf."),
        (6, "leverancier", "Leverancier 'Nergens BV' staat niet in het register; importeer of voeg die eerst toe."),
        (7, "soort", issues[5][2]),
    ]
    assert issues[5][2].startswith("Onbekende soort instrument 'toverspreuk'")
    assert commission.run_import(INSTR, path, valid_rows_only=True).new == 1


def test_only_the_commission_adopts_through_an_import(bureau, tmp_path):
    past = (bureau.today() - timedelta(days=1)).strftime("%d-%m-%Y")
    path = write(tmp_path / "instr.csv", HEADER + f"B-1;Proeve;25180;B1;pvb;nee;2;;;;1;{past};EC-5\n")
    (issue,) = refused(bureau, INSTR, path)
    assert issue[:2] == (2, "vaststellingsdatum") and "Alleen de examencommissie" in issue[2]


def test_an_import_cannot_change_an_adopted_instrument(commission, tmp_path):
    path = write(tmp_path / "instr.csv", HEADER + "VIG-CGI-K1;Criteriumgericht interview;25491;B1-K1-W5;cgi;nee;2;;;;9.9;;\n")
    (issue,) = refused(commission, INSTR, path)
    assert issue[:2] == (2, "versie") and "is vastgesteld" in issue[2]


def test_surveillant_may_not_import(ctx_for, tmp_path):
    with pytest.raises(PermissionDenied):
        RegisterService(ctx_for(Role.SURVEILLANT)).run_import(S, write(tmp_path / "lev.csv", SUPPLIERS_CSV))
