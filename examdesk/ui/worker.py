"""Slow work (PDFs, imports, backups) off the GUI thread, reporting back through signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore  # `QtCore.Qt` where used, not imported by name: see `examdesk.ui.dialogs`
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from examdesk.domain.cancel import Cancellation
from examdesk.ui import guard

_cancellable: set[Cancellation] = set()   # what is running and may be stopped when ExamDesk closes


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, which shows or re-raises it
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_in_background(
    parent: QWidget | None, fn: Callable[[], Any], on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None], label: str = "Bezig…", quiet: bool = False,
    cancel: Cancellation | None = None,
) -> _Job | None:
    """Runs fn on the thread pool with a busy indicator (none when `quiet`: work the user did not ask
    for, like the background check); callbacks run on the GUI thread.

    fn must not touch widgets; it may use its own database connection (SQLite connections are
    opened with check_same_thread=False, but share one only when the GUI waits for the result).

    While a job with the same label runs for the same parent, a second start does nothing and returns
    None (`ui.guard`): a double-click on a button that starts work starts it once.

    `cancel`: work the user did not ask for (the background check, the Overzicht's slow counts) that
    `finish_background_work` stops when ExamDesk closes; fn must look at it (and raise `Cancelled`)."""
    owner = parent
    if owner is not None and not guard.begin(owner, label):
        return None
    progress = None
    if not quiet:
        progress = QProgressDialog(label, "", 0, 0, parent)
        progress.setWindowTitle("ExamDesk")
        progress.setCancelButton(None)
        progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
    job = _Job(fn)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _cancellable.discard(cancel)
        if owner is not None:
            guard.end(owner, label)
        if progress is not None:
            progress.reset()
            progress.deleteLater()
        callback(value)

    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda exc: finish(on_error, exc))
    job.setAutoDelete(False)
    parent_keep = parent if parent is not None else progress
    if parent_keep is None:
        raise ValueError("a quiet background job needs a parent to keep it alive")
    jobs = parent_keep.property("_examdesk_jobs") or []
    jobs.append(job)  # keep the job (and its signals) alive until it reports back
    parent_keep.setProperty("_examdesk_jobs", jobs)
    if cancel is not None:
        _cancellable.add(cancel)
    QThreadPool.globalInstance().start(job)
    return job


def finish_background_work() -> None:
    """When the window has closed: the cancellable work is told to stop, then whatever still runs is waited
    for — the stopped work ends at its next chunk or interrupted query (not after minutes of checking); work
    the user asked for (a backup, an import) completes, as it would have without closing (issue 16)."""
    for cancel in list(_cancellable):
        cancel.cancel()
    _cancellable.clear()
    QThreadPool.globalInstance().waitForDone()
