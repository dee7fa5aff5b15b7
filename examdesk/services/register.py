"""The instrument register's use cases: look up, register, adopt, change, withdraw, choose routes,
(Over 400 lines: one use case per register action, and the computed view the Register screen filters.)
import, export — each checks the user's role first and audits in the same transaction.

Sessions call `RegisterService.validity_on(instrument_id, on)` to refuse planning an invalid
instrument: the same rule the register screen shows. Route-2 criteria, route exceptions and the
supplier's earlier certificates are recorded here too, each audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examdesk.data import register as data
from examdesk.data import validity as stored_validity
from examdesk.data.memo import while_unchanged
from examdesk.data.validity import StoredVerdict
from examdesk.domain.clock import format_date
from examdesk.domain.errors import NotFound, ValidationError
from examdesk.domain.plural import counted, number
from examdesk.domain.register import (
    FIELD_LABELS,
    PROTECTED_FIELDS,
    Criterion,
    CriterionCheck,
    Instrument,
    InstrumentDraft,
    Qualification,
    RegisterFilter,
    RouteChoice,
    RouteException,
    Status,
    StatusEntry,
    Supplier,
    SupplierDraft,
    Transition,
    ValidityVerdict,
    bare_reasons,
    check_criterion,
    check_purchase,
    check_transition,
    instrument_signals,
    normalise_crebo,
    ordered,
    parse_school_year,
    restated,
    route_mismatch,
    school_year_of,
    validate_route_choice,
    validity,
)
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext

if TYPE_CHECKING:
    from examdesk.data.db import Store
    from examdesk.domain.imports import ImportResult
    from examdesk.domain.register_import import ImportKind
    from examdesk.services.overview import Card
    from examdesk.services.register_imports import ImportPlan

EXPIRY_WARNING_DAYS = 90
_VIEW_MEMO = "register_view"   # store.memo: (date, school year, database state) → the RegisterView


# --- the read model behind the Register screen --------------------------------------------------

class _Inputs:
    """The status histories and criteria checks behind a view's lines, read when a line needs them (its detail,
    a verdict on another date, the export) rather than for all 6,000 whenever the register is read: one
    instrument's by its index, or everyone's at once (`load_all`) when many are asked for."""

    def __init__(self, store: Store):
        self.store = store
        self.histories: dict[str, list[StatusEntry]] | None = None
        self.criteria: dict[str, list[CriterionCheck]] | None = None

    def load_all(self) -> None:
        if self.histories is None:
            self.histories = data.all_statuses(self.store)
            self.criteria = data.all_criteria(self.store)

    def history(self, instrument_id: str) -> tuple[StatusEntry, ...]:
        if self.histories is not None:
            return tuple(ordered(self.histories.get(instrument_id, ())))
        return tuple(ordered(data.statuses_for(self.store, instrument_id)))

    def checks(self, instrument_id: str) -> tuple[CriterionCheck, ...]:
        if self.criteria is not None:
            return tuple(self.criteria.get(instrument_id, ()))
        return tuple(data.criteria_for(self.store, instrument_id))


@dataclass(frozen=True)
class InstrumentLine:
    """An instrument with everything the register shows beside it, for one date. The verdict and status are the
    stored facts (`data.validity`); the history and criteria are read when asked for."""

    instrument: Instrument
    qualification: Qualification | None
    supplier: Supplier | None
    stored: StoredVerdict
    mismatch: str | None
    search_key: str
    inputs: _Inputs = field(repr=False, compare=False)
    exception: RouteException | None = None

    @property
    def verdict(self) -> ValidityVerdict:
        return self.stored.verdict

    @property
    def status(self) -> Status:
        return self.stored.status

    @cached_property
    def history(self) -> tuple[StatusEntry, ...]:
        return self.inputs.history(self.instrument.id)

    @cached_property
    def criteria(self) -> tuple[CriterionCheck, ...]:
        return self.inputs.checks(self.instrument.id)

    @property
    def current(self) -> StatusEntry | None:
        return self.history[-1] if self.history else None

    @cached_property
    def signals(self) -> tuple[str, ...]:
        """What the register flags without it changing the verdict: worked out when an instrument's detail
        is shown, not for all 6,000 whenever the register is read."""
        return instrument_signals(self.instrument, self.history, self.criteria)

    def verdict_on(self, on: date) -> ValidityVerdict:
        if on == self.verdict.on:
            return self.verdict
        if self.stored.holds_on(on):
            return restated(self.verdict.valid, self.verdict.provisional, bare_reasons(self.verdict), on)
        return validity(self.instrument, self.history, self.supplier, self.qualification, on, self.criteria)


@dataclass(frozen=True)
class QualificationLine:
    qualification: Qualification
    instrument_count: int
    invalid_count: int
    route_choice: RouteChoice | None
    search_key: str

    @property
    def needs_route_choice(self) -> bool:
        return self.instrument_count > 0 and self.route_choice is None


@dataclass
class RegisterView:
    """The whole register on one date, computed once; filtering it is then pure and fast.

    The kwalificaties (with their counts) are there at once; the instruments are read when first asked for: one
    kwalificatie's when the screen shows it, all 6,000 at the first search, filter or export (issue 16: the
    first paint of the Register needs the list of kwalificaties and the first one's instruments, not 6,000
    lines). `load(crebo)` reads one kwalificatie's lines, `load(None)` every line."""

    on: date
    school_year: str
    qualifications: list[QualificationLine]
    load: Callable[[str | None], dict[str, list[InstrumentLine]]] = field(repr=False, compare=False)
    suppliers: list[Supplier]
    supplier_counts: dict[str, int]                    # supplier id → its instruments
    _all: dict[str, list[InstrumentLine]] | None = field(default=None, repr=False)
    _some: dict[str, list[InstrumentLine]] = field(default_factory=dict, repr=False)
    _verdicts: dict[date, dict[str, bool]] = field(default_factory=dict)

    @property
    def instruments(self) -> dict[str, list[InstrumentLine]]:
        """crebo → lines, ordered by code: every instrument (read once)."""
        if self._all is None:
            self._all = self.load(None)
            self._some.clear()
        return self._all

    def lines_of(self, crebo: str) -> list[InstrumentLine]:
        """One kwalificatie's lines, without reading the others' when they are not read yet."""
        if self._all is not None:
            return self._all.get(crebo, [])
        if crebo not in self._some:
            self._some[crebo] = self.load(crebo).get(crebo, [])
        return self._some[crebo]

    def instrument_lines(self) -> Iterable[InstrumentLine]:
        for lines in self.instruments.values():
            yield from lines

    def line(self, instrument_id: str) -> InstrumentLine | None:
        return next((x for x in self.instrument_lines() if x.instrument.id == instrument_id), None)

    def valid_on(self, when: date) -> dict[str, bool]:
        """instrument id → valid on `when`; computed once per date."""
        if when == self.on:
            return {x.instrument.id: x.verdict.valid for x in self.instrument_lines()}
        if when not in self._verdicts:
            lines = list(self.instrument_lines())
            if sum(1 for x in lines if not x.stored.holds_on(when)) > 50 and lines:
                lines[0].inputs.load_all()   # many verdicts to work out: every history in one read
            self._verdicts[when] = {x.instrument.id: x.verdict_on(when).valid for x in lines}
        return self._verdicts[when]

    def _instrument_matches(self, f: RegisterFilter) -> Any:
        checks = []
        if f.status is not None:
            checks.append(lambda x: x.status is f.status)
        if f.route is not None:
            checks.append(lambda x: x.instrument.route == f.route)
        if f.supplier_id:
            checks.append(lambda x: x.instrument.supplier_id == f.supplier_id)
        if f.invalid_on is not None:
            valid = self.valid_on(f.invalid_on)
            checks.append(lambda x: not valid[x.instrument.id])
        if f.expiring_within:
            later = self.valid_on(self.on + timedelta(days=f.expiring_within))
            checks.append(lambda x: x.verdict.valid and not later[x.instrument.id])
        if f.route_mismatch:
            checks.append(lambda x: x.mismatch is not None)
        return checks

    def filtered(self, f: RegisterFilter, with_instruments_only: bool = False
                 ) -> tuple[list[QualificationLine], dict[str, list[InstrumentLine]]]:
        """The kwalificaties that match, and per kwalificatie the instruments that match.

        Text matches crebo or name (then all its instruments count) or an instrument's code or title.
        The other filters are about instruments: a kwalificatie shows when one of its instruments passes.
        """
        needle = f.text.strip().lower()
        checks = self._instrument_matches(f)
        instrument_filter = bool(checks)
        if not needle and not instrument_filter:    # no instrument needed to choose: each read when shown
            shown = [q for q in self.qualifications if self._qualification_passes(q, f, with_instruments_only)]
            return shown, ShownLines(self, {q.qualification.crebo: None for q in shown},
                                     sum(q.instrument_count for q in shown))
        shown = []
        per_crebo: dict[str, list[InstrumentLine] | None] = {}
        for q in self.qualifications:
            if not self._qualification_passes(q, f, with_instruments_only):
                continue
            lines = self.instruments.get(q.qualification.crebo, [])
            own_match = not needle or needle in q.search_key
            if not own_match:
                lines = [x for x in lines if needle in x.search_key]
                if not lines:
                    continue
            if instrument_filter:
                lines = [x for x in lines if all(check(x) for check in checks)]
                if not lines:
                    continue
            shown.append(q)
            per_crebo[q.qualification.crebo] = lines
        return shown, ShownLines(self, per_crebo, sum(len(v or ()) for v in per_crebo.values()))

    @staticmethod
    def _qualification_passes(q: QualificationLine, f: RegisterFilter, with_instruments_only: bool) -> bool:
        if f.no_route_choice and not q.needs_route_choice:
            return False
        if f.route_choice_signals and not (q.route_choice and q.route_choice.signals):
            return False
        return not (with_instruments_only and not q.instrument_count)


class ShownLines(Mapping[str, list[InstrumentLine]]):
    """Per kwalificatie shown, the instruments that match: as filtered, or (no instrument filter) read from the
    view when one is looked up; `total` is their number, known without reading them."""

    def __init__(self, view: RegisterView, lines: dict[str, list[InstrumentLine] | None], total: int):
        self._view, self._lines, self.total = view, lines, total

    def __getitem__(self, crebo: str) -> list[InstrumentLine]:
        lines = self._lines[crebo]
        return self._view.lines_of(crebo) if lines is None else lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


# --- the service -----------------------------------------------------------------------------------

class RegisterService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    @property
    def store(self):
        return self.ctx.store

    def today(self) -> date:
        return self.ctx.clock().date()

    # reading -----------------------------------------------------------------------------------

    def qualification(self, crebo: str) -> Qualification:
        self.ctx.require(Action.VIEW_REGISTER)
        q = data.get_qualification(self.store, normalise_crebo(crebo))
        if q is None:
            raise NotFound(f"Crebo {crebo} staat niet in het register; importeer eerst de kwalificatielijst.")
        return q

    def list_qualifications(self) -> list[Qualification]:
        self.ctx.require(Action.VIEW_REGISTER)
        return data.all_qualifications(self.store)

    def supplier(self, supplier_id: str) -> Supplier:
        self.ctx.require(Action.VIEW_REGISTER)
        s = data.get_supplier(self.store, supplier_id)
        if s is None:
            raise NotFound("Deze examenleverancier staat niet in het register.")
        return s

    def list_suppliers(self) -> list[Supplier]:
        self.ctx.require(Action.VIEW_REGISTER)
        return data.all_suppliers(self.store)

    def instrument(self, instrument_id: str) -> Instrument:
        self.ctx.require(Action.VIEW_REGISTER)
        i = data.get_instrument(self.store, instrument_id)
        if i is None:
            raise NotFound("Dit exameninstrument staat niet in het register.")
        return i

    def instrument_by_code(self, code: str) -> Instrument:
        self.ctx.require(Action.VIEW_REGISTER)
        i = data.instrument_by_code(self.store, code)
        if i is None:
            raise NotFound(f"Er is geen exameninstrument met code '{code.strip()}'.")
        return i

    def list_instruments(self, crebo: str | None = None, supplier_id: str | None = None, route: int | None = None,
                         valid_on: date | None = None) -> list[Instrument]:
        """Instruments by crebo, supplier and route; with `valid_on`, only those valid on that date
        (what a session planner may choose from)."""
        self.ctx.require(Action.VIEW_REGISTER)
        found = data.list_instruments(self.store, normalise_crebo(crebo) if crebo else None, supplier_id, route)
        if valid_on is None:
            return found
        return [i for i in found if self._verdict(i, valid_on).valid]

    def history(self, instrument_id: str) -> list[StatusEntry]:
        self.ctx.require(Action.VIEW_REGISTER)
        return ordered(data.statuses_for(self.store, instrument_id))

    def validity_on(self, instrument_id: str, on: date) -> ValidityVerdict:
        """Valid on `on`, and if not, each reason as one Dutch sentence. Sessions plan only with a valid one."""
        return self._verdict(self.instrument(instrument_id), on)

    def criteria(self, instrument_id: str) -> list[CriterionCheck]:
        """Every recorded check of the bijlage-2 criteria of an instrument, oldest first."""
        self.ctx.require(Action.VIEW_REGISTER)
        return data.criteria_for(self.store, instrument_id)

    def route_exception(self, instrument_id: str, school_year: str) -> RouteException | None:
        self.ctx.require(Action.VIEW_REGISTER)
        return data.get_route_exception(self.store, instrument_id, school_year)

    def _refresh(self, instrument_ids: Iterable[str]) -> None:
        """The stored verdicts of instruments this writer changed, worked out again in its transaction."""
        stored_validity.refresh(self.store, instrument_ids, self.today())

    def _verdict(self, instrument: Instrument, on: date) -> ValidityVerdict:
        supplier = data.get_supplier(self.store, instrument.supplier_id) if instrument.supplier_id else None
        return validity(instrument, data.statuses_for(self.store, instrument.id), supplier,
                        data.get_qualification(self.store, instrument.crebo), on,
                        data.criteria_for(self.store, instrument.id))

    def view(self, on: date | None = None, school_year: str | None = None) -> RegisterView:
        """Everything the Register screen shows, computed in one pass over four queries — once for as long
        as the database is unchanged: the Overzicht's register card and the Register screen (opened, left,
        opened again) share one computation of 6,000 verdicts instead of making it each time."""
        self.ctx.require(Action.VIEW_REGISTER)
        on = on or self.today()
        year = school_year or school_year_of(on)
        return while_unchanged(self.store, _VIEW_MEMO, (on, year), lambda: self._compute_view(on, year))

    def _compute_view(self, on: date, year: str) -> RegisterView:
        """The kwalificaties with their counts from grouped queries over the stored verdicts (`data.validity`);
        the instruments' lines read when the screen asks (`_lines`). Where a stored verdict does not hold `on`
        (the day a certificate ends), every verdict is read first, which works the stale ones out again."""
        qualifications = data.all_qualifications(self.store)
        suppliers = data.all_suppliers(self.store)
        choices = data.route_choices_for_year(self.store, year)
        inputs = _Inputs(self.store)
        by_crebo = {q.crebo: q for q in qualifications}
        by_id = {s.id: s for s in suppliers}

        def load(crebo: str | None) -> dict[str, list[InstrumentLine]]:
            return self._lines(on, year, crebo, by_crebo, by_id, choices, inputs)

        every: dict[str, list[InstrumentLine]] | None = None
        counts = stored_validity.per_crebo(self.store, on)
        if counts is None:      # a stored verdict does not hold `on`: every line read, the stale ones worked out
            every = load(None)
            counts = {crebo: (len(lines), sum(1 for x in lines if not x.verdict.valid))
                      for crebo, lines in every.items()}
        q_lines = [QualificationLine(q, *counts.get(q.crebo, (0, 0)), choices.get(q.crebo),
                                     f"{q.crebo}\n{q.name}".lower()) for q in qualifications]
        return RegisterView(on, year, q_lines, load, suppliers, data.instrument_counts_by_supplier(self.store),
                            every)

    def _lines(self, on: date, year: str, crebo: str | None, by_crebo: dict[str, Qualification],
               by_id: dict[str, Supplier], choices: dict[str, RouteChoice], inputs: _Inputs
               ) -> dict[str, list[InstrumentLine]]:
        """The lines of one kwalificatie's instruments (or all), with their stored verdicts."""
        instruments = data.list_instruments(self.store, crebo)
        verdicts = stored_validity.verdicts(self.store, on, [i.id for i in instruments], only_these=crebo is not None)
        exceptions = data.route_exceptions_for_year(self.store, year)
        lines: dict[str, list[InstrumentLine]] = {}
        for i in instruments:
            exception = exceptions.get(i.id)
            mismatch = None if exception else route_mismatch(i, choices.get(i.crebo))
            lines.setdefault(i.crebo, []).append(InstrumentLine(
                i, by_crebo.get(i.crebo), by_id.get(i.supplier_id) if i.supplier_id else None, verdicts[i.id],
                mismatch, f"{i.code}\n{i.title}".lower(), inputs, exception))
        return lines

    # suppliers ---------------------------------------------------------------------------------

    def add_supplier(self, draft: SupplierDraft) -> Supplier:
        self.ctx.require(Action.EDIT_REGISTER)
        d = draft.checked()
        if data.supplier_by_name(self.store, d.name):
            raise ValidationError(f"Er staat al een examenleverancier '{d.name}' in het register.")
        supplier = Supplier(str(uuid.uuid4()), d.name, d.authority, d.certificate_number, d.certified_from,
                            d.certified_until, d.cooperative)
        with self.store.transaction():
            data.save_supplier(self.store, supplier, self.ctx.now_iso())
            self.ctx.audit("leverancier toegevoegd", "leverancier", supplier.id, supplier_summary(supplier))
        return supplier

    def update_supplier(self, supplier_id: str, draft: SupplierDraft) -> Supplier:
        self.ctx.require(Action.EDIT_REGISTER)
        old = self.supplier(supplier_id)
        d = draft.checked()
        other = data.supplier_by_name(self.store, d.name)
        if other and other.id != old.id:
            raise ValidationError(f"Er staat al een examenleverancier '{d.name}' in het register.")
        new = Supplier(old.id, d.name, d.authority, d.certificate_number, d.certified_from, d.certified_until,
                       d.cooperative, old.earlier_certificates)
        if new == old:
            return old
        with self.store.transaction():
            kept = keep_replaced_certificate(self.store, old, new, self.ctx.now_iso(), self.ctx.actor)
            data.save_supplier(self.store, new, self.ctx.now_iso())
            self._refresh(stored_validity.supplier_instruments(self.store, new.id))
            summary: dict[str, Any] = {"was": supplier_summary(old), "wordt": supplier_summary(new)}
            if kept:
                summary["eerder certificaat bewaard"] = kept
            self.ctx.audit("leverancier gewijzigd", "leverancier", new.id, summary)
        return data.get_supplier(self.store, new.id) or new

    # instruments -------------------------------------------------------------------------------

    def _check_references(self, d: InstrumentDraft) -> None:
        if data.get_qualification(self.store, d.crebo) is None:
            raise ValidationError(f"Crebo {d.crebo} staat niet in het register; importeer eerst de kwalificatielijst.")
        supplier = data.get_supplier(self.store, d.supplier_id) if d.supplier_id else None
        if d.supplier_id and supplier is None:
            raise ValidationError("De gekozen examenleverancier staat niet in het register.")
        check_purchase(d.purchased_on, supplier)

    def add_instrument(self, draft: InstrumentDraft, registered_on: date | None = None) -> Instrument:
        """Registers a new instrument as concept (on `registered_on`, default today, never in the
        future); only the commission can then adopt it."""
        self.ctx.require(Action.EDIT_REGISTER)
        d = draft.checked(self.today())
        registered_on = registered_on or self.today()
        if registered_on > self.today():
            raise ValidationError(f"De registratiedatum ({format_date(registered_on)}) ligt in de toekomst.")
        self._check_references(d)
        if data.instrument_by_code(self.store, d.code):
            raise ValidationError(f"Er staat al een exameninstrument met code '{d.code}' in het register.")
        instrument = Instrument(str(uuid.uuid4()), d.code, d.title, d.crebo, d.part, d.kind, d.formative, d.route,
                                d.supplier_id, d.validator, d.validation_date, d.version, d.assignments,
                                d.purchased_on)
        with self.store.transaction():
            now = self.ctx.now_iso()
            data.save_instrument(self.store, instrument, now)
            data.append_status(self.store, instrument.id, Status.CONCEPT, registered_on, "", "", now, self.ctx.actor)
            self._refresh([instrument.id])
            self.ctx.audit("instrument geregistreerd", "instrument", instrument.id, _instrument_summary(instrument))
        return instrument

    def update_instrument(self, instrument_id: str, draft: InstrumentDraft) -> Instrument:
        """Edits the registration. What the instrument *is* (route, supplier, version, …) cannot change
        while it is adopted: mark it changed first, so its validity visibly ends."""
        self.ctx.require(Action.EDIT_REGISTER)
        old = self.instrument(instrument_id)
        d = draft.checked(self.today())
        self._check_references(d)
        other = data.instrument_by_code(self.store, d.code)
        if other and other.id != old.id:
            raise ValidationError(f"Er staat al een exameninstrument met code '{d.code}' in het register.")
        new = Instrument(old.id, d.code, d.title, d.crebo, d.part, d.kind, d.formative, d.route, d.supplier_id,
                         d.validator, d.validation_date, d.version, d.assignments, d.purchased_on)
        if new == old:
            return old
        self._refuse_protected_change(old, new)
        with self.store.transaction():
            data.save_instrument(self.store, new, self.ctx.now_iso())
            self._refresh([new.id])
            self.ctx.audit("instrument bewerkt", "instrument", new.id, instrument_changes(old, new))
        return new

    def _refuse_protected_change(self, old: Instrument, new: Instrument) -> None:
        history = ordered(data.statuses_for(self.store, old.id))
        if not history or history[-1].status not in (Status.ADOPTED, Status.PROVISIONAL):
            return
        changed = [FIELD_LABELS[f] for f in PROTECTED_FIELDS if getattr(old, f) != getattr(new, f)]
        if changed:
            raise ValidationError(
                f"{old.code} is vastgesteld; {', '.join(changed)} wijzigen is een wijziging van het instrument. "
                "Markeer het eerst als gewijzigd (met reden); daarna stelt de examencommissie het opnieuw vast.")

    def _transition(self, instrument_id: str, step: Transition, action: str) -> StatusEntry:
        instrument = self.instrument(instrument_id)
        history = data.statuses_for(self.store, instrument.id)
        step = check_transition(instrument, history, step, self.today(), data.criteria_for(self.store, instrument.id))
        with self.store.transaction():
            seq = data.append_status(self.store, instrument.id, step.status, step.effective_on, step.decision_number,
                                     step.reason, self.ctx.now_iso(), self.ctx.actor)
            self._refresh([instrument.id])
            summary: dict[str, Any] = {"code": instrument.code, "status": step.status.value,
                                       "datum": step.effective_on.isoformat()}
            if step.decision_number:
                summary["besluit"] = step.decision_number
            if step.reason:
                summary["reden"] = step.reason
            self.ctx.audit(action, "instrument", instrument.id, summary)
        return next(s for s in data.statuses_for(self.store, instrument.id) if s.seq == seq)

    def adopt(self, instrument_id: str, adopted_on: date, decision_number: str) -> StatusEntry:
        """Vaststellen: the commission's decision, on a date not in the future, with its decision number."""
        self.ctx.require(Action.ADOPT_INSTRUMENT)
        return self._transition(instrument_id, Transition(Status.ADOPTED, adopted_on, decision_number),
                                "instrument vastgesteld")

    def mark_changed(self, instrument_id: str, reason: str, on: date | None = None) -> StatusEntry:
        """The instrument was changed: its validity ends on that date. With replaceable assignments a new
        adoption restores it; with a fixed assignment the route's evidence must be renewed as well."""
        self.ctx.require(Action.EDIT_REGISTER)
        return self._transition(instrument_id, Transition(Status.CHANGED, on or self.today(), reason=reason),
                                "instrument gewijzigd")

    def mark_provisional(self, instrument_id: str, reason: str, on: date | None = None) -> StatusEntry:
        """The school replaced assignments of an instrument whose assignments it may replace (any route):
        *onder voorbehoud* — not valid — until the commission adopts it again."""
        self.ctx.require(Action.EDIT_REGISTER)
        return self._transition(instrument_id, Transition(Status.PROVISIONAL, on or self.today(), reason=reason),
                                "instrument onder voorbehoud (opdrachten vervangen)")

    def record_criterion(self, instrument_id: str, criterion: Criterion | str, met: bool, checked_by: str,
                         checked_on: date, note: str = "") -> CriterionCheck:
        """Records the check of one bijlage-2 criterion for a route-2 instrument (who checked, when, a
        note). Never overwrites: a later check of the same criterion takes the place of the earlier one."""
        self.ctx.require(Action.EDIT_REGISTER)
        instrument = self.instrument(instrument_id)
        if instrument.route != 2:
            raise ValidationError(f"{instrument.code} volgt route {instrument.route}; de criteria van bijlage 2 "
                                  "gelden voor instrumenten die de school zelf construeert (route 2).")
        key, who, text = check_criterion(criterion, met, checked_by, checked_on, note, self.today())
        check = CriterionCheck(instrument.id, key, bool(met), who, checked_on, text)
        with self.store.transaction():
            seq = data.append_criterion(self.store, check, self.ctx.now_iso(), self.ctx.actor)
            self._refresh([instrument.id])
            self.ctx.audit("criterium getoetst", "instrument", instrument.id, {
                "code": instrument.code, "criterium": f"{key.value} {key.label}", "voldaan": bool(met),
                "getoetst door": who, "datum": checked_on.isoformat(), "toelichting": text})
        return next(c for c in data.criteria_for(self.store, instrument.id) if c.seq == seq)

    def set_route_exception(self, instrument_id: str, school_year: str, reason: str,
                            decided_on: date | None = None) -> RouteException:
        """The commission decides that this instrument may be used in this school year outside the route
        choice (or before one is recorded); the reason is required and shown wherever it is planned."""
        user = self.ctx.require(Action.CHOOSE_ROUTES)
        instrument = self.instrument(instrument_id)
        parse_school_year(school_year)
        text = reason.strip()
        if not text:
            raise ValidationError("Geef de reden waarom dit instrument buiten de routekeuze mag worden ingezet.")
        decided_on = decided_on or self.today()
        if decided_on > self.today():
            raise ValidationError(f"De datum van het besluit ({format_date(decided_on)}) ligt in de toekomst.")
        exception = RouteException(instrument.id, school_year, text, user.full_name, decided_on)
        with self.store.transaction():
            data.save_route_exception(self.store, exception, self.ctx.now_iso(), self.ctx.actor)
            self.ctx.audit("afwijking routekeuze vastgesteld", "instrument", instrument.id, {
                "code": instrument.code, "schooljaar": school_year, "reden": text,
                "besluit van": decided_on.isoformat()})
        return exception

    def withdraw(self, instrument_id: str, reason: str, on: date | None = None) -> StatusEntry:
        self.ctx.require(Action.EDIT_REGISTER)
        return self._transition(instrument_id, Transition(Status.WITHDRAWN, on or self.today(), reason=reason),
                                "instrument ingetrokken")

    # route choices -----------------------------------------------------------------------------

    def route_choice(self, crebo: str, school_year: str) -> RouteChoice | None:
        self.ctx.require(Action.VIEW_REGISTER)
        return data.get_route_choice(self.store, normalise_crebo(crebo), school_year)

    def route_choices(self, school_year: str) -> dict[str, RouteChoice]:
        self.ctx.require(Action.VIEW_REGISTER)
        return data.route_choices_for_year(self.store, school_year)

    def set_route_choice(self, crebo: str, school_year: str, routes: Iterable[int], considerations: str,
                         adopted_on: date) -> RouteChoice:
        """The commission records, per kwalificatie and school year, which routes it takes and why."""
        user = self.ctx.require(Action.CHOOSE_ROUTES)
        q = self.qualification(crebo)
        chosen, text = validate_route_choice(routes, considerations, adopted_on, self.today(), school_year)
        old = data.get_route_choice(self.store, q.crebo, school_year)
        choice = RouteChoice(q.crebo, school_year, chosen, text, user.full_name, adopted_on)
        with self.store.transaction():
            data.save_route_choice(self.store, choice, self.ctx.now_iso())
            summary: dict[str, Any] = {"crebo": q.crebo, "schooljaar": school_year,
                                       "routes": choice.routes_label, "afwegingen": text,
                                       "vastgesteld op": adopted_on.isoformat()}
            if old:
                summary["was"] = old.routes_label
            self.ctx.audit("routekeuze vastgesteld", "routekeuze", f"{q.crebo}/{school_year}", summary)
        return choice

    # import and export -------------------------------------------------------------------------

    def check_import(self, kind: ImportKind, path: Path) -> ImportPlan:
        """Reads and checks a file without saving anything: what would be imported, and every error."""
        from examdesk.services.register_imports import plan_import

        self.ctx.require(Action.IMPORT_REGISTER)
        return plan_import(self.ctx, kind, Path(path))

    def run_import(self, kind: ImportKind, path: Path, valid_rows_only: bool = False) -> ImportResult:
        """Imports in one transaction. A file with errors is refused whole (ImportRefused lists them),
        unless the user explicitly chose to import only the valid rows."""
        from examdesk.services.register_imports import apply_import

        self.ctx.require(Action.IMPORT_REGISTER)
        return apply_import(self.ctx, kind, Path(path), valid_rows_only)

    def export(self, path: Path, on: date | None = None) -> int:
        """The register as .xlsx or .csv (by the file's extension); returns the number of instruments."""
        from examdesk.services.register_export import export_register

        self.ctx.require(Action.EXPORT_REGISTER)
        return export_register(self, Path(path), on or self.today())


def keep_replaced_certificate(store: Store, old: Supplier, new: Supplier, now: str, actor: str) -> str:
    """When a certificate is replaced (another number or other dates), the old one is kept, so a
    purchase or session in its period is still judged by it. Returns its label ('' if none).
    Used by the supplier form and the supplier list import alike."""
    before, after = old.current_certificate, new.current_certificate
    if before is None or before == after:
        return ""
    if after is not None and after.number == before.number and (
            after.starts_on or date.min) <= (before.starts_on or date.min) and after.ends_on >= before.ends_on:
        return ""  # the same certificate, extended: nothing of the old period is lost
    data.keep_certificate(store, old.id, before, now, actor)
    return before.label


def supplier_summary(s: Supplier) -> dict[str, Any]:
    return {"naam": s.name, "certificerende instelling": s.authority, "certificaatnummer": s.certificate_number,
            "gecertificeerd van": s.certified_from.isoformat() if s.certified_from else "",
            "gecertificeerd tot": s.certified_until.isoformat() if s.certified_until else "",
            "coöperatie": s.cooperative}


def _instrument_summary(i: Instrument) -> dict[str, Any]:
    return {"code": i.code, "titel": i.title, "crebo": i.crebo, "onderdeel": i.part, "soort": i.kind,
            "formatief": i.formative, "route": i.route, "leverancier": i.supplier_id or "",
            "validator": i.validator, "validatiedatum": i.validation_date.isoformat() if i.validation_date else "",
            "versie": i.version, "opdrachten": i.assignments.value,
            "inkoopdatum": i.purchased_on.isoformat() if i.purchased_on else ""}


def instrument_changes(old: Instrument, new: Instrument) -> dict[str, Any]:
    before, after = _instrument_summary(old), _instrument_summary(new)
    return {"code": new.code, "wijzigingen": {k: [before[k], after[k]] for k in before if before[k] != after[k]}}


# --- the Overzicht card ----------------------------------------------------------------------------

def overview_card(ctx: AppContext) -> Card | None:
    """Instruments not valid today, supplier certificates expiring within 90 days, kwalificaties
    with instruments but no route choice this school year — each line opens the list it counts."""
    from examdesk.services.overview import once_per_state

    if not ctx.can(Action.VIEW_REGISTER):
        return None
    # every instrument's validity today (6,000 at a large school): once per day and state of the database
    return once_per_state(ctx, "register", lambda: _register_card(ctx))


def _register_card(ctx: AppContext) -> Card:
    """Counts from the stored verdicts and a few grouped queries (`data.validity`, `data.register`): no
    instrument's validity worked out unless its stored range does not hold today."""
    from examdesk.services.navigation import RegisterTarget
    from examdesk.services.overview import Card, CardLine

    store = ctx.store
    today = ctx.clock().date()
    school_year = school_year_of(today)
    lines: list[CardLine] = []
    total, invalid, awaiting = stored_validity.counts(store, today)
    lines.append(CardLine(f"{counted(total, 'instrument')} in het register", RegisterTarget()))
    lines.append(CardLine(
        f"{counted(invalid, 'instrument')} niet valide vandaag",
        RegisterTarget(RegisterFilter(invalid_on=today)), warning=invalid > 0))
    suppliers = data.all_suppliers(store)
    expiring = [s for s in suppliers if s.expires_within(today, EXPIRY_WARNING_DAYS)]
    lines.append(CardLine(
        f"{number(len(expiring))} {'leverancierscertificaat verloopt' if len(expiring) == 1 else 'leverancierscertificaten verlopen'}"
        f" binnen {EXPIRY_WARNING_DAYS} dagen", RegisterTarget(suppliers=True, certificate_expiring=True),
        warning=bool(expiring)))
    expired = [s for s in suppliers if s.has_certificate and s.certified_until and s.certified_until < today]
    if expired:
        lines.append(CardLine(
            f"{number(len(expired))} {'leverancierscertificaat' if len(expired) == 1 else 'leverancierscertificaten'} verlopen",
            RegisterTarget(suppliers=True, certificate_expired=True), warning=True))
    missing = data.count_without_route_choice(store, school_year)
    lines.append(CardLine(
        f"{counted(missing, 'kwalificatie')} zonder routekeuze {school_year}",
        RegisterTarget(RegisterFilter(no_route_choice=True), school_year), warning=missing > 0))
    if awaiting:
        lines.append(CardLine(
            f"{number(awaiting)} {'instrument wacht' if awaiting == 1 else 'instrumenten wachten'} op nieuwe vaststelling "
            "(onder voorbehoud)", RegisterTarget(RegisterFilter(status=Status.PROVISIONAL)), warning=True))
    choices = data.route_choices_for_year(store, school_year)
    known = data.known_crebos(store)
    unfounded = sum(1 for c in choices.values() if c.crebo in known and c.signals)
    if unfounded:
        lines.append(CardLine(
            f"{number(unfounded)} {'routekeuze' if unfounded == 1 else 'routekeuzes'} zonder afwegingen of te laat "
            "vastgesteld", RegisterTarget(RegisterFilter(route_choice_signals=True), school_year),
            warning=True))
    mismatched = data.count_route_mismatches(store, school_year)
    if mismatched:
        lines.append(CardLine(
            f"{counted(mismatched, 'instrument')} buiten de gekozen route",
            RegisterTarget(RegisterFilter(route_mismatch=True)), warning=True))
    return Card("Register", lines)
