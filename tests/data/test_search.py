"""Full-text search (schema v013): what people type finds what they mean — Dutch names with diacritics,
a prefix while they type, the corrected text of an incident and not the old one — and the search index
is kept by the code that writes the rows: no trigger, nothing extra in the invigilator's save."""

from __future__ import annotations

import pytest

from examdesk.data import search
from examdesk.data import sessions as session_data
from examdesk.domain.audit import AuditFilter
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.domain.sessions import IncidentInput, SessionFilter
from examdesk.services.audit import AuditService
from examdesk.services.candidates import CandidateService
from examdesk.services.sessions import LocationService, SessionService
from tests.desk_support import desk, log, running
from tests.session_support import Clock, at, context


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 0))


def _texts(service, text: str, session_id: str = "") -> list[str]:
    return [r.what_happened for r in service.page(IncidentFilter(text=text, session_id=session_id), 0, 100)]


def test_a_name_with_diacritics_is_found_with_and_without_them(store, clock):
    run, ids = running(store, clock, count=4, tag="n")   # the fourth candidate is Elif Şahin
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[3],), text="Xylofoon onder de tafel.")
    service = desk(store, clock)
    for typed in ("Şahin", "sahin", "SAHIN", "şah", "Elif Şa", "elif sahin"):
        rows = service.page(IncidentFilter(candidate=typed, session_id=run.session_id), 0, 100)
        assert [r.what_happened for r in rows] == ["Xylofoon onder de tafel."], typed
        assert _texts(service, typed, run.session_id) == ["Xylofoon onder de tafel."], typed
    people = CandidateService(context(store, "bureau", clock))
    found = {c.full_name for c in people.search("zoe")}       # Zoë Vos, a demo candidate
    assert any(n.startswith("Zoë") for n in found)
    assert any(n.startswith("Zoë") for n in {c.full_name for c in people.search("Zoë")})
    assert _texts(service, "Jansen", run.session_id) == []   # Anouk Jansen is in the room, not in the incident


def test_typing_finds_the_incident_at_every_keystroke(store, clock):
    run, ids = running(store, clock, count=2, tag="t")
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Xylofoon onder de tafel gezien.")
    log(run, clock, "GELUIDSOVERLAST", all_=True, mm=40, text="Zaagmachine in het lokaal ernaast.")
    service = desk(store, clock)
    word = "xylofoon"
    for n in range(2, len(word) + 1):
        assert "Xylofoon onder de tafel gezien." in _texts(service, word[:n]), word[:n]
    assert _texts(service, "x", run.session_id) == []        # one letter is a whole word, not a prefix
    assert _texts(service, "xylofoon zaag") == []             # every word must be in the same incident
    assert _texts(service, "zaag lokaal") == ["Zaagmachine in het lokaal ernaast."]
    assert _texts(service, "tafel xylo") == ["Xylofoon onder de tafel gezien."]


def test_a_corrected_incident_is_found_by_its_new_text_and_not_the_old(store, clock):
    run, ids = running(store, clock, count=2, tag="c")
    first = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Kwartelei in de etui.")
    service = desk(store, clock)
    assert _texts(service, "kwartelei") == ["Kwartelei in de etui."]
    clock.set(9, 45)
    run.correct_incident(first, IncidentInput("FRAUDE_KANDIDAAT", at(9, 30), candidate_ids=(ids[0],),
                                              what_happened="Zonnewijzer met berichten aan de pols."))
    assert _texts(service, "zonnewijzer") == ["Zonnewijzer met berichten aan de pols."]
    assert _texts(service, "kwartelei") == []
    assert service.count(IncidentFilter(text="kwartelei")) == 0


def test_saving_an_incident_writes_no_search_index_and_no_trigger_exists(store, clock):
    triggers = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                          " AND (sql LIKE '%_search%' OR sql LIKE '%letters_due%')")]
    assert triggers == []
    run, ids = running(store, clock, count=2, tag="s")
    desk(store, clock).page(IncidentFilter(), 0, 10)           # the desk has caught up
    before = store.query_one("SELECT count(*) FROM incident_search")[0]
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Kookboek op schoot.")
    finally:
        store.conn.set_trace_callback(None)
    assert not any("_search" in s for s in statements)         # the invigilator's save stays one small write
    assert store.query_one("SELECT count(*) FROM incident_search")[0] == before
    assert _texts(desk(store, clock), "kookboek") == ["Kookboek op schoot."]   # found once the desk reads


def test_sessions_are_found_by_title_room_and_location_and_a_rename_is_followed(store, clock):
    planner = SessionService(context(store, "bureau", clock))
    every = {p.id for p in planner.list(SessionFilter(text="Ned"))}
    assert every and all("Nederlands" in p.title for p in planner.list(SessionFilter(text="Ned")))
    gouda = planner.list(SessionFilter(text="Gouda"))
    assert gouda and all("Gouda" in p.room_label for p in gouda)
    assert planner.list(SessionFilter(text="B2.14")) and all("B2.14" in p.room_label
                                                              for p in planner.list(SessionFilter(text="B2.14")))
    places = LocationService(context(store, "bureau", clock))
    location = session_data.location_by_name(store, "Gouda, Bodegraafsestraatweg")
    places.save_location(location.id, "Waddinxveen, Kerkweg", location.address)
    assert planner.list(SessionFilter(text="Gouda")) == []
    moved = {p.id for p in planner.list(SessionFilter(text="Waddinxveen"))}
    assert moved == {p.id for p in gouda}
    assert every == {p.id for p in planner.list(SessionFilter(text="Ned"))}


def test_typed_search_syntax_is_taken_literally(store, clock, ctx_for):
    service = desk(store, clock)
    for typed in ('"', "*", "NEAR(a b)", "a OR b", "-x", "^", "column:x", "'; DROP TABLE x; --", "\udcff", "…"):
        service.page(IncidentFilter(text=typed), 0, 10)          # never an FTS5 syntax error
        service.count(IncidentFilter(candidate=typed))
        SessionService(context(store, "bureau", clock)).list(SessionFilter(text=typed))
        AuditService(ctx_for(Role.BEHEERDER)).count(AuditFilter(text=typed))
    assert search.match_query('tel "boor B') == '"tel"* "boor"* "B"'
    assert search.match_query("  ...  ") is None


def test_audit_search_count_agrees_with_its_pages(ctx_for):
    service = AuditService(ctx_for(Role.BEHEERDER))
    for f in (AuditFilter(), AuditFilter(text="besluit"), AuditFilter(text="afname gep"),
              AuditFilter(action="besluit genomen"), AuditFilter(text="bes", action="besluit genomen")):
        total = service.count(f)
        seen = [e.seq for offset in range(0, total + 40, 40) for e in service.page(f, offset, 40)]
        assert len(seen) == total == len(set(seen)), f
        if f.text:
            assert total > 0
    head = service.page(AuditFilter(), 0, 1)[0].seq
    assert service.count(AuditFilter()) == head
    assert service.actions() == sorted(set(service.actions()))
    assert "besluit genomen" in service.actions()


def test_the_search_index_catching_up_is_no_new_state_of_the_database(ctx_for):
    """Issue 16: what a memo is keyed on (`written_state`) moves with every write but the search index's own
    catch-up — the text of rows already counted, indexed later. A search after login indexed the login's audit
    row and so threw away the register's 6,000 verdicts computed for that very state."""
    from examdesk.data.db import written_state

    ctx = ctx_for(Role.BEHEERDER)
    store = ctx.store
    search.ensure(store)
    before = written_state(store)
    with store.transaction():
        ctx.audit("ingelogd", "gebruiker", ctx.user.id)
    written = written_state(store)
    assert written != before                          # a real write is a new state
    changes = store.conn.total_changes
    search.ensure(store)
    assert store.conn.total_changes > changes         # the index did write the new row's text …
    assert written_state(store) == written            # … and that is no new state
    assert store.query_one("SELECT count(*) FROM audit_search WHERE audit_search MATCH 'ingelogd'")[0] >= 1
