"""The examenbureau's record that a closed session's results were processed (``grade_determinations``, v012):
append-only, the newest row counts; each row sealed in the same transaction."""

from __future__ import annotations

from datetime import date

from examdesk.data import audit
from examdesk.data.db import Store
from examdesk.domain.clock import from_iso
from examdesk.domain.grade_determination import GradeDetermination


def latest(store: Store, session_id: str) -> GradeDetermination | None:
    r = store.query_one("SELECT * FROM grade_determinations WHERE session_id = ? ORDER BY id DESC LIMIT 1",
                        (session_id,))
    if r is None:
        return None
    return GradeDetermination(r["session_id"], date.fromisoformat(r["processed_on"]), r["processed_by"], r["system"],
                              r["remark"], from_iso(r["recorded_at"]), r["username"])


def insert(store: Store, session_id: str, processed_on: date, processed_by: str, system: str, remark: str, at: str,
           user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO grade_determinations (session_id, processed_on, processed_by, system, remark, recorded_at,"
            " user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, processed_on.isoformat(), processed_by, system, remark, at, user_id, username)).lastrowid
        audit.seal(store, "grade_determinations", row_id, user_id, username, at)
    return row_id
