"""The Overzicht's cards reflow (tour item 21): as many columns as fit at a readable width in the font on show —
three on a laptop at 100 % as before, fewer when the text is doubled instead of three narrow columns whose
lines wrapped word by word."""

from __future__ import annotations

from layout_support import commission_screen
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QWidget

from examdesk.services.navigation import ScreenKey
from examdesk.ui import style
from examdesk.ui.overview_screen import OverviewScreen


def _overview(qtbot, store, width: int) -> OverviewScreen:
    _window, overview = commission_screen(qtbot, store, ScreenKey.OVERVIEW, width)
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: overview.complete and bool(overview.links), timeout=20_000)   # the fill after paint
    _settle(qtbot)
    return overview


def _settle(qtbot) -> None:
    """The cards a fill or a resize placed are shown (a layout shows a new child from the event loop)."""
    qtbot.wait(50)
    QApplication.processEvents()


def _columns(overview: OverviewScreen) -> list[int]:
    """The left edges of the cards as drawn, one per column."""
    cards = [box for box in overview.body.findChildren(QWidget) if box.objectName() == "Card" and box.isVisible()]
    assert len(cards) >= 4
    return sorted({box.x() for box in cards})


def test_three_columns_on_a_laptop_at_100_percent(qtbot, store):
    overview = _overview(qtbot, store, 1366)
    assert len(_columns(overview)) == 3


def test_doubled_text_reflows_to_columns_wide_enough_to_read(qtbot, store):
    try:
        style.set_font_scale(18.0)                      # the user doubled the text size
        overview = _overview(qtbot, store, 1366)
        em = QFontInfo(overview.font()).pixelSize()
        columns = _columns(overview)
        assert len(columns) == 2
        assert all(box.width() >= 17 * em for box in overview.body.findChildren(QWidget)    # some 35 letters
                   if box.objectName() == "Card" and box.isVisible())
        overview.window().resize(900, 740)              # narrower still: one column
        _settle(qtbot)
        assert len(_columns(overview)) == 1
        overview.window().resize(1366, 740)
        _settle(qtbot)
        assert len(_columns(overview)) == 2
    finally:
        style.set_font_scale(style.BASE_POINT_SIZE)
