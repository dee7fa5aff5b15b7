"""Backup of a ~200 MB database, beside a plain file copy of the same file in the same run.

    python bench/backup.py [--mb 200]

Goal (issue 7): the backup under 2 s. The backup is reported in its parts — the consistent copy
with the online backup API plus fsync, and the verification (integrity check) that must pass
before the copy gets its final name — and as the total that a user waits for.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examdesk.data import backup as backup_data  # noqa: E402
from examdesk.data.db import open_store  # noqa: E402
from examdesk.services.demo import create_demo  # noqa: E402


def build(path: Path, megabytes: int) -> None:
    create_demo(path).close()
    store = open_store(path)
    store.conn.execute("CREATE TABLE bench_blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    chunk = 64 * 1024
    with store.transaction() as conn:
        conn.executemany("INSERT INTO bench_blobs (data) VALUES (?)",
                         ((os.urandom(chunk),) for _ in range(megabytes * 1024 * 1024 // chunk)))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def copy_and_sync(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="examdesk-bench-") as folder:
        root = Path(folder)
        db = root / "examdesk.sqlite"
        print(f"Database van ~{args.mb} MB opbouwen…")
        build(db, args.mb)
        size = db.stat().st_size / 1e6
        print(f"Databasegrootte: {size:.1f} MB")
        copy_times, synced_times, backup_times, check_times = [], [], [], []
        for run in range(args.runs):
            raw = root / f"raw{run}.sqlite"
            copy_times.append(timed(lambda raw=raw: shutil.copyfile(db, raw)))
            raw.unlink()
            synced_times.append(timed(lambda raw=raw: copy_and_sync(db, raw)))
            raw.unlink()
            target = root / "backups" / f"backup{run}.sqlite"
            backup_times.append(timed(lambda target=target: backup_data.copy_database(db, target)))
            check_times.append(timed(lambda target=target: backup_data.check_backup_file(target)))
            target.unlink()
        best = min
        print(f"shutil.copyfile (geen fsync, geen controle):      {best(copy_times):.2f} s  "
              f"(alle: {', '.join(f'{t:.2f}' for t in copy_times)})")
        print(f"shutil.copyfile + fsync:                          {best(synced_times):.2f} s  "
              f"(alle: {', '.join(f'{t:.2f}' for t in synced_times)})")
        print(f"ExamDesk-back-up totaal (backup-API + fsync + controle + rename): {best(backup_times):.2f} s  "
              f"(alle: {', '.join(f'{t:.2f}' for t in backup_times)})")
        print(f"  waarvan controle (integrity_check, apart gemeten): {best(check_times):.2f} s")
        print(f"Verhouding back-up / kale kopie: {best(backup_times) / best(copy_times):.1f}x; "
              f"doel < 2 s: {'gehaald' if best(backup_times) < 2 else 'NIET gehaald'}")


if __name__ == "__main__":
    main()
