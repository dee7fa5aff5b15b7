"""The commission's case records (schema v014): hearings, attachments, the members who confirmed a decision
with their own login, and appeals — each row append-only and sealed in the keyed audit chain in the same
transaction (`audit.seal`). Also what the candidate's history and the subject-access export read.
(Over 400 lines: every query of the case records in one place — writes, reads, appeal work, privacy's checks.)"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from examdesk.data import audit
from examdesk.data.db import Store
from examdesk.domain.casework import Appeal, Hearing, HearingInput


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --- hearings ------------------------------------------------------------------------------------------------

def _hearing(r: Any) -> Hearing:
    return Hearing(r["id"], r["incident_id"], r["candidate_id"], date.fromisoformat(r["invited_on"]),
                   r["invited_how"], r["outcome"], _date(r["held_on"]), tuple(json.loads(r["heard_by"])), r["account"],
                   r["representative"], r["interpreter"], r["reason"], r["decision_id"], r["recorded_at"],
                   r["username"])


def insert_hearing(store: Store, incident_id: str, h: HearingInput, at: str, user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO hearings (incident_id, candidate_id, invited_on, invited_how, outcome, held_on, heard_by,"
            " account, representative, interpreter, recorded_at, user_id, username)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, h.candidate_id, h.invited_on.isoformat(), h.invited_how, h.outcome,
             h.held_on.isoformat() if h.held_on else None, json.dumps(list(h.heard_by), ensure_ascii=False),
             h.account, h.representative, h.interpreter, at, user_id, username)).lastrowid
        audit.seal(store, "hearings", row_id, user_id, username, at)
    return row_id


def insert_no_hearing(store: Store, incident_id: str, candidate_id: int, decided_on: date, reason: str,
                      decision_id: str, at: str, user_id: int, username: str) -> int:
    """A measure taken without a hearing: the reason, tied to the decision that states it."""
    with store.transaction():
        row_id = store.write(
            "INSERT INTO hearings (incident_id, candidate_id, invited_on, invited_how, outcome, reason, decision_id,"
            " recorded_at, user_id, username) VALUES (?, ?, ?, '', 'niet_gehoord', ?, ?, ?, ?, ?)",
            (incident_id, candidate_id, decided_on.isoformat(), reason, decision_id, at, user_id, username)).lastrowid
        audit.seal(store, "hearings", row_id, user_id, username, at)
    return row_id


def hearings(store: Store, incident_id: str) -> list[Hearing]:
    return [_hearing(r) for r in store.query("SELECT * FROM hearings WHERE incident_id = ? ORDER BY id",
                                             (incident_id,))]


def hearing(store: Store, hearing_id: int) -> Hearing | None:
    r = store.query_one("SELECT * FROM hearings WHERE id = ?", (hearing_id,))
    return _hearing(r) if r else None


def hearings_of_candidate(store: Store, candidate_id: int) -> list[Hearing]:
    return [_hearing(r) for r in store.query("SELECT * FROM hearings WHERE candidate_id = ? ORDER BY id",
                                             (candidate_id,))]


# --- attachments ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attachment:
    """An attachment's record without its bytes (`attachment_content` reads those)."""

    id: int
    incident_id: str
    hearing_id: int | None
    candidate_id: int | None
    file_name: str
    media_type: str
    size: int
    sha256: str
    description: str
    recorded_at: str
    username: str


_ATTACHMENT_COLUMNS = ("id, incident_id, hearing_id, candidate_id, file_name, media_type, size, sha256, description,"
                       " recorded_at, username")


def _attachment(r: Any) -> Attachment:
    return Attachment(r["id"], r["incident_id"], r["hearing_id"], r["candidate_id"], r["file_name"], r["media_type"],
                      r["size"], r["sha256"], r["description"], r["recorded_at"], r["username"])


def insert_attachment(store: Store, incident_id: str, hearing_id: int | None, candidate_id: int | None,
                      file_name: str, media_type: str, sha256: str, content: bytes, description: str, at: str,
                      user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO attachments (incident_id, hearing_id, candidate_id, file_name, media_type, size, sha256,"
            " content, description, recorded_at, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (incident_id, hearing_id, candidate_id, file_name, media_type, len(content), sha256, content, description,
             at, user_id, username)).lastrowid
        audit.seal(store, "attachments", row_id, user_id, username, at)
    return row_id


def attachments(store: Store, incident_id: str) -> list[Attachment]:
    return [_attachment(r) for r in store.query(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE incident_id = ? ORDER BY id", (incident_id,))]


def attachment_content(store: Store, attachment_id: int) -> tuple[Attachment, bytes] | None:
    r = store.query_one(f"SELECT {_ATTACHMENT_COLUMNS}, content FROM attachments WHERE id = ?", (attachment_id,))
    return (_attachment(r), bytes(r["content"])) if r else None


# The attachments that concern one candidate (parameters: the candidate id, twice): the evidence of their own
# hearings, and the evidence on every incident they are involved in (named, or at work for 'alle kandidaten') —
# not the evidence of another candidate's hearing, which is that candidate's. The subject-access export
# (`data/privacy.subject_tables`) reads the same rows.
ATTACHMENTS_OF_CANDIDATE = ("candidate_id = ? OR (candidate_id IS NULL AND incident_id IN"
                            " (SELECT incident_id FROM incident_candidates WHERE candidate_id = ?))")


def attachments_for_candidate(store: Store, candidate_id: int) -> list[Attachment]:
    """Every attachment that concerns this candidate (`ATTACHMENTS_OF_CANDIDATE`), for the subject-access
    export."""
    return [_attachment(r) for r in store.query(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE {ATTACHMENTS_OF_CANDIDATE} ORDER BY id",
        (candidate_id, candidate_id))]


# --- who confirmed a decision ---------------------------------------------------------------------------------

def insert_signer(store: Store, decision_id: str, user_id: int, username: str, full_name: str, how: str,
                  at: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO decision_signers (decision_id, user_id, username, full_name, how, confirmed_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (decision_id, user_id, username, full_name, how, at)).lastrowid
        audit.seal(store, "decision_signers", row_id, user_id, username, at)
    return row_id


def signers(store: Store, decision_id: str) -> list[tuple[str, str, str]]:
    """(full name, how, confirmed at) of each member who confirmed this decision with their own login."""
    return [(r[0], r[1], r[2]) for r in store.query(
        "SELECT full_name, how, confirmed_at FROM decision_signers WHERE decision_id = ? ORDER BY id", (decision_id,))]


# --- appeals ----------------------------------------------------------------------------------------------------

_APPEAL_SQL = (
    "SELECT a.*, d.number AS decision_number, h.held_on AS hearing_on, h.note AS hearing_note, o.outcome,"
    " o.decided_on AS outcome_on, o.note AS outcome_note, o.new_decision_id, n.number AS new_decision_number"
    " FROM appeals a JOIN decisions d ON d.id = a.decision_id"
    " LEFT JOIN appeal_hearings h ON h.id = (SELECT max(id) FROM appeal_hearings WHERE appeal_id = a.id)"
    " LEFT JOIN appeal_outcomes o ON o.appeal_id = a.id LEFT JOIN decisions n ON n.id = o.new_decision_id"
)


def _appeal(r: Any) -> Appeal:
    return Appeal(r["id"], r["decision_id"], r["decision_number"], r["candidate_id"], date.fromisoformat(r["lodged_on"]),
                  r["lodged_by"], _date(r["term_until"]), r["late_reason"], _date(r["hearing_on"]),
                  r["hearing_note"] or "", r["outcome"], _date(r["outcome_on"]), r["outcome_note"] or "",
                  r["new_decision_id"], r["new_decision_number"])


def insert_appeal(store: Store, decision_id: str, candidate_id: int | None, lodged_on: date, lodged_by: str,
                  term_until: date | None, late_reason: str, at: str, user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO appeals (decision_id, candidate_id, lodged_on, lodged_by, term_until, late_reason,"
            " recorded_at, user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (decision_id, candidate_id, lodged_on.isoformat(), lodged_by, term_until.isoformat() if term_until else None,
             late_reason, at, user_id, username)).lastrowid
        audit.seal(store, "appeals", row_id, user_id, username, at)
    return row_id


def insert_appeal_hearing(store: Store, appeal_id: int, held_on: date, note: str, at: str, user_id: int,
                          username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO appeal_hearings (appeal_id, held_on, note, recorded_at, user_id, username)"
            " VALUES (?, ?, ?, ?, ?, ?)", (appeal_id, held_on.isoformat(), note, at, user_id, username)).lastrowid
        audit.seal(store, "appeal_hearings", row_id, user_id, username, at)
    return row_id


def insert_appeal_outcome(store: Store, appeal_id: int, outcome: str, decided_on: date, new_decision_id: str | None,
                          note: str, at: str, user_id: int, username: str) -> int:
    with store.transaction():
        row_id = store.write(
            "INSERT INTO appeal_outcomes (appeal_id, outcome, decided_on, new_decision_id, note, recorded_at, user_id,"
            " username) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (appeal_id, outcome, decided_on.isoformat(), new_decision_id, note, at, user_id, username)).lastrowid
        audit.seal(store, "appeal_outcomes", row_id, user_id, username, at)
    return row_id


def appeal(store: Store, appeal_id: int) -> Appeal | None:
    r = store.query_one(_APPEAL_SQL + " WHERE a.id = ?", (appeal_id,))
    return _appeal(r) if r else None


def appeals_of_decisions(store: Store, decision_ids: list[str]) -> list[Appeal]:
    if not decision_ids:
        return []
    marks = ",".join("?" * len(decision_ids))
    return [_appeal(r) for r in store.query(_APPEAL_SQL + f" WHERE a.decision_id IN ({marks}) ORDER BY a.id",
                                            decision_ids)]


def appeals_of_incident(store: Store, incident_id: str) -> list[Appeal]:
    return [_appeal(r) for r in store.query(_APPEAL_SQL + " WHERE d.incident_id = ? ORDER BY a.id", (incident_id,))]


def appeals_of_candidate(store: Store, candidate_id: int) -> list[Appeal]:
    return [_appeal(r) for r in store.query(_APPEAL_SQL + " WHERE a.candidate_id = ? ORDER BY a.id", (candidate_id,))]


def running_appeals(store: Store) -> list[Appeal]:
    """Appeals lodged without an outcome yet."""
    return [_appeal(r) for r in store.query(_APPEAL_SQL + " WHERE o.id IS NULL ORDER BY a.lodged_on, a.id")]


def sent_decisions_since(store: Store, since: date) -> list[tuple[str, str, date]]:
    """(decision id, incident id, send date) of current decisions about a candidate, never appealed, whose letter
    was sent on or after `since` (the newest send date counts, as `letters.sent_on`): the candidates for a running
    appeal term, read only when `appeal_work` is rebuilt."""
    return [(r[0], r[1], date.fromisoformat(r[2])) for r in store.query(
        "SELECT d.id, d.incident_id, l.sent_on FROM letter_dispatches l JOIN decisions d ON d.id = l.decision_id"
        " WHERE l.id = (SELECT max(x.id) FROM letter_dispatches x WHERE x.decision_id = l.decision_id)"
        " AND l.sent_on >= ? AND d.candidate_id IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.supersedes = d.id)"
        " AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.decision_id = d.id) ORDER BY l.sent_on",
        (since.isoformat(),))]


def appeal_counts(store: Store, start: date, end: date) -> dict[str, int]:
    """Appeals lodged in [start, end] and their outcomes so far, for the annual report."""
    counts = {"ingesteld": 0, "buiten_termijn": 0, "lopend": 0, "in_stand": 0, "vernietigd": 0, "gewijzigd": 0}
    for r in store.query(
            "SELECT a.late_reason, o.outcome FROM appeals a LEFT JOIN appeal_outcomes o ON o.appeal_id = a.id"
            " WHERE a.lodged_on BETWEEN ? AND ?", (start.isoformat(), end.isoformat())):
        counts["ingesteld"] += 1
        counts["buiten_termijn"] += 1 if r[0] else 0
        counts[r[1] or "lopend"] += 1
    return counts


def _concerned(store: Store, decision_ids: list[str]) -> dict[str, set[int]]:
    """decision id -> the candidates an appeal against it concerns: the decision's own candidate and every
    candidate named by its incident (a collective incident's texts and evidence are about everyone and are not
    removed by anonymising one candidate, so it holds nobody back)."""
    found: dict[str, set[int]] = {}
    for start in range(0, len(decision_ids), 500):
        chunk = decision_ids[start:start + 500]
        for r in store.query(
                "SELECT d.id, d.candidate_id, ic.candidate_id AS named FROM decisions d"
                " LEFT JOIN incident_index ii ON ii.incident_id = d.incident_id AND ii.all_candidates = 0"
                " LEFT JOIN incident_candidates ic ON ic.incident_id = ii.incident_id"
                f" WHERE d.id IN ({','.join('?' * len(chunk))})", chunk):
            found.setdefault(r[0], set()).update(c for c in (r[1], r[2]) if c is not None)
    return found


def open_appeals(store: Store, candidate_ids: list[int], today: date) -> dict[int, list[str]]:
    """Candidates whose case still runs in appeal (`data/privacy.OPEN_CASE_CHECKS`): an appeal lodged without a
    ruling, or a decision whose letter was sent and whose appeal term has not ended (the candidate may still
    lodge one). Anonymising them would blank the texts and remove the evidence the commissie van beroep reads."""
    from examdesk.data import incident_desk, institution
    from examdesk.domain.clock import format_date
    from examdesk.domain.decision_letters import appeal_until, letter_basis

    wanted = set(candidate_ids)
    reasons: dict[int, list[str]] = {}
    running = running_appeals(store)
    inst = institution.get(store)
    days = inst.appeal_term_days if inst else 42
    terms = []
    for decision_id, _incident, sent in sent_decisions_since(store, today - timedelta(days=days)):
        d = incident_desk.decision(store, decision_id)
        until = appeal_until(sent, days)
        if d is None or until < today or letter_basis(d.protocol_point, d.measures, d.exam_kind).appeal_kind != "beroep":
            continue
        terms.append((decision_id, f"de beroepstermijn van besluit {d.number} loopt nog tot en met "
                                   f"{format_date(until)}"))
    lines = [(a.decision_id, f"een beroep tegen besluit {a.decision_number} loopt nog (ingesteld op "
                             f"{format_date(a.lodged_on)}, nog geen uitspraak)") for a in running] + terms
    concerned = _concerned(store, sorted({d for d, _ in lines}))
    for decision_id, why in lines:
        for cid in concerned.get(decision_id, set()) & wanted:
            if why not in reasons.setdefault(cid, []):
                reasons[cid].append(why)
    return reasons


# --- a candidate's history ---------------------------------------------------------------------------------------

def incidents_of_candidate(store: Store, candidate_id: int) -> list[tuple[str, str, str, str, str, str | None]]:
    """(incident id, occurred at, category after triage, session title, status, found on) of every incident that
    stands and concerns this candidate, across sessions."""
    from examdesk.data.incident_index import catch_up

    catch_up(store)
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in store.query(
        "SELECT ii.incident_id, ii.occurred_at, ii.route_category, s.title, ii.status, ii.found_on"
        " FROM incident_candidates ic JOIN incident_index ii ON ii.incident_id = ic.incident_id"
        " JOIN sessions s ON s.id = ii.session_id WHERE ic.candidate_id = ? AND ii.voided = 0"
        " ORDER BY ii.occurred_at", (candidate_id,))]


def decision_ids_of_candidate(store: Store, candidate_id: int) -> list[str]:
    return [r[0] for r in store.query("SELECT id FROM decisions WHERE candidate_id = ? ORDER BY number",
                                      (candidate_id,))]


def session_titles(store: Store, incident_ids: list[str]) -> dict[str, str]:
    if not incident_ids:
        return {}
    marks = ",".join("?" * len(incident_ids))
    return {r[0]: r[1] for r in store.query(
        f"SELECT ii.incident_id, s.title FROM incident_index ii JOIN sessions s ON s.id = ii.session_id"
        f" WHERE ii.incident_id IN ({marks})", incident_ids)}


# --- open appeal work (schema v016, derived) ------------------------------------------------------------------
# `appeal_work` holds the decisions whose appeal term runs (letter sent, no appeal yet) and those with an appeal
# without a ruling: small however many appeals ten years hold. Each write below runs in the transaction of the
# record it follows; `rebuild_appeal_work` refills it from the sealed rows (a new schema, or a changed term).

def has_appeal_work(store: Store) -> bool:
    return store.query_one("SELECT value FROM meta WHERE key = 'appeal_work_days'") is not None


def appeal_term_started(store: Store, decision_id: str, incident_id: str, sent_on: date) -> None:
    """The letter was sent on `sent_on` (the newest send date counts): the term to appeal runs from it. An appeal
    already lodged against the decision keeps its row."""
    if not has_appeal_work(store):
        return
    store.write("INSERT INTO appeal_work (decision_id, incident_id, sent_on) VALUES (?, ?, ?)"
                " ON CONFLICT (decision_id) DO UPDATE SET sent_on = excluded.sent_on"
                " WHERE appeal_work.appeal_id IS NULL", (decision_id, incident_id, sent_on.isoformat()))


def appeal_term_ended(store: Store, decision_id: str) -> None:
    """The decision was superseded: no appeal against it is to be expected any more (one lodged keeps running)."""
    if has_appeal_work(store):
        store.write("DELETE FROM appeal_work WHERE decision_id = ? AND appeal_id IS NULL", (decision_id,))


def appeal_lodged(store: Store, decision_id: str, incident_id: str, appeal_id: int, lodged_on: date) -> None:
    if has_appeal_work(store):
        store.write("INSERT INTO appeal_work (decision_id, incident_id, appeal_id, lodged_on) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (decision_id) DO UPDATE SET appeal_id = excluded.appeal_id,"
                    " lodged_on = excluded.lodged_on, sent_on = NULL",
                    (decision_id, incident_id, appeal_id, lodged_on.isoformat()))


def appeal_ruled(store: Store, appeal_id: int) -> None:
    if has_appeal_work(store):
        store.write("DELETE FROM appeal_work WHERE appeal_id = ?", (appeal_id,))


def appeal_work_days(store: Store) -> str:
    row = store.query_one("SELECT value FROM meta WHERE key = 'appeal_work_days'")
    return row[0] if row else ""


def prune_appeal_terms(store: Store, sent_before: date) -> None:
    """Terms whose letter was sent before `sent_before` have run out: no longer open work."""
    if store.query_one("SELECT 1 FROM appeal_work WHERE sent_on < ? LIMIT 1", (sent_before.isoformat(),)):
        with store.transaction():
            store.write("DELETE FROM appeal_work WHERE sent_on < ?", (sent_before.isoformat(),))


def rebuild_appeal_work(store: Store, terms: list[tuple[str, str, date]], days: int) -> None:
    """Refills the table from the sealed rows: every appeal without a ruling, and `terms` (decision id, incident id,
    send date: the running terms the service chose); remembers the term in days it was built for."""
    with store.transaction():
        store.write("DELETE FROM appeal_work")
        store.write("INSERT INTO appeal_work (decision_id, incident_id, appeal_id, lodged_on)"
                    " SELECT a.decision_id, d.incident_id, max(a.id), max(a.lodged_on) FROM appeals a"
                    " JOIN decisions d ON d.id = a.decision_id"
                    " WHERE NOT EXISTS (SELECT 1 FROM appeal_outcomes o WHERE o.appeal_id = a.id)"
                    " GROUP BY a.decision_id, d.incident_id")
        for decision_id, incident_id, sent in terms:
            store.write("INSERT INTO appeal_work (decision_id, incident_id, sent_on) VALUES (?, ?, ?)"
                        " ON CONFLICT (decision_id) DO NOTHING", (decision_id, incident_id, sent.isoformat()))
        store.write("UPDATE meta SET value = ? WHERE key = 'appeal_work_days'", (str(days),))


@dataclass(frozen=True)
class AppealWork:
    """One decision's open appeal work: a running term (`sent_on`) or an appeal without a ruling (`appeal_id`)."""

    decision_id: str
    incident_id: str
    number: int
    candidate: str
    sent_on: date | None
    appeal_id: int | None
    lodged_on: date | None


def appeal_work(store: Store) -> list[AppealWork]:
    return [AppealWork(r[0], r[1], r[2], " ".join(p for p in (r[3], r[4], r[5]) if p), _date(r[6]), r[7], _date(r[8]))
            for r in store.query(
        "SELECT w.decision_id, w.incident_id, d.number, c.first_name, c.prefix, c.last_name, w.sent_on, w.appeal_id,"
        " w.lodged_on FROM appeal_work w JOIN decisions d ON d.id = w.decision_id"
        " LEFT JOIN candidates c ON c.id = d.candidate_id ORDER BY coalesce(w.lodged_on, w.sent_on), d.number")]
