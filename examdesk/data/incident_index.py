"""Keeping the incident desk's index (incident_versions, incident_index, incident_candidates) up to
date: each incident's state as the domain computes it (`domain/incident_state.project`), stored as
plain columns.

Two things change an incident's state. Events in the session record are not indexed inside the
invigilator's transaction — saving an incident in the exam room stays one small write — but caught
up when the desk reads (the events since ``meta.desk_index_rowid``; every session they touch is
re-projected). The desk's own facts (triage, reports, answers, decisions, closures) are written by
`services/incident_desk`, which re-projects that incident in the same transaction (`refresh`). When
``meta.desk_index_version`` is not the domain's ``PROJECTION_VERSION`` (a rule changed, or the index
was just created), every incident is re-projected. Every query that reads the index is wrapped in
`indexed`."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from examdesk.data import retention, search
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.domain.catalogue import HandlingRoute, default_catalogue
from examdesk.domain.incident_state import (
    PROJECTION_VERSION,
    AnswerFact,
    DeskFacts,
    IncidentState,
    ReportFact,
    TriageFact,
    incident_chains,
    project,
)
from examdesk.domain.sessions import fold

F = TypeVar("F", bound=Callable[..., Any])

# The kinds whose events can change an incident's state: its versions, its withdrawal, and who was
# there (absent, refused, present) for an incident about 'alle kandidaten'.
_AFFECTING = ("incident", "found_incident", "void", "absent", "late", "present")

# The columns a projection writes: a constant list, in the order of `_values`.
_COLUMNS = (
    "incident_id", "session_id", "current_id", "current_seq", "corrections", "voided", "occurred_at", "category",
    "handler", "protocol_point", "letter", "serious", "decision_to_inspectie", "all_candidates", "route_category",
    "route_handler", "route_point", "route_letter", "route_serious", "route_to_inspectie", "reclassified", "doubtful",
    "reported", "reported_on", "open_report", "last_answer", "decision_reported", "decision_count", "undecided",
    "candidate_count", "closed", "activity", "status", "status_rank", "effective_handler", "to_report",
    "what_happened", "what_was_done", "duration_minutes", "session_date", "location_id", "measure_count",
    "found_on",
)
_UPSERT = (f"INSERT INTO incident_index ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
           f" ON CONFLICT (incident_id) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "incident_id"))


def _values(s: IncidentState, session_date: str, location_id: int) -> tuple[Any, ...]:
    p = s.payload
    recorded = p.route
    # 'voided' in the index means gone from the desk: the invigilator's void. An incident the commission
    # withdrew stays on the desk as 'ingetrokken', so every list and count that holds what stands sees it.
    gone = s.voided and not s.withdrawn
    return (
        s.incident_id, s.session_id, s.current.id, s.current.seq, s.corrections, int(gone), s.current.occurred_at,
        p.category, recorded.handler, recorded.protocol_point, recorded.letter, int(recorded.serious),
        int(recorded.decision_to_inspectie), int(p.all_candidates), s.category, s.route.handler,
        s.route.protocol_point, s.route.letter, int(s.route.serious), int(s.route.decision_to_inspectie),
        int(s.reclassified), int(s.doubtful), int(s.reported), s.reported_on.isoformat() if s.reported_on else None,
        int(s.open_report), s.last_answer, int(s.decision_reported), s.decision_count, s.undecided, len(s.involved),
        int(s.closed), int(s.activity), s.status, s.status_rank, s.effective_handler, int(s.to_report),
        p.what_happened, p.what_was_done, p.duration_minutes, session_date, location_id, s.measure_count,
        s.found_on,
    )


def _marks(values: Iterable[Any]) -> str:
    return ",".join("?" * len(list(values)))


def _desk_facts(store: Store, incident_ids: list[str]) -> dict[str, DeskFacts]:
    """The desk's record of these incidents (a few queries for all of them)."""
    labels = default_catalogue().handler_labels
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for start in range(0, len(incident_ids), 500):
        chunk = incident_ids[start:start + 500]
        marks = _marks(chunk)
        for r in store.query(f"SELECT incident_id, kind, category, handler, protocol_point, letter, serious,"
                             f" decision_to_inspectie FROM incident_triage WHERE incident_id IN ({marks}) ORDER BY id",
                             chunk):
            route = None if r["handler"] is None else HandlingRoute(
                r["handler"], labels.get(r["handler"], r["handler"]), r["protocol_point"], r["letter"],
                bool(r["decision_to_inspectie"]), bool(r["serious"]))
            found[r["incident_id"]]["triage"].append(TriageFact(r["kind"], r["category"], route))
        for r in store.query(f"SELECT incident_id, id, subject, reported_on FROM inspectie_reports"
                             f" WHERE incident_id IN ({marks}) ORDER BY id", chunk):
            found[r[0]]["reports"].append(ReportFact(r[1], r[2], date.fromisoformat(r[3])))
        for r in store.query(f"SELECT incident_id, id, report_id, outcome FROM inspectie_answers"
                             f" WHERE incident_id IN ({marks}) ORDER BY id", chunk):
            found[r[0]]["answers"].append(AnswerFact(r[1], r[2], r[3]))
        for r in store.query(f"SELECT d.incident_id, d.candidate_id, NOT EXISTS (SELECT 1 FROM decisions n"
                             f" WHERE n.supersedes = d.id), d.measures FROM decisions d WHERE d.incident_id IN ({marks})"
                             f" ORDER BY d.number", chunk):
            found[r[0]]["decisions"].append((r[1], bool(r[2]), bool(json.loads(r[3]))))
        for r in store.query(f"SELECT incident_id, action FROM incident_closures WHERE incident_id IN ({marks})"
                             f" ORDER BY id", chunk):
            found[r[0]]["closures"].append(r[1])
    return {i: DeskFacts(**{k: tuple(v) for k, v in parts.items()}) for i, parts in found.items()}


def project_session(store: Store, session_id: str, only: set[str] | None = None) -> int:
    """Re-projects the incidents of one session (all, or the ones named) into the index; returns how many.
    Joins (or opens) a transaction."""
    events = session_data.events(store, session_id)
    chains = incident_chains(events)
    if only is not None:
        chains = {i: c for i, c in chains.items() if i in only}
    if not chains:
        return 0
    plan = session_data.session(store, session_id)
    roster = session_data.roster(store, session_id)
    last = max((e.recorded for e in events), default=plan.starts_at)
    state = fold(plan, roster, events, last)
    statuses = {c.candidate_id: c.status for c in state.candidates}
    roster_ids = [r.candidate_id for r in roster]
    place = store.query_one("SELECT r.location_id FROM rooms r WHERE r.id = ?", (plan.room_id,))
    desk = _desk_facts(store, list(chains))
    with store.transaction() as conn:
        concerned = retention.involved(conn, chains)      # before and after: the retention facts of both
        for incident_id, chain in chains.items():
            s = project(chain, plan.exam_kind, roster_ids, statuses, desk.get(incident_id, DeskFacts()))
            conn.executemany("INSERT OR IGNORE INTO incident_versions (event_id, incident_id) VALUES (?, ?)",
                             [(v.id, incident_id) for v in chain.versions])
            conn.execute(_UPSERT, _values(s, plan.session_date.isoformat(), place[0]))
            conn.execute("DELETE FROM incident_candidates WHERE incident_id = ?", (incident_id,))
            conn.executemany("INSERT INTO incident_candidates (incident_id, candidate_id) VALUES (?, ?)",
                             [(incident_id, c) for c in s.involved])
            concerned += s.involved
        retention.refresh(conn, concerned)
        search.index_session_incidents(store, session_id)   # what the desk's search finds, as it now stands
    return len(chains)


def refresh(store: Store, incident_id: str) -> None:
    """After the desk recorded a fact about this incident: its state again, in the caller's transaction."""
    row = store.query_one("SELECT session_id FROM incident_index WHERE incident_id = ?", (incident_id,))
    if row is not None:
        project_session(store, row[0], {incident_id})


def _meta(store: Store, key: str) -> str:
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (key,))
    return row[0] if row else ""


def catch_up(store: Store) -> int:
    """Brings the index up to date with the events recorded since the last catch-up (all of them when the
    projection's rules changed); returns how many events it read. Reads only (no write) when nothing is new."""
    done = int(_meta(store, "desk_index_rowid") or 0)
    latest = store.query_one("SELECT coalesce(max(rowid), 0) FROM session_events")[0]
    if latest <= done and _meta(store, "desk_index_version") == PROJECTION_VERSION:
        return 0
    if getattr(store, "read_only", False):
        # a read-only connection (the Overzicht's card thread, after the GUI's connection caught up): events
        # recorded since are left to the next catch-up on a writing connection — the index as it was is read
        return 0
    with store.transaction() as conn:
        if _meta(store, "desk_index_version") != PROJECTION_VERSION:
            done = 0
        marks = _marks(_AFFECTING)
        rows = conn.execute(f"SELECT session_id, count(*) FROM session_events WHERE rowid > ? AND kind IN ({marks})"
                            " GROUP BY session_id", (done, *_AFFECTING)).fetchall()
        for session_id, _count in rows:
            project_session(store, session_id)
        latest = conn.execute("SELECT coalesce(max(rowid), 0) FROM session_events").fetchone()[0]
        conn.execute("UPDATE meta SET value = ? WHERE key = 'desk_index_rowid'", (str(latest),))
        conn.execute("INSERT INTO meta (key, value) VALUES ('desk_index_version', ?)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (PROJECTION_VERSION,))
    return sum(n for _, n in rows)


def indexed(query: F) -> F:
    """For a data function whose first argument is the Store: bring the index up to date first."""

    @functools.wraps(query)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> Any:
        catch_up(store)
        return query(store, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
