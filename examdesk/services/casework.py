"""The commission's whole case (issue 13).
(Over 400 lines: one use case per step of the commission's case, each checked, sealed and audited.)

An incident found afterwards, its evidence, the hearing, the appeal to the commissie van beroep, and a candidate's history across sessions. Who decides a sanction (members with
their own login) lives with the decision itself (`IncidentDeskService.decide`).

Every check runs before anything is written; each record is written, sealed and audited in one transaction.
What a commissie van beroep or the Inspectie asks for in a fraud case — what happened, how it came to light,
the evidence with its fingerprint, the hearing, who decided and why, what the appeal changed — is then on the
procesverbaal, the decision letter and the annual report (`doc_procesverbaal`, `doc_besluit`, `doc_jaarverslag`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from examdesk.data import casework as data
from examdesk.data import incident_desk as desk_data
from examdesk.data import incident_index
from examdesk.data import institution as institution_data
from examdesk.data import letters as letter_data
from examdesk.data import sessions as session_data
from examdesk.data.casework import Attachment
from examdesk.data.db import Store
from examdesk.domain.casework import (
    APPEAL_OUTCOMES,
    ATTACHMENT_LIMIT,
    Appeal,
    FoundIncidentInput,
    Hearing,
    HearingInput,
    HistoryItem,
    SecondLogin,
    check_appeal,
    check_appeal_step,
    check_attachment,
    check_hearing,
    found_line,
    history_order,
)
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, to_iso
from examdesk.domain.decision_letters import appeal_until, letter_basis
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.incident_desk import Decision, DecisionInput, IncidentFilter, IncidentRow
from examdesk.domain.plural import number
from examdesk.domain.roles import Action
from examdesk.domain.session_events import FoundIncidentPayload
from examdesk.services import settings
from examdesk.services.context import AppContext
from examdesk.services.navigation import IncidentsTarget
from examdesk.services.overview import Card, CardLine


def members_per_sanction(store: Store) -> int:
    """How many commission members decide a sanction (an institution setting, default two, at least one)."""
    return settings.read(store, settings.MEMBERS_PER_SANCTION)


def _term_days(store: Store) -> int:
    inst = institution_data.get(store)
    return inst.appeal_term_days if inst else 42


@dataclass(frozen=True)
class AppealTerm:
    """A decision whose appeal term runs (its letter sent, the term not yet over), or whose appeal runs."""

    decision_id: str
    incident_id: str
    number: int
    candidate: str
    sent_on: date | None
    until: date | None
    appeal_id: int | None
    lodged_on: date | None

    @property
    def line(self) -> str:
        who = f" ({self.candidate})" if self.candidate else ""
        if self.appeal_id is not None:
            return f"Besluit {self.number}{who}: beroep ingesteld op {format_date(self.lodged_on)}, nog geen uitspraak"
        return f"Besluit {self.number}{who}: beroepstermijn loopt tot en met {format_date(self.until)}"


def catch_up_appeal_work(store: Store, today: date) -> None:
    """Brings the open appeal work (`appeal_work`, derived, v016) up to today: rebuilt from the sealed rows when it
    is new or the institution's appeal term changed; otherwise only the terms that ran out are taken out."""
    if not data.has_appeal_work(store):
        return
    days = _term_days(store)
    cutoff = today - timedelta(days=days)          # a letter sent before this day: its term has run out
    if data.appeal_work_days(store) == str(days):
        data.prune_appeal_terms(store, cutoff)
        return
    terms = []
    for decision_id, incident_id, sent in data.sent_decisions_since(store, cutoff):
        d = desk_data.decision(store, decision_id)
        if d is not None and letter_basis(d.protocol_point, d.measures, d.exam_kind).appeal_kind == "beroep":
            terms.append((decision_id, incident_id, sent))
    data.rebuild_appeal_work(store, terms, days)


def catch_up(ctx: AppContext) -> None:
    """The Beroep card's catch-up, for the Overzicht to run before it takes the state its cards are counted for
    (`services.overview.CardSource.prepare`): writes only when a term ran out since (once a day at most)."""
    if ctx.can(Action.VIEW_INCIDENTS):
        catch_up_appeal_work(ctx.store, ctx.clock().date())


def letter_sent(store: Store, d: Decision, sent_on: date) -> None:
    """In the transaction that records the letter's send date: the term to appeal runs from it, when the decision
    is open to appeal at the commissie van beroep and not appealed already."""
    if (d.current and d.candidate_id is not None
            and letter_basis(d.protocol_point, d.measures, d.exam_kind).appeal_kind == "beroep"
            and not data.appeals_of_decisions(store, [d.id])):
        data.appeal_term_started(store, d.id, d.incident_id, sent_on)


def _appeal_work(ctx: AppContext) -> list[AppealTerm]:
    """The open appeal work, oldest first: running terms and appeals without a ruling (one small table)."""
    store = ctx.store
    today = ctx.clock().date()
    catch_up_appeal_work(store, today)
    days = _term_days(store)
    return [AppealTerm(w.decision_id, w.incident_id, w.number, w.candidate, w.sent_on,
                       appeal_until(w.sent_on, days) if w.sent_on else None, w.appeal_id, w.lodged_on)
            for w in data.appeal_work(store)]


_SHOWN = 5      # items per kind on the Overzicht; the rest through the filtered list


def overview_card(ctx: AppContext) -> Card | None:
    """For the commission: appeals without a ruling and running appeal terms, each item opening its case, each
    count opening the Incidenten list filtered on it."""
    if not ctx.can(Action.VIEW_INCIDENTS):
        return None
    work = _appeal_work(ctx)
    lines: list[CardLine] = []
    for kind, items, label in (("beroep", [w for w in work if w.appeal_id is not None],
                                ("beroep zonder uitspraak", "beroepen zonder uitspraak")),
                               ("termijn", [w for w in work if w.appeal_id is None],
                                ("beroepstermijn loopt", "beroepstermijnen lopen"))):
        target = IncidentFilter(appeal=kind)
        lines.append(CardLine(f"{number(len(items))} {label[0] if len(items) == 1 else label[1]}", IncidentsTarget(target),
                              warning=kind == "beroep" and bool(items)))
        lines += [CardLine(f"  {w.line}", IncidentsTarget(target, w.incident_id)) for w in items[:_SHOWN]]
        if len(items) > _SHOWN:
            lines.append(CardLine(f"  … en {number(len(items) - _SHOWN)} meer", IncidentsTarget(target)))
    return Card("Beroep", lines)


@dataclass(frozen=True)
class CaseExtras:
    """What the incident's file shows beyond the desk's record: how it came to light, the hearings, the evidence,
    the appeals, and earlier cases of the candidates involved (`repeats`: candidate id → note)."""

    found: str
    hearings: tuple[Hearing, ...]
    attachments: tuple[Attachment, ...]
    appeals: tuple[Appeal, ...]
    repeats: dict[int, str]
    names: dict[int, str]


def read_evidence_file(path: Path) -> tuple[str, bytes]:
    """(file name, content) of a file chosen as evidence, bounded by the limit `CaseworkService.attach` applies: a regular file
    only (a pipe or device would never end), its size checked first and never more than limit + 1 bytes read
    (a file that grows meanwhile is still refused by `check_attachment`, not read whole)."""
    path = Path(path)
    too_big = ValidationError(f"Het bestand '{path.name}' is groter dan {ATTACHMENT_LIMIT // 1024 // 1024} MB; een "
                              "bijlage mag hoogstens zo groot zijn.")
    try:
        if not path.is_file():
            raise ValidationError(f"'{path.name}' is geen gewoon bestand (maar een map, apparaat of pijp).")
        if path.stat().st_size > ATTACHMENT_LIMIT:
            raise too_big
        with path.open("rb") as handle:
            content = handle.read(ATTACHMENT_LIMIT + 1)
    except OSError:
        raise ValidationError(f"Het bestand '{path.name}' kan niet worden gelezen.") from None
    if len(content) > ATTACHMENT_LIMIT:
        raise too_big
    return path.name, content


class CaseworkService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def _row(self, incident_id: str) -> IncidentRow:
        row = desk_data.row(self.ctx.store, incident_id)
        if row is None:
            raise NotFound("Dit incident bestaat niet (meer).")
        return row

    def extras(self, incident_id: str) -> CaseExtras:
        """For the incident's file: read without auditing (the history itself, opened on purpose, is audited)."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        store = self.ctx.store
        row = self._row(incident_id)
        found = ""
        if row.found_on is not None:
            p = desk_data.versions(store, incident_id)[-1].payload
            if isinstance(p, FoundIncidentPayload):
                found = found_line(p.found_date, p.found_how, p.reported_by)
        involved = desk_data.involved(store, incident_id)
        people = session_data.candidates_by_ids(store, involved)
        repeats = {}
        for cid in involved:
            earlier = {i[0] for i in data.incidents_of_candidate(store, cid) if i[0] != incident_id}
            if earlier:
                repeats[cid] = (f"{len(earlier)} eerder{'' if len(earlier) == 1 else 'e'} "
                                f"incident{'' if len(earlier) == 1 else 'en'} in andere zaken")
        return CaseExtras(found, tuple(data.hearings(store, incident_id)), tuple(data.attachments(store, incident_id)),
                          tuple(data.appeals_of_incident(store, incident_id)), repeats,
                          {cid: c.full_name for cid, c in people.items()})

    # --- incidents found afterwards ----------------------------------------------------------------------------
    def record_found_incident(self, session_id: str, found: FoundIncidentInput) -> IncidentRow:
        """An incident found after the session, against that session (open or closed): on the desk at once."""
        from examdesk.services.session_mode import SessionModeService

        self.ctx.require(Action.RECORD_FOUND_INCIDENT)
        event = SessionModeService(self.ctx, session_id).record_found_incident(found)
        incident_index.catch_up(self.ctx.store)
        row = desk_data.row(self.ctx.store, event.id)
        assert row is not None
        return row

    # --- evidence --------------------------------------------------------------------------------------------------
    def attach(self, incident_id: str, file_name: str, content: bytes, description: str = "",
               hearing_id: int | None = None) -> Attachment:
        """Evidence on an incident (or one of its hearings), stored inside the database with its SHA-256; the
        type is read from the content, never from the name."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        self._row(incident_id)
        candidate_id = None
        if hearing_id is not None:
            hearing = data.hearing(self.ctx.store, hearing_id)
            if hearing is None or hearing.incident_id != incident_id:
                raise NotFound("Dit horen bestaat niet bij dit incident.")
            candidate_id = hearing.candidate_id
        checked = check_attachment(file_name, content)
        if len(description) > 2000 or "\x00" in description:
            raise ValidationError("De omschrijving van de bijlage is te lang of bevat een ongeldig teken.")
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            row_id = data.insert_attachment(self.ctx.store, incident_id, hearing_id, candidate_id, checked.file_name,
                                            checked.media_type, checked.sha256, content, description.strip(), at,
                                            user.id, user.username)
            self.ctx.audit("bijlage toegevoegd", "incident", incident_id, {
                "bestand": checked.file_name, "soort": checked.media_type, "grootte": checked.size,
                "sha256": checked.sha256, "horen": hearing_id})
        found = data.attachment_content(self.ctx.store, row_id)
        assert found is not None
        return found[0]

    def attachments(self, incident_id: str) -> list[Attachment]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.attachments(self.ctx.store, incident_id)

    def open_attachment(self, attachment_id: int) -> tuple[Attachment, bytes]:
        """The file's bytes, to show or open in a viewer; reading evidence is audited like a candidate's file."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        found = data.attachment_content(self.ctx.store, attachment_id)
        if found is None:
            raise NotFound("Deze bijlage bestaat niet.")
        concerned = [found[0].candidate_id] if found[0].candidate_id is not None else \
            desk_data.involved(self.ctx.store, found[0].incident_id)
        with self.ctx.store.transaction():     # linked to whom it concerns: the audit filter per candidate shows it
            self.ctx.audit("bijlage ingezien", "incident", found[0].incident_id,
                           {"bestand": found[0].file_name, "sha256": found[0].sha256}, candidates=concerned)
        return found

    # --- the hearing ---------------------------------------------------------------------------------------------
    def record_hearing(self, incident_id: str, h: HearingInput) -> Hearing:
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        row = self._row(incident_id)
        if h.candidate_id not in desk_data.involved(self.ctx.store, incident_id):
            raise ValidationError("Deze kandidaat is niet betrokken bij dit incident.")
        current = [d for d in desk_data.decisions(self.ctx.store, incident_id)
                   if d.current and d.candidate_id == h.candidate_id]
        checked = check_hearing(h, row.session_date, self.ctx.clock().date(),
                                current[0].decided_on if current else None)
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            hearing_id = data.insert_hearing(self.ctx.store, incident_id, checked, at, user.id, user.username)
            person = session_data.candidate(self.ctx.store, h.candidate_id)
            self.ctx.audit("horen vastgelegd", "incident", incident_id, {
                "kandidaat": person.student_number if person else h.candidate_id, "uitkomst": checked.outcome,
                "uitgenodigd op": checked.invited_on.isoformat(),
                "gehoord op": checked.held_on.isoformat() if checked.held_on else None})
        found = data.hearing(self.ctx.store, hearing_id)
        assert found is not None
        return found

    def hearings(self, incident_id: str) -> list[Hearing]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.hearings(self.ctx.store, incident_id)

    # --- who decides ---------------------------------------------------------------------------------------------
    def members_per_sanction(self) -> int:
        """Shown on the desk and in Beheer → Instelling: a number, no one's data."""
        self.ctx.require(Action.VIEW_OVERVIEW)
        return members_per_sanction(self.ctx.store)

    def set_members_per_sanction(self, count: int) -> None:
        """The institution's rule: how many commission members decide a sanction, each with their own login."""
        self.ctx.require(Action.EDIT_INSTITUTION)
        if not 1 <= count <= 9:
            raise ValidationError("Het aantal leden dat een sanctie besluit moet tussen 1 en 9 liggen.")
        with self.ctx.store.transaction():
            settings.write(self.ctx.store, settings.MEMBERS_PER_SANCTION, count)
            self.ctx.audit("instelling gewijzigd", "instelling", settings.MEMBERS_PER_SANCTION.key,
                           {"leden per sanctie": count})

    def signers(self, decision_id: str) -> list[tuple[str, str, str]]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.signers(self.ctx.store, decision_id)

    # --- the appeal ----------------------------------------------------------------------------------------------
    def _decision(self, decision_id: str) -> Decision:
        d = desk_data.decision(self.ctx.store, decision_id)
        if d is None:
            raise NotFound("Dit besluit bestaat niet.")
        return d

    def appeal_term(self, decision_id: str) -> tuple[date | None, date | None]:
        """(send date, last day of the appeal term) of a decision's letter; (None, None) before it was sent."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        d = self._decision(decision_id)
        sent = letter_data.sent_on(self.ctx.store, d.id)
        return sent, appeal_until(sent, _term_days(self.ctx.store)) if sent else None

    def lodge_appeal(self, decision_id: str, lodged_on: date, lodged_by: str, late_reason: str = "") -> Appeal:
        """An appeal to the commissie van beroep (examenprotocol 8F): its term counted from the day the letter
        was sent; after the term only with the reason it was taken up."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        d = self._decision(decision_id)
        if d.candidate_id is None:
            raise ValidationError("Dit besluit gaat over het incident als geheel; beroep stelt een kandidaat in tegen "
                                  "een besluit over hem of haar.")
        if not d.current:
            raise ValidationError(f"Besluit {d.number} is herzien; het beroep richt zich tegen het besluit dat nu geldt.")
        if letter_basis(d.protocol_point, d.measures, d.exam_kind).appeal_kind != "beroep":
            raise ValidationError(f"Tegen besluit {d.number} staat volgens het examenprotocol geen beroep open bij de "
                                  "commissie van beroep; een klacht gaat naar de examencommissie (punt 21).")
        if not lodged_by.strip() or len(lodged_by) > 200:
            raise ValidationError("Vul in door wie het beroep is ingesteld (de kandidaat of een vertegenwoordiger).")
        if any(a.running for a in data.appeals_of_decisions(self.ctx.store, [d.id])):
            raise ValidationError(f"Tegen besluit {d.number} loopt al een beroep.")
        sent = letter_data.sent_on(self.ctx.store, d.id)
        until = appeal_until(sent, _term_days(self.ctx.store)) if sent else None
        check_appeal(lodged_on, d.decided_on, self.ctx.clock().date(), until, late_reason)
        late = late_reason.strip() if until is not None and lodged_on > until else ""
        if late_reason.strip() and not late:
            raise ValidationError("Het beroep is binnen de termijn ingesteld: laat de reden voor 'buiten de termijn' "
                                  "leeg.")
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            appeal_id = data.insert_appeal(self.ctx.store, d.id, d.candidate_id, lodged_on, lodged_by.strip(), until,
                                           late, at, user.id, user.username)
            data.appeal_lodged(self.ctx.store, d.id, d.incident_id, appeal_id, lodged_on)
            self.ctx.audit("beroep ingesteld", "besluit", d.id, {
                "nummer": d.number, "ingesteld op": lodged_on.isoformat(), "door": lodged_by.strip(),
                "termijn tot en met": until.isoformat() if until else None, "buiten de termijn": late})
        return self._appeal(appeal_id)

    def _appeal(self, appeal_id: int) -> Appeal:
        found = data.appeal(self.ctx.store, appeal_id)
        if found is None:
            raise NotFound("Dit beroep bestaat niet.")
        return found

    def record_appeal_hearing(self, appeal_id: int, held_on: date, note: str = "") -> Appeal:
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        a = self._appeal(appeal_id)
        if not a.running:
            raise ValidationError("Over dit beroep is al uitspraak gedaan.")
        check_appeal_step(held_on, a.lodged_on, self.ctx.clock().date(), "De zitting van de commissie van beroep",
                          "het instellen van het beroep")
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            data.insert_appeal_hearing(self.ctx.store, a.id, held_on, note.strip(), at, user.id, user.username)
            self.ctx.audit("zitting commissie van beroep", "besluit", a.decision_id,
                           {"beroep": a.id, "datum": held_on.isoformat()})
        return self._appeal(appeal_id)

    def record_appeal_outcome(self, appeal_id: int, outcome: str, decided_on: date, note: str = "",
                              new_decision: DecisionInput | None = None,
                              logins: tuple[SecondLogin, ...] = ()) -> Appeal:
        """The commissie van beroep's ruling. 'gewijzigd': the changed decision is recorded as a new decision
        that supersedes the old one (with its members' logins when it is a sanction); 'vernietigd': the decision
        is superseded by one without a measure; 'in_stand': the decision stands."""
        from examdesk.services.incident_desk import IncidentDeskService

        user = self.ctx.require(Action.DECIDE_INCIDENT)
        a = self._appeal(appeal_id)
        if not a.running:
            raise ValidationError("Over dit beroep is al uitspraak gedaan.")
        if outcome not in APPEAL_OUTCOMES:
            raise ValidationError("Kies de uitspraak: ongegrond (besluit blijft), vernietigd of gewijzigd.")
        check_appeal_step(decided_on, a.hearing_on or a.lodged_on, self.ctx.clock().date(),
                          "De uitspraak in beroep", "de zitting" if a.hearing_on else "het instellen van het beroep")
        note = note.strip()
        if outcome != "in_stand" and not note:
            raise ValidationError("Vat de uitspraak van de commissie van beroep samen; die staat bij het nieuwe besluit.")
        old = self._decision(a.decision_id)
        at = to_iso(self.ctx.clock())

        def record(new_id: str | None) -> None:
            data.insert_appeal_outcome(self.ctx.store, a.id, outcome, decided_on, new_id, note, at, user.id,
                                       user.username)
            data.appeal_ruled(self.ctx.store, a.id)
            self.ctx.audit("uitspraak in beroep", "besluit", a.decision_id, {
                "beroep": a.id, "uitspraak": outcome, "datum": decided_on.isoformat(), "nieuw besluit": new_id})

        if outcome == "in_stand":
            if new_decision is not None:
                raise ValidationError("Bij een ongegrond beroep blijft het besluit staan; er komt geen nieuw besluit.")
            with self.ctx.store.transaction():
                record(None)
            return self._appeal(appeal_id)
        if outcome == "vernietigd":
            if new_decision is not None:
                raise ValidationError("Een vernietigd besluit wordt vervangen door 'geen maatregel'; kies 'gewijzigd' "
                                      "voor een andere maatregel.")
            new_decision = DecisionInput(
                candidate_ids=(), decided_on=decided_on, member_ids=(user.id,),
                no_measure_reason=f"het besluit is vernietigd door de commissie van beroep op {format_date(decided_on)}",
                reasoning=note)
        elif new_decision is None:
            raise ValidationError("Leg het gewijzigde besluit vast: de maatregel zoals de commissie van beroep die "
                                  "bepaalde.")
        reason = f"{APPEAL_OUTCOMES[outcome]} (uitspraak commissie van beroep van {format_date(decided_on)}): {note}"
        d = replace(new_decision, revision_reason=reason,
                    member_ids=new_decision.member_ids or (user.id,))
        IncidentDeskService(self.ctx).revise(old.id, d, logins, then=record)
        return self._appeal(appeal_id)

    def appeals(self, incident_id: str) -> list[Appeal]:
        self.ctx.require(Action.VIEW_INCIDENTS)
        return data.appeals_of_incident(self.ctx.store, incident_id)

    def running_terms(self) -> list[AppealTerm]:
        """What the desk shows: decisions whose appeal term still runs and appeals without a ruling."""
        self.ctx.require(Action.VIEW_INCIDENTS)
        return _appeal_work(self.ctx)

    # --- the candidate's history ---------------------------------------------------------------------------------
    def history(self, candidate_id: int) -> list[HistoryItem]:
        """Every incident, hearing, decision and appeal of this candidate across sessions, in time order; reading
        it is audited like the candidate's file."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        self.ctx.require(Action.VIEW_INCIDENTS)
        store = self.ctx.store
        person = session_data.candidate(store, candidate_id)
        if person is None:
            raise NotFound("Deze kandidaat bestaat niet (meer).")
        names = {c.code: c.name for c in default_catalogue().categories}
        items: list[HistoryItem] = []
        for incident_id, occurred_at, category, title, status, found_on in data.incidents_of_candidate(store,
                                                                                                      candidate_id):
            text = names.get(category, category) + f" ({status})"
            if found_on:
                text += " — achteraf vastgesteld"
            items.append(HistoryItem(date.fromisoformat(found_on or occurred_at[:10]), "incident", title, incident_id,
                                     text))
        decisions = [desk_data.decision(store, i) for i in data.decision_ids_of_candidate(store, candidate_id)]
        hearings = data.hearings_of_candidate(store, candidate_id)
        appeals = data.appeals_of_candidate(store, candidate_id)
        titles = data.session_titles(store, list({d.incident_id for d in decisions if d}
                                                 | {h.incident_id for h in hearings}))
        for d in decisions:
            if d is None:
                continue
            items.append(HistoryItem(d.decided_on, "besluit", titles.get(d.incident_id, ""), d.incident_id,
                                     f"Besluit {d.number}: {d.summary}" + ("" if d.current else " (herzien)")))
        for h in hearings:
            items.append(HistoryItem(h.day, "horen", titles.get(h.incident_id, ""), h.incident_id, h.sentence))
        by_decision = {d.id: d for d in decisions if d}
        for a in appeals:
            d = by_decision.get(a.decision_id)
            items.append(HistoryItem(a.lodged_on, "beroep", titles.get(d.incident_id, "") if d else "",
                                     d.incident_id if d else "", a.sentence))
        with store.transaction():
            self.ctx.audit("dossiergeschiedenis ingezien", "kandidaat", person.student_number, {"naam": person.full_name},
                           candidates=[candidate_id])
        return history_order(items)


__all__ = ["AppealTerm", "CaseworkService", "FoundIncidentInput", "catch_up", "catch_up_appeal_work", "found_line", "letter_sent",
           "overview_card"]
