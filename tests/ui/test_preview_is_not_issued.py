"""A preview is not an issued document until it is printed or saved (issue 14): opening one leaves the
register of issued documents and the audit log as they were and the panel does not call anything "actueel";
printing or saving issues exactly the bytes on show, once, and a preview whose data changed meanwhile is
refused instead of issued."""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrinter

from examdesk.cli import main
from examdesk.data.sessions import list_sessions
from examdesk.domain.errors import ValidationError
from examdesk.domain.fingerprint import sha256_hex
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.documents import DocumentService
from examdesk.services.integrity import check_store
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.documents import viewer as viewer_module
from examdesk.ui.sessions.procesverbaal_panel import ProcesverbaalPanel


def _counts(store) -> tuple[int, int]:
    return (store.query_one("SELECT count(*) FROM documents")[0], store.query_one("SELECT count(*) FROM audit_log")[0])


def _closed_session(store) -> str:
    return list_sessions(store, SessionFilter(status="afgesloten"))[0].id


def _preview(qtbot, panel: ProcesverbaalPanel):
    before = panel.last_viewer
    panel.button.click()
    qtbot.waitUntil(lambda: panel.last_viewer is not None and panel.last_viewer is not before, timeout=15000)
    return panel.last_viewer


def _panel(qtbot, ctx, session_id: str) -> ProcesverbaalPanel:
    """The procesverbaal panel of a closed session, on screen."""
    panel = ProcesverbaalPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_session(session_id, "afgesloten")
    return panel


def test_opening_a_preview_issues_nothing_and_saving_it_issues_exactly_the_saved_file(
        qtbot, ctx_for, demo_db, tmp_path, capsys):
    ctx = ctx_for(Role.COMMISSIE)
    session_id = _closed_session(ctx.store)
    panel = _panel(qtbot, ctx, session_id)
    before = _counts(ctx.store)

    viewer = _preview(qtbot, panel)
    assert viewer.page_count() >= 3 and not viewer.is_issued
    assert "nog niet uitgegeven" in viewer.issue_state.text()
    assert _counts(ctx.store) == before                          # no document, no audit entry
    assert "actueel" not in panel.state.text()
    assert DocumentService(ctx).latest("procesverbaal", session_id) is None

    saved = viewer.save_as(str(tmp_path / "procesverbaal.pdf"))
    assert saved is not None and viewer.is_issued
    documents, audit = _counts(ctx.store)
    assert (documents, audit) == (before[0] + 1, before[1] + 1)  # one document, one 'document gemaakt'
    record = DocumentService(ctx).latest("procesverbaal", session_id)
    assert record is not None and record.id == viewer.record.id
    assert DocumentService(ctx).stored_pdf(record.id) == saved.read_bytes()
    entry = ctx.store.query_one("SELECT summary FROM audit_log WHERE action = 'document gemaakt' ORDER BY seq DESC")
    assert sha256_hex(saved.read_bytes()) in entry[0]
    assert panel.state.text().startswith("Het afgedrukte procesverbaal is actueel.")

    # saving or printing the same preview again is a copy of the same document: still one record
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
    assert viewer.print_to(printer)
    assert (tmp_path / "afdruk.pdf").read_bytes() == saved.read_bytes()
    assert _counts(ctx.store) == (documents, audit)

    assert check_store(ctx.store, demo_db).ok
    ctx.store.close()
    assert main(["verify-document", str(saved), "--db", str(demo_db)]) == 0
    assert "komt overeen" in capsys.readouterr().out
    assert main(["verify", "--db", str(demo_db)]) == 0


def test_two_previews_then_one_print_make_one_issued_document(qtbot, ctx_for, tmp_path):
    ctx = ctx_for(Role.COMMISSIE)
    session_id = _closed_session(ctx.store)
    panel = _panel(qtbot, ctx, session_id)
    before = _counts(ctx.store)
    first = _preview(qtbot, panel)
    second = _preview(qtbot, panel)
    assert first.record.id != second.record.id and _counts(ctx.store) == before
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
    assert second.print_to(printer)
    assert _counts(ctx.store) == (before[0] + 1, before[1] + 1)
    assert [r.id for r in DocumentService(ctx).recent() if r.subject_id == session_id] == [second.record.id]
    assert not first.is_issued


def test_a_preview_whose_data_changed_is_refused_not_issued(qtbot, ctx_for, tmp_path, monkeypatch):
    ctx = ctx_for(Role.COMMISSIE)
    session_id = _closed_session(ctx.store)
    panel = _panel(qtbot, ctx, session_id)
    viewer = _preview(qtbot, panel)
    SessionModeService(ctx_for(Role.SURVEILLANT), session_id).remark("Late aanvulling: de klok liep voor.")
    before = _counts(ctx.store)
    said: list[str] = []
    monkeypatch.setattr(viewer_module, "show_error", lambda _parent, error: said.append(error.message))

    assert viewer.save_as(str(tmp_path / "procesverbaal.pdf")) is None
    assert not (tmp_path / "procesverbaal.pdf").exists()
    assert said and "gewijzigd nadat het voorbeeld werd gemaakt" in said[0]
    assert _counts(ctx.store) == before and not viewer.is_issued
    assert "actueel" not in panel.state.text()

    with pytest.raises(ValidationError, match="niet uitgegeven"):      # the service refuses it too
        DocumentService(ctx).record(viewer.prepared)
    assert _counts(ctx.store) == before
