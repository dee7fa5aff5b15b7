"""The commission's records about a decision letter, and what the desk says about it: whether the candidate
was a minor on the decision date when the birth date is unknown (asked before the letter is made, so the copy
for the legal representatives is never dropped silently), and the day the letter was sent ("Brief verzonden
op …"), from which the appeal term runs (`domain/decision_letters`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from examdesk.data import incident_desk as desk_data
from examdesk.data import institution as institution_data
from examdesk.data import letters as letter_data
from examdesk.data.db import Store
from examdesk.domain.clock import to_iso
from examdesk.domain.decision_letters import (
    appeal_until,
    check_dispatch,
    dispatch_line,
    letter_basis,
    minor_question,
)
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.incident_desk import Decision
from examdesk.domain.roles import Action
from examdesk.services import casework
from examdesk.services.context import AppContext


@dataclass(frozen=True)
class LetterState:
    """What the desk shows about one decision's letter."""

    decision_id: str
    minor: bool | None             # on the decision date: from the birth date, or the commission's answer
    question: str                  # to answer before the letter is made; '' when nothing is asked
    sent_on: date | None
    appeal_until: date | None      # None for a decision the protocol gives no appeal against (a complaint)
    line: str                      # 'Brief verzonden op 12-03-2026; beroep mogelijk tot en met 23-04-2026 (42 dagen).'


def _decision(store: Store, decision_id: str) -> Decision:
    d = desk_data.decision(store, decision_id)
    if d is None:
        raise NotFound("Dit besluit bestaat niet.")
    return d


def minor_on_decision(store: Store, d: Decision) -> bool | None:
    """From the birth date when known, else the commission's answer; None while unanswered."""
    return d.minor if d.minor is not None else letter_data.minor_answer(store, d.id)


def question_before_letter(store: Store, decision_id: str) -> str:
    """The question the commission must answer before this decision's letter is made, or ''."""
    d = desk_data.decision(store, decision_id)
    if d is None or d.candidate_id is None or minor_on_decision(store, d) is not None:
        return ""
    return minor_question(d.candidate_name, d.decided_on)


def _term_days(store: Store) -> int:
    inst = institution_data.get(store)
    return inst.appeal_term_days if inst else 42


class DecisionLetterService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def state(self, decision_id: str) -> LetterState:
        self.ctx.require(Action.VIEW_INCIDENTS)
        store = self.ctx.store
        d = _decision(store, decision_id)
        sent = letter_data.sent_on(store, d.id)
        kind = letter_basis(d.protocol_point, d.measures, d.exam_kind).appeal_kind
        days = _term_days(store)
        return LetterState(d.id, minor_on_decision(store, d), question_before_letter(store, d.id), sent,
                           appeal_until(sent, days) if sent and kind == "beroep" else None,
                           dispatch_line(sent, days, kind))

    def answer_minor(self, decision_id: str, minor: bool, note: str = "") -> LetterState:
        """The commission says whether the candidate, whose birth date is unknown, was a minor on the decision
        date; the letter (and, for a minor, the copy for the legal representatives) follows that answer."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        d = _decision(self.ctx.store, decision_id)
        if d.candidate_id is None:
            raise ValidationError("Dit besluit gaat over het incident als geheel; er is geen kandidaat.")
        if d.minor is not None:
            raise ValidationError(f"De geboortedatum van {d.candidate_name} is bekend: "
                                  f"{'minderjarig' if d.minor else 'meerderjarig'} op de besluitdatum.")
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            letter_data.insert_minor_answer(self.ctx.store, d.id, minor, note.strip(), at, user.id, user.username)
            self.ctx.audit("minderjarigheid vastgesteld", "besluit", d.id,
                           {"nummer": d.number, "minderjarig": minor, "toelichting": note.strip()})
        return self.state(decision_id)

    def record_dispatch(self, decision_id: str, sent_on: date) -> LetterState:
        """'Brief verzonden op …': the appeal term runs from the day after this date."""
        user = self.ctx.require(Action.DECIDE_INCIDENT)
        d = _decision(self.ctx.store, decision_id)
        if d.candidate_id is None:
            raise ValidationError("Dit besluit gaat over het incident als geheel; er is geen brief te verzenden.")
        if not d.has_letter:
            raise ValidationError(f"Van besluit {d.number} is nog geen brief gemaakt; maak eerst de brief.")
        check_dispatch(sent_on, d.decided_on, self.ctx.clock().date())
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            letter_data.insert_dispatch(self.ctx.store, d.id, sent_on, at, user.id, user.username)
            casework.letter_sent(self.ctx.store, d, sent_on)     # the appeal term runs: open work (v016)
            self.ctx.audit("besluitbrief verzonden", "besluit", d.id,
                           {"nummer": d.number, "verzonden op": sent_on.isoformat()})
        return self.state(decision_id)
