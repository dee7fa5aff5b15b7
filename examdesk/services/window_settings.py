"""The window state of this PC, declared once: QSettings keys (`examdesk.ini` in the config folder) for sizes
and last folders, read and written in `ui/` through `examdesk.ui.common` (`remembered`, `remember`).

Kept apart from `services/settings.py` (the institution settings, whose defaults come from the domain) so the
login dialog can read its geometry before anything of the domain is loaded (issue 16). The two modules
together are the one home of every setting key; `tests/services/test_settings.py` checks them together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WindowSetting:
    """A QSettings key of this PC. `{name}` in the key is filled in by the reader (a dialog's class)."""

    key: str
    kind: str                    # 'geometry' (Qt's saveGeometry bytes), 'folder' (a path, as text), 'choice' (yes/no)
    readers: tuple[str, ...]
    meaning: str

    def key_for(self, name: str = "") -> str:
        return self.key.format(name=name) if "{name}" in self.key else self.key


MAIN_WINDOW_GEOMETRY = WindowSetting(
    "main/geometry", "geometry", ("ui/main_window.py",),
    "size and place of the main window; none yet means the first start, shown maximised")
DIALOG_GEOMETRY = WindowSetting(
    "dialogs/{name}", "geometry", ("ui/dialogs.py",),
    "size and place of each dialog, per dialog class, fitted to the screen when it opens")
EXCHANGE_FOLDER = WindowSetting(
    "exchange/folder", "folder", ("ui/admin/exchange_keys.py", "ui/exchange_dialog.py"),
    "the folder of the last session package, record or signer's key file saved or read (the USB stick)")
SAVE_FOLDER = WindowSetting(
    "save/folder", "folder", ("ui/save_dialog.py",),
    "the folder the user last saved a document, export or key file to; every save dialog starts there")
OPEN_FOLDER = WindowSetting(
    "open/folder", "folder", ("ui/save_dialog.py",),
    "the folder the user last opened a file from (an import, an attachment, a key); every open dialog starts "
    "there")
INCIDENT_MORE_FILTERS = WindowSetting(
    "incidents/more_filters", "choice", ("ui/incidents/filters.py",),
    "whether the Incidenten screen shows the filters behind 'Meer filters' (the user's last choice)")

WINDOW_SETTINGS: tuple[WindowSetting, ...] = (MAIN_WINDOW_GEOMETRY, DIALOG_GEOMETRY, EXCHANGE_FOLDER,
                                              SAVE_FOLDER, OPEN_FOLDER, INCIDENT_MORE_FILTERS)
