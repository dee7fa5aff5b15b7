"""A simulated exam day, fast: session mode ticking for hours on a fake clock, and every screen opened
again and again — the run that shows a Qt binding which leaks a reference per call before a school
finds it in front of 28 candidates (issue 10: PySide6 6.12.0 drops one reference to ``None`` per
void call, and CPython 3.11 aborts when ``None``'s count runs out).

Run through ``examdesk selftest --soak`` (source tree and bundle alike), in its own process, so an
abort shows as a dead process rather than taking the caller with it.
"""

from __future__ import annotations

import os
import sys
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

# None is immortal from CPython 3.12 on (PEP 683): its reference count says nothing there
NONE_IS_COUNTED = sys.version_info < (3, 12)
# the count moves a little as objects holding None come and go; a leak moves it by thousands
NONE_TOLERANCE = 400


class FakeClock:
    """The session's clock, moved by the soak instead of by the wall."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@dataclass
class SoakPhase:
    name: str
    steps: int
    none_before: int
    none_after: int
    seconds: float

    @property
    def none_lost(self) -> int:
        return self.none_before - self.none_after if NONE_IS_COUNTED else 0

    @property
    def ok(self) -> bool:
        return self.none_lost <= NONE_TOLERANCE

    def line(self) -> str:
        count = (f"referenties naar None {self.none_before} → {self.none_after}" if NONE_IS_COUNTED
                 else "None is onsterfelijk in deze Python")
        return f"{self.name}: {self.steps} stappen in {self.seconds:.1f} s, {count}"


@dataclass
class SoakReport:
    phases: list[SoakPhase] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.phases)


def _measure(name: str, steps: int, work: Callable[[int], None]) -> SoakPhase:
    import gc

    gc.collect()
    before, started = sys.getrefcount(None), wallclock.perf_counter()
    for step in range(steps):
        work(step)
    gc.collect()
    return SoakPhase(name, steps, before, sys.getrefcount(None), wallclock.perf_counter() - started)


def _quiet_offscreen() -> None:
    """The offscreen platform warns once per window resize that it cannot pass size hints on; over
    thousands of screen visits that drowns the report."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(kind, context, message: str) -> None:
        if "propagateSizeHints" not in message and previous is not None:
            previous(kind, context, message)
        elif "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)


def _settle(app) -> None:
    """What the event loop does between two user actions, including the deferred deletes that a
    bare processEvents() leaves queued."""
    from PySide6.QtCore import QEvent

    app.processEvents()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _exercise(screen, step: int) -> None:
    """What a user does on any screen: pick from every list box and type into every search field."""
    from PySide6.QtWidgets import QComboBox, QLineEdit

    for combo in screen.findChildren(QComboBox):
        if combo.isVisible() and combo.isEnabled() and combo.count() > 1:
            combo.setCurrentIndex(step % min(combo.count(), 20))
    for edit in screen.findChildren(QLineEdit):
        if edit.isVisible() and edit.isClearButtonEnabled() and not edit.isReadOnly():
            edit.setText("a" if step % 2 == 0 else "")


def run_soak(folder: Path, exam_minutes: int = 240, screen_rounds: int = 12,
             report: Callable[[str], None] = lambda _line: None) -> SoakReport:
    """Session mode through an exam of `exam_minutes` (one tick per simulated second, the main
    window's header clock beside it), then every screen of every role opened `screen_rounds` times."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from examdesk.domain.clock import AMSTERDAM
    from examdesk.services.demo import create_demo
    from examdesk.services.selftest import demo_context, plan_running_session
    from examdesk.ui.main_window import MainWindow
    from examdesk.ui.session_mode.window import SessionModeWindow

    app = QApplication.instance() or QApplication([])
    _quiet_offscreen()
    store = create_demo(folder / "soak.sqlite")
    result = SoakReport()
    try:
        day = date.today() + timedelta(days=7)
        clock = FakeClock(datetime.combine(day, time(8, 0), tzinfo=AMSTERDAM))
        session_id = plan_running_session(store, clock, day, exam_minutes)
        surveillant = demo_context(store, "surveillant", clock)
        window = SessionModeWindow(surveillant, session_id)
        window.timer.stop()                  # the soak is the clock now
        window.resize(1366, 768)
        window.show()
        main = MainWindow(surveillant)
        main._timer.stop()
        main.show()
        app.processEvents()

        def tick(step: int) -> None:
            clock.advance(1)
            window.tick()
            main._tick()
            if step % 300 == 0:
                app.processEvents()

        result.phases.append(_measure("sessiemodus", exam_minutes * 60 + 15 * 60, tick))
        report(result.phases[-1].line())
        window.close()
        main.close()

        users = [demo_context(store, name, clock) for name in ("commissie", "bureau", "beheerder", "surveillant")]
        windows = [MainWindow(ctx) for ctx in users]
        for w in windows:
            w._timer.stop()
            w.show()

        def visit(step: int) -> None:
            for w in windows:
                for spec in w.specs:
                    screen = w.show_screen(spec.key)
                    refresh = getattr(screen, "refresh", None)
                    if refresh is not None:
                        refresh()
                    _exercise(screen, step)
                    _settle(app)

        result.phases.append(_measure("alle schermen", screen_rounds, visit))
        report(result.phases[-1].line())
        for w in windows:
            w.close()
        app.processEvents()
    finally:
        store.close()
    return result
