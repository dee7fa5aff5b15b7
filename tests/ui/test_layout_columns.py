"""Afnames sizes its columns once (issue 16: resizing to the contents of every row on each keystroke cost
~49,000 cell reads per key on a large school): a column the user widened keeps its width while they type."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView

from examdesk.domain.roles import Role
from examdesk.ui.sessions.screen import SessionsScreen


def test_typing_in_afnames_keeps_the_column_widths(qtbot, ctx_for):
    screen = SessionsScreen(ctx_for(Role.BUREAU))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    header = screen.table.horizontalHeader()
    assert all(header.sectionResizeMode(c) != QHeaderView.ResizeMode.ResizeToContents for c in range(header.count()))
    screen.table.setColumnWidth(2, 333)                  # the user widens 'status'
    qtbot.keyClicks(screen.search, "Ned")
    assert screen.model.rowCount() > 0 and screen.table.columnWidth(2) == 333
