"""Beheer → Privacy, the audit log per candidate and the candidate's subject-access export, as a user
sees them (issue 18)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox

from examdesk.data.users import by_username
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.roles import Role
from examdesk.services.context import AppContext
from examdesk.services.navigation import AdminTab, AdminTarget
from examdesk.ui.admin.screen import AdminScreen

LATER = datetime(2045, 1, 1, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def shown(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: said.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    return said


def test_the_beheerder_sets_retention_and_a_too_short_period_is_refused(qtbot, ctx_for, shown, tmp_path):
    screen = AdminScreen(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(screen)
    screen.apply_filter(AdminTarget(AdminTab.PRIVACY))
    screen.refresh()
    panel = screen.privacy
    assert panel.spins["resultaten"].value() == 24
    assert panel.model.rowCount() == 0 and not panel.anonymise_button.isEnabled()
    panel.spins["resultaten"].setValue(12)
    assert panel.save() is False
    assert any("punt 18" in s for s in shown)
    assert panel.service.retention()["resultaten"] == 24            # nothing was stored …
    assert panel.spins["resultaten"].value() == 12                  # … and what was typed stays to correct
    screen.resize(1100, 800)
    screen.grab().save(str(tmp_path / "privacy.png"))


def test_the_beheerder_anonymises_the_reviewed_list(qtbot, store, shown, monkeypatch):
    ctx = AppContext(store, by_username(store, "beheerder"), clock=lambda: LATER)
    screen = AdminScreen(ctx)
    qtbot.addWidget(screen)
    screen.apply_filter(AdminTarget(AdminTab.PRIVACY))
    screen.refresh()
    panel = screen.privacy
    screen.resize(1100, 800)
    screen.grab().save(str(store.path.parent / "privacy-lijst.png"))
    ready = [r for r in range(panel.model.rowCount()) if panel.model.record(r).can_anonymise]
    assert ready and panel.anonymise_button.isEnabled()
    first = panel.model.record(ready[0])
    panel.table.selectionModel().select(panel.model.index(ready[0], 0),
                                        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    monkeypatch.setattr("examdesk.ui.admin.privacy.ask", lambda *a: True)
    panel.anonymise()
    assert any("1 kandidaat geanonimiseerd" in s for s in shown)
    assert store.query_one("SELECT student_number FROM candidates WHERE id = ?",
                           (first.candidate_id,))[0].startswith("anon-")
    assert first.student_number not in [panel.model.record(r).student_number for r in range(panel.model.rowCount())]


def test_the_due_list_is_fetched_a_page_at_a_time_in_the_order_of_the_whole_list(qtbot, store, shown):
    """Ten years hold tens of thousands due: the list shows the first page and its count says how many there
    are; scrolling fetches the next page, in the order of the whole due list."""
    ctx = AppContext(store, by_username(store, "beheerder"), clock=lambda: LATER)
    screen = AdminScreen(ctx)
    qtbot.addWidget(screen)
    screen.apply_filter(AdminTarget(AdminTab.PRIVACY))
    panel = screen.privacy
    panel.model.PAGE = 5
    screen.refresh()
    everything = panel.service.due(LATER.date())
    ready = sum(1 for i in everything if i.can_anonymise)
    assert len(everything) > 10 and panel.model.total == len(everything)
    assert panel.count.text() == f"{len(everything)} over de bewaartermijn, waarvan {ready} te anonimiseren"
    assert panel.model.rowCount() == 5 and panel.model.canFetchMore()
    panel.model.fetchMore()
    assert [panel.model.record(r) for r in range(panel.model.rowCount())] == everything[:10]


def test_the_audit_log_filters_on_one_candidate(qtbot, ctx_for, shown, store):
    from examdesk.services.candidates import CandidateService

    number = store.query_one("SELECT student_number FROM candidates WHERE id = 2")[0]
    CandidateService(ctx_for(Role.COMMISSIE)).get(2)
    screen = AdminScreen(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(screen)
    screen.apply_filter(AdminTarget(AdminTab.AUDIT))
    screen.refresh()
    audit = screen.audit
    everything = audit.model.total
    audit.candidate.setText(number)
    audit.candidate.editingFinished.emit()
    assert 0 < audit.model.total < everything
    assert all(line.entry.action == "kandidaatgegevens ingezien" or number in line.entry.entity_id
               for line in audit.model.rows)
    audit.candidate.setText("999999")
    audit.candidate.editingFinished.emit()
    assert any("geen kandidaat met studentnummer '999999'" in s for s in shown)
    audit.candidate.clear()
    assert audit.model.total == everything + 0


def test_the_candidate_list_exports_a_subject_access_request(qtbot, ctx_for, shown, tmp_path):
    from examdesk.ui.sessions.candidates import CandidatesTab

    tab = CandidatesTab(ctx_for(Role.BUREAU))
    qtbot.addWidget(tab)
    tab.refresh()
    assert not tab.access_button.isHidden()
    tab.table.selectRow(0)
    number = tab.current().student_number
    tab.export_access(str(tmp_path))
    record = json.loads((tmp_path / f"inzage_{number}.json").read_text(encoding="utf-8"))
    assert record["studentnummer"] == number
    assert any("Gemaakt: inzage_" in s for s in shown)
    surveillant = CandidatesTab(ctx_for(Role.SURVEILLANT))
    qtbot.addWidget(surveillant)
    assert surveillant.access_button.isHidden()


@pytest.fixture(params=[1.0, 2.0], ids=["100%", "200%"])
def font_scale(request):
    """The application font at 100 % and at 200 % (a person with low vision), and the house style sheet scaled
    with it as `launch.create_application` does (returned, for the window); back to normal afterwards."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from examdesk.ui import style

    app = QApplication.instance()
    normal = QFont(app.font())
    larger = QFont(normal)
    larger.setPointSizeF(style.BASE_POINT_SIZE * request.param)
    app.setFont(larger)
    yield request.param, style.scaled(style.STYLESHEET, scale=request.param)
    app.setFont(normal)


def test_each_retention_period_is_explained_whole_and_the_tab_does_not_scroll_sideways(qtbot, store, font_scale,
                                                                                       tmp_path):
    """The explanation under a retention period sat beside the labels in what was left of the row and was cut
    off after two lines; at 200 % the tab was wider than a laptop's screen and scrolled sideways, the
    explanations cut at its edge. Each explanation now has the box's whole width and the height its text
    needs, on a 1366×768 laptop at 100 % and 200 %."""
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

    from examdesk.services.auth import AuthService
    from examdesk.services.navigation import ScreenKey
    from examdesk.ui.main_window import MainWindow

    scale, sheet = font_scale
    window = MainWindow(AppContext(store, AuthService(store).login("beheerder", "demo")))
    window.setStyleSheet(sheet)
    qtbot.addWidget(window)
    window.resize(1362, 764)                                          # maximised on 1366×768
    window.show()
    window.show_screen(ScreenKey.ADMIN, AdminTarget(AdminTab.PRIVACY))
    for _ in range(4):
        QApplication.processEvents()
    window.grab().save(str(tmp_path / f"privacy-{scale:.0f}.png"))
    panel = window.screens[ScreenKey.ADMIN].privacy
    hints = [label for label in panel.findChildren(QLabel) if label.text().startswith("vanaf ")]
    assert len(hints) == 3
    for hint in hints:
        assert hint.isVisible() and hint.wordWrap()
        assert hint.height() >= hint.heightForWidth(hint.width())    # every line of it shown
        box = hint.parentWidget().contentsRect().width()
        assert hint.width() >= box - 40                                # the row's whole width, not a column of it
    sideways = [a for a in window.findChildren(QScrollArea) if a.isVisible() and a.horizontalScrollBar().maximum()]
    assert sideways == []
