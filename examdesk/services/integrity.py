"""Whether a database's history proves itself (docs/trust.md).
(Over 400 lines: one verifier — chain, seals, accounts, documents, sessions, witnesses, redactions — read in one place.)

* `check_store(..., full=True)`: everything from the first row — the keyed audit chain, every sealed
  desk row, every session's event chain, and every witness this installation knows (the witness
  file, the audit head printed on each issued document, the head in each backup of this database).
  `examdesk verify`, the GUI's background check and `check_backup` run it.
* `check_store(..., full=False)`: the startup check. It resumes from the position verified last
  time (kept, with an HMAC, in the witness file beside the keys): it checks that that position is
  still there unchanged and verifies only what came after it, so starting does not grow with the
  data.
* `record_verified` / `note_head` / `reset_witness`: keep the witness file up to date.

Needs no login: a damaged database has no users to log in with. Never writes to the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from examdesk.data import audit as audit_data
from examdesk.data import backup as backup_data
from examdesk.data import chains, keystore
from examdesk.data import documents as document_data
from examdesk.data import meta as meta_data
from examdesk.data import privacy as privacy_data
from examdesk.data import users as user_data
from examdesk.data.db import Store, open_readonly
from examdesk.domain.audit import AuditEntry, ChainVerdict, verify_chain
from examdesk.domain.audit_ledgers import AccountLedger, DocumentLedger
from examdesk.domain.cancel import Cancellation
from examdesk.domain.cancel import check as check_cancel
from examdesk.domain.clock import format_datetime, from_iso
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.integrity import (
    SEALED,
    SEALED_TABLES,
    IntegrityReport,
    Position,
    Problem,
    Witness,
    parse_seal,
    row_digest,
    witness_from_dict,
    witness_problem,
)
from examdesk.domain.keys import DatabaseKeys
from examdesk.domain.privacy import accepts, valid_redactions

KEYED_SCHEMA = 7           # the schema version from which the audit chain is keyed
PASSWORDS_SCHEMA = 18      # the schema version from which every stored password hash is vouched for by the trail
MAX_PER_KIND = 5           # broken sessions (or desk rows) named one by one before "… en nog N"
RESTORE_ACTIONS = ("back-up teruggezet", "herstel na beschadiging")


def _keys(store: Store) -> tuple[str, DatabaseKeys | None, str]:
    """(database id, its keys or None, a Dutch problem when the key entry itself is unreadable)."""
    database_id = meta_data.database_id(store)
    if not database_id:
        return "", None, ""
    try:
        return database_id, keystore.load(database_id), ""
    except ExamDeskError as exc:
        return database_id, None, exc.message


def redactions(store: Store, record: str | None = None) -> dict:
    """The valid redactions of anonymisations (`domain/privacy.Redaction`), checked under this database's key;
    empty when there are none or the key is not here (then a redacted row fails as changed)."""
    rows = privacy_data.redactions(store, record)
    if not rows:
        return {}
    _id, keys, _unreadable = _keys(store)
    return valid_redactions(rows, keys.hmac_key if keys else None)


def verify_audit(store: Store) -> ChainVerdict:
    """The audit chain alone (keyed where it is keyed), from its first entry."""
    head = audit_data.head(store)
    if store.schema_version() < KEYED_SCHEMA:
        return verify_chain(audit_data.iter_entries(store), head)
    database_id, keys, unreadable = _keys(store)
    if keys is None:
        return ChainVerdict(False, 0, None, unreadable or keystore.missing_message(database_id or "?", store.path))
    present, anchor = audit_data.anchor(store)
    if anchor is None:
        return ChainVerdict(False, 0, None, _anchor_sentence(present))
    return verify_chain(audit_data.iter_entries(store), head, keys.hmac_key, anchor,
                        redactions=redactions(store, "audit_log"))


def _anchor_sentence(present: bool) -> str:
    return ("Het sleutelanker van het auditlogboek (meta.audit_anchor) " + ("is onleesbaar" if present else "ontbreekt")
            + ": het is buiten ExamDesk gewijzigd of verwijderd.")


# --- the check ---------------------------------------------------------------------------------------

def check_store(store: Store, db_path: Path | None = None, full: bool = True,
                backup_folder: Path | None = None, cancel: Cancellation | None = None) -> IntegrityReport:
    """Checks the database `store` holds (read-only; best on a connection of its own, which then sees
    one consistent state). `db_path` names the file for the witness beside the keys (None: no witness
    file). `backup_folder`: this database's backups, whose heads are witnesses too (full check). `cancel`: looked
    at between audit entries (the chain's Python loop); a query on the store's connection is interrupted by
    it when the store was opened with it — the caller then records nothing."""
    opened = chains.in_read_snapshot(store)
    try:
        return _check(store, Path(db_path) if db_path else None, full, backup_folder, cancel)
    finally:
        chains.end_read_snapshot(store, opened)


def _check(store: Store, db_path: Path | None, full: bool, backup_folder: Path | None,
           cancel: Cancellation | None = None) -> IntegrityReport:
    problems: list[Problem] = []
    head = audit_data.head(store)
    database_id, keys, unreadable = _keys(store)
    if store.schema_version() < KEYED_SCHEMA:  # before the upgrade to v007 (only the check before opening)
        verdict = verify_chain(audit_data.iter_entries(store), head)
        if not verdict.ok:
            problems.append(Problem("audit_log", str(verdict.broken_seq), verdict.reason))
        if full:
            problems += _sessions_full(store)
        if keys is not None and db_path is not None:
            problems += _witness_file_problems(store, db_path, database_id, keys, head)[1]
        return IntegrityReport(tuple(problems), verdict.checked, None, full)
    if keys is None:
        return IntegrityReport((Problem("sleutels", database_id,
                                        unreadable or keystore.missing_message(database_id or "?", db_path)),),
                               keys_missing=not unreadable)
    present, anchor = audit_data.anchor(store)
    if anchor is None:
        return IntegrityReport((Problem("meta", "audit_anchor", _anchor_sentence(present)),))

    witness, witness_problems = (None, [])
    if db_path is not None:
        witness, witness_problems = _witness_file_problems(store, db_path, database_id, keys, head)
    start = Position()
    ledger = AccountLedger()   # roles, active and password digests, as the trail says
    if not full and witness is not None and witness.verified is not None:
        v = witness.verified
        resumed = AccountLedger.from_dict(v.accounts) if v.audit_seq else ledger
        if resumed is not None and (v.audit_seq == 0 or (
                v.audit_seq <= head[0] and audit_data.hash_at(store, v.audit_seq) == v.audit_hash)):
            start, ledger = v, resumed
        # else the witness problem names it, or the checkpoint predates the account ledger (v018): everything
        # is checked from the start, once
    snapshot_events = chains.max_event_rowid(store)
    snapshot_desk = tuple((t.table, audit_data.max_rowid(store, t.table)) for t in _sealed_tables(store))

    seals: dict[tuple[str, str], tuple[str, int]] = {}
    issued = DocumentLedger() if full else None              # documents, as the trail says

    def entries() -> Iterator[AuditEntry]:
        for e in audit_data.iter_entries(store, after=start.audit_seq):
            check_cancel(cancel)
            seal = parse_seal(e.action, e.summary)
            if seal is not None:
                seals[(seal[0], seal[1])] = (seal[2], e.seq)
            ledger.add(e.action, e.user_id, e.entity, e.entity_id, e.summary)
            if issued is not None:
                issued.add(e.action, e.summary)
            yield e

    resume = (start.audit_seq, start.audit_hash) if start.audit_seq else None
    redacted = redactions(store)
    verdict = verify_chain(entries(), head, keys.hmac_key, anchor, resume, redacted)
    if not verdict.ok:
        problems.append(Problem("audit_log", str(verdict.broken_seq or ""), verdict.reason))
        seals = {k: (v, 0) for k, v in audit_data.seals_after(store, start.audit_seq).items()}  # still name rows
    problems += witness_problems  # a truncated tail first: it is the cause of any unsealed row after it
    if verdict.ok:   # every start too (the users table is small): an account changed in the file stops here
        password_key = keys.hmac_key if store.schema_version() >= PASSWORDS_SCHEMA else None
        problems += _capped(ledger.problems(user_data.account_states(store), password_key), "accounts")
    if issued is not None and verdict.ok:
        anonymised = {row for record, row in redacted if record == "documents"}
        problems += _capped(issued.problems(document_data.stored_digests(store), anonymised), "documenten")
    problems += _desk(store, seals, full, dict(start.desk_rowids), redacted)
    problems += _sessions_full(store, redacted, cancel) if full else _sessions_after(store, start.events_rowid)
    if full:
        problems += _document_problems(store, head[0])
        if backup_folder is not None:
            problems += _backup_problems(store, backup_folder, head[0])
    position = None
    if not problems:
        position = Position(verdict.last[0], verdict.last[1], snapshot_events, snapshot_desk, ledger.to_dict())
    return IntegrityReport(tuple(problems), verdict.checked, position, full or start.audit_seq == 0)


# --- desk rows ---------------------------------------------------------------------------------------

def _desk(store: Store, seals: dict[tuple[str, str], tuple[str, int]], full: bool,
          after: dict[str, int], redacted: dict | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for spec in _sealed_tables(store):
        found: list[Problem] = []
        label = spec.label[:1].upper() + spec.label[1:]
        if full:
            rows = ((key, content) for key, content in audit_data.all_rows(store, spec.table))
        else:
            rows = ((key, content) for _rowid, key, content in
                    audit_data.rows_after(store, spec.table, after.get(spec.table, 0)))
        seen: set[str] = set()
        for key, content in rows:
            seen.add(key)
            sealed = seals.get((spec.table, key))
            if sealed is None:
                found.append(Problem(spec.table, key, f"{label} {key} (tabel {spec.table}) is buiten ExamDesk "
                                                      "toegevoegd: het auditlogboek heeft er geen zegel van."))
            elif sealed[0] != (digest := row_digest(spec.table, content)) and not accepts(
                    redacted, spec.table, key, sealed[0], digest):
                where = f" in auditregel {sealed[1]}" if sealed[1] else ""
                found.append(Problem(spec.table, key, f"{label} {key} (tabel {spec.table}) is gewijzigd buiten "
                                                      f"ExamDesk: de inhoud past niet meer bij het zegel{where}."))
        if full:
            for (table, key), (_digest, seq) in sorted(seals.items(), key=lambda item: item[1][1]):
                if table == spec.table and key not in seen:
                    where = f" (verzegeld in auditregel {seq})" if seq else ""
                    found.append(Problem(table, key, f"{label} {key} (tabel {table}) is verwijderd buiten "
                                                     f"ExamDesk{where}."))
        problems += _capped(found, f"rijen in {spec.table}")
    return problems


def _sealed_tables(store: Store) -> tuple:
    """The sealed tables this database has (a file at an older schema version lacks the later ones)."""
    present = audit_data.table_names(store)
    return tuple(t for t in SEALED_TABLES if t.table in present)


def desk_row_problem(store: Store, table: str, key: str) -> str | None:
    """Why one desk row cannot be trusted (Dutch), or None when it matches its seal."""
    if store.schema_version() < KEYED_SCHEMA:
        return None
    spec = SEALED[table]
    label = spec.label[:1].upper() + spec.label[1:]
    content = audit_data.row_content(store.conn, table, key)
    sealed = audit_data.seal_of(store, table, str(key))
    if content is None:
        return None
    if sealed is None:
        return f"{label} {key} (tabel {table}) is buiten ExamDesk toegevoegd: het auditlogboek heeft er geen zegel van."
    if sealed != (digest := row_digest(table, content)) and not accepts(redactions(store, table), table, key, sealed,
                                                                         digest):
        return f"{label} {key} (tabel {table}) is gewijzigd buiten ExamDesk: de inhoud past niet meer bij het zegel."
    return None


def _capped(found: list[Problem], what: str) -> list[Problem]:
    if len(found) <= MAX_PER_KIND:
        return found
    rest = len(found) - MAX_PER_KIND
    return [*found[:MAX_PER_KIND], Problem(found[0].table, "", f"… en nog {rest} {what} met een probleem.")]


# --- session chains ----------------------------------------------------------------------------------

def _session_keying(store: Store) -> tuple[bytes | None, dict]:
    """(the session chain key, the anchors) for this database: (None, {}) before v011, when chains were
    plain. Raises KeysMissing when the chains are keyed and the key is not on this computer."""
    from examdesk.data import sessions as session_data

    key = session_data.chain_key(store)
    return key, session_data.anchors(store) if key is not None else {}


def verify_session_chain(events: list, key: bytes | None = None, anchor: object = None,
                         redacted: dict | None = None) -> object:
    """The session domain's chain check, imported when a session is checked: a start with nothing new does
    not load the whole session domain (fifteen payload types)."""
    from examdesk.domain.session_events import verify_chain

    return verify_chain(events, key, anchor, redacted)


def session_problem(store: Store, session_id: str) -> str | None:
    """Why the events of one session cannot be trusted (a Dutch sentence), or None when their chain holds
    (keyed under this database's key since v011, `domain/session_events.verify_chain`)."""
    from examdesk.data import sessions as session_data

    key = session_data.chain_key(store)
    anchor = session_data.anchor(store, session_id) if key is not None else None
    check = verify_session_chain(chains.session_events(store, session_id), key, anchor,
                                 redactions(store, "session_events"))
    if check.ok:
        return None
    return (f"Afname {chains.session_label(store, session_id)}: {check.reason[:1].lower()}{check.reason[1:]} "
            "(tabel session_events)")


def _sessions_full(store: Store, redacted: dict | None = None, cancel: Cancellation | None = None) -> list[Problem]:
    found = []
    key, anchors = _session_keying(store)
    if redacted is None:
        redacted = redactions(store, "session_events")
    for session_id, events in chains.events_by_session(store):
        check_cancel(cancel)
        check = verify_session_chain(events, key, anchors.get(session_id), redacted)
        if not check.ok:
            found.append(Problem("session_events", f"{session_id}#{check.broken_seq}",
                                 f"Afname {chains.session_label(store, session_id)}: {check.reason[:1].lower()}"
                                 f"{check.reason[1:]} (tabel session_events)"))
    return _capped(found, "afnames")


def _sessions_after(store: Store, rowid: int) -> list[Problem]:
    found = []
    for session_id in chains.sessions_with_events_after(store, rowid):
        sentence = session_problem(store, session_id)
        if sentence:
            found.append(Problem("session_events", session_id, sentence))
    return _capped(found, "afnames")


# --- witnesses ---------------------------------------------------------------------------------------

def _witness_file_problems(store: Store, db_path: Path, database_id: str, keys: DatabaseKeys,
                           head: tuple[int, str]) -> tuple[Witness | None, list[Problem]]:
    raw = keystore.read_witness(database_id, db_path)
    if raw is None:
        return None, []
    witness = witness_from_dict(raw, keys.hmac_key)
    if witness is None or witness.database_id != database_id:
        return None, [Problem("getuige", str(db_path), "De getuige van deze database op deze computer (naast de "
                                                        "sleutels) is ongeldig: hij is buiten ExamDesk gewijzigd.")]
    sentence = witness_problem("De getuige op deze computer", witness.seen[0], witness.seen[1], head[0],
                               audit_data.hash_at(store, witness.seen[0]))
    return witness, [Problem("audit_log", str(witness.seen[0]), sentence)] if sentence else []


def _document_problems(store: Store, head_seq: int) -> list[Problem]:
    found = []
    for d in chains.document_heads(store):
        what = f'Het document "{d["title"]}" (uitgegeven {format_datetime(from_iso(d["created_at"]))})'
        sentence = witness_problem(what, d["audit_seq"], d["audit_hash"], head_seq, d["now_hash"])
        if sentence:
            found.append(Problem("documents", d["id"], sentence))
    return _capped(found, "documenten")


def _backup_problems(store: Store, folder: Path, head_seq: int) -> list[Problem]:
    """A backup made after the last restore recorded a head on this database's present line of history."""
    since = chains.last_audited_at(store, RESTORE_ACTIONS)
    found = []
    for backup in backup_data.list_backup_files(folder):
        if since and backup.taken_at <= from_iso(since):
            continue  # from before a restore: another line of history, legitimately
        recorded = backup_data.read_audit_head(backup.path)
        if recorded is None:
            continue
        sentence = witness_problem(f"De back-up {backup.name}", recorded[0], recorded[1], head_seq,
                                   audit_data.hash_at(store, recorded[0]))
        if sentence:
            found.append(Problem("backup", backup.name, sentence))
    return _capped(found, "back-ups")


# --- keeping the witness file ------------------------------------------------------------------------

def _read_state(db_path: Path) -> tuple[str, tuple[int, str], DatabaseKeys | None] | None:
    """(database id, audit head, keys) of a keyed database file, read through a connection of its own."""
    try:
        store = open_readonly(db_path)
    except Exception:  # noqa: BLE001  (a witness is best effort; the database itself is not touched)
        return None
    try:
        if store.schema_version() < KEYED_SCHEMA:
            return None
        database_id, keys, _ = _keys(store)
        return database_id, audit_data.head(store), keys
    except Exception:  # noqa: BLE001
        return None
    finally:
        store.close()


def _write(database_id: str, db_path: Path, keys: DatabaseKeys, witness: Witness) -> None:
    try:
        keystore.write_witness(database_id, db_path, witness.signed(keys.hmac_key))
    except ExamDeskError:
        pass  # the witness is an extra; a read-only config folder must not stop the work


def _current(database_id: str, db_path: Path, keys: DatabaseKeys) -> Witness | None:
    raw = keystore.read_witness(database_id, db_path)
    return witness_from_dict(raw, keys.hmac_key) if raw is not None else None


def record_verified(store: Store, db_path: Path, report: IntegrityReport) -> None:
    """After a check without problems: the position verified becomes the next start's checkpoint."""
    if not report.ok or report.position is None:
        return
    database_id, keys, _ = _keys(store)
    if keys is None:
        return
    head = audit_data.head(store)
    _write(database_id, Path(db_path), keys, Witness(database_id, head, report.position))


def note_head(db_path: Path) -> None:
    """The head is a witness now (after a backup, a document, on closing): the witness moves up to it,
    never back (a shorter chain than seen before stays reported)."""
    state = _read_state(Path(db_path))
    if state is None or state[2] is None:
        return
    database_id, head, keys = state
    current = _current(database_id, Path(db_path), keys)
    if current is not None and current.seen[0] > head[0]:
        return
    _write(database_id, Path(db_path), keys,
           Witness(database_id, head, current.verified if current is not None else None))


def has_checkpoint(db_path: Path) -> bool:
    """Whether this PC has verified this database file before (its witness holds a position, with a
    valid HMAC): then the start resumes from there and the page-by-page check runs in the background."""
    state = _read_state(Path(db_path))
    if state is None or state[2] is None:
        return False
    database_id, _head, keys = state
    try:
        current = _current(database_id, Path(db_path), keys)
    except ExamDeskError:
        return False
    return current is not None and current.verified is not None


def drop_checkpoint(db_path: Path) -> None:
    """A full check found a problem: the next start must not resume from the last checkpoint (it would
    pass what the full check caught) but check everything, and so offer the recovery."""
    state = _read_state(Path(db_path))
    if state is None or state[2] is None:
        return
    database_id, _head, keys = state
    current = _current(database_id, Path(db_path), keys)
    if current is not None and current.verified is not None:
        _write(database_id, Path(db_path), keys, Witness(database_id, current.seen, None))


def reset_witness(db_path: Path) -> None:
    """After a restore through ExamDesk: the file now holds another line of history, on purpose."""
    state = _read_state(Path(db_path))
    if state is None or state[2] is None:
        return
    database_id, head, keys = state
    _write(database_id, Path(db_path), keys, Witness(database_id, head, None))
