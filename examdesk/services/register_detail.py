"""What the Register screen says about the kwalificatie and the instrument on show, composed here from the
lines the register service computed (`RegisterView`): the screen lays the sentences out and colours them.
The verdict itself is the domain's (`domain/register.validity`); this module only words what it found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from examdesk.domain.clock import format_date, format_datetime, from_iso
from examdesk.domain.register import ROUTE_LABELS, Criterion, RouteChoice, Status, latest_checks
from examdesk.services.register import InstrumentLine, QualificationLine
from examdesk.services.users import user_names as user_names  # the Register screen names recorders with it
from examdesk.services.view_text import Line, Span, Tone, italic, muted, text

STATUS_TONES = {Status.ADOPTED: Tone.ACCENT, Status.CHANGED: Tone.WARN, Status.WITHDRAWN: Tone.WARN,
                Status.PROVISIONAL: Tone.WARN}


@dataclass(frozen=True)
class QualificationHeader:
    title: str
    route_choice: str          # the choice this school year, what is missing, and its signals (⚑)
    route_warning: bool
    considerations: str        # the choice's afwegingen, for a tooltip


@dataclass(frozen=True)
class HistoryEntry:
    tone: Tone
    effective_on: str          # dd-mm-jjjj
    status: str
    decision: str              # 'besluit EC-2026-014', or ''
    lines: tuple[Line, ...]    # the reason, who recorded it when


@dataclass(frozen=True)
class InstrumentDetail:
    title: str
    verdict: str
    valid: bool                # valid and not under reservation
    mismatch: str
    signals: tuple[str, ...]
    facts: tuple[tuple[str, tuple[Line, ...]], ...]
    history: tuple[HistoryEntry, ...]   # newest first


def describe_choice(choice: RouteChoice | None, school_year: str) -> str:
    if choice is None:
        return f"Geen routekeuze voor {school_year}."
    return (f"Routekeuze {school_year}: route {choice.routes_label} — vastgesteld door {choice.adopted_by} op "
            f"{format_date(choice.adopted_on)}.")


def qualification_header(line: QualificationLine, school_year: str) -> QualificationHeader:
    q = line.qualification
    title = (f"{q.crebo} {q.name} · niveau {q.niveau_label} · {q.kind.label}"
             + (f" · dossier {q.dossier}" if q.dossier else "")
             + (f" · geldig tot en met {format_date(q.valid_until)}" if q.valid_until else ""))
    signals = line.route_choice.signals if line.route_choice else ()
    choice = (describe_choice(line.route_choice, school_year)
              + ("" if line.route_choice or not line.instrument_count else
                 " Leg de routekeuze vast vóór de instrumenten worden ingezet.")
              + "".join(f" ⚑ {sentence}" for sentence in signals))
    considerations = line.route_choice.considerations if line.route_choice else ""
    return QualificationHeader(title, choice, line.needs_route_choice or bool(signals),
                               f"Afwegingen: {considerations}" if considerations else "")


def instrument_detail(x: InstrumentLine, on: date, name_of: Callable[[str], str] = str) -> InstrumentDetail:
    """`name_of` names whoever recorded a status change (`services.users.user_names`; the username without it)."""
    i = x.instrument
    facts: list[tuple[str, tuple[Line, ...]]] = [
        ("Kwalificatie", ((text(f"{i.crebo} {x.qualification.name}" if x.qualification else i.crebo),),)),
        ("Onderdeel", ((text(i.part or "—"),),)),
        ("Soort", ((text(f"{i.kind}, {i.purpose_label}"),),)),
        ("Route", ((text(ROUTE_LABELS[i.route]),),)),
        ("Opdrachten", ((text(i.assignments.label),),)),
    ]
    if i.route == 1 or x.supplier:
        supplier = x.supplier
        if supplier is None:
            facts.append(("Leverancier", ((text("—"),),)))
        else:
            lines: list[Line] = [(text(supplier.name),),
                                 (Span(supplier.certificate_sentence(on),
                                       Tone.MUTED if supplier.certified_on(on) else Tone.WARN),)]
            if supplier.cooperative:
                lines.append((muted("Coöperatie: doelgroepenbeleid van toepassing"),))
            facts.append(("Leverancier", tuple(lines)))
        facts.append(("Inkoop", ((text(format_date(i.purchased_on) if i.purchased_on else "—"),),)))
    if i.route == 2:
        latest = latest_checks(x.criteria, on)
        met = [c for c in Criterion if c in latest and latest[c].met]
        tone = Tone.MUTED if len(met) == len(Criterion) else Tone.WARN
        detail = ", ".join(f"{c.value} {'✓' if c in met else ('✗' if c in latest else '–')}" for c in Criterion)
        facts.append(("Criteria bijlage 2", ((Span(f"{len(met)} van {len(Criterion)} voldaan", tone),),
                                             (text(detail),))))
    if x.exception is not None:
        facts.append(("Afwijking routekeuze", (
            (text(x.exception.reason),),
            (muted(f"besluit {format_date(x.exception.decided_on)}, {x.exception.decided_by}"),))))
    if i.route == 3:
        facts.append(("Externe validatie", ((text(f"{i.validator or '—'}" + (
            f", {format_date(i.validation_date)}" if i.validation_date else "")),),)))
    facts.append(("Versie", ((text(i.version),),)))
    history = []
    for entry in reversed(x.history):
        lines: list[Line] = []
        if entry.reason:
            lines.append((italic(entry.reason),))
        if entry.recorded_at:
            lines.append((Span(f"vastgelegd door {name_of(entry.recorded_by)} op {format_datetime(from_iso(entry.recorded_at))}",
                               Tone.MUTED, size=8.5),))
        history.append(HistoryEntry(STATUS_TONES.get(entry.status, Tone.MUTED), format_date(entry.effective_on),
                                    entry.status.label,
                                    f"besluit {entry.decision_number}" if entry.decision_number else "",
                                    tuple(lines)))
    return InstrumentDetail(f"{i.code} — {i.title}", x.verdict.sentence,
                            x.verdict.valid and not x.verdict.provisional, x.mismatch or "", x.signals,
                            tuple(facts), tuple(history))
