"""Backups of a real database (the demo and the generated schools), beside a plain copy with fsync of
the same file in the same run; and what closing ExamDesk costs after a login that changed nothing.

    python bench/backup.py [--databases demo,1y,10y] [--runs 3]

* *back-up* — `BackupService.backup_now`, what the beheerder waits for after *Nu back-up maken*:
  the consistent copy, fsync, whatever check it makes before the copy gets its name, the rotation.
  Goal (issue 16, for its 2 GB database): ≤ 2× the copy with fsync — from 100 MB on; below that a backup's fixed
  work (opening, the checkpoint, the checks, the rotation: ~10-20 ms) outweighs the copy of a few MB, and the
  goal there is that nobody waits (< 1 s). Since issue 18 backups are encrypted (AES-256-GCM, streamed):
  sealed straight from the database file when its WAL can be emptied first, as here (an idle ExamDesk), so
  the encrypted backup is held to that goal itself; the same backup made without encryption (`copy_database`
  without a key: a copy of the files, its WAL replayed) is shown beside it, against the same copy.
* *volledige controle van de back-up* — the full integrity check of that copy, which runs in the
  background afterwards (and before any restore); reported, not part of the wait.
* *afsluiten na inloggen zonder wijziging* — a backup exists, someone logs in, looks, and closes:
  `automatic_backup_if_due(closing=True)`. Goal: no backup is made.

The databases are real: every page is data ExamDesk wrote (the random blobs of the old version of
this bench cost the integrity check nothing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Database, Row, part_main  # noqa: E402

CHILD = r"""
import json, os, shutil, sys, time
from pathlib import Path
from examdesk.data import backup as backup_data
from examdesk.data.users import by_username
from examdesk.services.auth import AuthService
from examdesk.services.backup import BackupService, automatic_backup_if_due, folder_of
from examdesk.services.context import AppContext
from examdesk.services.database import open_database

path, password, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = open_database(path)
store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
admin = AppContext(store, AuthService(store).login("beheerder", password))
found = {"size": path.stat().st_size, "copy": [], "backup": [], "check": [], "plain": []}

def copy_and_sync(target):
    shutil.copyfile(path, target)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())

for n in range(runs):
    target = path.with_name(f"kopie{n}.sqlite")
    began = time.perf_counter()
    copy_and_sync(target)
    found["copy"].append(time.perf_counter() - began)
    target.unlink()
    began = time.perf_counter()
    backup_data.copy_database(path, target)          # the same backup without encryption
    found["plain"].append(time.perf_counter() - began)
    target.unlink()
    began = time.perf_counter()
    made = BackupService(admin).backup_now()
    found["backup"].append(time.perf_counter() - began)
    began = time.perf_counter()
    check = backup_data.check_backup_file(made.path)
    found["check"].append(time.perf_counter() - began)
    assert check.ok, check.reason
before = len(backup_data.list_backup_files(folder_of(path)))
time.sleep(1.1)   # a later second than the last backup, as when someone closes ExamDesk
began = time.perf_counter()
AuthService(store).login("commissie", password)        # a login, a look, nothing changed
made = automatic_backup_if_due(store, closing=True)
found["close"] = time.perf_counter() - began
found["close_made"] = made is not None
found["backups_before"] = before
store.close()
print(json.dumps(found), flush=True)
"""


def measure(db: Database, runs: int = 3) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(db.path), db.password, str(runs)], env=db.env(),
                          capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


LARGE = 100e6   # bytes: from here on a backup is held to 2× the copy (see the top of this file)


def rows(db: Database, runs: int = 3) -> list[Row]:
    m = measure(db, runs)
    copy, backup, check, plain = min(m["copy"]), min(m["backup"]), min(m["check"]), min(m["plain"])
    size = f"{m['size'] / 1e6:.0f} MB"
    large = m["size"] >= LARGE

    def goal(seconds: float) -> bool:
        return seconds <= 2 * copy if large else seconds < 1.0

    wanted = "≤ 2×" if large else "< 1 s"
    return [
        Row(db.label, f"back-up zonder versleuteling ({size})", plain, copy, "kopie + fsync", wanted, goal(plain)),
        Row(db.label, f"back-up, versleuteld ({size})", backup, copy, "kopie + fsync", wanted, goal(backup)),
        Row(db.label, "volledige controle back-up (achtergrond)", check, copy, "kopie + fsync", "", None),
        Row(db.label, "afsluiten na inloggen zonder wijziging", m["close"], None, "", "geen back-up",
            not m["close_made"], note="back-up gemaakt" if m["close_made"] else "geen back-up"),
    ]


def main() -> None:
    part_main(__doc__, rows, runs=3)


if __name__ == "__main__":
    main()
