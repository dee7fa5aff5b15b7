"""What a new event must mean, checked by one function for session mode and for an exam PC's record."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from examdesk.domain.clock import AMSTERDAM, to_iso
from examdesk.domain.errors import ValidationError
from examdesk.domain.event_checks import ChainFacts, SessionFrame, check_new_event
from examdesk.domain.session_events import (
    GENESIS_HASH,
    ClosePayload,
    ClosingSummary,
    EndTimeDecisionPayload,
    LatePayload,
    PausePayload,
    PresentPayload,
    ReceiptPayload,
    RemarkPayload,
    ReopenPayload,
    ResumePayload,
    StartPayload,
    VoidPayload,
    new_event,
)

DAY = date(2027, 3, 10)
FRAME = SessionFrame("s1", DAY, datetime.combine(DAY, time(9, 0), tzinfo=AMSTERDAM), 30, frozenset({1, 2, 3}),
                     frozenset({"surveillant"}))


def t(hh: int, mm: int, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=AMSTERDAM)


class Record:
    def __init__(self) -> None:
        self.facts = ChainFacts()
        self.events = []

    def add(self, payload, at: datetime, corrects: str | None = None):
        seq = len(self.events) + 1
        prev = self.events[-1].hash if self.events else GENESIS_HASH
        e = new_event(f"e{seq}", "s1", seq, prev, to_iso(at), to_iso(at), 1, "surveillant", payload, corrects)
        check_new_event(FRAME, self.facts, payload, at, at, "surveillant", corrects, exam_pc=True)
        self.facts.add(e)
        self.events.append(e)
        return e

    def check(self, payload, at: datetime, corrects: str | None = None, username: str = "surveillant",
              recorded: datetime | None = None, **who):
        check_new_event(FRAME, self.facts, payload, at, recorded or at, username, corrects, **who)


@pytest.fixture
def started() -> Record:
    r = Record()
    r.add(ReceiptPayload("Jan Bakker", True), t(8, 40))
    r.add(PresentPayload((1, 2)), t(8, 55))
    r.add(StartPayload(), t(9, 2))
    return r


def test_a_plain_session_passes(started):
    pause = started.add(PausePayload(None, "stroomstoring"), t(9, 40))
    started.add(ResumePayload(pause.id, 8), t(9, 48))
    started.add(LatePayload(3, True, to_iso(t(9, 32))), t(9, 20))
    started.add(RemarkPayload("Raam open"), t(10, 0))


@pytest.mark.parametrize(("payload", "at", "who", "reason"), [
    (EndTimeDecisionPayload(1, 10, "trein"), t(9, 30), {"exam_pc": True}, "besluit van de examencommissie"),
    (EndTimeDecisionPayload(1, 10, "trein"), t(9, 30), {}, "alleen de examencommissie"),
    (RemarkPayload("x"), t(6, 59), {}, "buiten de afname"),
    (RemarkPayload("x"), t(9, 30, day=date(2027, 3, 11)), {}, "buiten de afname"),
    (PresentPayload((1, 7)), t(9, 10), {}, "niet in deze afname staat"),
    (LatePayload(3, True, to_iso(t(9, 32))), t(9, 40), {}, "klopt niet"),
    (LatePayload(3, False, to_iso(t(9, 20))), t(9, 40), {}, "klopt niet"),
    (StartPayload(), t(9, 5), {}, ""),            # a second start is the service's to refuse, not a meaning
])
def test_meaning(started, payload, at, who, reason):
    if not reason:
        started.check(payload, at, **who)
        return
    with pytest.raises(ValidationError, match=reason):
        started.check(payload, at, **who)


def test_who_writes_it(started):
    with pytest.raises(ValidationError, match="l.vandijk, die geen surveillant van deze afname is"):
        started.check(RemarkPayload("x"), t(9, 30), username="l.vandijk")
    started.check(EndTimeDecisionPayload(1, 10, "trein"), t(13, 0), username="commissie", commission=True)


def test_not_later_than_recorded(started):
    with pytest.raises(ValidationError, match="later dan nu"):
        started.check(RemarkPayload("x"), t(10, 0), recorded=t(9, 30))


def test_what_needs_a_start_or_a_receipt():
    r = Record()
    with pytest.raises(ValidationError, match="ontvangst"):
        r.check(StartPayload(), t(9, 0))
    r.add(ReceiptPayload("Jan Bakker", True), t(8, 40))
    with pytest.raises(ValidationError, match="nog niet gestart"):
        r.check(PausePayload(None, "storing"), t(9, 0))


def test_corrections_and_voids_point_at_what_still_stands(started):
    remark = started.add(RemarkPayload("verkeerd"), t(9, 30))
    with pytest.raises(ValidationError, match="bestaat niet"):
        started.check(VoidPayload("weg"), t(9, 31), corrects="nergens")
    with pytest.raises(ValidationError, match="noemt niet welke"):
        started.check(VoidPayload("weg"), t(9, 31))
    with pytest.raises(ValidationError, match="andere soort"):
        started.check(PresentPayload((3,)), t(9, 31), corrects=remark.id)
    with pytest.raises(ValidationError, match="vóór het moment"):
        started.check(VoidPayload("weg"), t(9, 10), corrects=remark.id)
    void = started.add(VoidPayload("weg"), t(9, 31), corrects=remark.id)
    with pytest.raises(ValidationError, match="al vervallen"):
        started.check(VoidPayload("nog eens"), t(9, 32), corrects=remark.id)
    with pytest.raises(ValidationError, match="oorspronkelijke"):
        started.check(VoidPayload("nog eens"), t(9, 32), corrects=void.id)


def test_a_pause_resumed_once_and_voided_only_after_its_resume(started):
    pause = started.add(PausePayload((1,), "pc vast"), t(9, 40))
    with pytest.raises(ValidationError, match="vóór het begin van de pauze"):
        started.check(ResumePayload(pause.id, 0), t(9, 35))
    resume = started.add(ResumePayload(pause.id, 5), t(9, 45))
    with pytest.raises(ValidationError, match="al hervat"):
        started.check(ResumePayload(pause.id, 6), t(9, 46))
    with pytest.raises(ValidationError, match="hervatten van deze pauze vervallen"):
        started.check(VoidPayload("fout"), t(9, 50), corrects=pause.id)
    started.add(VoidPayload("fout"), t(9, 50), corrects=resume.id)
    started.check(VoidPayload("fout"), t(9, 51), corrects=pause.id)


def test_a_closed_session_only_grows_by_remarks_voids_and_the_commissions_decisions(started):
    summary = ClosingSummary(3, 2, ("C",), (), (), (), (), (), (), (), ("Jan Bakker",), "09:02", "11:02", "10-03-2027")
    started.add(ClosePayload(summary, ("Jan Bakker",)), t(11, 5))
    with pytest.raises(ValidationError, match="afgesloten"):
        started.check(PresentPayload((3,)), t(11, 4))
    with pytest.raises(ValidationError, match="na het afsluiten"):
        started.check(PausePayload(None, "x"), t(11, 10))
    started.check(RemarkPayload("later toegevoegd"), t(15, 0, day=date(2027, 3, 12)))
    started.check(ReopenPayload("controle"), t(15, 0), username="commissie", commission=True)
    with pytest.raises(ValidationError, match="besluit van de examencommissie"):
        started.check(ReopenPayload("controle"), t(15, 0), exam_pc=True)


def _incident(category: str = "FRAUDE_KANDIDAAT", ids: tuple[int, ...] = (1,), reason: str = ""):
    from examdesk.domain.catalogue import default_catalogue
    from examdesk.domain.session_events import IncidentPayload

    route = default_catalogue().route(category, "centraal")
    return IncidentPayload(category, "2026.2", route, False, ids, None, "Spiekbriefje", "", reason)


def test_the_commission_owns_a_decided_incident(started):
    """event_checks.incident_owner: after a decision the invigilator may add detail, not withdraw, reclassify or
    change who is concerned; the commission's own correction or withdrawal carries a reason and never arrives
    in an exam PC's record."""
    incident = started.add(_incident(), t(9, 30))
    owned = SessionFrame(FRAME.session_id, FRAME.session_date, FRAME.planned_start, FRAME.late_limit_minutes,
                         FRAME.roster_ids, FRAME.invigilators, owned=frozenset({incident.id}))

    def check(payload, **who):
        check_new_event(owned, started.facts, payload, t(10, 0), t(10, 0), "surveillant", incident.id, **who)

    for refused in (VoidPayload("vergissing"), _incident("OVERIG"), _incident(ids=(2,))):
        with pytest.raises(ValidationError, match="De examencommissie heeft over dit incident besloten"):
            check(refused)
    check(_incident())                                               # detail only: still the invigilator's
    with pytest.raises(ValidationError, match="besluit van de examencommissie"):
        check(VoidPayload("ingetrokken", commission=True), exam_pc=True)
    with pytest.raises(ValidationError, match="besluit van de examencommissie"):
        check(_incident("OVERIG", reason="herclassificatie"), exam_pc=True)
    with pytest.raises(ValidationError, match="alleen de examencommissie"):
        check(VoidPayload("ingetrokken", commission=True))
    with pytest.raises(ValidationError, match="heeft een reden"):
        check(VoidPayload("ingetrokken"), commission=True)
    check(VoidPayload("dubbel vastgelegd", commission=True), commission=True)
    check(_incident("OVERIG", reason="herclassificatie na afloop"), commission=True)


def test_an_imported_hand_in_before_the_admission_limit_is_refused(started):
    """Start 09:02, limit 30 minutes: a record saying a candidate handed in at 09:20 is refused like in session
    mode (session_state.leaving_refusal, examenprotocol 13)."""
    from examdesk.domain.session_events import CandidateStatusPayload

    with pytest.raises(ValidationError, match="Vertrekken kan vanaf 09:32"):
        started.check(CandidateStatusPayload(1, "ingeleverd"), t(9, 20), exam_pc=True)
    started.check(CandidateStatusPayload(1, "ingeleverd"), t(9, 32), exam_pc=True)
    started.check(CandidateStatusPayload(1, "onwel"), t(9, 10), exam_pc=True)
