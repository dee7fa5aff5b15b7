"""What the PostgreSQL seam costs (issue 17 groundwork), beside raw psycopg in the same run on a private
server (tests/pg_server.py): a one-row INSERT+COMMIT and a one-row SELECT.

* raw psycopg INSERT + COMMIT (autocommit off, one statement, commit)
* PgStore.transaction() with the same INSERT: BEGIN + the writer lock in one round trip, translation,
  COMMIT — the figure issue 17's "incident save p99 ≤ 3× the raw commit" will be measured against
* PgStore.transaction() + chain_lock + audit head read + INSERT + head UPDATE (an audit append)
* raw SELECT vs PgStore.query_one (translation, PgRow)

Needs the PostgreSQL server binaries (as the tests do).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import psycopg  # noqa: E402
from pg_server import PostgresServer, requirement  # noqa: E402

from examdesk.data import audit as audit_data  # noqa: E402
from examdesk.data.db import open_store  # noqa: E402

RUNS = 400


def timings(action: Callable[[int], object], runs: int = RUNS) -> tuple[float, float]:
    """(median, p99) in milliseconds."""
    samples = []
    for n in range(runs):
        started = time.perf_counter()
        action(n)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.99) - 1] * 1000


def line(label: str, figures: tuple[float, float], base: tuple[float, float] | None = None) -> None:
    ratio = f"   ({figures[1] / base[1]:.1f}× raw p99)" if base else ""
    print(f"  {label:<44} median {figures[0]:6.2f} ms   p99 {figures[1]:6.2f} ms{ratio}")


def main() -> None:
    need = requirement()
    if need.action != "run":
        print(need.message)
        sys.exit(1)
    server = PostgresServer(need.bin_dir).start()
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE bench TEMPLATE examdesk_template")
        url = server.url("bench")
        store = open_store(url)
        raw = psycopg.connect(url)
        raw.execute("CREATE TABLE raw_rows (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        raw.commit()

        def raw_insert(n: int) -> None:
            raw.execute("INSERT INTO raw_rows (key, value) VALUES (%s, %s)", (f"r{n}", "x"))
            raw.commit()

        def store_insert(n: int) -> None:
            with store.transaction() as conn:
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"s{n}", "x"))

        def audit_append(n: int) -> None:
            audit_data.append(store, None, "bench", "test", "instelling", n)

        def raw_select(n: int) -> None:
            with raw.cursor() as cur:
                cur.execute("SELECT value FROM raw_rows WHERE key = %s", (f"r{n}",))
                cur.fetchone()
            raw.commit()

        def store_select(n: int) -> None:
            store.query_one("SELECT value FROM settings WHERE key = ?", (f"s{n}",))

        print(f"PostgreSQL seam, {RUNS} runs each, private server on 127.0.0.1 (fsync off)")
        base = timings(raw_insert)
        line("raw psycopg INSERT + COMMIT", base)
        line("PgStore.transaction(): INSERT (writer lock)", timings(store_insert), base)
        line("audit append (lock, head, INSERT, 2 UPDATEs)", timings(audit_append), base)
        select_base = timings(raw_select)
        line("raw psycopg SELECT one row", select_base)
        line("PgStore.query_one: SELECT one row", timings(store_select), select_base)
        raw.close()
        store.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
