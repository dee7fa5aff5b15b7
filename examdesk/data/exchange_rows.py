"""The rows that travel in an exchange file, read from and written to the database.

The payload keys are the column names of schema v001–v003 (English), so the format documents
itself against the schema. Callers run `apply_package` and `apply_record` inside one
`store.transaction()`: any refusal raised here rolls back everything the file had written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from examdesk.data.db import Store
from examdesk.domain.exchange import (
    ImportSummary,
    SessionChange,
    event_to_json,
    rechain,
    refused,
    same_content,
    status_from_events,
)
from examdesk.domain.roles import Role
from examdesk.domain.session_events import GENESIS_HASH, Event

# What of a candidate goes to the exam-location PC: who sits where and what they are entitled to.
# Left at school: birth date, kwalificatie (crebo), cohort, target group, the candidate's general
# extra time and its reason, and the general facilities (the session's own are in the roster).
CANDIDATE_FIELDS = ("id", "student_number", "last_name", "prefix", "first_name", "facility_other")
# Of an invigilator: name, function (the procesverbaal prints it) and the password hash. Not phone or e-mail.
USER_FIELDS = ("id", "username", "full_name", "function", "password_hash")
SESSION_FIELDS = ("id", "exam_kind", "instrument_id", "central_exam", "title", "session_date", "starts_at",
                  "duration_minutes", "room_id", "variant", "period", "late_limit_minutes", "status", "created_at",
                  "created_by")


def _marks(values: Iterable[Any]) -> str:
    return ",".join("?" * len(list(values)))


def _dicts(rows: list[sqlite3.Row], fields: Iterable[str] | None = None) -> list[dict[str, Any]]:
    if fields is None:
        return [dict(r) for r in rows]
    names = tuple(fields)
    return [{k: r[k] for k in names} for r in rows]


def database_id(store: Store) -> str:
    row = store.query_one("SELECT value FROM meta WHERE key = 'database_id'")
    return row[0] if row else ""


def event_count(store: Store, session_id: str) -> int:
    return store.query_one("SELECT count(*) FROM session_events WHERE session_id = ?", (session_id,))[0]


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
        at: str, username: str, sessions: list[str], outcome: dict[str, Any]) -> int:
    cur = store.write(
        "INSERT INTO exchange_log (file_id, direction, kind, file_name, file_sha256, origin, at, username, sessions,"
        " outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (file_id, direction, kind, file_name, file_sha256, origin, at, username, json.dumps(sessions),
         json.dumps(outcome, ensure_ascii=False, sort_keys=True)))
    return int(cur.lastrowid)


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
    marks = _marks(session_ids)
    sessions = _dicts(store.query(f"SELECT * FROM sessions WHERE id IN ({marks}) ORDER BY session_date, starts_at",
                                  session_ids), SESSION_FIELDS)
    room_ids = sorted({s["room_id"] for s in sessions})
    rooms = _dicts(store.query(f"SELECT * FROM rooms WHERE id IN ({_marks(room_ids)}) ORDER BY id", room_ids))
    location_ids = sorted({r["location_id"] for r in rooms})
    locations = _dicts(store.query(f"SELECT * FROM locations WHERE id IN ({_marks(location_ids)}) ORDER BY id",
                                   location_ids))
    invigilators = _dicts(store.query(
        f"SELECT session_id, user_id FROM session_invigilators WHERE session_id IN ({marks})"
        " ORDER BY session_id, user_id", session_ids))
    user_ids = sorted({i["user_id"] for i in invigilators})
    users = _dicts(store.query(f"SELECT * FROM users WHERE id IN ({_marks(user_ids)}) ORDER BY id", user_ids),
                   USER_FIELDS)
    roster = _dicts(store.query(
        f"SELECT session_id, candidate_id, workstation, extra_minutes, facilities FROM session_candidates"
        f" WHERE session_id IN ({marks}) ORDER BY session_id, workstation", session_ids))
    candidate_ids = sorted({r["candidate_id"] for r in roster})
    candidates: list[dict[str, Any]] = []
    for start in range(0, len(candidate_ids), 500):
        chunk = candidate_ids[start:start + 500]
        candidates += _dicts(store.query(f"SELECT * FROM candidates WHERE id IN ({_marks(chunk)}) ORDER BY id",
                                         chunk), CANDIDATE_FIELDS)
    instrument_ids = sorted({s["instrument_id"] for s in sessions if s["instrument_id"]})
    instruments = _dicts(store.query(f"SELECT * FROM instruments WHERE id IN ({_marks(instrument_ids)}) ORDER BY id",
                                     instrument_ids))
    crebos = sorted({i["crebo"] for i in instruments})
    qualifications = _dicts(store.query(
        f"SELECT * FROM qualifications WHERE crebo IN ({_marks(crebos)}) ORDER BY crebo", crebos))
    supplier_ids = sorted({i["supplier_id"] for i in instruments if i["supplier_id"]})
    suppliers = _dicts(store.query(f"SELECT * FROM suppliers WHERE id IN ({_marks(supplier_ids)}) ORDER BY id",
                                   supplier_ids))
    statuses = _dicts(store.query(
        f"SELECT instrument_id, status, effective_on, decision_number, reason, recorded_at, recorded_by"
        f" FROM instrument_status WHERE instrument_id IN ({_marks(instrument_ids)}) ORDER BY instrument_id, seq",
        instrument_ids))
    inst = store.query_one("SELECT * FROM institution WHERE id = 1")
    institution = {k: inst[k] for k in inst.keys() if k != "id"} if inst else None
    return {
        "institution": institution, "locations": locations, "rooms": rooms, "qualifications": qualifications,
        "suppliers": suppliers, "instruments": instruments, "instrument_status": statuses, "users": users,
        "candidates": candidates, "sessions": sessions, "session_invigilators": invigilators,
        "session_candidates": roster,
    }


# --- session package: applying -------------------------------------------------------------------

def _sessions_in_file(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return list(payload["sessions"])


def apply_package(store: Store, payload: dict[str, Any], at: str, kind: str, file_name: str, made_by: str,
                  made_at: str) -> ImportSummary:
    """Writes a package into this database (inside the caller's transaction). Ids that later appear
    inside recorded events — candidates — keep the number they have at school, so a record read back
    there means the same people; a number taken here by someone else refuses the package."""
    try:
        return _apply_package(store, payload, at, kind, file_name, made_by, made_at)
    except sqlite3.IntegrityError as exc:
        raise refused(f"Het afnamepakket past niet in deze database ({exc}).") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refused("De inhoud van het afnamepakket is onvolledig of onleesbaar.") from None


def _apply_package(store: Store, payload: dict[str, Any], at: str, kind: str, file_name: str, made_by: str,
                   made_at: str) -> ImportSummary:
    conn = store.conn
    notes: list[str] = []
    if payload["institution"] and conn.execute("SELECT 1 FROM institution WHERE id = 1").fetchone() is None:
        inst = dict(payload["institution"])
        conn.execute(
            "INSERT INTO institution (id, name, brin, commission_name, place, late_admission_minutes,"
            " appeal_term_days, appeal_body) VALUES (1, :name, :brin, :commission_name, :place,"
            " :late_admission_minutes, :appeal_term_days, :appeal_body)", inst)
        notes.append(f"De instellingsgegevens van {inst['name']} ({inst['brin']}) zijn overgenomen.")

    location_map: dict[int, int] = {}
    for loc in payload["locations"]:
        row = conn.execute("SELECT id FROM locations WHERE name = ? COLLATE NOCASE", (loc["name"],)).fetchone()
        if row is None:
            location_map[loc["id"]] = conn.execute("INSERT INTO locations (name, address) VALUES (?, ?)",
                                                   (loc["name"], loc["address"])).lastrowid
        else:
            location_map[loc["id"]] = row[0]
    room_map: dict[int, int] = {}
    for room in payload["rooms"]:
        local_location = location_map[room["location_id"]]
        row = conn.execute("SELECT id, workstations FROM rooms WHERE location_id = ? AND name = ? COLLATE NOCASE",
                           (local_location, room["name"])).fetchone()
        if row is None:
            room_map[room["id"]] = conn.execute(
                "INSERT INTO rooms (location_id, name, workstations) VALUES (?, ?, ?)",
                (local_location, room["name"], room["workstations"])).lastrowid
        else:
            room_map[room["id"]] = row[0]
            if room["workstations"] > row[1]:
                conn.execute("UPDATE rooms SET workstations = ? WHERE id = ?", (room["workstations"], row[0]))

    _apply_register(store, payload)
    user_map = _apply_users(store, payload["users"], at, notes)
    candidates = _apply_candidates(store, payload["candidates"], at)

    invigilators: dict[str, list[int]] = {}
    for row in payload["session_invigilators"]:
        invigilators.setdefault(row["session_id"], []).append(user_map[row["user_id"]])
    rosters: dict[str, list[tuple[Any, ...]]] = {}
    for row in payload["session_candidates"]:
        rosters.setdefault(row["session_id"], []).append(
            (row["session_id"], int(row["candidate_id"]), int(row["workstation"]), int(row["extra_minutes"]),
             str(row["facilities"])))
    changes = []
    for s in _sessions_in_file(payload):
        values = {k: s[k] for k in SESSION_FIELDS}
        values["room_id"] = room_map[s["room_id"]]
        values["status"] = "gepland"
        label = f"'{s['title']}' op {_date_label(s['session_date'])}"
        existing = conn.execute("SELECT * FROM sessions WHERE id = ?", (s["id"],)).fetchone()
        wanted_invigilators = sorted(invigilators.get(s["id"], []))
        wanted_roster = sorted(rosters.get(s["id"], []))
        if existing is None:
            conn.execute(f"INSERT INTO sessions ({', '.join(SESSION_FIELDS)}) VALUES "
                         f"({', '.join(':' + k for k in SESSION_FIELDS)})", values)
            action = "nieuw"
        else:
            if existing["status"] != "gepland" or event_count(store, s["id"]):
                changes.append(SessionChange(s["id"], label, "overgeslagen: deze afname is hier al begonnen; "
                                                             "het verslag hier blijft zoals het is"))
                continue
            same_plan = all(existing[k] == values[k] for k in SESSION_FIELDS if k not in ("created_at",))
            same_people = (sorted(r[0] for r in conn.execute(
                "SELECT user_id FROM session_invigilators WHERE session_id = ?", (s["id"],))) == wanted_invigilators
                and sorted(tuple(r) for r in conn.execute(
                    "SELECT session_id, candidate_id, workstation, extra_minutes, facilities FROM session_candidates"
                    " WHERE session_id = ?", (s["id"],))) == wanted_roster)
            if same_plan and same_people:
                changes.append(SessionChange(s["id"], label, "ongewijzigd"))
                continue
            conn.execute(f"UPDATE sessions SET {', '.join(f'{k} = :{k}' for k in SESSION_FIELDS if k != 'id')}"
                         " WHERE id = :id", values)
            conn.execute("DELETE FROM session_invigilators WHERE session_id = ?", (s["id"],))
            conn.execute("DELETE FROM session_candidates WHERE session_id = ?", (s["id"],))
            action = "bijgewerkt"
        conn.executemany("INSERT INTO session_invigilators (session_id, user_id) VALUES (?, ?)",
                         [(s["id"], uid) for uid in wanted_invigilators])
        conn.executemany("INSERT INTO session_candidates (session_id, candidate_id, workstation, extra_minutes,"
                         " facilities) VALUES (?, ?, ?, ?, ?)", wanted_roster)
        changes.append(SessionChange(s["id"], label, action))
    return ImportSummary(kind, file_name, made_by, made_at, tuple(changes), tuple(notes), len(payload["users"]),
                         candidates)


def _date_label(iso: str) -> str:
    from datetime import date

    from examdesk.domain.clock import format_date

    return format_date(date.fromisoformat(iso))


def _apply_register(store: Store, payload: dict[str, Any]) -> None:
    """The instrument the sessions use, with its kwalificatie, supplier and status history, so the
    validity this PC computes is the one the office had. Rows already here are left as they are."""
    conn = store.conn
    for q in payload["qualifications"]:
        cols = list(q)
        conn.execute(f"INSERT OR IGNORE INTO qualifications ({', '.join(cols)}) VALUES ({_marks(cols)})",
                     [q[c] for c in cols])
    for s in payload["suppliers"]:
        cols = list(s)
        conn.execute(f"INSERT OR IGNORE INTO suppliers ({', '.join(cols)}) VALUES ({_marks(cols)})",
                     [s[c] for c in cols])
    for i in payload["instruments"]:
        cols = list(i)
        conn.execute(f"INSERT OR IGNORE INTO instruments ({', '.join(cols)}) VALUES ({_marks(cols)})",
                     [i[c] for c in cols])
        if conn.execute("SELECT 1 FROM instruments WHERE id = ?", (i["id"],)).fetchone() is None:
            raise refused(f"Exameninstrument {i['code']} staat in deze database al onder een ander nummer; dit pakket "
                          "komt uit een andere ExamDesk-database.")
    for st in payload["instrument_status"]:
        key = (st["instrument_id"], st["status"], st["effective_on"], st["decision_number"], st["recorded_at"])
        known = conn.execute(
            "SELECT 1 FROM instrument_status WHERE instrument_id = ? AND status = ? AND effective_on = ?"
            " AND decision_number = ? AND recorded_at = ?", key).fetchone()
        if known is None:
            conn.execute(
                "INSERT INTO instrument_status (instrument_id, status, effective_on, decision_number, reason,"
                " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*key[:4], st["reason"], st["recorded_at"], st["recorded_by"]))


def _apply_users(store: Store, users: list[dict[str, Any]], at: str, notes: list[str]) -> dict[int, int]:
    """Invigilators by user name. A new one keeps the office's number when it is free here. An
    account that is only surveillant here takes the package's name and password; an account with
    other roles here is left alone (the package cannot change a beheerder's password)."""
    conn = store.conn
    mapping: dict[int, int] = {}
    for u in users:
        row = conn.execute("SELECT id FROM users WHERE username = ?", (u["username"],)).fetchone()
        if row is None:
            taken = conn.execute("SELECT 1 FROM users WHERE id = ?", (u["id"],)).fetchone() is not None
            cur = conn.execute(
                "INSERT INTO users (id, username, full_name, password_hash, function, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (None if taken else u["id"], u["username"], u["full_name"], u["password_hash"], u["function"], at))
            local = int(cur.lastrowid)
            conn.execute("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", (local, Role.SURVEILLANT.value))
        else:
            local = row[0]
            roles = {r[0] for r in conn.execute("SELECT role FROM user_roles WHERE user_id = ?", (local,))}
            if roles <= {Role.SURVEILLANT.value}:
                conn.execute("UPDATE users SET full_name = ?, function = ?, password_hash = ?, active = 1,"
                             " failed_attempts = 0, locked_until = NULL WHERE id = ?",
                             (u["full_name"], u["function"], u["password_hash"], local))
                conn.execute("INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)",
                             (local, Role.SURVEILLANT.value))
            elif Role.SURVEILLANT.value not in roles:
                raise refused(f"De gebruiker {u['username']} bestaat in deze database al, maar is hier geen "
                              "surveillant; dit pakket kan dat account niet overnemen.")
            else:
                notes.append(f"Het account {u['username']} heeft hier meer rollen dan surveillant; naam en wachtwoord "
                             "van dat account zijn niet overgenomen.")
        mapping[u["id"]] = local
    return mapping


def _apply_candidates(store: Store, candidates: list[dict[str, Any]], at: str) -> int:
    conn = store.conn
    for c in candidates:
        by_id = conn.execute("SELECT student_number FROM candidates WHERE id = ?", (c["id"],)).fetchone()
        by_number = conn.execute("SELECT id FROM candidates WHERE student_number = ?",
                                 (c["student_number"],)).fetchone()
        if (by_id is not None and by_id[0] != c["student_number"]) or (by_number is not None and by_number[0] != c["id"]):
            raise refused(
                f"Kandidaat {c['student_number']} past niet in deze database: het interne nummer is hier al in "
                "gebruik of de kandidaat staat hier onder een ander nummer. Lees een afnamepakket in een lege "
                "database in, of in een database die alleen pakketten van dezelfde school heeft ontvangen.")
        if by_id is None:
            conn.execute(
                "INSERT INTO candidates (id, student_number, last_name, prefix, first_name, facility_other,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (c["id"], c["student_number"], c["last_name"], c["prefix"], c["first_name"], c["facility_other"],
                 at, at))
        else:
            conn.execute("UPDATE candidates SET last_name = ?, prefix = ?, first_name = ?, facility_other = ?,"
                         " updated_at = ? WHERE id = ?",
                         (c["last_name"], c["prefix"], c["first_name"], c["facility_other"], at, c["id"]))
    return len(candidates)


# --- session record: collecting ------------------------------------------------------------------

def record_rows(store: Store, session_ids: list[str]) -> dict[str, Any]:
    """Every event of these sessions as this PC's chain, with who is who (numbers → names)."""
    sessions = []
    usernames: set[str] = set()
    for sid in session_ids:
        s = store.query_one("SELECT * FROM sessions WHERE id = ?", (sid,))
        rows = store.query("SELECT * FROM session_events WHERE session_id = ? ORDER BY seq", (sid,))
        events = [_event(r) for r in rows]
        usernames.update(e.username for e in events)
        roster = _dicts(store.query(
            "SELECT sc.candidate_id, c.student_number, sc.workstation FROM session_candidates sc"
            " JOIN candidates c ON c.id = sc.candidate_id WHERE sc.session_id = ? ORDER BY sc.workstation", (sid,)))
        sessions.append({"session": {k: s[k] for k in SESSION_FIELDS if k != "room_id"}, "roster": roster,
                         "events": [event_to_json(e) for e in events]})
    names = sorted(usernames)
    users = _dicts(store.query(f"SELECT id, username, full_name FROM users WHERE username IN ({_marks(names)})",
                               names)) if names else []
    return {"sessions": sessions, "users": users}


def _event(r: sqlite3.Row) -> Event:
    return Event(r["id"], r["session_id"], r["seq"], r["occurred_at"], r["recorded_at"], r["user_id"],
                 r["username"], r["kind"], json.loads(r["data"]), r["corrects"], r["prev_hash"], r["hash"])


# --- session record: applying --------------------------------------------------------------------

@dataclass(frozen=True)
class RecordSession:
    """One session of a verified record, ready to apply."""

    id: str
    label: str
    roster: dict[int, str]          # candidate id → studentnummer, as on the exporting PC
    events: list[Event]             # in the exporting PC's chain order


def apply_record(store: Store, sessions: list[RecordSession], origin: str, import_seq: int | None,
                 kind: str, file_name: str, made_by: str, made_at: str) -> ImportSummary:
    """Appends the events that are new here to each session's chain (see domain/exchange.py), with
    their origin; refuses the whole record if a session is unknown here, a candidate number means
    someone else here, or an event already here differs from the file."""
    conn = store.conn
    local_users = {r[1]: r[0] for r in conn.execute("SELECT id, username FROM users")}
    changes = []
    for s in sessions:
        plan = conn.execute("SELECT status FROM sessions WHERE id = ?", (s.id,)).fetchone()
        if plan is None:
            raise refused(f"Afname {s.label} bestaat niet in deze database. Een afnameverslag wordt ingelezen in de "
                          "database waarin de afname is gepland.")
        numbers = list(s.roster)
        here: dict[int, str] = {}
        for start in range(0, len(numbers), 500):
            chunk = numbers[start:start + 500]
            here.update({r[0]: r[1] for r in conn.execute(
                f"SELECT id, student_number FROM candidates WHERE id IN ({_marks(chunk)})", chunk)})
        for cid, number in s.roster.items():
            if here.get(cid) != number:
                raise refused(f"Afname {s.label}: kandidaat {number} is in deze database niet dezelfde kandidaat; het "
                              "verslag hoort bij een andere database.")
        local = {e.id: e for e in (_event(r) for r in conn.execute(
            "SELECT * FROM session_events WHERE session_id = ? ORDER BY seq", (s.id,)))}
        fresh = [e for e in s.events if e.id not in local]
        for e in s.events:
            if e.id in local and not same_content(local[e.id], e):
                raise refused(f"Afname {s.label}: gebeurtenis {e.seq} staat hier al, maar met een andere inhoud. "
                              "Wat al is vastgelegd wordt nooit overschreven.")
        ids = [e.id for e in fresh]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            if conn.execute(f"SELECT 1 FROM session_events WHERE id IN ({_marks(chunk)}) LIMIT 1", chunk).fetchone():
                raise refused(f"Afname {s.label}: een gebeurtenis in het verslag staat hier al bij een andere afname.")
        head = conn.execute("SELECT seq, hash FROM session_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                            (s.id,)).fetchone()
        seq, prev = (head[0], head[1]) if head else (0, GENESIS_HASH)
        rows, origins, placed_events = [], [], []
        for e in fresh:
            seq += 1
            placed = rechain(e, seq, prev, local_users.get(e.username))
            prev = placed.hash
            placed_events.append(placed)
            rows.append((placed.id, placed.session_id, placed.seq, placed.occurred_at, placed.recorded_at,
                         placed.user_id, placed.username, placed.kind,
                         json.dumps(placed.data, ensure_ascii=False, sort_keys=True), placed.corrects,
                         placed.prev_hash, placed.hash))
            origins.append((e.id, origin, e.seq, e.prev_hash, e.hash, e.user_id, import_seq))
        if rows:
            conn.executemany(
                "INSERT INTO session_events (id, session_id, seq, occurred_at, recorded_at, user_id, username, kind,"
                " data, corrects, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            if import_seq is not None:
                conn.executemany(
                    "INSERT INTO event_origins (event_id, origin, origin_seq, origin_prev_hash, origin_hash,"
                    " origin_user_id, import_seq) VALUES (?, ?, ?, ?, ?, ?, ?)", origins)
            everything = list(local.values()) + placed_events
            status = status_from_events(everything, plan[0])
            if status != plan[0]:
                conn.execute("UPDATE sessions SET status = ? WHERE id = ?", (status, s.id))
        changes.append(SessionChange(s.id, s.label, "bijgewerkt" if rows else "ongewijzigd", len(rows),
                                     len(s.events) - len(rows)))
    return ImportSummary(kind, file_name, made_by, made_at, tuple(changes))


@dataclass(frozen=True)
class Origin:
    event_id: str
    origin: str
    origin_seq: int
    origin_prev_hash: str
    origin_hash: str
    origin_user_id: int | None


def origins(store: Store, session_id: str) -> dict[str, Origin]:
    rows = store.query("SELECT o.* FROM event_origins o JOIN session_events e ON e.id = o.event_id"
                       " WHERE e.session_id = ?", (session_id,))
    return {r["event_id"]: Origin(r["event_id"], r["origin"], r["origin_seq"], r["origin_prev_hash"],
                                  r["origin_hash"], r["origin_user_id"]) for r in rows}
