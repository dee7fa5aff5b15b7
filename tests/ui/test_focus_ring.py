"""A user who tabs through a form, a list or the sidebar sees where the keyboard is (UI.md): the control with
the focus has a 2 px ring in the accent colour, and a check box's box grows with the text at 200 %."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from examdesk.ui import style
from examdesk.ui.style import FOCUS


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    q = QColor(colour)
    return 0.2126 * channel(q.redF()) + 0.7152 * channel(q.greenF()) + 0.0722 * channel(q.blueF())


def _ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _dialog(qtbot, scale: float = 1.0) -> tuple[QDialog, dict[str, QWidget]]:
    """The house style sheet as the application sets it for a user's text size (`scaled`)."""
    dialog = QDialog()
    dialog.setStyleSheet(style.scaled(style.STYLESHEET, scale=scale))
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    sidebar = QListWidget()
    sidebar.setObjectName("Sidebar")
    sidebar.addItems(["Overzicht", "Register"])
    sidebar.setCurrentRow(0)
    table = QTableWidget(3, 2)
    combo = QComboBox()
    combo.addItems(["Alle categorieën"])
    widgets: dict[str, QWidget] = {
        "zijbalk": sidebar, "veld": QLineEdit("tekst"), "keuzelijst": combo,
        "vinkje": QCheckBox("te melden bij de Inspectie"), "lijst": table, "knop": QPushButton("Annuleren"),
        "standaardknop": QPushButton("Opslaan")}
    widgets["standaardknop"].setDefault(True)
    for widget in widgets.values():
        layout.addWidget(widget)
    dialog.resize(420, 480)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    return dialog, widgets


def _ring(image: QImage) -> bool:
    """A 2 px line in the focus colour along the control's outline (in its outer 3 px): checked across the
    middle of each side, so rounded corners do not count."""
    ring = QColor(FOCUS).rgb()
    width, height = image.width(), image.height()
    sides = ([(x, height // 2) for x in range(3)], [(width - 1 - x, height // 2) for x in range(3)],
             [(width // 2, y) for y in range(3)], [(width // 2, height - 1 - y) for y in range(3)])
    return all(sum(image.pixel(x, y) == ring for x, y in side) >= 2 for side in sides)


@pytest.mark.parametrize("what", ["zijbalk", "veld", "keuzelijst", "vinkje", "lijst", "knop", "standaardknop"])
def test_the_control_with_the_focus_has_a_ring_the_others_do_not(qtbot, what):
    dialog, widgets = _dialog(qtbot)
    widget = widgets[what]
    other = widgets["veld"] if what != "veld" else widgets["vinkje"]
    other.setFocus()
    QApplication.processEvents()
    shown = widget.viewport() if what == "zijbalk" else widget        # the sidebar: its chosen item
    target = widget.visualItemRect(widget.item(0)) if what == "zijbalk" else widget.rect()
    without = shown.grab(target).toImage()
    widget.setFocus()
    QApplication.processEvents()
    assert widget.hasFocus()
    with_focus = shown.grab(target).toImage()
    assert _ring(with_focus), what
    if what != "standaardknop":                          # the default button is filled in the accent colour …
        assert not _ring(without), what
    else:                                                # … and focused it has a light line inside its ring
        def gap(image: QImage) -> bool:
            middle = image.height() // 2
            return any(image.pixel(x, middle) != QColor(FOCUS).rgb() for x in range(1, 5))
        assert gap(with_focus) and not gap(without)


def test_the_ring_is_seen_on_every_background_it_is_drawn_on():
    """WCAG 1.4.11: a focus indicator at least 3:1 against what is next to it."""
    for background in (style.WHITE, style.PANEL, style.SELECTION):
        assert _ratio(FOCUS, background) >= 3, background


def _box(check: QCheckBox) -> int:
    option = QStyleOptionButton()
    check.initStyleOption(option)
    return check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check).height()


@pytest.fixture
def app_font():
    """The application's font, as the system gives it to a user with a larger text size; put back after."""
    app = QApplication.instance()
    before = app.font()
    yield app
    app.setFont(before)


def test_a_check_box_grows_with_the_text(qtbot, app_font):
    """At 200 % the box stayed 16 px beside 31 px text: hard to see and to hit. The application takes the
    system font as the user's text size (`launch.create_application`), as this test does."""
    small_dialog, small = _dialog(qtbot)
    normal = small["vinkje"]
    font = app_font.font()
    font.setPointSizeF(style.BASE_POINT_SIZE * 2)
    app_font.setFont(font)
    large_dialog, large = _dialog(qtbot, 2.0)
    doubled = large["vinkje"]
    assert doubled.fontMetrics().height() > 1.8 * normal.fontMetrics().height()
    assert _box(normal) >= 12                                        # as large as Qt's own at 100 %
    assert 1.8 * _box(normal) <= _box(doubled) <= 1.5 * doubled.fontMetrics().height()

