"""An incident's file is laid out once, at its full height, before it is painted (issue 16). Qt shows the parts added to
a shown panel a turn of the event loop later and laid the file out as if it were empty until then: it was painted
squeezed into the view, then laid out and painted again at its height; and parts shown one by one into a shown file
laid every section's text out again for each part after it (60-100 ms of opening Incidenten on ten years)."""

from __future__ import annotations

from layout_support import commission_screen
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel

from examdesk.services.navigation import ScreenKey
from examdesk.ui.incidents.screen import IncidentsScreen


class _Resizes(QObject):
    """How often each label of the file is resized: each resize lays its rich text out again."""

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel
        self.count: dict[int, int] = {}
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QLabel) and self.panel.detail.isAncestorOf(watched):
            self.count[id(watched)] = self.count.get(id(watched), 0) + 1
        return False


class _FirstPaint(QObject):
    """Where the file's parts are when its panel is first painted."""

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel
        self.seen: list[tuple[int, int, int, int]] | None = None
        panel.viewport().installEventFilter(self)

    def parts(self) -> list[tuple[int, int, int, int]]:
        return [w.geometry().getRect() for w in self.panel.detail.findChildren(QLabel) if w.parent() is self.panel.detail]

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and self.seen is None:
            self.seen = self.parts()
        return False


def test_a_file_on_show_has_its_height_and_its_parts_before_it_is_painted(qtbot, store):
    window, screen = commission_screen(qtbot, store, ScreenKey.INCIDENTS, 1500, 900)
    qtbot.waitExposed(window)
    assert isinstance(screen, IncidentsScreen)
    for _ in range(5):
        QApplication.processEvents()
    panel = screen.case_panel
    rows = screen.model.rows
    other = next(r.incident_id for r in rows if screen.case is None or r.incident_id != screen.case.row.incident_id)
    first = _FirstPaint(panel)
    resizes = _Resizes(panel)

    screen.show_incident(other)                     # nothing processed yet: as the paint finds it
    labels = [w for w in panel.detail.findChildren(QLabel) if w.parent() is panel.detail]
    assert labels and all(label.isVisible() for label in labels)
    width = panel.viewport().width()
    assert panel.detail.minimumHeight() == panel.detail_layout.heightForWidth(width) > panel.viewport().height() // 2
    for _ in range(5):
        QApplication.processEvents()
    assert first.seen == first.parts()              # painted where it stays: not squeezed, then laid out again
    QApplication.instance().removeEventFilter(resizes)
    assert resizes.count and max(resizes.count.values()) == 1     # each section's text laid out once, not per part
    qtbot.waitUntil(lambda: not screen.file_pending and not screen.counting, timeout=3000)
