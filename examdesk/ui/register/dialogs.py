"""Dialogs of the Register screen: instrument, supplier, adopt, a status step with a reason, route choice
and the commission's deviation from it (the bijlage-2 criteria are in `criteria_dialog.py`, the import in
`import_dialog.py`). Every dialog hands its input to the service and shows the service's Dutch refusal
inline, so nothing is lost on a mistake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from examdesk.domain.register import (
    INSTRUMENT_KINDS,
    ROUTE_LABELS,
    Assignments,
    Instrument,
    InstrumentDraft,
    Qualification,
    RouteChoice,
    RouteException,
    Supplier,
    SupplierDraft,
)
from examdesk.services.register import RegisterService
from examdesk.ui.common import hint_label
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import OptionalDate, date_edit, pydate
from examdesk.ui.register.models import supplier_label


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
            hint = hint_label("Een vastgesteld instrument: route, leverancier, versie en inhoud wijzigen kan pas nadat "
                          "het als gewijzigd is gemarkeerd.")
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
            history = hint_label("Certificaten: " + ", ".join(p.label for p in s.certificate_periods)
                             + ". Een nieuw certificaatnummer of andere datums bewaren het huidige certificaat in de "
                               "geschiedenis.")
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
        intro = QLabel(f"De examencommissie stelt <b>{escape(instrument.code)}</b> – {escape(instrument.title)} vast. "
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
        intro = QLabel(f"<b>{escape(qualification.crebo)} {escape(qualification.name)}</b> (niveau {qualification.niveau_label}) — "
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
        self.intro = QLabel(f"<b>{escape(instrument.code)}</b> – {escape(instrument.title)} (route {instrument.route}).<br>"
                            f"{escape(reason_needed)}<br>Leg vast waarom de examencommissie dit instrument in "
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
