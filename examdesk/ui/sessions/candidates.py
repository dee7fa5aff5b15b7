"""The Kandidaten tab of the Afnames screen: the candidates with their accommodations and any resit owed,
the candidate form, and the import of a student-system export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.candidates import FACILITIES, TARGET_GROUPS, Candidate
from examdesk.domain.clock import format_date, parse_date
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.plural import counted
from examdesk.domain.roles import Action
from examdesk.services.candidates import CandidateService, read_table
from examdesk.services.context import AppContext
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.ui.common import list_view, show_error
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.house_style import house_spin
from examdesk.ui.save_dialog import ask_open_path, ask_save_folder
from examdesk.ui.sessions.candidate_import import ImportDialog
from examdesk.ui.table_model import Column, TableModel


class CandidatesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.service = CandidateService(ctx)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("zoek op naam of studentnummer")
        top.addWidget(self.search, 1)
        self.resit_only = QCheckBox("kandidaten met een herkansing")
        self.resit_only.setToolTip("Kandidaten van wie een examen ongeldig is verklaard (besluit van de "
                                   "examencommissie of de Inspectie) en die het opnieuw moeten afleggen.")
        top.addWidget(self.resit_only)
        self.import_button = QPushButton("Importeren…")
        self.new_button = QPushButton("Nieuwe kandidaat…")
        self.edit_button = QPushButton("Wijzigen…")
        for b in (self.import_button, self.new_button, self.edit_button):
            b.setVisible(ctx.can(Action.MANAGE_CANDIDATES))
            top.addWidget(b)
        self.access_button = QPushButton("Inzage exporteren…")
        self.access_button.setToolTip("Inzageverzoek (AVG): alles wat ExamDesk over deze kandidaat bewaart, als pdf "
                                      "voor de kandidaat en json voor het dossier.")
        self.access_button.setVisible(ctx.can(Action.SUBJECT_ACCESS))
        top.addWidget(self.access_button)
        # the commission sees a repeat at a glance: the candidate's cases across sessions (issue 13)
        self.history_button = QPushButton("Dossiergeschiedenis…")
        self.history_button.setVisible(ctx.can(Action.VIEW_CANDIDATES) and ctx.can(Action.VIEW_INCIDENTS))
        top.addWidget(self.history_button)
        layout.addLayout(top)
        on = ctx.clock().date()
        self.model: TableModel[Candidate] = TableModel([
            Column("studentnummer", lambda c: c.student_number),
            Column("naam", lambda c: c.sort_name),
            Column("geboortedatum", lambda c: format_date(c.birth_date) + (" (minderjarig)" if c.is_minor_on(on) else "")),
            Column("crebo", lambda c: c.crebo),
            Column("cohort", lambda c: c.cohort),
            Column("doelgroep", lambda c: c.group_label),
            Column("passend examineren", lambda c: c.accommodations_label()),
            Column("herkansing", lambda c: self.resits.get(c.id, "")),
        ])
        self.resits: dict[int, str] = {}
        self.table = list_view(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.count = QLabel("")
        self.count.setObjectName("Hint")
        layout.addWidget(self.count)
        self.search.textChanged.connect(self.refresh)
        self.resit_only.toggled.connect(lambda _on: self.refresh())
        self.import_button.clicked.connect(self.import_file)
        self.new_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.access_button.clicked.connect(self.export_access)
        self.history_button.clicked.connect(lambda: self.history(self.current()))
        self.table.doubleClicked.connect(lambda _i: self.edit(self.current()) if ctx.can(Action.MANAGE_CANDIDATES)
                                         else None)

    def refresh(self) -> None:
        """With 'kandidaten met een herkansing': only those with an open *herkansing nodig* item, each
        naming the exam and the decision that voided it (from the incident desk)."""
        try:
            rows = self.service.search(self.search.text())
            items = IncidentDeskService(self.ctx).candidates_with_resit()
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        resits: dict[int, list[str]] = {}
        for item in items:
            resits.setdefault(item.candidate_id, []).append(
                f"{item.exam_title} ({format_date(item.original_date)}), {item.source_label}: {item.status_label}")
        self.resits = {cid: "; ".join(texts) for cid, texts in resits.items()}
        if self.resit_only.isChecked():
            rows = [c for c in rows if c.id in self.resits]
        self.model.set_rows(rows)
        self.count.setText(counted(len(rows), 'kandidaat'))

    def current(self) -> Candidate | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def history(self, candidate: Candidate | None) -> None:
        """Every incident, hearing, decision and appeal of the chosen candidate, in time order (reading it is
        audited by `CaseworkService.history`)."""
        if candidate is None or candidate.id is None:
            show_error(self, ValidationError("Kies eerst een kandidaat in de lijst."))
            return
        from examdesk.services.casework import CaseworkService
        from examdesk.ui.incidents.casework_dialogs import HistoryDialog

        try:
            dialog = HistoryDialog(self, [(candidate.id, f"{candidate.full_name} ({candidate.student_number})")],
                                   CaseworkService(self.ctx).history)
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        self.exec_dialog(dialog)

    def exec_dialog(self, dialog: QWidget) -> int:
        """Runs a dialog modally (tests replace it to fill the dialog in)."""
        return dialog.exec()

    def edit(self, candidate: Candidate | None) -> None:
        if candidate is not None:
            try:
                candidate = self.service.get(candidate.id)    # the whole file (audited), not the list line
            except ExamDeskError as exc:
                show_error(self, exc)
                return
        dialog = CandidateDialog(self.ctx, candidate, self)
        if dialog.exec():
            self.refresh()

    def export_access(self, folder: str | None = None) -> None:
        """Everything held about the selected candidate, to a folder the user picks (the export is audited)."""
        from examdesk.services.privacy import PrivacyService

        candidate = self.current()
        if candidate is None:
            show_error(self, "Selecteer eerst een kandidaat.", "Inzage exporteren")
            return
        if folder is None:
            folder = ask_save_folder(self, "Map voor het inzageverzoek")
            if not folder:
                return
        try:
            pdf, js = PrivacyService(self.ctx).write_subject_access(candidate.student_number, Path(folder))
        except ExamDeskError as exc:
            show_error(self, exc, "Inzage exporteren")
            return
        QMessageBox.information(self, "Inzage exporteren", f"Gemaakt: {pdf.name} (voor de kandidaat) en {js.name} "
                                                          f"(alle gegevens) in {pdf.parent}.")

    def import_file(self) -> None:
        path, _ = ask_open_path(self, "Kandidatenlijst importeren", "Kandidatenlijsten (*.csv *.txt *.xlsx)")
        if not path:
            return
        try:
            table = read_table(Path(path))
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        dialog = ImportDialog(self.ctx, table, Path(path).stem, self)
        self.exec_dialog(dialog)
        if dialog.result_sentence:   # imported (the dialog showed what was done); cancelled changes nothing
            self.refresh()


class CandidateDialog(FormDialog):
    def __init__(self, ctx: AppContext, candidate: Candidate | None, parent: QWidget | None = None):
        super().__init__(parent, "Kandidaat wijzigen" if candidate else "Nieuwe kandidaat")
        self.service = CandidateService(ctx)
        self.candidate = candidate
        c = candidate or Candidate("", "")
        self.number = QLineEdit(c.student_number)
        self.number.setReadOnly(candidate is not None)
        self.first = QLineEdit(c.first_name)
        self.prefix = QLineEdit(c.prefix)
        self.last = QLineEdit(c.last_name)
        self.birth = QLineEdit(format_date(c.birth_date))
        self.birth.setPlaceholderText("dd-mm-jjjj")
        self.crebo = QLineEdit(c.crebo)
        self.cohort = QLineEdit(c.cohort)
        self.group = QComboBox()
        for key, label in TARGET_GROUPS.items():
            self.group.addItem(label, key)
        self.group.setCurrentIndex(self.group.findData(c.target_group))
        self.extra = house_spin(QSpinBox())
        self.extra.setRange(0, 240)
        self.extra.setSuffix(" min")
        self.extra.setValue(c.extra_minutes)
        self.reason = QLineEdit(c.extra_reason)
        self.reason.setPlaceholderText("verplicht bij meer dan 30 minuten (alleen instellingsexamens)")
        self.facilities = QListWidget()
        self.facilities.setMaximumHeight(130)
        for key, label in FACILITIES.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in c.facilities else Qt.CheckState.Unchecked)
            self.facilities.addItem(item)
        self.other = QLineEdit(c.facility_other)
        for label, widget in (("Studentnummer", self.number), ("Voornaam / roepnaam", self.first),
                              ("Tussenvoegsel", self.prefix), ("Achternaam", self.last),
                              ("Geboortedatum", self.birth), ("Kwalificatie (crebo)", self.crebo),
                              ("Cohort", self.cohort), ("Doelgroep", self.group), ("Extra tijd", self.extra),
                              ("Reden extra tijd", self.reason), ("Voorzieningen", self.facilities),
                              ("Overige voorziening", self.other)):
            self.form.addRow(label, widget)

    def submit(self) -> Candidate:
        try:
            birth = parse_date(self.birth.text()) if self.birth.text().strip() else None
        except ValueError:
            raise ValidationError(f"'{self.birth.text()}' is geen datum; schrijf dd-mm-jjjj.") from None
        facilities = tuple(self.facilities.item(i).data(Qt.ItemDataRole.UserRole)
                           for i in range(self.facilities.count())
                           if self.facilities.item(i).checkState() == Qt.CheckState.Checked)
        return self.service.save(Candidate(
            id=self.candidate.id if self.candidate else None, student_number=self.number.text(),
            last_name=self.last.text(), prefix=self.prefix.text(), first_name=self.first.text(),
            birth_date=birth, crebo=self.crebo.text(), cohort=self.cohort.text(),
            target_group=self.group.currentData(), extra_minutes=self.extra.value(),
            extra_reason=self.reason.text(), facilities=facilities, facility_other=self.other.text()))
