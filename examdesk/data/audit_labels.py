"""What the ids in a page of the audit log refer to: one query per kind of id for the whole page, never
one per row (`services/audit.AuditService.lines` composes the names people read)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from examdesk.data.db import Store

_CHUNK = 500   # stays below SQLite's limit on bound parameters, however long a page is


def _by_key(store: Store, sql: str, keys: Collection[Any], label: Callable[[Any], Any]) -> dict[Any, Any]:
    """`sql` with a `{marks}` placeholder for the keys (each one bound to them all); the first column of each row is
    its key, and the first row of a key is the one kept."""
    found: dict[Any, Any] = {}
    wanted = list(keys)
    uses = sql.count("{marks}")
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        for row in store.query(sql.format(marks=",".join("?" * len(chunk))), chunk * uses):
            found.setdefault(row[0], label(row))
    return found


def users(store: Store, ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """user id → (full name, username)."""
    return _by_key(store, "SELECT id, full_name, username FROM users WHERE id IN ({marks})", ids,
                   lambda r: (r[1], r[2]))


def sessions(store: Store, ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """session id → (title, ISO date)."""
    return _by_key(store, "SELECT id, title, session_date FROM sessions WHERE id IN ({marks})", ids,
                   lambda r: (r[1], r[2]))


def incidents(store: Store, ids: Collection[str]) -> dict[str, tuple[str, str, str]]:
    """incident id, or the id of one of its versions (a withdrawal from session mode names the version it
    withdrew) → (category code as routed, ISO date of the session, the incident's own id)."""
    columns = "coalesce(i.route_category, i.category), coalesce(i.session_date, substr(i.occurred_at, 1, 10)), " \
              "i.incident_id"
    return _by_key(store, f"SELECT i.incident_id, {columns} FROM incident_index i WHERE i.incident_id IN ({{marks}})"
                          f" UNION ALL SELECT v.event_id, {columns} FROM incident_versions v JOIN incident_index i"
                          f" ON i.incident_id = v.incident_id WHERE v.event_id IN ({{marks}})", ids,
                   lambda r: (r[1] or "", r[2] or "", r[3]))


def decisions(store: Store, ids: Collection[str]) -> dict[str, int]:
    """decision id → its number."""
    return _by_key(store, "SELECT id, number FROM decisions WHERE id IN ({marks})", ids, lambda r: r[1])


def candidates(store: Store, numbers: Collection[str]) -> dict[str, tuple[str, str, str]]:
    """student number → (first name, prefix, last name)."""
    return _by_key(store, "SELECT student_number, first_name, prefix, last_name FROM candidates "
                          "WHERE student_number IN ({marks})", numbers, lambda r: (r[1], r[2], r[3]))


def instruments(store: Store, ids: Collection[str]) -> dict[str, str]:
    """instrument id → its code."""
    return _by_key(store, "SELECT id, code FROM instruments WHERE id IN ({marks})", ids, lambda r: r[1])


def suppliers(store: Store, ids: Collection[str]) -> dict[str, str]:
    """supplier id → its name."""
    return _by_key(store, "SELECT id, name FROM suppliers WHERE id IN ({marks})", ids, lambda r: r[1])


def locations(store: Store, ids: Collection[str]) -> dict[str, str]:
    """location id (as the log holds it, text) → its name."""
    return _by_key(store, "SELECT CAST(id AS TEXT), name FROM locations WHERE id IN ({marks})",
                   [int(k) for k in ids if k.isdigit()], lambda r: r[1])


def rooms(store: Store, ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """room id (text) → (its name, its location's name)."""
    return _by_key(store, "SELECT CAST(r.id AS TEXT), r.name, l.name FROM rooms r JOIN locations l ON l.id = r.location_id"
                          " WHERE r.id IN ({marks})", [int(k) for k in ids if k.isdigit()], lambda r: (r[1], r[2]))


def qualifications(store: Store, crebos: Collection[str]) -> dict[str, str]:
    """crebo → the kwalificatie's name."""
    return _by_key(store, "SELECT crebo, name FROM qualifications WHERE crebo IN ({marks})", crebos, lambda r: r[1])


# a sealed row (`integrity.SEALED`) belongs to an incident, a decision or a session: the column that says which,
# and what it is ('incident', 'besluit', 'afname' as `services/audit` names them); an appeal's hearing and
# outcome belong to the appealed decision
_OWNER_SQL = {
    **{table: f"SELECT CAST(id AS TEXT), 'incident', incident_id FROM {table} WHERE id IN ({{marks}})"
       for table in ("incident_triage", "inspectie_reports", "inspectie_answers", "incident_closures", "hearings",
                     "attachments")},
    **{table: f"SELECT CAST(id AS TEXT), 'besluit', decision_id FROM {table} WHERE id IN ({{marks}})"
       for table in ("letter_dispatches", "minor_answers", "decision_signers", "appeals")},
    "resits": "SELECT CAST(id AS TEXT), CASE WHEN decision_id IS NULL THEN 'incident' ELSE 'besluit' END,"
              " coalesce(decision_id, incident_id) FROM resits WHERE id IN ({marks})",   # an Inspectie answer's
    "resit_withdrawals": "SELECT CAST(resit_id AS TEXT), 'besluit', decision_id FROM resit_withdrawals"
                         " WHERE resit_id IN ({marks})",
    "grade_determinations": "SELECT CAST(id AS TEXT), 'afname', session_id FROM grade_determinations"
                            " WHERE id IN ({marks})",
    **{table: f"SELECT CAST(x.id AS TEXT), 'besluit', a.decision_id FROM {table} x JOIN appeals a"
              f" ON a.id = x.appeal_id WHERE x.id IN ({{marks}})" for table in ("appeal_hearings", "appeal_outcomes")},
}


def sealed_owners(store: Store, table: str, keys: Collection[str]) -> dict[str, tuple[str, str]]:
    """A sealed row's key (text) → (what it belongs to, that one's id); empty for a table that belongs to
    nothing a user knows by name (the exchange's records, the commission's policy)."""
    sql = _OWNER_SQL.get(table)
    if sql is None:
        return {}
    return _by_key(store, sql, [int(k) if k.isdigit() else k for k in keys], lambda r: (r[1], r[2]))
