"""Keeping the incident desk's index (incident_versions, incident_index, incident_candidates) up to
date with the session record.

The index is derived from ``session_events``. It is not maintained by triggers inside the
invigilator's transaction: saving an incident in the exam room stays one small write, and the desk
catches up when it reads (the events since ``meta.desk_index_rowid``, in the order they were
recorded). Every query that reads the index is wrapped in `indexed`."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

from examdesk.data.db import Store

F = TypeVar("F", bound=Callable[..., Any])

# Each statement works on the event whose id is bound to every {id}.
_ON_INCIDENT = [
    """INSERT INTO incident_versions (event_id, incident_id)
SELECT e.id, CASE WHEN e.corrects IS NULL THEN e.id
                  ELSE (SELECT v.incident_id FROM incident_versions v WHERE v.event_id = e.corrects) END
FROM session_events e
WHERE e.id = {id}
  AND (e.corrects IS NULL OR EXISTS (SELECT 1 FROM incident_versions v WHERE v.event_id = e.corrects))""",
    """INSERT INTO incident_index (incident_id, session_id, current_id, current_seq, corrections, voided, occurred_at,
                            category, handler, protocol_point, letter, serious, decision_to_inspectie,
                            all_candidates)
SELECT v.incident_id, e.session_id, e.id, e.seq, 0, 0, e.occurred_at,
       json_extract(e.data, '$.category'), coalesce(json_extract(e.data, '$.route.handler'), 'examencommissie'),
       json_extract(e.data, '$.route.protocol_point'), json_extract(e.data, '$.route.letter'),
       coalesce(json_extract(e.data, '$.route.serious'), 0),
       coalesce(json_extract(e.data, '$.route.decision_to_inspectie'), 0),
       coalesce(json_extract(e.data, '$.all_candidates'), 0)
FROM session_events e JOIN incident_versions v ON v.event_id = e.id
WHERE e.id = {id}
ON CONFLICT (incident_id) DO UPDATE SET
    current_id = excluded.current_id, current_seq = excluded.current_seq,
    corrections = incident_index.corrections + 1, occurred_at = excluded.occurred_at,
    category = excluded.category, handler = excluded.handler, protocol_point = excluded.protocol_point,
    letter = excluded.letter, serious = excluded.serious, decision_to_inspectie = excluded.decision_to_inspectie,
    all_candidates = excluded.all_candidates
WHERE excluded.current_seq > incident_index.current_seq""",
    """DELETE FROM incident_candidates
WHERE incident_id = (SELECT v.incident_id FROM incident_versions v WHERE v.event_id = {id})
  AND (SELECT ii.current_id FROM incident_index ii WHERE ii.incident_id = incident_candidates.incident_id) = {id}""",
    """INSERT OR IGNORE INTO incident_candidates (incident_id, candidate_id)
SELECT v.incident_id, j.value
FROM session_events e JOIN incident_versions v ON v.event_id = e.id
     JOIN incident_index ii ON ii.incident_id = v.incident_id AND ii.current_id = e.id,
     json_each(e.data, '$.candidate_ids') j
WHERE e.id = {id} AND NOT coalesce(json_extract(e.data, '$.all_candidates'), 0)
  AND j.value IN (SELECT id FROM candidates)""",
    """INSERT OR IGNORE INTO incident_candidates (incident_id, candidate_id)
SELECT v.incident_id, sc.candidate_id
FROM session_events e JOIN incident_versions v ON v.event_id = e.id
     JOIN incident_index ii ON ii.incident_id = v.incident_id AND ii.current_id = e.id
     JOIN session_candidates sc ON sc.session_id = e.session_id
WHERE e.id = {id} AND coalesce(json_extract(e.data, '$.all_candidates'), 0)
  AND NOT EXISTS (
      SELECT 1 FROM session_events a
      WHERE a.session_id = e.session_id AND a.kind IN ('absent', 'late')
        AND json_extract(a.data, '$.candidate_id') = sc.candidate_id
        AND (a.kind = 'absent' OR NOT coalesce(json_extract(a.data, '$.admitted'), 0)))""",
]

_ON_VOID = [
    """UPDATE incident_index SET voided = 1
WHERE incident_id = (SELECT v.incident_id FROM session_events e JOIN incident_versions v ON v.event_id = e.corrects
                     WHERE e.id = {id})""",
]

# A candidate recorded absent or refused (possibly only at closing) was not at work during an
# incident that concerned "alle kandidaten".
_ON_ABSENCE = [
    """DELETE FROM incident_candidates
WHERE candidate_id = (SELECT json_extract(e.data, '$.candidate_id') FROM session_events e WHERE e.id = {id})
  AND incident_id IN (SELECT ii.incident_id FROM incident_index ii JOIN session_events e ON e.id = {id}
                      WHERE ii.session_id = e.session_id AND ii.all_candidates = 1)""",
]


def catch_up(store: Store) -> int:
    """Folds the events recorded since the last catch-up into the index; returns how many it read.
    Reads only (no write) when nothing is new."""
    done = int(store.query_one("SELECT value FROM meta WHERE key = 'desk_index_rowid'")[0])
    latest = store.query_one("SELECT coalesce(max(rowid), 0) FROM session_events")[0]
    if latest <= done:
        return 0
    with store.transaction() as conn:
        done = int(conn.execute("SELECT value FROM meta WHERE key = 'desk_index_rowid'").fetchone()[0])
        rows = conn.execute(
            "SELECT rowid, id, kind, corrects, data FROM session_events WHERE rowid > ?"
            " AND kind IN ('incident', 'void', 'absent', 'late') ORDER BY rowid", (done,)).fetchall()
        for _rowid, event_id, kind, corrects, data in rows:
            if kind == "incident":
                statements = _ON_INCIDENT
            elif kind == "void" and corrects:
                statements = _ON_VOID
            elif kind == "absent" or (kind == "late" and not json.loads(data).get("admitted")):
                statements = _ON_ABSENCE
            else:
                continue
            for statement in statements:
                conn.execute(statement.replace("{id}", "?"), (event_id,) * statement.count("{id}"))
        latest = conn.execute("SELECT coalesce(max(rowid), 0) FROM session_events").fetchone()[0]
        conn.execute("UPDATE meta SET value = ? WHERE key = 'desk_index_rowid'", (str(latest),))
    return len(rows)


def indexed(query: F) -> F:
    """For a data function whose first argument is the Store: bring the index up to date first."""

    @functools.wraps(query)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> Any:
        catch_up(store)
        return query(store, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
