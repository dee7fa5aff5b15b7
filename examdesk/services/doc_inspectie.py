"""Aanvraagformulier opnieuw afnemen centraal examen (bijlage bij de Beleidsregel, seed 003), for an
incident routed to the Inspectie in a central exam. Pre-filled from the institution settings, the
session, the incident and the profile of the person making it (the submitter): the subject is
'incident-id;indiener=username', so a later check compares with that same person's details."""

from __future__ import annotations

from typing import Any

from examdesk.data import reports as report_data
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_time, from_iso
from examdesk.domain.documents import split_personal_subject
from examdesk.domain.errors import NotFound
from examdesk.domain.sessions import CENTRAL_EXAMS
from examdesk.services.doc_support import People, institution, session_particulars, session_plan
from examdesk.services.documents import DocumentContent, DocumentKind

MODEL = "Aanvraagformulier opnieuw afnemen centraal examen · model IVH-1 (Beleidsregel 2014)"


def _route_sentence(route: dict[str, Any]) -> str:
    point = route.get("protocol_point")
    letter = route.get("letter")
    text = "Volgens het examenprotocol centrale examinering mbo"
    text += f" (punt {point})" if point else ""
    text += " moet deze onregelmatigheid bij de Inspectie van het Onderwijs worden gemeld"
    if letter:
        text += f"; zij valt onder artikel 2, eerste lid, onder {letter}, van de Beleidsregel"
    return text + "."


def collect(store: Store, subject_id: str) -> DocumentContent:
    incident_id, username = split_personal_subject(subject_id)
    row = report_data.incident(store, incident_id)
    if row is None:
        raise NotFound(f"Incident '{incident_id}' bestaat niet (of is vervallen verklaard).")
    if row.exam_kind != "centraal" or row.data.get("route", {}).get("handler") != "inspectie":
        raise NotFound("Het aanvraagformulier is alleen voor een onregelmatigheid bij een centraal examen die bij "
                       "de Inspectie moet worden gemeld; dit incident wordt door de examencommissie afgehandeld.")
    plan = session_plan(store, row.session_id)
    particulars = session_particulars(store, plan)
    people = People(store)
    submitter = people.user(username) if username else None
    catalogue = default_catalogue()
    names = {c.code: c.name for c in catalogue.categories}
    roster = {r.candidate_id: r for r in session_data.roster(store, row.session_id)}
    took_part = report_data.took_part_count(store, row.session_id)
    d = row.data
    involved = took_part if d.get("all_candidates") else len(d.get("candidate_ids", []))
    moment = from_iso(row.occurred_at)
    category = names.get(d.get("category", ""), d.get("category", ""))
    happened = [f"{category} ({d.get('category', '')}), {format_date(moment)} om {format_time(moment)}, "
                f"{particulars['locatie']}, lokaal {particulars['lokaal']}."]
    if d.get("what_happened"):
        happened.append(d["what_happened"])
    if d.get("duration_minutes"):
        happened.append(f"Duur: {d['duration_minutes']} minuten.")
    if d.get("what_was_done"):
        happened.append(f"Wat is gedaan: {d['what_was_done']}")
    happened.append(_route_sentence(d.get("route", {})))
    data: dict[str, Any] = {
        "instelling": institution(store),
        "incident": {"id": row.id, "code": d.get("category", ""), "categorie": category},
        "indiener": {
            "naam": submitter.full_name if submitter else "",
            "functie": submitter.function if submitter else "",
            "telefoon": submitter.phone if submitter else "",
            "email": submitter.email if submitter else "",
        },
        "datum_onregelmatigheid": format_date(moment),
        "tijdstip_onregelmatigheid": format_time(moment),
        "examen": plan.central_exam or "",
        "examens": list(CENTRAL_EXAMS),
        "varianten": particulars["variant"],
        "afnameperiode": particulars["afnameperiode"],
        "wat_is_er_gebeurd": "\n".join(happened),
        "betrokken_kandidaten": [roster[c].name for c in d.get("candidate_ids", []) if c in roster],
        "aantal_betrokken": involved,
        "aantal_deelgenomen": took_part,
        "afname": {"datum": particulars["datum"], "lokaal": particulars["lokaal"], "locatie": particulars["locatie"],
                   "gepland": f"{particulars['gepland_begin']}–{particulars['gepland_einde']}"},
    }
    title = f"Aanvraagformulier opnieuw afnemen centraal examen {plan.central_exam}, {format_date(moment)}"
    subject = f"Incident {format_date(moment)} {format_time(moment)} · {d.get('category', '')}"
    return DocumentContent(data, title, subject, MODEL)


def subjects(store: Store) -> list[tuple[str, str]]:
    rows = report_data.incidents(store, report_data.IncidentQuery(handler="inspectie", exam_kind="centraal"))
    names = {c.code: c.name for c in default_catalogue().categories}
    rows.sort(key=lambda r: r.occurred_at, reverse=True)
    return [(r.id, f"{format_date(from_iso(r.occurred_at))} {format_time(from_iso(r.occurred_at))} · "
                   f"{names.get(r.data.get('category', ''), r.data.get('category', ''))} · {r.session_title}, "
                   f"lokaal {r.room_name}") for r in rows]


def _story(data: dict[str, Any]) -> list[Any]:
    from examdesk.reports.inspectie import story

    return story(data)


KIND = DocumentKind("inspectie", "Aanvraagformulier Inspectie", collect, _story, subjects, "Incident",
                    personal=True)
