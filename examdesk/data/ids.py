"""Records named by the first characters of their id: sessions, incidents and decisions carry UUIDs,
and people type the first eight characters they see in a list (see services/ids.py for the rules)."""

from __future__ import annotations

from dataclasses import dataclass

from examdesk.data.db import Store
from examdesk.data.incident_index import indexed
from examdesk.domain.session_events import encodable

# what → query returning (id, day, text) for ids from the prefix (inclusive) to the next prefix (exclusive):
# a range on the id's index, never a function of every id. Newest first. A whitelist: nothing from outside
# is formatted into SQL.
_QUERIES: dict[str, str] = {
    "afname": "SELECT id, session_date AS day, title AS text FROM sessions WHERE id >= ? AND id < ?"
              " ORDER BY session_date DESC, id LIMIT ?",
    "incident": "SELECT incident_id AS id, substr(occurred_at, 1, 10) AS day, category AS text FROM incident_index"
                " WHERE incident_id >= ? AND incident_id < ? AND voided = 0 ORDER BY occurred_at DESC, incident_id"
                " LIMIT ?",
    "besluit": "SELECT d.id, d.decided_on AS day, 'besluit ' || d.number ||"
               " coalesce(' · ' || trim(c.first_name || ' ' || c.prefix) || ' ' || c.last_name, '') AS text"
               " FROM decisions d LEFT JOIN candidates c ON c.id = d.candidate_id"
               " WHERE d.id >= ? AND d.id < ? ORDER BY d.decided_on DESC, d.id LIMIT ?",
}


_LAST = 0x10FFFF


def _after(prefix: str) -> str:
    """The first text after every text that starts with `prefix`, in SQLite's binary order of UTF-8 (the
    order of code points): the prefix with its last character raised by one (skipping the surrogates,
    which UTF-8 cannot hold; a prefix of only the highest character has everything after it)."""
    head = prefix.rstrip(chr(_LAST))
    if not head:
        return chr(_LAST) * (len(prefix) + 1)
    following = ord(head[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return head[:-1] + chr(following)


@dataclass(frozen=True)
class IdMatch:
    id: str
    day: str    # ISO date: the session's date, the incident's, the decision's
    text: str   # session title, incident category code, 'besluit 12 · Anouk Jansen'


@indexed
def starting_with(store: Store, what: str, prefix: str, limit: int = 6) -> list[IdMatch]:
    """Up to `limit` records of kind `what` ('afname', 'incident', 'besluit') whose id starts with prefix."""
    if not encodable(prefix):
        return []   # a text UTF-8 cannot hold (a lone surrogate) is no id's beginning
    rows = store.query(_QUERIES[what], (prefix, _after(prefix), limit))
    return [IdMatch(r["id"], r["day"], r["text"]) for r in rows]
