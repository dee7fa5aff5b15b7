"""Input typed into a screen (not a dialog) is never lost without asking: leaving it for another
screen or tab, or closing the window, asks Opslaan / Weggooien / Blijven when something was changed
(issue 14: edits in Beheer → Instelling vanished on switching screens).

A screen, tab or panel with editable fields takes part by having `has_unsaved_input() -> bool` and
`save_input() -> bool` (True when saved; a refusal shows its message and keeps the input), and
optionally `discard_input()`. Forms in dialogs have the same question in `ui/dialogs.FormDialog`."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

TITLE = "Niet opgeslagen"
TEXT = "U hebt hier iets gewijzigd dat nog niet is opgeslagen. Wat wilt u ermee doen?"


def has_unsaved(widget: QWidget | None) -> bool:
    check = getattr(widget, "has_unsaved_input", None)
    return bool(check is not None and check())


def may_leave(widget: QWidget | None, parent: QWidget | None = None) -> bool:
    """True when the user may go on: nothing was changed, it was saved, or they chose to throw it away.
    "Blijven" (the default, also on Escape) keeps them where they were with what they typed."""
    if widget is None or not has_unsaved(widget):
        return True
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, TEXT, parent=parent or widget)
    save = box.addButton("Opslaan", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Weggooien", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("Blijven", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return bool(widget.save_input())
    if clicked is discard:
        throw_away = getattr(widget, "discard_input", None)
        if throw_away is not None:
            throw_away()
        return True
    return False
