"""Exam PCs forget (issue 18): once the commission has read a session's record it signs a receipt; the exam
PC that reads it removes that session's candidate data, and shows what personal data it still holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examdesk.data.db import Store
from examdesk.domain.errors import ValidationError
from examdesk.services.exchange import ExchangeService
from examdesk.services.integrity import check_store
from examdesk.services.privacy import ExamPcPrivacyService
from tests.exchange_support import (
    dump,
    receive_package,
    run_first_half,
    run_second_half,
    send_package,
    send_record,
)
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 0))


@pytest.fixture
def exchanged(store: Store, clock: Clock, empty_db: Path, tmp_path: Path):
    """A session planned at the office, run on exam PC B, its record read back at the office."""
    from tests.exchange_support import new_pc

    sid, ids = plan_session(store, clock)
    b = new_pc(empty_db, tmp_path, "examenpc-b")
    receive_package(b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run = run_first_half(b, clock, sid, ids)
    run_second_half(run, clock, ids)
    record = send_record(b, store, clock, [sid], tmp_path / "verslag")
    ExchangeService(context(store, "bureau", clock)).import_file(record)
    yield store, b, sid, ids
    b.close()


def test_the_exam_pc_forgets_a_session_after_the_commissions_receipt(exchanged, clock, tmp_path):
    office, b, sid, ids = exchanged
    names = [r[0] for r in b.query("SELECT last_name FROM candidates")]
    held, total = ExamPcPrivacyService(context(b, "surveillant", clock)).held_here()
    assert total == len(ids) and [(h.session_id, h.candidates > 0, h.events > 0, h.forgotten_at) for h in held] == [
        (sid, True, True, None)]
    receipt = ExamPcPrivacyService(context(office, "bureau", clock)).export_receipt([sid], tmp_path / "bewijs")
    result = ExamPcPrivacyService(context(b, "surveillant", clock)).import_receipt(receipt)
    assert result.forgotten == (sid,) and result.candidates == len(ids) and result.kept == ()
    assert b.query_one("SELECT count(*) FROM candidates")[0] == 0
    assert b.query_one("SELECT count(*) FROM session_events WHERE session_id = ?", (sid,))[0] == 0
    held, total = ExamPcPrivacyService(context(b, "surveillant", clock)).held_here()
    assert total == 0 and held[0].events == 0 and held[0].forgotten_at is not None
    raw = Path(b.path).read_bytes()
    assert not any(n.encode() in raw for n in names)
    assert check_store(b, b.path).ok                              # the exam PC's own history still proves itself
    assert "kandidaatgegevens van afnames verwijderd" in [r[0] for r in b.query("SELECT action FROM audit_log")]
    # the office keeps everything
    assert office.query_one("SELECT count(*) FROM session_events WHERE session_id = ?", (sid,))[0] > 0


def test_a_session_with_events_after_the_record_is_kept(exchanged, clock, tmp_path):
    office, b, sid, ids = exchanged
    receipt = ExamPcPrivacyService(context(office, "bureau", clock)).export_receipt([sid], tmp_path / "bewijs")
    from examdesk.services.session_mode import SessionModeService
    clock.set(12, 0)
    SessionModeService(context(b, "surveillant", clock), sid).remark("nagekomen opmerking")
    result = ExamPcPrivacyService(context(b, "surveillant", clock)).import_receipt(receipt)
    assert result.forgotten == () and "nieuw afnameverslag" in result.kept[0][1]
    assert b.query_one("SELECT count(*) FROM candidates")[0] == len(ids)


def test_a_forged_or_foreign_receipt_is_refused_and_nothing_is_removed(exchanged, clock, tmp_path, demo_db):
    office, b, sid, _ids = exchanged
    receipt = ExamPcPrivacyService(context(office, "bureau", clock)).export_receipt([sid], tmp_path / "bewijs")
    before = dump(b)
    forged = json.loads(receipt.read_bytes())
    forged["ontvangstbewijs"]["afnames"][0]["gebeurtenissen"] += 0
    forged["ontvangstbewijs"]["gemaakt_op"] = "2030-01-01T00:00:00+01:00"      # changed after signing
    changed = tmp_path / "vervalst.ontvangstbewijs"
    changed.write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(ValidationError, match="handtekening klopt niet"):
        ExamPcPrivacyService(context(b, "surveillant", clock)).import_receipt(changed)
    # signed by a key the exam PC does not trust (the exam PC's own)
    own = ExamPcPrivacyService(context(b, "surveillant", clock))
    with pytest.raises(ValidationError):
        own.export_receipt([sid], tmp_path / "eigen")                          # nothing imported here
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from examdesk.domain import receipts
    from examdesk.domain.fingerprint import canonical_json

    stranger = Ed25519PrivateKey.generate()
    content = forged["ontvangstbewijs"]
    public = stranger.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    other = tmp_path / "ander.ontvangstbewijs"
    other.write_bytes(receipts.file_bytes(content, public, stranger.sign(receipts.CONTEXT + canonical_json(content))))
    with pytest.raises(ValidationError, match="niet ondertekend door de examencommissie die deze examenpc vertrouwt"):
        own.import_receipt(other)
    junk = tmp_path / "rommel.ontvangstbewijs"
    junk.write_bytes(b"\x00\x01geen json")
    with pytest.raises(ValidationError, match="geen leesbaar ontvangstbewijs"):
        own.import_receipt(junk)
    assert dump(b) == before


def test_the_exchange_dialog_shows_what_the_exam_pc_holds_and_reads_the_receipt(exchanged, clock, tmp_path, qtbot):
    from PySide6.QtCore import QItemSelectionModel

    from examdesk.ui.exchange_dialog import ExchangeDialog

    office, b, sid, ids = exchanged
    at_office = ExchangeDialog(context(office, "bureau", clock))
    qtbot.addWidget(at_office)
    tab = at_office.held_tab
    at_office.tabs.setCurrentWidget(tab)
    row = next(r for r in range(tab.model.rowCount()) if tab.model.record(r).session_id == sid)
    tab.table.selectionModel().select(tab.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                      | QItemSelectionModel.SelectionFlag.Rows)
    tab.make_receipt(tmp_path / "bewijs")
    assert "Ontvangstbewijs gemaakt" in tab.result.text()
    on_pc = ExchangeDialog(context(b, "surveillant", clock))
    qtbot.addWidget(on_pc)
    pc_tab = on_pc.held_tab
    on_pc.tabs.setCurrentWidget(pc_tab)
    assert pc_tab.total.text() == f"Op deze computer staan gegevens van {len(ids)} kandidaten."
    pc_tab.read_receipt(tmp_path / "bewijs.ontvangstbewijs")
    assert "verwijderd van 1 afname (" in pc_tab.result.text()
    assert pc_tab.total.text() == "Op deze computer staan gegevens van 0 kandidaten."
    assert pc_tab.model.record(0).forgotten_at
    on_pc.resize(900, 560)
    on_pc.grab().save(str(tmp_path / "examenpc.png"))
