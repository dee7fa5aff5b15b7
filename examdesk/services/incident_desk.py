"""The commission's incident desk: triage, Inspectie reports and answers, decisions, resits, closing.
(Over 400 lines: one use case per action of the desk, each checked and audited in one transaction.)

Only the examencommissie sees the desk and decides (`Action.VIEW_INCIDENTS`, `Action.DECIDE_INCIDENT`).
Every check runs before anything is written; each change is written and audited in one transaction.
The record is append-only: a reclassification, a revision or a reopening is a new row, the old one
stays visible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from examdesk.data import casework as casework_data
from examdesk.data import incident_desk as data
from examdesk.data import incident_index
from examdesk.data import sessions as session_data
from examdesk.data import users as user_data
from examdesk.data.db import Store
from examdesk.domain.cancel import Cancellation
from examdesk.domain.candidates import Candidate, age_on, is_minor
from examdesk.domain.casework import Hearing, SecondLogin, check_signers, hearing_before, is_sanction
from examdesk.domain.catalogue import Catalogue, default_catalogue
from examdesk.domain.clock import format_date, format_time, from_iso, to_iso
from examdesk.domain.collation import full_name_key
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.incident_desk import (
    STATUSES,
    Actions,
    Closure,
    Decision,
    DecisionInput,
    IncidentFilter,
    IncidentRow,
    InspectieAnswer,
    InspectieReport,
    ReportWait,
    ResitItem,
    TriageRecord,
    allowed_measures,
    available_actions,
    check_answer,
    check_decision,
    check_report_date,
    close_blocker,
    report_subject,
    report_wait,
    triage_explanation,
    why_no_decision,
    why_no_report,
    why_no_withdrawal,
)
from examdesk.domain.incident_state import incident_chains
from examdesk.domain.plural import counted, noun_for, number
from examdesk.domain.roles import Action, Role
from examdesk.domain.session_events import Event, IncidentPayload
from examdesk.domain.sessions import IncidentInput, LogLine, SessionPlan, fold
from examdesk.domain.users import User
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import IncidentsTarget
from examdesk.services.overview import Card, CardLine

AROUND = timedelta(minutes=30)    # the session events shown beside an incident


@dataclass(frozen=True)
class InvolvedCandidate:
    candidate_id: int
    name: str
    student_number: str
    workstation: int | None
    birth_date: date | None
    age: int | None                 # on the incident date
    minor: bool | None              # on the incident date
    decision: Decision | None       # the current one


@dataclass(frozen=True)
class IncidentCase:
    """Everything the detail panel shows about one incident."""

    row: IncidentRow
    versions: tuple[Event, ...]     # the original first, then its corrections
    plan: SessionPlan
    candidates: tuple[InvolvedCandidate, ...]
    around: tuple[LogLine, ...]     # session events within half an hour, newest first
    recorded_route: str             # the classification as recorded in the session
    explanation: str
    triage: tuple[TriageRecord, ...]
    reports: tuple[InspectieReport, ...]
    answers: tuple[InspectieAnswer, ...]
    decisions: tuple[Decision, ...]
    resits: tuple[ResitItem, ...]
    closures: tuple[Closure, ...]
    waiting: ReportWait | None      # a report due to the Inspectie, and since when ("zo spoedig mogelijk")
    actions: Actions
    category_names: dict[str, str]

    @property
    def current(self) -> Event:
        return self.versions[-1]

    @property
    def original(self) -> Event:
        return self.versions[0]

    @property
    def payload(self) -> IncidentPayload:
        """What the version that now stands says (`versions` holds incident events only)."""
        return self.current.payload  # type: ignore[return-value]

    @property
    def corrections(self) -> tuple[tuple[IncidentPayload, Event], ...]:
        """(what it said before, the correction), oldest first."""
        return tuple((older.payload, newer) for older, newer in zip(self.versions, self.versions[1:], strict=False))

    def category_name(self, code: str | None) -> str:
        return self.category_names.get(code or "", code or "")


def correction_note(correction: Event) -> str:
    """' — gecorrigeerd door de examencommissie: <reden>' for the commission's correction; '' for the invigilator's."""
    p = correction.payload
    if isinstance(p, IncidentPayload) and p.by_commission:
        return f" — gecorrigeerd door de examencommissie: {p.correction_reason}"
    return ""


def _session_choice_label(starts_at: str, title: str, variant: str, room: str) -> str:
    """'12-05-2027 09:00 · Nederlands 2F · variant A · B2.14', as the procesverbaal list names it."""
    start = from_iso(starts_at)
    return " · ".join([f"{format_date(start)} {format_time(start)}", title]
                      + ([f"variant {variant}"] if variant else []) + [room])


class IncidentDeskService:
    def __init__(self, ctx: AppContext, catalogue: Catalogue | None = None):
        self.ctx = ctx
        self.catalogue = catalogue or default_catalogue()
        self.category_names = {c.code: c.name for c in self.catalogue.categories}

    # --- the list ------------------------------------------------------------------------------------
    def _codes(self, f: IncidentFilter) -> list[str]:
        """The categories typed text names; and, run before every read of the list, the open appeal work brought
        up to today when the list is filtered on it."""
        if f.appeal:
            from examdesk.services.casework import catch_up_appeal_work

            catch_up_appeal_work(self.ctx.store, self.ctx.clock().date())
        return [c.code for c in self.catalogue.search(f.text)] if f.text.strip() else []

    def count(self, f: IncidentFilter) -> int:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.count(self.ctx.store, f, self._codes(f))

    def page(self, f: IncidentFilter, offset: int, limit: int, sort: str = "tijd",
             descending: bool = True) -> list[IncidentRow]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.page(self.ctx.store, f, offset, limit, sort, descending, self._codes(f))

    def status_counts(self, f: IncidentFilter | None = None) -> dict[str, int]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        f = f or IncidentFilter()
        return data.status_counts(self.ctx.store, f, self._codes(f))

    def known_counts(self, f: IncidentFilter, page: list[IncidentRow] | None = None) -> dict[str, int] | None:
        """The counts per status of this filter when they cost no count: remembered for this state of the
        database, or tallied from `page` — the first page when it holds the whole list (then without a status
        filter the page *is* the list: the counts come from the same query as the page). None: to be counted
        (`counting`)."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        codes = self._codes(f)
        key = data.counts_key(self.ctx.store, f, codes)
        found = data.known_counts(self.ctx.store, key)
        if found is None and page is not None and not f.status:
            found = dict.fromkeys(STATUSES, 0)
            for r in page:
                found[r.status] = found.get(r.status, 0) + 1
            data.keep_counts(self.ctx.store, key, found)
        return found

    def counting(self, f: IncidentFilter) -> tuple[Callable[[Cancellation | None], dict[str, int]],
                                                   Callable[[dict[str, int]], None]] | None:
        """The counts per status as work for a thread of its own: (count(cancel) → counts, on a read-only
        connection of its own; keep(counts), on the caller's thread, remembering them for the state of the
        database they were asked for). None where no second connection can be opened (not a file): then
        `status_counts` counts here."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        store = self.ctx.store
        if store.dialect != "sqlite" or not store.path or not Path(store.path).is_file():
            return None
        codes = self._codes(f)
        key = data.counts_key(store, f, codes)
        path = store.path

        def count(cancel: Cancellation | None = None) -> dict[str, int]:
            return data.counts_apart(path, f, codes, cancel)

        def keep(counts: dict[str, int]) -> None:
            data.keep_counts(store, key, counts)

        return count, keep

    def written_state(self) -> tuple[int, int]:
        """A mark that moves whenever the database is written (`data.db.written_state`): what a screen keeps
        with what it read, to read it again only when it moved."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.written_state(self.ctx.store)

    def filter_choices(self) -> dict[str, list[tuple[object, str]]]:
        """The short lists (categories, locations); sessions grow with the years: `session_choices`."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        choices = data.filter_choices(self.ctx.store)
        choices["categories"] = [(c.code, c.name) for c in self.catalogue.categories]
        return choices

    def session_choices(self, text: str, limit: int = 50) -> list[tuple[str, str]]:
        """Sessions with incidents whose title, room, location or date (dd-mm-jjjj) holds the typed
        text, newest first, at most `limit`."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        return [(row[0], _session_choice_label(*row[1:]))
                for row in data.sessions_with_incidents(self.ctx.store, text, limit)]

    def session_label(self, session_id: str) -> str:
        self.ctx.require(Action.VIEW_INCIDENTS)
        found = data.session_with_incidents(self.ctx.store, session_id)
        return _session_choice_label(*found[1:]) if found else ""

    def get(self, incident_id: str) -> IncidentRow:
        self.ctx.require(Action.VIEW_INCIDENTS)
        row = data.row(self.ctx.store, incident_id)
        if row is None:
            raise NotFound("Dit incident bestaat niet (meer), of is door de surveillant vervallen verklaard.")
        return row

    def incident_id_of(self, event_id: str) -> str | None:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.incident_id_of(self.ctx.store, event_id)

    def commission_members(self) -> list[User]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return sorted(user_data.active_with_role(self.ctx.store, Role.COMMISSIE), key=lambda u: full_name_key(u.full_name))

    def waiting(self, row: IncidentRow) -> ReportWait | None:
        """How long a report due to the Inspectie has waited: since the incident (a melding), since it was
        marked doubtful (a twijfelgeval), since the decision that took the measure (point 7). The source
        says "zo spoedig mogelijk" and no number of days, so this is never called late."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        subject = report_subject(row.facts) if row.to_report else None
        if subject is None:
            return None
        since = row.occurred_at
        if subject == "twijfelgeval":
            marked = [t.recorded_at for t in data.triage(self.ctx.store, row.incident_id) if t.kind == "twijfelgeval"]
            since = max(marked, default=since)
        elif subject == "besluit":
            taken = [d.recorded_at for d in data.decisions(self.ctx.store, row.incident_id) if d.current and d.measures]
            since = min(taken, default=since)
        return report_wait(subject, since, self.ctx.clock())

    # --- one incident ----------------------------------------------------------------------------------
    def case(self, incident_id: str) -> IncidentCase:
        row = self.get(incident_id)
        store = self.ctx.store
        versions = tuple(data.versions(store, incident_id))
        plan = session_data.session(store, row.session_id)
        roster = session_data.roster(store, row.session_id)
        by_id = {r.candidate_id: r for r in roster}
        decisions = tuple(data.decisions(store, incident_id))
        current = {d.candidate_id: d for d in decisions if d.current}
        involved = data.involved(store, incident_id)
        people = session_data.candidates_by_ids(store, involved)
        on = row.occurred_at.date()
        candidates = []
        for cid in involved:
            c = people.get(cid)
            if c is None:
                continue
            entry = by_id.get(cid)
            candidates.append(InvolvedCandidate(
                candidate_id=cid, name=c.full_name, student_number=c.student_number,
                workstation=entry.workstation if entry else None, birth_date=c.birth_date,
                age=age_on(c.birth_date, on) if c.birth_date else None, minor=is_minor(c.birth_date, on),
                decision=current.get(cid)))
        candidates.sort(key=lambda x: (x.workstation or 0, x.name))
        events = session_data.events(store, row.session_id)
        state = fold(plan, roster, events, self.ctx.clock(), self.category_names)
        around = tuple(line for line in state.log
                       if abs(line.at - row.occurred_at) <= AROUND and line.event_id != incident_id)
        first = versions[0].payload
        code = first.category if isinstance(first, IncidentPayload) else ""
        recorded = self.catalogue.route(code, plan.exam_kind) if code in self.category_names else None
        recorded_route = (f"{self.category_names.get(row.recorded_category, row.recorded_category)} "
                          f"{recorded.sentence}") if recorded else row.recorded_category
        answers = tuple(data.answers(store, incident_id))
        referred = next((a.answered_on for a in reversed(answers) if a.outcome == "terugverwezen"), None)
        explanation = triage_explanation(row.route, row.exam_kind, row.doubtful,
                                         referred if row.last_answer == "terugverwezen" else None)
        if row.category in self.category_names:
            explanation += f" Grond: {self.catalogue.get(row.category).ground_text}"
        withdrawal = incident_chains(events).get(incident_id)
        if row.status == "ingetrokken" and withdrawal is not None and withdrawal.void is not None:
            void = withdrawal.void
            explanation = (f"Ingetrokken door de examencommissie ({void.username}) op {format_date(void.recorded)}: "
                           f"{void.payload.reason} " + explanation)
        return IncidentCase(
            row=row, versions=versions, plan=plan, candidates=tuple(candidates), around=around,
            recorded_route=recorded_route, explanation=explanation, triage=tuple(data.triage(store, incident_id)),
            reports=tuple(data.reports(store, incident_id)), answers=answers, decisions=decisions,
            resits=tuple(data.open_resits(store, incident_id)), closures=tuple(data.closures(store, incident_id)),
            waiting=self.waiting(row), actions=available_actions(row.facts), category_names=self.category_names)

    # --- triage --------------------------------------------------------------------------------------------
    def _open_row(self, incident_id: str) -> IncidentRow:
        row = self.get(incident_id)
        if row.closed:
            raise ValidationError("Dit incident is afgesloten; heropen het eerst.")
        return row

    def reclassify(self, incident_id: str, category: str, reason: str) -> IncidentRow:
        """A new category (and so a new route) with the reason; the original stays on record."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        row = self._open_row(incident_id)
        if not reason.strip():
            raise ValidationError("Geef de reden van de herclassificatie; die wordt bij het incident bewaard.")
        new = self.catalogue.get(category)
        if new.code == row.category:
            raise ValidationError(f"Het incident staat al als '{new.name}' geclassificeerd.")
        route = self.catalogue.route(new.code, row.exam_kind)
        with self.ctx.store.transaction():
            data.insert_triage(self.ctx.store, incident_id, "herclassificatie", row.category, route.as_dict(),
                               new.code, reason.strip(), to_iso(self.ctx.clock()), user.id, user.username)
            self.ctx.audit("incident geherclassificeerd", "incident", incident_id, {
                "van": row.category, "naar": new.code, "route": route.handler, "reden": reason.strip()})
            incident_index.refresh(self.ctx.store, incident_id)
        return self.get(incident_id)

    def mark_doubtful(self, incident_id: str, reason: str) -> IncidentRow:
        """A case the commission would handle but reports to the Inspectie as a twijfelgeval."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        row = self._open_row(incident_id)
        if not reason.strip():
            raise ValidationError("Geef de reden waarom dit een twijfelgeval is.")
        if row.exam_kind != "centraal":
            raise ValidationError("Dit is een instellingsexamen: de examencommissie beslist zelf; een twijfelgeval "
                                  "melden bij de Inspectie kan alleen bij een centraal examen.")
        if row.doubtful:
            raise ValidationError("Dit incident is al als twijfelgeval gemarkeerd.")
        if row.route_handler != "examencommissie" or row.reported or row.last_answer:
            raise ValidationError("Alleen een incident dat de examencommissie zelf zou afhandelen en dat nog niet "
                                  "is gemeld, kan als twijfelgeval worden gemarkeerd.")
        with self.ctx.store.transaction():
            data.insert_triage(self.ctx.store, incident_id, "twijfelgeval", row.category, None, None,
                               reason.strip(), to_iso(self.ctx.clock()), user.id, user.username)
            self.ctx.audit("incident als twijfelgeval gemarkeerd", "incident", incident_id, {"reden": reason.strip()})
            incident_index.refresh(self.ctx.store, incident_id)
        return self.get(incident_id)

    # --- the Inspectie -------------------------------------------------------------------------------------
    def _member(self, user_id: int) -> User:
        members = {u.id: u for u in user_data.active_with_role(self.ctx.store, Role.COMMISSIE)}
        if user_id not in members:
            raise ValidationError("De melding wordt gedaan door een actief lid van de examencommissie; de gekozen "
                                  "persoon heeft die rol niet.")
        return members[user_id]

    def record_report(self, incident_id: str, reported_on: date, reference: str, reported_by: int,
                      remark: str = "") -> InspectieReport:
        """The Aanvraagformulier was sent (or the point-7 decision reported) on `reported_on`."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        row = self.get(incident_id)
        subject = report_subject(row.facts)
        if subject is None:
            raise ValidationError(why_no_report(row.facts))
        check_report_date(reported_on, row.occurred_at.date(), self.ctx.clock().date())
        who = self._member(reported_by)
        with self.ctx.store.transaction():
            report_id = data.insert_report(self.ctx.store, incident_id, subject, reported_on, reference.strip(),
                                           who.id, remark.strip(), to_iso(self.ctx.clock()), user.id, user.username)
            self.ctx.audit("gemeld bij de Inspectie", "incident", incident_id, {
                "onderwerp": subject, "datum": reported_on.isoformat(), "kenmerk": reference.strip(),
                "door": who.full_name})
            incident_index.refresh(self.ctx.store, incident_id)
        return next(r for r in data.reports(self.ctx.store, incident_id) if r.id == report_id)

    def record_answer(self, incident_id: str, outcome: str, answered_on: date, reference: str,
                      scope: str | None = None, candidate_ids: tuple[int, ...] = (),
                      remark: str = "") -> InspectieAnswer:
        """The Inspectie referred the report back, or decided the exam is retaken (wholly or partly) by the
        candidates named — they get a *herkansing nodig* item."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        self._open_row(incident_id)
        store = self.ctx.store
        answered = {a.report_id for a in data.answers(store, incident_id)}
        waiting = [r for r in data.reports(store, incident_id)
                   if r.subject in ("melding", "twijfelgeval") and r.id not in answered]
        if not waiting:
            raise ValidationError("Er is geen melding bij de Inspectie die op antwoord wacht.")
        report = waiting[-1]
        involved = set(data.involved(store, incident_id))
        ids = tuple(dict.fromkeys(candidate_ids))
        check_answer(outcome, scope, ids, answered_on, report.reported_on, self.ctx.clock().date(), involved,
                     self._names(list(ids)))
        at = to_iso(self.ctx.clock())
        with store.transaction():
            answer_id = data.insert_answer(store, report.id, incident_id, outcome, scope, list(ids), answered_on,
                                           reference.strip(), remark.strip(), at, user.id, user.username)
            for cid in ids:
                data.insert_resit(store, cid, incident_id, None, answer_id, scope or "geheel", False, at)
            self.ctx.audit("antwoord Inspectie vastgelegd", "incident", incident_id, {
                "uitkomst": outcome, "omvang": scope, "kandidaten": len(ids), "datum": answered_on.isoformat(),
                "kenmerk": reference.strip()})
            incident_index.refresh(self.ctx.store, incident_id)
        return next(a for a in data.answers(store, incident_id) if a.id == answer_id)

    # --- decisions -----------------------------------------------------------------------------------------
    def _names(self, ids: list[int]) -> dict[int, str]:
        return {cid: f"{c.full_name} ({c.student_number})"
                for cid, c in session_data.candidates_by_ids(self.ctx.store, ids).items()}

    def allowed_measures(self, incident_id: str) -> tuple[str, ...]:
        return tuple(m.value for m in allowed_measures(self.get(incident_id).protocol_point))

    def _checked(self, row: IncidentRow, d: DecisionInput, revision: bool) -> tuple[DecisionInput, dict[int, User],
                                                                                    dict[int, Candidate]]:
        store = self.ctx.store
        if is_sanction(d.measures):   # the members of a sanction are who confirm with their own login (`_sanction`)
            d = replace(d, member_ids=(self.ctx.user.id,))
        involved = set(data.involved(store, row.incident_id))
        members = {u.id: u for u in user_data.active_with_role(store, Role.COMMISSIE)}
        checked = check_decision(d, row.protocol_point, row.occurred_at.date(), self.ctx.clock().date(), involved,
                                 {i: u.full_name for i, u in members.items()}, self._names(list(d.candidate_ids)),
                                 revision=revision)
        people = session_data.candidates_by_ids(store, list(checked.candidate_ids))
        return checked, members, people

    def _sanction(self, row: IncidentRow, d: DecisionInput, targets: list[int | None],
                  logins: tuple[SecondLogin, ...]) -> tuple[DecisionInput, list[User], dict[int | None, Hearing | None]]:
        """A sanction (a measure of point 8B) needs the institution's number of members, each with their own
        login, and for each candidate a hearing record before the decision day or the reason why not. Checked
        before anything is saved; the second logins last (each one counts for the lockout, as any login)."""
        sanction = is_sanction(d.measures)
        if not sanction and not logins:
            return d, [], {}
        basis: dict[int | None, Hearing | None] = {}
        if sanction:
            if d.heard:
                raise ValidationError("Bij een sanctie blijkt het horen uit de vastlegging 'Horen…', niet uit een "
                                      "vinkje 'gehoord op': leg het horen daar vast.")
            found = casework_data.hearings(self.ctx.store, row.incident_id)
            basis = {cid: hearing_before(found, cid, d.decided_on) for cid in targets}
            unheard = [cid for cid, h in basis.items() if h is None]
            if unheard and not d.no_hearing_reason:
                name = self._names([c for c in unheard if c is not None]).get(unheard[0], "de kandidaat")
                raise ValidationError(f"{name} is niet gehoord vóór de besluitdatum. Leg eerst het horen vast (of dat "
                                      "de kandidaat afzag of niet verscheen), of geef de reden waarom de maatregel "
                                      "zonder horen wordt genomen; die reden komt in de brief.")
            if d.no_hearing_reason and not unheard:
                raise ValidationError("De kandidaat is gehoord: laat de reden voor 'niet gehoord' leeg.")
        commission = {u.id: u for u in user_data.active_with_role(self.ctx.store, Role.COMMISSIE)}
        first = self.ctx.user
        if first.id not in commission:
            raise ValidationError(f"{first.full_name} is geen actief lid van de examencommissie.")
        confirmed: list[User] = []
        for login in logins:
            if not login.username.strip():
                raise ValidationError("Vul de gebruikersnaam van het tweede lid in.")
            user = AuthService(self.ctx.store, self.ctx.clock).login(login.username, login.password)
            check_signers(first.id, [(u.id, u.full_name) for u in confirmed] + [(user.id, user.full_name)],
                          set(commission), 0)
            confirmed.append(user)
        check_signers(first.id, [(u.id, u.full_name) for u in confirmed], set(commission),
                      self._members_per_sanction() if sanction else 1)
        return replace(d, member_ids=(first.id, *(u.id for u in confirmed))), [first, *confirmed], basis

    def _members_per_sanction(self) -> int:
        """The institution's setting: how many commission members decide a sanction (default two)."""
        from examdesk.services import casework

        return casework.members_per_sanction(self.ctx.store)

    def _write_decision(self, row: IncidentRow, d: DecisionInput, candidate_id: int | None,
                        people: dict[int, Candidate], members: dict[int, User], supersedes: str | None,
                        signers: list[User] | None = None, hearings: dict[int | None, Hearing | None] | None = None
                        ) -> str:
        user = self.ctx.user
        at = to_iso(self.ctx.clock())
        person = people.get(candidate_id) if candidate_id is not None else None
        minor = is_minor(person.birth_date, d.decided_on) if person else None
        heard, heard_on = d.heard, d.heard_on
        hearing = (hearings or {}).get(candidate_id)
        if hearings:
            heard = hearing is not None and hearing.outcome == "gehoord"
            heard_on = hearing.held_on if heard and hearing else None
        if signers:
            members = {**members, **{u.id: u for u in signers}}
        decision_id = data.insert_decision(
            self.ctx.store, row.incident_id, candidate_id, d.decided_on, row.protocol_point, list(d.measures),
            d.retake_scope if "ongeldig_opnieuw" in d.measures else None, d.no_measure_reason, d.reasoning,
            heard, heard_on, minor, supersedes, d.revision_reason,
            [(m, members[m].full_name) for m in d.member_ids], at, user.id, user.username)
        if supersedes:
            casework_data.appeal_term_ended(self.ctx.store, supersedes)
        for n, signer in enumerate(signers or ()):
            casework_data.insert_signer(self.ctx.store, decision_id, signer.id, signer.username, signer.full_name,
                                        "ingelogd" if n == 0 else "tweede inlog", at)
        if hearings and hearing is None and candidate_id is not None:
            casework_data.insert_no_hearing(self.ctx.store, row.incident_id, candidate_id, d.decided_on,
                                            d.no_hearing_reason, decision_id, at, user.id, user.username)
        saved = data.decision(self.ctx.store, decision_id)
        if candidate_id is not None and saved.creates_resit:
            data.insert_resit(self.ctx.store, candidate_id, row.incident_id, decision_id, None,
                              d.retake_scope if "ongeldig_opnieuw" in d.measures else "geheel",
                              "volgend_tijdvak" in d.measures, at)
        self.ctx.audit("besluit herzien" if supersedes else "besluit genomen", "besluit", decision_id, {
            "incident": row.incident_id, "nummer": saved.number,
            "kandidaat": person.student_number if person else None, "maatregelen": list(d.measures),
            "geen_maatregel": d.no_measure_reason, "datum": d.decided_on.isoformat(), "gehoord": heard,
            "minderjarig": minor, "vervangt": supersedes}, candidates=[candidate_id])
        return decision_id

    def decide(self, incident_id: str, d: DecisionInput, logins: tuple[SecondLogin, ...] = ()) -> list[Decision]:
        """One decision per candidate named (the same measures and reasoning), or one for the incident as
        a whole when it names no candidates. A sanction is confirmed by the acting member and `logins` (each
        further member's own login) and needs each candidate's hearing or the reason why not."""
        self.ctx.require(Action.DECIDE_INCIDENT)
        row = self.get(incident_id)
        if row.closed or not row.facts.commission_decides:
            raise ValidationError(why_no_decision(row.facts))
        checked, members, people = self._checked(row, d, revision=False)
        current = {x.candidate_id: x for x in data.decisions(self.ctx.store, incident_id) if x.current}
        targets: list[int | None] = list(checked.candidate_ids) or [None]
        for cid in targets:
            if cid in current:
                who = people[cid].full_name if cid is not None else "dit incident"
                raise ValidationError(f"Over {who} is al besloten (besluit {current[cid].number}); herzie dat "
                                      "besluit in plaats van een tweede te nemen.")
        checked, signers, hearings = self._sanction(row, checked, targets, logins)
        with self.ctx.store.transaction():
            ids = [self._write_decision(row, checked, cid, people, members, None, signers, hearings)
                   for cid in targets]
            incident_index.refresh(self.ctx.store, incident_id)
        return [data.decision(self.ctx.store, i) for i in ids]

    def revise(self, decision_id: str, d: DecisionInput, logins: tuple[SecondLogin, ...] = (),
               then: Callable[[str], None] | None = None) -> Decision:
        """A new decision that supersedes the old one (which stays on record). Resits the old decision
        created are withdrawn; the new one creates its own when it voids. `then(new id)` runs in the same
        transaction (an appeal's outcome that changed the decision is recorded with it)."""
        self.ctx.require(Action.DECIDE_INCIDENT)
        old = data.decision(self.ctx.store, decision_id)
        if old is None:
            raise NotFound("Dit besluit bestaat niet.")
        if not old.current:
            raise ValidationError(f"Besluit {old.number} is al herzien; herzie het nieuwste besluit.")
        row = self._open_row(old.incident_id)
        d = replace(d, candidate_ids=(old.candidate_id,) if old.candidate_id is not None else ())
        checked, members, people = self._checked(row, d, revision=True)
        if checked.decided_on < old.decided_on:
            raise ValidationError(f"De herziening ({format_date(checked.decided_on)}) ligt vóór het besluit dat zij "
                                  f"herziet ({format_date(old.decided_on)}).")
        checked, signers, hearings = self._sanction(row, checked, [old.candidate_id], logins)
        with self.ctx.store.transaction():
            new_id = self._write_decision(row, checked, old.candidate_id, people, members, old.id, signers, hearings)
            data.withdraw_resits_of(self.ctx.store, old.id, new_id, to_iso(self.ctx.clock()))
            incident_index.refresh(self.ctx.store, old.incident_id)
            if then is not None:
                then(new_id)
        return data.decision(self.ctx.store, new_id)

    def decision(self, decision_id: str) -> Decision:
        """One decision about a candidate; the reading is audited (who looked, AVG)."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        found = data.decision(self.ctx.store, decision_id)
        if found is None:
            raise NotFound("Dit besluit bestaat niet.")
        with self.ctx.store.transaction():
            self.ctx.audit("besluit ingezien", "besluit", decision_id, {"nummer": found.number},
                           candidates=[found.candidate_id])
        return found

    # --- closing -------------------------------------------------------------------------------------------
    def close(self, incident_id: str, note: str = "") -> IncidentRow:
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        row = self.get(incident_id)
        blocker = close_blocker(row.facts)
        if blocker:
            raise ValidationError(f"Dit incident kan nog niet worden afgesloten: {blocker[0].lower()}{blocker[1:]}")
        with self.ctx.store.transaction():
            data.insert_closure(self.ctx.store, incident_id, "afgesloten", note.strip(), to_iso(self.ctx.clock()),
                                user.id, user.username)
            self.ctx.audit("incident afgesloten", "incident", incident_id, {"opmerking": note.strip()})
            incident_index.refresh(self.ctx.store, incident_id)
        return self.get(incident_id)

    def reopen(self, incident_id: str, reason: str) -> IncidentRow:
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        row = self.get(incident_id)
        if not row.closed:
            raise ValidationError("Dit incident is niet afgesloten.")
        if not reason.strip():
            raise ValidationError("Geef de reden waarom het incident wordt heropend.")
        with self.ctx.store.transaction():
            data.insert_closure(self.ctx.store, incident_id, "heropend", reason.strip(), to_iso(self.ctx.clock()),
                                user.id, user.username)
            self.ctx.audit("incident heropend", "incident", incident_id, {"reden": reason.strip()})
            incident_index.refresh(self.ctx.store, incident_id)
        return self.get(incident_id)

    # --- the commission's corrections --------------------------------------------------------------------------
    def withdraw(self, incident_id: str, reason: str) -> IncidentRow:
        """The commission withdraws an incident, with its reason (in the session's record, so the procesverbaal
        shows it); the resits its decisions created are withdrawn with it. The incident stays on the desk as
        'ingetrokken'."""
        from examdesk.services.session_mode import SessionModeService

        self.ctx.require(Action.DECIDE_INCIDENT)
        row = self.get(incident_id)
        refusal = why_no_withdrawal(row.facts)
        if refusal:
            raise ValidationError(refusal)
        with self.ctx.store.transaction():
            SessionModeService(self.ctx, row.session_id, self.catalogue).commission_withdraw_incident(
                incident_id, reason)
            incident_index.refresh(self.ctx.store, incident_id)
        return self.get(incident_id)

    def correct(self, incident_id: str, incident: IncidentInput, reason: str) -> IncidentRow:
        """The commission corrects what was recorded (after the session closed, or once it decided), with its
        reason; the correction stands beside the original on the desk and the procesverbaal."""
        from examdesk.services.session_mode import SessionModeService

        self.ctx.require(Action.DECIDE_INCIDENT)
        row = self._open_row(incident_id)
        if row.status == "ingetrokken":
            raise ValidationError("Dit incident is ingetrokken.")
        with self.ctx.store.transaction():
            SessionModeService(self.ctx, row.session_id, self.catalogue).commission_correct_incident(
                incident_id, incident, reason)
            incident_index.refresh(self.ctx.store, incident_id)
        return self.get(incident_id)

    # --- for planning -----------------------------------------------------------------------------------------
    def candidates_with_resit(self) -> list[ResitItem]:
        """*Herkansing nodig*: what the examenbureau sees when planning (Afnames screen), each item linked
        to the decision (or the Inspectie's answer) that voided the exam."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        return data.open_resits(self.ctx.store)


def catch_up(ctx: AppContext) -> None:
    """What the Incidenten card reads, brought up to date on the caller's (writing) connection: the incident index
    with the events recorded since its last catch-up, and the letters made since. Only reads — two `max(rowid)`s —
    when nothing is new, as on a start after a day without sessions; otherwise it is the work of what is new (the
    sessions it touched), done here on the GUI's connection so that the card itself, counted on a read-only
    connection of its own (`overview_card`, issue 16), never has to write."""
    incident_index.catch_up(ctx.store)
    data.letters_due(ctx.store)


def carry_counts(left: dict, store: Store, state: tuple) -> None:
    """After the Incidenten card was counted on a connection of its own (`left`: that connection's memo) for the
    GUI connection's `state`: its counts per status of the whole list are the Incidenten screen's first counts
    too, kept for that state (should the GUI's connection have written since, they are simply never asked for:
    nothing is read here, the connection may even be closed by now) — so the first open counts nothing."""
    counts = data.counts_left(left, IncidentFilter(), [])
    if counts is not None:
        data.keep_counts(store, data.counts_key(store, IncidentFilter(), [], state), counts)


def overview_card(ctx: AppContext) -> Card | None:
    """Open incidents, what is still to be reported to the Inspectie ("zo spoedig mogelijk" has no number of
    days, so nothing is called late; the incident's file says how long it has waited), and decisions whose
    letter has not been produced; each line opens the filtered list. Counted on a thread of its own, after
    `catch_up` on the GUI's connection: the counts per status are the kept ones (v021, ~3 ms on ten years; they
    were ~50 ms counted from every incident that stands), and they are carried to the screen's first open."""
    if not ctx.can(Action.VIEW_INCIDENTS):
        return None
    desk = IncidentDeskService(ctx)
    counts = desk.status_counts()
    pending = data.to_report_count(ctx.store)
    letters = data.decisions_without_letter(ctx.store)
    report_text = f"{number(pending)} te melden bij de Inspectie"
    lines = [
        CardLine(f"{number(counts['open'])} open {noun_for(counts['open'], 'incident')}",
                 IncidentsTarget(IncidentFilter(status="open"))),
        CardLine(f"{number(counts['in behandeling'])} in behandeling", IncidentsTarget(IncidentFilter(status="in behandeling"))),
        CardLine(report_text, IncidentsTarget(IncidentFilter(to_report=True)), warning=bool(pending)),
        CardLine(f"{counted(letters, 'besluit')} zonder brief",
                 IncidentsTarget(IncidentFilter(without_letter=True))),
    ]
    return Card("Incidenten", lines)
