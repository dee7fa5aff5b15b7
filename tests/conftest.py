"""Shared fixtures: every test gets its own database under tmp_path, copied from one built by the
migrations, and its own EXAMDESK_HOME so nothing touches the user's real folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from examdesk.data.db import Store, open_store  # noqa: E402
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
    empty = folder / "empty.sqlite"
    open_store(empty).close()
    demo = folder / "demo.sqlite"
    create_demo(demo).close()
    for path in (empty, demo):  # fold the WAL into the main file so a plain copy is complete
        store = open_store(path)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    return {"empty": empty, "demo": demo}


def _copy(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def empty_db(tmp_path: Path, _templates: dict[str, Path]) -> Path:
    """Path of a freshly migrated database with no institution and no users (first start)."""
    return _copy(_templates["empty"], tmp_path / "empty.sqlite")


@pytest.fixture
def demo_db(tmp_path: Path, _templates: dict[str, Path]) -> Path:
    """Path of a copy of the demo database (users beheerder, commissie, bureau, surveillant; password demo)."""
    return _copy(_templates["demo"], tmp_path / "demo.sqlite")


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
