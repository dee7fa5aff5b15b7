"""Full-text search (SQLite FTS5, schema v013): what each list searches, how a typed text becomes a
query, and keeping the four search tables in step with the rows they index — without triggers.

What is searched, one definition each (the ``_BODY`` expressions below):

* an incident: what happened and what was done, its session's title, variant, period, room and
  location, and the student numbers and names of the candidates involved;
* a session: title, variant, period, room and location;
* a candidate: student number and name;
* an audit entry: action, object, user name and the summary.

Typed text is a **prefix search per word**, every word required (`match_query`): ``tel gou`` finds
"Telefoon onder de tafel" in Gouda; a word of one character is a whole word (``B``: variant B). Diacritics are folded both ways (``Şahin`` = ``sahin``, ``Zoë`` =
``zoe``).

Who keeps the tables current:

* incidents — `data/incident_index.project_session` (the one writer of ``incident_index``) re-indexes
  the incidents it projects; a renamed candidate, room or location re-indexes what mentions it;
* sessions and candidates — the data functions that insert or change them (`data/sessions`);
  rows another writer added (an imported session package) are picked up by `ensure`, which indexes
  every row past the highest rowid indexed so far (sessions and candidates are never deleted);
* the audit log — append-only and gap-free: `ensure` indexes the entries after the last one indexed,
  so appending an entry costs nothing extra.

`ensure` is cheap when nothing is new (a few indexed reads) and runs before every search; when
``meta.search_version`` differs from `SEARCH_VERSION` (a fresh upgrade, or a change to what is
searched) it rebuilds the four tables. Every function here joins the caller's transaction.
"""

from __future__ import annotations

import re
from typing import Any

from examdesk.data.db import Store

# Raise when a _BODY below changes: the next `ensure` rebuilds the search tables.
SEARCH_VERSION = "1"

_WORD = re.compile(r"\w+", re.UNICODE)

_PLACE = "s.title || ' ' || s.variant || ' ' || s.period || ' ' || r.name || ' ' || l.name"
_PERSON = "c.student_number || ' ' || c.first_name || ' ' || c.prefix || ' ' || c.last_name"

# search table → the SELECT of (rowid, body[, state]) of its source rows matching {where}: an incident's
# state is two tokens, 's' + its status_rank (STATUSES' order) and 'c' + its category after triage
_BODY: dict[str, str] = {
    "incident_search": (
        "SELECT ii.rowid, ii.what_happened || ' ' || ii.what_was_done || ' ' || " + _PLACE + " || ' ' ||"
        " coalesce((SELECT group_concat(" + _PERSON + ", ' ') FROM incident_candidates ic JOIN candidates c"
        " ON c.id = ic.candidate_id WHERE ic.incident_id = ii.incident_id), ''),"
        " 's' || ii.status_rank || ' c' || replace(coalesce(ii.route_category, ''), '_', '')"
        " FROM incident_index ii JOIN sessions s ON s.id = ii.session_id JOIN rooms r ON r.id = s.room_id"
        " JOIN locations l ON l.id = r.location_id WHERE ii.voided = 0 AND ({where})"),
    "session_search": (
        "SELECT s.rowid, " + _PLACE + " FROM sessions s JOIN rooms r ON r.id = s.room_id"
        " JOIN locations l ON l.id = r.location_id WHERE {where}"),
    "candidate_search": "SELECT c.id, " + _PERSON + " FROM candidates c WHERE {where}",
    "audit_search": "SELECT a.seq, a.action || ' ' || a.entity || ' ' || a.entity_id || ' ' || a.username || ' '"
                    " || a.summary FROM audit_log a WHERE {where}",
}
_COLUMNS = {"incident_search": "rowid, body, state"}   # the others: rowid, body
_SOURCE = {"incident_search": ("incident_index", "ii"), "session_search": ("sessions", "s"),
           "candidate_search": ("candidates", "c"), "audit_search": ("audit_log", "a")}
# what `ensure` picks up by watermark: rows that only ever get added after their first write
_CAUGHT_UP = ("session_search", "candidate_search", "audit_search")


def match_query(text: str) -> str | None:
    """The FTS5 query for typed text: every word required, as a quoted prefix — a single letter or digit
    as a whole word (variant 'B'; the first key typed does not read half the index); None when the text
    holds no word. Quoting makes every typed character literal (no FTS5 syntax gets through)."""
    words = _WORD.findall(text.encode("utf-8", "replace").decode("utf-8"))
    if not words:
        return None
    return " ".join(f'"{w}"*' if len(w) > 1 else f'"{w}"' for w in words)


def _meta(runner: Any, key: str) -> str:
    row = runner.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else ""


def _set_meta(runner: Any, key: str, value: str) -> None:
    runner.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   (key, value))


def _watermark(table: str) -> str:
    return f"{table}_rowid"


def _reindex(runner: Any, table: str, where: str, params: tuple[Any, ...] = ()) -> None:
    """The rows of `table`'s source matching `where` (an SQL condition on its alias) indexed anew."""
    source, alias = _SOURCE[table]
    runner.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT {alias}.rowid FROM {source} {alias} WHERE {where})",
                   params)
    runner.execute(f"INSERT INTO {table} ({_COLUMNS.get(table, 'rowid, body')}) " + _BODY[table].format(where=where),
                   params)


def available(store: Store) -> bool:
    """Whether this database has the search tables (schema v013 on; FTS5 is SQLite's: on the PostgreSQL
    seam, which no data module uses yet, full-text search would be ``tsvector``)."""
    if "search" not in store.memo:
        store.memo["search"] = store.dialect == "sqlite" and store.query_one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incident_search'") is not None
    return bool(store.memo["search"])


def ensure(store: Store) -> None:
    """Brings the search tables up to date: rebuilt when `SEARCH_VERSION` changed, else the sessions,
    candidates and audit entries added since the last look indexed. Reads only when nothing is new."""
    if not available(store):
        return
    before = store.conn.total_changes
    try:
        _catch_up(store)
    finally:
        # what the index writes here is the text of rows whose own writes were counted: no new state
        store.derived_changes = getattr(store, "derived_changes", 0) + store.conn.total_changes - before


def _catch_up(store: Store) -> None:
    conn = store.conn
    if _meta(conn, "search_version") != SEARCH_VERSION:
        with store.transaction() as tx:
            for table in _BODY:
                tx.execute(f"DELETE FROM {table}")
                tx.execute(f"INSERT INTO {table} ({_COLUMNS.get(table, 'rowid, body')}) "
                           + _BODY[table].format(where="1"))
            for table in _CAUGHT_UP:
                source, _alias = _SOURCE[table]
                latest = tx.execute(f"SELECT coalesce(max(rowid), 0) FROM {source}").fetchone()[0]
                _set_meta(tx, _watermark(table), str(latest))
            _set_meta(tx, "search_version", SEARCH_VERSION)
        return
    behind = []
    for table in _CAUGHT_UP:
        source, _alias = _SOURCE[table]
        latest = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {source}").fetchone()[0]
        done = int(_meta(conn, _watermark(table)) or 0)
        if latest > done:
            behind.append((table, done, latest))
    if not behind:
        return
    with store.transaction() as tx:
        for table, done, latest in behind:
            _source, alias = _SOURCE[table]
            _reindex(tx, table, f"{alias}.rowid > ? AND {alias}.rowid <= ?", (done, latest))
            _set_meta(tx, _watermark(table), str(latest))


def reindex_rows(store: Store, table: str, rowids: list[int]) -> None:
    """These source rows of one search table indexed anew (their old text marked deleted), in the caller's
    transaction; `merge` afterwards leaves no old term in any segment."""
    if not available(store) or not rowids:
        return
    _source, alias = _SOURCE[table]
    for start in range(0, len(rowids), 500):
        chunk = rowids[start:start + 500]
        _reindex(store.conn, table, f"{alias}.rowid IN ({','.join('?' * len(chunk))})", tuple(chunk))


def merge(store: Store) -> None:
    """Every search table merged into one segment (FTS5 'optimize'): terms of deleted or re-indexed rows are
    gone from the file's pages, not only marked deleted."""
    if not available(store):
        return
    with store.transaction() as tx:
        for table in _BODY:
            tx.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def rebuild(store: Store) -> None:
    """Every search table filled anew from its rows and merged into one segment, in the caller's transaction:
    after an anonymisation no term of the old text survives in an index segment (FTS5 keeps deleted terms
    in older segments until they are merged)."""
    if not available(store):
        return
    with store.transaction() as tx:
        _set_meta(tx, "search_version", "")
        ensure(store)
        for table in _BODY:
            tx.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


# --- the writers' hooks --------------------------------------------------------------------------------

def index_session_incidents(store: Store, session_id: str) -> None:
    """After a projection: the incidents of this session as they now stand."""
    if available(store):
        _reindex(store.conn, "incident_search", "ii.session_id = ?", (session_id,))


def index_session(store: Store, session_id: str) -> None:
    """A session planned or changed here: its own row, and its incidents (they carry its title and place)."""
    if not available(store):
        return
    _reindex(store.conn, "session_search", "s.id = ?", (session_id,))
    _reindex(store.conn, "incident_search", "ii.session_id = ?", (session_id,))


def index_candidate(store: Store, candidate_id: int, renamed: bool = False) -> None:
    """A candidate added or changed; when their name or number changed, also the incidents naming them."""
    if not available(store):
        return
    _reindex(store.conn, "candidate_search", "c.id = ?", (candidate_id,))
    if renamed:
        _reindex(store.conn, "incident_search",
                 "ii.incident_id IN (SELECT incident_id FROM incident_candidates WHERE candidate_id = ?)",
                 (candidate_id,))


def index_place(store: Store, room_ids: list[int]) -> None:
    """A room or location renamed: the sessions held there and their incidents."""
    if not available(store) or not room_ids:
        return
    marks = ",".join("?" * len(room_ids))
    _reindex(store.conn, "session_search", f"s.room_id IN ({marks})", tuple(room_ids))
    _reindex(store.conn, "incident_search",
             f"ii.session_id IN (SELECT id FROM sessions WHERE room_id IN ({marks}))", tuple(room_ids))


# --- reading -----------------------------------------------------------------------------------------------

def incident_text(query: str, categories: tuple[str, ...] | list[str] = ()) -> str:
    """A `match_query` for the incident search: in its text (never in its state column), or — the
    categories typed text names — in one of those categories (after triage)."""
    if not categories:
        return f"body : ({query})"
    named = " OR ".join(f'"c{re.sub(r"[^0-9A-Za-z]", "", c).lower()}"' for c in categories)
    return f"(body : ({query}) OR state : ({named}))"


def incident_state(expression: str, rank: int) -> str:
    """The incidents matching `expression` (`incident_text`) that have the status of this rank (STATUSES'
    order)."""
    return f"({expression}) AND state : \"s{int(rank)}\""
