"""Locations, rooms, candidates, sessions and the append-only session events.
(Over 400 lines: every table of schema v003; a split per table would scatter the session's queries.)"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from examdesk.data import retention, search
from examdesk.data.db import Store
from examdesk.domain.candidates import Candidate
from examdesk.domain.clock import from_iso
from examdesk.domain.session_events import (
    GENESIS_HASH,
    Event,
    Payload,
    SessionAnchor,
    new_event,
    session_chain_key,
)
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import RosterEntry, SessionFilter, SessionPlan

# --- locations and rooms -------------------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    id: int
    location_id: int
    location_name: str
    name: str
    workstations: int

    @property
    def label(self) -> str:
        return f"lokaal {self.name} ({self.location_name})"


@dataclass(frozen=True)
class Location:
    id: int
    name: str
    address: str


def locations(store: Store) -> list[Location]:
    return [Location(r["id"], r["name"], r["address"]) for r in store.query("SELECT * FROM locations ORDER BY name")]


def location_by_name(store: Store, name: str) -> Location | None:
    r = store.query_one("SELECT * FROM locations WHERE name = ? COLLATE NOCASE", (name,))
    return Location(r["id"], r["name"], r["address"]) if r else None


def save_location(store: Store, location_id: int | None, name: str, address: str) -> int:
    if location_id is None:
        return store.write("INSERT INTO locations (name, address) VALUES (?, ?)", (name, address)).lastrowid
    with store.transaction():
        before = store.query_one("SELECT name FROM locations WHERE id = ?", (location_id,))
        store.write("UPDATE locations SET name = ?, address = ? WHERE id = ?", (name, address, location_id))
        if before is not None and before[0] != name:   # the sessions and incidents held there are found by it
            search.index_place(store, [r[0] for r in store.query("SELECT id FROM rooms WHERE location_id = ?",
                                                                 (location_id,))])
    return location_id


_ROOM_SQL = ("SELECT r.id, r.location_id, l.name AS location_name, r.name, r.workstations FROM rooms r"
             " JOIN locations l ON l.id = r.location_id")


def _room(r: Any) -> Room:
    return Room(r["id"], r["location_id"], r["location_name"], r["name"], r["workstations"])


def rooms(store: Store, location_id: int | None = None) -> list[Room]:
    if location_id is None:
        return [_room(r) for r in store.query(_ROOM_SQL + " ORDER BY l.name, r.name")]
    return [_room(r) for r in store.query(_ROOM_SQL + " WHERE r.location_id = ? ORDER BY r.name", (location_id,))]


def room(store: Store, room_id: int) -> Room | None:
    r = store.query_one(_ROOM_SQL + " WHERE r.id = ?", (room_id,))
    return _room(r) if r else None


def room_by_name(store: Store, location_id: int, name: str) -> Room | None:
    r = store.query_one(_ROOM_SQL + " WHERE r.location_id = ? AND r.name = ? COLLATE NOCASE", (location_id, name))
    return _room(r) if r else None


def save_room(store: Store, room_id: int | None, location_id: int, name: str, workstations: int) -> int:
    if room_id is None:
        return store.write("INSERT INTO rooms (location_id, name, workstations) VALUES (?, ?, ?)",
                           (location_id, name, workstations)).lastrowid
    with store.transaction():
        before = store.query_one("SELECT location_id, name FROM rooms WHERE id = ?", (room_id,))
        store.write("UPDATE rooms SET location_id = ?, name = ?, workstations = ? WHERE id = ?",
                    (location_id, name, workstations, room_id))
        if before is not None and (before[0], before[1]) != (location_id, name):
            search.index_place(store, [room_id])
    return room_id


def max_workstation_in_room(store: Store, room_id: int) -> int:
    """The highest workstation number planned in this room by a session that has not finished."""
    row = store.query_one(
        "SELECT max(sc.workstation) FROM session_candidates sc JOIN sessions s ON s.id = sc.session_id"
        " WHERE s.room_id = ? AND s.status IN (?, ?)", (room_id, SessionStatus.GEPLAND, SessionStatus.BEZIG))
    return row[0] or 0


# --- candidates ----------------------------------------------------------------------------------

def _candidate(r: Any) -> Candidate:
    return Candidate(
        id=r["id"], student_number=r["student_number"], last_name=r["last_name"], prefix=r["prefix"],
        first_name=r["first_name"], birth_date=date.fromisoformat(r["birth_date"]) if r["birth_date"] else None,
        crebo=r["crebo"], cohort=r["cohort"], target_group=r["target_group"], extra_minutes=r["extra_minutes"],
        extra_reason=r["extra_reason"], facilities=tuple(json.loads(r["facilities"])),
        facility_other=r["facility_other"],
    )


def candidate(store: Store, candidate_id: int) -> Candidate | None:
    r = store.query_one("SELECT * FROM candidates WHERE id = ?", (candidate_id,))
    return _candidate(r) if r else None


def candidates_by_ids(store: Store, ids: list[int]) -> dict[int, Candidate]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: _candidate(r) for r in store.query(f"SELECT * FROM candidates WHERE id IN ({marks})", ids)}


def candidate_by_number(store: Store, student_number: str) -> Candidate | None:
    r = store.query_one("SELECT * FROM candidates WHERE student_number = ?", (student_number,))
    return _candidate(r) if r else None


def search_candidates(store: Store, text: str = "", crebo: str = "", cohort: str = "", limit: int = 2000
                      ) -> list[Candidate]:
    """Candidates by name or student number (a prefix search per typed word, `data/search`), crebo and
    cohort; by last name."""
    clauses, params = [], []
    query = search.match_query(text)
    if query:
        search.ensure(store)
        clauses.append(_match_clause(store, "candidate_search", "id", query))
        params.append(query)
    elif text.strip():
        return []   # nothing a name or number could hold (only punctuation)
    if crebo:
        clauses.append("crebo = ?")
        params.append(crebo)
    if cohort:
        clauses.append("cohort = ?")
        params.append(cohort)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = store.query(f"SELECT * FROM candidates{where} ORDER BY last_name, first_name LIMIT ?", [*params, limit])
    return [_candidate(r) for r in rows]


def count_candidates(store: Store) -> int:
    return store.query_one("SELECT count(*) FROM candidates")[0]


def distinct_values(store: Store, column: str) -> list[str]:
    if column not in ("crebo", "cohort"):
        raise ValueError(column)
    return [r[0] for r in store.query(f"SELECT DISTINCT {column} FROM candidates WHERE {column} != '' ORDER BY 1")]


def _candidate_values(c: Candidate, at: str) -> dict[str, Any]:
    return {
        "student_number": c.student_number, "last_name": c.last_name, "prefix": c.prefix,
        "first_name": c.first_name, "birth_date": c.birth_date.isoformat() if c.birth_date else None,
        "crebo": c.crebo, "cohort": c.cohort, "target_group": c.target_group, "extra_minutes": c.extra_minutes,
        "extra_reason": c.extra_reason, "facilities": json.dumps(list(c.facilities)),
        "facility_other": c.facility_other, "at": at,
    }


def upsert_candidate(store: Store, c: Candidate, at: str) -> tuple[int, str]:
    """Insert, or update by studentnummer; returns (id, 'toegevoegd' | 'bijgewerkt' | 'ongewijzigd')."""
    existing = candidate_by_number(store, c.student_number)
    values = _candidate_values(c, at)
    if existing is None:
        with store.transaction():
            cur = store.write(
                "INSERT INTO candidates (student_number, last_name, prefix, first_name, birth_date, crebo, cohort,"
                " target_group, extra_minutes, extra_reason, facilities, facility_other, created_at, updated_at)"
                " VALUES (:student_number, :last_name, :prefix, :first_name, :birth_date, :crebo, :cohort,"
                " :target_group, :extra_minutes, :extra_reason, :facilities, :facility_other, :at, :at)", values)
            search.index_candidate(store, cur.lastrowid)
            retention.refresh(store.conn, [cur.lastrowid])
        return cur.lastrowid, "toegevoegd"
    same = {k: v for k, v in _candidate_values(existing, at).items()} == values
    if same:
        return existing.id, "ongewijzigd"
    with store.transaction():
        store.write(
            "UPDATE candidates SET last_name = :last_name, prefix = :prefix, first_name = :first_name,"
            " birth_date = :birth_date, crebo = :crebo, cohort = :cohort, target_group = :target_group,"
            " extra_minutes = :extra_minutes, extra_reason = :extra_reason, facilities = :facilities,"
            " facility_other = :facility_other, updated_at = :at WHERE student_number = :student_number", values)
        renamed = (existing.first_name, existing.prefix, existing.last_name) != (c.first_name, c.prefix, c.last_name)
        search.index_candidate(store, existing.id, renamed=renamed)
    return existing.id, "bijgewerkt"


def mapping(store: Store, source: str) -> dict[str, str] | None:
    r = store.query_one("SELECT mapping FROM candidate_mappings WHERE source = ? COLLATE NOCASE", (source,))
    return json.loads(r[0]) if r else None


def mapping_sources(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT source FROM candidate_mappings ORDER BY source")]


def save_mapping(store: Store, source: str, value: dict[str, str], at: str) -> None:
    store.write(
        "INSERT INTO candidate_mappings (source, mapping, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(source) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        (source, json.dumps(value, ensure_ascii=False, sort_keys=True), at))


# --- sessions ------------------------------------------------------------------------------------

_SESSION_SQL = (
    "SELECT s.*, r.name AS room_name, r.workstations, l.name AS location_name"
    " FROM sessions s JOIN rooms r ON r.id = s.room_id JOIN locations l ON l.id = r.location_id"
)


def _plan(r: Any, invigilators: tuple[tuple[int, str], ...], candidate_count: int) -> SessionPlan:
    return SessionPlan(
        id=r["id"], exam_kind=r["exam_kind"], title=r["title"], session_date=date.fromisoformat(r["session_date"]),
        starts_at=from_iso(r["starts_at"]), duration_minutes=r["duration_minutes"], room_id=r["room_id"],
        room_label=f"lokaal {r['room_name']} ({r['location_name']})", late_limit_minutes=r["late_limit_minutes"],
        status=SessionStatus(r["status"]), variant=r["variant"], period=r["period"], instrument_id=r["instrument_id"],
        central_exam=r["central_exam"], invigilators=invigilators, candidate_count=candidate_count,
    )


def _plans(store: Store, rows: list[Any]) -> list[SessionPlan]:
    """Plans from rows of `_SESSION_SQL`: the invigilators and candidate counts of all of them in one
    query each (not one per session)."""
    ids = [r["id"] for r in rows]
    invigilators: dict[str, list[tuple[int, str]]] = {}
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.query(
                "SELECT si.session_id, u.id, u.full_name FROM session_invigilators si JOIN users u ON u.id = si.user_id"
                f" WHERE si.session_id IN ({marks}) ORDER BY u.full_name", chunk):
            invigilators.setdefault(row[0], []).append((row[1], row[2]))
        counts.update(store.query(f"SELECT session_id, count(*) FROM session_candidates WHERE session_id IN ({marks})"
                                  " GROUP BY session_id", chunk))
    return [_plan(r, tuple(invigilators.get(r["id"], ())), counts.get(r["id"], 0)) for r in rows]


def session(store: Store, session_id: str) -> SessionPlan | None:
    r = store.query_one(_SESSION_SQL + " WHERE s.id = ?", (session_id,))
    return _plans(store, [r])[0] if r else None


def _text_clause(store: Store, text: str) -> tuple[str, list[Any]] | None:
    """Typed text as a condition on sessions: a prefix search per word in title, variant, period, room and
    location (`data/search`). None for no text; a condition nothing meets for text without a word."""
    query = search.match_query(text)
    if query is None:
        return ("0", []) if text.strip() else None
    search.ensure(store)
    return _match_clause(store, "session_search", "s.rowid", query), [query]


SORTED_MATCHES = 2000   # at most this many full-text matches are read and sorted; more: the list's index is walked


def _match_clause(store: Store, table: str, key: str, query: str) -> str:
    """`key IN (the rowids of the full-text matches)` (one parameter: the query), planned by their number:
    few matches are read by key and sorted (at most `SORTED_MATCHES`); many — a broad prefix on ten years,
    'j' among 250,000 candidates — are not all sorted for one page: the '+' keeps SQLite from reading them by
    key, so it walks the index of the list's order and looks each row up in the matches, stopping after the
    page."""
    many = store.query_one(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (query,))[0] > SORTED_MATCHES
    return f"{'+' if many else ''}{key} IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"


def _filter_clause(store: Store, f: SessionFilter) -> tuple[str, list[Any]]:
    """`f` as a WHERE clause on `_SESSION_SQL`'s sessions ('' for no condition) and its parameters."""
    clauses, params = [], []
    if f.date_from:
        clauses.append("s.session_date >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("s.session_date <= ?")
        params.append(f.date_to)
    if f.status:
        clauses.append("s.status = ?")
        params.append(f.status)
    typed = _text_clause(store, f.text)
    if typed is not None:
        clauses.append(typed[0])
        params += typed[1]
    if f.invigilator_id is not None:
        clauses.append("s.id IN (SELECT session_id FROM session_invigilators WHERE user_id = ?)")
        params.append(f.invigilator_id)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _listed(store: Store, select: str, f: SessionFilter, limit: int) -> list[Any]:
    where, params = _filter_clause(store, f)
    if f.date_from:
        return store.query(select + where + " ORDER BY s.session_date, s.starts_at LIMIT ?", [*params, limit])
    return store.query(select + where + " ORDER BY s.session_date DESC, s.starts_at DESC LIMIT ?",
                       [*params, limit])[::-1]


def list_sessions(store: Store, f: SessionFilter, limit: int = 1000) -> list[SessionPlan]:
    """Sessions matching `f` in date order. Without a first date and with more than `limit` of them, the
    `limit` most recent (ten years hold tens of thousands; the oldest thousand are never the ones wanted)."""
    return _plans(store, _listed(store, _SESSION_SQL, f, limit))


def listed_sessions(store: Store, f: SessionFilter, limit: int = 1000) -> list[tuple[str, str]]:
    """(id, status) of the sessions `list_sessions` would give, in the same order: the Afnames list reads
    these on each key and builds whole plans only a page at a time (`sessions_by_id`), not 1,000 (issue 16)."""
    return [(r[0], r[1]) for r in _listed(store, "SELECT s.id, s.status FROM sessions s", f, limit)]


def listed_instruments(store: Store, f: SessionFilter, limit: int = 1000) -> list[tuple[str, str | None, date]]:
    """(id, instrument id, day) of the sessions `list_sessions` would give: what the flags of an instrument that is
    not valid on the session's day need, without building whole plans (the Overzicht's Afnames card: every
    planned session ahead, hundreds at a large school)."""
    return [(r[0], r[1], date.fromisoformat(r[2]))
            for r in _listed(store, "SELECT s.id, s.instrument_id, s.session_date FROM sessions s", f, limit)]


def sessions_by_id(store: Store, ids: list[str]) -> list[SessionPlan]:
    """The plans of these sessions, in the order given (missing ones left out)."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update((r["id"], r) for r in store.query(
            _SESSION_SQL + f" WHERE s.id IN ({','.join('?' * len(chunk))})", chunk))
    return _plans(store, [found[i] for i in ids if i in found])


def newest_sessions(store: Store, statuses: tuple[str, ...], text: str, offset: int, limit: int
                    ) -> list[SessionPlan]:
    """Sessions in these statuses, newest first, one page; `text` narrows by title, variant, period, room
    or location (a prefix search per word). Each status walks the (status, date) index from its newest end and
    the walks are merged: `status IN (…)` with the order made SQLite sort every closed session of ten years
    in a temporary tree for one page (issue 16)."""
    typed = _text_clause(store, text)
    extra, extra_params = (f" AND {typed[0]}", list(typed[1])) if typed is not None else ("", [])
    rows: list = []
    for status in statuses:
        rows += store.query(_SESSION_SQL + " WHERE s.status = ?" + extra
                            + " ORDER BY s.session_date DESC, s.starts_at DESC LIMIT ?",
                            [status, *extra_params, offset + limit])
    rows.sort(key=lambda r: (r["session_date"], r["starts_at"]), reverse=True)
    return _plans(store, rows[offset:offset + limit])


def count_by_status(store: Store, on: str | None = None, invigilator_id: int | None = None,
                    after: str | None = None, status: str | None = None) -> dict[str, int]:
    """Sessions per status (on one day, or after one; of one invigilator, of one status when given): counted on
    the (status, date) index, never read."""
    clauses, params = [], []
    if status:
        clauses.append("status = ?")
        params.append(status)
    if on:
        clauses.append("session_date = ?")
        params.append(on)
    if after:
        clauses.append("session_date > ?")
        params.append(after)
    if invigilator_id is not None:
        clauses.append("id IN (SELECT session_id FROM session_invigilators WHERE user_id = ?)")
        params.append(invigilator_id)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = store.query(f"SELECT status, count(*) FROM sessions{where} GROUP BY status", params)
    return {r[0]: r[1] for r in rows}


def save_session(store: Store, plan: SessionPlan, created_at: str, created_by: str, new: bool) -> None:
    values = {
        "id": plan.id, "exam_kind": plan.exam_kind, "instrument_id": plan.instrument_id,
        "central_exam": plan.central_exam, "title": plan.title, "session_date": plan.session_date.isoformat(),
        "starts_at": plan.starts_at.isoformat(timespec="seconds"), "duration_minutes": plan.duration_minutes,
        "room_id": plan.room_id, "variant": plan.variant, "period": plan.period,
        "late_limit_minutes": plan.late_limit_minutes, "created_at": created_at, "created_by": created_by,
    }
    with store.transaction():
        _write_session(store, values, new)
        search.index_session(store, plan.id)
        if not new:    # a new date counts for its roster's retention
            retention.refresh(store.conn, retention.session_roster(store.conn, plan.id))


def _write_session(store: Store, values: dict[str, Any], new: bool) -> None:
    if new:
        store.write(
            "INSERT INTO sessions (id, exam_kind, instrument_id, central_exam, title, session_date, starts_at,"
            " duration_minutes, room_id, variant, period, late_limit_minutes, created_at, created_by)"
            " VALUES (:id, :exam_kind, :instrument_id, :central_exam, :title, :session_date, :starts_at,"
            " :duration_minutes, :room_id, :variant, :period, :late_limit_minutes, :created_at, :created_by)", values)
    else:
        store.write(
            "UPDATE sessions SET exam_kind = :exam_kind, instrument_id = :instrument_id, central_exam = :central_exam,"
            " title = :title, session_date = :session_date, starts_at = :starts_at,"
            " duration_minutes = :duration_minutes, room_id = :room_id, variant = :variant, period = :period,"
            " late_limit_minutes = :late_limit_minutes WHERE id = :id", values)


def status_of(store: Store, session_id: str) -> str | None:
    row = store.query_one("SELECT status FROM sessions WHERE id = ?", (session_id,))
    return row[0] if row else None


def status_and_head(store: Store, session_id: str) -> tuple[str | None, int, str]:
    """The session's status and the (seq, hash) of its chain's last event, in one look."""
    row = store.query_one(
        "SELECT s.status, e.seq, e.hash FROM sessions s LEFT JOIN session_events e ON e.session_id = s.id"
        " AND e.seq = (SELECT max(seq) FROM session_events WHERE session_id = s.id) WHERE s.id = ?", (session_id,))
    if row is None:
        return None, 0, GENESIS_HASH
    return row[0], row[1] or 0, row[2] or GENESIS_HASH


def set_status(store: Store, session_id: str, status: str) -> None:
    before = status_of(store, session_id)
    store.write("UPDATE sessions SET status = ? WHERE id = ?", (status, session_id))
    if SessionStatus.GEANNULEERD.value in (before, status) and before != status:   # a cancelled session does not count
        retention.refresh(store.conn, retention.session_roster(store.conn, session_id))


def set_invigilators(store: Store, session_id: str, user_ids: tuple[int, ...]) -> None:
    store.write("DELETE FROM session_invigilators WHERE session_id = ?", (session_id,))
    for user_id in user_ids:
        store.write("INSERT INTO session_invigilators (session_id, user_id) VALUES (?, ?)", (session_id, user_id))


def set_roster(store: Store, session_id: str, rows: list[tuple[int, int, int, list[str]]]) -> None:
    """rows: (candidate id, workstation, extra minutes, facilities)."""
    before = retention.session_roster(store.conn, session_id)
    store.write("DELETE FROM session_candidates WHERE session_id = ?", (session_id,))
    for candidate_id, workstation, extra, facilities in rows:
        store.write("INSERT INTO session_candidates (session_id, candidate_id, workstation, extra_minutes, facilities)"
                    " VALUES (?, ?, ?, ?, ?)", (session_id, candidate_id, workstation, extra, json.dumps(facilities)))
    retention.refresh(store.conn, before + [r[0] for r in rows])


def roster(store: Store, session_id: str) -> list[RosterEntry]:
    rows = store.query(
        "SELECT sc.*, c.student_number, c.first_name, c.prefix, c.last_name, c.birth_date, c.facility_other,"
        " c.target_group FROM session_candidates sc JOIN candidates c ON c.id = sc.candidate_id"
        " WHERE sc.session_id = ? ORDER BY sc.workstation", (session_id,))
    entries = []
    for r in rows:
        c = Candidate(student_number=r["student_number"], last_name=r["last_name"], prefix=r["prefix"],
                      first_name=r["first_name"])
        entries.append(RosterEntry(
            candidate_id=r["candidate_id"], workstation=r["workstation"], student_number=r["student_number"],
            name=c.full_name, sort_name=c.sort_name, extra_minutes=r["extra_minutes"],
            facilities=tuple(json.loads(r["facilities"])), facility_other=r["facility_other"],
            birth_date=date.fromisoformat(r["birth_date"]) if r["birth_date"] else None,
            target_group=r["target_group"],
        ))
    return entries


def roster_ids(store: Store, session_id: str) -> frozenset[int]:
    return frozenset(r[0] for r in store.query("SELECT candidate_id FROM session_candidates WHERE session_id = ?",
                                                (session_id,)))


def running_sessions_of(store: Store, user_id: int) -> list[str]:
    rows = store.query(
        "SELECT s.id FROM sessions s JOIN session_invigilators si ON si.session_id = s.id"
        " WHERE si.user_id = ? AND s.status = ? ORDER BY s.starts_at DESC", (user_id, SessionStatus.BEZIG))
    return [r[0] for r in rows]


# --- events --------------------------------------------------------------------------------------

_EVENT_COLUMNS = ("id, session_id, seq, occurred_at, recorded_at, user_id, username, kind, data, corrects, prev_hash,"
                  " hash")


def _event(r: Any) -> Event:
    return Event.stored(r["id"], r["session_id"], r["seq"], r["occurred_at"], r["recorded_at"], r["user_id"],
                        r["username"], r["kind"], json.loads(r["data"]), r["corrects"], r["prev_hash"], r["hash"])


def _row(e: Event) -> tuple[Any, ...]:
    return (e.id, e.session_id, e.seq, e.occurred_at, e.recorded_at, e.user_id, e.username, e.kind,
            e.canonical_data(), e.corrects, e.prev_hash, e.hash)


def keyed_from_version() -> int:
    """The schema version from which session chains are keyed (v011, wherever it stands in STEPS)."""
    from examdesk.data.schema.v011_signed_exchange import schema_version

    return schema_version()


def chain_key(store: Store) -> bytes | None:
    """The key this database's session chains are keyed with (`session_events.session_chain_key`); None
    for a database from before v011. Raises KeysMissing (Dutch) when the key is not on this computer:
    then nothing can be appended to a session's record."""
    if "session_key" not in store.memo:
        key = None
        if store.schema_version() >= keyed_from_version():
            from examdesk.data.audit import chain_key as audit_key

            hmac_key = audit_key(store)
            key = session_chain_key(hmac_key) if hmac_key is not None else None
        store.memo["session_key"] = key
    return store.memo["session_key"]  # type: ignore[return-value]


def anchor(store: Store, session_id: str) -> SessionAnchor | None:
    """The session's anchor: from where its chain is keyed (None: keyed from its first event)."""
    if store.schema_version() < keyed_from_version():
        return None
    r = store.query_one("SELECT session_id, keyed_from, prev_hash, mac FROM session_chain_anchors"
                        " WHERE session_id = ?", (session_id,))
    return SessionAnchor(r[0], r[1], r[2], r[3]) if r else None


def anchors(store: Store) -> dict[str, SessionAnchor]:
    """Every session's anchor (sessions that had events when their database was upgraded to v011)."""
    if store.schema_version() < keyed_from_version():
        return {}
    return {r[0]: SessionAnchor(r[0], r[1], r[2], r[3]) for r in store.query(
        "SELECT session_id, keyed_from, prev_hash, mac FROM session_chain_anchors")}


def append_event(store: Store, session_id: str, occurred_at: str, recorded_at: str, user_id: int | None,
                 username: str, payload: Payload, corrects: str | None = None) -> Event:
    """One event at the head of the session's chain, keyed under this database's session chain key.
    Joins (or opens) a transaction."""
    key = chain_key(store)
    with store.transaction() as conn:
        head = conn.execute("SELECT seq, hash FROM session_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                            (session_id,)).fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        event = new_event(str(uuid.uuid4()), session_id, seq, prev, occurred_at, recorded_at, user_id, username,
                          payload, corrects, key)
        conn.execute(f"INSERT INTO session_events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     _row(event))
    return event


def insert_events(store: Store, events: list[Event]) -> None:
    """Events already placed in their session's chain (seq, prev_hash, hash computed by the caller under
    `chain_key`): what an exchange import appends. Joins (or opens) a transaction."""
    with store.transaction() as conn:
        conn.executemany(f"INSERT INTO session_events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [_row(e) for e in events])


def head(store: Store, session_id: str) -> tuple[int, str]:
    """(seq, hash) of the last event of the session's chain; (0, genesis) when it has none."""
    row = store.query_one("SELECT seq, hash FROM session_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                          (session_id,))
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def events(store: Store, session_id: str) -> list[Event]:
    return [_event(r) for r in store.query(f"SELECT {_EVENT_COLUMNS} FROM session_events WHERE session_id = ?"
                                           " ORDER BY seq", (session_id,))]


def timing_events(store: Store, session_ids: list[str]) -> list[Event]:
    """The start and end registrations of these sessions, with their corrections and voids: what the
    Afnames list needs for the times a session actually ran, without reading every event."""
    found: list[Event] = []
    for start in range(0, len(session_ids), 500):
        chunk = session_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.extend(_event(r) for r in store.query(
            f"SELECT {_EVENT_COLUMNS} FROM session_events WHERE session_id IN ({marks})"
            " AND kind IN ('start', 'end', 'void') ORDER BY session_id, seq", chunk))
    return found


def events_after(store: Store, session_id: str, seq: int) -> list[Event]:
    """The events recorded after position `seq` of the chain: what a cached view of it has not seen."""
    return [_event(r) for r in store.query(f"SELECT {_EVENT_COLUMNS} FROM session_events WHERE session_id = ?"
                                           " AND seq > ? ORDER BY seq", (session_id, seq))]


def event(store: Store, event_id: str) -> Event | None:
    r = store.query_one(f"SELECT {_EVENT_COLUMNS} FROM session_events WHERE id = ?", (event_id,))
    return _event(r) if r else None


def has_events(store: Store, session_id: str) -> bool:
    return store.query_one("SELECT 1 FROM session_events WHERE session_id = ? LIMIT 1", (session_id,)) is not None


def invigilator_usernames(store: Store, session_id: str) -> frozenset[str]:
    """The user names of the invigilators assigned to the session: who may write its record."""
    return frozenset(r[0] for r in store.query(
        "SELECT u.username FROM session_invigilators si JOIN users u ON u.id = si.user_id WHERE si.session_id = ?",
        (session_id,)))


# --- drafts --------------------------------------------------------------------------------------

def save_draft(store: Store, session_id: str, user_id: int, data: dict[str, Any], at: str) -> None:
    store.write(
        "INSERT INTO incident_drafts (session_id, user_id, data, saved_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(session_id, user_id) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
        (session_id, user_id, json.dumps(data, ensure_ascii=False), at))


def draft(store: Store, session_id: str, user_id: int) -> dict[str, Any] | None:
    r = store.query_one("SELECT data FROM incident_drafts WHERE session_id = ? AND user_id = ?", (session_id, user_id))
    return json.loads(r[0]) if r else None


def draft_sessions(store: Store, user_id: int) -> frozenset[str]:
    """The sessions where this user has an incident draft waiting."""
    return frozenset(r[0] for r in store.query("SELECT session_id FROM incident_drafts WHERE user_id = ?", (user_id,)))


def discard_draft(store: Store, session_id: str, user_id: int) -> None:
    store.write("DELETE FROM incident_drafts WHERE session_id = ? AND user_id = ?", (session_id, user_id))
