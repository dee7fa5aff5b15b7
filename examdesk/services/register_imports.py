"""Importing kwalificatie, supplier and instrument lists into the register.

A file is read and checked as a whole first; with any error it is refused as a whole (the errors
name row, column and what is wrong), unless the user explicitly chooses to import only the valid
rows. Everything that is imported lands in one transaction with its audit entries. Importing the
same file twice changes nothing; a newer kwalificatie list updates names and adds crebos without
touching instruments.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examdesk.data import register as data
from examdesk.data import validity as stored_validity
from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.imports import ImportResult, changes_phrase
from examdesk.domain.plural import counted, plural
from examdesk.domain.register import (
    FIELD_LABELS,
    PROTECTED_FIELDS,
    Instrument,
    Qualification,
    QualificationKind,
    Status,
    Supplier,
    SupplierDraft,
    Transition,
    adoption_of,
    check_transition,
    ordered,
)
from examdesk.domain.register_import import (
    COLUMNS,
    HeaderMap,
    ImportIssue,
    ImportKind,
    ImportRefused,
    InstrumentRow,
    RowReader,
    map_headers,
    read_instrument,
    read_qualification,
    read_supplier,
)
from examdesk.domain.roles import Action
from examdesk.services.register import instrument_changes, keep_replaced_certificate, supplier_summary
from examdesk.services.tabular import Table, read_table

if TYPE_CHECKING:
    from examdesk.services.context import AppContext

NOUNS = {ImportKind.QUALIFICATIONS: "kwalificatie", ImportKind.INSTRUMENTS: "instrument",
         ImportKind.SUPPLIERS: "leverancier"}


@dataclass(frozen=True)
class ImportPlan:
    """What a file would do to the register, and what is wrong with it. Nothing saved yet."""

    kind: ImportKind
    path: Path
    rows: int                         # data rows read (empty rows not counted)
    issues: list[ImportIssue]
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    bad_rows: int = 0
    fatal: bool = False               # the file as a whole is unusable (e.g. a required column is missing)
    _operations: list[Callable[[], None]] = field(default_factory=list, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def valid_rows(self) -> int:
        return self.rows - self.bad_rows

    @property
    def summary(self) -> str:
        text = (f"{counted(self.rows, NOUNS[self.kind])} gelezen uit {self.path.name}: "
                f"{changes_phrase(self.new, self.changed, self.unchanged)}")
        if self.bad_rows:
            text += f", {counted(self.bad_rows, 'rij')} met fouten"
        return text + "."


class _Planner:
    """Collects issues per row and the write for every row that is valid."""

    def __init__(self, ctx: AppContext, kind: ImportKind, path: Path, table: Table, headers: HeaderMap):
        self.ctx = ctx
        self.kind = kind
        self.path = path
        self.table = table
        self.headers = headers
        self.issues: list[ImportIssue] = []
        self.bad_rows: set[int] = set()
        self.counts = {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 0}
        self.operations: list[Callable[[], None]] = []
        self.changes: list[dict[str, Any]] = []

    def reader(self, row: int, cells: list[object]) -> RowReader:
        return RowReader(row, cells, self.headers)

    def reject(self, issues: list[ImportIssue]) -> None:
        self.issues.extend(issues)
        self.bad_rows.update(i.row for i in issues)

    def accept(self, outcome: str, operation: Callable[[], None] | None, change: dict[str, Any] | None = None) -> None:
        self.counts[outcome] += 1
        if operation is not None:
            self.operations.append(operation)
        if change is not None:
            self.changes.append(change)

    def plan(self) -> ImportPlan:
        return ImportPlan(self.kind, self.path, len(self.table.rows), self.issues, self.counts["nieuw"],
                          self.counts["gewijzigd"], self.counts["ongewijzigd"], len(self.bad_rows), False,
                          self.operations)


def _read(kind: ImportKind, path: Path) -> tuple[Table, HeaderMap]:
    table = read_table(path, COLUMNS[kind])
    return table, map_headers(table.headers, COLUMNS[kind])


def plan_import(ctx: AppContext, kind: ImportKind, path: Path) -> ImportPlan:
    """Reads and checks a file without saving anything: what would be imported, and every error."""
    ctx.require(Action.IMPORT_REGISTER)
    table, headers = _read(kind, path)
    if headers.missing:
        issues = [ImportIssue(table.header_row, c.label, f"De kolom '{c.label}' ontbreekt in de kopregel.")
                  for c in headers.missing]
        return ImportPlan(kind, path, len(table.rows), issues, bad_rows=len(table.rows), fatal=True)
    if not table.rows:
        return ImportPlan(kind, path, 0, [ImportIssue(table.header_row, "", "Onder de kopregel staan geen rijen.")],
                          fatal=True)
    planner = _Planner(ctx, kind, path, table, headers)
    {ImportKind.QUALIFICATIONS: _plan_qualifications, ImportKind.SUPPLIERS: _plan_suppliers,
     ImportKind.INSTRUMENTS: _plan_instruments}[kind](planner)
    return planner.plan()


def apply_import(ctx: AppContext, kind: ImportKind, path: Path, valid_rows_only: bool) -> ImportResult:
    """Imports in one transaction. A file with errors is refused whole (ImportRefused lists them),
    unless the user explicitly chose to import only the valid rows."""
    ctx.require(Action.IMPORT_REGISTER)
    with ctx.store.transaction():
        # Planned inside the transaction, so what is checked is exactly what is written.
        plan = plan_import(ctx, kind, path)
        many = plural(NOUNS[kind])
        if plan.fatal or (plan.issues and not valid_rows_only):
            count = len(plan.issues)
            raise ImportRefused(
                f"{path.name} is niet geïmporteerd: {counted(count, 'fout')} gevonden. "
                "Er is niets opgeslagen.", plan.issues)
        if plan.valid_rows == 0:
            raise ValidationError(f"{path.name} bevat geen enkele geldige rij; er is niets geïmporteerd.")
        for operation in plan._operations:
            operation()
        # the stored verdicts the import made stale (`data.validity`'s triggers removed them), again
        stored_validity.refresh_missing(ctx.store, ctx.clock().date())
        if plan.new or plan.changed:
            ctx.audit(f"{many} geïmporteerd", "import", path.name, {
                "bestand": path.name, "nieuw": plan.new, "gewijzigd": plan.changed, "ongewijzigd": plan.unchanged,
                "overgeslagen rijen": plan.bad_rows})
    return ImportResult(NOUNS[kind], f"uit {path.name}", plan.new, plan.changed, plan.unchanged, plan.bad_rows,
                        tuple(plan.issues) if valid_rows_only else ())


# --- kwalificaties -------------------------------------------------------------------------------

def _plan_qualifications(p: _Planner) -> None:
    store = p.ctx.store
    existing = {q.crebo: q for q in data.all_qualifications(store)}
    seen: dict[str, int] = {}
    now = p.ctx.now_iso()
    for row, cells in p.table.rows:
        reader = p.reader(row, cells)
        parsed = read_qualification(reader)
        if parsed is None:
            p.reject(reader.issues)
            continue
        if parsed.crebo in seen:
            p.reject([ImportIssue(row, reader.column("crebo"),
                                  f"Crebo {parsed.crebo} staat ook al in rij {seen[parsed.crebo]}.")])
            continue
        seen[parsed.crebo] = row
        old = existing.get(parsed.crebo)
        base = old or Qualification(parsed.crebo, parsed.name, parsed.niveau)
        fields = dict(parsed.fields)
        new = replace(base, name=parsed.name, niveau=parsed.niveau,
                      kind=fields.pop("kind", base.kind if old else QualificationKind.KWALIFICATIE), **fields)
        if old == new:
            p.accept("ongewijzigd", None)
            continue

        def write(q: Qualification = new) -> None:
            data.upsert_qualification(store, q, now)

        p.accept("nieuw" if old is None else "gewijzigd", write)


# --- leveranciers ---------------------------------------------------------------------------------

def _plan_suppliers(p: _Planner) -> None:
    store = p.ctx.store
    seen: dict[str, int] = {}
    now = p.ctx.now_iso()
    for row, cells in p.table.rows:
        reader = p.reader(row, cells)
        parsed = read_supplier(reader)
        if parsed is None:
            p.reject(reader.issues)
            continue
        key = parsed.name.lower()
        if key in seen:
            p.reject([ImportIssue(row, reader.column("name"), f"'{parsed.name}' staat ook al in rij {seen[key]}.")])
            continue
        seen[key] = row
        old = data.supplier_by_name(store, parsed.name)
        base = old or Supplier(str(uuid.uuid4()), parsed.name)
        merged = replace(base, name=parsed.name, **parsed.fields)
        try:
            SupplierDraft(merged.name, merged.authority, merged.certificate_number, merged.certified_from,
                          merged.certified_until).checked()
        except ValidationError as exc:
            p.reject([ImportIssue(row, reader.column("certificate_number"), exc.message)])
            continue
        if old == merged:
            p.accept("ongewijzigd", None)
            continue

        def write(s: Supplier = merged, was: Supplier | None = old) -> None:
            if was is not None:
                keep_replaced_certificate(store, was, s, now, p.ctx.actor)
            data.save_supplier(store, s, now)
            summary = {"wordt": supplier_summary(s)}
            if was:
                summary["was"] = supplier_summary(was)
            p.ctx.audit("leverancier geïmporteerd", "leverancier", s.id, summary)

        p.accept("nieuw" if old is None else "gewijzigd", write)


# --- instrumenten -----------------------------------------------------------------------------------

_OPTIONAL_TO_FIELD = {"part": "part", "formative": "formative", "validator": "validator",
                      "validation_date": "validation_date", "version": "version"}


def _plan_instruments(p: _Planner) -> None:
    ctx = p.ctx
    store = ctx.store
    today = ctx.clock().date()
    crebos = data.known_crebos(store)
    suppliers = {s.name.lower(): s for s in data.all_suppliers(store)}
    may_adopt = ctx.can(Action.ADOPT_INSTRUMENT)
    seen: dict[str, int] = {}
    for row, cells in p.table.rows:
        reader = p.reader(row, cells)
        parsed = read_instrument(reader, today)
        if parsed is None:
            p.reject(reader.issues)
            continue
        issues: list[ImportIssue] = []
        key = parsed.code.lower()
        if key in seen:
            issues.append(ImportIssue(row, reader.column("code"), f"Code '{parsed.code}' staat ook al in rij {seen[key]}."))
        seen.setdefault(key, row)
        if parsed.crebo not in crebos:
            issues.append(ImportIssue(row, reader.column("crebo"), f"Crebo {parsed.crebo} staat niet in het register; "
                                                                   "importeer eerst de kwalificatielijst."))
        supplier = suppliers.get(parsed.supplier_name.lower()) if parsed.supplier_name else None
        if parsed.supplier_name and supplier is None:
            issues.append(ImportIssue(row, reader.column("supplier"), f"Leverancier '{parsed.supplier_name}' staat "
                                                                      "niet in het register; importeer of voeg die eerst toe."))
        if parsed.adopted_on and not may_adopt:
            issues.append(ImportIssue(row, reader.column("adopted_on"), "Alleen de examencommissie stelt instrumenten "
                                      "vast; laat deze kolom leeg of laat de commissie dit bestand importeren."))
        if issues:
            p.reject(issues)
            continue
        _plan_instrument(p, reader, parsed, supplier, today)


def _plan_instrument(p: _Planner, reader: RowReader, r: InstrumentRow, supplier: Supplier | None, today: date) -> None:
    ctx = p.ctx
    store = ctx.store
    old = data.instrument_by_code(store, r.code)
    history = ordered(data.statuses_for(store, old.id)) if old else []
    supplier_id = supplier.id if supplier else None
    if old is None:
        new = Instrument(str(uuid.uuid4()), r.code, r.title, r.crebo, r.part, r.kind, r.formative, r.route,
                         supplier_id, r.validator, r.validation_date, r.version)
    else:
        changes: dict[str, Any] = {"code": r.code, "title": r.title, "crebo": r.crebo, "kind": r.kind, "route": r.route}
        for column, attr in _OPTIONAL_TO_FIELD.items():
            if column in r.present:
                changes[attr] = getattr(r, column)
        if "supplier" in r.present:
            changes["supplier_id"] = supplier_id
        new = replace(old, **changes)
        if history and history[-1].status in (Status.ADOPTED, Status.PROVISIONAL):
            changed = [f for f in PROTECTED_FIELDS if getattr(old, f) != getattr(new, f)]
            if changed:
                column = {"supplier_id": "supplier"}.get(changed[0], changed[0])
                p.reject([ImportIssue(reader.row, reader.column(column), (
                    f"{old.code} is vastgesteld; {', '.join(FIELD_LABELS[f] for f in changed)} wijzigen is een "
                    "wijziging van het instrument. Markeer het eerst als gewijzigd; daarna stelt de commissie het "
                    "opnieuw vast."))])
                return
    if new.route == 1 and not new.supplier_id:
        p.reject([ImportIssue(reader.row, reader.column("supplier"),
                              "Route 1 vraagt een examenleverancier, maar de leverancier ontbreekt.")])
        return

    adopt: Transition | None = None
    if r.adopted_on:
        current = adoption_of(history, today)
        in_force = history[-1].status if history else None
        if in_force is Status.ADOPTED and current is not None:
            if current.effective_on != r.adopted_on or current.decision_number != r.decision_number:
                p.reject([ImportIssue(reader.row, reader.column("adopted_on"), (
                    f"{new.code} is al vastgesteld op {format_date(current.effective_on)} (besluit "
                    f"{current.decision_number}); dit bestand noemt {format_date(r.adopted_on)} (besluit "
                    f"{r.decision_number})."))])
                return
        else:
            try:
                adopt = check_transition(new, history, Transition(Status.ADOPTED, r.adopted_on, r.decision_number),
                                         today, data.criteria_for(store, old.id) if old else ())
            except ValidationError as exc:
                p.reject([ImportIssue(reader.row, reader.column("adopted_on"), exc.message)])
                return

    if old is not None and old == new and adopt is None:
        p.accept("ongewijzigd", None)
        return

    def write(instrument: Instrument = new, was: Instrument | None = old, step: Transition | None = adopt) -> None:
        now = ctx.now_iso()
        if was is None:
            data.save_instrument(store, instrument, now)
            data.append_status(store, instrument.id, Status.CONCEPT, min(today, step.effective_on) if step else today,
                               "", "", now, ctx.actor)
            ctx.audit("instrument geregistreerd (import)", "instrument", instrument.id,
                              {"code": instrument.code, "titel": instrument.title, "crebo": instrument.crebo,
                               "route": instrument.route})
        elif was != instrument:
            data.save_instrument(store, instrument, now)
            ctx.audit("instrument bewerkt (import)", "instrument", instrument.id, instrument_changes(was, instrument))
        if step is not None:
            data.append_status(store, instrument.id, Status.ADOPTED, step.effective_on, step.decision_number, "",
                               now, ctx.actor)
            ctx.audit("instrument vastgesteld (import)", "instrument", instrument.id,
                              {"code": instrument.code, "datum": step.effective_on.isoformat(),
                               "besluit": step.decision_number})

    p.accept("nieuw" if old is None else "gewijzigd", write)
