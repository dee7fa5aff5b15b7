"""Reading candidate exports of student systems (Eduarte, Osiris, …): the column mapping, every line
checked, and the plan of a (re-)import — per candidate what is added or changed, field by field.

A re-import never erases what the file does not carry: a field whose column is not mapped keeps its
value; an empty cell in a mapped column is a change (to empty), shown before anything is written.
Line numbers are those an editor or Excel shows. Pure functions; the service reads the file and
writes."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from examdesk.domain.candidates import (
    FACILITIES,
    TARGET_GROUPS,
    Candidate,
    normalize_group,
    parse_facilities,
    validate_candidate,
)
from examdesk.domain.clock import format_date, parse_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.imports import changes_phrase
from examdesk.domain.plural import counted

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
# Only the studentnummer is required: a file that updates, say, extra time alone is a valid re-import
# (a new candidate still needs a last name, which is checked per line).
REQUIRED = ("student_number",)
CANDIDATE_NOUN = "kandidaat"

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
    """A file as text cells. `lines[i]` is the line (CSV) or row (Excel) where row i starts, as an editor
    or Excel shows it; `widths[i]` how many cells that line really had before it was fitted to the header."""

    header: list[str]
    rows: list[list[str]]
    encoding: str = ""
    delimiter: str = ""
    lines: list[int] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)

    def preview(self, count: int = 5) -> list[list[str]]:
        return self.rows[:count]

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else index + 2

    def width_of(self, index: int) -> int:
        return self.widths[index] if index < len(self.widths) else len(self.header)


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


FIELD_ORDER: tuple[str, ...] = tuple(FIELDS)
_ACCOMMODATION_LABELS = {"extra_minutes": "extra tijd", "extra_reason": "reden extra tijd",
                         "facilities": "voorzieningen", "facility_other": "overige voorziening"}


@dataclass(frozen=True)
class FieldChange:
    """One field of one candidate as the import would change it, in the words the screen shows."""

    field: str
    label: str
    old: str
    new: str

    @property
    def sentence(self) -> str:
        return f"{self.label}: {self.old or '(leeg)'} → {self.new or '(leeg)'}"


@dataclass(frozen=True)
class PlannedCandidate:
    """A line of the file as the import would apply it."""

    line: int
    student_number: str
    name: str
    outcome: str                          # 'toegevoegd' | 'gewijzigd' | 'ongewijzigd'
    changes: tuple[FieldChange, ...]
    candidate: Candidate                  # what would be saved (the existing values where the file is silent)


@dataclass(frozen=True)
class ImportPlan:
    """What importing the file would do, and every bad line; nothing is written while `errors` is not
    empty. `fingerprint` ties a confirmation to exactly this plan."""

    source: str
    mapping: dict[str, str]
    candidates: tuple[PlannedCandidate, ...]
    errors: tuple[str, ...]
    unmapped: tuple[str, ...]             # the fields the file does not carry: they keep their values

    @property
    def added(self) -> int:
        return sum(1 for c in self.candidates if c.outcome == "toegevoegd")

    @property
    def changed(self) -> int:
        return sum(1 for c in self.candidates if c.outcome == "gewijzigd")

    @property
    def unchanged(self) -> int:
        return sum(1 for c in self.candidates if c.outcome == "ongewijzigd")

    @property
    def summary(self) -> str:
        return summary_sentence(self.added, self.changed, self.unchanged)

    @property
    def fingerprint(self) -> str:
        content = {"mapping": self.mapping, "errors": list(self.errors), "rows": [
            [c.line, c.student_number, c.outcome, [[f.field, f.old, f.new] for f in c.changes]]
            for c in self.candidates]}
        return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def summary_sentence(added: int, changed: int, unchanged: int) -> str:
    return (f"{counted(added + changed + unchanged, CANDIDATE_NOUN)} in het bestand: "
            f"{changes_phrase(added, changed, unchanged)}.")


def _display(field_name: str, c: Candidate) -> str:
    """A field of a candidate as the preview shows it."""
    if field_name == "birth_date":
        return format_date(c.birth_date) if c.birth_date else ""
    if field_name == "target_group":
        return TARGET_GROUPS.get(c.target_group, c.target_group)
    if field_name == "extra_minutes":
        return f"{c.extra_minutes} min" if c.extra_minutes else ""
    if field_name == "facilities":
        return ", ".join(FACILITIES.get(k, k) for k in c.facilities if k != "overig")
    return str(getattr(c, field_name))


def _label(field_name: str) -> str:
    return _ACCOMMODATION_LABELS.get(field_name) or FIELDS[field_name].split(" (")[0].split(" / ")[0].lower()


# fields compared and shown, in order; 'facility_other' follows 'facilities' (the file's free-text extras)
_COMPARED = ("last_name", "prefix", "first_name", "birth_date", "crebo", "cohort", "target_group",
             "extra_minutes", "extra_reason", "facilities", "facility_other")


def diff(old: Candidate, new: Candidate) -> tuple[FieldChange, ...]:
    """Field by field what changes (accommodations and birth date each on their own)."""
    return tuple(FieldChange(f, _label(f), _display(f, old), _display(f, new)) for f in _COMPARED
                 if getattr(old, f) != getattr(new, f))


def _file_values(cell: Any, mapped: Mapping[str, int]) -> dict[str, Any]:
    """The candidate fields this line sets: only those with a mapped column."""
    values: dict[str, Any] = {}
    for target in ("last_name", "prefix", "first_name", "crebo", "cohort", "extra_reason"):
        if target in mapped:
            values[target] = cell(target)
    if "birth_date" in mapped:
        try:
            values["birth_date"] = _cell_date(cell("birth_date"))
        except ValueError:
            raise ValidationError(
                f"geboortedatum '{cell('birth_date')}' is geen datum (dd-mm-jjjj of jjjj-mm-dd)") from None
    if "extra_minutes" in mapped:
        try:
            values["extra_minutes"] = _cell_minutes(cell("extra_minutes"))
        except ValueError:
            raise ValidationError(f"extra tijd '{cell('extra_minutes')}' is geen aantal minuten") from None
    if "target_group" in mapped:
        values["target_group"] = normalize_group(cell("target_group"))
    if "facilities" in mapped:
        values["facilities"], values["facility_other"] = parse_facilities(cell("facilities"))
    return values


def plan_import(table: Table, mapping: dict[str, str], existing: Mapping[str, Candidate], today: date,
                source: str = "") -> ImportPlan:
    """Every line checked; per candidate what the import adds or changes. `existing` maps studentnummer →
    the candidate as stored (only those the file names are needed)."""
    mapping = check_mapping(mapping, table.header)
    index = {target: table.header.index(col) for target, col in mapping.items()}
    width = len(table.header)
    planned: list[PlannedCandidate] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        line = table.line_of(i)

        def cell(target: str, row: list[str] = row) -> str:
            return row[index[target]].strip() if target in index else ""

        try:
            spread = max((c.rstrip("\n").count("\n") for c in row), default=0)
            if spread:
                raise ValidationError(f"een veld loopt door tot regel {line + spread} (een aanhalingsteken zonder "
                                      "sluitend aanhalingsteken?); die regels zijn zo niet te lezen")
            cells = table.width_of(i)
            if cells < width:
                raise ValidationError(f"deze regel heeft {cells} {'veld' if cells == 1 else 'velden'} en de kopregel "
                                      f"{width}; controleer de scheidingstekens")
            if cells > width:
                raise ValidationError(f"deze regel heeft {cells} velden en de kopregel {width}; staat er misschien "
                                      "een scheidingsteken in een naam zonder aanhalingstekens")
            number = cell("student_number")
            values = _file_values(cell, index)
            old = existing.get(number)
            base = old if old is not None else Candidate(number, "")
            merged = validate_candidate(replace(base, student_number=number, **values), today)
        except ValidationError as exc:
            errors.append(f"Regel {line}: {exc.message.rstrip('.')}.")
            continue
        key = merged.student_number
        if key in first_line:
            errors.append(f"Regel {line}: studentnummer {key} staat ook op regel {first_line[key]}.")
            continue
        first_line[key] = line
        if old is None:
            changes = tuple(FieldChange(f, _label(f), "", _display(f, merged)) for f in _COMPARED
                            if _display(f, merged))
            outcome = "toegevoegd"
        else:
            changes = diff(old, merged)
            outcome = "gewijzigd" if changes else "ongewijzigd"
        planned.append(PlannedCandidate(line, key, merged.full_name, outcome, changes, merged))
    if not table.rows:
        errors.append("Het bestand bevat alleen een kopregel en geen kandidaten.")
    unmapped = tuple(FIELDS[f] for f in FIELD_ORDER if f not in mapping)
    return ImportPlan(source, mapping, tuple(planned), tuple(errors), unmapped)
