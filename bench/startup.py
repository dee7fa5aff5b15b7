"""Start-up time: process start → main window shown (the launcher's path: file lock, startup check,
open, login), beside a bare QApplication + QMainWindow shown in the same run. Goal: ratio ≤ 1.5×.

    python bench/startup.py [--audit-rows 500000]

Measured on the demo database and on a large one (the demo plus ~500,000 keyed audit rows, made
with the chain's own hash function and one bulk insert). On each, two cases:

* *with checkpoint* — the normal start: the startup check resumes from the position verified at
  the previous start (the witness beside the keys) and verifies only what came after it;
* *first start here* — no witness on this PC (a copied database): the whole chain is verified once.

Each run is a fresh Python process; the parent times from spawning it to reading the child's line
'shown', which the child prints right after the window has been painted once."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RUNS = 5

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
verdict = check_database(path, record=True)
assert verdict.problem == "", verdict.problem
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
    if proc.returncode:
        raise SystemExit(f"child failed with exit code {proc.returncode}")
    return marks


def grow_audit(path: Path, rows: int) -> None:
    """Appends `rows` keyed audit entries in one transaction: the entries the chain's own hash function
    makes, inserted in bulk (the project's `append` one by one would take minutes)."""
    from examdesk.data import audit as audit_data
    from examdesk.data.db import open_store
    from examdesk.domain.audit import entry_hash

    store = open_store(path)
    try:
        key = audit_data.chain_key(store)
        seq, prev = audit_data.head(store)
        actions = [("ingelogd", "gebruiker", "2", {}), ("document gemaakt", "procesverbaal", "s-1",
                                                         {"titel": "Procesverbaal", "concept": False}),
                   ("afname gepland", "afname", "s-2", {"titel": "Nederlands 3F", "datum": "2026-11-23"}),
                   ("incident geherclassificeerd", "incident", "i-3", {"reden": "verkeerde categorie"})]
        with store.transaction() as conn:
            batch = []
            for n in range(rows):
                seq += 1
                action, entity, entity_id, summary = actions[n % len(actions)]
                at = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00+01:00"
                digest = entry_hash(prev, seq, at, 2, "commissie", action, entity, entity_id, summary, key)
                batch.append((seq, at, 2, "commissie", action, entity, entity_id,
                              json.dumps(summary, ensure_ascii=False, sort_keys=True), prev, digest))
                prev = digest
                if len(batch) == 20_000:
                    conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
                    batch = []
            conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_seq'", (str(seq),))
            conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", (prev,))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


def forget_witness(db: Path) -> None:
    from examdesk.data import keystore
    from examdesk.data.backup import read_identity

    identity = read_identity(db, immutable=False)
    keystore.forget_witness(identity.database_id, db)


def measure(db: Path, first_start: bool) -> tuple[float, float, float]:
    """Median seconds of (bare window, ExamDesk shown, ExamDesk ready), interleaved run by run."""
    bare, shown, ready = [], [], []
    for _ in range(RUNS):
        bare.append(timed(BARE)[0])
        if first_start:
            forget_witness(db)
        marks = timed(EXAMDESK, str(db))
        shown.append(marks[0])
        ready.append(marks[1])
    return statistics.median(bare), statistics.median(shown), statistics.median(ready)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audit-rows", type=int, default=500_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="examdesk-bench-")
    os.environ["EXAMDESK_HOME"] = home
    os.environ["EXAMDESK_KEYS"] = "bestand"  # never the OS key store for a throwaway database
    # compiled bytecode, as an installed ExamDesk (and the bare baseline) has it, even where the
    # environment forbids writing it beside the sources
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(Path(home) / "pycache")
    try:
        run(home, args.audit_rows)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run(home: str, audit_rows: int) -> None:
    demo = Path(home) / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "examdesk", "demo", "--no-gui", "--db", str(demo)], check=True,
                   capture_output=True)
    large = Path(home) / "groot.sqlite"
    subprocess.run([sys.executable, "-m", "examdesk", "demo", "--no-gui", "--db", str(large)], check=True,
                   capture_output=True)
    started = time.perf_counter()
    grow_audit(large, audit_rows)
    made = time.perf_counter() - started
    size = large.stat().st_size / 1e6
    timed(BARE)  # warm the OS file cache for both
    timed(EXAMDESK, str(demo))
    timed(EXAMDESK, str(large))
    print(f"startup (median of {RUNS}, platform {os.environ['QT_QPA_PLATFORM']}); large database: the demo "
          f"+ {audit_rows} audit rows, {size:.0f} MB, made in {made:.1f} s")
    for label, db in (("demo", demo), (f"{audit_rows // 1000}k audit rows", large)):
        for first in (False, True):
            b, s, r = measure(db, first)
            case = "first start here (whole chain)" if first else "with checkpoint"
            print(f"  {label:<16} {case:<31} bare {b * 1000:5.0f} ms | shown {s * 1000:6.0f} ms "
                  f"ratio {s / b:5.2f}x (goal <= 1.5x) | ready {r * 1000:6.0f} ms ratio {r / b:5.2f}x")


if __name__ == "__main__":
    main()
