"""Qt's own dialogs in Dutch (issue 14): qtbase_nl plus ExamDesk's supplement for what it lacks."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from examdesk.ui.launch import create_application
from examdesk.ui.qt_dutch import MISSING

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"\b(Look in|Files of type|File name|Drive|Folder|Page order|Pages per sheet|Long side|"
                     r"Short side|Double Sided)\b", re.IGNORECASE)


def _labels(dialog) -> list[str]:
    return [label.text().replace("&", "") for label in dialog.findChildren(QLabel) if label.text()]


def test_qt_s_file_dialog_speaks_dutch(qtbot):
    create_application()
    dialog = QFileDialog(None, "Bijlage kiezen")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setNameFilters(["PDF-bestanden (*.pdf)", "Alle bestanden (*)"])
    qtbot.addWidget(dialog)
    dialog.show()
    labels = _labels(dialog)
    assert "Zoeken in:" in labels
    assert "Bestandstype:" in labels
    assert not [text for text in labels if ENGLISH.search(text)]


def test_the_supplement_answers_only_what_it_knows(qtbot):
    create_application()
    assert QApplication.translate("QFileDialog", "&Look in:") == "&Zoeken in:"
    assert QApplication.translate("QFileDialog", "Files of &type:") == "Bestands&type:"
    assert QApplication.translate("QPlatformTheme", "&Yes") == "&Ja"         # still qtbase_nl's
    assert QApplication.translate("ExamDesk", "Onbekend") == "Onbekend"      # nobody's: unchanged
    assert all(dutch and dutch != source for (_context, source), dutch in MISSING.items())


def test_the_bundle_ships_qt_s_translations():
    """PyInstaller's PySide6 hook copies Qt's translations folder (the .qm files); build.spec must not
    drop it, and names it so a change there is seen."""
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "qtbase_nl.qm" in spec
