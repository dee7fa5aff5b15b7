"""Rapporten: make a document, reopen one issued earlier, and check a PDF or a paper copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_datetime, from_iso
from examdesk.domain.documents import DocumentRecord, DocumentVerdict, VerdictStatus, choose_groups
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.fingerprint import grouped
from examdesk.services import documents
from examdesk.services.context import AppContext
from examdesk.services.documents import DocumentService, PreparedDocument, read_pdf_file
from examdesk.services.navigation import ReportsTarget
from examdesk.ui.common import OneLineWhenRoom, list_view, show_error
from examdesk.ui.documents.viewer import DocumentViewer
from examdesk.ui.fields import SearchPicker, calendar_date, pydate, qdate
from examdesk.ui.flow_layout import flow_row
from examdesk.ui.reports.annual_report import AnnualReportPanel
from examdesk.ui.save_dialog import ask_open_path
from examdesk.ui.table_model import Column, TableModel
from examdesk.ui.worker import run_in_background

FREE_PERIOD = "vrije-periode"   # the subject offered last for kinds about a period
FREE_PERIOD_LABEL = "Vrije periode (hieronder)"


class ReportsScreen(QWidget):
    COLUMNS = [
        Column("Gemaakt", lambda r: format_datetime(from_iso(r.created_at))),
        Column("Soort", lambda r: r.kind),
        Column("Titel", lambda r: r.title),
        Column("Door", lambda r: r.created_by),
        Column("Vingerafdruk", lambda r: grouped(r.fingerprint, 3) + " …"),
    ]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = DocumentService(ctx)
        self.last_viewer: DocumentViewer | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)

        make = QGroupBox("Nieuw document")
        make_outer = QVBoxLayout(make)
        make_box, make_layout = flow_row()        # wraps at 200 % font instead of widening the screen
        make_outer.addWidget(make_box)
        self.kind = QComboBox()
        # sessions, decisions and incidents grow with the years: typed, fetched on demand, never all at once
        self.subject = SearchPicker(self._find_subjects, "typ om te zoeken: datum, examen, naam …")
        self.subject.setMinimumWidth(420)
        self.subject_label = QLabel("Onderwerp")
        self.make_button = QPushButton("Maken en bekijken")
        self.make_button.setDefault(True)
        make_layout.add(QLabel("Soort"))
        make_layout.add(self.kind)
        make_layout.add(self.subject_label)
        make_layout.add(self.subject, stretch=True)
        make_layout.add(self.make_button)
        self.no_kinds = QLabel("Er zijn in deze versie nog geen documentsoorten om te maken.")
        self.no_kinds.setObjectName("Hint")
        make_layout.add(self.no_kinds)
        self.period_box = QWidget()
        period_layout = QHBoxLayout(self.period_box)
        period_layout.setContentsMargins(0, 0, 0, 0)
        self.period_from = calendar_date()
        self.period_to = calendar_date()
        for edit in (self.period_from, self.period_to):
            edit.dateChanged.connect(lambda _d: self._choose_free_period())
        period_layout.addWidget(QLabel("Vrije periode: van"))
        period_layout.addWidget(self.period_from)
        period_layout.addWidget(QLabel("tot en met"))
        period_layout.addWidget(self.period_to)
        period_hint = QLabel("of kies hierboven een vaste periode")
        period_hint.setObjectName("Hint")
        period_layout.addWidget(period_hint)
        period_layout.addStretch(1)
        self.period_box.setVisible(False)
        make_outer.addWidget(self.period_box)
        layout.addWidget(make)
        self.annual = AnnualReportPanel(ctx)
        layout.addWidget(self.annual)
        self.kind.currentIndexChanged.connect(self._load_subjects)
        self.subject.chosen.connect(lambda _value: self._show_period_of_subject())
        self.make_button.clicked.connect(self.make_document)

        check = QGroupBox("Document controleren")
        check_layout = QVBoxLayout(check)
        row = QHBoxLayout()
        self.pdf_button = QPushButton("PDF kiezen…")
        self.pdf_button.clicked.connect(lambda: self.verify_file())
        row.addWidget(self.pdf_button)
        drop = QLabel("of sleep een PDF op dit venster.")
        drop.setWordWrap(True)
        row.addWidget(drop, 1)
        check_layout.addLayout(row)
        self.positions = choose_groups()
        self.group_edits = [QLineEdit(), QLineEdit()]
        paper_row = QHBoxLayout()                    # not a QFormLayout row: that one gives a wrapped label no height
        paper_row.addWidget(QLabel("Papieren exemplaar"))
        self.paper_label = OneLineWhenRoom()         # 'Typ groep 12 en groep 14 …' in two lines only when narrow
        paper_row.addWidget(self.paper_label)
        for edit in self.group_edits:
            edit.setMaxLength(4)
            edit.setFixedWidth(70)
            paper_row.addWidget(edit)
            # new input makes the old verdict meaningless: it goes at the first keystroke
            edit.textEdited.connect(lambda _t: self._clear_verdict())
            edit.returnPressed.connect(self._paper_enter)
        self.paper_button = QPushButton("Papier controleren")
        self.paper_button.clicked.connect(self.verify_paper)
        paper_row.addWidget(self.paper_button)
        paper_row.addStretch(1)
        check_layout.addLayout(paper_row)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        check_layout.addWidget(self.verdict)
        layout.addWidget(check)

        issued = QLabel("<b>Uitgegeven documenten</b> (dubbelklik om het uitgegeven exemplaar te openen)")
        issued.setWordWrap(True)
        layout.addWidget(issued)
        self.model = TableModel(self.COLUMNS, self)
        # sized to the rows in view (`list_view`), not to the 500 most recent documents: 120 ms each time the
        # screen was opened on ten years (issue 16)
        self.table = list_view(self.model)
        self.table.doubleClicked.connect(self._open_issued)
        layout.addWidget(self.table, 1)
        self.setAcceptDrops(True)
        self._set_paper_positions()

    def _set_paper_positions(self) -> None:
        first, second = self.positions
        self.paper_label.setText(f"Typ groep {first} en groep {second} van de vingerafdruk over:")

    def refresh(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for k in documents.kinds():
            self.kind.addItem(k.label, k.name)
        self.kind.blockSignals(False)
        has_kinds = self.kind.count() > 0
        for w in (self.kind, self.subject, self.make_button, self.subject_label):
            w.setVisible(has_kinds)
        self.period_box.setVisible(False)
        self.no_kinds.setVisible(not has_kinds)
        if has_kinds:
            self.kind.setCurrentIndex(max(self.kind.findData(current), 0))
            self._load_subjects()
        self.model.set_rows(self.service.recent())
        self.table.resizeColumnsToContents()

    def apply_filter(self, target: ReportsTarget) -> None:
        if target.kind:
            self.kind.setCurrentIndex(max(self.kind.findData(target.kind), 0))
        if target.subject_id:
            doc_kind = self._current_kind()
            label = next((label for subject_id, label in self.service.subjects(doc_kind.name)
                          if subject_id == target.subject_id), None) if doc_kind else None
            if label is not None:
                self.subject.set_value(target.subject_id, label)

    def _current_kind(self):
        name = self.kind.currentData()
        return next((k for k in documents.kinds() if k.name == name), None) if name else None

    def _find_subjects(self, text: str, limit: int) -> list[tuple[str, str]]:
        doc_kind = self._current_kind()
        if doc_kind is None:
            return []
        found = self.service.subjects(doc_kind.name, text, limit)
        if doc_kind.period_subject is not None and all(w in FREE_PERIOD_LABEL.casefold()
                                                       for w in text.casefold().split()):
            found.append((FREE_PERIOD, FREE_PERIOD_LABEL))
        return found

    def _load_subjects(self) -> None:
        """A new kind: the newest subject is chosen, so 'Maken en bekijken' makes the likeliest document."""
        doc_kind = self._current_kind()
        if doc_kind is not None:
            self.subject_label.setText(doc_kind.subject_label)
        self.subject.blockSignals(True)
        first = self._find_subjects("", 1)
        if first:
            self.subject.set_value(*first[0])
        else:
            self.subject.clear_value()
        self.subject.blockSignals(False)
        self.period_box.setVisible(doc_kind is not None and doc_kind.period_subject is not None)
        self._show_period_of_subject()

    def _show_period_of_subject(self) -> None:
        """A ready-made period shows its dates in the date fields, as a start for a free one."""
        doc_kind = self._current_kind()
        subject_id = self.subject.value()
        if doc_kind is None or doc_kind.period_of is None or subject_id in (None, FREE_PERIOD):
            return
        start, end = doc_kind.period_of(subject_id)
        for edit, day in ((self.period_from, start), (self.period_to, end)):
            edit.blockSignals(True)
            edit.setDate(qdate(day))
            edit.blockSignals(False)

    def _choose_free_period(self) -> None:
        doc_kind = self._current_kind()
        if doc_kind is not None and doc_kind.period_subject is not None:
            self.subject.blockSignals(True)
            self.subject.set_value(FREE_PERIOD, FREE_PERIOD_LABEL)
            self.subject.blockSignals(False)

    def set_period(self, start: date, end: date) -> None:
        """As a user typing both dates: the subject becomes the free period."""
        self.period_from.setDate(qdate(start))
        self.period_to.setDate(qdate(end))
        self._choose_free_period()

    def make_document(self) -> None:
        name, subject_id = self.kind.currentData(), self.subject.value()
        if not name or subject_id is None:
            show_error(self, "Kies eerst waarover het document gaat.")
            return
        if subject_id == FREE_PERIOD:
            try:
                subject_id = self._current_kind().period_subject(pydate(self.period_from.date()),
                                                                 pydate(self.period_to.date()))
            except ExamDeskError as exc:
                show_error(self, exc)
                return
        run_in_background(self, lambda: self.service.prepare(name, subject_id), self._show_preview,
                          self._failed, "Document maken…")

    def _show_preview(self, prepared: PreparedDocument) -> None:
        """A preview: the register of issued documents follows once it is printed or saved."""
        self.last_viewer = DocumentViewer.preview(self.ctx, prepared, self)
        self.last_viewer.setModal(False)
        self.last_viewer.recorded.connect(lambda _record: self.refresh())
        self.last_viewer.present()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ExamDeskError):
            show_error(self, exc)
        else:
            raise exc

    def open_viewer(self, record: DocumentRecord, pdf: bytes) -> DocumentViewer:
        self.last_viewer = DocumentViewer(self.ctx, record, pdf, self)
        self.last_viewer.setModal(False)
        self.last_viewer.present()
        return self.last_viewer

    def _open_issued(self, index) -> None:
        record = self.model.record(index.row())
        self.open_viewer(record, self.service.stored_pdf(record.id))

    def _show_verdict(self, verdict: DocumentVerdict) -> None:
        self.verdict.setObjectName("Hint" if verdict.status == VerdictStatus.MATCH else "CardWarning")
        self.verdict.style().polish(self.verdict)
        mark = "✓ " if verdict.status == VerdictStatus.MATCH else "⚠ "
        self.verdict.setText(mark + verdict.message)

    def verify_file(self, path: str | None = None) -> DocumentVerdict | None:
        if not path:
            path, _ = ask_open_path(self, "PDF controleren", "PDF (*.pdf)")
        if not path:
            return None
        try:
            data = read_pdf_file(Path(path))   # the CLI's bound and regular-file check (services/documents)
        except ExamDeskError as exc:
            show_error(self, exc.message)
            return None
        verdict = self.service.verify_pdf(data)
        self._show_verdict(verdict)
        return verdict

    def _clear_verdict(self) -> None:
        self.verdict.setText("")

    def _paper_enter(self) -> None:
        """Enter in a group: on to the next empty one, or check when both are typed."""
        empty = next((e for e in self.group_edits if not e.text().strip()), None)
        if empty is not None:
            empty.setFocus()
            return
        self.verify_paper()

    def verify_paper(self) -> DocumentVerdict | None:
        typed = dict(zip(self.positions, (e.text() for e in self.group_edits), strict=True))
        try:
            verdict = self.service.check_paper(typed)
        except ExamDeskError as exc:
            self.verdict.setText(exc.message)
            return None
        self._show_verdict(verdict)
        self.positions = choose_groups()
        self._set_paper_positions()
        for edit in self.group_edits:
            edit.clear()
        return verdict

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if any(u.toLocalFile().lower().endswith(".pdf") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt API)
        for url in event.mimeData().urls():
            if url.toLocalFile().lower().endswith(".pdf"):
                self.verify_file(url.toLocalFile())
                event.acceptProposedAction()
                return


