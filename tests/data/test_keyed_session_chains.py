"""Every session's event chain is keyed since v011, like the audit chain since v007: someone who holds
only the database file can no longer change an event and recompute the chain. A school's database from
before (the demo as version 6 made it) upgrades: its sessions' old, plain events keep verifying, each
such session gets an anchor (from which event it is keyed, the hash of its last plain event, an HMAC
over both), and a rewrite of the plain part is caught at the anchor."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.data import sessions as session_data
from examdesk.data.db import open_store
from examdesk.domain.session_events import RemarkPayload, event_hash, verify_chain
from tests import forger

FIXTURE = Path(__file__).with_name("demo-v006.sqlite.gz")


@pytest.fixture
def old_db(tmp_path) -> Path:
    target = tmp_path / "school.sqlite"
    with gzip.open(FIXTURE, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return target


def _rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _verify(path, capsys) -> tuple[int, str]:
    code = main(["verify", "--db", str(path)])
    return code, capsys.readouterr().out


def _plain(e) -> str:
    return event_hash(e.prev_hash, e.id, e.session_id, e.seq, e.occurred_at, e.recorded_at, e.user_id, e.username,
                      e.kind, e.data_json(), e.corrects)


def test_an_old_database_upgrades_its_session_chains_and_keeps_verifying(old_db, capsys):
    heads = dict(_rows(old_db, "SELECT session_id, max(seq) FROM session_events GROUP BY session_id"))
    assert heads
    store = open_store(old_db)
    try:
        anchors = session_data.anchors(store)
        assert {sid: a.keyed_from - 1 for sid, a in anchors.items()} == heads
        key = session_data.chain_key(store)
        sid = next(iter(heads))
        events = session_data.events(store, sid)
        assert all(e.hash == _plain(e) for e in events)               # the old events stay as they were
        assert verify_chain(events, key, anchors[sid]).ok
        added = session_data.append_event(store, sid, events[-1].occurred_at, events[-1].recorded_at, None,
                                          "surveillant", RemarkPayload("na de upgrade"))
        assert added.seq == heads[sid] + 1 and added.hash != _plain(added)    # keyed from the anchor on
        assert verify_chain(session_data.events(store, sid), key, anchors[sid]).ok
        assert "sessieketens beveiligd met sleutel" in [r[0] for r in store.query("SELECT action FROM audit_log")]
    finally:
        store.close()
    code, out = _verify(old_db, capsys)
    assert code == 0 and "In orde" in out


def test_a_rewrite_of_the_old_plain_events_is_caught_at_the_anchor(old_db, capsys):
    open_store(old_db).close()
    sid, last = _rows(old_db, "SELECT session_id, keyed_from - 1 FROM session_chain_anchors LIMIT 1")[0]
    title = _rows(old_db, "SELECT title FROM sessions WHERE id = ?", (sid,))[0][0]
    forger.run(old_db, ("UPDATE session_events SET occurred_at = '2026-11-23T07:00:00+01:00' WHERE session_id = ?"
                        " AND seq = 1", (sid,)))
    forger.recompute_session_chain(old_db, sid)                       # every plain hash made to fit again
    code, out = _verify(old_db, capsys)
    assert code == 1 and f"Afname {title}" in out and "sleutelanker van de afname" in out
    assert f"1 tot en met {last}" in out


def test_a_session_chain_recomputed_outside_examdesk_is_caught(demo_db, capsys):
    """A database made at this version: every chain is keyed from its first event."""
    sid, title = _rows(demo_db, "SELECT s.id, s.title FROM sessions s JOIN session_events e ON e.session_id = s.id"
                                " WHERE e.kind = 'incident' LIMIT 1")[0]
    assert _rows(demo_db, "SELECT count(*) FROM session_chain_anchors")[0][0] == 0
    forger.run(demo_db, ("UPDATE session_events SET occurred_at = '2026-11-23T08:00:00+01:00' WHERE session_id = ?"
                         " AND kind = 'incident'", (sid,)))
    forger.recompute_session_chain(demo_db, sid)
    code, out = _verify(demo_db, capsys)
    assert code == 1 and f"Afname {title}" in out and "gebeurtenis 1 is gewijzigd buiten ExamDesk" in out


def test_a_forged_or_removed_anchor_is_caught(old_db, capsys):
    open_store(old_db).close()
    sid = _rows(old_db, "SELECT session_id FROM session_chain_anchors LIMIT 1")[0][0]
    forger.run(old_db, ("UPDATE session_chain_anchors SET keyed_from = keyed_from + 1 WHERE session_id = ?", (sid,)))
    code, out = _verify(old_db, capsys)
    assert code == 1 and "sleutelanker van de afname (session_chain_anchors) is gewijzigd" in out
    forger.run(old_db, ("DELETE FROM session_chain_anchors WHERE session_id = ?", (sid,)))
    code, out = _verify(old_db, capsys)                                # its plain events now fail as keyed ones
    assert code == 1 and "gewijzigd buiten ExamDesk" in out


def test_plain_events_removed_from_the_end_of_an_upgraded_session_are_caught(old_db, capsys):
    open_store(old_db).close()
    sid, last = _rows(old_db, "SELECT session_id, keyed_from - 1 FROM session_chain_anchors WHERE keyed_from > 2"
                              " LIMIT 1")[0]
    forger.run(old_db, ("DELETE FROM event_origins WHERE event_id IN (SELECT id FROM session_events WHERE session_id = ?"
                " AND seq = ?)", (sid, last)),
               ("DELETE FROM session_events WHERE session_id = ? AND seq = ?", (sid, last)))
    code, out = _verify(old_db, capsys)
    assert code == 1 and f"gebeurtenis {last} past niet meer bij het sleutelanker" in out
