"""Dialogs of the Register screen: instrument, supplier, adopt, a status step with a reason,
route choice, the bijlage-2 criteria of a route-2 instrument, the commission's deviation from the
route choice, and the import with its list of errors. Every dialog hands its input to the
service and shows the service's Dutch refusal inline, so nothing is lost on a mistake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.register import (
    INSTRUMENT_KINDS,
    ROUTE_LABELS,
    Assignments,
    Criterion,
    CriterionCheck,
    Instrument,
    InstrumentDraft,
    Qualification,
    RouteChoice,
    RouteException,
    Supplier,
    SupplierDraft,
    latest_checks,
)
from examdesk.domain.register_import import ImportIssue, ImportKind, ImportRefused
from examdesk.services.register import RegisterService
from examdesk.services.register_imports import ImportPlan, ImportResult
from examdesk.ui.dialogs import BaseDialog, FormDialog
from examdesk.ui.fields import OptionalDate, date_edit, pydate
from examdesk.ui.register.models import supplier_label
from examdesk.ui.table_model import RIGHT, Column, TableModel
from examdesk.ui.worker import run_in_background


class InstrumentDialog(FormDialog):
    def __init__(self, parent: QWidget | None, service: RegisterService, qualifications: list[Qualification],
                 suppliers: list[Supplier], instrument: Instrument | None = None, crebo: str = ""):
        super().__init__(parent, "Instrument bewerken" if instrument else "Nieuw exameninstrument")
        self.setMinimumWidth(520)
        self.service = service
        self.instrument = instrument
        today = service.today()
        i = instrument
        self.code = QLineEdit(i.code if i else "")
        self.title = QLineEdit(i.title if i else "")
        self.crebo = QLineEdit(i.crebo if i else crebo)
        self.crebo.setPlaceholderText("5 cijfers, of typ een deel van de naam")
        names = {q.crebo: q.name for q in qualifications}
        completer = QCompleter(QStringListModel([f"{q.crebo} {q.name}" for q in qualifications], self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda text: self.crebo.setText(text.split(" ", 1)[0]))
        self.crebo.setCompleter(completer)
        self.crebo_name = QLabel("")
        self.crebo_name.setObjectName("Hint")
        self.crebo.textChanged.connect(lambda t: self.crebo_name.setText(names.get(t.strip()[:5], "")))
        self.crebo_name.setText(names.get(self.crebo.text().strip(), ""))
        self.part = QLineEdit(i.part if i else "")
        self.part.setPlaceholderText("kerntaak of werkproces (B1-K1, B1-K1-W2) of generiek onderdeel")
        self.kind = QComboBox()
        self.kind.addItems(list(INSTRUMENT_KINDS))
        if i:
            self.kind.setCurrentText(i.kind)
        self.purpose = QComboBox()
        self.purpose.addItems(["summatief", "formatief"])
        self.purpose.setCurrentIndex(1 if i and i.formative else 0)
        self.route = QComboBox()
        for number, label in ROUTE_LABELS.items():
            self.route.addItem(label.capitalize(), number)
        self.route.setCurrentIndex((i.route - 1) if i else 0)
        self.supplier = QComboBox()
        self.supplier.addItem("— geen —", None)
        for s in suppliers:
            self.supplier.addItem(supplier_label(s, today), s.id)
        if i and i.supplier_id:
            self.supplier.setCurrentIndex(max(0, self.supplier.findData(i.supplier_id)))
        self.validator = QLineEdit(i.validator if i else "")
        self.validator.setPlaceholderText("aangewezen certificerende autoriteit")
        self.validation_date = OptionalDate("gevalideerd op", i.validation_date if i else None, today, today)
        self.purchased_on = OptionalDate("ingekocht op", i.purchased_on if i else None, today, today)
        self.purchased_on.setToolTip("Route 1: de inkoop moet binnen een certificaatperiode van de leverancier vallen.")
        self.assignments = QComboBox()
        for value in Assignments:
            self.assignments.addItem(value.label.capitalize(), value)
        self.assignments.setCurrentIndex(self.assignments.findData(i.assignments if i else Assignments.FIXED))
        self.assignments.setToolTip(
            "Vaste examenopdracht: een wijziging beëindigt de validiteit; opnieuw vaststellen alleen is niet genoeg.\n"
            "Door de school te vervangen: na het vervangen is het instrument onder voorbehoud tot de examencommissie "
            "het opnieuw vaststelt.")
        self.version = QLineEdit(i.version if i else "1")
        for label, widget in (("&Code", self.code), ("&Titel", self.title), ("&Kwalificatie (crebo)", self.crebo),
                              ("", self.crebo_name), ("&Onderdeel", self.part), ("&Soort", self.kind),
                              ("&Doel", self.purpose), ("&Route", self.route), ("Op&drachten", self.assignments),
                              ("&Leverancier", self.supplier), ("Inkoop", self.purchased_on),
                              ("&Externe validator", self.validator), ("Validatie", self.validation_date),
                              ("&Versie", self.version)):
            self.form.addRow(label, widget)
        self.route.currentIndexChanged.connect(self._route_changed)
        self._route_changed()
        if i is not None:
            hint = QLabel("Een vastgesteld instrument: route, leverancier, versie en inhoud wijzigen kan pas nadat "
                          "het als gewijzigd is gemarkeerd.")
            hint.setObjectName("Hint")
            hint.setWordWrap(True)
            self.layout_.insertWidget(1, hint)

    def _route_changed(self) -> None:
        route = self.route.currentData()
        self.supplier.setEnabled(route == 1)
        self.purchased_on.setEnabled(route == 1)
        self.validator.setEnabled(route == 3)
        self.validation_date.setEnabled(route == 3)

    def draft(self) -> InstrumentDraft:
        route = self.route.currentData()
        return InstrumentDraft(
            self.code.text(), self.title.text(), self.crebo.text().strip()[:6].strip(), self.part.text(),
            self.kind.currentText(), self.purpose.currentIndex() == 1, route,
            self.supplier.currentData() if route == 1 else None,
            self.validator.text() if route == 3 else "", self.validation_date.value() if route == 3 else None,
            self.version.text(), self.assignments.currentData(), self.purchased_on.value() if route == 1 else None)

    def submit(self) -> Instrument:
        if self.instrument is None:
            return self.service.add_instrument(self.draft())
        return self.service.update_instrument(self.instrument.id, self.draft())


class SupplierDialog(FormDialog):
    def __init__(self, parent: QWidget | None, service: RegisterService, supplier: Supplier | None = None):
        super().__init__(parent, "Leverancier bewerken" if supplier else "Nieuwe examenleverancier")
        self.setMinimumWidth(520)
        self.service = service
        self.supplier = supplier
        today = service.today()
        s = supplier
        self.name = QLineEdit(s.name if s else "")
        self.authority = QLineEdit(s.authority if s else "")
        self.number = QLineEdit(s.certificate_number if s else "")
        self.start = OptionalDate("vanaf", s.certified_from if s else None, today)
        self.end = OptionalDate("tot en met", s.certified_until if s else None, today.replace(year=today.year + 3)
                                if not (today.month == 2 and today.day == 29) else today)
        self.cooperative = QCheckBox("Dit is de Coöperatie Examens MBO: haar doelgroepenbeleid geldt voor deze "
                                     "producten")
        self.cooperative.setChecked(bool(s and s.cooperative))
        for label, widget in (("&Naam", self.name), ("Certificerende &instelling", self.authority),
                              ("&Certificaatnummer", self.number), ("Gecertificeerd", self.start), ("", self.end),
                              ("", self.cooperative)):
            self.form.addRow(label, widget)
        if s and s.certificate_periods:
            history = QLabel("Certificaten: " + ", ".join(p.label for p in s.certificate_periods)
                             + ". Een nieuw certificaatnummer of andere datums bewaren het huidige certificaat in de "
                               "geschiedenis.")
            history.setObjectName("Hint")
            history.setWordWrap(True)
            self.form.addRow("", history)

    def submit(self) -> Supplier:
        draft = SupplierDraft(self.name.text(), self.authority.text(), self.number.text(), self.start.value(),
                              self.end.value(), self.cooperative.isChecked())
        if self.supplier is None:
            return self.service.add_supplier(draft)
        return self.service.update_supplier(self.supplier.id, draft)


class AdoptDialog(FormDialog):
    """Vaststellen by the examencommissie: the date of the decision (not in the future) and its number."""

    def __init__(self, parent: QWidget | None, service: RegisterService, instrument: Instrument):
        super().__init__(parent, f"{instrument.code} vaststellen", ok_text="Vaststellen")
        self.setMinimumWidth(520)
        self.service = service
        self.instrument = instrument
        today = service.today()
        intro = QLabel(f"De examencommissie stelt <b>{instrument.code}</b> – {instrument.title} vast. "
                       "Het instrument is vanaf de datum van het besluit valide (als ook de route klopt).")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.on = date_edit(today, today)
        self.decision = QLineEdit()
        self.decision.setPlaceholderText("bijvoorbeeld EC-2026-014")
        self.form.addRow("&Datum besluit", self.on)
        self.form.addRow("&Besluitnummer", self.decision)

    def submit(self) -> Any:
        return self.service.adopt(self.instrument.id, pydate(self.on.date()), self.decision.text())


class StatusStepDialog(FormDialog):
    """A status step that needs a reason: marked changed, valid under reservation, withdrawn."""

    def __init__(self, parent: QWidget | None, service: RegisterService, instrument: Instrument, title: str,
                 intro: str, ok_text: str, action: Callable[[str, str, date], Any]):
        super().__init__(parent, title, ok_text=ok_text)
        self.setMinimumWidth(520)
        self.action = action
        self.instrument = instrument
        today = service.today()
        label = QLabel(intro)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.on = date_edit(today, today)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.form.addRow("&Datum", self.on)
        self.form.addRow("&Reden", self.reason)

    def submit(self) -> Any:
        return self.action(self.instrument.id, self.reason.toPlainText(), pydate(self.on.date()))


class RouteChoiceDialog(FormDialog):
    def __init__(self, parent: QWidget | None, service: RegisterService, qualification: Qualification,
                 school_year: str, current: RouteChoice | None):
        super().__init__(parent, f"Routekeuze {qualification.crebo} · {school_year}", ok_text="Vaststellen")
        self.setMinimumWidth(520)
        self.service = service
        self.qualification = qualification
        self.school_year = school_year
        today = service.today()
        intro = QLabel(f"<b>{qualification.crebo} {qualification.name}</b> (niveau {qualification.niveau_label}) — "
                       f"schooljaar {school_year}.<br>Route 1 (inkopen bij een gecertificeerde leverancier) is het "
                       "uitgangspunt. Leg bij elke keuze de afwegingen vast (bij route 2 of 3: waarom niet wordt "
                       "ingekocht); de keuze hoort vóór de start van het schooljaar.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        row = QWidget()
        routes = QHBoxLayout(row)
        routes.setContentsMargins(0, 0, 0, 0)
        self.routes: dict[int, QCheckBox] = {}
        for number in (1, 2, 3):
            box = QCheckBox(f"Route &{number}")
            box.setToolTip(ROUTE_LABELS[number])
            box.setChecked(current is not None and number in current.routes)
            self.routes[number] = box
            routes.addWidget(box)
        routes.addStretch(1)
        self.considerations = QPlainTextEdit(current.considerations if current else "")
        self.considerations.setTabChangesFocus(True)
        self.considerations.setFixedHeight(110)
        self.on = date_edit(current.adopted_on if current else today, today)
        self.form.addRow("Routes", row)
        self.form.addRow("&Afwegingen", self.considerations)
        self.form.addRow("Vastgesteld &op", self.on)

    def submit(self) -> RouteChoice:
        chosen = [n for n, box in self.routes.items() if box.isChecked()]
        return self.service.set_route_choice(self.qualification.crebo, self.school_year, chosen,
                                             self.considerations.toPlainText(), pydate(self.on.date()))


class CriteriaDialog(FormDialog):
    """The five criteria of bijlage 2 A and the expertise of 2 B for a route-2 instrument: per criterion
    met or not, who checked it, when, and a note. Each change is recorded as a new check (nothing is
    overwritten); the commission can adopt the instrument once all six are met."""

    def __init__(self, parent: QWidget | None, service: RegisterService, instrument: Instrument,
                 checks: list[CriterionCheck]):
        super().__init__(parent, f"Criteria bijlage 2 · {instrument.code}", ok_text="Vastleggen")
        self.setMinimumWidth(760)
        self.service = service
        self.instrument = instrument
        today = service.today()
        intro = QLabel(f"<b>{instrument.code}</b> – {instrument.title} (route 2, zelf geconstrueerd).<br>Vóór de "
                       "vaststelling legt u per criterium vast of het is voldaan, wie dat heeft getoetst, wanneer, en "
                       "waaruit het blijkt. Een nieuwe toetsing vervangt de vorige; de geschiedenis blijft bewaard.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        latest = latest_checks(checks, today)
        self.checked_by = QLineEdit(next(iter(latest.values())).checked_by if latest else "")
        self.checked_by.setPlaceholderText("naam en functie van wie toetste (bijvoorbeeld de vaststeller)")
        self.on = date_edit(today, today)
        self.form.addRow("Getoetst &door", self.checked_by)
        self.form.addRow("&Datum", self.on)
        self.rows: dict[Criterion, tuple[QComboBox, QLineEdit, dict[str, Any]]] = {}
        for criterion in Criterion:
            current = latest.get(criterion)
            state = QComboBox()
            state.addItem("— niet getoetst —", None)
            state.addItem("voldaan", True)
            state.addItem("niet voldaan", False)
            state.setCurrentIndex(0 if current is None else (1 if current.met else 2))
            note = QLineEdit(current.note if current else "")
            note.setPlaceholderText("waaruit blijkt het / wat ontbreekt")
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(state)
            line.addWidget(note, 1)
            label = QLabel(f"{criterion.value} {criterion.label}")
            label.setWordWrap(True)
            label.setToolTip(criterion.source)
            since = (f"laatst: {'voldaan' if current.met else 'niet voldaan'}, {format_date(current.checked_on)}, "
                     f"{current.checked_by}") if current else "nog niet getoetst"
            row.setToolTip(f"{criterion.source}\n\n{since}")
            self.form.addRow(label, row)
            self.rows[criterion] = (state, note, {"met": current.met if current else None,
                                                  "note": current.note if current else ""})

    def changed(self) -> list[tuple[Criterion, bool, str]]:
        """The criteria whose state or note the user changed (only those are recorded again)."""
        result = []
        for criterion, (state, note, before) in self.rows.items():
            met = state.currentData()
            if met is None:
                continue
            if met != before["met"] or note.text().strip() != before["note"]:
                result.append((criterion, bool(met), note.text()))
        return result

    def submit(self) -> list[CriterionCheck]:
        recorded = []
        for criterion, met, note in self.changed():
            recorded.append(self.service.record_criterion(self.instrument.id, criterion, met, self.checked_by.text(),
                                                          pydate(self.on.date()), note))
        return recorded


class RouteExceptionDialog(FormDialog):
    """The commission decides that an instrument may be used outside the route choice this school year
    (or before one is recorded); the reason is shown wherever the instrument is planned."""

    def __init__(self, parent: QWidget | None, service: RegisterService, instrument: Instrument, school_year: str,
                 current: RouteException | None, reason_needed: str):
        super().__init__(parent, f"Afwijking routekeuze · {instrument.code} · {school_year}", ok_text="Vastleggen")
        self.setMinimumWidth(520)
        self.service = service
        self.instrument = instrument
        self.school_year = school_year
        today = service.today()
        self.intro = QLabel(f"<b>{instrument.code}</b> – {instrument.title} (route {instrument.route}).<br>"
                            f"{_escape(reason_needed)}<br>Leg vast waarom de examencommissie dit instrument in "
                            f"schooljaar {school_year} toch laat inzetten; het besluit staat daarna bij elke afname "
                            "ermee.")
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.reason = QPlainTextEdit(current.reason if current else "")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(100)
        self.on = date_edit(current.decided_on if current else today, today)
        self.form.addRow("&Reden", self.reason)
        self.form.addRow("Besluit &van", self.on)

    def submit(self) -> RouteException:
        return self.service.set_route_exception(self.instrument.id, self.school_year, self.reason.toPlainText(),
                                                pydate(self.on.date()))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


IMPORT_KINDS: list[tuple[ImportKind, str]] = [
    (ImportKind.QUALIFICATIONS, "Kwalificaties en mbo-certificaten (crebolijst)"),
    (ImportKind.SUPPLIERS, "Examenleveranciers"),
    (ImportKind.INSTRUMENTS, "Exameninstrumenten"),
]


class ImportDialog(BaseDialog):
    """Choose a file, see what it would do and every error (row, column, what is wrong), then import —
    the whole file, or, only when the user ticks it, just the valid rows."""

    def __init__(self, parent: QWidget | None, service: RegisterService):
        super().__init__(parent, "Importeren in het register")
        self.service = service
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.setMinimumSize(760, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        for kind, label in IMPORT_KINDS:
            self.kind.addItem(label, kind)
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("CSV (; , of tab) of XLSX")
        browse = QPushButton("&Bladeren…")
        browse.clicked.connect(self._browse)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow("&Soort", self.kind)
        form.addRow("&Bestand", file_row)
        layout.addLayout(form)
        check_row = QHBoxLayout()
        self.check_button = QPushButton("&Controleren")
        self.check_button.clicked.connect(self.check)
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        layout.addLayout(check_row)
        self.summary = QLabel("Kies een bestand en controleer het; er wordt nog niets opgeslagen.")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.issues_model: TableModel[ImportIssue] = TableModel([
            Column("Rij", lambda i: i.row, sort_key=lambda i: i.row, align=RIGHT),
            Column("Kolom", lambda i: i.column),
            Column("Wat is er mis", lambda i: i.message),
        ], self)
        self.issues = QTableView()
        self.issues.setModel(self.issues_model)
        self.issues.verticalHeader().setVisible(False)
        self.issues.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.issues.setWordWrap(True)
        layout.addWidget(self.issues, 1)
        self.valid_only = QCheckBox("Alleen de &geldige rijen importeren (rijen met fouten worden overgeslagen)")
        self.valid_only.setEnabled(False)
        self.valid_only.toggled.connect(self._update_buttons)
        layout.addWidget(self.valid_only)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("&Importeren", QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.run)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._reset)
        self.path.textChanged.connect(self._reset)
        self._update_buttons()

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Bestand kiezen", str(Path.home()),
                                              "Spreadsheets (*.csv *.txt *.xlsx);;Alle bestanden (*)")
        if name:
            self.path.setText(name)
            self.check()

    def _reset(self) -> None:
        self.plan = None
        self.issues_model.set_rows([])
        self.valid_only.setChecked(False)
        self.valid_only.setEnabled(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        ready = plan is not None and not plan.fatal and (plan.ok or (self.valid_only.isChecked() and plan.valid_rows))
        self.import_button.setEnabled(bool(ready))
        self.import_button.setDefault(bool(ready))

    def check(self) -> None:
        text = self.path.text().strip()
        if not text:
            self._show_error("Kies eerst een bestand.")
            return
        try:
            plan = self.service.check_import(self.kind.currentData(), Path(text))
        except ExamDeskError as exc:
            self._reset()
            self._show_error(exc.message)
            return
        self.plan = plan
        self.issues_model.set_rows(plan.issues)
        self.issues.resizeColumnToContents(0)
        self.issues.resizeColumnToContents(1)
        if plan.fatal:
            self.summary.setText(f"{plan.path.name} kan niet worden geïmporteerd: zie de fouten hieronder.")
        elif plan.ok:
            self.summary.setText(f"{plan.summary} Het bestand is in orde.")
        else:
            count = len(plan.issues)
            self.summary.setText(f"{plan.summary} {count} {'fout' if count == 1 else 'fouten'}: zonder uw keuze "
                                 "wordt het bestand als geheel geweigerd.")
        self.summary.setObjectName("ErrorText" if plan.issues else "")
        self.summary.style().polish(self.summary)
        self.valid_only.setEnabled(bool(plan.issues) and not plan.fatal and plan.valid_rows > 0)
        self.valid_only.setText(f"Alleen de &geldige rijen importeren ({plan.valid_rows} van {plan.rows}; "
                                f"{plan.bad_rows} {'rij' if plan.bad_rows == 1 else 'rijen'} met fouten "
                                "worden overgeslagen)")
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setObjectName("ErrorText")
        self.summary.style().polish(self.summary)

    def run(self) -> None:
        if self.plan is None:
            return
        kind, path, valid_only = self.kind.currentData(), self.plan.path, self.valid_only.isChecked()
        self.import_button.setEnabled(False)
        run_in_background(self, lambda: self.service.run_import(kind, path, valid_only), self._done, self._failed,
                          "Importeren…")

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ImportRefused):
            self.issues_model.set_rows(exc.issues)
        if isinstance(exc, ExamDeskError):
            self._show_error(exc.message)
            self._update_buttons()
            return
        raise exc


def choose_export_file(parent: QWidget | None, today: date) -> Path | None:
    name, chosen = QFileDialog.getSaveFileName(
        parent, "Register exporteren", str(Path.home() / f"instrumentenregister-{today.isoformat()}.xlsx"),
        "Excel-werkmap (*.xlsx);;CSV voor Excel (*.csv)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    return path


def describe_choice(choice: RouteChoice | None, school_year: str) -> str:
    if choice is None:
        return f"Geen routekeuze voor {school_year}."
    return (f"Routekeuze {school_year}: route {choice.routes_label} — vastgesteld door {choice.adopted_by} op "
            f"{format_date(choice.adopted_on)}.")
