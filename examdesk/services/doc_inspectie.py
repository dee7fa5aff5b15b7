"""Aanvraagformulier opnieuw afnemen centraal examen (bijlage bij de Beleidsregel, seed 003), for an
incident routed to the Inspectie in a central exam. Pre-filled from the institution settings, the
session, the incident and the profile of the person making it (the submitter): the subject is
'incident-id;indiener=username', so a later check compares with that same person's details.

As the bijlage asks: question 2 is a *number* of participants ("Op hoeveel deelnemers had de onregelmatigheid
betrekking?"), not their names; the afnameperiode is checked against the date of the session with the
periods the examenbureau recorded (`domain/exam_periods.central_exam_timing`); and only the examencommissie
submits it ("Examencommissie die aanvraag doet"): making it takes the commission's role."""

from __future__ import annotations

from typing import Any

from examdesk.data import incident_desk as desk_data
from examdesk.data import planning as planning_data
from examdesk.data.db import Store
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_time
from examdesk.domain.documents import split_personal_subject
from examdesk.domain.errors import NotFound
from examdesk.domain.exam_periods import central_exam_timing
from examdesk.domain.incident_desk import STATUSES, IncidentFilter
from examdesk.domain.plural import counted
from examdesk.domain.register import school_year_of
from examdesk.domain.roles import Action
from examdesk.domain.sessions import CENTRAL_EXAMS, SessionPlan
from examdesk.services.doc_support import (
    People,
    first_matching,
    institution,
    searchable,
    session_particulars,
    session_plan,
    took_part_count,
)
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
    row = desk_data.row(store, incident_id)
    if row is None:
        raise NotFound(f"Incident '{incident_id}' bestaat niet (of is vervallen verklaard).")
    if not row.needs_inspectie_form:
        raise NotFound("Het aanvraagformulier is alleen voor een onregelmatigheid bij een centraal examen die bij "
                       "de Inspectie moet worden gemeld; dit incident handelt de examencommissie af.")
    plan = session_plan(store, row.session_id)
    particulars = session_particulars(store, plan)
    people = People(store)
    submitter = people.user(username) if username else None
    names = {c.code: c.name for c in default_catalogue().categories}
    involved = desk_data.involved(store, incident_id)
    moment = row.occurred_at
    category = names.get(row.category, row.category)
    happened = [f"{category} ({row.category}), {format_date(moment)} om {format_time(moment)}, "
                f"{particulars['locatie']}, lokaal {particulars['lokaal']}."]
    if row.what_happened:
        happened.append(row.what_happened)
    if row.duration_minutes:
        happened.append(f"Duur: {counted(row.duration_minutes, 'minuut')}.")
    if row.what_was_done:
        happened.append(f"Wat is gedaan: {row.what_was_done}")
    happened.append(_route_sentence({"protocol_point": row.protocol_point, "letter": row.letter}))
    if row.doubtful:
        happened.append("De examencommissie meldt dit als twijfelgeval (Beleidsregel, toelichting bij artikel 2).")
    melding = [r for r in desk_data.reports(store, incident_id) if r.subject in ("melding", "twijfelgeval")]
    data: dict[str, Any] = {
        "instelling": institution(store),
        "incident": {"id": incident_id, "code": row.category, "categorie": category, "twijfelgeval": row.doubtful},
        "datum": format_date(melding[0].reported_on) if melding else "",
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
        **_period(store, plan),
        "wat_is_er_gebeurd": "\n".join(happened),
        "aantal_betrokken": len(involved),
        "aantal_deelgenomen": took_part_count(store, plan),
        "afname": {"datum": particulars["datum"], "lokaal": particulars["lokaal"], "locatie": particulars["locatie"],
                   "gepland": f"{particulars['gepland_begin']}–{particulars['gepland_einde']}"},
    }
    title = f"Aanvraagformulier opnieuw afnemen centraal examen {plan.central_exam}, {format_date(moment)}"
    subject = f"Incident {format_date(moment)} {format_time(moment)} · {row.category}"
    return DocumentContent(data, title, subject, MODEL)


def _period(store: Store, plan: SessionPlan) -> dict[str, str]:
    """The afnameperiode as the date says it, and a check sentence when the session recorded another one or
    the date lies outside the periods (so the Inspectie is not told a period the exam was not in)."""
    recorded = plan.period.strip()
    timing = central_exam_timing(plan.central_exam or "", plan.session_date,
                                 planning_data.exam_windows(store, school_year_of(plan.session_date)))
    check = timing.problem or ""
    if timing.period and recorded and timing.period != recorded:
        check = (f"Bij de afname is '{recorded}' vastgelegd; volgens de afnameperiodes valt "
                 f"{format_date(plan.session_date)} in {timing.period}. " + check).strip()
    return {"afnameperiode": timing.period or recorded, "afnameperiode_controle": check}


def subjects(store: Store, text: str = "", limit: int | None = None) -> list[tuple[str, str]]:
    """Incidents of central exams for the Inspectie, newest first, read a page at a time with the typed
    words pushed into the search index."""
    names = {c.code: c.name for c in default_catalogue().categories}
    words = searchable(text, (*names.values(), *STATUSES, "lokaal"))

    def fetch(offset: int, count: int) -> list[tuple[str, str] | None]:
        rows = desk_data.page(store, IncidentFilter(handler="inspectie", text=words), offset, count)
        return [(r.incident_id, f"{format_date(r.occurred_at)} {format_time(r.occurred_at)} · "
                                f"{names.get(r.category, r.category)} · {r.session_title}, lokaal {r.room_name} "
                                f"({r.status})") if r.exam_kind == "centraal" else None for r in rows]

    return first_matching(fetch, text, limit)


def _story(data: dict[str, Any]) -> list[Any]:
    from examdesk.reports.inspectie import story

    return story(data)


KIND = DocumentKind("inspectie", "Aanvraagformulier Inspectie", collect, _story, subjects, "Incident",
                    personal=True, action=Action.DECIDE_INCIDENT)
