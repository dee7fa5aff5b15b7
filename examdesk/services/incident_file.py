"""The incident's file as the Incidenten screen shows it: every sentence composed here, from the case the
desk service read (`IncidentDeskService.case`), so the screen only lays out sections, decision cards and
the buttons the case allows. Which buttons those are is the domain's (`incident_desk.available_actions`,
carried in `IncidentCase.actions`); this module only says them in Dutch. What the desk says about a decision's
letter (the commission's answer on minority, 'Brief verzonden op …') comes from `DecisionLetterService.state`,
handed in as `letters`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from examdesk.domain.casework import grouped_hash
from examdesk.domain.clock import format_date, format_datetime, format_time
from examdesk.domain.decision_letters import letter_basis
from examdesk.domain.incident_desk import Decision
from examdesk.domain.plural import number
from examdesk.domain.sessions import CENTRAL_EXAMS
from examdesk.services.casework import CaseExtras
from examdesk.services.decision_letters import LetterState
from examdesk.services.ids import short_id
from examdesk.services.incident_desk import IncidentCase, correction_note
from examdesk.services.view_text import Line, Section, Span, Tone, bold, italic, muted, text, warn


@dataclass(frozen=True)
class ActionButton:
    key: str          # 'besluiten', 'melden', … (the screen connects each to its dialog)
    label: str
    primary: bool     # the default button: what the case waits for


@dataclass(frozen=True)
class DecisionCard:
    decision: Decision
    lines: tuple[Line, ...]
    letters: bool          # the letter panel sits on the card (a candidate's decision, a user who makes documents)
    letter_owed: bool      # current, about a candidate, no letter yet: the Overzicht counts it
    revise_label: str      # '' when it cannot be revised (not current, closed, or not the commission)
    dispatch: bool         # 'Brief verzonden…' beside the letter: made, about a candidate, the commission


@dataclass(frozen=True)
class IncidentFile:
    incident_id: str
    heading: tuple[Line, ...]                 # category, when and where, status and route, how long a report waits
    actions: tuple[ActionButton, ...]
    close_blocker: Line | None                # why closing cannot be done yet
    inspectie_form: bool                      # the Inspectie form panel belongs here
    sections_before: tuple[Section, ...]      # Triage … Inspectie
    decisions: tuple[DecisionCard, ...]
    sections_after: tuple[Section, ...]       # Herkansing nodig, Afsluiting


def incident_file(case: IncidentCase, can_decide: bool, makes_documents: bool,
                  letters: Mapping[str, LetterState] | None = None, extras: CaseExtras | None = None,
                  name_of: Callable[[str], str] = str) -> IncidentFile:
    """`letters`: the letter state of each decision about a candidate, by decision id; `extras`: the hearings,
    evidence and appeals of the case (issue 13); `name_of`: who recorded what, by name (`services.users.user_names`)."""
    r = case.row
    letters = letters or {}
    heading = [
        (Span(case.category_name(r.category), bold=True, size=14),),
        (muted(f"{format_datetime(r.occurred_at)} · {r.session_title} · {r.location_name}, lokaal {r.room_name}"),),
        # the route and the short id (what `examdesk report inspectie` takes) are read here, not in the list
        (bold(r.status, Tone.WARN if r.to_report else Tone.ACCENT),
         muted(f" · {r.handler_label} · id {short_id(r.incident_id)}")),
    ]
    if case.waiting is not None:
        heading.append((bold(case.waiting.text, Tone.WARN),))
    actions = _actions(case) if can_decide else ()
    a = case.actions
    blocker = (muted(f"Afsluiten kan nog niet: {a.close_blocker}"),) if (
        can_decide and not a.close and a.close_blocker and not a.reopen) else None
    before = [_triage(case, name_of), _as_recorded(case, name_of), _candidates(case), _session(case)]
    if extras is not None:
        before[1:1] = [Section("Achteraf vastgesteld", ((text(extras.found[:1].upper() + extras.found[1:] + "."),),))
                       ] if extras.found else []
        before += _casework(extras)
        if can_decide and not r.facts.withdrawn:     # a withdrawn case takes no more steps
            if not r.closed:
                actions = (*actions, ActionButton("horen", "Horen…", False),
                           ActionButton("bewijs", "Bewijsstuk…", False))
            if any(d.current and d.candidate_id and letter_basis(d.protocol_point, d.measures, d.exam_kind)
                   .appeal_kind == "beroep" for d in case.decisions) or any(a.running for a in extras.appeals):
                actions = (*actions, ActionButton("beroep", "Beroep…", False))
        if case.candidates and not r.facts.withdrawn:
            actions = (*actions, ActionButton("geschiedenis", "Dossiergeschiedenis…", False))
    if case.reports or case.answers:
        before.append(_inspectie(case))
    after = []
    if case.resits:
        after.append(Section("Herkansing nodig", tuple(
            (text(f"{x.candidate_name} — {x.source_label}, {x.scope}, {x.status_label}"),) for x in case.resits)))
    if case.closures:
        after.append(Section("Afsluiting", tuple(
            (text(f"{format_datetime(c.at)} {c.action} door {name_of(c.username)}" + (f" — {c.note}" if c.note else "")),)
            for c in case.closures)))
    cards = tuple(_decision_card(case, d, can_decide, makes_documents, letters.get(d.id))
                  for d in sorted(case.decisions, key=lambda x: (not x.current, -x.number)))
    return IncidentFile(r.incident_id, tuple(heading), actions, blocker,
                        r.needs_inspectie_form and makes_documents, tuple(before), cards, tuple(after))


def _actions(case: IncidentCase) -> tuple[ActionButton, ...]:
    a = case.actions
    main: list[tuple[str, str]] = []
    if a.decide:
        main.append(("besluiten", "Besluiten"))
    if a.report:
        main.append(("melden", "Besluit melden bij Inspectie" if a.report == "besluit" else "Melding Inspectie vastleggen"))
    if a.answer:
        main.append(("antwoord", "Antwoord Inspectie"))
    if a.close:
        main.append(("afsluiten", "Afsluiten"))
    if a.reopen:
        main.append(("heropenen", "Heropenen"))
    triage = ([("herclassificeren", "Herclassificeren")] if a.reclassify else []) + (
        [("twijfelgeval", "Twijfelgeval")] if a.doubtful else []) + (
        [("corrigeren", "Corrigeren")] if a.correct else []) + (
        [("intrekken", "Intrekken")] if a.withdraw else [])
    return tuple(ActionButton(key, label, n == 0 and bool(main)) for n, (key, label) in enumerate(main + triage))


def _casework(x: CaseExtras) -> list[Section]:
    """Hearings, evidence with its fingerprint, appeals, and earlier cases of the candidates (issue 13)."""
    out = []
    if x.repeats:
        out.append(Section("Eerdere zaken", tuple(
            (bold(x.names.get(cid, str(cid))), warn(f": {note} — zie de dossiergeschiedenis")) for cid, note
            in x.repeats.items())))
    if x.hearings:
        out.append(Section("Hoor en wederhoor", tuple(
            (bold(x.names.get(h.candidate_id, str(h.candidate_id)) + ": "), text(h.sentence))
            + ((muted(f" Verhaal: “{h.account}”"),) if h.account else ()) for h in x.hearings)))
    if x.attachments:
        out.append(Section(f"Bewijsstukken ({len(x.attachments)})", tuple(
            (bold(a.file_name), text(f" — {a.description}" if a.description else ""),
             muted(f" ({a.media_type}, {number(a.size)} bytes; SHA-256 {grouped_hash(a.sha256)})"))
            for a in x.attachments)))
    if x.appeals:
        out.append(Section("Beroep", tuple((bold(f"Besluit {a.decision_number}: "), text(a.sentence))
                                           for a in x.appeals)))
    return out


def _triage(case: IncidentCase, name_of: Callable[[str], str]) -> Section:
    r = case.row
    lines: list[Line] = [(bold(case.category_name(r.category)), text(f" {r.route.sentence}")),
                         (text(case.explanation),)]
    if r.reclassified or r.doubtful:
        lines.append((muted(f"Oorspronkelijk vastgelegd als: {case.recorded_route}"),))
    for t in case.triage:
        when = format_datetime(t.recorded_at)
        if t.kind == "herclassificatie":
            lines.append((text(f"• {when} {name_of(t.username)}: geherclassificeerd van {case.category_name(t.previous_category)}"
                               f" naar {case.category_name(t.category)} — "), italic(t.reason)))
        else:
            lines.append((text(f"• {when} {name_of(t.username)}: twijfelgeval — "), italic(t.reason)))
    return Section("Triage", tuple(lines))


def _as_recorded(case: IncidentCase, name_of: Callable[[str], str]) -> Section:
    current, payload = case.current, case.payload
    first = f"{format_time(current.occurred)} · vastgelegd door {name_of(current.username)} om {format_datetime(case.original.recorded)}"
    if payload.duration_minutes:
        first += f" · duur {payload.duration_minutes} min"
    lines: list[Line] = [(text(first),), (bold("Wat gebeurde er?"), text(f" {payload.what_happened}"))]
    if payload.what_was_done:
        lines.append((bold("Wat is gedaan?"), text(f" {payload.what_was_done}")))
    named = len(payload.candidate_ids)
    scope = "alle kandidaten" if payload.all_candidates else (
        "geen" if named == 0 else f"{named} {'kandidaat' if named == 1 else 'kandidaten'}")
    lines.append((muted(f"Betrokken volgens de surveillant: {scope}"),))
    for older, newer in case.corrections:
        note = correction_note(newer)       # the commission's reason; an invigilator's correction has none
        lines.append((muted(f"Gecorrigeerd op {format_datetime(newer.recorded)} door {name_of(newer.username)}; eerder: "),
                      Span(older.what_happened, Tone.MUTED, struck=True), *((muted(note),) if note else ())))
    return Section("Zoals vastgelegd", tuple(lines))


def _candidates(case: IncidentCase) -> Section:
    r = case.row
    if not case.candidates:
        return Section("Kandidaten (0)", ((muted("Geen kandidaten betrokken."),),))
    lines: list[Line] = []
    for c in case.candidates:
        line: list[Span] = [text(f"pc {c.workstation:02d} · " if c.workstation else ""), bold(c.name),
                            text(f" ({c.student_number}), {f'{c.age} jaar' if c.age is not None else 'leeftijd onbekend'}")]
        if c.minor:
            line.append(warn(" (minderjarig)"))
        line.append(text(f" op {format_date(r.occurred_at)}"))
        if c.decision:
            line.append(text(f" — besluit {c.decision.number}: {c.decision.summary}"))
        elif not (r.facts.particular or r.facts.withdrawn):   # a bijzonderheid or a withdrawn case is not decided
            line.append(muted(" — nog geen besluit"))
        lines.append(tuple(span for span in line if span.text))
    return Section(f"Kandidaten ({len(case.candidates)})", tuple(lines))


def _session(case: IncidentCase) -> Section:
    plan = case.plan
    what = CENTRAL_EXAMS.get(plan.central_exam or "", plan.title) if plan.exam_kind == "centraal" else plan.title
    lines: list[Line] = [
        (text(f"{plan.kind_label}: "), bold(what), text((f" · variant {plan.variant}" if plan.variant else "")
                                                        + (f" · {plan.period}" if plan.period else ""))),
        (text(f"{format_date(plan.session_date)} {format_time(plan.starts_at)} · {plan.room_label}"),),
        (text(f"Surveillanten: {plan.invigilator_names or '—'}"),),
    ]
    if case.around:
        lines.append((bold("Rond het incident"),))
        for line in sorted(case.around, key=lambda x: x.at):
            lines.append((muted(format_time(line.at)), text(" "), Span(line.text, struck=line.voided)))
    return Section("Afname", tuple(lines))


def _inspectie(case: IncidentCase) -> Section:
    lines: list[Line] = []
    for rep in case.reports:
        lines.append((text(f"{format_date(rep.reported_on)} {rep.subject_label} door {rep.reported_by_name}"
                           + (f", kenmerk {rep.reference}" if rep.reference else "")
                           + (f" — {rep.remark}" if rep.remark else "")),))
    names = {c.candidate_id: c.name for c in case.candidates}
    for ans in case.answers:
        who = (": " + ", ".join(names.get(i, str(i)) for i in ans.candidate_ids)) if ans.candidate_ids else ""
        lines.append((text(f"{format_date(ans.answered_on)} antwoord: "), bold(ans.outcome_label),
                      text(who + (f", kenmerk {ans.reference}" if ans.reference else "")
                           + (f" — {ans.remark}" if ans.remark else ""))))
    return Section("Inspectie", tuple(lines))


def _minor_sentence(d: Decision) -> str:
    if d.minor:
        return "ja (afschrift aan wettelijk vertegenwoordigers)"
    return "onbekend" if d.minor is None else "nee"


def _letter_lines(d: Decision, state: LetterState | None) -> list[Line]:
    """The commission's answer on minority (when the birth date is unknown) and, once the letter is made,
    'Brief verzonden op …; beroep mogelijk tot en met …' or 'Brief nog niet verzonden'."""
    if d.candidate_id is None or state is None:
        return []
    lines: list[Line] = []
    if d.minor is None and state.minor is not None:
        lines.append((text(f"Minderjarig op de besluitdatum volgens de examencommissie: "
                           f"{'ja' if state.minor else 'nee'}"),))
    if d.has_letter:
        lines.append((text(state.line),))
    return lines


def _decision_card(case: IncidentCase, d: Decision, can_decide: bool, makes_documents: bool,
                   letter: LetterState | None) -> DecisionCard:
    tone = Tone.PLAIN if d.current else Tone.MUTED
    who = d.candidate_name if d.candidate_name else "het incident als geheel"
    heard = f"ja, {format_date(d.heard_on)}" if d.heard and d.heard_on else "nee"
    lines: list[Line] = [
        (bold(f"Besluit {d.number}", tone), Span(f" · {format_date(d.decided_on)} · {who}", tone),
         muted(f" · id {short_id(d.id)}")),
        (Span(d.summary, tone),),
        (muted(f"Grond: {d.ground} · besloten door {', '.join(d.members)}"),),
        (muted(f"Gehoord: {heard} · minderjarig op de besluitdatum: {_minor_sentence(d)}"),),
        (Span(d.reasoning, tone, italic=True),),
    ]
    if d.revision_reason:
        lines.append((Span(f"Herziening: {d.revision_reason}", tone),))
    lines.extend(_letter_lines(d, letter))
    letters = d.candidate_id is not None and makes_documents
    if d.current and not letters:
        if d.has_letter:
            lines.append((text("brief gemaakt"),))
        elif d.candidate_id is not None:
            lines.append((warn("nog geen brief"),))
        else:
            lines.append((text("geen brief: het besluit gaat over het incident als geheel"),))
    elif not d.current:
        successor = next((x.number for x in case.decisions if x.id == d.superseded_by), None)
        lines.append((muted(f"vervangen door besluit {successor}"),))
    revise = f"Besluit {d.number} herzien" if d.current and can_decide and not case.row.closed else ""
    dispatch = d.candidate_id is not None and d.has_letter and can_decide and letters
    return DecisionCard(d, tuple(lines), letters, d.current and not d.has_letter, revise, dispatch)
