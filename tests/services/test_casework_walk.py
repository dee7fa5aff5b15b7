"""The whole fraud case as a commission builds it (issue 13, "Done when"), at service level: an incident reported
a week after a closed session, the screenshot attached, the candidate heard, two members decide (the second with
their own login), the letter printed and sent, an appeal lodged and upheld with a changed decision — and the
procesverbaal, the letter and the annual report each show it (read back with pypdf). The screens come with the
UI packages (issue 15); this is the same walk without them."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from examdesk.domain.casework import FoundIncidentInput, HearingInput, grouped_hash
from examdesk.domain.incident_desk import DecisionInput
from examdesk.domain.register import school_year_of
from examdesk.services.casework import CaseworkService
from examdesk.services.decision_letters import DecisionLetterService
from examdesk.services.documents import DocumentService
from tests.desk_support import SECOND, desk, running
from tests.forger import run as forge
from tests.services.test_casework import PNG
from tests.session_support import DAY, Clock, at, context


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_fraud_case_from_report_to_appeal(store, tmp_path: Path):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="walk")
    clock.set(11, 0)
    run.end()
    clock.set(11, 15)
    run.close()

    # a week later a teacher reports answers shared in a group app
    clock.at = at(9, 0, day=DAY + timedelta(days=7))
    commission = context(store, "commissie", clock)
    case = CaseworkService(commission)
    row = case.record_found_incident(run.session_id, FoundIncidentInput(
        "FRAUDE_KANDIDAAT", DAY + timedelta(days=7), "melding_docent", "J. de Vries (docent Nederlands)",
        "Antwoorden van het examen gedeeld in een groepsapp tijdens de afname.", candidate_ids=(ids[0],)))
    screenshot = case.attach(row.incident_id, "groepsapp.png", PNG, "Schermafdruk van de groepsapp")
    clock.at = at(9, 0, day=DAY + timedelta(days=9))
    hearing = case.record_hearing(row.incident_id, HearingInput(
        ids[0], DAY + timedelta(days=7), "email", "gehoord", DAY + timedelta(days=9), ("Marieke de Vries",),
        "Ik heb de foto niet zelf gemaakt; iemand stuurde hem en ik heb hem doorgestuurd.",
        representative="M. Jansen (moeder)"))
    clock.at = at(9, 0, day=DAY + timedelta(days=10))
    [decision] = desk(store, clock).decide(row.incident_id, DecisionInput(
        (ids[0],), DAY + timedelta(days=10), (), ("cijfer_1", "uitsluiting"),
        reasoning="De kandidaat deelde tijdens het examen antwoorden in een groepsapp."), SECOND)
    assert set(decision.members) == {"Marieke de Vries", "Henk Jansen"}
    docs = DocumentService(commission)
    _, letter = docs.issue("besluit", decision.id)
    DecisionLetterService(commission).record_dispatch(decision.id, DAY + timedelta(days=10))

    clock.at = at(9, 0, day=DAY + timedelta(days=30))
    appeal = case.lodge_appeal(decision.id, DAY + timedelta(days=20), "de kandidaat")
    case.record_appeal_hearing(appeal.id, DAY + timedelta(days=27), "Kandidaat en moeder gehoord.")
    done = case.record_appeal_outcome(
        appeal.id, "gewijzigd", DAY + timedelta(days=29), "Delen bewezen, uitsluiting te zwaar: alleen cijfer 1.",
        DecisionInput((), DAY + timedelta(days=29), (), ("cijfer_1",),
                      reasoning="Uitspraak commissie van beroep: alleen cijfer 1."), SECOND)
    _, new_letter = docs.issue("besluit", done.new_decision_id)
    _, pv = docs.issue("procesverbaal", run.session_id)
    _, year = docs.issue("jaarverslag", school_year_of(DAY))
    for name, pdf in (("brief", letter), ("nieuwe-brief", new_letter), ("pv", pv), ("jaarverslag", year)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)

    # the procesverbaal: found afterwards, how, by whom; the evidence with its fingerprint
    text = _text(pv)
    assert "Achteraf vastgesteld op 17-03-2027 (melding door een docent: J. de Vries" in text
    assert "groepsapp.png" in text and grouped_hash(hashlib.sha256(PNG).hexdigest())[:17] in text
    # the letter: how it came to light, the hearing, both members and their logins, the evidence
    text = _text(letter)
    assert "achteraf vastgesteld op 17-03-2027" in text
    assert "gehoord op 19-03-2027 door Marieke de Vries" in text and "vertegenwoordiger: M. Jansen" in text
    assert "ieder lid bevestigde het besluit met de eigen inlog (Marieke de Vries 20-03-2027 09:00; Henk Jansen" in text
    assert screenshot.sha256[:8] in text
    # the new letter: what the appeal changed
    text = _text(new_letter)
    assert "gegrond: het besluit is gewijzigd" in text and f"vervangt besluit {decision.number}" in text
    # the annual report counts the appeal and its outcome
    text = _text(year)
    assert "4.4 Beroep bij de commissie van beroep" in text and "gegrond: besluit gewijzigd 1" in text
    # nothing of it can be changed quietly: the file's bytes are sealed into the audit chain
    assert hearing.id and case.appeals(row.incident_id)[0].new_decision_id == done.new_decision_id


def test_an_attachment_changed_outside_examdesk_is_named_by_verify(demo_db, capsys):
    from examdesk.cli import main

    forge(demo_db, "UPDATE attachments SET content = zeroblob(size) WHERE id = 1")
    code = main(["verify", "--db", str(demo_db)])
    out = capsys.readouterr().out
    assert code == 1 and "(tabel attachments) is gewijzigd buiten ExamDesk" in out
