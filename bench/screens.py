"""Every list screen on a database, driven from the bench (the screens themselves are not changed),
beside raw sqlite3 on the same file in the same process and run.

    python bench/screens.py [--databases demo,1y,10y] [--runs 3]

`--runs` processes per database (each a first open: a screen's first open happens once per process); each
figure is the median over them — for a keystroke, each key's median, then the median and the worst of those,
so one slow moment of the machine is not reported as a slow key, and a key that is slow every time is. Each
process logs in as ``meting`` (every role but surveillant), shows the main window, lets it do
what the launcher does after the first fill (the Overzicht's cards counted, the modules of the screens to come
imported and the screens built while the user reads it: `warm_up.warm_up_when_ready`) and times, each until the window is painted again
(`repaint`):

* opening Overzicht, Incidenten (first and again), Afnames, Rapporten and Beheer;
* a keystroke in Incidenten's search (typing *telefoon*: the list reloads as its debounce timer would
  make it, then paints), in Afnames' search (*Nederlands*) and in Beheer's audit log (*besluit*);
* choosing *besluit* and *inspectie* on Rapporten;
* its resident memory after visiting every screen.

Goals (issue 16): open < 150 ms, keystroke < 50 ms, memory ≤ a bare window + 150 MiB. The raw
baselines read, with plain sqlite3 on the same file, what the screen shows: the first page of the
list (and its count), or the rows a typed text matches by the plainest SQL there is (LIKE)."""

from __future__ import annotations

import json
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PROBE_PASSWORD,
    PROBE_USER,
    Database,
    Row,
    compile_sources,
    part_main,
)

OPEN_GOAL = 0.150
KEY_GOAL = 0.050


def _raw(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return conn


def raw_baselines(path: str) -> dict[str, float]:
    """Plain sqlite3: what each screen shows, read by hand (median of 3, fresh statements each time)."""
    conn = _raw(path)
    today = time.strftime("%Y-%m-%d")

    def med(fn: Any) -> float:
        times = []
        for _ in range(3):
            began = time.perf_counter()
            fn()
            times.append(time.perf_counter() - began)
        return statistics.median(times)

    def q(sql: str, params: tuple = ()) -> list[Any]:
        return conn.execute(sql, params).fetchall()

    def overview() -> None:
        q("SELECT status, count(*) FROM sessions WHERE session_date = ? GROUP BY status", (today,))
        q("SELECT status, count(*) FROM incident_index WHERE voided = 0 GROUP BY status")
        q("SELECT count(*) FROM incident_index WHERE to_report = 1")
        q("SELECT count(*) FROM decisions")

    page = ("SELECT ii.*, s.title, r.name, l.name FROM incident_index ii JOIN sessions s ON s.id = ii.session_id"
            " JOIN rooms r ON r.id = s.room_id JOIN locations l ON l.id = r.location_id WHERE ii.voided = 0")

    def incidents() -> None:
        q(page + " ORDER BY ii.occurred_at DESC LIMIT 200")
        q("SELECT count(*) FROM incident_index WHERE voided = 0")

    def incident_key(text: str) -> None:
        q(page + " AND ii.what_happened LIKE ? ORDER BY ii.occurred_at DESC LIMIT 200", (f"%{text}%",))

    def sessions(text: str = "") -> None:
        q("SELECT s.*, r.name, l.name FROM sessions s JOIN rooms r ON r.id = s.room_id JOIN locations l"
          " ON l.id = r.location_id WHERE s.title LIKE ? ORDER BY s.session_date, s.starts_at LIMIT 1000",
          (f"%{text}%",))

    def audit(text: str = "") -> None:
        q("SELECT * FROM audit_log WHERE summary LIKE ? ORDER BY seq DESC LIMIT 200", (f"%{text}%",))

    def decisions() -> None:
        q("SELECT * FROM decisions ORDER BY decided_on DESC, number DESC LIMIT 50")

    found = {
        "overzicht": med(overview), "incidenten": med(incidents), "incidenten_key": med(lambda: incident_key("tel")),
        "afnames": med(sessions), "afnames_key": med(lambda: sessions("Ned")), "beheer": med(audit),
        "beheer_key": med(lambda: audit("bes")), "rapporten": med(decisions),
    }
    conn.close()
    return found


PROBE = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.database import open_database
from examdesk.ui.launch import create_application
from examdesk.ui.main_window import MainWindow

path, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
app = create_application()
store = open_database(path)
window = MainWindow(AppContext(store, AuthService(store).login(user, password)))
window.resize(1600, 1000)
window.show()
for _ in range(50):
    app.processEvents()
# what the launcher does once the first screen is filled (`launch._after_first_screen`): the Overzicht's cards
# counted, then the modules of the screens to come imported and the screens built while the user reads it
# (`warm_up_when_ready`, `build_when_idle`)
from examdesk.ui.warm_up import after_ready_modules, warm_up_when_ready
warm_up_when_ready(window)
overview = window.screens["overzicht"]
deadline = time.monotonic() + 120
def idle_work_done():
    return (overview.complete and all(m in sys.modules for m in after_ready_modules(window))
            and all(spec.key in window.screens for spec in window.specs))   # `warm_up.build_when_idle`

while not idle_work_done() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
found = {}

def settle():
    # what a screen or a key set going is done when the window has painted it: the layout it asks for takes
    # more than one turn of the event loop (a page's tab widget lays out, then its list, then a scroll bar
    # appears), and work left for the next turn would be charged to the next key instead of to this one
    for _ in range(4):
        app.processEvents()
    window.repaint()

def timed(fn):
    began = time.perf_counter()
    fn()
    settle()
    return time.perf_counter() - began

def rss():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS:')) / 1024

def typing(word, edit, after=None):
    times = []
    for n in range(1, len(word) + 1):
        def key(n=n):
            edit.setText(word[:n])
            if after is not None:
                after()
        times.append(timed(key))
    return times

found["start_rss"] = rss()
found["afnames_open"] = timed(lambda: window.show_screen("afnames"))
found["overzicht_open"] = timed(lambda: window.show_screen("overzicht"))
found["incidenten_first"] = timed(lambda: window.show_screen("incidenten"))
timed(lambda: window.show_screen("overzicht"))
found["incidenten_again"] = timed(lambda: window.show_screen("incidenten"))
screen = window.screens["incidenten"]

def reload_now():   # what the search's debounce timer runs once typing pauses
    screen.filters._timer.stop()
    screen.filters.typed.emit()

found["incidenten_keys"] = typing("telefoon", screen.filters.search, reload_now)
screen._file_timer.stop()     # the first row's file, once typing has paused a moment more
found["incidenten_file_after_typing"] = timed(screen._show_first)
timed(lambda: screen.filters.search.setText(""))
reload_now()
found["afnames_again"] = timed(lambda: window.show_screen("afnames"))
sessions = window.screens["afnames"]
found["afnames_keys"] = typing("Nederlands", sessions.search)
timed(lambda: sessions.search.setText(""))
found["rapporten_open"] = timed(lambda: window.show_screen("rapporten"))
reports = window.screens["rapporten"]
for kind in ("besluit", "inspectie"):
    found[f"rapporten_{kind}"] = timed(lambda kind=kind: reports.kind.setCurrentIndex(reports.kind.findData(kind)))
found["beheer_open"] = timed(lambda: window.show_screen("beheer"))
admin = window.screens["beheer"]
audit = getattr(admin, "audit", None)
if audit is not None:
    found["beheer_keys"] = typing("besluit", audit.search)
found["register_open"] = timed(lambda: window.show_screen("register"))
found["memory"] = rss()
print(json.dumps(found), flush=True)
"""


def probe(db: Database) -> dict[str, Any]:
    compile_sources(db)
    done = subprocess.run([sys.executable, "-c", PROBE, str(db.path), PROBE_USER, PROBE_PASSWORD], env=db.env(),
                          capture_output=True, text=True, timeout=1800)
    if done.returncode:
        noise = "This plugin does not support propagateSizeHints()"
        raise SystemExit("\n".join(line for line in done.stderr.splitlines() if noise not in line))
    return json.loads(done.stdout.strip().splitlines()[-1])


def combined(probes: list[dict[str, Any]]) -> dict[str, Any]:
    """The medians of several probes' figures: of each measure, and of each keystroke of each typed word."""
    found: dict[str, Any] = {}
    for key in probes[0]:
        values = [p[key] for p in probes if key in p]
        if isinstance(values[0], list):
            found[key] = [statistics.median(times) for times in zip(*values, strict=True)]
        else:
            found[key] = statistics.median(values)
    return found


def rows(db: Database, bare_rss: float | None = None, runs: int = 3) -> list[Row]:
    found = combined([probe(db) for _ in range(max(1, runs))])
    raw = raw_baselines(str(db.path))
    out = []

    def opened(label: str, key: str, base: str) -> None:
        out.append(Row(db.label, label, found[key], raw[base], "ruwe SQL", "< 150 ms", found[key] < OPEN_GOAL))

    def keys(label: str, key: str, base: str) -> None:
        times = found.get(key)
        if not times:
            return
        worst = max(times)
        out.append(Row(db.label, label, statistics.median(times), raw[base], "ruwe SQL (LIKE)", "< 50 ms",
                       worst < KEY_GOAL, note=f"max {worst * 1000:.0f} ms"))

    opened("Overzicht openen", "overzicht_open", "overzicht")
    opened("Incidenten openen (eerste keer)", "incidenten_first", "incidenten")
    opened("Incidenten openen (opnieuw)", "incidenten_again", "incidenten")
    keys("toets in Incidenten-zoekveld", "incidenten_keys", "incidenten_key")
    if found.get("incidenten_keys"):
        te = found["incidenten_keys"][1]      # "te": the broadest prefix typed (a third of ten years' incidents)
        out.append(Row(db.label, "toets in Incidenten-zoekveld: 'te'", te, raw["incidenten_key"], "ruwe SQL (LIKE)",
                       "< 50 ms", te < KEY_GOAL))
    if "incidenten_file_after_typing" in found:
        out.append(Row(db.label, "Incidenten: dossier na de typpauze", found["incidenten_file_after_typing"], None,
                       "", "", None))
    opened("Afnames openen", "afnames_again", "afnames")
    keys("toets in Afnames-zoekveld", "afnames_keys", "afnames_key")
    opened("Beheer openen (auditlogboek)", "beheer_open", "beheer")
    keys("toets in Beheer-auditlogboek", "beheer_keys", "beheer_key")
    opened("Rapporten openen", "rapporten_open", "rapporten")
    opened("Rapporten: besluit kiezen", "rapporten_besluit", "rapporten")
    opened("Rapporten: inspectie kiezen", "rapporten_inspectie", "rapporten")
    out.append(Row(db.label, "Register openen", found["register_open"], None, "", "< 150 ms",
                   found["register_open"] < OPEN_GOAL))
    out.append(Row(db.label, "geheugen na elk scherm", found["memory"], bare_rss, "kaal venster" if bare_rss else "",
                   "≤ +150 MiB", None if bare_rss is None else found["memory"] - bare_rss <= 150, unit="MiB"))
    return out


def main() -> None:
    from bench.startup import bare_window

    bare_rss = bare_window()[1]
    part_main(__doc__, lambda db, runs: rows(db, bare_rss, runs), runs=3)


if __name__ == "__main__":
    main()
