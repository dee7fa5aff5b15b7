"""The events of a session: what each kind carries, and the per-session hash chain.

Every action in a session is one event. Nothing is changed afterwards: a correction is a new event
of the same kind whose ``corrects`` names the event it replaces (its ``data`` is the full new
content), and ``void`` withdraws the event it ``corrects``. The data per kind:

=================  ==========================================================================
kind               data
=================  ==========================================================================
receipt            received_by (str), intact (bool), remark (str)
present            candidate_ids (list[int]), identity_checked (bool)
absent             candidate_id (int), valid_reason (bool | None), remark (str)
start              {} (occurred_at is the actual start)
late               candidate_id (int), admitted (bool), limit (ISO time of the admission limit)
pause              candidate_ids (list[int] | None = every candidate at work), reason (str)
resume             pause_id (str)
incident           category, catalogue_version, route (HandlingRoute.as_dict()), all_candidates
                   (bool), candidate_ids (list[int]), duration_minutes (int | None),
                   what_happened (str), what_was_done (str)
candidate_status   candidate_id (int), status (onwel | vertrokken | ingeleverd | aanwezig), remark
remark             text (str)
end                {} (occurred_at is the end of the session)
close              summary (dict, see sessions.closing_summary), staff (list[str])
reopen             reason (str) — by a commission member
end_time_decision  candidate_id (int), minutes (int), reason (str) — by a commission member
void               reason (str)
=================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from examdesk.domain.clock import from_iso
from examdesk.domain.fingerprint import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64


class Kind(StrEnum):
    RECEIPT = "receipt"
    PRESENT = "present"
    ABSENT = "absent"
    START = "start"
    LATE = "late"
    PAUSE = "pause"
    RESUME = "resume"
    INCIDENT = "incident"
    CANDIDATE_STATUS = "candidate_status"
    REMARK = "remark"
    END = "end"
    CLOSE = "close"
    REOPEN = "reopen"
    END_TIME_DECISION = "end_time_decision"
    VOID = "void"


KIND_LABELS: dict[str, str] = {
    Kind.RECEIPT: "Ontvangst exameninstrumenten",
    Kind.PRESENT: "Aanwezig",
    Kind.ABSENT: "Afwezig",
    Kind.START: "Start",
    Kind.LATE: "Te laat",
    Kind.PAUSE: "Pauze",
    Kind.RESUME: "Hervat",
    Kind.INCIDENT: "Incident",
    Kind.CANDIDATE_STATUS: "Status kandidaat",
    Kind.REMARK: "Opmerking",
    Kind.END: "Einde",
    Kind.CLOSE: "Afgesloten",
    Kind.REOPEN: "Heropend",
    Kind.END_TIME_DECISION: "Eindtijd aangepast",
    Kind.VOID: "Vervallen",
}


@dataclass(frozen=True)
class Event:
    id: str
    session_id: str
    seq: int
    occurred_at: str          # ISO 8601 with offset, as stored
    recorded_at: str
    user_id: int | None
    username: str
    kind: str
    data: dict[str, Any]
    corrects: str | None
    prev_hash: str
    hash: str

    @property
    def occurred(self) -> datetime:
        return from_iso(self.occurred_at)

    @property
    def recorded(self) -> datetime:
        return from_iso(self.recorded_at)


def event_hash(prev_hash: str, event_id: str, session_id: str, seq: int, occurred_at: str, recorded_at: str,
               user_id: int | None, username: str, kind: str, data: dict[str, Any], corrects: str | None) -> str:
    body = {
        "id": event_id, "session_id": session_id, "seq": seq, "occurred_at": occurred_at,
        "recorded_at": recorded_at, "user_id": user_id, "username": username, "kind": kind, "data": data,
        "corrects": corrects,
    }
    return sha256_hex(prev_hash.encode("ascii") + canonical_json(body))


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(events: list[Event]) -> ChainCheck:
    """Checks one session's events: numbering without gaps, each link, each hash."""
    prev = GENESIS_HASH
    for expected, e in enumerate(sorted(events, key=lambda ev: ev.seq), start=1):
        if e.seq != expected:
            return ChainCheck(False, expected - 1, expected, f"Gebeurtenis {expected} van de afname ontbreekt.")
        if e.prev_hash != prev:
            return ChainCheck(False, expected - 1, e.seq, f"Gebeurtenis {e.seq} sluit niet aan op de vorige.")
        digest = event_hash(prev, e.id, e.session_id, e.seq, e.occurred_at, e.recorded_at, e.user_id, e.username,
                            e.kind, e.data, e.corrects)
        if digest != e.hash:
            return ChainCheck(False, expected - 1, e.seq, f"Gebeurtenis {e.seq} is gewijzigd buiten ExamDesk.")
        prev = e.hash
    return ChainCheck(True, len(events))
