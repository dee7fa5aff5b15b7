"""The commission's whole case (issue 13), service by service: an incident found afterwards, its evidence, the
hearing, a sanction decided by members with their own login, the appeal, the candidate's history — each flow
and each refusal (a Dutch message, nothing saved)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from examdesk.data import casework as casework_data
from examdesk.data import sessions as session_data
from examdesk.data.users import by_username
from examdesk.domain.casework import FoundIncidentInput, HearingInput, SecondLogin
from examdesk.domain.errors import AuthenticationError, PermissionDenied, ValidationError
from examdesk.domain.event_checks import ChainFacts, SessionFrame, check_new_event
from examdesk.domain.incident_desk import DecisionInput
from examdesk.domain.session_events import FoundIncidentPayload
from examdesk.services.casework import CaseworkService
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.services.documents import DocumentService
from examdesk.services.session_mode import SessionModeService
from tests.desk_support import SECOND, desk, desk_rows, log, running
from tests.session_support import DAY, Clock, at, context

WEEK_LATER = DAY + timedelta(days=7)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9as"
       b"\x00\x00\x00\x16IDATx\x9cc\xf8\xcf\xc0\xc0\xf0\x9f\x81\x81\x81\x01\x00\x1d\xf4\x03\xfd\xb4\xfa\xbe\x93\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def casework(store, clock, username: str = "commissie") -> CaseworkService:
    return CaseworkService(context(store, username, clock))


def closed_session(store, clock, tag: str):
    """A central session on DAY, run and closed at 11:15; the clock then a week later."""
    run, ids = running(store, clock, tag=tag)
    clock.set(11, 0)
    run.end()
    clock.set(11, 15)
    run.close()
    clock.at = at(10, 0, day=WEEK_LATER)
    return run.session_id, ids


def found(ids, on: date = DAY + timedelta(days=6), category: str = "FRAUDE_KANDIDAAT") -> FoundIncidentInput:
    return FoundIncidentInput(category, on, "melding_docent", "J. de Vries (docent Nederlands)",
                              "Antwoorden gedeeld in een groepsapp tijdens het examen; een week later gemeld.",
                              candidate_ids=(ids[0],))


def counts(store) -> dict[str, int]:
    rows = desk_rows(store)
    for table in ("session_events", "hearings", "attachments", "decision_signers", "appeals", "appeal_outcomes"):
        rows[table] = store.query_one(f"SELECT count(*) FROM {table}")[0]
    return rows


# --- incidents found afterwards --------------------------------------------------------------------------------

def test_an_incident_found_a_week_later_lands_on_the_desk_and_the_procesverbaal(store):
    clock = Clock(at(8, 30))
    sid, ids = closed_session(store, clock, "fa")
    row = casework(store, clock).record_found_incident(sid, found(ids))
    assert row.found_on == DAY + timedelta(days=6) and row.category == "FRAUDE_KANDIDAAT"
    assert row.protocol_point == 8 and row.session_id == sid           # routed by the same catalogue
    _, pdf = DocumentService(context(store, "commissie", clock)).issue("procesverbaal", sid)
    page = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Achteraf vastgesteld op 16-03-2027 (melding door een docent: J. de Vries" in page


@pytest.mark.parametrize(("on", "problem"), [
    (DAY - timedelta(days=1), "vóór de afname"),
    (WEEK_LATER + timedelta(days=1), "in de toekomst"),
])
def test_a_found_incident_dated_before_the_session_or_in_the_future_is_refused(store, on, problem):
    clock = Clock(at(8, 30))
    sid, ids = closed_session(store, clock, "fd" + str(on.day))
    before = counts(store)
    with pytest.raises(ValidationError, match=problem):
        casework(store, clock).record_found_incident(sid, found(ids, on))
    assert counts(store) == before


def test_the_examenbureau_records_only_administrative_faults(store):
    clock = Clock(at(8, 30))
    sid, ids = closed_session(store, clock, "fb")
    bureau = casework(store, clock, "bureau")
    with pytest.raises(PermissionDenied, match="administratieve fout"):
        bureau.record_found_incident(sid, found(ids))
    row = bureau.record_found_incident(sid, found(ids, category="CIJFER_ONJUIST"))
    assert row.letter == "f"
    with pytest.raises(PermissionDenied):
        casework(store, clock, "surveillant").record_found_incident(sid, found(ids))


def test_an_exam_pc_record_may_not_carry_a_found_incident(store):
    clock = Clock(at(8, 30))
    sid, ids = closed_session(store, clock, "fx")
    mode = SessionModeService(context(store, "commissie", clock), sid)
    plan = mode.plan
    frame = SessionFrame(sid, plan.session_date, plan.starts_at, plan.late_limit_minutes, frozenset(ids),
                         frozenset({"surveillant"}))
    route = mode.catalogue.route("FRAUDE_KANDIDAAT", plan.exam_kind)
    payload = FoundIncidentPayload("FRAUDE_KANDIDAAT", mode.catalogue.version, route, False, (ids[0],), None,
                                   "gedeeld", found_on=DAY.isoformat(), found_how="melding_docent")
    with pytest.raises(ValidationError, match="afnameverslag van een examenpc"):
        check_new_event(frame, ChainFacts.of(mode.events()), payload, clock(), clock(), "surveillant", exam_pc=True)


# --- evidence ---------------------------------------------------------------------------------------------------

def test_evidence_is_stored_inside_the_database_with_its_hash(store):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="ev")
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    service = casework(store, clock)
    a = service.attach(incident, "foto-tafel.png", PNG, "Foto van de tafel")
    assert a.media_type == "image/png" and a.size == len(PNG)
    import hashlib

    assert a.sha256 == hashlib.sha256(PNG).hexdigest()
    meta, content = service.open_attachment(a.id)
    assert content == PNG and meta.file_name == "foto-tafel.png"
    assert [x.id for x in casework_data.attachments_for_candidate(store, ids[0])] == [a.id]
    assert casework_data.attachments_for_candidate(store, ids[1]) == []
    with pytest.raises(Exception, match="kan niet worden gewijzigd"):
        store.write("UPDATE attachments SET description = 'anders' WHERE id = ?", (a.id,))


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", b"0" * 5_000_000)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("scan.png", PDF, "is een PDF-document, geen PNG-afbeelding"),
    ("foto.pdf", PNG, "is een PNG-afbeelding, geen PDF-document"),
    ("mail.pdf", b"<!DOCTYPE html><html><body>hoi</body></html>", "webpagina"),
    ("bom.pdf", _zip_bomb(), "zip-archief"),
    ("groot.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF", "hoogstens 10 MB"),
    ("leeg.png", b"", "is leeg"),
    ("half.pdf", b"%PDF-1.4\n1 0 obj", "het einde ontbreekt"),
    ("reus.png", PNG[:16] + b"\x00\x01\x00\x00\x00\x01\x00\x00" + PNG[24:], "onmogelijk formaat"),
])
def test_an_attachment_that_is_not_what_it_claims_is_refused_and_nothing_saved(store, name, content, problem):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="ar" + name[:3])
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    before = counts(store)
    with pytest.raises(ValidationError, match=problem) as refused:
        casework(store, clock).attach(incident, name, content)
    assert name in refused.value.message or "MB" in refused.value.message
    assert counts(store) == before


# --- the hearing ------------------------------------------------------------------------------------------------

def _case(store, clock, tag: str):
    run, ids = running(store, clock, tag=tag)
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    clock.at = at(10, 0, day=DAY + timedelta(days=3))
    return incident, ids


def heard(cid: int, on: date = DAY + timedelta(days=2)) -> HearingInput:
    return HearingInput(cid, DAY + timedelta(days=1), "email", "gehoord", on, ("Marieke de Vries",),
                        "Ik heb alleen op mijn telefoon gekeken hoe laat het was.", interpreter="A. Yilmaz (tolk)")


def sanction(cid: int, on: date = DAY + timedelta(days=3), **kw) -> DecisionInput:
    return DecisionInput((cid,), on, (), ("cijfer_1",), reasoning="Telefoon gebruikt tijdens het examen.", **kw)


def test_a_hearing_is_recorded_and_a_hearing_after_the_decision_is_refused(store):
    clock = Clock(at(8, 30))
    incident, ids = _case(store, clock, "hh")
    service = casework(store, clock)
    h = service.record_hearing(incident, heard(ids[0]))
    assert "gehoord op 12-03-2027 door Marieke de Vries" in h.sentence and "tolk: A. Yilmaz" in h.sentence
    desk(store, clock).decide(incident, sanction(ids[0]), SECOND)
    clock.advance(days=3)
    before = counts(store)
    with pytest.raises(ValidationError, match="na het besluit"):
        service.record_hearing(incident, heard(ids[0], DAY + timedelta(days=5)))
    with pytest.raises(ValidationError, match="eigen woorden"):
        service.record_hearing(incident, HearingInput(ids[0], DAY + timedelta(days=1), "brief", "gehoord",
                                                      DAY + timedelta(days=2), ("Marieke de Vries",), ""))
    assert counts(store) == before


def test_a_sanction_without_a_hearing_asks_for_the_reason_which_the_letter_states(store):
    clock = Clock(at(8, 30))
    incident, ids = _case(store, clock, "hn")
    before = counts(store)
    with pytest.raises(ValidationError, match="niet gehoord vóór de besluitdatum"):
        desk(store, clock).decide(incident, sanction(ids[0]), SECOND)
    assert counts(store) == before
    reason = "De kandidaat reageerde niet op twee uitnodigingen en de uitslag moest worden vastgesteld."
    [d] = desk(store, clock).decide(incident, sanction(ids[0], no_hearing_reason=reason), SECOND)
    _, pdf = DocumentService(context(store, "commissie", clock)).issue("besluit", d.id)
    page = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "De kandidaat is niet gehoord: De kandidaat reageerde niet op twee uitnodigingen" in page


# --- who decides -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("logins", "error", "problem"), [
    ((), ValidationError, "2 leden van de examencommissie"),
    ((SecondLogin("commissie", "demo"),), ValidationError, "al bevestigd"),
    ((SecondLogin("bureau", "demo"),), ValidationError, "geen actief lid van de examencommissie"),
    ((SecondLogin("h.jansen", "fout"),), AuthenticationError, "onjuist"),
])
def test_a_sanction_needs_a_second_member_with_their_own_login(store, logins, error, problem):
    clock = Clock(at(8, 30))
    incident, ids = _case(store, clock, "s" + str(len(logins)) + error.__name__[:2] + problem[:2].replace(" ", ""))
    casework(store, clock).record_hearing(incident, heard(ids[0]))
    before = counts(store)
    with pytest.raises(error, match=problem):
        desk(store, clock).decide(incident, sanction(ids[0]), logins)
    after = counts(store)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}
    if error is AuthenticationError:       # the lockout rules apply: the failed attempt counts
        assert store.query_one("SELECT failed_attempts FROM users WHERE username = 'h.jansen'")[0] == 1


def test_the_institution_sets_how_many_members_decide_a_sanction(store):
    clock = Clock(at(8, 30))
    incident, ids = _case(store, clock, "sn")
    casework(store, clock).record_hearing(incident, heard(ids[0]))
    casework(store, clock, "beheerder").set_members_per_sanction(1)
    [d] = desk(store, clock).decide(incident, sanction(ids[0]))
    assert d.members == ("Marieke de Vries",)
    with pytest.raises(PermissionDenied):
        casework(store, clock).set_members_per_sanction(3)


# --- the appeal --------------------------------------------------------------------------------------------------

def _sent(store, clock, tag: str):
    """A sanction decided by two members after a hearing, its letter made and sent on DAY + 4."""
    incident, ids = _case(store, clock, tag)
    casework(store, clock).record_hearing(incident, heard(ids[0]))
    [d] = desk(store, clock).decide(incident, sanction(ids[0]), SECOND)
    DocumentService(context(store, "commissie", clock)).issue("besluit", d.id)
    clock.advance(days=1)
    DecisionLetterService(context(store, "commissie", clock)).record_dispatch(d.id, DAY + timedelta(days=4))
    return incident, ids, d


def test_an_appeal_after_its_term_needs_the_reason_it_was_taken_up(store):
    clock = Clock(at(8, 30))
    _, _, d = _sent(store, clock, "al")
    term_end = DAY + timedelta(days=4 + 42)
    clock.at = at(10, 0, day=term_end + timedelta(days=2))
    service = casework(store, clock)
    assert service.appeal_term(d.id) == (DAY + timedelta(days=4), term_end)
    before = counts(store)
    with pytest.raises(ValidationError, match="na de beroepstermijn"):
        service.lodge_appeal(d.id, term_end + timedelta(days=1), "de kandidaat")
    with pytest.raises(ValidationError, match="in de toekomst"):
        service.lodge_appeal(d.id, term_end + timedelta(days=3), "de kandidaat")
    assert counts(store) == before
    a = service.lodge_appeal(d.id, term_end + timedelta(days=1), "de kandidaat",
                             late_reason="De brief kwam door een verhuizing te laat aan.")
    assert a.term_until == term_end and a.late_reason


def test_an_appeal_upheld_with_a_changed_decision_supersedes_it_and_is_counted(store):
    clock = Clock(at(8, 30))
    incident, ids, d = _sent(store, clock, "au")
    clock.advance(days=10)
    service = casework(store, clock)
    assert [t.decision_id for t in service.running_terms()].count(d.id) == 1
    a = service.lodge_appeal(d.id, DAY + timedelta(days=8), "de kandidaat en haar moeder")
    assert [t.appeal_id for t in service.running_terms() if t.appeal_id] == [a.id]
    service.record_appeal_hearing(a.id, DAY + timedelta(days=12), "Kandidaat en moeder gehoord.")
    with pytest.raises(ValidationError, match="vóór de zitting"):
        service.record_appeal_outcome(a.id, "gewijzigd", DAY + timedelta(days=11), "x")
    changed = DecisionInput((), DAY + timedelta(days=13), (), ("ongeldig",),
                            reasoning="Telefoon gezien maar niet aantoonbaar gebruikt: het werk is ongeldig.")
    done = service.record_appeal_outcome(a.id, "gewijzigd", DAY + timedelta(days=13),
                                         "Gebruik niet bewezen; ongeldig in plaats van cijfer 1.", changed, SECOND)
    new = desk(store, clock).decision(done.new_decision_id)
    assert new.supersedes == d.id and new.measures == ("ongeldig",) and "commissie van beroep" in new.revision_reason
    assert not desk(store, clock).decision(d.id).current
    assert not [t for t in service.running_terms() if t.appeal_id]
    counted = casework_data.appeal_counts(store, DAY, DAY + timedelta(days=30))
    assert counted["ingesteld"] == 1 and counted["gewijzigd"] == 1 and counted["lopend"] == 0
    with pytest.raises(ValidationError, match="al uitspraak"):
        service.record_appeal_outcome(a.id, "in_stand", DAY + timedelta(days=13))


def test_an_annulled_decision_is_superseded_by_no_measure(store):
    clock = Clock(at(8, 30))
    _, _, d = _sent(store, clock, "av")
    clock.advance(days=10)
    service = casework(store, clock)
    a = service.lodge_appeal(d.id, DAY + timedelta(days=8), "de kandidaat")
    done = service.record_appeal_outcome(a.id, "vernietigd", DAY + timedelta(days=12), "Onvoldoende gemotiveerd.")
    new = desk(store, clock).decision(done.new_decision_id)
    assert new.measures == () and "vernietigd door de commissie van beroep" in new.no_measure_reason


def test_no_appeal_to_the_commissie_van_beroep_against_a_point_6_decision(store):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="a6")
    incident = log(run, clock, "ONWEL", (ids[0],))
    clock.set(15, 0)
    [d] = desk(store, clock).decide(incident, DecisionInput((ids[0],), DAY, (by_username(store, "commissie").id,),
                                                            ("ongeldig_opnieuw",), reasoning="Onwel."))
    with pytest.raises(ValidationError, match="geen beroep open"):
        casework(store, clock).lodge_appeal(d.id, DAY, "de kandidaat")


# --- the candidate's history ---------------------------------------------------------------------------------------

def test_the_history_shows_every_case_of_a_candidate_in_time_order_and_is_audited(store):
    clock = Clock(at(8, 30))
    incident, ids, d = _sent(store, clock, "hi")
    person = session_data.candidate(store, ids[0])
    clock.advance(days=2)
    sid = desk(store, clock).get(incident).session_id
    later = casework(store, clock).record_found_incident(sid, found(ids, DAY + timedelta(days=6)))
    history = casework(store, clock).history(ids[0])
    assert [h.what for h in history] == ["incident", "horen", "besluit", "incident"]
    assert "achteraf vastgesteld" in history[-1].text and history[-1].incident_id == later.incident_id
    assert [h.on for h in history] == sorted(h.on for h in history)
    assert "Besluit" in history[2].text and history[0].incident_id == incident
    logged = store.query_one("SELECT action, entity_id FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert tuple(logged) == ("dossiergeschiedenis ingezien", person.student_number)
    with pytest.raises(PermissionDenied):
        casework(store, clock, "bureau").history(ids[0])


def test_the_commission_corrects_and_withdraws_an_incident_found_afterwards(store):
    from examdesk.domain.sessions import IncidentInput

    clock = Clock(at(8, 30))
    sid, ids = closed_session(store, clock, "fc")
    row = casework(store, clock).record_found_incident(sid, found(ids))
    service = desk(store, clock)
    service.correct(row.incident_id, IncidentInput("FRAUDE_KANDIDAAT", candidate_ids=(ids[0], ids[1]),
                                                   what_happened="Twee kandidaten deelden antwoorden."),
                    "De docent noemde later een tweede kandidaat.")
    corrected = service.get(row.incident_id)
    assert corrected.found_on == row.found_on and corrected.candidate_count == 2
    service.withdraw(row.incident_id, "De groepsapp bleek van na het examen.")
    assert service.get(row.incident_id).status == "ingetrokken"
