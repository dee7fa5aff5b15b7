"""The decision letter (besluit) to a candidate: the incident, the protocol point of *its* case (6, 7, 8 with
the measure's letter), who decided and when, and the appeal route that fits the case, counted from the day
the letter is sent (`domain/decision_letters`). When the candidate was a minor on the decision date a second
copy follows, marked for the legal representatives; when the birth date is unknown the commission is asked
first (`ready`), never silently answered 'no'."""

from __future__ import annotations

from typing import Any

from examdesk.data import casework as casework_data
from examdesk.data import incident_desk as desk_data
from examdesk.data import reports as report_data
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.data.search import match_query as search_query
from examdesk.domain.casework import found_line, hearing_before
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_datetime, format_time, from_iso, parse_date
from examdesk.domain.decision_letters import letter_basis
from examdesk.domain.errors import NotFound
from examdesk.domain.incident_desk import Decision, Measure, point_title
from examdesk.domain.session_events import FoundIncidentPayload
from examdesk.services.decision_letters import minor_on_decision, question_before_letter
from examdesk.services.doc_support import (
    exam_line,
    first_matching,
    institution,
    session_particulars,
    session_plan,
)
from examdesk.services.documents import DocumentContent, DocumentKind

MODEL = "Besluit examencommissie · model BS-1 (versie 2026)"


def collect(store: Store, decision_id: str) -> DocumentContent:
    d = desk_data.decision(store, decision_id)
    if d is None:
        raise NotFound(f"Besluit '{decision_id}' bestaat niet.")
    if d.candidate_id is None:
        raise NotFound(f"Besluit {d.number} gaat over het incident als geheel, niet over één kandidaat: er is geen "
                       "brief aan een kandidaat.")
    incident = desk_data.row(store, d.incident_id)
    if incident is None:
        raise NotFound(f"Het incident van besluit {d.number} is vervallen verklaard.")
    candidate = session_data.candidate(store, d.candidate_id)
    plan = session_plan(store, incident.session_id)
    particulars = session_particulars(store, plan)
    names = {c.code: c.name for c in default_catalogue().categories}
    superseded = desk_data.decision(store, d.supersedes) if d.supersedes else None
    basis = letter_basis(d.protocol_point, d.measures, d.exam_kind)
    inst = institution(store)
    data: dict[str, Any] = {
        "instelling": inst,
        "besluit": {
            "nummer": d.number, "datum": format_date(d.decided_on), "maatregel": d.summary,
            "maatregelen": list(d.measure_labels), "geen_maatregel": d.no_measure_reason, "grond": d.ground,
            "protocolpunt": d.protocol_point, "protocol_titel": point_title(d.protocol_point),
            "motivering": d.reasoning, "gehoord": d.heard, "gehoord_op": format_date(d.heard_on) if d.heard_on else "",
            "leden": list(d.members), "minderjarig": minor_on_decision(store, d), "huidig": d.current,
            "grondslag": basis.point, "afschrift_grond": basis.copy_ground, "beroep_soort": basis.appeal_kind,
            "beroep": basis.appeal_sentence(inst["beroepsinstantie"], inst["beroepstermijn_dagen"]),
            "vervangt": (f"besluit {superseded.number} van {format_date(superseded.decided_on)}"
                         if superseded else ""),
            "herzieningsreden": d.revision_reason,
        },
        "kandidaat": {"naam": candidate.full_name if candidate else d.candidate_name,
                      "studentnummer": candidate.student_number if candidate else ""},
        "incident": {"code": incident.category, "categorie": names.get(incident.category, incident.category),
                     "datum": format_date(incident.occurred_at), "tijd": format_time(incident.occurred_at),
                     "wat_gebeurde": incident.what_happened},
        "afname": {"examen": exam_line(particulars), "datum": particulars["datum"], "lokaal": particulars["lokaal"],
                   "locatie": particulars["locatie"], "soort": particulars["soort"]},
    }
    _casework(store, d, incident, data)
    name = data["kandidaat"]["naam"]
    return DocumentContent(data, f"Besluit {d.number} examencommissie — {name}", f"Besluit {d.number} · "
                           f"{format_date(d.decided_on)}", MODEL)


def _casework(store: Store, d: Decision, incident: Any, data: dict[str, Any]) -> None:
    """What issue 13 adds to the letter, each only when it exists (an older letter keeps its fingerprint): how the
    incident came to light, the hearing (or why the measure was taken without one), the members who confirmed
    the decision with their own login, and the evidence with its SHA-256."""
    if incident.found_on is not None:
        current = desk_data.versions(store, incident.incident_id)[-1].payload
        if isinstance(current, FoundIncidentPayload):
            data["incident"]["achteraf"] = found_line(current.found_date, current.found_how, current.reported_by)
    hearings = casework_data.hearings(store, d.incident_id)
    stated = next((h for h in hearings if h.decision_id == d.id), None)
    heard = stated or hearing_before(hearings, d.candidate_id, d.decided_on)
    if heard is not None:
        data["besluit"]["horen"] = heard.sentence
    signers = casework_data.signers(store, d.id)
    if signers:
        data["besluit"]["bevestigd"] = [f"{name} {format_datetime(from_iso(at))}" for name, _how, at in signers]
    evidence = [{"bestand": a.file_name, "soort": a.media_type, "grootte": a.size, "sha256": a.sha256,
                 "omschrijving": a.description, "incident": "horen" if a.hearing_id else "incident"}
                for a in casework_data.attachments(store, d.incident_id)
                if a.candidate_id in (None, d.candidate_id)]
    if evidence:
        data["bijlagen"] = evidence


def _label(d: Decision) -> str:
    return (f"Besluit {d.number} · {format_date(d.decided_on)} · {d.candidate_name} · {d.summary}"
            + ("" if d.current else " (herzien)"))


def _where_word(word: str) -> report_data.DecisionWord:
    """Where a typed word can be in a decision's line (`_label`), as far as the query can narrow by it."""
    w = word.casefold()
    fixed = " ".join(("besluit · (herzien) geen maatregel (gedeeltelijk)", *(m.label for m in Measure))).casefold()
    if w in fixed or w.replace("-", "").isdigit() and "-" not in w:
        return report_data.DecisionWord(anything=True)    # in every line, or a number: the line decides
    try:
        day = parse_date(word).isoformat() if w.count("-") == 2 else None
    except ValueError:
        day = None
    return report_data.DecisionWord(name=search_query(word), decided_on=day, no_measure=True)


def subjects(store: Store, text: str = "", limit: int | None = None) -> list[tuple[str, str]]:
    """Decision letters to make, newest first: the decisions about a candidate whose line holds every typed
    word, read a page at a time with the words pushed into the query."""
    words = [_where_word(w) for w in text.split()]
    return first_matching(lambda offset, count: [(d.id, _label(d)) for d in report_data.decision_choices(
        store, words, offset, count)], text, limit, batch=max(20, min(200, 2 * (limit or 100))))


def _story(data: dict[str, Any]) -> list[Any]:
    from examdesk.reports.besluit import story

    return story(data)


KIND = DocumentKind("besluit", "Besluit (brief aan de kandidaat)", collect, _story, subjects, "Besluit",
                    ready=question_before_letter)
