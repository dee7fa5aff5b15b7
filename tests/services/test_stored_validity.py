"""The stored validity verdicts (`data.validity`, schema v020) answer exactly what `domain.register.validity`
works out from the whole history — over the demo, on every date where an input changes, the day before it and
the day it ends — and follow every writer that changes an input (issue 16)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from examdesk.data import register as data
from examdesk.data import validity as stored
from examdesk.data.db import open_readonly
from examdesk.domain.register import (
    Criterion,
    InstrumentDraft,
    SupplierDraft,
    validity,
    validity_change_points,
)
from examdesk.domain.roles import Role
from examdesk.services.register import EXPIRY_WARNING_DAYS, RegisterService, overview_card


@pytest.fixture
def commission(ctx_for) -> RegisterService:
    return RegisterService(ctx_for(Role.COMMISSIE))


def recomputed(store, on: date) -> dict[str, tuple]:
    """Every instrument's verdict worked out from its whole history: what the stored rows must equal."""
    qualifications = {q.crebo: q for q in data.all_qualifications(store)}
    suppliers = {s.id: s for s in data.all_suppliers(store)}
    histories, criteria = data.all_statuses(store), data.all_criteria(store)
    found = {}
    for i in data.list_instruments(store):
        v = validity(i, histories.get(i.id, ()), suppliers.get(i.supplier_id) if i.supplier_id else None,
                     qualifications.get(i.crebo), on, criteria.get(i.id, ()))
        found[i.id] = (v.valid, v.provisional, v.reasons, v.on)
    return found


def as_read(store, on: date) -> dict[str, tuple]:
    return {k: (v.verdict.valid, v.verdict.provisional, v.verdict.reasons, v.verdict.on)
            for k, v in stored.verdicts(store, on).items()}


def change_dates(store) -> set[date]:
    """Each input's change points, the day before each, and today: where a stored range could be wrong."""
    qualifications = {q.crebo: q for q in data.all_qualifications(store)}
    suppliers = {s.id: s for s in data.all_suppliers(store)}
    histories = data.all_statuses(store)
    dates: set[date] = set()
    for i in data.list_instruments(store):
        for point in validity_change_points(i, histories.get(i.id, ()), suppliers.get(i.supplier_id or ""),
                                            qualifications.get(i.crebo)):
            dates |= {point, point - timedelta(days=1)}
    return dates


def test_the_upgrade_filled_a_row_per_instrument(store):
    rows = store.query_one("SELECT count(*) FROM instrument_validity")[0]
    assert rows == len(data.list_instruments(store)) > 30


def test_stored_verdicts_equal_a_full_recomputation_on_every_change_point_of_the_demo(store, commission):
    today = commission.today()
    dates = sorted(change_dates(store) | {today, today + timedelta(days=EXPIRY_WARNING_DAYS), date(2000, 1, 1)})
    assert len(dates) > 20
    for on in dates:
        assert as_read(store, on) == recomputed(store, on), on
    # and back to today after wandering: the rows moved with the reads, and still agree
    assert as_read(store, today) == recomputed(store, today)


def test_a_date_exactly_on_stable_until_is_worked_out_again_and_stored(store, commission):
    today = commission.today()
    row = store.query_one("SELECT instrument_id, stable_until FROM instrument_validity WHERE stable_until IS NOT NULL"
                          " ORDER BY stable_until LIMIT 1")
    instrument_id, until = row[0], date.fromisoformat(row[1])
    assert as_read(store, until)[instrument_id] == recomputed(store, until)[instrument_id]
    start = store.query_one("SELECT stable_from FROM instrument_validity WHERE instrument_id = ?", (instrument_id,))[0]
    assert start is not None and date.fromisoformat(start) <= until   # the row now holds the new range
    assert as_read(store, today) == recomputed(store, today)


def test_a_certificate_expiring_turns_its_instruments_invalid_on_the_next_day(store, commission):
    supplier = next(s for s in commission.list_suppliers()
                    if s.certified_until and data.list_instruments(store, supplier_id=s.id))
    last = supplier.certified_until
    ids = [i.id for i in data.list_instruments(store, supplier_id=supplier.id) if i.route == 1]
    on_last, after = as_read(store, last), as_read(store, last + timedelta(days=1))
    assert any(on_last[i][0] for i in ids)
    assert not any(after[i][0] for i in ids)
    assert any("verlopen" in reason for i in ids for reason in after[i][2])
    assert after == recomputed(store, last + timedelta(days=1))


def test_the_register_card_counts_what_the_full_recomputation_counts(store, commission, ctx_for):
    today = commission.today()
    full = recomputed(store, today)
    card = overview_card(ctx_for(Role.COMMISSIE))
    invalid = sum(1 for v in full.values() if not v[0])
    texts = [line.text for line in card.lines]
    assert f"{len(full)} instrumenten in het register" in texts
    assert f"{invalid} instrumenten niet valide vandaag" in texts
    view = commission.view()
    assert sum(q.invalid_count for q in view.qualifications) == invalid
    mismatched = sum(1 for x in view.instrument_lines() if x.mismatch)
    assert any(str(mismatched) in t and "buiten de gekozen route" in t for t in texts) or not mismatched


def test_a_read_only_connection_reads_stale_rows_without_writing(store, commission):
    store.write("DELETE FROM instrument_validity WHERE rowid IN (SELECT rowid FROM instrument_validity LIMIT 5)")
    reader = open_readonly(store.path)
    try:
        today = commission.today()
        assert as_read(reader, today) == recomputed(store, today)
    finally:
        reader.close()
    assert store.query_one("SELECT count(*) FROM instrument_validity")[0] == len(data.list_instruments(store)) - 5
    as_read(store, commission.today())   # the GUI's connection stores them
    assert store.query_one("SELECT count(*) FROM instrument_validity")[0] == len(data.list_instruments(store))


def _register_card_apart(ctx_for):
    """The Overzicht's register card as a start makes it: on a read-only connection of its own (a thread)."""
    from examdesk.services.overview import OverviewService, Pending

    source, made = next((s, m) for s, m in OverviewService(ctx_for(Role.COMMISSIE)).plan() if s.name == "register")
    assert isinstance(made, Pending)
    return made


def _stored_rows(store) -> int:
    return store.query_one("SELECT count(*) FROM instrument_validity")[0]


def test_verdicts_the_register_card_worked_out_apart_are_stored_on_the_gui_connection(store, commission, ctx_for):
    """A file whose rows are missing (here: all of them) made the card on the Overzicht's thread work out every
    verdict on every start — 0.7 s on ten years — as its read-only connection could not store them."""
    store.write("DELETE FROM instrument_validity")
    made = _register_card_apart(ctx_for)
    card = made.make()
    assert _stored_rows(store) == 0                 # the card's own connection wrote nothing
    made.keep(card)
    assert _stored_rows(store) == len(data.list_instruments(store))
    agrees(store, commission.today())
    texts = [line.text for line in card.lines]
    assert f"{len(data.list_instruments(store))} instrumenten in het register" in texts


def test_verdicts_worked_out_apart_are_not_stored_after_the_register_changed_meanwhile(store, commission, ctx_for):
    """Worked out from the inputs as they were: a change to the register since then (here a withdrawal on the GUI's
    connection) leaves them unstored, and the next reading works them out again from the changed inputs."""
    store.write("DELETE FROM instrument_validity")
    made = _register_card_apart(ctx_for)
    card = made.make()
    instrument = next(i for i in data.list_instruments(store) if i.route == 1)
    commission.withdraw(instrument.id, "vervangen door een nieuwe versie")
    made.keep(card)
    assert _stored_rows(store) <= 1                 # at most the withdrawn one, which its writer refreshed
    agrees(store, commission.today())


# --- every writer: the stored row follows the change ------------------------------------------------------

def row_of(store, instrument_id: str):
    return store.query_one("SELECT valid, status, reasons FROM instrument_validity WHERE instrument_id = ?",
                           (instrument_id,))


def agrees(store, on: date) -> None:
    assert as_read(store, on) == recomputed(store, on)


def route_two(commission: RegisterService, code: str = "NEW-V1") -> str:
    draft = InstrumentDraft(code, "Nieuwe proeve", "25491", "B1-K1", "pvb", False, 2)
    instrument_id = commission.add_instrument(draft, commission.today() - timedelta(days=30)).id
    for criterion in Criterion:
        commission.record_criterion(instrument_id, criterion, True, "A. Vaststeller",
                                    commission.today() - timedelta(days=20), "formulier")
    return instrument_id


def test_registering_adopting_changing_and_withdrawing_keep_the_row(store, commission):
    today = commission.today()
    instrument_id = route_two(commission)
    assert row_of(store, instrument_id)["status"] == "concept" and not row_of(store, instrument_id)["valid"]
    commission.adopt(instrument_id, today - timedelta(days=10), "B-1")
    assert row_of(store, instrument_id)["valid"] == 1
    commission.mark_changed(instrument_id, "Beoordelingsformulier aangepast", today - timedelta(days=2))
    assert row_of(store, instrument_id)["status"] == "gewijzigd" and not row_of(store, instrument_id)["valid"]
    agrees(store, today)
    commission.withdraw(instrument_id, "Vervangen", today)
    assert row_of(store, instrument_id)["status"] == "ingetrokken"
    agrees(store, today)


def test_a_criterion_check_and_an_edit_keep_the_row(store, commission):
    today = commission.today()
    draft = InstrumentDraft("NEW-V2", "Proeve", "25491", "B1-K1", "pvb", False, 2)
    instrument_id = commission.add_instrument(draft, today - timedelta(days=30)).id
    commission.record_criterion(instrument_id, Criterion.FRAME, False, "A. Vaststeller", today - timedelta(days=5),
                                "kader ontbreekt")
    assert row_of(store, instrument_id) is not None
    agrees(store, today)
    commission.update_instrument(instrument_id, InstrumentDraft("NEW-V2", "Proeve (nieuw)", "25491", "B1-K1", "pvb",
                                                                False, 3, validator="Extern", validation_date=today))
    assert row_of(store, instrument_id) is not None
    agrees(store, today)
    agrees(store, today - timedelta(days=1))


def test_a_supplier_certificate_change_keeps_its_instruments_rows(store, commission):
    today = commission.today()
    supplier = next(s for s in commission.list_suppliers()
                    if s.certified_until and s.certified_until > today
                    and any(i.route == 1 for i in data.list_instruments(store, supplier_id=s.id)))
    ids = [i.id for i in data.list_instruments(store, supplier_id=supplier.id) if i.route == 1]
    commission.update_supplier(supplier.id, SupplierDraft(
        supplier.name, supplier.authority, supplier.certificate_number, supplier.certified_from,
        today - timedelta(days=1), supplier.cooperative))
    assert all(row_of(store, i) is not None for i in ids)
    agrees(store, today)
    agrees(store, today + timedelta(days=400))


def test_a_write_past_the_service_drops_the_stale_rows_and_the_next_read_works_them_out(store, commission):
    """The triggers: an import, a restore or any writer that does not know about the table."""
    today = commission.today()
    instrument = next(i for i in data.list_instruments(store) if i.route == 1)
    with store.transaction():
        store.write("UPDATE qualifications SET valid_until = ? WHERE crebo = ?",
                    ((today - timedelta(days=1)).isoformat(), instrument.crebo))
    assert row_of(store, instrument.id) is None
    assert not as_read(store, today)[instrument.id][0]
    agrees(store, today)
    assert row_of(store, instrument.id) is not None


def test_a_planned_sessions_verdict_read_from_its_stored_range_equals_a_full_recomputation(store, ctx_for, commission):
    """Afnames' flags (`services.instruments.verdicts_for_sessions`) take the stored verdict when its range holds the
    session's day, and work the others out: for every instrument on every change point of the demo, the day
    before it and today, as the rows stand after a read for today (the ranges then hold today, not those days)."""
    from examdesk.services.instruments import verdicts_for_sessions

    today = commission.today()
    stored.verdicts(store, today)                      # the rows as a normal start leaves them: for today
    ids = [i.id for i in data.list_instruments(store)]
    dates = sorted(change_dates(store) | {today, today + timedelta(days=EXPIRY_WARNING_DAYS)})
    wanted = [(i, on) for on in dates for i in ids]
    held = stored.held_on(store, wanted)
    assert 0 < len(held) < len(wanted)                 # some from the stored ranges, some worked out
    found = verdicts_for_sessions(ctx_for(Role.BUREAU), wanted)
    expected = {on: recomputed(store, on) for on in dates}
    assert {(i, on): (v.valid, v.provisional, v.reasons, v.on) for (i, on), v in found.items()} == {
        (i, on): expected[on][i] for i, on in wanted}
