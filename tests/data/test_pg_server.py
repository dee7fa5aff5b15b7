"""The test suite's own PostgreSQL server (tests/pg_server.py): when it must be there, and that it never
outlives the run that started it."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import psycopg
from pg_server import find_bin_dir, requirement

TESTS = Path(__file__).resolve().parents[1]


def _fake_bin(folder: Path) -> Path:
    folder.mkdir()
    for tool in ("initdb", "pg_ctl", "postgres"):
        (folder / tool).write_text("#!/bin/sh\n")
        (folder / tool).chmod(0o755)
    return folder


def test_missing_binaries_fail_loudly_with_what_to_do(tmp_path):
    need = requirement({"EXAMDESK_PG_BIN": str(tmp_path / "nowhere"), "PATH": ""})
    assert need.action == "fail"
    assert "apt-get install postgresql" in need.message and "EXAMDESK_PG=skip" in need.message


def test_skipping_is_allowed_only_outside_ci(tmp_path):
    assert requirement({"EXAMDESK_PG": "skip", "PATH": ""}).action == "skip"
    for ci in ("true", "1", "yes"):
        need = requirement({"EXAMDESK_PG": "skip", "CI": ci, "PATH": ""})
        assert need.action == "fail" and "not allowed in CI" in need.message
    assert requirement({"EXAMDESK_PG": "skip", "CI": "false", "PATH": ""}).action == "skip"


def test_binaries_are_found_where_the_environment_points(tmp_path):
    folder = _fake_bin(tmp_path / "bin")
    assert find_bin_dir({"EXAMDESK_PG_BIN": str(folder)}) == folder
    assert requirement({"EXAMDESK_PG_BIN": str(folder), "CI": "true"}).action == "run"
    (folder / "postgres").unlink()
    assert find_bin_dir({"EXAMDESK_PG_BIN": str(folder)}) is None


def test_the_server_speaks_utf8_with_the_byte_order_sqlite_sorts_by(pg_store):
    row = pg_store.query_one("SELECT current_setting('server_encoding'), 'B' < 'a', 'Zeeman' < 'de Vries'")
    assert tuple(row) == ("UTF8", True, True)


_KILLED_RUN = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[1])
    from pg_server import PostgresServer, requirement
    server = PostgresServer(requirement().bin_dir).start()
    print(server.folder, server.postmaster_pid(), server.url("postgres"), flush=True)
    sys.stdin.readline()
    os.kill(os.getpid(), signal.SIGKILL)       # no teardown, no atexit: as a CI timeout would end it
""")


def test_a_killed_test_run_leaves_no_server_and_no_folder_behind(pg_server):
    """(Uses pg_server only so that it runs exactly where the server tests run.)"""
    run = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(TESTS)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    folder, pid, url = run.stdout.readline().split()
    with psycopg.connect(url, connect_timeout=10) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    run.stdin.write("\n")
    run.stdin.flush()
    assert run.wait(timeout=60) == -signal.SIGKILL
    for _ in range(6000):       # the watchdog stops the server and removes its folder (bounded wait)
        if not Path(folder).exists() and not _alive(int(pid)):
            break
        threading.Event().wait(0.01)
    assert not _alive(int(pid)), "the killed run's PostgreSQL still runs"
    assert not Path(folder).exists(), "the killed run's server folder is still there"


def _alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_the_server_never_runs_as_root(pg_server):
    """initdb refuses root; as root (CI) the server runs as the unprivileged 'postgres' account."""
    owner = Path(f"/proc/{pg_server.postmaster_pid()}").stat().st_uid
    expected = os.getuid() if os.geteuid() != 0 else pwd.getpwnam(os.environ.get("EXAMDESK_PG_USER", "postgres")).pw_uid
    assert owner == expected != 0
