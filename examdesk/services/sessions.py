"""Locations and rooms, and planning sessions (examenbureau); the Afnames list and its Overzicht card."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from examdesk.data import institution as institution_data
from examdesk.data import sessions as data
from examdesk.data import users as user_data
from examdesk.data.sessions import Location, Room
from examdesk.domain.candidates import extra_for_session
from examdesk.domain.clock import format_date, format_time, to_iso
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.roles import Action, Role
from examdesk.domain.session_state import SessionAction, SessionFacts, SessionStatus, why_not
from examdesk.domain.sessions import (
    CENTRAL_EXAMS,
    PlanDraft,
    RosterEntry,
    SessionFilter,
    SessionPlan,
    assign_workstations,
    check_draft,
    overlaps,
)
from examdesk.domain.users import User
from examdesk.services import instruments
from examdesk.services.context import AppContext
from examdesk.services.overview import Card, CardLine


class LocationService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def locations(self) -> list[Location]:
        self.ctx.require(Action.VIEW_SESSIONS)
        return data.locations(self.ctx.store)

    def rooms(self, location_id: int | None = None) -> list[Room]:
        self.ctx.require(Action.VIEW_SESSIONS)
        return data.rooms(self.ctx.store, location_id)

    def save_location(self, location_id: int | None, name: str, address: str) -> int:
        self.ctx.require(Action.PLAN_SESSION)
        name, address = name.strip(), address.strip()
        if not name:
            raise ValidationError("Vul de naam van de locatie in.")
        other = data.location_by_name(self.ctx.store, name)
        if other is not None and other.id != location_id:
            raise ValidationError(f"Er is al een locatie met de naam '{name}'.")
        with self.ctx.store.transaction():
            new_id = data.save_location(self.ctx.store, location_id, name, address)
            self.ctx.audit("locatie opgeslagen", "locatie", new_id, {"naam": name, "adres": address})
        return new_id

    def save_room(self, room_id: int | None, location_id: int, name: str, workstations: int) -> int:
        self.ctx.require(Action.PLAN_SESSION)
        name = name.strip()
        if not name:
            raise ValidationError("Vul de naam of het nummer van het lokaal in.")
        if not 1 <= workstations <= 500:
            raise ValidationError("Een lokaal heeft tussen 1 en 500 werkplekken.")
        if not any(loc.id == location_id for loc in data.locations(self.ctx.store)):
            raise NotFound("Deze locatie bestaat niet (meer).")
        other = data.room_by_name(self.ctx.store, location_id, name)
        if other is not None and other.id != room_id:
            raise ValidationError(f"Deze locatie heeft al een lokaal '{name}'.")
        if room_id is not None:
            used = data.max_workstation_in_room(self.ctx.store, room_id)
            if workstations < used:
                raise ValidationError(
                    f"In een geplande afname in dit lokaal is werkplek {used} in gebruik; "
                    f"het lokaal kan niet minder werkplekken krijgen dan {used}.")
        with self.ctx.store.transaction():
            new_id = data.save_room(self.ctx.store, room_id, location_id, name, workstations)
            self.ctx.audit("lokaal opgeslagen", "lokaal", new_id, {"naam": name, "werkplekken": workstations})
        return new_id


@dataclass(frozen=True)
class InstrumentChoice:
    id: str
    label: str


class SessionService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    # --- reading -------------------------------------------------------------------------------
    def list(self, f: SessionFilter | None = None) -> list[SessionPlan]:
        self.ctx.require(Action.VIEW_SESSIONS)
        return data.list_sessions(self.ctx.store, f or SessionFilter())

    def get(self, session_id: str) -> SessionPlan:
        self.ctx.require(Action.VIEW_SESSIONS)
        plan = data.session(self.ctx.store, session_id)
        if plan is None:
            raise NotFound("Deze afname bestaat niet (meer).")
        return plan

    def roster(self, session_id: str) -> list[RosterEntry]:
        self.ctx.require(Action.VIEW_SESSIONS)
        return data.roster(self.ctx.store, session_id)

    def invigilator_choices(self) -> list[User]:
        self.ctx.require(Action.VIEW_SESSIONS)
        return user_data.active_with_role(self.ctx.store, Role.SURVEILLANT)

    def instrument_choices(self) -> list[InstrumentChoice]:
        self.ctx.require(Action.PLAN_SESSION)
        return [InstrumentChoice(i, label) for i, label in instruments.choices(self.ctx)]

    def default_late_limit(self) -> int:
        inst = institution_data.get(self.ctx.store)
        return min(inst.late_admission_minutes, 30) if inst else 30

    def running_for_me(self) -> SessionPlan | None:
        """The session this invigilator was running when ExamDesk closed (or crashed)."""
        if not self.ctx.can(Action.RUN_SESSION):
            return None
        ids = data.running_sessions_of(self.ctx.store, self.ctx.user.id)
        return data.session(self.ctx.store, ids[0]) if ids else None

    # --- planning ------------------------------------------------------------------------------
    def plan(self, draft: PlanDraft, session_id: str | None = None) -> SessionPlan:
        """Plans a new session, or re-plans one that has not begun. Everything is checked first; then
        the session, its invigilators and candidates are written in one transaction."""
        user = self.ctx.require(Action.PLAN_SESSION)
        d = check_draft(draft)
        store = self.ctx.store
        if session_id is not None:
            before = data.session(store, session_id)
            if before is None:
                raise NotFound("Deze afname bestaat niet (meer).")
            refusal = why_not(SessionFacts(before.status, data.has_events(store, session_id)), SessionAction.EDIT)
            if refusal:
                raise ValidationError(refusal)
        room = data.room(store, d.room_id)
        if room is None:
            raise NotFound("Dit lokaal bestaat niet (meer).")
        surveillants = {u.id: u for u in user_data.active_with_role(store, Role.SURVEILLANT)}
        for user_id in d.invigilator_ids:
            if user_id not in surveillants:
                who = user_data.get(store, user_id)
                name = who.full_name if who else f"gebruiker {user_id}"
                raise ValidationError(f"{name} is geen actieve surveillant en kan niet worden toegewezen.")

        if d.exam_kind == "centraal":
            title = CENTRAL_EXAMS[d.central_exam]
            instrument = None
        else:
            instrument = instruments.check_on(self.ctx, d.instrument_id, d.session_date)
            title = instrument.label

        ids = [cid for cid, _ in d.candidates]
        found = data.candidates_by_ids(store, ids)
        missing = [cid for cid in ids if cid not in found]
        if missing:
            raise NotFound("Een gekozen kandidaat bestaat niet (meer).")
        names = {cid: f"{c.full_name} ({c.student_number})" for cid, c in found.items()}
        if instrument is not None:
            for cid in ids:
                c = found[cid]
                ok, reason = instrument.may_use(c.target_group)
                if not ok:
                    raise ValidationError(f"{names[cid]} mag '{instrument.label}' niet maken: {reason}")
        stations = assign_workstations(d.candidates, room.workstations, room.label, names)

        starts_at = d.starts_at
        extra = {cid: extra_for_session(found[cid].extra_minutes, d.exam_kind) for cid in ids}
        for cid, other, other_extra in data.sessions_of_candidates_on(store, ids, d.session_date.isoformat(),
                                                                       session_id):
            mine_end = starts_at + timedelta(minutes=d.duration_minutes + extra[cid])
            theirs_end = other.planned_end + timedelta(minutes=other_extra)
            if overlaps(starts_at, mine_end, other.starts_at, theirs_end):
                raise ValidationError(
                    f"{names[cid]} staat al ingepland in '{other.title}' op {format_date(other.session_date)} van "
                    f"{format_time(other.starts_at)} tot {format_time(theirs_end)}; dat valt samen met deze afname."
                )

        new_id = session_id or str(uuid.uuid4())
        plan = SessionPlan(
            id=new_id, exam_kind=d.exam_kind, title=title, session_date=d.session_date, starts_at=starts_at,
            duration_minutes=d.duration_minutes, room_id=room.id, room_label=room.label,
            late_limit_minutes=d.late_limit_minutes, variant=d.variant, period=d.period,
            instrument_id=d.instrument_id if instrument else None, central_exam=d.central_exam,
        )
        with store.transaction():
            data.save_session(store, plan, to_iso(self.ctx.clock()), user.username, new=session_id is None)
            data.set_invigilators(store, new_id, d.invigilator_ids)
            data.set_roster(store, new_id, [(cid, stations[cid], extra[cid], list(found[cid].facilities))
                                            for cid in ids])
            self.ctx.audit("afname gepland" if session_id is None else "afname gewijzigd", "afname", new_id, {
                "titel": title, "datum": d.session_date.isoformat(), "start": format_time(starts_at),
                "duur": d.duration_minutes, "lokaal": room.label, "kandidaten": len(ids),
            })
        return data.session(store, new_id)

    def cancel(self, session_id: str, reason: str) -> SessionPlan:
        self.ctx.require(Action.PLAN_SESSION)
        plan = self.get(session_id)
        if not reason.strip():
            raise ValidationError("Geef een reden voor het annuleren.")
        refusal = why_not(SessionFacts(plan.status, data.has_events(self.ctx.store, session_id)),
                          SessionAction.CANCEL)
        if refusal:
            raise ValidationError(refusal)
        with self.ctx.store.transaction():
            data.set_status(self.ctx.store, session_id, SessionStatus.GEANNULEERD)
            self.ctx.audit("afname geannuleerd", "afname", session_id, {"titel": plan.title, "reden": reason.strip()})
        return self.get(session_id)


def overview_card(ctx: AppContext) -> Card | None:
    """Today's sessions; every line opens the Afnames screen with the matching filter."""
    if not ctx.can(Action.VIEW_SESSIONS):
        return None
    today = ctx.clock().date().isoformat()
    counts = data.count_by_status(ctx.store, today)
    planned_later = sum(1 for p in data.list_sessions(ctx.store, SessionFilter(date_from=today, status=SessionStatus.GEPLAND))
                        if p.session_date.isoformat() > today)
    total = sum(n for s, n in counts.items() if s != SessionStatus.GEANNULEERD)
    running, planned = counts.get(SessionStatus.BEZIG, 0), counts.get(SessionStatus.GEPLAND, 0)
    lines = [
        CardLine(f"{total} {'afname' if total == 1 else 'afnames'} vandaag", "afnames", {"datum": "vandaag"}),
        CardLine(f"{running} bezig", "afnames", {"status": SessionStatus.BEZIG.value}, warning=running > 0),
        CardLine(f"{planned} nog te beginnen vandaag", "afnames",
                 {"datum": "vandaag", "status": SessionStatus.GEPLAND.value}),
        CardLine(f"{planned_later} gepland na vandaag", "afnames",
                 {"datum": "toekomst", "status": SessionStatus.GEPLAND.value}),
    ]
    return Card("Afnames", lines)
