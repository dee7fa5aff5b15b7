"""Opening an ExamDesk database: the checks before any write, every pragma, the transaction helper.

`Store` is what every data module talks to, whichever backend holds the data: the local SQLite file
(`SqliteStore`, the embedded default) or a PostgreSQL server (`examdesk.data.pg.PgStore`, central
mode, issue 17 — in preparation). `open_store` picks the backend from its argument: a path opens a
file, a ``postgresql://`` URL a server. See docs/architecture.md, *Twee databases*.
"""

from __future__ import annotations

import os
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from examdesk.data import migrations
from examdesk.domain.errors import (
    DatabaseRefused,
    StorageError,
    WriteConflict,
    newer_schema_message,
    not_examdesk_message,
)

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")

APPLICATION_ID = 0x45584453  # "EXDS" in the SQLite header: marks the file as ExamDesk's
BUSY_TIMEOUT_MS = 5000


_STORAGE_WORDS = ("full", "readonly", "read-only", "locked", "busy", "disk i/o", "unable to open")


def is_storage_failure(exc: BaseException) -> bool:
    """The file could not be written or reached — as opposed to a programming error in the SQL."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in _STORAGE_WORDS)


def _storage_error(exc: sqlite3.Error, path: Path) -> StorageError:
    text = str(exc).lower()
    if "full" in text:
        msg = f"De schijf is vol: {path} kon niet worden bijgewerkt. Er is niets half opgeslagen; maak ruimte vrij en probeer opnieuw."
    elif "readonly" in text or "read-only" in text:
        msg = f"{path} is alleen-lezen: ExamDesk kan er niet in schrijven. Er is niets opgeslagen."
    elif "locked" in text or "busy" in text:
        msg = (f"{path} is in gebruik door een ander programma (of een tweede ExamDesk). "
               "Er is niets opgeslagen; sluit het andere programma en probeer opnieuw.")
    elif "disk i/o" in text or "unable to open" in text:
        msg = (f"{path} kon niet worden gelezen of geschreven (schijffout, verwijderde USB-stick of netwerkmap "
               "weg). Er is niets half opgeslagen; controleer de schijf en probeer opnieuw.")
    else:
        msg = f"Opslaan in {path} is mislukt ({exc}). Er is niets opgeslagen."
    return StorageError(msg)


class Store(ABC):
    """One open ExamDesk database, whichever backend holds it. What each member means:

    * ``transaction()`` — a context manager around one atomic write; it yields the connection (see
      ``conn``). Nested use joins the outer transaction; any exception rolls the whole outer
      transaction back. One writer at a time: SQLite's ``BEGIN IMMEDIATE`` takes the file's write
      lock, PostgreSQL takes the database's writer lock (an advisory lock) — readers never wait.
      Storage failures (disk full, read-only, busy, lost connection) become a Dutch `StorageError`;
      a collision with a simultaneous transaction on a server becomes `WriteConflict` (see `retrying`).
    * ``write(sql, params)`` — one statement, inside the open transaction if there is one, else on
      its own; returns a cursor (``fetchone``, ``fetchall``, ``rowcount``).
    * ``query(sql, params)`` / ``query_one`` — rows addressable by column name and by index, like
      `sqlite3.Row` (``row["id"]``, ``row[0]``, ``dict(row)``, ``row.keys()``).
    * ``conn`` — the connection ``transaction()`` yields: ``execute(sql, params)`` → cursor,
      ``executemany(sql, rows)``. SQLite: the `sqlite3.Connection` itself; PostgreSQL: an adapter.
    * SQL is written once in the dialect-neutral subset (docs/architecture.md): ``?`` or ``:name``
      placeholders, ``ON CONFLICT``, ``RETURNING``, ``TRUE``/``FALSE``; the PostgreSQL backend
      translates placeholders (and ``LIKE``, case-insensitive as in SQLite) on the way out.
    * ``db`` — sqlite-utils on the same connection; SQLite only (PostgreSQL raises).
    * ``schema_version()`` / ``set_schema_version(n)`` — SQLite: ``PRAGMA user_version`` (and the
      application id); PostgreSQL: the one row of table ``examdesk_schema``.
    * ``integrity_check(quick)`` — ``["ok"]`` when the storage is sound, else the problems found.
      SQLite: ``PRAGMA integrity_check``; PostgreSQL: the server guards its own pages (checksums,
      WAL), so this only proves that the database answers.
    * ``close()``; ``offline()`` — SQLite: close so the file can be replaced (restore) and reopen;
      a server is restored with ``pg_restore``, so PostgreSQL refuses.
    * ``location`` — where the data lives, for the user (a path; a URL without its password).
    * ``IntegrityError`` — the exception class a constraint or append-only refusal raises, for
      ``except store.IntegrityError``.
    """

    dialect: ClassVar[str]
    IntegrityError: ClassVar[type[Exception]]

    @property
    @abstractmethod
    def location(self) -> str: ...

    @property
    @abstractmethod
    def conn(self) -> Any: ...

    @property
    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether a `transaction()` block is open on this store."""

    @abstractmethod
    def transaction(self) -> Any: ...

    @abstractmethod
    def write(self, sql: str, params: Any = ()) -> Any: ...

    @abstractmethod
    def query(self, sql: str, params: Any = ()) -> list[Any]: ...

    @abstractmethod
    def query_one(self, sql: str, params: Any = ()) -> Any | None: ...

    @property
    @abstractmethod
    def db(self) -> sqlite_utils.Database: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def set_schema_version(self, version: int) -> None:
        """Inside the migration's transaction: this database now has schema `version`, and is ExamDesk's."""

    @abstractmethod
    def integrity_check(self, quick: bool = False) -> list[str]: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def offline(self) -> Any: ...

    def retrying(self, work: Callable[[Any], T], attempts: int = 3) -> T:
        """Runs ``work(conn)`` in a transaction; when a server refuses it for colliding with a
        simultaneous one (`WriteConflict`: nothing was saved), runs it again, up to `attempts` times,
        then reports the conflict. Inside an open transaction it joins that one (a retry must restart
        the outermost transaction, so the outermost `retrying` does it). On SQLite, where writers queue
        for the file's lock, the first attempt is the only one."""
        if self.in_transaction:
            with self.transaction() as conn:
                return work(conn)
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction() as conn:
                    return work(conn)
            except WriteConflict:
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")


def written_state(store: Store) -> tuple[int, int]:
    """A mark that moves whenever the database is written, by this connection or another (SQLite's
    ``data_version`` and this connection's change count): what a memo of derived data is keyed on. Without
    the search index's catch-up (`data.search.ensure`: text of rows counted already; issue 16)."""
    return store.query_one("PRAGMA data_version")[0], store.conn.total_changes - getattr(store, "derived_changes", 0)


class SqliteStore(Store):
    """One open SQLite file (the embedded default). Every multi-row write goes through `transaction()`."""

    dialect = "sqlite"
    IntegrityError = sqlite3.IntegrityError

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self._conn = conn
        self.path = path
        self._depth = 0
        self.memo: dict[str, object] = {}  # facts of this file worth reading once (its keys); cleared on reopen

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:
        self._conn = value

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

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
        except BaseException as exc:
            self._depth = 0
            self._rollback()
            if is_storage_failure(exc):
                raise _storage_error(exc, self.path) from exc  # type: ignore[arg-type]
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise _storage_error(exc, self.path) from exc

    def _rollback(self) -> None:
        """SQLite may already have rolled back by itself (disk full, I/O error); then there is nothing to undo."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.OperationalError:
                if self.conn.in_transaction:
                    raise

    def write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """One statement; inside a transaction when there is one. Storage failures become StorageError."""
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if self._depth == 0:
                self._rollback()
            if is_storage_failure(exc):
                raise _storage_error(exc, self.path) from exc
            raise

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version = {int(version)}")
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def integrity_check(self, quick: bool = False) -> list[str]:
        pragma = "quick_check" if quick else "integrity_check"
        return [row[0] for row in self.conn.execute(f"PRAGMA {pragma}")]

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def offline(self) -> Iterator[None]:
        """Closes the connection so the file can be replaced (restore), then opens the file that is
        there afterwards with every pragma and migration. The same Store object stays valid for
        everyone holding it. Also reopens after a failure inside the block."""
        if self._depth or self.conn.in_transaction:
            raise RuntimeError("Store.offline() inside a transaction")
        self.conn.close()
        try:
            yield
        finally:
            _inspect_existing(self.path)
            self.conn = connect(self.path)
            self.memo.clear()  # another file may be there now (restore): its identity and keys are read anew
            self.__dict__.pop("db", None)  # the cached sqlite-utils wrapper belonged to the old connection
            migrations.upgrade(self)


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
        raise DatabaseRefused(not_examdesk_message(str(path)))
    if version > migrations.LATEST_VERSION:
        raise DatabaseRefused(newer_schema_message(version, migrations.LATEST_VERSION, str(path)))


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


def open_readonly(path: Path | str, immutable: bool = False, cancel: Any = None) -> SqliteStore:
    """A Store that cannot write: for checks that must not touch a possibly damaged file, and for
    backups. `immutable` skips locking and the WAL (only for files nobody writes, like backups).
    `cancel` (a `domain.cancel.Cancellation`): cancelling it ends a query on this connection ("interrupted")."""
    path = Path(path)
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, isolation_level=None,
                           check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    if cancel is not None:   # stops the running statement (interrupt) and any begun after (progress handler)
        conn.set_progress_handler(lambda: 1 if cancel.cancelled else 0, 10_000)
        cancel.on_cancel(conn.interrupt)
    return SqliteStore(conn, path)


def _check_writable(path: Path) -> None:
    """SQLite needs to write the file and create -wal/-shm beside it; say so before it fails half-way."""
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        raise StorageError(
            f"De map {folder} is alleen-lezen: ExamDesk kan {path.name} daar niet bijwerken. Er is niets "
            "gewijzigd; kies een map waarin u mag schrijven of vraag de beheerder om schrijfrechten."
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            f"{path} is alleen-lezen: ExamDesk kan er niet in schrijven. Er is niets gewijzigd; "
            "haal het kenmerk 'alleen-lezen' weg of vraag de beheerder om schrijfrechten."
        )


def is_server_url(target: Path | str) -> bool:
    """Whether `target` names a PostgreSQL server database rather than a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_store(path: Path | str, create: bool = True) -> Store:
    """Opens (or with `create`, makes) an ExamDesk database and brings its schema up to date: a file
    path opens the SQLite file; a ``postgresql://user:password@host:port/database`` URL a server
    database (central mode, in preparation: see `examdesk.data.pg.open_pg_store`)."""
    if is_server_url(path):
        from examdesk.data import pg

        return pg.open_pg_store(str(path), create=create)
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        _check_writable(path)  # first: on a read-only folder SQLite cannot even read a WAL file
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
    except sqlite3.OperationalError as exc:
        if is_storage_failure(exc):
            raise _storage_error(exc, path) from exc
        raise DatabaseRefused(f"{path} kan niet worden geopend: {exc}. Het bestand is niet gewijzigd.") from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(f"{path} kan niet worden geopend: {exc}. Het bestand is niet gewijzigd.") from exc
    store = SqliteStore(conn, path)
    try:
        migrations.upgrade(store)
    except Exception:
        conn.close()
        raise
    return store
