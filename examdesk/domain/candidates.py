"""Candidates (kandidaten) and their accommodations (passend examineren)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.plural import counted

TARGET_GROUPS: dict[str, str] = {
    "regulier": "regulier",
    "extraneus": "extraneus",
    "vmbo": "vmbo",
    "isk": "ISK",
    "onderwijsroute": "Onderwijsroute",
}

# Named facilities; the key is stored, the value is shown.
FACILITIES: dict[str, str] = {
    "vergroting": "vergroting",
    "voorleessoftware": "voorleessoftware",
    "aparte_ruimte": "aparte ruimte",
    "pauze": "pauze",
    "overig": "overig",
}

CENTRAL_EXTRA_MAX = 30        # Regeling aangepaste wijze van examineren CE mbo: at most half an hour
INSTITUTION_EXTRA_MAX = 240   # a sanity bound for the commission's own exams
_STUDENT_NUMBER = re.compile(r"^[A-Za-z0-9._-]{1,20}$")


@dataclass(frozen=True)
class Candidate:
    student_number: str
    last_name: str
    prefix: str = ""
    first_name: str = ""
    birth_date: date | None = None
    crebo: str = ""
    cohort: str = ""
    target_group: str = "regulier"
    extra_minutes: int = 0
    extra_reason: str = ""
    facilities: tuple[str, ...] = ()
    facility_other: str = ""
    id: int | None = None

    @property
    def full_name(self) -> str:
        """'Loïs van den Berg': first name, prefix, last name."""
        return " ".join(p for p in (self.first_name, self.prefix, self.last_name) if p)

    @property
    def sort_name(self) -> str:
        """'Berg, Loïs van den', as lists are sorted."""
        tail = " ".join(p for p in (self.first_name, self.prefix) if p)
        return f"{self.last_name}, {tail}" if tail else self.last_name

    @property
    def group_label(self) -> str:
        return TARGET_GROUPS.get(self.target_group, self.target_group)

    def is_minor_on(self, on: date) -> bool | None:
        """None when the birth date is unknown: a minor's legal representatives get copies of decisions."""
        return is_minor(self.birth_date, on)

    def accommodations_label(self, extra_minutes: int | None = None) -> str:
        return accommodations_label(self.extra_minutes if extra_minutes is None else extra_minutes,
                                    self.facilities, self.facility_other)


def accommodations_label(extra_minutes: int, facilities: tuple[str, ...] | list[str], other: str = "") -> str:
    """'+30 min, vergroting': the accommodations at a glance."""
    parts = [f"+{extra_minutes} min"] if extra_minutes else []
    for key in facilities:
        if key == "overig":
            parts.append(other or "overig")
        else:
            parts.append(FACILITIES.get(key, key))
    return ", ".join(parts)


def extra_for_session(extra_minutes: int, exam_kind: str) -> int:
    """The extra time a candidate gets in a session: central exams cap it at 30 minutes."""
    return min(extra_minutes, CENTRAL_EXTRA_MAX) if exam_kind == "centraal" else extra_minutes


def normalize_group(text: str) -> str:
    key = text.strip().lower().replace("-", "").replace(" ", "")
    aliases = {"": "regulier", "bol": "regulier", "bbl": "regulier", "extranei": "extraneus",
               "internationaleschakelklas": "isk", "onderwijsroutes": "onderwijsroute"}
    key = aliases.get(key, key)
    if key not in TARGET_GROUPS:
        known = ", ".join(TARGET_GROUPS.values())
        raise ValidationError(f"Onbekende doelgroep '{text.strip()}'. Kies uit: {known}.")
    return key


def parse_facilities(text: str) -> tuple[tuple[str, ...], str]:
    """'vergroting, voorleessoftware, koptelefoon' → known keys plus the rest as 'overig'."""
    keys: list[str] = []
    other: list[str] = []
    by_label = {v: k for k, v in FACILITIES.items()}
    for part in re.split(r"[;,/|]", text):
        word = part.strip()
        if not word:
            continue
        key = by_label.get(word.lower()) or (word.lower() if word.lower() in FACILITIES else None)
        if key is None and word.lower().replace(" ", "_") in FACILITIES:
            key = word.lower().replace(" ", "_")
        if key and key != "overig":
            if key not in keys:
                keys.append(key)
        else:
            other.append(word)
    if other:
        keys.append("overig")
    return tuple(keys), ", ".join(other)


def validate_candidate(c: Candidate, today: date) -> Candidate:
    number = c.student_number.strip()
    if not number:
        raise ValidationError("Vul het studentnummer in.")
    if not _STUDENT_NUMBER.match(number):
        raise ValidationError(
            f"Studentnummer '{number}' is ongeldig: gebruik letters, cijfers, punt of streepje (hoogstens 20 tekens)."
        )
    who = f"kandidaat {number}"
    if not c.last_name.strip():
        raise ValidationError(f"Vul de achternaam in van {who}.")
    if c.birth_date is not None and not (date(1900, 1, 1) <= c.birth_date <= today):
        raise ValidationError(f"De geboortedatum {format_date(c.birth_date)} van {who} kan niet kloppen.")
    crebo = c.crebo.strip()
    if crebo and not re.fullmatch(r"\d{5}", crebo.replace(".", "")):
        raise ValidationError(f"Crebo '{crebo}' van {who} is geen code van vijf cijfers.")
    group = normalize_group(c.target_group)
    if not 0 <= c.extra_minutes <= INSTITUTION_EXTRA_MAX:
        raise ValidationError(f"Extra tijd voor {who} moet tussen 0 en {INSTITUTION_EXTRA_MAX} minuten liggen.")
    if c.extra_minutes > CENTRAL_EXTRA_MAX and not c.extra_reason.strip():
        raise ValidationError(
            f"{counted(c.extra_minutes, 'minuut')} extra tijd voor {who}: meer dan {CENTRAL_EXTRA_MAX} minuten kan alleen voor "
            "instellingsexamens en met een reden (centrale examens: hoogstens een half uur)."
        )
    unknown = [f for f in c.facilities if f not in FACILITIES]
    if unknown:
        raise ValidationError(f"Onbekende voorziening '{unknown[0]}' voor {who}.")
    if "overig" in c.facilities and not c.facility_other.strip():
        raise ValidationError(f"Beschrijf de overige voorziening van {who}.")
    return replace(
        c, student_number=number, last_name=c.last_name.strip(), prefix=c.prefix.strip(),
        first_name=c.first_name.strip(), crebo=crebo.replace(".", ""), cohort=c.cohort.strip(), target_group=group,
        extra_reason=c.extra_reason.strip(), facility_other=c.facility_other.strip() if "overig" in c.facilities else "",
        facilities=tuple(dict.fromkeys(c.facilities)),
    )


def age_on(birth_date: date, on: date) -> int:
    """Whole years; someone born on 29 February turns a year older on 1 March in a common year."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: date | None, on: date) -> bool | None:
    """Minderjarig on `on` (under 18; on the 18th birthday itself no longer): a minor's legal representatives
    get a copy of a decision (examenprotocol 6 and 8). None when the birth date is unknown."""
    if birth_date is None:
        return None
    return age_on(birth_date, on) < 18
