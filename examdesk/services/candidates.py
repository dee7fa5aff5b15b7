"""Candidates: editing, and importing the exports of student systems with a remembered column mapping."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from examdesk.data import sessions as data
from examdesk.domain.candidate_import import Table, check_mapping, guess_mapping, to_candidates
from examdesk.domain.candidates import Candidate, validate_candidate
from examdesk.domain.clock import to_iso
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.roles import Action
from examdesk.services import tabular
from examdesk.services.context import AppContext

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_table(path: Path) -> Table:
    """A CSV (any of ; , tab; UTF-8 ±BOM, UTF-16 or cp1252) or the first sheet of an XLSX, as text cells."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"{path} kan niet worden gelezen: {exc.strerror}.") from exc
    if size > MAX_FILE_BYTES:
        raise ValidationError(f"{path.name} is groter dan 50 MB; dat is geen kandidatenlijst.")
    return _text_table(tabular.read_table(path))


def parse_csv(data: bytes) -> Table:
    return _text_table(tabular.read_csv(data))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text_table(table: tabular.Table) -> Table:
    """The shared reader's table as the mapping dialog needs it: text cells, rows as wide as the header."""
    header = list(table.headers)
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows = [([_cell_text(v) for v in cells] + [""] * width)[:width] for _, cells in table.rows]
    return Table(header, rows, table.encoding or "xlsx", table.delimiter)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    source: str

    @property
    def sentence(self) -> str:
        return (f"{self.added} kandidaten toegevoegd, {self.updated} bijgewerkt, {self.unchanged} ongewijzigd"
                f" (koppeling '{self.source}').")


def _line(c: Candidate) -> Candidate:
    """A candidate as a list shows them: everything but the reason for extra time, which is in the file."""
    return replace(c, extra_reason="")


class CandidateService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    # --- reading -------------------------------------------------------------------------------
    # Lists show a line per candidate; the file (`get`) with the reason for extra time is read one at
    # a time, and each reading is audited (who, when, which candidate).
    def search(self, text: str = "", crebo: str = "", cohort: str = "") -> list[Candidate]:
        self.ctx.require(Action.VIEW_CANDIDATES)
        return [_line(c) for c in data.search_candidates(self.ctx.store, text.strip(), crebo.strip(), cohort.strip())]

    def by_ids(self, candidate_ids: list[int]) -> dict[int, Candidate]:
        """List lines of these candidates (for the planning dialog), not their files."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        return {cid: _line(c) for cid, c in data.candidates_by_ids(self.ctx.store, list(candidate_ids)).items()}

    def get(self, candidate_id: int) -> Candidate:
        """One candidate's file, with the reason for extra time; the reading is audited."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        c = data.candidate(self.ctx.store, candidate_id)
        if c is None:
            raise NotFound("Deze kandidaat bestaat niet (meer).")
        with self.ctx.store.transaction():
            self.ctx.audit("kandidaatgegevens ingezien", "kandidaat", c.student_number, {"naam": c.full_name})
        return c

    def filters(self) -> tuple[list[str], list[str]]:
        """(crebos, cohorts) that occur, for the filter lists."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        return data.distinct_values(self.ctx.store, "crebo"), data.distinct_values(self.ctx.store, "cohort")

    # --- editing -------------------------------------------------------------------------------
    def save(self, candidate: Candidate) -> Candidate:
        """Adds a candidate or updates the one with the same studentnummer."""
        self.ctx.require(Action.MANAGE_CANDIDATES)
        c = validate_candidate(candidate, self.ctx.clock().date())
        if candidate.id is not None:
            before = data.candidate(self.ctx.store, candidate.id)
            if before is None:
                raise NotFound("Deze kandidaat bestaat niet (meer).")
            if before.student_number != c.student_number:
                raise ValidationError("Het studentnummer van een bestaande kandidaat kan niet worden gewijzigd.")
        with self.ctx.store.transaction():
            candidate_id, outcome = data.upsert_candidate(self.ctx.store, c, to_iso(self.ctx.clock()))
            if outcome != "ongewijzigd":
                self.ctx.audit(f"kandidaat {outcome}", "kandidaat", c.student_number, {"naam": c.full_name})
        return data.candidate(self.ctx.store, candidate_id)

    # --- importing -----------------------------------------------------------------------------
    def mapping_sources(self) -> list[str]:
        self.ctx.require(Action.MANAGE_CANDIDATES)
        return data.mapping_sources(self.ctx.store)

    def mapping_for(self, source: str, header: list[str]) -> dict[str, str]:
        """The remembered mapping of this source, where its columns still exist; else a guess."""
        self.ctx.require(Action.MANAGE_CANDIDATES)
        saved = data.mapping(self.ctx.store, source.strip()) if source.strip() else None
        if saved:
            kept = {k: v for k, v in saved.items() if v in header}
            if kept:
                return kept
        return guess_mapping(header)

    def import_table(self, table: Table, mapping: dict[str, str], source: str) -> ImportResult:
        """All rows or none: any bad row, or a studentnummer twice, and nothing is saved."""
        self.ctx.require(Action.MANAGE_CANDIDATES)
        source = source.strip() or "standaard"
        mapping = check_mapping(mapping, table.header)
        parsed = to_candidates(table, mapping, self.ctx.clock().date())
        if parsed.errors:
            shown = " ".join(parsed.errors[:5])
            more = f" (en nog {len(parsed.errors) - 5} fouten)" if len(parsed.errors) > 5 else ""
            raise ValidationError(f"Er is niets geïmporteerd. {shown}{more}")
        at = to_iso(self.ctx.clock())
        counts = {"toegevoegd": 0, "bijgewerkt": 0, "ongewijzigd": 0}
        with self.ctx.store.transaction():
            for c in parsed.candidates:
                _, outcome = data.upsert_candidate(self.ctx.store, c, at)
                counts[outcome] += 1
            data.save_mapping(self.ctx.store, source, mapping, at)
            self.ctx.audit("kandidaten geïmporteerd", "kandidaten", source,
                           {"toegevoegd": counts["toegevoegd"], "bijgewerkt": counts["bijgewerkt"],
                            "ongewijzigd": counts["ongewijzigd"], "rijen": len(table.rows)})
        return ImportResult(counts["toegevoegd"], counts["bijgewerkt"], counts["ongewijzigd"], source)

    def import_file(self, path: Path, source: str | None = None) -> ImportResult:
        """The CLI path: the remembered mapping of `source` (must exist when named), else a guess."""
        self.ctx.require(Action.MANAGE_CANDIDATES)
        table = read_table(path)
        if source:
            saved = data.mapping(self.ctx.store, source)
            if saved is None:
                known = ", ".join(data.mapping_sources(self.ctx.store)) or "geen"
                raise ValidationError(f"Er is geen koppeling met de naam '{source}'. Bekende koppelingen: {known}.")
            mapping = saved
        else:
            mapping = guess_mapping(table.header)
            source = path.stem
        return self.import_table(table, mapping, source)
