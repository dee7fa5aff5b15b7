"""Where ExamDesk keeps its files.

platformdirs gives the per-user folders of each OS (no author folder, so Windows uses
``%LOCALAPPDATA%\\ExamDesk``). ``EXAMDESK_HOME`` overrides all of them, for tests and for a
portable install on a USB stick: data, backups and logs then live in sub-folders of it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

from examdesk import APP_NAME

DB_FILENAME = "examdesk.sqlite"
DEMO_DB_FILENAME = "examdesk-demo.sqlite"


def _dirs() -> PlatformDirs:
    return PlatformDirs(appname=APP_NAME, appauthor=False)


def _home() -> Path | None:
    value = os.environ.get("EXAMDESK_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(_dirs().user_data_dir)


def backup_dir() -> Path:
    home = _home()
    return home / "backups" if home else Path(_dirs().user_data_dir) / "backups"


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(_dirs().user_config_dir)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    return data_dir() / DEMO_DB_FILENAME


def resources_dir() -> Path:
    """The bundled resources: beside the package in a source tree, inside the PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
