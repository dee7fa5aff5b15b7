"""Issue 14: importing candidates ends with what was done (added, changed, unchanged) in the dialog itself,
not with a dialog that just closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from examdesk.domain.roles import Role
from examdesk.ui.sessions.candidates import CandidatesTab


def test_the_import_dialog_stays_open_on_what_was_done_until_closed(qtbot, ctx_for, tmp_path, monkeypatch):
    path = tmp_path / "osiris.csv"
    # one known candidate renamed (2024148 is Loïs van den Berg in the demo), one new
    path.write_text("Studentnummer;Achternaam;Voorvoegsels;Roepnaam\n"
                    "2024148;Berg;van den;Loïs Noë\n"
                    "9990001;Daoudi;;Noël\n", encoding="utf-8")
    tab = CandidatesTab(ctx_for(Role.BUREAU))
    qtbot.addWidget(tab)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    seen: dict[str, object] = {}

    def drive(dialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.go.isVisible() and dialog.go.isEnabled(), timeout=5000)
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.close_button.isVisible(), timeout=5000)
        seen["open"] = dialog.isVisible()
        seen["text"] = dialog.done_text.text()
        seen["buttons"] = [b.text() for b in (dialog.cancel, dialog.go, dialog.back) if b.isVisible()]
        qtbot.keyClick(dialog.close_button, Qt.Key.Key_Return)   # Enter closes the summary
        return dialog.result()

    tab.exec_dialog = drive
    tab.import_file()
    assert seen["open"] is True
    assert seen["text"] == "2 kandidaten geïmporteerd met koppeling 'osiris': 1 nieuw, 1 gewijzigd, 0 ongewijzigd."
    assert seen["buttons"] == []                       # nothing left to press twice: the import is done
    assert any(c.student_number == "9990001" for c in tab.model.rows)   # and the list shows the new one
