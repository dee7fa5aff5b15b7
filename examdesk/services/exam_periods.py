"""The afnameperiodes of the central exams: the real 2014-2015 tijdvakken ship with the database; the
examenbureau adds newer ones, one at a time or as a CSV in the Regeling's shape, so planning can
warn when a central exam falls outside its period."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from examdesk.data import planning as data
from examdesk.domain.clock import to_iso
from examdesk.domain.errors import ValidationError
from examdesk.domain.exam_periods import ExamWindow, check_window, windows_from_rows
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action
from examdesk.services import tabular
from examdesk.services.context import AppContext


@dataclass(frozen=True)
class PeriodImport:
    added: int
    already_known: int

    @property
    def sentence(self) -> str:
        return f"{counted(self.added, 'afnameperiode-regel')} toegevoegd, {self.already_known} waren al bekend."


class ExamPeriodService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def windows(self, school_year: str | None = None) -> list[ExamWindow]:
        self.ctx.require(Action.VIEW_SESSIONS)
        return data.exam_windows(self.ctx.store, school_year)

    def add(self, *windows: ExamWindow) -> list[ExamWindow]:
        """One exam in one period, in one or more weeks (or the whole period), as published on the
        Examenblad; all of them or none."""
        user = self.ctx.require(Action.PLAN_SESSION)
        checked = [check_window(w) for w in windows]
        for w in checked:
            self._fits_known_period(w, checked)
            if data.window_exists(self.ctx.store, w):
                raise ValidationError(f"Dit staat al vast: {w.exam} in {w.period_label}"
                                      + (f", week {w.week}." if w.week else "."))
        with self.ctx.store.transaction():
            for w in checked:
                data.add_window(self.ctx.store, w, to_iso(self.ctx.clock()), user.username)
                self.ctx.audit("afnameperiode toegevoegd", "afnameperiode", w.period_label, _summary(w))
        return checked

    def import_file(self, path: Path) -> PeriodImport:
        """A CSV or XLSX with studiejaar, periode, periode_van, periode_tm, week, examen: every line checked
        first; one bad line and nothing is added (each bad line named)."""
        user = self.ctx.require(Action.PLAN_SESSION)
        table = tabular.read_table(Path(path))
        rows = [(line, ["" if c is None else str(c) for c in cells]) for line, cells in table.rows]
        windows, errors = windows_from_rows(table.headers, rows, Path(path).name)
        for w in windows:
            try:
                self._fits_known_period(w, windows)
            except ValidationError as exc:
                errors.append(exc.message)
        if errors:
            raise ValidationError("Er is niets toegevoegd. " + " ".join(errors))
        if not windows:
            raise ValidationError(f"{Path(path).name} bevat geen afnameperiodes.")
        added = known = 0
        with self.ctx.store.transaction():
            at = to_iso(self.ctx.clock())
            for w in windows:
                if data.window_exists(self.ctx.store, w):
                    known += 1
                    continue
                data.add_window(self.ctx.store, w, at, user.username)
                added += 1
            self.ctx.audit("afnameperiodes geïmporteerd", "afnameperiode", Path(path).name,
                           {"toegevoegd": added, "al bekend": known})
        return PeriodImport(added, known)

    def _fits_known_period(self, w: ExamWindow, batch: list[ExamWindow] | None = None) -> None:
        """A period number keeps one span within a school year: a second exam in 'periode 2' must have
        the dates periode 2 already has."""
        spans = {p: (a, b) for p, a, b in data.period_spans(self.ctx.store, w.school_year)}
        for other in batch or []:
            if other.school_year == w.school_year:
                spans.setdefault(other.period, (other.starts_on, other.ends_on))
        known = spans.get(w.period)
        if known and known != (w.starts_on, w.ends_on):
            raise ValidationError(
                f"Periode {w.period} van {w.school_year} loopt al van {known[0]:%d-%m-%Y} tot en met "
                f"{known[1]:%d-%m-%Y}; gebruik dezelfde datums of een ander periodenummer.")


def _summary(w: ExamWindow) -> dict[str, object]:
    return {"schooljaar": w.school_year, "periode": w.period, "van": w.starts_on.isoformat(),
            "tot en met": w.ends_on.isoformat(), "examen": w.exam, "week": w.week or ""}
