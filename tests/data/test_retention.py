"""The retention check's stored facts (issue 16, issue 18): `candidate_retention`, kept by the code that writes
rosters, sessions, incidents and decisions, gives the same due list as working it out from the whole history —
after the migration's backfill, planning, an incident and its decision, an appeal, a cancelled session and an
anonymisation — and a candidate anonymised leaves it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from examdesk.data import privacy as privacy_data
from examdesk.data import retention
from examdesk.domain.privacy import DOSSIERS, RESULTS, due, due_cutoffs, keep_until
from examdesk.domain.roles import Role
from examdesk.services import privacy as privacy_service
from examdesk.services.context import AppContext
from examdesk.services.privacy import PrivacyService
from examdesk.services.sessions import SessionService
from tests.services.test_casework import DAY, _sent, casework
from tests.session_support import Clock, at

DAYS = (DAY, DAY + timedelta(days=20), date(2029, 8, 1), date(2031, 8, 1), date(2034, 1, 1), date(2045, 1, 1))


def _stored(store) -> list[tuple]:
    return [tuple(r) for r in store.query(f"SELECT {retention.COLUMNS} FROM candidate_retention ORDER BY 1")]


def _recomputed(store) -> list[tuple]:
    return sorted(tuple(r) for r in store.query(retention.RECOMPUTE))


def _same_as_the_history(store, svc: PrivacyService) -> None:
    """The stored rows are the history's, each candidate's refresh gives them again, and the service's due list
    (from the stored rows) is the one worked out from every candidate's history, on dates across 20 years."""
    stored = _stored(store)
    assert stored == _recomputed(store)
    ids = [r[0] for r in stored]
    with store.transaction():
        retention.refresh(store.conn, ids)
    assert _stored(store) == stored
    periods = svc.retention()
    for day in DAYS + _edges(store, svc):
        full = due(privacy_data.candidate_facts(store, today=day), day, periods[RESULTS.name], periods[DOSSIERS.name])
        assert svc.due(day) == full, day
        assert _card(svc, day) == _card_of(store, full), day
        assert _paged(svc, day) == full, day


def _paged(svc: PrivacyService, day: date, size: int = 7) -> list:
    """The due list as Beheer → Privacy fetches it, a page of `size` at a time (sorted and cut in SQL)."""
    items: list = []
    while page := svc.due_page(len(items), size, day):
        assert len(page) <= size
        items += page
    return items


def _edges(store, svc: PrivacyService) -> tuple[date, ...]:
    """The day before, of and after the last kept day of candidates (from the history): on the first a candidate
    is not due, on the last it is — where a cut-off one day off would show."""
    periods = svc.retention()
    ends = sorted({keep_until(f, periods[RESULTS.name], periods[DOSSIERS.name])
                   for f in privacy_data.candidate_facts(store)})
    return tuple(end + timedelta(days=d) for end in ends[:: max(1, len(ends) // 4)] for d in (0, 1, 2))


def _card(svc: PrivacyService, day: date) -> list[str]:
    """The lines of the beheerder's privacy card on the Overzicht on `day`."""
    ctx = AppContext(svc.ctx.store, svc.ctx.user, lambda: datetime.combine(day, datetime.min.time()).replace(hour=9))
    svc.ctx.store.memo.pop("card:privacy", None)
    card = privacy_service.overview_card(ctx)
    assert card is not None
    return [line.text for line in card.lines]


def _card_of(store, full: list) -> list[str]:
    """What the card must say, counted from the due list worked out from the whole history."""
    ready = sum(1 for i in full if i.can_anonymise)
    lines = [f"{ready} {'kandidaat' if ready == 1 else 'kandidaten'} over de bewaartermijn: controleren en "
             "anonimiseren"]
    if len(full) - ready:
        lines.append(f"{len(full) - ready} wacht op een open zaak (Inspectie, beroep)")
    return lines + [f"{store.query_one('SELECT count(*) FROM candidate_anonymisations')[0]} geanonimiseerd"]


def test_the_stored_facts_give_the_due_list_of_the_whole_history_through_a_case(store, ctx_for):
    svc = PrivacyService(ctx_for(Role.BEHEERDER))
    everyone = store.query_one("SELECT count(*) FROM candidates")[0]
    assert len(_stored(store)) == everyone                          # the backfill: every candidate of the demo
    assert any(r[4] for r in _stored(store)) and any(r[3] for r in _stored(store))
    assert svc.due(date(2045, 1, 1))                                # not vacuous: many are due by then
    counts = [_card(svc, day)[0] for day in _edges(store, svc)]
    assert len(set(counts)) > 1                                     # the edge days count different candidates
    _same_as_the_history(store, svc)

    clock = Clock(at(8, 30))
    incident, ids, decision = _sent(store, clock, "rt")             # planned, run, an incident, a decision
    row = store.query_one("SELECT last_session, last_case FROM candidate_retention WHERE candidate_id = ?",
                          (ids[0],))
    decided_on = store.query_one("SELECT decided_on FROM decisions WHERE id = ?", (decision.id,))[0]
    assert tuple(row) == (DAY.isoformat(), max(DAY.isoformat(), decided_on[:10]))
    _same_as_the_history(store, svc)

    clock.advance(days=10)
    appeal = casework(store, clock).lodge_appeal(decision.id, DAY + timedelta(days=8), "de kandidaat")
    assert f"een beroep tegen besluit {decision.number} loopt nog" in next(
        i.blocked for i in svc.due(date(2045, 1, 1)) if i.candidate_id == ids[0])
    _same_as_the_history(store, svc)
    casework(store, clock).record_appeal_outcome(appeal.id, "in_stand", DAY + timedelta(days=13), "Ongegrond.")
    _same_as_the_history(store, svc)

    planned = store.query_one("SELECT s.id FROM sessions s WHERE s.status = 'gepland' AND EXISTS (SELECT 1 FROM"
                              " session_candidates sc WHERE sc.session_id = s.id) AND NOT EXISTS (SELECT 1 FROM"
                              " session_events e WHERE e.session_id = s.id) ORDER BY s.session_date DESC")[0]
    SessionService(ctx_for(Role.BUREAU)).cancel(planned, "Lokaal niet beschikbaar")
    _same_as_the_history(store, svc)

    ready = next(i for i in svc.due(date(2045, 1, 1)) if i.can_anonymise)
    svc.anonymise([ready.candidate_id], date(2045, 1, 1))
    assert all(r[0] != ready.candidate_id for r in _stored(store))
    assert all(i.candidate_id != ready.candidate_id for i in svc.due(date(2045, 1, 1)))
    _same_as_the_history(store, svc)


def test_the_cutoffs_are_exactly_the_last_dates_that_are_due():
    """A date is due exactly when it is on or before the cut-off: the range scan reads no candidate `due` drops
    and misses none it keeps (every day of six years, both periods)."""
    from examdesk.domain.privacy import CandidateFacts

    today = date(2031, 3, 15)
    results, cases = due_cutoffs(today, 24, 5)
    assert (results, cases) == (date(2028, 7, 31), date(2025, 7, 31))
    day = date(2022, 1, 1)
    while day < date(2028, 1, 1) + timedelta(days=365):
        only_results = CandidateFacts(1, "1", "A", day, day, None)
        assert (keep_until(only_results, 24, 5) < today) == (day <= results), day
        with_case = CandidateFacts(1, "1", "A", date(2010, 1, 1), date(2010, 1, 1), day)
        assert (keep_until(with_case, 24, 5) < today) == (day <= cases), day
        day += timedelta(days=1)


def test_the_card_counts_candidates_just_before_on_and_after_the_cutoff(store, ctx_for):
    """Candidates registered (never sat an exam) on 30 July, 31 July — the last day of a school year, a cut-off
    itself — and 1 August: the card counts the first two from the day after their period, the third a school year
    later, exactly as the due list worked out from the history does."""
    from examdesk.data import sessions as session_data
    from examdesk.domain.candidates import Candidate

    svc = PrivacyService(ctx_for(Role.BEHEERDER))
    ids = {day: session_data.upsert_candidate(store, Candidate(f"rt{day:%m%d}", "Grens"), f"{day}T10:00:00")[0]
           for day in (date(2026, 7, 30), date(2026, 7, 31), date(2026, 8, 1))}
    periods = svc.retention()
    ends = {day: keep_until(next(f for f in privacy_data.candidate_facts(store, [cid]) if f.candidate_id == cid),
                            periods[RESULTS.name], periods[DOSSIERS.name]) for day, cid in ids.items()}
    july, august = ends[date(2026, 7, 31)], ends[date(2026, 8, 1)]
    assert ends[date(2026, 7, 30)] == july < august
    for day in (july, july + timedelta(days=1), july + timedelta(days=2), august, august + timedelta(days=1)):
        full = due(privacy_data.candidate_facts(store, today=day), day, periods[RESULTS.name], periods[DOSSIERS.name])
        assert svc.due(day) == full, day
        assert _card(svc, day) == _card_of(store, full), day
        assert _paged(svc, day, 2) == full, day
        listed = {i.candidate_id for i in full}
        assert (ids[date(2026, 7, 31)] in listed) == (day > july), day
        assert (ids[date(2026, 8, 1)] in listed) == (day > august), day
