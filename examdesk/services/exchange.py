"""Offline exchange between the office and the exam-location PC (issues 7 and 11; docs/exchange.md).
(Over 400 lines: export, preview and import of both file kinds share the file's checks and the audit.)

* `export_package`: the examenbureau sends planned sessions to the exam room (one `.examdesk` file),
  signed with the commission's key and encrypted for one exam PC whose key is pinned here, or under a
  setup code for a fresh exam PC (shown once, passed on apart from the file).
* `export_record`: the exam PC sends the record of sessions back, signed with its key and encrypted
  for the commission's pinned key.
* `preview` / `import_file`: any `.examdesk` file, verified as a whole first — size bounds, the
  whole-file SHA-256, the signature, the signer against the keys pinned here (`domain/exchange_keys`),
  then decrypted; the preview runs the very same import in a transaction that is rolled back, so what
  it announces is what happens.
* `import_into_new_database`: an exam PC's empty database is set up from a package (institution,
  invigilators, sessions) without anyone logged in — there is no one yet to log in as. The setup code
  opens it, and whoever sets the PC up confirms the commission's fingerprint, which is then pinned.

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
from examdesk.data import audit as audit_data
from examdesk.data import exchange as container
from examdesk.data import exchange_keys as key_data
from examdesk.data import exchange_rows as rows
from examdesk.data import incident_desk as incident_desk_data
from examdesk.data import institution as institution_data
from examdesk.data import keystore
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.data.exchange import ExchangeFile, SealedFile
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_datetime, from_iso, to_iso
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.event_checks import SessionFrame
from examdesk.domain.exchange import (
    FILE_SUFFIX,
    FORMAT_VERSION,
    KIND_LABELS,
    KIND_PACKAGE,
    KIND_RECORD,
    ImportSummary,
    Manifest,
    ManifestSession,
    envelope_dict,
    origin_hash_ok,
    refused,
)
from examdesk.domain.exchange_crypto import (
    Encryption,
    Identity,
    display_fingerprint,
    encrypt_content,
    identity_of,
    new_setup_code,
    sign,
    slot_for_installation,
    slot_for_setup_code,
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
from examdesk.domain.exchange_keys import (
    CONFIRMED_AT_SETUP,
    ROLE_COMMISSION,
    ROLE_EXAM_PC,
    STATE_UNKNOWN,
    KeyNotTrusted,
    PinnedKey,
    decide,
    label_for,
    matches,
)
from examdesk.domain.fingerprint import sha256_hex
from examdesk.domain.keys import DatabaseKeys
from examdesk.domain.plural import counted
from examdesk.domain.register import package_blocker
from examdesk.domain.roles import Action
from examdesk.domain.session_events import GENESIS_HASH, verify_chain
from examdesk.domain.session_state import SessionAction, SessionFacts, SessionStatus, why_not
from examdesk.domain.sessions import SessionFilter, SessionPlan
from examdesk.services import integrity, scope
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
    recipients: tuple[str, ...] = ()       # for whom it is encrypted (Dutch labels)
    setup_code: str | None = None          # shown once: the file opens with it on a fresh exam PC

    @property
    def sentence(self) -> str:
        what = KIND_LABELS[self.kind].capitalize()
        count = counted(self.sessions, "afname")
        if self.kind == KIND_RECORD:
            count += f", {counted(self.events, 'gebeurtenis')}"
        text = (f"{what} opgeslagen in {self.path} ({count}; SHA-256 {self.file_sha256[:16]}…), ondertekend en "
                f"versleuteld voor {', '.join(self.recipients)}.")
        if self.setup_code:
            text += (f" Instelcode: {self.setup_code} — wordt maar één keer getoond; geef hem apart van het bestand "
                     "door (telefonisch of op papier, niet op de USB-stick).")
        return text


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
    def package_recipients(self) -> list[PinnedKey]:
        """The exam PCs a package can be encrypted for: those whose key is pinned here (from a record)."""
        self.ctx.require(Action.PLAN_SESSION)
        return [k for k in key_data.pinned(self.ctx.store) if k.active and k.role == ROLE_EXAM_PC]

    def _recipient(self, text: str) -> PinnedKey:
        """An exam PC named by its fingerprint, or by the first 8 or more of its hex digits."""
        typed = "".join(ch for ch in text.lower() if ch not in " -:")
        found = [k for k in self.package_recipients() if k.fingerprint.startswith(typed)] if len(typed) >= 8 else []
        if len(found) != 1:
            raise ValidationError(f"Geen (eenduidige) examenpc met vingerafdruk '{text.strip()}' waarvan de sleutel hier "
                                  "is vastgelegd; kies er een uit de lijst, of maak het pakket met een instelcode.")
        return found[0]

    def export_package(self, session_ids: list[str], out: Path | str, recipient: str | None = None) -> ExportResult:
        """A package for the exam room, encrypted for the exam PC `recipient` (its fingerprint; its key is
        pinned here since its first record) or, without one, under a new setup code for a fresh exam PC."""
        self.ctx.require(Action.EXCHANGE)
        self.ctx.require(Action.PLAN_SESSION)
        pinned = self._recipient(recipient) if recipient else None
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
        if pinned is not None:
            return self._write(KIND_PACKAGE, entries, payload, out, "afnamepakket gemaakt", 0,
                               [(pinned.identity, pinned.label)], None)
        return self._write(KIND_PACKAGE, entries, payload, out, "afnamepakket gemaakt", 0, [], new_setup_code())

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
        recipients = self._record_recipients()
        chains = {p.id: session_data.events(store, p.id) for p in plans}
        payload = rows.record_rows(store, chains)
        entries = []
        total = 0
        key = session_data.chain_key(store)
        for p in plans:
            events = chains[p.id]
            check = verify_chain(events, key, session_data.anchor(store, p.id) if key is not None else None,
                                 integrity.redactions(store, "session_events"))
            if not check.ok:
                raise ValidationError(f"Het verslag van afname '{p.title}' in deze database klopt niet ({check.reason}); "
                                      "het wordt zo niet uitgewisseld. Controleer de database (examdesk verify).")
            entries.append(ManifestSession(p.id, p.title, p.session_date.isoformat(), len(events),
                                           events[-1].hash if events else GENESIS_HASH))
            total += len(events)
        return self._write(KIND_RECORD, entries, payload, out, "afnameverslag gemaakt", total, recipients, None)

    def _record_recipients(self) -> list[tuple[Identity, str]]:
        """A record is for the commission: encrypted for its key, pinned here from its first package. At the
        office itself (where nobody pins the commission's own key) it is encrypted for this installation."""
        store = self.ctx.store
        found = [(k.identity, k.label) for k in key_data.pinned(store) if k.active and k.role == ROLE_COMMISSION]
        if found:
            return found
        if self.ctx.can(Action.PLAN_SESSION):
            return [(_own(store)[1], "deze computer")]
        raise ValidationError("Deze computer kent de sleutel van de examencommissie nog niet, en een afnameverslag "
                              "wordt alleen voor haar versleuteld. Lees eerst een afnamepakket van de examencommissie "
                              "in (de sleutel komt daarmee mee), of richt deze examenpc opnieuw in.")

    def _write(self, kind: str, entries: list[ManifestSession], payload: dict[str, Any], out: Path | str,
               action: str, events: int, recipients: list[tuple[Identity, str]],
               setup_code: str | None) -> ExportResult:
        """Signs with this installation's key and encrypts for `recipients` (and the setup code); written,
        logged and audited in one transaction."""
        store = self.ctx.store
        user = self.ctx.user
        path = with_suffix(out)
        inst = institution_data.get(store)
        keys, own = _own(store)
        file_id, created_at = str(uuid.uuid4()), to_iso(self.ctx.clock())
        manifest = Manifest(
            file_id=file_id, kind=kind, format_version=FORMAT_VERSION, created_at=created_at,
            created_by=user.username, created_by_name=user.full_name, app_version=f"ExamDesk {__version__}",
            database_id=keys.database_id, institution_name=inst.name if inst else "",
            brin=inst.brin if inst else "", sessions=tuple(entries), catalogue_version=default_catalogue().version)
        content_key, nonce, ciphertext = encrypt_content(container.content_document(manifest, payload), file_id)
        slots = [slot_for_installation(identity, content_key, file_id) for identity, _ in recipients]
        if setup_code is not None:
            slots.append(slot_for_setup_code(setup_code, content_key, file_id))
        labels = tuple([label for _, label in recipients] + (["wie de instelcode heeft"] if setup_code else []))
        ids = [e.id for e in entries]
        with store.transaction():
            sequence = key_data.next_sequence(store)
            envelope = envelope_dict(file_id, kind, created_at, sequence, manifest.app_version,
                                     manifest.institution_name, manifest.brin, own, Encryption(nonce, tuple(slots)),
                                     sha256_hex(ciphertext), len(ciphertext))
            data = container.container_bytes(envelope, ciphertext, sign(envelope, keys))
            digest = sha256_hex(data)
            # the exam PCs a package is encrypted for are remembered: a record of its sessions is read only from them
            sent_to = {"ontvangers": [identity.key_id for identity, _ in recipients]} if kind == KIND_PACKAGE else {}
            rows.log(store, file_id, "export", kind, path.name, digest, keys.database_id, created_at, user.username, ids,
                     {"gebeurtenissen": events, **sent_to}, own.key_id, sequence)
            self.ctx.audit(action, "uitwisseling", file_id, {
                "bestand": str(path), "afnames": [e.label for e in entries], "gebeurtenissen": events,
                "sha256": digest, "ondertekend met": own.fingerprint, "versleuteld voor": list(labels),
                "volgnummer": sequence})
            container.write_file(path, data)
        return ExportResult(path, kind, len(entries), events, digest, labels, setup_code)

    # --- import ----------------------------------------------------------------------------------
    def read(self, path: Path | str, setup_code: str | None = None) -> ExchangeFile:
        """The file, verified as a whole and opened (nothing is written)."""
        self.ctx.require(Action.EXCHANGE)
        return _in_scope(self.ctx, _open(self.ctx, Path(path), setup_code))[0]

    def preview(self, path: Path | str, setup_code: str | None = None) -> ImportSummary:
        """What importing this file would add, computed by importing it and rolling back."""
        self.ctx.require(Action.EXCHANGE)
        file, pin = _in_scope(self.ctx, _open(self.ctx, Path(path), setup_code))
        return _run_import(self.ctx, file, dry_run=True, pin=pin)

    def import_file(self, path: Path | str, setup_code: str | None = None) -> ImportSummary:
        self.ctx.require(Action.EXCHANGE)
        file, pin = _in_scope(self.ctx, _open(self.ctx, Path(path), setup_code))
        return _run_import(self.ctx, file, dry_run=False, pin=pin)

    # --- checking what arrived ---------------------------------------------------------------------
    def verify_origins(self, session_id: str) -> tuple[int, list[str]]:
        """Checks where every imported event of a session stood on the PC it came from. An event from a
        signed record (format 2) keeps that PC's place in its chain, keyed under that PC's key: the record's
        signature proved it at import, and here the places must still link up. An event from an unsigned
        file (format 1) has its original plain hash recomputed."""
        scope.visible_session(self.ctx, session_id)
        events = {e.id: e for e in session_data.events(self.ctx.store, session_id)}
        problems = []
        found = rows.origins(self.ctx.store, session_id)
        chains: dict[tuple[str, str], dict[int, list[rows.StoredOrigin]]] = {}
        for event_id, o in found.items():
            e = events[event_id]
            if not o.signer:
                if not origin_hash_ok(e, o.origin_seq, o.origin_prev_hash, o.origin_user_id, o.origin_hash):
                    problems.append(f"Gebeurtenis {e.seq} komt niet meer overeen met de hash die zij op de andere pc "
                                    "had.")
                continue
            chains.setdefault((o.origin, o.signer), {}).setdefault(o.origin_seq, []).append(o)
        for places in chains.values():
            for seq, here in places.items():
                before = places.get(seq - 1)
                for o in here:
                    if (seq == 1 and o.origin_prev_hash != GENESIS_HASH) or (
                            before and all(b.origin_hash != o.origin_prev_hash for b in before)):
                        problems.append(f"Gebeurtenis {events[o.event_id].seq} sluit op de andere pc niet meer aan op "
                                        "de vorige.")
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


def import_into_new_database(ctx: AppContext, path: Path | str, dry_run: bool = False, setup_code: str | None = None,
                             trusted_fingerprint: str | None = None) -> ImportSummary:
    """An empty database (no institution or no users yet) set up from a session package: the exam PC's
    first start. The package opens with its setup code, and its signer — the commission, whose key this
    PC does not know yet — is pinned when `trusted_fingerprint` is its fingerprint, as whoever sets the
    PC up compared it with the commission over the phone. Anything else needs a logged-in user with the
    exchange permission."""
    if not needs_setup(ctx):
        raise PermissionDenied("Deze database is al ingericht: log in om een uitwisselbestand in te lezen.")
    file, pin = _open(ctx, Path(path), setup_code, setting_up=True, confirm=trusted_fingerprint)
    return _run_import(ctx, file, dry_run, pin=pin)


def _open(ctx: AppContext, path: Path, setup_code: str | None, *, setting_up: bool = False,
          confirm: str | None = None) -> tuple[ExchangeFile, PinnedKey | None]:
    """Reads a file in the order that refuses before anything is trusted, decrypted or parsed: bounds,
    whole-file SHA-256, signature (`data/exchange.read_sealed`); the school; the signer against the keys
    pinned here (`domain/exchange_keys.decide`) and their seals; a package read before or older than one
    read before; then decryption. Returns the opened file and, while setting up an exam PC, the key to pin."""
    store = ctx.store
    sealed = container.read_sealed(path)
    envelope = sealed.envelope
    if setting_up and envelope.kind != KIND_PACKAGE:
        raise refused("Een lege database kan alleen worden ingericht met een afnamepakket, niet met een afnameverslag.")
    inst = institution_data.get(store)
    if inst is not None and inst.brin.strip().upper() != envelope.brin.strip().upper():
        raise refused(f"Dit bestand is van {envelope.institution_name} (BRIN {envelope.brin}); deze database hoort bij "
                      f"{inst.name} (BRIN {inst.brin}).")
    keys, own = _own(store)
    pin = None
    try:
        vouching = decide(envelope, key_data.pinned(store), own)
    except KeyNotTrusted as exc:
        if not (setting_up and exc.state == STATE_UNKNOWN):
            raise
        if confirm is None:
            raise KeyNotTrusted(
                f"Deze examenpc wordt ingericht met een afnamepakket van {exc.sender_label}. Bel de examencommissie en "
                f"vergelijk de vingerafdruk van haar sleutel: {envelope.sender.fingerprint}. Bevestig hem bij het "
                "inlezen (in het venster, of met --vertrouw \"VINGERAFDRUK\") en typ de instelcode die het "
                "examenbureau apart van het bestand doorgaf. Er is niets ingelezen.",
                exc.state, envelope, exc.role, None, exc.own_fingerprint) from None
        if not matches(confirm, envelope.sender.key_id):
            raise refused(f"De opgegeven vingerafdruk is niet die van de sleutel waarmee dit pakket is ondertekend "
                          f"({envelope.sender.fingerprint}). Vergelijk hem opnieuw met de examencommissie.") from None
        vouching, pin = None, _setup_pin(ctx, sealed)
    if vouching is not None:
        problem = key_data.seal_problem(store, vouching.fingerprint)
        if problem:
            raise refused(f"{problem} Het bestand is daarom niet vertrouwd.")
    if envelope.kind == KIND_PACKAGE:
        _refuse_replay(store, sealed)
    # a fresh exam PC opens its first package with the setup code only: that code is what vouches for it
    return container.open_sealed(sealed, None if pin is not None else keys, setup_code), pin


def _in_scope(ctx: AppContext, opened: tuple[ExchangeFile, PinnedKey | None]) -> tuple[ExchangeFile, PinnedKey | None]:
    """A record is opened, previewed or read in only by someone who may see each of its sessions: a surveillant
    with a login at the commission reads no other invigilator's record (its events, its roster) — least
    privilege, issue 11. Packages are the exam PC's way in and are not narrowed here."""
    file = opened[0]
    if file.manifest.kind == KIND_RECORD and not scope.sees_all_sessions(ctx):
        for s in file.manifest.sessions:
            scope.visible_session(ctx, s.id)
    return opened


def _own(store: Store) -> tuple[DatabaseKeys, Identity]:
    """This installation's keys of the database and its public identity, read once per open store (KeysMissing
    in Dutch when they are not on this computer)."""
    if "exchange_identity" not in store.memo:
        keys = keystore.require(rows.database_id(store), store.path)
        store.memo["exchange_identity"] = (keys, identity_of(keys))
    return store.memo["exchange_identity"]  # type: ignore[return-value]


def _setup_pin(ctx: AppContext, sealed: SealedFile) -> PinnedKey:
    envelope = sealed.envelope
    if not envelope.needs_setup_code:
        raise refused("Een nieuwe examenpc wordt ingericht met een afnamepakket dat met een instelcode is "
                      "versleuteld; dit pakket heeft er geen.")
    return PinnedKey(
        fingerprint=envelope.sender.key_id, role=ROLE_COMMISSION, signing_key=envelope.sender.signing_key,
        exchange_key=envelope.sender.exchange_key, database_id=envelope.sender.database_id,
        institution=envelope.institution_name, label=label_for(envelope, ROLE_COMMISSION), first_file=sealed.name,
        first_file_at=envelope.created_at, confirmed_at=to_iso(ctx.clock()), confirmed_by="",
        confirmed_how=CONFIRMED_AT_SETUP)


def _refuse_replay(store: Store, sealed: SealedFile) -> None:
    """A package is read once, and never after a newer one from the same sender: an old package replayed
    would bring back sessions, accounts or a plan the office has since replaced."""
    envelope = sealed.envelope
    earlier = rows.earlier_imports(store, envelope.file_id)
    if earlier:
        raise refused(f"Dit afnamepakket is hier al ingelezen op {format_datetime(from_iso(earlier[0].at))}; een "
                      "afnamepakket wordt maar één keer ingelezen.")
    last, when = key_data.last_package_sequence(store, envelope.sender.key_id)
    if envelope.sequence <= last:
        raise refused(f"Dit afnamepakket (nummer {envelope.sequence}) is ouder dan een pakket van dezelfde afzender dat "
                      f"hier op {format_datetime(from_iso(when))} is ingelezen (nummer {last}). Een oud pakket wordt "
                      "niet opnieuw gebruikt; vraag het examenbureau om een nieuw pakket.")


def _run_import(ctx: AppContext, file: ExchangeFile, dry_run: bool, pin: PinnedKey | None = None) -> ImportSummary:
    """Reads an opened file in: the content typed first, then the plan (`domain/exchange_import`), then — in
    one transaction with the exchange log, the audit entry and (setting up an exam PC) the commission's key
    pinned — the plan applied. A refusal anywhere leaves the database as it was; a preview runs the same and
    rolls back."""
    store = ctx.store
    m = file.manifest
    own_file = m.signer == _own(store)[1].key_id
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
            if pin is not None:
                key_data.insert(store, pin, None, "systeem")
                ctx.audit("uitwisselsleutel vertrouwd", "uitwisselsleutel", pin.fingerprint, {
                    "rol": pin.role, "naam": pin.label, "vingerafdruk": display_fingerprint(pin.fingerprint),
                    "bevestigd": pin.confirmed_how, "bestand": pin.first_file})
            import_seq = rows.log(store, m.file_id, "import", m.kind, file.name, file.file_sha256, m.database_id, at,
                                  username, [s.id for s in m.sessions], {}, m.signer, m.sequence)
            accounts: dict[int, str] = {}
            if m.kind == KIND_RECORD:
                record = plan_record(sessions, _local_sessions(store, sessions), rows.user_ids(store),
                                     session_data.chain_key(store), None if own_file else m.created_by,
                                     None if own_file else m.signer)
                with rows.refusing_conflicts(m.kind_label):
                    _apply_record(store, record, m.database_id, import_seq, m.signer)
                summary = record.summary(m.kind, file.name, made_by, made_at)
            else:
                plan = plan_package(package, _package_facts(store, package, setting_up))
                with rows.refusing_conflicts(m.kind_label):
                    accounts = _apply_package(store, plan, at)
                summary = _with_package_notes(plan.summary(m.kind, file.name, made_by, made_at), package, m)
            summary = replace(summary, earlier_imports=earlier)
            ctx.audit(f"{KIND_LABELS[m.kind]} ingelezen", "uitwisseling", m.file_id, {
                "bestand": file.name, "sha256": file.file_sha256, "gemaakt_door": m.created_by,
                "herkomst": m.database_id, "ondertekend met": display_fingerprint(m.signer),
                "volgnummer": m.sequence,
                "afnames": {s.label: s.action for s in summary.sessions},
                "nieuwe_gebeurtenissen": summary.added_events,
                **(audit_data.passwords_summary(store, accounts) if accounts else {})})
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


def _apply_package(store: Store, plan: PackagePlan, at: str) -> dict[int, str]:
    """Writes what the plan says, through fixed column lists (inside the caller's transaction). Returns the
    accounts made on an empty exam PC (id → stored hash): the import's audit entry vouches for their hashes."""
    accounts: dict[int, str] = {}
    if plan.institution is not None:
        rows.insert_institution(store, plan.institution)
    locations = {loc["name"]: rows.location_id(store, loc["name"], loc["address"]) for loc in plan.locations}
    rooms = {(location, r["name"]): rows.room_id(store, locations[location], r["name"], r["workstations"])
             for location, r in plan.rooms}
    for table, found in plan.register.items():
        rows.insert_register_rows(store, table, found)
    for u in plan.users:
        accounts[rows.insert_package_user(store, u, at)] = u["password_hash"]
    for c in plan.candidates:
        rows.insert_package_candidate(store, c, at)
    for s in plan.sessions:
        if s.create:
            people = [rows.user_id(store, name) for name in s.invigilators]
            rows.insert_package_session(store, s.row, rooms[s.room_key], [p for p in people if p is not None],
                                        s.roster)
    return accounts


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
            tuple(session_data.events(store, s.id)), rows.exam_pcs(store, s.id))
    return found


def _apply_record(store: Store, plan: RecordPlan, origin: str, import_seq: int | None, signer: str) -> None:
    """Appends the planned events through `data/sessions` (the one event INSERT), their origins (with the key
    that signed them) and the new status (inside the caller's transaction)."""
    for s in plan.sessions:
        if not s.events:
            continue
        session_data.insert_events(store, list(s.events))
        rows.insert_origins(store, origin, import_seq, s.origins, signer)
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
