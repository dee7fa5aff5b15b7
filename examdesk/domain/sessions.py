"""Sessions (afnames): planning rules, and the state of a running session folded from its events.

The state is never stored: it is recomputed from the append-only events, so a crash can lose
nothing that was saved and a correction changes what the screens show without overwriting anything.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from examdesk.domain.candidates import accommodations_label
from examdesk.domain.clock import AMSTERDAM, format_date, format_time
from examdesk.domain.errors import ValidationError
from examdesk.domain.session_events import KIND_LABELS, Event, Kind

EXAM_KINDS: dict[str, str] = {"instelling": "instellingsexamen", "centraal": "centraal examen"}
CENTRAL_EXAMS: dict[str, str] = {
    "Ned2F": "Nederlands 2F", "Ned3F": "Nederlands 3F", "Rek2F": "Rekenen 2F", "Rek3F": "Rekenen 3F",
}
STATUS_LABELS: dict[str, str] = {
    "gepland": "gepland", "bezig": "bezig", "afgesloten": "afgesloten", "geannuleerd": "geannuleerd",
}
LATE_LIMIT_MAX = 30
INCIDENT_MARGIN = timedelta(minutes=60)   # an incident may be dated this long before the planned start
FUTURE_TOLERANCE = timedelta(minutes=1)   # clocks of two PCs differ a little


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
    status: str = "gepland"
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
            f"{len(wanted)} kandidaten passen niet in {room_label}: daar zijn {capacity} werkplekken."
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

CANDIDATE_STATUS_LABELS: dict[str, str] = {
    "verwacht": "verwacht", "aanwezig": "aanwezig", "te_laat": "te laat", "geweigerd": "geweigerd",
    "afwezig": "afwezig", "onwel": "onwel", "vertrokken": "vertrokken", "ingeleverd": "ingeleverd",
}
_AT_WORK = ("aanwezig", "te_laat")


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
class CandidateState:
    entry: RosterEntry
    status: str = "verwacht"
    status_at: datetime | None = None
    disruption_minutes: int = 0
    decision_minutes: int = 0
    end_time: datetime | None = None
    paused: bool = False

    @property
    def candidate_id(self) -> int:
        return self.entry.candidate_id

    @property
    def status_label(self) -> str:
        at = format_time(self.status_at) if self.status_at else ""
        if self.status == "te_laat":
            return f"te laat binnen om {at}"
        if self.status == "geweigerd":
            return f"geweigerd {at} (te laat)"
        if self.status == "vertrokken":
            return f"vertrokken om {at}"
        if self.status in ("onwel", "ingeleverd") and at:
            return f"{self.status} {at}"
        if self.paused:
            return "gepauzeerd"
        return CANDIDATE_STATUS_LABELS[self.status]

    @property
    def at_work(self) -> bool:
        return self.status in _AT_WORK


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
    receipt: dict[str, Any] | None = None
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

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """The span an incident may be dated in: from an hour before the planned start (or the
        receipt, when earlier) up to the close (or now)."""
        begin = self.plan.starts_at - INCIDENT_MARGIN
        if self.receipt_at and self.receipt_at < begin:
            begin = self.receipt_at
        end = self.closed_at if self.closed and self.closed_at else now + FUTURE_TOLERANCE
        return begin, end


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


def _names(ids: Iterable[int], roster: dict[int, RosterEntry]) -> str:
    names = [roster[i].name for i in ids if i in roster]
    return ", ".join(names)


def describe(e: Event, roster: dict[int, RosterEntry], category_names: dict[str, str]) -> str:
    """One line of the session log, in Dutch."""
    d = e.data
    who = roster.get(d.get("candidate_id", -1))
    name = who.name if who else ""
    if e.kind == Kind.RECEIPT:
        state = "intact" if d.get("intact") else "NIET intact"
        text = f"Ontvangst exameninstrumenten door {d.get('received_by', '')}: {state}"
        return text + (f" — {d['remark']}" if d.get("remark") else "")
    if e.kind == Kind.PRESENT:
        ids = d.get("candidate_ids", [])
        checked = "" if d.get("identity_checked", True) else " (identiteit niet gecontroleerd)"
        if len(ids) > 3:
            return f"Aanwezig: {len(ids)} kandidaten{checked}"
        return f"Aanwezig: {_names(ids, roster)}{checked}"
    if e.kind == Kind.ABSENT:
        reason = {True: " (met geldige reden)", False: " (zonder geldige reden)"}.get(d.get("valid_reason"), "")
        return f"Afwezig: {name}{reason}" + (f" — {d['remark']}" if d.get("remark") else "")
    if e.kind == Kind.START:
        return "Afname gestart"
    if e.kind == Kind.LATE:
        if d.get("admitted"):
            return f"Te laat binnen: {name} (eindtijd blijft gelijk, protocol 14)"
        return f"Te laat na de toelatingsgrens: {name} geweigerd"
    if e.kind == Kind.PAUSE:
        ids = d.get("candidate_ids")
        scope = "alle kandidaten" if ids is None else _names(ids, roster)
        return f"Pauze voor {scope}" + (f": {d['reason']}" if d.get("reason") else "")
    if e.kind == Kind.RESUME:
        minutes = d.get("minutes")
        return "Hervat" + (f" (+{minutes} min)" if minutes is not None else "")
    if e.kind == Kind.INCIDENT:
        label = category_names.get(d.get("category", ""), d.get("category", ""))
        point = d.get("route", {}).get("protocol_point")
        head = f"{label} ({point})" if point else label
        if d.get("all_candidates"):
            scope = "alle kandidaten"
        else:
            scope = _names(d.get("candidate_ids", []), roster)
        text = head + (f" — {scope}" if scope else "")
        if d.get("what_happened"):
            text += f": {d['what_happened']}"
        return text
    if e.kind == Kind.CANDIDATE_STATUS:
        status = d.get("status", "")
        label = {"aanwezig": "weer aan het werk"}.get(status, status)
        return f"{name}: {label}" + (f" — {d['remark']}" if d.get("remark") else "")
    if e.kind == Kind.REMARK:
        return f"Opmerking: {d.get('text', '')}"
    if e.kind == Kind.END:
        return "Einde afname"
    if e.kind == Kind.CLOSE:
        return "Afname afgesloten"
    if e.kind == Kind.REOPEN:
        return f"Heropend door de examencommissie: {d.get('reason', '')}"
    if e.kind == Kind.END_TIME_DECISION:
        return f"Eindtijd {name} +{d.get('minutes', 0)} min (besluit examencommissie): {d.get('reason', '')}"
    if e.kind == Kind.VOID:
        return f"Vervallen verklaard: {d.get('reason', '')}"
    return KIND_LABELS.get(e.kind, e.kind)


def fold(plan: SessionPlan, roster: list[RosterEntry], events: list[Event], now: datetime,
         category_names: dict[str, str] | None = None, category_status: dict[str, str] | None = None,
         ) -> SessionState:
    """The session as it stands at `now`, computed from its events."""
    category_names = category_names or {}
    category_status = category_status or {}
    by_candidate = {r.candidate_id: r for r in roster}
    current, corrected, voided = effective_events(events)
    originals = {e.id: e for e in events}

    status: dict[int, tuple[str, datetime | None]] = {r.candidate_id: ("verwacht", None) for r in roster}
    decisions: dict[int, int] = dict.fromkeys(by_candidate, 0)
    pauses: dict[str, Pause] = {}
    receipt: dict[str, Any] | None = None
    receipt_at = started_at = ended_at = None
    incidents: list[Event] = []
    remarks: list[Event] = []

    ordered = sorted(current.items(), key=lambda item: (item[1].occurred, originals[item[0]].seq))
    for origin_id, e in ordered:
        d = e.data
        at = e.occurred
        if e.kind == Kind.RECEIPT:
            receipt, receipt_at = d, at
        elif e.kind == Kind.PRESENT:
            for cid in d.get("candidate_ids", []):
                if cid in status:
                    status[cid] = ("aanwezig", at)
        elif e.kind == Kind.ABSENT:
            if d.get("candidate_id") in status:
                status[d["candidate_id"]] = ("afwezig", at)
        elif e.kind == Kind.START:
            started_at = at
        elif e.kind == Kind.LATE:
            if d.get("candidate_id") in status:
                status[d["candidate_id"]] = ("te_laat" if d.get("admitted") else "geweigerd", at)
        elif e.kind == Kind.PAUSE:
            ids = d.get("candidate_ids")
            if ids is None:
                ids = [cid for cid, (s, _) in status.items() if s in _AT_WORK]
            pauses[origin_id] = Pause(origin_id, at, None, tuple(ids), d.get("reason", ""))
        elif e.kind == Kind.RESUME:
            pause_id = d.get("pause_id", "")
            pause = pauses.get(pause_id)
            if pause is not None and pause.ended is None:
                pauses[pause_id] = replace(pause, ended=max(at, pause.started))
        elif e.kind == Kind.INCIDENT:
            incidents.append(e)
            new_status = category_status.get(d.get("category", ""))
            if new_status:
                ids = list(status) if d.get("all_candidates") else d.get("candidate_ids", [])
                for cid in ids:
                    if cid in status and status[cid][0] in _AT_WORK:
                        status[cid] = (new_status, at)
        elif e.kind == Kind.CANDIDATE_STATUS:
            cid = d.get("candidate_id")
            if cid in status:
                status[cid] = ("aanwezig" if d.get("status") == "aanwezig" else d.get("status", "aanwezig"), at)
        elif e.kind == Kind.REMARK:
            remarks.append(e)
        elif e.kind == Kind.END:
            ended_at = at
        elif e.kind == Kind.END_TIME_DECISION:
            if d.get("candidate_id") in decisions:
                decisions[d["candidate_id"]] += int(d.get("minutes", 0))

    # close / reopen follow the order they were recorded in
    closed, closed_at = False, None
    for e in sorted(events, key=lambda ev: ev.seq):
        if e.kind == Kind.CLOSE and not e.corrects:
            closed, closed_at = True, e.occurred
        elif e.kind == Kind.REOPEN:
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
        if base_end is not None and s in _AT_WORK:
            end_time = base_end + timedelta(minutes=entry.extra_minutes + lost + decisions[cid])
        states.append(CandidateState(entry, s, s_at, lost, decisions[cid], end_time, paused and s in _AT_WORK))

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


def closing_summary(state: SessionState, category_names: dict[str, str]) -> dict[str, Any]:
    """What the procesverbaal needs (examenprotocol point 11): absent, late, unwell, particulars,
    facilities granted, and the staff."""
    def names(statuses: tuple[str, ...]) -> list[str]:
        return [c.entry.name for c in state.candidates if c.status in statuses]

    took_part = [c for c in state.candidates if c.status not in ("verwacht", "afwezig", "geweigerd")]
    return {
        "planned": len(state.candidates),
        "took_part": len(took_part),
        "absent": names(("afwezig", "verwacht")),
        "late": [f"{c.entry.name} ({format_time(c.status_at)})" for c in state.candidates
                 if c.status == "te_laat" and c.status_at],
        "refused": names(("geweigerd",)),
        "unwell": names(("onwel",)),
        "left": names(("vertrokken",)),
        "incidents": [
            f"{format_time(e.occurred)} {category_names.get(e.data.get('category', ''), e.data.get('category', ''))}"
            for e in state.incidents
        ],
        "disruptions": [
            f"{format_time(p.started)}–{format_time(p.ended) if p.ended else '…'} (+{p.lost_minutes(p.ended or p.started)}"
            f" min, {len(p.candidate_ids)} kandidaten){': ' + p.reason if p.reason else ''}"
            for p in state.pauses
        ],
        "facilities": [f"{c.entry.name}: {c.entry.accommodations}" for c in took_part if c.entry.accommodations],
        "staff": list(state.staff),
        "started_at": format_time(state.started_at) if state.started_at else "",
        "ended_at": format_time(state.ended_at) if state.ended_at else "",
        "date": format_date(state.plan.session_date),
    }


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
