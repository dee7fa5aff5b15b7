"""Red team, the insider with the database file (issue 11 "Done when": someone who holds the database file
cannot rewrite history without `verify` saying where). Plain sqlite3, no keys (tests/forger.py); every
rewrite is followed by `examdesk verify` and the startup check."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.domain.errors import AuthenticationError, DatabaseRefused
from examdesk.domain.institution import Institution
from examdesk.services.auth import AuthService
from examdesk.services.backup import automatic_backup_if_due, check_database, folder_of, require_good_backup
from tests import forger
from tests.backup_support import as_plain

SCHOOL = Institution(name="Grafisch Lyceum Noord", brin="99XX", commission_name="Examencommissie", place="Hoorn")


def verify(path: Path, capsys) -> tuple[int, str]:
    code = main(["verify", "--db", str(path)])
    return code, capsys.readouterr().out


def started(path: Path) -> None:
    assert check_database(path, record=True).state is DatabaseState.OK


def query(path: Path, sql: str, params: tuple = ()) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- the schema's own guards --------------------------------------------------------------------------------

def _without_triggers(path: Path, *statements: str) -> None:
    """The insider drops only the triggers in the way (plain sqlite3, not tests/forger.py) and writes."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def test_with_the_triggers_dropped_a_deleted_decision_is_still_named(demo_db, capsys):
    """The append-only triggers guard against ExamDesk's own mistakes, not against the file's holder: what a
    dropped trigger lets through is named by the seals."""
    started(demo_db)
    decision = query(demo_db, "SELECT id FROM decisions ORDER BY id LIMIT 1")[0][0]
    _without_triggers(demo_db, "PRAGMA foreign_keys = OFF", f"DELETE FROM decision_members WHERE decision_id = '{decision}'",
                      f"DELETE FROM decisions WHERE id = '{decision}'")
    code, out = verify(demo_db, capsys)
    assert code == 1 and str(decision) in out and "verwijderd buiten ExamDesk" in out


def test_with_the_triggers_dropped_a_rewritten_session_event_is_still_named(demo_db, capsys):
    started(demo_db)
    event, seq = query(demo_db, "SELECT id, seq FROM session_events WHERE kind = 'incident' LIMIT 1")[0]
    _without_triggers(demo_db, "UPDATE session_events SET data = replace(data, '\"what_happened\":\"', "
                               f"'\"what_happened\":\"niets; ') WHERE id = '{event}'")
    assert query(demo_db, "SELECT data FROM session_events WHERE id = ?", (event,))[0][0].count("niets; ") == 1
    code, out = verify(demo_db, capsys)
    assert code == 1 and f"gebeurtenis {seq} is gewijzigd buiten ExamDesk" in out


# --- accounts in the file -----------------------------------------------------------------------------------

ACCOUNT_REWRITES = [
    ("a surveillant made beheerder",
     "INSERT INTO user_roles (user_id, role) SELECT id, 'beheerder' FROM users WHERE username = 'surveillant'",
     "De rollen van account surveillant"),
    ("a beheerder's role taken away",
     "DELETE FROM user_roles WHERE role = 'beheerder'", "De rollen van account beheerder"),
    ("a deactivated account re-activated",
     "UPDATE users SET active = 1 WHERE username = 'e.sahin'", None),
    ("an account deactivated", "UPDATE users SET active = 0 WHERE username = 'commissie'",
     "Account commissie is buiten ExamDesk gedeactiveerd"),
    ("a beheerder added",
     "INSERT INTO users (username, full_name, password_hash, created_at) VALUES ('x', 'X', '!', '2027-01-01');"
     "INSERT INTO user_roles (user_id, role) SELECT id, 'beheerder' FROM users WHERE username = 'x'",
     "Account x heeft de rol(len) beheerder"),
]


@pytest.mark.parametrize(("what", "sql", "named"), ACCOUNT_REWRITES, ids=[a[0] for a in ACCOUNT_REWRITES])
def test_an_account_changed_in_the_file_is_named_by_verify(demo_db, capsys, what, sql, named):
    """Roles and the active flag are an account's power: given in sqlite3, the surveillant would log in as
    beheerder (and could export the keys). Every change of them is audited, so verify replays the trail."""
    if named is None:   # first deactivate through ExamDesk, then undo it in the file
        from examdesk.data.users import by_username
        from examdesk.services.context import AppContext
        from examdesk.services.users import UserService

        store = open_store(demo_db)
        UserService(AppContext(store, by_username(store, "beheerder"))).set_active("e.sahin", False)
        store.close()
        named = "Account e.sahin is buiten ExamDesk geactiveerd"
    started(demo_db)
    conn = sqlite3.connect(demo_db)
    conn.executescript(sql)
    conn.close()
    code, out = verify(demo_db, capsys)
    assert code == 1 and named in out, what


def test_accounts_changed_through_examdesk_verify(demo_db, capsys):
    from examdesk.data.users import by_username
    from examdesk.domain.roles import Role
    from examdesk.services.context import AppContext
    from examdesk.services.users import UserService

    store = open_store(demo_db)
    users = UserService(AppContext(store, by_username(store, "beheerder")))
    users.set_roles("surveillant", frozenset({Role.SURVEILLANT, Role.BUREAU}))
    users.set_active("l.vandijk", False)
    users.add("k.dejong", "Kees de Jong", "kees fietst naar gouda", frozenset({Role.COMMISSIE}))
    store.close()
    code, out = verify(demo_db, capsys)
    assert code == 0, out


# --- backups ------------------------------------------------------------------------------------------------

@pytest.fixture
def production(empty_db) -> Path:
    store = open_store(empty_db)
    try:
        AuthService(store).setup(SCHOOL, "admin", "Anna Admin", "een-lang-wachtwoord")
    finally:
        store.close()
    return empty_db


def test_a_demo_backup_dressed_as_the_schools_is_not_restored(demo_db, production, tmp_path):
    """The demo's mark removed and the school's database id written into it: its history is keyed under the
    demo's key, which is not the school's, so it does not prove itself as the school's backup."""
    demo = open_store(demo_db)
    made = automatic_backup_if_due(demo)
    demo.close()
    school_id = query(production, "SELECT value FROM meta WHERE key = 'database_id'")[0][0]
    folder_of(production).mkdir(parents=True, exist_ok=True)
    dressed = folder_of(production) / made.path.name
    shutil.copy(made.path, dressed)
    as_plain(dressed)        # the insider holds the demo's keys too: decrypted, as a pre-encryption backup was
    forger.run(dressed, "DELETE FROM meta WHERE key = 'demo'",
               ("UPDATE meta SET value = ? WHERE key = 'database_id'", (school_id,)))
    assert query(dressed, "SELECT value FROM meta WHERE key = 'database_id'")[0][0] == school_id
    before = production.read_bytes()
    with pytest.raises(DatabaseRefused):
        require_good_backup(dressed, production)
    assert production.read_bytes() == before
    with pytest.raises(AuthenticationError):
        store = open_store(production)
        try:
            AuthService(store).login("beheerder", "demo")
        finally:
            store.close()


# --- issued documents -------------------------------------------------------------------------------------

def _issue(demo_db: Path) -> tuple[str, bytes]:
    from examdesk.data.users import by_username
    from examdesk.services.context import AppContext
    from examdesk.services.documents import DocumentService

    store = open_store(demo_db)
    try:
        session = store.query_one("SELECT id FROM sessions WHERE status = 'afgesloten' ORDER BY session_date"
                                  " LIMIT 1")[0]
        record, pdf = DocumentService(AppContext(store, by_username(store, "commissie"))).issue("procesverbaal",
                                                                                                 session)
    finally:
        store.close()
    return record.id, pdf


def _verify_document(demo_db: Path, pdf: bytes, tmp_path: Path, capsys) -> tuple[int, str]:
    path = tmp_path / "te-controleren.pdf"
    path.write_bytes(pdf)
    code = main(["verify-document", str(path), "--db", str(demo_db)])
    return code, capsys.readouterr().out


def test_a_forged_pdf_put_in_as_the_issued_copy_does_not_match(demo_db, tmp_path, capsys):
    """The insider edits the PDF (keeping ExamDesk's marker) and stores it as the issued copy: verify-document
    must not vouch for it, and verify names the row."""
    doc, pdf = _issue(demo_db)
    forged = pdf + b"\n% uitslag aangepast\n"
    forger.run(demo_db, ("UPDATE documents SET pdf = ? WHERE id = ?", (forged, doc)))
    code, out = _verify_document(demo_db, forged, tmp_path, capsys)
    assert code == 1 and "buiten ExamDesk" in out, out
    code, out = verify(demo_db, capsys)
    assert code == 1 and doc in out


def test_a_genuine_pdf_is_not_called_changed_because_the_stored_copy_was_swapped(demo_db, tmp_path, capsys):
    doc, pdf = _issue(demo_db)
    forger.run(demo_db, ("UPDATE documents SET pdf = ? WHERE id = ?", (pdf + b"\n%x\n", doc)))
    code, out = _verify_document(demo_db, pdf, tmp_path, capsys)
    assert code == 0 and "komt overeen" in out and "opgeslagen exemplaar in de database is buiten ExamDesk" in out
    code, out = verify(demo_db, capsys)
    assert code == 1 and doc in out


def test_a_document_row_added_in_the_file_is_named(demo_db, tmp_path, capsys):
    doc, pdf = _issue(demo_db)
    forged = pdf + b"\n% ander document\n"
    forger.run(demo_db, ("INSERT INTO documents (id, kind, subject_id, title, fingerprint, created_at, created_by,"
                         " model, pdf, audit_seq, audit_hash) SELECT 'vals-1', kind, subject_id, title, fingerprint,"
                         " created_at, created_by, model, ?, audit_seq, audit_hash FROM documents WHERE id = ?",
                         (forged, doc)))
    code, out = _verify_document(demo_db, forged, tmp_path, capsys)
    assert code == 1 and "buiten ExamDesk" in out, out
    code, out = verify(demo_db, capsys)
    assert code == 1 and "vals-1" in out


def test_issued_documents_verify(demo_db, tmp_path, capsys):
    _doc, pdf = _issue(demo_db)
    code, out = _verify_document(demo_db, pdf, tmp_path, capsys)
    assert code == 0, out
    code, out = verify(demo_db, capsys)
    assert code == 0, out
