"""The layout probe sees controls drawn over each other and check boxes cut (issue 14): at 200 % font the role
check boxes of Beheer → Gebruikers were squeezed into each other while each still lay inside its parent, and
the probe passed. Here the check itself, on small widget trees, and keep_wrapped_height, the fix."""

from __future__ import annotations

from layout_support import layout_problems, shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examdesk.ui.flow_layout import keep_wrapped_height

NOTE = ("Gebruikers worden nooit verwijderd: een gedeactiveerd account blijft zichtbaar in het auditlogboek en in "
        "de documenten waarin het voorkomt. ") * 3


def test_two_controls_laid_over_each_other_are_named(qtbot):
    top = QWidget()
    grid = QGridLayout(top)
    grid.addWidget(QLabel("Naam"), 0, 0)
    grid.addWidget(QLineEdit("Elif Şahin-Bos"), 0, 0)        # one cell, two controls
    shown(qtbot, top)
    problems = layout_problems(top)
    assert any("drawn over each other" in p and "QLineEdit" in p and "QLabel 'Naam'" in p for p in problems), problems


def test_check_boxes_squeezed_into_too_little_height_are_named(qtbot):
    window = QWidget()
    window.resize(400, 300)
    boxes = QWidget(window)
    column = QVBoxLayout(boxes)
    for role in ("beheerder", "examencommissie", "examenbureau", "surveillant"):
        column.addWidget(QCheckBox(role))
    boxes.setGeometry(0, 0, 300, 40)                          # room for one line, not four
    shown(qtbot, window)
    problems = layout_problems(window)
    assert sum("check box text cut" in p for p in problems) == 4, problems
    assert any("'examencommissie'" in p for p in problems)


def test_a_check_box_narrower_than_its_text_is_named(qtbot):
    window = QWidget()
    window.resize(400, 100)
    box = QCheckBox("examencommissie", window)
    box.setGeometry(0, 0, box.sizeHint().width() // 2, box.sizeHint().height())
    shown(qtbot, window)
    assert any("check box text cut" in p for p in layout_problems(window))


def test_pages_stacked_on_purpose_and_a_roomy_form_are_not_reported(qtbot):
    tabs = QTabWidget()
    for title in ("Instelling", "Gebruikers"):
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("Naam", QLineEdit())
        form.addRow("Rollen", QCheckBox("beheerder"))
        tabs.addTab(page, title)
    stack = QStackedWidget()
    stack.addWidget(QLabel("eerste"))
    stack.addWidget(QLabel("tweede"))
    top = QWidget()
    column = QVBoxLayout(top)
    column.addWidget(tabs)
    column.addWidget(stack)
    shown(qtbot, top)
    top.resize(top.sizeHint() * 2)
    QApplication.processEvents()
    assert layout_problems(top) == []


def _users_like_screen(keep: bool) -> tuple[QScrollArea, QWidget]:
    """Beheer → Gebruikers in small: a list beside a panel (a splitter) whose wrapped note needs more height at
    a narrow width than its minimum size says, in a screen that scrolls up and down."""
    roles = QWidget()
    boxes = QVBoxLayout(roles)
    for role in ("beheerder", "examencommissie", "examenbureau", "surveillant"):
        boxes.addWidget(QCheckBox(role))
    panel = QWidget()
    column = QVBoxLayout(panel)
    form = QFormLayout()
    form.addRow("Naam", QLineEdit())
    form.addRow("Rollen", roles)
    column.addLayout(form)
    note = QLabel(NOTE)
    note.setWordWrap(True)
    column.addWidget(note)
    column.addStretch(1)
    if keep:
        keep_wrapped_height(panel)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(QLabel("lijst"))
    splitter.addWidget(panel)
    screen = QScrollArea()
    screen.setWidgetResizable(True)
    screen.setWidget(splitter)
    screen.resize(360, 200)
    return screen, panel


def test_a_pane_with_wrapped_text_keeps_the_height_it_needs_and_the_screen_scrolls(qtbot):
    screen, panel = _users_like_screen(keep=True)
    shown(qtbot, screen)
    assert panel.height() >= panel.heightForWidth(panel.width())
    assert layout_problems(screen) == []
    assert screen.verticalScrollBar().maximum() > 0


def test_without_it_the_check_boxes_are_squeezed_and_the_probe_says_so(qtbot):
    screen, _panel = _users_like_screen(keep=False)
    shown(qtbot, screen)
    assert any("check box text cut" in p for p in layout_problems(screen))
