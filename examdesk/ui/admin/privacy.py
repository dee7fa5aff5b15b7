"""Beheer → Privacy: the retention periods with their grounds, and the monthly list of what is past its
period, which the beheerder reviews and anonymises (docs/privacy.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.plural import counted, number
from examdesk.domain.privacy import RETENTION_SETTINGS, AccountDue, DueItem
from examdesk.services.context import AppContext
from examdesk.services.privacy import PrivacyService
from examdesk.ui.common import ask, hint_label, list_view, show_error
from examdesk.ui.house_style import house_spin
from examdesk.ui.table_model import Column, TableModel
from examdesk.ui.unsaved import UnsavedInput


class PrivacyPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = PrivacyService(ctx)
        layout = QVBoxLayout(self)

        periods = QGroupBox("Bewaartermijnen")
        form = QFormLayout(periods)
        # the explanation of each period on a row of its own, the box's whole width: beside the labels, in a
        # nested layout, it got the column left over and was cut off after two lines; and the label goes above
        # its box when both do not fit side by side (200 %), so the tab never scrolls sideways
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.spins: dict[str, QSpinBox] = {}
        for s in RETENTION_SETTINGS:
            spin = house_spin(QSpinBox())
            spin.setRange(0, s.maximum)
            spin.setSuffix(f" {s.unit}")
            spin.setToolTip(s.source)
            self.spins[s.name] = spin
            hint = hint_label(f"vanaf {s.counts_from}; minimaal {s.minimum} {s.unit}. {s.source}")
            spin.setMinimumWidth(140)
            line = QHBoxLayout()
            line.addWidget(spin)
            line.addStretch(1)
            form.addRow(s.label, line)
            form.addRow(hint)
        self.save_button = QPushButton("Bewaartermijnen opslaan")
        save_line = QHBoxLayout()
        save_line.addWidget(self.save_button)
        save_line.addStretch(1)
        form.addRow("", save_line)
        layout.addWidget(periods)

        due = QGroupBox("Over de bewaartermijn (maandelijkse controle)")
        box = QVBoxLayout(due)
        explain = QLabel("Controleer de lijst. Anonimiseren vervangt naam, studentnummer, geboortedatum en vrije "
                         "teksten van de kandidaat; aantallen, rapporten en de controleerbare geschiedenis blijven "
                         "kloppen. Een kandidaat met een open zaak (Inspectie, beroep) wacht.")
        explain.setWordWrap(True)
        explain.setObjectName("Hint")
        box.addWidget(explain)
        self.model: TableModel[DueItem] = TableModel([
            Column("studentnummer", lambda i: i.student_number),
            Column("naam", lambda i: i.name),
            Column("bewaard t/m", lambda i: format_date(i.keep_until)),
            Column("status", lambda i: f"wacht: {i.blocked}" if i.blocked else "te anonimiseren"),
        ], count=self._count_due, fetch=self.service.due_page)   # paged: tens of thousands due on ten years
        self._waiting = 0
        self.table = list_view(self.model, name="privacyDue")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        box.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.count = hint_label()        # wraps beside the button at 200 %, so the tab does not scroll sideways
        buttons.addWidget(self.count, 1)
        self.anonymise_button = QPushButton("Geselecteerde anonimiseren…")
        buttons.addWidget(self.anonymise_button)
        box.addLayout(buttons)
        layout.addWidget(due, 1)

        accounts = QGroupBox("Uitgeschakelde accounts over de bewaartermijn")
        box = QVBoxLayout(accounts)
        self.account_model: TableModel[AccountDue] = TableModel([
            Column("gebruikersnaam", lambda a: a.username),
            Column("naam", lambda a: a.name),
            Column("bewaard t/m", lambda a: format_date(a.keep_until)),
        ])
        self.account_table = list_view(self.account_model, name="privacyAccounts")
        self.account_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.account_table.setMaximumHeight(140)
        box.addWidget(self.account_table)
        line = QHBoxLayout()
        hint = hint_label("Naam, functie, telefoon en e-mail worden verwijderd; de gebruikersnaam blijft, omdat de "
                      "verzegelde verslagen hem noemen.")
        line.addWidget(hint, 1)
        self.account_button = QPushButton("Geselecteerde accounts anonimiseren…")
        line.addWidget(self.account_button)
        box.addLayout(line)
        layout.addWidget(accounts)

        self.save_button.clicked.connect(self.save)
        self.unsaved = UnsavedInput(self, "de bewaartermijnen", self.spins.values(), self.save, self.refresh)
        self.account_button.clicked.connect(self.anonymise_accounts)
        self.anonymise_button.clicked.connect(self.anonymise)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """The retention boxes one width, the widest's (their units differ: 'maanden', 'jaar'), measured in the
        font they are shown in: each at its own width they stood ragged under one another."""
        widest = max(spin.sizeHint().width() for spin in self.spins.values())
        for spin in self.spins.values():
            spin.setMinimumWidth(max(widest, 140))
        super().showEvent(event)

    def refresh(self) -> None:
        try:
            values = self.service.retention()
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        if not self.unsaved.changed():        # an anonymisation meanwhile does not undo what was typed
            for name, spin in self.spins.items():
                spin.setValue(values[name])
            self.unsaved.loaded()
        try:
            accounts = self.service.accounts_due()
            self.model.reload()
        except ExamDeskError as exc:
            show_error(self, exc)
            return
        self.account_model.set_rows(accounts)
        self.account_button.setEnabled(bool(accounts))
        ready = self.model.total - self._waiting
        self.count.setText(f"{number(self.model.total)} over de bewaartermijn, waarvan {number(ready)} te anonimiseren")
        self.anonymise_button.setEnabled(ready > 0)

    def _count_due(self) -> int:
        """How many are due (what the paged list holds), and of them how many wait on an open case: counted in
        SQL, the rows fetched a page at a time as the list scrolls."""
        total, self._waiting = self.service.due_counts()
        return total

    def save(self) -> bool:
        """False on a refusal (a term below the legal minimum): the message names it and the input stays."""
        try:
            for name, spin in self.spins.items():
                self.service.set_retention(name, spin.value())
        except ExamDeskError as exc:
            show_error(self, exc, "Bewaartermijn")
            return False
        self.unsaved.loaded()
        self.refresh()
        return True

    def selected(self) -> list[DueItem]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def anonymise(self) -> None:
        chosen = [i for i in self.selected() if i.can_anonymise]
        if not chosen:
            show_error(self, "Selecteer eerst de kandidaten die u wilt anonimiseren (zonder open zaak).",
                       "Anonimiseren")
            return
        names = "\n".join(f"{i.student_number}  {i.name}" for i in chosen[:12])
        more = f"\n… en nog {len(chosen) - 12}" if len(chosen) > 12 else ""
        if not ask(self, "Anonimiseren", f"Deze {counted(len(chosen), 'kandidaat')} anonimiseren? Dit kan niet ongedaan "
                   f"worden gemaakt.\n\n{names}{more}", "Anonimiseren", "Annuleren"):
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.service.anonymise([i.candidate_id for i in chosen])
        except ExamDeskError as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, exc, "Anonimiseren")
            return
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.information(self, "Anonimiseren",
                                f"{counted(result.candidates, 'kandidaat')} geanonimiseerd: {counted(result.records, 'vastlegging')} "
                                f"aangepast, {counted(result.documents, 'opgeslagen pdf')} verwijderd.")
        self.refresh()

    def anonymise_accounts(self) -> None:
        rows = sorted({i.row() for i in self.account_table.selectionModel().selectedRows()})
        chosen = [self.account_model.record(r) for r in rows]
        if not chosen:
            show_error(self, "Selecteer eerst de accounts die u wilt anonimiseren.", "Accounts anonimiseren")
            return
        names = ", ".join(a.username for a in chosen)
        if not ask(self, "Accounts anonimiseren", f"Naam en contactgegevens van {names} verwijderen? Dit kan niet "
                   "ongedaan worden gemaakt.", "Anonimiseren", "Annuleren"):
            return
        try:
            done = self.service.anonymise_accounts([a.user_id for a in chosen])
        except ExamDeskError as exc:
            show_error(self, exc, "Accounts anonimiseren")
            return
        QMessageBox.information(self, "Accounts anonimiseren", f"{counted(done, 'account')} geanonimiseerd.")
        self.refresh()
