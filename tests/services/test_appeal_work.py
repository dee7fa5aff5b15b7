"""Appeals in view (issue 13 follow-up): the open appeal work — running appeal terms and appeals without a
ruling — kept in a small derived table (`appeal_work`, v016) in the same transaction as the records it follows,
shown on the Overzicht for the commission (each item opening its case) and as the Incidenten filter "beroep loopt"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examdesk.data import casework as casework_data
from examdesk.data.db import written_state
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.casework import catch_up_appeal_work
from examdesk.services.navigation import IncidentsTarget
from examdesk.services.overview import OverviewService, Pending
from tests.desk_support import SECOND, desk
from tests.services.test_casework import _sent, casework
from tests.session_support import DAY, Clock, at, context


def _card(store, clock, username: str = "commissie"):
    return next((c for c in OverviewService(context(store, username, clock)).cards() if c.title == "Beroep"), None)


def _listed(store, clock, kind: str) -> list[str]:
    service = desk(store, clock)
    f = IncidentFilter(appeal=kind)
    rows = service.page(f, 0, 200)
    assert service.count(f) == len(rows)
    return [r.incident_id for r in rows]


def _rows(store) -> list[tuple]:
    return [tuple(r) for r in store.query("SELECT decision_id, incident_id, sent_on, appeal_id, lodged_on"
                                          " FROM appeal_work ORDER BY decision_id")]


def test_a_running_term_then_an_appeal_without_a_ruling_each_on_the_overview_and_in_the_list(store):
    clock = Clock(at(8, 30))
    incident, _ids, d = _sent(store, clock, "aw")              # letter sent on DAY + 4, term 42 days
    clock.advance(days=5)
    card = _card(store, clock)
    texts = [line.text for line in card.lines]
    assert "1 beroepstermijn loopt" in texts and "0 beroepen zonder uitspraak" in texts
    item = next(line for line in card.lines if f"Besluit {d.number}" in line.text)
    assert f"beroepstermijn loopt tot en met {(DAY + timedelta(days=46)).strftime('%d-%m-%Y')}" in item.text
    assert item.target == IncidentsTarget(IncidentFilter(appeal="termijn"), incident)    # opens the case
    assert incident in _listed(store, clock, "termijn") and incident in _listed(store, clock, "loopt")
    assert incident not in _listed(store, clock, "beroep")

    service = casework(store, clock)
    a = service.lodge_appeal(d.id, DAY + timedelta(days=8), "de kandidaat")
    card = _card(store, clock)
    texts = [line.text for line in card.lines]
    assert "1 beroep zonder uitspraak" in texts and "0 beroepstermijnen lopen" in texts
    item = next(line for line in card.lines if f"Besluit {d.number}" in line.text)
    assert "beroep ingesteld op" in item.text and item.warning is False
    assert item.target == IncidentsTarget(IncidentFilter(appeal="beroep"), incident)
    assert next(line for line in card.lines if "zonder uitspraak" in line.text).warning
    assert incident in _listed(store, clock, "beroep") and incident not in _listed(store, clock, "termijn")

    service.record_appeal_outcome(a.id, "in_stand", clock().date())
    texts = [line.text for line in _card(store, clock).lines]
    assert texts == ["0 beroepen zonder uitspraak", "0 beroepstermijnen lopen"]
    assert incident not in _listed(store, clock, "loopt")


def test_a_term_that_ran_out_is_no_longer_open_work(store):
    clock = Clock(at(8, 30))
    incident, _ids, _d = _sent(store, clock, "ao")
    clock.at = at(10, 0, day=DAY + timedelta(days=46))        # the last day of the term
    assert incident in _listed(store, clock, "termijn")
    clock.advance(days=1)
    assert incident not in _listed(store, clock, "termijn")
    assert "0 beroepstermijnen lopen" in [line.text for line in _card(store, clock).lines]
    assert _rows(store) == []


def test_a_superseded_decision_ends_its_term_and_a_new_send_date_moves_it(store):
    clock = Clock(at(8, 30))
    incident, ids, d = _sent(store, clock, "as")
    from examdesk.services.decision_letters import DecisionLetterService

    clock.advance(days=2)
    DecisionLetterService(context(store, "commissie", clock)).record_dispatch(d.id, DAY + timedelta(days=5))
    assert [r[2] for r in _rows(store)] == [(DAY + timedelta(days=5)).isoformat()]   # the newest send date counts
    desk(store, clock).revise(d.id, DecisionInput((ids[0],), DAY + timedelta(days=5), (), ("ongeldig",),
                                                  reasoning="Herzien.", revision_reason="Nieuwe feiten."), SECOND)
    assert _rows(store) == []
    assert incident not in _listed(store, clock, "loopt")


def test_the_table_is_derived_and_rebuilt_from_the_sealed_rows(store):
    """Like `letters_due`: not sealed, never a finding of `verify`; emptied (or the term changed) it is rebuilt
    from letters, appeals and outcomes to what the transactions kept."""
    clock = Clock(at(8, 30))
    _sent(store, clock, "r1")
    _i2, _ids2, d2 = _sent(store, clock, "r2")
    clock.advance(days=3)
    casework(store, clock).lodge_appeal(d2.id, clock().date(), "de kandidaat")
    catch_up_appeal_work(store, clock().date())
    kept = _rows(store)
    assert len(kept) == 2 and sum(1 for r in kept if r[3] is not None) == 1
    with store.transaction():
        store.write("DELETE FROM appeal_work")
        store.write("UPDATE meta SET value = '' WHERE key = 'appeal_work_days'")
    catch_up_appeal_work(store, clock().date())
    assert _rows(store) == kept
    with store.transaction():
        store.write("UPDATE institution SET appeal_term_days = 2")
    catch_up_appeal_work(store, clock().date())                 # a two-day term: the letters' terms ran out
    assert [r[3] for r in _rows(store)] == [kept[0][3] or kept[1][3]]
    from examdesk.services import integrity

    assert integrity.check_store(store, store.path, full=True).ok


@pytest.mark.parametrize("role", [Role.BUREAU, Role.SURVEILLANT, Role.BEHEERDER])
def test_only_the_commission_sees_the_appeal_card(store, ctx_for, role):
    assert all(c.title != "Beroep" for c in OverviewService(ctx_for(role)).cards())
    assert any(c.title == "Beroep" for c in OverviewService(ctx_for(Role.COMMISSIE)).cards())


def test_an_unknown_appeal_filter_is_refused():
    with pytest.raises(ValueError):
        IncidentFilter(appeal="alles")


def test_the_data_layer_keeps_nothing_before_v016(store):
    """A database without the table (an older schema in a test of the upgrade) is left alone."""
    assert casework_data.has_appeal_work(store)


def _open_overzicht(ctx, slow_only: bool = False):
    """The Overzicht as its screen opens it: the quick cards made now, the slow ones made apart and kept."""
    made = OverviewService(ctx).plan(slow_only=slow_only)
    for _source, card in made:
        if isinstance(card, Pending):
            card.keep(card.make())
    return made


def test_opening_the_overzicht_twice_writes_nothing_the_second_time(store):
    clock = Clock(at(8, 30))
    _sent(store, clock, "tw")
    ctx = context(store, "commissie", clock)
    _open_overzicht(ctx)
    changes, state = store.conn.total_changes, written_state(store)
    again = _open_overzicht(ctx)
    assert store.conn.total_changes == changes and written_state(store) == state
    assert [s.name for s, card in again if isinstance(card, Pending)] == []     # every slow card remembered


def test_a_term_that_ran_out_overnight_is_taken_out_without_forgetting_what_was_counted(store):
    """The first Overzicht of a day takes out the terms that ran out (a write) before its slow cards begin counting
    (`OverviewScreen.start_counting`, before the window is painted), not in the fill after: what they counted is
    for the state after it, and the next visit counts nothing again."""
    clock = Clock(at(8, 30))
    incident, _ids, _d = _sent(store, clock, "on")
    clock.at = at(10, 0, day=DAY + timedelta(days=46))          # the term's last day
    ctx = context(store, "commissie", clock)
    _open_overzicht(ctx)
    clock.advance(days=1)                                      # the next morning: the term has run out
    _open_overzicht(ctx, slow_only=True)                       # counting begins: the term is taken out first
    assert _rows(store) == []
    state = written_state(store)
    first = _open_overzicht(ctx)                               # the fill
    assert "0 beroepstermijnen lopen" in [
        line.text for s, card in first if s.name == "beroep" for line in card.lines]
    assert written_state(store) == state
    again = OverviewService(ctx).plan()
    assert [s.name for s, card in again if isinstance(card, Pending)] == []
    assert incident not in _listed(store, clock, "termijn")
