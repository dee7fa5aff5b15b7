"""What a new event must mean before it joins a session's record — checked the same way when an
invigilator saves it in session mode and when it arrives in an exam PC's record (issue 11, "Import
checks meaning, not only bytes").

The payload types (`domain/session_events.py`) check what an event carries on its own: keys, types,
ranges, lengths. `check_new_event` checks what needs the session around it:

* who may write it: the invigilator's kinds by an invigilator assigned to the session; the
  commission's decisions (reopen, end-time decision) and incidents found afterwards only by the commission
  (or the examenbureau, at the desk), never in an exam PC's record;
* when: in-session registrations on the session's day, from two hours before the planned start,
  not after the moment they were recorded, not after the close of a closed session; what needs a
  start (late, pause, end, close, a status) after it; a resume after its pause; a void not before
  what it withdraws;
* whom: every candidate named is in the session's roster;
* what it points at: a correction or a void names an earlier registration of this session that still
  stands, of the same kind (a void: not a close, reopen or void); a resume names a pause not yet
  resumed;
* the admission decision: a late arrival is admitted exactly when it is within the limit
  (`session_state.late_arrival`); nobody hands in or leaves before that limit
  (`session_state.leaving_refusal`, examenprotocol point 13);
* a closed session only grows by remarks, voids, incident corrections and the commission's decisions;
* **the commission owns a decided case**: once the examencommissie has decided on an incident (or the
  session is closed), the invigilator can no longer withdraw it or change its category or candidates;
  a correction or withdrawal after that is the commission's, with its reason (`incident_owner`).

`ChainFacts` is the little the checks need to know of the events before, kept up to date one event
at a time so that saving an incident stays one small write however long the session has run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from examdesk.domain.casework import check_found_on
from examdesk.domain.clock import format_time
from examdesk.domain.errors import ValidationError
from examdesk.domain.plural import counted
from examdesk.domain.session_events import (
    AFTER_CLOSE_KINDS,
    COMMISSION_KINDS,
    GENESIS_HASH,
    KIND_LABELS,
    CandidateStatusPayload,
    Event,
    FoundIncidentPayload,
    IncidentPayload,
    Kind,
    LatePayload,
    Payload,
    ResumePayload,
    Unreadable,
    VoidPayload,
)
from examdesk.domain.session_state import late_arrival, leaving_refusal

FUTURE_TOLERANCE = timedelta(minutes=1)   # clocks of two PCs differ a little
EARLY_MARGIN = timedelta(hours=2)         # a receipt or incident may be dated this long before the planned start
# Registrations that belong to the session's own day and hours; a remark belongs there too while the
# session runs (after the close it may be added later), the commission's decisions and voids do not.
IN_SESSION = frozenset({Kind.RECEIPT, Kind.PRESENT, Kind.ABSENT, Kind.START, Kind.LATE, Kind.PAUSE, Kind.RESUME,
                        Kind.INCIDENT, Kind.CANDIDATE_STATUS, Kind.END, Kind.CLOSE})
NEEDS_START = frozenset({Kind.LATE, Kind.PAUSE, Kind.END, Kind.CLOSE, Kind.CANDIDATE_STATUS,
                         Kind.END_TIME_DECISION})
NOT_CORRECTABLE = frozenset({Kind.CLOSE, Kind.REOPEN, Kind.VOID})


@dataclass(frozen=True)
class SessionFrame:
    """What of the planned session the checks need."""

    session_id: str
    session_date: date
    planned_start: datetime
    late_limit_minutes: int
    roster_ids: frozenset[int]
    invigilators: frozenset[str]          # user names of the invigilators assigned to it
    owned: frozenset[str] = frozenset()   # incidents (original ids) the commission has decided on or closed

    @property
    def day_start(self) -> datetime:
        """Midnight at the start of the session's day, in the session's own time zone."""
        found = self.__dict__.get("_day_start")
        if found is None:
            found = datetime.combine(self.session_date, datetime.min.time(), tzinfo=self.planned_start.tzinfo)
            object.__setattr__(self, "_day_start", found)
        return found

    @property
    def day_end(self) -> datetime:
        found = self.__dict__.get("_day_end")
        if found is None:
            found = datetime.combine(self.session_date + timedelta(days=1), datetime.min.time(),
                                     tzinfo=self.planned_start.tzinfo)
            object.__setattr__(self, "_day_end", found)
        return found


@dataclass
class ChainFacts:
    """The facts of one session's record that the checks need, fed one event at a time in chain order."""

    seq: int = 0
    head: str = GENESIS_HASH                                       # the hash of the last event fed
    originals: dict[str, Event] = field(default_factory=dict)     # registrations (not corrections), by id
    latest: dict[str, Event] = field(default_factory=dict)        # original id → its latest correction or void
    root: dict[str, str] = field(default_factory=dict)            # correction id → original id
    by_kind: dict[str, list[str]] = field(default_factory=dict)   # kind → ids of its registrations
    closed: bool = False
    closed_at: datetime | None = None

    @classmethod
    def of(cls, events: Iterable[Event]) -> ChainFacts:
        facts = cls()
        for e in sorted(events, key=lambda ev: ev.seq):
            facts.add(e)
        return facts

    def add(self, e: Event) -> None:
        if e.seq >= self.seq:
            self.seq, self.head = e.seq, e.hash
        if e.corrects:
            origin = self.root.get(e.corrects, e.corrects)
            self.root[e.id] = origin
            self.latest[origin] = e
        else:
            self.originals[e.id] = e
            self.by_kind.setdefault(e.kind, []).append(e.id)
        if e.kind == Kind.CLOSE and not e.corrects:
            self.closed, self.closed_at = True, e.occurred
        elif e.kind == Kind.REOPEN:
            self.closed, self.closed_at = False, None

    def voided(self, original_id: str) -> bool:
        last = self.latest.get(original_id)
        return last is not None and last.kind == Kind.VOID

    def current(self, original_id: str) -> Event | None:
        """The registration as it now stands, or None when withdrawn or unknown."""
        if original_id not in self.originals or self.voided(original_id):
            return None
        return self.latest.get(original_id, self.originals[original_id])

    def standing(self, kind: Kind) -> list[Event]:
        return [c for c in (self.current(i) for i in self.by_kind.get(kind, ())) if c is not None]

    @property
    def started_at(self) -> datetime | None:
        starts = self.standing(Kind.START)
        return min(e.occurred for e in starts) if starts else None

    @property
    def receipt_at(self) -> datetime | None:
        receipts = self.standing(Kind.RECEIPT)
        return min(e.occurred for e in receipts) if receipts else None

    def resumed(self, pause_id: str) -> bool:
        return any(isinstance(e.payload, ResumePayload) and e.payload.pause_id == pause_id
                   for e in self.standing(Kind.RESUME))


def _names(payload: Payload) -> tuple[int, ...]:
    """The candidates a registration names."""
    ids = getattr(payload, "candidate_ids", None)
    if ids is not None:
        return ids
    one = getattr(payload, "candidate_id", None)
    return () if one is None else (one,)


def check_moment(frame: SessionFrame, facts: ChainFacts, kind: str, at: datetime, recorded: datetime,
                 what: str | None = None) -> datetime:
    """The time of a registration: not later than it was recorded; an in-session one on the session's day,
    from two hours before the planned start, and not after the close of a closed session."""
    what = what or f"De registratie '{KIND_LABELS.get(kind, kind)}'"
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    if at > recorded + FUTURE_TOLERANCE:
        raise ValidationError(f"{what} is gedateerd om {format_time(at)}, later dan nu ({format_time(recorded)}).")
    in_session = kind in IN_SESSION or (kind == Kind.REMARK and not facts.closed)
    if not in_session:
        return at
    begin = frame.planned_start - EARLY_MARGIN
    if at < begin or at < frame.day_start or at >= frame.day_end:
        raise ValidationError(
            f"{what} is gedateerd om {format_time(at)} op {at.strftime('%d-%m-%Y')}, buiten de afname "
            f"(vanaf {format_time(begin)} op {frame.session_date.strftime('%d-%m-%Y')}).")
    if facts.closed and facts.closed_at is not None and at > facts.closed_at:
        raise ValidationError(
            f"{what} is gedateerd om {format_time(at)}, na het afsluiten van de afname "
            f"({format_time(facts.closed_at)}).")
    return at


def check_new_event(frame: SessionFrame, facts: ChainFacts, payload: Payload, occurred: datetime,
                    recorded: datetime, username: str, corrects: str | None = None, *, exam_pc: bool = False,
                    commission: bool = False) -> None:
    """Refuses, with a Dutch sentence, a registration that this session's record cannot take now.
    `exam_pc`: it arrives in an exam PC's record; `commission`: a commission member writes it here."""
    if isinstance(payload, Unreadable):
        raise ValidationError(payload.reason)
    kind = payload.KIND
    label = KIND_LABELS[kind]
    by_commission = _by_commission(payload)
    if kind in COMMISSION_KINDS or by_commission:
        if exam_pc:
            raise ValidationError(f"'{label}' is een besluit van de examencommissie en kan niet in een afnameverslag "
                                  "van een examenpc staan.")
        if not commission:
            raise ValidationError(f"'{label}' kan alleen de examencommissie vastleggen.")
    elif commission and kind in (Kind.VOID, Kind.INCIDENT):
        raise ValidationError("Een correctie of intrekking door de examencommissie heeft een reden.")
    elif username not in frame.invigilators:
        raise ValidationError(f"'{label}' is vastgelegd door {username}, die geen surveillant van deze afname is.")

    check_moment(frame, facts, kind, occurred, recorded)
    if facts.closed and kind not in AFTER_CLOSE_KINDS and not (kind == Kind.INCIDENT and corrects):
        raise ValidationError(f"De afname is afgesloten: '{label}' kan niet meer worden toegevoegd.")
    if kind == Kind.REOPEN and not facts.closed:
        raise ValidationError("De afname is niet afgesloten en kan dus niet worden heropend.")

    unknown = [c for c in _names(payload) if c not in frame.roster_ids]
    if unknown:
        raise ValidationError(f"'{label}' noemt een kandidaat die niet in deze afname staat.")

    started = facts.started_at
    if kind in NEEDS_START:
        if started is None:
            raise ValidationError(f"'{label}' vóór de start van de afname: de afname is nog niet gestart.")
        if kind != Kind.END_TIME_DECISION and occurred < started:
            raise ValidationError(f"'{label}' om {format_time(occurred)} ligt vóór de start van de afname "
                                  f"({format_time(started)}).")
    if kind == Kind.START:
        receipt = facts.receipt_at
        if receipt is None:
            raise ValidationError("De afname start pas na de ontvangst van de exameninstrumenten.")
        if occurred < receipt:
            raise ValidationError(f"De starttijd {format_time(occurred)} ligt vóór de ontvangst van de instrumenten "
                                  f"({format_time(receipt)}).")
    if isinstance(payload, LatePayload) and started is not None:
        decision = late_arrival(started, occurred, frame.late_limit_minutes)
        if payload.admitted != decision.admitted or payload.limit_at != decision.limit:
            raise ValidationError(
                f"De aankomst om {format_time(occurred)} met toelatingsgrens {format_time(payload.limit_at)} klopt "
                f"niet met de start ({format_time(started)}) en de grens van {counted(frame.late_limit_minutes, 'minuut')}.")
    if isinstance(payload, CandidateStatusPayload) and started is not None:
        refusal = leaving_refusal(payload.status, started, frame.late_limit_minutes, occurred)
        if refusal:
            raise ValidationError(refusal)
    if isinstance(payload, ResumePayload):
        pause = facts.current(payload.pause_id)
        if pause is None or pause.kind != Kind.PAUSE:
            raise ValidationError("Het hervatten noemt een pauze die niet (meer) in deze afname staat.")
        if facts.resumed(payload.pause_id):
            raise ValidationError("Deze pauze is al hervat.")
        if occurred < pause.occurred:
            raise ValidationError(f"De hervattijd {format_time(occurred)} ligt vóór het begin van de pauze "
                                  f"({format_time(pause.occurred)}).")
    if isinstance(payload, FoundIncidentPayload):
        _check_found(frame, payload, occurred, recorded)
    _check_target(facts, kind, occurred, corrects)
    refusal = incident_owner(frame, facts, payload, corrects, by_commission)
    if refusal:
        raise ValidationError(refusal)


def _check_found(frame: SessionFrame, payload: FoundIncidentPayload, occurred: datetime, recorded: datetime) -> None:
    """An incident found afterwards came to light on or after the session's day and not after it was recorded;
    it is recorded (its moment) after the session began."""
    check_found_on(payload.found_date, frame.session_date, recorded.astimezone(frame.planned_start.tzinfo).date())
    if occurred < frame.day_start:
        raise ValidationError(f"Het achteraf vastgestelde incident is gedateerd op {occurred.strftime('%d-%m-%Y')}, "
                              f"vóór de afname ({frame.session_date.strftime('%d-%m-%Y')}).")


def _by_commission(payload: Payload) -> bool:
    """A withdrawal or correction of an incident that says it is the commission's."""
    if isinstance(payload, VoidPayload):
        return payload.commission
    return isinstance(payload, IncidentPayload) and payload.by_commission


def incident_owner(frame: SessionFrame, facts: ChainFacts, payload: Payload, corrects: str | None,
                   by_commission: bool) -> str:
    """Who may still withdraw or correct an incident — empty when this one may, else why not.

    The invigilator records what happened; once the examencommissie has decided on the incident (or closed
    it at the desk), or the session is closed, the case is the commission's: a withdrawal, or a correction
    that changes the category (a reclassification) or the candidates concerned, is then refused — in
    session mode and in an imported afnameverslag alike. After closing every correction is the commission's,
    with its reason, so it stands on the procesverbaal beside what it corrects."""
    target = facts.originals.get(corrects) if corrects else None
    if target is None or target.kind != Kind.INCIDENT or not isinstance(payload, VoidPayload | IncidentPayload):
        return ""
    if by_commission:
        return ""
    if facts.closed:
        return ("De afname is afgesloten: een incident corrigeren of intrekken is nu aan de examencommissie, met een "
                "reden.")
    if corrects not in frame.owned:
        return ""
    if isinstance(payload, VoidPayload):
        return ("De examencommissie heeft over dit incident besloten; alleen zij kan het nog intrekken, met een "
                "reden.")
    standing = facts.current(corrects)
    before = standing.payload if standing is not None else target.payload
    if isinstance(before, IncidentPayload) and (
            payload.category != before.category or payload.all_candidates != before.all_candidates
            or sorted(payload.candidate_ids) != sorted(before.candidate_ids)):
        return ("De examencommissie heeft over dit incident besloten; de categorie of de betrokken kandidaten "
                "wijzigen kan alleen zij nog, met een reden.")
    return ""


def _check_target(facts: ChainFacts, kind: Kind, occurred: datetime, corrects: str | None) -> None:
    if kind == Kind.VOID and not corrects:
        raise ValidationError("Een vervallenverklaring noemt niet welke registratie vervalt.")
    if not corrects:
        return
    target = facts.originals.get(corrects)
    if target is None:
        if corrects in facts.root:
            raise ValidationError("Corrigeer de oorspronkelijke registratie, niet een eerdere correctie.")
        raise ValidationError("Deze registratie bestaat niet in deze afname.")
    if facts.voided(corrects):
        raise ValidationError("Deze registratie is al vervallen verklaard.")
    if target.kind in NOT_CORRECTABLE:
        raise ValidationError("Afsluiten en heropenen kunnen niet vervallen worden verklaard of gecorrigeerd.")
    if kind == Kind.VOID:
        if occurred < target.occurred:
            raise ValidationError("Een registratie kan niet vervallen worden verklaard vóór het moment waarop zij "
                                  "gebeurde.")
        if target.kind == Kind.PAUSE and facts.resumed(corrects):
            raise ValidationError("Verklaar eerst het hervatten van deze pauze vervallen.")
    elif target.kind != kind:
        raise ValidationError("Deze registratie is van een andere soort.")
