"""A document where the user is: a button that makes one kind of document about the subject on show
(off the GUI thread) and opens it in the viewer as a preview — issued only when printed or saved from
there —, the state of the one issued before, and the yellow bar when that one no longer matches the record. The Afnames screen uses it for the procesverbaal, the
Incidenten screen for the Inspectie form and the decision letters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from examdesk.domain.clock import format_datetime, from_iso
from examdesk.domain.documents import DocumentRecord
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService, PreparedDocument
from examdesk.ui.common import hint_label, show_error
from examdesk.ui.documents.viewer import DocumentViewer
from examdesk.ui.style import OUTDATED_BACKGROUND, OUTDATED_RULE
from examdesk.ui.worker import run_in_background


@dataclass(frozen=True)
class DocumentTexts:
    """What the panel says, per kind of document (Dutch)."""

    button: str              # 'Procesverbaal…'
    tooltip: str
    outdated: str            # the yellow bar: 'Na het afdrukken zijn gegevens gewijzigd — …'
    renew: str               # the bar's button: 'Nieuw procesverbaal'
    current: str             # state when the issued one still matches
    stale: str               # state when it no longer does
    none: str = ""           # state when none was issued yet
    busy: str = "Document maken…"


class DocumentPanel(QWidget):
    """`show_subject(id)` when the selection changes; `make()` opens a preview. `before_make` may ask the
    user for something first and return False to stop; `previewed` reports each preview's viewer, `issued`
    each document issued from one (printed or saved) with its viewer."""

    previewed = Signal(object)        # DocumentViewer
    issued = Signal(object, object)   # DocumentRecord, DocumentViewer

    def __init__(self, ctx: AppContext, kind: str, texts: DocumentTexts, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.texts = texts
        self.service = DocumentService(ctx)
        self.subject_id: str | None = None
        self.last_viewer: DocumentViewer | None = None
        self.before_make: Callable[[], bool] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.bar = QWidget()
        self.bar.setObjectName("OutdatedBar")
        self.bar.setStyleSheet(f"#OutdatedBar {{ background: {OUTDATED_BACKGROUND}; "
                               f"border: 1px solid {OUTDATED_RULE}; border-radius: 4px; }}")
        bar_layout = QHBoxLayout(self.bar)
        bar_layout.setContentsMargins(8, 4, 8, 4)
        self.bar_text = QLabel(texts.outdated)
        self.bar_text.setWordWrap(True)
        self.renew_button = QPushButton(texts.renew)
        bar_layout.addWidget(self.bar_text, 1)
        bar_layout.addWidget(self.renew_button)
        layout.addWidget(self.bar)
        self.row = QHBoxLayout()
        self.button = QPushButton(texts.button)
        self.button.setToolTip(texts.tooltip)
        self.state = hint_label("")
        self.row.addWidget(self.button)
        self.row.addStretch(1)
        layout.addLayout(self.row)
        layout.addWidget(self.state)   # under the buttons: a narrow case panel (200 % font) keeps them whole
        self.button.clicked.connect(self.make)
        self.renew_button.clicked.connect(self.make)
        self.setVisible(ctx.can(Action.PRODUCE_DOCUMENTS))
        self.bar.setVisible(False)

    @property
    def allowed(self) -> bool:
        return self.ctx.can(Action.PRODUCE_DOCUMENTS)

    def show_subject(self, subject_id: str | None, enabled: bool = True) -> None:
        self.subject_id = subject_id
        allowed = self.allowed
        self.button.setEnabled(allowed and enabled and subject_id is not None)
        self.renew_button.setEnabled(self.button.isEnabled())
        latest = self.service.latest(self.kind, subject_id) if subject_id and allowed else None
        outdated = self.service.is_outdated(self.kind, subject_id) if latest is not None else None
        self.bar.setVisible(bool(outdated))
        if latest is None:
            self.state.setText(self.texts.none)
        else:
            made = f"Gemaakt {format_datetime(from_iso(latest.created_at))} door {latest.created_by}."
            self.state.setText(f"{self.texts.stale if outdated else self.texts.current} {made}")

    def make(self) -> None:
        if not self.subject_id:
            return
        if self.before_make is not None and not self.before_make():
            return
        subject_id, kind, service = self.subject_id, self.kind, self.service
        host = self.window()   # the viewer outlives this panel when the screen rebuilds its detail
        run_in_background(host, lambda: service.prepare(kind, subject_id),
                          lambda prepared: self._show(prepared, host), lambda exc: self._failed(exc, host),
                          self.texts.busy)

    def _show(self, prepared: PreparedDocument, host: QWidget) -> None:
        viewer = DocumentViewer.preview(self.ctx, prepared, host)
        viewer.setModal(False)
        viewer.recorded.connect(lambda record: self._issued(record, viewer))
        viewer.present()
        if shiboken6.isValid(self):
            self.last_viewer = viewer
            self.previewed.emit(viewer)

    def _issued(self, record: DocumentRecord, viewer: DocumentViewer) -> None:
        """Printed or saved from the preview: now the state may say the issued document is current."""
        if not shiboken6.isValid(self):
            return
        if self.subject_id is not None:
            self.show_subject(self.subject_id)
        self.issued.emit(record, viewer)

    def _failed(self, exc: Exception, host: QWidget) -> None:
        if isinstance(exc, ExamDeskError):
            show_error(host, exc)
        else:
            raise exc
