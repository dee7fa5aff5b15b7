"""The incident catalogue, category by category, against the sources: examenprotocol points 6–17, the
Beleidsregel (art. 2(1) and its toelichting) and art. 12 — each category with its ground (quoted word for
word from the source, checked here against the source text) and its route for both kinds of exam."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from examdesk.domain.catalogue import default_catalogue, parse_catalogue
from examdesk.domain.errors import ValidationError
from examdesk.paths import resource

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
SOURCE_FILES = {
    "examenprotocol": SOURCES / "examenprotocol_centrale_examinering_mbo_2015_BWBR0036416.md",
    "beleidsregel": SOURCES / "beleidsregel_niet_op_regelmatige_wijze_afnemen_ce_mbo_2014.txt",
}

# code → (protocol point, Beleidsregel letter, point-11 letter of a bijzonderheid, where the ground is,
#         central route handler, decision also to the Inspectie (central), institution route handler, serious)
# Each row is what the source says: the sentence is quoted in the catalogue's ground and checked below.
TABLE = {
    # point 6: "situaties ten gevolge van overmacht die ertoe leiden dat een individuele deelnemer of een aantal
    # deelnemers de zitting niet kan afmaken" — the protocol's own examples: unwell, a few frozen computers
    "ONWEL": (6, None, None, "punt 6", "examencommissie", False, "examencommissie", False),
    "WERKPLEK_VAST": (6, None, None, "punt 6", "examencommissie", False, "examencommissie", False),
    # point 7: "een complete zitting voortijdig wordt afgebroken" — the decision taking the measure goes to the
    # Inspectie (central exam only)
    "PLATFORM_STORING": (7, None, None, "punt 7", "examencommissie", True, "examencommissie", False),
    "STROOMSTORING": (7, None, None, "punt 7", "examencommissie", True, "examencommissie", False),
    "ONTRUIMING": (7, None, None, "punt 7", "examencommissie", True, "examencommissie", False),
    "KLIMAAT": (7, None, None, "punt 7", "examencommissie", True, "examencommissie", False),
    # point 11: bijzonderheden and who was absent or late are recorded, not decided
    "ONDERBREKING": (None, None, "c", "punt 11c", "procesverbaal", False, "procesverbaal", False),
    "GELUIDSOVERLAST": (None, None, "c", "punt 11c", "procesverbaal", False, "procesverbaal", False),
    "TE_LAAT": (None, None, "b", "punt 11b", "procesverbaal", False, "procesverbaal", False),
    "AFWEZIG_MET": (None, None, "b", "punt 11b", "procesverbaal", False, "procesverbaal", False),
    # point 8: by a candidate, no overmacht
    "AFWEZIG_ZONDER": (8, None, None, "punt 8A", "examencommissie", False, "examencommissie", False),
    "FRAUDE_KANDIDAAT": (8, "a", None, "punt 8A", "examencommissie", False, "examencommissie", False),
    # point 9 and 10: the Inspectie's (at an institution exam the commission's, serious)
    "GEHEIMHOUDING": (9, "b", None, "punt 9A", "inspectie", False, "examencommissie", True),
    "HULPMIDDEL_PERSONEEL": (10, "a", None, "punt 10", "inspectie", False, "examencommissie", True),
    "TOEZICHT": (10, "c", None, "artikel 2, eerste lid, onder c", "inspectie", False, "examencommissie", True),
    "TE_VEEL_TIJD": (10, "d", None, "artikel 2, eerste lid, onder d", "inspectie", False, "examencommissie", True),
    "WERK_GEWIJZIGD": (10, "e", None, "artikel 2, eerste lid, onder e", "inspectie", False, "examencommissie",
                       True),
    "CIJFER_ONJUIST": (10, "f", None, "artikel 2, eerste lid, onder f", "inspectie", False, "examencommissie",
                       True),
    "GROOTSCHALIGE_FRAUDE": (10, None, None, "toelichting, verhouding tot het examenprotocol", "inspectie", False,
                             "examencommissie", True),
    "OVERIG": (10, None, None, "punt 10", "inspectie", False, "examencommissie", True),
    # art. 12: the exam could not start at all — the Minister
    "NIET_GESTART": (None, None, None, "toelichting, verhouding tussen artikel 11 en artikel 12", "minister", False,
                     "examencommissie", True),
}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_catalogue_holds_exactly_the_reviewed_categories():
    cat = default_catalogue()
    assert cat.version == "2026.2"
    assert {c.code for c in cat.categories} == set(TABLE)


@pytest.mark.parametrize("code", sorted(TABLE))
def test_each_category_has_its_point_letter_and_ground(code):
    point, letter, particular, where, *_ = TABLE[code]
    c = default_catalogue().get(code)
    assert (c.protocol_point, c.letter, c.particular) == (point, letter, particular)
    assert c.description and c.examples
    assert where in [g.where for g in c.ground]
    assert c.ground_text.count("“") == len(c.ground)


@pytest.mark.parametrize("code", sorted(TABLE))
def test_each_ground_is_quoted_word_for_word_from_its_source(code):
    """'…' marks an omission: the fragments stand in the source in this order."""
    for ground in default_catalogue().get(code).ground:
        source = _normalised(SOURCE_FILES[ground.source].read_text(encoding="utf-8"))
        position = 0
        for fragment in ground.text.split("…"):
            fragment = _normalised(fragment).strip()
            found = source.find(fragment, position)
            assert found >= 0, f"{code} {ground.where}: not in the {ground.source}: {fragment[:60]!r}"
            position = found + len(fragment)


@pytest.mark.parametrize("code", sorted(TABLE))
@pytest.mark.parametrize("exam_kind", ["centraal", "instelling"])
def test_each_category_routes_as_the_sources_say_for_both_kinds_of_exam(code, exam_kind):
    point, letter, particular, _where, central, to_inspectie, institution, serious = TABLE[code]
    route = default_catalogue().route(code, exam_kind)
    if exam_kind == "centraal":
        assert (route.handler, route.decision_to_inspectie, route.serious) == (central, to_inspectie, False)
    else:
        assert (route.handler, route.decision_to_inspectie, route.serious) == (institution, False, serious)
    assert (route.protocol_point, route.letter) == (point, letter)
    assert route.particular == (particular is not None)
    if particular:
        assert "geen besluit" in route.sentence


def test_institution_exam_keeps_inspectie_categories_with_the_commission_marked_serious():
    cat = default_catalogue()
    secrecy = cat.route("GEHEIMHOUDING", "instelling")
    assert "bestuur" in secrecy.note and "Inspectie" in secrecy.note
    assert secrecy.sentence.startswith("→ examencommissie (protocol 9, Beleidsregel art. 2 lid 1 onder b)")
    assert cat.route("ONWEL", "centraal").sentence == "→ examencommissie (protocol 6)"
    assert cat.route("GEHEIMHOUDING", "centraal").handler_label == "melden bij de Inspectie"
    assert cat.route("GELUIDSOVERLAST", "centraal").sentence == (
        "→ bijzonderheid op het procesverbaal (protocol 11), geen besluit nodig")


def test_type_to_filter_and_quick_keys():
    cat = default_catalogue()
    assert [c.code for c in cat.search("onwel")] == ["ONWEL"]
    assert "STROOMSTORING" in [c.code for c in cat.search("stroom")]
    assert "FRAUDE_KANDIDAAT" in [c.code for c in cat.search("telefoon")]
    assert cat.quick(1).code == "ONWEL"
    assert cat.quick(6).code == "ONDERBREKING"


def _raw() -> dict:
    return json.loads(resource("incident_catalogue.json").read_text(encoding="utf-8"))


def _category(raw: dict, code: str) -> dict:
    return next(c for c in raw["categories"] if c["code"] == code)


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: _category(raw, "ONWEL").update(handler="inspectie"), "protocolpunt 6 wordt door de examencommissie"),
    (lambda raw: _category(raw, "ONWEL").update(letter="g"), "letter 'g'"),
    (lambda raw: _category(raw, "ONWEL").update(ground=[]), "ONWEL: de grond"),
    (lambda raw: _category(raw, "ONWEL").update(ground=[{"source": "wikipedia", "where": "x", "text": "y"}]),
     "onbekende bron"),
    (lambda raw: _category(raw, "GELUIDSOVERLAST").update(handler="examencommissie"), "bijzonderheid"),
    (lambda raw: _category(raw, "GELUIDSOVERLAST").update(particular="d"), "punt 11b of 11c"),
    (lambda raw: _category(raw, "ONWEL").update(particular="c"), "bijzonderheid"),
    (lambda raw: _category(raw, "GELUIDSOVERLAST").update(decision_to_inspectie=True), "punt 7"),
    (lambda raw: raw.update(format=1), "formaat"),
])
def test_a_catalogue_that_breaks_the_sources_is_refused(change, message):
    raw = _raw()
    change(raw)
    with pytest.raises(ValidationError, match=message):
        parse_catalogue(raw)
