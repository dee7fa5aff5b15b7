"""The small forms of session mode. Each opens over the session, Enter saves, Escape cancels, and a
refusal is shown inside the form (which stays open) so nothing typed is lost.
(Over 400 lines: the forms' one large-type style and keyboard rhythm, and the incident form with its draft,
its category search and its lists fitted to their entries, read together.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontInfo, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.catalogue import Category
from examdesk.domain.clock import format_time, from_iso, to_iso
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.sessions import CandidateState, IncidentInput, SessionState
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.common import wrap_lines
from examdesk.ui.dialogs import FormDialog
from examdesk.ui.fields import select_on_focus
from examdesk.ui.house_style import house_spin
from examdesk.ui.style import ACCENT, NOTE, WARN, WHITE, scaled

FORM_STYLE = f"""
QDialog {{ background: {WHITE}; }}
QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QComboBox, QListWidget, QCheckBox, QRadioButton, QPushButton {{ font-size: 15pt; }}
QLabel#FormTitle {{ font-size: 20pt; font-weight: bold; }}
QLabel#FormError {{ color: {WARN}; font-weight: bold; }}
QLabel#Route {{ font-size: 15pt; font-weight: bold; color: {ACCENT}; }}
QLabel#RouteSerious {{ font-size: 15pt; font-weight: bold; color: {WARN}; }}
QLabel#Note {{ color: {NOTE}; font-size: 12pt; }}
QListWidget::item:selected {{ background: {ACCENT}; color: {WHITE}; }}
"""
# A check or radio box as large as the form's text: the house style's '1.15em' is reckoned from the application's
# font, not the form's 15 pt, and left them some 14 px beside 24 px text; a style sheet takes no points for a
# width. So the box is sized in pixels from the form's own text once its style is applied (`_boxes_as_text`).
INDICATOR_EM = 1.15
INDICATOR_STYLE = """
QCheckBox::indicator, QRadioButton::indicator, QAbstractItemView::indicator {{ width: {px}px; height: {px}px; }}
QAbstractItemView::item {{ padding: 2px 4px 2px 0px; }}
"""


class EnterTextEdit(QPlainTextEdit):
    """Multi-line text where Enter saves the form and Shift+Enter starts a new line (Tab moves on, as in
    every dialog)."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class TimeField(QLineEdit):
    """'hh:mm', prefilled with the moment the form opened; left as it is, that exact moment counts."""

    def __init__(self, moment: datetime, parent: QWidget | None = None):
        super().__init__(format_time(moment), parent)
        self.moment = moment
        self.setMaximumWidth(120)
        self.setInputMask("99:99")
        select_on_focus(self)   # the whole time is selected on arrival, so typed digits replace it at once

    def value(self) -> datetime:
        if self.text() == format_time(self.moment):
            return self.moment
        return SessionModeService.parse_time(self.text(), self.moment)

    def set_moment(self, moment: datetime) -> None:
        """A restored moment (a draft's): shown, and counted exactly when left as it is."""
        self.moment = moment
        self.setText(format_time(moment))


class SessionForm(FormDialog):
    """A form over session mode: its title large, Annuleren (Esc) / Opslaan (⏎), and Enter saves from any
    field (the invigilator's keyboard rhythm). `save` returns the sentence for the status line; a sentence
    starting with '!' is shown as a warning."""

    def __init__(self, parent: QWidget | None, title: str, save: Callable[[], str]):
        super().__init__(parent, title, ok_text="Opslaan (⏎)", cancel_text="Annuleren (Esc)", submit=save)
        self.setStyleSheet(scaled(FORM_STYLE, large_type=True))
        self._boxes_as_text()
        heading = QLabel(title)
        heading.setObjectName("FormTitle")
        self.layout_.insertWidget(0, heading)
        self.form.setVerticalSpacing(12)
        self.error.setObjectName("FormError")
        self.setMinimumWidth(720)

    def _boxes_as_text(self) -> None:
        """The check and radio boxes `INDICATOR_EM` of the form's text high (see INDICATOR_STYLE)."""
        text = QLabel(self)                   # a label of the form: its 15 pt (scaled) as drawn on this screen
        text.hide()                           # never drawn, gone with the next turn of the event loop
        text.ensurePolished()
        px = round(INDICATOR_EM * QFontInfo(text.font()).pixelSize())
        text.deleteLater()
        self.setStyleSheet(self.styleSheet() + INDICATOR_STYLE.format(px=px))

    @property
    def result_message(self) -> str:
        return self.result_value or ""

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        """Centred on the screen session mode fills."""
        super().showEvent(event)
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            self.move(available.left() + (available.width() - self.width()) // 2,
                      available.top() + (available.height() - self.height()) // 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.ok()
            return
        super().keyPressEvent(event)


def candidate_label(c: CandidateState) -> str:
    return f"{c.entry.workstation:02d}  {c.entry.name}"


class CandidateField(QWidget):
    """Workstation number typed (or taken from the table selection), with the name shown beside it."""

    def __init__(self, state: SessionState, preset: CandidateState | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.number = house_spin(QSpinBox())
        self.number.setRange(0, 999)
        self.number.setSpecialValueText("—")
        self.number.setPrefix("pc ")
        self.name = QLabel("")
        row.addWidget(self.number)
        row.addWidget(self.name, 1)
        self.number.valueChanged.connect(self._show)
        self.number.setValue(preset.entry.workstation if preset else 0)
        self._show()

    def _show(self) -> None:
        c = self.candidate()
        self.name.setText(f"{c.entry.name} — {c.status_label}" if c else "kies het nummer van de werkplek")

    def candidate(self) -> CandidateState | None:
        return next((c for c in self.state.candidates if c.entry.workstation == self.number.value()), None)

    def candidate_id(self) -> int:
        c = self.candidate()
        if c is None:
            raise ExamDeskError("Kies de werkplek van de kandidaat.")
        return c.candidate_id


class IncidentDialog(SessionForm):
    """F2: time, category (type to filter; the handling route shows at once), candidates, duration,
    what happened, what was done. What is typed is kept as a draft every second."""

    def __init__(self, parent: QWidget | None, service: SessionModeService, state: SessionState,
                 now: datetime, selected: list[int], category: Category | None = None,
                 correcting: str | None = None,
                 correcting_as: IncidentInput | None = None):
        """`correcting`: the id of the incident registration to correct, `correcting_as` what it says now."""
        self.service = service
        self.state = state
        self.correcting = correcting
        title = "Incident corrigeren" if correcting is not None else "Incident"
        super().__init__(parent, title, self._do_save)
        self.catalogue = service.catalogue
        self.time = TimeField(correcting_as.occurred_at if correcting_as and correcting_as.occurred_at else now)
        self.duration = house_spin(QSpinBox())
        self.duration.setRange(0, 600)
        self.duration.setSuffix(" min")
        self.duration.setSpecialValueText("—")
        top = QHBoxLayout()
        top.setSpacing(10)                    # "Duur" apart from its field, as every label in the form
        top.addWidget(self.time)
        top.addSpacing(20)
        duration_label = QLabel("Duur")
        duration_label.setBuddy(self.duration)
        top.addWidget(duration_label)
        top.addWidget(self.duration)
        top.addStretch(1)
        self.form.addRow("Tijd", top)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("typ om te zoeken: onwel, stroom, telefoon, …")
        self.categories = wrap_lines(QListWidget())
        self.route = QLabel("")
        self.route.setWordWrap(True)
        self.note = QLabel("")
        self.note.setObjectName("Note")
        self.note.setWordWrap(True)
        self.note.setMinimumHeight(70)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout()
        box.addWidget(self.filter)
        box.addWidget(self.categories)
        box.addWidget(self.route)
        box.addWidget(self.note)
        self.form.addRow("Categorie", box)

        self.all = QCheckBox("alle kandidaten")
        self.people = wrap_lines(QListWidget())
        for c in state.candidates:
            item = QListWidgetItem(candidate_label(c))
            item.setData(Qt.ItemDataRole.UserRole, c.candidate_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.candidate_id in selected else Qt.CheckState.Unchecked)
            self.people.addItem(item)
        fit_rows(self.people, LIST_ROWS)
        people_box = QVBoxLayout()
        people_box.addWidget(self.all)
        people_box.addWidget(self.people)
        self.form.addRow("Kandidaten", people_box)

        self.happened = EnterTextEdit()
        self.happened.setFixedHeight(80)
        self.done_ = EnterTextEdit()
        self.done_.setFixedHeight(80)
        self.happened.submitted.connect(self.ok)
        self.done_.submitted.connect(self.ok)
        self.form.addRow("Wat gebeurde er?", self.happened)
        self.form.addRow("Wat is gedaan?", self.done_)
        hint = QLabel("Enter slaat op · Shift+Enter nieuwe regel · ↑↓ kiest de categorie · spatie vinkt een "
                      "kandidaat aan")
        hint.setObjectName("Note")
        hint.setWordWrap(True)
        self.layout_.insertWidget(self.layout_.count() - 1, hint)

        self.filter.textChanged.connect(self._filter)
        self.categories.currentItemChanged.connect(self._show_route)
        self.all.toggled.connect(lambda on: self.people.setEnabled(not on))
        self.filter.installEventFilter(self)
        self._filter("")
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(1000)
        self._draft_timer.timeout.connect(self._keep_draft)
        self.restored_draft = False

        if correcting_as is not None:
            self._load({"category": correcting_as.category, "all_candidates": correcting_as.all_candidates,
                        "candidate_ids": list(correcting_as.candidate_ids),
                        "duration_minutes": correcting_as.duration_minutes,
                        "what_happened": correcting_as.what_happened, "what_was_done": correcting_as.what_was_done})
        elif category is not None:
            self._select(category.code)
        else:
            draft = service.draft()
            if draft:
                self._load(draft)
                self.restored_draft = True
                self.show_error("Concept hersteld: wat u eerder typte is teruggezet.")
        for widget in (self.happened, self.done_):
            widget.textChanged.connect(self._draft_timer.start)
        self.time.textChanged.connect(self._draft_timer.start)
        self.duration.valueChanged.connect(self._draft_timer.start)
        self.all.toggled.connect(self._draft_timer.start)
        self.people.itemChanged.connect(self._draft_timer.start)
        self.filter.textChanged.connect(self._draft_timer.start)
        self.categories.currentItemChanged.connect(self._draft_timer.start)
        self.setMinimumWidth(900)
        self.resize(900, 860)  # fitted to a smaller screen when shown
        self.first_field = self.filter

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_lists)     # a new width wraps the entries anew

    def _fit_lists(self) -> None:
        for view in (self.categories, self.people):
            fit_rows(view, LIST_ROWS)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 (Qt API)
        """Up and down in the search field move through the categories."""
        if obj is self.filter and event.type() == event.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down):
            row = self.categories.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            if 0 <= row < self.categories.count():
                self.categories.setCurrentRow(row)
            return True
        return super().eventFilter(obj, event)

    def _filter(self, text: str) -> None:
        current = self.current_code()
        self.categories.clear()
        for c in self.catalogue.search(text):
            item = QListWidgetItem(c.label)
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            self.categories.addItem(item)
        if self.categories.count():
            codes = [self.categories.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.categories.count())]
            self.categories.setCurrentRow(codes.index(current) if current in codes and text else 0)
        else:
            self._show_route(None)
        fit_rows(self.categories, LIST_ROWS)

    def _select(self, code: str) -> None:
        self.filter.setText("")
        for i in range(self.categories.count()):
            if self.categories.item(i).data(Qt.ItemDataRole.UserRole) == code:
                self.categories.setCurrentRow(i)

    def current_code(self) -> str:
        item = self.categories.currentItem() if hasattr(self, "categories") else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def _show_route(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            self.route.setText("Geen categorie gevonden: typ iets anders, of kies 'Overige onregelmatigheid'.")
            self.note.setText("")
            return
        route = self.catalogue.route(item.data(Qt.ItemDataRole.UserRole), self.state.plan.exam_kind)
        self.route.setText(route.sentence)
        self.route.setObjectName("RouteSerious" if route.handler != "examencommissie" or route.serious
                                 else "Route")
        self.route.setStyleSheet("")
        self.route.style().unpolish(self.route)
        self.route.style().polish(self.route)
        category = self.catalogue.get(item.data(Qt.ItemDataRole.UserRole))
        self.note.setText(route.note or category.description)

    def _load(self, d: dict[str, Any]) -> None:
        if d.get("category"):
            self._select(d["category"])
        ids = set(d.get("candidate_ids", []))
        self.all.setChecked(bool(d.get("all_candidates")))
        for i in range(self.people.count()):
            item = self.people.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in ids:
                item.setCheckState(Qt.CheckState.Checked)
        if d.get("duration_minutes"):
            self.duration.setValue(int(d["duration_minutes"]))
        if d.get("occurred_at"):
            try:
                self.time.set_moment(from_iso(d["occurred_at"]))   # the time typed, not the restart's
            except ValueError:
                pass
        self.happened.setPlainText(d.get("what_happened", ""))
        self.done_.setPlainText(d.get("what_was_done", ""))

    def values(self) -> dict[str, Any]:
        try:
            occurred: str | None = to_iso(self.time.value())
        except ExamDeskError:
            occurred = None      # half typed: the draft keeps the rest
        return {
            "occurred_at": occurred,
            "category": self.current_code(),
            "all_candidates": self.all.isChecked(),
            "candidate_ids": [self.people.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.people.count())
                              if self.people.item(i).checkState() == Qt.CheckState.Checked],
            "duration_minutes": self.duration.value() or None,
            "what_happened": self.happened.toPlainText(),
            "what_was_done": self.done_.toPlainText(),
        }

    def _keep_draft(self) -> None:
        if self.correcting is not None:
            return
        try:
            self.service.save_draft(self.values())
        except ExamDeskError:
            return

    def _do_save(self) -> str:
        v = self.values()
        if not v["category"]:
            raise ExamDeskError("Kies een categorie.")
        incident = IncidentInput(v["category"], self.time.value(), tuple(v["candidate_ids"]), v["all_candidates"],
                                 v["duration_minutes"], v["what_happened"], v["what_was_done"])
        self._draft_timer.stop()
        if self.correcting is not None:
            self.service.correct_incident(self.correcting, incident)
            return "Correctie van het incident opgeslagen"
        self.service.log_incident(incident)
        return f"Incident '{self.catalogue.get(v['category']).name}' opgeslagen"

    def has_unsaved_input(self) -> bool:
        return self.restored_draft or super().has_unsaved_input()

    def reject(self) -> None:
        """Escape: after asking when something was typed, the form closes and its draft is thrown away
        (nothing was recorded)."""
        self._draft_timer.stop()
        super().reject()
        if self.result() == QDialog.DialogCode.Rejected and not self.isVisible() and self.correcting is None:
            try:
                self.service.discard_draft()
            except ExamDeskError:
                pass


LIST_ROWS = 5   # whole rows the incident form's lists show before they scroll


def fit_rows(view: QListWidget, most: int) -> None:
    """A list as high as its first `most` entries (at least one line): one match keeps one row's height
    instead of a fixed block, and no entry shows cut in half at the list's foot."""
    view.ensurePolished()
    shown = min(view.count(), most)
    rows = sum(view.sizeHintForRow(row) for row in range(shown)) if shown else view.fontMetrics().lineSpacing() + 4
    view.setFixedHeight(rows + 2 * view.frameWidth())


def pick_combo(items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    return combo
