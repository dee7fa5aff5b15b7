"""The incident's file as composed sentences (services/incident_file.py): what the Incidenten screen lays
out, checked without Qt."""

from __future__ import annotations

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.incident_file import incident_file
from examdesk.services.view_text import Tone, plain_text


def _file(ctx, **kw):
    desk = IncidentDeskService(ctx)
    row = desk.page(IncidentFilter(**kw), 0, 1)[0]
    return desk, desk.case(row.incident_id)


def test_the_file_says_what_the_case_holds_in_order(ctx_for):
    desk, case = _file(ctx_for(Role.COMMISSIE), status="open")
    file = incident_file(case, can_decide=True, makes_documents=True)
    assert plain_text(file.heading[0]) == case.category_name(case.row.category)
    assert [s.title for s in file.sections_before][:4] == [
        "Triage", "Zoals vastgelegd", f"Kandidaten ({len(case.candidates)})", "Afname"]
    recorded = [plain_text(line) for line in file.sections_before[1].lines]
    assert recorded[1] == f"Wat gebeurde er? {case.payload.what_happened}"
    assert [a.key for a in file.actions][0] == "besluiten" and file.actions[0].primary
    assert all(not a.primary for a in file.actions[1:])


def test_an_invigilator_or_reader_gets_no_buttons_and_no_document_panels(ctx_for):
    _desk, case = _file(ctx_for(Role.COMMISSIE), status="open")
    file = incident_file(case, can_decide=False, makes_documents=False)
    assert file.actions == () and file.close_blocker is None and not file.inspectie_form
    assert all(not card.letters and not card.revise_label for card in file.decisions)


def test_decision_cards_say_their_letter_and_who_replaced_them(ctx_for):
    desk = IncidentDeskService(ctx_for(Role.COMMISSIE))
    rows = desk.page(IncidentFilter(), 0, 500)
    case = next(c for c in (desk.case(r.incident_id) for r in rows) if c.decisions)
    cards = incident_file(case, can_decide=True, makes_documents=False).decisions
    first = cards[0]
    assert plain_text(first.lines[0]).startswith(f"Besluit {first.decision.number} · ")
    last = plain_text(first.lines[-1])
    assert last in ("brief gemaakt", "nog geen brief", "geen brief: het besluit gaat over het incident als geheel")
    if last == "nog geen brief":
        assert first.lines[-1][0].tone is Tone.WARN
