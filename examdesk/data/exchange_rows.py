"""The rows that travel in an exchange file, read from and written to the database.

The payload keys are the column names of schema v001–v003 (English), so the format documents
itself against the schema. Every column list here is a constant (`domain/exchange_import`'s
`PACKAGE_TABLES`): nothing read from a file becomes an SQL identifier. What an import does is
decided in the domain (`plan_package`, `plan_record`) and applied by `services/exchange.py` through
these functions inside one transaction; events are appended through `data/sessions`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from examdesk.data import audit as audit_data
from examdesk.data import retention
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.domain.clock import now, to_iso
from examdesk.domain.exchange import refused
from examdesk.domain.exchange_import import (
    INSTITUTION_COLUMNS,
    PACKAGE_TABLES,
    PLAN_COLUMNS,
    LocalSession,
    LocalUser,
    Origin,
    PackageFacts,
    Row,
)
from examdesk.domain.roles import Role
from examdesk.domain.session_events import Event
from examdesk.domain.session_state import SessionStatus

# What of a candidate goes to the exam-location PC: who sits where and what they are entitled to.
# Left at school: birth date, kwalificatie (crebo), cohort, target group, the candidate's general
# extra time and its reason, and the general facilities (the session's own are in the roster).
# Of an invigilator: name, function (the procesverbaal prints it) and the password hash. Not phone or e-mail.
SESSION_FIELDS = tuple(PACKAGE_TABLES["sessions"])


def _columns(table: str) -> tuple[str, ...]:
    return tuple(PACKAGE_TABLES[table])


def _marks(values: Iterable[Any]) -> str:
    return ",".join("?" * len(list(values)))


def _dicts(rows: list[sqlite3.Row], fields: Iterable[str]) -> list[dict[str, Any]]:
    names = tuple(fields)
    return [{k: r[k] for k in names} for r in rows]


def _select(store: Store, table: str, where: str, params: list[Any], order: str) -> list[dict[str, Any]]:
    """Rows of `table` (a PACKAGE_TABLES name, never a file's) with exactly the package's columns."""
    columns = _columns(table)
    found: list[dict[str, Any]] = []
    for start in range(0, max(len(params), 1), 500):
        chunk = params[start:start + 500]
        if not chunk and params:
            break
        found += _dicts(store.query(f"SELECT {', '.join(columns)} FROM {table} WHERE {where.format(_marks(chunk))}"
                                    f" ORDER BY {order}", chunk), columns)
    return found


@contextmanager
def refusing_conflicts(kind_label: str) -> Iterator[None]:
    """A row the schema refuses (a constraint the plan could not foresee) refuses the whole file."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        if "session_events.id" in str(exc):        # the same event id in another session here
            raise refused("Een gebeurtenis in het verslag staat hier al bij een andere afname.") from None
        raise refused(f"Het {kind_label} past niet in deze database ({exc}).") from None


def database_id(store: Store) -> str:
    row = store.query_one("SELECT value FROM meta WHERE key = 'database_id'")
    return row[0] if row else ""


# --- the exchange log ------------------------------------------------------------------------

@dataclass(frozen=True)
class LogEntry:
    seq: int
    file_id: str
    direction: str
    kind: str
    file_name: str
    file_sha256: str
    at: str
    username: str
    sessions: list[str]
    outcome: dict[str, Any]


def log(store: Store, file_id: str, direction: str, kind: str, file_name: str, file_sha256: str, origin: str,
        at: str, username: str, sessions: list[str], outcome: dict[str, Any], signer: str = "",
        sequence: int = 0) -> int:
    """One file exported or imported; `signer` is the key id that signed it, `sequence` its sender's number.
    Sealed in the same transaction (v018): the row is a package's replay record and ties sessions to exam PCs."""
    with store.transaction():
        cur = store.write(
            "INSERT INTO exchange_log (file_id, direction, kind, file_name, file_sha256, origin, at, username, sessions,"
            " outcome, signer, sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (file_id, direction, kind, file_name, file_sha256, origin, at, username, json.dumps(sessions),
             json.dumps(outcome, ensure_ascii=False, sort_keys=True), signer, sequence))
        seq = int(cur.lastrowid)
        audit_data.seal(store, "exchange_log", seq, None, username, at)
    return seq


def exam_pcs(store: Store, session_id: str) -> frozenset[str]:
    """Key ids of the exam PCs a session belongs to: those a package with it was encrypted for (`ontvangers`
    of the export), and those whose signed record of it was read here (`event_origins.signer`)."""
    given: set[str] = set()
    for r in store.query("SELECT sessions, outcome FROM exchange_log WHERE direction = 'export' AND kind = ?"
                         " AND instr(sessions, ?) > 0", ("afnamepakket", json.dumps(session_id))):
        if session_id in json.loads(r[0]):
            given.update(json.loads(r[1]).get("ontvangers", ()))
    read = store.query("SELECT DISTINCT o.signer FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                       " WHERE e.session_id = ? AND o.signer != ''", (session_id,))
    return frozenset(given | {r[0] for r in read})


def _entry(r: sqlite3.Row) -> LogEntry:
    return LogEntry(r["seq"], r["file_id"], r["direction"], r["kind"], r["file_name"], r["file_sha256"], r["at"],
                    r["username"], json.loads(r["sessions"]), json.loads(r["outcome"]))


def earlier_imports(store: Store, file_id: str) -> list[LogEntry]:
    rows = store.query("SELECT * FROM exchange_log WHERE file_id = ? AND direction = 'import' ORDER BY seq",
                       (file_id,))
    return [_entry(r) for r in rows]


def log_entries(store: Store, limit: int = 200) -> list[LogEntry]:
    return [_entry(r) for r in store.query("SELECT * FROM exchange_log ORDER BY seq DESC LIMIT ?", (limit,))]


# --- session package: collecting ----------------------------------------------------------------

def package_rows(store: Store, session_ids: list[str]) -> dict[str, Any]:
    """Exactly what the exam-location PC needs for these sessions, and nothing else of the school."""
    sessions = _select(store, "sessions", "id IN ({})", session_ids, "session_date, starts_at")
    room_ids = sorted({s["room_id"] for s in sessions})
    rooms = _select(store, "rooms", "id IN ({})", room_ids, "id")
    locations = _select(store, "locations", "id IN ({})", sorted({r["location_id"] for r in rooms}), "id")
    invigilators = _select(store, "session_invigilators", "session_id IN ({})", session_ids, "session_id, user_id")
    users = _select(store, "users", "id IN ({})", sorted({i["user_id"] for i in invigilators}), "id")
    roster = _select(store, "session_candidates", "session_id IN ({})", session_ids, "session_id, workstation")
    candidates = _select(store, "candidates", "id IN ({})", sorted({r["candidate_id"] for r in roster}), "id")
    instrument_ids = sorted({s["instrument_id"] for s in sessions if s["instrument_id"]})
    instruments = _select(store, "instruments", "id IN ({})", instrument_ids, "id")
    qualifications = _select(store, "qualifications", "crebo IN ({})", sorted({i["crebo"] for i in instruments}),
                             "crebo")
    suppliers = _select(store, "suppliers", "id IN ({})",
                        sorted({i["supplier_id"] for i in instruments if i["supplier_id"]}), "id")
    statuses = _select(store, "instrument_status", "instrument_id IN ({})", instrument_ids, "instrument_id, seq")
    inst = store.query_one(f"SELECT {', '.join(INSTITUTION_COLUMNS)} FROM institution WHERE id = 1")
    return {
        "institution": {k: inst[k] for k in INSTITUTION_COLUMNS} if inst else None, "locations": locations,
        "rooms": rooms, "qualifications": qualifications, "suppliers": suppliers, "instruments": instruments,
        "instrument_status": statuses, "users": users, "candidates": candidates, "sessions": sessions,
        "session_invigilators": invigilators, "session_candidates": roster,
    }


# --- session package: what is here -----------------------------------------------------------------

def package_facts(store: Store, setting_up: bool, usernames: list[str], candidate_ids: list[int],
                  student_numbers: list[str], instrument_codes: list[str], session_ids: list[str]) -> PackageFacts:
    """What this database already holds of the keys a package names."""
    users: dict[str, LocalUser] = {}
    for name in usernames:
        row = store.query_one("SELECT id FROM users WHERE username = ?", (name,))
        if row is not None:
            roles = frozenset(r[0] for r in store.query("SELECT role FROM user_roles WHERE user_id = ?", (row[0],)))
            users[name] = LocalUser(row[0], roles)
    by_id: dict[int, str] = {}
    by_number: dict[str, int] = {}
    for start in range(0, len(candidate_ids), 500):
        chunk = candidate_ids[start:start + 500]
        by_id.update({r[0]: r[1] for r in store.query(
            f"SELECT id, student_number FROM candidates WHERE id IN ({_marks(chunk)})", chunk)})
    for start in range(0, len(student_numbers), 500):
        chunk = student_numbers[start:start + 500]
        by_number.update({r[1]: r[0] for r in store.query(
            f"SELECT id, student_number FROM candidates WHERE student_number IN ({_marks(chunk)})", chunk)})
    codes = {}
    for code in instrument_codes:
        row = store.query_one("SELECT id FROM instruments WHERE code = ? COLLATE NOCASE", (code,))
        if row is not None:
            codes[code.lower()] = row[0]
    sessions = {}
    for sid in session_ids:
        row = store.query_one(
            f"SELECT {', '.join('s.' + c for c in PLAN_COLUMNS)}, s.status, l.name AS location_name,"
            " r.name AS room_name FROM sessions s JOIN rooms r ON r.id = s.room_id"
            " JOIN locations l ON l.id = r.location_id WHERE s.id = ?", (sid,))
        if row is None:
            continue
        plan = {c: row[c] for c in PLAN_COLUMNS}
        plan["room_id"] = f"{row['location_name']}/{row['room_name']}"
        people = frozenset(r[0] for r in store.query(
            "SELECT u.username FROM session_invigilators si JOIN users u ON u.id = si.user_id"
            " WHERE si.session_id = ?", (sid,)))
        roster = frozenset((r[0], r[1], r[2], r[3]) for r in store.query(
            "SELECT candidate_id, workstation, extra_minutes, facilities FROM session_candidates WHERE session_id = ?",
            (sid,)))
        begun = row["status"] != SessionStatus.GEPLAND or session_data.has_events(store, sid)
        sessions[sid] = LocalSession(plan, people, roster, begun)
    has_institution = store.query_one("SELECT 1 FROM institution WHERE id = 1") is not None
    return PackageFacts(setting_up, has_institution, users, by_id, by_number, codes, sessions)


# --- session package: applying (fixed column lists only) -----------------------------------------

def insert_institution(store: Store, row: Row) -> None:
    columns = tuple(INSTITUTION_COLUMNS)
    store.write(f"INSERT INTO institution (id, {', '.join(columns)}) VALUES (1, {_marks(columns)})",
                tuple(row[c] for c in columns))


def location_id(store: Store, name: str, address: str) -> int:
    """The location of that name here, made when missing."""
    row = store.query_one("SELECT id FROM locations WHERE name = ? COLLATE NOCASE", (name,))
    if row is not None:
        return row[0]
    return int(store.write("INSERT INTO locations (name, address) VALUES (?, ?)", (name, address)).lastrowid)


def room_id(store: Store, location: int, name: str, workstations: int) -> int:
    """The room of that name at the location, made when missing and enlarged when the office has more
    workstations (a roster's numbers must fit)."""
    row = store.query_one("SELECT id, workstations FROM rooms WHERE location_id = ? AND name = ? COLLATE NOCASE",
                          (location, name))
    if row is None:
        return int(store.write("INSERT INTO rooms (location_id, name, workstations) VALUES (?, ?, ?)",
                               (location, name, workstations)).lastrowid)
    if workstations > row[1]:
        store.write("UPDATE rooms SET workstations = ? WHERE id = ?", (workstations, row[0]))
    return row[0]


_REGISTER_KEYS = {"qualifications": ("crebo",), "suppliers": ("id",), "instruments": ("id",)}


def insert_register_rows(store: Store, table: str, rows: Iterable[Row]) -> None:
    """Register rows the exam PC needs to compute the same validity; rows already here stay as they are."""
    columns = _columns(table)
    if table == "instrument_status":
        for st in rows:
            key = tuple(st[c] for c in ("instrument_id", "status", "effective_on", "decision_number", "recorded_at"))
            known = store.query_one(
                "SELECT 1 FROM instrument_status WHERE instrument_id = ? AND status = ? AND effective_on = ?"
                " AND decision_number = ? AND recorded_at = ?", key)
            if known is None:
                store.write(f"INSERT INTO instrument_status ({', '.join(columns)}) VALUES ({_marks(columns)})",
                            tuple(st[c] for c in columns))
        return
    if table not in _REGISTER_KEYS:
        raise ValueError(table)
    for r in rows:
        store.write(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)})",
                    tuple(r[c] for c in columns))


def insert_package_user(store: Store, row: Row, at: str) -> int:
    """An invigilator's account on an exam PC being set up: surveillant only, keeping the office's number
    when it is free here."""
    taken = store.query_one("SELECT 1 FROM users WHERE id = ?", (row["id"],)) is not None
    cur = store.write(
        "INSERT INTO users (id, username, full_name, password_hash, function, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (None if taken else row["id"], row["username"], row["full_name"], row["password_hash"], row["function"], at))
    local = int(cur.lastrowid)
    store.write("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", (local, Role.SURVEILLANT.value))
    return local


def user_id(store: Store, username: str) -> int | None:
    row = store.query_one("SELECT id FROM users WHERE username = ?", (username,))
    return row[0] if row else None


def insert_package_candidate(store: Store, row: Row, at: str) -> None:
    """A candidate on an exam PC being set up, with the office's internal number (events name it)."""
    store.write(
        "INSERT INTO candidates (id, student_number, last_name, prefix, first_name, facility_other, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row["id"], row["student_number"], row["last_name"], row["prefix"], row["first_name"], row["facility_other"],
         at, at))
    retention.refresh(store.conn, [row["id"]])


def insert_package_session(store: Store, row: Row, room: int, invigilators: list[int],
                           roster: Iterable[Row]) -> None:
    """A session new here, planned as in the package (status gepland), with its invigilators and roster."""
    values = {**{c: row[c] for c in SESSION_FIELDS}, "room_id": room, "status": SessionStatus.GEPLAND.value}
    store.write(f"INSERT INTO sessions ({', '.join(SESSION_FIELDS)}) VALUES ({_marks(SESSION_FIELDS)})",
                tuple(values[c] for c in SESSION_FIELDS))
    for uid in sorted(set(invigilators)):
        store.write("INSERT INTO session_invigilators (session_id, user_id) VALUES (?, ?)", (row["id"], uid))
    columns = _columns("session_candidates")
    for r in roster:
        store.write(f"INSERT INTO session_candidates ({', '.join(columns)}) VALUES ({_marks(columns)})",
                    tuple(r[c] for c in columns))
    retention.refresh(store.conn, retention.session_roster(store.conn, row["id"]))


# --- session record ----------------------------------------------------------------------------------

def record_rows(store: Store, chains: dict[str, list[Event]]) -> dict[str, Any]:
    """Every event of these sessions (their chains, as read) with who is who (numbers → names)."""
    sessions = []
    usernames: set[str] = set()
    for sid, events in chains.items():
        s = store.query_one(f"SELECT {', '.join(SESSION_FIELDS)} FROM sessions WHERE id = ?", (sid,))
        usernames.update(e.username for e in events)
        roster = _dicts(store.query(
            "SELECT sc.candidate_id, c.student_number, sc.workstation FROM session_candidates sc"
            " JOIN candidates c ON c.id = sc.candidate_id WHERE sc.session_id = ? ORDER BY sc.workstation", (sid,)),
            ("candidate_id", "student_number", "workstation"))
        sessions.append({"session": {k: s[k] for k in SESSION_FIELDS if k != "room_id"}, "roster": roster,
                         "events": [e.as_json() for e in events]})
    names = sorted(usernames)
    users = _dicts(store.query(f"SELECT id, username, full_name FROM users WHERE username IN ({_marks(names)})",
                               names), ("id", "username", "full_name")) if names else []
    return {"sessions": sessions, "users": users}


def student_numbers(store: Store, candidate_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(candidate_ids), 500):
        chunk = candidate_ids[start:start + 500]
        found.update({r[0]: r[1] for r in store.query(
            f"SELECT id, student_number FROM candidates WHERE id IN ({_marks(chunk)})", chunk)})
    return found


def user_ids(store: Store) -> dict[str, int]:
    return {r[1]: r[0] for r in store.query("SELECT id, username FROM users")}


def insert_origins(store: Store, origin: str, import_seq: int | None, origins: Iterable[Origin],
                   signer: str = "") -> None:
    if import_seq is None:
        return
    origins = list(origins)
    key = audit_data.chain_key(store)
    at = to_iso(now())
    with store.transaction() as conn:   # each row sealed with it (v018): an edit would untie it from its exam PC
        conn.executemany(
            "INSERT INTO event_origins (event_id, origin, origin_seq, origin_prev_hash, origin_hash, origin_user_id,"
            " import_seq, signer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(o.event_id, origin, o.origin_seq, o.origin_prev_hash, o.origin_hash, o.origin_user_id, import_seq,
              signer) for o in origins])
        audit_data.seal_many_on(conn, key, "event_origins", [o.event_id for o in origins], None, "systeem", at)


@dataclass(frozen=True)
class StoredOrigin:
    event_id: str
    origin: str
    origin_seq: int
    origin_prev_hash: str
    origin_hash: str
    origin_user_id: int | None
    signer: str = ""          # the key that signed the record it came in ('' for an unsigned file, version 1)


def origins(store: Store, session_id: str) -> dict[str, StoredOrigin]:
    rows = store.query("SELECT o.* FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                       " WHERE e.session_id = ?", (session_id,))
    return {r["event_id"]: StoredOrigin(r["event_id"], r["origin"], r["origin_seq"], r["origin_prev_hash"],
                                        r["origin_hash"], r["origin_user_id"], r["signer"]) for r in rows}
