"""Stopping work that runs on a thread of its own — the background full check, the Overzicht's slow counts —
when ExamDesk closes, instead of waiting minutes for it (issue 16).

A `Cancellation` is a flag the work looks at between its chunks, plus hooks that stop what is running right
now (the data layer registers `sqlite3.Connection.interrupt` of the work's own connection). Work that sees it
raises `Cancelled` and records nothing: a check that did not finish must not say it checked."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from examdesk.domain.errors import ExamDeskError


class Cancelled(ExamDeskError):
    """The work was stopped before it finished (ExamDesk is closing); nothing of it was recorded."""

    def __init__(self, message: str = "Afgebroken: ExamDesk werd afgesloten voordat dit klaar was."):
        super().__init__(message)


class Cancellation:
    """Thread-safe: `cancel()` from the GUI thread, `cancelled`/`check()` and the hooks from the work's thread."""

    def __init__(self) -> None:
        self._flag = threading.Event()
        self._lock = threading.Lock()
        self._hooks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._flag.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._flag.set()
            hooks, self._hooks = self._hooks, []
        for hook in hooks:
            with contextlib.suppress(Exception):   # e.g. interrupting a connection already closed: nothing runs
                hook()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """`hook` runs once when cancelled (at once when that already happened)."""
        with self._lock:
            if not self._flag.is_set():
                self._hooks.append(hook)
                return
        hook()

    def check(self) -> None:
        """Between chunks: stop here when cancelled."""
        if self._flag.is_set():
            raise Cancelled()


def check(cancel: Cancellation | None) -> None:
    """`cancel.check()` for work that may run without one."""
    if cancel is not None:
        cancel.check()
