"""Every public service method × every role, including the scope rules for invigilators (issue 11).

The table below has one row per public method of every `…Service` class in `examdesk/services/` and
per public module function there that takes a context (`ctx`) first. Each row names the gate: the
action of `domain/roles.PERMISSIONS` the call needs, and for a call about one session whether it is
the invigilator's own session or someone else's. `test_every_public_service_method_has_a_row`
introspects the services: a new public method without a row — or a row for a method that is gone —
fails the suite, so nobody can add an ungated entry point without saying who may call it.

Each call runs for each demo role inside one transaction that is rolled back afterwards. A role the
gate allows must not be refused (a Dutch ValidationError about the arguments is fine: it got past
the gate); a role it does not allow must get PermissionDenied, and nothing may have been written.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

import examdesk.services as services_package
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.data.users import by_username
from examdesk.domain.audit import AuditFilter
from examdesk.domain.candidate_import import Table as CandidateTable
from examdesk.domain.candidates import Candidate
from examdesk.domain.casework import FoundIncidentInput, HearingInput
from examdesk.domain.clock import now
from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.documents import DocumentRecord
from examdesk.domain.errors import ExamDeskError, PermissionDenied
from examdesk.domain.exam_periods import ExamWindow
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.institution import Institution
from examdesk.domain.register import Criterion, InstrumentDraft, SupplierDraft, school_year_of
from examdesk.domain.register_import import ImportKind
from examdesk.domain.roles import Action, Role, allowed
from examdesk.domain.sessions import IncidentInput, PlanDraft, SessionFilter
from examdesk.services import (
    casework,
    doc_incidenten,
    doc_jaarverslag,
    exchange,
    incident_desk,
    instruments,
    overview,
    privacy,
    register,
    register_imports,
    scope,
    session_mode,
    sessions,
)
from examdesk.services.audit import AuditService
from examdesk.services.auth import AuthService
from examdesk.services.backup import BackupService
from examdesk.services.candidates import CandidateService
from examdesk.services.casework import CaseworkService
from examdesk.services.commission_policy import CommissionPolicyService
from examdesk.services.context import AppContext
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.services.documents import DocumentService, PreparedDocument
from examdesk.services.exam_periods import ExamPeriodService
from examdesk.services.exchange import ExchangeService
from examdesk.services.exchange_keys import ExchangeKeyService
from examdesk.services.grade_determination import GradeDeterminationService
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.institution import InstitutionService
from examdesk.services.keys import KeyService
from examdesk.services.overview import OverviewService
from examdesk.services.privacy import ExamPcPrivacyService, PrivacyService
from examdesk.services.register import RegisterService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService, SessionService
from examdesk.services.users import UserService, user_names
from tests.conftest import ROLE_USERS

V, RUN = Action.VIEW_SESSIONS, Action.RUN_SESSION
TODAY = amsterdam_today()
CANDIDATE_TABLE = CandidateTable(["Studentnummer", "Achternaam"], [["999002", "Jansen"]])
CANDIDATE_MAPPING = {"student_number": "Studentnummer", "last_name": "Achternaam"}
INSTITUTION = Institution("ROC Midden-Holland", "25PZ", "Examencommissie Techniek", "Gouda")
GOOD_PASSWORD = "uil op de kerktoren"


# --- gates -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gate:
    """Who may make one call. `action` None: no role needed, and `why` says why that is right."""

    action: Action | None
    session: str = ""          # "own" / "other": the invigilator's own session, or someone else's
    hidden: bool = False       # an Overzicht card: None for whoever may not see it, instead of a refusal
    why: str = ""
    set_up: bool = True        # False: only before setup — refused to everyone in the (set-up) demo database

    def allows(self, role: Role) -> bool:
        if not self.set_up:
            return False
        if self.action is None:
            return True
        if not allowed({role}, self.action):
            return False
        return self.session != "other" or allowed({role}, Action.VIEW_ALL_SESSIONS)


def gate(action: Action, session: str = "") -> Gate:
    return Gate(action, session)


def open_to_all(why: str) -> Gate:
    return Gate(None, why=why)


def before_setup(why: str) -> Gate:
    return Gate(None, why=why, set_up=False)


@dataclass(frozen=True)
class Case:
    gate: Gate
    call: Callable[[AppContext, World], Any]
    needs: tuple[str, ...] = ()       # World properties to prepare before the snapshot (making them writes)
    label: str = ""


# --- the demo world the calls act on ----------------------------------------------------------------

class World:
    """Ids from the demo database, found once per test; `tmp` for files."""

    def __init__(self, store: Store, tmp: Path):
        self.store = store
        self.tmp = tmp
        self.jan = store.query_one("SELECT id FROM users WHERE username = 'surveillant'")[0]

    def as_(self, username: str) -> AppContext:
        return AppContext(self.store, by_username(self.store, username))

    @cached_property
    def _plans(self) -> list:
        return session_data.list_sessions(self.store, SessionFilter())

    def _pick(self, mine: bool) -> str:
        plans = [p for p in self._plans if (self.jan in {u for u, _ in p.invigilators}) == mine]
        running = [p for p in plans if p.status == "bezig"]
        return (running or plans)[0].id

    @cached_property
    def own(self) -> str:
        return self._pick(True)

    @cached_property
    def other(self) -> str:
        return self._pick(False)

    def session(self, which: str) -> str:
        return self.own if which == "own" else self.other

    def plan(self, which: str):
        return session_data.session(self.store, self.session(which))

    @cached_property
    def candidate(self) -> int:
        return self.store.query_one("SELECT id FROM candidates ORDER BY id LIMIT 1")[0]

    @cached_property
    def event(self) -> str:
        return session_data.events(self.store, self.own)[-1].id

    @cached_property
    def incident(self) -> str:
        return IncidentDeskService(self.as_("commissie")).page(IncidentFilter(), 0, 1)[0].incident_id

    @cached_property
    def incident_row(self):
        return IncidentDeskService(self.as_("commissie")).get(self.incident)

    @cached_property
    def decision(self) -> str:
        return self.store.query_one("SELECT id FROM decisions LIMIT 1")[0]

    @cached_property
    def instrument(self) -> tuple[str, str, str]:
        r = self.store.query_one("SELECT id, code, crebo FROM instruments ORDER BY code LIMIT 1")
        return r[0], r[1], r[2]

    @cached_property
    def supplier(self) -> str:
        return self.store.query_one("SELECT id FROM suppliers LIMIT 1")[0]

    @cached_property
    def package(self):
        """A session package made by the examenbureau, read back."""
        service = ExchangeService(self.as_("bureau"))
        out = self.tmp / "pakket.examdesk"
        sent = service.export_package([service.package_choices()[0].id], out)
        return service.read(out, sent.setup_code)

    def missing(self, name: str) -> Path:
        return self.tmp / "bestaat-niet" / name


def _desk(ctx: AppContext) -> IncidentDeskService:
    return IncidentDeskService(ctx)


def _register(ctx: AppContext) -> RegisterService:
    return RegisterService(ctx)


def _mode_cases(action: Action, call: Callable[[SessionModeService, World], Any]) -> list[Case]:
    """A session-mode call on the invigilator's own session and on someone else's."""
    def on(which: str) -> Callable[[AppContext, World], Any]:
        return lambda ctx, w: call(SessionModeService(ctx, w.session(which)), w)

    return [Case(gate(action, which), on(which), label=which) for which in ("own", "other")]


def _session_cases(action: Action, call: Callable[[AppContext, World, str], Any]) -> list[Case]:
    def on(which: str) -> Callable[[AppContext, World], Any]:
        return lambda ctx, w: call(ctx, w, which)

    return [Case(gate(action, which), on(which), label=which) for which in ("own", "other")]


def _one(g: Gate, call: Callable[[AppContext, World], Any], *needs: str) -> list[Case]:
    return [Case(g, call, tuple(needs))]


MATRIX: dict[str, list[Case]] = {
    # --- audit -----------------------------------------------------------------------------------------
    "AuditService.count": _one(gate(Action.VIEW_AUDIT), lambda ctx, w: AuditService(ctx).count(AuditFilter())),
    "AuditService.page": _one(gate(Action.VIEW_AUDIT), lambda ctx, w: AuditService(ctx).page(AuditFilter(), 0, 5)),
    "AuditService.lines": _one(gate(Action.VIEW_AUDIT), lambda ctx, w: AuditService(ctx).lines(AuditFilter(), 0, 5)),
    "AuditService.actions": _one(gate(Action.VIEW_AUDIT), lambda ctx, w: AuditService(ctx).actions()),
    "AuditService.verify": _one(gate(Action.VIEW_AUDIT), lambda ctx, w: AuditService(ctx).verify()),
    # --- login (before anyone is logged in) ------------------------------------------------------------
    "AuthService.needs_setup": _one(open_to_all("asked before any login"),
                                    lambda ctx, w: AuthService(ctx.store).needs_setup()),
    "AuthService.setup": _one(open_to_all("only on an empty database; refused once it is set up"),
                              lambda ctx, w: AuthService(ctx.store).setup(INSTITUTION, "x", "X", GOOD_PASSWORD)),
    "AuthService.login": _one(open_to_all("the way in"), lambda ctx, w: AuthService(ctx.store).login("bureau", "demo")),
    # --- backups ---------------------------------------------------------------------------------------
    "BackupService.list": _one(gate(Action.MANAGE_BACKUPS), lambda ctx, w: BackupService(ctx).list()),
    "BackupService.folder": _one(open_to_all("a folder name, no data"), lambda ctx, w: BackupService(ctx).folder()),
    "BackupService.backup_now": _one(gate(Action.MANAGE_BACKUPS), lambda ctx, w: BackupService(ctx).backup_now(
        w.tmp / f"b-{ctx.user.username}.sqlite")),
    "BackupService.retention": _one(gate(Action.MANAGE_BACKUPS), lambda ctx, w: BackupService(ctx).retention()),
    "BackupService.set_retention": _one(gate(Action.MANAGE_BACKUPS),
                                        lambda ctx, w: BackupService(ctx).set_retention(5, 3)),
    "BackupService.restore": _one(gate(Action.MANAGE_BACKUPS),
                                  lambda ctx, w: BackupService(ctx).restore(w.missing("b.sqlite"))),
    # --- keys ----------------------------------------------------------------------------------------------
    "KeyService.info": _one(gate(Action.MANAGE_BACKUPS), lambda ctx, w: KeyService(ctx).info()),
    "KeyService.export": _one(gate(Action.MANAGE_BACKUPS), lambda ctx, w: KeyService(ctx).export(
        w.tmp / f"sleutels-{ctx.user.username}.examdesk-keys", GOOD_PASSWORD + " lang")),
    # --- candidates --------------------------------------------------------------------------------------
    "CandidateService.search": _one(gate(Action.VIEW_CANDIDATES), lambda ctx, w: CandidateService(ctx).search()),
    "CandidateService.by_ids": _one(gate(Action.VIEW_CANDIDATES),
                                    lambda ctx, w: CandidateService(ctx).by_ids([w.candidate])),
    "CandidateService.get": _one(gate(Action.VIEW_CANDIDATES), lambda ctx, w: CandidateService(ctx).get(w.candidate)),
    "CandidateService.filters": _one(gate(Action.VIEW_CANDIDATES), lambda ctx, w: CandidateService(ctx).filters()),
    "CandidateService.save": _one(gate(Action.MANAGE_CANDIDATES), lambda ctx, w: CandidateService(ctx).save(
        Candidate("999001", "Nieuw", first_name="Kandidaat"))),
    "CandidateService.mapping_sources": _one(gate(Action.MANAGE_CANDIDATES),
                                             lambda ctx, w: CandidateService(ctx).mapping_sources()),
    "CandidateService.mapping_for": _one(gate(Action.MANAGE_CANDIDATES),
                                         lambda ctx, w: CandidateService(ctx).mapping_for("Osiris", ["Studentnr"])),
    "CandidateService.preview_import": _one(gate(Action.MANAGE_CANDIDATES), lambda ctx, w: CandidateService(
        ctx).preview_import(CANDIDATE_TABLE, CANDIDATE_MAPPING, "matrix")),
    "CandidateService.apply_import": _one(gate(Action.MANAGE_CANDIDATES), lambda ctx, w: CandidateService(
        ctx).apply_import(CANDIDATE_TABLE, CandidateService(w.as_("bureau")).preview_import(
            CANDIDATE_TABLE, CANDIDATE_MAPPING, "matrix"))),
    "CandidateService.preview_file": _one(gate(Action.MANAGE_CANDIDATES),
                                          lambda ctx, w: CandidateService(ctx).preview_file(w.missing("k.csv"))),
    # --- afnameperiodes ------------------------------------------------------------------------------------
    "ExamPeriodService.windows": _one(gate(Action.VIEW_SESSIONS), lambda ctx, w: ExamPeriodService(ctx).windows()),
    "ExamPeriodService.add": _one(gate(Action.PLAN_SESSION), lambda ctx, w: ExamPeriodService(ctx).add(
        ExamWindow("2030-2031", 1, date(2030, 9, 2), date(2030, 9, 27), "Ned3F"))),
    "ExamPeriodService.import_file": _one(gate(Action.PLAN_SESSION),
                                          lambda ctx, w: ExamPeriodService(ctx).import_file(w.missing("p.csv"))),
    # --- documents ---------------------------------------------------------------------------------------
    "DocumentService.issue": _one(gate(Action.PRODUCE_DOCUMENTS),
                                  lambda ctx, w: DocumentService(ctx).issue("procesverbaal", w.own)),
    "DocumentService.prepare": _one(gate(Action.PRODUCE_DOCUMENTS),
                                    lambda ctx, w: DocumentService(ctx).prepare("procesverbaal", w.own)),
    "DocumentService.record": _one(gate(Action.PRODUCE_DOCUMENTS), lambda ctx, w: DocumentService(ctx).record(
        PreparedDocument(DocumentRecord("voorbeeld", "procesverbaal", w.own, "t", "0" * 64, "2026-01-01T00:00:00+01:00",
                                        "iemand anders", "m"), b"%PDF", False, "iemand-anders"))),
    "DocumentService.subjects": _one(gate(Action.PRODUCE_DOCUMENTS),
                                     lambda ctx, w: DocumentService(ctx).subjects("procesverbaal")),
    "DocumentService.stored_pdf": _one(gate(Action.PRODUCE_DOCUMENTS),
                                       lambda ctx, w: DocumentService(ctx).stored_pdf("onbekend")),
    "DocumentService.recent": _one(gate(Action.PRODUCE_DOCUMENTS), lambda ctx, w: DocumentService(ctx).recent()),
    "DocumentService.latest": _one(gate(Action.PRODUCE_DOCUMENTS),
                                   lambda ctx, w: DocumentService(ctx).latest("procesverbaal", w.own)),
    "DocumentService.is_outdated": _one(gate(Action.PRODUCE_DOCUMENTS),
                                        lambda ctx, w: DocumentService(ctx).is_outdated("procesverbaal", w.own)),
    "DocumentService.verify_pdf": _one(open_to_all("whoever holds a saved document may check it, as "
                                                   "`examdesk verify-document` does without logging in"),
                                       lambda ctx, w: DocumentService(ctx).verify_pdf(b"%PDF-1.4 geen ExamDesk")),
    "DocumentService.check_paper": _one(open_to_all("whoever holds a printed document may check it"),
                                        lambda ctx, w: DocumentService(ctx).check_paper({1: "ABCD", 2: "EF01"})),
    "doc_incidenten.export_incidents": _one(gate(Action.PRODUCE_DOCUMENTS), lambda ctx, w: doc_incidenten.export_incidents(
        ctx, IncidentFilter(date_from=date(2000, 1, 1), date_to=TODAY), w.tmp / f"i-{ctx.user.username}.csv")),
    "doc_jaarverslag.export_annual_report": _one(gate(Action.PRODUCE_DOCUMENTS), lambda ctx, w: (
        doc_jaarverslag.export_annual_report(ctx, school_year_of(TODAY), w.tmp / f"jv-{ctx.user.username}.xlsx"))),
    "CommissionPolicyService.current": _one(gate(Action.PRODUCE_DOCUMENTS), lambda ctx, w: CommissionPolicyService(
        ctx).current(school_year_of(TODAY))),
    "CommissionPolicyService.save": _one(gate(Action.CHOOSE_ROUTES), lambda ctx, w: CommissionPolicyService(
        ctx).save(school_year_of(TODAY), f"Beleid volgens {ctx.user.username}")),
    "GradeDeterminationService.current": _session_cases(V, lambda ctx, w, which: GradeDeterminationService(
        ctx).current(w.session(which))),
    "GradeDeterminationService.record": _one(gate(Action.RECORD_RESULTS), lambda ctx, w: GradeDeterminationService(
        ctx).record(w.own, TODAY, "Petra Smit", "Eduarte")),
    # --- exchange --------------------------------------------------------------------------------------
    "ExchangeService.package_choices": _one(gate(Action.PLAN_SESSION),
                                            lambda ctx, w: ExchangeService(ctx).package_choices()),
    "ExchangeService.record_choices": _one(gate(Action.EXCHANGE), lambda ctx, w: ExchangeService(ctx).record_choices()),
    "ExchangeService.export_package": _one(gate(Action.PLAN_SESSION), lambda ctx, w: ExchangeService(ctx).export_package(
        [w.own], w.tmp / f"p-{ctx.user.username}.examdesk")),
    "ExchangeService.export_record": _session_cases(Action.EXCHANGE, lambda ctx, w, which: ExchangeService(
        ctx).export_record([w.session(which)], w.tmp / f"v-{which}-{ctx.user.username}.examdesk")),
    "ExchangeService.read": _one(gate(Action.EXCHANGE),
                                 lambda ctx, w: ExchangeService(ctx).read(w.missing("x.examdesk"))),
    "ExchangeService.preview": _one(gate(Action.EXCHANGE),
                                    lambda ctx, w: ExchangeService(ctx).preview(w.missing("x.examdesk"))),
    "ExchangeService.import_file": _one(gate(Action.EXCHANGE),
                                        lambda ctx, w: ExchangeService(ctx).import_file(w.missing("x.examdesk"))),
    "ExchangeService.verify_origins": _session_cases(V, lambda ctx, w, which: ExchangeService(ctx).verify_origins(
        w.session(which))),
    "ExchangeService.log": _one(gate(Action.EXCHANGE), lambda ctx, w: ExchangeService(ctx).log()),
    "ExchangeService.package_recipients": _one(gate(Action.PLAN_SESSION),
                                               lambda ctx, w: ExchangeService(ctx).package_recipients()),
    "ExchangeKeyService.pinned": _one(gate(Action.TRUST_EXCHANGE_KEY), lambda ctx, w: ExchangeKeyService(ctx).pinned()),
    "ExchangeKeyService.own_fingerprint": _one(gate(Action.TRUST_EXCHANGE_KEY),
                                               lambda ctx, w: ExchangeKeyService(ctx).own_fingerprint()),
    "ExchangeKeyService.signer": _one(gate(Action.TRUST_EXCHANGE_KEY), lambda ctx, w: ExchangeKeyService(ctx).signer(
        w.missing("x.examdesk"))),
    "ExchangeKeyService.trust": _one(gate(Action.TRUST_EXCHANGE_KEY), lambda ctx, w: ExchangeKeyService(ctx).trust(
        w.missing("x.examdesk"), "0000 0000")),
    "ExchangeKeyService.revoke": _one(gate(Action.TRUST_EXCHANGE_KEY), lambda ctx, w: ExchangeKeyService(ctx).revoke(
        "00000000", "laptop gestolen")),
    "users.user_names": _one(open_to_all("names the people on lines every role may already read"),
                             lambda ctx, w: user_names(ctx)),
    "exchange.needs_setup": _one(open_to_all("asked before any login"), lambda ctx, w: exchange.needs_setup(ctx)),
    "exchange.import_into_new_database": _one(before_setup("only into an empty exam PC, before any account exists"),
                                              lambda ctx, w: exchange.import_into_new_database(ctx, w.missing("x.examdesk"))),
    # --- the incident desk (commission) ------------------------------------------------------------------
    "IncidentDeskService.count": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).count(IncidentFilter())),
    "IncidentDeskService.page": _one(gate(Action.VIEW_INCIDENTS),
                                     lambda ctx, w: _desk(ctx).page(IncidentFilter(), 0, 5)),
    "IncidentDeskService.status_counts": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).status_counts()),
    "IncidentDeskService.known_counts": _one(gate(Action.VIEW_INCIDENTS),
                                             lambda ctx, w: _desk(ctx).known_counts(IncidentFilter())),
    "IncidentDeskService.counting": _one(gate(Action.VIEW_INCIDENTS),
                                         lambda ctx, w: _desk(ctx).counting(IncidentFilter(status="open"))),
    "IncidentDeskService.written_state": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).written_state()),
    "IncidentDeskService.filter_choices": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).filter_choices()),
    "IncidentDeskService.session_choices": _one(gate(Action.VIEW_INCIDENTS),
                                                lambda ctx, w: _desk(ctx).session_choices("", 5)),
    "IncidentDeskService.session_label": _one(gate(Action.VIEW_INCIDENTS),
                                              lambda ctx, w: _desk(ctx).session_label(w.session("own"))),
    "IncidentDeskService.get": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).get(w.incident), "incident"),
    "IncidentDeskService.incident_id_of": _one(gate(Action.VIEW_INCIDENTS),
                                               lambda ctx, w: _desk(ctx).incident_id_of(w.event), "event"),
    "IncidentDeskService.commission_members": _one(gate(Action.VIEW_INCIDENTS),
                                                   lambda ctx, w: _desk(ctx).commission_members()),
    "IncidentDeskService.waiting": _one(gate(Action.VIEW_INCIDENTS),
                                        lambda ctx, w: _desk(ctx).waiting(w.incident_row), "incident_row"),
    "IncidentDeskService.case": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).case(w.incident), "incident"),
    "IncidentDeskService.reclassify": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).reclassify(
        w.incident, "ONWEL", "andere categorie"), "incident"),
    "IncidentDeskService.mark_doubtful": _one(gate(Action.DECIDE_INCIDENT),
                                              lambda ctx, w: _desk(ctx).mark_doubtful(w.incident, "twijfel"), "incident"),
    "IncidentDeskService.record_report": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).record_report(
        w.incident, TODAY, "REF-1", ctx.user.id), "incident"),
    "IncidentDeskService.record_answer": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).record_answer(
        w.incident, "geen maatregel", TODAY, "REF-2"), "incident"),
    "IncidentDeskService.allowed_measures": _one(gate(Action.VIEW_INCIDENTS),
                                                 lambda ctx, w: _desk(ctx).allowed_measures(w.incident), "incident"),
    "IncidentDeskService.decide": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).decide(
        w.incident, DecisionInput((), TODAY, (ctx.user.id,))), "incident"),
    "IncidentDeskService.revise": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).revise(
        w.decision, DecisionInput((), TODAY, (ctx.user.id,), revision_reason="herzien")), "decision"),
    "IncidentDeskService.decision": _one(gate(Action.VIEW_INCIDENTS), lambda ctx, w: _desk(ctx).decision(w.decision),
                                         "decision"),
    "IncidentDeskService.close": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).close(w.incident),
                                      "incident"),
    "IncidentDeskService.reopen": _one(gate(Action.DECIDE_INCIDENT),
                                       lambda ctx, w: _desk(ctx).reopen(w.incident, "nieuwe informatie"), "incident"),
    "IncidentDeskService.withdraw": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).withdraw(
        w.incident, "dubbel vastgelegd"), "incident"),
    "IncidentDeskService.correct": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: _desk(ctx).correct(
        w.incident, IncidentInput("OVERIG", what_happened="x"), "na afloop gemeld"), "incident"),
    "DecisionLetterService.state": _one(gate(Action.VIEW_INCIDENTS),
                                        lambda ctx, w: DecisionLetterService(ctx).state(w.decision), "decision"),
    "DecisionLetterService.answer_minor": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: DecisionLetterService(
        ctx).answer_minor(w.decision, True), "decision"),
    "DecisionLetterService.record_dispatch": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: DecisionLetterService(
        ctx).record_dispatch(w.decision, TODAY), "decision"),
    # --- the commission's whole case (issue 13) -------------------------------------------------------------
    "CaseworkService.record_found_incident": _one(gate(Action.RECORD_FOUND_INCIDENT), lambda ctx, w: CaseworkService(
        ctx).record_found_incident(w.other, FoundIncidentInput("CIJFER_ONJUIST", TODAY, "controle_resultaten", "x",
                                                                "cijfer verkeerd ingevoerd", all_candidates=True))),
    "CaseworkService.extras": _one(gate(Action.VIEW_INCIDENTS),
                                   lambda ctx, w: CaseworkService(ctx).extras(w.incident), "incident"),
    "CaseworkService.attach": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: CaseworkService(ctx).attach(
        w.incident, "scan.pdf", b"%PDF-1.4\n%%EOF\n"), "incident"),
    "CaseworkService.attachments": _one(gate(Action.VIEW_INCIDENTS),
                                        lambda ctx, w: CaseworkService(ctx).attachments(w.incident), "incident"),
    "CaseworkService.open_attachment": _one(gate(Action.VIEW_INCIDENTS),
                                            lambda ctx, w: CaseworkService(ctx).open_attachment(1)),
    "CaseworkService.record_hearing": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: CaseworkService(
        ctx).record_hearing(w.incident, HearingInput(w.candidate, TODAY, "brief", "afgezien")), "incident"),
    "CaseworkService.hearings": _one(gate(Action.VIEW_INCIDENTS),
                                     lambda ctx, w: CaseworkService(ctx).hearings(w.incident), "incident"),
    "CaseworkService.members_per_sanction": _one(gate(Action.VIEW_OVERVIEW),
                                                 lambda ctx, w: CaseworkService(ctx).members_per_sanction()),
    "CaseworkService.set_members_per_sanction": _one(gate(Action.EDIT_INSTITUTION),
                                                     lambda ctx, w: CaseworkService(ctx).set_members_per_sanction(3)),
    "CaseworkService.signers": _one(gate(Action.VIEW_INCIDENTS),
                                    lambda ctx, w: CaseworkService(ctx).signers(w.decision), "decision"),
    "CaseworkService.appeal_term": _one(gate(Action.VIEW_INCIDENTS),
                                        lambda ctx, w: CaseworkService(ctx).appeal_term(w.decision), "decision"),
    "CaseworkService.lodge_appeal": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: CaseworkService(
        ctx).lodge_appeal(w.decision, TODAY, "de kandidaat"), "decision"),
    "CaseworkService.record_appeal_hearing": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: CaseworkService(
        ctx).record_appeal_hearing(1, TODAY)),
    "CaseworkService.record_appeal_outcome": _one(gate(Action.DECIDE_INCIDENT), lambda ctx, w: CaseworkService(
        ctx).record_appeal_outcome(1, "in_stand", TODAY)),
    "CaseworkService.appeals": _one(gate(Action.VIEW_INCIDENTS),
                                    lambda ctx, w: CaseworkService(ctx).appeals(w.incident), "incident"),
    "CaseworkService.running_terms": _one(gate(Action.VIEW_INCIDENTS),
                                          lambda ctx, w: CaseworkService(ctx).running_terms()),
    "CaseworkService.history": _one(gate(Action.VIEW_INCIDENTS),
                                    lambda ctx, w: CaseworkService(ctx).history(w.candidate)),
    "IncidentDeskService.candidates_with_resit": _one(gate(Action.VIEW_CANDIDATES),
                                                      lambda ctx, w: _desk(ctx).candidates_with_resit()),
    "incident_desk.overview_card": _one(Gate(Action.VIEW_INCIDENTS, hidden=True),
                                        lambda ctx, w: incident_desk.overview_card(ctx)),
    "casework.overview_card": _one(Gate(Action.VIEW_INCIDENTS, hidden=True), lambda ctx, w: casework.overview_card(ctx)),
    "casework.catch_up": _one(open_to_all("brings the derived appeal work up to today before the Overzicht takes its "
                                          "state; shows and grants nothing"), lambda ctx, w: casework.catch_up(ctx)),
    "incident_desk.catch_up": _one(open_to_all("brings the derived incident index up to date before the Overzicht "
                                               "takes its state; shows and grants nothing"),
                                   lambda ctx, w: incident_desk.catch_up(ctx)),
    # --- institution and overview ------------------------------------------------------------------------
    "InstitutionService.get": _one(open_to_all("name and BRIN stand on every screen and document"),
                                   lambda ctx, w: InstitutionService(ctx).get()),
    "InstitutionService.update": _one(gate(Action.EDIT_INSTITUTION),
                                      lambda ctx, w: InstitutionService(ctx).update(INSTITUTION)),
    "OverviewService.cards": _one(gate(Action.VIEW_OVERVIEW), lambda ctx, w: OverviewService(ctx).cards()),
    "OverviewService.plan": _one(gate(Action.VIEW_OVERVIEW), lambda ctx, w: OverviewService(ctx).plan()),
    "overview.once_per_state": _one(open_to_all("a memo of a card its provider gated before asking"),
                                    lambda ctx, w: overview.once_per_state(ctx, "test", lambda: None)),
    # --- privacy (issue 18) ------------------------------------------------------------------------------
    "PrivacyService.retention": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).retention()),
    "PrivacyService.set_retention": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).set_retention(
        "resultaten", 30)),
    "PrivacyService.due": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).due()),
    "PrivacyService.due_counts": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).due_counts()),
    "PrivacyService.due_page": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).due_page(0, 10)),
    "PrivacyService.anonymise": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).anonymise(
        [w.candidate], date(2045, 1, 1))),
    "PrivacyService.accounts_due": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(ctx).accounts_due()),
    "PrivacyService.anonymise_accounts": _one(gate(Action.MANAGE_PRIVACY), lambda ctx, w: PrivacyService(
        ctx).anonymise_accounts([w.jan], date(2045, 1, 1))),
    "PrivacyService.subject_access": _one(gate(Action.SUBJECT_ACCESS), lambda ctx, w: PrivacyService(ctx).subject_access(
        w.store.query_one("SELECT student_number FROM candidates WHERE id = ?", (w.candidate,))[0])),
    "PrivacyService.write_subject_access": _one(gate(Action.SUBJECT_ACCESS), lambda ctx, w: PrivacyService(
        ctx).write_subject_access("999999", w.tmp / "inzage")),
    "PrivacyService.candidate_for_audit": _one(gate(Action.VIEW_AUDIT), lambda ctx, w: PrivacyService(
        ctx).candidate_for_audit("999999")),
    "ExamPcPrivacyService.export_receipt": _one(gate(Action.EXCHANGE), lambda ctx, w: ExamPcPrivacyService(
        ctx).export_receipt([w.own], w.tmp / "bewijs")),
    "ExamPcPrivacyService.import_receipt": _one(gate(Action.EXCHANGE), lambda ctx, w: ExamPcPrivacyService(
        ctx).import_receipt(w.missing("bewijs.ontvangstbewijs"))),
    "ExamPcPrivacyService.held_here": _one(gate(Action.EXCHANGE), lambda ctx, w: ExamPcPrivacyService(ctx).held_here()),
    "privacy.overview_card": _one(Gate(Action.MANAGE_PRIVACY, hidden=True), lambda ctx, w: privacy.overview_card(ctx)),
    # --- the register ------------------------------------------------------------------------------------
    "RegisterService.store": _one(open_to_all("the context's own store, for the import planner"),
                                  lambda ctx, w: _register(ctx).store),
    "RegisterService.today": _one(open_to_all("the date, from the context's clock"), lambda ctx, w: _register(ctx).today()),
    "RegisterService.qualification": _one(gate(Action.VIEW_REGISTER),
                                          lambda ctx, w: _register(ctx).qualification(w.instrument[2])),
    "RegisterService.list_qualifications": _one(gate(Action.VIEW_REGISTER),
                                                lambda ctx, w: _register(ctx).list_qualifications()),
    "RegisterService.supplier": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).supplier(w.supplier)),
    "RegisterService.list_suppliers": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).list_suppliers()),
    "RegisterService.instrument": _one(gate(Action.VIEW_REGISTER),
                                       lambda ctx, w: _register(ctx).instrument(w.instrument[0])),
    "RegisterService.instrument_by_code": _one(gate(Action.VIEW_REGISTER),
                                               lambda ctx, w: _register(ctx).instrument_by_code(w.instrument[1])),
    "RegisterService.list_instruments": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).list_instruments()),
    "RegisterService.history": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).history(w.instrument[0])),
    "RegisterService.validity_on": _one(gate(Action.VIEW_REGISTER),
                                        lambda ctx, w: _register(ctx).validity_on(w.instrument[0], TODAY)),
    "RegisterService.view": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).view()),
    "RegisterService.add_supplier": _one(gate(Action.EDIT_REGISTER),
                                         lambda ctx, w: _register(ctx).add_supplier(SupplierDraft("Matrix Leverancier BV"))),
    "RegisterService.update_supplier": _one(gate(Action.EDIT_REGISTER), lambda ctx, w: _register(ctx).update_supplier(
        w.supplier, SupplierDraft("Hernoemde Leverancier BV"))),
    "RegisterService.add_instrument": _one(gate(Action.EDIT_REGISTER), lambda ctx, w: _register(ctx).add_instrument(
        InstrumentDraft("MATRIX-1", "Proeve", w.instrument[2], "kerntaak 1", "proeve van bekwaamheid", False, 2))),
    "RegisterService.update_instrument": _one(gate(Action.EDIT_REGISTER), lambda ctx, w: _register(ctx).update_instrument(
        w.instrument[0], InstrumentDraft(w.instrument[1], "Nieuwe titel", w.instrument[2], "kerntaak 1",
                                         "proeve van bekwaamheid", False, 2))),
    "RegisterService.adopt": _one(gate(Action.ADOPT_INSTRUMENT),
                                  lambda ctx, w: _register(ctx).adopt(w.instrument[0], TODAY, "EC-2026-99")),
    "RegisterService.mark_changed": _one(gate(Action.EDIT_REGISTER),
                                         lambda ctx, w: _register(ctx).mark_changed(w.instrument[0], "nieuwe versie")),
    "RegisterService.mark_provisional": _one(gate(Action.EDIT_REGISTER),
                                             lambda ctx, w: _register(ctx).mark_provisional(w.instrument[0], "voorlopig")),
    "RegisterService.withdraw": _one(gate(Action.EDIT_REGISTER),
                                     lambda ctx, w: _register(ctx).withdraw(w.instrument[0], "ingetrokken")),
    "RegisterService.route_choice": _one(gate(Action.VIEW_REGISTER),
                                         lambda ctx, w: _register(ctx).route_choice(w.instrument[2], "2025-2026")),
    "RegisterService.route_choices": _one(gate(Action.VIEW_REGISTER),
                                          lambda ctx, w: _register(ctx).route_choices("2025-2026")),
    "RegisterService.set_route_choice": _one(gate(Action.CHOOSE_ROUTES), lambda ctx, w: _register(ctx).set_route_choice(
        w.instrument[2], "2025-2026", [1, 2], "afweging", TODAY)),
    "RegisterService.check_import": _one(gate(Action.IMPORT_REGISTER), lambda ctx, w: _register(ctx).check_import(
        ImportKind.QUALIFICATIONS, w.missing("q.csv"))),
    "RegisterService.run_import": _one(gate(Action.IMPORT_REGISTER), lambda ctx, w: _register(ctx).run_import(
        ImportKind.QUALIFICATIONS, w.missing("q.csv"))),
    # the import use case itself gates too, whoever calls it
    "register_imports.plan_import": _one(gate(Action.IMPORT_REGISTER), lambda ctx, w: register_imports.plan_import(
        ctx, ImportKind.QUALIFICATIONS, w.missing("q.csv"))),
    "register_imports.apply_import": _one(gate(Action.IMPORT_REGISTER), lambda ctx, w: register_imports.apply_import(
        ctx, ImportKind.QUALIFICATIONS, w.missing("q.csv"), False)),
    "RegisterService.export": _one(gate(Action.EXPORT_REGISTER),
                                   lambda ctx, w: _register(ctx).export(w.tmp / f"r-{ctx.user.username}.csv")),
    "register.overview_card": _one(Gate(Action.VIEW_REGISTER, hidden=True), lambda ctx, w: register.overview_card(ctx)),
    "RegisterService.criteria": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).criteria(
        w.instrument[0])),
    "RegisterService.route_exception": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: _register(ctx).route_exception(
        w.instrument[0], "2026-2027")),
    "RegisterService.record_criterion": _one(gate(Action.EDIT_REGISTER), lambda ctx, w: _register(ctx).record_criterion(
        w.instrument[0], Criterion.FRAME, True, "M. de Vries", TODAY)),
    "RegisterService.set_route_exception": _one(gate(Action.CHOOSE_ROUTES), lambda ctx, w: _register(
        ctx).set_route_exception(w.instrument[0], "2026-2027", "Geen ander aanbod voor deze kerntaak.")),
    "instruments.choices": _one(gate(Action.VIEW_REGISTER), lambda ctx, w: instruments.choices(ctx)),
    "instruments.check_on": _one(gate(Action.VIEW_REGISTER),
                                 lambda ctx, w: instruments.check_on(ctx, w.instrument[0], TODAY)),
    # --- invigilators' scope -------------------------------------------------------------------------------
    "scope.sees_all_sessions": _one(open_to_all("a predicate about the caller"),
                                    lambda ctx, w: scope.sees_all_sessions(ctx)),
    "scope.sees_candidate_files": _one(open_to_all("a predicate about the caller"),
                                       lambda ctx, w: scope.sees_candidate_files(ctx)),
    "scope.session_filter": _one(gate(V), lambda ctx, w: scope.session_filter(ctx)),
    "scope.check_session": _session_cases(V, lambda ctx, w, which: scope.check_session(ctx, w.plan(which))),
    "scope.check_sessions": _session_cases(V, lambda ctx, w, which: scope.check_sessions(ctx, [w.plan(which)])),
    "scope.visible_session": _session_cases(V, lambda ctx, w, which: scope.visible_session(ctx, w.session(which))),
    "scope.visible_roster": _session_cases(V, lambda ctx, w, which: scope.visible_roster(ctx, w.plan(which))),
    # --- running a session -----------------------------------------------------------------------------------
    "SessionModeService.plan": _mode_cases(V, lambda m, w: m.plan),
    "SessionModeService.roster": _mode_cases(V, lambda m, w: m.roster),
    "SessionModeService.events": _mode_cases(V, lambda m, w: m.events()),
    "SessionModeService.state": _mode_cases(V, lambda m, w: m.state()),
    "SessionModeService.summary": _mode_cases(V, lambda m, w: m.summary()),
    "SessionModeService.display_name": _mode_cases(V, lambda m, w: m.display_name("surveillant")),
    "SessionModeService.verify": _mode_cases(V, lambda m, w: m.verify()),
    "SessionModeService.record_receipt": _mode_cases(RUN, lambda m, w: m.record_receipt("Jan Bakker", True)),
    "SessionModeService.mark_present": _mode_cases(RUN, lambda m, w: m.mark_present([m.roster[0].candidate_id])),
    "SessionModeService.mark_absent": _mode_cases(RUN, lambda m, w: m.mark_absent(m.roster[-1].candidate_id)),
    "SessionModeService.start": _mode_cases(RUN, lambda m, w: m.start()),
    "SessionModeService.late_arrival": _mode_cases(RUN, lambda m, w: m.late_arrival(m.roster[-1].candidate_id)),
    "SessionModeService.pause": _mode_cases(RUN, lambda m, w: m.pause(None, "storing")),
    "SessionModeService.resume": _mode_cases(RUN, lambda m, w: m.resume()),
    "SessionModeService.log_incident": _mode_cases(RUN, lambda m, w: m.log_incident(IncidentInput(
        "ONWEL", candidate_ids=(m.roster[0].candidate_id,), what_happened="misselijk"))),
    "SessionModeService.correct_incident": _mode_cases(RUN, lambda m, w: m.correct_incident(
        m.events()[-1].id, IncidentInput("ONWEL", candidate_ids=(m.roster[0].candidate_id,), what_happened="x"))),
    "SessionModeService.set_candidate_status": _mode_cases(RUN, lambda m, w: m.set_candidate_status(
        m.roster[0].candidate_id, "ingeleverd")),
    "SessionModeService.remark": _mode_cases(RUN, lambda m, w: m.remark("raam open")),
    "SessionModeService.end": _mode_cases(RUN, lambda m, w: m.end()),
    "SessionModeService.close": _mode_cases(RUN, lambda m, w: m.close()),
    "SessionModeService.reopen": _mode_cases(Action.REOPEN_SESSION, lambda m, w: m.reopen("nieuwe informatie")),
    "SessionModeService.decide_end_time": _mode_cases(Action.DECIDE_INCIDENT, lambda m, w: m.decide_end_time(
        m.roster[0].candidate_id, 10, "besluit")),
    "SessionModeService.record_found_incident": _mode_cases(Action.RECORD_FOUND_INCIDENT, lambda m, w: m.
                                                            record_found_incident(FoundIncidentInput(
        "CIJFER_ONJUIST", TODAY, "controle_resultaten", "x", "cijfer verkeerd ingevoerd", all_candidates=True))),
    "SessionModeService.commission_withdraw_incident": _mode_cases(
        Action.DECIDE_INCIDENT, lambda m, w: m.commission_withdraw_incident(m.events()[-1].id, "dubbel vastgelegd")),
    "SessionModeService.commission_correct_incident": _mode_cases(
        Action.DECIDE_INCIDENT, lambda m, w: m.commission_correct_incident(
            m.events()[-1].id, IncidentInput("OVERIG", what_happened="x"), "na afloop gemeld")),
    "SessionModeService.void": _mode_cases(RUN, lambda m, w: m.void(m.events()[-1].id, "vergissing")),
    "SessionModeService.save_draft": _mode_cases(RUN, lambda m, w: m.save_draft({"what_happened": "x"})),
    "SessionModeService.draft": _mode_cases(V, lambda m, w: m.draft()),
    "SessionModeService.discard_draft": _mode_cases(V, lambda m, w: m.discard_draft()),
    "SessionModeService.unlock": _mode_cases(V, lambda m, w: m.unlock("demo")),
    "SessionModeService.lock_minutes": _mode_cases(V, lambda m, w: m.lock_minutes()),
    "SessionModeService.parse_time": _mode_cases(V, lambda m, w: m.parse_time("10:12", now())),
    # --- planning --------------------------------------------------------------------------------------------
    "LocationService.locations": _one(gate(Action.VIEW_ALL_SESSIONS), lambda ctx, w: LocationService(ctx).locations()),
    "LocationService.rooms": _one(gate(Action.VIEW_ALL_SESSIONS), lambda ctx, w: LocationService(ctx).rooms()),
    "LocationService.save_location": _one(gate(Action.PLAN_SESSION), lambda ctx, w: LocationService(ctx).save_location(
        None, "Matrixlocatie", "Straat 1")),
    "LocationService.save_room": _one(gate(Action.PLAN_SESSION),
                                      lambda ctx, w: LocationService(ctx).save_room(None, 1, "M1", 20)),
    "SessionService.list": _one(gate(V), lambda ctx, w: SessionService(ctx).list()),
    "session_mode.sessions_with_draft": _one(open_to_all("only the caller's own drafts; none for nobody"),
                                             lambda ctx, w: session_mode.sessions_with_draft(ctx)),
    "SessionService.ran_times": _one(gate(V), lambda ctx, w: SessionService(ctx).ran_times(SessionService(ctx).list())),
    "SessionService.get": _session_cases(V, lambda ctx, w, which: SessionService(ctx).get(w.session(which))),
    "SessionService.listed": _one(gate(V), lambda ctx, w: SessionService(ctx).listed()),
    "SessionService.plans": _session_cases(V, lambda ctx, w, which: SessionService(ctx).plans([w.session(which)])),
    "SessionService.roster": _session_cases(V, lambda ctx, w, which: SessionService(ctx).roster(w.session(which))),
    "SessionService.invigilator_choices": _one(gate(Action.PLAN_SESSION),
                                               lambda ctx, w: SessionService(ctx).invigilator_choices()),
    "SessionService.instrument_choices": _one(gate(Action.PLAN_SESSION),
                                              lambda ctx, w: SessionService(ctx).instrument_choices()),
    "SessionService.default_late_limit": _one(open_to_all("an institution setting, no data"),
                                              lambda ctx, w: SessionService(ctx).default_late_limit()),
    "SessionService.running_for_me": _one(open_to_all("only ever the caller's own running session"),
                                          lambda ctx, w: SessionService(ctx).running_for_me()),
    "SessionService.plan": _one(gate(Action.PLAN_SESSION), lambda ctx, w: SessionService(ctx).plan(PlanDraft(
        "centraal", TODAY, time(9, 0), 120, 1, 30, central_exam="Ned3F"))),
    "SessionService.check_plan": _one(gate(Action.PLAN_SESSION), lambda ctx, w: SessionService(ctx).check_plan(
        PlanDraft("centraal", TODAY, time(9, 0), 120, 1, 30, central_exam="Ned3F"))),
    "SessionService.instrument_flags": _one(gate(V), lambda ctx, w: SessionService(ctx).instrument_flags()),
    "SessionService.flagged_count": _one(gate(V), lambda ctx, w: SessionService(ctx).flagged_count(SessionFilter())),
    "SessionService.planning_notes": _session_cases(V, lambda ctx, w, which: SessionService(ctx).planning_notes(
        w.session(which))),
    "SessionService.suggested_period": _one(gate(V), lambda ctx, w: SessionService(ctx).suggested_period("Ned3F", TODAY)),
    "instruments.verdicts_for_sessions": _one(gate(V), lambda ctx, w: instruments.verdicts_for_sessions(
        ctx, [(w.instrument[0], TODAY)])),
    "SessionService.cancel": _session_cases(Action.PLAN_SESSION, lambda ctx, w, which: SessionService(ctx).cancel(
        w.session(which), "ziekte")),
    "sessions.overview_card": _one(Gate(V, hidden=True), lambda ctx, w: sessions.overview_card(ctx)),
    # --- accounts --------------------------------------------------------------------------------------------
    "UserService.list_users": _one(gate(Action.MANAGE_USERS), lambda ctx, w: UserService(ctx).list_users()),
    "UserService.add": _one(gate(Action.MANAGE_USERS), lambda ctx, w: UserService(ctx).add(
        "nieuw", "Nieuwe Collega", GOOD_PASSWORD, frozenset({Role.SURVEILLANT}))),
    "UserService.set_roles": _one(gate(Action.MANAGE_USERS), lambda ctx, w: UserService(ctx).set_roles(
        "l.vandijk", frozenset({Role.SURVEILLANT, Role.BUREAU}))),
    "UserService.update_profile": _one(gate(Action.MANAGE_USERS), lambda ctx, w: UserService(ctx).update_profile(
        "l.vandijk", "Loes van Dijk", "surveillant", "", "")),
    "UserService.own_profile": _one(open_to_all("the caller's own account"), lambda ctx, w: UserService(ctx).own_profile()),
    "UserService.update_own_profile": _one(open_to_all("the caller's own account"),
                                           lambda ctx, w: UserService(ctx).update_own_profile("functie", "", "")),
    "UserService.reset_password": _one(gate(Action.MANAGE_USERS),
                                       lambda ctx, w: UserService(ctx).reset_password("l.vandijk", GOOD_PASSWORD)),
    "UserService.change_own_password": _one(open_to_all("the caller's own account, after the current password"),
                                            lambda ctx, w: UserService(ctx).change_own_password("demo", GOOD_PASSWORD)),
    "UserService.set_active": _one(gate(Action.MANAGE_USERS),
                                   lambda ctx, w: UserService(ctx).set_active("l.vandijk", False)),
}


# --- introspection: the table covers exactly the public entry points ------------------------------------

def public_entry_points() -> set[str]:
    """'Class.member' of every public method or property of a `…Service` class in examdesk/services, and
    'module.function' of every public module function there whose first parameter is `ctx`."""
    names: set[str] = set()
    for info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"{services_package.__name__}.{info.name}")
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and cls_name.endswith("Service"):
                names |= {f"{cls_name}.{attr}" for attr in vars(cls) if not attr.startswith("_")}
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not fn_name.startswith("_"):
                params = list(inspect.signature(fn).parameters)
                if params and params[0] == "ctx":
                    names.add(f"{info.name}.{fn_name}")
    return names


def test_every_public_service_method_has_a_row():
    found = public_entry_points()
    missing = sorted(found - set(MATRIX))
    stale = sorted(set(MATRIX) - found)
    assert not missing, f"public service methods without a row in MATRIX (say who may call them): {missing}"
    assert not stale, f"rows in MATRIX for methods that no longer exist: {stale}"


def test_every_row_open_to_all_says_why():
    assert all(c.gate.why for cases in MATRIX.values() for c in cases if c.gate.action is None)


# --- the matrix ----------------------------------------------------------------------------------------

class _Rollback(Exception):
    pass


CASES = [pytest.param(name, case, id=f"{name}[{case.label}]" if case.label else name)
         for name, cases in MATRIX.items() for case in cases]


@pytest.mark.parametrize("name,case", CASES)
def test_each_role_gets_exactly_what_the_table_allows(store, tmp_path, name, case):
    world = World(store, tmp_path)
    for need in case.needs:
        getattr(world, need)
    assert world.own != world.other
    outcomes: dict[Role, tuple[str, object]] = {}
    for role in Role:
        ctx = world.as_(ROLE_USERS[role])
        before = store.conn.total_changes
        try:
            with store.transaction():       # every role starts from the same database: rolled back below
                try:
                    outcomes[role] = ("ok", case.call(ctx, world))
                except PermissionDenied as exc:
                    outcomes[role] = ("refused", exc.message)
                    assert store.conn.total_changes == before, f"{role.value}: refused, yet something was written"
                except ExamDeskError as exc:
                    outcomes[role] = ("ok", exc.message)          # past the gate, stopped by a rule
                raise _Rollback
        except _Rollback:
            pass
    for role, (outcome, detail) in outcomes.items():
        if case.gate.hidden:
            assert (detail is not None) == case.gate.allows(role), f"{name}: {role.value} got {detail!r}"
        elif case.gate.allows(role):
            assert outcome == "ok", f"{name}: {role.value} should be allowed but was refused: {detail}"
        else:
            assert outcome == "refused", f"{name}: {role.value} should be refused but got {detail!r}"
