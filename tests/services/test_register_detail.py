"""What the Register screen says about a kwalificatie and an instrument (services/register_detail.py),
composed without Qt from the register's own lines."""

from __future__ import annotations

from examdesk.domain.register import Status
from examdesk.domain.roles import Role
from examdesk.services.register import RegisterService
from examdesk.services.register_detail import instrument_detail, qualification_header
from examdesk.services.view_text import Tone, plain_text


def _view(ctx_for):
    return RegisterService(ctx_for(Role.COMMISSIE)).view()


def test_the_instrument_sheet_words_the_verdict_facts_and_history(ctx_for):
    view = _view(ctx_for)
    line = next(x for x in view.instrument_lines() if x.instrument.route == 2 and len(x.history) > 1)
    detail = instrument_detail(line, view.on)
    assert detail.title == f"{line.instrument.code} — {line.instrument.title}"
    assert detail.verdict == line.verdict.sentence
    labels = [label for label, _lines in detail.facts]
    assert labels[:5] == ["Kwalificatie", "Onderdeel", "Soort", "Route", "Opdrachten"] and labels[-1] == "Versie"
    criteria = dict(detail.facts)["Criteria bijlage 2"]
    assert plain_text(criteria[0]).endswith("voldaan") and criteria[1][0].text.startswith("A1 ")
    assert [h.status for h in detail.history] == [e.status.label for e in reversed(line.history)]
    adopted = [h for h in detail.history if h.status == Status.ADOPTED.label]
    assert all(h.tone is Tone.ACCENT for h in adopted)


def test_a_kwalificatie_without_a_route_choice_says_so_and_warns(ctx_for):
    view = _view(ctx_for)
    missing = next(q for q in view.qualifications if q.needs_route_choice)
    header = qualification_header(missing, view.school_year)
    assert header.route_warning
    assert header.route_choice == (f"Geen routekeuze voor {view.school_year}. Leg de routekeuze vast vóór de "
                                   "instrumenten worden ingezet.")
    chosen = next(q for q in view.qualifications if q.route_choice and not q.route_choice.signals)
    assert not qualification_header(chosen, view.school_year).route_warning
