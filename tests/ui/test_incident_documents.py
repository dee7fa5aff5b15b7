"""Documents from the Incidenten screen: the Inspectie form for an incident routed to the Inspectie, the
decision letter per decision (with the letter state and the Overzicht count following), and Mijn gegevens
first when the form would print an empty phone or e-mail."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QToolButton

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.navigation import IncidentsTarget, ScreenKey
from examdesk.services.users import UserService
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow
from examdesk.ui.profile_dialog import CONTACT_NEEDED, MyDetailsDialog


def _window(qtbot, store, username: str = "commissie") -> MainWindow:
    window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    return window


def _screen(window: MainWindow) -> IncidentsScreen:
    screen = window.show_screen(ScreenKey.INCIDENTS)
    assert isinstance(screen, IncidentsScreen)
    return screen


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _letters_without(window: MainWindow) -> int:
    overview = window.show_screen(ScreenKey.OVERVIEW)
    overview.refresh_completely()       # the Incidenten card is counted on a thread of its own: here, at once
    line = next(label.text() for label in overview.links if "zonder brief" in label.text())
    return int(line.removeprefix("▸ ").split()[0])


def _wait_for_viewer(qtbot, screen: IncidentsScreen, before=None):
    qtbot.waitUntil(lambda: screen.last_viewer is not None and screen.last_viewer is not before, timeout=15000)
    return screen.last_viewer


def test_inspectie_form_only_for_incidents_routed_to_the_inspectie_and_it_opens_in_the_viewer(qtbot, store):
    window = _window(qtbot, store)
    screen = _screen(window)
    rows = list(screen.model.rows)
    assert any(r.needs_inspectie_form for r in rows) and not all(r.needs_inspectie_form for r in rows)
    for row in rows:
        screen.select(row.incident_id)
        assert (screen.form_panel is not None) == (row.exam_kind == "centraal"
                                                   and row.effective_handler == "inspectie"), row.category

    screen.apply_filter(IncidentsTarget(IncidentFilter(category="TE_VEEL_TIJD")))
    incident = screen.case.row.incident_id
    panel = screen.form_panel
    assert panel.button.text() == "Inspectieformulier…" and "Nog geen aanvraagformulier" in panel.state.text()
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    viewer = _wait_for_viewer(qtbot, screen)
    assert viewer.record.kind == "inspectie" and viewer.record.subject_id == f"{incident};indiener=commissie"
    assert viewer.page_count() == 1
    text = _pdf_text(viewer.pdf)
    assert "Aanvraagformulier opnieuw afnemen centraal examen" in text and "0182 556 210" in text
    assert "Nog geen aanvraagformulier" in screen.form_panel.state.text()   # a preview is not issued
    assert viewer.issue()                                                    # as printing or saving does
    assert "Het aanvraagformulier is actueel." in screen.form_panel.state.text()
    assert screen.form_panel.bar.isHidden()

    # the submitter's details change after the form was made: the panel says the form is outdated
    UserService(screen.ctx).update_own_profile("secretaris examencommissie", "06 1234 5678",
                                               "m.devries@rocmh.example.nl")
    screen.select(incident)
    assert not screen.form_panel.bar.isHidden() and "niet meer actueel" in screen.form_panel.state.text()
    qtbot.mouseClick(screen.form_panel.renew_button, Qt.MouseButton.LeftButton)
    renewed = _wait_for_viewer(qtbot, screen, before=viewer)
    assert "06 1234 5678" in _pdf_text(renewed.pdf) and not screen.form_panel.bar.isHidden()   # only a preview yet
    assert renewed.issue() and screen.form_panel.bar.isHidden()


def test_decision_letter_updates_the_letter_state_and_the_overview_count(qtbot, store):
    window = _window(qtbot, store)
    owed = _letters_without(window)
    screen = _screen(window)
    screen.apply_filter(IncidentsTarget(IncidentFilter(without_letter=True)))
    listed = screen.model.total
    decision = next(d for d in screen.case.decisions if d.current and d.candidate_id and not d.has_letter)
    panel = screen.letter_panels[decision.id]
    assert panel.button.text() == "Besluitbrief…" and panel.state.text() == "Nog geen brief."
    assert decision.id in screen.revise_buttons                      # revising stays on the same card

    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    viewer = _wait_for_viewer(qtbot, screen)
    assert viewer.record.kind == "besluit" and viewer.record.subject_id == decision.id
    assert decision.candidate_name in _pdf_text(viewer.pdf)
    assert screen.letter_panels[decision.id].state.text() == "Nog geen brief."   # a preview is not issued
    assert viewer.issue()                                                    # as printing or saving does
    after = next(d for d in screen.case.decisions if d.id == decision.id)
    assert after.has_letter
    assert "Brief gemaakt en actueel." in screen.letter_panels[decision.id].state.text()
    others_owed = any(d.current and d.candidate_id and not d.has_letter for d in screen.case.decisions)
    assert screen.model.total == listed - (0 if others_owed else 1)
    assert _letters_without(window) == owed - 1


def test_missing_phone_or_email_opens_mijn_gegevens_before_the_form(qtbot, store):
    window = _window(qtbot, store)
    UserService(window.ctx).update_own_profile("secretaris examencommissie", "", "")
    screen = _screen(window)
    screen.apply_filter(IncidentsTarget(IncidentFilter(category="TE_VEEL_TIJD")))
    documents = store.query_one("SELECT count(*) FROM documents")[0]

    screen.exec_dialog = lambda dialog: False                      # the user cancels: no form
    qtbot.mouseClick(screen.form_panel.button, Qt.MouseButton.LeftButton)
    assert store.query_one("SELECT count(*) FROM documents")[0] == documents and screen.last_viewer is None

    seen: list[str] = []

    def fill_in(dialog: QDialog) -> bool:
        assert isinstance(dialog, MyDetailsDialog)
        assert dialog.reason.text() == f"<b>{CONTACT_NEEDED}</b>" and not dialog.reason.isHidden()
        dialog.ok()                                               # still empty: refused, the dialog stays
        seen.append(dialog.error.text())
        dialog.phone.setText("0182 556 219")
        dialog.email.setText("secretariaat")
        dialog.ok()
        seen.append(dialog.error.text())
        dialog.email.setText("secretariaat@rocmh.example.nl")
        dialog.ok()
        return dialog.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = fill_in
    qtbot.mouseClick(screen.form_panel.button, Qt.MouseButton.LeftButton)
    assert "telefoonnummer en e-mailadres" in seen[0] and "geen geldig e-mailadres" in seen[1]
    viewer = _wait_for_viewer(qtbot, screen)
    text = _pdf_text(viewer.pdf)
    assert "0182 556 219" in text and "secretariaat@rocmh.example.nl" in text

    asked: list[QDialog] = []
    screen.exec_dialog = lambda dialog: asked.append(dialog) or False
    qtbot.mouseClick(screen.form_panel.button, Qt.MouseButton.LeftButton)   # details complete: not asked again
    _wait_for_viewer(qtbot, screen, before=viewer)
    assert asked == []


def test_mijn_gegevens_for_every_role_from_the_menu_and_the_status_bar(qtbot, store, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(MyDetailsDialog, "exec", lambda self: opened.append(self.user.username) or 0)
    for username in ("beheerder", "commissie", "bureau", "surveillant"):
        window = _window(qtbot, store, username)
        menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Account")
        assert window.my_details_action in menu.actions()
        assert window.my_details_action.text() == "&Mijn gegevens…"
        button = next(b for b in window.statusBar().findChildren(QToolButton)
                      if b.defaultAction() is window.my_details_action)
        assert button.text() == "Mijn gegevens…"
        button.click()
    assert opened == ["beheerder", "commissie", "bureau", "surveillant"]


def test_mijn_gegevens_saves_the_profile_and_changes_the_password(qtbot, ctx_for):
    ctx = ctx_for(Role.SURVEILLANT)
    dialog = MyDetailsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Jan Bakker" in dialog.name.text() and dialog.phone.text() == "0182 556 240"
    dialog.function.setText("surveillant en BHV'er")
    dialog.old_password.setText("fout")
    dialog.new_password.setText("lampion-in-de-regen")
    dialog.new_password2.setText("lampion-in-de-regen")
    qtbot.keyClick(dialog.new_password2, Qt.Key.Key_Return)            # Enter saves
    assert "huidige wachtwoord is onjuist" in dialog.error.text() and dialog.isVisible()
    assert UserService(ctx).own_profile().function == "surveillant"    # nothing saved on a refusal
    dialog.old_password.setText("demo")
    dialog.phone.setText("12")
    dialog.ok()
    assert "geen geldig telefoonnummer" in dialog.error.text()
    assert AuthService(ctx.store).login("surveillant", "demo")        # the password was not changed either
    dialog.phone.setText("0182 556 240")
    dialog.ok()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.password_changed
    assert UserService(ctx).own_profile().function == "surveillant en BHV'er"
    assert AuthService(ctx.store).login("surveillant", "lampion-in-de-regen").username == "surveillant"
