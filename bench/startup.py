"""Start-up as a user meets it, beside a bare QApplication + QMainWindow shown in the same run.

    python bench/startup.py [--databases demo,1y,10y] [--runs 5]

Each run is a fresh Python process that starts as the `examdesk` command does (`examdesk.cli.main` with
`--db`: its arguments, then the launcher `examdesk.ui.launch.launch_gui` — the file lock, the startup check,
opening the database, the login dialog, the main window; calling the launcher directly skipped the ~15 ms of
building every command's parser that each start paid, and made the application twice). The probe
watches the login dialog's own first-paint signal and the main window's own events — not every event of
the application: a Python event filter on the QApplication costs ~50 ms of its own before the login is
painted (every event of the dialog's construction converted to Python), which the bare window does not
carry — and marks, with the monotonic clock the parent shares:

* *login* — the login dialog has been painted (goal: ≤ 1.5× the bare window);
* *click* — the probe types the password and clicks *Inloggen* once it is enabled (the startup check runs
  after the login is painted and enables it); *main* — the main window is painted;
* *ready* — the Overzicht is filled, every card including those counted in the background, and painted
  (goal: ≤ 3× the bare window);

and reports its resident memory then. That click comes at the first moment the button allows: no typing at all,
so the startup check and the warm-up that a user's typing hides are all counted as waiting. A second launch per
run clicks as a fast typist would, one second after the login was drawn (a user name and a password take
longer): *what the user waits* is then start → login drawn plus click → filled Overzicht — the machine's share,
without the seconds the user spends typing. Both are shown; the first is the stricter. The parent times *login* and *ready* from spawning the
process, *main* from the click. Medians of `--runs`, the bare window and ExamDesk interleaved run by
run. The databases are working copies with a checkpoint (a normal start); the generated ones come
from `bench/generate.py`'s cache."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Database, Row, child_env, part_main  # noqa: E402

BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1200, 760); w.show(); w.repaint()
print(f"mark shown {time.perf_counter():.6f}", flush=True)
rss = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS:')) / 1024
print(f"rss {rss:.1f}", flush=True)
"""

LAUNCH = """
import os, sys, time
from PySide6.QtCore import QObject, QTimer
from examdesk.ui import auth_dialogs, launch

user, password = sys.argv[2], sys.argv[3]
typing = float(sys.argv[4])   # seconds between the login drawn and the click, at the least

def mark(name):
    print(f"mark {name} {time.perf_counter():.6f}", flush=True)

def rss():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS:')) / 1024

class Probe(QObject):
    state = "login"
    window = None

    def login_painted(self, dialog):
        if self.state == "login":
            self.state = "typing"
            QTimer.singleShot(0, lambda: self.log_in(dialog))

    def eventFilter(self, obj, event):   # installed on the main window only: its own events
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.Paint and self.state == "main":
            self.state = "filling"
            self.window = obj
            QTimer.singleShot(0, self.shown)
        return False

    def log_in(self, dialog):
        mark("login")
        self.drawn = time.perf_counter()
        from PySide6.QtWidgets import QLineEdit

        edits = dialog.findChildren(QLineEdit)
        edits[0].setText(user)
        next(e for e in edits if e.echoMode() == QLineEdit.EchoMode.Password).setText(password)
        self.click_when_enabled(dialog)

    def click_when_enabled(self, dialog):
        # Inloggen is enabled once the startup check after the paint passed (issue 16)
        from PySide6.QtWidgets import QPushButton

        button = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Inloggen")
        typed = self.drawn + typing - time.perf_counter()
        if not button.isEnabled() or typed > 0:
            QTimer.singleShot(max(1, int(typed * 1000)), lambda: self.click_when_enabled(dialog))
            return
        self.state = "main"
        mark("click")
        button.click()

    def shown(self):
        mark("main")
        self.poll()

    def poll(self):
        overview = self.window.screens.get("overzicht")
        # filled: every card there, the slow ones (counted in the background) too
        if overview is not None and getattr(overview, "links", None) and getattr(overview, "complete", True):
            self.window.repaint()
            mark("ready")
            print(f"rss {rss():.1f}", flush=True)
            from examdesk import method_code
            method_code.save()   # what a normal exit does (atexit): the next start is not the first
            os._exit(0)   # the measure ends here: not the background check, nor the backup on closing
        QTimer.singleShot(1, self.poll)

probe = Probe()
login_init = auth_dialogs.LoginDialog.__init__
def watched_login(self, *args, **kwargs):
    login_init(self, *args, **kwargs)
    # the dialog's own first-paint signal, connected before the launcher's: the mark is the paint, not what follows
    self.painted.connect(lambda: probe.login_painted(self))
auth_dialogs.LoginDialog.__init__ = watched_login
main_window = launch._main_window
def watched_main_window(store, user_):
    window = main_window(store, user_)
    window.installEventFilter(probe)
    return window
launch._main_window = watched_main_window

from examdesk.cli import main
main(["--db", sys.argv[1]])   # what `examdesk --db PAD` runs
print("ended without a main window", flush=True)
os._exit(1)
"""


def _run(code: str, args: list[str], env: dict[str, str], timeout: float = 600) -> tuple[dict[str, float], float]:
    """(mark → seconds since spawning, RSS in MiB) of one child process."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    marks: dict[str, float] = {}
    rss = 0.0
    try:
        for line in proc.stdout:
            parts = line.split()
            if parts[:1] == ["mark"]:
                marks[parts[1]] = float(parts[2]) - began
            elif parts[:1] == ["rss"]:
                rss = float(parts[1])
            else:
                raise SystemExit(f"child said: {line.strip()}")
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode:
        raise SystemExit(f"child failed with exit code {proc.returncode}")
    return marks, rss


def bare_window() -> tuple[float, float]:
    marks, rss = _run(BARE, [], child_env())
    return marks["shown"], rss


TYPING = 1.0   # seconds from the login drawn to the click of a fast typist


def launch(db: Database, user: str = "commissie", typing: float = 0.0) -> tuple[dict[str, float], float]:
    return _run(LAUNCH, [str(db.path), user, db.password, str(typing)], db.env())


def measure(db: Database, runs: int = 5) -> dict[str, float]:
    """Medians: bare window shown and its memory, ExamDesk's login/click→main/ready and its memory (clicking at
    once), and what a typing user waits (login drawn + click→filled)."""
    launch(db)   # warms the OS file cache and compiles the bytecode, for both
    bare_window()
    found: dict[str, list[float]] = {k: [] for k in ("bare", "bare_rss", "login", "main", "ready", "rss", "waited")}
    for _ in range(runs):
        shown, rss = bare_window()
        found["bare"].append(shown)
        found["bare_rss"].append(rss)
        marks, rss = launch(db)
        found["login"].append(marks["login"])
        found["main"].append(marks["main"] - marks["click"])
        found["ready"].append(marks["ready"])
        found["rss"].append(rss)
        typed, _ = launch(db, typing=TYPING)
        found["waited"].append(typed["login"] + typed["ready"] - typed["click"])
    return {k: statistics.median(v) for k, v in found.items()}


def rows(db: Database, runs: int = 5) -> list[Row]:
    m = measure(db, runs)
    return [
        Row(db.label, "start → inlogvenster getekend", m["login"], m["bare"], "kaal venster", "≤ 1.5×",
            m["login"] <= 1.5 * m["bare"]),
        Row(db.label, "klik Inloggen → hoofdvenster", m["main"], None, "", "", None),
        Row(db.label, "start → hoofdvenster gevuld (klik zonder typen)", m["ready"], m["bare"], "kaal venster",
            "≤ 3×", m["ready"] <= 3 * m["bare"]),
        Row(db.label, "wachten bij typen: inlogvenster + klik → gevuld", m["waited"], m["bare"], "kaal venster",
            "", None),
        Row(db.label, "geheugen na start", m["rss"], m["bare_rss"], "kaal venster", "", None, unit="MiB"),
    ]


def main() -> None:
    part_main(__doc__, rows, runs=5, heading="Opstarten (mediaan van {runs})")


if __name__ == "__main__":
    main()
