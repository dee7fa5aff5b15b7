"""Start-up time: process start → main window shown (the launcher's path: file lock, startup check,
open, login on the demo database), beside a bare
QApplication + QMainWindow shown in the same run. Goal: ratio ≤ 1.5×.

Each run is a fresh Python process; the parent times from spawning it to reading the child's line
'shown', which the child prints right after the window has been painted once."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1200, 760); w.show(); w.repaint()
print("shown", flush=True)
"""

EXAMDESK = """
import sys
from pathlib import Path
from examdesk.services.auth import AuthService
from examdesk.services.backup import check_database, claim_database
from examdesk.services.context import AppContext
from examdesk.services.database import open_database
from examdesk.ui.launch import create_application
from examdesk.ui.main_window import MainWindow
app = create_application()
path = Path(sys.argv[1])
lock = claim_database(path)
assert check_database(path).problem == ""
store = open_database(path)
w = MainWindow(AppContext(store, AuthService(store).login("commissie", "demo")))
w.show(); w.repaint()  # painted once, before the deferred first fill of the Overzicht runs
print("shown", flush=True)
while not w.screens["overzicht"].links:
    app.processEvents()
print("ready", flush=True)
"""


def timed(code: str, *args: str) -> list[float]:
    """Seconds from spawning the child to each line it prints ('shown', and for ExamDesk 'ready')."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    marks = []
    for line in proc.stdout:
        marks.append(time.perf_counter() - start)
        if line.strip() not in ("shown", "ready"):
            raise SystemExit(f"child failed: {line!r}")
    proc.wait()
    return marks


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="examdesk-bench-")
    os.environ["EXAMDESK_HOME"] = home
    db = Path(home) / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "examdesk", "demo", "--no-gui", "--db", str(db)], check=True,
                   capture_output=True)
    timed(BARE)  # warm the OS file cache for both
    timed(EXAMDESK, str(db))
    bare, shown, ready = [], [], []
    for _ in range(RUNS):  # interleaved, so a busy moment on the machine hits both alike
        bare.append(timed(BARE)[0])
        marks = timed(EXAMDESK, str(db))
        shown.append(marks[0])
        ready.append(marks[1])
    b, s, r = statistics.median(bare), statistics.median(shown), statistics.median(ready)
    print(f"startup (median of {RUNS}, platform {os.environ['QT_QPA_PLATFORM']})")
    print(f"  bare QApplication + QMainWindow          : {b * 1000:7.0f} ms")
    print(f"  ExamDesk main window shown, logged in    : {s * 1000:7.0f} ms   ratio {s / b:5.2f}x  (goal <= 1.5x)")
    print(f"  ... and the Overzicht cards filled in    : {r * 1000:7.0f} ms   ratio {r / b:5.2f}x")


if __name__ == "__main__":
    main()
