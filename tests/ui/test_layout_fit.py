"""The layout probe sees a window taller than the screen, a control squeezed below its height and a list that
shows no whole row (issue 14): at 200 % font Kandidaten importeren was ~860 px tall on a 768 px screen, its
mapping choices a few pixels short and its Voorbeeld a sliver, and the Register's Importeren…/Exporteren… were
26 of 28 px tall — and the probe passed. Here each check on a small widget tree, and the fixes: a form that
scrolls (scrolling_form), a table a few rows high in any font (show_rows), tabs as tall as their corner."""

from __future__ import annotations

import pytest
from layout_support import layout_problems, shown
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.roles import Role
from examdesk.services.candidates import read_table
from examdesk.ui.common import SizedByCurrentTab, scrolling_form, show_rows


def _available():
    return QApplication.primaryScreen().availableGeometry()


def _long_form(rows: int = 30) -> QWidget:
    box = QWidget()
    form = QFormLayout(box)
    for n in range(rows):
        combo = QComboBox()
        combo.addItems(["— niet gebruiken —", f"kolom {n}"])
        form.addRow(f"Veld {n}", combo)
    return box


def _table(rows: int) -> QTableWidget:
    table = QTableWidget(rows, 3)
    table.setHorizontalHeaderLabels(["regel", "studentnummer", "achternaam"])
    for r in range(rows):
        for c, text in enumerate((str(r + 2), f"10{r:02}", "Şahin")):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    return table


def _fit_problems(widget: QWidget) -> list[str]:
    """The probe's findings about room, not about text: this test runs without ExamDesk's style (whose bold
    headers the header check measures)."""
    return [p for p in layout_problems(widget) if not p.startswith(("header", "label text", "short header"))]


# --- the checks ---------------------------------------------------------------------------------------------

def test_a_dialog_taller_than_the_screen_is_named(qtbot):
    dialog = QDialog()
    column = QVBoxLayout(dialog)
    column.addWidget(_long_form())
    dialog.setMinimumHeight(_available().height() + 90)   # as a layout's minimum does: Qt keeps it that tall
    shown(qtbot, dialog)
    problems = layout_problems(dialog)
    assert any(p.startswith("larger than the screen") and "QDialog" in p for p in problems), problems


def test_a_dialog_within_the_screen_is_not_named(qtbot):
    dialog = QDialog()
    QVBoxLayout(dialog).addWidget(QLineEdit("Elif Şahin-Bos"))
    shown(qtbot, dialog)
    assert not any("larger than the screen" in p for p in layout_problems(dialog))


def test_controls_squeezed_below_their_height_are_named_each(qtbot):
    window = QWidget()
    window.resize(500, 300)
    controls = [QPushButton("Importeren…", window), QComboBox(window), QLineEdit("Şahin", window)]
    controls[1].addItem("studentnummer")
    for n, control in enumerate(controls):
        control.setGeometry(10, 10 + 60 * n, 200, control.minimumSizeHint().height() - 3)   # 3 px short
    shown(qtbot, window)
    problems = [p for p in layout_problems(window) if "squeezed below its minimum height" in p]
    assert len(problems) == 3, problems
    assert any("'Importeren…'" in p for p in problems)


def test_a_pixel_short_or_a_control_at_its_height_is_not_named(qtbot):
    window = QWidget()
    window.resize(500, 200)
    short = QPushButton("Exporteren…", window)
    short.setGeometry(10, 10, 200, short.minimumSizeHint().height() - 1)     # rounding, not a cut
    roomy = QComboBox(window)
    roomy.addItem("studentnummer")
    roomy.setGeometry(10, 80, 200, roomy.sizeHint().height())
    shown(qtbot, window)
    assert not any("squeezed" in p for p in layout_problems(window))


def test_a_table_lower_than_one_row_is_named(qtbot):
    window = QWidget()
    window.resize(500, 400)
    table = _table(5)
    table.setParent(window)
    table.setGeometry(0, 0, 480, table.horizontalHeader().sizeHint().height() + 12)   # a sliver below the header
    shown(qtbot, window)
    problems = layout_problems(window)
    assert any(p.startswith("shows no whole row") and "QTableWidget" in p for p in problems), problems


def test_an_empty_table_under_its_header_needs_a_row_too(qtbot):
    window = QWidget()
    window.resize(500, 400)
    table = _table(0)
    table.setParent(window)
    table.setGeometry(0, 0, 480, table.horizontalHeader().sizeHint().height() + 6)
    shown(qtbot, window)
    assert any("shows no whole row" in p for p in layout_problems(window))


def test_a_table_showing_its_rows_is_not_named(qtbot):
    window = QWidget()
    QVBoxLayout(window).addWidget(_table(5))
    window.resize(500, 400)
    shown(qtbot, window)
    assert _fit_problems(window) == []


def test_a_form_cut_off_by_a_scroll_area_that_does_not_scroll_sideways_is_named(qtbot):
    wide = QWidget()
    row = QVBoxLayout(wide)
    button = QPushButton("Alle gevonden toevoegen")
    button.setMinimumWidth(900)
    row.addWidget(button)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(scroll.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
    scroll.setWidget(wide)
    scroll.resize(400, 200)
    shown(qtbot, scroll)
    assert any(p.startswith("content cut on the right") for p in layout_problems(scroll))


# --- the fixes ------------------------------------------------------------------------------------------------

def _mapping_like(fixed: bool) -> QDialog:
    """Kandidaten importeren in small: a long form of choices, a preview table, buttons."""
    dialog = QDialog()
    column = QVBoxLayout(dialog)
    form = _long_form(int(_available().height() / 30) + 4)    # taller than the screen
    preview = _table(5)
    if fixed:
        column.addWidget(scrolling_form(form), 1)
        show_rows(preview, 3, 5)
    else:
        column.addWidget(form)
        preview.setMaximumHeight(190)
    column.addWidget(QLabel("Voorbeeld"))
    column.addWidget(preview)
    column.addWidget(QPushButton("Controleren…"))
    dialog.resize(600, _available().height() - 40)
    return dialog


def test_a_long_form_scrolls_and_the_preview_keeps_three_rows(qtbot):
    dialog = shown(qtbot, _mapping_like(fixed=True))
    assert _fit_problems(dialog) == []
    preview = dialog.findChild(QTableWidget)
    assert preview.viewport().height() >= 3 * preview.rowHeight(0)
    assert dialog.findChild(QScrollArea).verticalScrollBar().maximum() > 0


def test_without_them_the_dialog_is_taller_than_the_screen_and_the_probe_says_so(qtbot):
    dialog = shown(qtbot, _mapping_like(fixed=False))
    assert any("larger than the screen" in p for p in layout_problems(dialog))


def test_the_preview_is_three_rows_high_in_a_doubled_font_too(qtbot):
    preview = show_rows(_table(5), 3, 5)
    font = QFont(preview.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    preview.setFont(font)
    preview.resizeRowsToContents()
    window = QWidget()
    column = QVBoxLayout(window)
    column.addWidget(preview)
    column.addStretch(1)
    window.resize(500, 150)                    # the layout gives the table no more than its minimum
    shown(qtbot, window)
    assert preview.viewport().height() >= 3 * preview.rowHeight(0)


def test_buttons_beside_the_tabs_keep_their_height(qtbot):
    tabs = SizedByCurrentTab()
    for title in ("Kwalificaties en instrumenten", "Leveranciers"):
        tabs.addTab(QLabel(title), title)
    corner = QWidget()
    row = QVBoxLayout(corner)
    row.setContentsMargins(0, 0, 0, 0)
    button = QPushButton("Importeren…")
    button.setStyleSheet("QPushButton { padding: 8px 12px; }")   # taller than a tab, as ExamDesk's buttons are
    row.addWidget(button)
    tabs.setCornerWidget(corner)
    tabs.resize(700, 300)
    shown(qtbot, tabs)
    assert button.height() >= button.minimumSizeHint().height()
    assert not any("squeezed" in p for p in layout_problems(tabs))


@pytest.fixture
def font_doubled():
    """The application font at 200 %, as a person with low vision sets it; back to normal afterwards."""
    app = QApplication.instance()
    normal = QFont(app.font())
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(large)
    yield
    app.setFont(normal)


def test_candidate_import_at_200_percent_fits_the_screen_with_readable_rows(qtbot, store, ctx_for, tmp_path,
                                                                            font_doubled):
    from examdesk.ui.sessions.candidate_import import ImportDialog

    path = tmp_path / "kandidaten.csv"
    path.write_text("studentnummer;achternaam;voornaam\n" + "".join(f"10{n:02};Şahin;Elif\n" for n in range(8)),
                    encoding="utf-8")
    dialog = ImportDialog(ctx_for(Role.BUREAU), read_table(path), "Osiris")
    shown(qtbot, dialog)
    assert _fit_problems(dialog) == []
    assert dialog.frameGeometry().height() <= _available().height()
    assert dialog.preview.viewport().height() >= 3 * dialog.preview.rowHeight(0)
