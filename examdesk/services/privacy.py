"""Privacy use cases (issue 18): retention periods, the monthly list of what is due, anonymisation, and the
subject-access export (a PDF for the person, JSON for the record, the evidence files beside it). See
docs/privacy.md.
(Over 400 lines: the privacy officer's use cases and the exam PC's receipt, each gated and audited, read together.)"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from examdesk.data import anonymise as anonymise_data
from examdesk.data import exam_pc as exam_pc_data
from examdesk.data import institution as institution_data
from examdesk.data import keystore, search
from examdesk.data import meta as meta_data
from examdesk.data import privacy as data
from examdesk.data import sessions as session_data
from examdesk.domain.clock import format_date, format_datetime, from_iso, to_iso
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.fingerprint import canonical_json, sha256_hex
from examdesk.domain.plural import counted, number
from examdesk.domain.privacy import (
    ACCOUNTS,
    ANONYMISED_ACTION,
    DOSSIERS,
    FORMER_STAFF,
    RESULTS,
    RETENTION,
    RETENTION_SETTINGS,
    AccountDue,
    DueItem,
    HeldSession,
    accounts_due,
    check_retention,
    due,
    due_cutoffs,
    former_staff_name,
    keep_until,
    kept_by_school_year,
    minor_flags,
    needles,
    open_case_refusal,
    pseudonym,
    stored_retention,
)
from examdesk.domain.privacy_register import FIELD_LABELS, PERSONAL, PURPOSES
from examdesk.domain.roles import Action
from examdesk.services import settings
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget
from examdesk.services.overview import Card, CardLine, once_per_state


@dataclass(frozen=True)
class AnonymiseResult:
    candidates: int
    records: int        # rows of append-only records redacted (chains and seals still verify)
    documents: int      # stored PDFs removed (their fingerprint records stay)


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence file of the export, written beside the JSON under a name ExamDesk makes (never the stored
    file name, which came from outside): the JSON names it with its SHA-256, size and type."""

    attachment_id: int
    path: str            # relative to the export folder
    sha256: str


@dataclass(frozen=True)
class SubjectExport:
    student_number: str
    json_bytes: bytes
    pdf_bytes: bytes
    tables: dict[str, int]   # rows per table
    files: tuple[EvidenceFile, ...] = ()

    @property
    def base_name(self) -> str:
        return f"inzage_{self.student_number}"


_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}


def _evidence_files(base_name: str, rows: list[dict[str, Any]]) -> tuple[EvidenceFile, ...]:
    """The evidence in the export, each beside the JSON (`<base>_bijlagen/<id>_<sha256 prefix>.<type>`); the
    row's content becomes {bestand, bytes, sha256} so the record names the file it proves. A file removed by
    anonymisation has no bytes and no file."""
    files = []
    for r in rows:
        content = r.get("content")
        if not isinstance(content, dict) or not content.get("bytes"):
            if isinstance(content, dict):
                content["bestand"] = None
            continue
        path = f"{base_name}_bijlagen/{r['id']}_{str(r['sha256'])[:12]}{_EXTENSIONS.get(r['media_type'], '.bin')}"
        content["bestand"] = path
        files.append(EvidenceFile(int(r["id"]), path, str(r["sha256"])))
    return tuple(files)


# the stored setting of each retention period (declared once in services/settings.py)
_STORED = {RESULTS.name: settings.PRIVACY_RESULTS_MONTHS, DOSSIERS.name: settings.PRIVACY_DOSSIER_YEARS,
           ACCOUNTS.name: settings.PRIVACY_ACCOUNT_MONTHS}


def _periods(store: Any) -> dict[str, int]:
    return {s.name: stored_retention(s, settings.read(store, _STORED[s.name])) for s in RETENTION_SETTINGS}


class PrivacyService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    # --- retention -------------------------------------------------------------------------------
    def retention(self) -> dict[str, int]:
        """Each retention period by name (resultaten, dossiers, accounts) as set, or its default."""
        self.ctx.require(Action.MANAGE_PRIVACY)
        return _periods(self.ctx.store)

    def set_retention(self, name: str, value: object) -> int:
        """One period; below its legal minimum refused with the source named (nothing changed)."""
        self.ctx.require(Action.MANAGE_PRIVACY)
        setting = RETENTION.get(name)
        if setting is None:
            raise ValidationError(f"Onbekende bewaartermijn '{str(name)[:40]}'; kies uit "
                                  f"{', '.join(RETENTION)}.")
        number = check_retention(setting, value)
        with self.ctx.store.transaction():
            settings.write(self.ctx.store, _STORED[name], number)
            self.ctx.audit("bewaartermijn ingesteld", "instelling", name, {"termijn": number, "eenheid": setting.unit})
        return number

    # --- the monthly check -------------------------------------------------------------------------
    def due(self, today: date | None = None) -> list[DueItem]:
        """Candidates whose retention ended, oldest first; those with an open case say why they wait."""
        periods = self.retention()
        today = today or self.ctx.clock().date()
        # the stored facts of those due (a range scan, not ten years of history) with their open cases
        facts = data.due_facts(self.ctx.store, today, *due_cutoffs(today, periods[RESULTS.name], periods[DOSSIERS.name]))
        return due(facts, today, periods[RESULTS.name], periods[DOSSIERS.name])

    def due_page(self, offset: int, limit: int, today: date | None = None) -> list[DueItem]:
        """`due()[offset:offset + limit]`, sorted and cut in SQL (Beheer → Privacy pages it as it scrolls: tens of
        thousands due on ten years); each item still judged by `domain/privacy.due`."""
        periods = self.retention()
        today = today or self.ctx.clock().date()
        months, years = periods[RESULTS.name], periods[DOSSIERS.name]
        results, cases = due_cutoffs(today, months, years)
        first = data.due_span(self.ctx.store, results, cases)
        if first is None:
            return []
        kept = kept_by_school_year(first, max(results, cases), months, years)
        return due(data.due_page(self.ctx.store, today, results, cases, kept, offset, limit), today, months, years)

    def due_counts(self, today: date | None = None) -> tuple[int, int]:
        """(over the retention period, of which waiting on an open case): the counts of `due`, in SQL on the cut-offs
        the domain computes for `today` (the Overzicht's card: no list of tens of thousands to show two numbers)."""
        periods = self.retention()
        today = today or self.ctx.clock().date()
        return data.due_counts(self.ctx.store, today, *due_cutoffs(today, periods[RESULTS.name], periods[DOSSIERS.name]))

    def anonymise(self, candidate_ids: list[int], today: date | None = None) -> AnonymiseResult:
        """Anonymises the candidates the beheerder reviewed on the due list; every one must be due and without
        an open case, or nothing changes. Then rebuilds the file so no old byte of them remains."""
        self.ctx.require(Action.MANAGE_PRIVACY)
        store = self.ctx.store
        if not data.has_privacy_tables(store):
            raise ValidationError("Deze database kent nog geen anonimisering (schemaversie te oud).")
        periods = self.retention()
        today = today or self.ctx.clock().date()
        facts = {f.candidate_id: f for f in data.candidate_facts(store, list(candidate_ids), today)}
        for cid in candidate_ids:
            f = facts.get(cid)
            if f is None:
                raise NotFound("Deze kandidaat bestaat niet of is al geanonimiseerd. Er is niets gewijzigd.")
            until = keep_until(f, periods[RESULTS.name], periods[DOSSIERS.name])
            if until >= today:
                raise ValidationError(f"Kandidaat {f.student_number} wordt tot en met {format_date(until)} bewaard; "
                                      "er is niets geanonimiseerd.")
            if f.open_cases:
                raise open_case_refusal(f.student_number, f.open_cases)
        key = keystore.require(meta_data.database_id(store), store.path).hmac_key
        at = to_iso(self.ctx.clock())
        records = documents = 0
        with store.transaction():
            for cid in candidate_ids:
                c = session_data.candidate(store, cid)
                pseudo = pseudonym(key, c.student_number)
                pairs = needles(c.first_name, c.prefix, c.last_name, c.student_number, c.birth_date)
                flags = minor_flags(c.birth_date, data.dates_that_matter(store, cid))
                anonymisation = str(uuid.uuid4())
                done = anonymise_data.anonymise(store, cid, key, pseudo, pairs, flags, anonymisation, at)
                records += done.records
                documents += done.documents
                self.ctx.audit(ANONYMISED_ACTION, "kandidaat", pseudo.student_number, {
                    "pseudoniem": pseudo.last_name, "anonimisering": anonymisation,
                    "vastleggingen": done.records, "pdf_verwijderd": done.documents}, candidates=[cid])
        search.merge(store)   # the search tables in one segment each: no term of the old texts is left
        anonymise_data.leave_no_trace(store)
        return AnonymiseResult(len(candidate_ids), records, documents)

    # --- accounts of staff who left ----------------------------------------------------------------------
    def accounts_due(self, today: date | None = None) -> list[AccountDue]:
        """Switched-off accounts past their retention period (Beheer → Privacy)."""
        self.ctx.require(Action.MANAGE_PRIVACY)
        today = today or self.ctx.clock().date()
        return accounts_due(anonymise_data.switched_off_accounts(self.ctx.store, f"{FORMER_STAFF} %"), today,
                            self.retention()[ACCOUNTS.name])

    def anonymise_accounts(self, user_ids: list[int], today: date | None = None) -> int:
        """Their name, function, phone and e-mail removed; the username stays, as the sealed records name it."""
        self.ctx.require(Action.MANAGE_PRIVACY)
        due_ids = {a.user_id: a for a in self.accounts_due(today)}
        missing = [u for u in user_ids if u not in due_ids]
        if missing:
            raise ValidationError("Alleen uitgeschakelde accounts waarvan de bewaartermijn voorbij is worden "
                                  "geanonimiseerd; er is niets gewijzigd.")
        with self.ctx.store.transaction():
            for uid in user_ids:
                anonymise_data.anonymise_account(self.ctx.store, uid, former_staff_name(uid))
                self.ctx.audit("account geanonimiseerd", "gebruiker", uid, {"gebruikersnaam": due_ids[uid].username})
        anonymise_data.leave_no_trace(self.ctx.store)
        return len(user_ids)

    # --- subject access --------------------------------------------------------------------------------
    def _candidate_id(self, student_number: str) -> int:
        c = session_data.candidate_by_number(self.ctx.store, student_number.strip())
        if c is None:
            raise NotFound(f"Er is geen kandidaat met studentnummer '{student_number.strip()[:40]}'. Er is niets "
                           "geëxporteerd.")
        return c.id

    def subject_access(self, student_number: str) -> SubjectExport:
        """Everything held about one candidate: JSON (every row of every table that refers to them) and a PDF
        for the person. The export is audited with the fingerprint of the JSON."""
        self.ctx.require(Action.SUBJECT_ACCESS)
        store = self.ctx.store
        cid = self._candidate_id(student_number)
        c = session_data.candidate(store, cid)
        rows = data.subject_rows(store, cid, c.student_number)
        files = _evidence_files(f"inzage_{c.student_number}", rows.get("attachments", []))
        moment = self.ctx.clock()
        tables = {t: len(r) for t, r in rows.items()}
        record = {"soort": "inzageverzoek", "gemaakt_op": to_iso(moment), "door": self.ctx.user.username,
                  "studentnummer": c.student_number, "tabellen": rows,
                  "register": [{"veld": f.name, "doel": PURPOSES[f.purpose].purpose,
                                "grondslag": PURPOSES[f.purpose].ground, "bewaard": PURPOSES[f.purpose].retention}
                               for f in PERSONAL if f.table in rows]}
        json_bytes = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode("utf-8")
        pdf = self._pdf(c, rows, moment, sha256_hex(json_bytes))
        with store.transaction():
            self.ctx.audit("inzageverzoek geëxporteerd", "kandidaat", c.student_number,
                           {"tabellen": tables, "json": sha256_hex(json_bytes), "bijlagen": len(files)},
                           candidates=[cid])
        return SubjectExport(c.student_number, json_bytes, pdf, tables, files)

    def write_subject_access(self, student_number: str, folder: Path | str) -> tuple[Path, Path]:
        """The export in `folder`: inzage_<nr>.pdf, inzage_<nr>.json and the evidence files beside them in
        inzage_<nr>_bijlagen/ (as they are: the person can open them; the JSON names each with its SHA-256).
        Files rather than base64 inside the JSON: evidence runs to 10 MB a file, base64 makes it a third larger
        and the record unreadable, and a file beside it is what the person can open. Each file is read one at a
        time and checked against its SHA-256 before it is written."""
        from examdesk.data import casework as casework_data

        export = self.subject_access(student_number)
        folder = Path(folder)
        written: list[Path] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for f in export.files:
                found = casework_data.attachment_content(self.ctx.store, f.attachment_id)
                if found is None or sha256_hex(found[1]) != f.sha256:
                    for path in written:
                        path.unlink(missing_ok=True)
                    raise ValidationError(f"Bijlage {f.attachment_id} past niet meer bij haar SHA-256 (gewijzigd "
                                          "buiten ExamDesk?); er is niets geëxporteerd. Controleer de database "
                                          "(examdesk verify).")
                target = folder / f.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(found[1])
                written.append(target)
            pdf, js = folder / f"{export.base_name}.pdf", folder / f"{export.base_name}.json"
            pdf.write_bytes(export.pdf_bytes)
            js.write_bytes(export.json_bytes)
        except OSError as exc:
            raise ValidationError(f"De export kon niet in {folder} worden geschreven ({exc.strerror}).") from exc
        return pdf, js

    def _pdf(self, c: Any, rows: dict[str, list[dict[str, Any]]], moment: Any, digest: str) -> bytes:
        from examdesk.data import casework as casework_data
        from examdesk.domain.candidates import accommodations_label
        from examdesk.domain.sessions import describe
        from examdesk.reports import betrokkene
        from examdesk.reports.frame import PageFrame, build_pdf

        store = self.ctx.store
        inst = institution_data.get(store)
        sessions = {s["id"]: s for s in rows.get("sessions", [])}
        afnames = [[format_date(date.fromisoformat(sessions[r["session_id"]]["session_date"])),
                    sessions[r["session_id"]]["title"], str(r["workstation"]),
                    accommodations_label(r["extra_minutes"], r["facilities"] if isinstance(r["facilities"], list)
                                         else [], c.facility_other) or "—"]
                   for r in rows.get("session_candidates", []) if r["session_id"] in sessions]
        registrations = []
        for sid in sessions:
            roster = {e.candidate_id: e for e in session_data.roster(store, sid)}
            wanted = {r["id"] for r in rows.get("session_events", []) if r["session_id"] == sid}
            for e in session_data.events(store, sid):
                if e.id in wanted:
                    registrations.append([format_datetime(e.occurred), sessions[sid]["title"], describe(e, roster, {})])
        incidents = [[r["session_date"] and format_date(date.fromisoformat(r["session_date"])),
                      f"{r['category']}: {r['what_happened']}", r["status"]] for r in rows.get("incident_index", [])]
        signers: dict[str, list[str]] = {}
        for r in rows.get("decision_signers", []):
            signers.setdefault(r["decision_id"], []).append(r["full_name"])
        decisions = [[str(r["number"]), format_date(date.fromisoformat(r["decided_on"][:10])),
                      ", ".join(r["measures"]) if isinstance(r["measures"], list) else str(r["measures"]),
                      r["reasoning"] or r["no_measure_reason"] or "", ", ".join(signers.get(r["id"], [])) or "—"]
                     for r in rows.get("decisions", [])]
        hearings = [[format_date(h.day), h.sentence, h.account or "—"]
                    for h in casework_data.hearings_of_candidate(store, c.id)]
        evidence = [[r["file_name"], r["media_type"], f"{r['size']} bytes", r["sha256"],
                     (r["content"].get("bestand") or "verwijderd") if isinstance(r["content"], dict) else ""]
                    for r in rows.get("attachments", [])]
        their_appeals = {r["id"] for r in rows.get("appeals", [])}
        appeals = [[format_date(a.lodged_on), f"Besluit {a.decision_number}", a.sentence]
                   for a in casework_data.appeals_of_candidate(store, c.id) if a.id in their_appeals]
        looked = [[format_datetime(from_iso(r["at"])), r["username"], r["action"]] for r in rows.get("audit_log", [])]
        fields = {f.purpose: f for f in PERSONAL if f.table == "candidates"}
        purposes = [[", ".join(FIELD_LABELS.get(x.column, x.column) for x in PERSONAL
                               if x.table == "candidates" and x.purpose == key),
                     PURPOSES[key].purpose, PURPOSES[key].ground, PURPOSES[key].retention] for key in fields]
        periods = _periods(store)
        content = {
            "gemaakt_op": format_datetime(moment),
            "instelling": {"naam": inst.name, "brin": inst.brin, "examencommissie": inst.commission_name}
            if inst else {},
            "kandidaat": [("Studentnummer", c.student_number), ("Naam", c.full_name),
                          ("Geboortedatum", format_date(c.birth_date) if c.birth_date else "onbekend"),
                          ("Kwalificatie (crebo)", c.crebo), ("Cohort", c.cohort), ("Doelgroep", c.group_label),
                          ("Passend examineren", c.accommodations_label() or "geen"),
                          ("Reden extra tijd", c.extra_reason or "—")],
            "afnames": afnames, "registraties": registrations, "incidenten": incidents, "besluiten": decisions,
            "horen": hearings, "bewijs": evidence, "beroep": appeals,
            "ingezien": looked, "doelen": purposes,
            "bewaartermijn": (f"Resultaten: {periods[RESULTS.name]} maanden na het einde van het schooljaar van uw "
                              f"laatste afname; incidenten en besluiten: {periods[DOSSIERS.name]} jaar na het "
                              "schooljaar. Daarna worden uw gegevens geanonimiseerd."),
            "tabellen": sorted(((t, len(r)) for t, r in rows.items())),
        }
        frame = PageFrame("Inzageverzoek", c.student_number, f"{inst.name} ({inst.brin})" if inst else "",
                          "Inzage persoonsgegevens · model AVG-15", format_datetime(moment), digest)
        return build_pdf(frame, betrokkene.story(content), {"kind": "inzage", "subject": c.student_number})

    # --- who looked ----------------------------------------------------------------------------------
    def candidate_for_audit(self, student_number: str) -> int:
        """The candidate id to filter the audit log on (Beheer → Auditlogboek); the number alone, no data."""
        self.ctx.require(Action.VIEW_AUDIT)
        return self._candidate_id(student_number)


@dataclass(frozen=True)
class ForgetResult:
    forgotten: tuple[str, ...]              # session ids whose candidate data was removed here
    kept: tuple[tuple[str, str], ...]       # (session id, Dutch reason) still held
    candidates: int                         # candidates removed

    @property
    def sentence(self) -> str:
        return (f"Kandidaatgegevens verwijderd van {counted(len(self.forgotten), 'afname')} "
                f"({counted(self.candidates, 'kandidaat')}).")


class ExamPcPrivacyService:
    """The commission's receipt for records it read, and the exam PC that forgets once it has one."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def export_receipt(self, session_ids: list[str], out: Path | str) -> Path:
        """The commission signs which sessions it holds from which exam PC, up to which event."""
        from examdesk.data import exchange_rows
        from examdesk.domain import receipts

        self.ctx.require(Action.EXCHANGE)
        store = self.ctx.store
        heads = exam_pc_data.origin_heads(store, list(session_ids))
        if not heads:
            raise ValidationError("Van deze afnames is geen afnameverslag van een examenpc ingelezen; er is geen "
                                  "ontvangstbewijs gemaakt.")
        keys = keystore.require(exchange_rows.database_id(store), store.path)
        content = receipts.body(keys.database_id, to_iso(self.ctx.clock()),
                                [receipts.ReceivedSession(*h) for h in heads])
        signature = keys.signing_key().sign(receipts.CONTEXT + canonical_json(content))
        blob = receipts.file_bytes(content, keys.public_key_bytes(), signature)
        path = Path(out)
        if path.suffix != receipts.SUFFIX:
            path = path.with_name(path.name + receipts.SUFFIX)
        try:
            path.write_bytes(blob)
        except OSError as exc:
            raise ValidationError(f"Het ontvangstbewijs kon niet worden geschreven ({exc.strerror}).") from exc
        with store.transaction():
            self.ctx.audit("ontvangstbewijs gemaakt", "afnames", ",".join(sorted({h[1] for h in heads}))[:200],
                           {"afnames": len(heads), "sha256": sha256_hex(blob)})
        return path

    def import_receipt(self, path: Path | str) -> ForgetResult:
        """On an exam PC: a receipt signed by the pinned commission key removes the candidate data of the
        sessions it confirms at this PC's own head; anything else is refused in Dutch, nothing removed."""
        from examdesk.data import exchange_keys, exchange_rows
        from examdesk.domain import receipts

        self.ctx.require(Action.EXCHANGE)
        store = self.ctx.store
        try:
            blob = Path(path).read_bytes()[: receipts.MAX_BYTES + 1]
        except OSError as exc:
            raise ValidationError(f"Het ontvangstbewijs kan niet worden gelezen ({exc.strerror}).") from exc
        receipt, signed = receipts.parse(blob)
        pinned = exchange_keys.by_fingerprint(store, receipt.key_id)
        if pinned is None or pinned.role != "examencommissie" or pinned.signing_key != receipt.signing_key:
            raise receipts.refuse_signer("het is niet ondertekend door de examencommissie die deze examenpc "
                                         "vertrouwt.")
        if pinned.revoked_at:
            raise receipts.refuse_signer("de sleutel waarmee het is ondertekend is ingetrokken.")
        receipts.check_signature(receipt, signed)
        own = exchange_rows.database_id(store)
        ids = [s.session_id for s in receipt.sessions if s.exam_pc == own]
        heads = {sid: session_data.head(store, sid) for sid in ids if session_data.session(store, sid) is not None}
        plan = receipts.plan_forget(receipt, own, heads)
        at = to_iso(self.ctx.clock())
        removed = 0
        with store.transaction():
            for sid in plan.forget:
                removed += exam_pc_data.forget_session(store, sid, receipt.digest, receipt.key_id, at)
            self.ctx.audit("kandidaatgegevens van afnames verwijderd", "afnames", ",".join(plan.forget)[:200] or "-", {
                "ontvangstbewijs": receipt.digest, "verwijderd": list(plan.forget),
                "bewaard": [sid for sid, _ in plan.kept], "kandidaten": removed})
        if plan.forget:
            search.merge(store)
            anonymise_data.leave_no_trace(store)
        return ForgetResult(plan.forget, plan.kept, removed)

    def held_here(self) -> tuple[list[HeldSession], int]:
        """What personal data this PC still holds: per session its roster and events, and the candidates."""
        self.ctx.require(Action.EXCHANGE)
        return exam_pc_data.held(self.ctx.store)


def overview_card(ctx: AppContext) -> Card | None:
    """The monthly check on the Overzicht for the beheerder: what is past its retention period."""
    if not ctx.can(Action.MANAGE_PRIVACY) or not data.has_privacy_tables(ctx.store):
        return None
    # counted in SQL (issue 16); still once per day and state of the database, not on every visit
    return once_per_state(ctx, "privacy", lambda: _privacy_card(ctx))


def _privacy_card(ctx: AppContext) -> Card:
    total, waiting = PrivacyService(ctx).due_counts()       # counted in SQL: not the list of all that are due
    ready = total - waiting
    target = AdminTarget(AdminTab.PRIVACY)
    lines = [CardLine(f"{counted(ready, 'kandidaat')} over de bewaartermijn: "
                      "controleren en anonimiseren", target, warning=bool(ready))]
    if waiting:
        lines.append(CardLine(f"{number(waiting)} wacht op een open zaak (Inspectie, beroep)", target))
    lines.append(CardLine(f"{number(data.anonymised_count(ctx.store))} geanonimiseerd", target))
    return Card("Privacy (bewaartermijnen)", lines)

