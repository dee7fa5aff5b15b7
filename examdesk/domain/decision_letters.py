"""What a decision letter cites and how it can be appealed — by the protocol point of *its* case — and the two
facts the commission records about a letter: the day it was sent (the appeal term runs from then) and, when a
candidate's birth date is unknown, whether the candidate was a minor on the decision date (so the copy for
the legal representatives is never dropped silently).

The sources, point by point (examenprotocol centrale examinering mbo 2015):

* 6 — "Het besluit waarbij bedoelde maatregel wordt genomen, wordt, indien de deelnemer minderjarig is,
  tegelijkertijd in afschrift toegezonden aan de wettelijke vertegenwoordigers van de deelnemer." Point 17
  sends a decision about a candidate taken ill the same way. No appeal route is named.
* 7 — "… wordt in afschrift toegezonden aan de deelnemers en gemeld bij de Inspectie van het Onderwijs en,
  indien de deelnemers minderjarig zijn, aan de wettelijke vertegenwoordigers van de deelnemers." No appeal
  route is named.
* 8 — measures a–d (8B); 8C: "Het besluit waarbij een in onderdeel 8A bedoelde maatregel wordt genomen wordt
  toegezonden aan de deelnemer. Indien de deelnemer minderjarig is, wordt dit tegelijkertijd in afschrift
  toegezonden aan de wettelijke vertegenwoordigers van de deelnemer." 8F: "De deelnemer kan tegen de
  beslissing van de examencommissie in beroep gaan bij de commissie van beroep van de instelling."
* 21 — "De deelnemer kan met klachten over de afname van een centraal examen terecht bij de examencommissie."

An institution exam is decided under the school's examenreglement (DOMAIN.md): the letter names the
examenreglement and the school's commissie van beroep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import POINT_8, Measure
from examdesk.domain.plural import counted

_POINT_8_LETTERS: dict[Measure, str] = {Measure.GRADE_ONE: "a", Measure.EXCLUSION: "b", Measure.VOID: "c",
                                        Measure.LATER_PERIOD: "d"}


@dataclass(frozen=True)
class LetterBasis:
    """What the letter cites for its case."""

    point: str            # 'examenprotocol punt 8, maatregel 8B onder a en c' | 'examenprotocol punt 6'
    copy_ground: str      # why a minor's legal representatives get a copy: 'examenprotocol punt 8C'
    appeal_kind: str      # beroep (8F or the examenreglement) | klacht (point 21)
    appeal_ground: str    # 'examenprotocol punt 8F' | 'examenprotocol punt 21' | 'het examenreglement'

    def appeal_sentence(self, body: str, days: int) -> str:
        """The letter's paragraph on appeal, counted from the day the letter is sent."""
        if self.appeal_kind == "klacht":
            return ("Het examenprotocol regelt bij dit soort besluit geen beroep bij de commissie van beroep. Hebt u "
                    "een klacht over de afname, dan kunt u die indienen bij de examencommissie "
                    f"({self.appeal_ground}).")
        return (f"Bent u het niet eens met dit besluit, dan kunt u binnen {counted(days, 'dag')} na de dag waarop deze brief "
                f"is verzonden schriftelijk beroep instellen bij de {body} ({self.appeal_ground}).")


def measure_letters(measures: tuple[str, ...]) -> str:
    """'a en c': the letters of examenprotocol 8B among the measures."""
    letters = [_POINT_8_LETTERS[Measure(m)] for m in measures if Measure(m) in POINT_8]
    letters.sort()
    if not letters:
        return ""
    return letters[0] if len(letters) == 1 else f"{', '.join(letters[:-1])} en {letters[-1]}"


def letter_basis(point: int | None, measures: tuple[str, ...], exam_kind: str) -> LetterBasis:
    """The protocol point of this case as the letter cites it, the ground for the copy to a minor's legal
    representatives, and the appeal route that fits it."""
    letters = measure_letters(measures)
    if point == 8 or letters:
        cited = f"examenprotocol punt {point or 8}" + (f", maatregel 8B onder {letters}" if letters else "")
        copy, appeal = "examenprotocol punt 8C", ("beroep", "examenprotocol punt 8F")
    elif point == 6:
        cited, copy, appeal = "examenprotocol punt 6", "examenprotocol punt 6 en 17", ("klacht", "examenprotocol punt 21")
    elif point == 7:
        cited, copy, appeal = "examenprotocol punt 7", "examenprotocol punt 7", ("klacht", "examenprotocol punt 21")
    elif point in (9, 10):
        # referred back by the Inspectie (Beleidsregel art. 4 lid 1 onder a) with a resit (point 6/7's measure)
        cited = (f"examenprotocol punt {point}, na terugverwijzing door de Inspectie (Beleidsregel art. 4 lid 1 "
                 "onder a)")
        copy, appeal = "examenprotocol punt 6 en 7", ("klacht", "examenprotocol punt 21")
    else:
        cited, copy, appeal = "Examenbesluit art. 12", "het examenreglement", ("beroep", "het examenreglement")
    if exam_kind == "instelling":
        return LetterBasis(f"het examenreglement (naar {cited})", "het examenreglement (naar " + copy + ")",
                           "beroep", "het examenreglement")
    return LetterBasis(cited, copy, *appeal)


# --- the day the letter was sent ---------------------------------------------------------------------------

def appeal_until(sent_on: date, days: int) -> date:
    """The last day to appeal: `days` days after the day the letter was sent (the day of sending not counted)."""
    return sent_on + timedelta(days=days)


def check_dispatch(sent_on: date, decided_on: date, today: date) -> None:
    if sent_on < decided_on:
        raise ValidationError(f"De verzenddatum {format_date(sent_on)} ligt vóór de besluitdatum "
                              f"({format_date(decided_on)}).")
    if sent_on > today:
        raise ValidationError(f"De verzenddatum {format_date(sent_on)} ligt in de toekomst.")


def dispatch_line(sent_on: date | None, days: int, appeal_kind: str) -> str:
    """What the desk says under a decision about its letter's sending and the appeal term."""
    if sent_on is None:
        return "Brief nog niet verzonden: de beroepstermijn begint pas op de dag na verzending."
    if appeal_kind == "klacht":
        return f"Brief verzonden op {format_date(sent_on)}."
    return (f"Brief verzonden op {format_date(sent_on)}; beroep mogelijk tot en met "
            f"{format_date(appeal_until(sent_on, days))} ({counted(days, 'dag')}).")


# --- a minor? ---------------------------------------------------------------------------------------------------

def minor_question(name: str, decided_on: date) -> str:
    """What the commission is asked before the letter is made when the birth date is unknown."""
    return (f"De geboortedatum van {name} is onbekend. Was {name} op {format_date(decided_on)} (de datum van het "
            "besluit) minderjarig? Bij een minderjarige gaat een afschrift van het besluit naar de wettelijke "
            "vertegenwoordigers.")
