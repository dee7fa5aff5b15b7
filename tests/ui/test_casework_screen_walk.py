"""The fraud case walked through the Incidenten screen (issue 13): an incident reported a week after the session,
the screenshot attached, the candidate heard, two members decide (the second with their own login, a wrong
password refused in the dialog), the letter made and sent, an appeal lodged and upheld with a changed decision —
and the procesverbaal, the letter and the annual report each show it (read back with pypdf). Each dialog and the
file are rendered to PNG beside the test's temporary files."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.register import school_year_of
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService
from examdesk.ui.incidents.casework_dialogs import (
    AppealDialog,
    AppealOutcomeDialog,
    EvidenceDialog,
    FoundIncidentDialog,
    HearingDialog,
    HistoryDialog,
)
from examdesk.ui.incidents.dialogs import DecisionDialog
from examdesk.ui.incidents.letter_dialogs import DispatchDialog
from examdesk.ui.incidents.screen import IncidentsScreen
from examdesk.ui.main_window import MainWindow
from tests.desk_support import running
from tests.services.test_casework import PNG
from tests.session_support import DAY, Clock, at


def _qdate(d) -> QDate:
    return QDate(d.year, d.month, d.day)


def _detail(screen: IncidentsScreen) -> str:
    return "\n".join(label.text() for label in screen.detail.findChildren(QLabel))


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_whole_case_through_the_screen(qtbot, store, tmp_path: Path):
    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="qtwalk")
    clock.set(11, 0)
    run.end()
    clock.set(11, 15)
    run.close()
    clock.at = at(10, 0, day=DAY + timedelta(days=7))
    window = MainWindow(AppContext(store, AuthService(store, clock).login("commissie", "demo"), clock=clock))
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    screen = window.show_screen("incidenten")
    assert isinstance(screen, IncidentsScreen)
    shots = tmp_path / "shots"
    shots.mkdir()

    def fill(kind, act):
        def run_dialog(dialog: QDialog) -> bool:
            assert isinstance(dialog, kind)
            dialog.show()
            act(dialog)
            dialog.grab().save(str(shots / f"{kind.__name__}.png"))
            dialog.ok()
            assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
            return True
        return run_dialog

    # a teacher reports a week later: answers shared in a group app
    def found(d: FoundIncidentDialog) -> None:
        d.session.setCurrentIndex(d.session.findData(run.session_id))
        d.category.setCurrentIndex(d.category.findData("FRAUDE_KANDIDAAT"))
        d.found_on.setDate(_qdate(DAY + timedelta(days=7)))
        d.reported_by.setText("J. de Vries (docent Nederlands)")
        d.candidates.item(0).setCheckState(Qt.CheckState.Checked)
        d.what.setPlainText("Antwoorden van het examen gedeeld in een groepsapp tijdens de afname.")

    screen.exec_dialog = fill(FoundIncidentDialog, found)
    qtbot.mouseClick(screen.found_button, Qt.MouseButton.LeftButton)
    incident = screen.case.row.incident_id
    assert screen.case.row.found_on == DAY + timedelta(days=7)
    assert "Achteraf vastgesteld op 17-03-2027 (melding door een docent" in _detail(screen)

    # the screenshot, as evidence
    png = tmp_path / "groepsapp.png"
    png.write_bytes(PNG)

    def evidence(d: EvidenceDialog) -> None:
        d.path.setText(str(png))
        d.description.setText("Schermafdruk van de groepsapp")

    screen.exec_dialog = fill(EvidenceDialog, evidence)
    qtbot.mouseClick(screen.action_buttons["bewijs"], Qt.MouseButton.LeftButton)
    assert "groepsapp.png" in _detail(screen) and "SHA-256" in _detail(screen)

    # the hearing, two days later
    clock.at = at(10, 0, day=DAY + timedelta(days=9))

    def hearing(d: HearingDialog) -> None:
        d.invited_on.setDate(_qdate(DAY + timedelta(days=7)))
        d.held_on.setDate(_qdate(DAY + timedelta(days=9)))
        d.account.setPlainText("Iemand stuurde de foto; ik heb hem alleen doorgestuurd.")
        d.representative.setText("M. Jansen (moeder)")

    screen.exec_dialog = fill(HearingDialog, hearing)
    qtbot.mouseClick(screen.action_buttons["horen"], Qt.MouseButton.LeftButton)
    assert "gehoord op 19-03-2027 door Marieke de Vries" in _detail(screen)

    # two members decide: a wrong password first (refused in the dialog), then the second member's own login
    clock.at = at(10, 0, day=DAY + timedelta(days=10))
    refused: list[str] = []

    def decide(d: DecisionDialog) -> None:
        d.measure_boxes["cijfer_1"].setChecked(True)
        d.reasoning.setPlainText("De kandidaat deelde tijdens het examen antwoorden in een groepsapp.")
        d.decided_on.setDate(_qdate(DAY + timedelta(days=10)))
        d.second.username.setText("h.jansen")
        d.second.password.setText("fout")
        d.ok()
        refused.append(d.error.text())
        d.second.password.setText("demo")

    screen.exec_dialog = fill(DecisionDialog, decide)
    qtbot.mouseClick(screen.action_buttons["besluiten"], Qt.MouseButton.LeftButton)
    assert "onjuist" in refused[0].lower()
    [decision] = [d for d in screen.case.decisions if d.current]
    assert set(decision.members) == {"Marieke de Vries", "Henk Jansen"}

    # the letter, made and sent
    panel = screen.letter_panels[decision.id]
    screen.last_viewer = None
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=15000)
    assert screen.last_viewer.issue()                             # printed from the preview
    [sent_button] = [b for b in screen.detail.findChildren(QPushButton) if b.text() == "Brief verzonden…"]

    def sent(d: DispatchDialog) -> bool:
        d.sent_on.setDate(_qdate(DAY + timedelta(days=10)))
        d.buttons.accepted.emit()
        return d.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = sent
    qtbot.mouseClick(sent_button, Qt.MouseButton.LeftButton)

    # the appeal, lodged, then upheld with a changed decision
    clock.at = at(10, 0, day=DAY + timedelta(days=30))

    def lodge(d: AppealDialog) -> None:
        d.lodged_on.setDate(_qdate(DAY + timedelta(days=20)))
        d.lodged_by.setText("de kandidaat")

    screen.exec_dialog = fill(AppealDialog, lodge)
    qtbot.mouseClick(screen.action_buttons["beroep"], Qt.MouseButton.LeftButton)
    assert "Beroep ingesteld op 30-03-2027 door de kandidaat" in _detail(screen)

    def rule(d: AppealOutcomeDialog) -> None:
        d.hearing_known.setChecked(True)
        d.hearing_on.setDate(_qdate(DAY + timedelta(days=27)))
        d.outcome.setCurrentIndex(d.outcome.findData("gewijzigd"))
        d.decided_on.setDate(_qdate(DAY + timedelta(days=29)))
        d.note.setPlainText("Delen bewezen, maar uitsluiting te zwaar: alleen cijfer 1.")
        d.measures["ongeldig"].setChecked(True)
        d.reasoning.setPlainText("Uitspraak commissie van beroep: het werk is ongeldig.")
        d.second.username.setText("h.jansen")
        d.second.password.setText("demo")

    screen.exec_dialog = fill(AppealOutcomeDialog, rule)
    qtbot.mouseClick(screen.action_buttons["beroep"], Qt.MouseButton.LeftButton)
    current = [d for d in screen.case.decisions if d.current]
    assert [d.supersedes for d in current] == [decision.id] and current[0].measures == ("ongeldig",)
    assert "beroep gegrond: het besluit is gewijzigd" in _detail(screen)
    qtbot.wait(50)
    screen.window().grab().save(str(shots / "dossier.png"))

    # the candidate's history, from the file
    def history(d: HistoryDialog) -> bool:
        d.show()
        d.grab().save(str(shots / "HistoryDialog.png"))
        assert d.table.rowCount() >= 4
        return True

    screen.exec_dialog = history
    qtbot.mouseClick(screen.action_buttons["geschiedenis"], Qt.MouseButton.LeftButton)

    # the procesverbaal, the (new) letter and the annual report each show it
    docs = DocumentService(screen.ctx)
    pv = _pdf_text(docs.issue("procesverbaal", run.session_id)[1])
    assert "Achteraf vastgesteld op 17-03-2027" in pv and "groepsapp.png" in pv
    letter = _pdf_text(docs.issue("besluit", current[0].id)[1])
    assert "gegrond: het besluit is gewijzigd" in letter and "vertegenwoordiger: M. Jansen" in letter
    year = _pdf_text(docs.issue("jaarverslag", school_year_of(DAY))[1])
    assert "gegrond: besluit gewijzigd 1" in year
    assert incident == screen.case.row.incident_id


def test_beheer_sets_how_many_members_decide_a_sanction(qtbot, store, tmp_path: Path):
    from examdesk.services.casework import CaseworkService
    from examdesk.ui.admin.institution import InstitutionTab

    ctx = AppContext(store, AuthService(store).login("beheerder", "demo"))
    tab = InstitutionTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.sanction_members.value() == 2                         # the default
    tab.sanction_members.setValue(3)
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)
    assert tab.status.text() == "Opgeslagen." and CaseworkService(ctx).members_per_sanction() == 3
    tab.resize(800, 420)
    tab.show()
    tab.grab().save(str(tmp_path / "instelling.png"))


def test_the_examenbureau_records_an_administrative_fault_from_the_afnames_screen(qtbot, store):
    from examdesk.services.incident_desk import IncidentDeskService
    from examdesk.services.navigation import SessionsTarget
    from examdesk.ui.sessions.screen import SessionsScreen

    clock = Clock(at(8, 30))
    run, ids = running(store, clock, tag="bureauwalk")
    clock.set(11, 0)
    run.end()
    clock.set(11, 15)
    run.close()
    clock.at = at(10, 0, day=DAY + timedelta(days=14))
    bureau = AppContext(store, AuthService(store, clock).login("bureau", "demo"), clock=clock)
    screen = SessionsScreen(bureau)
    qtbot.addWidget(screen)
    screen.apply_filter(SessionsTarget(session_id=run.session_id))
    assert not screen.found_button.isHidden() and screen.found_button.isEnabled()
    offered: list[str] = []

    def record(d: FoundIncidentDialog) -> bool:
        offered.extend(d.category.itemData(i) for i in range(d.category.count()))
        d.category.setCurrentIndex(d.category.findData("CIJFER_ONJUIST"))
        d.found_on.setDate(_qdate(DAY + timedelta(days=14)))
        d.found_how.setCurrentIndex(d.found_how.findData("controle_resultaten"))
        d.reported_by.setText("examenbureau (controle cijferlijst)")
        d.candidates.item(1).setCheckState(Qt.CheckState.Checked)
        d.what.setPlainText("Het cijfer van de kandidaat is verkeerd overgenomen in het studentvolgsysteem.")
        d.ok()
        return d.result() == QDialog.DialogCode.Accepted

    screen.exec_dialog = record
    qtbot.mouseClick(screen.found_button, Qt.MouseButton.LeftButton)
    assert sorted(offered) == ["CIJFER_ONJUIST", "WERK_GEWIJZIGD"]           # only administrative faults
    commission = AppContext(store, AuthService(store, clock).login("commissie", "demo"), clock=clock)
    rows = IncidentDeskService(commission).page(IncidentFilter(session_id=run.session_id), 0, 10)
    assert [(r.category, r.found_on) for r in rows] == [("CIJFER_ONJUIST", DAY + timedelta(days=14))]
