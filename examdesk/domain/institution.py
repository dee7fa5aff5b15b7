"""The institution (instelling) and its commission: the header of every document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from examdesk.domain.errors import ValidationError

_BRIN = re.compile(r"^[0-9]{2}[A-Z]{2}$")


@dataclass(frozen=True)
class Institution:
    name: str
    brin: str
    commission_name: str
    place: str = ""
    late_admission_minutes: int = 30
    appeal_term_days: int = 42
    appeal_body: str = "Commissie van beroep voor de examens"


def normalize_brin(text: str) -> str:
    brin = text.strip().upper()
    if not _BRIN.match(brin):
        raise ValidationError(
            f"BRIN-nummer '{text.strip()}' is ongeldig: het bestaat uit twee cijfers en twee letters, "
            "bijvoorbeeld 25PZ."
        )
    return brin


def validate_institution(inst: Institution) -> Institution:
    name = inst.name.strip()
    commission = inst.commission_name.strip()
    if not name:
        raise ValidationError("Vul de naam van de instelling in.")
    if not commission:
        raise ValidationError("Vul de naam van de examencommissie in.")
    if not 0 <= inst.late_admission_minutes <= 30:
        raise ValidationError(
            "De toelatingsgrens voor te laat komen is hoogstens 30 minuten na de start (examenprotocol, punt 13)."
        )
    if not 1 <= inst.appeal_term_days <= 365:
        raise ValidationError("De beroepstermijn moet tussen 1 en 365 dagen liggen.")
    return Institution(
        name=name,
        brin=normalize_brin(inst.brin),
        commission_name=commission,
        place=inst.place.strip(),
        late_admission_minutes=inst.late_admission_minutes,
        appeal_term_days=inst.appeal_term_days,
        appeal_body=inst.appeal_body.strip() or Institution.appeal_body,
    )
