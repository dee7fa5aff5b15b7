"""Reading candidate exports of student systems (Eduarte, Osiris, …): decoding, the column mapping and
turning rows into candidates. Pure functions over bytes and rows; the service reads the file."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from examdesk.domain.candidates import Candidate, normalize_group, parse_facilities, validate_candidate
from examdesk.domain.clock import parse_date
from examdesk.domain.errors import ValidationError

# Target fields of a mapping, in the order the dialog shows them, with their Dutch labels.
FIELDS: dict[str, str] = {
    "student_number": "Studentnummer",
    "last_name": "Achternaam",
    "prefix": "Tussenvoegsel",
    "first_name": "Voornaam / roepnaam",
    "birth_date": "Geboortedatum",
    "crebo": "Kwalificatie (crebo)",
    "cohort": "Cohort",
    "target_group": "Doelgroep",
    "extra_minutes": "Extra tijd (minuten)",
    "extra_reason": "Reden extra tijd",
    "facilities": "Voorzieningen",
}
REQUIRED = ("student_number", "last_name")

# Header words per field, normalised (lower case, no accents, no punctuation). First match wins.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "student_number": ("studentnummer", "studentnr", "deelnemernummer", "deelnemernr", "leerlingnummer",
                       "studnr", "studentid", "studentnumber", "nummer", "id"),
    "last_name": ("achternaam", "geslachtsnaam", "familienaam", "lastname", "surname", "naam"),
    "prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tussen", "prefix"),
    "first_name": ("roepnaam", "voornaam", "voornamen", "firstname", "givenname"),
    "birth_date": ("geboortedatum", "gebdatum", "geboren", "dateofbirth", "birthdate", "gebdat"),
    "crebo": ("crebo", "crebocode", "kwalificatiecode", "opleidingscode", "kwalificatie", "opleiding"),
    "cohort": ("cohort", "instroomcohort", "startjaar", "cohortjaar"),
    "target_group": ("doelgroep", "groep", "deelnemersgroep", "soortdeelnemer", "targetgroup"),
    "extra_minutes": ("extratijd", "tijdverlenging", "verlenging", "extraminuten", "extratijdmin",
                      "extratijdminuten"),
    "extra_reason": ("redenextratijd", "redenverlenging", "reden", "toelichting"),
    "facilities": ("voorzieningen", "faciliteiten", "hulpmiddelen", "aanpassingen", "passendexamineren"),
}

@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    encoding: str = ""
    delimiter: str = ""

    def preview(self, count: int = 5) -> list[list[str]]:
        return self.rows[:count]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def guess_mapping(header: list[str]) -> dict[str, str]:
    """field → header column, guessed from the header words; each column is used at most once."""
    normalised = [(_norm(h), h) for h in header]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for target, words in _SYNONYMS.items():
        for word in words:
            hit = next((orig for norm, orig in normalised if norm == word and orig not in used), None)
            if hit is None and len(word) >= 7:
                hit = next((orig for norm, orig in normalised if word in norm and orig not in used), None)
            if hit is not None:
                mapping[target] = hit
                used.add(hit)
                break
    return mapping


def check_mapping(mapping: dict[str, str], header: list[str]) -> dict[str, str]:
    mapping = {k: v for k, v in mapping.items() if v}
    unknown = [k for k in mapping if k not in FIELDS]
    if unknown:
        raise ValidationError(f"Onbekend veld '{unknown[0]}' in de koppeling.")
    for target in REQUIRED:
        if target not in mapping:
            raise ValidationError(
                f"De koppeling laat '{FIELDS[target]}' leeg: kies de kolom met het {FIELDS[target].lower()}."
            )
    missing = [col for col in mapping.values() if col not in header]
    if missing:
        raise ValidationError(f"De kolom '{missing[0]}' uit de koppeling staat niet in de kopregel van het bestand.")
    columns = list(mapping.values())
    double = next((c for c in columns if columns.count(c) > 1), None)
    if double:
        raise ValidationError(f"De kolom '{double}' is aan twee velden gekoppeld.")
    return mapping


def _cell_date(value: str) -> date | None:
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", value):
        return datetime.fromisoformat(value.replace(" ", "T")).date()
    return parse_date(value)


def _cell_minutes(value: str) -> int:
    text = value.strip().lower().replace("minuten", "").replace("min", "").replace("+", "").strip()
    if not text:
        return 0
    if not re.fullmatch(r"\d{1,3}([.,]0+)?", text):
        raise ValueError(value)
    return int(float(text.replace(",", ".")))


@dataclass(frozen=True)
class ParsedFile:
    candidates: list[Candidate]
    errors: list[str] = field(default_factory=list)


def to_candidates(table: Table, mapping: dict[str, str], today: date, max_errors: int = 10) -> ParsedFile:
    """Every row checked; the caller saves nothing when `errors` is not empty."""
    mapping = check_mapping(mapping, table.header)
    index = {target: table.header.index(col) for target, col in mapping.items()}
    candidates: list[Candidate] = []
    errors: list[str] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(table.rows, start=2):
        def cell(target: str, row: list[str] = row) -> str:
            return row[index[target]].strip() if target in index else ""

        try:
            try:
                birth = _cell_date(cell("birth_date"))
            except ValueError:
                raise ValidationError(
                    f"geboortedatum '{cell('birth_date')}' is geen datum (dd-mm-jjjj of jjjj-mm-dd)") from None
            try:
                extra = _cell_minutes(cell("extra_minutes"))
            except ValueError:
                raise ValidationError(f"extra tijd '{cell('extra_minutes')}' is geen aantal minuten") from None
            facilities, other = parse_facilities(cell("facilities"))
            candidate = validate_candidate(Candidate(
                student_number=cell("student_number"), last_name=cell("last_name"), prefix=cell("prefix"),
                first_name=cell("first_name"), birth_date=birth, crebo=cell("crebo"), cohort=cell("cohort"),
                target_group=normalize_group(cell("target_group")), extra_minutes=extra,
                extra_reason=cell("extra_reason"), facilities=facilities, facility_other=other,
            ), today)
        except ValidationError as exc:
            errors.append(f"Regel {number}: {exc.message.rstrip('.')}.")
            if len(errors) >= max_errors:
                break
            continue
        key = candidate.student_number
        if key in first_row:
            errors.append(f"Regel {number}: studentnummer {key} staat ook op regel {first_row[key]}.")
            if len(errors) >= max_errors:
                break
            continue
        first_row[key] = number
        candidates.append(candidate)
    if not table.rows:
        errors.append("Het bestand bevat alleen een kopregel en geen kandidaten.")
    return ParsedFile(candidates, errors)
