"""The incident desk's queries: the list (paged, sorted, filtered), one incident's file, and the
(Over 400 lines: every table of the desk with its sealed append; split per table, one file would scatter.)
append-only writes of triage, Inspectie reports and answers, decisions, resits and closures. Each
write seals its row in the same transaction (``data/audit.seal``: a keyed audit entry carrying the
row's content hash), so a row changed, added or removed outside ExamDesk is named by `verify`."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from examdesk.data import audit, retention, search
from examdesk.data.db import Store, open_readonly, written_state
from examdesk.data.incident_index import indexed
from examdesk.data.memo import while_unchanged
from examdesk.domain.cancel import check as cancel_check
from examdesk.domain.clock import from_iso, today
from examdesk.domain.incident_desk import (
    STATUSES,
    Closure,
    Decision,
    IncidentFilter,
    IncidentRow,
    InspectieAnswer,
    InspectieReport,
    ResitItem,
    TriageRecord,
)
from examdesk.domain.session_events import Event

# sort key → SQL expression (a whitelist: nothing from outside is formatted into SQL)
SORTS: dict[str, str] = {
    "tijd": "occurred_at",
    "categorie": "category",
    "route": "effective_handler",
    "status": "status_rank",
    "afname": "session_title",
    "locatie": "location_name",
    "kandidaten": "candidate_count",
    "id": "incident_id",
}

_NAMES_SHOWN = 3  # the list names the first three candidates (by last name), the count says the rest


def _candidate_names(store: Store, incident_ids: list[str]) -> dict[str, str]:
    """incident id → 'Anouk Jansen, Elif Şahin, …' (the first three by last name), for a page of the list:
    one query for the whole page (for a whole list, one per 5,000) instead of one per row."""
    found: dict[str, str] = {}
    for start in range(0, len(incident_ids), 5000):
        chunk = incident_ids[start:start + 5000]
        found.update(_names_of(store, f"IN ({','.join('?' * len(chunk))})", chunk))
    return found


def _names_of(store: Store, selection: str, params: list[Any]) -> dict[str, str]:
    """The first three names (by last name, then first name) of each incident whose id is `selection` (an
    ``IN (…)`` of ids or a subquery): the rows as the candidates index gives them, the three picked here —
    for a year's export (117,000 names) a third of the time a window function's sort takes."""
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for incident_id, first, prefix, last in store.query(
            "SELECT ic.incident_id, c.first_name, c.prefix, c.last_name FROM incident_candidates ic"
            f" JOIN candidates c ON c.id = ic.candidate_id WHERE ic.incident_id {selection}", params):
        found[incident_id].append((last, first, prefix))
    return {i: _shown(n) for i, n in found.items()}


def _shown(names: list[tuple[str, str, str]]) -> str:
    """'Anouk Jansen, Elif Şahin, …': the first three of (last name, first name, prefix) in that order — the
    one formatting of the list's names, for a page (`_names_of`) and for an overview (`overview_rows`)."""
    return ", ".join(f"{f} {p}".strip() + f" {last}" for last, f, p in sorted(names)[:_NAMES_SHOWN])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(r: Any, names: str = "") -> IncidentRow:
    return IncidentRow(
        incident_id=r["incident_id"], session_id=r["session_id"], current_id=r["current_id"],
        corrections=r["corrections"], occurred_at=from_iso(r["occurred_at"]),
        recorded_category=r["recorded_category"], category=r["category"], recorded_handler=r["recorded_handler"],
        recorded_point=r["recorded_point"], route_handler=r["route_handler"],
        effective_handler=r["effective_handler"], protocol_point=r["protocol_point"], letter=r["letter"],
        serious=bool(r["serious"]), route_to_inspectie=bool(r["route_to_inspectie"]),
        reclassified=bool(r["reclassified"]), doubtful=bool(r["doubtful"]), reported=bool(r["reported"]),
        reported_on=_date(r["reported_on"]), open_report=bool(r["open_report"]), last_answer=r["last_answer"],
        decision_reported=bool(r["decision_reported"]), decision_count=r["decision_count"],
        undecided=r["undecided"], candidate_count=r["candidate_count"], closed=bool(r["closed"]),
        status=r["status"], to_report=bool(r["to_report"]), exam_kind=r["exam_kind"],
        activity=bool(r["activity"]), duration_minutes=r["duration_minutes"], measure_count=r["measure_count"],
        session_title=r["session_title"], session_date=date.fromisoformat(r["session_date"]),
        central_exam=r["central_exam"], period=r["period"], variant=r["variant"], room_name=r["room_name"],
        location_name=r["location_name"], what_happened=r["what_happened"] or "",
        what_was_done=r["what_was_done"] or "", candidate_names=names, found_on=_date(r["found_on"]),
    )


def _rows(store: Store, found: list[Any]) -> list[IncidentRow]:
    if not found:
        return []
    keys = found[0].keys()   # a row's value by name is a search through its columns: once per list, not per value
    plain = [dict(zip(keys, r, strict=True)) for r in found]
    names = _candidate_names(store, [r["incident_id"] for r in plain])
    return [_row(r, names.get(r["incident_id"], "")) for r in plain]


def _where(store: Store, f: IncidentFilter, category_codes: list[str], on_index: bool = False,
           walk: bool = False) -> tuple[str, list[Any]]:
    """The filter as SQL on `desk_incidents` (or, `on_index`, on ``incident_index`` itself, where the
    category after triage is ``route_category``: for counting, which needs no session, room or location).
    Every condition reads an index: the columns are indexed (for the incidents that stand, which the view
    keeps), typed text goes through the full-text index (`data/search`: a prefix search per word), never a
    LIKE over every row. `walk` (a page of many text matches): the matches are looked up while the list's
    own index is walked in its order, instead of read and sorted."""
    clauses: list[str] = ["voided = 0"] if on_index else []
    params: list[Any] = []
    category = "route_category" if on_index else "category"
    if f.status:
        clauses.append("status = ?")
        params.append(f.status)
    if f.category:
        clauses.append(f"{category} = ?")
        params.append(f.category)
    if f.handler:
        clauses.append("effective_handler = ?")
        params.append(f.handler)
    if f.location_id is not None:
        clauses.append("location_id = ?")
        params.append(f.location_id)
    if f.date_from:
        clauses.append("occurred_at >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        clauses.append("occurred_at < ?")
        params.append((f.date_to + timedelta(days=1)).isoformat())
    if f.session_id:
        clauses.append("session_id = ?")
        params.append(f.session_id)
    if f.candidate_id is not None:
        clauses.append("incident_id IN (SELECT incident_id FROM incident_candidates WHERE candidate_id = ?)")
        params.append(f.candidate_id)
    typed_candidate = search.match_query(f.candidate)
    typed_text = search.match_query(f.text)
    if typed_candidate or typed_text:
        search.ensure(store)
    if typed_candidate:
        broad = walk and store.query_one("SELECT count(*) FROM candidate_search WHERE candidate_search MATCH ?",
                                         (typed_candidate,))[0] > _BROAD_NAMES
        clauses.append(f"{'+' if broad else ''}incident_id IN (SELECT ic.incident_id FROM incident_candidates ic"
                       " WHERE ic.candidate_id IN (SELECT rowid FROM candidate_search WHERE candidate_search MATCH ?))")
        params.append(typed_candidate)
    codes = _named_categories(category_codes)
    if typed_text:
        found = "SELECT rowid FROM incident_search WHERE incident_search MATCH ?"
        params.append(search.incident_text(typed_text, codes))
        if on_index:
            # '+' (a walk): not by the matches' rowids, but each walked row looked up among them
            clauses.append(f"{'+' if walk else ''}rowid IN ({found})")
        else:
            clauses.append(f"incident_id IN (SELECT ii.incident_id FROM incident_index ii WHERE ii.rowid IN ({found}))")
    elif codes and f.text.strip():
        clauses.append(f"{category} IN ({','.join('?' * len(codes))})")
        params += codes
    if f.to_report:
        clauses.append("to_report = 1")
    if f.without_letter:
        letters_due(store)
        clauses.append("incident_id IN (SELECT incident_id FROM letters_due)")
    if f.appeal:
        # the open appeal work (v016, brought up to today by the service before it reads the list)
        kind = {"loopt": "", "termijn": " WHERE appeal_id IS NULL", "beroep": " WHERE appeal_id IS NOT NULL"}
        clauses.append(f"incident_id IN (SELECT incident_id FROM appeal_work{kind[f.appeal]})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_NAMED_MOST = 3      # typed text finds the incidents of a category by its name when it names at most this many


def _named_categories(codes: list[str]) -> list[str]:
    """The categories typed text names (the service matches their names and descriptions), when it names a
    few: one letter or two is in nearly every category's description, which names no category at all."""
    return codes if len(codes) <= _NAMED_MOST else []


_BROAD = 2000        # more text matches than this: a page walks the list's index instead of sorting the matches
_BROAD_NAMES = 200   # … more candidates whose name matches (each is in a few incidents, or in whole rooms)


def _broad(store: Store, query: str, category_codes: list[str]) -> bool:
    """Whether typed text matches many incidents (counting the matches reads only the search index): then a
    page walks the list's index in its order and stops when full; a count reads the matches either way."""
    return store.query_one("SELECT count(*) FROM (SELECT 1 FROM incident_search WHERE incident_search MATCH ?"
                           " LIMIT ?)", (search.incident_text(query, _named_categories(category_codes)),
                                         _BROAD + 1))[0] > _BROAD   # stops counting at the threshold


# One query gives the counts per status and, from them, the list's total: the chips and "N incidenten"
# always agree with each other and with the page. The screen asks for the total, then the counts, for
# the same filter: the second answer comes from this memo as long as the database has not changed.
_COUNTS_MEMO = "incident_status_counts"


def _status_counts(store: Store, f: IncidentFilter, codes: list[str]) -> dict[str, int]:
    return while_unchanged(store, _COUNTS_MEMO, (f.without_status(), tuple(codes)),
                           lambda: _count_statuses(store, f, codes))


def _count_statuses(store: Store, f: IncidentFilter, codes: list[str]) -> dict[str, int]:
    typed = search.match_query(f.text)
    if typed is not None and f.without_status() == IncidentFilter(text=f.text):
        # typed text alone: each status's count is an intersection in the search index, no row is read
        search.ensure(store)
        expression = search.incident_text(typed, _named_categories(codes))
        found = {s: store.query_one("SELECT count(*) FROM incident_search WHERE incident_search MATCH ?",
                                    (search.incident_state(expression, rank),))[0] for rank, s in enumerate(STATUSES)}
    else:
        if f.without_status() == IncidentFilter() and not codes:
            # no filter: the counts the index's triggers keep (v021), not a count of every incident that stands
            sql, params = "SELECT status, n FROM incident_status_counts WHERE n > 0", []
        else:
            where, params = _where(store, f.without_status(), codes, on_index=True)
            sql = f"SELECT status, count(*) FROM incident_index{where} GROUP BY status"
        found = dict.fromkeys(STATUSES, 0)
        for status, n in store.query(sql, params):
            found[status] = n
    return found


@indexed
def count(store: Store, f: IncidentFilter, category_codes: list[str] | None = None) -> int:
    """How many incidents the list holds: the status counts' own total (the same query)."""
    counts = _status_counts(store, f, category_codes or [])
    return counts.get(f.status, 0) if f.status else sum(counts.values())


_PAGE_MOST = 1000   # more than this is a whole list (an export), read in one query of the view

# the sorts the index answers: desk_incidents' column → incident_index's (an index each, for the incidents
# that stand); the others (session, location) are sorted from the view
_ON_INDEX = {"occurred_at": "occurred_at", "category": "route_category", "effective_handler": "effective_handler",
             "status_rank": "status_rank", "candidate_count": "candidate_count", "incident_id": "incident_id"}


@indexed
def page(store: Store, f: IncidentFilter, offset: int, limit: int, sort: str = "tijd", descending: bool = True,
         category_codes: list[str] | None = None) -> list[IncidentRow]:
    """One page of the list. The page's incidents are found on ``incident_index`` alone (its indexes, the
    search index); only they are then read with their session, room and location."""
    order = SORTS.get(sort, SORTS["tijd"])
    direction = "DESC" if descending else "ASC"
    if order not in _ON_INDEX or limit > _PAGE_MOST:   # a whole list (an export): one query of the view
        where, params = _where(store, f, category_codes or [])
        return _rows(store, store.query(f"SELECT * FROM desk_incidents{where} ORDER BY {order} {direction},"
                                        f" occurred_at {direction} LIMIT ? OFFSET ?", [*params, limit, offset]))
    column = _ON_INDEX[order]
    tie = "" if column == "occurred_at" else f", occurred_at {direction}"
    typed = search.match_query(f.text)
    ids = None if typed is None else _walk_matches(store, f, typed, category_codes or [],
                                                   f"{column} {direction}{tie}", offset, limit)
    if ids is None:
        where, params = _where(store, f, category_codes or [], on_index=True, walk=bool(f.candidate.strip()))
        ids = [r[0] for r in store.query(f"SELECT incident_id FROM incident_index{where} ORDER BY {column}"
                                         f" {direction}{tie} LIMIT ? OFFSET ?", [*params, limit, offset])]
    if not ids:
        return []
    found = {r["incident_id"]: r for r in store.query(
        f"SELECT * FROM desk_incidents WHERE incident_id IN ({','.join('?' * len(ids))})", ids)}
    return _rows(store, [found[i] for i in ids if i in found])


_WALK_FIRST = 256     # list rows looked at in the first step of a walk; each next step twice as many
_WALK_MOST = 8192


def _walk_matches(store: Store, f: IncidentFilter, typed: str, category_codes: list[str], order: str, offset: int,
                  limit: int) -> list[str] | None:
    """The ids of the `offset`..`offset + limit` incidents the typed text matches, in the list's `order`, for
    text that matches many: the list's index (with the other filters) is walked a step of rows at a time, and
    the search index is asked which of that step's rows match — by their rowid range, which FTS5 answers by
    seeking in each term's doclist. Looking up every match instead ("te": 74,000 of ten years' 248,000) to test
    each walked row against them cost 30-75 ms a key; this reads a few hundred list rows and the part of the
    doclists they span (issue 16). None: the first step found too few and the text matches few (`_broad`), so
    the plain query (every match, sorted) is the quicker one. The first step comes before that test because a
    broad prefix of four letters or more (no prefix index) costs ~15 ms per search-index query on ten years:
    a dense match fills the page in one step, with one query."""
    where, params = _where(store, replace(f, text=""), category_codes, on_index=True, walk=bool(f.candidate.strip()))
    expression = search.incident_text(typed, _named_categories(category_codes))
    wanted = offset + limit
    found: list[str] = []
    start, step = 0, _WALK_FIRST
    while len(found) < wanted:
        rows = store.query(f"SELECT rowid, incident_id FROM incident_index{where} ORDER BY {order} LIMIT ? OFFSET ?",
                           [*params, step, start])
        if not rows:
            break
        start += len(rows)
        rowids = [r[0] for r in rows]
        hits = {r[0] for r in store.query(
            "SELECT rowid FROM incident_search WHERE incident_search MATCH ? AND rowid BETWEEN ? AND ?",
            (expression, min(rowids), max(rowids)))}
        found += [r[1] for r in rows if r[0] in hits]
        if step == _WALK_FIRST and len(found) < wanted and len(rows) == step \
                and not _broad(store, typed, category_codes):
            return None
        step = min(step * 2, _WALK_MOST)
    return found[offset:wanted]


# what an overview (the PDF's rows, a CSV or XLSX export) shows of an incident, in this order
OVERVIEW_COLUMNS = ("incident_id", "occurred_at", "session_title", "location_name", "room_name", "category",
                    "protocol_point", "last_answer", "doubtful", "exam_kind", "route_handler", "effective_handler",
                    "serious", "status", "candidate_count", "what_happened", "what_was_done")


# `overview_rows` joins each candidate's (last name, first name, prefix) with _FIELD and the names with _NAME:
# control characters no name typed in ExamDesk holds; an imported name that does is read apart (`_names_of`)
_FIELD, _NAME = "\x1f", "\x1e"


@indexed
def overview_rows(store: Store, f: IncidentFilter, category_codes: list[str] | None = None
                  ) -> list[tuple[tuple[Any, ...], str]]:
    """Every incident the filter holds, in time order, as (the `OVERVIEW_COLUMNS`' values, the first three
    candidates' names): one query for the whole selection, its candidates' names aggregated per incident in
    SQL — a year of a large school is 25,000 rows and 117,000 names, so no list row (`IncidentRow`) is built
    per incident, no name is looked up per row and no row per name reaches Python. The plan reads the year's
    range of the time index twice (the rows, and the incidents whose names are aggregated) and each incident's
    candidates by key (`tests/data/test_query_plans.py`)."""
    where, params = _where(store, f, category_codes or [])
    aggregate = "string_agg" if store.dialect == "postgresql" else "group_concat"
    chosen = ", ".join(f"d.{c}" for c in OVERVIEW_COLUMNS)
    rows = store.query(
        f"SELECT {chosen}, n.names, n.named FROM (SELECT {', '.join(OVERVIEW_COLUMNS)} FROM desk_incidents{where}) d"
        f" LEFT JOIN (SELECT ic.incident_id, {aggregate}(c.last_name || ? || c.first_name || ? || c.prefix, ?)"
        " AS names, count(*) AS named FROM incident_candidates ic JOIN candidates c ON c.id = ic.candidate_id"
        f" WHERE ic.incident_id IN (SELECT incident_id FROM desk_incidents{where}) GROUP BY ic.incident_id) n"
        " ON n.incident_id = d.incident_id ORDER BY d.occurred_at, d.incident_id",
        [*params, _FIELD, _FIELD, _NAME, *params])
    found: list[tuple[tuple[Any, ...], str]] = []
    unread: list[int] = []     # rows whose names hold a separator: read apart
    width = len(OVERVIEW_COLUMNS)
    for r in rows:
        values = tuple(r)
        joined, named = values[width], values[width + 1]
        people = [name.split(_FIELD) for name in joined.split(_NAME)] if named else []
        if len(people) != (named or 0) or any(len(p) != 3 for p in people):
            shown = ""
            unread.append(len(found))
        elif named == 1:   # most incidents: nothing to pick
            last, first, prefix = people[0]
            shown = f"{first} {prefix}".strip() + f" {last}"
        else:
            shown = _shown([(p[0], p[1], p[2]) for p in people]) if people else ""
        found.append((values[:width], shown))
    if unread:
        names = _candidate_names(store, [found[i][0][0] for i in unread])
        for i in unread:
            found[i] = (found[i][0], names.get(found[i][0][0], ""))
    return found


@indexed
def status_counts(store: Store, f: IncidentFilter, category_codes: list[str] | None = None) -> dict[str, int]:
    return dict(_status_counts(store, f, category_codes or []))


# --- the counts beside the page (issue 16) -------------------------------------------------------------------
# A broad prefix ("te": 74,000 of 248,000 incidents) costs 40-150 ms to count per status, however it is asked
# (seven intersections in the search index are the fastest; one pass grouped by status reads every match's
# row and takes longer), while its first page walks the list's index and stops after 60 rows. So the page is
# read on the GUI thread and the counts, when they are not already known, on a connection of their own
# (`counts_apart`), whose result is kept here for the state of the database it was asked for.

def counts_key(store: Store, f: IncidentFilter, category_codes: list[str],
               state: tuple[int, int] | None = None) -> tuple[Any, ...]:
    """What the counts of this filter are remembered by: the filter without its status, the categories its
    text names, and the state of the database (`written_state`; or `state`, the one they were counted for)."""
    return (f.without_status(), tuple(category_codes), written_state(store) if state is None else tuple(state))


def known_counts(store: Store, key: tuple[Any, ...]) -> dict[str, int] | None:
    """The counts per status remembered for `key` (`counts_key`), or None."""
    memo = store.memo.get(_COUNTS_MEMO)
    return dict(memo[1]) if memo is not None and memo[0] == key else None


def keep_counts(store: Store, key: tuple[Any, ...], counts: dict[str, int]) -> None:
    """Remembers counts made elsewhere (`counts_apart`, or tallied from a page that holds the whole list) for
    `key`: a later `count` or `status_counts` of the same filter and state reads them from here."""
    store.memo[_COUNTS_MEMO] = (key, dict(counts))


def counts_left(memo: dict, f: IncidentFilter, category_codes: list[str]) -> dict[str, int] | None:
    """The counts of this filter another connection kept in its memo (`memo`: that connection's), whatever
    state it saw: the caller knows it was the state its own connection is in."""
    kept = memo.get(_COUNTS_MEMO)
    if kept is None or kept[0][:2] != (f.without_status(), tuple(category_codes)):
        return None
    return dict(kept[1])


def counts_apart(path: Any, f: IncidentFilter, category_codes: list[str], cancel: Any = None) -> dict[str, int]:
    """The counts per status on a read-only connection of their own (for a worker thread; `cancel` interrupts
    the query). The GUI's page has already brought the incident and search indexes up to date: nothing is
    caught up here (a read-only connection cannot write; should another PC have written since, the query
    fails and the caller counts on its own connection)."""
    # cancelled by interrupting the running query only: `open_readonly`'s progress handler would call into
    # Python (take the GIL) every 10,000 steps, tugging at the GUI thread that paints the page meanwhile
    store = open_readonly(path)
    if cancel is not None:
        cancel.on_cancel(store.conn.interrupt)
    try:
        cancel_check(cancel)
        return dict(_status_counts(store, f, category_codes))
    finally:
        store.close()


# what an overview can be broken down by → the column of desk_incidents (a whitelist)
BREAKDOWNS: dict[str, str] = {
    "status": "status", "categorie": "category", "route": "effective_handler", "locatie": "location_name",
    "maand": "substr(occurred_at, 1, 7)",
}


@indexed
def breakdown(store: Store, f: IncidentFilter, by: str, category_codes: list[str] | None = None
              ) -> list[tuple[Any, int]]:
    """(value, count) of the incidents the filter holds, per status, category, route, location or month
    ('jjjj-mm'), most first: the summary of an overview too large to list."""
    where, params = _where(store, f, category_codes or [])
    return [(r[0], r[1]) for r in store.query(
        f"SELECT {BREAKDOWNS[by]}, count(*) FROM desk_incidents{where} GROUP BY 1 ORDER BY 2 DESC, 1", params)]


@dataclass(frozen=True)
class Listing:
    """One page of the list with its total and the counts per status, all from the same filter."""

    rows: list[IncidentRow]
    total: int
    status_counts: dict[str, int]


def listing(store: Store, f: IncidentFilter, offset: int, limit: int, sort: str = "tijd", descending: bool = True,
            category_codes: list[str] | None = None) -> Listing:
    counts = status_counts(store, f, category_codes)
    total = counts.get(f.status, 0) if f.status else sum(counts.values())
    return Listing(page(store, f, offset, limit, sort, descending, category_codes), total, counts)


@indexed
def row(store: Store, incident_id: str) -> IncidentRow | None:
    r = store.query_one("SELECT * FROM desk_incidents WHERE incident_id = ?", (incident_id,))
    return _rows(store, [r])[0] if r else None


@indexed
def incident_id_of(store: Store, event_id: str) -> str | None:
    """The stable incident id (the chain's first event) for any incident event."""
    r = store.query_one("SELECT incident_id FROM incident_versions WHERE event_id = ?", (event_id,))
    return r[0] if r else None


@indexed
def versions(store: Store, incident_id: str) -> list[Event]:
    """The original incident event and its corrections, in the order recorded."""
    from examdesk.data.sessions import _event

    rows = store.query(
        "SELECT e.* FROM incident_versions v JOIN session_events e ON e.id = v.event_id"
        " WHERE v.incident_id = ? ORDER BY e.seq", (incident_id,))
    return [_event(r) for r in rows]


@indexed
def involved(store: Store, incident_id: str) -> list[int]:
    return [r[0] for r in store.query("SELECT candidate_id FROM incident_candidates WHERE incident_id = ?",
                                      (incident_id,))]


def _distinct(store: Store, column: str) -> list[Any]:
    """The distinct values of an indexed column of the incidents that stand, one index probe each (a
    loose index scan): the filter lists never read every incident."""
    if column not in ("route_category", "location_id"):
        raise ValueError(column)
    found = []
    r = store.query_one(f"SELECT min({column}) FROM incident_index WHERE voided = 0 AND {column} IS NOT NULL")
    while r is not None and r[0] is not None:
        found.append(r[0])
        r = store.query_one(f"SELECT min({column}) FROM incident_index WHERE voided = 0 AND {column} > ?", (r[0],))
    return found


@indexed
def filter_choices(store: Store) -> dict[str, list[tuple[Any, str]]]:
    """The values the filter lists offer: categories and locations that have incidents."""
    categories = [(c, c) for c in _distinct(store, "route_category")]
    ids = _distinct(store, "location_id")
    names = dict(store.query(f"SELECT id, name FROM locations WHERE id IN ({','.join('?' * len(ids))})", ids)) \
        if ids else {}
    locations = sorted(((i, names[i]) for i in ids if i in names), key=lambda item: item[1])
    return {"categories": categories, "locations": locations}


def _days(word: str) -> list[str] | None:
    """A date typed as dd-mm-jjjj (that day) or dd-mm (that day this year or last year) → ISO dates; None
    for any other word."""
    parts = word.strip().split("-")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        if len(parts) == 3:
            return [date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()]
        year = today().year
        return [date(y, int(parts[1]), int(parts[0])).isoformat() for y in (year, year - 1)]
    except ValueError:
        return []


_SESSION_CHOICE_SQL = (
    "SELECT s.id, s.starts_at, s.title, s.variant, r.name FROM sessions s JOIN rooms r ON r.id = s.room_id"
    " JOIN locations l ON l.id = r.location_id")


@indexed
def sessions_with_incidents(store: Store, text: str, limit: int) -> list[tuple[str, str, str, str, str]]:
    """(session id, start, title, variant, room) of sessions with incidents that stand, matching every typed
    word (a prefix of a word of the title, variant, period, room or location, or a date typed dd-mm-jjjj or
    dd-mm), newest first: a walk of the sessions from the newest, joined to the incidents by session."""
    clauses, params, words = [], [], []
    for word in text.split():
        days = _days(word)
        if days is None:
            words.append(word)
        else:
            clauses.append(f"s.session_date IN ({','.join('?' * len(days))})" if days else "0")
            params += days
    query = search.match_query(" ".join(words))
    if query:
        search.ensure(store)
        clauses.append("s.rowid IN (SELECT rowid FROM session_search WHERE session_search MATCH ?)")
        params.append(query)
    elif words:
        return []
    where = "".join(f" AND {c}" for c in clauses)
    return [tuple(r) for r in store.query(
        "SELECT DISTINCT s.id, s.starts_at, s.title, s.variant, r.name FROM sessions s JOIN rooms r ON r.id = s.room_id"
        " JOIN incident_index ii ON ii.session_id = s.id AND ii.voided = 0"
        f" WHERE 1{where} ORDER BY s.session_date DESC, s.starts_at DESC LIMIT ?", [*params, limit])]


def session_with_incidents(store: Store, session_id: str) -> tuple[str, str, str, str, str] | None:
    row = store.query_one(_SESSION_CHOICE_SQL + " WHERE s.id = ?", [session_id])
    return tuple(row) if row else None


# --- triage ----------------------------------------------------------------------------------------

def triage(store: Store, incident_id: str) -> list[TriageRecord]:
    rows = store.query("SELECT * FROM incident_triage WHERE incident_id = ? ORDER BY id", (incident_id,))
    return [TriageRecord(r["id"], r["kind"], r["previous_category"], r["category"], r["handler"],
                         r["protocol_point"], r["letter"], r["reason"], from_iso(r["recorded_at"]), r["username"])
            for r in rows]


def insert_triage(store: Store, incident_id: str, kind: str, previous_category: str, route: dict[str, Any] | None,
                  category: str | None, reason: str, at: str, user_id: int, username: str) -> int:
    route = route or {}
    with store.transaction():
        row_id = store.write(
            "INSERT INTO incident_triage (incident_id, kind, previous_category, category, handler, protocol_point,"
            " letter, serious, decision_to_inspectie, reason, recorded_at, user_id, username)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, kind, previous_category, category, route.get("handler"), route.get("protocol_point"),
             route.get("letter"), int(bool(route.get("serious"))), int(bool(route.get("decision_to_inspectie"))),
             reason, at, user_id, username)).lastrowid
        audit.seal(store, "incident_triage", row_id, user_id, username, at)
    return row_id


# --- the Inspectie -----------------------------------------------------------------------------------

def reports(store: Store, incident_id: str) -> list[InspectieReport]:
    rows = store.query(
        "SELECT r.*, u.full_name FROM inspectie_reports r JOIN users u ON u.id = r.reported_by"
        " WHERE r.incident_id = ? ORDER BY r.id", (incident_id,))
    return [InspectieReport(r["id"], r["subject"], date.fromisoformat(r["reported_on"]), r["reference"],
                            r["reported_by"], r["full_name"], r["remark"], from_iso(r["recorded_at"]),
                            r["username"]) for r in rows]


def insert_report(store: Store, incident_id: str, subject: str, reported_on: date, reference: str,
                  reported_by: int, remark: str, at: str, user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO inspectie_reports (incident_id, subject, reported_on, reference, reported_by, remark,"
            " recorded_at, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, subject, reported_on.isoformat(), reference, reported_by, remark, at, user_id,
             username)).lastrowid
        audit.seal(store, "inspectie_reports", row_id, user_id, username, at)
    return row_id


def answers(store: Store, incident_id: str) -> list[InspectieAnswer]:
    rows = store.query("SELECT * FROM inspectie_answers WHERE incident_id = ? ORDER BY id", (incident_id,))
    return [InspectieAnswer(r["id"], r["report_id"], r["outcome"], r["scope"], tuple(json.loads(r["candidate_ids"])),
                            date.fromisoformat(r["answered_on"]), r["reference"], r["remark"],
                            from_iso(r["recorded_at"]), r["username"]) for r in rows]


def insert_answer(store: Store, report_id: int, incident_id: str, outcome: str, scope: str | None,
                  candidate_ids: list[int], answered_on: date, reference: str, remark: str, at: str, user_id: int,
                  username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO inspectie_answers (report_id, incident_id, outcome, scope, candidate_ids, answered_on,"
            " reference, remark, recorded_at, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (report_id, incident_id, outcome, scope, json.dumps(candidate_ids), answered_on.isoformat(), reference,
             remark, at, user_id, username)).lastrowid
        audit.seal(store, "inspectie_answers", row_id, user_id, username, at)
    return row_id


# --- decisions ---------------------------------------------------------------------------------------

_DECISION_SQL = (
    "SELECT d.*, c.first_name, c.prefix, c.last_name, n.id AS superseded_by, s.exam_kind"
    " FROM decisions d LEFT JOIN candidates c ON c.id = d.candidate_id"
    " LEFT JOIN decisions n ON n.supersedes = d.id"
    " LEFT JOIN incident_index ii ON ii.incident_id = d.incident_id LEFT JOIN sessions s ON s.id = ii.session_id"
)


def _decision(r: Any, members: tuple[str, ...], has_letter: bool) -> Decision:
    name = " ".join(p for p in (r["first_name"], r["prefix"], r["last_name"]) if p) if r["candidate_id"] else ""
    return Decision(
        id=r["id"], number=r["number"], incident_id=r["incident_id"], candidate_id=r["candidate_id"],
        candidate_name=name, decided_on=date.fromisoformat(r["decided_on"]), protocol_point=r["protocol_point"],
        measures=tuple(json.loads(r["measures"])), retake_scope=r["retake_scope"],
        no_measure_reason=r["no_measure_reason"], reasoning=r["reasoning"], heard=bool(r["heard"]),
        heard_on=_date(r["heard_on"]), minor=None if r["minor"] is None else bool(r["minor"]),
        supersedes=r["supersedes"], superseded_by=r["superseded_by"], revision_reason=r["revision_reason"],
        members=members, recorded_at=from_iso(r["recorded_at"]), username=r["username"],
        has_letter=has_letter, exam_kind=r["exam_kind"])


def decisions_of(store: Store, rows: list[Any]) -> list[Decision]:
    """Decisions from rows of `_DECISION_SQL`: their members and whether their letter exists read in one
    query each for all of them (not one per decision)."""
    ids = [r["id"] for r in rows]
    members: dict[str, list[str]] = defaultdict(list)
    letters: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for m in store.query(f"SELECT decision_id, full_name FROM decision_members WHERE decision_id IN ({marks})"
                             " ORDER BY full_name", chunk):
            members[m[0]].append(m[1])
        letters.update(x[0] for x in store.query(
            f"SELECT DISTINCT subject_id FROM documents WHERE kind = 'besluit' AND subject_id IN ({marks})", chunk))
    return [_decision(r, tuple(members.get(r["id"], ())), r["id"] in letters) for r in rows]


def decisions(store: Store, incident_id: str) -> list[Decision]:
    return decisions_of(store, store.query(_DECISION_SQL + " WHERE d.incident_id = ? ORDER BY d.number", (incident_id,)))


def decision(store: Store, decision_id: str) -> Decision | None:
    r = store.query_one(_DECISION_SQL + " WHERE d.id = ?", (decision_id,))
    return decisions_of(store, [r])[0] if r else None


def _owe_letter(store: Store, decision_id: str, incident_id: str, candidate_id: int | None,
                supersedes: str | None) -> None:
    """A new decision about a candidate is owed its letter; the one it supersedes no longer is."""
    if store.query_one("SELECT value FROM meta WHERE key = 'letters_due_rowid'") is None:
        return   # a schema before v013
    if supersedes:
        store.write("DELETE FROM letters_due WHERE decision_id = ?", (supersedes,))
    if candidate_id is not None:
        store.write("INSERT INTO letters_due (decision_id, incident_id) VALUES (?, ?)", (decision_id, incident_id))


def insert_decision(store: Store, incident_id: str, candidate_id: int | None, decided_on: date,
                    protocol_point: int | None, measures: list[str], retake_scope: str | None,
                    no_measure_reason: str, reasoning: str, heard: bool, heard_on: date | None, minor: bool | None,
                    supersedes: str | None, revision_reason: str, members: list[tuple[int, str]], at: str,
                    user_id: int, username: str) -> str:
    decision_id = str(uuid.uuid4())
    with store.transaction():
        number = store.query_one("SELECT coalesce(max(number), 0) + 1 FROM decisions")[0]
        store.write(
            "INSERT INTO decisions (id, number, incident_id, candidate_id, decided_on, protocol_point, measures,"
            " retake_scope, no_measure_reason, reasoning, heard, heard_on, minor, supersedes, revision_reason,"
            " recorded_at, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (decision_id, number, incident_id, candidate_id, decided_on.isoformat(), protocol_point,
             json.dumps(measures), retake_scope, no_measure_reason, reasoning, int(heard),
             heard_on.isoformat() if heard_on else None, None if minor is None else int(minor), supersedes,
             revision_reason, at, user_id, username))
        for member_id, full_name in members:
            store.write("INSERT INTO decision_members (decision_id, user_id, full_name) VALUES (?, ?, ?)",
                        (decision_id, member_id, full_name))
        _owe_letter(store, decision_id, incident_id, candidate_id, supersedes)
        retention.refresh(store.conn, [candidate_id])
        audit.seal(store, "decisions", decision_id, user_id, username, at)  # the seal covers the members too
    return decision_id


# A letter is owed for a current decision about a candidate until its letter (a 'besluit' document) is made;
# one about the incident as a whole has no addressee. `letters_due` holds exactly those decisions: the open
# work, small however many decisions ten years hold. `insert_decision` adds (and retires the decision it
# supersedes); `letters_due` takes out the ones whose letter was issued since it last looked.
_OWED = ("SELECT d.id, d.incident_id FROM current_decisions d WHERE d.candidate_id IS NOT NULL AND NOT EXISTS"
         " (SELECT 1 FROM documents doc WHERE doc.kind = 'besluit' AND doc.subject_id = d.id)")


def letters_due(store: Store) -> None:
    """Brings ``letters_due`` up to date: filled from every decision once (a database new to schema v013),
    then only the letters issued since the last look are taken out. Reads only when nothing is new."""
    done = store.query_one("SELECT value FROM meta WHERE key = 'letters_due_rowid'")
    if done is None:
        return   # a schema before v013
    latest = store.query_one("SELECT coalesce(max(rowid), 0) FROM documents")[0]
    if (done[0] != "" and int(done[0]) >= latest) or getattr(store, "read_only", False):
        return    # up to date, or a read-only connection (a card's thread): the rows as they were
    with store.transaction() as conn:
        if done[0] == "":
            conn.execute("DELETE FROM letters_due")
            conn.execute("INSERT INTO letters_due (decision_id, incident_id) " + _OWED)
        else:
            conn.execute("DELETE FROM letters_due WHERE decision_id IN (SELECT subject_id FROM documents"
                         " WHERE kind = 'besluit' AND rowid > ?)", (int(done[0]),))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'letters_due_rowid'", (str(latest),))


def decisions_without_letter(store: Store) -> int:
    """Current decisions about a candidate whose letter was never made (one about the incident as a
    whole has no addressee, so no letter is owed)."""
    letters_due(store)
    return store.query_one("SELECT count(*) FROM letters_due")[0]


# --- resits ------------------------------------------------------------------------------------------

def insert_resit(store: Store, candidate_id: int, incident_id: str, decision_id: str | None, answer_id: int | None,
                 scope: str, not_before_next_period: bool, at: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO resits (candidate_id, incident_id, decision_id, answer_id, scope, not_before_next_period,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (candidate_id, incident_id, decision_id, answer_id, scope, int(not_before_next_period), at)).lastrowid
        audit.seal(store, "resits", row_id, at=at)
    return row_id


def withdraw_resits_of(store: Store, decision_id: str, by_decision_id: str, at: str) -> int:
    rows = store.query("SELECT id FROM resits WHERE decision_id = ? AND id NOT IN"
                       " (SELECT resit_id FROM resit_withdrawals)", (decision_id,))
    with store.transaction():
        for r in rows:
            store.write("INSERT INTO resit_withdrawals (resit_id, decision_id, at) VALUES (?, ?, ?)",
                        (r[0], by_decision_id, at))
            audit.seal(store, "resit_withdrawals", r[0], at=at)
    return len(rows)


def withdraw_resits_of_incident(store: Store, incident_id: str, at: str) -> int:
    """The open resits an incident's decisions created, withdrawn with the incident (each withdrawal names the
    decision that created the resit)."""
    rows = store.query("SELECT id, decision_id FROM resits WHERE incident_id = ? AND decision_id IS NOT NULL AND id"
                       " NOT IN (SELECT resit_id FROM resit_withdrawals)", (incident_id,))
    with store.transaction():
        for r in rows:
            store.write("INSERT INTO resit_withdrawals (resit_id, decision_id, at) VALUES (?, ?, ?)",
                        (r[0], r[1], at))
            audit.seal(store, "resit_withdrawals", r[0], at=at)
    return len(rows)


_RESIT_SQL = (
    "SELECT r.*, c.first_name, c.prefix, c.last_name, c.student_number, d.number AS decision_number,"
    " s.id AS session_id, s.title, s.session_date,"
    " (SELECT s2.id || '|' || s2.session_date FROM session_candidates sc2 JOIN sessions s2 ON s2.id = sc2.session_id"
    "   WHERE sc2.candidate_id = r.candidate_id AND s2.status != 'geannuleerd' AND s2.session_date > s.session_date"
    "   AND ((s.instrument_id IS NOT NULL AND s2.instrument_id = s.instrument_id)"
    "     OR (s.central_exam IS NOT NULL AND s2.central_exam = s.central_exam))"
    "   ORDER BY s2.session_date LIMIT 1) AS planned"
    " FROM resits r JOIN candidates c ON c.id = r.candidate_id"
    " JOIN incident_index ii ON ii.incident_id = r.incident_id JOIN sessions s ON s.id = ii.session_id"
    " LEFT JOIN decisions d ON d.id = r.decision_id"
    " WHERE r.id NOT IN (SELECT resit_id FROM resit_withdrawals)"
)


def _resit(r: Any) -> ResitItem:
    planned_id, planned_date = (r["planned"].split("|") if r["planned"] else (None, None))
    return ResitItem(
        id=r["id"], candidate_id=r["candidate_id"],
        candidate_name=" ".join(p for p in (r["first_name"], r["prefix"], r["last_name"]) if p),
        student_number=r["student_number"], incident_id=r["incident_id"], decision_id=r["decision_id"],
        decision_number=r["decision_number"], answer_id=r["answer_id"], scope=r["scope"],
        not_before_next_period=bool(r["not_before_next_period"]), created_at=from_iso(r["created_at"]),
        exam_title=r["title"], original_session_id=r["session_id"],
        original_date=date.fromisoformat(r["session_date"]), planned_session_id=planned_id,
        planned_date=_date(planned_date))


def open_resits(store: Store, incident_id: str | None = None, candidate_ids: list[int] | None = None
                ) -> list[ResitItem]:
    """The resits not withdrawn: of one incident, of these candidates (a list on screen), or all of them —
    which after ten years are tens of thousands: a screen asks for its candidates'."""
    if incident_id is not None:
        rows = store.query(_RESIT_SQL + " AND r.incident_id = ? ORDER BY r.id", (incident_id,))
    elif candidate_ids is not None:
        rows = []
        for start in range(0, len(candidate_ids), 500):
            chunk = candidate_ids[start:start + 500]
            rows += store.query(_RESIT_SQL + f" AND r.candidate_id IN ({','.join('?' * len(chunk))})"
                                " ORDER BY c.last_name, c.first_name, r.id", chunk)
    else:
        rows = store.query(_RESIT_SQL + " ORDER BY c.last_name, c.first_name, r.id")
    return [_resit(r) for r in rows]


# --- closing -------------------------------------------------------------------------------------------

def closures(store: Store, incident_id: str) -> list[Closure]:
    rows = store.query("SELECT * FROM incident_closures WHERE incident_id = ? ORDER BY id", (incident_id,))
    return [Closure(r["id"], r["action"], r["note"], from_iso(r["at"]), r["username"]) for r in rows]


def insert_closure(store: Store, incident_id: str, action: str, note: str, at: str, user_id: int,
                   username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO incident_closures (incident_id, action, note, at, user_id, username)"
            " VALUES (?, ?, ?, ?, ?, ?)", (incident_id, action, note, at, user_id, username)).lastrowid
        audit.seal(store, "incident_closures", row_id, user_id, username, at)
    return row_id


# --- the Overzicht -------------------------------------------------------------------------------------

@indexed
def to_report_count(store: Store) -> int:
    """How many incidents are still to be reported to the Inspectie (the Overzicht's count): the open work's own
    partial index (v013 `incident_list_to_report`), not the view's join of every such incident's session."""
    return store.query_one("SELECT count(*) FROM incident_index WHERE voided = 0 AND to_report = 1")[0]


@indexed
def owned_incidents(store: Store, session_id: str) -> frozenset[str]:
    """The incidents of a session the commission owns: decided on (or answered by the Inspectie), closed at
    the desk, or withdrawn by it (`domain/event_checks.incident_owner`)."""
    return frozenset(r[0] for r in store.query(
        "SELECT incident_id FROM incident_index WHERE session_id = ? AND (decision_count > 0 OR closed = 1"
        " OR last_answer IS NOT NULL OR status = 'ingetrokken')", (session_id,)))
