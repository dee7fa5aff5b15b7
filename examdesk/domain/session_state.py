"""The rules of a session's state, each in one place: the statuses of a session and of a candidate,
who took part, the admission limit for a late candidate, and what a session allows now and why not.

Shaped like `domain/incident_desk`'s ``CaseFacts → available_actions``: the screens and services ask
``available_session_actions(SessionFacts)`` instead of comparing status strings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from examdesk.domain.clock import format_time

# Examenprotocol point 13: the commission sets how late a candidate may still enter — at most 30
# minutes after the start (toelatingsgrens).
ADMISSION_LIMIT_MAX = 30


class SessionStatus(StrEnum):
    """A session (afname): planned, running (its first event was recorded), closed, or cancelled."""

    GEPLAND = "gepland"
    BEZIG = "bezig"
    AFGESLOTEN = "afgesloten"
    GEANNULEERD = "geannuleerd"

    @property
    def label(self) -> str:
        return self.value


class CandidateStatus(StrEnum):
    """A candidate in a running session, as the record now says."""

    VERWACHT = "verwacht"
    AANWEZIG = "aanwezig"
    TE_LAAT = "te_laat"
    GEWEIGERD = "geweigerd"
    AFWEZIG = "afwezig"
    ONWEL = "onwel"
    VERTROKKEN = "vertrokken"
    INGELEVERD = "ingeleverd"

    @property
    def label(self) -> str:
        return CANDIDATE_STATUS_LABELS[self]


CANDIDATE_STATUS_LABELS: dict[CandidateStatus, str] = {
    CandidateStatus.VERWACHT: "verwacht", CandidateStatus.AANWEZIG: "aanwezig", CandidateStatus.TE_LAAT: "te laat",
    CandidateStatus.GEWEIGERD: "geweigerd", CandidateStatus.AFWEZIG: "afwezig", CandidateStatus.ONWEL: "onwel",
    CandidateStatus.VERTROKKEN: "vertrokken", CandidateStatus.INGELEVERD: "ingeleverd",
}
# At work: the end time runs for them, a pause or an incident's status reaches them.
AT_WORK = frozenset({CandidateStatus.AANWEZIG, CandidateStatus.TE_LAAT})
# The statuses an incident category may set (the catalogue's sets_status), and what an invigilator
# sets by hand (the same, or back at work).
INCIDENT_STATUSES = (CandidateStatus.ONWEL, CandidateStatus.VERTROKKEN, CandidateStatus.INGELEVERD)
SETTABLE_STATUSES = (*INCIDENT_STATUSES, CandidateStatus.AANWEZIG)
# Recorded as not there: absent, or refused after the admission limit.
EXCLUDED = frozenset({CandidateStatus.AFWEZIG, CandidateStatus.GEWEIGERD})
# Leaving the room of one's own accord (handed in, or left): not before the admission limit (point 13).
# Becoming unwell is not leaving by choice (points 15–17).
LEAVING = frozenset({CandidateStatus.VERTROKKEN, CandidateStatus.INGELEVERD})
# Stopped before the end: no end time applies to them any more (unwell, or left without finishing).
STOPPED = frozenset({CandidateStatus.ONWEL, CandidateStatus.VERTROKKEN})


def took_part(status: CandidateStatus | str) -> bool:
    """Deelgenomen: the candidate came and was admitted (whatever happened after)."""
    return status not in EXCLUDED and status != CandidateStatus.VERWACHT


def excluded(status: CandidateStatus | str) -> bool:
    """Recorded absent or refused: not part of anything that concerned 'alle kandidaten'. A candidate
    still expected in a running session may yet come, and is not excluded."""
    return status in EXCLUDED


# --- the admission limit (examenprotocol 13 and 14) --------------------------------------------------

@dataclass(frozen=True)
class LateDecision:
    admitted: bool
    limit: datetime


def admission_limit(started_at: datetime, limit_minutes: int) -> datetime:
    """Toelatingsgrens: the moment after which a late candidate is no longer admitted."""
    return started_at + timedelta(minutes=min(max(0, limit_minutes), ADMISSION_LIMIT_MAX))


def late_arrival(started_at: datetime, arrived_at: datetime, limit_minutes: int) -> LateDecision:
    """Laatkomer: admitted up to and including the limit, with the same end time (point 14);
    refused after it."""
    limit = admission_limit(started_at, limit_minutes)
    return LateDecision(arrived_at <= limit, limit)


def leaving_refusal(status: CandidateStatus | str, started_at: datetime, limit_minutes: int, at: datetime) -> str:
    """Examenprotocol point 13: "Pas na deze door de examencommissie bepaalde tijd mogen deelnemers het
    examenlokaal verlaten." Empty when the candidate may hand in or leave at `at`; otherwise the Dutch
    sentence with the time it becomes possible."""
    if status not in LEAVING:
        return ""
    limit = admission_limit(started_at, limit_minutes)
    if at >= limit:
        return ""
    return (f"Vertrekken kan vanaf {format_time(limit)}: pas na de toelatingsgrens mogen kandidaten het "
            "examenlokaal verlaten (examenprotocol punt 13).")


# --- what a session allows now ------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionFacts:
    """What the rules for a session's next step need to know."""

    status: SessionStatus
    has_events: bool
    started: bool = False            # a start is recorded
    invigilator: bool = False        # the acting user is assigned to it

    @property
    def not_begun(self) -> bool:
        """Nothing recorded yet: it may still be changed, cancelled or sent to an exam PC."""
        return self.status == SessionStatus.GEPLAND and not self.has_events


class SessionAction(StrEnum):
    RUN = "run"                      # open session mode
    EDIT = "edit"                    # re-plan
    CANCEL = "cancel"
    EXPORT_PACKAGE = "export_package"
    RECORD = "record"                # append an event in session mode
    REOPEN = "reopen"
    DECIDE_END_TIME = "decide_end_time"


@dataclass(frozen=True)
class SessionActions:
    allowed: frozenset[SessionAction]
    why_not: dict[SessionAction, str] = field(default_factory=dict)

    def __contains__(self, action: object) -> bool:
        return action in self.allowed


def why_not(f: SessionFacts, action: SessionAction) -> str:
    """Empty when the action is allowed; otherwise the Dutch sentence that says why not."""
    if action in (SessionAction.EDIT, SessionAction.CANCEL, SessionAction.EXPORT_PACKAGE):
        if f.not_begun:
            return ""
        if f.status == SessionStatus.GEANNULEERD:
            return "Deze afname is geannuleerd."
        return {
            SessionAction.EDIT: "Deze afname is al begonnen of afgesloten en kan niet meer worden gewijzigd.",
            SessionAction.CANCEL: "Alleen een afname die nog niet begonnen is, kan worden geannuleerd.",
            SessionAction.EXPORT_PACKAGE: "Deze afname is al begonnen, afgesloten of geannuleerd; een "
                                          "afnamepakket bevat alleen geplande afnames.",
        }[action]
    if action == SessionAction.RUN:
        if not f.invigilator:
            return "U bent geen surveillant van deze afname."
        if f.status == SessionStatus.GEANNULEERD:
            return "Deze afname is geannuleerd."
        return ""
    if action == SessionAction.RECORD:
        if f.status == SessionStatus.GEANNULEERD:
            return "Deze afname is geannuleerd; er kan niets meer worden vastgelegd."
        if f.status == SessionStatus.AFGESLOTEN:
            return ("Deze afname is afgesloten: alleen opmerkingen en correcties kunnen nog worden toegevoegd. "
                    "De examencommissie kan de afname heropenen.")
        return ""
    if action == SessionAction.REOPEN:
        return "" if f.status == SessionStatus.AFGESLOTEN else "Deze afname is niet afgesloten."
    if action == SessionAction.DECIDE_END_TIME:
        if f.status == SessionStatus.GEANNULEERD:
            return "Deze afname is geannuleerd; er kan niets meer worden vastgelegd."
        return "" if f.started else "De afname is nog niet gestart."
    raise ValueError(action)


def available_session_actions(f: SessionFacts) -> SessionActions:
    reasons = {a: why_not(f, a) for a in SessionAction}
    return SessionActions(frozenset(a for a, reason in reasons.items() if not reason),
                          {a: reason for a, reason in reasons.items() if reason})
