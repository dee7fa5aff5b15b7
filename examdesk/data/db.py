"""Opening an ExamDesk database: the checks before any write, every pragma, the transaction helper."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from examdesk.data import migrations
from examdesk.domain.errors import DatabaseRefused, StorageError

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION_ID = 0x45584453  # "EXDS" in the SQLite header: marks the file as ExamDesk's
BUSY_TIMEOUT_MS = 5000


def _storage_error(exc: sqlite3.Error, path: Path) -> StorageError:
    text = str(exc).lower()
    if "full" in text:
        msg = f"De schijf is vol: {path} kon niet worden bijgewerkt. Er is niets half opgeslagen; maak ruimte vrij en probeer opnieuw."
    elif "readonly" in text or "read-only" in text:
        msg = f"{path} is alleen-lezen: ExamDesk kan er niet in schrijven. Er is niets opgeslagen."
    elif "locked" in text or "busy" in text:
        msg = (f"{path} is in gebruik door een ander programma (of een tweede ExamDesk). "
               "Er is niets opgeslagen; sluit het andere programma en probeer opnieuw.")
    else:
        msg = f"Opslaan in {path} is mislukt ({exc}). Er is niets opgeslagen."
    return StorageError(msg)


class Store:
    """One open database. Every multi-row write goes through `transaction()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._depth = 0

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on the same connection, for bulk inserts and table helpers; imported on first use
        because it costs a tenth of a second at start-up."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; rollback on any error. Nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc, self.path) from exc
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _storage_error(exc, self.path) from exc

    def write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """One statement; inside a transaction when there is one. Storage failures become StorageError."""
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if self._depth == 0 and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            msg = str(exc).lower()
            if any(word in msg for word in ("full", "readonly", "locked", "busy", "disk i/o")):
                raise _storage_error(exc, self.path) from exc
            raise

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def integrity_check(self, quick: bool = False) -> list[str]:
        pragma = "quick_check" if quick else "integrity_check"
        return [row[0] for row in self.conn.execute(f"PRAGMA {pragma}")]

    def close(self) -> None:
        self.conn.close()


def _inspect_existing(path: Path) -> None:
    """Refuse files that are not ours, or from a newer ExamDesk, before anything is written."""
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseRefused(f"{path} kan niet worden geopend: {exc}.") from exc
    try:
        app_id = probe.execute("PRAGMA application_id").fetchone()[0]
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(
            f"{path} is geen ExamDesk-database (geen SQLite-bestand of beschadigd). Het bestand is niet gewijzigd."
        ) from exc
    finally:
        probe.close()
    if tables == 0 and version == 0 and app_id == 0:
        return  # an empty SQLite file: built by the migration chain like a new one
    if app_id != APPLICATION_ID:
        raise DatabaseRefused(f"{path} is geen ExamDesk-database. Het bestand is niet gewijzigd.")
    if version > migrations.LATEST_VERSION:
        raise DatabaseRefused(
            f"Dit bestand is gemaakt met een nieuwere versie van ExamDesk (schemaversie {version}; deze "
            f"versie kent tot {migrations.LATEST_VERSION}). Werk ExamDesk bij. {path} is niet gewijzigd."
        )


def connect(path: Path) -> sqlite3.Connection:
    """The one place that opens a connection and sets every pragma."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        conn.close()
        raise StorageError(f"{path} kan niet in WAL-modus worden geopend (de map is mogelijk alleen-lezen).")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def open_store(path: Path | str, create: bool = True) -> Store:
    """Opens (or with `create`, makes) an ExamDesk database and brings its schema up to date."""
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        _inspect_existing(path)
    elif not create:
        raise DatabaseRefused(f"{path} bestaat niet.")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"De map {path.parent} kan niet worden gemaakt: {exc.strerror}.") from exc
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(f"{path} kan niet worden geopend: {exc}. Het bestand is niet gewijzigd.") from exc
    store = Store(conn, path)
    try:
        migrations.upgrade(store)
    except Exception:
        conn.close()
        raise
    return store
