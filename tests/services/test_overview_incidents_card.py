"""The Overzicht's Incidenten card (issue 16): counted on a read-only connection of its own, after the incident
index was caught up on the GUI's writing connection (the card's `prepare`), its counts handed to the Incidenten
screen, its to-report count from the open work's own index."""

from __future__ import annotations

from examdesk.data import incident_index
from examdesk.data.db import open_readonly
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.overview import OverviewService, Pending
from tests.desk_support import desk, log, running
from tests.session_support import Clock, at, context


def _incidenten(store, clock):
    return next((s, made) for s, made in OverviewService(context(store, "commissie", clock)).plan()
                if s.name == "incidenten")


def _texts(card) -> list[str]:
    return [line.text for line in card.lines]


def test_the_card_is_counted_apart_after_the_writing_connection_caught_up_what_was_recorded(store):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="ov")
    before = desk(store, clock).status_counts()["open"]
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))     # recorded in the exam room: not indexed in its transaction
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[1],), mm=40)
    _source, made = _incidenten(store, clock)
    assert isinstance(made, Pending)                   # counted on a thread, not on the GUI's
    assert incident_index.catch_up(store) == 0         # … after the GUI's connection caught the two up
    card = made.make()
    made.keep(card)
    assert _texts(card)[0] == f"{before + 2} open incidenten"
    assert desk(store, clock).status_counts()["open"] == before + 2
    again_source, again = _incidenten(store, clock)
    assert again == card                               # remembered for this state: not counted again


def test_its_counts_are_the_incidenten_screens_first_counts(store):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="oc")
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    service = desk(store, clock)
    _source, made = _incidenten(store, clock)
    assert service.known_counts(IncidentFilter()) is None          # nothing counted on this connection yet
    made.keep(made.make())
    assert service.known_counts(IncidentFilter()) == service.status_counts()


def test_on_a_read_only_connection_what_was_recorded_since_is_left_to_the_next_catch_up(store):
    """Recorded after the GUI caught up and before the card's thread reads: the thread cannot write; it reads the
    index as it was instead of failing, and the next catch-up on a writing connection indexes it."""
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="ro")
    incident_index.catch_up(store)
    counted = desk(store, clock).status_counts()["open"]
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    apart = open_readonly(store.path)
    apart.read_only = True
    try:
        assert incident_index.catch_up(apart) == 0
        assert apart.query_one("SELECT count(*) FROM incident_index WHERE status = 'open' AND voided = 0")[0] == counted
    finally:
        apart.close()
    assert incident_index.catch_up(store) > 0
    assert desk(store, clock).status_counts()["open"] == counted + 1


def test_the_to_report_count_is_the_to_report_list(store):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="tr")
    log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    service = desk(store, clock)
    listed = service.count(IncidentFilter(to_report=True))
    _source, made = _incidenten(store, clock)
    card = made.make()
    assert f"{listed} te melden bij de Inspectie" in _texts(card)
