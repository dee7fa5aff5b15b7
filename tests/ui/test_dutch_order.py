"""Lists are sorted the Dutch way: on screen through QCollator in the one table model, in the
candidate list (and what is exported from it) through `domain.collation`."""

from __future__ import annotations

from PySide6.QtCore import Qt

from examdesk.domain.candidates import Candidate
from examdesk.domain.roles import Role
from examdesk.services.candidates import CandidateService
from examdesk.ui.table_model import Column, TableModel


def test_a_sorted_column_puts_sahin_before_wojcik_and_lokaal_9_before_10(qtbot):
    model: TableModel[str] = TableModel([Column("naam", lambda r: r)])
    model.set_rows(["Wójcik", "Şahin", "Zeeman", "sanders", "Łukasz", "Mulder"])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rows == ["Łukasz", "Mulder", "Şahin", "sanders", "Wójcik", "Zeeman"]
    rooms: TableModel[str] = TableModel([Column("lokaal", lambda r: r)])
    rooms.set_rows(["lokaal 10", "lokaal 9", "Lokaal 1"])
    rooms.sort(0, Qt.SortOrder.AscendingOrder)
    assert rooms.rows == ["Lokaal 1", "lokaal 9", "lokaal 10"]


def test_the_candidate_list_is_in_dutch_order(ctx_for):
    ctx = ctx_for(Role.BUREAU)
    people = CandidateService(ctx)
    for number, prefix, last in (("U1", "", "Wójcik"), ("U2", "", "Şahin"), ("U3", "van", "Dijk"),
                                 ("U4", "", "Dekker"), ("U5", "", "Zwart")):
        people.save(Candidate(number, last, prefix, "Test"))
    names = [c.last_name for c in people.search("Test")]
    assert names.index("Şahin") < names.index("Wójcik") < names.index("Zwart")
    assert names.index("Dekker") < names.index("Dijk")
