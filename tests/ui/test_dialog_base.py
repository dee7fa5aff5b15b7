"""What the one dialog base does for every form (issue 14 through issue 15): Tab in reading order even when
the widgets were made in another order, a multi-line text that passes Tab on and saves with Ctrl+Enter,
Enter in a list or search field that acts there, a second OK that does nothing while the first works,
nothing typed thrown away without asking, and a size that is remembered and fitted to the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QListWidget, QPlainTextEdit, QWidget

from examdesk.domain.clock import today as amsterdam_today  # the app's day, not the machine's (UTC in CI)
from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.ui.dialogs import FormDialog, mark_search_field
from examdesk.ui.incidents.dialogs import DecisionDialog
from examdesk.ui.sessions.plan_dialog import PlanDialog
from tests.dialog_support import answer_next_question


class NoteDialog(FormDialog):
    """A small form built the way a hurried change would: the first row is inserted after the others."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "Notitie", ok_text="Vastleggen")
        self.saved: list[str] = []
        self.subject = self.field("Onderwerp")
        self.text = QPlainTextEdit()
        self.form.addRow("Tekst", self.text)
        self.who = QLineEdit()
        self.form.insertRow(0, "Wie", self.who)     # made last, shown first
        self.refuse = False

    def submit(self) -> str:
        if self.refuse:
            raise ValidationError("Vul een onderwerp in.")
        self.saved.append(self.subject.text())
        return self.subject.text()


def _open(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def test_tab_follows_the_layout_not_the_order_the_widgets_were_made(qtbot):
    dialog = _open(qtbot, NoteDialog())
    assert QApplication.focusWidget() is dialog.who                  # the first field as shown
    seen = [dialog.who]
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [dialog.who, dialog.subject, dialog.text]


def test_a_multi_line_text_passes_tab_on_and_ctrl_enter_saves(qtbot):
    dialog = _open(qtbot, NoteDialog())
    dialog.subject.setText("Stroomstoring")
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "regel een")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "regel een" and QApplication.focusWidget() is not dialog.text
    dialog.text.setFocus()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)                   # a new line, not a save
    assert dialog.isVisible() and dialog.saved == []
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved == ["Stroomstoring"] and dialog.result() == QDialog.DialogCode.Accepted


def test_a_second_ok_while_the_first_is_working_does_nothing(qtbot):
    class Slow(NoteDialog):
        def submit(self) -> str:
            self.ok_button.click()                                   # the impatient second click
            self.ok()
            return super().submit()

    dialog = _open(qtbot, Slow())
    dialog.ok()
    assert dialog.saved == [""] and dialog.result() == QDialog.DialogCode.Accepted
    dialog.ok()                                                      # and nothing after it saved either
    assert dialog.saved == [""]


def test_a_refusal_keeps_everything_typed_and_says_why(qtbot):
    dialog = _open(qtbot, NoteDialog())
    dialog.refuse = True
    qtbot.keyClicks(dialog.who, "M. de Vries")
    qtbot.keyClick(dialog.who, Qt.Key.Key_Return)                    # Enter in a one-line field saves …
    assert dialog.isVisible() and dialog.error.text() == "Vul een onderwerp in." and dialog.error.isVisible()
    assert dialog.who.text() == "M. de Vries"                        # … and a refusal loses nothing
    assert dialog.ok_button.isEnabled()
    dialog.done(QDialog.DialogCode.Rejected)


def test_escape_with_typed_input_asks_before_throwing_it_away(qtbot):
    untouched = _open(qtbot, NoteDialog())
    asked = answer_next_question("Weggooien")
    qtbot.keyClick(untouched.who, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and asked == []                 # nothing typed: closes at once

    dialog = _open(qtbot, NoteDialog())
    qtbot.keyClicks(dialog.text, "half geschreven")
    asked = answer_next_question("Terug naar het formulier")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
    assert asked == ["U hebt in dit formulier iets ingevuld dat nog niet is opgeslagen. Wilt u dat weggooien?"]
    assert dialog.isVisible() and dialog.text.toPlainText() == "half geschreven"
    asked = answer_next_question("Terug naar het formulier")
    dialog.close()                                                   # the window's close button: the same
    assert asked and dialog.isVisible()
    asked = answer_next_question("Weggooien")
    dialog.cancel_button.click()
    assert asked and not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_enter_in_a_list_or_a_search_field_acts_there_not_on_the_form(qtbot):
    dialog = NoteDialog()
    picked: list[str] = []
    options = QListWidget()
    options.addItems(["onwel", "stroomstoring"])
    options.itemActivated.connect(lambda item: picked.append(item.text()))
    search = QLineEdit()
    mark_search_field(search, lambda: picked.append(f"zoek {search.text()}"))
    dialog.form.addRow("Zoeken", search)
    dialog.form.addRow("Keuze", options)
    _open(qtbot, dialog)
    search.setFocus()
    qtbot.keyClicks(search, "stroom")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    options.setFocus()
    options.setCurrentRow(1)
    qtbot.keyClick(options, Qt.Key.Key_Return)
    assert picked == ["zoek stroom", "stroomstoring"]
    assert dialog.isVisible() and dialog.saved == []
    dialog.done(QDialog.DialogCode.Rejected)


def test_the_size_is_remembered_and_fitted_to_the_screen(qtbot):
    dialog = _open(qtbot, NoteDialog())
    dialog.resize(640, 470)
    dialog.done(QDialog.DialogCode.Rejected)
    again = _open(qtbot, NoteDialog())
    assert (again.width(), again.height()) == (640, 470)
    again.resize(9000, 7000)                                         # remembered on a far bigger screen
    again.done(QDialog.DialogCode.Rejected)
    small = _open(qtbot, NoteDialog())
    available = small.screen().availableGeometry()
    assert small.width() <= available.width() and small.height() <= available.height()
    assert available.contains(small.frameGeometry().topLeft())


def test_escape_in_besluit_nemen_does_not_drop_the_motivering(qtbot, ctx_for):
    desk = IncidentDeskService(ctx_for(Role.COMMISSIE))
    row = desk.page(IncidentFilter(status="open"), 0, 1)[0]
    members = desk.commission_members()
    dialog = _open(qtbot, DecisionDialog(None, row.protocol_point, desk.allowed_measures(row.incident_id), [],
                                         set(), members, members[0].id, amsterdam_today(), lambda d: None))
    dialog.reasoning.setPlainText("De kandidaat had een telefoon bij zich; gehoord op 12 maart.")
    asked = answer_next_question("Terug naar het formulier")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert dialog.reasoning.toPlainText() == "De kandidaat had een telefoon bij zich; gehoord op 12 maart."
    dialog.done(QDialog.DialogCode.Rejected)


def test_enter_in_the_candidate_search_of_a_new_session_never_saves_it(qtbot, store):
    """Issue 14: Enter in 'Kandidaten zoeken' saved a session with 0 candidates. Now it goes to the
    candidates found, where Enter adds one."""
    ctx = AppContext(store, AuthService(store).login("bureau", "demo"))
    dialog = _open(qtbot, PlanDialog(ctx, None))
    before = len(dialog.service.list())
    dialog.candidate_search.setFocus()
    qtbot.keyClicks(dialog.candidate_search, "Wit")
    qtbot.waitUntil(lambda: dialog.found.count() > 0)
    qtbot.keyClick(dialog.candidate_search, Qt.Key.Key_Return)
    assert dialog.isVisible() and QApplication.focusWidget() is dialog.found
    qtbot.keyClick(dialog.found, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.roster.rowCount() == 1
    assert dialog.roster.item(0, 1).text().endswith("de Wit")
    assert len(dialog.service.list()) == before
    dialog.done(QDialog.DialogCode.Rejected)
