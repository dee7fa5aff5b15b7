"""Casework (issue 13) and privacy (issue 18) together: the register names the casework's columns, subject
access hands over hearings, appeals, signers and the evidence files, a running appeal holds anonymisation back,
anonymising blanks the case's free texts and removes the evidence bytes while every seal still verifies, and
reading the history or evidence shows in the audit filter per candidate."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from examdesk.data import privacy as privacy_data
from examdesk.data import sessions as session_data
from examdesk.domain.audit import AuditFilter
from examdesk.domain.errors import ValidationError
from examdesk.services.audit import AuditService
from examdesk.services.integrity import check_store
from examdesk.services.privacy import PrivacyService
from tests.desk_support import SECOND
from tests.services.test_casework import DAY, _sent, casework
from tests.session_support import Clock, at, context

FAR = DAY.replace(year=2045)
ACCOUNT = "Ik heb alleen op mijn telefoon gekeken hoe laat het was."      # heard(): the candidate's own words
EVIDENCE = b"%PDF-1.4\n% groepsapp-schermafdruk-7f3a9c\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LODGED_BY = "de kandidaat en haar moeder Selin Oztoprak"
SITTING = "Moeder verklaart dat de telefoon in de tas zat."
RULING = "Het beroep is ongegrond; de telefoon lag op tafel."


def _appealed(store, clock, tag: str, rule: bool = True):
    """A sanction after a hearing with evidence on it, its letter sent, appealed, the appeal heard and (when
    `rule`) ruled on: the whole case of issue 13 about one candidate."""
    incident, ids, d = _sent(store, clock, tag)
    service = casework(store, clock)
    [h] = service.hearings(incident)
    evidence = service.attach(incident, "schermafdruk-groepsapp.pdf", EVIDENCE, "Schermafdruk van de groepsapp",
                              hearing_id=h.id)
    clock.advance(days=10)
    a = service.lodge_appeal(d.id, DAY + timedelta(days=8), LODGED_BY)
    service.record_appeal_hearing(a.id, DAY + timedelta(days=12), SITTING)
    if rule:
        service.record_appeal_outcome(a.id, "in_stand", DAY + timedelta(days=13), RULING)
    return incident, ids[0], d, a, evidence


def _beheerder(store):
    return PrivacyService(context(store, "beheerder", Clock(at(9, 0, day=FAR))))


def _raw(path: Path) -> bytes:
    wal = Path(str(path) + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


# --- 3. anonymisation -----------------------------------------------------------------------------------------

def test_a_running_appeal_or_appeal_term_holds_anonymisation_back_and_changes_nothing(store):
    clock = Clock(at(8, 30))
    _, cid, d, a, _ = _appealed(store, clock, "pr", rule=False)
    before = store.conn.total_changes
    with pytest.raises(ValidationError, match=f"een beroep tegen besluit {d.number} loopt nog") as refused:
        _beheerder(store).anonymise([cid], FAR)
    assert "niet geanonimiseerd" in refused.value.message
    assert store.conn.total_changes == before
    assert [i.blocked for i in _beheerder(store).due(FAR) if i.candidate_id == cid] == [
        f"een beroep tegen besluit {d.number} loopt nog (ingesteld op {a.lodged_on.strftime('%d-%m-%Y')}, "
        "nog geen uitspraak)"]
    # a letter whose term still runs: nobody appealed yet, but the candidate may
    clock2 = Clock(at(8, 30))
    _, ids, d2 = _sent(store, clock2, "pt")
    reasons = privacy_data.open_cases(store, [ids[0]], DAY + timedelta(days=20))
    assert reasons == {ids[0]: [f"de beroepstermijn van besluit {d2.number} loopt nog tot en met 25-04-2027"]}
    assert privacy_data.open_cases(store, [ids[0]], DAY + timedelta(days=4 + 43)) == {}


def test_anonymising_blanks_the_case_texts_and_removes_the_evidence_while_every_seal_verifies(store):
    clock = Clock(at(8, 30))
    incident, cid, d, a, evidence = _appealed(store, clock, "pa")
    c = session_data.candidate(store, cid)
    result = _beheerder(store).anonymise([cid], FAR)
    assert result.candidates == 1

    hearing = store.query_one("SELECT account, interpreter, outcome, held_on FROM hearings WHERE candidate_id = ?",
                              (cid,))
    assert tuple(hearing) == ("[verwijderd]", "[verwijderd]", "gehoord", (DAY + timedelta(days=2)).isoformat())
    appeal = store.query_one("SELECT lodged_by, lodged_on FROM appeals WHERE id = ?", (a.id,))
    assert tuple(appeal) == ("[verwijderd]", a.lodged_on.isoformat())
    assert store.query_one("SELECT note FROM appeal_hearings WHERE appeal_id = ?", (a.id,))[0] == "[verwijderd]"
    assert store.query_one("SELECT note, outcome FROM appeal_outcomes WHERE appeal_id = ?", (a.id,))[:] == (
        "[verwijderd]", "in_stand")
    kept = store.query_one("SELECT length(content), sha256, size, media_type, file_name, description FROM attachments"
                           " WHERE id = ?", (evidence.id,))
    assert tuple(kept) == (0, hashlib.sha256(EVIDENCE).hexdigest(), len(EVIDENCE), "application/pdf",
                           "[verwijderd]", "[verwijderd]")
    # the appeal's lodger and the evidence's name are gone from the audit entries about the case too
    for action, about in (("beroep ingesteld", d.id), ("bijlage toegevoegd", incident)):
        summary = json.loads(store.query_one("SELECT summary FROM audit_log WHERE action = ? AND entity_id = ?",
                                             (action, about))[0])
        assert summary.get("door", summary.get("bestand")) == "[verwijderd]"
    report = check_store(store, store.path)
    assert report.ok, report.problems                 # seals of hearings, evidence, appeals; the audit chain
    raw = _raw(store.path)
    for secret in (ACCOUNT, "A. Yilmaz", LODGED_BY, "Selin Oztoprak", SITTING, RULING, "schermafdruk-groepsapp",
                   "groepsapp-schermafdruk-7f3a9c", c.student_number):
        assert secret.encode() not in raw, f"{secret!r} is still in the database file"


def test_the_triggers_let_the_casework_change_only_through_a_redaction(store):
    clock = Clock(at(8, 30))
    _, cid, _, a, evidence = _appealed(store, clock, "pg")
    with pytest.raises(sqlite3.DatabaseError, match="kan niet worden gewijzigd"):
        store.conn.execute("UPDATE hearings SET account = '' WHERE candidate_id = ?", (cid,))
    with pytest.raises(sqlite3.DatabaseError, match="kan niet worden gewijzigd"):
        store.conn.execute("UPDATE attachments SET content = X'' WHERE id = ?", (evidence.id,))
    store.conn.execute("INSERT INTO redactions (record, row_key, original, content, anonymisation, mac, at)"
                       " VALUES ('attachments', ?, 'x', 'y', 'z', 'm', 'nu')", (str(evidence.id),))
    with pytest.raises(sqlite3.DatabaseError):     # with a redaction still only the personal columns
        store.conn.execute("UPDATE attachments SET sha256 = ? WHERE id = ?", ("0" * 64, evidence.id))
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("DELETE FROM attachments WHERE id = ?", (evidence.id,))
    with pytest.raises(sqlite3.DatabaseError, match="kan niet worden gewijzigd"):
        store.conn.execute("UPDATE appeals SET lodged_by = 'x' WHERE id = ?", (a.id,))


# --- 2. subject access ----------------------------------------------------------------------------------------

def test_subject_access_hands_over_hearings_appeals_signers_and_the_evidence_files(store, tmp_path):
    clock = Clock(at(8, 30))
    _, cid, d, a, evidence = _appealed(store, clock, "ps")
    c = session_data.candidate(store, cid)
    pdf, js = PrivacyService(context(store, "commissie", clock)).write_subject_access(c.student_number, tmp_path)
    tables = json.loads(js.read_text(encoding="utf-8"))["tabellen"]
    assert [h["account"] for h in tables["hearings"]] == [ACCOUNT]
    assert [r["lodged_by"] for r in tables["appeals"]] == [LODGED_BY]
    assert [r["note"] for r in tables["appeal_hearings"]] == [SITTING]
    assert [r["note"] for r in tables["appeal_outcomes"]] == [RULING]
    assert sorted(r["username"] for r in tables["decision_signers"]) == ["commissie", SECOND[0].username]
    [row] = tables["attachments"]
    digest = hashlib.sha256(EVIDENCE).hexdigest()
    assert (row["sha256"], row["size"], row["media_type"]) == (digest, len(EVIDENCE), "application/pdf")
    assert row["content"]["sha256"] == digest and row["content"]["bytes"] == len(EVIDENCE)
    written = tmp_path / row["content"]["bestand"]
    assert written.parent.parent == tmp_path and written.read_bytes() == EVIDENCE      # beside the JSON
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages).split())
    for shown in ("Horen,bewijsenberoep", "schermafdruk-groepsapp.pdf", digest, "Beroepingesteldop",
                  "alleenopmijntelefoon"):       # compared without spaces: a narrow column wraps a hash
        assert shown in text, shown
    exported = store.query_one("SELECT summary FROM audit_log WHERE action = 'inzageverzoek geëxporteerd'")[0]
    assert json.loads(exported)["bijlagen"] == 1


def test_another_candidates_hearing_evidence_is_not_in_this_export(store):
    from examdesk.data import casework as casework_data
    from examdesk.domain.casework import HearingInput
    from tests.desk_support import log, running

    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="po")
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0], ids[1]))
    clock.at = at(10, 0, day=DAY + timedelta(days=3))
    service = casework(store, clock)
    h = service.record_hearing(incident, HearingInput(ids[1], DAY + timedelta(days=1), "email", "gehoord",
                                                      DAY + timedelta(days=2), ("Marieke de Vries",), "Mijn verhaal."))
    theirs = service.attach(incident, "verklaring.pdf", EVIDENCE, hearing_id=h.id)
    shared = service.attach(incident, "foto.pdf", EVIDENCE.replace(b"7f3a9c", b"000000"))
    assert [x.id for x in casework_data.attachments_for_candidate(store, ids[0])] == [shared.id]
    assert [x.id for x in casework_data.attachments_for_candidate(store, ids[1])] == [theirs.id, shared.id]
    rows = privacy_data.subject_rows(store, ids[0], session_data.candidate(store, ids[0]).student_number)
    assert [r["id"] for r in rows["attachments"]] == [shared.id]


# --- 4. who looked --------------------------------------------------------------------------------------------

def test_reading_the_history_and_opening_evidence_show_in_the_audit_filter_per_candidate(store):
    clock = Clock(at(8, 30))
    incident, cid, _, _, evidence = _appealed(store, clock, "pw")
    service = casework(store, clock)
    service.history(cid)
    service.open_attachment(evidence.id)
    shared = service.attach(incident, "foto.pdf", EVIDENCE.replace(b"7f3a9c", b"111111"))
    service.open_attachment(shared.id)         # evidence on the incident: linked to the candidates it names
    entries = AuditService(context(store, "commissie", clock)).page(AuditFilter(candidate_id=cid), 0, 50)
    assert [e.action for e in entries][:3] == ["bijlage ingezien", "bijlage toegevoegd", "bijlage ingezien"] or \
        [e.action for e in entries if e.action == "bijlage ingezien"] == ["bijlage ingezien"] * 2
    linked = {r[0] for r in store.query("SELECT a.action FROM audit_subjects s JOIN audit_log a USING (seq)"
                                        " WHERE s.candidate_id = ?", (cid,))}
    assert {"dossiergeschiedenis ingezien", "bijlage ingezien"} <= linked
