"""Printing prints the stored document: "print to PDF file" gives the issued bytes (vector, with the
fingerprint), which ExamDesk's own check accepts, instead of a rasterised widget it rejects."""

from __future__ import annotations

import fake_document_kind
import pytest
from PySide6.QtPrintSupport import QPrinter

from examdesk.domain.documents import VerdictStatus
from examdesk.domain.roles import Role
from examdesk.services.documents import DocumentService
from examdesk.services.navigation import ReportsTarget
from examdesk.ui.reports.screen import ReportsScreen


@pytest.fixture(autouse=True)
def _register_kind(monkeypatch):
    fake_document_kind.register(monkeypatch)


def test_printing_to_a_pdf_file_gives_the_stored_document_that_passes_the_check(qtbot, ctx_for, tmp_path):
    ctx = ctx_for(Role.COMMISSIE)
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.apply_filter(ReportsTarget("test"))
    screen.make_button.click()
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=10000)
    viewer = screen.last_viewer

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)     # what the print dialog hands back for "PDF"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
    assert viewer.print_to(printer)
    printed = (tmp_path / "afdruk.pdf").read_bytes()
    assert printed == viewer.pdf                                  # the document itself, not a picture of it
    assert len(printed) < 1_000_000
    assert DocumentService(ctx).verify_pdf(printed).status == VerdictStatus.MATCH


def test_the_paper_check_acts_on_enter_and_drops_its_old_verdict_on_new_input(qtbot, ctx_for):
    from PySide6.QtCore import Qt

    ctx = ctx_for(Role.COMMISSIE)
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.apply_filter(ReportsTarget("test"))
    screen.make_button.click()
    qtbot.waitUntil(lambda: screen.last_viewer is not None, timeout=10000)
    assert screen.last_viewer.issue()                              # printed: the paper carries its fingerprint
    digest = screen.last_viewer.record.fingerprint
    first, second = screen.group_edits
    qtbot.keyClicks(first, digest[(screen.positions[0] - 1) * 4: screen.positions[0] * 4])
    qtbot.keyClick(first, Qt.Key.Key_Return)                       # on to the second group
    assert screen.verdict.text() == ""
    qtbot.keyClicks(second, digest[(screen.positions[1] - 1) * 4: screen.positions[1] * 4])
    qtbot.keyClick(second, Qt.Key.Key_Return)                      # both typed: Enter checks
    assert screen.verdict.text().startswith("✓")
    qtbot.keyClicks(first, "ab")                                   # new input: the old green result goes
    assert screen.verdict.text() == ""
