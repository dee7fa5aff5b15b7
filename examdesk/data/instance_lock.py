"""One ExamDesk at a time on a database file.

SQLite itself lets two processes share a file safely, so this is not about corruption: it is about
two people on two PCs (or two windows) each believing they are the only one working on the
commission's records, and about a restore pulling the file away from under another ExamDesk.

Choice: an **exclusive OS lock** (``flock`` on POSIX, ``LockFileEx`` via ``msvcrt.locking`` on
Windows) on a small file ``<database>.lock`` beside the database, held for as long as the GUI runs.
The operating system drops the lock when the process ends in any way — crash, power cut of a
client, task manager — so there is no stale lock to detect or clean up, which a PID file alone
would need (and PIDs cannot be checked across hosts on a network share). The file's *content*
(host, PID, start time) is only for the message the second ExamDesk shows. Windows byte-range locks
are enforced over SMB shares as well, which is where two PCs meet.

Read-only CLI commands (``verify``, ``backup``, ``user list``) never take the lock.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from examdesk.domain.clock import format_datetime, from_iso, now, to_iso
from examdesk.domain.errors import StorageError

_WINDOWS_LOCK_OFFSET = 1 << 30  # lock a byte far past the content, so others can still read who holds it


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    host: str
    pid: int
    since: str


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(db_path: Path) -> LockHolder | None:
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        return LockHolder(str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class InstanceLock:
    """Held while this process works on the database; `release()` (or leaving the with-block) frees it."""

    def __init__(self, db_path: Path, fd: int):
        self.db_path = db_path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # no stale "who" left behind for the next message
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def acquire(db_path: Path, moment: datetime | None = None) -> InstanceLock:
    """Claims the database for this process, or raises StorageError naming who has it."""
    db_path = Path(db_path)
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StorageError(
            f"ExamDesk kan naast {db_path} geen vergrendelbestand maken ({exc.strerror}): de map is mogelijk "
            "alleen-lezen. Er is niets gewijzigd."
        ) from exc
    if not _try_lock(fd):
        os.close(fd)
        holder = read_holder(db_path)
        who = ""
        if holder is not None:
            try:
                since = format_datetime(from_iso(holder.since))
            except ValueError:
                since = holder.since
            who = f" (op computer {holder.host}, proces {holder.pid}, sinds {since})"
        raise StorageError(
            f"Deze database is al geopend in een andere ExamDesk{who}. Sluit die eerst; twee keer tegelijk "
            f"werken in {db_path.name} is niet toegestaan. Er is niets gewijzigd."
        )
    info = {"host": socket.gethostname(), "pid": os.getpid(), "since": to_iso(moment or now())}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(info).encode("utf-8"))
    return InstanceLock(db_path, fd)
