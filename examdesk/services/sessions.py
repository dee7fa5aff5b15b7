"""Locations and rooms, and planning sessions (examenbureau); the Afnames list and its Overzicht card.
(Over 400 lines: planning's rules and data are imported inside the functions that plan, so the Overzicht's
Afnames card loads none of them before the login — issue 16.)"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from examdesk.data import institution as institution_data
from examdesk.data import sessions as data
from examdesk.data import users as user_data
from examdesk.data.sessions import Location, Room
from examdesk.domain.candidates import Candidate, extra_for_session
from examdesk.domain.clock import format_date, format_time, to_iso
from examdesk.domain.collation import by_sort_name, full_name_key
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.exam_periods import central_exam_timing
from examdesk.domain.plural import counted, number
from examdesk.domain.register import school_year_of
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
    ran_times,
)
from examdesk.domain.users import User
from examdesk.services import instruments, scope
from examdesk.services.context import AppContext
from examdesk.services.instruments import InstrumentForSession
from examdesk.services.navigation import SessionDates, SessionsTarget
from examdesk.services.overview import Card, CardLine

if TYPE_CHECKING:
    from examdesk.domain.planning import PlanWarning

# Planning's rules and data (`domain.planning`, `data.planning`) are imported where a session is planned: the
# Overzicht's card, which this module also makes, needs neither (issue 16: nothing it does not use before it is shown).


class LocationService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def locations(self) -> list[Location]:
        self.ctx.require(Action.VIEW_ALL_SESSIONS)
        return data.locations(self.ctx.store)

    def rooms(self, location_id: int | None = None) -> list[Room]:
        self.ctx.require(Action.VIEW_ALL_SESSIONS)
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


@dataclass(frozen=True)
class _Assessment:
    """Everything `plan` established about a draft before writing it."""

    draft: PlanDraft
    room: Room
    title: str
    instrument: InstrumentForSession | None
    ids: list[int]
    found: dict[int, Candidate]
    stations: dict[int, int]
    extra: dict[int, int]
    warnings: tuple[PlanWarning, ...]
    notes: tuple[str, ...]


class RanTimes:
    """session id → (actual start, actual end or None) for a list's sessions that ran, read a hundred rows at
    a time when a row asks: a list of 1,000 sessions reads the times of the rows on screen, not the start
    and end events of every session that ran (900 on each key typed in Afnames' search)."""

    CHUNK = 50      # a screenful and a half: a key reads the times of the rows it paints

    def __init__(self, service: SessionService, plans: list[SessionPlan]):
        self._service = service
        self._plans = plans
        self._at = {p.id: n for n, p in enumerate(plans)}
        self._read: set[int] = set()
        self._found: dict[str, tuple[datetime, datetime | None]] = {}

    def get(self, session_id: str) -> tuple[datetime, datetime | None] | None:
        n = self._at.get(session_id)
        if n is None:
            return None
        start = n - n % self.CHUNK
        if start not in self._read:
            self._read.add(start)
            self._found.update(self._service.ran_times(self._plans[start:start + self.CHUNK]))
        return self._found.get(session_id)


class SessionService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    # --- reading -------------------------------------------------------------------------------
    def list(self, f: SessionFilter | None = None) -> list[SessionPlan]:
        """All sessions matching `f`; an invigilator gets only the sessions they are assigned to."""
        return data.list_sessions(self.ctx.store, scope.session_filter(self.ctx, f))

    def listed(self, f: SessionFilter | None = None) -> list[tuple[str, str]]:
        """(id, status) of the sessions `list(f)` gives, in its order — without building them: the Afnames list
        builds a page at a time with `plans`."""
        return data.listed_sessions(self.ctx.store, scope.session_filter(self.ctx, f))

    def plans(self, ids: list[str]) -> list[SessionPlan]:
        """These sessions (from `listed`), in that order, if the user may see every one of them."""
        return scope.check_sessions(self.ctx, data.sessions_by_id(self.ctx.store, ids))

    def get(self, session_id: str) -> SessionPlan:
        return scope.visible_session(self.ctx, session_id)

    def roster(self, session_id: str) -> list[RosterEntry]:
        """The candidates of a session in Dutch name order (the pickers and lists a person reads); for an
        invigilator without birth dates (see services/scope). Session mode keeps its own order by workstation."""
        return by_sort_name(scope.visible_roster(self.ctx, scope.visible_session(self.ctx, session_id)))

    def invigilator_choices(self) -> list[User]:
        self.ctx.require(Action.PLAN_SESSION)
        return sorted(user_data.active_with_role(self.ctx.store, Role.SURVEILLANT), key=lambda u: full_name_key(u.full_name))

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
    def check_plan(self, draft: PlanDraft, session_id: str | None = None) -> tuple[PlanWarning, ...]:
        """Runs every check `plan` runs without saving: refusals raise, the warnings the planner must
        see and confirm are returned."""
        self.ctx.require(Action.PLAN_SESSION)
        return self._assess(draft, session_id).warnings

    def plan(self, draft: PlanDraft, session_id: str | None = None,
             confirmed: Collection[str | PlanWarning] = ()) -> SessionPlan:
        """Plans a new session, or re-plans one that has not begun. Everything is checked first; a
        warning the planner has not confirmed (by its text, as `check_plan` gave it) stops the plan with
        PlanNeedsConfirmation. Then the session, its invigilators, candidates and the confirmed warnings
        are written in one transaction."""
        from examdesk.data import planning as planning_data
        from examdesk.domain.planning import PlanNeedsConfirmation, PlanWarning, unconfirmed

        user = self.ctx.require(Action.PLAN_SESSION)
        a = self._assess(draft, session_id)
        waiting = unconfirmed(a.warnings, {w.text if isinstance(w, PlanWarning) else w for w in confirmed})
        if waiting:
            raise PlanNeedsConfirmation(waiting)
        d = a.draft
        store = self.ctx.store
        new_id = session_id or str(uuid.uuid4())
        plan = SessionPlan(
            id=new_id, exam_kind=d.exam_kind, title=a.title, session_date=d.session_date, starts_at=d.starts_at,
            duration_minutes=d.duration_minutes, room_id=a.room.id, room_label=a.room.label,
            late_limit_minutes=d.late_limit_minutes, variant=d.variant, period=d.period,
            instrument_id=d.instrument_id if a.instrument else None, central_exam=d.central_exam,
        )
        notes = [("waarschuwing", w.text) for w in a.warnings] + [("afwijking", n) for n in a.notes]
        with store.transaction():
            now = to_iso(self.ctx.clock())
            data.save_session(store, plan, now, user.username, new=session_id is None)
            data.set_invigilators(store, new_id, d.invigilator_ids)
            data.set_roster(store, new_id, [(cid, a.stations[cid], a.extra[cid], list(a.found[cid].facilities))
                                            for cid in a.ids])
            planning_data.set_notes(store, new_id, notes, now, user.username)
            summary: dict[str, Any] = {
                "titel": a.title, "datum": d.session_date.isoformat(), "start": format_time(d.starts_at),
                "duur": d.duration_minutes, "lokaal": a.room.label, "kandidaten": len(a.ids)}
            if a.warnings:
                summary["bevestigde waarschuwingen"] = [w.text for w in a.warnings]
            if a.notes:
                summary["afwijking routekeuze"] = a.notes
            self.ctx.audit("afname gepland" if session_id is None else "afname gewijzigd", "afname", new_id, summary)
        return data.session(store, new_id)

    def ran_times(self, plans: list[SessionPlan]) -> dict[str, tuple[datetime, datetime | None]]:
        """session id → (actual start, actual end or None while running) for the sessions that ran:
        the Afnames list shows these instead of the planned times once a session started."""
        self.ctx.require(Action.VIEW_SESSIONS)
        plans = scope.check_sessions(self.ctx, plans)
        ran = [p.id for p in plans if p.status in (SessionStatus.BEZIG, SessionStatus.AFGESLOTEN)]
        return ran_times(data.timing_events(self.ctx.store, ran)) if ran else {}

    def instrument_flags(self, plans: list[SessionPlan] | None = None) -> dict[str, str]:
        """Planned sessions whose instrument is not valid on the session date — withdrawn, changed, its
        supplier's certificate lapsed, or onder voorbehoud — session id → the register's reason."""
        self.ctx.require(Action.VIEW_SESSIONS)
        if plans is None:
            plans = data.list_sessions(self.ctx.store, scope.session_filter(self.ctx, SessionFilter(status=SessionStatus.GEPLAND)),
                                       limit=5000)
        else:
            plans = scope.check_sessions(self.ctx, plans)
        return self._flags([(p.id, p.instrument_id, p.session_date) for p in plans
                            if p.status == SessionStatus.GEPLAND and p.instrument_id])

    def flagged_count(self, f: SessionFilter) -> int:
        """How many planned sessions matching `f` (in the user's scope) `instrument_flags` would flag, read without
        building their plans: the Overzicht's Afnames card."""
        self.ctx.require(Action.VIEW_SESSIONS)
        planned = replace(f, status=SessionStatus.GEPLAND)
        return len(self._flags([row for row in data.listed_instruments(
            self.ctx.store, scope.session_filter(self.ctx, planned), limit=5000) if row[1]]))

    def _flags(self, planned: list[tuple[str, str, date]]) -> dict[str, str]:
        """(session id, instrument id, day) → the flags: the register's reason, or that it is no longer there."""
        verdicts = instruments.verdicts_for_sessions(self.ctx, [(i, on) for _s, i, on in planned])
        flags: dict[str, str] = {}
        for session_id, instrument_id, on in planned:
            verdict = verdicts.get((instrument_id, on))
            if verdict is None:
                flags[session_id] = "Het exameninstrument staat niet (meer) in het register."
            elif not verdict.valid:
                flags[session_id] = verdict.sentence
        return flags

    def planning_notes(self, session_id: str) -> list[tuple[str, str, str, str]]:
        """The warnings confirmed and deviations recorded when the session was planned."""
        from examdesk.data import planning as planning_data

        scope.visible_session(self.ctx, session_id)
        return planning_data.notes(self.ctx.store, session_id)

    def suggested_period(self, central_exam: str, on: date) -> str:
        """'2014-2015 periode 2' when `on` lies in a known afnameperiode, else ''."""
        from examdesk.data import planning as planning_data

        self.ctx.require(Action.VIEW_SESSIONS)
        return central_exam_timing(central_exam, on, planning_data.exam_windows(self.ctx.store,
                                                                                school_year_of(on))).period

    def _assess(self, draft: PlanDraft, session_id: str | None) -> _Assessment:
        from examdesk.data import planning as planning_data
        from examdesk.domain.planning import (
            CandidateFacts,
            PlanWarning,
            Slot,
            candidate_warnings,
            clashes,
            start_warning,
        )

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

        warnings: list[PlanWarning] = []
        notes: list[str] = []
        past = start_warning(d.starts_at, self.ctx.clock())
        if past:
            warnings.append(past)
        if d.exam_kind == "centraal":
            title = CENTRAL_EXAMS[d.central_exam]
            instrument = None
            timing = central_exam_timing(d.central_exam, d.session_date,
                                         planning_data.exam_windows(store, school_year_of(d.session_date)))
            if timing.problem:
                warnings.append(PlanWarning(timing.problem))
        else:
            instrument = instruments.check_on(self.ctx, d.instrument_id, d.session_date)
            title = instrument.label
            if instrument.provisional:
                warnings.append(PlanWarning(
                    f"{instrument.code} is onder voorbehoud: {instrument.provisional} Een afnamepakket voor deze "
                    "afname kan pas worden gemaakt als de examencommissie het opnieuw heeft vastgesteld."))
            if instrument.exception is not None:
                e = instrument.exception
                notes.append(f"{instrument.code} wordt buiten de routekeuze ingezet: besluit van de examencommissie "
                             f"van {format_date(e.decided_on)} ({e.decided_by}): {e.reason}")

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
        warnings += candidate_warnings(
            d.exam_kind, instrument.crebo if instrument else None, instrument.code if instrument else "",
            [CandidateFacts(cid, names[cid], found[cid].crebo, found[cid].extra_minutes) for cid in ids])

        starts_at = d.starts_at
        extra = {cid: extra_for_session(found[cid].extra_minutes, d.exam_kind) for cid in ids}
        base_end = starts_at + timedelta(minutes=d.duration_minutes)
        ends = {cid: base_end + timedelta(minutes=extra[cid]) for cid in ids}
        slot = Slot(starts_at, max([base_end, *ends.values()]), room.id, d.invigilator_ids, ends)
        invigilator_names = {uid: u.full_name for uid, u in surveillants.items()}
        found_clashes = clashes(slot, planning_data.occupations_on(store, d.session_date, session_id),
                                invigilator_names, names)
        if found_clashes:
            more = f" (en nog {len(found_clashes) - 3})" if len(found_clashes) > 3 else ""
            raise ValidationError(" ".join(found_clashes[:3]) + more)
        return _Assessment(d, room, title, instrument, ids, found, stations, extra, tuple(warnings), tuple(notes))

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
    mine = None if scope.sees_all_sessions(ctx) else ctx.user.id     # an invigilator counts their own
    counts = data.count_by_status(ctx.store, today, invigilator_id=mine)
    # counted, not read: a list of plans stopped at a thousand (a large school plans more ahead)
    planned_later = data.count_by_status(ctx.store, after=today, invigilator_id=mine, status=SessionStatus.GEPLAND).get(
        SessionStatus.GEPLAND, 0)
    total = sum(n for s, n in counts.items() if s != SessionStatus.GEANNULEERD)
    running, planned = counts.get(SessionStatus.BEZIG, 0), counts.get(SessionStatus.GEPLAND, 0)
    flags = SessionService(ctx).flagged_count(SessionFilter(date_from=today))
    lines = [
        CardLine(f"{counted(total, 'afname')} vandaag", SessionsTarget(SessionDates.TODAY)),
        CardLine(f"{number(running)} bezig", SessionsTarget(status=SessionStatus.BEZIG), warning=running > 0),
        CardLine(f"{number(planned)} nog te beginnen vandaag", SessionsTarget(SessionDates.TODAY, SessionStatus.GEPLAND)),
        CardLine(f"{number(planned_later)} gepland na vandaag", SessionsTarget(SessionDates.FUTURE, SessionStatus.GEPLAND)),
    ]
    if flags:
        lines.append(CardLine(
            f"{number(flags)} geplande {'afname' if flags == 1 else 'afnames'} met een instrument dat niet (meer) "
            "valide is", SessionsTarget(SessionDates.FUTURE, SessionStatus.GEPLAND, instrument_invalid=True),
            warning=True))
    return Card("Afnames", lines)
