"""The incident catalogue against the examenprotocol's table (points 6–10), the Beleidsregel and art. 12."""

from __future__ import annotations

import json

import pytest

from examdesk.domain.catalogue import default_catalogue, parse_catalogue
from examdesk.domain.errors import ValidationError
from examdesk.paths import resource

# The examenprotocol table: point → (handler, decision also to the Inspectie)
PROTOCOL = {6: ("examencommissie", False), 7: ("examencommissie", True), 8: ("examencommissie", False),
            9: ("inspectie", False), 10: ("inspectie", False)}

REQUIRED = {
    "ONWEL": (6, None), "WERKPLEK_VAST": (6, None), "PLATFORM_STORING": (7, None), "STROOMSTORING": (7, None),
    "ONTRUIMING": (7, None), "GELUIDSOVERLAST": (7, None), "TE_LAAT": (8, None), "AFWEZIG_ZONDER": (8, None),
    "AFWEZIG_MET": (6, None), "FRAUDE_KANDIDAAT": (8, "a"), "HULPMIDDEL_PERSONEEL": (10, "a"),
    "GEHEIMHOUDING": (9, "b"), "TOEZICHT": (10, "c"), "TE_VEEL_TIJD": (10, "d"), "WERK_GEWIJZIGD": (10, "e"),
    "CIJFER_ONJUIST": (10, "f"), "GROOTSCHALIGE_FRAUDE": (10, None), "NIET_GESTART": (None, None),
    "OVERIG": (10, None),
}


def test_every_category_of_the_issue_is_there_with_its_point_and_letter():
    cat = default_catalogue()
    assert cat.version == "2026.1"
    for code, (point, letter) in REQUIRED.items():
        c = cat.get(code)
        assert (c.protocol_point, c.letter) == (point, letter), code
        assert c.description and c.examples


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_central_exam_routes_follow_the_protocol_table(code):
    cat = default_catalogue()
    route = cat.route(code, "centraal")
    point = cat.get(code).protocol_point
    if point is None:
        assert route.handler == "minister"
        assert "Minister" in route.handler_label and "12" in route.handler_label
    else:
        handler, to_inspectie = PROTOCOL[point]
        assert route.handler == handler
        assert route.decision_to_inspectie == to_inspectie
    assert not route.serious


def test_institution_exam_keeps_inspectie_categories_with_the_commission_marked_serious():
    cat = default_catalogue()
    secrecy = cat.route("GEHEIMHOUDING", "instelling")
    assert secrecy.handler == "examencommissie" and secrecy.serious
    assert "bestuur" in secrecy.note and "Inspectie" in secrecy.note
    assert secrecy.sentence.startswith("→ examencommissie (protocol 9, Beleidsregel art. 2 lid 1 onder b)")
    outage = cat.route("STROOMSTORING", "instelling")
    assert outage.handler == "examencommissie" and not outage.serious and not outage.decision_to_inspectie
    assert cat.route("NIET_GESTART", "instelling").handler == "examencommissie"
    assert cat.route("ONWEL", "centraal").sentence == "→ examencommissie (protocol 6)"
    assert cat.route("GEHEIMHOUDING", "centraal").handler_label == "melden bij de Inspectie"


def test_type_to_filter_and_quick_keys():
    cat = default_catalogue()
    assert [c.code for c in cat.search("onwel")] == ["ONWEL"]
    assert "STROOMSTORING" in [c.code for c in cat.search("stroom")]
    assert "FRAUDE_KANDIDAAT" in [c.code for c in cat.search("telefoon")]
    assert cat.quick(1).code == "ONWEL"


def test_a_catalogue_that_breaks_the_protocol_is_refused():
    raw = json.loads(resource("incident_catalogue.json").read_text(encoding="utf-8"))
    raw["categories"][0]["handler"] = "inspectie"        # ONWEL is point 6: the commission's
    with pytest.raises(ValidationError, match="protocolpunt 6 wordt door de examencommissie"):
        parse_catalogue(raw)
    raw = json.loads(resource("incident_catalogue.json").read_text(encoding="utf-8"))
    raw["categories"][0]["letter"] = "g"
    with pytest.raises(ValidationError, match="letter 'g'"):
        parse_catalogue(raw)
