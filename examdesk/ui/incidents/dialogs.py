"""The commission's dialogs on the Incidenten screen: reclassify, an Inspectie report or answer, and a
decision (new or revised); a reason (twijfelgeval, closing, reopening) is `ui.dialogs.ReasonDialog`. Each dialog submits through a callback and stays open with the Dutch
message when the service refuses, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.casework import SecondLogin, is_sanction
from examdesk.domain.catalogue import Catalogue
from examdesk.domain.clock import format_date
from examdesk.domain.incident_desk import (
    MEASURE_LABELS,
    SCOPES,
    Decision,
    DecisionInput,
    Measure,
    point_title,
)
from examdesk.domain.users import User
from examdesk.ui.common import hint_label
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import checked_values, checklist, date_edit, pydate
from examdesk.ui.incidents.casework_dialogs import SecondLoginBox


class ReclassifyDialog(FormDialog):
    def __init__(self, parent: QWidget | None, catalogue: Catalogue, exam_kind: str, current: str,
                 submit: Callable[[str, str], Any]):
        super().__init__(parent, "Herclassificeren", ok_text="Vastleggen",
                         submit=lambda: submit(self.category_code(), self.reason.toPlainText()))
        self.catalogue = catalogue
        self.exam_kind = exam_kind
        self.category = QComboBox()
        for c in catalogue.categories:
            self.category.addItem(c.label, c.code)
        self.category.setCurrentIndex(max(0, self.category.findData(current)))
        self.route = hint_label("")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Waarom hoort het incident in een andere categorie? (verplicht)")
        self.reason.setFixedHeight(80)
        self.form.addRow("Nieuwe categorie", self.category)
        self.form.addRow("", self.route)
        self.form.addRow("Reden", self.reason)
        hint = QLabel("De oorspronkelijke classificatie van de surveillant blijft zichtbaar.")
        hint.setObjectName("Hint")
        self.form.addRow("", hint)
        self.category.currentIndexChanged.connect(self._show_route)
        self._show_route()
        self.resize(560, 300)

    def category_code(self) -> str:
        return self.category.currentData()

    def choose(self, code: str) -> None:
        self.category.setCurrentIndex(self.category.findData(code))

    def _show_route(self) -> None:
        self.route.setText(self.catalogue.route(self.category_code(), self.exam_kind).sentence)


class ReportDialog(FormDialog):
    """The report to the Inspectie: when it was sent, its reference, and which member sent it."""

    def __init__(self, parent: QWidget | None, subject_label: str, today: date, members: list[User],
                 me: int, submit: Callable[[date, str, int, str], Any]):
        super().__init__(parent, "Melding bij de Inspectie vastleggen", ok_text="Vastleggen",
                         submit=lambda: submit(pydate(self.reported_on.date()), self.reference.text(),
                                               self.reported_by.currentData(), self.remark.text()))
        self.reported_on = date_edit(today)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("bijvoorbeeld EC-2026-034 of het kenmerk van de e-mail")
        self.reported_by = QComboBox()
        for u in members:
            self.reported_by.addItem(u.full_name, u.id)
        self.reported_by.setCurrentIndex(max(0, self.reported_by.findData(me)))
        self.remark = QLineEdit()
        self.form.addRow("Onderwerp", QLabel(subject_label))
        self.form.addRow("Gemeld op", self.reported_on)
        self.form.addRow("Kenmerk", self.reference)
        self.form.addRow("Gemeld door", self.reported_by)
        self.form.addRow("Opmerking", self.remark)
        self.resize(520, 260)


class AnswerDialog(FormDialog):
    """The Inspectie's answer: referred back, or a retake (wholly or partly) for the candidates named."""

    def __init__(self, parent: QWidget | None, today: date, candidates: list[tuple[int, str]],
                 submit: Callable[[str, date, str, str | None, tuple[int, ...], str], Any]):
        super().__init__(parent, "Antwoord van de Inspectie vastleggen", ok_text="Vastleggen", submit=lambda: submit(
            self.outcome(), pydate(self.answered_on.date()), self.reference.text(),
            self.scope.currentData() if self.outcome() == "opnieuw_afnemen" else None,
            tuple(checked_values(self.candidates)) if self.outcome() == "opnieuw_afnemen" else (),
            self.remark.text()))
        self.back = QRadioButton("Terugverwezen naar de examencommissie (Beleidsregel art. 4 lid 1 onder a)")
        self.retake = QRadioButton("Opnieuw afnemen (art. 4 lid 1 onder b)")
        self.back.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.back)
        group.addButton(self.retake)
        self.scope = QComboBox()
        for key, label in SCOPES.items():
            self.scope.addItem(label, key)
        self.candidates = checklist(candidates, set())
        self.answered_on = date_edit(today)
        self.reference = QLineEdit()
        self.remark = QLineEdit()
        choice = QVBoxLayout()              # one field: when it goes below its label (200 % font) both go
        choice.addWidget(self.back)
        choice.addWidget(self.retake)
        self.form.addRow("Antwoord", choice)
        self.form.addRow("Omvang", self.scope)
        self.form.addRow("Kandidaten", self.candidates)
        self.form.addRow("Datum antwoord", self.answered_on)
        self.form.addRow("Kenmerk Inspectie", self.reference)
        self.form.addRow("Opmerking", self.remark)
        self.retake.toggled.connect(self._toggle)
        self._toggle()
        self.resize(560, 420)

    def outcome(self) -> str:
        return "opnieuw_afnemen" if self.retake.isChecked() else "terugverwezen"

    def _toggle(self) -> None:
        on = self.retake.isChecked()
        self.scope.setVisible(on)
        self.candidates.setVisible(on)
        for widget in (self.scope, self.candidates):
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(on)


class DecisionDialog(FormDialog):
    """A decision about one or more candidates (the same measures for each), or a revision of one."""

    def __init__(self, parent: QWidget | None, point: int | None, allowed: tuple[str, ...],
                 candidates: list[tuple[int, str]], preselected: set[int], members: list[User], me: int,
                 today: date, submit: Callable[[DecisionInput], Any], revising: Decision | None = None):
        title = f"Besluit {revising.number} herzien" if revising else "Besluit nemen"
        super().__init__(parent, title, ok_text="Vastleggen", submit=lambda: submit(self.values()))
        self.revising = revising
        ground = QLabel(f"Examenprotocol punt {point}: {point_title(point)}" if point else point_title(point))
        ground.setObjectName("Hint")
        self.form.addRow("Grondslag", ground)
        if revising is None:
            self.candidates = checklist(candidates, preselected) if candidates else None
            if self.candidates is not None:
                self.form.addRow("Kandidaten", self.candidates)
            else:
                self.form.addRow("Kandidaten", QLabel("geen kandidaten betrokken: besluit over het incident"))
        else:
            self.candidates = None
            self.form.addRow("Kandidaat", QLabel(revising.candidate_name or "het incident als geheel"))
            self.form.addRow("Was", QLabel(f"{format_date(revising.decided_on)}: {revising.summary}"))
        measures = QWidget()
        box = QVBoxLayout(measures)
        box.setContentsMargins(0, 0, 0, 0)
        self.measure_boxes: dict[str, QCheckBox] = {}
        for m in allowed:
            check = QCheckBox(MEASURE_LABELS[Measure(m)])
            self.measure_boxes[m] = check
            box.addWidget(check)
        self.scope = QComboBox()
        for key, label in SCOPES.items():
            self.scope.addItem(f"{label} opnieuw afnemen", key)
        if Measure.VOID_RESIT.value in allowed:
            box.addWidget(self.scope)
        self.no_measure = QLineEdit()
        self.no_measure.setPlaceholderText("geen maatregel, omdat …")
        box.addWidget(self.no_measure)
        self.form.addRow("Maatregel", measures)
        self.decided_on = date_edit(today)
        self.form.addRow("Besluitdatum", self.decided_on)
        self.members = checklist([(u.id, u.full_name) for u in members], {me})
        self.form.addRow("Besloten door", self.members)
        self.reasoning = QPlainTextEdit()
        self.reasoning.setPlaceholderText("De motivering: waarom deze maatregel, of waarom geen (verplicht)")
        self.reasoning.setFixedHeight(90)
        self.form.addRow("Motivering", self.reasoning)
        heard = QWidget()
        row = QHBoxLayout(heard)
        row.setContentsMargins(0, 0, 0, 0)
        self.heard = QCheckBox("kandidaat gehoord op")
        self.heard_on = date_edit(today)
        row.addWidget(self.heard)
        row.addWidget(self.heard_on)
        row.addStretch(1)
        self.heard_row = heard
        self.form.addRow("Hoor en wederhoor", heard)
        self.no_hearing = QLineEdit()
        self.no_hearing.setPlaceholderText("alleen als er geen horen is vastgelegd: waarom niet gehoord")
        self.form.addRow("Niet gehoord, omdat", self.no_hearing)
        self.second = SecondLoginBox()
        self.form.addRow("Tweede lid", self.second)
        self.sanction_hint = hint_label("")
        self.form.addRow("", self.sanction_hint)
        for check in self.measure_boxes.values():
            check.toggled.connect(lambda _on: self._show_for_measures())
        self.revision_reason = QLineEdit()
        if revising is not None:
            self.form.addRow("Reden herziening", self.revision_reason)
            for m in revising.measures:
                if m in self.measure_boxes:
                    self.measure_boxes[m].setChecked(True)
            self.no_measure.setText(revising.no_measure_reason)
            self.reasoning.setPlainText(revising.reasoning)
            self.heard.setChecked(revising.heard)
            if revising.heard_on:
                self.heard_on.setDate(QDate(revising.heard_on.year, revising.heard_on.month, revising.heard_on.day))
            self.members.clear()
            for u in members:
                item = QListWidgetItem(u.full_name)
                item.setData(Qt.ItemDataRole.UserRole, u.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if u.full_name in revising.members
                                   else Qt.CheckState.Unchecked)
                self.members.addItem(item)
        self._show_for_measures()
        # no fixed size: the dialog opens as high as its form (`FormDialog.wanted_size`). Opened at 720 px the
        # form spread the spare height over its rows, uneven gaps with each label far above its field

    def sanction(self) -> bool:
        """A measure of point 8B is ticked: the hearing record and the members' own logins decide."""
        return is_sanction(tuple(m for m, box in self.measure_boxes.items() if box.isChecked()))

    def _show_for_measures(self) -> None:
        """Only the fields the service reads for these measures. For a sanction the hearing record ('Horen…')
        says whether and when the candidate was heard, and the members are who confirm with their own login, so
        the old 'gehoord op' box and the members' list would be ignored there: hidden, with the reason for no
        hearing in their place. Otherwise the box is the only record of a hearing and the members are ticked."""
        sanction = self.sanction()
        for widget, shown in ((self.heard_row, not sanction), (self.members, not sanction),
                              (self.no_hearing, sanction)):
            widget.setVisible(shown)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(shown)
        self.sanction_hint.setText(
            "Een sanctie (maatregel van punt 8) besluit u samen met een tweede lid van de examencommissie, dat hier "
            "met de eigen inlog bevestigt. Of en wanneer de kandidaat is gehoord, komt uit 'Horen…'; is er niet "
            "gehoord, geef dan de reden (die komt in de brief)." if sanction else
            "Een tweede lid kan het besluit met de eigen inlog bevestigen; bij een sanctie is dat verplicht.")

    def values(self) -> DecisionInput:
        """What the dialog shows, nothing hidden: a sanction sends no 'gehoord' box, another decision no reason
        for no hearing (`_show_for_measures`)."""
        ids = tuple(checked_values(self.candidates)) if self.candidates is not None else ()
        sanction = self.sanction()
        heard = self.heard.isChecked() and not sanction
        return DecisionInput(
            candidate_ids=ids, decided_on=pydate(self.decided_on.date()), member_ids=tuple(checked_values(self.members)),
            measures=tuple(m for m, box in self.measure_boxes.items() if box.isChecked()),
            no_measure_reason=self.no_measure.text(), reasoning=self.reasoning.toPlainText(),
            heard=heard, heard_on=pydate(self.heard_on.date()) if heard else None,
            retake_scope=self.scope.currentData(), revision_reason=self.revision_reason.text(),
            no_hearing_reason=self.no_hearing.text() if sanction else "")

    def logins(self) -> tuple[SecondLogin, ...]:
        """The second member's own login, typed in this dialog (checked by the service when saving)."""
        return self.second.logins()
