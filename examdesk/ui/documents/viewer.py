"""The in-app preview of a document: QtPdf view with Afdrukken, Opslaan als and Controleren."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from examdesk.domain.documents import DocumentRecord, VerdictStatus
from examdesk.domain.fingerprint import grouped
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService
from examdesk.ui.common import show_error
from examdesk.ui.dialogs import BaseDialog


def safe_filename(title: str) -> str:
    keep = "".join(c if c.isalnum() or c in " -_." else "_" for c in title)
    return " ".join(keep.split())[:120] + ".pdf"


class DocumentViewer(BaseDialog):
    def __init__(self, ctx: AppContext, record: DocumentRecord, pdf: bytes, parent: QWidget | None = None):
        super().__init__(parent, record.title)
        self.ctx = ctx
        self.record = record
        self.pdf = pdf
        self.printer: QPrinter | None = None  # kept: the print dialog and the spooler use it after exec()
        layout = QVBoxLayout(self)
        info = QLabel(f"<b>{record.title}</b> · vingerafdruk {grouped(record.fingerprint, 4)} …")
        layout.addWidget(info)
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

    def page_count(self) -> int:
        return self.document.pageCount()

    def save_as(self, target: str | None = None) -> Path | None:
        if not target:
            target, _ = QFileDialog.getSaveFileName(self, "Opslaan als", safe_filename(self.record.title), "PDF (*.pdf)")
        if not target:
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
        printer's resolution."""
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
        verdict = DocumentService(self.ctx).verify_pdf(self.pdf)
        self.verdict.setObjectName("Hint" if verdict.status == VerdictStatus.MATCH else "CardWarning")
        self.verdict.style().polish(self.verdict)
        self.verdict.setText(verdict.message)
        if verdict.status != VerdictStatus.MATCH:
            QMessageBox.warning(self, "Controle", verdict.message)
