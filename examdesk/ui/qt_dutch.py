"""Qt's own dialogs in Dutch where Qt's Dutch translation falls short (issue 14).

`qtbase_nl.qm` (shipped with PySide6) translates most of Qt, but not the strings Qt has reworded since its
last Dutch update: the non-native file dialog says "Look in:" and "Files of type:", the print dialog's
duplex and page-set options are English. They were found by logging every string no translator answered
while opening the file dialog (open, save, folder), the print, print-preview and page-setup dialogs, the
message box with every standard button, the colour and input dialogs. `DutchSupplement` answers those; it is
installed after qtbase, so Qt asks it first and falls back to qtbase for everything else."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

# (context, source text) → Dutch, in the words Qt's Dutch translation uses elsewhere ('&' kept for Alt+letter)
MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Zoeken in:",
    ("QFileDialog", "Files of &type:"): "Bestands&type:",
    ("QAbstractFileIconProvider", "Drive"): "Station",
    ("QAbstractFileIconProvider", "Folder"): "Map",
    ("QPageSetupWidget", "Page &order:"): "Pagina&volgorde:",
    ("QPageSetupWidget", "Pages &per sheet:"): "Pagina's &per vel:",
    ("QPrintSettingsOutput", "Double Sided Printing"): "Dubbelzijdig afdrukken",
    ("QPrintSettingsOutput", "Long side binding"): "Binden langs de lange zijde",
    ("QPrintSettingsOutput", "Short side binding"): "Binden langs de korte zijde",
    ("QPrintSettingsOutput", "Off"): "Uit",
    ("QPrintSettingsOutput", "Page &Set:"): "&Welke pagina's:",
    ("QShortcut", "Keyboard"): "Toetsenbord",
}


class DutchSupplement(QTranslator):
    """The Dutch for Qt strings qtbase_nl lacks. Qt asks the next translator only on a *null* answer: None
    (an empty string would blank every other text of Qt)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API): an empty translator is never asked
        return False
