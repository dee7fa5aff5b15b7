"""The Register's view reads the kwalificaties with their counts first and each kwalificatie's instruments when
the screen shows it (issue 16: the first paint of the Register on ten years needs the list and one kwalificatie's
lines, not 6,000). What the screen shows must be what the whole register read at once shows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examdesk.data import register as data
from examdesk.domain.register import RegisterFilter
from examdesk.domain.roles import Role
from examdesk.services.register import RegisterService


@pytest.fixture
def commission(ctx_for) -> RegisterService:
    return RegisterService(ctx_for(Role.COMMISSIE))


def whole(view) -> dict[str, list[tuple]]:
    """Every kwalificatie's lines as the whole register read at once gives them."""
    return {crebo: [(x.instrument.id, x.verdict.valid, x.status, x.mismatch) for x in lines]
            for crebo, lines in view.load(None).items()}


def test_the_counts_of_each_kwalificatie_are_those_of_its_instruments(commission):
    view = commission.view()
    lines = whole(view)
    for q in view.qualifications:
        mine = lines.get(q.qualification.crebo, [])
        assert (q.instrument_count, q.invalid_count) == (len(mine), sum(1 for x in mine if not x[1]))
    assert any(q.invalid_count for q in view.qualifications)      # the demo has invalid instruments to count


def test_the_unfiltered_list_shows_one_kwalificatie_without_reading_the_others(commission):
    view = commission.view()
    shown, per_crebo = view.filtered(RegisterFilter(), with_instruments_only=True)
    first = shown[0].qualification.crebo
    got = [(x.instrument.id, x.verdict.valid, x.status, x.mismatch) for x in per_crebo[first]]
    assert got == whole(view)[first]
    assert view._all is None                        # only that kwalificatie was read
    assert per_crebo.total == sum(len(v) for v in whole(view).values())


def test_a_search_reads_every_instrument_and_finds_one_in_another_kwalificatie(commission):
    view = commission.view()
    instrument = data.list_instruments(commission.store)[-1]
    shown, per_crebo = view.filtered(RegisterFilter(text=instrument.code))
    assert [q.qualification.crebo for q in shown] == [instrument.crebo]
    assert [x.instrument.code for x in per_crebo[instrument.crebo]] == [instrument.code]
    assert per_crebo.total == 1


def test_a_date_the_stored_verdicts_do_not_hold_counts_from_the_verdicts_worked_out(store, commission):
    later = commission.today() + timedelta(days=3 * 365)       # certificates ended since: rows out of range
    view = commission.view(later)
    lines = whole(view)
    for q in view.qualifications:
        mine = lines.get(q.qualification.crebo, [])
        assert q.invalid_count == sum(1 for x in mine if not x[1])
    assert sum(q.invalid_count for q in view.qualifications) > sum(
        q.invalid_count for q in commission.view().qualifications)


def test_the_supplier_counts_are_the_instruments_naming_each(commission):
    view = commission.view()
    counts: dict[str, int] = {}
    for x in view.instrument_lines():
        if x.instrument.supplier_id:
            counts[x.instrument.supplier_id] = counts.get(x.instrument.supplier_id, 0) + 1
    assert view.supplier_counts == counts and counts
