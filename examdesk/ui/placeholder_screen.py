"""A screen that a later version of ExamDesk fills: says so plainly, shows no fake content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from examdesk.services.context import AppContext


class PlaceholderScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, title: str = "", message: str = ""):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        notice = QLabel(f"<b>{title}</b><br><br>{message}")
        notice.setObjectName("Notice")
        notice.setWordWrap(True)
        notice.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(notice)
        layout.addStretch(1)
        self.message = message
