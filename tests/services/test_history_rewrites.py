"""Someone holds the database file and rewrites history with plain sqlite3 (tests/forger.py): each
rewrite is named by `examdesk verify` (exit 1, the table and row) and by the startup check where it
can see it. The attacks come first; the keyed chain, the seals and the witnesses are what stop them."""

from __future__ import annotations

import json
import sqlite3

import pytest

from examdesk.cli import main
from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role
from examdesk.services.backup import check_database
from examdesk.services.documents import DocumentService
from tests import forger


def verify(path, capsys) -> tuple[int, str]:
    code = main(["verify", "--db", str(path)])
    return code, capsys.readouterr().out


def query(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def started(path) -> None:
    """A previous start of ExamDesk on this PC: the check passed and its position was recorded."""
    assert check_database(path, record=True).state is DatabaseState.OK


def test_an_untouched_demo_database_verifies(demo_db, capsys):
    code, out = verify(demo_db, capsys)
    assert code == 0 and "In orde" in out and "met sleutel" in out


def test_an_audit_row_edited_and_the_plain_chain_recomputed_is_named(demo_db, capsys):
    started(demo_db)
    forger.run(demo_db, "UPDATE audit_log SET username = 'iemand-anders' WHERE seq = 40")
    forger.recompute_audit_chain(demo_db)  # every link and the head agree again, as plain SHA-256

    code, out = verify(demo_db, capsys)
    assert code == 1
    assert "Auditregel 1 is gewijzigd buiten ExamDesk" in out  # every hash was rewritten, from the first row on
    assert "de geschiedenis tot en met regel" in out  # and this PC's witness of the head contradicts it
    startup = check_database(demo_db)
    assert startup.state is DatabaseState.DAMAGED and "auditlogboek" in startup.problem.lower()


def test_without_the_key_no_recomputed_chain_passes_even_without_any_witness(demo_db, tmp_path):
    forger.run(demo_db, "UPDATE audit_log SET summary = '{\"naam\": \"vervalst\"}' WHERE seq = 120")
    forger.recompute_audit_chain(demo_db)
    verdict = check_database(demo_db)  # a fresh PC state: no witness file, the check starts from row 1
    assert verdict.state is DatabaseState.DAMAGED
    assert "Auditregel" in verdict.problem


def test_a_deleted_tail_with_the_head_moved_is_caught_by_the_witness(demo_db, capsys):
    started(demo_db)
    last = forger.head(demo_db)
    forger.truncate_audit(demo_db, last - 5)  # the remaining rows are genuine and still link up

    startup = check_database(demo_db)
    assert startup.state is DatabaseState.DAMAGED
    assert f"noemt auditregel {last}" in startup.problem and f"eindigt bij regel {last - 5}" in startup.problem
    code, out = verify(demo_db, capsys)
    assert code == 1 and "regels aan het eind zijn verwijderd buiten ExamDesk" in out


def test_a_decision_whose_measure_is_edited_is_named(demo_db, capsys):
    decision_id, number = query(demo_db, "SELECT id, number FROM decisions WHERE measures != '[]' LIMIT 1")[0]
    forger.run(demo_db, ("UPDATE decisions SET measures = ? WHERE id = ?", (json.dumps(["waarschuwing"]), decision_id)))

    code, out = verify(demo_db, capsys)
    assert code == 1
    assert f"Besluit {decision_id} (tabel decisions) is gewijzigd buiten ExamDesk" in out
    assert check_database(demo_db).state is DatabaseState.DAMAGED  # no checkpoint yet: start checks every row


def test_a_decision_member_swapped_is_named_as_its_decision(demo_db, capsys):
    decision_id = query(demo_db, "SELECT decision_id FROM decision_members LIMIT 1")[0][0]
    forger.run(demo_db, ("UPDATE decision_members SET full_name = 'Niemand' WHERE decision_id = ?", (decision_id,)))
    code, out = verify(demo_db, capsys)
    assert code == 1 and f"Besluit {decision_id} (tabel decisions) is gewijzigd" in out


def test_desk_rows_added_or_removed_outside_examdesk_are_named(demo_db, capsys):
    closure_id = query(demo_db, "SELECT max(id) FROM incident_closures")[0][0]
    incident = query(demo_db, "SELECT incident_id FROM incident_index LIMIT 1")[0][0]
    forger.run(demo_db,
               f"DELETE FROM incident_closures WHERE id = {closure_id}",
               ("INSERT INTO incident_triage (incident_id, kind, previous_category, reason, recorded_at, username)"
                " VALUES (?, 'twijfelgeval', 'X', 'ingevoegd', '2026-11-23T09:00:00+01:00', 'x')", (incident,)))
    code, out = verify(demo_db, capsys)
    assert code == 1
    assert f"Afsluiting of heropening {closure_id} (tabel incident_closures) is verwijderd buiten ExamDesk" in out
    assert "(tabel incident_triage) is buiten ExamDesk toegevoegd" in out


def _incident_event(path) -> tuple[str, str, int, str]:
    return query(path, "SELECT e.id, e.session_id, e.seq, s.title FROM session_events e JOIN sessions s"
                       " ON s.id = e.session_id WHERE e.kind = 'incident' ORDER BY s.session_date LIMIT 1")[0]


def test_an_incident_text_edited_in_sqlite_is_named_and_never_printed(demo_db, capsys):
    event_id, session_id, seq, title = _incident_event(demo_db)
    data = json.loads(query(demo_db, "SELECT data FROM session_events WHERE id = ?", (event_id,))[0][0])
    data["what_happened"] = "Er gebeurde niets bijzonders."
    forger.run(demo_db, ("UPDATE session_events SET data = ? WHERE id = ?", (json.dumps(data), event_id)))

    code, out = verify(demo_db, capsys)
    assert code == 1
    assert f"Afname {title}" in out and f"gebeurtenis {seq} is gewijzigd buiten ExamDesk" in out
    assert check_database(demo_db).state is DatabaseState.DAMAGED

    store = open_store(demo_db)
    try:
        from examdesk.data.users import by_username
        from examdesk.services.context import AppContext

        ctx = AppContext(store, by_username(store, "commissie"))
        with pytest.raises(ValidationError, match="komt daarom niet op papier"):
            DocumentService(ctx).issue("procesverbaal", session_id)
        assert store.query_one("SELECT count(*) FROM documents WHERE subject_id = ?", (session_id,))[0] == 0
    finally:
        store.close()


def test_the_start_resumes_from_its_checkpoint_and_the_full_check_reads_everything(ctx_for, store, demo_db):
    """Starting does not grow with the data: rows before the recorded position are left to the full check
    (`verify`, and the background check after the window is shown), which reads everything."""
    from tests.desk_support import log, running
    from tests.session_support import Clock, at

    started(demo_db)
    session, ids = running(store, Clock(at(8, 30)), count=2, tag="nieuw")
    event_id = log(session, Clock(at(9, 0)), "TE_VEEL_TIJD", (ids[0],))
    store.close()
    assert check_database(demo_db, record=True).state is DatabaseState.OK
    # an edit after the recorded position would be caught; one before it is left to the full check
    title = query(demo_db, "SELECT s.title FROM session_events e JOIN sessions s ON s.id = e.session_id"
                           " WHERE e.id = ?", (event_id,))[0][0]
    forger.run(demo_db, ("UPDATE session_events SET occurred_at = '2026-11-23T08:00:00+01:00' WHERE id = ?",
                         (event_id,)))
    assert check_database(demo_db).state is DatabaseState.OK  # before the checkpoint: not re-read at start
    full = check_database(demo_db, thorough=True)  # what `verify` and the background check run
    assert full.state is DatabaseState.DAMAGED
    assert any(f"Afname {title}" in d and "is gewijzigd buiten ExamDesk" in d for d in full.details)


def test_a_school_with_hundreds_of_accounts_still_starts_from_its_checkpoint(demo_db, ctx_for, store, monkeypatch):
    """The checkpoint holds every account's roles and password digest: 250 accounts make it some 25 KB, which
    a key entry's bound (16 KB) refused — every start then re-read the whole history (13 s on a year)."""
    from examdesk.data import keystore
    from examdesk.domain.users import hash_password
    from examdesk.services import integrity, users
    from examdesk.services.users import UserService

    stored = hash_password("een-lang-wachtwoord")
    monkeypatch.setattr(users, "hash_password", lambda _password: stored)  # one argon2 hash, not 250
    service = UserService(ctx_for(Role.BEHEERDER))
    for n in range(250):
        service.add(f"surveillant{n}", f"Surveillant {n}", "een-lang-wachtwoord", frozenset({Role.SURVEILLANT}))
    store.close()
    started(demo_db)
    witness = next(keystore.keys_folder().glob("*.getuige.json"))
    assert witness.stat().st_size > 16 * 1024
    assert integrity.has_checkpoint(demo_db)
    assert not _start_check(demo_db).full   # resumed from the checkpoint, not from the first row


def test_an_oversized_witness_is_no_checkpoint_and_the_start_checks_everything(demo_db):
    """A witness file blown up by someone (or something) is not read whole: it counts as no witness, and the
    start checks every row, as on a PC that never saw the file."""
    from examdesk.data import keystore
    from examdesk.services import integrity

    started(demo_db)
    witness = next(keystore.keys_folder().glob("*.getuige.json"))
    witness.write_bytes(b'{"x": "' + b"a" * (9 * 1024 * 1024) + b'"}')
    assert not integrity.has_checkpoint(demo_db)
    assert _start_check(demo_db).full        # every row, from the first
    assert check_database(demo_db, record=True).state is DatabaseState.OK
    assert integrity.has_checkpoint(demo_db)   # and a good one is written again


def _start_check(path):
    """The report of the startup check (what `check_database` runs before the window), on its own connection."""
    from examdesk.data.db import open_readonly
    from examdesk.services.integrity import check_store

    store = open_readonly(path)
    try:
        report = check_store(store, path, full=False)
    finally:
        store.close()
    assert report.ok, report.problems
    return report


def test_rows_written_after_the_checkpoint_are_verified_at_startup(demo_db, ctx_for, store):
    started(demo_db)
    from examdesk.services.users import UserService

    UserService(ctx_for(Role.BEHEERDER)).add("nieuw", "Nieuw Iemand", "een-lang-wachtwoord", frozenset({Role.BUREAU}))
    store.close()
    last = forger.head(demo_db)
    forger.run(demo_db, f"UPDATE audit_log SET username = 'x' WHERE seq = {last}")
    verdict = check_database(demo_db)
    assert verdict.state is DatabaseState.DAMAGED and f"Auditregel {last} is gewijzigd" in verdict.problem


def test_a_forged_anchor_or_a_removed_one_is_refused(demo_db, capsys):
    anchor = json.loads(query(demo_db, "SELECT value FROM meta WHERE key = 'audit_anchor'")[0][0])
    anchor["keyed_from"] = 10_000
    forger.run(demo_db, ("UPDATE meta SET value = ? WHERE key = 'audit_anchor'", (json.dumps(anchor),)))
    code, out = verify(demo_db, capsys)
    assert code == 1 and "sleutelanker" in out
    forger.run(demo_db, "DELETE FROM meta WHERE key = 'audit_anchor'")
    code, out = verify(demo_db, capsys)
    assert code == 1 and "sleutelanker" in out and "ontbreekt" in out


def test_a_downgrade_to_the_unkeyed_format_is_caught_by_the_witness(demo_db, capsys):
    """Rewrite everything as a plain chain, remove the anchor and claim schema 6 (from before the key):
    the check before opening sees an old-format file, but this PC's witness knows the real head."""
    started(demo_db)
    forger.run(demo_db, "UPDATE audit_log SET summary = '{}' WHERE seq = 3", "DELETE FROM meta WHERE key = 'audit_anchor'",
               "PRAGMA user_version = 6")
    forger.recompute_audit_chain(demo_db)
    verdict = check_database(demo_db)
    assert verdict.state is DatabaseState.DAMAGED
    assert "herschreven" in verdict.problem
