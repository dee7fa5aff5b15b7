"""The procesverbaal where the user is: a button on the selected session, and the yellow bar when the
printed procesverbaal no longer matches the record (a late correction, a decision)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from examdesk.domain.documents import DocumentRecord
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService
from examdesk.ui.common import show_error
from examdesk.ui.document_view import DocumentViewer
from examdesk.ui.worker import run_in_background

OUTDATED = "Na het afdrukken zijn gegevens gewijzigd — maak een nieuw procesverbaal."


class ProcesverbaalPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = DocumentService(ctx)
        self.session_id: str | None = None
        self.last_viewer: DocumentViewer | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.bar = QWidget()
        self.bar.setObjectName("OutdatedBar")
        self.bar.setStyleSheet("#OutdatedBar { background: #fff3c4; border: 1px solid #e0c050; border-radius: 4px; }")
        bar_layout = QHBoxLayout(self.bar)
        bar_layout.setContentsMargins(8, 4, 8, 4)
        self.bar_text = QLabel(OUTDATED)
        self.bar_text.setWordWrap(True)
        self.renew_button = QPushButton("Nieuw procesverbaal")
        bar_layout.addWidget(self.bar_text, 1)
        bar_layout.addWidget(self.renew_button)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        self.button = QPushButton("Procesverbaal…")
        self.button.setToolTip("Maak het procesverbaal van deze afname (CONCEPT zolang de afname niet is afgesloten)")
        self.state = QLabel("")
        self.state.setObjectName("Hint")
        row.addWidget(self.button)
        row.addWidget(self.state, 1)
        layout.addLayout(row)
        self.button.clicked.connect(self.make)
        self.renew_button.clicked.connect(self.make)
        self.setVisible(ctx.can(Action.PRODUCE_DOCUMENTS))
        self.bar.setVisible(False)

    def show_session(self, session_id: str | None, status: str = "") -> None:
        self.session_id = session_id
        allowed = self.ctx.can(Action.PRODUCE_DOCUMENTS)
        self.button.setEnabled(allowed and session_id is not None and status not in ("geannuleerd",))
        outdated = self.service.is_outdated("procesverbaal", session_id) if session_id and allowed else None
        self.bar.setVisible(bool(outdated))
        self.state.setText("" if outdated is None else
                           "Het afgedrukte procesverbaal is niet meer actueel." if outdated else
                           "Het afgedrukte procesverbaal is actueel.")

    def make(self) -> None:
        if not self.session_id:
            return
        session_id = self.session_id
        run_in_background(self, lambda: self.service.issue("procesverbaal", session_id), self._show, self._failed,
                          "Procesverbaal maken…")

    def _show(self, result: tuple[DocumentRecord, bytes]) -> None:
        record, pdf = result
        self.show_session(self.session_id)
        self.last_viewer = DocumentViewer(self.ctx, record, pdf, self)
        self.last_viewer.setModal(False)
        self.last_viewer.show()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ExamDeskError):
            show_error(self, exc)
        else:
            raise exc
