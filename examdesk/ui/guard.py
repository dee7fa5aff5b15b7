"""Repeated clicks never start an action twice (issue 14): the one place that knows which actions are
running. A double-click on *Maken en bekijken* made two documents because the second click came while
the first job was still working; a double-click on a session opened two session-mode windows.

`begin(owner, name)` says whether the action may start and marks it running until `end(owner, name)`;
`guarded(owner, name, fn)` does both around a call that runs to completion (a modal dialog, a save).
Background work started through `ui.worker.run_in_background` is guarded by its label, so every
import, export, backup and document is covered without a copy of this logic at each button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

_RUNNING = "_examdesk_running"


def _running(owner: QObject) -> set[str]:
    found = owner.property(_RUNNING)
    return set(found) if found else set()


def is_running(owner: QObject, name: str) -> bool:
    return name in _running(owner)


def begin(owner: QObject, name: str) -> bool:
    """True, and `name` is marked running for `owner`, when it was not running yet; False for the second
    click while the first is still at work."""
    running = _running(owner)
    if name in running:
        return False
    running.add(name)
    owner.setProperty(_RUNNING, sorted(running))
    return True


def end(owner: QObject, name: str) -> None:
    if not shiboken6.isValid(owner):
        return
    running = _running(owner)
    running.discard(name)
    owner.setProperty(_RUNNING, sorted(running))


def guarded(owner: QObject, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` wrapped so that a call while an earlier one is still running (a nested event loop: a modal
    dialog, a question) does nothing."""

    def run(*args: Any) -> Any:
        if not begin(owner, name):
            return None
        try:
            return fn(*args)
        finally:
            end(owner, name)

    return run
