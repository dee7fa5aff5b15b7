"""Backups are encrypted since issue 18; tests that damage or rewrite a backup's SQLite pages work on the
plain database inside: `as_plain` replaces an encrypted backup by its decrypted copy (what a backup from
before encryption is, and those are still read and restored)."""

from __future__ import annotations

import os
from pathlib import Path

from examdesk.data import backup as backup_data


def as_plain(path: Path) -> Path:
    path = Path(path)
    if not backup_data.is_encrypted(path):
        return path
    with backup_data.plain_backup(path) as plain:
        data = plain.read_bytes()
    temp = path.with_name(path.name + ".plain")
    temp.write_bytes(data)
    os.replace(temp, path)
    return path
