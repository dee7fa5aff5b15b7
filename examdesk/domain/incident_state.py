"""The state of an incident, computed in one place from its events, the session's roster and the desk's
facts: what it now says, its route after triage, who is involved, its status, who handles it and
whether it must be reported to the Inspectie.

The desk index (`data/incident_index.py`) stores the result as plain, indexed columns; the views of
the schema only join. A change to a rule here changes `PROJECTION_VERSION`, and the index re-projects
every incident on its next read — no migration for a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from examdesk.domain.catalogue import Catalogue, HandlingRoute, default_catalogue
from examdesk.domain.incident_desk import (
    STATUSES,
    CaseFacts,
    effective_handler,
    incident_status,
    to_report,
)
from examdesk.domain.session_events import Event, FoundIncidentPayload, IncidentPayload, Kind, VoidPayload
from examdesk.domain.session_state import CandidateStatus, excluded

# Raise when a rule below (or one it calls) changes: the index then re-projects every incident.
# 2: the catalogue reviewed against the sources (issue 12): a category's route is the current catalogue's,
#    bijzonderheden, and point 7 reports only a decision that takes the measure.
# 3: an incident the commission withdrew stands on the desk as 'ingetrokken' (not 'voided' in the index).
# 4: an incident found afterwards (issue 13) stores the day it came to light (`found_on`).
PROJECTION_VERSION = "4"


@dataclass(frozen=True)
class TriageFact:
    kind: str                          # herclassificatie | twijfelgeval
    category: str | None
    route: HandlingRoute | None        # the route a reclassification gives


@dataclass(frozen=True)
class ReportFact:
    id: int
    subject: str                       # melding | twijfelgeval | besluit
    reported_on: date


@dataclass(frozen=True)
class AnswerFact:
    id: int
    report_id: int
    outcome: str                       # terugverwezen | opnieuw_afnemen


@dataclass(frozen=True)
class DeskFacts:
    """What the commission recorded about one incident, each in the order recorded."""

    triage: tuple[TriageFact, ...] = ()
    reports: tuple[ReportFact, ...] = ()
    answers: tuple[AnswerFact, ...] = ()
    # (candidate, current, takes a measure) of every decision
    decisions: tuple[tuple[int | None, bool, bool], ...] = ()
    closures: tuple[str, ...] = ()                          # afgesloten | heropend


@dataclass(frozen=True)
class IncidentState:
    """One incident as the desk, the documents and the reports see it."""

    incident_id: str                   # the original registration's id: stable through corrections
    session_id: str
    current: Event                     # the version that now stands
    corrections: int
    voided: bool
    exam_kind: str
    involved: tuple[int, ...]          # the candidates it concerns (all at work, or the ones named)
    category: str                      # after triage
    route: HandlingRoute               # after triage
    reclassified: bool
    doubtful: bool
    reported: bool                     # a melding or twijfelgeval report exists
    reported_on: date | None
    open_report: bool
    last_answer: str | None
    decision_reported: bool
    decision_count: int
    undecided: int
    closed: bool
    activity: bool
    measure_count: int = 0
    withdrawn: bool = False            # by the examencommissie: shown on the desk as 'ingetrokken'

    @property
    def found_on(self) -> str | None:
        """The day (ISO) an incident found afterwards came to light; None for one recorded in the room."""
        p = self.current.payload
        return p.found_on if isinstance(p, FoundIncidentPayload) else None

    @property
    def payload(self) -> IncidentPayload:
        return self.current.payload  # type: ignore[return-value]

    @property
    def recorded_route(self) -> HandlingRoute:
        return self.payload.route

    @property
    def facts(self) -> CaseFacts:
        return CaseFacts(
            exam_kind=self.exam_kind, route_handler=self.route.handler, protocol_point=self.route.protocol_point,
            route_to_inspectie=self.route.decision_to_inspectie, doubtful=self.doubtful, reported=self.reported,
            open_report=self.open_report, last_answer=self.last_answer, decision_reported=self.decision_reported,
            decision_count=self.decision_count, undecided=self.undecided, candidate_count=len(self.involved),
            closed=self.closed, activity=self.activity, measure_count=self.measure_count, withdrawn=self.withdrawn)

    @property
    def status(self) -> str:
        return incident_status(self.facts)

    @property
    def status_rank(self) -> int:
        return STATUSES.index(self.status)

    @property
    def effective_handler(self) -> str:
        return effective_handler(self.facts)

    @property
    def to_report(self) -> bool:
        return to_report(self.facts)


@dataclass(frozen=True)
class IncidentChain:
    """One incident's registrations in a session's record: the original, its corrections, a void."""

    original: Event
    versions: tuple[Event, ...]        # original first, then its corrections, as recorded
    voided: bool
    void: Event | None = None          # the withdrawal: the invigilator's, or the commission's with its reason

    @property
    def withdrawn_by_commission(self) -> bool:
        return self.void is not None and isinstance(self.void.payload, VoidPayload) and self.void.payload.commission

    @property
    def current(self) -> Event:
        return self.versions[-1]


def incident_chains(events: Iterable[Event]) -> dict[str, IncidentChain]:
    """original id → its chain, for every incident registration in a session's record."""
    ordered = sorted(events, key=lambda e: e.seq)
    root: dict[str, str] = {}
    versions: dict[str, list[Event]] = {}
    voided: dict[str, Event] = {}
    for e in ordered:
        if e.corrects is None:
            if isinstance(e.payload, IncidentPayload):
                versions[e.id] = [e]
            continue
        origin = root.get(e.corrects, e.corrects)
        root[e.id] = origin
        if origin not in versions:
            continue
        if e.kind == Kind.VOID:
            voided[origin] = e
        elif isinstance(e.payload, IncidentPayload):
            versions[origin].append(e)
    return {i: IncidentChain(v[0], tuple(v), i in voided, voided.get(i)) for i, v in versions.items()}


def involved_candidates(p: IncidentPayload, roster_ids: Iterable[int],
                        statuses: Mapping[int, CandidateStatus]) -> tuple[int, ...]:
    """The candidates an incident concerns: the ones named (when in the roster), or for 'alle
    kandidaten' every candidate of the roster not recorded absent or refused (`session_state.excluded`)."""
    roster = list(roster_ids)
    if p.all_candidates:
        return tuple(c for c in roster if not excluded(statuses.get(c, CandidateStatus.VERWACHT)))
    known = set(roster)
    return tuple(c for c in p.candidate_ids if c in known)


def current_route(category: str, exam_kind: str, stored: HandlingRoute, catalogue: Catalogue) -> HandlingRoute:
    """The route of a category as the catalogue now gives it (reviewed against the sources); the route
    stored with the registration or the triage only for a code the catalogue no longer knows."""
    if any(c.code == category for c in catalogue.categories):
        return catalogue.route(category, exam_kind)
    return stored


def project(chain: IncidentChain, exam_kind: str, roster_ids: Iterable[int],
            statuses: Mapping[int, CandidateStatus], desk: DeskFacts,
            catalogue: Catalogue | None = None) -> IncidentState:
    """The incident's state now (pure: the same facts always give the same state). Incidents keep the
    category code they were recorded (or reclassified) with; its route follows the catalogue."""
    catalogue = catalogue or default_catalogue()
    p: IncidentPayload = chain.current.payload  # type: ignore[assignment]
    involved = involved_candidates(p, roster_ids, statuses)
    reclassification = next((t for t in reversed(desk.triage) if t.kind == "herclassificatie"), None)
    if reclassification and reclassification.category:
        category = reclassification.category
        stored = reclassification.route or p.route
    else:
        category, stored = p.category, p.route
    route = current_route(category, exam_kind, stored, catalogue)
    answered = {a.report_id for a in desk.answers}
    reports = [r for r in desk.reports if r.subject in ("melding", "twijfelgeval")]
    current = [cid for cid, is_current, _ in desk.decisions if is_current]
    decided = set(current)
    return IncidentState(
        incident_id=chain.original.id, session_id=chain.original.session_id, current=chain.current,
        corrections=len(chain.versions) - 1, voided=chain.voided, exam_kind=exam_kind, involved=involved,
        category=category, route=route, reclassified=reclassification is not None,
        doubtful=any(t.kind == "twijfelgeval" for t in desk.triage), reported=bool(reports),
        reported_on=min((r.reported_on for r in reports), default=None),
        open_report=any(r.id not in answered for r in reports),
        last_answer=max(desk.answers, key=lambda a: a.id).outcome if desk.answers else None,
        decision_reported=any(r.subject == "besluit" for r in desk.reports), decision_count=len(current),
        measure_count=sum(1 for _, is_current, measure in desk.decisions if is_current and measure),
        undecided=sum(1 for c in involved if c not in decided),
        closed=bool(desk.closures) and desk.closures[-1] == "afgesloten", withdrawn=chain.withdrawn_by_commission,
        activity=bool(desk.triage or desk.reports or desk.decisions or desk.closures))
