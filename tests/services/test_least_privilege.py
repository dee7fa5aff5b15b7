"""A surveillant sees only the sessions they are assigned to, and of those the roster without birth
dates or reasons for extra time (issue 11, "Least privilege"). Reading a candidate's file is audited.

Attack first: everything a surveillant asked for and got before this change."""

from __future__ import annotations

import pytest

from examdesk.data import sessions as session_data
from examdesk.data import users as user_data
from examdesk.data.users import by_username
from examdesk.domain.errors import PermissionDenied
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.candidates import CandidateService
from examdesk.services.context import AppContext
from examdesk.services.exchange import ExchangeService
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.overview import OverviewService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService, SessionService
from tests.conftest import ROLE_USERS
from tests.session_support import DAY, Clock, at, context, plan_session


@pytest.fixture
def jan(ctx_for) -> AppContext:
    """Jan Bakker, surveillant: assigned to some of the demo's sessions, not to others."""
    return ctx_for(Role.SURVEILLANT)


def _mine_and_others(store, user_id: int) -> tuple[list[str], list[str]]:
    plans = session_data.list_sessions(store, SessionFilter())
    mine = [p.id for p in plans if user_id in {uid for uid, _ in p.invigilators}]
    return mine, [p.id for p in plans if p.id not in mine]


def test_a_surveillant_lists_only_the_sessions_they_are_assigned_to(jan):
    mine, others = _mine_and_others(jan.store, jan.user.id)
    assert mine and others
    listed = [p.id for p in SessionService(jan).list()]
    assert sorted(listed) == sorted(mine)
    # a filter cannot widen it: asking for someone else's sessions still gives only one's own
    assert all(p.id in mine for p in SessionService(jan).list(SessionFilter(invigilator_id=999)))


def test_a_surveillant_cannot_read_another_sessions_plan_roster_or_events(jan):
    _, others = _mine_and_others(jan.store, jan.user.id)
    for sid in others:
        with pytest.raises(PermissionDenied, match="geen surveillant van deze afname"):
            SessionService(jan).get(sid)
        with pytest.raises(PermissionDenied, match="geen surveillant van deze afname"):
            SessionService(jan).roster(sid)
        with pytest.raises(PermissionDenied, match="geen surveillant van deze afname"):
            SessionModeService(jan, sid)             # the events, the log, the state
        with pytest.raises(PermissionDenied, match="geen surveillant van deze afname"):
            ExchangeService(jan).verify_origins(sid)


def test_the_roster_of_ones_own_session_keeps_what_is_needed_and_drops_the_birth_dates(jan, ctx_for):
    mine, _ = _mine_and_others(jan.store, jan.user.id)
    commission = ctx_for(Role.COMMISSIE)
    for sid in mine:
        theirs = SessionService(jan).roster(sid)
        full = SessionService(commission).roster(sid)
        assert [r.candidate_id for r in theirs] == [r.candidate_id for r in full]
        assert all(r.birth_date is None for r in theirs)
        assert [(r.extra_minutes, r.facilities, r.facility_other) for r in theirs] == \
               [(r.extra_minutes, r.facilities, r.facility_other) for r in full]
        assert all(r.birth_date is None for r in SessionModeService(jan, sid).roster)
    assert any(r.birth_date for sid in mine for r in SessionService(commission).roster(sid))


def test_a_surveillant_cannot_list_candidates_read_a_birth_date_or_the_resit_list(jan):
    some_id = jan.store.query_one("SELECT id FROM candidates WHERE birth_date IS NOT NULL")[0]
    for call in (lambda: CandidateService(jan).search(), lambda: CandidateService(jan).get(some_id),
                 lambda: CandidateService(jan).by_ids([some_id]), lambda: CandidateService(jan).filters(),
                 lambda: IncidentDeskService(jan).candidates_with_resit(),
                 lambda: LocationService(jan).locations(), lambda: LocationService(jan).rooms(),
                 lambda: SessionService(jan).invigilator_choices()):
        with pytest.raises(PermissionDenied, match="mag niet"):
            call()


def test_the_overview_counts_only_the_surveillants_own_sessions(store):
    """On a fixed day with a session someone else invigilates (the demo's own days move with the
    calendar, so on some weekdays all of today's sessions are Jan's)."""
    clock = Clock(at(8, 0))
    plan_session(store, clock)
    user_data.insert(store, "petra", "Petra de Wit", "!", frozenset({Role.SURVEILLANT}), clock().isoformat())
    clock.advance(seconds=1)   # a location and candidates of its own
    plan_session(store, clock, invigilator="petra")
    jan, bureau = context(store, "surveillant", clock), context(store, "bureau", clock)

    def session_card(ctx):
        return next(c for c in OverviewService(ctx).cards() if c.title == "Afnames")

    def today(ctx):
        return [p for p in SessionService(ctx).list() if p.session_date == DAY and p.status != "geannuleerd"]

    assert session_card(jan).lines[0].text.startswith(f"{len(today(jan))} ")
    assert session_card(bureau).lines[0].text.startswith(f"{len(today(bureau))} ")
    assert len(today(jan)) < len(today(bureau))


def test_exchange_choices_and_log_show_only_the_surveillants_sessions(jan):
    mine, _ = _mine_and_others(jan.store, jan.user.id)
    assert {p.id for p in ExchangeService(jan).record_choices()} <= set(mine)
    jan.store.write(
        "INSERT INTO exchange_log (file_id, direction, kind, file_name, file_sha256, origin, at, username, sessions,"
        " outcome) VALUES ('f1', 'export', 'afnamepakket', 'ander.examdesk', 'x', 'o', '2026-01-01T09:00:00+01:00',"
        " 'bureau', ?, '{}')", (f'["{_mine_and_others(jan.store, jan.user.id)[1][0]}"]',))
    assert all(e.file_name != "ander.examdesk" for e in ExchangeService(jan).log())


def test_a_user_who_is_also_examenbureau_sees_every_session(store):
    both = AppContext(store, by_username(store, "e.sahin"))
    assert len(SessionService(both).list()) == store.query_one("SELECT count(*) FROM sessions")[0]


# --- reading a candidate's file is audited ------------------------------------------------------------

def _reads(store) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in store.query(
        "SELECT username, entity_id FROM audit_log WHERE action = 'kandidaatgegevens ingezien' ORDER BY seq")]


@pytest.mark.parametrize("role", [Role.COMMISSIE, Role.BUREAU])
def test_reading_one_candidates_file_is_audited_but_a_list_is_not(ctx_for, role):
    ctx = ctx_for(role)
    row = ctx.store.query_one("SELECT id, student_number FROM candidates WHERE extra_reason != ''")
    lines = CandidateService(ctx).search()
    assert all(c.extra_reason == "" for c in lines)          # a list line carries no reason for extra time
    CandidateService(ctx).by_ids([c.id for c in lines[:10]])
    assert _reads(ctx.store) == []
    file = CandidateService(ctx).get(row["id"])
    assert file.extra_reason                                  # the file does
    assert _reads(ctx.store) == [(ROLE_USERS[role], row["student_number"])]
    at = ctx.store.query_one("SELECT at FROM audit_log WHERE action = 'kandidaatgegevens ingezien'")[0]
    assert at.startswith(str(ctx.clock().date()))
