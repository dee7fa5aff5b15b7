"""Every measure of issue 16 in one table — measure, value, same-run baseline, ratio, goal — for the demo
and the generated schools (one year, ten years).

    python bench/run_all.py [--databases demo,1y,10y] [--only startup,screens,backup,exports,incidents,privacy]
                            [--runs 5] [--markdown FILE]

What each part measures and against what is in its own module: `startup.py` (launcher and login
dialog, bare window), `screens.py` (every list screen driven from the bench, raw SQL), `backup.py`
(real databases, copy + fsync; closing without changes), `exports.py` (a year of incidents, sqlite3 +
csv), `incidents.py` (saving an incident, INSERT+COMMIT), `privacy.py` (the retention check, stored and from the
history; migration v019's fill). The generated databases come from
`generate.py`'s cache (made on first use: about a minute for one year, ten to fifteen for ten); each
part works on its own prepared copy, so nothing a part writes changes what another measures.

The figures depend on the machine; the ratios and the goals are what to compare. Run it on a quiet
machine: a second process on the same cores makes everything slower and the ratios noisier."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import backup, exports, incidents, privacy, screens, startup  # noqa: E402
from bench.common import LABELS, Database, Row, prepared, restore, snapshot, table  # noqa: E402

PARTS = ("startup", "screens", "backup", "exports", "incidents", "privacy")


def run_part(part: str, db: Database, runs: int, bare_rss: float | None) -> list[Row]:
    if part == "startup":
        return startup.rows(db, runs)
    if part == "screens":
        return screens.rows(db, bare_rss if bare_rss is not None else startup.bare_window()[1], min(runs, 3))
    if part == "backup":
        return backup.rows(db)
    if part == "exports":
        return exports.rows(db)
    if part == "incidents":
        return incidents.rows(db, runs=min(runs, 3))
    if part == "privacy":
        return privacy.rows(db)
    raise SystemExit(f"unknown part {part}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="demo,1y,10y")
    parser.add_argument("--only", default=",".join(PARTS))
    parser.add_argument("--runs", type=int, default=5, help="runs of each start-up and backup (median); screens "
                        "and incident saving: as many processes, at most 3")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    parts = [p for p in args.only.split(",") if p]
    found: list[Row] = []
    began = time.perf_counter()
    bare_rss = None
    with tempfile.TemporaryDirectory(prefix="examdesk-run-all-") as name:
        folder = Path(name)
        for db_name in args.databases.split(","):
            print(f"{LABELS.get(db_name, db_name)}: voorbereiden …", file=sys.stderr, flush=True)
            db = prepared(folder, db_name, log=lambda line: print(line, file=sys.stderr))
            aside = snapshot(db)
            for part in parts:
                print(f"{LABELS.get(db_name, db_name)}: {part} …", file=sys.stderr, flush=True)
                restore(db, aside)
                try:
                    rows = run_part(part, db, args.runs, bare_rss)
                except (Exception, SystemExit) as exc:   # a part that fails is a row saying so; the rest runs
                    last = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:120]
                    rows = [Row(db.label, f"{part}: mislukt", None, passed=False, note=last)]
                if part == "startup" and rows and rows[-1].unit == "MiB":
                    bare_rss = rows[-1].baseline
                found += rows
                print(table(rows), file=sys.stderr, flush=True)
    text = table(found)
    print(text)
    print(f"\n({time.perf_counter() - began:.0f} s; {len(found)} measures, "
          f"{sum(1 for r in found if r.passed is False)} not meeting their goal)")
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
