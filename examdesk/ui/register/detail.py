"""Below the instruments: the selected instrument's verdict for today, why it is outside the route choice,
its signals, its facts and its status history — laid out from `services.register_detail`."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from examdesk.services.register_detail import InstrumentDetail
from examdesk.ui.rich_text import COLOURS, lines_html, table_html


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
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        history_label = QLabel("Statusgeschiedenis")
        history_label.setObjectName("SectionLabel")
        self.history = QLabel("")
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop)
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
