"""Every list's queries, as SQLite plans them: no full scan of a table that grows with the years, and no
subquery run once per row (issue 16).

The statements are the ones the services really run (recorded with SQLite's trace callback while the
lists are read as the screens read them); each is then asked for its `EXPLAIN QUERY PLAN`. A plan may
walk a growing table only as the outer loop of a page — in the order of its ``ORDER BY``, no sort
afterwards, so it stops after one page — and an indexed search of a growing table may not be sorted whole to
return one page (unless its selection is bounded, allowed by name in `BOUNDED_SORTS` with the reason), and a count
may read a covering index (counting N rows reads
N index entries; no row is read). Without ``sqlite_stat1`` (ExamDesk never runs ANALYZE) SQLite plans as
if every table were large, so the demo's plans are the ten-year school's plans."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from examdesk.data import ids as id_data
from examdesk.domain.audit import AuditFilter
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.audit import AuditService
from examdesk.services.candidates import CandidateService
from examdesk.services.doc_incidenten import rows_for
from examdesk.services.documents import DocumentService
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.overview import OverviewService
from examdesk.services.privacy import PrivacyService
from examdesk.services.sessions import SessionService

GROWING = {"sessions", "session_events", "incident_index", "audit_log", "candidates", "decisions", "documents",
           "session_candidates", "incident_candidates", "decision_members", "letter_dispatches", "appeals",
           "appeal_hearings", "appeal_outcomes", "hearings", "attachments", "decision_signers", "candidate_retention"}
_ALIAS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b|LEFT\b|GROUP\b|ORDER\b"
                    r"|LIMIT\b|USING\b|INNER\b|UNION\b)(\w+))?", re.IGNORECASE)


def _tables(sql: str) -> dict[str, str]:
    """alias (or table name) → table, for the FROM and JOIN clauses of a statement and its views."""
    found = {}
    for table, alias in _ALIAS.findall(sql):
        found[table.lower()] = table.lower()
        if alias:
            found[alias.lower()] = table.lower()
    if "desk_incidents" in found or "current_decisions" in found:
        found.update({"ii": "incident_index", "s": "sessions", "r": "rooms", "l": "locations", "d": "decisions",
                      "n": "decisions", "incident_index": "incident_index", "decisions": "decisions"})
    return found


# Statements that sort what they select for one page although their selection lies in a growing table, and
# why that selection stays small whatever the years hold: a fragment of the statement → the reason. Nothing
# else may sort its whole selection to return a page.
BOUNDED_SORTS: dict[str, str] = {
    # data/ids.starting_with: the range of one typed id prefix, which `services/ids.resolve_id` requires to be at
    # least eight characters (MIN_PREFIX). The ids are UUID4s: eight shared hex digits are ~1 in 4 billion, so
    # the sort holds the one or two rows of that prefix whatever the years hold.
    "FROM sessions WHERE id >= ": "an id prefix of at least eight characters: one or two sessions",
    "FROM incident_index WHERE incident_id >= ": "an id prefix of at least eight characters: one or two incidents",
    "FROM decisions d LEFT JOIN candidates c ON c.id = d.candidate_id WHERE d.id >= ":
        "an id prefix of at least eight characters: one or two decisions",
    # data/sessions._match_clause: the full-text matches are read by key and sorted only when there are at most
    # SORTED_MATCHES (2,000) of them; more, and the '+' makes SQLite walk the list's index instead.
    " s.rowid IN (SELECT rowid FROM session_search WHERE": "at most 2,000 sessions matched (sessions.SORTED_MATCHES)",
    "WHERE id IN (SELECT rowid FROM candidate_search WHERE": "at most 2,000 candidates matched (SORTED_MATCHES)",
    # incfast: the Incidenten list's text, candidate, letter and appeal filters read their incidents by key and
    # sort them (data/incident_desk.py, which walks the time index for a broad candidate search); the incident
    # desk's queries are the incfast helper's work.
    "FROM incident_index WHERE voided = 0 AND rowid IN (SELECT rowid FROM incident_search":
        "incfast: the incident desk's text search, left to the incfast helper",
    "FROM incident_index WHERE voided = 0 AND incident_id IN (SELECT":
        "incfast: the incident desk's candidate, letter and appeal filters, left to the incfast helper",
    # incfast: data/incident_desk.session_choices (the Incidenten screen's session filter, typed text) sorts every
    # session with incidents whose title matches; the incident desk's queries are the incfast helper's work.
    "SELECT DISTINCT s.id, s.starts_at, s.title, s.variant, r.name FROM sessions s JOIN rooms r ON r.id = s.room_id"
    " JOIN incident_index ii": "incfast: the incident desk's session choices, left to the incfast helper",
}

_UNIQUE_LOOKUP = re.compile(r"USING (?:INTEGER PRIMARY KEY \(rowid=\?\)|PRIMARY KEY \((?:\w+=\? AND )*\w+=\?\))")
_INDEX_USED = re.compile(r"USING (?:COVERING )?INDEX (\w+) \(([^)]*)\)")


def _unique_lookup(store, line: str) -> bool:
    """Whether a SEARCH finds at most one row: by rowid, or by every column of a unique index with '='."""
    if _UNIQUE_LOOKUP.search(line):
        return True
    used = _INDEX_USED.search(line)
    if used is None:
        return False
    index, constraints = used.groups()
    table = store.query_one("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", (index,))
    if table is None or not {r[1]: r[2] for r in store.query(f'PRAGMA index_list("{table[0]}")')}.get(index):
        return False
    columns = [r[2] for r in store.query(f'PRAGMA index_info("{index}")')]
    equal = {c.strip()[:-2] for c in constraints.split(" AND ") if c.strip().endswith("=?")}
    return set(columns) <= equal


def _whole_sorts(store, rows: list, tables: dict[str, str]) -> list[str]:
    """A page (LIMIT) that is sorted afterwards in a temp B-tree, over an indexed SEARCH of a growing table: the
    search finds every row of its range — all of a school's years for 'the newest' — and all of them are sorted
    to return the first few (Rapporten's newest sessions took 467 ms on ten years so). A sort of only the
    right part of the ORDER BY (the rows arrive in the order of its first terms) stops after the page and
    passes; so does a search that finds one row (by its key) for each row of a small table."""
    children: dict[int, list[tuple[int, str]]] = {}
    for node, parent, _unused, detail in rows:
        children.setdefault(parent, []).append((node, detail))

    def loops(level: int) -> list[str]:
        found = []
        for node, detail in children.get(level, []):
            if re.match(r"(?:SCAN|SEARCH) ", detail):
                found.append(detail)
            elif not re.search(r"SCALAR SUBQUERY|LIST SUBQUERY|CORRELATED", detail):
                found.extend(loops(node))    # a co-routine, a materialised view, one side of a compound
        return found

    found = []
    for _node, parent, _unused, detail in rows:
        if detail != "USE TEMP B-TREE FOR ORDER BY":
            continue
        # the outer loop by key over 'rowid IN (SELECT …)' (a full-text match) walks the whole list, not one row
        listed = any("LIST SUBQUERY" in d for _n, d in children.get(parent, []))
        for n, line in enumerate(loops(parent)):
            match = re.match(r"SEARCH (\w+)", line)
            if match and tables.get(match.group(1).lower(), match.group(1).lower()) in GROWING \
                    and not (_unique_lookup(store, line) and not (n == 0 and listed)):
                found.append(f"a whole selection sorted for one page: {line}, then {detail}")
    return found


def problems(store, sql: str, allowed: dict[str, str] = BOUNDED_SORTS) -> list[str]:
    rows = [tuple(row) for row in store.query("EXPLAIN QUERY PLAN " + sql)]
    plan = [row[3] for row in rows]
    tables = _tables(sql)
    paged = re.search(r"\bLIMIT\b", sql, re.IGNORECASE) is not None
    counting = re.search(r"\b(count|min|max)\(", sql, re.IGNORECASE) is not None
    sorted_after = any("TEMP B-TREE" in line and "ORDER BY" in line for line in plan)
    # a walk stops after one page only when the rows it skips are skipped by an index, not by a function
    # of each row's text (a LIKE on a rare word walks the whole table)
    condition = re.split(r"\bWHERE\b", sql, maxsplit=1, flags=re.IGNORECASE)[1:]
    sargable = not any(re.search(r"\b(LIKE|GLOB)\b|\b(substr|instr|lower|upper|trim|json_extract)\s*\(", c,
                                 re.IGNORECASE) for c in condition)
    growing = any(tables.get(m.group(1).lower(), m.group(1).lower()) in GROWING
                  for m in (re.match(r"(?:SCAN|SEARCH) (\w+)", line) for line in plan) if m)
    found = []
    for n, line in enumerate(plan):
        if "CORRELATED" in line and growing:
            found.append(f"a subquery per row: {line}")
        match = re.match(r"SCAN (\w+)", line)
        if match is None:
            continue
        table = tables.get(match.group(1).lower(), match.group(1).lower())
        if table not in GROWING:
            continue
        walk = paged and n == 0 and not sorted_after and sargable   # the outer loop of a page, in its order
        count = counting and "COVERING INDEX" in line       # counting index entries only
        if not (walk or count):
            found.append(f"a full scan of {table}: {line}")
    if paged and not any(fragment in sql for fragment in allowed):
        found.extend(_whole_sorts(store, rows, tables))
    return found


def _statements(store, work: Callable[[], object]) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        work()
    finally:
        store.conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))
            and "sqlite_master" not in s and "_config" not in s]


def _lists(ctx_for) -> dict[str, Callable[[], object]]:
    commission, bureau, admin = ctx_for(Role.COMMISSIE), ctx_for(Role.BUREAU), ctx_for(Role.BEHEERDER)
    desk = IncidentDeskService(commission)
    sessions = SessionService(bureau)
    audit = AuditService(admin)
    documents = DocumentService(commission)
    year = IncidentFilter(date_from=date(2026, 8, 1), date_to=date(2027, 7, 31))

    def incidents(f: IncidentFilter, sort: str = "tijd") -> Callable[[], object]:
        return lambda: (desk.count(f), desk.status_counts(f), desk.page(f, 0, 200, sort))

    return {
        "Incidenten": incidents(IncidentFilter()),
        "Incidenten, status": incidents(IncidentFilter(status="open")),
        "Incidenten, zoeken": incidents(IncidentFilter(text="telefoon")),
        "Incidenten, één letter": incidents(IncidentFilter(text="t")),
        "Incidenten, categorie gezocht": incidents(IncidentFilter(text="onwel")),
        "Incidenten, kandidaat": incidents(IncidentFilter(candidate="sahin")),
        "Incidenten, periode": incidents(year),
        "Incidenten, categorie": incidents(IncidentFilter(category="ONWEL")),
        "Incidenten, route": incidents(IncidentFilter(handler="inspectie")),
        "Incidenten, locatie": incidents(IncidentFilter(location_id=1)),
        "Incidenten, te melden": incidents(IncidentFilter(to_report=True)),
        "Incidenten, zonder brief": incidents(IncidentFilter(without_letter=True)),
        "Incidenten, beroep loopt": incidents(IncidentFilter(appeal="loopt")),
        "Incidenten, beroep zonder uitspraak": incidents(IncidentFilter(appeal="beroep")),
        "Incidenten, op status gesorteerd": incidents(IncidentFilter(), "status"),
        "Incidenten, keuzelijsten": lambda: (desk.filter_choices(), desk.session_choices("ned")),
        "Overzicht": lambda: OverviewService(commission).cards(),
        "Afnames": lambda: sessions.list(SessionFilter()),
        "Afnames, tijden en signalen": lambda: (sessions.ran_times(sessions.list(SessionFilter())),
                                                sessions.instrument_flags(sessions.list(SessionFilter()))),
        "Afnames, zoeken": lambda: sessions.list(SessionFilter(text="Neder")),
        "Afnames, vandaag": lambda: sessions.list(SessionFilter(date_from="2026-11-30", date_to="2026-11-30")),
        "Afnames, een pagina": lambda: [sessions.plans([i for i, _status in sessions.listed(f)][:200]) for f in (
            SessionFilter(), SessionFilter(text="Neder"), SessionFilter(date_from="2026-11-30"),
            SessionFilter(status="gepland"))],
        "Kandidaten": lambda: (CandidateService(bureau).search(""), CandidateService(bureau).search("jans")),
        "Auditlogboek": lambda: (audit.count(AuditFilter()), audit.page(AuditFilter(), 0, 200), audit.actions()),
        "Auditlogboek, regels met namen": lambda: audit.lines(AuditFilter(), 0, 200),
        "Auditlogboek, zoeken": lambda: (audit.count(AuditFilter(text="besluit")),
                                         audit.page(AuditFilter(text="besluit"), 0, 200)),
        "Auditlogboek, actie en periode": lambda: (
            audit.count(AuditFilter(action="ingelogd", date_from="2026-01-01", date_to="2026-12-31")),
            audit.page(AuditFilter(action="ingelogd", date_from="2026-01-01", date_to="2026-12-31"), 0, 200)),
        "Incidentenoverzicht van een jaar": lambda: rows_for(commission.store, year),
        "Rapporten": lambda: [documents.subjects(k, text, 50) for k in ("procesverbaal", "inspectie", "besluit",
                                                                       "jaarverslag") for text in ("", "ned")],
        "id's": lambda: [id_data.starting_with(commission.store, what, "0123abcd") for what in
                         ("afname", "incident", "besluit")],
        "Opstarten (vanaf het controlepunt)": lambda: _startup_check(commission.store),
    }


def _startup_check(store) -> None:
    """What a normal start reads of the database (on the test's connection, so its statements are seen)."""
    from examdesk.services import integrity

    report = integrity.check_store(store, store.path, full=False)
    assert report.ok, report.problems
    integrity.record_verified(store, store.path, report)


@pytest.mark.parametrize("name", [
    "Incidenten", "Incidenten, status", "Incidenten, zoeken", "Incidenten, één letter",
    "Incidenten, categorie gezocht", "Incidenten, kandidaat", "Incidenten, periode", "Incidenten, categorie",
    "Incidenten, route", "Incidenten, locatie", "Incidenten, te melden", "Incidenten, zonder brief",
    "Incidenten, beroep loopt", "Incidenten, beroep zonder uitspraak",
    "Incidenten, op status gesorteerd", "Incidenten, keuzelijsten", "Overzicht", "Afnames", "Afnames, zoeken",
    "Afnames, vandaag", "Afnames, een pagina", "Afnames, tijden en signalen", "Kandidaten", "Auditlogboek",
    "Auditlogboek, regels met namen", "Auditlogboek, zoeken", "Incidentenoverzicht van een jaar", "Auditlogboek, actie en periode",
    "Rapporten", "id's", "Opstarten (vanaf het controlepunt)",
])
def test_no_list_reads_a_growing_table_whole(store, ctx_for, name):
    lists = _lists(ctx_for)
    lists[name]()      # once first: the index and search tables catch up, which is not the list's own work
    statements = _statements(store, lists[name])
    assert statements, "the list ran no query at all"
    found = {sql: problems(store, sql) for sql in statements}
    assert {sql: p for sql, p in found.items() if p} == {}


def test_the_retention_check_reads_no_growing_table_whole(store, ctx_for):
    """The beheerder's due list (Overzicht, Beheer → Privacy), on a day most of the demo is due: a range scan of
    the stored facts, whatever the history holds. The casework's appeal check it asks for the candidates due
    (`data/casework.open_appeals`: appeals without a ruling, letters whose term runs) is that module's own and
    not judged here."""
    due = lambda: PrivacyService(ctx_for(Role.BEHEERDER)).due(date(2045, 1, 1))  # noqa: E731
    assert due()
    statements = [s for s in _statements(store, due) if not re.search(r"\b(appeals|letter_dispatches)\b", s)]
    assert any("candidate_retention" in s for s in statements)
    found = {sql: problems(store, sql) for sql in statements}
    assert {sql: p for sql, p in found.items() if p} == {}


def test_the_check_itself_catches_what_issue_16_found(store):
    """The queries the lists ran before (so the rule is not vacuous)."""
    old_audit_count = ("SELECT count(*) FROM audit_log WHERE (summary LIKE '%x%' OR entity LIKE '%x%' OR entity_id"
                       " LIKE '%x%' OR action LIKE '%x%' OR username LIKE '%x%')")
    old_prefix = ("SELECT id, session_date AS day, title AS text FROM sessions WHERE substr(id, 1, 8) = 'abcdefgh'"
                  " ORDER BY session_date DESC, id LIMIT 6")
    old_names = ("SELECT *, (SELECT group_concat(name, ', ') FROM (SELECT c.last_name AS name FROM incident_candidates"
                 " ic JOIN candidates c ON c.id = ic.candidate_id WHERE ic.incident_id = desk_incidents.incident_id"
                 " LIMIT 3)) FROM desk_incidents ORDER BY occurred_at DESC LIMIT 200")
    old_choices = "SELECT DISTINCT category FROM desk_incidents ORDER BY category"
    old_letters = ("SELECT count(*) FROM current_decisions d WHERE d.candidate_id IS NOT NULL AND NOT EXISTS"
                   " (SELECT 1 FROM documents doc WHERE doc.kind = 'besluit' AND doc.subject_id = d.id)")
    assert any("audit_log" in p for p in problems(store, old_audit_count))
    assert any("sessions" in p for p in problems(store, old_prefix))
    assert any("per row" in p for p in problems(store, old_names))
    assert any("incident_index" in p for p in problems(store, old_choices))
    assert any("decisions" in p for p in problems(store, old_letters))
    old_appeals = ("SELECT a.id FROM appeals a WHERE NOT EXISTS (SELECT 1 FROM appeal_outcomes o"
                   " WHERE o.appeal_id = a.id) ORDER BY a.lodged_on, a.id")
    assert any("appeals" in p for p in problems(store, old_appeals))
    old_due = ("WITH ls AS (SELECT sc.candidate_id AS cid, max(s.session_date) AS d FROM session_candidates sc"
               " JOIN sessions s ON s.id = sc.session_id WHERE s.status != 'geannuleerd' GROUP BY sc.candidate_id)"
               " SELECT c.id, ls.d FROM candidates c LEFT JOIN ls ON ls.cid = c.id"
               " WHERE coalesce(ls.d, substr(c.created_at, 1, 10)) <= '2043-01-01'")
    assert any("session_candidates" in p for p in problems(store, old_due))


def test_the_check_catches_a_whole_selection_sorted_for_one_page(store):
    """Rapporten's newest sessions before (467 ms on ten years): the index finds every session of the status, and
    all of them were sorted to return the newest few. A search the index returns in the ORDER BY's order (no sort),
    or one row per key of a small table, is not flagged."""
    newest = ("SELECT s.id FROM sessions s JOIN rooms r ON r.id = s.room_id WHERE s.status = 'afgesloten'"
              " ORDER BY s.title, s.session_date DESC LIMIT 50")
    assert any("sorted for one page" in p and "sessions_status" in p for p in problems(store, newest))
    by_text = ("SELECT * FROM candidates WHERE id IN (SELECT rowid FROM candidate_search WHERE candidate_search"
               " MATCH 'j*') ORDER BY student_number LIMIT 2000")
    assert any("sorted for one page" in p for p in problems(store, by_text, allowed={}))
    in_order = ("SELECT s.id FROM sessions s WHERE s.status = 'afgesloten'"
                " ORDER BY s.session_date DESC, s.starts_at DESC LIMIT 50")
    assert problems(store, in_order) == []
    by_key = "SELECT u.id FROM users u JOIN sessions s ON s.id = 'x' ORDER BY u.full_name LIMIT 5"
    assert problems(store, by_key) == []


@pytest.mark.parametrize("name", ["Afnames, zoeken", "Afnames, een pagina", "Kandidaten"])
def test_many_matches_walk_the_lists_index_instead_of_sorting_them(store, ctx_for, monkeypatch, name):
    """More full-text matches than are read and sorted (`SORTED_MATCHES`; here every match is 'many'): the list
    walks its order's index and stops after the page, with no statement needing to be allowed by name."""
    from examdesk.data import sessions as session_data

    monkeypatch.setattr(session_data, "SORTED_MATCHES", 0)
    lists = _lists(ctx_for)
    lists[name]()
    statements = _statements(store, lists[name])
    assert any("+" in s and "MATCH" in s for s in statements)
    found = {sql: problems(store, sql, allowed={}) for sql in statements}
    assert {sql: p for sql, p in found.items() if p} == {}
