"""What the commission records about a decision letter: the day it was sent (``letter_dispatches``) and, when
the candidate's birth date is unknown, its answer whether the candidate was a minor on the decision date
(``minor_answers``). Append-only (v012): the newest row counts; each row is sealed in the same transaction."""

from __future__ import annotations

from datetime import date

from examdesk.data import audit
from examdesk.data.db import Store


def sent_on(store: Store, decision_id: str) -> date | None:
    row = store.query_one("SELECT sent_on FROM letter_dispatches WHERE decision_id = ? ORDER BY id DESC LIMIT 1",
                          (decision_id,))
    return date.fromisoformat(row[0]) if row else None


def insert_dispatch(store: Store, decision_id: str, sent: date, at: str, user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write("INSERT INTO letter_dispatches (decision_id, sent_on, recorded_at, user_id, username)"
                             " VALUES (?, ?, ?, ?, ?)", (decision_id, sent.isoformat(), at, user_id, username)).lastrowid
        audit.seal(store, "letter_dispatches", row_id, user_id, username, at)
    return row_id


def minor_answer(store: Store, decision_id: str) -> bool | None:
    row = store.query_one("SELECT minor FROM minor_answers WHERE decision_id = ? ORDER BY id DESC LIMIT 1",
                          (decision_id,))
    return None if row is None else bool(row[0])


def insert_minor_answer(store: Store, decision_id: str, minor: bool, note: str, at: str, user_id: int,
                        username: str) -> int:
    with store.transaction():
        row_id = store.write("INSERT INTO minor_answers (decision_id, minor, note, recorded_at, user_id, username)"
                             " VALUES (?, ?, ?, ?, ?, ?)", (decision_id, int(minor), note, at, user_id,
                                                            username)).lastrowid
        audit.seal(store, "minor_answers", row_id, user_id, username, at)
    return row_id
