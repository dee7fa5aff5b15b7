"""Offline exchange between the office and the exam-location PC (issue 7).

* `export_package`: the examenbureau sends planned sessions to the exam room (one `.examdesk` file).
* `export_record`: the exam PC (or the examenbureau) sends the record of sessions back.
* `preview` / `import_file`: any `.examdesk` file, verified as a whole first; the preview runs the
  very same import in a transaction that is rolled back, so what it announces is what happens.
* `import_into_new_database`: an exam PC's empty database is set up from a package (institution,
  invigilators, sessions) without anyone logged in — there is no one yet to log in as.

Every export and import is written to the audit trail and the exchange log in the same transaction
as the data; a refused file changes nothing at all (not even the log).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from examdesk import __version__
from examdesk.data import exchange as container
from examdesk.data import exchange_rows as rows
from examdesk.data import incident_desk as incident_desk_data
from examdesk.data import institution as institution_data
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.data.exchange import ExchangeFile
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_datetime, from_iso, to_iso
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.event_checks import SessionFrame
from examdesk.domain.exchange import (
    CONTENT_NAME,
    FILE_SUFFIX,
    FORMAT_VERSION,
    KIND_LABELS,
    KIND_PACKAGE,
    KIND_RECORD,
    ImportSummary,
    Manifest,
    ManifestSession,
    origin_hash_ok,
    refused,
)
from examdesk.domain.exchange_import import (
    LocalRecordSession,
    Package,
    PackageFacts,
    PackagePlan,
    RecordPlan,
    RecordSession,
    parse_package,
    parse_record,
    plan_package,
    plan_record,
)
from examdesk.domain.fingerprint import sha256_hex
from examdesk.domain.register import package_blocker
from examdesk.domain.roles import Action
from examdesk.domain.session_events import GENESIS_HASH, verify_chain
from examdesk.domain.session_state import SessionAction, SessionFacts, SessionStatus, why_not
from examdesk.domain.sessions import SessionFilter, SessionPlan
from examdesk.services import scope
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.ids import resolve_id


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    sessions: int
    events: int
    file_sha256: str

    @property
    def sentence(self) -> str:
        what = KIND_LABELS[self.kind].capitalize()
        count = f"{self.sessions} {'afname' if self.sessions == 1 else 'afnames'}"
        if self.kind == KIND_RECORD:
            count += f", {self.events} gebeurtenissen"
        return f"{what} opgeslagen in {self.path} ({count}; SHA-256 {self.file_sha256[:16]}…)."


class _Rollback(Exception):
    """Ends a preview: the import ran, and is undone."""

    def __init__(self, summary: ImportSummary):
        super().__init__("preview")
        self.summary = summary


def with_suffix(path: Path | str) -> Path:
    path = Path(path)
    return path if path.suffix.lower() == FILE_SUFFIX else path.with_name(path.name + FILE_SUFFIX)


class ExchangeService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    # --- what can go ---------------------------------------------------------------------------
    def package_choices(self) -> list[SessionPlan]:
        """Planned sessions that have not begun: what a package may carry."""
        self.ctx.require(Action.PLAN_SESSION)
        plans = session_data.list_sessions(self.ctx.store, SessionFilter(status=SessionStatus.GEPLAND), limit=5000)
        return [p for p in plans if self._facts(p).not_begun]

    def record_choices(self) -> list[SessionPlan]:
        """Sessions with a record; an invigilator sees only the sessions they invigilate."""
        user = self.ctx.require(Action.EXCHANGE)
        mine = None if self.ctx.can(Action.PLAN_SESSION) else user.id
        plans = session_data.list_sessions(self.ctx.store, SessionFilter(invigilator_id=mine), limit=5000)
        return [p for p in plans if session_data.has_events(self.ctx.store, p.id)]

    def _facts(self, plan: SessionPlan) -> SessionFacts:
        return SessionFacts(SessionStatus(plan.status), session_data.has_events(self.ctx.store, plan.id))

    def _plans(self, session_ids: list[str]) -> list[SessionPlan]:
        """Sessions named by their id or its first characters (at least 8), as lists show them."""
        if not session_ids:
            raise ValidationError("Kies ten minste één afname.")
        store = self.ctx.store
        resolved = dict.fromkeys(resolve_id(store, "afname", sid) for sid in session_ids)
        return [session_data.session(store, sid) for sid in resolved]

    # --- export ----------------------------------------------------------------------------------
    def export_package(self, session_ids: list[str], out: Path | str) -> ExportResult:
        self.ctx.require(Action.EXCHANGE)
        self.ctx.require(Action.PLAN_SESSION)
        store = self.ctx.store
        plans = self._plans(session_ids)
        verdicts: dict[str, Any] = {}
        for p in plans:
            refusal = why_not(self._facts(p), SessionAction.EXPORT_PACKAGE)
            if refusal:
                raise ValidationError(f"Afname '{p.title}' op {format_date(p.session_date)}: {refusal}")
            if not p.invigilators:
                raise ValidationError(f"Afname '{p.title}' op {format_date(p.session_date)} heeft geen surveillant; "
                                      "op de examenlocatie kan dan niemand inloggen.")
            verdicts[p.id] = self._verdict(p)
        payload = rows.package_rows(store, [p.id for p in plans])
        payload["instrument_verdicts"] = verdicts
        payload["catalogue_version"] = default_catalogue().version
        entries = [ManifestSession(p.id, p.title, p.session_date.isoformat()) for p in plans]
        return self._write(KIND_PACKAGE, entries, payload, out, "afnamepakket gemaakt", 0)

    def _verdict(self, plan: SessionPlan) -> dict[str, Any]:
        """The instrument's validity on the session date as it stands at export; a central exam has
        none (its code, variant and period travel with the session)."""
        if plan.exam_kind == "centraal" or not plan.instrument_id:
            return {"central_exam": plan.central_exam, "variant": plan.variant, "period": plan.period}
        from examdesk.services.register import RegisterService

        register = RegisterService(self.ctx)
        instrument = register.instrument(plan.instrument_id)
        verdict = register.validity_on(plan.instrument_id, plan.session_date)
        blocker = package_blocker(instrument.code, plan.title, plan.session_date, verdict)
        if blocker:
            raise ValidationError(blocker)
        return {"code": instrument.code, "title": instrument.title, "valid": verdict.valid,
                "provisional": verdict.provisional, "sentence": verdict.sentence,
                "checked_on": plan.session_date.isoformat(), "checked_at": to_iso(self.ctx.clock())}

    def export_record(self, session_ids: list[str], out: Path | str) -> ExportResult:
        user = self.ctx.require(Action.EXCHANGE)
        store = self.ctx.store
        plans = self._plans(session_ids)
        for p in plans:
            if not self.ctx.can(Action.PLAN_SESSION) and user.id not in {uid for uid, _ in p.invigilators}:
                raise PermissionDenied(f"{user.full_name} is geen surveillant van afname '{p.title}' en kan het "
                                       "verslag daarvan niet exporteren.")
            if not session_data.has_events(store, p.id):
                raise ValidationError(f"Afname '{p.title}' op {format_date(p.session_date)} heeft nog geen verslag.")
        chains = {p.id: session_data.events(store, p.id) for p in plans}
        payload = rows.record_rows(store, chains)
        entries = []
        total = 0
        for p in plans:
            events = chains[p.id]
            check = verify_chain(events)
            if not check.ok:
                raise ValidationError(f"Het verslag van afname '{p.title}' in deze database klopt niet ({check.reason}); "
                                      "het wordt zo niet uitgewisseld. Controleer de database (examdesk verify).")
            entries.append(ManifestSession(p.id, p.title, p.session_date.isoformat(), len(events),
                                           events[-1].hash if events else GENESIS_HASH))
            total += len(events)
        return self._write(KIND_RECORD, entries, payload, out, "afnameverslag gemaakt", total)

    def _write(self, kind: str, entries: list[ManifestSession], payload: dict[str, Any], out: Path | str,
               action: str, events: int) -> ExportResult:
        store = self.ctx.store
        user = self.ctx.user
        path = with_suffix(out)
        inst = institution_data.get(store)
        content = container.payload_bytes(payload)
        manifest = Manifest(
            file_id=str(uuid.uuid4()), kind=kind, format_version=FORMAT_VERSION, created_at=to_iso(self.ctx.clock()),
            created_by=user.username, created_by_name=user.full_name, app_version=f"ExamDesk {__version__}",
            database_id=rows.database_id(store), institution_name=inst.name if inst else "",
            brin=inst.brin if inst else "", sessions=tuple(entries),
            content={CONTENT_NAME: container.content_entry(content)},
            catalogue_version=default_catalogue().version)
        data = container.container_bytes(manifest.as_dict(), {CONTENT_NAME: content})
        digest = sha256_hex(data)
        ids = [e.id for e in entries]
        with store.transaction():
            rows.log(store, manifest.file_id, "export", kind, path.name, digest, manifest.database_id,
                     manifest.created_at, user.username, ids, {"gebeurtenissen": events})
            self.ctx.audit(action, "uitwisseling", manifest.file_id, {
                "bestand": str(path), "afnames": [e.label for e in entries], "gebeurtenissen": events,
                "sha256": digest})
            container.write_file(path, data)
        return ExportResult(path, kind, len(entries), events, digest)

    # --- import ----------------------------------------------------------------------------------
    def read(self, path: Path | str) -> ExchangeFile:
        """The file, verified as a whole (nothing is written)."""
        self.ctx.require(Action.EXCHANGE)
        return container.read_file(Path(path))

    def preview(self, path: Path | str) -> ImportSummary:
        """What importing this file would add, computed by importing it and rolling back."""
        self.ctx.require(Action.EXCHANGE)
        return _run_import(self.ctx, container.read_file(Path(path)), dry_run=True)

    def import_file(self, path: Path | str) -> ImportSummary:
        self.ctx.require(Action.EXCHANGE)
        return _run_import(self.ctx, container.read_file(Path(path)), dry_run=False)

    # --- checking what arrived ---------------------------------------------------------------------
    def verify_origins(self, session_id: str) -> tuple[int, list[str]]:
        """Recomputes the hash every imported event of a session had on the PC it came from."""
        scope.visible_session(self.ctx, session_id)
        events = {e.id: e for e in session_data.events(self.ctx.store, session_id)}
        problems = []
        found = rows.origins(self.ctx.store, session_id)
        for event_id, o in found.items():
            e = events[event_id]
            if not origin_hash_ok(e, o.origin_seq, o.origin_prev_hash, o.origin_user_id, o.origin_hash):
                problems.append(f"Gebeurtenis {e.seq} komt niet meer overeen met de hash die zij op de andere pc had.")
        return len(found), problems

    def log(self) -> list[rows.LogEntry]:
        user = self.ctx.require(Action.EXCHANGE)
        entries = rows.log_entries(self.ctx.store)
        if scope.sees_all_sessions(self.ctx):
            return entries
        mine = {p.id for p in session_data.list_sessions(self.ctx.store, scope.session_filter(self.ctx), limit=5000)}
        return [e for e in entries if e.username == user.username or set(e.sessions) & mine]


def needs_setup(ctx: AppContext) -> bool:
    return AuthService(ctx.store, ctx.clock).needs_setup()


def import_into_new_database(ctx: AppContext, path: Path | str, dry_run: bool = False) -> ImportSummary:
    """An empty database (no institution or no users yet) set up from a session package: the exam
    PC's first start. Anything else needs a logged-in user with the exchange permission."""
    if not needs_setup(ctx):
        raise PermissionDenied("Deze database is al ingericht: log in om een uitwisselbestand in te lezen.")
    file = container.read_file(Path(path))
    if file.manifest.kind != KIND_PACKAGE:
        raise refused("Een lege database kan alleen worden ingericht met een afnamepakket, niet met een afnameverslag.")
    return _run_import(ctx, file, dry_run)


def _run_import(ctx: AppContext, file: ExchangeFile, dry_run: bool) -> ImportSummary:
    """Reads a verified file in: the content typed first, then the plan (`domain/exchange_import`), then —
    in one transaction with the exchange log and the audit entry — the plan applied. A refusal anywhere
    leaves the database as it was; a preview runs the same and rolls back."""
    store = ctx.store
    m = file.manifest
    inst = institution_data.get(store)
    if inst is not None and m.brin and inst.brin.strip().upper() != m.brin.strip().upper():
        raise refused(f"Dit bestand is van {m.institution_name} (BRIN {m.brin}); deze database hoort bij {inst.name} "
                      f"(BRIN {inst.brin}).")
    setting_up = needs_setup(ctx)
    if m.kind == KIND_RECORD and setting_up:
        raise refused("Deze database is nog niet ingericht; een afnameverslag wordt ingelezen in de database waarin "
                      "de afnames zijn gepland.")
    at = to_iso(ctx.clock())
    made_by = f"{m.created_by_name or m.created_by}"
    made_at = format_datetime(from_iso(m.created_at)) if _iso_ok(m.created_at) else m.created_at
    earlier = tuple(format_datetime(from_iso(e.at)) for e in rows.earlier_imports(store, m.file_id))
    if m.kind == KIND_RECORD:
        sessions = parse_record(file.payload, m.sessions)
    else:
        package = parse_package(file.payload)
        if sorted(s["id"] for s in package.rows("sessions")) != sorted(s.id for s in m.sessions):
            raise refused("De afnames in het pakket komen niet overeen met het manifest.")
    username = ctx.user.username if ctx.user else "systeem"
    try:
        with store.transaction():
            import_seq = rows.log(store, m.file_id, "import", m.kind, file.name, file.file_sha256, m.database_id, at,
                                  username, [s.id for s in m.sessions], {})
            if m.kind == KIND_RECORD:
                record = plan_record(sessions, _local_sessions(store, sessions), rows.user_ids(store))
                with rows.refusing_conflicts(m.kind_label):
                    _apply_record(store, record, m.database_id, import_seq)
                summary = record.summary(m.kind, file.name, made_by, made_at)
            else:
                plan = plan_package(package, _package_facts(store, package, setting_up))
                with rows.refusing_conflicts(m.kind_label):
                    _apply_package(store, plan, at)
                summary = _with_package_notes(plan.summary(m.kind, file.name, made_by, made_at), package, m)
            summary = replace(summary, earlier_imports=earlier)
            ctx.audit(f"{KIND_LABELS[m.kind]} ingelezen", "uitwisseling", m.file_id, {
                "bestand": file.name, "sha256": file.file_sha256, "gemaakt_door": m.created_by,
                "herkomst": m.database_id,
                "afnames": {s.label: s.action for s in summary.sessions},
                "nieuwe_gebeurtenissen": summary.added_events})
            if dry_run:
                raise _Rollback(summary)
    except _Rollback as done:
        return done.summary
    return summary


def _iso_ok(text: str) -> bool:
    try:
        from_iso(text)
    except ValueError:
        return False
    return True


def _package_facts(store: Store, package: Package, setting_up: bool) -> PackageFacts:
    return rows.package_facts(
        store, setting_up, [u["username"] for u in package.rows("users")], [c["id"] for c in package.rows("candidates")],
        [c["student_number"] for c in package.rows("candidates")], [i["code"] for i in package.rows("instruments")],
        [s["id"] for s in package.rows("sessions")])


def _apply_package(store: Store, plan: PackagePlan, at: str) -> None:
    """Writes what the plan says, through fixed column lists (inside the caller's transaction)."""
    if plan.institution is not None:
        rows.insert_institution(store, plan.institution)
    locations = {loc["name"]: rows.location_id(store, loc["name"], loc["address"]) for loc in plan.locations}
    rooms = {(location, r["name"]): rows.room_id(store, locations[location], r["name"], r["workstations"])
             for location, r in plan.rooms}
    for table, found in plan.register.items():
        rows.insert_register_rows(store, table, found)
    for u in plan.users:
        rows.insert_package_user(store, u, at)
    for c in plan.candidates:
        rows.insert_package_candidate(store, c, at)
    for s in plan.sessions:
        if s.create:
            people = [rows.user_id(store, name) for name in s.invigilators]
            rows.insert_package_session(store, s.row, rooms[s.room_key], [p for p in people if p is not None],
                                        s.roster)


def _local_sessions(store: Store, sessions: list[RecordSession]) -> dict[str, LocalRecordSession | None]:
    """What this database holds of each session a record names: the frame its checks need, its chain."""
    found: dict[str, LocalRecordSession | None] = {}
    for s in sessions:
        plan = session_data.session(store, s.id)
        if plan is None:
            found[s.id] = None
            continue
        roster_ids = session_data.roster_ids(store, s.id)
        frame = SessionFrame(s.id, plan.session_date, plan.starts_at, plan.late_limit_minutes, roster_ids,
                             session_data.invigilator_usernames(store, s.id),
                             owned=incident_desk_data.owned_incidents(store, s.id))   # the commission's cases
        found[s.id] = LocalRecordSession(
            frame, SessionStatus(plan.status), rows.student_numbers(store, list(s.roster)),
            tuple(session_data.events(store, s.id)))
    return found


def _apply_record(store: Store, plan: RecordPlan, origin: str, import_seq: int | None) -> None:
    """Appends the planned events through `data/sessions` (the one event INSERT), their origins and the
    new status (inside the caller's transaction)."""
    for s in plan.sessions:
        if not s.events:
            continue
        session_data.insert_events(store, list(s.events))
        rows.insert_origins(store, origin, import_seq, s.origins)
        if s.status is not None:
            session_data.set_status(store, s.session_id, s.status)


def _with_package_notes(summary: ImportSummary, package: Package, manifest: Manifest) -> ImportSummary:
    notes = list(summary.notes)
    for s in summary.sessions:
        v = package.verdicts.get(s.session_id) or {}
        if v.get("code"):
            notes.append(f"{v['code']} ({s.label}): {v.get('sentence', '')} (gecontroleerd bij het maken van het pakket)")
        elif v.get("central_exam"):
            notes.append(f"Centraal examen {v['central_exam']} ({s.label}), variant {v.get('variant') or '-'}, "
                         f"afnameperiode {v.get('period') or '-'}.")
    theirs = package.catalogue_version or manifest.catalogue_version
    mine = default_catalogue().version
    if theirs and theirs != mine:
        notes.append(f"Let op: het pakket is gemaakt met incidentcatalogus {theirs}; deze ExamDesk heeft versie {mine}.")
    return replace(summary, notes=tuple(notes))


def default_file_name(kind: str, plans: list[SessionPlan], today: date) -> str:
    """'afnamepakket 2027-03-10.examdesk' — the day of the first session, or today."""
    day = min((p.session_date for p in plans), default=today)
    return f"{KIND_LABELS[kind]} {day.isoformat()}{FILE_SUFFIX}"
