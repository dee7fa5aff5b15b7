"""The procesverbaal where the user is: a button on the selected session, and the yellow bar when the
printed procesverbaal no longer matches the record (a late correction, a decision)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from examdesk.domain.session_state import SessionStatus
from examdesk.services.context import AppContext
from examdesk.ui.documents.panel import DocumentPanel, DocumentTexts

OUTDATED = "Na het afdrukken zijn gegevens gewijzigd — maak een nieuw procesverbaal."

TEXTS = DocumentTexts(
    button="Procesverbaal…",
    tooltip="Maak het procesverbaal van deze afname (CONCEPT zolang de afname niet is afgesloten)",
    outdated=OUTDATED,
    renew="Nieuw procesverbaal",
    current="Het afgedrukte procesverbaal is actueel.",
    stale="Het afgedrukte procesverbaal is niet meer actueel.",
    busy="Procesverbaal maken…",
)


class ProcesverbaalPanel(DocumentPanel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, "procesverbaal", TEXTS, parent)

    def show_session(self, session_id: str | None, status: str = "") -> None:
        self.show_subject(session_id, enabled=status != SessionStatus.GEANNULEERD)
