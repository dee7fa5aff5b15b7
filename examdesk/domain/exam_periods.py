"""Afnameperiodes of the central exams: when Nederlands and rekenen 2F/3F may be taken.

The College voor Toetsen en Examens sets per school year the periods (tijdvakken) and, within each, the
weeks in which each exam is taken; the examencommissie plans "de afnames binnen de examenperiode"
(examenprotocol point 5). The real 2014-2015 periods ship with ExamDesk (Regeling afnameperiodes,
BWBR0033897); the examenbureau adds newer ones from the Examenblad, by hand or as a CSV in the same
shape (studiejaar, periode, periode_van, periode_tm, week, examen).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from examdesk.domain.clock import format_date, parse_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.register import parse_school_year, school_year_bounds, school_year_of

EXAM_NAMES: dict[str, str] = {
    "Ned2F": "Nederlands 2F", "Ned3F": "Nederlands 3F", "Rek2F": "Rekenen 2F", "Rek3F": "Rekenen 3F",
}
# How the Regeling names them ('2F Taal') → the code ExamDesk uses.
_EXAM_ALIASES: dict[str, str] = {
    "2ftaal": "Ned2F", "3ftaal": "Ned3F", "2frekenen": "Rek2F", "3frekenen": "Rek3F",
    "taal2f": "Ned2F", "taal3f": "Ned3F", "rekenen2f": "Rek2F", "rekenen3f": "Rek3F",
    "nederlands2f": "Ned2F", "nederlands3f": "Ned3F", "ned2f": "Ned2F", "ned3f": "Ned3F",
    "rek2f": "Rek2F", "rek3f": "Rek3F",
}


def parse_exam(text: str) -> str:
    """'2F Taal', 'Nederlands 2F' or 'Ned2F' → 'Ned2F'."""
    key = re.sub(r"[^a-z0-9]", "", str(text).lower())
    if key not in _EXAM_ALIASES:
        raise ValidationError(f"Onbekend centraal examen '{text}'; kies uit Nederlands 2F/3F en rekenen 2F/3F "
                              "(bijvoorbeeld '2F Taal' of 'Ned2F').")
    return _EXAM_ALIASES[key]


@dataclass(frozen=True)
class ExamWindow:
    """One exam in one afnameperiode, in one ISO week of it (or the whole period when `week` is None)."""

    school_year: str
    period: int
    starts_on: date
    ends_on: date
    exam: str
    week: int | None = None
    source: str = ""

    @property
    def period_label(self) -> str:
        return f"{self.school_year} periode {self.period}"

    def covers(self, on: date) -> bool:
        if not self.starts_on <= on <= self.ends_on:
            return False
        return self.week is None or on.isocalendar().week == self.week


def check_window(w: ExamWindow) -> ExamWindow:
    """A period as the bureau enters it: a real school year, the dates inside it and in order, a known
    exam, a week that falls inside the period."""
    parse_school_year(w.school_year)
    if not 1 <= w.period <= 9:
        raise ValidationError(f"Periode {w.period} bestaat niet; nummer de periodes 1 tot en met 9.")
    if w.starts_on > w.ends_on:
        raise ValidationError(f"De periode eindigt ({format_date(w.ends_on)}) vóór ze begint "
                              f"({format_date(w.starts_on)}).")
    first, last = school_year_bounds(w.school_year)
    if w.starts_on < first or w.ends_on > last:
        raise ValidationError(f"Periode {w.period} ({format_date(w.starts_on)} t/m {format_date(w.ends_on)}) valt niet "
                              f"binnen schooljaar {w.school_year}.")
    exam = parse_exam(w.exam)
    if w.week is not None:
        weeks = {d.isocalendar().week for d in _days(w.starts_on, w.ends_on)}
        if w.week not in weeks:
            raise ValidationError(f"Week {w.week} valt niet in periode {w.period} ({format_date(w.starts_on)} t/m "
                                  f"{format_date(w.ends_on)}).")
    return ExamWindow(w.school_year, w.period, w.starts_on, w.ends_on, exam, w.week, w.source.strip())


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day = date.fromordinal(day.toordinal() + 1)


@dataclass(frozen=True)
class Timing:
    """Where a central exam on a date stands against the afnameperiodes: `problem` is the Dutch warning
    (None when the date is inside a week set for the exam), `period` the label to record with the session."""

    problem: str | None
    period: str = ""


def central_exam_timing(exam: str, on: date, windows: Sequence[ExamWindow]) -> Timing:
    """Is `on` inside an afnameperiode of this central exam (and in a week set for it)?"""
    name = EXAM_NAMES.get(exam, exam)
    year = school_year_of(on)
    of_year = [w for w in windows if w.school_year == year]
    if not of_year:
        return Timing(f"Voor schooljaar {year} zijn geen afnameperiodes van de centrale examens vastgelegd; controleer "
                      f"of {format_date(on)} binnen een afnameperiode van {name} valt en leg de periodes vast "
                      "(Afnames → Afnameperiodes).")
    containing = sorted({(w.period, w.starts_on, w.ends_on) for w in of_year if w.starts_on <= on <= w.ends_on})
    if not containing:
        spans = sorted({(w.period, w.starts_on, w.ends_on) for w in of_year})
        listed = "; ".join(f"periode {p}: {format_date(a)} t/m {format_date(b)}" for p, a, b in spans)
        return Timing(f"{format_date(on)} valt buiten de afnameperiodes van schooljaar {year} ({listed}).")
    period = containing[0][0]
    label = f"{year} periode {period}"
    mine = [w for w in of_year if w.period == period and w.exam == exam]
    if not mine:
        return Timing(f"{name} wordt in {label} niet afgenomen.", label)
    if any(w.covers(on) for w in mine):
        return Timing(None, label)
    weeks = sorted({w.week for w in mine if w.week is not None})
    week_text = " en ".join(", ".join(str(n) for n in weeks).rsplit(", ", 1))
    return Timing(f"{name} wordt in {label} afgenomen in week {week_text}; {format_date(on)} valt in week "
                  f"{on.isocalendar().week}.", label)


# --- reading a CSV in the shape of the Regeling (and of shared/data) -------------------------------

CSV_COLUMNS = ("studiejaar", "periode", "periode_van", "periode_tm", "week", "examen")


def windows_from_rows(header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], source: str
                      ) -> tuple[list[ExamWindow], list[str]]:
    """Every row read into a checked window, or an error naming its line; nothing is partly read."""
    names = [re.sub(r"[^a-z_]", "", h.strip().lower()) for h in header]
    missing = [c for c in CSV_COLUMNS if c not in names and c != "week"]
    if missing:
        raise ValidationError(f"De kopregel mist de kolom(men) {', '.join(missing)}; verwacht: "
                              f"{', '.join(CSV_COLUMNS)}.")
    index = {c: names.index(c) for c in CSV_COLUMNS if c in names}
    windows: list[ExamWindow] = []
    errors: list[str] = []
    for line, cells in rows:
        def cell(name: str, cells: Sequence[str] = cells) -> str:
            i = index.get(name)
            return str(cells[i]).strip() if i is not None and i < len(cells) and cells[i] is not None else ""

        try:
            try:
                starts_on, ends_on = parse_date(cell("periode_van")), parse_date(cell("periode_tm"))
            except ValueError:
                raise ValidationError(f"'{cell('periode_van')}' of '{cell('periode_tm')}' is geen datum") from None
            if not cell("periode").isdigit():
                raise ValidationError(f"periode '{cell('periode')}' is geen nummer")
            week_text = cell("week")
            if week_text and not week_text.isdigit():
                raise ValidationError(f"week '{week_text}' is geen nummer")
            windows.append(check_window(ExamWindow(cell("studiejaar"), int(cell("periode")), starts_on, ends_on,
                                                   cell("examen"), int(week_text) if week_text else None, source)))
        except ValidationError as exc:
            errors.append(f"Regel {line}: {exc.message.rstrip('.')}.")
    return windows, errors
