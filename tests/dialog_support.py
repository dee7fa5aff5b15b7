"""Answering the questions ExamDesk asks (a QMessageBox run with exec), as a user clicking a button."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_next_question(button_text: str, attempts: int = 500) -> list[str]:
    """Clicks the button labelled `button_text` in the next question box that opens; the returned list
    gets the question's text once it was answered (empty: nothing was asked)."""
    asked: list[str] = []

    def look(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            next(b for b in box.buttons() if b.text() == button_text).click()
        elif left:
            QTimer.singleShot(10, lambda: look(left - 1))

    QTimer.singleShot(0, lambda: look(attempts))
    return asked
