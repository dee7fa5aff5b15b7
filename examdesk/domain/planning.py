"""Planning checks beyond the draft itself: what is refused (a room, an invigilator or a candidate in two
overlapping sessions; an instrument outside the route choice) and what the planner is warned about and
confirms (a candidate of another kwalificatie, a start in the past, a central exam outside its
afnameperiode, extra time capped for a central exam, an instrument *onder voorbehoud*).

Pure functions over plain values: the service gathers the facts, these decide.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from examdesk.domain.candidates import CENTRAL_EXTRA_MAX
from examdesk.domain.clock import format_date, format_time
from examdesk.domain.errors import ValidationError
from examdesk.domain.plural import counted
from examdesk.domain.sessions import overlaps


@dataclass(frozen=True)
class Occupation:
    """An existing (not cancelled) session as far as planning another one needs it. `ends_at` includes
    the largest extra time of its candidates: the room and the invigilators are busy until then."""

    session_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int
    room_label: str
    invigilator_ids: frozenset[int]
    candidate_ends: dict[int, datetime]


@dataclass(frozen=True)
class Slot:
    """The session being planned."""

    starts_at: datetime
    ends_at: datetime                      # including the largest extra time of its candidates
    room_id: int
    invigilator_ids: tuple[int, ...]
    candidate_ends: dict[int, datetime]    # candidate id → own end (start + duration + extra time)


def _span(o: Occupation, end: datetime) -> str:
    return f"'{o.title}' op {format_date(o.starts_at)} van {format_time(o.starts_at)} tot {format_time(end)}"


def clashes(slot: Slot, others: Sequence[Occupation], invigilator_names: dict[int, str],
            candidate_names: dict[int, str]) -> list[str]:
    """Every clash as a refusal sentence: one room, one invigilator or one candidate cannot be in two
    overlapping sessions."""
    found: list[str] = []
    for o in sorted(others, key=lambda o: o.starts_at):
        if o.room_id == slot.room_id and overlaps(slot.starts_at, slot.ends_at, o.starts_at, o.ends_at):
            found.append(f"{o.room_label} is al in gebruik voor {_span(o, o.ends_at)}; dat valt samen met deze "
                         "afname.")
        for user_id in slot.invigilator_ids:
            if user_id in o.invigilator_ids and overlaps(slot.starts_at, slot.ends_at, o.starts_at, o.ends_at):
                found.append(f"{invigilator_names.get(user_id, 'Deze surveillant')} surveilleert al bij "
                             f"{_span(o, o.ends_at)}; dat valt samen met deze afname.")
        for cid, end in slot.candidate_ends.items():
            theirs = o.candidate_ends.get(cid)
            if theirs is not None and overlaps(slot.starts_at, end, o.starts_at, theirs):
                found.append(f"{candidate_names.get(cid, 'Een kandidaat')} staat al ingepland in "
                             f"{_span(o, theirs)}; dat valt samen met deze afname.")
    return found


@dataclass(frozen=True)
class PlanWarning:
    """Something the planner must see and confirm. The text is deterministic for the same plan and
    database, so a confirmation given for these words covers exactly these warnings."""

    text: str


class PlanNeedsConfirmation(ValidationError):
    """Planning stopped at warnings nobody confirmed yet; `warnings` lists them."""

    def __init__(self, warnings: Sequence[PlanWarning]):
        self.warnings = tuple(warnings)
        lines = " ".join(w.text for w in self.warnings)
        super().__init__(f"Bevestig eerst {'deze waarschuwing' if len(self.warnings) == 1 else 'deze waarschuwingen'}: "
                         f"{lines}")


def unconfirmed(warnings: Sequence[PlanWarning], confirmed: Collection[str]) -> list[PlanWarning]:
    return [w for w in warnings if w.text not in confirmed]


@dataclass(frozen=True)
class CandidateFacts:
    candidate_id: int
    name: str                # 'Anouk Jansen (P001)'
    crebo: str
    extra_minutes: int


def candidate_warnings(exam_kind: str, instrument_crebo: str | None, instrument_code: str,
                       candidates: Sequence[CandidateFacts]) -> list[PlanWarning]:
    """A candidate of another kwalificatie than the instrument's; extra time above the central-exam cap
    (Regeling aangepaste wijze van examineren CE mbo, art. 7b: "De examencommissie kan de afnametijd
    […] verlengen met ten hoogste een half uur […]. Indien een deelnemer meerdere beperkingen heeft,
    geldt ook het maximum van een half uur."), said to the planner instead of cut silently."""
    warnings: list[PlanWarning] = []
    if instrument_crebo:
        others = [c for c in candidates if c.crebo and c.crebo != instrument_crebo]
        for c in others:
            warnings.append(PlanWarning(f"{c.name} volgt kwalificatie {c.crebo}; {instrument_code} hoort bij "
                                        f"kwalificatie {instrument_crebo}."))
    if exam_kind == "centraal":
        for c in candidates:
            if c.extra_minutes > CENTRAL_EXTRA_MAX:
                warnings.append(PlanWarning(
                    f"{c.name} heeft {counted(c.extra_minutes, 'minuut')} extra tijd; bij een centraal examen is dat ten hoogste "
                    f"een half uur (Regeling aangepaste wijze van examineren, art. 7b): in deze afname "
                    f"{CENTRAL_EXTRA_MAX} minuten."))
    return warnings


def start_warning(starts_at: datetime, now: datetime) -> PlanWarning | None:
    """A session planned to start in the past (recording one afterwards) is allowed, but said."""
    if starts_at >= now:
        return None
    return PlanWarning(f"De afname begint in het verleden ({format_date(starts_at)} om {format_time(starts_at)}).")
