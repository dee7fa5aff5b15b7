"""Opening a database for a screen or command, so the UI never reaches into the data layer."""

from __future__ import annotations

from pathlib import Path

from examdesk.data.db import Store, open_store


def open_database(path: Path, create: bool = True) -> Store:
    """Refuses files that are not ExamDesk's or from a newer version (DatabaseRefused), else migrates."""
    return open_store(path, create=create)
