"""Input typed into a panel of a screen (not a dialog) is never lost without asking (issue 14: edits in
Beheer → Instelling vanished on switching screens). Leaving the screen, leaving the panel's tab,
choosing another row of the list the panel edits, or closing the window asks Opslaan / Niet opslaan /
Annuleren when something was changed, naming what would be lost.

A panel opts in with one line, naming what it holds, its fields and how it saves:

    self.unsaved = UnsavedInput(self, "de bewaartermijnen", self.spins.values(), self._save)

and calls `self.unsaved.loaded()` where it has just shown what is stored (its refresh). The tracker is a
child QObject of the panel, so a screen, a tab widget or the main window finds every panel inside it
(`pending_in`) without passing anything on. Forms in dialogs ask the same in `ui/dialogs.FormDialog`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from examdesk.ui.dialogs import field_value

TITLE = "Niet opgeslagen"
SAVE, DISCARD, CANCEL = "Opslaan", "Niet opslaan", "Annuleren"


class UnsavedInput(QObject):
    """What a panel's fields held when last loaded or saved, to tell whether the user changed them.
    `save` returns True when saved (a refusal shows its own message and keeps the input); `discard`,
    if given, shows what is stored again (else the next `loaded()` does)."""

    def __init__(self, panel: QWidget, what: str | Callable[[], str], fields: Iterable[QWidget],
                 save: Callable[[], bool], discard: Callable[[], Any] | None = None):
        super().__init__(panel)
        self.panel = panel
        self._what = what
        self.fields = list(fields)
        self._save = save
        self._discard = discard
        self._snapshot: list[Any] | None = None

    @property
    def what(self) -> str:
        return self._what() if callable(self._what) else self._what

    def _values(self) -> list[Any]:
        return [field_value(w) for w in self.fields]

    def loaded(self) -> None:
        """The fields now show what is stored: from here on a difference is the user's."""
        self._snapshot = self._values()

    def changed(self) -> bool:
        return self._snapshot is not None and self._values() != self._snapshot

    def save(self) -> bool:
        if not self._save():
            return False
        self.loaded()
        return True

    def discard(self) -> None:
        self._snapshot = None
        if self._discard is not None:
            self._discard()

    def forget(self) -> None:
        """For closing everything at once (the end of a test run): the panel may go without the question."""
        self._snapshot = None

    def may_leave(self, parent: QWidget | None = None) -> bool:
        """Asks when changed; True when the user may go on (see `may_leave`)."""
        return may_leave(self.panel, parent)


def pending_in(widget: QWidget | None) -> list[UnsavedInput]:
    """The changed panels in `widget` (itself or anything inside it), in the order they were made."""
    if widget is None:
        return []
    found = [t for t in widget.findChildren(UnsavedInput) if t.changed()]
    return found


def has_unsaved(widget: QWidget | None) -> bool:
    return bool(pending_in(widget))


def question_text(pending: list[UnsavedInput]) -> str:
    what = [t.what for t in pending]
    named = what[0] if len(what) == 1 else ", ".join(what[:-1]) + " en " + what[-1]
    return (f"U hebt {named} gewijzigd maar nog niet opgeslagen.\n\n"
            f"Opslaan bewaart de wijzigingen; met Niet opslaan gaan ze verloren; Annuleren laat u verder werken.")


def may_leave(widget: QWidget | None, parent: QWidget | None = None) -> bool:
    """True when the user may go on: nothing was changed, it was saved, or they chose not to save it.
    "Annuleren" (the default, also on Escape) keeps them where they were with what they typed."""
    pending = pending_in(widget)
    if not pending:
        return True
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, question_text(pending), parent=parent or widget)
    save = box.addButton(SAVE, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(DISCARD, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(CANCEL, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return all(t.save() for t in pending)
    if clicked is discard:
        for t in pending:
            t.discard()
        return True
    return False
