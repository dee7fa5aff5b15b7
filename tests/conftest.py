"""Shared fixtures: every test gets its own database under tmp_path, copied from one built by the
migrations, and its own EXAMDESK_HOME so nothing touches the user's real folders.

Keys: the OS key store is never used in tests (keyring's fail backend, so the key file path is
taken), and the template databases get their keys in a home of their own, which the `empty_db` and
`demo_db` fixtures copy into the test's EXAMDESK_HOME. Before any test sets its home, EXAMDESK_HOME
points at a guard folder, so even code that runs outside a test's home (session fixtures) never
writes to the real one; `tests/test_isolation.py` checks that the guard stays empty."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
GUARD_HOME = Path(tempfile.mkdtemp(prefix="examdesk-guard-home-"))
os.environ["EXAMDESK_HOME"] = str(GUARD_HOME)

from pg_server import TEMPLATE_DB as PG_TEMPLATE_DB  # noqa: E402
from pg_server import PostgresServer, ServerUnavailable  # noqa: E402
from pg_server import requirement as pg_requirement  # noqa: E402

from examdesk.data import keystore  # noqa: E402
from examdesk.data.db import SqliteStore, Store, connect, open_store  # noqa: E402
from examdesk.data.users import by_username  # noqa: E402
from examdesk.domain.roles import Role  # noqa: E402
from examdesk.services.context import AppContext  # noqa: E402
from examdesk.services.demo import create_demo  # noqa: E402

ROLE_USERS = {
    Role.BEHEERDER: "beheerder",
    Role.COMMISSIE: "commissie",
    Role.BUREAU: "bureau",
    Role.SURVEILLANT: "surveillant",
}


@pytest.fixture(autouse=True)
def examdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("EXAMDESK_HOME", str(home))
    monkeypatch.delenv("EXAMDESK_PASSWORD", raising=False)
    return home


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    home = tmp_path_factory.mktemp("template-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXAMDESK_HOME", str(home))
        empty = folder / "empty.sqlite"
        open_store(empty).close()
        demo = folder / "demo.sqlite"
        create_demo(demo).close()
        for path in (empty, demo):  # fold the WAL into the main file so a plain copy is complete
            store = open_store(path)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store.close()
    return {"empty": empty, "demo": demo, "keys": home / "config" / "keys"}


def _copy(template: Path, target: Path, keys: Path) -> Path:
    """The template database and its keys (into this test's EXAMDESK_HOME, as on the PC that made it)."""
    shutil.copyfile(template, target)
    shutil.copytree(keys, keystore.keys_folder(), dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.getuige.json"))
    return target


@pytest.fixture
def empty_db(tmp_path: Path, _templates: dict[str, Path]) -> Path:
    """Path of a freshly migrated database with no institution and no users (first start)."""
    return _copy(_templates["empty"], tmp_path / "empty.sqlite", _templates["keys"])


@pytest.fixture
def demo_db(tmp_path: Path, _templates: dict[str, Path]) -> Path:
    """Path of a copy of the demo database (users beheerder, commissie, bureau, surveillant; password demo)."""
    return _copy(_templates["demo"], tmp_path / "demo.sqlite", _templates["keys"])


@pytest.fixture
def store(demo_db: Path) -> Iterator[Store]:
    s = open_store(demo_db)
    yield s
    s.close()


@pytest.fixture
def ctx_for(store: Store) -> Callable[[Role], AppContext]:
    """ctx_for(Role.COMMISSIE) → a context logged in as the demo user with that single role."""

    def make(role: Role) -> AppContext:
        return AppContext(store, by_username(store, ROLE_USERS[role]))

    return make


# --- PostgreSQL (central mode, issue 17): a real server, started once per session -------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server (tests/pg_server.py). Missing binaries fail the tests that need it,
    unless EXAMDESK_PG=skip is set outside CI (README, *Centrale database*)."""
    need = pg_requirement()
    if need.action == "skip":
        pytest.skip(need.message)
    if need.action == "fail":
        pytest.fail(need.message, pytrace=False)
    server = PostgresServer(need.bin_dir)
    try:
        server.start()
    except ServerUnavailable as exc:
        pytest.fail(f"The PostgreSQL test server did not start: {exc}", pytrace=False)
    yield server
    server.stop()


_pg_numbers = itertools.count(1)


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """URL of a fresh, empty database of its own (a copy of the server's template), dropped afterwards."""
    import psycopg

    name = f"examdesk_t{os.getpid()}_{next(_pg_numbers)}"
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {PG_TEMPLATE_DB}")
    yield pg_server.url(name)
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    """An ExamDesk database on the test server, opened with open_store (the PostgreSQL chain run)."""
    s = open_store(pg_url)
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty database with no schema at all, on each backend in turn: for tests of the Store seam and
    the schema description that must say the same on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "bare.sqlite"
        s: Store = SqliteStore(connect(path), path)
    else:
        from examdesk.data.pg import PgStore

        s = PgStore(request.getfixturevalue("pg_url"))
    yield s
    s.close()
