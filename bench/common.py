"""What the benchmarks share: the databases they measure (the demo and the generated schools, each a
working copy with its keys in a throwaway ExamDesk home), timing, memory, and the one table
`run_all.py` prints.

A working copy is *prepared* before anything is timed: opened once by this version of ExamDesk (so a
schema upgrade or the incident index's catch-up is not what a measure sees), given an account with
every role (``meting``: the probes visit every screen) and checkpointed."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "demo"
PROBE_USER = "meting"
PROBE_PASSWORD = "peilstok-voor-de-bank-2026"


@dataclass(frozen=True)
class Database:
    """A working copy a benchmark may change: `path` inside `home` (EXAMDESK_HOME for every process)."""

    label: str          # 'demo', '1 jaar', '10 jaar'
    path: Path
    home: Path
    password: str       # of the accounts the generator or the demo made (commissie, beheerder, …)

    def env(self) -> dict[str, str]:
        """The environment of a child process working on this copy: its home, keys in a file, offscreen,
        the ExamDesk sources this benchmark was started from, and compiled bytecode like an install."""
        return dict(child_env(), EXAMDESK_HOME=str(self.home), EXAMDESK_KEYS="bestand",
                    PYTHONPYCACHEPREFIX=str(self.home.parent / "pycache"))


def child_env() -> dict[str, str]:
    """A child's environment: the sources of this checkout first — `PYTHONSAFEPATH`: a `python -c` child started
    from another checkout's folder put that folder first and measured its code instead."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONSAFEPATH="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def prepare_demo(folder: Path) -> Database:
    home = folder / "demo-home"
    db = home / "data" / "examdesk-demo.sqlite"
    env = dict(child_env(), EXAMDESK_HOME=str(home), EXAMDESK_KEYS="bestand")
    subprocess.run([sys.executable, "-m", "examdesk", "demo", "--no-gui", "--db", str(db)], check=True,
                   capture_output=True, env=env)
    database = Database("demo", db, home, DEMO_PASSWORD)
    _prepare(database)
    return database


def prepare_generated(folder: Path, preset: str, label: str, log: Callable[[str], None] = print) -> Database:
    from bench import generate

    entry = generate.ensure(generate.PRESETS[preset], log=log)
    home = folder / f"{preset}-home"
    if home.exists():       # an earlier copy's keys and witness would not match the fresh file: its start
        shutil.rmtree(home) # would find the witness ahead of the history and verify ten years' chain
    db = generate.install(entry, home, home / "data" / "examdesk.sqlite")
    database = Database(label, db, home, generate.PASSWORD)
    _prepare(database)
    return database


PREPARE = """
import sys
from examdesk.data.db import open_store
from examdesk.data.users import by_username
from examdesk.domain.roles import Role
from examdesk.services.context import AppContext
from examdesk.services.users import UserService
from examdesk.services.backup import check_database
store = open_store(sys.argv[1])           # upgraded to this version's schema, the incident index caught up
from examdesk.data import search
search.ensure(store)                      # the search index holds every row, as in a school's file in use (the
                                          # generator's bulk inserts leave it to the first search: 26 s on 10 years)
admin = by_username(store, "beheerder")
if by_username(store, sys.argv[2]) is None:
    UserService(AppContext(store, admin)).add(sys.argv[2], "Meting (alle rollen)", sys.argv[3],
                                          frozenset({Role.BEHEERDER, Role.COMMISSIE, Role.BUREAU}))
store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
store.close()
check_database(sys.argv[1], record=True)  # the checkpoint of a normal start: this PC has seen it
"""


def _prepare(database: Database) -> None:
    subprocess.run([sys.executable, "-c", PREPARE, str(database.path), PROBE_USER, PROBE_PASSWORD], check=True,
                   env=database.env())


def snapshot(database: Database) -> Path:
    """The prepared state — the file and the keys folder with this PC's witness of it — kept aside, so
    each part of a run can start from it again (`restore`)."""
    aside = database.home.parent / f"{database.home.name}.snapshot"
    if aside.exists():
        shutil.rmtree(aside)
    aside.mkdir()
    shutil.copyfile(database.path, aside / "database.sqlite")
    shutil.copytree(database.home / "config" / "keys", aside / "keys")
    return aside


def restore(database: Database, aside: Path) -> Database:
    """Back to the prepared state: the same path (so this PC's witness still names it), no backups, no WAL."""
    for suffix in ("-wal", "-shm"):
        Path(str(database.path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(aside / "database.sqlite", database.path)
    keys = database.home / "config" / "keys"
    shutil.rmtree(keys)
    shutil.copytree(aside / "keys", keys)
    shutil.rmtree(database.home / "backups", ignore_errors=True)
    for extra in database.path.parent.iterdir():
        if extra != database.path and extra.is_file():
            extra.unlink()
    return database


def copy_of(database: Database, name: str) -> Database:
    """Another working copy beside it (same home, same keys), for a measure that changes the file."""
    target = database.path.with_name(name)
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(database.path) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(target) + suffix))
    return Database(database.label, target, database.home, database.password)


def compile_sources(database: Database) -> None:
    """Every ExamDesk module compiled into the copy's bytecode cache before a probe is timed, as an
    installation (pip, the bundle) has it: otherwise the first open of each screen compiles its modules
    (Beheer: 110 ms of `compile`), which no user's PC does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "examdesk")], check=True,
                   capture_output=True, env=database.env())


# --- measuring ------------------------------------------------------------------------------------

def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def best_of(fn: Callable[[], Any], runs: int = 3) -> float:
    return min(timed(fn)[0] for _ in range(runs))


def median_of(fn: Callable[[], Any], runs: int = 3) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def rss_mib() -> float:
    """Resident memory of this process (Linux: /proc; elsewhere the peak from resource)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the table ----------------------------------------------------------------------------------------

@dataclass
class Row:
    database: str
    measure: str
    value: float | None            # seconds, or MiB for memory, or a count
    baseline: float | None = None
    baseline_what: str = ""
    goal: str = ""                 # '< 150 ms', '≤ 1.5×', '≤ +150 MiB', …
    passed: bool | None = None
    unit: str = "s"                # 's' (shown in ms or s), 'MiB', 'n'
    note: str = ""


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:g}"


def ratio(row: Row) -> str:
    if row.value is None or not row.baseline:
        return ""
    if row.unit == "MiB":
        return f"+{row.value - row.baseline:.0f} MiB"
    return f"{row.value / row.baseline:.2f}×"


def table(rows: list[Row]) -> str:
    head = ["database", "measure", "value", "baseline (same run)", "ratio", "goal", ""]
    lines = [[r.database, r.measure, fmt(r.value, r.unit),
              f"{fmt(r.baseline, r.unit)} {r.baseline_what}".strip() if r.baseline is not None else r.baseline_what,
              ratio(r), r.goal, {True: "ok", False: "NIET", None: ""}[r.passed] + (f" {r.note}" if r.note else "")]
             for r in rows]
    widths = [max(len(str(x)) for x in column) for column in zip(head, *lines, strict=True)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)) + " |" for line in lines]
    return "\n".join(out)


def within(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


LABELS = {"demo": "demo", "1y": "1 jaar", "10y": "10 jaar"}


def prepared(folder: Path, name: str, log: Callable[[str], None] = print) -> Database:
    """A working copy of the demo or of a generated school ('1y', '10y') inside `folder`."""
    if name == "demo":
        return prepare_demo(folder)
    return prepare_generated(folder, name, LABELS.get(name, name), log=log)


def part_main(doc: str, measure: Callable[[Database, Any], list[Row]], runs: int | None = None,
              heading: str = "") -> None:
    """One part's command line (`python bench/<part>.py [--databases …] [--runs N]`): the part measured on a
    fresh working copy of each database, printed as one table — what `run_all.py` does for every part."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--databases", default="demo,1y,10y")
    if runs is not None:
        parser.add_argument("--runs", type=int, default=runs)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="examdesk-bench-") as folder:
        found: list[Row] = []
        for name in args.databases.split(","):
            found += measure(prepared(Path(folder), name), getattr(args, "runs", None))
        if heading:
            print(heading.format(runs=getattr(args, "runs", None)))
        print(table(found))


def run_child(code: str, db: Database, *args: str) -> dict[str, Any]:
    """A measurement in a fresh Python process (nothing imported or cached by an earlier one) on `db`; the child
    prints its figures as one JSON line at the end."""
    import json

    done = subprocess.run([sys.executable, "-c", code, str(db.path), *args], env=db.env(),
                          capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])
