"""Reading and writing the instrument register (schema v002). Parameterised SQL only; callers
wrap multi-row writes in `store.transaction()`."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from examdesk.data.db import Store
from examdesk.domain.register import (
    Assignments,
    CertificatePeriod,
    Criterion,
    CriterionCheck,
    Instrument,
    Qualification,
    QualificationKind,
    RouteChoice,
    RouteException,
    Status,
    StatusEntry,
    Supplier,
    routes_from_text,
    routes_to_text,
)

_STATUS = {s.value: s for s in Status}
_KIND = {k.value: k for k in QualificationKind}


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- qualifications ------------------------------------------------------------------------------

def _qualification(row: sqlite3.Row) -> Qualification:
    return Qualification(
        crebo=row["crebo"], name=row["name"], niveau=row["niveau"], dossier=row["dossier"],
        kind=_KIND[row["kind"]], valid_from=_d(row["valid_from"]), valid_until=_d(row["valid_until"]),
        dossier_crebo=row["dossier_crebo"], domain=row["domain"],
    )


def get_qualification(store: Store, crebo: str) -> Qualification | None:
    row = store.query_one("SELECT * FROM qualifications WHERE crebo = ?", (crebo,))
    return _qualification(row) if row else None


def all_qualifications(store: Store) -> list[Qualification]:
    return [_qualification(r) for r in store.query("SELECT * FROM qualifications ORDER BY crebo")]


def known_crebos(store: Store) -> set[str]:
    return {r[0] for r in store.query("SELECT crebo FROM qualifications")}


def upsert_qualification(store: Store, q: Qualification, updated_at: str) -> str:
    """Adds or updates one kwalificatie; returns 'nieuw', 'gewijzigd' or 'ongewijzigd'.
    Instruments point at the crebo, so they are never touched."""
    existing = get_qualification(store, q.crebo)
    if existing == q:
        return "ongewijzigd"
    # sqlite-utils' upsert runs in a savepoint inside the import's transaction (one file, one commit)
    store.db["qualifications"].upsert(
        {"crebo": q.crebo, "name": q.name, "niveau": q.niveau, "dossier": q.dossier,
         "dossier_crebo": q.dossier_crebo, "domain": q.domain, "kind": q.kind.value,
         "valid_from": _iso(q.valid_from), "valid_until": _iso(q.valid_until), "updated_at": updated_at},
        pk="crebo")
    return "nieuw" if existing is None else "gewijzigd"


# --- suppliers --------------------------------------------------------------------------------------

def _supplier(row: sqlite3.Row, earlier: dict[str, tuple[CertificatePeriod, ...]]) -> Supplier:
    return Supplier(id=row["id"], name=row["name"], authority=row["authority"],
                    certificate_number=row["certificate_number"], certified_from=_d(row["certified_from"]),
                    certified_until=_d(row["certified_until"]), cooperative=bool(row["cooperative"]),
                    earlier_certificates=earlier.get(row["id"], ()))


def _earlier_certificates(store: Store, supplier_id: str | None = None) -> dict[str, tuple[CertificatePeriod, ...]]:
    where, params = ("WHERE supplier_id = ?", (supplier_id,)) if supplier_id else ("", ())
    found: dict[str, list[CertificatePeriod]] = defaultdict(list)
    for r in store.query(f"SELECT supplier_id, number, authority, starts_on, ends_on FROM supplier_certificates {where}"
                         " ORDER BY supplier_id, ends_on, id", params):
        found[r[0]].append(CertificatePeriod(r[1], r[2], _d(r[3]), date.fromisoformat(r[4])))
    return {k: tuple(v) for k, v in found.items()}


def get_supplier(store: Store, supplier_id: str) -> Supplier | None:
    row = store.query_one("SELECT * FROM suppliers WHERE id = ?", (supplier_id,))
    return _supplier(row, _earlier_certificates(store, supplier_id)) if row else None


def supplier_by_name(store: Store, name: str) -> Supplier | None:
    row = store.query_one("SELECT * FROM suppliers WHERE name = ? COLLATE NOCASE", (name.strip(),))
    return _supplier(row, _earlier_certificates(store, row["id"])) if row else None


def all_suppliers(store: Store) -> list[Supplier]:
    earlier = _earlier_certificates(store)
    return [_supplier(r, earlier) for r in store.query("SELECT * FROM suppliers ORDER BY name COLLATE NOCASE")]


def save_supplier(store: Store, s: Supplier, updated_at: str) -> None:
    """The supplier's current data; earlier certificates are kept by `keep_certificate`, never here."""
    store.write(
        "INSERT INTO suppliers (id, name, authority, certificate_number, certified_from, certified_until, cooperative,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " authority = excluded.authority, certificate_number = excluded.certificate_number,"
        " certified_from = excluded.certified_from, certified_until = excluded.certified_until,"
        " cooperative = excluded.cooperative, updated_at = excluded.updated_at",
        (s.id, s.name, s.authority, s.certificate_number, _iso(s.certified_from), _iso(s.certified_until),
         int(s.cooperative), updated_at),
    )


def keep_certificate(store: Store, supplier_id: str, period: CertificatePeriod, at: str, by: str) -> None:
    """Keeps a certificate that is being replaced (append-only: triggers refuse UPDATE and DELETE)."""
    store.write(
        "INSERT INTO supplier_certificates (supplier_id, number, authority, starts_on, ends_on, replaced_at, replaced_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (supplier_id, period.number, period.authority, _iso(period.starts_on), period.ends_on.isoformat(), at, by))


# --- instruments ------------------------------------------------------------------------------------

_INSTRUMENT_COLUMNS = ("id, code, title, crebo, part, kind, formative, route, supplier_id, validator, validation_date,"
                       " version, assignments, purchased_on")
_ASSIGNMENTS = {a.value: a for a in Assignments}


def _instrument(row: sqlite3.Row | tuple) -> Instrument:
    # Positional: read thousands at a time for the register view, where name lookups add up.
    (id_, code, title, crebo, part, kind, formative, route, supplier_id, validator, validation_date,
     version, assignments, purchased_on) = tuple(row)
    return Instrument(id_, code, title, crebo, part, kind, bool(formative), route, supplier_id, validator,
                      date.fromisoformat(validation_date) if validation_date else None, version,
                      _ASSIGNMENTS[assignments], date.fromisoformat(purchased_on) if purchased_on else None)


def get_instrument(store: Store, instrument_id: str) -> Instrument | None:
    row = store.query_one(f"SELECT {_INSTRUMENT_COLUMNS} FROM instruments WHERE id = ?", (instrument_id,))
    return _instrument(row) if row else None


def instrument_by_code(store: Store, code: str) -> Instrument | None:
    row = store.query_one(f"SELECT {_INSTRUMENT_COLUMNS} FROM instruments WHERE code = ? COLLATE NOCASE",
                          (code.strip(),))
    return _instrument(row) if row else None


def list_instruments(store: Store, crebo: str | None = None, supplier_id: str | None = None,
                     route: int | None = None) -> list[Instrument]:
    clauses: list[str] = []
    params: list[Any] = []
    if crebo is not None:
        clauses.append("crebo = ?")
        params.append(crebo)
    if supplier_id is not None:
        clauses.append("supplier_id = ?")
        params.append(supplier_id)
    if route is not None:
        clauses.append("route = ?")
        params.append(route)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = store.query(f"SELECT {_INSTRUMENT_COLUMNS} FROM instruments{where} ORDER BY crebo, code", params)
    return [_instrument(r) for r in rows]


def instrument_counts_by_supplier(store: Store) -> dict[str, int]:
    """supplier id → how many instruments in the register name it."""
    return {r[0]: int(r[1]) for r in store.query(
        "SELECT supplier_id, count(*) FROM instruments WHERE supplier_id IS NOT NULL GROUP BY supplier_id")}


def save_instrument(store: Store, i: Instrument, at: str) -> None:
    store.write(
        "INSERT INTO instruments (id, code, title, crebo, part, kind, formative, route, supplier_id, validator,"
        " validation_date, version, assignments, purchased_on, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET code = excluded.code, title = excluded.title, crebo = excluded.crebo,"
        " part = excluded.part, kind = excluded.kind, formative = excluded.formative, route = excluded.route,"
        " supplier_id = excluded.supplier_id, validator = excluded.validator,"
        " validation_date = excluded.validation_date, version = excluded.version,"
        " assignments = excluded.assignments, purchased_on = excluded.purchased_on, updated_at = excluded.updated_at",
        (i.id, i.code, i.title, i.crebo, i.part, i.kind, int(i.formative), i.route, i.supplier_id, i.validator,
         _iso(i.validation_date), i.version, i.assignments.value, _iso(i.purchased_on), at, at),
    )


# --- status history (append-only: the table's triggers refuse UPDATE and DELETE) ---------------------

_STATUS_COLUMNS = "seq, instrument_id, status, effective_on, decision_number, reason, recorded_at, recorded_by"


def _status(row: sqlite3.Row | tuple) -> StatusEntry:
    seq, instrument_id, status, effective_on, decision_number, reason, recorded_at, recorded_by = tuple(row)
    return StatusEntry(seq, instrument_id, _STATUS[status], date.fromisoformat(effective_on), decision_number,
                       reason, recorded_at, recorded_by)


def statuses_for(store: Store, instrument_id: str) -> list[StatusEntry]:
    rows = store.query(f"SELECT {_STATUS_COLUMNS} FROM instrument_status WHERE instrument_id = ?"
                       " ORDER BY effective_on, seq", (instrument_id,))
    return [_status(r) for r in rows]


def all_statuses(store: Store) -> dict[str, list[StatusEntry]]:
    history: dict[str, list[StatusEntry]] = defaultdict(list)
    for row in store.query(f"SELECT {_STATUS_COLUMNS} FROM instrument_status ORDER BY instrument_id, effective_on, seq"):
        history[row[1]].append(_status(row))
    return dict(history)


def append_status(store: Store, instrument_id: str, status: Status, effective_on: date, decision_number: str,
                  reason: str, recorded_at: str, recorded_by: str) -> int:
    cursor = store.write(
        "INSERT INTO instrument_status (instrument_id, status, effective_on, decision_number, reason, recorded_at,"
        " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (instrument_id, status.value, effective_on.isoformat(), decision_number, reason, recorded_at, recorded_by),
    )
    return int(cursor.lastrowid or 0)


# --- route choices ----------------------------------------------------------------------------------

def _choice(row: sqlite3.Row) -> RouteChoice:
    return RouteChoice(crebo=row["crebo"], school_year=row["school_year"], routes=routes_from_text(row["routes"]),
                       considerations=row["considerations"], adopted_by=row["adopted_by"],
                       adopted_on=date.fromisoformat(row["adopted_on"]))


def get_route_choice(store: Store, crebo: str, school_year: str) -> RouteChoice | None:
    row = store.query_one("SELECT * FROM route_choices WHERE crebo = ? AND school_year = ?", (crebo, school_year))
    return _choice(row) if row else None


def route_choices_for_year(store: Store, school_year: str) -> dict[str, RouteChoice]:
    rows = store.query("SELECT * FROM route_choices WHERE school_year = ?", (school_year,))
    return {r["crebo"]: _choice(r) for r in rows}


def count_without_route_choice(store: Store, school_year: str) -> int:
    """Kwalificaties in the register with instruments but no route choice for the school year."""
    return int(store.query_one(
        "SELECT count(*) FROM qualifications q WHERE EXISTS (SELECT 1 FROM instruments i WHERE i.crebo = q.crebo)"
        " AND NOT EXISTS (SELECT 1 FROM route_choices c WHERE c.crebo = q.crebo AND c.school_year = ?)",
        (school_year,))[0])


def count_route_mismatches(store: Store, school_year: str) -> int:
    """Instruments whose route is not among the routes chosen for their kwalificatie that school year, without
    an exception for it (`domain.register.route_mismatch`; the routes are stored as '1,3')."""
    return int(store.query_one(
        "SELECT count(*) FROM instruments i JOIN route_choices c ON c.crebo = i.crebo AND c.school_year = ?"
        " WHERE instr(',' || c.routes || ',', ',' || i.route || ',') = 0"
        " AND NOT EXISTS (SELECT 1 FROM route_exceptions e WHERE e.instrument_id = i.id AND e.school_year = ?)",
        (school_year, school_year))[0])


def save_route_choice(store: Store, c: RouteChoice, updated_at: str) -> None:
    store.write(
        "INSERT INTO route_choices (crebo, school_year, routes, considerations, adopted_by, adopted_on, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(crebo, school_year) DO UPDATE SET routes = excluded.routes,"
        " considerations = excluded.considerations, adopted_by = excluded.adopted_by,"
        " adopted_on = excluded.adopted_on, updated_at = excluded.updated_at",
        (c.crebo, c.school_year, routes_to_text(c.routes), c.considerations, c.adopted_by, c.adopted_on.isoformat(),
         updated_at),
    )


# --- route 2 criteria (append-only) ------------------------------------------------------------------

_CRITERION = {c.value: c for c in Criterion}
_CRITERIA_COLUMNS = "seq, instrument_id, criterion, met, checked_by, checked_on, note, recorded_at, recorded_by"


def _criterion(row: sqlite3.Row | tuple) -> CriterionCheck:
    seq, instrument_id, criterion, met, checked_by, checked_on, note, recorded_at, recorded_by = tuple(row)
    return CriterionCheck(instrument_id, _CRITERION[criterion], bool(met), checked_by,
                          date.fromisoformat(checked_on), note, seq, recorded_at, recorded_by)


def criteria_for(store: Store, instrument_id: str) -> list[CriterionCheck]:
    rows = store.query(f"SELECT {_CRITERIA_COLUMNS} FROM instrument_criteria WHERE instrument_id = ?"
                       " ORDER BY checked_on, seq", (instrument_id,))
    return [_criterion(r) for r in rows]


def all_criteria(store: Store) -> dict[str, list[CriterionCheck]]:
    found: dict[str, list[CriterionCheck]] = defaultdict(list)
    for row in store.query(f"SELECT {_CRITERIA_COLUMNS} FROM instrument_criteria ORDER BY instrument_id, checked_on, seq"):
        found[row[1]].append(_criterion(row))
    return dict(found)


def append_criterion(store: Store, check: CriterionCheck, recorded_at: str, recorded_by: str) -> int:
    cursor = store.write(
        "INSERT INTO instrument_criteria (instrument_id, criterion, met, checked_by, checked_on, note, recorded_at,"
        " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (check.instrument_id, check.criterion.value, int(check.met), check.checked_by, check.checked_on.isoformat(),
         check.note, recorded_at, recorded_by))
    return int(cursor.lastrowid or 0)


# --- route exceptions ---------------------------------------------------------------------------------

def _exception(row: sqlite3.Row) -> RouteException:
    return RouteException(row["instrument_id"], row["school_year"], row["reason"], row["decided_by"],
                          date.fromisoformat(row["decided_on"]))


def get_route_exception(store: Store, instrument_id: str, school_year: str) -> RouteException | None:
    row = store.query_one("SELECT * FROM route_exceptions WHERE instrument_id = ? AND school_year = ?",
                          (instrument_id, school_year))
    return _exception(row) if row else None


def route_exceptions_for_year(store: Store, school_year: str) -> dict[str, RouteException]:
    rows = store.query("SELECT * FROM route_exceptions WHERE school_year = ?", (school_year,))
    return {r["instrument_id"]: _exception(r) for r in rows}


def save_route_exception(store: Store, e: RouteException, at: str, by: str) -> None:
    store.write(
        "INSERT INTO route_exceptions (instrument_id, school_year, reason, decided_by, decided_on, recorded_at,"
        " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(instrument_id, school_year) DO UPDATE SET"
        " reason = excluded.reason, decided_by = excluded.decided_by, decided_on = excluded.decided_on,"
        " recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
        (e.instrument_id, e.school_year, e.reason, e.decided_by, e.decided_on.isoformat(), at, by))
