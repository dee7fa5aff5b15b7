"""The detail panels (an incident's file, an instrument's facts) lay their text out at one width: the vertical
scroll bar is always there, so a file longer than the panel does not narrow the text once it turns out long —
which laid every rich-text paragraph of the Incidenten file out a second time as the screen opened (issue 16)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea

from examdesk.domain.roles import Role
from examdesk.ui.common import steady_width
from examdesk.ui.incidents.case_panel import CasePanel
from examdesk.ui.register.detail import InstrumentDetailPanel


def test_a_long_text_does_not_narrow_the_panel(qtbot):
    area = steady_width(QScrollArea())
    qtbot.addWidget(area)
    area.setWidgetResizable(True)
    label = QLabel("Kort.")
    label.setWordWrap(True)
    area.setWidget(label)
    area.resize(400, 300)
    area.show()
    qtbot.waitExposed(area)
    width = area.viewport().width()
    label.setText(" ".join(["Een lange zin in het dossier van het incident."] * 120))
    qtbot.wait(20)
    assert area.verticalScrollBar().maximum() > 0          # it does scroll now
    assert area.viewport().width() == width                # at the width it had


def test_the_incident_file_and_the_instrument_facts_keep_their_width(qtbot, ctx_for):
    from PySide6.QtCore import Qt

    panels = [CasePanel(ctx_for(Role.COMMISSIE)), InstrumentDetailPanel()]
    for panel in panels:
        qtbot.addWidget(panel)
        assert panel.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOn
