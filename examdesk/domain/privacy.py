"""Privacy (AVG) rules: the retention periods with their grounds, when a candidate's data is due, what
anonymisation turns a candidate into, and the one sanctioned change to an append-only record.

The register of every personal field (what, why, on which ground, who sees it, how long) is in
`domain/privacy_register.py`; `docs/privacy.md` explains the design. Everything here is pure.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from examdesk.domain.errors import ValidationError
from examdesk.domain.keys import mac, mac_matches

REMOVED = "[verwijderd]"
PSEUDONYM_PURPOSE = "examdesk-pseudoniem"
REDACTION_PURPOSE = "examdesk-anonimisering"
ANONYMISED_ACTION = "kandidaat geanonimiseerd"


# --- retention periods ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RetentionSetting:
    """One retention period the institution sets: its default, the legal minimum and where both come from."""

    name: str           # how the CLI and the screen name it (the stored key is in services/settings.py)
    label: str          # Dutch, as the screen and the CLI show it
    unit: str           # "maanden" or "jaar"
    default: int
    minimum: int
    maximum: int
    counts_from: str    # Dutch: from which moment the period runs
    source: str         # Dutch: the ground of the minimum (and of the default)


RESULTS = RetentionSetting(
    "resultaten", "Resultaten en kandidaatgegevens", "maanden", 24, 18, 120,
    "het einde van het schooljaar van de laatste afname van de kandidaat",
    "Examenprotocol centrale examinering mbo, punt 18: de resultaten worden ten minste anderhalf jaar na de "
    "diplomering bewaard (18 maanden). ExamDesk kent de diplomadatum niet en telt vanaf het einde van het "
    "schooljaar van de laatste afname; de beheerder controleert de lijst voordat iets wordt geanonimiseerd.")
DOSSIERS = RetentionSetting(
    "dossiers", "Procesverbaal, incidenten en besluiten", "jaar", 5, 2, 30,
    "het einde van het schooljaar van de afname of het besluit",
    "Door de instelling vastgesteld (archiefbeleid); geen wettelijke termijn in de bronnen. Minimaal 2 "
    "schooljaren, zodat een besluit nooit eerder verdwijnt dan de resultaten waarover het gaat (punt 18). "
    "De standaard van 5 jaar is die van ExamDesk, niet van een wet.")
ACCOUNTS = RetentionSetting(
    "accounts", "Accounts van medewerkers die zijn vertrokken", "maanden", 12, 0, 120,
    "het uitschakelen van het account",
    "Door de instelling vastgesteld; geen wettelijke minimumtermijn. Wie iets vastlegde blijft in de "
    "verzegelde verslagen staan (verantwoording); het account zelf (naam, e-mail, telefoon) is dan niet meer "
    "nodig.")
RETENTION_SETTINGS: tuple[RetentionSetting, ...] = (RESULTS, DOSSIERS, ACCOUNTS)
RETENTION: dict[str, RetentionSetting] = {s.name: s for s in RETENTION_SETTINGS}


def check_retention(setting: RetentionSetting, value: object) -> int:
    """The value as a whole number within its bounds; below the legal minimum refused with the source named."""
    if type(value) is not int:
        try:
            value = int(str(value).strip())
        except ValueError:
            raise ValidationError(f"{setting.label}: de bewaartermijn moet een heel aantal {setting.unit} zijn.") from None
    if value < setting.minimum:
        raise ValidationError(
            f"{setting.label}: een bewaartermijn van {value} {setting.unit} is korter dan het minimum van "
            f"{setting.minimum} {setting.unit}. Grond: {setting.source}")
    if value > setting.maximum:
        raise ValidationError(f"{setting.label}: een bewaartermijn van meer dan {setting.maximum} {setting.unit} "
                              "is niet toegestaan.")
    return value


def stored_retention(setting: RetentionSetting, value: int) -> int:
    """A stored value within its bounds; out of bounds (edited outside ExamDesk) it reads as the default,
    never as a shorter period."""
    return value if setting.minimum <= value <= setting.maximum else setting.default


def add_months(on: date, months: int) -> date:
    month = on.month - 1 + months
    year, month = on.year + month // 12, month % 12 + 1
    return date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def school_year_end(on: date) -> date:
    """31 July of the school year `on` falls in (1 August – 31 July)."""
    return date(on.year if on.month < 8 else on.year + 1, 7, 31)


@dataclass(frozen=True)
class CandidateFacts:
    """What decides when one candidate's data is due: read by the data layer, judged here."""

    candidate_id: int
    student_number: str
    name: str
    registered_on: date                 # created_at: a candidate who never sat an exam
    last_session: date | None           # the candidate's last session (results)
    last_case: date | None              # the last session with an incident or a decision about them
    open_cases: tuple[str, ...] = ()    # Dutch reasons: an open Inspectie case, an appeal, an open incident


@dataclass(frozen=True)
class DueItem:
    candidate_id: int
    student_number: str
    name: str
    keep_until: date                    # kept up to and including this day
    blocked: str = ""                   # why it cannot be anonymised now (an open case); '' when it can

    @property
    def can_anonymise(self) -> bool:
        return not self.blocked


def _results_until(results_from: date, results_months: int) -> date:
    return add_months(school_year_end(results_from), results_months)


def _case_until(last_case: date, dossier_years: int) -> date:
    return date(school_year_end(last_case).year + dossier_years, 7, 31)


def keep_until(f: CandidateFacts, results_months: int, dossier_years: int) -> date:
    """The last day the candidate's data must be kept: results from the end of the school year of the last
    session; incidents and decisions (which carry the candidate's name and free texts) from theirs."""
    until = _results_until(f.last_session or f.registered_on, results_months)
    if f.last_case is not None:
        until = max(until, _case_until(f.last_case, dossier_years))
    return until


@dataclass(frozen=True)
class SchoolYearKept:
    """One school year (1 August – 31 July) and how long what happened in it is kept: results whose last session
    (or registration) falls in it, and a case whose last incident or decision does. `keep_until` is the later of
    the two for a candidate: a function of the school years of their two dates only."""

    first_day: date
    last_day: date
    results_until: date
    case_until: date


def kept_by_school_year(first: date, last: date, results_months: int, dossier_years: int) -> list[SchoolYearKept]:
    """Every school year from the one `first` falls in to the one `last` falls in: what the data layer orders the
    due list by in SQL (a page of it, issue 16) without a second copy of the periods or of the school year."""
    years = []
    end = school_year_end(first)
    while end <= school_year_end(last):
        years.append(SchoolYearKept(date(end.year - 1, 8, 1), end, _results_until(end, results_months),
                                    _case_until(end, dossier_years)))
        end = date(end.year + 1, 7, 31)
    return years


def due(facts: Iterable[CandidateFacts], today: date, results_months: int, dossier_years: int) -> list[DueItem]:
    """Candidates whose retention ended before `today`, oldest first; an open case is listed, not skipped,
    so the beheerder sees why it waits."""
    items = []
    for f in facts:
        until = keep_until(f, results_months, dossier_years)
        if until < today:
            items.append(DueItem(f.candidate_id, f.student_number, f.name, until, "; ".join(f.open_cases)))
    return sorted(items, key=lambda i: (i.keep_until, i.student_number))


def due_cutoffs(today: date, results_months: int, dossier_years: int) -> tuple[date, date]:
    """(last results date, last case date) a candidate may have and be due on `today`: `keep_until` counts from
    the end of a school year, so a date is due exactly when it is on or before the last 31 July whose period has
    ended. What the stored facts are range-scanned on (`data/privacy.due_facts`); `due` still judges each one."""
    year = today.year
    while add_months(date(year, 7, 31), results_months) >= today:
        year -= 1
    results = date(year, 7, 31)
    year = today.year
    while date(year + dossier_years, 7, 31) >= today:
        year -= 1
    return results, date(year, 7, 31)


# The desk's open incidents, as `data/retention.OPEN_DESK` flags them: why a candidate's data must wait.
DESK_REASONS = ((1, "een melding bij de Inspectie wacht op antwoord"),
                (2, "een incident moet nog bij de Inspectie worden gemeld"),
                (4, "een incident is nog open"),
                (8, "een incident is nog in behandeling"))


def desk_reasons(flags: int) -> list[str]:
    """The Dutch reasons of these flags, always in the same order."""
    return [why for bit, why in DESK_REASONS if flags & bit]


def open_case_refusal(student_number: str, reasons: Iterable[str]) -> ValidationError:
    return ValidationError(f"Kandidaat {student_number} wordt niet geanonimiseerd: {'; '.join(reasons)}. "
                           "Er is niets gewijzigd; anonimiseer na de afhandeling.")


@dataclass(frozen=True)
class AccountDue:
    user_id: int
    username: str
    name: str
    keep_until: date


def accounts_due(accounts: Iterable[tuple[int, str, str, date]], today: date, months: int) -> list[AccountDue]:
    """Switched-off accounts (id, username, name, switched off on) whose period ended before `today`."""
    items = [AccountDue(uid, username, name, add_months(off, months)) for uid, username, name, off in accounts]
    return sorted((i for i in items if i.keep_until < today), key=lambda i: (i.keep_until, i.username))


FORMER_STAFF = "Oud-medewerker"


def former_staff_name(user_id: int) -> str:
    """What an anonymised account is called: the username stays (the sealed records name it)."""
    return f"{FORMER_STAFF} {user_id}"


@dataclass(frozen=True)
class HeldSession:
    """What personal data a PC holds for one session (its roster and events), and whether a receipt removed it."""

    session_id: str
    title: str
    session_date: str
    candidates: int
    events: int
    forgotten_at: str | None


# --- what a candidate becomes -------------------------------------------------------------------

@dataclass(frozen=True)
class Pseudonym:
    student_number: str   # the keyed hash that takes the studentnummer's place
    last_name: str        # 'Kandidaat 3F9A12C0'


def pseudonym(key: bytes, student_number: str) -> Pseudonym:
    """Stable (the same candidate always gets the same pseudonym in this database) and keyed (nobody without
    the database's key can test a guessed studentnummer against it)."""
    digest = mac(key, PSEUDONYM_PURPOSE, {"studentnummer": student_number}).upper()
    return Pseudonym("anon-" + digest[:15].lower(), f"Kandidaat {digest[:8]}")


def is_pseudonym(student_number: str) -> bool:
    return student_number.startswith("anon-")


def minor_flags(birth_date: date | None, dates: Iterable[date]) -> dict[str, bool | None]:
    """The birth date reduced to what the records need: minor or adult on each date that matters (the
    candidate's sessions and decisions). None where the birth date was unknown."""
    from examdesk.domain.candidates import is_minor

    return {d.isoformat(): is_minor(birth_date, d) for d in sorted(set(dates))}


def needles(first_name: str, prefix: str, last_name: str, student_number: str,
            birth_date: date | None) -> tuple[tuple[str, str], ...]:
    """(text, replacement) pairs that identify the candidate in free text anywhere in the database: full
    name as lists and documents write it, the studentnummer and the birth date as ISO and as dd-mm-jjjj.
    Longest first, so 'Berg, Loïs van den' goes before 'Loïs van den Berg'."""
    full = " ".join(p for p in (first_name, prefix, last_name) if p)
    tail = " ".join(p for p in (first_name, prefix) if p)
    sort = f"{last_name}, {tail}" if tail else last_name
    pairs: list[tuple[str, str]] = []
    for text in {full, sort, f"{prefix} {last_name}".strip() if first_name else ""}:
        if len(text) >= 4:
            pairs.append((text, "__NAME__"))
    if student_number:
        pairs.append((student_number, "__NUMBER__"))
    if birth_date is not None:
        pairs.append((birth_date.isoformat(), REMOVED))
        pairs.append((birth_date.strftime("%d-%m-%Y"), REMOVED))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def scrub_text(text: str, pairs: Iterable[tuple[str, str]], replacements: Mapping[str, str]) -> str:
    """`text` with every needle replaced (case-insensitive); the placeholders '__NAME__' and '__NUMBER__'
    become the pseudonym and the hashed studentnummer."""
    for needle, placeholder in pairs:
        if needle and needle.lower() in text.lower():   # whole words only: 100123 is not inside 1001234
            text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", replacements.get(placeholder, placeholder), text,
                          flags=re.IGNORECASE)
    return text


def scrub_value(value: Any, pairs: tuple[tuple[str, str], ...], replacements: Mapping[str, str]) -> Any:
    """A JSON value with every string scrubbed (keys stay)."""
    if isinstance(value, str):
        return scrub_text(value, pairs, replacements)
    if isinstance(value, list):
        return [scrub_value(v, pairs, replacements) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v, pairs, replacements) for k, v in value.items()}
    return value


# Free texts in a session's events that are about the candidates they name: replaced by "[verwijderd]" for
# the candidate anonymised (keys per event kind; the payload types are in domain/session_events).
EVENT_FREE_TEXTS: dict[str, tuple[str, ...]] = {
    "incident": ("what_happened", "what_was_done", "correction_reason"),
    "absent": ("remark",),
    "candidate_status": ("remark",),
    "end_time_decision": ("reason",),
    "pause": ("reason",),
}


def event_names(kind: str, data: Mapping[str, Any], candidate_id: int) -> bool:
    """Whether an event's payload names this candidate (not 'all candidates')."""
    if data.get("candidate_id") == candidate_id:
        return True
    ids = data.get("candidate_ids")
    return isinstance(ids, list) and candidate_id in ids


def blank_free_texts(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    keys = EVENT_FREE_TEXTS.get(kind, ())
    return {k: (REMOVED if k in keys and isinstance(v, str) and v.strip() else v) for k, v in data.items()}


# --- the sanctioned change to an append-only record ----------------------------------------------

@dataclass(frozen=True)
class Redaction:
    """One row of an append-only record whose personal values anonymisation replaced.

    `original` is what the record's own proof held for the row before (the chain hash of an audit entry or
    a session event, the sealed digest of a desk row); `content` is the plain SHA-256 of the row as it now
    stands (the same bytes the chain or seal covers). The MAC under the database's HMAC key binds both to
    the row: the verifier accepts the changed row exactly when a valid redaction says so, and keeps using
    `original` as the link to the next row, so the chain, the witnesses and the seals stand unchanged."""

    record: str           # 'audit_log', 'session_events', a sealed desk table, 'documents'
    row_key: str
    original: str
    content: str
    anonymisation: str    # which anonymisation (its audit entry's entity id)
    mac: str = ""

    def payload(self) -> dict[str, str]:
        return {"record": self.record, "row_key": self.row_key, "original": self.original,
                "content": self.content, "anonymisation": self.anonymisation}

    def valid_for(self, key: bytes) -> bool:
        return mac_matches(key, REDACTION_PURPOSE, self.payload(), self.mac)


def make_redaction(key: bytes, record: str, row_key: str | int, original: str, content: str,
                   anonymisation: str) -> Redaction:
    r = Redaction(record, str(row_key), original, content, anonymisation)
    return Redaction(**{**r.payload(), "mac": mac(key, REDACTION_PURPOSE, r.payload())})


def valid_redactions(rows: Iterable[Redaction], key: bytes | None) -> dict[tuple[str, str], Redaction]:
    """The newest valid redaction per row (rows in insertion order); a redaction whose MAC does not verify is
    left out, so the row it claims to cover fails as a change outside ExamDesk."""
    found: dict[tuple[str, str], Redaction] = {}
    if key is None:
        return found
    for r in rows:
        if r.valid_for(key):
            found[(r.record, r.row_key)] = r
    return found


def accepts(redactions: Mapping[tuple[str, str], Redaction] | None, record: str, row_key: str | int,
            stored: str, current_plain: str) -> bool:
    """Whether a row whose proof no longer recomputes was changed by a sanctioned anonymisation."""
    if not redactions:
        return False
    r = redactions.get((record, str(row_key)))
    return r is not None and r.original == stored and r.content == current_plain
