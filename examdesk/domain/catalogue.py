"""The incident catalogue (resources/incident_catalogue.json) and the handling route of an incident.

Every category carries its **ground**: the sentences of the examenprotocol (points 6–17) or the
Beleidsregel (art. 2(1), its toelichting) it rests on, quoted word for word with their place, so a
commission member can read the source beside ExamDesk (`tests/domain/test_catalogue.py` checks each
quote against the source text).

The route depends on the category *and* the kind of exam: the examenprotocol and the Beleidsregel
are written for central exams. For an institution exam the commission handles everything itself
under the examenreglement; a category that would go to the Inspectie (or the Minister) stays with
the commission, marked serious, with the note from the catalogue.

A *bijzonderheid* (examenprotocol point 11 b/c: noise that broke off nobody's exam, a late arrival
within the admission limit, an absence with a valid reason) is recorded on the procesverbaal and asks
for no decision: its handler is ``procesverbaal`` for both kinds of exam.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from examdesk.domain.errors import ValidationError
from examdesk.domain.session_state import INCIDENT_STATUSES

HANDLERS = ("examencommissie", "inspectie", "minister", "procesverbaal")
PARTICULAR = "procesverbaal"                  # the handler of a bijzonderheid: recorded, not decided
PARTICULAR_LETTERS = ("b", "c")               # examenprotocol point 11: b. absent/late/unwell, c. particulars
LETTERS = ("a", "b", "c", "d", "e", "f")
EXAM_KINDS = ("instelling", "centraal")
CANDIDATE_STATUSES = INCIDENT_STATUSES        # what a category may set (`session_state`)


@dataclass(frozen=True)
class Ground:
    """One sentence of a source a category rests on, quoted word for word ('…' marks an omission)."""

    source: str                     # the catalogue's key of the source (examenprotocol, beleidsregel)
    source_title: str
    where: str                      # 'punt 6', 'artikel 2, eerste lid, onder c'
    text: str

    @property
    def citation(self) -> str:
        """'Examenprotocol punt 6: “Deze onregelmatigheden …”'."""
        name = "Examenprotocol" if self.source == "examenprotocol" else "Beleidsregel"
        return f"{name} {self.where}: “{self.text}”"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    description: str
    examples: tuple[str, ...]
    protocol_point: int | None
    letter: str | None
    handler: str
    decision_to_inspectie: bool
    sets_status: str | None = None
    quick_key: int | None = None
    particular: str | None = None   # 'b' or 'c': a bijzonderheid of examenprotocol point 11
    ground: tuple[Ground, ...] = ()

    @property
    def label(self) -> str:
        if self.particular:
            return f"{self.name} (11{self.particular})"
        point = f" ({self.protocol_point})" if self.protocol_point else ""
        return f"{self.name}{point}"

    @property
    def ground_text(self) -> str:
        """The ground as the screen shows it beside the route: each quoted sentence with its place."""
        return " ".join(g.citation for g in self.ground)


@dataclass(frozen=True)
class HandlingRoute:
    """Who handles an incident, as it stood when the incident was recorded (kept with the event)."""

    handler: str                    # examencommissie | inspectie | minister
    handler_label: str              # Dutch, for the screen
    protocol_point: int | None
    letter: str | None              # Beleidsregel art. 2(1) letter, a–f
    decision_to_inspectie: bool     # point 7: the commission's decision is also reported to the Inspectie
    serious: bool                   # institution exam: would have gone to the Inspectie or the Minister
    note: str = ""

    @property
    def particular(self) -> bool:
        """A bijzonderheid: on the procesverbaal, no decision."""
        return self.handler == PARTICULAR

    @property
    def sentence(self) -> str:
        """'→ examencommissie (protocol 6)': what the incident form shows at once."""
        if self.particular:
            return f"→ {self.handler_label} (protocol 11), geen besluit nodig"
        parts = []
        if self.protocol_point:
            parts.append(f"protocol {self.protocol_point}")
        if self.letter:
            parts.append(f"Beleidsregel art. 2 lid 1 onder {self.letter}")
        detail = f" ({', '.join(parts)})" if parts else ""
        text = f"→ {self.handler_label}{detail}"
        if self.serious:
            text += " · ernstig"
        if self.decision_to_inspectie:
            text += " · besluit ook naar de Inspectie"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "handler": self.handler, "handler_label": self.handler_label, "protocol_point": self.protocol_point,
            "letter": self.letter, "decision_to_inspectie": self.decision_to_inspectie, "serious": self.serious,
            "note": self.note,
        }


@dataclass(frozen=True)
class Catalogue:
    version: str
    title: str
    handler_labels: dict[str, str]
    sources: dict[str, str]
    institution_note: str
    institution_minister_note: str
    categories: tuple[Category, ...]

    def get(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise ValidationError(f"Onbekende incidentcategorie '{code}' (catalogus versie {self.version}).")

    def search(self, text: str) -> list[Category]:
        """Type-to-filter: every word must occur in the code, name, description or an example."""
        words = text.lower().split()
        if not words:
            return list(self.categories)
        found = []
        for c in self.categories:
            hay = " ".join((c.code, c.name, c.description, *c.examples)).lower()
            if all(w in hay for w in words):
                found.append(c)
        return found

    def quick(self, key: int) -> Category | None:
        return next((c for c in self.categories if c.quick_key == key), None)

    def route(self, code: str, exam_kind: str) -> HandlingRoute:
        if exam_kind not in EXAM_KINDS:
            raise ValidationError(f"Onbekende soort examen '{exam_kind}'.")
        c = self.get(code)
        if exam_kind == "centraal" or c.handler in ("examencommissie", PARTICULAR):
            return HandlingRoute(
                handler=c.handler, handler_label=self.handler_labels[c.handler], protocol_point=c.protocol_point,
                letter=c.letter, decision_to_inspectie=c.decision_to_inspectie and exam_kind == "centraal",
                serious=False,
            )
        note = self.institution_minister_note if c.handler == "minister" else self.institution_note
        return HandlingRoute(
            handler="examencommissie", handler_label=self.handler_labels["examencommissie"],
            protocol_point=c.protocol_point, letter=c.letter, decision_to_inspectie=False, serious=True, note=note,
        )


def _fail(message: str) -> ValidationError:
    return ValidationError(f"De incidentcatalogus is ongeldig: {message}")


def _ground(code: str, raw: Any, sources: dict[str, str]) -> tuple[Ground, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(f"{code}: de grond (de bronzin met haar vindplaats) ontbreekt.")
    found = []
    for item in raw:
        if not isinstance(item, dict) or item.get("source") not in sources:
            raise _fail(f"{code}: de grond noemt een onbekende bron.")
        where, text = item.get("where"), item.get("text")
        if not isinstance(where, str) or not where.strip() or not isinstance(text, str) or not text.strip():
            raise _fail(f"{code}: de grond heeft geen vindplaats of geen tekst.")
        found.append(Ground(item["source"], sources[item["source"]], where, text))
    return tuple(found)


def parse_catalogue(raw: dict[str, Any]) -> Catalogue:
    """Checks every rule the routing relies on; a broken catalogue is refused as a whole."""
    if raw.get("format") != 2:
        raise _fail("onbekend formaat (verwacht 2).")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise _fail("de versie ontbreekt.")
    labels = raw.get("handlers", {})
    if set(labels) != set(HANDLERS):
        raise _fail(f"de behandelaars moeten precies {', '.join(HANDLERS)} zijn.")
    sources = raw.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise _fail("de bronnen ontbreken.")
    categories: list[Category] = []
    seen_codes: set[str] = set()
    seen_keys: set[int] = set()
    for item in raw.get("categories", []):
        code = item.get("code", "")
        if not code or code in seen_codes:
            raise _fail(f"categoriecode '{code}' ontbreekt of komt twee keer voor.")
        seen_codes.add(code)
        point = item.get("protocol_point")
        if point is not None and point not in (6, 7, 8, 9, 10):
            raise _fail(f"{code}: protocolpunt {point} bestaat niet (6 tot en met 10).")
        letter = item.get("letter")
        if letter is not None and letter not in LETTERS:
            raise _fail(f"{code}: Beleidsregel-letter '{letter}' bestaat niet (a tot en met f).")
        handler = item.get("handler")
        if handler not in HANDLERS:
            raise _fail(f"{code}: onbekende behandelaar '{handler}'.")
        if point in (6, 7, 8) and handler != "examencommissie":
            raise _fail(f"{code}: protocolpunt {point} wordt door de examencommissie afgehandeld.")
        if point in (9, 10) and handler != "inspectie":
            raise _fail(f"{code}: protocolpunt {point} moet bij de Inspectie worden gemeld.")
        particular = item.get("particular")
        if (particular is not None) != (handler == PARTICULAR):
            raise _fail(f"{code}: een bijzonderheid (punt 11b of 11c) en alleen die staat alleen op het "
                        "procesverbaal.")
        if particular is not None and (particular not in PARTICULAR_LETTERS or point is not None or letter):
            raise _fail(f"{code}: een bijzonderheid is punt 11b of 11c, zonder protocolpunt 6–10 of "
                        "Beleidsregel-letter.")
        if point is None and handler not in ("minister", PARTICULAR):
            raise _fail(f"{code}: zonder protocolpunt kan alleen de Minister beslissen (art. 12).")
        if item.get("decision_to_inspectie") and point != 7:
            raise _fail(f"{code}: alleen bij collectieve overmacht (punt 7) gaat het besluit naar de Inspectie.")
        status = item.get("sets_status")
        if status is not None and status not in CANDIDATE_STATUSES:
            raise _fail(f"{code}: onbekende kandidaatstatus '{status}'.")
        key = item.get("quick_key")
        if key is not None:
            if key in seen_keys or not 1 <= key <= 9:
                raise _fail(f"{code}: sneltoets {key} is ongeldig of dubbel.")
            seen_keys.add(key)
        for field in ("name", "description"):
            if not str(item.get(field, "")).strip():
                raise _fail(f"{code}: '{field}' is leeg.")
        categories.append(Category(
            code=code, name=item["name"], description=item["description"],
            examples=tuple(item.get("examples", [])), protocol_point=point, letter=letter, handler=handler,
            decision_to_inspectie=bool(item.get("decision_to_inspectie")), sets_status=status, quick_key=key,
            particular=particular, ground=_ground(code, item.get("ground"), sources),
        ))
    if not categories:
        raise _fail("er staan geen categorieën in.")
    return Catalogue(
        version=version, title=raw.get("title", ""), handler_labels=dict(labels), sources=dict(sources),
        institution_note=raw.get("institution_exam_note", ""),
        institution_minister_note=raw.get("institution_exam_minister_note", ""), categories=tuple(categories),
    )


def load_catalogue(path: Path) -> Catalogue:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"{path} kan niet worden gelezen ({exc}).") from exc
    return parse_catalogue(raw)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    from examdesk.paths import resource

    return load_catalogue(resource("incident_catalogue.json"))
