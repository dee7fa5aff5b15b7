"""Planning sessions: the register's validity, route-choice and target-group rules, clashes of rooms,
invigilators and candidates, the warnings a planner confirms, workstations, roles."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from examdesk.data import incident_desk
from examdesk.data.audit import all_entries
from examdesk.data.users import by_username
from examdesk.domain.candidates import Candidate
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.exam_periods import ExamWindow
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.planning import PlanNeedsConfirmation
from examdesk.domain.register import school_year_of
from examdesk.domain.roles import Role
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import PlanDraft, SessionFilter
from examdesk.services.candidates import CandidateService
from examdesk.services.exam_periods import ExamPeriodService
from examdesk.services.exchange import ExchangeService
from examdesk.services.navigation import ScreenKey, SessionDates, SessionsTarget
from examdesk.services.overview import OverviewService
from examdesk.services.register import RegisterService
from examdesk.services.sessions import LocationService, SessionService

FAR = date(2041, 5, 6)   # a Monday in ISO week 19 of school year 2040-2041 (no demo periods there)


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
    base = dict(exam_kind="centraal", session_date=FAR, start=time(9, 0), duration_minutes=60,
                room_id=room, late_limit_minutes=30, central_exam="Ned2F", period="periode 3",
                invigilator_ids=(sv.id,), candidates=tuple((i, None) for i in ids))
    base.update(kw)
    return PlanDraft(**base)


def _institution(store, room, ids, instrument_id, on, **kw):
    return _draft(store, room, ids, exam_kind="instelling", central_exam=None, period="", instrument_id=instrument_id,
                  session_date=on, **kw)


def _instrument(ctx, code):
    return next(i.id for i in RegisterService(ctx).list_instruments() if i.code == code)


def _plan(service, draft, session_id=None):
    """Plans, confirming exactly the warnings the service gives."""
    return service.plan(draft, session_id, confirmed=service.check_plan(draft, session_id))


def _periods_2040_2041(ctx):
    """Periode 3 of 2040-2041 with Nederlands 2F in week 19 (as the bureau would enter it)."""
    ExamPeriodService(ctx).add(ExamWindow("2040-2041", 3, date(2041, 4, 22), date(2041, 5, 25), "Ned2F", 19))


def test_plan_central_with_automatic_workstations(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)
    _periods_2040_2041(ctx)
    plan = SessionService(ctx).plan(_draft(store, room, [a.id, b.id]))
    assert plan.title == "Nederlands 2F" and plan.candidate_count == 2
    roster = SessionService(ctx).roster(plan.id)
    assert [(r.workstation, r.name) for r in roster] == [(1, "Anouk Jansen"), (2, "Thi Mai Nguyễn")]
    assert roster[0].extra_minutes == 30
    assert SessionService(ctx).planning_notes(plan.id) == []


def test_extra_time_above_the_central_cap_is_said_not_cut_silently(store, ctx_for):
    """Regeling aangepaste wijze, art. 7b: 'verlengen met ten hoogste een half uur'."""
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    _periods_2040_2041(ctx)
    c = CandidateService(ctx).save(Candidate("P003", "Berg", "van den", "Loïs", crebo="25254", extra_minutes=45,
                                             extra_reason="Dyslexie; besluit EC-2026-3"))
    service = SessionService(ctx)
    draft = _draft(store, room, [a.id, c.id])
    (warning,) = service.check_plan(draft)
    assert warning.text == ("Loïs van den Berg (P003) heeft 45 minuten extra tijd; bij een centraal examen is dat ten "
                            "hoogste een half uur (Regeling aangepaste wijze van examineren, art. 7b): in deze afname "
                            "30 minuten.")
    before = len(service.list())
    with pytest.raises(PlanNeedsConfirmation, match="Bevestig eerst deze waarschuwing: Loïs van den Berg"):
        service.plan(draft)
    assert len(service.list()) == before
    plan = service.plan(draft, confirmed=[warning.text])
    assert {r.name: r.extra_minutes for r in service.roster(plan.id)} == {"Anouk Jansen": 30, "Loïs van den Berg": 30}
    assert [(kind, text) for kind, text, _at, _by in service.planning_notes(plan.id)] == [("waarschuwing", warning.text)]
    audit = [e for e in all_entries(store) if e.entity_id == plan.id]
    assert audit[-1].summary["bevestigde waarschuwingen"] == [warning.text]
    # an institution exam keeps the 45 minutes, without a warning
    institution = _institution(store, room, [c.id], _instrument(ctx, "ENT-LOG-FORM"),
                               ctx.clock().date() + timedelta(days=30), start=time(13, 0))
    assert service.check_plan(institution) == ()
    assert service.roster(service.plan(institution).id)[0].extra_minutes == 45


@pytest.mark.parametrize("on,problem", [
    (date(2041, 5, 6), None),
    (date(2041, 5, 13), "Nederlands 2F wordt in 2040-2041 periode 3 afgenomen in week 19; 13-05-2041 valt in week 20."),
    (date(2041, 6, 10), "10-06-2041 valt buiten de afnameperiodes van schooljaar 2040-2041 (periode 3: 22-04-2041 t/m "
                        "25-05-2041)."),
    (date(2041, 9, 2), "Voor schooljaar 2041-2042 zijn geen afnameperiodes van de centrale examens vastgelegd"),
])
def test_a_central_exam_outside_its_afnameperiode_is_warned(store, ctx_for, on, problem):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    _periods_2040_2041(ctx)
    texts = [w.text for w in SessionService(ctx).check_plan(_draft(store, room, [a.id], session_date=on))]
    if problem is None:
        assert texts == []
    else:
        (text,) = texts
        assert text.startswith(problem)


@pytest.mark.parametrize("exam,on,problem", [
    ("Ned2F", date(2014, 11, 3), None),                    # week 45: 2F Taal in periode 2 of 2014-2015
    ("Ned2F", date(2014, 11, 17), "Nederlands 2F wordt in 2014-2015 periode 2 afgenomen in week 44 en 45"),
    ("Rek3F", date(2015, 5, 26), None),                    # week 22: 3F Rekenen in periode 5
    ("Rek2F", date(2015, 5, 26), "Rekenen 2F wordt in 2014-2015 periode 5 niet afgenomen."),
    ("Ned3F", date(2015, 3, 2), "02-03-2015 valt buiten de afnameperiodes van schooljaar 2014-2015"),
])
def test_the_real_2014_2015_tijdvakken_ship_with_the_database(store, ctx_for, exam, on, problem):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    texts = [w.text for w in SessionService(ctx).check_plan(_draft(store, room, [a.id], session_date=on,
                                                                    central_exam=exam))]
    assert texts[0].startswith("De afname begint in het verleden")
    if problem is None:
        assert len(texts) == 1
    else:
        assert texts[1].startswith(problem)
    assert SessionService(ctx).suggested_period(exam, on) == ("" if on.month == 3 else "2014-2015 periode "
                                                               + ("2" if on.year == 2014 else "5"))


def test_a_start_in_the_past_is_warned(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    yesterday = ctx.clock().date() - timedelta(days=1)
    draft = _institution(store, room, [a.id], _instrument(ctx, "ENT-LOG-FORM"), yesterday)
    (warning,) = SessionService(ctx).check_plan(draft)
    assert warning.text == f"De afname begint in het verleden ({yesterday:%d-%m-%Y} om 09:00)."


def test_a_candidate_of_another_kwalificatie_is_warned(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    nurse = CandidateService(ctx).save(Candidate("P010", "Visser", first_name="Bram", crebo="25480"))
    draft = _institution(store, room, [a.id, nurse.id], _instrument(ctx, "ENT-LOG-FORM"),
                         ctx.clock().date() + timedelta(days=30))
    assert [w.text for w in SessionService(ctx).check_plan(draft)] == [
        "Bram Visser (P010) volgt kwalificatie 25480; ENT-LOG-FORM hoort bij kwalificatie 25254."]


def test_clashes_of_room_invigilator_and_candidate_are_refused(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)
    _periods_2040_2041(ctx)
    places = LocationService(ctx)
    other_room = places.save_room(None, places.rooms()[0].location_id, "P2", 5)
    c = CandidateService(ctx).save(Candidate("P004", "Dekker", first_name="Luuk", crebo="25254"))
    service = SessionService(ctx)
    sv, lv = by_username(store, "surveillant"), by_username(store, "l.vandijk")
    service.plan(_draft(store, room, [a.id]))            # 09:00–10:00, Anouk +30 → room busy until 10:30

    with pytest.raises(ValidationError, match=r"^lokaal P1 \(Planlocatie\) is al in gebruik voor 'Nederlands 2F' op "
                                              r"06-05-2041 van 09:00 tot 10:30; dat valt samen met deze afname\.$"):
        service.plan(_draft(store, room, [c.id], start=time(10, 15), invigilator_ids=(lv.id,)))
    with pytest.raises(ValidationError, match=r"^Jan Bakker surveilleert al bij 'Nederlands 2F' op 06-05-2041 van "
                                              r"09:00 tot 10:30"):
        service.plan(_draft(store, other_room, [c.id], start=time(10, 0), invigilator_ids=(sv.id,)))
    with pytest.raises(ValidationError, match=r"^Anouk Jansen \(P001\) staat al ingepland in 'Nederlands 2F' op "
                                              r"06-05-2041 van 09:00 tot 10:30"):
        service.plan(_draft(store, other_room, [a.id], start=time(10, 15), invigilator_ids=(lv.id,)))
    # back to back is fine for all three
    assert service.plan(_draft(store, room, [a.id, c.id], start=time(10, 30), invigilator_ids=(sv.id,))).id
    # a cancelled session occupies nothing
    cancelled = service.plan(_draft(store, other_room, [b.id], start=time(13, 0), invigilator_ids=(lv.id,)))
    service.cancel(cancelled.id, "verplaatst")
    assert service.plan(_draft(store, other_room, [b.id], start=time(13, 0), invigilator_ids=(lv.id,))).id
    # re-planning a session never clashes with itself
    plan = service.plan(_draft(store, room, [b.id], start=time(15, 0)))
    assert service.plan(_draft(store, room, [b.id], start=time(15, 30)), plan.id).id == plan.id


def test_workstation_twice_and_late_limit(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)
    service = SessionService(ctx)
    with pytest.raises(ValidationError, match="Werkplek 2 is twee keer gebruikt"):
        service.plan(_draft(store, room, [], candidates=((a.id, 2), (b.id, 2)), start=time(13, 0)))
    with pytest.raises(ValidationError, match="hoogstens 30 minuten"):
        service.plan(_draft(store, room, [b.id], late_limit_minutes=45, start=time(14, 0)))


def test_invalid_instrument_is_refused_with_the_registers_reason(store, ctx_for):
    ctx = ctx_for(Role.BUREAU)
    room, a, _ = _setup(ctx)
    draft = _institution(store, room, [a.id], _instrument(ctx, "ZWK-PVB-K2"), ctx.clock().date())
    with pytest.raises(ValidationError, match="ZWK-PVB-K2 kan op .* niet worden afgenomen. Niet valide op .*ingetrokken"):
        SessionService(ctx).plan(draft)
    assert SessionService(ctx).list() and not any(p.title.startswith("ZWK") for p in SessionService(ctx).list())


def test_route_choice_is_used_in_planning_and_the_commission_may_deviate_with_a_reason(store, ctx_for):
    """Seed 000 §5: 'maakt voorafgaand aan inzet van exameninstrumenten bij examinering per kwalificatie […] de
    keuze welke route(s) zij doorloopt'."""
    ctx = ctx_for(Role.BUREAU)
    commission = RegisterService(ctx_for(Role.COMMISSIE))
    places = LocationService(ctx)
    room = places.save_room(None, places.save_location(None, "Routelocatie", ""), "R1", 10)
    cook = CandidateService(ctx).save(Candidate("P020", "Smit", first_name="Jesse", crebo="25180"))
    service = SessionService(ctx)
    on = ctx.clock().date() + timedelta(days=20)
    outside = _institution(store, room, [cook.id], _instrument(ctx, "KOK-LB-1"), on)   # route 2; only 1 chosen
    year = school_year_of(on)
    with pytest.raises(ValidationError, match=(
            rf"KOK-LB-1 kan op .* niet worden afgenomen\. KOK-LB-1: Route 2 is niet gekozen voor crebo 25180 in "
            rf"schooljaar {year} \(gekozen: route 1\)\. De examencommissie kan een afwijking vastleggen met een "
            r"reden")):
        service.plan(outside)
    designer = _institution(store, room, [cook.id], _instrument(ctx, "MV-PVB-K1"), on, start=time(13, 0))
    with pytest.raises(ValidationError, match=f"Voor crebo 25201 is voor schooljaar {year} geen routekeuze vastgelegd"):
        service.plan(designer)
    with pytest.raises(PermissionDenied):
        RegisterService(ctx).set_route_exception(_instrument(ctx, "KOK-LB-1"), year, "mag niet")
    with pytest.raises(ValidationError, match="Geef de reden"):
        commission.set_route_exception(_instrument(ctx, "KOK-LB-1"), year, " ")
    commission.set_route_exception(_instrument(ctx, "KOK-LB-1"), year, "Burgerschap is bij Kok een eigen onderdeel.")
    plan = _plan(service, outside)
    [(kind, text, _at, _by)] = service.planning_notes(plan.id)
    assert kind == "afwijking" and text.startswith("KOK-LB-1 wordt buiten de routekeuze ingezet: besluit van de "
                                                   "examencommissie van ")
    assert text.endswith("(Marieke de Vries): Burgerschap is bij Kok een eigen onderdeel.")
    # the demo's own deviation (KOK-SCHR-1) is named on its planned session
    demo = next(p for p in service.list() if p.title.startswith("KOK-SCHR-1"))
    assert "buiten de routekeuze" in service.planning_notes(demo.id)[0][1]


def test_target_group_rule_applies_to_the_cooperatives_products_only(store, ctx_for):
    """Seed 002 is the Coöperatie's decision on its own products."""
    ctx = ctx_for(Role.BUREAU)
    room, a, b = _setup(ctx)   # b is ISK
    service = SessionService(ctx)
    on = ctx.clock().date() + timedelta(days=30)
    cases = [("ENT-LOG-PVB", False),   # Coöperatie, summative Entree: not for ISK
             ("ENT-LOG-FORM", True),   # Coöperatie, formative Entree: ISK may
             ("ENT-DZ-LB", True),      # the school's own route-2 instrument: the rule does not apply
             ("VIG-PVB-K1", True)]     # another supplier's product (niveau 3): the rule does not apply either
    for n, (code, allowed) in enumerate(cases):
        draft = _institution(store, room, [a.id, b.id], _instrument(ctx, code), on, start=time(9 + 2 * n, 0))
        if allowed:
            assert _plan(service, draft).title.startswith(code)
        else:
            with pytest.raises(ValidationError, match="Thi Mai Nguyễn \\(P002\\) mag .* niet maken: Niet toegestaan: ISK"):
                service.plan(draft)


def test_an_instrument_onder_voorbehoud_may_be_planned_with_a_warning_but_not_exported(store, ctx_for, tmp_path):
    bureau = ctx_for(Role.BUREAU)
    register = RegisterService(ctx_for(Role.COMMISSIE))
    places = LocationService(bureau)
    room = places.save_room(None, places.save_location(None, "Voorbehoudlocatie", ""), "V1", 10)
    nurse = CandidateService(bureau).save(Candidate("P030", "Mulder", first_name="Iris", crebo="25480"))
    service = SessionService(bureau)
    on = bureau.clock().date() + timedelta(days=40)
    draft = _institution(store, room, [nurse.id], _instrument(bureau, "VPK-PVB-K3"), on)
    (warning,) = service.check_plan(draft)
    assert warning.text.startswith("VPK-PVB-K3 is onder voorbehoud: Niet valide op")
    assert warning.text.endswith("Een afnamepakket voor deze afname kan pas worden gemaakt als de examencommissie "
                                 "het opnieuw heeft vastgesteld.")
    plan = service.plan(draft, confirmed=[warning.text])
    assert service.instrument_flags()[plan.id].startswith("Niet valide op")
    with pytest.raises(ValidationError, match="VPK-PVB-K3 is onder voorbehoud: de examencommissie moet het na het "
                                              "vervangen van opdrachten eerst opnieuw vaststellen"):
        ExchangeService(bureau).export_package([plan.id], tmp_path / "pakket.examdesk")
    register.adopt(_instrument(bureau, "VPK-PVB-K3"), register.today(), "EC-2026-900")
    assert plan.id not in service.instrument_flags()
    result = ExchangeService(bureau).export_package([plan.id], tmp_path / "pakket.examdesk")
    assert Path(result.path).exists()


def test_sessions_whose_instrument_stops_being_valid_are_flagged(store, ctx_for):
    bureau = ctx_for(Role.BUREAU)
    service = SessionService(bureau)
    flags = service.instrument_flags()
    titles = {p.title.split(" – ")[0] for p in service.list() if p.id in flags}
    assert titles == {"VPK-PVB-K3", "VIG-PVB-K2"}        # the demo: onder voorbehoud; withdrawn after planning
    card = next(c for c in OverviewService(bureau).cards() if c.title == "Afnames")
    line = next(line for line in card.lines if "niet (meer) valide" in line.text)
    assert line.text == "2 geplande afnames met een instrument dat niet (meer) valide is" and line.warning
    assert line.target == SessionsTarget(SessionDates.FUTURE, SessionStatus.GEPLAND, instrument_invalid=True)
    kok = next(p for p in service.list() if p.title.startswith("KOK-SCHR-1"))
    assert kok.id not in flags
    RegisterService(bureau).withdraw(kok.instrument_id, "Examen vervangen")
    assert "ingetrokken" in service.instrument_flags()[kok.id]
    # the card counts what the list flags (from the sessions' instruments, not their whole plans)
    card = next(c for c in OverviewService(bureau).cards() if c.title == "Afnames")
    assert any(line.text.startswith("3 geplande afnames met een instrument") for line in card.lines)
    today = RegisterService(bureau).today()
    assert service.flagged_count(SessionFilter(date_from=today)) == len(
        [p for p in service.list() if p.id in service.instrument_flags() and p.session_date >= today])


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
            SessionService(ctx_for(role)).check_plan(_draft(store, room, [a.id]))
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
    assert all(line.target.screen == ScreenKey.SESSIONS for line in card.lines)
    assert "1 bezig" in [line.text for line in card.lines]
