"""The commission's whole case beyond what the invigilator saw (issue 13), as pure rules.
(Over 400 lines: the five rules of one case — found afterwards, evidence, hearing, signers, appeal — kept together.)

Incidents found afterwards, evidence, the hearing (*hoor en wederhoor*), who decides a sanction, the appeal
to the commissie van beroep, and a candidate's history. The services apply them; the data layer stores their results.

The sources: examenprotocol points 6–8 (the measures; 8C the letter, 8F the appeal to the commissie van
beroep), the Beleidsregel art. 2(1) (e: work changed after the exam, f: a grade awarded against the rules —
administrative faults the examenbureau may record too), and the Awb's *hoor en wederhoor* before a measure
that hurts the candidate (DOMAIN.md). ExamDesk invents no deadlines: the appeal term is the institution's
(`institution.appeal_term_days`), counted from the day the letter was sent (`decision_letters.appeal_until`).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from datetime import date

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError

# --- incidents found afterwards ----------------------------------------------------------------------------

FOUND_HOW: dict[str, str] = {
    "melding_docent": "melding door een docent",
    "melding_kandidaat": "melding door een kandidaat",
    "controle_resultaten": "controle van de resultaten",
    "melding_surveillant": "melding door een surveillant na de afname",
    "melding_derde": "melding door een ander",
    "eigen_waarneming": "eigen waarneming van de examencommissie",
}
# Beleidsregel art. 2(1) e and f: "het na afloop van het centraal examen zonder rechtsgrond aanbrengen van
# wijzigingen in het door de deelnemer aangeleverde examenwerk" and "het in strijd met artikel 10 … toekennen
# van een cijfer of examenuitslag" — faults in the administration, which the examenbureau finds in its own
# work; everything else found afterwards is the commission's to record.
BUREAU_LETTERS: frozenset[str] = frozenset({"e", "f"})


@dataclass(frozen=True)
class FoundIncidentInput:
    """What the commission (or the examenbureau) fills in for an incident found afterwards."""

    category: str
    found_on: date
    found_how: str                        # FOUND_HOW
    reported_by: str
    what_happened: str
    candidate_ids: tuple[int, ...] = ()
    all_candidates: bool = False
    what_was_done: str = ""


def check_found_on(found_on: date, session_date: date, today: date) -> None:
    """The day an incident came to light: not before the session, not in the future."""
    if found_on < session_date:
        raise ValidationError(f"De datum waarop het incident aan het licht kwam ({format_date(found_on)}) ligt vóór "
                              f"de afname ({format_date(session_date)}).")
    if found_on > today:
        raise ValidationError(f"De datum waarop het incident aan het licht kwam ({format_date(found_on)}) ligt in de "
                              "toekomst.")


def found_line(found_on: date, how: str, reported_by: str) -> str:
    """'achteraf vastgesteld op 14-06-2025 (melding door een docent: J. de Vries)' for the log and documents."""
    by = f": {reported_by}" if reported_by else ""
    return f"achteraf vastgesteld op {format_date(found_on)} ({FOUND_HOW.get(how, how)}{by})"


# --- evidence ------------------------------------------------------------------------------------------------

ATTACHMENT_LIMIT = 10 * 1024 * 1024          # bytes per file: a phone photo or a scanned letter fits easily
MAX_PIXELS = 80_000_000                      # an image claiming more is a decompression bomb, not a photo
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {   # media type → (Dutch label, file name endings)
    "image/png": ("PNG-afbeelding", (".png",)),
    "image/jpeg": ("JPEG-afbeelding", (".jpg", ".jpeg")),
    "application/pdf": ("PDF-document", (".pdf",)),
}


@dataclass(frozen=True)
class CheckedFile:
    """An attachment as it will be stored: its type from its content, its size and SHA-256."""

    file_name: str
    media_type: str
    size: int
    sha256: str

    @property
    def type_label(self) -> str:
        return ATTACHMENT_TYPES[self.media_type][0]


def _sniff(content: bytes) -> str | None:
    """The media type the first bytes prove (never the file name), or None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _png_pixels(content: bytes) -> int | None:
    """Width × height from the IHDR chunk, which must come first; None when there is none."""
    if len(content) < 33 or content[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", content[16:24])
    return width * height


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_pixels(content: bytes) -> int | None:
    """Width × height from the first start-of-frame segment; None when the markers do not lead to one."""
    i = 2
    while i + 4 <= len(content):
        if content[i] != 0xFF:
            return None
        marker = content[i + 1]
        if marker == 0xFF:                         # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", content[i + 2:i + 4])[0]
        if length < 2:
            return None
        if marker in _SOF:
            if i + 9 > len(content):
                return None
            height, width = struct.unpack(">HH", content[i + 5:i + 9])
            return width * height
        if marker in (0xDA, 0xD9):                 # scan data or the end before any frame
            return None
        i += 2 + length
    return None


def check_attachment(file_name: str, content: bytes) -> CheckedFile:
    """Refuses, in Dutch and naming the file, anything that is not a PNG, JPEG or PDF by its content, whose
    name claims another type than its content, that is empty or too large, or an image whose header claims
    more pixels than a photo has. The hash is taken over exactly the bytes that are stored."""
    name = (file_name or "").strip().replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not name:
        raise ValidationError("Het bijlagebestand heeft geen naam.")
    if not content:
        raise ValidationError(f"Het bestand '{name}' is leeg.")
    if len(content) > ATTACHMENT_LIMIT:
        raise ValidationError(f"Het bestand '{name}' is {len(content) / 1024 / 1024:.1f} MB; een bijlage mag hoogstens "
                              f"{ATTACHMENT_LIMIT // 1024 // 1024} MB zijn.")
    media_type = _sniff(content)
    if media_type is None:
        what = "een zip-archief" if content.startswith(b"PK\x03\x04") else (
            "een webpagina (HTML)" if content.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")) else
            "geen afbeelding of PDF")
        raise ValidationError(f"Het bestand '{name}' is {what}. Als bewijs kunnen alleen foto's of schermafdrukken "
                              "(PNG, JPEG) en PDF-documenten worden bijgevoegd.")
    label, endings = ATTACHMENT_TYPES[media_type]
    if not name.lower().endswith(endings):
        claimed = next((lbl for lbl, ends in ATTACHMENT_TYPES.values() if name.lower().endswith(ends)), None)
        raise ValidationError(
            f"Het bestand '{name}' is een {label}" + (f", geen {claimed}" if claimed else "") +
            f": de naam klopt niet met de inhoud. Geef het de juiste extensie ({' of '.join(endings)}) als het "
            "echt dit bestand is.")
    if media_type == "application/pdf":
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(f"Het bestand '{name}' is geen volledig PDF-document (het einde ontbreekt).")
    else:
        pixels = _png_pixels(content) if media_type == "image/png" else _jpeg_pixels(content)
        if pixels is None:
            raise ValidationError(f"Het bestand '{name}' is geen leesbare {label}.")
        if pixels == 0 or pixels > MAX_PIXELS:
            raise ValidationError(f"De afbeelding '{name}' geeft een onmogelijk formaat op ({pixels} beeldpunten).")
    return CheckedFile(name, media_type, len(content), hashlib.sha256(content).hexdigest())


def grouped_hash(sha256: str) -> str:
    """The SHA-256 in groups of eight, to be read and compared on paper."""
    return " ".join(sha256[i:i + 8] for i in range(0, len(sha256), 8))


# --- the hearing -------------------------------------------------------------------------------------------

HEARING_OUTCOMES: dict[str, str] = {
    "gehoord": "gehoord",
    "afgezien": "heeft afgezien van horen",
    "niet_verschenen": "is niet verschenen",
}
INVITE_HOW: dict[str, str] = {
    "brief": "per brief",
    "email": "per e-mail",
    "mondeling": "mondeling",
    "telefonisch": "telefonisch",
}


@dataclass(frozen=True)
class HearingInput:
    """*Hoor en wederhoor* of one candidate about one incident: the invitation, then the hearing itself, or
    that the candidate waived it or did not come."""

    candidate_id: int
    invited_on: date
    invited_how: str
    outcome: str                          # HEARING_OUTCOMES
    held_on: date | None = None           # gehoord: the day; niet_verschenen: the day planned
    heard_by: tuple[str, ...] = ()        # who heard on behalf of the commission
    account: str = ""                     # the candidate's account, in their own words
    representative: str = ""              # name (and capacity) of a representative who was present
    interpreter: str = ""                 # name of an interpreter who was present


def check_hearing(h: HearingInput, incident_date: date, today: date, decided_on: date | None) -> HearingInput:
    """Every rule of a hearing record; `decided_on`: the day of the candidate's current decision, if any —
    hearing goes before deciding."""
    if h.invited_how not in INVITE_HOW:
        raise ValidationError("Kies hoe de kandidaat is uitgenodigd (brief, e-mail, mondeling of telefonisch).")
    if h.outcome not in HEARING_OUTCOMES:
        raise ValidationError("Kies of de kandidaat is gehoord, heeft afgezien of niet is verschenen.")
    if h.invited_on < incident_date:
        raise ValidationError(f"De uitnodiging ({format_date(h.invited_on)}) ligt vóór het incident "
                              f"({format_date(incident_date)}).")
    if h.invited_on > today:
        raise ValidationError(f"De uitnodiging ({format_date(h.invited_on)}) ligt in de toekomst.")
    heard_by = tuple(dict.fromkeys(n.strip() for n in h.heard_by if n.strip()))
    account = h.account.strip()
    if h.outcome == "afgezien":
        held_on = None
        if heard_by or h.representative.strip() or h.interpreter.strip():
            raise ValidationError("Een kandidaat die afziet van horen is niet gehoord: laat wie hoorde, vertegenwoordiger "
                                  "en tolk leeg.")
    else:
        if h.held_on is None:
            raise ValidationError("Vul de datum van het horen in.")
        held_on = h.held_on
        if held_on < h.invited_on:
            raise ValidationError(f"Het horen ({format_date(held_on)}) ligt vóór de uitnodiging "
                                  f"({format_date(h.invited_on)}).")
        if held_on > today and h.outcome == "gehoord":
            raise ValidationError(f"De hoordatum {format_date(held_on)} ligt in de toekomst.")
        if h.outcome == "gehoord":
            if not heard_by:
                raise ValidationError("Vul in wie de kandidaat namens de examencommissie hoorde.")
            if not account:
                raise ValidationError("Schrijf het verhaal van de kandidaat op, in de eigen woorden van de kandidaat.")
    when = held_on or h.invited_on
    if decided_on is not None and when > decided_on:
        raise ValidationError(f"Het horen ({format_date(when)}) ligt na het besluit over deze kandidaat "
                              f"({format_date(decided_on)}); horen gaat aan het besluit vooraf.")
    for text, what in ((account, "het verhaal"), (h.representative, "de vertegenwoordiger"),
                       (h.interpreter, "de tolk"), *((n, "wie hoorde") for n in heard_by)):
        if len(text) > 8000 or "\x00" in text:
            raise ValidationError(f"Het veld {what} is te lang of bevat een ongeldig teken.")
    return HearingInput(h.candidate_id, h.invited_on, h.invited_how, h.outcome, held_on, heard_by, account,
                        h.representative.strip(), h.interpreter.strip())


@dataclass(frozen=True)
class Hearing:
    id: int
    incident_id: str
    candidate_id: int
    invited_on: date
    invited_how: str
    outcome: str                          # HEARING_OUTCOMES or 'niet_gehoord' (a decision's stated reason)
    held_on: date | None
    heard_by: tuple[str, ...]
    account: str
    representative: str
    interpreter: str
    reason: str                           # niet_gehoord: why the measure was taken without a hearing
    decision_id: str | None               # niet_gehoord: the decision that states the reason
    recorded_at: str
    username: str

    @property
    def day(self) -> date:
        return self.held_on or self.invited_on

    @property
    def sentence(self) -> str:
        """One sentence for the case, the letter and the history."""
        if self.outcome == "niet_gehoord":
            return f"De kandidaat is niet gehoord: {self.reason}"
        invited = f"uitgenodigd op {format_date(self.invited_on)} ({INVITE_HOW.get(self.invited_how, '')})"
        if self.outcome == "afgezien":
            return f"De kandidaat is {invited} en heeft afgezien van horen."
        if self.outcome == "niet_verschenen":
            return f"De kandidaat is {invited} en is op {format_date(self.day)} niet verschenen."
        present = [f"vertegenwoordiger: {self.representative}"] if self.representative else []
        present += [f"tolk: {self.interpreter}"] if self.interpreter else []
        extra = f" Aanwezig: {'; '.join(present)}." if present else ""
        return (f"De kandidaat is {invited} en gehoord op {format_date(self.day)} door "
                f"{', '.join(self.heard_by)}.{extra}")


def hearing_before(hearings: list[Hearing], candidate_id: int | None, decided_on: date) -> Hearing | None:
    """The latest hearing record of this candidate on or before the decision day (a waiver or a no-show
    counts: the candidate was given the chance)."""
    found = [h for h in hearings if h.candidate_id == candidate_id and h.outcome in HEARING_OUTCOMES
             and h.day <= decided_on]
    return max(found, key=lambda h: (h.day, h.id)) if found else None


# --- who decides ---------------------------------------------------------------------------------------------

MEMBERS_PER_SANCTION_DEFAULT = 2


@dataclass(frozen=True)
class SecondLogin:
    """A further commission member's own login, typed into the decision dialog: checked by `AuthService`
    (with its lockout) inside the service, never trusted as a name."""

    username: str
    password: str = field(repr=False)


def is_sanction(measures: tuple[str, ...]) -> bool:
    """A measure of examenprotocol point 8B (a–d): a sanction against the candidate."""
    # the incident desk (and its catalogue) is imported here, not at the top: this module's defaults are read
    # by the settings before the login window, which has no use for the desk (issue 16)
    from examdesk.domain.incident_desk import POINT_8

    return any(m in {p.value for p in POINT_8} for m in measures)



def check_signers(first_id: int, confirmed: list[tuple[int, str]], commission_ids: set[int], required: int) -> None:
    """A sanction is decided by `required` members, each with their own login: the acting member first, then
    each one confirmed in the dialog (user id, name). The same person twice, or someone who is not an active
    commission member, is refused."""
    seen = {first_id}
    for user_id, name in confirmed:
        if user_id in seen:
            raise ValidationError(f"{name} heeft al bevestigd: een tweede lid moet een ander lid van de "
                                  "examencommissie zijn, met een eigen inlog.")
        if user_id not in commission_ids:
            raise ValidationError(f"{name} is geen actief lid van de examencommissie en kan een sanctie niet mee "
                                  "besluiten.")
        seen.add(user_id)
    if len(seen) < required:
        raise ValidationError(f"Een sanctie besluiten {required} leden van de examencommissie, ieder met de eigen "
                              f"inlog; er {'heeft' if len(seen) == 1 else 'hebben'} er {len(seen)} bevestigd.")


# --- the appeal -------------------------------------------------------------------------------------------------

APPEAL_OUTCOMES: dict[str, str] = {
    "in_stand": "beroep ongegrond: het besluit blijft in stand",
    "vernietigd": "beroep gegrond: het besluit is vernietigd",
    "gewijzigd": "beroep gegrond: het besluit is gewijzigd",
}


def check_appeal(lodged_on: date, decided_on: date, today: date, until: date | None, late_reason: str) -> None:
    """An appeal lodged (date): not before the decision, not in the future; after its term (counted from the
    letter's send date) only with the reason the commissie van beroep accepted it."""
    if lodged_on < decided_on:
        raise ValidationError(f"Het beroep ({format_date(lodged_on)}) is ingesteld vóór het besluit "
                              f"({format_date(decided_on)}).")
    if lodged_on > today:
        raise ValidationError(f"De datum van het beroep ({format_date(lodged_on)}) ligt in de toekomst.")
    if until is not None and lodged_on > until and not late_reason.strip():
        raise ValidationError(f"Het beroep is ingesteld op {format_date(lodged_on)}, na de beroepstermijn (tot en met "
                              f"{format_date(until)}). Vul de reden in waarom het toch in behandeling is genomen.")


def check_appeal_step(on: date, after: date, today: date, what: str, after_what: str) -> None:
    if on < after:
        raise ValidationError(f"{what} ({format_date(on)}) ligt vóór {after_what} ({format_date(after)}).")
    if on > today:
        raise ValidationError(f"{what} ({format_date(on)}) ligt in de toekomst.")


@dataclass(frozen=True)
class Appeal:
    id: int
    decision_id: str
    decision_number: int
    candidate_id: int | None
    lodged_on: date
    lodged_by: str
    term_until: date | None
    late_reason: str
    hearing_on: date | None
    hearing_note: str
    outcome: str | None
    outcome_on: date | None
    outcome_note: str
    new_decision_id: str | None
    new_decision_number: int | None

    @property
    def running(self) -> bool:
        return self.outcome is None

    @property
    def outcome_label(self) -> str:
        return APPEAL_OUTCOMES.get(self.outcome or "", "nog geen uitspraak")

    @property
    def sentence(self) -> str:
        text = f"Beroep ingesteld op {format_date(self.lodged_on)} door {self.lodged_by}"
        if self.term_until is not None:
            text += f" (termijn tot en met {format_date(self.term_until)}"
            text += f"; buiten de termijn: {self.late_reason})" if self.late_reason else ")"
        text += "."
        if self.hearing_on:
            text += f" Zitting commissie van beroep op {format_date(self.hearing_on)}."
        if self.outcome:
            text += f" Uitspraak op {format_date(self.outcome_on) if self.outcome_on else ''}: {self.outcome_label}"
            text += f" (nieuw besluit {self.new_decision_number})." if self.new_decision_number else "."
        return text


# --- the candidate's history -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryItem:
    """One line of a candidate's history across sessions."""

    on: date
    what: str                  # incident | besluit | horen | beroep
    session_title: str
    incident_id: str
    text: str


def history_order(items: list[HistoryItem]) -> list[HistoryItem]:
    """In time order; on one day: the incident, the hearing, the decision, the appeal."""
    rank = {"incident": 0, "horen": 1, "besluit": 2, "beroep": 3}
    return sorted(items, key=lambda i: (i.on, rank.get(i.what, 9), i.incident_id))


def repeat_note(items: list[HistoryItem], incident_id: str) -> str:
    """What the commission sees when it decides: earlier incidents of this candidate in other cases."""
    earlier = {i.incident_id for i in items if i.what == "incident" and i.incident_id != incident_id}
    if not earlier:
        return ""
    return (f"Let op: deze kandidaat heeft {len(earlier)} eerder{'' if len(earlier) == 1 else 'e'} "
            f"incident{'' if len(earlier) == 1 else 'en'} in andere zaken.")
