"""What session mode and the Afnames screen say about a session (services/session_views.py), composed
without Qt from the folded state."""

from __future__ import annotations

from examdesk.services.session_mode import SessionModeService
from examdesk.services.session_views import closing_summary_text, log_entries, record_lines, session_header
from tests.session_support import Clock, at, context, plan_session


def test_the_header_walks_the_steps_and_the_log_names_who(store):
    clock = Clock(at(8, 30))
    sid, ids = plan_session(store, clock, count=2)
    service = SessionModeService(context(store, "surveillant", clock), sid)
    header = session_header(service.state())
    assert header.steps == "[▶ ONTVANGST]  [AANWEZIGHEID]  [START]  [EINDE]  [AFSLUITEN]"
    assert "gepland 09:00–" in header.subtitle and header.title.endswith("surveillant: Jan Bakker")
    clock.set(8, 40)
    service.record_receipt("Jan Bakker", True, "", at(8, 40))
    service.mark_present(ids)
    clock.set(9, 0)
    service.start(at(9, 0))
    state = service.state()
    header = session_header(state)
    assert header.steps.startswith("[ONTVANGST ✓]  [AANWEZIGHEID ✓]  [START ✓]  [▶ EINDE]")
    assert "gestart 09:00" in header.subtitle and "toelating tot 09:30" in header.subtitle
    entries = log_entries(state, service.display_name)
    assert entries[0].text.endswith("    — Jan Bakker") and not entries[0].voided
    assert record_lines(state, service.display_name)[0].startswith(entries[0].text[:5])
    summary = closing_summary_text(service.summary(state))
    assert "Deelgenomen: 2 van 2 kandidaten" in summary and "Onwel: geen" in summary
