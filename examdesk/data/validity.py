"""Each instrument's validity verdict, stored with the days it holds for (issue 16).

The register card and the Register screen ask of every instrument (6,000 at a large school) whether it is valid
today. Worked out from the history each time, that is 6,000 runs of `domain.register.validity` in Python on every
start. ``instrument_validity`` keeps, per instrument, the verdict (valid, onder voorbehoud, the reasons without
their date), its current status, and the range of days over which the verdict cannot change
(`domain.register.validity_change_points`): ``stable_from`` (None: since ever) up to, not including,
``stable_until`` (None: for good).

It is derived, not evidence, and kept three ways so that no writer can leave it wrong:

* triggers on every input table (instruments, their status history and criteria checks, suppliers and their
  earlier certificates, kwalificaties) delete the rows a write makes stale, in the writer's transaction — the
  register import, the demo, a restore, any writer there is or will be;
* the register's own writers (`services.register`) then `refresh` the instruments they changed, in the same
  transaction, so the next read finds them;
* `verdicts` reads the rows for a date and works out again the ones that are missing or whose range does not hold
  the date (the day a certificate expires), storing them when the connection may write.

`rebuild` computes every row (the migration's fill); the tests compare `verdicts` with a full recomputation.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from examdesk.data import register as data
from examdesk.data.db import Store, written_state
from examdesk.domain.errors import StorageError
from examdesk.domain.register import (
    Status,
    ValidityVerdict,
    bare_reasons,
    ordered,
    restated,
    stable_range,
    validity,
    validity_change_points,
)

TABLE = "instrument_validity"
_COLUMNS = "instrument_id, valid, provisional, reasons, status, stable_from, stable_until"
_CHUNK = 500


@dataclass(frozen=True)
class StoredVerdict:
    """One instrument's stored facts; `verdict` is the domain's verdict on the date it was read for."""

    instrument_id: str
    verdict: ValidityVerdict
    status: Status
    stable_from: str | None = None    # ISO dates, as stored: compared as text, never parsed for 6,000 rows
    stable_until: str | None = None

    def holds_on(self, on: date) -> bool:
        """Whether the verdict is the same on `on` (inside its stable range)."""
        return _holds(self.stable_from, self.stable_until, on.isoformat())


def available(store: Store) -> bool:
    """Whether this database has the table (a step before v020 running has not)."""
    if TABLE not in store.memo:
        store.memo[TABLE] = getattr(store, "dialect", "sqlite") == "sqlite" and store.query_one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)) is not None
    return bool(store.memo[TABLE])


def _holds(stable_from: str | None, stable_until: str | None, on: str) -> bool:
    return (stable_from is None or stable_from <= on) and (stable_until is None or on < stable_until)


def _compute(store: Store, ids: list[str] | None, on: date) -> list[tuple]:
    """The rows of these instruments (None: all) worked out from their inputs, for the range that holds `on`."""
    qualifications = {q.crebo: q for q in data.all_qualifications(store)}
    suppliers = {s.id: s for s in data.all_suppliers(store)}
    if ids is None:
        instruments = data.list_instruments(store)
        histories = data.all_statuses(store)
        criteria = data.all_criteria(store)
    else:
        instruments = [i for i in (data.get_instrument(store, x) for x in ids) if i is not None]
        histories = {i.id: data.statuses_for(store, i.id) for i in instruments}
        criteria = {i.id: data.criteria_for(store, i.id) for i in instruments if i.route == 2}
    rows = []
    for i in instruments:
        history = histories.get(i.id, [])
        supplier = suppliers.get(i.supplier_id) if i.supplier_id else None
        qualification = qualifications.get(i.crebo)
        verdict = validity(i, history, supplier, qualification, on, criteria.get(i.id, ()))
        start, until = stable_range(validity_change_points(i, history, supplier, qualification), on)
        steps = ordered(history)
        status = steps[-1].status if steps else Status.CONCEPT
        rows.append((i.id, int(verdict.valid), int(verdict.provisional), json.dumps(bare_reasons(verdict)),
                     status.value, start.isoformat() if start else None, until.isoformat() if until else None))
    return rows


def _store_rows(store: Store, rows: list[tuple]) -> None:
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        store.write(f"DELETE FROM {TABLE} WHERE instrument_id IN ({marks})", [r[0] for r in chunk])
    store.conn.executemany(f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def refresh(store: Store, instrument_ids: Iterable[str], on: date) -> None:
    """The rows of these instruments worked out again, in the caller's transaction (a writer's)."""
    ids = sorted(set(instrument_ids))
    if not ids or not available(store):
        return
    with store.transaction():
        _store_rows(store, _compute(store, ids, on))


def refresh_missing(store: Store, on: date) -> None:
    """The rows the triggers removed during a bulk write (a register import), worked out again in its
    transaction."""
    if not available(store):
        return
    refresh(store, [r[0] for r in store.query(
        f"SELECT id FROM instruments WHERE id NOT IN (SELECT instrument_id FROM {TABLE})")], on)


def supplier_instruments(store: Store, supplier_id: str) -> list[str]:
    return [r[0] for r in store.query("SELECT id FROM instruments WHERE supplier_id = ?", (supplier_id,))]


def rebuild(store: Store, on: date) -> int:
    """Every instrument's row from its inputs (the migration's fill); returns how many rows it holds."""
    rows = _compute(store, None, on)
    store.write(f"DELETE FROM {TABLE}")
    store.conn.executemany(f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _verdict(row: sqlite3.Row | tuple, on: date, valid_verdict: ValidityVerdict | None = None) -> StoredVerdict:
    instrument_id, valid, provisional, reasons = row[0], bool(row[1]), bool(row[2]), row[3]
    if valid and valid_verdict is not None:
        verdict = valid_verdict            # one shared (frozen) value for the thousands of valid ones
    else:
        verdict = restated(valid, provisional, json.loads(reasons) if not valid else (), on)
    return StoredVerdict(instrument_id, verdict, _STATUS[row[4]], row[5], row[6])


_STATUS = {s.value: s for s in Status}


def verdicts(store: Store, on: date, instrument_ids: Iterable[str] | None = None,
             only_these: bool = False) -> dict[str, StoredVerdict]:
    """Every instrument's verdict on `on`: the stored rows whose range holds it, the others (missing, or out of
    range: a certificate ended since) worked out again and stored when this connection may write.
    `instrument_ids`: every instrument's id when the caller has read them already (the table alone is read);
    with `only_these`, just those rows are read (one kwalificatie's instruments)."""
    if not available(store):
        rows = _compute(store, None, on)
        return {r[0]: _verdict(r, on) for r in rows}
    day = on.isoformat()
    valid_verdict = ValidityVerdict(True, (), False, on)
    found: dict[str, StoredVerdict] = {}
    if instrument_ids is None:
        instrument_ids = [r[0] for r in store.query("SELECT id FROM instruments")]
    instrument_ids = list(instrument_ids)
    if only_these:
        rows = [row for start in range(0, len(instrument_ids), _CHUNK) for row in store.query(
            f"SELECT {_COLUMNS} FROM {TABLE} WHERE instrument_id IN"
            f" ({','.join('?' * len(instrument_ids[start:start + _CHUNK]))})", instrument_ids[start:start + _CHUNK])]
    else:
        rows = store.query(f"SELECT {_COLUMNS} FROM {TABLE}")
    for row in rows:
        if _holds(row[5], row[6], day):
            found[row[0]] = _verdict(row, on, valid_verdict)
    stale = [i for i in instrument_ids if i not in found]
    if stale:
        rows = _compute(store, stale, on) if len(stale) < 1000 else [
            r for r in _compute(store, None, on) if r[0] in set(stale)]
        _keep(store, rows)
        found.update((r[0], _verdict(r, on)) for r in rows)
    return found


def held_on(store: Store, wanted: Iterable[tuple[str, date]]) -> dict[tuple[str, date], ValidityVerdict]:
    """The verdict on each (instrument, day) that its stored row holds: a planned session's day inside the range
    over which its instrument's verdict cannot change (the flags of Afnames and its Overzicht card: hundreds of
    planned sessions, each instrument's whole history read before). The pairs left out — no row, or a day past a
    change (a certificate that ends before the session) — are for the caller to work out. Reads only."""
    pairs = list(dict.fromkeys(wanted))
    if not pairs or not available(store):
        return {}
    ids = sorted({instrument_id for instrument_id, _ in pairs})
    rows = {row[0]: row for start in range(0, len(ids), _CHUNK) for row in store.query(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE instrument_id IN ({','.join('?' * len(ids[start:start + _CHUNK]))})",
        ids[start:start + _CHUNK])}
    found: dict[tuple[str, date], ValidityVerdict] = {}
    for instrument_id, on in pairs:
        row = rows.get(instrument_id)
        if row is not None and _holds(row[5], row[6], on.isoformat()):
            found[(instrument_id, on)] = _verdict(row, on).verdict
    return found


_WORKED_OUT = "validity: worked out on reading"   # a read-only connection's memo: instrument id → row


def _keep(store: Store, rows: list[tuple]) -> None:
    """Stores rows worked out on reading. A read-only connection (the register card's on the Overzicht's thread)
    cannot: it leaves them in its memo, for `keep_worked_out` to store on the GUI's connection."""
    if getattr(store, "read_only", False):
        store.memo.setdefault(_WORKED_OUT, {}).update((r[0], r) for r in rows)
        return
    before = store.conn.total_changes
    try:
        with store.transaction():
            _store_rows(store, rows)
    except (StorageError, sqlite3.OperationalError):
        return
    finally:
        # derived rows of inputs whose writes were counted already: no new state for the memos keyed on it
        store.derived_changes = getattr(store, "derived_changes", 0) + store.conn.total_changes - before


def _stale(store: Store, day: str) -> int:
    """Instruments without a stored verdict that holds `day`."""
    return int(store.query_one(
        f"SELECT count(*) FROM instruments i LEFT JOIN {TABLE} v ON v.instrument_id = i.id"
        " WHERE v.instrument_id IS NULL OR (v.stable_from IS NOT NULL AND v.stable_from > ?)"
        " OR (v.stable_until IS NOT NULL AND ? >= v.stable_until)", (day, day))[0])


def per_crebo(store: Store, on: date) -> dict[str, tuple[int, int]] | None:
    """crebo → (instruments, not valid on `on`) in one grouped query over the stored verdicts, for the Register's
    list of kwalificaties; None when a stored verdict does not hold `on` (the caller then reads every verdict)."""
    if not available(store):
        return None
    day = on.isoformat()
    rows = store.query(      # the stale ones counted in the same pass: one read of both tables, not two
        f"SELECT i.crebo, count(*), coalesce(sum(v.valid = 0), 0), coalesce(sum(v.instrument_id IS NULL"
        " OR (v.stable_from IS NOT NULL AND v.stable_from > ?) OR (v.stable_until IS NOT NULL AND ? >= v.stable_until)"
        f"), 0) FROM instruments i LEFT JOIN {TABLE} v ON v.instrument_id = i.id GROUP BY i.crebo", (day, day))
    if any(r[3] for r in rows):
        return None
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


def counts(store: Store, on: date) -> tuple[int, int, int]:
    """(instruments, not valid on `on`, onder voorbehoud by status) for the register card: counts in SQL once
    the rows hold `on`."""
    if available(store):
        day = on.isoformat()
        if not _stale(store, day):
            row = store.query_one(
                f"SELECT count(*), coalesce(sum(valid = 0), 0), coalesce(sum(status = 'voorbehoud'), 0) FROM {TABLE}")
            return int(row[0]), int(row[1]), int(row[2])
    found = verdicts(store, on)
    return (len(found), sum(1 for v in found.values() if not v.verdict.valid),
            sum(1 for v in found.values() if v.status is Status.PROVISIONAL))


def keep_worked_out(left: dict, store: Store, state: tuple) -> None:
    """The rows a read-only connection worked out (`left`: its memo) stored on `store`, the GUI's connection, when
    its state is still `state`, the one they were asked for: otherwise an input may have changed since they were
    worked out, and the next reading works them out again. Without this, the register card on the Overzicht's
    thread worked out the same thousands of verdicts on every start (a file whose rows were missing: 0.7 s on ten
    years) until someone opened the Register."""
    rows = left.get(_WORKED_OUT)
    if rows and available(store) and tuple(written_state(store)) == tuple(state):
        _keep(store, list(rows.values()))
