"""A small document kind for tests of the document machinery: the institution's settings."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from examdesk.data.db import Store
from examdesk.domain.errors import NotFound
from examdesk.reports.frame import styles
from examdesk.services.documents import DocumentContent, DocumentKind


def _collect(store: Store, subject_id: str) -> DocumentContent:
    if subject_id != "instelling":
        raise NotFound(f"Onbekend onderwerp {subject_id}.")
    row = store.query_one("SELECT name, brin, place FROM institution")
    data = {"naam": row[0], "brin": row[1], "plaats": row[2], "namen": "Elif Şahin, Łukasz Wójcik, Nguyễn Thị Lan"}
    return DocumentContent(data, f"Instellingsgegevens {row[1]}", "Instelling", "Testdocument · model T-1")


def _story(data):
    st = styles()
    return [Paragraph(f"{k}: {v}", st["body"]) for k, v in sorted(data.items())]


KIND = DocumentKind("test", "Testdocument", _collect, _story,
                      lambda store, text="", limit=None: [("instelling", "De instelling")])


def register(monkeypatch) -> None:
    """Offers KIND beside the shipped document kinds for the length of one test."""
    from examdesk.services import documents

    shipped = documents.kinds
    monkeypatch.setattr(documents, "kinds", lambda: (*shipped(), KIND))
