"""Overzicht: cards of counts, each line a link to the filtered list behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from examdesk.domain.cancel import Cancellation
from examdesk.domain.errors import ExamDeskError
from examdesk.services.context import AppContext
from examdesk.services.navigation import OverviewTarget
from examdesk.services.overview import Card, CardLine, OverviewService, Pending
from examdesk.ui.accessibility import name_controls
from examdesk.ui.worker import run_in_background


class _LinkLabel(QLabel):
    def __init__(self, line: CardLine, on_click):
        super().__init__(("▸ " if line.target else "") + line.text)
        self.line = line
        self._on_click = on_click
        self.setWordWrap(True)
        if line.warning:
            self.setObjectName("CardWarning")
        elif line.target:
            self.setObjectName("CardLink")
        if line.target:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.setToolTip("Open de lijst")

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.line.target:
            self._on_click(self.line)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.line.target and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._on_click(self.line)
            return
        super().keyPressEvent(event)


class OverviewScreen(QWidget):
    COLUMNS = 3             # at most: as many as fit at a readable width
    READABLE_EM = 17        # a column's least width in em of its text (some 35 letters): narrower, lines wrap
                            # word by word

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = OverviewService(ctx)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(20, 20, 20, 20)
        self.grid.setSpacing(16)
        scroll.setWidget(self.body)
        self.scroll = scroll
        outer.addWidget(scroll)
        self.links: list[_LinkLabel] = []
        self._boxes: list[QWidget] = []           # the cards in reading order, placed by `_reflow`
        self._columns = 0
        self._waiting: dict[str, QWidget] = {}
        self._counting: dict[str, object] = {}     # slow card → what remembers it, while its count runs

    def start_counting(self) -> None:
        """The slow cards' counts begin now, on their own threads — built before the window is painted, the
        Overzicht has them running while the window is drawn; `refresh_after_paint` shows what has arrived and
        waits for the rest (issue 16)."""
        for _source, made in self.service.plan(slow_only=True):
            if isinstance(made, Pending):
                self._count(made)

    def _count(self, pending: Pending) -> None:
        name = pending.source.name
        if name in self._counting:
            return                  # already running: its result fills this fill's placeholder too
        self._counting[name] = pending.keep
        cancel = Cancellation()          # closing ExamDesk stops the count instead of waiting for it
        run_in_background(self, lambda: pending.make(cancel), lambda card: self._arrived(name, card),
                          lambda exc: self._failed(name, exc), label=f"Overzicht: {pending.source.title}", quiet=True,
                          cancel=cancel)

    def apply_filter(self, target: OverviewTarget) -> None:
        """A link to the Overzicht narrows nothing: `refresh` has already shown it anew."""

    def refresh(self) -> None:
        """Every opening of the Overzicht (the sidebar, Ctrl+1, a link back) as the first: the quick cards at once,
        a slow card not counted for this state of the database as a placeholder filled from its thread — on ten
        years a whole register and every candidate took 2.4 s on the GUI thread (issue 16)."""
        self._show(background=True)

    def refresh_completely(self) -> None:
        """Every card, slow ones included, before returning (a report of everything at once; tests)."""
        self._show(background=False)

    def refresh_after_paint(self) -> None:
        """The first fill, right after the window is painted: the quick cards at once, each slow card (a whole
        register, every candidate) as a placeholder filled from a background thread when it is counted; the
        window stays usable meanwhile (issue 16). `complete` once every card is there."""
        self._show(background=True)

    @property
    def complete(self) -> bool:
        return not self._waiting

    def _show(self, background: bool) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().hide()          # gone at once, deleted when the event loop comes round
                item.widget().deleteLater()
        self.links = []
        self._waiting = {}
        self._boxes = []
        for source, made in self.service.plan():
            if isinstance(made, Pending) and not background:
                made.keep(card := source.provider(self.ctx))
                if card is None:
                    continue
                made = card
            if isinstance(made, Pending):
                box = self._card(Card(source.title, [CardLine("Wordt geteld…")]), placeholder=True)
                self._waiting[source.name] = box
                self._count(made)
            else:
                box = self._card(made)
            self._boxes.append(box)
        self._reflow(placed=False)

    def columns_for(self, width: int) -> int:
        """As many columns as fit `width` at a readable width each (`READABLE_EM` em of the text, so it follows
        the font), at most `COLUMNS`: at 200 % three narrow columns wrapped their lines word by
        word ('verloopt binnen 90 / dagen'); on a laptop at 100 % three fit as before."""
        margins = self.grid.contentsMargins()
        room = width - margins.left() - margins.right()
        self.ensurePolished()                           # the style sheet's font size, not the default's
        least = self.READABLE_EM * QFontInfo(self.font()).pixelSize()
        spacing = self.grid.horizontalSpacing()
        return max(1, min(self.COLUMNS, (room + spacing) // (least + spacing)))

    def _reflow(self, placed: bool = True) -> None:
        """The cards placed row by row in as many columns as fit the screen's width now; `placed`: the cards are
        where the last call put them (a resize), so the same number of columns leaves them there."""
        columns = self.columns_for(self.scroll.viewport().width())
        if placed and columns == self._columns:
            return
        self._columns = columns
        for box in self._boxes:
            self.grid.removeWidget(box)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        for shown, box in enumerate(self._boxes):
            self.grid.addWidget(box, shown // columns, shown % columns)
        self.grid.setRowStretch((len(self._boxes) + columns - 1) // columns, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._reflow()

    def _arrived(self, name: str, card: Card | None) -> None:
        keep = self._counting.pop(name, None)
        if keep is not None:
            keep(card)          # remembered for the state it was asked for: a fill after this one shows it
        waiting = self._waiting.pop(name, None)
        if waiting is None:
            return              # not shown yet, or shown anew meanwhile (`refresh`) with a card of its own
        self._replace(waiting, self._card(card) if card is not None else None)
        name_controls(self)

    def _failed(self, name: str, exc: Exception) -> None:
        self._counting.pop(name, None)
        if not isinstance(exc, ExamDeskError):
            raise exc
        waiting = self._waiting.pop(name, None)
        if waiting is not None:
            self._replace(waiting, self._card(Card(name, [CardLine(exc.message, warning=True)])))

    def _replace(self, placeholder: QWidget, box: QWidget | None) -> None:
        """A placeholder gives its place to the card counted for it (none: the card has nothing to say)."""
        self.grid.removeWidget(placeholder)
        placeholder.hide()
        placeholder.deleteLater()
        if box is None:
            self._boxes.remove(placeholder)
        else:
            self._boxes[self._boxes.index(placeholder)] = box
        self._reflow(placed=False)

    def _card(self, card: Card, placeholder: bool = False) -> QWidget:
        box = QWidget()
        box.setObjectName("Card")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 12, 16, 14)
        title = QLabel(card.title)
        title.setObjectName("CardTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        for line in card.lines:
            label = _LinkLabel(line, self._open)
            if not placeholder:       # a placeholder's line goes with it when its card arrives
                self.links.append(label)
            layout.addWidget(label)
        layout.addStretch(1)
        return box

    def _open(self, line: CardLine) -> None:
        window = self.window()
        if line.target is not None and hasattr(window, "navigate"):
            window.navigate(line.target)
