"""Opening an ExamDesk database: the checks before any write, every pragma, the transaction helper."""

from __future__ import annotations

import os
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


class Store:
    """One open database. Every multi-row write goes through `transaction()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._depth = 0
        self.memo: dict[str, object] = {}  # facts of this file worth reading once (its keys); cleared on reopen

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


def open_readonly(path: Path | str, immutable: bool = False) -> Store:
    """A Store that cannot write: for checks that must not touch a possibly damaged file, and for
    backups. `immutable` skips locking and the WAL (only for files nobody writes, like backups)."""
    path = Path(path)
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, isolation_level=None,
                           check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    return Store(conn, path)


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


def open_store(path: Path | str, create: bool = True) -> Store:
    """Opens (or with `create`, makes) an ExamDesk database and brings its schema up to date."""
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
    store = Store(conn, path)
    try:
        migrations.upgrade(store)
    except Exception:
        conn.close()
        raise
    return store
