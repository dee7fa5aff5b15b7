"""The in-app preview of a document: QtPdf view with Afdrukken, Opslaan als and Controleren.

A freshly made document arrives as a `PreparedDocument`: it is not issued until the user prints or saves it
(issue 14), and then exactly the bytes on show are issued (`DocumentService.record`) before they leave the
app. A document opened from the register of issued documents is already issued."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from examdesk.domain.documents import DocumentRecord, VerdictStatus
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.fingerprint import grouped
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService, PreparedDocument
from examdesk.ui.common import show_error
from examdesk.ui.dialogs import BaseDialog
from examdesk.ui.save_dialog import ask_save_path, file_name

PREVIEW_NOTE = ("Voorbeeld, nog niet uitgegeven: het document wordt pas uitgegeven en vastgelegd wanneer u het "
                "afdrukt of opslaat.")
ISSUED_NOTE = "Uitgegeven en vastgelegd in het register van documenten."


class DocumentViewer(BaseDialog):
    recorded = Signal(object)   # DocumentRecord: the preview was issued (printed or saved for the first time)

    def __init__(self, ctx: AppContext, record: DocumentRecord, pdf: bytes, parent: QWidget | None = None,
                 prepared: PreparedDocument | None = None):
        super().__init__(parent, record.title)
        self.ctx = ctx
        self.record = record
        self.pdf = pdf
        self.prepared = prepared   # set while the document on show is a preview that is not issued yet
        self.printer: QPrinter | None = None  # kept: the print dialog and the spooler use it after exec()
        layout = QVBoxLayout(self)
        info = QLabel(f"<b>{record.title}</b> · vingerafdruk {grouped(record.fingerprint, 4)} …")
        layout.addWidget(info)
        self.issue_state = QLabel(PREVIEW_NOTE if prepared is not None else ISSUED_NOTE)
        self.issue_state.setObjectName("CardWarning" if prepared is not None else "Hint")
        self.issue_state.setWordWrap(True)
        layout.addWidget(self.issue_state)
        self.document = QPdfDocument(self)
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("Afdrukken…")
        self.save_button = QPushButton("Opslaan als…")
        self.check_button = QPushButton("Controleren")
        self.close_button = QPushButton("Sluiten")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.check_button.clicked.connect(self.check)
        self.close_button.clicked.connect(self.accept)
        for b in (self.print_button, self.save_button, self.check_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        buttons.addWidget(self.verdict, 3)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(900, 1000)   # fitted to the screen when shown

    @classmethod
    def preview(cls, ctx: AppContext, prepared: PreparedDocument, parent: QWidget | None = None) -> DocumentViewer:
        """A document just made, shown before it is issued."""
        return cls(ctx, prepared.record, prepared.pdf, parent, prepared)

    @property
    def is_issued(self) -> bool:
        return self.prepared is None

    def present(self) -> None:
        """Shown beside the screen it came from, with the keyboard in it (also without a window manager, where
        keys would otherwise go to the window behind it)."""
        self.show()
        self.activateWindow()

    def page_count(self) -> int:
        return self.document.pageCount()

    def issue(self) -> bool:
        """Issues the preview on show (once: a second print or save is a copy of the same document). False,
        after saying why in Dutch, when it may not be issued (the data changed since the preview was made)."""
        if self.prepared is None:
            return True
        try:
            record = DocumentService(self.ctx).record(self.prepared)
        except ExamDeskError as exc:
            show_error(self, exc)
            return False
        self.prepared = None
        self.record = record
        self.issue_state.setText(ISSUED_NOTE)
        self.issue_state.setObjectName("Hint")
        self.issue_state.style().polish(self.issue_state)
        self.recorded.emit(record)
        return True

    def save_as(self, target: str | None = None) -> Path | None:
        if not target:
            target, _ = ask_save_path(self, "Opslaan als", file_name(self.record.title, "pdf"), "PDF (*.pdf)")
        if not target:
            return None
        if not self.issue():
            return None
        path = Path(target)
        try:
            path.write_bytes(self.pdf)
        except OSError as exc:
            show_error(self, f"{path} kan niet worden opgeslagen: {exc.strerror}.")
            return None
        return path

    def print_document(self) -> None:
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(self.record.title)
        dialog = QPrintDialog(self.printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Prints the stored document itself. "Print to PDF file" writes the stored bytes (vector, with
        the fingerprint ExamDesk's own check recognises); a real printer gets each page rendered at the
        printer's resolution. A preview is issued first; when it may not be, nothing is printed."""
        if not self.issue():
            return False
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            return self.save_as(printer.outputFileName()) is not None
        return self.render_to(printer)

    def render_to(self, printer: QPrinter) -> bool:
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, "De printer kon niet worden gestart.")
            return False
        try:
            dpi = printer.resolution()
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                size = self.document.pagePointSize(page)
                pixels = QSize(int(size.width() * dpi / 72), int(size.height() * dpi / 72))
                scale = min(target.width() / pixels.width(), target.height() / pixels.height(), 1.0)
                image = self.document.render(page, pixels)
                painter.save()
                painter.scale(scale, scale)
                painter.drawImage(0, 0, image)
                painter.restore()
        finally:
            painter.end()
        return True

    def check(self) -> None:
        if self.prepared is not None:
            self.verdict.setObjectName("CardWarning")
            self.verdict.style().polish(self.verdict)
            self.verdict.setText("Dit voorbeeld is nog niet uitgegeven en dus nog niet te controleren; druk het af "
                                 "of sla het op.")
            return
        verdict = DocumentService(self.ctx).verify_pdf(self.pdf)
        self.verdict.setObjectName("Hint" if verdict.status == VerdictStatus.MATCH else "CardWarning")
        self.verdict.style().polish(self.verdict)
        self.verdict.setText(verdict.message)
        if verdict.status != VerdictStatus.MATCH:
            QMessageBox.warning(self, "Controle", verdict.message)
