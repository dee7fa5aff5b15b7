"""What session mode and the Afnames screen say about a session, composed from the folded state
(`domain/sessions.fold`) and the plan: the header and its steps, the log lines, the closing summary and
the Afnames detail. The screens lay these sentences out; the rules behind them stay in the domain."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from examdesk.domain.clock import format_date, format_time, format_weekday_date
from examdesk.domain.plural import counted
from examdesk.domain.session_events import ClosingSummary
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import LogLine, SessionPlan, SessionState, still_working

STEPS = ("ONTVANGST", "AANWEZIGHEID", "START", "EINDE", "AFSLUITEN")


@dataclass(frozen=True)
class SessionHeader:
    title: str        # 'Nederlands 3F · variant B · lokaal B2.14 · surveillant: J. Bakker'
    subtitle: str     # 'ma 23-11-2026 · gestart 09:02 · eindtijd 11:02 (+ individueel) · …'
    steps: str        # '[ONTVANGST ✓]  [▶ AANWEZIGHEID]  [START]  …'


@dataclass(frozen=True)
class LogEntry:
    event_id: str
    text: str         # '10:12  Onwel (6) — …  (gecorrigeerd)    — J. Bakker'
    voided: bool      # shown struck through and muted


DRAFT_WAITING = "concept wacht"


def session_header(state: SessionState, draft_waiting: bool = False) -> SessionHeader:
    """`draft_waiting`: an incident form was left unsaved (a crash): the steps say "concept wacht (F2)"."""
    plan = state.plan
    parts = [format_weekday_date(plan.starts_at)]
    if state.started_at:
        parts.append(f"gestart {format_time(state.started_at)}")
        parts.append(f"eindtijd {format_time(state.base_end)} (+ individueel)")
        if state.ended_at is None:
            parts.append(f"toelating tot {format_time(state.late_limit)}")
    else:
        parts.append(f"gepland {format_time(plan.starts_at)}–{format_time(plan.planned_end)}")
    if state.ended_at:
        parts.append(f"einde {format_time(state.ended_at)}")
    if state.open_pauses:
        parts.append("PAUZE LOOPT")
    done = (state.receipt is not None, state.started_at is not None, state.started_at is not None,
            state.ended_at is not None, state.closed)
    pending = next((n for n, flag in enumerate(done) if not flag), None)
    chips = []
    for n, label in enumerate(STEPS):
        if done[n] and not (n == 1 and not state.started_at):
            chips.append(f"[{label} ✓]")
        elif n == pending or (n == 1 and pending == 2):
            chips.append(f"[▶ {label}]")
        else:
            chips.append(f"[{label}]")
    if draft_waiting:
        chips.append(f"· {DRAFT_WAITING} (F2)")
    return SessionHeader(f"{plan.header} · surveillant: {plan.invigilator_names}", " · ".join(parts),
                         "  ".join(chips))


def early_end_question(state: SessionState, at: datetime) -> str | None:
    """Ending at `at` while candidates still have time: the question that says how many and how long
    (None: everyone is done, or the planned end has passed, so nothing new needs asking)."""
    working = still_working(state, at)
    if not working:
        return None
    planned = max(c.end_time for c in working if c.end_time is not None)
    minutes = math.ceil((planned - at).total_seconds() / 60)
    doing = "werkt" if len(working) == 1 else "werken"
    return (f"{counted(len(working), 'kandidaat')} {doing} nog. De geplande eindtijd is {format_time(planned)}, "
            f"over {counted(minutes, 'minuut')}.\n\nWilt u de afname nu al beëindigen?")


def log_entries(state: SessionState, name_of: Callable[[str], str]) -> tuple[LogEntry, ...]:
    """Session mode's log: time, what happened, its fate, and who recorded it (by name)."""
    entries = []
    for line in state.log:
        text = f"{format_time(line.at)}  {line.text}" + _fate(line, "  ")
        entries.append(LogEntry(line.event_id, f"{text}    — {name_of(line.username)}", line.voided))
    return tuple(entries)


def record_lines(state: SessionState, name_of: Callable[[str], str]) -> tuple[str, ...]:
    """The Afnames screen's 'Verslag' of the selected session: the same record, one line each."""
    return tuple(f"{format_time(line.at)}  {line.text} — {name_of(line.username)}" + _fate(line, " ")
                 for line in state.log)


def _fate(line: LogLine, gap: str) -> str:
    return (f"{gap}(gecorrigeerd)" if line.corrected else "") + (f"{gap}(vervallen)" if line.voided else "")


def closing_summary_text(s: ClosingSummary) -> str:
    """What point 11 of the protocol asks at closing, as the invigilator reads it before closing."""
    def line(label: str, items: tuple[str, ...]) -> str:
        return f"{label}: {', '.join(items) if items else 'geen'}"

    return "\n".join([
        f"Afname van {s.date}, gestart {s.started_at or '—'}, einde {s.ended_at or 'bij afsluiten'}",
        f"Deelgenomen: {s.took_part} van {counted(s.planned, 'kandidaat')}",
        line("Afwezig (wie nog 'verwacht' is, wordt afwezig)", s.absent),
        line("Te laat", s.late),
        line("Geweigerd (na de toelatingsgrens)", s.refused),
        line("Onwel", s.unwell),
        line("Vertrokken", s.left),
        line("Storingen", s.disruptions),
        line("Incidenten", s.incidents),
        line("Faciliteiten toegekend", s.facilities),
        line("Betrokken medewerkers", s.staff),
    ])


def session_detail(plan: SessionPlan, flag: str | None,
                   notes: list[tuple[str, str, str, str]]) -> str:
    """The Afnames screen's summary of the selected session: when, where, who, and what was confirmed
    or decided at planning (`notes`: kind, text, when, by)."""
    lines = [
        f"{plan.kind_label} · {format_date(plan.session_date)} · {format_time(plan.starts_at)}–"
        f"{format_time(plan.planned_end)} ({plan.duration_minutes} min)",
        f"{plan.room_label}",
        f"Variant: {plan.variant or '—'} · afnameperiode: {plan.period or '—'}",
        f"Te laat toegelaten tot {counted(plan.late_limit_minutes, 'minuut')} na de start",
        f"Surveillanten: {plan.invigilator_names or '—'}",
        f"Kandidaten: {plan.candidate_count} · status: {SessionStatus(plan.status).label}",
    ]
    if flag:
        lines.append(f"⚠ Het instrument is op de datum van de afname niet valide: {flag}")
    for kind, text, _at, by in notes:
        lines.append(("Bij het plannen bevestigd" if kind == "waarschuwing" else "Afwijking") + f" ({by}): {text}")
    return "\n".join(lines)
