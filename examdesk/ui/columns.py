"""Lists that fit their width (tour2 items 14-16: the Register, Leveranciers, Gebruikers scrolled sideways on a
laptop): which columns share the room and which are as wide as their rows. `examdesk.ui.common` offers this too."""

from __future__ import annotations

from PySide6 import QtCore  # `QtCore.Qt` where used, not imported by name: see `examdesk.ui.dialogs`
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QTableView


class RefitsOnResize(QObject):
    """Calls the list's `fit` whenever the width or font its columns are fitted to may have changed: its viewport
    resized, the view shown, its font or style changed. The one watcher of fitted lists (`fit_columns`, the
    Incidenten list's columns); a subclass says how to fit."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QtCore.QEvent.Type.Resize and watched is self.view.viewport() or kind in (
                QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange, QtCore.QEvent.Type.Show):
            self.fit()
        return False

    def fit(self) -> None:
        raise NotImplementedError


class _FitsColumns(RefitsOnResize):
    """`fit_columns`' stretching columns: shared out while each gets `LETTERS` letters, else whole (see there)."""

    LETTERS = 8

    def __init__(self, view: QTableView, stretch: tuple[int, ...]):
        self.stretch = stretch
        super().__init__(view)
        view.horizontalHeader().sectionResized.connect(lambda section, _o, _n: self._sized(section))

    def _sized(self, section: int) -> None:
        if section not in self.stretch:             # a column sized to its rows changed: the room left did too
            self.fit()

    def fit(self) -> None:
        header = self.view.horizontalHeader()
        shown = [c for c in self.stretch if c < header.count() and not header.isSectionHidden(c)]
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c not in self.stretch and not header.isSectionHidden(c))
        least = self.LETTERS * self.view.fontMetrics().averageCharWidth()
        share = self.view.viewport().width() - others >= least * len(shown)
        mode = QHeaderView.ResizeMode.Stretch if share else QHeaderView.ResizeMode.ResizeToContents
        for column in shown:
            if header.sectionResizeMode(column) != mode:
                header.setSectionResizeMode(column, mode)


def fit_columns(view: QTableView, stretch: tuple[int, ...], sized_once: bool = False) -> QTableView:
    """A list that fits its width without scrolling sideways: the columns in `stretch` (names, titles, sentences)
    share what is left and elide, their whole text the cell's tooltip; every other column is as wide as its
    title and the rows in view (`list_view` measures only those). Where what is left would give each stretching
    column less than eight letters (200 % font beside a form: 'Na', 'Eli…'), they too are as wide as their
    rows and the list scrolls sideways: names readable rather than cut to nothing. For a list of tens of rows,
    or one whose rows in view are cheap to ask. `sized_once`: a paged list of thousands, whose other columns the
    caller sizes once to its first rows (the audit log; a key would otherwise measure them again)."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    rest = QHeaderView.ResizeMode.Interactive if sized_once else QHeaderView.ResizeMode.ResizeToContents
    for column in range(header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in stretch else rest)
    _FitsColumns(view, stretch)
    return view
