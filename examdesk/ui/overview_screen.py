"""Overzicht: cards of counts, each line a link to the filtered list behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from examdesk.services.context import AppContext
from examdesk.services.navigation import OverviewTarget
from examdesk.services.overview import Card, CardLine, OverviewService


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
    COLUMNS = 3

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
        outer.addWidget(scroll)
        self.links: list[_LinkLabel] = []

    def apply_filter(self, target: OverviewTarget) -> None:
        """A link to the Overzicht narrows nothing: `refresh` has already shown it anew."""

    def refresh(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.links = []
        cards = self.service.cards()
        for index, card in enumerate(cards):
            self.grid.addWidget(self._card(card), index // self.COLUMNS, index % self.COLUMNS)
        for column in range(self.COLUMNS):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(len(cards) // self.COLUMNS + 1, 1)

    def _card(self, card: Card) -> QWidget:
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
            self.links.append(label)
            layout.addWidget(label)
        layout.addStretch(1)
        return box

    def _open(self, line: CardLine) -> None:
        window = self.window()
        if line.target is not None and hasattr(window, "navigate"):
            window.navigate(line.target)
