"""The official documents read back as a reader would: every point of the procesverbaal, every field of
the Inspectie form, the decision letter (with the copy for a minor's representatives), the annual report
and the incident overview; corrections after printing make a document outdated."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from examdesk.cli import main
from examdesk.data import sessions as session_data
from examdesk.domain.documents import VerdictStatus
from examdesk.domain.errors import NotFound
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.register import school_year_bounds, school_year_of
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.reports.common import data_table
from examdesk.reports.frame import PageFrame, build_pdf
from examdesk.services.doc_incidenten import export_incidents
from examdesk.services.documents import DocumentService
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.session_mode import SessionModeService


def pages(pdf: bytes) -> list[str]:
    """The text of each page with runs of whitespace as one space (cells wrap where they like)."""
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def documents_session(store) -> str:
    """The demo's closed Nederlands 3F, variant A: the session made to exercise every document."""
    for plan in session_data.list_sessions(store, SessionFilter(status="afgesloten")):
        if plan.variant == "A" and plan.central_exam == "Ned3F":
            return plan.id
    raise AssertionError("demo session missing")


def incident_of(store, category: str, session_id: str | None = None) -> str:
    """The incident of that category in the documents session (or in the session given)."""
    from examdesk.data import incident_desk

    session_id = session_id or documents_session(store)
    rows = incident_desk.page(store, IncidentFilter(category=category, session_id=session_id), 0, 50)
    return rows[0].incident_id


def _year(store) -> str:
    """The school year of the demo's documents session (the demo is built around today)."""
    return school_year_of(session_data.session(store, documents_session(store)).session_date)


@pytest.fixture
def commission(ctx_for):
    return ctx_for(Role.COMMISSIE)


def test_procesverbaal_states_every_point_of_the_protocol(commission):
    store = commission.store
    sid = documents_session(store)
    record, pdf = DocumentService(commission).issue("procesverbaal", sid)
    text = pages(pdf)
    whole = "\n".join(text)
    roster = {r.name: r for r in session_data.roster(store, sid)}
    # a. staff with their roles and room to sign
    assert "Jan Bakker" in whole and "Elif Şahin-Bos" in whole and "surveillant" in whole
    assert "ontvangst exameninstrumenten" in whole and "intact ontvangen" in whole
    # b. absent, late (admitted and refused, with arrival times), unwell with quarantine
    assert "met geldige reden" in whole
    assert "09:18" in whole and "toegelaten, eindtijd gelijk" in whole
    assert "09:41" in whole and "geweigerd" in whole
    assert "Iris Mulder" in whole and "quarantaine" in whole.lower() and "voortgezet om 10:05" in whole
    # c. incidents with catalogue code and handling route; disruptions with the minutes added
    for code in ("ONWEL", "TE_VEEL_TIJD", "GELUIDSOVERLAST", "FRAUDE_KANDIDAAT", "TE_LAAT"):
        assert code in whole
    assert "ingetrokken door de examencommissie" in whole and "Geen onregelmatigheid van punt 6" in whole
    assert "melden bij de" in whole and "Inspectie" in whole and "+7 min" in whole
    # d. accommodations and facilities granted; each candidate's end time
    assert "Passend examineren" in whole and "+30 min" in whole and "toegekend en toegepast" in whole
    assert "Eindtijd" in whole and "11:00" in whole
    # correction beside what it corrects; decisions so far
    assert "oorspronkelijk" in whole and "Oğuz Çelik" in whole and "Kerem Yılmaz" in whole
    assert "Besluit 1" in whole and "cijfer 1" in whole and "IvhO-MBO-2026-0412" in whole
    # names with non-ASCII letters, the closing statement and the fingerprint
    assert "Łukasz Wójcik" in whole and "Thi Mai Nguyễn" in whole and "Łukasz Wójcik" in roster
    assert "naar waarheid" in whole and "opgemaakt te Gouda" in whole
    assert record.fingerprint[:4] + " " + record.fingerprint[4:8] in whole
    assert "CONCEPT" not in whole
    # the signature part starts on a front page of its own
    signing = next(i for i, t in enumerate(text) if "Deel 3 · Ondertekening" in t)
    assert signing % 2 == 0 and "Deel 2" not in text[signing]
    assert all(f"Pagina {i + 1} van {len(text)}" in t for i, t in enumerate(text))


def test_running_session_prints_as_concept(commission):
    running = session_data.list_sessions(commission.store, SessionFilter(status="bezig"))[0]
    _, pdf = DocumentService(commission).issue("procesverbaal", running.id)
    whole = "\n".join(pages(pdf))
    assert "CONCEPT" in whole and "nog niet afgesloten" in whole and "STROOMSTORING" in whole


def test_a_correction_after_printing_makes_the_procesverbaal_outdated(commission, ctx_for, demo_db, tmp_path, capsys):
    store = commission.store
    sid = documents_session(store)
    service = DocumentService(commission)
    _, pdf = service.issue("procesverbaal", sid)
    path = tmp_path / "pv.pdf"
    path.write_bytes(pdf)
    assert service.verify_pdf(pdf).status == VerdictStatus.MATCH
    assert service.is_outdated("procesverbaal", sid) is False
    SessionModeService(ctx_for(Role.SURVEILLANT), sid).remark("Correctie: het raam stond open, niet dicht.")
    assert service.is_outdated("procesverbaal", sid) is True
    verdict = service.verify_pdf(pdf)
    assert verdict.status == VerdictStatus.CHANGED and "na het afdrukken gewijzigd" in verdict.message
    assert main(["verify-document", str(path), "--db", str(demo_db)]) == 1
    assert "gewijzigd" in capsys.readouterr().out


def test_inspectie_form_has_every_field_of_the_bijlage_prefilled(commission):
    store = commission.store
    incident = incident_of(store, "TE_VEEL_TIJD")
    record, pdf = DocumentService(commission).issue("inspectie", incident)
    assert record.subject_id == f"{incident};indiener=commissie"
    text = pages(pdf)
    assert len(text) == 1
    whole = text[0]
    for label in ("Aanvraagnummer", "in te vullen door de Inspectie", "Datum", "BRIN-nummer instelling",
                  "Naam instelling", "Examencommissie die aanvraag doet", "Indiener en functie die aanvraag doet",
                  "Telefoonnummer indiener", "E-mailadres indiener", "Datum onregelmatigheid bij afname",
                  "Tijdstip onregelmatigheid bij afname", "Examen", "Betrokken examenvarianten", "Afnameperiode",
                  "Beschrijving onregelmatigheid", "1. Wat is er gebeurd?",
                  "2. Op hoeveel deelnemers had de onregelmatigheid betrekking?",
                  "3. Hoeveel deelnemers hebben deelgenomen aan het desbetreffende", "verklaar dit formulier naar",
                  "waarheid te hebben ingevuld op"):
        assert label in whole, label
    for value in ("25PZ", "ROC Midden-Holland", "Examencommissie Techniek, Zorg en Dienstverlening",
                  "Marieke de Vries, secretaris examencommissie", "0182 556 210", "m.devries@rocmh.example.nl",
                  "09:50", "Ned2F", "Ned3F", "Rek2F", "Rek3F", f"{_year(store)} periode 2", "30 minuten extra tijd",
                  "te Gouda", "Ik, Marieke de Vries"):
        assert value in whole, value
    assert "☒ Ned3F" in whole or "☒Ned3F" in whole
    # question 2 asks for a number of participants, not who they are
    assert "betrekking? 2 3." in whole or "betrekking? 2 " in whole
    assert "Łukasz Wójcik" not in whole and "Thi Mai Nguyễn" not in whole
    assert "Controle afnameperiode" not in whole         # the recorded period is the one the date falls in
    assert "zo spoedig mogelijk" in whole                # the source's words: no invented deadline
    assert "te laat" not in whole.lower() and "uiterlijk" not in whole.lower()
    assert "14 (afname" in whole                          # 16 planned − 1 absent − 1 refused


def test_only_the_commission_submits_the_inspectie_form(commission, ctx_for):
    """Beleidsregel, bijlage: "Examencommissie die aanvraag doet" — the examenbureau may make other documents,
    not this one."""
    from examdesk.domain.errors import PermissionDenied

    incident = incident_of(commission.store, "TE_VEEL_TIJD")
    before = commission.store.query_one("SELECT count(*) FROM documents")[0]
    with pytest.raises(PermissionDenied, match="mag niet"):
        DocumentService(ctx_for(Role.BUREAU)).issue("inspectie", incident)
    assert commission.store.query_one("SELECT count(*) FROM documents")[0] == before
    DocumentService(ctx_for(Role.BUREAU)).issue("procesverbaal", documents_session(commission.store))


def test_the_inspectie_form_checks_the_afnameperiode_against_the_date(commission):
    """A session recorded under the wrong period: the form gives the period the date falls in and says so."""
    store = commission.store
    incident = incident_of(store, "TE_VEEL_TIJD")
    sid = documents_session(store)
    year = _year(store)
    store.conn.execute("UPDATE sessions SET period = ? WHERE id = ?", (f"{year} periode 3", sid))
    _, pdf = DocumentService(commission).issue("inspectie", incident)
    whole = pages(pdf)[0]
    assert f"Afnameperiode {year} periode 2" in whole
    assert f"Controle afnameperiode: Bij de afname is '{year} periode 3' vastgelegd" in whole
    store.conn.execute("DELETE FROM exam_periods")
    _, pdf = DocumentService(commission).issue("inspectie", incident)
    whole = pages(pdf)[0]
    assert f"Afnameperiode {year} periode 3" in whole and "geen afnameperiodes" in whole


def test_the_inspectie_form_is_outdated_when_its_submitters_details_change(commission, ctx_for):
    """Asked about the incident alone, the state is that of the form last made, whoever submitted it."""
    from examdesk.data.users import by_username
    from examdesk.services.context import AppContext
    from examdesk.services.users import UserService

    incident = incident_of(commission.store, "TE_VEEL_TIJD")
    service = DocumentService(commission)
    assert service.latest("inspectie", incident) is None and service.is_outdated("inspectie", incident) is None
    record, _ = service.issue("inspectie", incident)
    assert service.latest("inspectie", incident) == record
    assert service.is_outdated("inspectie", incident) is False
    UserService(commission).update_own_profile("secretaris examencommissie", "06 1234 5678",
                                               "m.devries@rocmh.example.nl")
    assert service.is_outdated("inspectie", incident) is True

    colleague = AppContext(commission.store, by_username(commission.store, "h.jansen"))
    theirs, _ = DocumentService(colleague).issue("inspectie", incident)
    assert theirs.subject_id == f"{incident};indiener=h.jansen"
    assert service.latest("inspectie", incident) == theirs and service.is_outdated("inspectie", incident) is False


def test_inspectie_form_only_for_incidents_routed_to_the_inspectie(commission):
    with pytest.raises(NotFound, match="alleen voor een onregelmatigheid"):
        DocumentService(commission).issue("inspectie", incident_of(commission.store, "ONWEL"))


def test_decision_letter_with_appeal_and_a_copy_for_a_minors_representatives(commission):
    from examdesk.data.reports import all_decisions

    decision = next(d for d in all_decisions(commission.store) if d.minor and d.current and d.measures)
    record, pdf = DocumentService(commission).issue("besluit", decision.id)
    text = pages(pdf)
    copy = next(i for i, t in enumerate(text) if "AFSCHRIFT voor de wettelijke vertegenwoordigers" in t)
    assert copy > 0 and len(text) == 2 * copy          # the copy is the whole letter again, from a new page
    assert decision.candidate_name in text[0] and "Aan:" in text[0]
    assert "Commissie van beroep voor de examens ROC Midden-Holland" in text[0] and "binnen 42 dagen" in text[0]
    assert "examenprotocol punt" in text[0] and decision.measure_labels[0] in text[0]
    assert decision.candidate_name in text[copy]
    assert not any("AFSCHRIFT" in t for t in text[:copy])
    assert record.subject_id == decision.id
    assert IncidentDeskService(commission).decision(decision.id).has_letter


def test_adult_decision_letter_has_no_copy(commission):
    from examdesk.data.reports import all_decisions

    adult = next(d for d in all_decisions(commission.store) if d.candidate_name == "Oğuz Çelik")
    _, pdf = DocumentService(commission).issue("besluit", adult.id)
    text = pages(pdf)
    assert len(text) == 1 and "Oğuz Çelik" in text[0] and "cijfer 1" in text[0]


def test_annual_report_accounts_for_routes_gaps_incidents_and_the_inspectie(commission):
    year = school_year_of(commission.clock().date())
    _, pdf = DocumentService(commission).issue("jaarverslag", year)
    whole = "\n".join(pages(pdf))
    for expected in (f"Jaarverslag van de examencommissie {year}", "25PZ", "Aandeel route 1", "Routekeuze en afwegingen",
                     "zonder routekeuze", "niet valide", "Certificaten van examenleveranciers",
                     "Afnames met een instrument dat op de datum", "Incidenten per maand", "TE_VEEL_TIJD",
                     "Gouda, Bodegraafsestraatweg", "Besluiten van de examencommissie", "cijfer 1",
                     "IvhO-MBO-2026-0412", "opnieuw afnemen", "Vaststelling"):
        assert expected in whole, expected


def test_annual_report_of_a_year_not_begun_is_refused(commission):
    with pytest.raises(NotFound, match="nog niet begonnen"):
        DocumentService(commission).issue("jaarverslag", "2099-2100")


def test_incident_overview_as_pdf_csv_and_xlsx(commission, tmp_path):
    from openpyxl import load_workbook

    from examdesk.services.doc_incidenten import subject_of

    start, end = school_year_bounds(school_year_of(commission.clock().date()))
    f = IncidentFilter(date_from=start, date_to=end)
    _, pdf = DocumentService(commission).issue("incidenten", subject_of(f))
    whole = "\n".join(pages(pdf))
    assert "Incidentenoverzicht" in whole and "TOEZICHT" in whole and "Gemeld bij Inspectie" in whole
    csv_path = tmp_path / "incidenten.csv"
    n = export_incidents(commission, f, csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Datum" and len(rows) == n + 1 and any("Łukasz Wójcik" in r[10] for r in rows)
    xlsx_path = tmp_path / "incidenten.xlsx"
    assert export_incidents(commission, IncidentFilter(date_from=start, date_to=end, category="ONWEL"),
                            xlsx_path) >= 1
    sheet = load_workbook(xlsx_path).active
    assert sheet["F2"].value == "ONWEL" and sheet["A1"].value == "Datum"
    empty = tmp_path / "leeg.csv"
    with pytest.raises(NotFound, match="Geen incidenten"):
        export_incidents(commission, IncidentFilter(date_from=start.replace(year=2001), date_to=end.replace(year=2002)),
                         empty)
    assert not empty.exists()


def test_long_tables_repeat_their_header_row_on_every_page():
    rows = [[str(n), f"Kandidaat {n} Şahin", "aanwezig", "11:02"] for n in range(1, 260)]
    frame = PageFrame("Test", "Onderwerp", "ROC (25PZ)", "model T", "01-01-2026 10:00", "0" * 64)
    text = pages(build_pdf(frame, [data_table(["Pc", "Naam", "Status", "Eindtijd"], rows, [40, 250, 100, 100])]))
    assert len(text) > 3
    assert all("Pc" in t and "Eindtijd" in t for t in text)
    assert "Kandidaat 259 Şahin" in text[-1]


def test_cli_reports_exit_codes_and_no_file_left_behind(demo_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    out = tmp_path / "pv.pdf"
    assert main(["report", "procesverbaal", "bestaat-niet", "--out", str(out), "--db", str(demo_db),
                 "--user", "commissie"]) == 1
    assert not out.exists() and "bestaat niet" in capsys.readouterr().err
    assert main(["report", "incidenten", "--van", "01-01-2001", "--tot", "31-12-2001", "--out",
                 str(tmp_path / "x.xlsx"), "--db", str(demo_db), "--user", "commissie"]) == 1
    assert not (tmp_path / "x.xlsx").exists()
    assert main(["report", "jaarverslag", "--schooljaar", "2025", "--out", str(out), "--db", str(demo_db),
                 "--user", "commissie"]) == 1
    assert "ongeldig" in capsys.readouterr().err and not out.exists()
    assert main(["report", "procesverbaal", "x", "--out", str(out), "--db", str(demo_db), "--user",
                 "surveillant"]) == 1
    assert not out.exists()
    from examdesk.data.db import open_store

    store = open_store(demo_db)
    sid = documents_session(store)
    store.close()
    assert main(["report", "procesverbaal", sid, "--out", str(out), "--db", str(demo_db), "--user",
                 "commissie"]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "vingerafdruk" in capsys.readouterr().out
    assert main(["verify-document", str(out), "--db", str(demo_db)]) == 0
