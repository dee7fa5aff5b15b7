"""Who may use which product (seed 002), school years, route choices, input checks."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.domain.errors import ValidationError
from examdesk.domain.register import (
    Instrument,
    RouteChoice,
    TargetGroup,
    may_use,
    normalise_crebo,
    normalise_kind,
    parse_niveau,
    parse_route,
    route_mismatch,
    school_year_of,
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


def test_route_choice_needs_considerations_for_route_2_or_3():
    assert validate_route_choice([1], "", date(2026, 9, 1), date(2026, 9, 2), "2026-2027") == (frozenset({1}), "")
    with pytest.raises(ValidationError, match="afwegingen"):
        validate_route_choice([1, 2], "  ", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="Route 4 bestaat niet"):
        validate_route_choice([4], "x", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="minstens één route"):
        validate_route_choice([], "x", date(2026, 9, 1), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="toekomst"):
        validate_route_choice([1], "", date(2026, 9, 3), date(2026, 9, 2), "2026-2027")
    with pytest.raises(ValidationError, match="Schooljaar"):
        validate_route_choice([1], "", date(2026, 9, 1), date(2026, 9, 2), "2026-2028")


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
