"""Running a session (surveillant): every action is one event, committed before the screen says so.
(Over 400 lines: one use case per key of session mode, each a few lines around the domain's checks.)

The state shown on screen is folded from the events (`domain.sessions.fold`), so after a crash the
invigilator reopens ExamDesk and finds the session exactly as last saved. The checks before an
append read only what they need (the session row, the receipt, the roster), so saving an incident
costs one small transaction however long the session has run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from examdesk.data import incident_desk as desk_data
from examdesk.data import sessions as data
from examdesk.domain.casework import BUREAU_LETTERS, FOUND_HOW, FoundIncidentInput, check_found_on
from examdesk.domain.catalogue import Catalogue, default_catalogue
from examdesk.domain.clock import format_time, to_iso
from examdesk.domain.errors import AuthenticationError, NotFound, PermissionDenied, ValidationError
from examdesk.domain.event_checks import (
    ChainFacts,
    SessionFrame,
    check_moment,
    check_new_event,
)
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action, Role
from examdesk.domain.session_events import (
    AbsentPayload,
    CandidateStatusPayload,
    ClosePayload,
    ClosingSummary,
    EndPayload,
    EndTimeDecisionPayload,
    Event,
    FoundIncidentPayload,
    IncidentPayload,
    Kind,
    LatePayload,
    PausePayload,
    Payload,
    PresentPayload,
    ReceiptPayload,
    RemarkPayload,
    ReopenPayload,
    ResumePayload,
    StartPayload,
    VoidPayload,
    verify_chain,
)
from examdesk.domain.session_state import (
    INCIDENT_STATUSES,
    SETTABLE_STATUSES,
    CandidateStatus,
    SessionStatus,
    late_arrival,
    leaving_refusal,
)
from examdesk.domain.sessions import (
    IncidentInput,
    RosterEntry,
    SessionPlan,
    SessionState,
    check_incident,
    closing_summary,
    fold,
    may_record,
)
from examdesk.services import scope
from examdesk.services.context import AppContext
from examdesk.services.users import user_names


@dataclass(frozen=True)
class LateOutcome:
    admitted: bool
    event: Event
    message: str


class SessionModeService:
    def __init__(self, ctx: AppContext, session_id: str, catalogue: Catalogue | None = None):
        self.ctx = ctx
        self.session_id = session_id
        self.catalogue = catalogue or default_catalogue()
        self._plan = scope.visible_session(ctx, session_id)        # an invigilator: only their own sessions
        self._roster = scope.visible_roster(ctx, self._plan)
        self._roster_ids = {r.candidate_id for r in self._roster}
        self.category_names = {c.code: c.name for c in self.catalogue.categories}
        self.category_status = {c.code: c.sets_status for c in self.catalogue.categories if c.sets_status}
        self._frame = SessionFrame(session_id, self._plan.session_date, self._plan.starts_at, self._plan.late_limit_minutes,
                                   frozenset(self._roster_ids), data.invigilator_usernames(ctx.store, session_id))
        self._facts = ChainFacts()
        self._synced = False

    # --- reading -------------------------------------------------------------------------------
    @property
    def plan(self) -> SessionPlan:
        return self._plan

    @property
    def roster(self) -> list[RosterEntry]:
        return list(self._roster)

    def events(self) -> list[Event]:
        return data.events(self.ctx.store, self.session_id)

    def state(self, now: datetime | None = None) -> SessionState:
        self._plan = data.session(self.ctx.store, self.session_id) or self._plan
        return fold(self._plan, self._roster, self.events(), now or self.ctx.clock(),
                    self.category_names, self.category_status)

    def summary(self, state: SessionState | None = None) -> ClosingSummary:
        return closing_summary(state or self.state(), self.category_names)

    def display_name(self, username: str) -> str:
        """'Jan Bakker' for the log, where the event keeps the username it was recorded under."""
        if not hasattr(self, "_names"):
            self._names = user_names(self.ctx)
        return self._names(username)

    def verify(self) -> tuple[bool, str]:
        """The session's chain, keyed under this database's key (since v011) from its anchor on."""
        key = data.chain_key(self.ctx.store)
        from examdesk.services.integrity import redactions

        check = verify_chain(self.events(), key, data.anchor(self.ctx.store, self.session_id) if key else None,
                             redactions(self.ctx.store, "session_events"))
        return check.ok, check.reason or f"De keten van {check.checked} gebeurtenissen klopt."

    # --- guards --------------------------------------------------------------------------------
    def _runner(self) -> None:
        self._synced = False                  # an operation begins: look once for what others appended
        user = self.ctx.require(Action.RUN_SESSION)
        if user.id not in {uid for uid, _ in self._plan.invigilators}:
            raise PermissionDenied(f"{user.full_name} is geen surveillant van deze afname.")

    def _status(self) -> SessionStatus:
        return SessionStatus(data.status_of(self.ctx.store, self.session_id) or SessionStatus.GEANNULEERD)

    def _writable(self, kind: str) -> SessionStatus:
        found, seq, digest = data.status_and_head(self.ctx.store, self.session_id)
        self._sync(seq, digest)               # an operation begins: what others appended, read in once
        status = SessionStatus(found or SessionStatus.GEANNULEERD)
        refusal = may_record(status, kind)
        if refusal:
            raise ValidationError(refusal)
        return status

    def _chain(self) -> ChainFacts:
        """What the checks know of the record, brought up to date (once per operation) with what was appended
        since; what this service appends itself is added as it goes."""
        if not self._synced:
            self._sync(*data.head(self.ctx.store, self.session_id))
        return self._facts

    def _sync(self, seq: int, digest: str) -> None:
        if seq < self._facts.seq or (seq == self._facts.seq and digest != self._facts.head):
            self._facts = ChainFacts()          # rolled back under us (or another chain): read it again
        if seq != self._facts.seq:
            for e in data.events_after(self.ctx.store, self.session_id, self._facts.seq):
                self._facts.add(e)
        self._synced = True

    def _first(self, kind: str) -> Event | None:
        """The current (not withdrawn) event of a one-off kind such as start or end."""
        hits = self._chain().standing(Kind(kind))
        return min(hits, key=lambda e: e.occurred) if hits else None

    def _when(self, at: datetime | None, what: str, kind: str) -> datetime:
        return check_moment(self._frame, self._chain(), kind, at or self.ctx.clock(), self.ctx.clock(), what)

    def _append(self, payload: Payload, at: datetime, corrects: str | None = None, commission: bool = False
                ) -> Event:
        """One event, checked for its meaning first (`domain/event_checks`); the first one marks the session
        as begun, in the same transaction."""
        user = self.ctx.user
        store = self.ctx.store
        username = user.username if user else "systeem"
        recorded = self.ctx.clock()
        if corrects and payload.KIND in (Kind.VOID, Kind.INCIDENT):   # who owns the case, as the desk now says
            self._frame = replace(self._frame, owned=desk_data.owned_incidents(store, self.session_id))
        check_new_event(self._frame, self._chain(), payload, at, recorded, username, corrects, commission=commission)
        with store.transaction():
            if self._plan.status == SessionStatus.GEPLAND and self._status() == SessionStatus.GEPLAND:
                data.set_status(store, self.session_id, SessionStatus.BEZIG)
                self._plan = data.session(store, self.session_id) or self._plan
            event = data.append_event(store, self.session_id, to_iso(at), to_iso(recorded),
                                      user.id if user else None, username, payload, corrects)
        if event.seq == self._facts.seq + 1:
            self._facts.add(event)
        else:
            self._synced = False
        return event

    def _candidate(self, candidate_id: int) -> RosterEntry:
        for r in self._roster:
            if r.candidate_id == candidate_id:
                return r
        raise ValidationError("Deze kandidaat staat niet in deze afname.")

    # --- steps ---------------------------------------------------------------------------------
    def record_receipt(self, received_by: str, intact: bool, remark: str = "", at: datetime | None = None) -> Event:
        self._runner()
        self._writable(Kind.RECEIPT)
        if not received_by.strip():
            raise ValidationError("Vul in wie de exameninstrumenten heeft ontvangen.")
        if not intact and not remark.strip():
            raise ValidationError("De instrumenten zijn niet intact ontvangen: beschrijf wat er mis is.")
        when = self._when(at, "De ontvangst", Kind.RECEIPT)
        return self._append(ReceiptPayload(received_by.strip(), intact, remark.strip()), when)

    def mark_present(self, candidate_ids: list[int], identity_checked: bool = True,
                     at: datetime | None = None) -> list[str]:
        """Before the start: present. After the start a candidate still expected arrives late."""
        self._runner()
        self._writable(Kind.PRESENT)
        when = self._when(at, "De aanwezigheid", Kind.PRESENT)
        state = self.state()
        messages: list[str] = []
        if state.started_at is not None:
            for cid in candidate_ids:
                if state.candidate(cid).status == CandidateStatus.VERWACHT:
                    messages.append(self.late_arrival(cid, when).message)
            return messages
        fresh = [cid for cid in candidate_ids if state.candidate(cid).status == CandidateStatus.VERWACHT]
        if not fresh:
            raise ValidationError("Deze kandidaten hebben al een status; verklaar die eerst vervallen om te corrigeren.")
        self._append(PresentPayload(tuple(fresh), identity_checked), when)
        return [f"{len(fresh)} {'kandidaat' if len(fresh) == 1 else 'kandidaten'} aanwezig gemeld."]

    def mark_absent(self, candidate_id: int, valid_reason: bool | None = None, remark: str = "",
                    at: datetime | None = None) -> Event:
        self._runner()
        self._writable(Kind.ABSENT)
        entry = self._candidate(candidate_id)
        current = self.state().candidate(candidate_id)
        if current.status != CandidateStatus.VERWACHT:
            raise ValidationError(
                f"{entry.name} staat al als '{current.status_label}' geregistreerd. Verklaar die registratie "
                "eerst vervallen als dat een vergissing was.")
        when = self._when(at, "De afwezigheid", Kind.ABSENT)
        return self._append(AbsentPayload(candidate_id, valid_reason, remark.strip()), when)

    def start(self, at: datetime | None = None) -> Event:
        self._runner()
        self._writable(Kind.START)
        receipt = self._first(Kind.RECEIPT)
        if receipt is None:
            raise ValidationError("Leg eerst de ontvangst van de exameninstrumenten vast.")
        if self._first(Kind.START) is not None:
            raise ValidationError("De afname is al gestart.")
        when = self._when(at, "De start", Kind.START)
        event = self._append(StartPayload(), when)
        with self.ctx.store.transaction():
            self.ctx.audit("afname gestart", "afname", self.session_id, {"titel": self._plan.title,
                                                                        "start": format_time(when)})
        return event

    def late_arrival(self, candidate_id: int, at: datetime | None = None) -> LateOutcome:
        """Admitted until the limit with the end time unchanged (protocol 14); after it refused,
        and the refusal is recorded too (`session_state.late_arrival` decides)."""
        self._runner()
        self._writable(Kind.LATE)
        entry = self._candidate(candidate_id)
        start = self._first(Kind.START)
        if start is None:
            raise ValidationError("De afname is nog niet gestart: meld de kandidaat gewoon aanwezig.")
        current = self.state().candidate(candidate_id)
        if current.status != CandidateStatus.VERWACHT:
            raise ValidationError(f"{entry.name} staat al als '{current.status_label}' geregistreerd.")
        when = self._when(at, "De aankomst", Kind.LATE)
        if when < start.occurred:
            raise ValidationError(
                f"De aankomsttijd {format_time(when)} ligt vóór de start ({format_time(start.occurred)}): "
                "meld de kandidaat aanwezig.")
        decision = late_arrival(start.occurred, when, self._plan.late_limit_minutes)
        event = self._append(LatePayload(candidate_id, decision.admitted, to_iso(decision.limit)), when)
        if decision.admitted:
            message = f"{entry.name} te laat toegelaten om {format_time(when)}; de eindtijd blijft gelijk."
        else:
            message = (f"{entry.name} is geweigerd: aangekomen om {format_time(when)}, na de toelatingsgrens van "
                       f"{format_time(decision.limit)} ({counted(self._plan.late_limit_minutes, 'minuut')} na de start). "
                       "Vastgelegd.")
        return LateOutcome(decision.admitted, event, message)

    def pause(self, candidate_ids: list[int] | None, reason: str, at: datetime | None = None) -> Event:
        """A disruption for all candidates at work (None) or for the ones named."""
        self._runner()
        self._writable(Kind.PAUSE)
        state = self.state()
        if state.started_at is None:
            raise ValidationError("De afname is nog niet gestart; er is niets te pauzeren.")
        if state.ended_at is not None:
            raise ValidationError("De afname is al beëindigd.")
        if not reason.strip():
            raise ValidationError("Geef de reden van de pauze (bijvoorbeeld stroomstoring of storing platform).")
        at_work = {c.candidate_id for c in state.candidates if c.at_work}
        if candidate_ids is not None:
            if not candidate_ids:
                raise ValidationError("Kies de kandidaten voor wie de pauze geldt.")
            not_working = [self._candidate(c).name for c in candidate_ids if c not in at_work]
            if not_working:
                raise ValidationError(f"{not_working[0]} is niet aan het werk en kan niet worden gepauzeerd.")
            targets = set(candidate_ids)
        else:
            targets = at_work
        already = [c.entry.name for c in state.candidates if c.paused and c.candidate_id in targets]
        if already:
            raise ValidationError(f"{already[0]} is al gepauzeerd; hervat eerst die pauze (F5).")
        when = self._when(at, "De pauze", Kind.PAUSE)
        if when < state.started_at:
            raise ValidationError("De pauze begint vóór de start van de afname.")
        ids = tuple(sorted(candidate_ids)) if candidate_ids is not None else None
        return self._append(PausePayload(ids, reason.strip()), when)

    def resume(self, pause_ids: list[str] | None = None, at: datetime | None = None) -> list[Event]:
        """Ends the open pauses (all, or the ones named); the lost minutes move those end times."""
        self._runner()
        self._writable(Kind.RESUME)
        state = self.state()
        open_pauses = {p.id: p for p in state.open_pauses}
        if not open_pauses:
            raise ValidationError("Er is geen pauze om te hervatten.")
        chosen = list(open_pauses) if pause_ids is None else pause_ids
        when = self._when(at, "Het hervatten", Kind.RESUME)
        for pid in chosen:
            if pid not in open_pauses:
                raise ValidationError("Deze pauze is al hervat.")
            if when < open_pauses[pid].started:
                raise ValidationError(
                    f"De hervattijd {format_time(when)} ligt vóór het begin van de pauze "
                    f"({format_time(open_pauses[pid].started)}).")
        events = []
        with self.ctx.store.transaction():
            for pid in chosen:
                minutes = open_pauses[pid].lost_minutes(when)
                events.append(self._append(ResumePayload(pid, minutes), when))
        return events

    def log_incident(self, incident: IncidentInput) -> Event:
        self._runner()
        self._writable(Kind.INCIDENT)
        return self._save_incident(incident, None)

    def correct_incident(self, event_id: str, incident: IncidentInput) -> Event:
        self._runner()
        if self._status() != SessionStatus.AFGESLOTEN:
            self._writable(Kind.INCIDENT)
        original = self._original(event_id, Kind.INCIDENT)
        return self._save_incident(incident, original.id)

    def _incident_original(self, event_id: str) -> Event:
        """An incident the commission corrects or withdraws: one recorded in the room or one found afterwards."""
        original = self._original(event_id)
        if original.kind not in (Kind.INCIDENT, Kind.FOUND_INCIDENT):
            raise ValidationError("Deze registratie is van een andere soort.")
        return original

    def _save_incident(self, incident: IncidentInput, corrects: str | None, reason: str = "",
                       found: Event | None = None) -> Event:
        category = self.catalogue.get(incident.category)
        i = check_incident(incident, self._roster_ids, category.sets_status)
        route = self.catalogue.route(category.code, self._plan.exam_kind)
        if found is not None and isinstance(found.payload, FoundIncidentPayload):
            # a correction of an incident found afterwards keeps how and when it came to light; its moment is now
            was = self._chain().current(found.id) or found
            f = was.payload if isinstance(was.payload, FoundIncidentPayload) else found.payload
            payload: IncidentPayload = FoundIncidentPayload(
                category.code, self.catalogue.version, route, i.all_candidates, i.candidate_ids, None, i.what_happened,
                i.what_was_done, reason.strip(), found_on=f.found_on, found_how=f.found_how, reported_by=f.reported_by)
            with self.ctx.store.transaction():
                return self._append(payload, max(self.ctx.clock(), found.occurred), corrects, commission=True)
        when = self._when(i.occurred_at, "Het incident", Kind.INCIDENT)
        payload = IncidentPayload(category.code, self.catalogue.version, route, i.all_candidates, i.candidate_ids,
                                  i.duration_minutes, i.what_happened, i.what_was_done, reason.strip())
        with self.ctx.store.transaction():
            event = self._append(payload, when, corrects, commission=bool(reason.strip()))
            data.discard_draft(self.ctx.store, self.session_id, self.ctx.user.id)
        return event

    def set_candidate_status(self, candidate_id: int, status_: str, remark: str = "",
                             at: datetime | None = None) -> Event:
        """onwel, vertrokken (left), ingeleverd (handed in), or aanwezig (back at work). Handing in or leaving
        waits for the admission limit (examenprotocol 13, `session_state.leaving_refusal`)."""
        self._runner()
        self._writable(Kind.CANDIDATE_STATUS)
        if status_ not in SETTABLE_STATUSES:
            raise ValidationError(f"Onbekende status '{status_}'.")
        entry = self._candidate(candidate_id)
        state = self.state()
        if state.started_at is None:
            raise ValidationError("De afname is nog niet gestart.")
        current = state.candidate(candidate_id)
        if status_ == CandidateStatus.AANWEZIG:
            if current.status not in INCIDENT_STATUSES:
                raise ValidationError(f"{entry.name} is al aan het werk.")
        elif not current.at_work:
            raise ValidationError(f"{entry.name} is niet aan het werk (status: {current.status_label}).")
        when = self._when(at, "De statuswijziging", Kind.CANDIDATE_STATUS)
        refusal = leaving_refusal(status_, state.started_at, self._plan.late_limit_minutes, when)
        if refusal:
            raise ValidationError(f"{entry.name} mag het lokaal nog niet verlaten. {refusal}")
        return self._append(CandidateStatusPayload(candidate_id, CandidateStatus(status_).value, remark.strip()),
                            when)

    def remark(self, text: str, at: datetime | None = None) -> Event:
        self._runner()
        self._writable(Kind.REMARK)
        if not text.strip():
            raise ValidationError("De opmerking is leeg.")
        when = self._when(at, "De opmerking", Kind.REMARK)
        return self._append(RemarkPayload(text.strip()), when)

    def end(self, at: datetime | None = None) -> Event:
        self._runner()
        self._writable(Kind.END)
        state = self.state()
        if state.started_at is None:
            raise ValidationError("De afname is nog niet gestart.")
        if state.ended_at is not None:
            raise ValidationError("Het einde is al vastgelegd.")
        if state.open_pauses:
            raise ValidationError("Er loopt nog een pauze: hervat die eerst (F5).")
        when = self._when(at, "Het einde", Kind.END)
        if when < state.started_at:
            raise ValidationError(
                f"De eindtijd {format_time(when)} ligt vóór de start van de afname ({format_time(state.started_at)}).")
        return self._append(EndPayload(), when)

    def close(self, at: datetime | None = None) -> Event:
        """Records the end when it is still missing, marks candidates who never came as absent, and
        closes with the summary — all in one transaction."""
        self._runner()
        self._writable(Kind.CLOSE)
        state = self.state()
        if state.started_at is None:
            raise ValidationError("De afname is nog niet gestart en kan dus niet worden afgesloten.")
        if state.open_pauses:
            raise ValidationError("Er loopt nog een pauze: hervat die eerst (F5).")
        when = self._when(at, "Het afsluiten", Kind.CLOSE)
        with self.ctx.store.transaction():
            if state.ended_at is None:
                if when < state.started_at:
                    raise ValidationError(f"De eindtijd {format_time(when)} ligt vóór de start van de afname.")
                self._append(EndPayload(), when)
            for c in state.candidates:
                if c.status == CandidateStatus.VERWACHT:
                    self._append(AbsentPayload(c.candidate_id, None, "niet verschenen"), when)
            final = self.state(when)
            summary = closing_summary(final, self.category_names)
            event = self._append(ClosePayload(summary, summary.staff), when)
            data.set_status(self.ctx.store, self.session_id, SessionStatus.AFGESLOTEN)
            self.ctx.audit("afname afgesloten", "afname", self.session_id,
                           {"titel": self._plan.title, "incidenten": len(summary.incidents),
                            "afwezig": len(summary.absent)})
        return event

    # --- commission ----------------------------------------------------------------------------
    def reopen(self, reason: str) -> Event:
        self.ctx.require(Action.REOPEN_SESSION)
        self._synced = False
        if self._status() != SessionStatus.AFGESLOTEN:
            raise ValidationError("Deze afname is niet afgesloten.")
        if not reason.strip():
            raise ValidationError("Geef de reden waarom de afname wordt heropend.")
        with self.ctx.store.transaction():
            event = self._append(ReopenPayload(reason.strip()), self.ctx.clock(), commission=True)
            data.set_status(self.ctx.store, self.session_id, SessionStatus.BEZIG)
            self.ctx.audit("afname heropend", "afname", self.session_id, {"reden": reason.strip()})
        return event

    def decide_end_time(self, candidate_id: int, minutes: int, reason: str) -> Event:
        """A commission decision that a (late) candidate gets more time (protocol 14: 'tenzij')."""
        self.ctx.require(Action.DECIDE_INCIDENT)
        entry = self._candidate(candidate_id)
        self._writable(Kind.END_TIME_DECISION)
        if not 1 <= minutes <= 120:
            raise ValidationError("Het aantal extra minuten moet tussen 1 en 120 liggen.")
        if not reason.strip():
            raise ValidationError("Geef de reden van het besluit.")
        if self._first(Kind.START) is None:
            raise ValidationError("De afname is nog niet gestart.")
        with self.ctx.store.transaction():
            event = self._append(EndTimeDecisionPayload(candidate_id, minutes, reason.strip()), self.ctx.clock(),
                                 commission=True)
            self.ctx.audit("eindtijd aangepast", "afname", self.session_id,
                           {"kandidaat": entry.student_number, "minuten": minutes})
        return event

    def record_found_incident(self, found: FoundIncidentInput) -> Event:
        """An incident that came to light after the session (issue 13), recorded at the desk by the commission —
        or by the examenbureau for an administrative fault (Beleidsregel art. 2(1) e/f) — against a session that
        was held, open or closed. Routed by the same catalogue; its moment is now, the day it came to light is
        its own field."""
        user = self.ctx.require(Action.RECORD_FOUND_INCIDENT)
        self._synced = False
        status = self._status()
        if status in (SessionStatus.GEPLAND, SessionStatus.GEANNULEERD):
            raise ValidationError("Van deze afname is nog niets vastgelegd (of het afnameverslag is nog niet "
                                  "ingelezen): een achteraf vastgesteld incident hoort bij een afname die is gehouden.")
        category = self.catalogue.get(found.category)
        if category.sets_status:
            raise ValidationError(f"'{category.name}' legt de surveillant tijdens de afname vast, niet achteraf.")
        route = self.catalogue.route(category.code, self._plan.exam_kind)
        if Role.COMMISSIE not in user.roles and route.letter not in BUREAU_LETTERS:
            raise PermissionDenied("Het examenbureau legt achteraf alleen een administratieve fout vast: werk gewijzigd "
                                   "na de afname of een onjuist cijfer (Beleidsregel art. 2 lid 1 onder e en f). Meld "
                                   "andere incidenten bij de examencommissie.")
        if found.found_how not in FOUND_HOW:
            raise ValidationError("Kies hoe het incident aan het licht kwam.")
        i = check_incident(IncidentInput(category.code, None, found.candidate_ids, found.all_candidates, None,
                                         found.what_happened, found.what_was_done), self._roster_ids, None)
        if not i.all_candidates and not i.candidate_ids:
            raise ValidationError("Kies de kandidaat of kandidaten om wie het gaat, of 'alle kandidaten'.")
        check_found_on(found.found_on, self._plan.session_date, self.ctx.clock().date())
        payload = FoundIncidentPayload(category.code, self.catalogue.version, route, i.all_candidates, i.candidate_ids,
                                       None, i.what_happened, i.what_was_done, found_on=found.found_on.isoformat(),
                                       found_how=found.found_how, reported_by=found.reported_by.strip())
        with self.ctx.store.transaction():
            event = self._append(payload, self.ctx.clock(), commission=True)
            self.ctx.audit("incident achteraf vastgesteld", "incident", event.id, {
                "afname": self.session_id, "categorie": category.code, "aan het licht op": found.found_on.isoformat(),
                "hoe": found.found_how, "gemeld door": found.reported_by.strip()})
        return event

    def commission_correct_incident(self, event_id: str, incident: IncidentInput, reason: str) -> Event:
        """The commission corrects an incident it owns (decided, or the session closed), with its reason: the
        correction stands on the procesverbaal beside what it corrects (`event_checks.incident_owner`)."""
        self.ctx.require(Action.DECIDE_INCIDENT)
        self._synced = False
        if not reason.strip():
            raise ValidationError("Geef de reden van de correctie; die komt op het procesverbaal.")
        original = self._incident_original(event_id)
        with self.ctx.store.transaction():
            event = self._save_incident(incident, original.id, reason, found=original)
            self.ctx.audit("incident gecorrigeerd door de examencommissie", "incident", original.id,
                           {"reden": reason.strip(), "categorie": incident.category})
        return event

    def commission_withdraw_incident(self, event_id: str, reason: str) -> Event:
        """The commission withdraws an incident (with its reason): in the record as a withdrawal that names the
        commission, so the procesverbaal shows who withdrew it and why; the resits its decisions created are
        withdrawn in the same transaction."""
        self.ctx.require(Action.DECIDE_INCIDENT)
        self._synced = False
        if not reason.strip():
            raise ValidationError("Geef de reden waarom het incident wordt ingetrokken; die komt op het "
                                  "procesverbaal.")
        original = self._incident_original(event_id)
        when = max(self.ctx.clock(), original.occurred)
        with self.ctx.store.transaction():
            event = self._append(VoidPayload(reason.strip(), commission=True), when, corrects=event_id,
                                 commission=True)
            resits = desk_data.withdraw_resits_of_incident(self.ctx.store, event_id, to_iso(self.ctx.clock()))
            self.ctx.audit("incident ingetrokken", "incident", event_id,
                           {"reden": reason.strip(), "herkansingen ingetrokken": resits})
        return event

    # --- corrections ---------------------------------------------------------------------------
    def _original(self, event_id: str, kind: str | None = None) -> Event:
        e = data.event(self.ctx.store, event_id)
        if e is None or e.session_id != self.session_id:
            raise NotFound("Deze registratie bestaat niet in deze afname.")
        if e.corrects:
            raise ValidationError("Corrigeer de oorspronkelijke registratie, niet een eerdere correctie.")
        if kind and e.kind != kind:
            raise ValidationError("Deze registratie is van een andere soort.")
        if self._chain().voided(event_id):
            raise ValidationError("Deze registratie is al vervallen verklaard.")
        return e

    def void(self, event_id: str, reason: str) -> Event:
        """Withdraws a registration made in error; it stays visible, struck through, with the reason."""
        self._runner()
        self._writable(Kind.VOID)
        original = self._original(event_id)
        if original.kind in (Kind.CLOSE, Kind.REOPEN, Kind.VOID):
            raise ValidationError("Afsluiten en heropenen kunnen niet vervallen worden verklaard.")
        if not reason.strip():
            raise ValidationError("Geef de reden waarom deze registratie vervalt.")
        when = max(self.ctx.clock(), original.occurred)
        return self._append(VoidPayload(reason.strip()), when, corrects=event_id)

    # --- drafts and the lock ---------------------------------------------------------------------
    def save_draft(self, draft: dict[str, Any]) -> None:
        """What is typed in an open incident form; replaced every few seconds, never part of the record."""
        self._runner()
        with self.ctx.store.transaction():
            data.save_draft(self.ctx.store, self.session_id, self.ctx.user.id, draft, to_iso(self.ctx.clock()))

    def draft(self) -> dict[str, Any] | None:
        if self.ctx.user is None:
            return None
        return data.draft(self.ctx.store, self.session_id, self.ctx.user.id)

    def discard_draft(self) -> None:
        if self.ctx.user is not None:
            data.discard_draft(self.ctx.store, self.session_id, self.ctx.user.id)

    def unlock(self, password: str) -> None:
        """The invigilator's own password opens the locked screen (with the usual lock-out)."""
        from examdesk.services.auth import AuthService

        if self.ctx.user is None:
            raise AuthenticationError("Niemand is ingelogd.")
        AuthService(self.ctx.store, self.ctx.clock).login(self.ctx.user.username, password)

    def lock_minutes(self) -> int:
        from examdesk.services import settings

        return settings.read(self.ctx.store, settings.SESSION_LOCK_MINUTES)

    @staticmethod
    def parse_time(text: str, on: datetime) -> datetime:
        """'10:12' on the day of `on` (Amsterdam time); the forms accept hh:mm and hh.mm."""
        cleaned = text.strip().replace(".", ":")
        try:
            hours, minutes = (int(p) for p in cleaned.split(":")[:2])
            if not (0 <= hours <= 23 and 0 <= minutes <= 59):
                raise ValueError
        except ValueError:
            raise ValidationError(f"'{text.strip()}' is geen tijd; typ uu:mm, bijvoorbeeld 10:12.") from None
        return on.replace(hour=hours, minute=minutes, second=0, microsecond=0)


def sessions_with_draft(ctx: AppContext) -> frozenset[str]:
    """The sessions where the logged-in user left an incident form unsaved (a crash, a power cut): the
    Afnames screen says "concept wacht" beside them. Only the user's own drafts, so nothing of another
    invigilator's typing shows."""
    if ctx.user is None:
        return frozenset()
    return data.draft_sessions(ctx.store, ctx.user.id)
