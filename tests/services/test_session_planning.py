"""Planning sessions: the register's validity and target-group rules, overlaps, workstations, roles."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from examdesk.data import incident_desk
from examdesk.data.users import by_username
from examdesk.domain.candidates import Candidate
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.domain.sessions import PlanDraft
from examdesk.services.candidates import CandidateService
from examdesk.services.overview import OverviewService
from examdesk.services.register import RegisterService
from examdesk.services.sessions import LocationService, SessionService


def _setup(ctx):
    places = LocationService(ctx)
    loc = places.save_location(None, "Planlocatie", "Straat 1")
    room = places.save_room(None, loc, "P1", 3)
    people = CandidateService(ctx)
    a = people.save(Candidate("P001", "Jansen", first_name="Anouk", crebo="25254", extra_minutes=30))
    b = people.save(Candidate("P002", "Nguyễn", first_name="Thi Mai", crebo="25254", target_group="isk"))
    return room, a, b


def _draft(store, room, ids, **kw):
    sv = by_username(store, "surveillant")
    base = dict(exam_kind="centraal", session_date=date(2027, 5, 3), start=time(9, 0), duration_minutes=60,
                room_id=room, late_limit_minutes=30, central_exam="Ned2F", period="periode 3",
                invigilator_ids=(sv.id,), candidates=tuple((i, None) for i in ids))
    base.update(kw)
    return PlanDraft(**base)


def _instrument(ctx, code):
    return next(i.id for i in RegisterService(ctx).list_instruments() if i.code == code)


def test_plan_central_with_automatic_workstations_and_capped_extra_time(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)
    plan = SessionService(ctx).plan(_draft(store, room, [a.id, b.id]))
    assert plan.title == "Nederlands 2F" and plan.candidate_count == 2
    roster = SessionService(ctx).roster(plan.id)
    assert [(r.workstation, r.name) for r in roster] == [(1, "Anouk Jansen"), (2, "Thi Mai Nguyễn")]
    assert roster[0].extra_minutes == 30


def test_invalid_instrument_is_refused_with_the_registers_reason(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    draft = _draft(store, room, [a.id], exam_kind="instelling", central_exam=None, period="",
                   instrument_id=_instrument(ctx, "ZWK-PVB-K2"), session_date=ctx.clock().date())
    with pytest.raises(ValidationError, match="ZWK-PVB-K2 kan op .* niet worden afgenomen. Niet valide op .*ingetrokken"):
        SessionService(ctx).plan(draft)
    assert SessionService(ctx).list() and not any(p.title.startswith("ZWK") for p in SessionService(ctx).list())


def test_candidate_whose_group_may_not_use_the_instrument_is_refused(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)
    on = ctx.clock().date() + timedelta(days=30)
    summative = _draft(store, room, [a.id, b.id], exam_kind="instelling", central_exam=None, period="",
                       instrument_id=_instrument(ctx, "ENT-LOG-PVB"), session_date=on)
    with pytest.raises(ValidationError, match="Thi Mai Nguyễn \\(P002\\) mag .* niet maken: Niet toegestaan: ISK"):
        SessionService(ctx).plan(summative)
    formative = _draft(store, room, [a.id, b.id], exam_kind="instelling", central_exam=None, period="",
                       instrument_id=_instrument(ctx, "ENT-LOG-FORM"), session_date=on)
    assert SessionService(ctx).plan(formative).exam_kind == "instelling"


def test_candidate_in_two_sessions_at_the_same_time_and_workstation_twice(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)
    service = SessionService(ctx)
    service.plan(_draft(store, room, [a.id]))
    with pytest.raises(ValidationError, match="Anouk Jansen \\(P001\\) staat al ingepland in 'Nederlands 2F'.*09:00 tot 10:30"):
        service.plan(_draft(store, room, [a.id], start=time(10, 15), central_exam="Ned3F"))
    assert service.plan(_draft(store, room, [a.id], start=time(10, 30))).id
    with pytest.raises(ValidationError, match="Werkplek 2 is twee keer gebruikt"):
        service.plan(_draft(store, room, [], candidates=((a.id, 2), (b.id, 2)), start=time(13, 0)))
    with pytest.raises(ValidationError, match="hoogstens 30 minuten"):
        service.plan(_draft(store, room, [b.id], late_limit_minutes=45, start=time(14, 0)))


def test_only_surveillants_can_be_assigned_and_only_the_bureau_plans(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    commission = by_username(store, "commissie")
    with pytest.raises(ValidationError, match="Marieke de Vries is geen actieve surveillant"):
        SessionService(ctx).plan(_draft(store, room, [a.id], invigilator_ids=(commission.id,)))
    for role in (Role.COMMISSIE, Role.SURVEILLANT, Role.BEHEERDER):
        with pytest.raises(PermissionDenied):
            SessionService(ctx_for(role)).plan(_draft(store, room, [a.id]))
    with pytest.raises(PermissionDenied):
        CandidateService(ctx_for(Role.SURVEILLANT)).save(Candidate("X1", "Y"))
    with pytest.raises(PermissionDenied):
        LocationService(ctx_for(Role.COMMISSIE)).save_location(None, "X", "")


def test_demo_has_sessions_in_every_state_and_the_overview_card_links_to_afnames(store, ctx_for):
    plans = SessionService(ctx_for(Role.COMMISSIE)).list()
    assert {p.status for p in plans} >= {"gepland", "bezig", "afgesloten", "geannuleerd"}
    assert {p.exam_kind for p in plans} == {"centraal", "instelling"}
    kinds = {r.recorded_category for r in incident_desk.page(store, IncidentFilter(), 0, 1000)}
    assert len(kinds) >= 6
    cards = OverviewService(ctx_for(Role.COMMISSIE)).cards()
    card = next(c for c in cards if c.title == "Afnames")
    assert all(line.screen == "afnames" for line in card.lines)
    assert "1 bezig" in [line.text for line in card.lines]
