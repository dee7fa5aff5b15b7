"""Who may use which product (seed 002), school years, route choices, input checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from examdesk.domain.errors import ValidationError
from examdesk.domain.register import (
    Assignments,
    Criterion,
    CriterionCheck,
    Instrument,
    RouteChoice,
    RouteException,
    Status,
    StatusEntry,
    Supplier,
    TargetGroup,
    Transition,
    check_transition,
    may_use,
    normalise_crebo,
    normalise_kind,
    parse_niveau,
    parse_route,
    route_mismatch,
    route_refusal,
    school_year_of,
    target_group_rule_applies,
    validate_route_choice,
)

# group → niveau → (formative allowed, summative allowed)
TABLE = {
    "regulier":       {1: (True, True), 2: (True, True), 3: (True, True), 4: (True, True)},
    "extraneus":      {1: (True, True), 2: (True, True), 3: (True, True), 4: (True, True)},
    "vmbo":           {1: (False, False), 2: (False, False), 3: (False, False), 4: (False, False)},
    "ISK":            {1: (True, False), 2: (False, False), 3: (False, False), 4: (False, False)},
    "Onderwijsroute": {1: (True, True), 2: (True, True), 3: (True, True), 4: (True, True)},
}


@pytest.mark.parametrize("group,niveau,formative", [
    (g, n, f) for g in TABLE for n in (1, 2, 3, 4) for f in (True, False)])
def test_target_group_table(group, niveau, formative):
    allowed, reason = may_use(group, niveau, formative)
    expected = TABLE[group][niveau][0 if formative else 1]
    assert allowed is expected
    assert reason.startswith("Toegestaan" if expected else "Niet toegestaan") and reason.endswith(".")


def test_target_group_reasons_say_why():
    assert "extraneus" in may_use("vmbo", 2, False)[1]
    assert "formatieve Entree" in may_use(TargetGroup.ISK, 2, True)[1]
    assert "summatief" in may_use("ISK", 1, False)[1]


def test_unknown_group_or_niveau_is_refused():
    with pytest.raises(ValidationError, match="Onbekende doelgroep"):
        may_use("havo", 2, True)
    with pytest.raises(ValidationError, match="Niveau 7 bestaat niet"):
        may_use("regulier", 7, True)


@pytest.mark.parametrize("day,year", [(date(2026, 7, 31), "2025-2026"), (date(2026, 8, 1), "2026-2027"),
                                      (date(2027, 1, 15), "2026-2027")])
def test_school_year(day, year):
    assert school_year_of(day) == year


def test_route_choice_needs_considerations_for_every_route():
    """Seed 000 §5: 'Gemaakte afwegingen en keuzes zijn tot op het niveau van de kwalificatie en
    mbo-certificaat herleidbaar' — for route 1 too."""
    assert validate_route_choice([1], " Aanbod X ", date(2026, 7, 1), date(2026, 9, 2), "2026-2027") == (
        frozenset({1}), "Aanbod X")
    with pytest.raises(ValidationError, match="ook bij route 1 moeten afwegingen en keuzes herleidbaar zijn"):
        validate_route_choice([1], "", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="afwegingen"):
        validate_route_choice([1, 2], "  ", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="Route 4 bestaat niet"):
        validate_route_choice([4], "x", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="minstens één route"):
        validate_route_choice([], "x", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="toekomst"):
        validate_route_choice([1], "x", date(2026, 9, 3), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="Schooljaar"):
        validate_route_choice([1], "x", date(2026, 9, 1), date(2026, 9, 2), "2026-2028")


def test_a_route_choice_recorded_late_or_without_considerations_is_flagged():
    on_time = RouteChoice("25491", "2026-2027", frozenset({1}), "Aanbod X.", "M. de Vries", date(2026, 7, 31))
    assert on_time.signals == ()
    late = RouteChoice("25491", "2026-2027", frozenset({1}), "Aanbod X.", "M. de Vries", date(2026, 8, 2))
    assert late.signals == ("De routekeuze is vastgesteld op 02-08-2026, na de start van schooljaar 2026-2027 "
                            "(01-08-2026); de keuze hoort vóór de inzet van instrumenten.",)
    legacy = RouteChoice("25491", "2026-2027", frozenset({1}), "", "M. de Vries", date(2026, 7, 1))
    assert legacy.signals[0].startswith("De routekeuze voor 2026-2027 heeft geen afwegingen")


CHOICE = RouteChoice("25491", "2026-2027", frozenset({1}), "Aanbod X.", "M. de Vries", date(2026, 7, 1))
OWN = Instrument("i", "VIG-CGI", "T", "25491", "", "cgi", False, 2)
BOUGHT = Instrument("j", "VIG-PVB", "T", "25491", "", "pvb", False, 1, "s1")
EXCEPTION = RouteException("i", "2026-2027", "Geen aanbod voor dit werkproces.", "M. de Vries", date(2026, 9, 1))


@pytest.mark.parametrize("instrument,choice,exception,on,refused", [
    (BOUGHT, CHOICE, None, date(2026, 10, 1), None),
    (OWN, CHOICE, None, date(2026, 10, 1), "VIG-CGI: Route 2 is niet gekozen voor crebo 25491 in schooljaar 2026-2027"),
    (OWN, None, None, date(2026, 10, 1), "Voor crebo 25491 is voor schooljaar 2026-2027 geen routekeuze vastgelegd"),
    (BOUGHT, replace(CHOICE, adopted_on=date(2026, 10, 2)), None, date(2026, 10, 1),
     "De routekeuze voor crebo 25491 (2026-2027) is pas op 02-10-2026 vastgesteld, na de datum van deze afname"),
    (OWN, CHOICE, EXCEPTION, date(2026, 10, 1), None),          # the commission decided to deviate
    (OWN, None, EXCEPTION, date(2026, 10, 1), None),
    (OWN, CHOICE, EXCEPTION, date(2026, 8, 20), "Route 2 is niet gekozen"),   # the deviation came later
])
def test_route_choice_used_in_planning(instrument, choice, exception, on, refused):
    reason = route_refusal(instrument, choice, exception, on)
    if refused is None:
        assert reason is None
    else:
        assert refused in reason and reason.endswith("De examencommissie kan een afwijking vastleggen met een reden "
                                                      "(Register → instrument → Afwijking routekeuze).")


@pytest.mark.parametrize("route,cooperative,applies", [
    (1, True, True), (1, False, False), (2, False, False), (3, False, False)])
def test_seed_002_applies_to_the_cooperatives_products_only(route, cooperative, applies):
    instrument = replace(BOUGHT, route=route, supplier_id="s1" if route == 1 else None)
    supplier = Supplier("s1", "Coöperatie Examens MBO" if cooperative else "Examenhuis", cooperative=cooperative)
    assert target_group_rule_applies(instrument, supplier if route == 1 else None) is applies


REGISTERED = StatusEntry(1, "i", Status.CONCEPT, date(2026, 3, 1))
ADOPTED = StatusEntry(2, "i", Status.ADOPTED, date(2026, 3, 10), "EC-1")
CHANGED = StatusEntry(3, "i", Status.CHANGED, date(2026, 6, 1), reason="herschreven")
ALL_MET = [CriterionCheck("i", c, True, "A. Vaststeller", date(2026, 3, 5)) for c in Criterion]
ALL_MET_AGAIN = [CriterionCheck("i", c, True, "A. Vaststeller", date(2026, 6, 5)) for c in Criterion]
FIXED_OWN = replace(OWN, assignments=Assignments.FIXED)
FREE_OWN = replace(OWN, assignments=Assignments.REPLACEABLE)


@pytest.mark.parametrize("instrument,history,step,criteria,refusal", [
    # no back-dated validity
    (FIXED_OWN, [REGISTERED], Transition(Status.ADOPTED, date(2026, 2, 20), "EC-1"), ALL_MET,
     "De vaststelling (20-02-2026) ligt vóór de registratie van VIG-CGI (01-03-2026)"),
    # route 2: the criteria of bijlage 2 before adoption
    (FIXED_OWN, [REGISTERED], Transition(Status.ADOPTED, date(2026, 3, 10), "EC-1"), ALL_MET[:4],
     "VIG-CGI (route 2) kan nog niet worden vastgesteld: deze criteria van bijlage 2 zijn niet als voldaan "
     "vastgelegd: A5 constructeurs en vaststellers hebben inhoudelijke expertise en handelen professioneel; B "
     "constructeurs en vaststellers zijn aantoonbaar deskundig (bijlage 2 B)."),
    (FIXED_OWN, [REGISTERED], Transition(Status.ADOPTED, date(2026, 3, 10), "EC-1"), ALL_MET, None),
    # a fixed assignment, changed: re-adoption alone is not enough; a replaceable one may be re-adopted
    (FIXED_OWN, [REGISTERED, ADOPTED, CHANGED], Transition(Status.ADOPTED, date(2026, 6, 10), "EC-2"), ALL_MET,
     "niet als voldaan vastgelegd na de wijziging van 01-06-2026"),
    (FIXED_OWN, [REGISTERED, ADOPTED, CHANGED], Transition(Status.ADOPTED, date(2026, 6, 10), "EC-2"),
     ALL_MET + ALL_MET_AGAIN, None),
    (replace(BOUGHT, purchased_on=date(2026, 3, 1)), [REGISTERED, ADOPTED, CHANGED],
     Transition(Status.ADOPTED, date(2026, 6, 10), "EC-2"), (),
     "VIG-PVB heeft een vaste examenopdracht en is op 01-06-2026 gewijzigd; opnieuw vaststellen alleen maakt het "
     "niet weer valide"),
    (replace(BOUGHT, purchased_on=date(2026, 6, 3)), [REGISTERED, ADOPTED, CHANGED],
     Transition(Status.ADOPTED, date(2026, 6, 10), "EC-2"), (), None),
    (FREE_OWN, [REGISTERED, ADOPTED, CHANGED], Transition(Status.ADOPTED, date(2026, 6, 10), "EC-2"), ALL_MET, None),
    # onder voorbehoud only where the school may replace assignments — on any route
    (FIXED_OWN, [REGISTERED, ADOPTED], Transition(Status.PROVISIONAL, date(2026, 6, 1), reason="opdracht 2"), (),
     "VIG-CGI heeft een vaste examenopdracht; opdrachten vervangen is dan een wijziging"),
    (FREE_OWN, [REGISTERED, ADOPTED], Transition(Status.PROVISIONAL, date(2026, 6, 1), reason="opdracht 2"), (), None),
    (FREE_OWN, [REGISTERED], Transition(Status.PROVISIONAL, date(2026, 6, 1), reason="opdracht 2"), (),
     "is niet vastgesteld"),
])
def test_status_steps_follow_seed_000(instrument, history, step, criteria, refusal):
    if refusal is None:
        assert check_transition(instrument, history, step, date(2026, 12, 1), criteria).status is step.status
    else:
        with pytest.raises(ValidationError) as caught:
            check_transition(instrument, history, step, date(2026, 12, 1), criteria)
        assert refusal in caught.value.message


def test_route_mismatch_flag():
    inst = Instrument("i", "C", "T", "25491", "", "portfolio", False, 2)
    choice = RouteChoice("25491", "2026-2027", frozenset({1}), "", "M. de Vries", date(2026, 9, 1))
    assert "Route 2 is niet gekozen" in route_mismatch(inst, choice)
    assert route_mismatch(inst, None) is None
    assert route_mismatch(inst, RouteChoice("25491", "2026-2027", frozenset({1, 2}), "x", "M", date(2026, 9, 1))) is None


@pytest.mark.parametrize("raw,crebo", [("25080", "25080"), ("25.080", "25080"), (25080, "25080"),
                                       (25080.0, "25080"), (" 25 080 ", "25080")])
def test_crebo_normalised(raw, crebo):
    assert normalise_crebo(raw) == crebo


@pytest.mark.parametrize("raw,message", [("2508", "4 cijfers"), ("250801", "6 cijfers"), ("25O80", "geen getal"),
                                         ("", "Vul de crebo in"), (2508.5, "geen getal")])
def test_bad_crebo(raw, message):
    with pytest.raises(ValidationError, match=message):
        normalise_crebo(raw)


def test_niveau_route_and_kind():
    assert parse_niveau("Entree") == 1 and parse_niveau(4.0) == 4
    with pytest.raises(ValidationError, match="Niveau 7 bestaat niet"):
        parse_niveau("7")
    assert parse_route("route 3") == 3
    with pytest.raises(ValidationError, match="Route 4 bestaat niet"):
        parse_route(4)
    assert normalise_kind("PVB") == "proeve van bekwaamheid"
    assert normalise_kind("CGI") == "criteriumgericht interview"
    with pytest.raises(ValidationError, match="Onbekende soort"):
        normalise_kind("toverspreuk")
