"""Candidates: editing, and importing the exports of student systems with a remembered column mapping.

An import is two steps: `preview_import` shows per candidate what would be added or changed (a field the
file does not carry keeps its value), then `apply_import` writes exactly that plan — refused if the
file or the database changed in between — and audits every changed field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from examdesk.data import sessions as data
from examdesk.domain.candidate_import import CANDIDATE_NOUN, ImportPlan, Table, guess_mapping, plan_import
from examdesk.domain.candidates import Candidate, validate_candidate
from examdesk.domain.clock import to_iso
from examdesk.domain.collation import dutch_key
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.imports import ImportResult
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
    """The shared reader's table as the mapping dialog needs it: text cells, rows as wide as the header,
    and per row the line number the user sees and how many cells the line really had (a short or long
    line is reported, not silently padded or cut)."""
    header = list(table.headers)
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows, lines, widths = [], [], []
    for line, cells in table.rows:
        text = [_cell_text(v) for v in cells]
        real = len(text)
        while real > width and not text[real - 1]:
            real -= 1          # empty cells after the last column are not extra fields
        rows.append((text + [""] * width)[:width])
        lines.append(line)
        widths.append(real if table.delimiter else max(real, width))  # an Excel row is as wide as its sheet
    return Table(header, rows, table.encoding or "xlsx", table.delimiter, lines, widths)


def _line(c: Candidate) -> Candidate:
    """A candidate as a list shows them: everything but the reason for extra time, which is in the file."""
    return replace(c, extra_reason="")


def _dutch_order(c: Candidate) -> tuple:
    """By surname the Dutch way (Şahin before Wójcik, 'van Dijk' under D: `domain.collation`), then first name."""
    return dutch_key(c.last_name), dutch_key(c.first_name), c.student_number


class CandidateService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    # --- reading -------------------------------------------------------------------------------
    # Lists show a line per candidate; the file (`get`) with the reason for extra time is read one at
    # a time, and each reading is audited (who, when, which candidate).
    def search(self, text: str = "", crebo: str = "", cohort: str = "") -> list[Candidate]:
        """By surname the Dutch way (Şahin before Wójcik, 'van Dijk' under D: `domain.collation`)."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        found = data.search_candidates(self.ctx.store, text.strip(), crebo.strip(), cohort.strip())
        found.sort(key=_dutch_order)
        return [_line(c) for c in found]

    def by_ids(self, candidate_ids: list[int]) -> dict[int, Candidate]:
        """List lines of these candidates (for the planning dialog), not their files; in Dutch name order."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        found = data.candidates_by_ids(self.ctx.store, list(candidate_ids))
        return {cid: _line(c) for cid, c in sorted(found.items(), key=lambda x: _dutch_order(x[1]))}

    def get(self, candidate_id: int) -> Candidate:
        """One candidate's file, with the reason for extra time; the reading is audited."""
        self.ctx.require(Action.VIEW_CANDIDATES)
        c = data.candidate(self.ctx.store, candidate_id)
        if c is None:
            raise NotFound("Deze kandidaat bestaat niet (meer).")
        with self.ctx.store.transaction():
            self.ctx.audit("kandidaatgegevens ingezien", "kandidaat", c.student_number, {"naam": c.full_name},
                           candidates=[c.id])
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
                self.ctx.audit(f"kandidaat {outcome}", "kandidaat", c.student_number, {"naam": c.full_name},
                               candidates=[candidate_id])
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

    def preview_import(self, table: Table, mapping: dict[str, str], source: str) -> ImportPlan:
        """What importing `table` with `mapping` would do, per candidate and field; nothing is written."""
        self.ctx.require(Action.MANAGE_CANDIDATES)
        source = source.strip() or "standaard"
        numbers = {row[table.header.index(mapping["student_number"])].strip() for row in table.rows} \
            if mapping.get("student_number") in table.header else set()
        existing = {n: c for n in numbers if (c := data.candidate_by_number(self.ctx.store, n)) is not None}
        return plan_import(table, mapping, existing, self.ctx.clock().date(), source)

    def apply_import(self, table: Table, confirmed: ImportPlan) -> ImportResult:
        """Writes the plan the user saw and confirmed: recomputed first, and refused when the file has a bad
        line or the result would differ from what was shown (the database changed meanwhile)."""
        self.ctx.require(Action.MANAGE_CANDIDATES)
        plan = self.preview_import(table, confirmed.mapping, confirmed.source)
        if plan.errors:
            shown = " ".join(plan.errors[:5])
            more = f" (en nog {len(plan.errors) - 5} fouten)" if len(plan.errors) > 5 else ""
            raise ValidationError(f"Er is niets geïmporteerd. {shown}{more}")
        if plan.fingerprint != confirmed.fingerprint:
            raise ValidationError("Er is niets geïmporteerd: de gegevens zijn gewijzigd sinds de controle. Controleer "
                                  "het bestand opnieuw en bevestig wat er dan verandert.")
        at = to_iso(self.ctx.clock())
        with self.ctx.store.transaction():
            for c in plan.candidates:
                if c.outcome == "ongewijzigd":
                    continue
                data.upsert_candidate(self.ctx.store, c.candidate, at)
                if c.outcome == "toegevoegd":
                    self.ctx.audit("kandidaat toegevoegd (import)", "kandidaat", c.student_number,
                                   {"naam": c.name, "regel": c.line, "bron": plan.source})
                else:
                    self.ctx.audit("kandidaat gewijzigd (import)", "kandidaat", c.student_number, {
                        "naam": c.name, "regel": c.line, "bron": plan.source,
                        "wijzigingen": {f.label: [f.old, f.new] for f in c.changes}})
            data.save_mapping(self.ctx.store, plan.source, plan.mapping, at)
            self.ctx.audit("kandidaten geïmporteerd", "kandidaten", plan.source,
                           {"toegevoegd": plan.added, "gewijzigd": plan.changed, "ongewijzigd": plan.unchanged,
                            "regels": len(table.rows), "niet in het bestand (behouden)": list(plan.unmapped)})
        return ImportResult(CANDIDATE_NOUN, f"met koppeling '{plan.source}'", plan.added, plan.changed, plan.unchanged)

    def preview_file(self, path: Path, source: str | None = None) -> tuple[Table, ImportPlan]:
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
        return table, self.preview_import(table, mapping, source)
