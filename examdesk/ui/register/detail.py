"""Below the instruments: the selected instrument's verdict for today, why it is outside the route choice,
its signals, its facts and its status history — laid out from `services.register_detail`."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from examdesk.services.register_detail import InstrumentDetail
from examdesk.ui.common import steady_width
from examdesk.ui.rich_text import COLOURS, lines_html, table_html


class WrappedRichText(QLabel):
    """A word-wrapped rich-text label that lays its text out once per text, font and width. Qt's QLabel lays
    the whole document out twice on every `heightForWidth` (at the asked width, then back), and the detail's
    scroll area asks it some twenty times as the Register opens, mostly at widths it asked before: the facts
    and history tables cost 17-28 ms per resize of the panel on ten years' register (issue 16)."""

    def __init__(self) -> None:
        super().__init__("")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._heights: dict[int, int] = {}
        self.layouts = 0                 # how often the text was laid out for a height (what the cache saves)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        if text != self.text():          # the same text: no new layout, and no layout request for the window
            self._heights.clear()
            super().setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        height = self._heights.get(width)
        if height is None:
            self.layouts += 1
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()        # another font or style sheet: the text measured again
        super().changeEvent(event)


class InstrumentDetailPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        frame = QFrame()
        frame.setObjectName("RegisterDetail")
        frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(14, 10, 14, 10)
        self.title = QLabel("Geen instrument gekozen")
        self.title.setObjectName("DetailTitle")
        self.title.setWordWrap(True)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mismatch = QLabel("")
        self.mismatch.setObjectName("RouteMissing")
        self.mismatch.setWordWrap(True)
        self.signals = QLabel("")
        self.signals.setObjectName("RouteMissing")
        self.signals.setWordWrap(True)
        self.facts = WrappedRichText()
        history_label = QLabel("Statusgeschiedenis")
        history_label.setObjectName("SectionLabel")
        self.history = WrappedRichText()
        body = QWidget()
        body_layout = QHBoxLayout(body)
        self._body = body_layout
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.facts, 1, Qt.AlignmentFlag.AlignTop)
        timeline = QVBoxLayout()
        timeline.addWidget(history_label)
        timeline.addWidget(self.history, 1)
        body_layout.addLayout(timeline, 1)
        for widget in (self.title, self.verdict, self.mismatch, self.signals):
            layout.addWidget(widget)
        layout.addWidget(body, 1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        steady_width(self)
        self.setWidget(frame)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        """The facts beside the status history where there is room, else the history below the facts (a
        large font): a sentence then wraps at the panel's width instead of scrolling sideways."""
        super().resizeEvent(event)
        roomy = self.viewport().width() >= 70 * self.fontMetrics().averageCharWidth()
        direction = QBoxLayout.Direction.LeftToRight if roomy else QBoxLayout.Direction.TopToBottom
        if self._body.direction() != direction:
            self._body.setDirection(direction)

    def show_detail(self, detail: InstrumentDetail | None) -> None:
        if detail is None:
            self.title.setText("Geen instrument gekozen")
            for label in (self.verdict, self.mismatch, self.signals, self.facts, self.history):
                label.setText("")
            self.mismatch.hide()
            self.signals.hide()
            return
        self.title.setText(detail.title)
        self.verdict.setText(detail.verdict)
        self.verdict.setObjectName("VerdictValid" if detail.valid else "VerdictInvalid")
        self.verdict.style().polish(self.verdict)
        self.mismatch.setText(detail.mismatch)
        self.mismatch.setVisible(bool(detail.mismatch))
        self.signals.setText("\n".join(f"⚑ {sentence}" for sentence in detail.signals))
        self.signals.setVisible(bool(detail.signals))
        self.facts.setText(table_html(detail.facts))
        rows = []
        for entry in detail.history:
            colour = COLOURS[entry.tone]
            decision = f" · {escape(entry.decision)}" if entry.decision else ""
            more = "".join(f"<br>{lines_html([line])}" for line in entry.lines)
            rows.append(f"<tr><td style='color:{colour}; padding-right:6px' valign='top'>●</td>"
                        f"<td valign='top' style='padding-right:10px'><b>{entry.effective_on}</b></td>"
                        f"<td><b style='color:{colour}'>{escape(entry.status)}</b>{decision}{more}</td></tr>")
        self.history.setText("<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>")
