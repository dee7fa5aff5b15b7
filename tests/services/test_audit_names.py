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
    assert 0 < len(lookups) <= 7, lookups
