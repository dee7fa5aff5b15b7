"""Sessions (afnames): planning rules, and the state of a running session folded from its events.
(Over 400 lines: the planning part and the fold of the record, which a later split may separate.)

The state is never stored: it is recomputed from the append-only events, so a crash can lose
nothing that was saved and a correction changes what the screens show without overwriting anything.
The statuses, who took part and the admission limit are `domain/session_state.py`'s; what a new
event must mean is `domain/event_checks.py`'s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from examdesk.domain.candidates import accommodations_label
from examdesk.domain.casework import found_line
from examdesk.domain.clock import AMSTERDAM, format_date, format_time
from examdesk.domain.collation import by_sort_name
from examdesk.domain.errors import ValidationError
from examdesk.domain.plural import counted
from examdesk.domain.session_events import (
    AFTER_CLOSE_KINDS,
    KIND_LABELS,
    AbsentPayload,
    CandidateStatusPayload,
    ClosePayload,
    ClosingSummary,
    EndTimeDecisionPayload,
    Event,
    FoundIncidentPayload,
    IncidentPayload,
    Kind,
    LatePayload,
    PausePayload,
    PresentPayload,
    ReceiptPayload,
    RemarkPayload,
    ReopenPayload,
    ResumePayload,
    Unreadable,
    VoidPayload,
)
from examdesk.domain.session_state import (
    ADMISSION_LIMIT_MAX,
    AT_WORK,
    STOPPED,
    CandidateStatus,
    SessionAction,
    SessionFacts,
    SessionStatus,
    took_part,
    why_not,
)

EXAM_KINDS: dict[str, str] = {"instelling": "instellingsexamen", "centraal": "centraal examen"}
CENTRAL_EXAMS: dict[str, str] = {
    "Ned2F": "Nederlands 2F", "Ned3F": "Nederlands 3F", "Rek2F": "Rekenen 2F", "Rek3F": "Rekenen 3F",
}
LATE_LIMIT_MAX = ADMISSION_LIMIT_MAX


# --- planning ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RosterEntry:
    """A candidate as planned into one session (extra time as granted for this session)."""

    candidate_id: int
    workstation: int
    student_number: str
    name: str
    sort_name: str
    extra_minutes: int
    facilities: tuple[str, ...] = ()
    facility_other: str = ""
    birth_date: date | None = None
    target_group: str = "regulier"

    @property
    def accommodations(self) -> str:
        return accommodations_label(self.extra_minutes, self.facilities, self.facility_other)


@dataclass(frozen=True)
class SessionPlan:
    id: str
    exam_kind: str
    title: str
    session_date: date
    starts_at: datetime
    duration_minutes: int
    room_id: int
    room_label: str
    late_limit_minutes: int
    status: SessionStatus = SessionStatus.GEPLAND
    variant: str = ""
    period: str = ""
    instrument_id: str | None = None
    central_exam: str | None = None
    invigilators: tuple[tuple[int, str], ...] = ()
    candidate_count: int = 0

    @property
    def planned_end(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def kind_label(self) -> str:
        return EXAM_KINDS[self.exam_kind]

    @property
    def header(self) -> str:
        """'Nederlands 3F · variant B · lokaal B2.14'."""
        parts = [self.title]
        if self.variant:
            parts.append(f"variant {self.variant}")
        parts.append(self.room_label)
        return " · ".join(parts)

    @property
    def invigilator_names(self) -> str:
        return ", ".join(name for _, name in self.invigilators)


@dataclass(frozen=True)
class PlanDraft:
    """What the examenbureau fills in; checked by `check_draft` and the service."""

    exam_kind: str
    session_date: date
    start: time
    duration_minutes: int
    room_id: int
    late_limit_minutes: int
    title: str = ""
    instrument_id: str | None = None
    central_exam: str | None = None
    variant: str = ""
    period: str = ""
    invigilator_ids: tuple[int, ...] = ()
    # candidate id → workstation number, or None to assign one automatically
    candidates: tuple[tuple[int, int | None], ...] = ()

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.session_date, self.start, tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class SessionFilter:
    """What the Afnames list is narrowed to."""

    date_from: str = ""     # ISO date, inclusive
    date_to: str = ""
    status: str = ""
    text: str = ""
    invigilator_id: int | None = None


def duration_between(start: time, end: time) -> int:
    """Minutes from start to end on one day; an end before the start is refused."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        raise ValidationError(
            f"De eindtijd {end.strftime('%H:%M')} ligt niet na de begintijd {start.strftime('%H:%M')}."
        )
    return minutes


def check_draft(d: PlanDraft) -> PlanDraft:
    if d.exam_kind not in EXAM_KINDS:
        raise ValidationError(f"Onbekende soort examen '{d.exam_kind}'.")
    if d.exam_kind == "centraal":
        if d.central_exam not in CENTRAL_EXAMS:
            raise ValidationError("Kies het centrale examen: Ned2F, Ned3F, Rek2F of Rek3F.")
        if d.instrument_id:
            raise ValidationError("Een centraal examen gebruikt geen instrument uit het register.")
        if not d.period.strip():
            raise ValidationError("Vul de afnameperiode van het centrale examen in.")
    else:
        if not d.instrument_id:
            raise ValidationError("Kies het exameninstrument uit het register.")
        if d.central_exam:
            raise ValidationError("Een instellingsexamen heeft geen centrale examencode.")
    if not 1 <= d.duration_minutes <= 600:
        raise ValidationError("De duur van de afname moet tussen 1 en 600 minuten liggen.")
    end_minutes = d.start.hour * 60 + d.start.minute + d.duration_minutes
    if end_minutes > 24 * 60:
        raise ValidationError("De afname moet op dezelfde dag eindigen: de eindtijd ligt na middernacht.")
    if not 0 <= d.late_limit_minutes <= LATE_LIMIT_MAX:
        raise ValidationError(
            f"De toelatingsgrens voor te laat komen is hoogstens {LATE_LIMIT_MAX} minuten na de start "
            "(examenprotocol, punt 13)."
        )
    if not d.invigilator_ids:
        raise ValidationError("Wijs minstens één surveillant toe.")
    ids = [c for c, _ in d.candidates]
    if len(set(ids)) != len(ids):
        raise ValidationError("Een kandidaat staat twee keer in de afname.")
    return replace(d, variant=d.variant.strip(), period=d.period.strip(), title=d.title.strip())


def assign_workstations(wanted: Iterable[tuple[int, int | None]], capacity: int, room_label: str,
                        names: dict[int, str]) -> dict[int, int]:
    """Keeps the numbers given, gives the others the lowest free numbers; refuses doubles and overflow."""
    wanted = list(wanted)
    taken: dict[int, int] = {}
    for candidate_id, number in wanted:
        if number is None:
            continue
        if not 1 <= number <= capacity:
            raise ValidationError(
                f"{room_label} heeft {capacity} werkplekken; werkplek {number} voor {names.get(candidate_id, '?')} "
                "bestaat daar niet."
            )
        if number in taken:
            raise ValidationError(
                f"Werkplek {number} is twee keer gebruikt ({names.get(taken[number], '?')} en "
                f"{names.get(candidate_id, '?')})."
            )
        taken[number] = candidate_id
    if len(wanted) > capacity:
        raise ValidationError(
            f"{counted(len(wanted), 'kandidaat')} passen niet in {room_label}: daar zijn {counted(capacity, 'werkplek')}."
        )
    result = {cid: number for number, cid in taken.items()}
    free = (n for n in range(1, capacity + 1) if n not in taken)
    for candidate_id, number in wanted:
        if number is None:
            result[candidate_id] = next(free)
    return result


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


# --- the running session ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Pause:
    id: str
    started: datetime
    ended: datetime | None
    candidate_ids: tuple[int, ...]
    reason: str

    def lost_minutes(self, now: datetime) -> int:
        """Whole minutes, rounded up: a candidate never loses a part of a minute."""
        seconds = ((self.ended or now) - self.started).total_seconds()
        return max(0, math.ceil(seconds / 60))


@dataclass(frozen=True)
class Passage:
    """What happened to one candidate during the session, in the order it happened — not only the status
    now: a latecomer who later handed in still came late, a candidate unwell who went on was still unwell
    (examenprotocol point 11b: "welke deelnemers afwezig waren, te laat zijn gekomen of onwel zijn geworden")."""

    late_at: datetime | None = None          # admitted after the start, within the limit
    refused_at: datetime | None = None       # arrived after the limit
    unwell_at: datetime | None = None        # first became unwell
    back_at: datetime | None = None          # back at work after being unwell (e.g. after quarantine, point 17)
    left_at: datetime | None = None          # left without finishing
    handed_in_at: datetime | None = None


@dataclass(frozen=True)
class CandidateState:
    entry: RosterEntry
    status: CandidateStatus = CandidateStatus.VERWACHT
    status_at: datetime | None = None
    disruption_minutes: int = 0
    decision_minutes: int = 0
    end_time: datetime | None = None
    paused: bool = False
    passage: Passage = field(default_factory=Passage)

    @property
    def stopped(self) -> bool:
        """Unwell or left without finishing: no end time applies to them any more."""
        return self.status in STOPPED

    @property
    def candidate_id(self) -> int:
        return self.entry.candidate_id

    @property
    def status_label(self) -> str:
        at = format_time(self.status_at) if self.status_at else ""
        if self.status == CandidateStatus.TE_LAAT:
            return f"te laat binnen om {at}"
        if self.status == CandidateStatus.GEWEIGERD:
            return f"geweigerd {at} (te laat)"
        if self.status == CandidateStatus.VERTROKKEN:
            return f"vertrokken om {at}"
        if self.status in (CandidateStatus.ONWEL, CandidateStatus.INGELEVERD) and at:
            return f"{self.status} {at}"
        if self.paused:
            return "gepauzeerd"
        return CandidateStatus(self.status).label

    @property
    def at_work(self) -> bool:
        return self.status in AT_WORK

    @property
    def took_part(self) -> bool:
        return took_part(self.status)


@dataclass(frozen=True)
class LogLine:
    event_id: str
    at: datetime
    kind: str
    text: str
    username: str
    corrected: bool = False
    voided: bool = False


@dataclass(frozen=True)
class SessionState:
    plan: SessionPlan
    candidates: tuple[CandidateState, ...]
    receipt: ReceiptPayload | None = None
    receipt_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    closed_at: datetime | None = None
    closed: bool = False
    pauses: tuple[Pause, ...] = ()
    log: tuple[LogLine, ...] = ()
    incidents: tuple[Event, ...] = ()
    remarks: tuple[Event, ...] = ()
    staff: tuple[str, ...] = ()
    effective: dict[str, Event] = field(default_factory=dict)
    now: datetime | None = None

    @property
    def open_pauses(self) -> tuple[Pause, ...]:
        return tuple(p for p in self.pauses if p.ended is None)

    @property
    def base_end(self) -> datetime | None:
        return self.started_at + timedelta(minutes=self.plan.duration_minutes) if self.started_at else None

    @property
    def late_limit(self) -> datetime | None:
        return self.started_at + timedelta(minutes=self.plan.late_limit_minutes) if self.started_at else None

    @property
    def took_part(self) -> tuple[CandidateState, ...]:
        """Deelgenomen: the candidates who came and were admitted (`session_state.took_part`)."""
        return tuple(c for c in self.candidates if c.took_part)

    def count(self, status: CandidateStatus) -> int:
        return sum(1 for c in self.candidates if c.status == status)

    @property
    def step(self) -> str:
        """The next step: ontvangst → aanwezigheid → start → bezig → einde → afsluiten → afgesloten."""
        if self.closed:
            return "afgesloten"
        if self.receipt is None:
            return "ontvangst"
        if self.started_at is None:
            return "aanwezigheid"
        if self.ended_at is None:
            return "bezig"
        return "afsluiten"

    def at(self, now: datetime) -> SessionState:
        """The same state a little later: only the end times of candidates in a running pause move.
        What session mode's clock tick uses instead of folding every event again."""
        if not self.open_pauses or self.now is None:
            return replace(self, now=now)
        moved = []
        for c in self.candidates:
            if c.paused and c.end_time is not None:
                mine = [p for p in self.open_pauses if c.candidate_id in p.candidate_ids]
                delta = sum(p.lost_minutes(now) - p.lost_minutes(self.now) for p in mine)
                c = replace(c, end_time=c.end_time + timedelta(minutes=delta),
                            disruption_minutes=c.disruption_minutes + delta)
            moved.append(c)
        return replace(self, candidates=tuple(moved), now=now)

    def candidate(self, candidate_id: int) -> CandidateState:
        for c in self.candidates:
            if c.candidate_id == candidate_id:
                return c
        raise ValidationError("Deze kandidaat staat niet in deze afname.")


def still_working(state: SessionState, at: datetime) -> tuple[CandidateState, ...]:
    """The candidates at work whose own end time (extra time and pauses included) is after `at`: ending
    the session at `at` cuts their time short."""
    return tuple(c for c in state.candidates if c.at_work and c.end_time is not None and c.end_time > at)


def effective_events(events: list[Event]) -> tuple[dict[str, Event], set[str], set[str]]:
    """original id → the event as it now stands (its latest correction), plus the ids that were
    corrected and those that were withdrawn (void)."""
    root: dict[str, str] = {}
    latest: dict[str, Event] = {}
    for e in sorted(events, key=lambda ev: ev.seq):
        if e.corrects:
            origin = root.get(e.corrects, e.corrects)
            root[e.id] = origin
            latest[origin] = e
    current: dict[str, Event] = {}
    corrected: set[str] = set()
    voided: set[str] = set()
    for e in sorted(events, key=lambda ev: ev.seq):
        if e.corrects:
            continue
        replacement = latest.get(e.id)
        if replacement is None:
            current[e.id] = e
        elif replacement.kind == Kind.VOID:
            voided.add(e.id)
        else:
            corrected.add(e.id)
            current[e.id] = replacement
    return current, corrected, voided


def ran_times(events: Iterable[Event]) -> dict[str, tuple[datetime, datetime | None]]:
    """session id → (actual start, actual end or None while running), from the start and end
    registrations as they now stand (corrected or withdrawn): what a list shows once a session ran."""
    by_session: dict[str, list[Event]] = {}
    for e in events:
        by_session.setdefault(e.session_id, []).append(e)
    times: dict[str, tuple[datetime, datetime | None]] = {}
    for session_id, chain in by_session.items():
        current, _corrected, _voided = effective_events(chain)
        starts = [e.occurred for e in current.values() if e.kind == Kind.START]
        ends = [e.occurred for e in current.values() if e.kind == Kind.END]
        if starts:
            times[session_id] = (starts[-1], ends[-1] if ends else None)
    return times


def status_after(events: Iterable[Event], current: SessionStatus | str) -> SessionStatus:
    """A session's status once these events are known: the last close or reopen in chain order
    decides; a session with events has begun; a cancelled session stays cancelled."""
    current = SessionStatus(current)
    ordered = sorted(events, key=lambda e: e.seq)
    if current == SessionStatus.GEANNULEERD or not ordered:
        return current
    closed = False
    for e in ordered:
        if e.kind == Kind.CLOSE and not e.corrects:
            closed = True
        elif e.kind == Kind.REOPEN:
            closed = False
    return SessionStatus.AFGESLOTEN if closed else SessionStatus.BEZIG


def may_record(status: SessionStatus | str, kind: str) -> str:
    """Empty when an event of this kind may be appended to a session with this status, else why not:
    a closed session only grows by remarks, corrections and the commission's decisions."""
    status = SessionStatus(status)
    if status == SessionStatus.AFGESLOTEN and kind in AFTER_CLOSE_KINDS:
        return ""
    return why_not(SessionFacts(status, True), SessionAction.RECORD)


def _names(ids: Iterable[int], roster: dict[int, RosterEntry]) -> str:
    return ", ".join(e.name for e in by_sort_name(roster[i] for i in ids if i in roster))


def _remark(text: str) -> str:
    return f" — {text}" if text else ""


def describe(e: Event, roster: dict[int, RosterEntry], category_names: dict[str, str]) -> str:
    """One line of the session log, in Dutch."""
    p = e.payload
    match p:
        case ReceiptPayload():
            state = "intact" if p.intact else "NIET intact"
            return f"Ontvangst exameninstrumenten door {p.received_by}: {state}" + _remark(p.remark)
        case PresentPayload():
            checked = "" if p.identity_checked else " (identiteit niet gecontroleerd)"
            if len(p.candidate_ids) > 3:
                return f"Aanwezig: {counted(len(p.candidate_ids), 'kandidaat')}{checked}"
            return f"Aanwezig: {_names(p.candidate_ids, roster)}{checked}"
        case AbsentPayload():
            reason = {True: " (met geldige reden)", False: " (zonder geldige reden)"}.get(p.valid_reason, "")
            return f"Afwezig: {_names((p.candidate_id,), roster)}{reason}" + _remark(p.remark)
        case LatePayload():
            name = _names((p.candidate_id,), roster)
            if p.admitted:
                return f"Te laat binnen: {name} (eindtijd blijft gelijk, protocol 14)"
            return f"Te laat na de toelatingsgrens: {name} geweigerd"
        case PausePayload():
            scope = "alle kandidaten" if p.candidate_ids is None else _names(p.candidate_ids, roster)
            return f"Pauze voor {scope}" + (f": {p.reason}" if p.reason else "")
        case ResumePayload():
            return f"Hervat (+{p.minutes} min)"
        case FoundIncidentPayload():
            label = category_names.get(p.category, p.category)
            scope = "alle kandidaten" if p.all_candidates else _names(p.candidate_ids, roster)
            text = f"{label} ({found_line(p.found_date, p.found_how, p.reported_by)})"
            text += (f" — {scope}" if scope else "") + f": {p.what_happened}"
            return text + (f" (gecorrigeerd door de examencommissie: {p.correction_reason})" if p.by_commission else "")
        case IncidentPayload():
            label = category_names.get(p.category, p.category)
            head = f"{label} ({p.point})" if p.point else label
            scope = "alle kandidaten" if p.all_candidates else _names(p.candidate_ids, roster)
            text = head + (f" — {scope}" if scope else "")
            text += f": {p.what_happened}" if p.what_happened else ""
            return text + (f" (gecorrigeerd door de examencommissie: {p.correction_reason})" if p.by_commission else "")
        case CandidateStatusPayload():
            label = {"aanwezig": "weer aan het werk"}.get(p.status, p.status)
            return f"{_names((p.candidate_id,), roster)}: {label}" + _remark(p.remark)
        case RemarkPayload():
            return f"Opmerking: {p.text}"
        case ReopenPayload():
            return f"Heropend door de examencommissie: {p.reason}"
        case EndTimeDecisionPayload():
            return (f"Eindtijd {_names((p.candidate_id,), roster)} +{p.minutes} min (besluit examencommissie): "
                    f"{p.reason}")
        case VoidPayload():
            if p.commission:
                return f"Ingetrokken door de examencommissie: {p.reason}"
            return f"Vervallen verklaard: {p.reason}"
        case Unreadable():
            return f"Onleesbare registratie ({e.kind}): {p.reason}"
    return {Kind.START: "Afname gestart", Kind.END: "Einde afname", Kind.CLOSE: "Afname afgesloten"}.get(
        e.kind, KIND_LABELS.get(e.kind, e.kind))


def fold(plan: SessionPlan, roster: list[RosterEntry], events: list[Event], now: datetime,
         category_names: dict[str, str] | None = None, category_status: dict[str, str] | None = None,
         ) -> SessionState:
    """The session as it stands at `now`, computed from its events."""
    category_names = category_names or {}
    category_status = category_status or {}
    by_candidate = {r.candidate_id: r for r in roster}
    current, corrected, voided = effective_events(events)
    originals = {e.id: e for e in events}

    status: dict[int, tuple[CandidateStatus, datetime | None]] = {
        r.candidate_id: (CandidateStatus.VERWACHT, None) for r in roster}
    passage: dict[int, dict[str, datetime]] = {r.candidate_id: {} for r in roster}

    def went(cid: int, new: CandidateStatus, at: datetime) -> None:
        """The status moves on; what it means for the candidate's passage is kept (the first time of each)."""
        before = status[cid][0]
        status[cid] = (new, at)
        seen = passage[cid]
        key = {CandidateStatus.TE_LAAT: "late_at", CandidateStatus.GEWEIGERD: "refused_at",
               CandidateStatus.ONWEL: "unwell_at", CandidateStatus.VERTROKKEN: "left_at",
               CandidateStatus.INGELEVERD: "handed_in_at"}.get(new)
        if key:
            seen.setdefault(key, at)
        elif new == CandidateStatus.AANWEZIG and before == CandidateStatus.ONWEL:
            seen["back_at"] = at
    decisions: dict[int, int] = dict.fromkeys(by_candidate, 0)
    pauses: dict[str, Pause] = {}
    receipt: ReceiptPayload | None = None
    receipt_at = started_at = ended_at = None
    incidents: list[Event] = []
    remarks: list[Event] = []

    ordered = sorted(current.items(), key=lambda item: (item[1].occurred, originals[item[0]].seq))
    for origin_id, e in ordered:
        p = e.payload
        at = e.occurred
        match p:
            case ReceiptPayload():
                receipt, receipt_at = p, at
            case PresentPayload():
                for cid in p.candidate_ids:
                    if cid in status:
                        status[cid] = (CandidateStatus.AANWEZIG, at)
            case AbsentPayload():
                if p.candidate_id in status:
                    status[p.candidate_id] = (CandidateStatus.AFWEZIG, at)
            case LatePayload():
                if p.candidate_id in status:
                    went(p.candidate_id, CandidateStatus.TE_LAAT if p.admitted else CandidateStatus.GEWEIGERD, at)
            case PausePayload():
                ids = p.candidate_ids
                if ids is None:
                    ids = tuple(cid for cid, (s, _) in status.items() if s in AT_WORK)
                pauses[origin_id] = Pause(origin_id, at, None, tuple(ids), p.reason)
            case ResumePayload():
                pause = pauses.get(p.pause_id)
                if pause is not None and pause.ended is None:
                    pauses[p.pause_id] = replace(pause, ended=max(at, pause.started))
            case IncidentPayload():
                incidents.append(e)
                new_status = category_status.get(p.category)
                if new_status and e.kind == Kind.INCIDENT:      # one found afterwards changes no one's status
                    ids = list(status) if p.all_candidates else p.candidate_ids
                    for cid in ids:
                        if cid in status and status[cid][0] in AT_WORK:
                            went(cid, CandidateStatus(new_status), at)
            case CandidateStatusPayload():
                if p.candidate_id in status:
                    went(p.candidate_id, CandidateStatus(p.status), at)
            case RemarkPayload():
                remarks.append(e)
            case EndTimeDecisionPayload():
                if p.candidate_id in decisions:
                    decisions[p.candidate_id] += p.minutes
            case _:
                if e.kind == Kind.START:
                    started_at = at
                elif e.kind == Kind.END:
                    ended_at = at

    # close / reopen follow the order they were recorded in
    closed, closed_at = False, None
    for e in sorted(events, key=lambda ev: ev.seq):
        if isinstance(e.payload, ClosePayload) and not e.corrects:
            closed, closed_at = True, e.occurred
        elif isinstance(e.payload, ReopenPayload):
            closed, closed_at = False, None

    base_end = started_at + timedelta(minutes=plan.duration_minutes) if started_at else None
    pause_list = tuple(sorted(pauses.values(), key=lambda p: p.started))
    states: list[CandidateState] = []
    for entry in sorted(roster, key=lambda r: r.workstation):
        cid = entry.candidate_id
        s, s_at = status[cid]
        mine = [p for p in pause_list if cid in p.candidate_ids]
        lost = sum(p.lost_minutes(now) for p in mine)
        paused = any(p.ended is None for p in mine)
        end_time = None
        if base_end is not None and s in AT_WORK:
            end_time = base_end + timedelta(minutes=entry.extra_minutes + lost + decisions[cid])
        states.append(CandidateState(entry, s, s_at, lost, decisions[cid], end_time, paused and s in AT_WORK,
                                     Passage(**passage[cid])))

    log: list[LogLine] = []
    for e in events:
        if e.corrects:
            continue
        shown = current.get(e.id, e)
        log.append(LogLine(e.id, shown.occurred, shown.kind, describe(shown, by_candidate, category_names),
                           shown.username, e.id in corrected, e.id in voided))
    log.sort(key=lambda line: line.at, reverse=True)
    staff = tuple(dict.fromkeys([name for _, name in plan.invigilators]))
    return SessionState(
        plan=plan, candidates=tuple(states), receipt=receipt, receipt_at=receipt_at, started_at=started_at,
        ended_at=ended_at, closed_at=closed_at, closed=closed, pauses=pause_list, log=tuple(log),
        incidents=tuple(incidents), remarks=tuple(remarks), staff=staff, effective=current, now=now,
    )


@dataclass(frozen=True)
class Attendance:
    """Who was absent, came late, was refused, became unwell, left or handed in — examenprotocol point 11b —
    computed once from the candidates' passage, so every count and every list on the closing summary and the
    procesverbaal says the same (a candidate unwell who went on after quarantine is still counted unwell)."""

    planned: tuple[CandidateState, ...]
    took_part: tuple[CandidateState, ...]
    absent: tuple[CandidateState, ...]          # recorded absent (or still expected at the close)
    still_expected: tuple[CandidateState, ...]  # a running session: may yet come
    late: tuple[CandidateState, ...]            # admitted after the start
    refused: tuple[CandidateState, ...]
    unwell: tuple[CandidateState, ...]
    left: tuple[CandidateState, ...]
    handed_in: tuple[CandidateState, ...]

    def counts(self) -> dict[str, int]:
        return {"gepland": len(self.planned), "deelgenomen": len(self.took_part), "afwezig": len(self.absent),
                "nog_verwacht": len(self.still_expected), "te_laat_toegelaten": len(self.late),
                "geweigerd": len(self.refused), "onwel": len(self.unwell), "vertrokken": len(self.left),
                "ingeleverd": len(self.handed_in)}


def attendance(state: SessionState) -> Attendance:
    """The one place the procesverbaal's and the closing summary's attendance comes from."""
    cs = state.candidates

    def having(attr: str) -> tuple[CandidateState, ...]:
        return tuple(sorted((c for c in cs if getattr(c.passage, attr) is not None),
                            key=lambda c: (getattr(c.passage, attr), c.entry.workstation)))

    return Attendance(
        planned=cs, took_part=state.took_part,
        absent=tuple(c for c in cs if c.status == CandidateStatus.AFWEZIG),
        still_expected=tuple(c for c in cs if c.status == CandidateStatus.VERWACHT),
        late=having("late_at"), refused=having("refused_at"), unwell=having("unwell_at"), left=having("left_at"),
        handed_in=having("handed_in_at"))


def closing_summary(state: SessionState, category_names: dict[str, str]) -> ClosingSummary:
    """What the procesverbaal needs (examenprotocol point 11): absent, late, unwell, particulars,
    facilities granted, and the staff — the lists from `attendance`, as the procesverbaal counts them."""
    who = attendance(state)
    took = state.took_part
    incidents = []
    for e in state.incidents:
        code = e.payload.category if isinstance(e.payload, IncidentPayload) else ""
        incidents.append(f"{format_time(e.occurred)} {category_names.get(code, code)}")
    return ClosingSummary(
        planned=len(state.candidates),
        took_part=len(took),
        absent=tuple(c.entry.name for c in (*who.absent, *who.still_expected)),
        late=tuple(f"{c.entry.name} ({format_time(c.passage.late_at)})" for c in who.late),
        refused=tuple(c.entry.name for c in who.refused),
        unwell=tuple(c.entry.name for c in who.unwell),
        left=tuple(c.entry.name for c in who.left),
        incidents=tuple(incidents),
        disruptions=tuple(
            f"{format_time(p.started)}–{format_time(p.ended) if p.ended else '…'} (+{p.lost_minutes(p.ended or p.started)}"
            f" min, {counted(len(p.candidate_ids), 'kandidaat')}){': ' + p.reason if p.reason else ''}"
            for p in state.pauses),
        facilities=tuple(f"{c.entry.name}: {c.entry.accommodations}" for c in took if c.entry.accommodations),
        staff=tuple(state.staff),
        started_at=format_time(state.started_at) if state.started_at else "",
        ended_at=format_time(state.ended_at) if state.ended_at else "",
        date=format_date(state.plan.session_date),
    )


@dataclass(frozen=True)
class IncidentInput:
    """What the incident form holds."""

    category: str
    occurred_at: datetime | None = None
    candidate_ids: tuple[int, ...] = ()
    all_candidates: bool = False
    duration_minutes: int | None = None
    what_happened: str = ""
    what_was_done: str = ""

    @classmethod
    def of(cls, p: IncidentPayload, occurred_at: datetime | None = None) -> IncidentInput:
        """The form filled with a recorded incident, to correct it."""
        return cls(p.category, occurred_at, p.candidate_ids, p.all_candidates, p.duration_minutes, p.what_happened,
                   p.what_was_done)


def check_incident(i: IncidentInput, roster_ids: set[int], sets_status: str | None) -> IncidentInput:
    if not i.category:
        raise ValidationError("Kies een categorie voor het incident.")
    unknown = [c for c in i.candidate_ids if c not in roster_ids]
    if unknown:
        raise ValidationError("Een gekozen kandidaat staat niet in deze afname.")
    if i.duration_minutes is not None and not 0 <= i.duration_minutes <= 600:
        raise ValidationError("De duur van het incident moet tussen 0 en 600 minuten liggen.")
    if not i.what_happened.strip():
        raise ValidationError("Beschrijf kort wat er gebeurde.")
    if sets_status and not i.all_candidates and not i.candidate_ids:
        raise ValidationError("Kies de kandidaat of kandidaten om wie het gaat.")
    ids = () if i.all_candidates else tuple(dict.fromkeys(i.candidate_ids))
    return replace(i, candidate_ids=ids, what_happened=i.what_happened.strip(), what_was_done=i.what_was_done.strip())
