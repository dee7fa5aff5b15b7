from __future__ import annotations

import fake_document_kind
import pytest

from examdesk.domain.documents import VerdictStatus
from examdesk.domain.roles import Role
from examdesk.services import documents
from examdesk.services.navigation import ReportsTarget
from examdesk.ui.reports.screen import ReportsScreen


@pytest.fixture(autouse=True)
def _register_kind(monkeypatch):
    fake_document_kind.register(monkeypatch)


def test_make_preview_save_and_verify_a_document(qtbot, ctx_for, tmp_path):
    screen = ReportsScreen(ctx_for(Role.COMMISSIE))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.apply_filter(ReportsTarget("test"))
    assert screen.kind.currentText() == "Testdocument"
    assert screen.subject.text() == "De instelling"
    screen.make_button.click()
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=10000)
    viewer = screen.last_viewer
    assert viewer.page_count() == 1
    assert screen.model.rowCount() == 0                     # a preview is not in the register of issued documents
    saved = viewer.save_as(str(tmp_path / "kopie.pdf"))
    assert saved.read_bytes() == viewer.pdf
    assert screen.model.rowCount() == 1

    verdict = screen.verify_file(str(saved))
    assert verdict.status == VerdictStatus.MATCH
    assert screen.verdict.text().startswith("✓")

    digest = viewer.record.fingerprint
    for edit, position in zip(screen.group_edits, screen.positions, strict=True):
        edit.setText(digest[(position - 1) * 4 : position * 4])
    assert screen.verify_paper().status == VerdictStatus.MATCH


def test_without_document_kinds_the_screen_says_so(qtbot, ctx_for, monkeypatch):
    monkeypatch.setattr(documents, "kinds", lambda: ())
    screen = ReportsScreen(ctx_for(Role.BUREAU))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert screen.no_kinds.isVisible()
    assert not screen.make_button.isVisible()


def test_the_fingerprint_instruction_is_one_line_where_there_is_room(qtbot, ctx_for):
    """'Typ groep 14 en groep 16 van de vingerafdruk over:' beside its two fields: one line on a laptop's width,
    not wrapped in a narrow column with its second line cut; wrapped, and whole, in a narrow window."""
    screen = ReportsScreen(ctx_for(Role.COMMISSIE))
    qtbot.addWidget(screen)
    screen.positions = (14, 16)                  # two-digit groups: the longest instruction
    screen._set_paper_positions()
    screen.resize(1366 - 190, 700)
    screen.show()
    qtbot.waitExposed(screen)
    label = screen.paper_label
    assert label.text().startswith("Typ groep 14")
    line = label.fontMetrics().lineSpacing()
    assert label.height() < 2 * line
    assert label.heightForWidth(label.contentsRect().width()) < 2 * line
    assert label.contentsRect().width() >= label.fontMetrics().boundingRect(label.text()).width()

    screen.resize(520, 700)
    qtbot.waitUntil(lambda: label.width() < label.fontMetrics().boundingRect(label.text()).width())
    assert label.height() >= label.heightForWidth(label.width()) >= 2 * line   # wrapped, every line shown


def test_the_issued_documents_list_is_sized_by_the_rows_in_view_and_does_not_scroll_sideways(qtbot, ctx_for, store):
    """Ten years of issued documents (issue 16): the list was sized to the contents of its 500 newest rows each
    time Rapporten opened (120 ms); one long title far down the list then widened its column past the window.
    The columns fit the rows a user sees; a longer title further down is elided, its whole text the tooltip."""
    from examdesk.data import documents as document_data
    from examdesk.domain.documents import DocumentRecord

    long_title = "Procesverbaal " + "met een heel lange titel " * 12
    for n in range(120):
        title = long_title if n == 0 else f"Besluit {n}"          # the oldest: the last row of the list
        document_data.insert(store, DocumentRecord(f"doc-{n:03d}", "besluit", f"s{n}", title, f"{n:064x}",
                                                   f"2026-01-01T10:{n // 60:02d}:{n % 60:02d}+01:00", "commissie",
                                                   "test"), b"%PDF-1.4")
    screen = ReportsScreen(ctx_for(Role.COMMISSIE))
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    assert screen.model.rowCount() == 120 and screen.model.record(119).title == long_title
    title = [c.header for c in screen.model.columns].index("Titel")
    assert screen.table.columnWidth(title) < screen.table.fontMetrics().horizontalAdvance(long_title)
    assert screen.table.horizontalScrollBar().maximum() == 0
