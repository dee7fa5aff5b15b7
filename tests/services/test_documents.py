"""Document infrastructure: fingerprint, storage, verification of a PDF and of a paper copy.

A small document kind (tests/fake_document_kind.py) stands in for the real ones."""

from __future__ import annotations

import io
import sys

import fake_document_kind
import pytest
from pypdf import PdfReader

from examdesk.cli import main
from examdesk.domain.documents import VerdictStatus, groups_match, read_marker
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.institution import Institution
from examdesk.domain.roles import Role
from examdesk.services.documents import DocumentService
from examdesk.services.institution import InstitutionService


@pytest.fixture(autouse=True)
def _register_kind(monkeypatch):
    fake_document_kind.register(monkeypatch)


def test_issued_pdf_carries_the_fingerprint_and_prints_every_name(ctx_for):
    record, pdf = DocumentService(ctx_for(Role.COMMISSIE)).issue("test", "instelling")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Elif Şahin" in text and "Łukasz Wójcik" in text and "Nguyễn Thị Lan" in text
    assert "Pagina 1 van 1" in text
    assert record.fingerprint[:4] + " " + record.fingerprint[4:8] in text
    assert record.fingerprint in reader.metadata.get("/Keywords")
    assert read_marker(pdf).fingerprint == record.fingerprint


def test_same_data_gives_the_same_fingerprint_and_stored_bytes_are_identical(ctx_for):
    service = DocumentService(ctx_for(Role.COMMISSIE))
    first, pdf1 = service.issue("test", "instelling")
    second, _ = service.issue("test", "instelling")
    assert first.fingerprint == second.fingerprint
    assert service.stored_pdf(first.id) == pdf1


def test_verify_matches_then_reports_a_change_after_printing(ctx_for):
    service = DocumentService(ctx_for(Role.COMMISSIE))
    record, pdf = service.issue("test", "instelling")
    assert service.verify_pdf(pdf).status == VerdictStatus.MATCH
    assert service.is_outdated("test", "instelling") is False
    inst = InstitutionService(ctx_for(Role.BEHEERDER))
    old = inst.get()
    inst.update(Institution(old.name, old.brin, old.commission_name, "Waddinxveen"))
    verdict = service.verify_pdf(pdf)
    assert verdict.status == VerdictStatus.CHANGED
    assert "na het afdrukken gewijzigd" in verdict.message
    assert service.is_outdated("test", "instelling") is True


def test_an_edited_pdf_file_is_not_taken_for_the_issued_one(ctx_for):
    service = DocumentService(ctx_for(Role.COMMISSIE))
    _, pdf = service.issue("test", "instelling")
    tampered = pdf.replace(b"/Producer", b"/Pr0ducer", 1)
    verdict = service.verify_pdf(tampered)
    assert verdict.status == VerdictStatus.CHANGED and "na het uitgeven gewijzigd" in verdict.message


def test_a_pdf_from_elsewhere_is_not_an_examdesk_document(ctx_for):
    verdict = DocumentService(ctx_for(Role.COMMISSIE)).verify_pdf(b"%PDF-1.4 niets\n%%EOF")
    assert verdict.status == VerdictStatus.NOT_EXAMDESK


def test_paper_copy_is_checked_with_two_typed_groups(ctx_for):
    service = DocumentService(ctx_for(Role.COMMISSIE))
    record, _ = service.issue("test", "instelling")
    digest = record.fingerprint
    typed = {3: digest[8:12], 11: digest[40:44].upper()}
    assert groups_match(digest, typed)
    assert service.check_paper(typed).status == VerdictStatus.MATCH
    wrong = {3: "zzzz", 11: digest[40:44]}
    assert service.check_paper(wrong).status == VerdictStatus.UNKNOWN
    with pytest.raises(ValidationError, match="twee groepen"):
        service.check_paper({3: digest[8:12]})


def test_issued_documents_cannot_be_changed_or_deleted(ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    record, _ = DocumentService(ctx).issue("test", "instelling")
    with pytest.raises(Exception, match="kan niet worden gewijzigd"):
        ctx.store.conn.execute("UPDATE documents SET fingerprint = 'x' WHERE id = ?", (record.id,))
    with pytest.raises(Exception, match="kan niet worden verwijderd"):
        ctx.store.conn.execute("DELETE FROM documents WHERE id = ?", (record.id,))
    audit = ctx.store.query_one("SELECT action, summary FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert audit[0] == "document gemaakt" and record.fingerprint in audit[1]


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.SURVEILLANT])
def test_only_commission_and_bureau_make_documents(ctx_for, role):
    with pytest.raises(PermissionDenied):
        DocumentService(ctx_for(role)).issue("test", "instelling")


def test_cli_verify_document_exit_codes(ctx_for, demo_db, tmp_path, capsys, monkeypatch):
    _, pdf = DocumentService(ctx_for(Role.COMMISSIE)).issue("test", "instelling")
    ctx_for(Role.COMMISSIE).store.close()
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    assert main(["verify-document", str(path), "--db", str(demo_db)]) == 0
    assert "komt overeen" in capsys.readouterr().out
    other = tmp_path / "ander.pdf"
    other.write_bytes(b"%PDF-1.4\n%%EOF")
    assert main(["verify-document", str(other), "--db", str(demo_db)]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    from examdesk.data.db import open_store
    from examdesk.data.users import by_username
    from examdesk.services.context import AppContext

    store = open_store(demo_db)
    inst = InstitutionService(AppContext(store, by_username(store, "beheerder")))
    old = inst.get()
    inst.update(Institution(old.name, old.brin, old.commission_name, "Boskoop"))
    store.close()
    assert main(["verify-document", str(path), "--db", str(demo_db)]) == 1
    assert "gewijzigd" in capsys.readouterr().out


def test_a_prepared_document_is_issued_once_and_only_by_who_made_it(ctx_for):
    """Preparing stores nothing; recording it twice (printed, then saved) is one issued document; another
    user cannot issue someone else's preview under the maker's name."""
    mine = DocumentService(ctx_for(Role.COMMISSIE))
    store = mine.ctx.store
    before = store.query_one("SELECT count(*) FROM documents")[0], store.query_one("SELECT count(*) FROM audit_log")[0]
    prepared = mine.prepare("test", "instelling")
    assert (store.query_one("SELECT count(*) FROM documents")[0],
            store.query_one("SELECT count(*) FROM audit_log")[0]) == before
    assert mine.verify_pdf(prepared.pdf).status == VerdictStatus.UNKNOWN      # not issued: nothing vouches for it
    with pytest.raises(ValidationError, match="andere gebruiker"):
        DocumentService(ctx_for(Role.BUREAU)).record(prepared)
    first = mine.record(prepared)
    again = mine.record(prepared)
    assert first == again and store.query_one("SELECT count(*) FROM documents")[0] == before[0] + 1
    assert mine.stored_pdf(first.id) == prepared.pdf
    assert mine.verify_pdf(prepared.pdf).status == VerdictStatus.MATCH
