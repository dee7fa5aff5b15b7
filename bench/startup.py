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
w = QMainWindow(); w.resize(1200, 760); w.show(); app.processEvents()
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
w.show(); app.processEvents()
print("shown", flush=True)
"""


def timed(code: str, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait()
    if line.strip() != "shown":
        raise SystemExit(f"child failed: {line!r}")
    return elapsed


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="examdesk-bench-")
    os.environ["EXAMDESK_HOME"] = home
    db = Path(home) / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "examdesk", "demo", "--no-gui", "--db", str(db)], check=True,
                   capture_output=True)
    timed(BARE)  # warm the OS file cache for both
    timed(EXAMDESK, str(db))
    bare = [timed(BARE) for _ in range(RUNS)]
    app = [timed(EXAMDESK, str(db)) for _ in range(RUNS)]
    b, a = statistics.median(bare), statistics.median(app)
    print(f"startup (median of {RUNS}, platform {os.environ['QT_QPA_PLATFORM']})")
    print(f"  bare QApplication + QMainWindow : {b * 1000:7.0f} ms")
    print(f"  ExamDesk main window, logged in : {a * 1000:7.0f} ms")
    print(f"  ratio                           : {a / b:7.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
