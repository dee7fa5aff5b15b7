"""Every file dialog of ExamDesk asks here: each "Opslaan als…" (a document, an export, a key file) and each
"Bestand kiezen…" (a candidate list, a register import, an evidence attachment, a key file to read), so each
starts in a folder the user knows, and a save suggests a name that says what the file is. Qt's own dialog,
given no folder or a bare file name, opens in the program's working directory (the installation folder on
Windows), where nobody keeps an Eduarte export nor looks for a procesverbaal afterwards.

Where it starts: the folder the user last saved something to in ExamDesk (`SAVE_FOLDER`) or, for a file to
open, last opened a file from (`OPEN_FOLDER`, apart: the export of the student administration lies in another
folder than the documents ExamDesk writes) — this PC's window state, in the user's own config folder — else
the user's Documents folder (platformdirs), else the home folder. An exchange file keeps its own folder (the
USB stick it travels on), passed as `folder`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_documents_dir
from PySide6.QtWidgets import QFileDialog, QWidget

from examdesk.services.window_settings import OPEN_FOLDER, SAVE_FOLDER
from examdesk.ui.window_state import remember, remembered

if TYPE_CHECKING:
    from examdesk.services.window_settings import WindowSetting

_DUTCH_DATE = re.compile(r"\b(\d{2})-(\d{2})-(\d{4})\b")
_NOT_IN_A_NAME = re.compile(r"[^\w]+")          # \w: letters of any script, digits, '_'


def start_folder(folder: WindowSetting = SAVE_FOLDER) -> Path:
    """The folder a file dialog opens in: the last one saved to or opened from (`folder`, while it still exists),
    else Documents, else home."""
    last = remembered(folder)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def file_name(title: str, suffix: str) -> str:
    """A file name that says what the file is, from a document's title: lower case words joined by '-', a
    Dutch date as yyyy-mm-dd so a folder lists the files in date order, nothing a file system refuses.
    'Procesverbaal Nederlands 3F, 23-11-2026' → 'procesverbaal-nederlands-3f-2026-11-23.pdf'."""
    text = _DUTCH_DATE.sub(lambda m: f"{m.group(3)}-{m.group(2)}-{m.group(1)}", title)
    stem = _NOT_IN_A_NAME.sub("-", text.replace("_", " ")).strip("-").lower()[:120].rstrip("-")
    return f"{stem or 'examdesk'}.{suffix.lstrip('.')}"


def ask_save_path(parent: QWidget | None, title: str, name: str, file_filter: str,
                  folder: WindowSetting = SAVE_FOLDER) -> tuple[str, str]:
    """Qt's save dialog opened in `start_folder` with `name` suggested; returns (path, chosen filter) as Qt
    does, ('', '') when cancelled. The chosen path's folder is remembered for the next save."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(start_folder(folder) / name), file_filter)
    if path:
        remember(folder, str(Path(path).parent))
    return path, chosen


def ask_save_folder(parent: QWidget | None, title: str, folder: WindowSetting = SAVE_FOLDER) -> str:
    """Qt's folder dialog for an export that writes several files (the subject-access request), opened and
    remembered as `ask_save_path` does; '' when cancelled."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start_folder(folder)))
    if chosen:
        remember(folder, chosen)
    return chosen


def ask_open_path(parent: QWidget | None, title: str, file_filter: str,
                  folder: WindowSetting = OPEN_FOLDER) -> tuple[str, str]:
    """Qt's open dialog started in `start_folder(folder)`; returns (path, chosen filter) as Qt does, ('', '')
    when cancelled. The chosen file's folder is remembered for the next file to open."""
    path, chosen = QFileDialog.getOpenFileName(parent, title, str(start_folder(folder)), file_filter)
    if path:
        remember(folder, str(Path(path).parent))
    return path, chosen
