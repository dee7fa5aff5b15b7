"""A real, throw-away PostgreSQL server for the test suite (issue 17).

`PostgresServer.start()` runs Debian's `initdb` into a fresh folder under the system temp folder,
starts `postgres` with `pg_ctl` on a free TCP port of 127.0.0.1 (its unix socket in the same
folder, never in /var/run), and `stop()` shuts it down and removes the folder. Nothing of the
machine's own PostgreSQL (a cluster the Debian package may have created) is used or touched.

**Root.** `initdb` and `postgres` refuse to run as root. As root (CI), the server processes run as
the unprivileged `postgres` account that Debian's package creates (override with
`EXAMDESK_PG_USER`), switched to by `subprocess`'s own `user=`/`group=` arguments — no `su`, no
shell, no password. The folder is created by root and handed to that account; the tests connect
over TCP with a password, so root needs no access to the server's files.

**Interrupted runs.** The server runs in its own session (Ctrl-C in the terminal does not reach
it) and pytest stops it in the session fixture's teardown, which also runs on KeyboardInterrupt.
For a run that is killed outright (SIGKILL, a CI timeout) a small watchdog process holds the read
end of a pipe whose write end only this process has: when it reads EOF — at a normal stop or
because the test process died — it stops the server (`pg_ctl stop -m immediate`) and removes the
folder. No server outlives the run that started it.

**Speed.** `initdb -N`, `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`: about 1.5 s
to start once per session, ~0.1 s per fresh database from the template (see `conftest.py`). These
settings trade crash safety of a throw-away server for speed; they change no SQL semantics.

**Must it be there?** `requirement()` decides: the PostgreSQL tests *fail* with a clear message
when the binaries are missing, unless `EXAMDESK_PG=skip` is set — and never skip when `CI` is set.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "examdesk_test"
TEMPLATE_DB = "examdesk_template"
SKIP_ENV = "EXAMDESK_PG"          # EXAMDESK_PG=skip: skip the PostgreSQL tests locally (never in CI)
BIN_ENV = "EXAMDESK_PG_BIN"       # folder holding initdb, pg_ctl and postgres
USER_ENV = "EXAMDESK_PG_USER"     # the unprivileged account the server runs as when the tests run as root
_TOOLS = ("initdb", "pg_ctl", "postgres")


class ServerUnavailable(RuntimeError):
    """The PostgreSQL test server cannot be started; the message says why and what to do."""


def find_bin_dir(env: dict[str, str] | None = None) -> Path | None:
    """Where initdb/pg_ctl/postgres live: $EXAMDESK_PG_BIN, Debian's /usr/lib/postgresql/<newest>/bin,
    or the PATH. None when they are nowhere."""
    env = os.environ if env is None else env
    candidates: list[Path] = []
    if env.get(BIN_ENV):
        candidates.append(Path(env[BIN_ENV]))
    else:
        debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0, reverse=True)
        candidates += [Path(p) for p in debian]
        on_path = shutil.which("pg_ctl", path=env.get("PATH"))
        if on_path:
            candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all((folder / tool).is_file() and os.access(folder / tool, os.X_OK) for tool in _TOOLS):
            return folder
    return None


@dataclass(frozen=True)
class Requirement:
    """What the suite does about PostgreSQL: 'run', 'skip' (with the reason) or 'fail' (with the message)."""
    action: str
    bin_dir: Path | None
    message: str = ""


def requirement(env: dict[str, str] | None = None) -> Requirement:
    """The one place that decides whether the PostgreSQL tests run, skip or fail loudly."""
    env = os.environ if env is None else env
    in_ci = env.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    opted_out = env.get(SKIP_ENV, "").strip().lower() == "skip"
    if opted_out and in_ci:
        return Requirement("fail", None, f"{SKIP_ENV}=skip is not allowed in CI (CI={env.get('CI')}): the "
                           "PostgreSQL tests must run there. .ci/run installs Debian's 'postgresql' package.")
    if opted_out:
        return Requirement("skip", None, f"PostgreSQL tests skipped because {SKIP_ENV}=skip is set.")
    bin_dir = find_bin_dir(env)
    if bin_dir is None:
        where = env.get(BIN_ENV) or "/usr/lib/postgresql/*/bin and the PATH"
        return Requirement("fail", None, (
            f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in {where}. The PostgreSQL tests "
            "need a real server: install it (Debian/Ubuntu: apt-get install postgresql; .ci/run does this), or "
            f"point {BIN_ENV} at the folder that holds them. To skip these tests on a developer machine only, "
            f"set {SKIP_ENV}=skip (refused when CI is set)."))
    return Requirement("run", bin_dir)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now (the server may still lose a race for it;
    `start` then tries another)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_WATCHDOG = r"""
import os, shutil, subprocess, sys
pg_ctl, data, folder, uid, gid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
try:
    sys.stdin.buffer.read()        # returns at EOF: the test process closed the pipe or died
except BaseException:
    pass
if os.path.exists(os.path.join(data, "postmaster.pid")):
    kw = {"user": uid, "group": gid, "extra_groups": []} if os.geteuid() == 0 and uid != 0 else {}
    subprocess.run([pg_ctl, "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], cwd=folder,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
shutil.rmtree(folder, ignore_errors=True)
"""


class PostgresServer:
    """One private PostgreSQL cluster: `start()`, `url(dbname)`, `stop()`."""

    def __init__(self, bin_dir: Path, run_as: str | None = None):
        self.bin_dir = Path(bin_dir)
        self.run_as = run_as
        self.folder: Path | None = None
        self.port = 0
        self.password = secrets.token_urlsafe(18)
        self._watchdog: subprocess.Popen | None = None
        self._ids = (os.getuid(), os.getgid())

    # --- running a tool as the right account --------------------------------------------------------

    def _account(self) -> tuple[int, int]:
        if os.geteuid() != 0:
            return os.getuid(), os.getgid()
        import pwd

        name = self.run_as or os.environ.get(USER_ENV) or "postgres"
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            raise ServerUnavailable(
                f"The tests run as root, and initdb refuses root; the server would run as the account '{name}', "
                f"which does not exist. Debian's postgresql package creates 'postgres'; or set {USER_ENV} to "
                "an existing unprivileged account.") from None
        if entry.pw_uid == 0:
            raise ServerUnavailable(f"{USER_ENV}={name} is root; initdb refuses to run as root.")
        return entry.pw_uid, entry.pw_gid

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        uid, gid = self._ids
        switch = {"user": uid, "group": gid, "extra_groups": []} if os.geteuid() == 0 else {}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "TZ": "UTC",
               "HOME": str(self.folder)}
        result = subprocess.run([str(self.bin_dir / args[0]), *args[1:]], cwd=self.folder, env=env,
                                capture_output=True, text=True, start_new_session=True, **switch)
        if check and result.returncode != 0:
            raise ServerUnavailable(f"{args[0]} failed (exit {result.returncode}): "
                                    f"{(result.stderr or result.stdout).strip()[-2000:]}")
        return result

    # --- life cycle ----------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        assert self.folder is not None
        return self.folder / "data"

    def start(self) -> PostgresServer:
        self._ids = self._account()
        self.folder = Path(tempfile.mkdtemp(prefix="examdesk-pg-"))
        try:
            os.chown(self.folder, *self._ids)
            self._start_watchdog()
            pwfile = self.folder / "pwfile"
            pwfile.write_text(self.password + "\n", encoding="utf-8")
            os.chown(pwfile, *self._ids)
            pwfile.chmod(0o600)
            self._run("initdb", "-D", str(self.data_dir), "-N", "-U", SUPERUSER, "--pwfile", str(pwfile),
                      "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
            pwfile.unlink()
            self._start_postmaster()
            self._create_template()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_watchdog(self) -> None:
        read_end, write_end = os.pipe()
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(self.bin_dir / "pg_ctl"), str(self.data_dir), str(self.folder),
             str(self._ids[0]), str(self._ids[1])],
            stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(read_end)
        self._pipe = write_end  # inherited by nobody (os.pipe fds are non-inheritable); closing it = "clean up"

    def _start_postmaster(self) -> None:
        options = [
            "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.folder}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c deadlock_timeout=100ms", "-c max_connections=60", "-c shared_buffers=32MB",
        ]
        last = ""
        for _ in range(5):
            self.port = free_port()
            result = self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.folder / "server.log"), "-w",
                               "-t", "60", "-o", " ".join([f"-p {self.port}", *options]), "start", check=False)
            if result.returncode == 0:
                return
            last = (self.folder / "server.log").read_text(errors="replace")[-2000:] if (
                self.folder / "server.log").exists() else result.stderr
            if "Address already in use" not in last and "could not bind" not in last:
                break
        raise ServerUnavailable(f"pg_ctl start failed: {last.strip()}")

    def _create_template(self) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE_DB} TEMPLATE template0 ENCODING 'UTF8'"
                         " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
            conn.execute(f"ALTER DATABASE {TEMPLATE_DB} WITH IS_TEMPLATE true")

    def url(self, dbname: str) -> str:
        return f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    def postmaster_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid" if self.folder else None
        if pid_file is None or not pid_file.exists():
            return None
        return int(pid_file.read_text().split("\n", 1)[0])

    def stop(self) -> None:
        """Stops the server and removes its folder; safe to call twice and after a failed start."""
        if self.folder is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop", check=False)
        finally:
            if self._watchdog is not None:
                os.close(self._pipe)  # the watchdog wakes, finds nothing running, removes the folder
                self._watchdog.wait(timeout=60)
                self._watchdog = None
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
