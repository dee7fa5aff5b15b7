"""Decision letters as the examenprotocol writes them (issue 12): each letter cites the point of its own case
(6, 7, 8 with the measure's letter) and the appeal route that fits it — the commissie van beroep for point 8
(8F), a complaint to the examencommissie for 6 and 7 (point 21) —, the appeal term runs from the day the letter
is sent (recorded: "Brief verzonden op …"), and an unknown birth date never silently drops the copy for the
legal representatives: the commission is asked first."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from examdesk.domain.casework import is_sanction
from examdesk.domain.decision_letters import appeal_until, letter_basis
from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import DecisionInput
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.services.documents import DocumentService
from tests.desk_support import SECOND, UNHEARD, desk, log, running
from tests.session_support import DAY, Clock, at, context


def _text(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


# point, measures, exam kind → what the letter cites, the copy's ground, appeal kind and its ground
CITATIONS = [
    (6, ("ongeldig_opnieuw",), "centraal", "examenprotocol punt 6", "examenprotocol punt 6 en 17", "klacht",
     "examenprotocol punt 21"),
    (6, (), "centraal", "examenprotocol punt 6", "examenprotocol punt 6 en 17", "klacht", "examenprotocol punt 21"),
    (7, ("ongeldig_opnieuw",), "centraal", "examenprotocol punt 7", "examenprotocol punt 7", "klacht",
     "examenprotocol punt 21"),
    (8, ("ongeldig",), "centraal", "examenprotocol punt 8, maatregel 8B onder c", "examenprotocol punt 8C", "beroep",
     "examenprotocol punt 8F"),
    (8, ("cijfer_1", "volgend_tijdvak"), "centraal", "examenprotocol punt 8, maatregel 8B onder a en d",
     "examenprotocol punt 8C", "beroep", "examenprotocol punt 8F"),
    (8, (), "centraal", "examenprotocol punt 8", "examenprotocol punt 8C", "beroep", "examenprotocol punt 8F"),
    (8, ("cijfer_1",), "instelling", "het examenreglement (naar examenprotocol punt 8, maatregel 8B onder a)",
     "het examenreglement (naar examenprotocol punt 8C)", "beroep", "het examenreglement"),
]


@pytest.mark.parametrize(("point", "measures", "kind", "cited", "copy", "appeal", "appeal_ground"), CITATIONS)
def test_each_letter_cites_its_own_point_and_appeal_route(point, measures, kind, cited, copy, appeal, appeal_ground):
    basis = letter_basis(point, measures, kind)
    assert (basis.point, basis.copy_ground, basis.appeal_kind, basis.appeal_ground) == (
        cited, copy, appeal, appeal_ground)
    sentence = basis.appeal_sentence("Commissie van beroep voor de examens", 42)
    if appeal == "beroep":
        assert "binnen 42 dagen na de dag waarop deze brief is verzonden" in sentence
        assert "na de datum van dit besluit" not in sentence
    else:
        assert "klacht" in sentence and "punt 21" in sentence and "beroep instellen" not in sentence


def test_the_appeal_term_ends_the_given_number_of_days_after_sending():
    assert appeal_until(date(2027, 3, 12), 42) == date(2027, 4, 23)
    assert appeal_until(date(2027, 12, 24), 14) == date(2028, 1, 7)


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


def _member(store) -> int:
    return store.query_one("SELECT id FROM users WHERE username = 'commissie'")[0]


def _decided(store, clock, category: str, measures, births=None, tag: str = ""):
    run, ids = running(store, clock, births=births, tag=tag)
    incident = log(run, clock, category, (ids[0],))
    clock.set(15, 0)
    sanction = is_sanction(tuple(measures))
    [d] = desk(store, clock).decide(incident, DecisionInput(
        (ids[0],), DAY, (_member(store),), tuple(measures), no_measure_reason="" if measures else "geen reden",
        reasoning="Vastgesteld na horen.", no_hearing_reason=UNHEARD if sanction else ""), SECOND if sanction else ())
    return d


@pytest.mark.parametrize(("category", "measures", "expected", "route"), [
    ("FRAUDE_KANDIDAAT", ("ongeldig",), "examenprotocol punt 8, maatregel 8B onder c", "punt 8F"),
    ("ONWEL", ("ongeldig_opnieuw",), "(examenprotocol punt 6)", "punt 21"),
    ("STROOMSTORING", ("ongeldig_opnieuw",), "(examenprotocol punt 7)", "punt 21"),
])
def test_the_letter_pdf_cites_the_case_and_its_route(store, clock, category, measures, expected, route):
    d = _decided(store, clock, category, measures, tag=category[:2])
    _, pdf = DocumentService(context(store, "commissie", clock)).issue("besluit", d.id)
    [page] = _text(pdf)
    assert expected in page and route in page and "Verzonden op:" in page
    if route == "punt 8F":
        assert "na de dag waarop deze brief is verzonden schriftelijk beroep instellen" in page
    else:
        assert "Klacht" in page and "beroep instellen" not in page


def test_the_send_date_is_recorded_after_the_letter_and_starts_the_appeal_term(store, clock):
    d = _decided(store, clock, "FRAUDE_KANDIDAAT", ("cijfer_1",))
    commission = context(store, "commissie", clock)
    letters = DecisionLetterService(commission)
    assert "nog niet verzonden" in letters.state(d.id).line
    with pytest.raises(ValidationError, match="maak eerst de brief"):
        letters.record_dispatch(d.id, DAY)
    DocumentService(commission).issue("besluit", d.id)
    with pytest.raises(ValidationError, match="vóór de besluitdatum"):
        letters.record_dispatch(d.id, DAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="in de toekomst"):
        letters.record_dispatch(d.id, DAY + timedelta(days=1))
    with pytest.raises(Exception, match="mag niet"):
        DecisionLetterService(context(store, "bureau", clock)).record_dispatch(d.id, DAY)
    state = letters.record_dispatch(d.id, DAY)
    assert state.sent_on == DAY and state.appeal_until == DAY + timedelta(days=42)
    assert state.line == "Brief verzonden op 10-03-2027; beroep mogelijk tot en met 21-04-2027 (42 dagen)."
    audit = [r[0] for r in store.query("SELECT action FROM audit_log WHERE entity_id = ?", (d.id,))]
    assert "besluitbrief verzonden" in audit


def test_an_unknown_birth_date_makes_the_commission_answer_before_the_letter(store, clock):
    d = _decided(store, clock, "FRAUDE_KANDIDAAT", ("cijfer_1",), births=[None], tag="x")
    assert d.minor is None
    commission = context(store, "commissie", clock)
    documents = DocumentService(commission)
    letters = DecisionLetterService(commission)
    assert "geboortedatum van Anouk Jansen is onbekend" in letters.state(d.id).question
    before = store.query_one("SELECT count(*) FROM documents")[0]
    with pytest.raises(ValidationError, match="minderjarig") as info:
        documents.issue("besluit", d.id)
    assert "niet gemaakt" in info.value.message
    assert store.query_one("SELECT count(*) FROM documents")[0] == before
    with pytest.raises(Exception, match="mag niet"):
        DecisionLetterService(context(store, "bureau", clock)).answer_minor(d.id, True)
    state = letters.answer_minor(d.id, True, "Geboortedatum opgevraagd: 2010")
    assert state.minor is True and state.question == ""
    _, pdf = documents.issue("besluit", d.id)
    text = _text(pdf)
    assert len(text) == 2 and "AFSCHRIFT voor de wettelijke vertegenwoordigers" in text[1]
    assert "examenprotocol punt 8C" in text[1]
    letters.answer_minor(d.id, False, "Toch 18: paspoort gezien")
    _, pdf = documents.issue("besluit", d.id)
    assert len(_text(pdf)) == 1


def test_a_known_birth_date_is_not_asked(store, clock):
    d = _decided(store, clock, "FRAUDE_KANDIDAAT", ("cijfer_1",), tag="k")
    letters = DecisionLetterService(context(store, "commissie", clock))
    assert letters.state(d.id).question == "" and letters.state(d.id).minor is False
    with pytest.raises(ValidationError, match="bekend"):
        letters.answer_minor(d.id, True)
