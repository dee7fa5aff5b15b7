"""Issue 14: the Auditlogboek names people and things; it does not show UUIDs or bare user numbers."""

from __future__ import annotations

import re

from examdesk.domain.audit import AuditFilter
from examdesk.domain.roles import Role
from examdesk.services.audit import AuditService
from examdesk.services.users import UserService

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _text(line) -> str:
    return " | ".join((line.who, line.subject, line.details))


def _lines(ctx, action: str):
    return AuditService(ctx).lines(AuditFilter(action=action), 0, 100)


def test_a_decision_row_reads_its_number_incident_and_candidate_not_uuids(ctx_for, store):
    number, student, first, last = store.query_one(
        "SELECT d.number, c.student_number, c.first_name, c.last_name FROM decisions d "
        "JOIN candidates c ON c.id = d.candidate_id ORDER BY d.number LIMIT 1")
    lines = [line for line in _lines(ctx_for(Role.COMMISSIE), "besluit genomen")
             if line.subject == f"besluit {number}"]
    assert lines, "the decision is named by its number"
    text = _text(lines[0])
    assert not UUID.search(text), text
    assert "Marieke de Vries (commissie)" in text       # who took it, by name and username
    assert f"{first}" in text and last in text and student in text   # the commission may see candidates
    assert re.search(r"incident: [0-9a-f]{8} \(", text)   # the incident by its short id, category and date


def test_a_user_change_reads_names_not_user_numbers(ctx_for):
    ctx = ctx_for(Role.BEHEERDER)
    added = UserService(ctx).add("p.devries", "Pieter de Vries", "koffie-met-twee-klontjes", frozenset({Role.BUREAU}))
    line = _lines(ctx, "gebruiker toegevoegd")[0]
    assert line.entry.entity_id == str(added.id)
    assert line.subject == "gebruiker Pieter de Vries (p.devries)"
    assert line.who == "Ruud Kok (beheerder)"
    assert "gebruiker 2" not in _text(line) and not UUID.search(_text(line))


def test_sealed_decisions_name_the_decision_too(ctx_for):
    seals = [line for line in _lines(ctx_for(Role.COMMISSIE), "verzegeld") if line.entry.entity == "besluit"]
    assert seals
    assert all(re.fullmatch(r"besluit \d+", s.subject) and not UUID.search(_text(s)) for s in seals)


def test_who_may_not_see_candidates_reads_the_student_number_only(ctx_for, store):
    student, first, last = store.query_one(
        "SELECT c.student_number, c.first_name, c.last_name FROM decisions d "
        "JOIN candidates c ON c.id = d.candidate_id ORDER BY d.number LIMIT 1")
    text = " ".join(_text(line) for line in _lines(ctx_for(Role.BEHEERDER), "besluit genomen"))
    assert student in text and last not in text


def test_one_lookup_per_kind_of_id_for_a_page_not_one_per_row(ctx_for, store):
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        lines = AuditService(ctx_for(Role.COMMISSIE)).lines(AuditFilter(), 0, 200)
    finally:
        store.conn.set_trace_callback(None)
    assert len(lines) == 200
    lookups = [s for s in statements if " IN (" in s and "audit" not in s]
    sealed_tables = {line.entry.entity_id.partition("#")[0] for line in lines if "#" in line.entry.entity_id}
    kinds = 11      # people, sessions, incidents, decisions, candidates, instruments, suppliers, locations, rooms, …
    assert 0 < len(lookups) <= kinds + len(sealed_tables) < len(lines) // 5, lookups


def test_a_sealed_row_names_the_incident_or_decision_it_belongs_to(ctx_for):
    """'triage nr. 4', 'herkansing nr. 8' named a row of an internal table: now what it belongs to, as the
    Incidenten screen lists an incident (short id, category, date) or a decision by its number."""
    seals = [line for line in _lines(ctx_for(Role.COMMISSIE), "verzegeld") if "#" in line.entry.entity_id]
    by_table = {line.entry.entity_id.partition("#")[0]: line.subject for line in seals}
    assert re.fullmatch(r"triage · incident [0-9a-f]{8} \(.+, \d\d-\d\d-\d{4}\)", by_table["incident_triage"])
    assert re.fullmatch(r"bevestiging van een besluit · besluit \d+", by_table["decision_signers"])
    assert not any(re.search(r" nr\. \d+$", subject) for table, subject in by_table.items()
                   if table in ("incident_triage", "resits", "hearings", "attachments", "incident_closures",
                                "inspectie_reports", "inspectie_answers", "decision_signers")), by_table


def test_places_and_route_choices_are_named(ctx_for):
    ctx = ctx_for(Role.BEHEERDER)
    subjects = {line.entry.entity: line.subject for line in AuditService(ctx).lines(AuditFilter(), 0, 2000)}
    assert subjects["locatie"] != "locatie 2" and not subjects["locatie"].split()[-1].isdigit()
    assert re.fullmatch(r"lokaal \S+ \(.+\)", subjects["lokaal"])
    assert re.fullmatch(r"routekeuze .+ \(\d{5}\), \d{4}-\d{4}", subjects["routekeuze"])


def test_an_incident_named_by_a_version_reads_as_the_incident(ctx_for, store):
    """A withdrawal in session mode names the version it withdrew; the log names the incident itself."""
    version, incident = store.query_one("SELECT event_id, incident_id FROM incident_versions WHERE event_id <> incident_id"
                                        " LIMIT 1") or (None, None)
    ctx = ctx_for(Role.COMMISSIE)
    if version is None:      # the demo has no correction: the incident's own id as a version of itself
        version = incident = store.query_one("SELECT incident_id FROM incident_index LIMIT 1")[0]
    with store.transaction():
        ctx.audit("incident ingetrokken", "incident", version, {"reden": "test"})
    line = _lines(ctx, "incident ingetrokken")[0]
    assert line.subject.startswith(f"incident {incident[:8]} (") and version not in line.subject


def test_an_incident_no_longer_in_the_file_says_so(ctx_for, store):
    """An exam PC removes a session's incidents once the central database has them (privacy): the log keeps
    the id and says the incident is gone, instead of a bare UUID that reads like a fault."""
    ctx = ctx_for(Role.COMMISSIE)
    gone = "a5e87a66-0000-4000-8000-000000000000"
    with store.transaction():
        ctx.audit("incident ingetrokken", "incident", gone, {"reden": "test"})
    line = _lines(ctx, "incident ingetrokken")[0]
    assert line.subject == "incident a5e87a66 (verwijderd)"
