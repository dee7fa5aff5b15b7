"""The procesverbaal of a session (examenprotocol point 11): collected from the append-only record, up to and
including grade determination (Beleidsregel, toelichting bij artikel 3) once the examenbureau has recorded that
the results were processed.
(Over 400 lines: model PV-1 part by part — staff, receipt, attendance, incidents, candidates — from one fold.)

The state is folded from the events as they stand now (corrections applied, withdrawn items marked),
with the moment of the last registration as 'now', so the same record always gives the same data and
the same fingerprint. A session that is not closed prints as CONCEPT."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from examdesk.data import casework as casework_data
from examdesk.data import grade_determination as grade_data
from examdesk.data import incident_desk as desk_data
from examdesk.data import sessions as session_data
from examdesk.data.db import Store
from examdesk.domain.casework import found_line
from examdesk.domain.catalogue import HandlingRoute, default_catalogue
from examdesk.domain.clock import AMSTERDAM, format_date, format_datetime, format_time
from examdesk.domain.collation import by_sort_name, dutch_key
from examdesk.domain.incident_desk import IncidentFilter, IncidentRow
from examdesk.domain.incident_state import incident_chains
from examdesk.domain.plural import counted
from examdesk.domain.session_events import (
    KIND_LABELS,
    AbsentPayload,
    CandidateStatusPayload,
    EndTimeDecisionPayload,
    Event,
    FoundIncidentPayload,
    IncidentPayload,
    LatePayload,
    ReceiptPayload,
    ReopenPayload,
    VoidPayload,
)
from examdesk.domain.session_state import CandidateStatus, SessionStatus
from examdesk.domain.sessions import (
    Attendance,
    RosterEntry,
    SessionPlan,
    SessionState,
    attendance,
    describe,
    effective_events,
    fold,
)
from examdesk.services.doc_support import (
    People,
    exam_line,
    first_matching,
    hhmm,
    institution,
    searchable,
    session_particulars,
    session_plan,
)
from examdesk.services.documents import DocumentContent, DocumentKind

MODEL = "Procesverbaal afname · model PV-1 (versie 2026)"
_QUARANTINE_WORDS = ("quarantaine", "quarantine")


def _candidate_label(entry: RosterEntry) -> str:
    return f"{entry.name} ({entry.student_number})"


def _scope(p: IncidentPayload, roster: dict[int, RosterEntry]) -> str:
    if p.all_candidates:
        return "alle kandidaten"
    return ", ".join(e.name for e in by_sort_name(roster[c] for c in p.candidate_ids if c in roster))


def _route_text(route: HandlingRoute) -> str:
    parts = [route.handler_label or route.handler]
    if route.protocol_point:
        parts.append(f"protocolpunt {route.protocol_point}")
    if route.letter:
        parts.append(f"Beleidsregel art. 2 lid 1 onder {route.letter}")
    text = ", ".join(p for p in parts if p)
    if route.serious:
        text += "; ernstig"
    if route.decision_to_inspectie:
        text += "; besluit ook naar de Inspectie"
    return text


def collect(store: Store, session_id: str) -> DocumentContent:
    plan = session_plan(store, session_id)
    roster = session_data.roster(store, session_id)
    events = session_data.events(store, session_id)
    catalogue = default_catalogue()
    names = {c.code: c.name for c in catalogue.categories}
    statuses = {c.code: c.sets_status for c in catalogue.categories if c.sets_status}
    last = max((e.recorded for e in events), default=plan.starts_at)
    state = fold(plan, roster, events, last, names, statuses)
    who = attendance(state)                      # every count and list of point 11b, from one function
    people = People(store)
    by_id = {r.candidate_id: r for r in roster}
    current, corrected, voided = effective_events(events)
    particulars = session_particulars(store, plan)
    data: dict[str, Any] = {
        "instelling": institution(store),
        "afname": particulars,
        "examen": exam_line(particulars),
        "werkelijk_begin": hhmm(state.started_at),
        "werkelijk_einde": hhmm(state.ended_at),
        "afgesloten": format_datetime(state.closed_at) if state.closed else "",
        "concept": not state.closed,
        "medewerkers": _staff(plan, events, state, people),
        "ontvangst": _receipt(events, current, corrected, people),
        "aanwezigheid": _attendance(who),
        "afwezig": _absent(current, by_id),
        "te_laat": _late(current, by_id),
        "onwel": _unwell(current, by_id, statuses, who),
        "verstoringen": _disruptions(state, by_id),
        "incidenten": _incidents(events, by_id, names, people, {
            r.incident_id: r for r in desk_data.page(store, IncidentFilter(session_id=session_id), 0, 10_000)}),
        "verslag": _log(events, current, corrected, voided, by_id, names, people),
        "besluiten": _decisions(current, by_id, people) + _desk_decisions(store, session_id, names),
        "kandidaten": _candidates(state),
        "voorzieningen": _accommodations(state),
    }
    processed = grade_data.latest(store, session_id)
    if processed is not None:                    # only then: a procesverbaal without it keeps its fingerprint
        data["cijferbepaling"] = {"datum": format_date(processed.processed_on), "door": processed.processed_by,
                                  "systeem": processed.system, "opmerking": processed.remark,
                                  "vastgelegd": f"{format_datetime(processed.recorded_at)} door "
                                                f"{people.name(processed.username)}"}
    evidence = _evidence(store, [r["id"] for r in data["incidenten"]], data["incidenten"])
    if evidence:                                 # only then, like the grade determination
        data["bijlagen"] = evidence
    title = f"Procesverbaal {plan.title}, {format_date(plan.session_date)}"
    subject = f"Afname {format_date(plan.session_date)} · {particulars['lokaal']}"
    return DocumentContent(data, title, subject, MODEL, concept=not state.closed)


def _span(first: datetime, last: datetime, day: Any) -> str:
    """When someone recorded: the times on the session's day; with the dates when it ran into other days (a
    commission member deciding a week later read as '10:50–02:56')."""
    if first.astimezone(AMSTERDAM).date() == day and last.astimezone(AMSTERDAM).date() == day:
        return f"{format_time(first)}–{format_time(last)}"
    return f"{format_date(first)} {format_time(first)} – {format_date(last)} {format_time(last)}"


def _staff(plan: Any, events: list[Event], state: SessionState, people: People) -> list[dict[str, Any]]:
    """Everyone involved: the invigilators, who received the instruments, who recorded or decided."""
    times: dict[str, list[datetime]] = {}
    for e in events:
        times.setdefault(e.username, []).append(e.occurred)
    staff: dict[str, dict[str, Any]] = {}

    def add(name: str, role: str, function: str = "", username: str = "") -> None:
        person = staff.setdefault(name, {"naam": name, "rollen": [], "functie": function, "tijden": ""})
        if role not in person["rollen"]:
            person["rollen"].append(role)
        if function and not person["functie"]:
            person["functie"] = function
        moments = times.get(username, [])
        if moments and not person["tijden"]:
            person["tijden"] = _span(min(moments), max(moments), plan.session_date)

    for user_id, name in plan.invigilators:
        u = people.by_id(user_id)
        username = u.username if u else ""
        function = u.function if u else ""
        add(name, "surveillant", function, username)
    for username in times:
        u = people.user(username)
        if u is None or any(u.id == uid for uid, _ in plan.invigilators):
            continue
        role = "examencommissie" if any(r.value == "examencommissie" for r in u.roles) else u.roles_label
        add(u.full_name, role, u.function, username)
    if state.receipt and state.receipt.received_by:
        add(state.receipt.received_by, "ontvangst exameninstrumenten")
    return [{**p, "rol": ", ".join(p["rollen"])} for p in staff.values()]


def _receipt(events: list[Event], current: dict[str, Event], corrected: set[str], people: People
             ) -> dict[str, Any]:
    originals = [e for e in events if isinstance(e.payload, ReceiptPayload) and not e.corrects]
    receipts = [(o, current[o.id]) for o in originals if o.id in current]
    receipts = [(o, shown) for o, shown in receipts if isinstance(shown.payload, ReceiptPayload)]
    if not receipts:
        return {}
    original, shown = receipts[0]
    d = shown.payload
    result = {"tijd": format_time(shown.occurred), "door": d.received_by, "intact": d.intact, "opmerking": d.remark,
              "vastgelegd_door": people.name(original.username), "correctie": ""}
    if original.id in corrected:
        o = original.payload
        result["correctie"] = (f"gecorrigeerd door {people.name(shown.username)} op {format_datetime(shown.recorded)}; "
                               f"oorspronkelijk: {o.received_by}, "
                               f"{'intact' if o.intact else 'niet intact'} om {format_time(original.occurred)}")
    return result


def _attendance(who: Attendance) -> dict[str, int]:
    counts = who.counts()
    return {key: counts[key] for key in ("gepland", "deelgenomen", "afwezig", "nog_verwacht", "te_laat_toegelaten",
                                         "geweigerd", "onwel")}


def _absent(current: dict[str, Event], roster: dict[int, RosterEntry]) -> list[dict[str, Any]]:
    rows = []
    for e in sorted(current.values(), key=lambda ev: ev.occurred):
        p = e.payload
        if not isinstance(p, AbsentPayload) or p.candidate_id not in roster:
            continue
        entry = roster[p.candidate_id]
        reason = {True: "met geldige reden", False: "zonder geldige reden"}.get(p.valid_reason, "niet bekend")
        rows.append((dutch_key(entry.sort_name), {"pc": entry.workstation, "kandidaat": _candidate_label(entry), "reden": reason,
                     "opmerking": p.remark, "tijd": format_time(e.occurred)}))
    return [r for _, r in sorted(rows, key=lambda x: x[0])]


def _late(current: dict[str, Event], roster: dict[int, RosterEntry]) -> list[dict[str, Any]]:
    rows = []
    for e in sorted(current.values(), key=lambda ev: ev.occurred):
        p = e.payload
        if not isinstance(p, LatePayload) or p.candidate_id not in roster:
            continue
        entry = roster[p.candidate_id]
        rows.append({"pc": entry.workstation, "kandidaat": _candidate_label(entry), "aankomst": format_time(e.occurred),
                     "grens": format_time(p.limit_at), "toegelaten": p.admitted})
    return rows


def _unwell(current: dict[str, Event], roster: dict[int, RosterEntry], statuses: dict[str, str],
            who: Attendance) -> list[dict[str, Any]]:
    """The candidates who became unwell (`attendance`: the same ones the count says), what was done, and
    quarantine or continuation when recorded."""
    notes: dict[int, list[str]] = {c.candidate_id: [] for c in who.unwell}
    for e in sorted(current.values(), key=lambda ev: ev.occurred):
        p = e.payload
        if isinstance(p, IncidentPayload) and statuses.get(p.category) == CandidateStatus.ONWEL:
            ids = list(notes) if p.all_candidates else [c for c in p.candidate_ids if c in notes]
            note = p.what_happened + (f" Gedaan: {p.what_was_done}" if p.what_was_done else "")
        elif isinstance(p, CandidateStatusPayload) and p.candidate_id in notes and p.remark and p.status in (
                CandidateStatus.ONWEL, CandidateStatus.AANWEZIG):
            ids, note = [p.candidate_id], p.remark + ("." if p.status == CandidateStatus.AANWEZIG else "")
        else:
            continue
        for cid in ids:
            if note and note not in notes[cid]:
                notes[cid].append(note)
    rows = []
    for c in who.unwell:
        text = " ".join(notes[c.candidate_id])
        quarantine = "ja, vastgelegd in de toelichting" if any(w in text.lower() for w in _QUARANTINE_WORDS) else ""
        if c.passage.back_at is not None:
            quarantine = (quarantine + "; " if quarantine else "") + \
                f"examen voortgezet om {format_time(c.passage.back_at)}"
        rows.append({"pc": c.entry.workstation, "kandidaat": _candidate_label(c.entry),
                     "tijd": format_time(c.passage.unwell_at), "toelichting": text,
                     "quarantaine": quarantine or "niet vastgelegd"})
    return rows


def _disruptions(state: SessionState, roster: dict[int, RosterEntry]) -> list[dict[str, Any]]:
    rows = []
    at_work = len(state.candidates)
    for p in state.pauses:
        if len(p.candidate_ids) >= 4 and len(p.candidate_ids) >= at_work // 2:
            who = f"{counted(len(p.candidate_ids), 'kandidaat')} (allen aan het werk)"
        else:
            who = ", ".join(e.name for e in by_sort_name(roster[c] for c in p.candidate_ids if c in roster))
        rows.append({"van": format_time(p.started), "tot": format_time(p.ended) if p.ended else "loopt nog",
                     "minuten": p.lost_minutes(p.ended or p.started), "kandidaten": who, "reden": p.reason})
    return rows


def _incidents(events: list[Event], roster: dict[int, RosterEntry], names: dict[str, str],
               people: People, desk: dict[str, IncidentRow]) -> list[dict[str, Any]]:
    """The incidents as they stand (`incident_state.incident_chains`: the latest correction, withdrawn ones
    left out), as recorded in the session, with the route as the desk now has it: the catalogue reviewed
    against the sources and the commission's reclassification (`incident_state.project`)."""
    rows = []
    standing = [c for c in incident_chains(events).values() if not c.voided]
    for chain in sorted(standing, key=lambda c: c.current.occurred):
        origin, e = chain.original.id, chain.current
        p: IncidentPayload = e.payload  # type: ignore[assignment]
        row = desk.get(origin)
        route = row.route if row is not None else p.route
        handling = _route_text(route)
        if row is not None and row.reclassified:
            handling += f"; geherclassificeerd naar {row.category} {names.get(row.category, row.category)}"
        row_data: dict[str, Any] = {
            "id": origin, "tijd": format_time(e.occurred), "code": p.category,
            "categorie": names.get(p.category, p.category),
            "protocolpunt": route.protocol_point, "letter": route.letter or "",
            "afhandeling": handling, "kandidaten": _scope(p, roster),
            "duur": p.duration_minutes, "wat_gebeurde": p.what_happened,
            "wat_gedaan": p.what_was_done, "gecorrigeerd": len(chain.versions) > 1,
            "vastgelegd_door": people.name(e.username),
        }
        if isinstance(p, FoundIncidentPayload):   # issue 13: found afterwards, how and by whom
            row_data["tijd"] = format_date(p.found_date)
            row_data["achteraf"] = found_line(p.found_date, p.found_how, p.reported_by)
        rows.append(row_data)
    return rows


def _evidence(store: Store, incident_ids: list[str], incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attachments of these incidents with their SHA-256: the file the Inspectie can check them against."""
    codes = {r["id"]: f"{r['tijd']} {r['code']}" for r in incidents}
    return [{"incident": codes.get(a.incident_id, ""), "bestand": a.file_name, "soort": a.media_type,
             "grootte": a.size, "sha256": a.sha256, "omschrijving": a.description}
            for i in incident_ids for a in casework_data.attachments(store, i)]


def _log(events: list[Event], current: dict[str, Event], corrected: set[str], voided: set[str],
         roster: dict[int, RosterEntry], names: dict[str, str], people: People) -> list[dict[str, Any]]:
    """The chronological record; a correction is shown beside what it corrects."""
    by_id = {e.id: e for e in events}
    corrections: dict[str, list[Event]] = {}
    for e in events:
        if e.corrects:
            root = e.corrects
            while by_id.get(root) is not None and by_id[root].corrects:
                root = by_id[root].corrects
            corrections.setdefault(root, []).append(e)
    rows = []
    for e in sorted((ev for ev in events if not ev.corrects), key=lambda ev: (ev.occurred, ev.seq)):
        shown = current.get(e.id, e)
        when = format_datetime(shown.occurred) if isinstance(e.payload, FoundIncidentPayload) else \
            format_time(shown.occurred)               # found afterwards: on another day than the session
        row = {"tijd": when, "soort": KIND_LABELS.get(e.kind, e.kind),
               "tekst": describe(shown, roster, names), "door": people.name(e.username),
               "oorspronkelijk": "", "correctie": "", "vervallen": e.id in voided}
        if e.id in corrected or e.id in voided:
            row["oorspronkelijk"] = f"{format_time(e.occurred)} {describe(e, roster, names)}"
            notes = []
            for c in corrections.get(e.id, []):
                who = people.name(c.username)
                if isinstance(c.payload, VoidPayload) and c.payload.commission:
                    notes.append(f"ingetrokken door de examencommissie ({who}) op {format_datetime(c.recorded)}: "
                                 f"{c.payload.reason}")
                elif isinstance(c.payload, VoidPayload):
                    notes.append(f"vervallen verklaard op {format_datetime(c.recorded)} door {who}: "
                                 f"{c.payload.reason}")
                elif isinstance(c.payload, IncidentPayload) and c.payload.by_commission:
                    notes.append(f"gecorrigeerd door de examencommissie ({who}) op {format_datetime(c.recorded)}")
                else:
                    notes.append(f"gecorrigeerd op {format_datetime(c.recorded)} door {who}")
            row["correctie"] = "; ".join(notes)
            if e.id in voided:
                row["tekst"] = describe(e, roster, names)
        if e.recorded - e.occurred > timedelta(minutes=15):
            row["correctie"] = (row["correctie"] + "; " if row["correctie"] else "") + \
                f"achteraf vastgelegd op {format_datetime(e.recorded)}"
        rows.append(row)
    return rows


def _decisions(current: dict[str, Event], roster: dict[int, RosterEntry], people: People) -> list[dict[str, Any]]:
    rows = []
    for e in sorted(current.values(), key=lambda ev: ev.recorded):
        p = e.payload
        if isinstance(p, EndTimeDecisionPayload):
            who = roster.get(p.candidate_id)
            rows.append({"datum": format_datetime(e.recorded), "door": people.name(e.username),
                         "kandidaat": _candidate_label(who) if who else "",
                         "besluit": f"Eindtijd +{counted(p.minutes, 'minuut')} (protocolpunt 14)", "grond": p.reason})
        elif isinstance(p, ReopenPayload):
            rows.append({"datum": format_datetime(e.recorded), "door": people.name(e.username), "kandidaat": "",
                         "besluit": "Afname heropend", "grond": p.reason})
    return rows


def _desk_decisions(store: Store, session_id: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """The commission's reclassifications (its correction of the category, with the reason) and decisions on
    this session's incidents, and what went to and came from the Inspectie."""
    rows: list[dict[str, Any]] = []
    people = People(store)
    for incident in desk_data.page(store, IncidentFilter(session_id=session_id), 0, 10_000, sort="tijd",
                                   descending=False):
        what = f"{names.get(incident.category, incident.category)} ({format_time(incident.occurred_at)})"
        for t in desk_data.triage(store, incident.incident_id):
            if t.kind == "herclassificatie":
                rows.append({"datum": format_date(t.recorded_at), "door": people.name(t.username), "kandidaat": "",
                             "besluit": f"Geherclassificeerd door de examencommissie: "
                                        f"{names.get(t.previous_category, t.previous_category)} → "
                                        f"{names.get(t.category or '', t.category or '')}", "grond": t.reason})
        for d in desk_data.decisions(store, incident.incident_id):
            state = "" if d.current else " — herzien, vervangen door een later besluit"
            rows.append({"datum": format_date(d.decided_on), "door": ", ".join(d.members),
                         "kandidaat": d.candidate_name, "besluit": f"Besluit {d.number} over {what}: {d.summary}{state}",
                         "grond": f"{d.ground}. {d.reasoning}"})
        for r in desk_data.reports(store, incident.incident_id):
            rows.append({"datum": format_date(r.reported_on), "door": r.reported_by_name, "kandidaat": "",
                         "besluit": f"{r.subject_label.capitalize()} bij de Inspectie over {what}"
                                    + (f", kenmerk {r.reference}" if r.reference else ""), "grond": r.remark})
        for a in desk_data.answers(store, incident.incident_id):
            rows.append({"datum": format_date(a.answered_on), "door": "Inspectie van het Onderwijs", "kandidaat": "",
                         "besluit": f"Antwoord van de Inspectie over {what}: {a.outcome_label}"
                                    + (f", kenmerk {a.reference}" if a.reference else ""), "grond": a.remark})
    return rows


def _candidates(state: SessionState) -> list[dict[str, Any]]:
    """End time per candidate; one who stopped (unwell, left without finishing) has none."""
    rows = []
    base = state.base_end
    for c in by_sort_name(state.candidates, lambda c: c.entry.sort_name):
        took_part = c.took_part
        end = ""
        if base is not None and took_part and not c.stopped:
            end = format_time(base + timedelta(minutes=c.entry.extra_minutes + c.disruption_minutes
                                               + c.decision_minutes))
        extra = []
        if c.entry.extra_minutes and took_part:
            extra.append(f"+{c.entry.extra_minutes} passend")
        if c.disruption_minutes and took_part:
            extra.append(f"+{c.disruption_minutes} storing")
        if c.decision_minutes and took_part:
            extra.append(f"+{c.decision_minutes} besluit")
        rows.append({"pc": c.entry.workstation, "studentnummer": c.entry.student_number, "naam": c.entry.name,
                     "status": c.status_label, "eindtijd": end, "opbouw": ", ".join(extra)})
    return rows


def _accommodations(state: SessionState) -> list[dict[str, Any]]:
    rows = []
    for c in by_sort_name(state.candidates, lambda c: c.entry.sort_name):
        e = c.entry
        if not e.accommodations:
            continue
        rows.append({"pc": e.workstation, "kandidaat": _candidate_label(e),
                     "extra_tijd": f"{e.extra_minutes} min" if e.extra_minutes else "",
                     "voorzieningen": e.accommodations,
                     "toegekend": "toegekend en toegepast" if c.took_part else f"niet gebruikt ({c.status_label})"})
    return rows


def subjects(store: Store, text: str = "", limit: int | None = None) -> list[tuple[str, str]]:
    """What has been held (running, closed) first, newest first; sessions still to come after that. Read a
    page at a time, newest first, with the typed words pushed into the search index."""
    words = searchable(text, (*[s.value for s in SessionStatus], "lokaal", "variant"))

    def label(p: SessionPlan) -> tuple[str, str]:
        return p.id, f"{format_date(p.session_date)} {format_time(p.starts_at)} · {p.header} ({p.status})"

    found: list[tuple[str, str]] = []
    for statuses in ((SessionStatus.BEZIG, SessionStatus.AFGESLOTEN), (SessionStatus.GEPLAND,)):
        found += first_matching(lambda offset, count, statuses=statuses: [label(p) for p in session_data.newest_sessions(
            store, statuses, words, offset, count)], text, None if limit is None else limit - len(found))
        if limit is not None and len(found) >= limit:
            break
    return found


def _story(data: dict[str, Any]) -> list[Any]:
    from examdesk.reports.procesverbaal import story

    return story(data)


KIND = DocumentKind("procesverbaal", "Procesverbaal", collect, _story, subjects, "Afname")
