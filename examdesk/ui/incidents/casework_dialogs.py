"""The commission's case dialogs (issue 13): an incident found afterwards, a hearing, evidence, the appeal and its
ruling, a second member's login, and a candidate's history. Each submits through the casework service and stays
open with the Dutch message when it refuses, so nothing typed is lost (`ui.dialogs.FormDialog`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.casework import (
    APPEAL_OUTCOMES,
    ATTACHMENT_LIMIT,
    FOUND_HOW,
    HEARING_OUTCOMES,
    INVITE_HOW,
    FoundIncidentInput,
    HearingInput,
    HistoryItem,
    SecondLogin,
)
from examdesk.domain.catalogue import Catalogue
from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import MEASURE_LABELS, Decision, DecisionInput, Measure
from examdesk.services.casework import read_evidence_file
from examdesk.ui.common import elide_headers
from examdesk.ui.dialogs import BaseDialog, FormDialog
from examdesk.ui.fields import checked_values, checklist, date_edit, pydate
from examdesk.ui.save_dialog import ask_open_path


def _multiline(placeholder: str, height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(height)
    return edit


def _combo(items: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, label in items.items():
        box.addItem(label, key)
    return box


class SecondLoginBox(QWidget):
    """A further commission member confirms with their own user name and password — never a name picked from a
    list. The service checks the login (with the lockout) when the decision is saved."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.username = QLineEdit()
        self.username.setPlaceholderText("gebruikersnaam tweede lid")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("wachtwoord")
        row.addWidget(self.username, 1)
        row.addWidget(self.password, 1)

    def logins(self) -> tuple[SecondLogin, ...]:
        if not self.username.text().strip() and not self.password.text():
            return ()
        return (SecondLogin(self.username.text().strip(), self.password.text()),)


class FoundIncidentDialog(FormDialog):
    """An incident that came to light after the session: the session, what, when it came to light, how and who
    reported it, and the candidates."""

    def __init__(self, parent: QWidget | None, catalogue: Catalogue, sessions: list[tuple[str, str]],
                 roster_of: Callable[[str], list[tuple[int, str]]], today: date,
                 submit: Callable[[str, FoundIncidentInput], Any], exam_kind: str = "centraal",
                 only_letters: frozenset[str] | None = None):
        super().__init__(parent, "Incident achteraf vastleggen", ok_text="Vastleggen",
                         intro="Een incident dat pas na de afname aan het licht kwam (een melding van een docent, een "
                               "controle van de resultaten …). Het komt op de desk en op het procesverbaal als "
                               "'achteraf vastgesteld'.",
                         submit=lambda: submit(self.session.currentData() or "", self.values()))
        self.roster_of = roster_of
        self.session = QComboBox()
        for session_id, label in sessions:
            self.session.addItem(label, session_id)
        self.category = QComboBox()
        for c in catalogue.categories:       # the examenbureau: only administrative faults (`only_letters`)
            if not c.sets_status and (only_letters is None
                                      or catalogue.route(c.code, exam_kind).letter in only_letters):
                self.category.addItem(c.label, c.code)
        self.found_on = date_edit(today, maximum=today)
        self.found_how = _combo(FOUND_HOW)
        self.reported_by = QLineEdit()
        self.reported_by.setPlaceholderText("naam en functie van wie het meldde")
        self.all_candidates = QCheckBox("alle kandidaten van de afname")
        self.candidates = checklist([], set())
        self.what = _multiline("Wat is er vastgesteld? (verplicht)")
        self.was_done = _multiline("Wat is er al gedaan? (optioneel)", 60)
        self.form.addRow("Afname", self.session)
        self.form.addRow("Categorie", self.category)
        self.form.addRow("Aan het licht op", self.found_on)
        self.form.addRow("Hoe", self.found_how)
        self.form.addRow("Gemeld door", self.reported_by)
        self.form.addRow("Kandidaten", self.all_candidates)
        self.form.addRow("", self.candidates)
        self.form.addRow("Wat", self.what)
        self.form.addRow("Gedaan", self.was_done)
        self.session.currentIndexChanged.connect(self._fill_roster)
        self._fill_roster()
        self.resize(640, 620)

    def _fill_roster(self) -> None:
        self.candidates.clear()
        session_id = self.session.currentData()
        fresh = checklist(self.roster_of(session_id) if session_id else [], set())
        while fresh.count():
            self.candidates.addItem(fresh.takeItem(0))

    def values(self) -> FoundIncidentInput:
        return FoundIncidentInput(
            self.category.currentData() or "", pydate(self.found_on.date()), self.found_how.currentData(),
            self.reported_by.text(), self.what.toPlainText(), tuple(checked_values(self.candidates)),
            self.all_candidates.isChecked(), self.was_done.toPlainText())


class HearingDialog(FormDialog):
    """*Hoor en wederhoor*: the invitation, then the hearing, or that the candidate waived it or did not come."""

    def __init__(self, parent: QWidget | None, candidates: list[tuple[int, str]], me: str, today: date,
                 submit: Callable[[HearingInput], Any]):
        super().__init__(parent, "Horen vastleggen", ok_text="Vastleggen", submit=lambda: submit(self.values()))
        self.candidate = QComboBox()
        for cid, name in candidates:
            self.candidate.addItem(name, cid)
        self.invited_on = date_edit(today, maximum=today)
        self.invited_how = _combo(INVITE_HOW)
        self.outcome_buttons: dict[str, QRadioButton] = {}
        outcome = QWidget()
        box = QVBoxLayout(outcome)
        box.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(self)
        for key, label in HEARING_OUTCOMES.items():
            button = QRadioButton(f"De kandidaat {label}" if key != "gehoord" else "De kandidaat is gehoord")
            group.addButton(button)
            box.addWidget(button)
            self.outcome_buttons[key] = button
        self.outcome_buttons["gehoord"].setChecked(True)
        self.held_on = date_edit(today)
        self.heard_by = QLineEdit(me)
        self.heard_by.setPlaceholderText("namen, gescheiden door komma's")
        self.account = _multiline("Het verhaal van de kandidaat, in de eigen woorden van de kandidaat", 110)
        self.representative = QLineEdit()
        self.representative.setPlaceholderText("naam en hoedanigheid, als er een vertegenwoordiger bij was")
        self.interpreter = QLineEdit()
        self.interpreter.setPlaceholderText("naam, als er een tolk bij was")
        self.form.addRow("Kandidaat", self.candidate)
        self.form.addRow("Uitgenodigd op", self.invited_on)
        self.form.addRow("Uitgenodigd", self.invited_how)
        self.form.addRow("Uitkomst", outcome)
        self.form.addRow("Datum horen", self.held_on)
        self.form.addRow("Gehoord door", self.heard_by)
        self.form.addRow("Verhaal", self.account)
        self.form.addRow("Vertegenwoordiger", self.representative)
        self.form.addRow("Tolk", self.interpreter)
        for button in self.outcome_buttons.values():
            button.toggled.connect(self._toggle)
        self._toggle()
        self.resize(640, 600)

    def outcome(self) -> str:
        return next(k for k, b in self.outcome_buttons.items() if b.isChecked())

    def _toggle(self) -> None:
        heard = self.outcome() == "gehoord"
        for widget, on in ((self.held_on, self.outcome() != "afgezien"), (self.heard_by, heard),
                           (self.account, heard), (self.representative, heard), (self.interpreter, heard)):
            widget.setVisible(on)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(on)

    def values(self) -> HearingInput:
        out = self.outcome()
        heard = out == "gehoord"
        return HearingInput(
            self.candidate.currentData(), pydate(self.invited_on.date()), self.invited_how.currentData(), out,
            pydate(self.held_on.date()) if out != "afgezien" else None,
            tuple(n for n in self.heard_by.text().split(",")) if heard else (),
            self.account.toPlainText() if heard else "", self.representative.text() if heard else "",
            self.interpreter.text() if heard else "")


class EvidenceDialog(FormDialog):
    """A photo, screenshot, scan or e-mail as PDF, attached to the incident or one of its hearings."""

    def __init__(self, parent: QWidget | None, hearings: list[tuple[int, str]],
                 submit: Callable[[str, bytes, str, int | None], Any]):
        super().__init__(parent, "Bewijsstuk toevoegen", ok_text="Toevoegen", submit=lambda: submit(*self.values()),
                         intro=f"PNG, JPEG of PDF, hoogstens {ATTACHMENT_LIMIT // 1024 // 1024} MB. Het bestand wordt "
                               "in ExamDesk bewaard met zijn SHA-256; het soort bestand wordt aan de inhoud "
                               "gecontroleerd, niet aan de naam.")
        self.path = QLineEdit()
        self.path.setPlaceholderText("kies een bestand")
        choose = QPushButton("Kiezen…")
        choose.clicked.connect(self._choose)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(choose)
        self.hearing = QComboBox()
        self.hearing.addItem("het incident", None)
        for hearing_id, label in hearings:
            self.hearing.addItem(label, hearing_id)
        self.description = QLineEdit()
        self.description.setPlaceholderText("wat het stuk laat zien")
        self.form.addRow("Bestand", row)
        self.form.addRow("Hoort bij", self.hearing)
        self.form.addRow("Omschrijving", self.description)
        self.resize(600, 280)

    def _choose(self) -> None:
        path, _ = ask_open_path(self, "Bewijsstuk kiezen", "Afbeeldingen en PDF (*.png *.jpg *.jpeg *.pdf);;"
                                                           "Alle bestanden (*)")
        if path:
            self.path.setText(path)

    def values(self) -> tuple[str, bytes, str, int | None]:
        if not self.path.text().strip():
            raise ValidationError("Kies het bestand dat u wilt toevoegen.")
        name, content = read_evidence_file(Path(self.path.text().strip()))   # bounded by the limit
        return name, content, self.description.text(), self.hearing.currentData()


class AppealDialog(FormDialog):
    """An appeal lodged against a current decision: date, by whom, and — after the term — the reason it was taken
    up. The term is shown as counted from the letter's send date."""

    def __init__(self, parent: QWidget | None, decisions: list[tuple[Decision, str]], today: date,
                 submit: Callable[[str, date, str, str], Any]):
        super().__init__(parent, "Beroep ingesteld", ok_text="Vastleggen", submit=lambda: submit(
            self.decision.currentData(), pydate(self.lodged_on.date()), self.lodged_by.text(),
            self.late_reason.text()))
        self.decision = QComboBox()
        for d, term in decisions:
            self.decision.addItem(f"Besluit {d.number} · {d.candidate_name} · {d.summary} — {term}", d.id)
        self.lodged_on = date_edit(today, maximum=today)
        self.lodged_by = QLineEdit()
        self.lodged_by.setPlaceholderText("de kandidaat, of naam en hoedanigheid van een vertegenwoordiger")
        self.late_reason = QLineEdit()
        self.late_reason.setPlaceholderText("alleen na de termijn: waarom het toch in behandeling is genomen")
        self.form.addRow("Besluit", self.decision)
        self.form.addRow("Ingesteld op", self.lodged_on)
        self.form.addRow("Door", self.lodged_by)
        self.form.addRow("Buiten de termijn", self.late_reason)
        self.resize(640, 260)


class AppealOutcomeDialog(FormDialog):
    """The commissie van beroep's hearing date and ruling; a changed decision is recorded as a new decision (a
    sanction with a second member's login), which supersedes the old one."""

    def __init__(self, parent: QWidget | None, appeal_label: str, allowed: tuple[str, ...], today: date,
                 submit: Callable[[date | None, str, date, str, DecisionInput | None, tuple[SecondLogin, ...]], Any]):
        super().__init__(parent, "Uitspraak in beroep", ok_text="Vastleggen", submit=lambda: submit(*self.values()))
        self.hearing_known = QCheckBox("zitting gehouden op")
        self.hearing_on = date_edit(today, maximum=today)
        hearing = QWidget()
        row = QHBoxLayout(hearing)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hearing_known)
        row.addWidget(self.hearing_on)
        row.addStretch(1)
        self.outcome = _combo(APPEAL_OUTCOMES)
        self.decided_on = date_edit(today, maximum=today)
        self.note = _multiline("De uitspraak, samengevat (verplicht bij vernietigen of wijzigen)", 70)
        self.measures: dict[str, QCheckBox] = {}
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        for m in allowed:
            self.measures[m] = QCheckBox(MEASURE_LABELS[Measure(m)])
            column.addWidget(self.measures[m])
        self.measure_box = box
        self.reasoning = _multiline("Motivering van het gewijzigde besluit", 60)
        self.second = SecondLoginBox()
        self.form.addRow("Beroep", QLabel(appeal_label))
        self.form.addRow("Zitting", hearing)
        self.form.addRow("Uitspraak", self.outcome)
        self.form.addRow("Datum uitspraak", self.decided_on)
        self.form.addRow("Samenvatting", self.note)
        self.form.addRow("Nieuwe maatregel", box)
        self.form.addRow("Motivering", self.reasoning)
        self.form.addRow("Tweede lid", self.second)
        self.outcome.currentIndexChanged.connect(self._toggle)
        self._toggle()
        self.resize(640, 600)

    def _toggle(self) -> None:
        changed = self.outcome.currentData() == "gewijzigd"
        for widget in (self.measure_box, self.reasoning, self.second):
            widget.setVisible(changed)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(changed)

    def values(self) -> tuple[date | None, str, date, str, DecisionInput | None, tuple[SecondLogin, ...]]:
        outcome = self.outcome.currentData()
        decided = pydate(self.decided_on.date())
        new = None
        if outcome == "gewijzigd":
            new = DecisionInput((), decided, (), tuple(m for m, c in self.measures.items() if c.isChecked()),
                                reasoning=self.reasoning.toPlainText())
        return (pydate(self.hearing_on.date()) if self.hearing_known.isChecked() else None, outcome, decided,
                self.note.toPlainText(), new, self.second.logins() if outcome == "gewijzigd" else ())


class HistoryDialog(BaseDialog):
    """A candidate's history across sessions, in time order (reading it is audited by the service, per candidate
    chosen)."""

    def __init__(self, parent: QWidget | None, candidates: list[tuple[int, str]],
                 read: Callable[[int], list[HistoryItem]]):
        super().__init__(parent, "Dossiergeschiedenis")
        self.read = read
        layout = QVBoxLayout(self)
        intro = QLabel("Elk incident, horen, besluit en beroep van de kandidaat, over alle afnames, op volgorde van "
                       "tijd. Het inzien wordt vastgelegd in het auditlogboek.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.candidate = QComboBox()
        for cid, name in candidates:
            self.candidate.addItem(name, cid)
        layout.addWidget(self.candidate)
        self.table = elide_headers(QTableWidget(0, 4))
        self.table.setHorizontalHeaderLabels(["Datum", "Soort", "Afname", "Wat"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setColumnWidth(0, 90)
        self.table.setColumnWidth(2, 170)
        layout.addWidget(self.table, 1)
        close = QPushButton("Sluiten")
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.candidate.currentIndexChanged.connect(self.show_history)
        self.show_history()
        self.resize(860, 420)

    def show_history(self) -> None:
        cid = self.candidate.currentData()
        items = self.read(cid) if cid is not None else []
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            for column, value in enumerate((format_date(item.on), item.what, item.session_title, item.text)):
                self.table.setItem(row, column, QTableWidgetItem(value))
