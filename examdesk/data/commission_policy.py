"""The commission's policy and considerations per school year for the annual report (seed 000 §5: "maakt op
basis van zijn visie jaarlijks de toepassing … inzichtelijk"): ``commission_policies`` (v012), append-only —
each save a new version, the newest counts — and each row sealed in the same transaction."""

from __future__ import annotations

from typing import Any

from examdesk.data import audit
from examdesk.data.db import Store


def latest(store: Store, school_year: str) -> Any:
    """(id, text, recorded_at, username) of the newest version, or None."""
    return store.query_one("SELECT id, text, recorded_at, username FROM commission_policies WHERE school_year = ?"
                           " ORDER BY id DESC LIMIT 1", (school_year,))


def versions(store: Store, school_year: str) -> int:
    return store.query_one("SELECT count(*) FROM commission_policies WHERE school_year = ?", (school_year,))[0]


def insert(store: Store, school_year: str, text: str, at: str, user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write("INSERT INTO commission_policies (school_year, text, recorded_at, user_id, username)"
                             " VALUES (?, ?, ?, ?, ?)", (school_year, text, at, user_id, username)).lastrowid
        audit.seal(store, "commission_policies", row_id, user_id, username, at)
    return row_id
