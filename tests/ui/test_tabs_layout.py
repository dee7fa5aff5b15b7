"""`SizedByCurrentTab` (every screen's tabs): a change inside the page on show does not repaint the whole tab
widget — QTabWidget answers every layout request by repainting itself whole, and opening Afnames or the
Register painted the whole screen three times over (issue 16) — while a page that asks for more room still
gets it, and a resize still places the page."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from examdesk.ui.common import SizedByCurrentTab


class _Paints(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(600, 700)
    layout = QVBoxLayout(window)
    tabs = SizedByCurrentTab()
    page = QWidget()
    column = QVBoxLayout(page)
    label = QLabel("3 afnames")
    button = QPushButton("Plannen…")
    grower = QWidget()
    grower.setMinimumHeight(100)
    for widget in (label, button, grower):
        column.addWidget(widget)
    tabs.addTab(page, "Afnames")
    tabs.addTab(QWidget(), "Locaties")
    layout.addWidget(tabs)
    layout.addStretch(1)
    window.show()
    qtbot.waitExposed(window)
    return window, tabs, label, button, grower


def _settle(qtbot):
    for _ in range(6):
        qtbot.wait(1)


def test_a_change_inside_the_page_does_not_repaint_the_whole_screen(qtbot):
    window, tabs, label, button, _grower = _window(qtbot)
    _settle(qtbot)
    paints = _Paints()
    button.installEventFilter(paints)
    label.setText("1.234 afnames vandaag, waarvan 12 bezig")     # the page asks another size; nothing moves
    _settle(qtbot)
    assert label.text().startswith("1.234")
    assert paints.count == 0, "the unchanged button was repainted: the whole tab widget was"


def test_a_page_that_asks_for_more_room_gets_it(qtbot):
    window, tabs, _label, _button, grower = _window(qtbot)
    _settle(qtbot)
    before = tabs.height()
    grower.setMinimumHeight(400)
    _settle(qtbot)
    assert tabs.height() > before
    assert grower.height() >= 400          # laid out in the room the page asked for, not squeezed


def test_a_resize_still_places_the_page(qtbot):
    window, tabs, _label, _button, _grower = _window(qtbot)
    _settle(qtbot)
    window.resize(900, 700)
    _settle(qtbot)
    assert tabs.currentWidget().width() > 800


def test_every_tabbed_screen_keeps_all_its_tabs_in_view(qtbot):
    """The tab bar every screen's tabs have (it was Beheer's own): too narrow for every name, only the longest
    are shortened, to one width, and none hides behind scroll arrows; each whole name is its tab's tooltip
    (without the '&' of its shortcut). Wide enough, every name is whole."""
    from PySide6.QtWidgets import QTabBar

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    tabs = SizedByCurrentTab()
    layout.addWidget(tabs)
    names = ["Instelling", "&Gebruikers", "Auditlogboek", "Back-ups", "Sleutels", "Uitwisselsleutels", "Privacy"]
    for name in names:
        tabs.addTab(QWidget(), name)
    bar = tabs.tabBar()
    window.resize(2000, 300)
    window.show()
    qtbot.waitExposed(window)
    natural = [QTabBar.tabSizeHint(bar, i).width() for i in range(bar.count())]
    assert [bar.tabRect(i).width() for i in range(bar.count())] == natural
    assert [bar.tabToolTip(i) for i in range(bar.count())] == [n.replace("&", "") for n in names]

    window.resize(sum(natural) * 3 // 4, 300)
    qtbot.wait(20)
    widths = [bar.tabRect(i).width() for i in range(bar.count())]
    assert all(bar.tabRect(i).right() <= bar.width() for i in range(bar.count()))
    shortened = [i for i in range(bar.count()) if widths[i] < natural[i]]
    assert shortened and len({widths[i] for i in shortened}) == 1                 # the longest, to one width
    assert all(widths[i] == natural[i] for i in range(bar.count()) if i not in shortened)
    assert min(natural[i] for i in shortened) >= max((natural[i] for i in range(bar.count()) if i not in shortened),
                                                     default=0)
