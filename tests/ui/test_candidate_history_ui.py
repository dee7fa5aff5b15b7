"""The candidate's history from the candidate (issue 13 follow-up): the Kandidaten tab opens
`CaseworkService.history` for the candidate chosen — every incident, hearing, decision and appeal in time order,
the reading audited — for whoever may read both candidates and incidents; others do not get the button."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from examdesk.domain.roles import Role
from examdesk.ui.incidents.casework_dialogs import HistoryDialog
from examdesk.ui.sessions.candidates import CandidatesTab
from tests.services.test_casework import _sent
from tests.session_support import Clock, at, context


def test_the_kandidaten_tab_opens_the_candidates_history(qtbot, store):
    clock = Clock(at(8, 30))
    _incident, ids, d = _sent(store, clock, "kh")
    ctx = context(store, "commissie", clock)
    tab = CandidatesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.history_button.isVisibleTo(tab)
    tab.refresh()
    row = next(n for n in range(tab.model.rowCount()) if tab.model.record(n).id == ids[0])
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    shown: list[HistoryDialog] = []

    def look(dialog) -> int:
        shown.append(dialog)
        if os.environ.get("EXAMDESK_PNG"):
            dialog.show()
            dialog.grab().save(os.path.join(os.environ["EXAMDESK_PNG"], "candidate_history.png"))
        return 0

    tab.exec_dialog = look
    before = store.query_one("SELECT count(*) FROM audit_log WHERE action = 'dossiergeschiedenis ingezien'")[0]
    qtbot.mouseClick(tab.history_button, Qt.MouseButton.LeftButton)
    [dialog] = shown
    kinds = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    texts = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    assert {"incident", "horen", "besluit"} <= set(kinds)
    assert any(f"Besluit {d.number}" in t for t in texts)
    assert store.query_one("SELECT count(*) FROM audit_log WHERE action = 'dossiergeschiedenis ingezien'")[0] == before + 1


def test_without_the_desk_there_is_no_history_button(qtbot, ctx_for):
    tab = CandidatesTab(ctx_for(Role.BUREAU))
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.history_button.isVisibleTo(tab)
