"""Privacy (issue 18): retention settings and their minimum, the due list on its boundary dates, anonymisation
that keeps counts, reports and every chain verifiable while no byte of the candidate remains in the file, and
the subject-access export."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from examdesk.data import privacy as privacy_data
from examdesk.data import sessions as session_data
from examdesk.data.db import open_store
from examdesk.domain.audit import AuditFilter
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.privacy import DOSSIERS, RESULTS, CandidateFacts, due, keep_until
from examdesk.domain.roles import Role
from examdesk.services.audit import AuditService
from examdesk.services.candidates import CandidateService
from examdesk.services.documents import DocumentService
from examdesk.services.integrity import check_store
from examdesk.services.overview import OverviewService
from examdesk.services.privacy import PrivacyService

FAR = date(2045, 1, 1)   # every retention period of the demo has ended by then


def _celik(store):
    """A demo candidate due for anonymisation by FAR, with an incident naming them and a decision, whose
    surname no other candidate or user has (so a search of the raw bytes for it means them)."""
    from examdesk.data.users import by_username
    from examdesk.services.context import AppContext

    ready = {i.candidate_id for i in PrivacyService(AppContext(store, by_username(store, "beheerder"))).due(FAR)
             if i.can_anonymise}
    for r in store.query(
            "SELECT c.id, c.last_name FROM candidates c WHERE EXISTS (SELECT 1 FROM decisions d"
            " WHERE d.candidate_id = c.id AND d.reasoning != '') AND EXISTS (SELECT 1 FROM incident_candidates ic"
            " JOIN incident_index ii USING (incident_id) WHERE ic.candidate_id = c.id AND ii.all_candidates = 0)"
            " ORDER BY c.id"):
        others = store.query_one("SELECT (SELECT count(*) FROM candidates WHERE last_name = ?) +"
                                 " (SELECT count(*) FROM users WHERE full_name LIKE ?)", (r[1], f"%{r[1]}%"))[0]
        if r[0] in ready and others == 1:
            return session_data.candidate(store, r[0])
    raise AssertionError("the demo has no candidate to anonymise")


def _raw(path: Path) -> bytes:
    wal = Path(str(path) + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


# --- retention --------------------------------------------------------------------------------------

def test_retention_defaults_and_a_setting_below_the_legal_minimum_is_refused_naming_point_18(ctx_for):
    svc = PrivacyService(ctx_for(Role.BEHEERDER))
    assert svc.retention()[RESULTS.name] == 24
    with pytest.raises(ValidationError, match="punt 18") as refused:
        svc.set_retention(RESULTS.name, 12)
    assert "anderhalf jaar" in refused.value.message
    assert svc.retention()[RESULTS.name] == 24          # nothing changed
    assert svc.set_retention(RESULTS.name, "18") == 18
    assert svc.retention()[RESULTS.name] == 18
    with pytest.raises(ValidationError, match="heel aantal"):
        svc.set_retention(DOSSIERS.name, "vijf")


def test_due_list_boundary_dates():
    """Kept up to and including the last day: a session on 15 June 2023 ends its school year on 31 July 2023;
    24 months later is 31 July 2025, due from 1 August 2025."""
    f = CandidateFacts(1, "100001", "A B", date(2022, 9, 1), date(2023, 6, 15), None)
    assert keep_until(f, 24, 5) == date(2025, 7, 31)
    assert due([f], date(2025, 7, 31), 24, 5) == []
    assert [i.candidate_id for i in due([f], date(2025, 8, 1), 24, 5)] == [1]
    # a session on 1 August starts the next school year
    g = CandidateFacts(2, "100002", "C D", date(2022, 9, 1), date(2023, 8, 1), None)
    assert keep_until(g, 18, 5) == date(2026, 1, 31)
    # a decision keeps the whole file for the dossier period after its school year
    h = CandidateFacts(3, "100003", "E F", date(2022, 9, 1), date(2023, 6, 15), date(2023, 6, 20))
    assert keep_until(h, 24, 5) == date(2028, 7, 31)
    blocked = CandidateFacts(4, "100004", "G H", date(2010, 1, 1), None, None, ("een melding bij de Inspectie "
                                                                               "wacht op antwoord",))
    item = due([blocked], FAR, 24, 5)[0]
    assert not item.can_anonymise and "Inspectie" in item.blocked


def test_the_demo_has_nothing_due_today_and_lists_open_cases_later(ctx_for):
    svc = PrivacyService(ctx_for(Role.BEHEERDER))
    assert svc.due() == []
    later = svc.due(FAR)
    assert later and any(i.blocked for i in later) and any(i.can_anonymise for i in later)


def test_anonymising_with_an_open_case_or_before_the_period_changes_nothing(store, ctx_for):
    svc = PrivacyService(ctx_for(Role.BEHEERDER))
    blocked = next(i for i in svc.due(FAR) if i.blocked)
    before = store.conn.total_changes
    with pytest.raises(ValidationError, match="niet geanonimiseerd"):
        svc.anonymise([blocked.candidate_id], FAR)
    ready = next(i for i in svc.due(FAR) if i.can_anonymise)
    with pytest.raises(ValidationError, match="bewaard"):
        svc.anonymise([ready.candidate_id])                   # today: still within its period
    assert store.conn.total_changes == before
    assert session_data.candidate(store, blocked.candidate_id).student_number == blocked.student_number


def test_the_beheerder_sees_the_monthly_check_on_the_overzicht(ctx_for):
    cards = OverviewService(ctx_for(Role.BEHEERDER)).cards()
    card = next(c for c in cards if c.title.startswith("Privacy"))
    assert "over de bewaartermijn" in card.lines[0].text
    assert all(not c.title.startswith("Privacy") for c in OverviewService(ctx_for(Role.COMMISSIE)).cards())


# --- anonymisation ------------------------------------------------------------------------------------

def _counts(store) -> dict[str, int]:
    return {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in (
        "candidates", "sessions", "session_candidates", "session_events", "incident_index", "decisions", "resits",
        "audit_log", "documents")}


def test_anonymisation_keeps_counts_reports_and_chains_and_leaves_no_trace(store, demo_db, ctx_for, tmp_path):
    c = _celik(store)
    decision = store.query_one("SELECT id FROM decisions WHERE candidate_id = ?", (c.id,))[0]
    texts = [r[0] for r in store.query(
        "SELECT ii.what_happened FROM incident_index ii JOIN incident_candidates ic USING (incident_id)"
        " WHERE ic.candidate_id = ? AND ii.all_candidates = 0", (c.id,))]
    reasoning = store.query_one("SELECT reasoning FROM decisions WHERE id = ?", (decision,))[0]
    assert texts and reasoning
    CandidateService(ctx_for(Role.COMMISSIE)).get(c.id)           # a look at the file: audited with the name
    document, _pdf = DocumentService(ctx_for(Role.COMMISSIE)).issue("besluit", decision)
    from examdesk.services import doc_jaarverslag
    year = doc_jaarverslag.subjects(store)[0][0]
    report_before = doc_jaarverslag.collect(store, year).data
    counts = _counts(store)
    secrets = [c.student_number, c.full_name, c.sort_name, c.last_name, c.birth_date.isoformat(),
               c.birth_date.strftime("%d-%m-%Y"), *texts, reasoning]

    result = PrivacyService(ctx_for(Role.BEHEERDER)).anonymise([c.id], FAR)

    assert result.candidates == 1 and result.records > 0 and result.documents >= 1
    after = _counts(store)
    assert after == {**counts, "audit_log": counts["audit_log"] + 1}   # one entry: the anonymisation itself
    report = check_store(store, demo_db)
    assert report.ok, report.problems                               # audit chain, seals, session chains
    assert doc_jaarverslag.collect(store, year).data == report_before   # the annual report's figures
    anon = session_data.candidate(store, c.id)
    assert anon.student_number.startswith("anon-") and anon.last_name.startswith("Kandidaat ")
    assert anon.birth_date is None and anon.first_name == ""
    flags = privacy_data.minor_flags_of(store, c.id)
    assert flags and all(isinstance(v, bool) for v in flags.values())
    assert store.query_one("SELECT reasoning FROM decisions WHERE id = ?", (decision,))[0] == "[verwijderd]"
    assert store.query_one("SELECT length(pdf), fingerprint FROM documents WHERE id = ?",
                           (document.id,))[:] == (0, document.fingerprint)
    with pytest.raises(NotFound, match="verwijderd bij het anonimiseren"):
        DocumentService(ctx_for(Role.COMMISSIE)).stored_pdf(document.id)
    raw = _raw(demo_db)
    for secret in secrets:
        for form in {secret, secret.lower()}:
            assert form.encode("utf-8") not in raw, f"{form!r} is still in the database file"
    folded = c.last_name.lower().encode("ascii", "ignore")
    assert folded not in raw              # the search index folds diacritics: no token of the name is left
    # a backup made now holds none of it either
    backup = tmp_path / "na.sqlite"
    from examdesk.data.backup import copy_database
    copy_database(demo_db, backup)
    assert c.student_number.encode() not in backup.read_bytes() and c.full_name.encode() not in backup.read_bytes()


def test_the_same_candidate_gets_the_same_pseudonym_and_a_redaction_cannot_be_forged(store, demo_db, ctx_for):
    from examdesk.data import keystore
    from examdesk.data import meta as meta_data
    from examdesk.domain.privacy import pseudonym

    c = _celik(store)
    key = keystore.load(meta_data.database_id(store)).hmac_key
    assert pseudonym(key, c.student_number) == pseudonym(key, c.student_number)
    PrivacyService(ctx_for(Role.BEHEERDER)).anonymise([c.id], FAR)
    assert session_data.candidate(store, c.id).student_number == pseudonym(key, c.student_number).student_number
    # someone with only the file edits a redacted event and forges its redaction: verify names it
    row = store.query_one("SELECT r.row_key FROM redactions r JOIN session_events e ON e.id = r.row_key"
                          " WHERE r.record = 'session_events' AND e.data LIKE '%[verwijderd]%' LIMIT 1")
    store.conn.execute("INSERT INTO redactions (record, row_key, original, content, anonymisation, mac, at)"
                       " SELECT record, row_key, original, 'f00d', anonymisation, mac, at FROM redactions"
                       " WHERE record = 'session_events' AND row_key = ?", (row[0],))
    store.conn.execute("UPDATE session_events SET data = replace(data, '[verwijderd]', 'vervalst') WHERE id = ?",
                       (row[0],))
    report = check_store(store, demo_db)
    assert not report.ok and any("gewijzigd buiten ExamDesk" in p.sentence for p in report.problems)


def test_the_triggers_allow_only_the_redaction_path(store):
    """Without a redaction an update of an event or audit entry is refused; with one only the personal
    column may change; a delete is refused always."""
    import sqlite3

    event = store.query_one("SELECT id, session_id FROM session_events LIMIT 1")
    with pytest.raises(sqlite3.DatabaseError, match="verslag"):
        store.conn.execute("UPDATE session_events SET data = '{}' WHERE id = ?", (event[0],))
    store.conn.execute("INSERT INTO redactions (record, row_key, original, content, anonymisation, mac, at)"
                       " VALUES ('session_events', ?, 'x', 'y', 'z', 'm', 'nu')", (event[0],))
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("UPDATE session_events SET username = 'iemand' WHERE id = ?", (event[0],))
    store.conn.execute("UPDATE session_events SET data = data WHERE id = ?", (event[0],))   # the one path
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("DELETE FROM session_events WHERE id = ?", (event[0],))
    with pytest.raises(sqlite3.DatabaseError, match="auditlogboek"):
        store.conn.execute("UPDATE audit_log SET summary = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("DELETE FROM redactions")


# --- subject access ------------------------------------------------------------------------------------

def test_subject_access_exports_every_row_about_the_candidate_as_json_and_pdf(store, ctx_for, tmp_path):
    c = _celik(store)
    CandidateService(ctx_for(Role.COMMISSIE)).get(c.id)
    pdf, js = PrivacyService(ctx_for(Role.COMMISSIE)).write_subject_access(c.student_number, tmp_path / "inzage")
    record = json.loads(js.read_text(encoding="utf-8"))
    tables = record["tabellen"]
    assert tables["candidates"][0]["student_number"] == c.student_number
    assert {"session_candidates", "sessions", "decisions", "incident_candidates", "incident_index",
            "session_events", "audit_log"} <= set(tables)
    assert any(r["action"] == "kandidaatgegevens ingezien" for r in tables["audit_log"])
    for table, spec in privacy_data.subject_tables(store).items():     # exactly the rows the schema links
        if spec.where is not None:
            n = store.query_one(f"SELECT count(*) FROM {table} WHERE {spec.where}", (c.id,) * spec.params)[0]
            assert len(tables.get(table, [])) == n, table
    assert pdf.read_bytes().startswith(b"%PDF")
    # the export itself is audited, and the audit log filters on the candidate
    entries = AuditService(ctx_for(Role.COMMISSIE)).page(AuditFilter(candidate_id=c.id), 0, 50)
    assert [e.action for e in entries][:2] == ["inzageverzoek geëxporteerd", "kandidaatgegevens ingezien"]
    assert all(e.action != "kandidaat geanonimiseerd" for e in entries)


def test_subject_access_for_an_unknown_number_is_refused_in_dutch(ctx_for):
    with pytest.raises(NotFound, match="geen kandidaat met studentnummer '999999'"):
        PrivacyService(ctx_for(Role.BUREAU)).subject_access("999999")


def test_every_table_that_refers_to_candidates_is_covered_by_subject_access(store):
    """A new table with a candidate reference (a column named like a candidate id, or a foreign key to
    candidates or to a table of their case) must be found by `subject_tables`, or this fails."""
    covered = privacy_data.subject_tables(store)
    refs = privacy_data.candidate_reference_columns(store)
    derived = {"audit_subjects"}     # the index of audit entries per candidate: read through audit_log
    missing = sorted(t for t in refs if t not in covered and t not in derived)
    assert not missing, f"tables that refer to candidates but are not in the subject-access export: {missing}"


def test_a_new_table_with_a_candidate_reference_joins_the_export_without_code(store):
    """Two tables no step of the schema has (names of their own): one referring to a decision, one to the first."""
    store.conn.execute("CREATE TABLE test_complaints (id INTEGER PRIMARY KEY, decision_id TEXT REFERENCES"
                       " decisions(id), lodged_on TEXT)")
    store.conn.execute("CREATE TABLE test_complaint_sittings (id INTEGER PRIMARY KEY, complaint_id INTEGER"
                       " REFERENCES test_complaints(id))")
    c = _celik(store)
    decision = store.query_one("SELECT id FROM decisions WHERE candidate_id = ?", (c.id,))[0]
    store.conn.execute("INSERT INTO test_complaints (id, decision_id, lodged_on) VALUES (7, ?, '2026-01-05')",
                       (decision,))
    store.conn.execute("INSERT INTO test_complaint_sittings (id, complaint_id) VALUES (3, 7)")
    rows = privacy_data.subject_rows(store, c.id, c.student_number)
    assert rows["test_complaints"] == [{"id": 7, "decision_id": decision, "lodged_on": "2026-01-05"}]
    assert rows["test_complaint_sittings"] == [{"id": 3, "complaint_id": 7}]


def test_an_older_database_upgrades_and_still_verifies(tmp_path, demo_db):
    """The demo template is built by every step; a copy opened again (no pending step) verifies, and the
    v015 triggers are in place."""
    copy = tmp_path / "kopie.sqlite"
    shutil.copyfile(demo_db, copy)
    s = open_store(copy)
    try:
        assert check_store(s, copy).ok
        sql = s.query_one("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'")[0]
        assert "redactions" in sql
    finally:
        s.close()


def test_switched_off_accounts_are_anonymised_after_their_period_keeping_the_username(store, ctx_for):
    from examdesk.services.users import UserService

    UserService(ctx_for(Role.BEHEERDER)).set_active("l.vandijk", False)
    svc = PrivacyService(ctx_for(Role.BEHEERDER))
    assert svc.accounts_due() == []                                  # 12 months by default
    [due_account] = svc.accounts_due(FAR)
    assert due_account.username == "l.vandijk"
    active = store.query_one("SELECT id FROM users WHERE username = 'commissie'")[0]
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        svc.anonymise_accounts([active], FAR)
    assert svc.anonymise_accounts([due_account.user_id], FAR) == 1
    row = store.query_one("SELECT username, full_name, email, phone FROM users WHERE id = ?", (due_account.user_id,))
    assert tuple(row) == ("l.vandijk", f"Oud-medewerker {due_account.user_id}", "", "")
    assert svc.accounts_due(FAR) == []
    assert check_store(store, store.path).ok


def test_a_namesake_keeps_their_name(store, ctx_for):
    """A name is not unique: anonymising one Iris Mulder leaves another Iris Mulder's file and audit alone."""
    c = _celik(store)
    other = store.query_one("SELECT id FROM candidates WHERE id != ? AND id NOT IN (SELECT candidate_id FROM"
                            " session_candidates WHERE session_id IN (SELECT session_id FROM session_candidates"
                            " WHERE candidate_id = ?)) LIMIT 1", (c.id, c.id))[0]
    store.conn.execute("UPDATE candidates SET first_name = ?, prefix = ?, last_name = ? WHERE id = ?",
                       (c.first_name, c.prefix, c.last_name, other))
    CandidateService(ctx_for(Role.COMMISSIE)).get(other)          # audited with the (shared) name
    PrivacyService(ctx_for(Role.BEHEERDER)).anonymise([c.id], FAR)
    assert session_data.candidate(store, other).full_name == c.full_name
    seen = store.query_one("SELECT summary FROM audit_log WHERE action = 'kandidaatgegevens ingezien'"
                           " ORDER BY seq DESC LIMIT 1")[0]
    assert c.full_name in json.loads(seen)["naam"]
