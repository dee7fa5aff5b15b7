"""What planning reads and writes besides the session itself (schema v009): the sessions of a day as
occupations of rooms, invigilators and candidates; the warnings a planner confirmed; the
afnameperiodes of the central exams. Parameterised SQL only."""

from __future__ import annotations

from datetime import date, timedelta

from examdesk.data.db import Store
from examdesk.domain.clock import from_iso
from examdesk.domain.exam_periods import ExamWindow
from examdesk.domain.planning import Occupation


def occupations_on(store: Store, day: date, exclude: str | None = None) -> list[Occupation]:
    """Every session that day that is not cancelled (other than `exclude`), with the end of each
    candidate (start + duration + their extra time) and of the session as a whole."""
    sessions = store.query(
        "SELECT s.id, s.title, s.starts_at, s.duration_minutes, s.room_id, r.name AS room_name, l.name AS location"
        " FROM sessions s JOIN rooms r ON r.id = s.room_id JOIN locations l ON l.id = r.location_id"
        " WHERE s.session_date = ? AND s.status != 'geannuleerd' AND s.id != ?", (day.isoformat(), exclude or ""))
    if not sessions:
        return []
    ids = [r["id"] for r in sessions]
    marks = ",".join("?" * len(ids))
    invigilators: dict[str, set[int]] = {i: set() for i in ids}
    for r in store.query(f"SELECT session_id, user_id FROM session_invigilators WHERE session_id IN ({marks})", ids):
        invigilators[r[0]].add(r[1])
    extra: dict[str, dict[int, int]] = {i: {} for i in ids}
    for r in store.query(f"SELECT session_id, candidate_id, extra_minutes FROM session_candidates"
                         f" WHERE session_id IN ({marks})", ids):
        extra[r[0]][r[1]] = r[2]
    result = []
    for r in sessions:
        start = from_iso(r["starts_at"])
        end = start + timedelta(minutes=r["duration_minutes"])
        ends = {cid: end + timedelta(minutes=minutes) for cid, minutes in extra[r["id"]].items()}
        result.append(Occupation(
            r["id"], r["title"], start, max([end, *ends.values()]), r["room_id"],
            f"lokaal {r['room_name']} ({r['location']})", frozenset(invigilators[r["id"]]), ends))
    return result


# --- confirmed warnings ----------------------------------------------------------------------------

def set_notes(store: Store, session_id: str, notes: list[tuple[str, str]], at: str, by: str) -> None:
    """notes: (kind 'waarschuwing' | 'afwijking', text); replaces the notes of an earlier plan."""
    store.write("DELETE FROM session_planning_notes WHERE session_id = ?", (session_id,))
    for kind, text in notes:
        store.write("INSERT INTO session_planning_notes (session_id, kind, text, recorded_at, recorded_by)"
                    " VALUES (?, ?, ?, ?, ?)", (session_id, kind, text, at, by))


def notes(store: Store, session_id: str) -> list[tuple[str, str, str, str]]:
    """(kind, text, recorded at, recorded by) in the order they were recorded."""
    return [(r[0], r[1], r[2], r[3]) for r in store.query(
        "SELECT kind, text, recorded_at, recorded_by FROM session_planning_notes WHERE session_id = ? ORDER BY id",
        (session_id,))]


# --- afnameperiodes --------------------------------------------------------------------------------

def _window(r) -> ExamWindow:
    return ExamWindow(r["school_year"], r["period"], date.fromisoformat(r["starts_on"]),
                      date.fromisoformat(r["ends_on"]), r["exam"], r["week"], r["source"])


def exam_windows(store: Store, school_year: str | None = None) -> list[ExamWindow]:
    if school_year:
        rows = store.query("SELECT * FROM exam_periods WHERE school_year = ? ORDER BY starts_on, period, exam, week",
                           (school_year,))
    else:
        rows = store.query("SELECT * FROM exam_periods ORDER BY starts_on, period, exam, week")
    return [_window(r) for r in rows]


def window_exists(store: Store, w: ExamWindow) -> bool:
    return store.query_one(
        "SELECT 1 FROM exam_periods WHERE school_year = ? AND period = ? AND exam = ? AND coalesce(week, 0) = ?",
        (w.school_year, w.period, w.exam, w.week or 0)) is not None


def add_window(store: Store, w: ExamWindow, at: str, by: str) -> None:
    store.write(
        "INSERT INTO exam_periods (school_year, period, starts_on, ends_on, exam, week, source, added_at, added_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (w.school_year, w.period, w.starts_on.isoformat(), w.ends_on.isoformat(), w.exam, w.week, w.source, at, by))


def period_spans(store: Store, school_year: str) -> list[tuple[int, date, date]]:
    """(period, from, to) of a school year, to check a new week against the period it belongs to."""
    return [(r[0], date.fromisoformat(r[1]), date.fromisoformat(r[2])) for r in store.query(
        "SELECT DISTINCT period, starts_on, ends_on FROM exam_periods WHERE school_year = ? ORDER BY period",
        (school_year,))]
