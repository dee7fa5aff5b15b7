"""Issuing, storing and verifying official documents.
(Over 400 lines: the document kinds, previewing and issuing, and the checks of a PDF or paper copy share one record.)

Each kind of document (procesverbaal, Inspectie form, decision letter, annual report, incident
overview) is a `DocumentKind`: `collect` reads from the database exactly the data the document
shows, `story` (in examdesk/reports/) turns that data into reportlab flowables. The service adds the
page frame, the fingerprint, stores the PDF bytes with the fingerprint (append-only, audited) and
later tells whether a PDF or a paper copy still matches the database.

Beside the fingerprint each document prints the audit head (sequence number and short hash) it was
issued at, and stores it: a witness that history up to there is not rewritten later. A document
whose session events or decision no longer prove themselves is not issued at all."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from examdesk.data import audit as audit_data
from examdesk.data import documents as document_data
from examdesk.data import incident_desk as desk_data
from examdesk.data.db import Store
from examdesk.domain.audit import holds_own_hmac
from examdesk.domain.audit_ledgers import (
    DOCUMENT_ACTION,
    PDF_SHA_KEY,
    IssuedDocument,
    document_problem,
    issued_document,
)
from examdesk.domain.clock import format_datetime, from_iso, to_iso
from examdesk.domain.documents import (
    DocumentRecord,
    DocumentVerdict,
    PdfMarker,
    VerdictStatus,
    document_fingerprint,
    groups_match,
    personal_subject,
    read_marker,
    split_personal_subject,
)
from examdesk.domain.errors import ExamDeskError, NotFound, ValidationError
from examdesk.domain.fingerprint import grouped, sha256_hex
from examdesk.domain.integrity import witness_problem
from examdesk.domain.roles import Action
from examdesk.domain.users import User
from examdesk.services import integrity
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService


@dataclass(frozen=True)
class DocumentContent:
    data: dict[str, Any]   # exactly what the document shows: the fingerprint is taken over this
    title: str             # "Procesverbaal afname Nederlands 3F, 23-11-2026"
    subject: str           # right in the page header, e.g. "Afname 23-11-2026 · lokaal B2.14"
    model: str             # "Procesverbaal afname · model PV-1 (versie 2026)"
    concept: bool = False  # prints CONCEPT on every page (e.g. a session not yet closed)


@dataclass(frozen=True)
class DocumentKind:
    name: str                                           # 'procesverbaal'
    label: str                                          # 'Procesverbaal'
    collect: Callable[[Store, str], DocumentContent]    # raises NotFound for an unknown subject
    story: Callable[[dict[str, Any]], list[Any]]        # reportlab flowables from the data
    # (subject id, Dutch label) whose label holds every typed word, newest first, at most `limit`
    subjects: Callable[[Store, str, int | None], list[tuple[str, str]]]
    subject_label: str = "Onderwerp"                    # 'Afname', 'Incident', 'Besluit', 'Schooljaar'
    personal: bool = False                              # names its maker (submitter): subject gets ';indiener='
    # about a period (any from–to, besides the ready-made subjects): the subject for a period, and back
    period_subject: Callable[[date, date], str] | None = None
    period_of: Callable[[str], tuple[date, date]] | None = None
    # a question to answer before the document may be made (Dutch), or '' (e.g. a minor with unknown birth date)
    ready: Callable[[Store, str], str] | None = None
    # who may make it besides PRODUCE_DOCUMENTS (the Inspectie form: only the commission submits)
    action: Action | None = None


@dataclass(frozen=True)
class PreparedDocument:
    """A document built for the preview and not yet issued: the exact PDF bytes and the record (id,
    fingerprint, audit head) they will be issued under when printed or saved (`DocumentService.record`)."""

    record: DocumentRecord
    pdf: bytes
    concept: bool
    username: str    # who made it: only they issue it (a personal kind's subject names them)


def kinds() -> tuple[DocumentKind, ...]:
    """Every kind of document, in the order the Rapporten screen offers them. Each `doc_<kind>` module
    imports this one (for `DocumentKind`), so they are imported here, when first asked for."""
    from examdesk.services import (
        doc_besluit,
        doc_incidenten,
        doc_inspectie,
        doc_jaarverslag,
        doc_procesverbaal,
    )

    return (doc_procesverbaal.KIND, doc_inspectie.KIND, doc_besluit.KIND, doc_jaarverslag.KIND, doc_incidenten.KIND)


def kind(name: str) -> DocumentKind:
    found = next((k for k in kinds() if k.name == name), None)
    if found is None:
        raise NotFound(f"Onbekende documentsoort '{name}'.")
    return found


def _describe(record: DocumentRecord) -> str:
    return f"{record.title} (gemaakt {format_datetime(from_iso(record.created_at))} door {record.created_by})"


class DocumentService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def _maker(self, doc_kind: DocumentKind) -> User:
        """The user who may make (and issue) this kind of document, or PermissionDenied."""
        user = self.ctx.require(Action.PRODUCE_DOCUMENTS)
        if doc_kind.action is not None:
            user = self.ctx.require(doc_kind.action)
        return user

    def prepare(self, kind_name: str, subject_id: str) -> PreparedDocument:
        """Builds the PDF from the current data, for the preview: the exact bytes with their fingerprint and the
        id they will be issued under. Nothing is stored and nothing audited — a preview is not an issued
        document until `record` (print or save), so opening, closing and reopening previews leaves the register
        of issued documents, the audit log and its printed head as they were."""
        from examdesk.reports.frame import PageFrame, build_pdf

        doc_kind = kind(kind_name)
        user = self._maker(doc_kind)
        if doc_kind.personal:
            subject_id = personal_subject(subject_id, user.username)
        _refuse_unproven(self.ctx.store, kind_name, subject_id)
        question = doc_kind.ready(self.ctx.store, subject_id) if doc_kind.ready else ""
        if question:
            raise ValidationError(f"{question} Het document is niet gemaakt.")
        content = doc_kind.collect(self.ctx.store, subject_id)
        digest = document_fingerprint(kind_name, content.data)
        inst = InstitutionService(self.ctx).get()
        moment = self.ctx.clock()
        head = audit_data.head(self.ctx.store)
        frame = PageFrame(content.title, content.subject, f"{inst.name} ({inst.brin})", content.model,
                          format_datetime(moment), digest, content.concept, head)
        pdf = build_pdf(frame, doc_kind.story(content.data), {"kind": kind_name, "subject": subject_id})
        record = DocumentRecord(str(uuid.uuid4()), kind_name, subject_id, content.title, digest, to_iso(moment),
                                user.full_name, content.model, head[0], head[1])
        return PreparedDocument(record, pdf, content.concept, user.username)

    def record(self, prepared: PreparedDocument) -> DocumentRecord:
        """Issues a previewed document when the user prints or saves it: stores and audits *those* bytes (no
        rebuild, so the fingerprint and SHA-256 on the trail are those of the paper). Printing or saving the
        same preview again is a copy of the same document, not a new one: the record made the first time is
        returned and nothing is added (see docs/trust.md). When the data changed after the preview was made,
        the preview no longer shows the record and is refused (ValidationError) — something else is never
        stored in its place."""
        record = prepared.record
        user = self._maker(kind(record.kind))
        existing = document_data.get(self.ctx.store, record.id)
        if existing is not None:
            if sha256_hex(document_data.pdf(self.ctx.store, record.id) or b"") != sha256_hex(prepared.pdf):
                raise ValidationError(f"Document {record.id} is al uitgegeven met een andere inhoud dan dit "
                                      "voorbeeld; er is niets vastgelegd. Maak een nieuw document.")
            return existing
        if user.username != prepared.username:
            raise ValidationError(f"Dit voorbeeld is gemaakt door een andere gebruiker ({record.created_by}); het "
                                  "is niet uitgegeven. Maak het document opnieuw onder uw eigen naam.")
        _refuse_unproven(self.ctx.store, record.kind, record.subject_id)
        try:
            now_digest = current_fingerprint(self.ctx.store, record.kind, record.subject_id)
        except NotFound:
            now_digest = ""
        if now_digest != record.fingerprint:
            raise ValidationError(
                "De gegevens van dit document zijn gewijzigd nadat het voorbeeld werd gemaakt: wat u ziet is niet "
                "meer wat de database zegt. Het is niet afgedrukt, niet opgeslagen en niet uitgegeven; sluit het "
                "voorbeeld en maak een nieuw document.")
        with self.ctx.store.transaction():
            document_data.insert(self.ctx.store, record, prepared.pdf)
            self.ctx.audit(DOCUMENT_ACTION, record.kind, record.subject_id,
                           {"document": record.id, "titel": record.title, "vingerafdruk": record.fingerprint,
                            "concept": prepared.concept, "auditregel": record.audit_seq,
                            PDF_SHA_KEY: sha256_hex(prepared.pdf)})
        integrity.note_head(self.ctx.store.path)  # the head is on paper now: the witness file follows it
        return record

    def issue(self, kind_name: str, subject_id: str) -> tuple[DocumentRecord, bytes]:
        """Builds and issues at once, for a caller that writes the file itself (the CLI's `--out`: that is a
        save) — `prepare` then `record`."""
        prepared = self.prepare(kind_name, subject_id)
        return self.record(prepared), prepared.pdf

    def subjects(self, kind_name: str, text: str = "", limit: int | None = None) -> list[tuple[str, str]]:
        """What a document of this kind can be about, matching the typed text; a list that grows with
        the years is asked for a page (`limit`), never whole, by the screen."""
        self.ctx.require(Action.PRODUCE_DOCUMENTS)
        return kind(kind_name).subjects(self.ctx.store, text, limit)

    def stored_pdf(self, document_id: str) -> bytes:
        """The exact bytes issued earlier: a re-download is byte-identical."""
        self.ctx.require(Action.PRODUCE_DOCUMENTS)
        data = document_data.pdf(self.ctx.store, document_id)
        if data is None:
            raise NotFound(f"Document {document_id} bestaat niet.")
        if not data:   # anonymisation (docs/privacy.md) removed the PDF; its record and fingerprint stay
            raise NotFound(f"De pdf van document {document_id} is verwijderd bij het anonimiseren van een kandidaat "
                           "na de bewaartermijn. De vingerafdruk staat nog in het register van uitgegeven documenten.")
        return data

    def recent(self, limit: int = 500) -> list[DocumentRecord]:
        self.ctx.require(Action.PRODUCE_DOCUMENTS)
        return document_data.recent(self.ctx.store, limit)

    def latest(self, kind_name: str, subject_id: str) -> DocumentRecord | None:
        """The newest document issued about the subject. For a personal kind (the Inspectie form) asked
        about without a submitter, the newest one whoever made it: that is the one that was sent."""
        self.ctx.require(Action.PRODUCE_DOCUMENTS)
        if kind(kind_name).personal and not split_personal_subject(subject_id)[1]:
            return document_data.latest_for_any_submitter(self.ctx.store, kind_name, subject_id)
        return document_data.latest_for(self.ctx.store, kind_name, subject_id)

    def is_outdated(self, kind_name: str, subject_id: str) -> bool | None:
        """True when the newest issued document no longer matches the data; None when none was issued."""
        latest = self.latest(kind_name, subject_id)
        if latest is None:
            return None
        return current_fingerprint(self.ctx.store, kind_name, latest.subject_id) != latest.fingerprint

    def verify_pdf(self, pdf: bytes) -> DocumentVerdict:
        return verify_pdf(self.ctx.store, pdf)

    def check_paper(self, typed: dict[int, str]) -> DocumentVerdict:
        """A paper copy without a file: the user types two groups of the printed fingerprint."""
        if len(typed) < 2 or any(len(t.strip().replace(" ", "")) != 4 for t in typed.values()):
            raise ValidationError("Typ twee groepen van vier tekens over van de vingerafdruk op het papier.")
        hits = [r for r in document_data.all_fingerprints(self.ctx.store) if groups_match(r.fingerprint, typed)]
        if not hits:
            return DocumentVerdict(VerdictStatus.UNKNOWN,
                                   "Geen document van ExamDesk heeft deze vingerafdruk: het papier is niet door "
                                   "ExamDesk uitgegeven of de groepen zijn verkeerd overgetypt.")
        record = max(hits, key=lambda r: r.created_at)
        return _compare(self.ctx.store, record)


def _shown_records(store: Store, kind_name: str, subject_id: str) -> tuple[list[str], list[str]]:
    """(sessions whose events, decisions whose sealed rows) a document prints, so that issuing can refuse
    to put records on paper that no longer prove themselves. Period documents (annual report, incident
    overview) summarise many sessions; `examdesk verify` covers those."""
    base, _ = split_personal_subject(subject_id)
    if kind_name == "procesverbaal":
        return [base], []
    if kind_name == "inspectie":
        row = desk_data.row(store, base)
        return ([row.session_id] if row else []), []
    if kind_name == "besluit":
        decision = desk_data.decision(store, base)
        row = desk_data.row(store, decision.incident_id) if decision else None
        return ([row.session_id] if row else []), ([base] if decision else [])
    return [], []


def _refuse_unproven(store: Store, kind_name: str, subject_id: str) -> None:
    sessions, decisions = _shown_records(store, kind_name, subject_id)
    problems = [p for p in (integrity.session_problem(store, s) for s in sessions) if p]
    problems += [p for p in (integrity.desk_row_problem(store, "decisions", d) for d in decisions) if p]
    if problems:
        raise ValidationError(f"{problems[0]} Wat daar staat is buiten ExamDesk gewijzigd en komt daarom niet op "
                              "papier: het document is niet gemaakt. Laat de beheerder 'examdesk verify' uitvoeren "
                              "en zo nodig een back-up terugzetten.")


def current_fingerprint(store: Store, kind_name: str, subject_id: str) -> str:
    return document_fingerprint(kind_name, kind(kind_name).collect(store, subject_id).data)


def _compare(store: Store, record: DocumentRecord) -> DocumentVerdict:
    try:
        now_digest = current_fingerprint(store, record.kind, record.subject_id)
    except NotFound:
        now_digest = ""
    if now_digest == record.fingerprint:
        return DocumentVerdict(VerdictStatus.MATCH,
                               f"Het document komt overeen met de database: {_describe(record)}.", record)
    return DocumentVerdict(
        VerdictStatus.CHANGED,
        f"Het document hoort bij {_describe(record)}, maar de gegevens zijn na het afdrukken gewijzigd "
        f"(nu {grouped(now_digest, 2) if now_digest else 'niet meer aanwezig'}); maak een nieuw document.",
        record)


def _history_problem(store: Store, marker: PdfMarker) -> str:
    """The audit head printed on the document is a witness: history before it must still be there."""
    if marker.audit_seq is None:
        return ""
    head_seq, _ = audit_data.head(store)
    sentence = witness_problem("Dit document", marker.audit_seq, marker.audit_hash, head_seq,
                               audit_data.hash_at(store, marker.audit_seq))
    return f"{sentence} Het document is echt, maar de database is na het uitgeven herschreven." if sentence else ""


def _issued_per_trail(store: Store) -> dict[str, IssuedDocument]:
    """The documents the audit trail says were issued. An entry in the keyed part of the chain must carry its
    own HMAC (one entry checked, not the whole chain: `examdesk verify` does that), so a row written into the
    file cannot vouch for a forged document."""
    try:
        key = audit_data.chain_key(store)
    except ExamDeskError:
        key = None       # keys not on this computer: the entries are read as they stand
    anchor = audit_data.anchor(store)[1]
    keyed_from = anchor.keyed_from if anchor is not None else 1
    found: dict[str, IssuedDocument] = {}
    for e in audit_data.with_action(store, DOCUMENT_ACTION):
        if key is not None and e.seq >= keyed_from and not holds_own_hmac(e, key):
            continue
        hit = issued_document(e.action, e.summary)
        if hit is not None:
            found[hit[0]] = hit[1]
    return found


# Far above any document ExamDesk issues (an annual report is a few hundred KB; evidence is listed, not
# embedded): anyone may hand the check a file — `examdesk verify-document` and the GUI's "PDF controleren…".
MAX_PDF_BYTES = 64 * 1024 * 1024


def read_pdf_file(path: Path) -> bytes:
    """The bytes of a file to check, refused in Dutch (ValidationError) when it is no regular file (a folder,
    a device, a pipe), larger than MAX_PDF_BYTES or unreadable; never more than the bound is read, also when
    the file grows between the size check and the read."""
    path = Path(path)
    try:
        if not path.is_file():
            raise ValidationError(f"{path} is geen gewoon bestand (maar een map, apparaat of pijp); er is niets "
                                  "gecontroleerd.")
        too_big = ValidationError(f"{path} is groter dan {MAX_PDF_BYTES // (1024 * 1024)} MB en dus geen document "
                                  "van ExamDesk; er is niets gecontroleerd.")
        if path.stat().st_size > MAX_PDF_BYTES:
            raise too_big
        with path.open("rb") as handle:
            data = handle.read(MAX_PDF_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"{path} kan niet worden gelezen: {exc.strerror}.") from None
    if len(data) > MAX_PDF_BYTES:
        raise too_big
    return data


def verify_pdf(store: Store, pdf: bytes) -> DocumentVerdict:
    """Needs no login: anyone holding a PDF may ask whether it still matches."""
    marker = read_marker(pdf)
    if marker is None:
        return DocumentVerdict(VerdictStatus.NOT_EXAMDESK,
                               "Dit bestand is geen document van ExamDesk: er staat geen digitale vingerafdruk in.")
    records = [r for r in document_data.by_fingerprint(store, marker.fingerprint)
               if not marker.kind or r.kind == marker.kind]
    history = _history_problem(store, marker)
    if history:
        return DocumentVerdict(VerdictStatus.CHANGED, history, records[0] if records else None)
    digest = sha256_hex(pdf)
    trail = _issued_per_trail(store) if records else {}
    # the very PDF the audit trail says was issued: genuine, whatever the stored copy has become since
    genuine = [r for r in records if r.id in trail and trail[r.id].pdf_sha256 == digest]
    if genuine:
        verdict = _compare(store, genuine[0])
        if sha256_hex(document_data.pdf(store, genuine[0].id) or b"") != digest:
            verdict = replace(verdict, message=f"{verdict.message} Let op: het opgeslagen exemplaar in de database is "
                                               "buiten ExamDesk gewijzigd; controleer de database (examdesk verify).")
        return verdict
    issued = [r for r in records if sha256_hex(document_data.pdf(store, r.id) or b"") == digest]
    if issued:
        # a stored copy vouches for a file only when it is what the audit trail says was issued
        problem = document_problem(issued[0].title, issued[0].id, trail.get(issued[0].id), issued[0].fingerprint,
                                   digest)
        if problem:
            return DocumentVerdict(VerdictStatus.CHANGED, f"{problem} Dit bestand wordt daarom niet als echt "
                                                          "bevestigd.", issued[0])
        return _compare(store, issued[0])
    if records:
        return DocumentVerdict(
            VerdictStatus.CHANGED,
            f"Dit bestand is na het uitgeven gewijzigd: het wijkt af van {_describe(records[0])}. "
            "Gebruik het uitgegeven document.", records[0])
    if marker.kind and marker.subject_id:
        latest = document_data.latest_for(store, marker.kind, marker.subject_id)
        if latest is not None:
            return DocumentVerdict(
                VerdictStatus.CHANGED,
                f"Dit document hoort bij {latest.title}, maar deze database heeft het niet met deze "
                "vingerafdruk uitgegeven: het is gewijzigd of de gegevens zijn later veranderd.", latest)
    return DocumentVerdict(VerdictStatus.UNKNOWN,
                           "Dit document van ExamDesk is niet in deze database uitgegeven (andere database of "
                           "gewijzigd bestand).")
