"""What the ids in a page of the audit log refer to: one query per kind of id for the whole page, never
one per row (`services/audit.AuditService.lines` composes the names people read)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from examdesk.data.db import Store

_CHUNK = 500   # stays below SQLite's limit on bound parameters, however long a page is


def _by_key(store: Store, sql: str, keys: Collection[Any], label: Callable[[Any], Any]) -> dict[Any, Any]:
    """`sql` with one `{marks}` placeholder for the keys; the first column of each row is its key."""
    found: dict[Any, Any] = {}
    wanted = list(keys)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        for row in store.query(sql.format(marks=",".join("?" * len(chunk))), chunk):
            found[row[0]] = label(row)
    return found


def users(store: Store, ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """user id → (full name, username)."""
    return _by_key(store, "SELECT id, full_name, username FROM users WHERE id IN ({marks})", ids,
                   lambda r: (r[1], r[2]))


def sessions(store: Store, ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """session id → (title, ISO date)."""
    return _by_key(store, "SELECT id, title, session_date FROM sessions WHERE id IN ({marks})", ids,
                   lambda r: (r[1], r[2]))


def incidents(store: Store, ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """incident id → (category code as routed, ISO date of the session)."""
    return _by_key(store, "SELECT incident_id, coalesce(route_category, category), coalesce(session_date, "
                          "substr(occurred_at, 1, 10)) FROM incident_index WHERE incident_id IN ({marks})", ids,
                   lambda r: (r[1] or "", r[2] or ""))


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
