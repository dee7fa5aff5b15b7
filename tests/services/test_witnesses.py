"""Witnesses of the audit head outside the chain: the head printed on every issued document (and
stored with it), the head in every backup, the witness file beside the keys. A tail deleted before a
witnessed head, or history rewritten under it, contradicts them."""

from __future__ import annotations

import io
import sqlite3

from pypdf import PdfReader

from examdesk.cli import main
from examdesk.data import audit as audit_data
from examdesk.data import keystore
from examdesk.data.db import open_store
from examdesk.data.users import by_username
from examdesk.domain.backups import DatabaseState
from examdesk.domain.documents import VerdictStatus
from examdesk.services.backup import automatic_backup_if_due, check_database
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService, verify_pdf
from tests import forger


def _session(store) -> str:
    return store.query_one("SELECT id FROM sessions WHERE status = 'afgesloten' ORDER BY session_date LIMIT 1")[0]


def _issue(demo_db):
    store = open_store(demo_db)
    try:
        ctx = AppContext(store, by_username(store, "commissie"))
        head = audit_data.head(store)
        record, pdf = DocumentService(ctx).issue("procesverbaal", _session(store))
    finally:
        store.close()
    return head, record, pdf


def test_a_document_prints_and_stores_the_audit_head_beside_an_unchanged_fingerprint(demo_db):
    head, record, pdf = _issue(demo_db)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    short = f"{head[1][:4]} {head[1][4:8]}"
    assert f"Auditlogboek t/m regel {head[0]} · {short}" in text
    assert (record.audit_seq, record.audit_hash) == head
    conn = sqlite3.connect(demo_db)
    stored = conn.execute("SELECT audit_seq, audit_hash FROM documents WHERE id = ?", (record.id,)).fetchone()
    conn.close()
    assert stored == head
    # the fingerprint covers the data only: issuing again later (another head) gives the same fingerprint
    _head2, record2, _pdf2 = _issue(demo_db)
    assert record2.fingerprint == record.fingerprint and record2.audit_seq > record.audit_seq


def test_rows_deleted_after_a_document_was_issued_are_caught_by_the_document(demo_db, capsys):
    """No witness file on this PC (a copied database): the document alone is enough."""
    head, _record, pdf = _issue(demo_db)
    for witness in keystore.keys_folder().glob("*.getuige.json"):
        witness.unlink()
    forger.truncate_audit(demo_db, head[0] - 3)

    assert main(["verify", "--db", str(demo_db)]) == 1
    out = capsys.readouterr().out
    assert f"noemt auditregel {head[0]}" in out and "regels aan het eind zijn verwijderd buiten ExamDesk" in out
    assert 'Het document "Procesverbaal' in out

    store = open_store(demo_db)
    try:
        verdict = verify_pdf(store, pdf)
    finally:
        store.close()
    assert verdict.status is VerdictStatus.CHANGED
    assert "de database is na het uitgeven herschreven" in verdict.message


def test_the_paper_contradicts_a_rewrite_even_when_the_documents_table_is_emptied(demo_db, tmp_path, capsys):
    head, _record, pdf = _issue(demo_db)
    forger.run(demo_db, "DELETE FROM documents")
    forger.truncate_audit(demo_db, head[0] - 2)
    saved = tmp_path / "procesverbaal.pdf"
    saved.write_bytes(pdf)
    assert main(["verify-document", str(saved), "--db", str(demo_db)]) == 1
    assert f"noemt auditregel {head[0]}" in capsys.readouterr().out


def test_a_backup_is_a_witness_of_the_head_it_recorded(demo_db, capsys):
    store = open_store(demo_db)
    made = automatic_backup_if_due(store)
    recorded = audit_data.head(store)
    store.close()
    for witness in keystore.keys_folder().glob("*.getuige.json"):
        witness.unlink()
    forger.truncate_audit(demo_db, recorded[0] - 4)
    assert main(["verify", "--db", str(demo_db)]) == 1
    out = capsys.readouterr().out
    assert f"De back-up {made.name} noemt auditregel {recorded[0]}" in out


def test_the_witness_file_moves_up_with_the_head_and_never_back(demo_db):
    store = open_store(demo_db)
    try:
        assert check_database(demo_db, record=True).state is DatabaseState.OK
        audit_data.append(store, None, "test", "iets", "instelling", 1)
        automatic_backup_if_due(store, closing=True)  # closing: the head is a witness now
        head = audit_data.head(store)
    finally:
        store.close()
    raw = keystore.read_witness(store_id(demo_db), demo_db)
    assert raw["seen"] == [head[0], head[1]]
    raw["seen"] = [head[0] + 50, head[1]]  # moved by hand, without the key: the witness is refused
    keystore.write_witness(store_id(demo_db), demo_db, raw)
    verdict = check_database(demo_db)
    assert verdict.state is DatabaseState.DAMAGED and "getuige" in verdict.problem and "ongeldig" in verdict.problem


def store_id(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()[0]
    finally:
        conn.close()


def test_a_restore_through_examdesk_is_not_mistaken_for_a_truncation(ctx_for, store, demo_db):
    from examdesk.domain.roles import Role
    from examdesk.services.backup import BackupService

    service = BackupService(ctx_for(Role.BEHEERDER))
    made = service.backup_now()
    for n in range(5):
        audit_data.append(store, None, "test", f"later {n}", "instelling", 1)
    assert check_database(demo_db, record=True).state is DatabaseState.OK  # the witness saw the longer chain
    service.restore(made.path)
    assert check_database(demo_db).state is DatabaseState.OK
    assert check_database(demo_db, thorough=True).state is DatabaseState.OK  # older backups do not count either
