"""The Register at a large font (issue 14): at 200 % on a 1366×768 laptop the kwalificaties beside the
instruments left the instruments, their buttons and the verdict a sliver that scrolled sideways, and
Importeren/Exporteren hid 'Leveranciers' behind the tab bar's scroll arrows. Here the screen lays itself
out again for the width it gets; at 100 % and 150 % nothing changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView

from examdesk.ui.table_model import TableModel

if TYPE_CHECKING:
    from examdesk.ui.register.screen import RegisterScreen


def reflow(screen: RegisterScreen) -> None:
    fit_left(screen)
    one_column(screen)
    place_corner(screen)
    share_width(screen)


def share_width(screen: RegisterScreen) -> None:
    """Side by side, the kwalificaties as wide as their names in view need where the instruments keep their
    columns and some twenty letters of title and supplier each; else the kwalificaties at their least
    width (their names elide, the whole name the tooltip) — a laptop gives the instruments the room."""
    splitter = screen.splitter
    if splitter.orientation() != Qt.Orientation.Horizontal or not splitter.isVisible():
        return
    total = sum(splitter.sizes())
    table, instruments = screen.qual_table, screen.instr_table
    title = table.horizontalHeader().sectionSizeFromContents(1).width()
    natural = screen.left.minimumWidth() - title + max(table.sizeHintForColumn(1), title)
    header = instruments.horizontalHeader()
    right = sum(header.sectionSize(c) for c in range(header.count()) if header.sectionResizeMode(c)
                != header.ResizeMode.Stretch) + 40 * instruments.fontMetrics().averageCharWidth() \
        + instruments.width() - header.viewport().width()
    left = min(natural, total - right)
    if left < screen.left.minimumWidth():   # no room to spare: the splitter's own share (the least for the left)
        return
    if splitter.sizes()[0] != left:
        splitter.setSizes([left, total - left])


def one_column(screen: RegisterScreen) -> None:
    """Side by side when the screen has room for the kwalificaties' columns and ~40 characters of the
    instruments, else one above the other (the screen then scrolls up and down, never sideways), each
    part tall enough to read: some rows of each list, the action buttons wrapped, the verdict."""
    wanted = screen.left.minimumWidth() + 40 * screen.fontMetrics().averageCharWidth()
    narrow = screen.width() < wanted
    if narrow == (screen.splitter.orientation() == Qt.Orientation.Vertical):
        return
    line = screen.fontMetrics().height()
    screen.splitter.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)
    screen.qual_table.setMinimumHeight(10 * line if narrow else 0)      # a header and some eight rows
    screen.instr_table.setMinimumHeight(8 * line if narrow else 0)
    screen.detail.setMinimumHeight(12 * line if narrow else 0)
    screen.splitter.setChildrenCollapsible(not narrow)


def place_corner(screen: RegisterScreen) -> None:
    """Importeren/Exporteren beside the tabs when both fit on the line, else on a line of their own above."""
    outer, corner, tabs = screen.outer_layout, screen.corner, screen.tabs
    beside = tabs.cornerWidget(Qt.Corner.TopRightCorner) is corner
    margins = outer.contentsMargins()
    room = screen.width() - margins.left() - margins.right()
    fits = tabs.tabBar().natural_width() + corner.sizeHint().width() + 8 <= room   # every tab name whole
    if fits == beside:
        return
    if fits:
        outer.removeWidget(corner)
        tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
    else:
        tabs.setCornerWidget(None, Qt.Corner.TopRightCorner)
        outer.insertWidget(0, corner, 0, Qt.AlignmentFlag.AlignRight)
    corner.show()


def fit_left(screen: RegisterScreen) -> None:
    """The kwalificaties' crebo, counts and routes as wide as the widest they can hold ('00000', a badge,
    'ontbreekt' in bold) and their titles, measured in the font shown — no row asked: sized to its rows, a
    list of hundreds of kwalificaties was measured on every layout as the Register opened — and the pane as wide
    as those with 'Kwalificatie' (stretching) keeping its whole title; the instruments get the rest."""
    table = screen.qual_table
    header = table.horizontalHeader()
    key = (table.font().key(), header.font().key())
    if key == screen._qual_font:
        return
    screen._qual_font = key if table.isVisible() else None     # shown, measured again with its real frame
    cell = table.fontMetrics()
    bold = QFont(table.font())
    bold.setBold(True)
    held = {0: cell.horizontalAdvance("00000"), 2: cell.horizontalAdvance("4"), 3: cell.horizontalAdvance("999"),
            4: TableModel.BADGE_WIDTH, 5: max(QFontMetrics(bold).horizontalAdvance("ontbreekt"),
                                              cell.horizontalAdvance("1, 2, 3"))}
    for column, width in held.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, max(width + 8, header.sectionSizeFromContents(column).width()))
    columns = sum(header.sectionSize(c) for c in held)
    chrome = table.width() - header.viewport().width() if table.isVisible() else 2 * table.frameWidth() + 8
    screen.left.setMinimumWidth(columns + header.sectionSizeFromContents(1).width() + chrome)
