"""The PostgreSQL backend (central mode, issue 17 — in preparation): `PgStore` on psycopg 3.
(Over 400 lines: the whole PostgreSQL backend behind the Store seam: translation, connection, errors.)

It implements the `Store` interface of `examdesk.data.db` so that data modules written in the
dialect-neutral SQL subset run unchanged on a server (docs/architecture.md, *Twee databases*):

* SQL goes through `translate`: ``?`` and ``:name`` placeholders become psycopg's ``%s`` and
  ``%(name)s``, a literal ``%`` is doubled, and ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores
  case; PostgreSQL's does not). String literals, quoted names, comments and dollar-quoted bodies
  keep their text.
* Rows are `PgRow`s: a tuple that is also addressable by column name, like `sqlite3.Row`.
* One writer at a time, as on SQLite: every `transaction()` takes the database's writer lock
  (`WRITER_LOCK`, a transaction-scoped advisory lock) right after BEGIN, in the same round trip;
  readers are never blocked (MVCC). So code that reads and then writes inside a transaction keeps
  the meaning it has on SQLite. Chains and optimistic versions (data/concurrency.py) do not rely
  on it, so it can be relaxed once every read-modify-write uses them.
* A lost connection becomes a Dutch `StorageError`; the next call connects again (a read or a
  BEGIN that finds the connection dead reconnects at once, since nothing was sent yet). A
  serialization failure or deadlock becomes `WriteConflict` (`Store.retrying` runs the work again).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from examdesk.data.db import BUSY_TIMEOUT_MS, Store
from examdesk.domain.errors import DatabaseRefused, StorageError, WriteConflict, not_examdesk_message

if TYPE_CHECKING:
    import sqlite_utils

    from examdesk.data.schema_def import Step

# pg_advisory_xact_lock key of the database's writer lock: "EXDSWRIT" as a signed 64-bit number.
WRITER_LOCK = int.from_bytes(b"EXDSWRIT", "big", signed=True)
SCHEMA_TABLE = "examdesk_schema"
APPLICATION = "ExamDesk"
CONNECT_TIMEOUT_S = 10

# SQLSTATEs: 40001 serialization_failure, 40P01 deadlock_detected → safe to run again.
_CONFLICT_STATES = {"40001", "40P01"}


# --- SQL translation ---------------------------------------------------------------------------------

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


@functools.lru_cache(maxsize=4096)
def translate(sql: str, with_params: bool = True) -> str:
    """Dialect-neutral SQL → psycopg's SQL. `with_params`: the statement is sent with parameters (then
    psycopg reads every ``%`` as a placeholder, so literal ones are doubled). Mixing ``?`` and
    ``:name`` in one statement is a programming error."""
    out: list[str] = []
    style: set[str] = set()
    percent = "%%" if with_params else "%"
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":                                   # 'literal' or "quoted name": '' / "" escape
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", percent))
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j].replace("%", percent))
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j].replace("%", percent))
            i = j
        elif ch == "$" and (tag := _DOLLAR_TAG.match(sql, i)) and (i == 0 or not _is_name_char(sql[i - 1])):
            end = sql.find(tag.group(0), tag.end())
            j = n if end < 0 else end + len(tag.group(0))
            out.append(sql[i:j].replace("%", percent))
            i = j
        elif ch == "?":
            style.add("?")
            out.append("%s")
            i += 1
        elif ch == ":" and i + 1 < n and sql[i + 1] == ":":  # a PostgreSQL cast: keep
            out.append("::")
            i += 2
        elif ch == ":" and i + 1 < n and _NAME_START.match(sql[i + 1]) and (i == 0 or sql[i - 1] != ":"):
            name = _NAME.match(sql, i + 1).group(0)       # type: ignore[union-attr]
            style.add(":name")
            out.append(f"%({name})s")
            i += 1 + len(name)
        elif ch == "%":
            out.append(percent)
            i += 1
        elif _NAME_START.match(ch) and (i == 0 or not _is_name_char(sql[i - 1])):
            word = _NAME.match(sql, i).group(0)           # type: ignore[union-attr]
            out.append("ILIKE" if word.upper() == "LIKE" else word)
            i += len(word)
        else:
            out.append(ch)
            i += 1
    if len(style) > 1:
        raise ValueError(f"SQL mixes ? and :name placeholders: {sql!r}")
    return "".join(out)


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"


# --- rows --------------------------------------------------------------------------------------------

class PgRow(tuple):
    """A result row: a tuple, also addressable by column name (case-insensitive), like sqlite3.Row;
    ``dict(row)`` gives {name: value}."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                key = self._index[key.lower()]
            except KeyError:
                raise IndexError(f"No item with that key: {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return "PgRow(" + ", ".join(f"{k}={v!r}" for k, v in zip(self._names, self, strict=False)) + ")"


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name.lower(), position)          # the first of equal names wins, as in sqlite3.Row
    return type("PgRow", (PgRow,), {"__slots__": (), "_names": names, "_index": index})


def _row_factory(cursor: psycopg.Cursor) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))


# --- errors ------------------------------------------------------------------------------------------

def _lost(exc: BaseException, conn: psycopg.Connection | None) -> bool:
    """The connection is gone (server restarted, network away, backend terminated)."""
    if getattr(exc, "_examdesk_lost", False):
        return True
    if conn is not None and (conn.closed or conn.broken):
        return True
    return isinstance(exc, (pg_errors.AdminShutdown, pg_errors.CrashShutdown, pg_errors.CannotConnectNow))


def _translated(exc: psycopg.Error, where: str, conn: psycopg.Connection | None,
                during_commit: bool = False) -> Exception | None:
    """The Dutch error for a storage or concurrency failure; None for anything else (a programming
    error, or a constraint: those pass through as they are)."""
    state = getattr(exc, "sqlstate", None) or ""
    if state in _CONFLICT_STATES:
        return WriteConflict(
            "Iemand anders sloeg op hetzelfde moment iets op dat hiermee botste. Er is niets opgeslagen; "
            "probeer het opnieuw.")
    if isinstance(exc, psycopg.OperationalError) and _lost(exc, conn):
        if during_commit:
            return StorageError(
                f"De verbinding met de databaseserver ({where}) viel weg tijdens het opslaan. Een wijziging wordt "
                "altijd helemaal of helemaal niet opgeslagen; kijk na het opnieuw verbinden of ze er staat. "
                "ExamDesk maakt bij de volgende handeling opnieuw verbinding.")
        return StorageError(
            f"De verbinding met de databaseserver ({where}) is verbroken. Er is niets half opgeslagen; ExamDesk "
            "maakt bij de volgende handeling opnieuw verbinding.")
    if state == "55P03":  # lock_not_available: the writer lock or a row lock was not free in time
        return StorageError(
            f"De database op {where} is bezig met de wijziging van een andere gebruiker. Er is niets opgeslagen; "
            "probeer het zo opnieuw.")
    if state in ("53100", "53200", "53300"):  # disk full, out of memory, too many connections
        return StorageError(
            f"De databaseserver ({where}) kan nu niets aannemen ({exc.diag.message_primary or state}). Er is "
            "niets opgeslagen; waarschuw de beheerder van de server.")
    if state == "42501":  # insufficient_privilege
        return StorageError(
            f"De databasegebruiker mag dit niet op {where} ({exc.diag.message_primary}). Er is niets opgeslagen; "
            "vraag de beheerder van de server om de juiste rechten.")
    if state.startswith("25") and isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return StorageError(f"De database op {where} is alleen-lezen. Er is niets opgeslagen.")
    return None


def _connect_error(exc: psycopg.OperationalError, info: dict[str, Any], where: str) -> Exception:
    """Why a connection could not be made, in Dutch, without the password."""
    text = str(exc)
    lower = text.lower()
    host = f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}"
    if "password authentication failed" in lower or "no password supplied" in lower or "pg_hba.conf" in lower:
        return DatabaseRefused(
            f"De databaseserver {host} weigert de aanmelding van gebruiker {info.get('user', '')!r}: de gebruikersnaam "
            "of het wachtwoord klopt niet, of deze computer mag niet aanmelden. Er is niets gewijzigd.")
    if "does not exist" in lower and "database" in lower:
        return DatabaseRefused(f"De database {info.get('dbname', '')!r} bestaat niet op de server {host}.")
    if "timeout" in lower or "timed out" in lower:
        reason = "geen antwoord binnen de wachttijd"
    elif "refused" in lower:
        reason = "de server neemt geen verbindingen aan"
    elif "could not translate host name" in lower or "name or service not known" in lower:
        reason = "de servernaam is onbekend"
    else:
        reason = text.splitlines()[-1].strip() if text.strip() else "onbekende fout"
    return StorageError(
        f"De databaseserver {host} is niet bereikbaar ({reason}). Controleer de netwerkverbinding of vraag de "
        f"beheerder of de server draait. ({where})")


# --- connection adapter ------------------------------------------------------------------------------

def _params(params: Any) -> Any:
    """() and {} mean "no parameters": psycopg then sends the text as is (no placeholder parsing)."""
    if params is None or (isinstance(params, (tuple, list, dict)) and len(params) == 0):
        return None
    return params


class PgCursor:
    """What `execute` returns: the rows of one statement (fetched on execute), its row count."""

    def __init__(self, cursor: psycopg.Cursor):
        self._cursor = cursor

    def fetchone(self) -> PgRow | None:
        return self._cursor.fetchone() if self._cursor.description is not None else None

    def fetchall(self) -> list[PgRow]:
        return self._cursor.fetchall() if self._cursor.description is not None else []

    def fetchmany(self, size: int = 1) -> list[PgRow]:
        """As sqlite3's: the next `size` rows, [] at the end (long chains are verified in batches)."""
        return self._cursor.fetchmany(size) if self._cursor.description is not None else []

    def __iter__(self) -> Iterator[PgRow]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def lastrowid(self) -> int:
        raise NotImplementedError(
            "lastrowid does not exist on PostgreSQL: write 'INSERT … RETURNING id' and read the row "
            "(the dialect-neutral form; SQLite supports RETURNING since 3.35).")


class PgConnection:
    """The connection `PgStore.transaction()` yields and `PgStore.conn` is: ``execute`` and
    ``executemany`` in the dialect-neutral SQL, errors translated to Dutch."""

    def __init__(self, store: PgStore, raw: psycopg.Connection):
        self._store = store
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        values = _params(params)
        cursor = self.raw.cursor()
        try:
            cursor.execute(translate(sql, values is not None), values)  # type: ignore[arg-type]
        except psycopg.IntegrityError as exc:
            raise _plain(exc) from exc
        except psycopg.Error as exc:
            self._store._failed(exc, self.raw)
            raise
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Sequence[Any]) -> PgCursor:
        rows = list(rows)
        cursor = self.raw.cursor()
        if not rows:
            return PgCursor(cursor)
        try:
            cursor.executemany(translate(sql, True), rows)
        except psycopg.IntegrityError as exc:
            raise _plain(exc) from exc
        except psycopg.Error as exc:
            self._store._failed(exc, self.raw)
            raise
        return PgCursor(cursor)


def _plain(exc: psycopg.IntegrityError) -> psycopg.IntegrityError:
    """The same error with the server's sentence alone as its text — no CONTEXT lines — as sqlite3 gives
    it: an append-only refusal or a failed CHECK reads the same on both backends. The original, with
    every diagnostic field, stays attached as __cause__."""
    primary = exc.diag.message_primary
    return type(exc)(primary) if primary else exc


# --- the store ---------------------------------------------------------------------------------------

class PgStore(Store):
    """One ExamDesk database on a PostgreSQL server. `url`: ``postgresql://user:password@host:port/db``
    (any libpq connection string works). `serialize_writers`: take the writer lock in every
    transaction (the SQLite-equivalent default; see the module docstring)."""

    dialect = "postgresql"
    IntegrityError = psycopg.IntegrityError

    def __init__(self, url: str, serialize_writers: bool = True, lock_timeout_ms: int = BUSY_TIMEOUT_MS):
        try:
            self._info = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise DatabaseRefused(f"Het serveradres is onleesbaar: {_without_password(str(exc))}.") from None
        self._url = url
        self.serialize_writers = serialize_writers
        self.lock_timeout_ms = lock_timeout_ms
        self._depth = 0
        self.memo: dict[str, object] = {}  # facts of this database worth reading once (its keys)
        self._raw: psycopg.Connection | None = None
        self._adapter: PgConnection | None = None
        self._connect()

    # --- connection ----------------------------------------------------------------------------------

    @property
    def location(self) -> str:
        info = self._info
        return (f"postgresql://{info.get('user') or ''}@{info.get('host') or 'localhost'}:"
                f"{info.get('port') or 5432}/{info.get('dbname') or ''}")

    def _connect(self) -> PgConnection:
        options = {"autocommit": True, "row_factory": _row_factory, "application_name": APPLICATION,
                   "options": f"-c lock_timeout={int(self.lock_timeout_ms)} -c TimeZone=UTC"}
        if "connect_timeout" not in self._info:
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            raw = psycopg.connect(self._url, **options)
        except psycopg.OperationalError as exc:
            raise _connect_error(exc, self._info, self.location) from None
        self._raw = raw
        self._adapter = PgConnection(self, raw)
        return self._adapter

    def _drop_connection(self) -> None:
        if self._raw is not None:
            try:
                self._raw.close()
            except psycopg.Error:
                pass
        self._raw = None
        self._adapter = None

    @property
    def conn(self) -> PgConnection:
        """The live connection; connects again if the last one was lost (never inside a transaction:
        a transaction does not survive its connection)."""
        if self._adapter is None or self._raw is None or self._raw.closed:
            if self._depth:
                raise StorageError(
                    f"De verbinding met de databaseserver ({self.location}) is verbroken. Er is niets half "
                    "opgeslagen; ExamDesk maakt bij de volgende handeling opnieuw verbinding.")
            return self._connect()
        return self._adapter

    def _failed(self, exc: psycopg.Error, raw: psycopg.Connection | None) -> bool:
        """Called for every failed statement on connection `raw`: a dead connection is forgotten (the next
        call makes a new one) and the exception marked, so its translation still knows after the
        connection is gone."""
        if _lost(exc, raw):
            exc._examdesk_lost = True  # type: ignore[attr-defined]
            if raw is self._raw:
                self._drop_connection()
            return True
        return False

    def _translate(self, exc: psycopg.Error, during_commit: bool = False) -> Exception | None:
        return _translated(exc, self.location, self._raw, during_commit)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # --- transactions --------------------------------------------------------------------------------

    def _begin(self) -> PgConnection:
        begin = "BEGIN ISOLATION LEVEL READ COMMITTED"
        if self.serialize_writers:
            begin += f"; SELECT pg_advisory_xact_lock({WRITER_LOCK})"
        for attempt in (1, 2):
            conn = self.conn
            try:
                conn.raw.execute(begin)
                return conn
            except psycopg.Error as exc:
                lost = self._failed(exc, conn.raw)
                if lost and attempt == 1:
                    continue            # nothing was sent that could have been half done: connect again
                if not lost:
                    self._quiet_rollback(conn)
                raise (self._translate(exc) or exc) from exc
        raise AssertionError("unreachable")

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """BEGIN (+ the writer lock) … COMMIT; rollback on any error. Nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        conn = self._begin()
        self._depth = 1
        try:
            yield conn
        except BaseException as exc:
            self._depth = 0
            self._quiet_rollback(conn)
            if isinstance(exc, psycopg.Error) and (mapped := self._translate(exc)) is not None:
                raise mapped from exc
            raise
        self._depth = 0
        try:
            conn.raw.execute("COMMIT")
        except psycopg.Error as exc:
            self._failed(exc, conn.raw)
            self._quiet_rollback(conn)
            raise (self._translate(exc, during_commit=True) or exc) from exc

    def _quiet_rollback(self, conn: PgConnection) -> None:
        if conn.raw.closed or conn.raw.broken:
            if conn.raw is self._raw:
                self._drop_connection()
            return
        try:
            if conn.in_transaction:
                conn.raw.execute("ROLLBACK")
        except psycopg.Error:
            self._drop_connection()

    # --- statements ----------------------------------------------------------------------------------

    def write(self, sql: str, params: Any = ()) -> PgCursor:
        """One statement; inside a transaction when there is one, else in a transaction of its own (with
        the writer lock, so it cannot slip between another writer's read and write — as on SQLite).
        Not repeated after a lost connection: it may have been carried out."""
        if self._depth == 0 and self.serialize_writers:
            with self.transaction() as conn:
                return conn.execute(sql, params)
        try:
            return self.conn.execute(sql, params)
        except psycopg.Error as exc:
            if self._depth == 0 and (mapped := self._translate(exc)) is not None:
                raise mapped from exc
            raise

    def _read(self, sql: str, params: Any, one: bool) -> Any:
        for attempt in (1, 2):
            in_tx = self._depth > 0
            try:
                cursor = self.conn.execute(sql, params)
                return cursor.fetchone() if one else cursor.fetchall()
            except psycopg.Error as exc:
                if not in_tx and attempt == 1 and _lost(exc, None):
                    continue            # the connection was lost before this read: read again on a new one
                if not in_tx and (mapped := self._translate(exc)) is not None:
                    raise mapped from exc
                raise
        raise AssertionError("unreachable")

    def query(self, sql: str, params: Any = ()) -> list[PgRow]:
        return self._read(sql, params, one=False)

    def query_one(self, sql: str, params: Any = ()) -> PgRow | None:
        return self._read(sql, params, one=True)

    # --- schema and housekeeping ---------------------------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        raise NotImplementedError(
            "sqlite-utils works on SQLite only; on PostgreSQL write the statement in the dialect-neutral "
            "subset (INSERT … ON CONFLICT … DO UPDATE).")

    def schema_version(self) -> int:
        if self.query_one("SELECT to_regclass(?) IS NOT NULL", (SCHEMA_TABLE,))[0] is False:
            return 0
        row = self.query_one(f"SELECT version FROM {SCHEMA_TABLE} WHERE id = 1")
        return int(row[0]) if row else 0

    def set_schema_version(self, version: int) -> None:
        conn = self.conn
        conn.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} ("
                     " id INTEGER PRIMARY KEY CHECK (id = 1), application TEXT NOT NULL, version INTEGER NOT NULL)")
        conn.execute(f"INSERT INTO {SCHEMA_TABLE} (id, application, version) VALUES (1, ?, ?)"
                     " ON CONFLICT (id) DO UPDATE SET version = excluded.version", (APPLICATION, int(version)))

    def check_ours(self) -> int:
        """Refuses a server database that holds tables but is not ExamDesk's; returns its schema version
        (0: empty). Nothing is written."""
        tables = self.query_one("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")[0]
        if self.query_one("SELECT to_regclass(?) IS NOT NULL", (SCHEMA_TABLE,))[0] is False:
            if tables:
                raise DatabaseRefused(not_examdesk_message(self.location, "Er is niets gewijzigd."))
            return 0
        row = self.query_one(f"SELECT application, version FROM {SCHEMA_TABLE} WHERE id = 1")
        if row is None or row["application"] != APPLICATION:
            raise DatabaseRefused(not_examdesk_message(self.location, "Er is niets gewijzigd."))
        return int(row["version"])

    def integrity_check(self, quick: bool = False) -> list[str]:
        """The server guards its pages itself (WAL, checksums); this proves the database answers."""
        self.query_one("SELECT 1")
        return ["ok"]

    def close(self) -> None:
        self._drop_connection()

    @contextmanager
    def offline(self) -> Iterator[None]:
        raise StorageError(
            f"Een back-up terugzetten op de databaseserver ({self.location}) gaat met pg_restore door de beheerder "
            "van de server, niet vanuit ExamDesk. Er is niets gewijzigd.")
        yield  # pragma: no cover


def _without_password(text: str) -> str:
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text))


def open_pg_store(url: str, create: bool = True, steps: Sequence[Step] | None = None) -> PgStore:
    """Opens an ExamDesk database on a server and brings its schema up to date with the PostgreSQL
    migration chain. The database itself must exist (the server's administrator creates it). A
    database that holds other tables, or a newer schema, is refused and left as it is.

    Until the port of issue 17, the PostgreSQL chain is the prototype in `schema_def.STEPS`
    (schema version 1: institution, settings, users and the audit log)."""
    from examdesk.data import schema_def

    store = PgStore(url)
    try:
        version = store.check_ours()
        if version == 0 and not create:
            raise DatabaseRefused(f"{store.location} bevat nog geen ExamDesk-database.")
        schema_def.migrate(store, schema_def.STEPS if steps is None else steps)
    except BaseException:
        store.close()
        raise
    return store
