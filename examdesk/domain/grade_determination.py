"""Grade determination (cijferbepaling) as the last step the procesverbaal covers. The Beleidsregel's
toelichting on article 3: "… moet de examencommissie op grond van het examenprotocol een proces-verbaal hebben
bijgehouden, waarin het gehele proces vanaf de ontvangst van de exameninstrumenten tot en met de cijferbepaling
is geadministreerd." After a session is closed the examenbureau records that its results were processed:
when, by whom, in which system."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.session_state import SessionStatus

MAX_TEXT = 200


@dataclass(frozen=True)
class GradeDetermination:
    session_id: str
    processed_on: date
    processed_by: str            # the person who processed the results (a name: may be outside ExamDesk)
    system: str                  # 'Eduarte', 'Osiris', 'Facet → Eduarte' …
    remark: str
    recorded_at: datetime
    username: str

    @property
    def sentence(self) -> str:
        """'Resultaten verwerkt op 14-03-2027 door P. Smit in Eduarte.' — as the Afnames screen says it."""
        return f"Resultaten verwerkt op {format_date(self.processed_on)} door {self.processed_by} in {self.system}."


def check_grade_determination(status: SessionStatus | str, session_date: date, processed_on: date, today: date,
                              processed_by: str, system: str, remark: str) -> tuple[str, str, str]:
    """The cleaned (processed_by, system, remark); a Dutch refusal for the first thing that is wrong."""
    if SessionStatus(status) != SessionStatus.AFGESLOTEN:
        raise ValidationError("De resultaten worden verwerkt nadat de afname is afgesloten; deze afname is "
                              f"{SessionStatus(status).label}.")
    if processed_on < session_date:
        raise ValidationError(f"De verwerkingsdatum {format_date(processed_on)} ligt vóór de afname "
                              f"({format_date(session_date)}).")
    if processed_on > today:
        raise ValidationError(f"De verwerkingsdatum {format_date(processed_on)} ligt in de toekomst.")
    who, where, note = processed_by.strip(), system.strip(), remark.strip()
    if not who:
        raise ValidationError("Vul in wie de resultaten heeft verwerkt.")
    if not where:
        raise ValidationError("Vul in in welk systeem de resultaten zijn verwerkt (bijvoorbeeld Eduarte of Osiris).")
    for label, text, limit in (("de naam", who, MAX_TEXT), ("het systeem", where, MAX_TEXT),
                               ("de opmerking", note, 2000)):
        if len(text) > limit:
            raise ValidationError(f"{label[0].upper()}{label[1:]} is langer dan {limit} tekens.")
    return who, where, note
