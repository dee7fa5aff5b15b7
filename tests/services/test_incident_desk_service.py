"""The incident desk through its service, on real SQLite: routing per exam kind, the stable incident id,
decisions and their supersession, resits, the Inspectie, closing, bad input, and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.domain.roles import Action, Role, allowed
from examdesk.domain.sessions import IncidentInput
from examdesk.services.incident_desk import IncidentDeskService, overview_card
from examdesk.services.navigation import IncidentsTarget, ScreenKey
from tests.desk_support import desk, desk_rows, log, running
from tests.session_support import DAY, Clock, at

# The examenprotocol table (DOMAIN.md): point → who handles it for a central exam; a bijzonderheid (point 11)
# is recorded on the procesverbaal and decided by nobody
PROTOCOL = {6: "examencommissie", 7: "examencommissie", 8: "examencommissie", 9: "inspectie", 10: "inspectie",
            None: "minister", 11: "procesverbaal"}


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 30))


def mine(service: IncidentDeskService, ids: list[int]) -> list:
    """The open resits of this test's candidates (the demo database has its own)."""
    return [r for r in service.candidates_with_resit() if r.candidate_id in ids]


def _member(store) -> int:
    return store.query_one("SELECT id FROM users WHERE username = 'commissie'")[0]


def _decision(store, ids=(), on: date = DAY, measures=(), reason="", **kw) -> DecisionInput:
    return DecisionInput(candidate_ids=tuple(ids), decided_on=on, member_ids=(_member(store),),
                         measures=tuple(measures), no_measure_reason=reason,
                         reasoning=kw.pop("reasoning", "Gemotiveerd besluit."), **kw)


@pytest.mark.parametrize("kind", ["centraal", "instelling"])
def test_every_category_lands_on_the_desk_routed_by_the_protocol_table(store, clock, kind):
    """Table-driven: every catalogue category, logged in a session of each kind, against the examenprotocol
    table — who handles it, whether a report to the Inspectie is due, and the explanation's citations."""
    cat = default_catalogue()
    run, ids = running(store, clock, kind)
    logged = {}
    for n, c in enumerate(cat.categories):
        who = (ids[0],) if c.sets_status or c.protocol_point in (6, 8) else ()
        clock.set(9, 10 + n)
        logged[c.code] = run.log_incident(IncidentInput(c.code, candidate_ids=who, what_happened=c.name)).id
        if c.sets_status:   # the candidate unwell is back at work for the next category
            run.set_candidate_status(ids[0], "aanwezig")
    service = desk(store, clock)
    for c in cat.categories:
        row = service.get(logged[c.code])
        case = service.case(logged[c.code])
        central_handler = PROTOCOL[11 if c.particular else c.protocol_point]
        assert row.incident_id == logged[c.code]
        assert case.explanation.endswith("”") and c.ground[0].text[:40] in case.explanation, c.code
        if c.particular:            # the same for both kinds of exam: recorded, nothing to decide, not open work
            assert (row.status, row.effective_handler, row.to_report) == ("bijzonderheid", "procesverbaal", False)
            assert not case.actions.decide and case.actions.report is None and case.actions.close, c.code
            assert "punt 11" in case.explanation
            continue
        assert row.status == "open"
        if kind == "centraal":
            assert row.effective_handler == central_handler, c.code
            assert not row.serious
            assert row.to_report == (central_handler == "inspectie"), c.code
            assert (case.actions.report == "melding") == (central_handler == "inspectie"), c.code
            assert case.actions.decide == (central_handler == "examencommissie"), c.code
        else:
            assert row.effective_handler == "examencommissie", c.code
            assert row.serious == (central_handler != "examencommissie"), c.code
            assert not row.to_report and case.actions.report is None
            assert case.actions.decide, c.code
            assert case.explanation.startswith("Instellingsexamen"), c.code
            if row.serious:
                assert "bestuur" in case.explanation
        if c.protocol_point:
            assert f"punt {c.protocol_point}" in case.explanation, c.code
        else:
            assert "12" in case.explanation
        if c.letter:
            assert f"artikel 2, eerste lid, onder {c.letter}" in case.explanation, c.code


def test_a_correction_chain_keeps_one_stable_incident_id(store, clock):
    run, ids = running(store, clock)
    first = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],), text="Spiekbriefje")
    clock.set(9, 40)
    run.correct_incident(first, IncidentInput("FRAUDE_KANDIDAAT", at(9, 30), candidate_ids=(ids[0], ids[1]),
                                              what_happened="Spiekbriefje, doorgegeven"))
    clock.set(9, 45)
    run.correct_incident(first, IncidentInput("FRAUDE_KANDIDAAT", at(9, 30), candidate_ids=(ids[1],),
                                              what_happened="Spiekbriefje van de buurman"))
    service = desk(store, clock)
    rows = service.page(IncidentFilter(session_id=run.session_id), 0, 10)
    assert [r.incident_id for r in rows] == [first]
    assert rows[0].corrections == 2 and rows[0].what_happened == "Spiekbriefje van de buurman"
    case = service.case(first)
    assert [v.payload.what_happened for v in case.versions] == [
        "Spiekbriefje", "Spiekbriefje, doorgegeven", "Spiekbriefje van de buurman"]
    assert [c.candidate_id for c in case.candidates] == [ids[1]]
    with pytest.raises(ValidationError, match="niet betrokken"):
        service.decide(first, _decision(store, [ids[0]], measures=["cijfer_1"]))
    clock.set(9, 50)
    run.void(first, "Verkeerde kandidaat, vergissing")
    assert service.count(IncidentFilter(session_id=run.session_id)) == 0


def test_all_candidates_means_those_at_work(store, clock):
    run, ids = running(store, clock, count=4, absent_last=True)
    incident = log(run, clock, "STROOMSTORING", all_=True)
    service = desk(store, clock)
    assert {c.candidate_id for c in service.case(incident).candidates} == set(ids)   # the last is still expected
    clock.set(11, 5)
    run.close()                                                                     # ... and is marked absent
    assert {c.candidate_id for c in service.case(incident).candidates} == set(ids[:-1])


def test_decision_revision_supersedes_and_moves_the_resit(store, clock):
    run, ids = running(store, clock)
    incident = log(run, clock, "ONWEL", (ids[2],))
    clock.set(15, 0)
    service = desk(store, clock)
    [first] = service.decide(incident, _decision(store, [ids[2]], measures=["ongeldig_opnieuw"], heard=True,
                                                 heard_on=DAY))
    assert first.minor is False and first.ground == "examenprotocol punt 6"
    resits = mine(service, ids)
    assert [(r.candidate_id, r.decision_id, r.source_label) for r in resits] == [
        (ids[2], first.id, f"besluit {first.number}")]
    assert service.get(incident).status == "besloten"
    with pytest.raises(ValidationError, match="al besloten"):
        service.decide(incident, _decision(store, [ids[2]], reason="nog een keer"))
    with pytest.raises(ValidationError, match="reden waarom het besluit wordt herzien"):
        service.revise(first.id, _decision(store, reason="Kandidaat kon toch verder"))
    second = service.revise(first.id, _decision(store, reason="Kandidaat kon na 10 minuten verder in quarantaine",
                                                revision_reason="Verslag van de BHV'er ontvangen"))
    assert second.supersedes == first.id and second.candidate_id == ids[2]
    decisions = {d.id: d for d in service.case(incident).decisions}
    assert decisions[first.id].superseded_by == second.id and not decisions[first.id].current
    assert decisions[second.id].current and decisions[second.id].summary.startswith("geen maatregel")
    assert mine(service, ids) == []
    with pytest.raises(ValidationError, match="al herzien"):
        service.revise(first.id, _decision(store, reason="x", revision_reason="y"))
    third = service.revise(second.id, _decision(store, measures=["ongeldig_opnieuw"], retake_scope="gedeeltelijk",
                                                revision_reason="Toch opnieuw"))
    assert [r.decision_id for r in mine(service, ids)] == [third.id]
    assert mine(service, ids)[0].scope == "gedeeltelijk"


@pytest.mark.parametrize(("birthday_offset", "minor"), [(0, False), (1, True), (-1, False)])
def test_minor_on_the_decision_date_around_the_18th_birthday(store, clock, birthday_offset, minor):
    """Birthday on the decision date: adult. The day after the decision: still a minor. The day before: adult."""
    eighteenth = DAY + timedelta(days=birthday_offset)
    birth = eighteenth.replace(year=eighteenth.year - 18)
    run, ids = running(store, clock, births=[birth], tag=f"m{birthday_offset + 1}")
    incident = log(run, clock, "FRAUDE_KANDIDAAT", (ids[0],))
    clock.set(16, 0)
    [d] = desk(store, clock).decide(incident, _decision(store, [ids[0]], measures=["cijfer_1"]))
    assert d.minor is minor


@pytest.mark.parametrize(("name", "call", "message"), [
    ("no measure, no reason", lambda s, st, inc, ids: s.decide(inc, _decision(st, [ids[0]])),
     "Kies een maatregel, of geef de reden"),
    ("grade 1 for a power failure", lambda s, st, inc, ids: s.decide(inc, _decision(st, [ids[0]], measures=["cijfer_1"])),
     "past niet bij examenprotocol punt 7"),
    ("decided before the incident", lambda s, st, inc, ids: s.decide(inc, _decision(
        st, [ids[0]], on=DAY - timedelta(days=1), measures=["ongeldig_opnieuw"])), "vóór het incident"),
    ("report dated in the future", lambda s, st, inc, ids: s.record_report(
        inc, DAY + timedelta(days=1), "EC-1", _member(st)), "in de toekomst"),
    ("reclassify without a reason", lambda s, st, inc, ids: s.reclassify(inc, "TOEZICHT", "  "),
     "reden van de herclassificatie"),
    ("candidate not involved", lambda s, st, inc, ids: s.decide(inc, _decision(
        st, [ids[3]], measures=["ongeldig_opnieuw"])), "niet betrokken"),
])
def test_bad_input_is_refused_with_a_dutch_sentence_and_nothing_saved(store, clock, name, call, message):
    run, ids = running(store, clock, count=4, absent_last=True)
    incident = log(run, clock, "STROOMSTORING", all_=True)
    clock.set(11, 5)
    run.close()
    service = desk(store, clock)
    if "report" in name:        # make the outage an Inspectie case, so a report is due
        service.reclassify(incident, "TOEZICHT", "Surveillant was afwezig tijdens de storing")
    before = desk_rows(store)
    with pytest.raises(ValidationError) as info:
        call(service, store, incident, ids)
    assert message in info.value.message, info.value.message
    assert desk_rows(store) == before


def test_inspectie_route_report_referral_back_decision_and_closing(store, clock):
    run, ids = running(store, clock)
    incident = log(run, clock, "PLATFORM_STORING", (ids[0],))
    clock.set(11, 0)
    service = desk(store, clock)
    row = service.reclassify(incident, "HULPMIDDEL_PERSONEEL", "Surveillant opende een niet toegestane app")
    assert row.recorded_category == "PLATFORM_STORING" and row.category == "HULPMIDDEL_PERSONEEL"
    assert row.effective_handler == "inspectie" and row.to_report and row.status == "in behandeling"
    assert service.case(incident).recorded_route.startswith("Examenplatform of netwerk uitgevallen")
    with pytest.raises(ValidationError, match="pas besluiten als de Inspectie"):
        service.decide(incident, _decision(store, [ids[0]], measures=["cijfer_1"]))
    waiting = service.case(incident).waiting
    assert waiting is not None and waiting.subject == "melding" and "wacht sinds 1 uur" in waiting.text
    clock.at = at(9, 0, day=date(2027, 3, 20))          # ten days on: still only how long it waited
    waiting = service.case(incident).waiting
    assert "wacht sinds 9 dagen" in waiting.text and "zo spoedig mogelijk" in waiting.text
    card = overview_card(service.ctx)
    line = next(x for x in card.lines if "te melden" in x.text)
    pending = service.page(IncidentFilter(to_report=True), 0, 10)
    assert incident in [r.incident_id for r in pending]
    assert line.text == f"{len(pending)} te melden bij de Inspectie"
    assert line.warning and line.target == IncidentsTarget(IncidentFilter(to_report=True))
    for text in (waiting.text, *[x.text for x in card.lines]):
        assert "te laat" not in text and "uiterlijk" not in text and "verlopen" not in text
    service.record_report(incident, date(2027, 3, 12), "EC-2027-001", _member(store))
    row = service.get(incident)
    assert row.status == "gemeld bij Inspectie" and not row.to_report
    with pytest.raises(ValidationError, match="vóór de melding"):
        service.record_answer(incident, "terugverwezen", date(2027, 3, 11), "INSP-1")
    service.record_answer(incident, "terugverwezen", date(2027, 3, 12), "INSP-1")
    row = service.get(incident)
    assert row.effective_handler == "examencommissie" and row.status == "in behandeling"
    assert "terugverwezen" in service.case(incident).explanation
    with pytest.raises(ValidationError, match="kan nog niet worden afgesloten"):
        service.close(incident)
    service.decide(incident, _decision(store, [ids[0]], on=date(2027, 3, 12), measures=["ongeldig_opnieuw"]))
    assert service.get(incident).status == "besloten"
    service.close(incident, "Afgehandeld")
    assert service.get(incident).status == "afgesloten"
    with pytest.raises(ValidationError, match="afgesloten"):
        service.reclassify(incident, "OVERIG", "nog iets")
    service.reopen(incident, "Nieuwe informatie")
    assert service.get(incident).status == "besloten"
    actions = [r[0] for r in store.query("SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq",
                                         (incident,))]
    assert actions == ["incident geherclassificeerd", "gemeld bij de Inspectie", "antwoord Inspectie vastgelegd",
                       "incident afgesloten", "incident heropend"]


def test_point_7_decision_taking_the_measure_must_be_reported_before_closing(store, clock):
    """Examenprotocol 7: "Het besluit waarbij bedoelde maatregel wordt genomen, wordt … gemeld bij de Inspectie"."""
    run, ids = running(store, clock, count=2)
    incident = log(run, clock, "STROOMSTORING", all_=True)
    clock.set(12, 0)
    service = desk(store, clock)
    service.decide(incident, _decision(store, ids, measures=["ongeldig_opnieuw"]))
    row = service.get(incident)
    assert row.status == "besloten" and row.to_report and row.measure_count == 2
    case = service.case(incident)
    assert case.actions.report == "besluit" and case.waiting.subject == "besluit"
    with pytest.raises(ValidationError, match="meld het besluit met de maatregel eerst bij de Inspectie"):
        service.close(incident)
    report = service.record_report(incident, DAY, "", _member(store))
    assert report.subject == "besluit"
    assert service.close(incident).status == "afgesloten"


def test_point_7_decision_without_a_measure_is_not_reported_and_closes(store, clock):
    run, ids = running(store, clock, count=2)
    incident = log(run, clock, "STROOMSTORING", all_=True)
    clock.set(12, 0)
    service = desk(store, clock)
    service.decide(incident, _decision(store, ids, reason="Zitting was bijna klaar; alle werk is bewaard"))
    row = service.get(incident)
    assert row.status == "besloten" and not row.to_report and row.measure_count == 0
    assert service.case(incident).actions.report is None and service.case(incident).waiting is None
    with pytest.raises(ValidationError, match="geen maatregel te nemen niet"):
        service.record_report(incident, DAY, "", _member(store))
    assert service.close(incident).status == "afgesloten"
    assert incident not in [r.incident_id for r in service.page(IncidentFilter(to_report=True), 0, 500)]


def test_institution_exam_keeps_serious_cases_with_the_commission(store, clock):
    run, ids = running(store, clock, kind="instelling")
    incident = log(run, clock, "GEHEIMHOUDING", (ids[0],))
    clock.set(12, 0)
    service = desk(store, clock)
    row = service.get(incident)
    assert row.effective_handler == "examencommissie" and row.serious and not row.to_report
    with pytest.raises(ValidationError, match="alleen voor centrale examens"):
        service.record_report(incident, DAY, "x", _member(store))
    with pytest.raises(ValidationError, match="alleen bij een centraal examen"):
        service.mark_doubtful(incident, "twijfel")
    [d] = service.decide(incident, _decision(store, [ids[0]], measures=["cijfer_1", "volgend_tijdvak"]))
    assert d.ground.startswith("examenreglement")
    assert [r.not_before_next_period for r in mine(service, ids)] == [True]


def test_inspectie_retake_creates_resits_and_letters_are_counted(store, clock):
    run, ids = running(store, clock, count=3)
    incident = log(run, clock, "GEHEIMHOUDING", (ids[0], ids[1]))
    clock.set(12, 0)
    service = desk(store, clock)
    service.record_report(incident, DAY, "EC-7", _member(store))
    with pytest.raises(ValidationError, match="niet betrokken"):
        service.record_answer(incident, "opnieuw_afnemen", DAY, "I-1", "geheel", (ids[2],))
    service.record_answer(incident, "opnieuw_afnemen", DAY, "I-1", "gedeeltelijk", (ids[0],))
    assert service.get(incident).status == "besloten"
    assert [(r.candidate_id, r.source_label, r.scope) for r in mine(service, ids)] == [
        (ids[0], "besluit Inspectie", "gedeeltelijk")]
    assert service.close(incident).status == "afgesloten"

    other = log(run, clock, "ONWEL", (ids[2],), hh=10, mm=0)
    clock.set(12, 30)
    [d] = service.decide(other, _decision(store, [ids[2]], measures=["ongeldig_opnieuw"]))
    before = next(x for x in overview_card(service.ctx).lines if "zonder brief" in x.text).text
    store.write("INSERT INTO documents (id, kind, subject_id, title, fingerprint, created_at, created_by, model, pdf)"
                " VALUES ('doc1', 'besluit', ?, 'Besluit', 'f', '2027-03-10T12:31:00+01:00', 'commissie', 'B-1', x'00')",
                (d.id,))
    after = next(x for x in overview_card(service.ctx).lines if "zonder brief" in x.text).text
    assert int(before.split()[0]) == int(after.split()[0]) + 1
    assert service.decision(d.id).has_letter


def test_filters_search_and_counts(ctx_for):
    service = IncidentDeskService(ctx_for(Role.COMMISSIE))
    counts = service.status_counts()
    assert all(counts[s] > 0 for s in counts), counts
    assert service.count(IncidentFilter()) == sum(counts.values())
    assert service.count(IncidentFilter(text="groepsapp")) == 1
    assert service.count(IncidentFilter(text="toezicht")) == 1                       # the category's name
    assert service.count(IncidentFilter(handler="inspectie")) >= 2
    assert service.count(IncidentFilter(candidate="Şahin")) == 2      # the outage (all) and unwell
    assert service.count(IncidentFilter(without_letter=True)) >= 3
    resit = next(r for r in service.candidates_with_resit() if r.candidate_name == "Elif Şahin")
    assert resit.planned_date is not None and "ingepland" in resit.status_label
    by_time = service.page(IncidentFilter(), 0, 100, sort="tijd", descending=False)
    assert [r.occurred_at for r in by_time] == sorted(r.occurred_at for r in by_time)
    by_status = [r.status for r in service.page(IncidentFilter(), 0, 100, sort="status", descending=False)]
    order = ["open", "in behandeling", "besloten", "gemeld bij Inspectie", "afgesloten", "bijzonderheid",
             "ingetrokken"]
    assert by_status == sorted(by_status, key=order.index)
    page2 = service.page(IncidentFilter(), 5, 5)
    assert [r.incident_id for r in page2] == [r.incident_id for r in service.page(IncidentFilter(), 0, 10)[5:]]


# --- every action × every role ---------------------------------------------------------------------

def _demo(service: IncidentDeskService, category: str):
    return next(r for r in service.page(IncidentFilter(), 0, 100) if r.category == category)


def _first_decision(service, category):
    return next(d for d in service.case(_demo(service, category).incident_id).decisions if d.current)


def _today(service):
    return service.ctx.clock().date()


CALLS: dict[str, tuple[Action, Callable[[IncidentDeskService, IncidentDeskService], object]]] = {
    "lijst": (Action.VIEW_INCIDENTS, lambda s, a: s.page(IncidentFilter(), 0, 10)),
    "tellingen": (Action.VIEW_INCIDENTS, lambda s, a: s.status_counts()),
    "dossier": (Action.VIEW_INCIDENTS, lambda s, a: s.case(_demo(a, "AFWEZIG_ZONDER").incident_id)),
    "herclassificeren": (Action.DECIDE_INCIDENT, lambda s, a: s.reclassify(
        _demo(a, "AFWEZIG_ZONDER").incident_id, "AFWEZIG_MET", "Toch een geldige reden")),
    "twijfelgeval": (Action.DECIDE_INCIDENT, lambda s, a: s.mark_doubtful(
        _demo(a, "WERKPLEK_VAST").incident_id, "Twijfel")),
    "melden": (Action.DECIDE_INCIDENT, lambda s, a: s.record_report(
        _demo(a, "HULPMIDDEL_PERSONEEL").incident_id, _today(a), "EC-9", a.ctx.user.id)),
    "antwoord": (Action.DECIDE_INCIDENT, lambda s, a: s.record_answer(
        _demo(a, "GEHEIMHOUDING").incident_id, "terugverwezen", _today(a), "I-9")),
    "besluiten": (Action.DECIDE_INCIDENT, lambda s, a: s.decide(
        _demo(a, "AFWEZIG_ZONDER").incident_id, DecisionInput(
            tuple(c.candidate_id for c in a.case(_demo(a, "AFWEZIG_ZONDER").incident_id).candidates), _today(a),
            (a.ctx.user.id,), no_measure_reason="Geldige reden: trein uitgevallen", reasoning="NS-verklaring"))),
    "herzien": (Action.DECIDE_INCIDENT, lambda s, a: s.revise(_first_decision(a, "ONWEL").id, DecisionInput(
        (), _today(a), (a.ctx.user.id,), no_measure_reason="Toch niet nodig", reasoning="Herzien",
        revision_reason="Nieuwe feiten"))),
    "afsluiten": (Action.DECIDE_INCIDENT, lambda s, a: s.close(_demo(a, "FRAUDE_KANDIDAAT").incident_id)),
    "heropenen": (Action.DECIDE_INCIDENT, lambda s, a: s.reopen(
        next(r for r in a.page(IncidentFilter(status="afgesloten"), 0, 10)).incident_id, "Nieuwe informatie")),
    "herkansingen": (Action.VIEW_CANDIDATES, lambda s, a: s.candidates_with_resit()),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(CALLS))
def test_service_enforces_roles_for_every_desk_action(ctx_for, role, name):
    action, call = CALLS[name]
    ctx = ctx_for(role)
    admin = IncidentDeskService(ctx_for(Role.COMMISSIE))     # finds the demo incident to act on
    service = IncidentDeskService(ctx)
    before = desk_rows(ctx.store)
    if allowed({role}, action):
        call(service, admin)
    else:
        with pytest.raises(PermissionDenied, match="mag niet"):
            call(service, admin)
        assert desk_rows(ctx.store) == before


def test_overview_card_only_for_the_commission(ctx_for):
    assert overview_card(ctx_for(Role.BUREAU)) is None
    card = overview_card(ctx_for(Role.COMMISSIE))
    texts = [line.text for line in card.lines]
    assert card.title == "Incidenten" and texts[0].endswith("open incidenten")
    assert any(t.endswith("te melden bij de Inspectie") for t in texts)
    assert not any("te laat" in t for t in texts)
    assert all(line.target.screen == ScreenKey.INCIDENTS for line in card.lines)


def test_a_decision_about_the_incident_as_a_whole_owes_no_letter(store, clock):
    """No candidate, no addressee: such a decision must not keep 'besluiten zonder brief' above zero."""
    run, _ids = running(store, clock)
    incident = log(run, clock, "STROOMSTORING")
    service = desk(store, clock)

    def letters() -> int:
        return int(next(x for x in overview_card(service.ctx).lines if "zonder brief" in x.text).text.split()[0])

    before = letters()
    [d] = service.decide(incident, _decision(store, [], reason="De stroom kwam na een minuut terug."))
    assert d.candidate_id is None and not d.has_letter
    assert letters() == before
    assert incident not in [r.incident_id for r in service.page(IncidentFilter(without_letter=True), 0, 500)]
