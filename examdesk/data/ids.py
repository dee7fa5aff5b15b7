"""Records named by the first characters of their id: sessions, incidents and decisions carry UUIDs,
and people type the first eight characters they see in a list (see services/ids.py for the rules)."""

from __future__ import annotations

from dataclasses import dataclass

from examdesk.data.db import Store
from examdesk.data.incident_index import indexed

# what → query returning (id, day, text) for ids that start with the prefix; newest first. A whitelist:
# nothing from outside is formatted into SQL.
_QUERIES: dict[str, str] = {
    "afname": "SELECT id, session_date AS day, title AS text FROM sessions WHERE substr(id, 1, ?) = ?"
              " ORDER BY session_date DESC, id LIMIT ?",
    "incident": "SELECT incident_id AS id, substr(occurred_at, 1, 10) AS day, category AS text FROM incident_index"
                " WHERE voided = 0 AND substr(incident_id, 1, ?) = ? ORDER BY occurred_at DESC, incident_id LIMIT ?",
    "besluit": "SELECT d.id, d.decided_on AS day, 'besluit ' || d.number ||"
               " coalesce(' · ' || trim(c.first_name || ' ' || c.prefix) || ' ' || c.last_name, '') AS text"
               " FROM decisions d LEFT JOIN candidates c ON c.id = d.candidate_id"
               " WHERE substr(d.id, 1, ?) = ? ORDER BY d.decided_on DESC, d.id LIMIT ?",
}


@dataclass(frozen=True)
class IdMatch:
    id: str
    day: str    # ISO date: the session's date, the incident's, the decision's
    text: str   # session title, incident category code, 'besluit 12 · Anouk Jansen'


@indexed
def starting_with(store: Store, what: str, prefix: str, limit: int = 6) -> list[IdMatch]:
    """Up to `limit` records of kind `what` ('afname', 'incident', 'besluit') whose id starts with prefix."""
    rows = store.query(_QUERIES[what], (len(prefix), prefix, limit))
    return [IdMatch(r["id"], r["day"], r["text"]) for r in rows]
