"""Session mode: the invigilator's full-screen view of one running session.

Large type, high contrast, the clock always visible, every action on a key. Each action is saved
through SessionModeService (one committed event) before the status line says "opgeslagen hh:mm:ss".
The screen locks itself after a configurable idle time; the clock and end times stay visible, the
names are hidden, and the invigilator's password opens it again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_time, format_weekday_date
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.session_events import ClosingSummary, IncidentPayload, ResumePayload
from examdesk.domain.session_state import CandidateStatus, SessionStatus
from examdesk.domain.sessions import CandidateState, IncidentInput, SessionState
from examdesk.services.context import AppContext
from examdesk.services.session_mode import SessionModeService
from examdesk.ui.session_mode.forms import (
    CandidateField,
    EnterTextEdit,
    IncidentDialog,
    SessionForm,
    TimeField,
    pick_combo,
)
from examdesk.ui.table_model import CENTER, Column, TableModel

INK = "#0b0f14"
BAR = "#0d2b45"
ACCENT = "#1f5f8b"
WARN = "#a33a00"
MUTED = "#5b6672"

STYLE = f"""
QWidget#SessionMode {{ background: white; }}
QWidget#TopBar {{ background: {BAR}; }}
QLabel#Header {{ color: white; font-size: 22pt; font-weight: bold; }}
QLabel#SubHeader {{ color: #d9e6f2; font-size: 16pt; }}
QLabel#Clock {{ color: white; font-size: 46pt; font-weight: bold; font-family: "DejaVu Sans Mono", monospace; }}
QLabel#Steps {{ color: white; font-size: 14pt; }}
QTableView {{ font-size: 21pt; color: {INK}; gridline-color: #c9d1d9; selection-background-color: #cfe3f5;
    selection-color: {INK}; border: none; }}
QHeaderView::section {{ font-size: 14pt; font-weight: bold; background: #eef2f5; color: {INK}; padding: 6px;
    border: none; border-bottom: 2px solid {BAR}; }}
QListWidget#Log {{ font-size: 15pt; color: {INK}; border: none; border-top: 2px solid {BAR}; }}
QLabel#Saved {{ font-size: 15pt; color: #1d6b2f; font-weight: bold; }}
QLabel#Message {{ font-size: 15pt; color: {INK}; }}
QLabel#MessageWarn {{ font-size: 15pt; color: {WARN}; font-weight: bold; }}
QLabel#Keys {{ background: {BAR}; color: white; font-size: 14pt; padding: 8px 14px; }}
QWidget#LockPanel {{ background: {WARN}; }}
QLabel#LockText {{ color: white; font-size: 20pt; font-weight: bold; }}
QLineEdit#LockPassword {{ font-size: 20pt; padding: 6px; }}
"""

KEYS = ("F2 incident   F3 te laat   F4 afwezig   F5 pauze/hervat   F6 volgende stap   F7 status   "
        "F8 opmerking   F10 afsluiten   spatie aanwezig   Ctrl+L vergrendel")
STEP_ORDER = (("ontvangst", "ONTVANGST"), ("aanwezigheid", "AANWEZIGHEID"), ("start", "START"),
              ("einde", "EINDE"), ("afsluiten", "AFSLUITEN"))


# shown in the warning colour in the status column
_WARNING_STATUSES = (CandidateStatus.AFWEZIG, CandidateStatus.GEWEIGERD, CandidateStatus.ONWEL)

class CandidateModel(TableModel[CandidateState]):
    """Per candidate: workstation, name, status, personal end time, accommodations. With the screen
    locked the names, statuses and accommodations are blank."""

    END_COLUMN = 3

    def __init__(self, parent: QObject | None = None):
        self.now: datetime | None = None
        self.hidden = False
        super().__init__([
            Column("pc", lambda c: f"{c.entry.workstation:02d}", align=CENTER),
            Column("kandidaat", lambda c: "" if self.hidden else c.entry.name),
            Column("status", lambda c: "" if self.hidden else c.status_label,
                   colour=lambda c: WARN if c.status in _WARNING_STATUSES and not self.hidden else None),
            Column("eindtijd", _end_time_text, colour=self._end_colour, bold=True, align=CENTER),
            Column("voorzieningen", lambda c: "" if self.hidden else c.entry.accommodations),
        ], parent)

    def show_rows(self, rows: tuple[CandidateState, ...], now: datetime) -> None:
        self.now = now
        self.set_rows(rows)

    def update_end_times(self, rows: tuple[CandidateState, ...], now: datetime) -> None:
        """Repaints only the rows whose end time, its colour or the status text changed."""
        before = [self._signature(c, self.now) for c in self.rows]
        self.rows = list(rows)
        self.now = now
        for row, c in enumerate(self.rows):
            if row >= len(before) or before[row] != self._signature(c, now):
                self.dataChanged.emit(self.index(row, 2), self.index(row, self.END_COLUMN))

    @staticmethod
    def _signature(c: CandidateState, now: datetime | None) -> tuple[Any, ...]:
        return c.end_time, c.paused, c.status, _band(c, now)

    def _end_colour(self, c: CandidateState) -> str | None:
        return {2: MUTED, 1: WARN}.get(_band(c, self.now))

    def set_hidden(self, hidden: bool) -> None:
        self.beginResetModel()
        self.hidden = hidden
        self.endResetModel()


def _band(c: CandidateState, now: datetime | None) -> int:
    """0 working, 1 five minutes or less left, 2 time is up."""
    if c.end_time is None or now is None:
        return 0
    left = (c.end_time - now).total_seconds()
    return 2 if left <= 0 else 1 if left <= 300 else 0


def _end_time_text(c: CandidateState) -> str:
    if c.end_time is None:
        return "—"
    return format_time(c.end_time) + (" ▸" if c.paused else "")


class SessionModeWindow(QWidget):
    def __init__(self, ctx: AppContext, session_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SessionMode")
        self.setStyleSheet(STYLE)
        self.ctx = ctx
        self.service = SessionModeService(ctx, session_id)
        self.setWindowTitle(f"ExamDesk — sessiemodus — {self.service.plan.title}")
        self.locked = False
        self.dialog: SessionForm | None = None
        self.state: SessionState = self.service.state()
        self._last_minute = ""
        self._last_activity = ctx.clock()
        self.lock_seconds = self.service.lock_minutes() * 60

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        top = QWidget()
        top.setObjectName("TopBar")
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(22, 12, 22, 12)
        left = QVBoxLayout()
        self.header = QLabel("")
        self.header.setObjectName("Header")
        self.subheader = QLabel("")
        self.subheader.setObjectName("SubHeader")
        self.steps = QLabel("")
        self.steps.setObjectName("Steps")
        for label in (self.header, self.subheader, self.steps):
            # a long exam title wraps instead of pushing the clock off a small screen
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            left.addWidget(label)
        top_layout.addLayout(left, 1)
        self.clock = QLabel("")
        self.clock.setObjectName("Clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.clock.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        top_layout.addWidget(self.clock)
        layout.addWidget(top)

        self.model = CandidateModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(46)
        self.table.setAlternatingRowColors(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        head.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, 80)
        self.table.setColumnWidth(2, 360)
        self.table.setColumnWidth(3, 150)
        self.table.setColumnWidth(4, 380)
        layout.addWidget(self.table, 1)

        self.log = QListWidget()
        self.log.setObjectName("Log")
        self.log.setFixedHeight(190)
        self.log.itemActivated.connect(self._correct_item)
        layout.addWidget(self.log)

        status = QHBoxLayout()
        status.setContentsMargins(22, 6, 22, 6)
        self.message = QLabel("")
        self.message.setObjectName("Message")
        self.saved = QLabel("")
        self.saved.setObjectName("Saved")
        status.addWidget(self.message, 1)
        status.addWidget(self.saved)
        layout.addLayout(status)

        self.lock_panel = QWidget()
        self.lock_panel.setObjectName("LockPanel")
        lock_row = QHBoxLayout(self.lock_panel)
        lock_row.setContentsMargins(22, 10, 22, 10)
        self.lock_text = QLabel("")
        self.lock_text.setObjectName("LockText")
        self.password = QLineEdit()
        self.password.setObjectName("LockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("wachtwoord")
        self.password.setMaximumWidth(340)
        self.password.returnPressed.connect(self._try_unlock)
        lock_row.addWidget(self.lock_text, 1)
        lock_row.addWidget(self.password)
        self.lock_panel.hide()
        layout.addWidget(self.lock_panel)

        self.keys = QLabel(KEYS)
        self.keys.setObjectName("Keys")
        self.keys.setWordWrap(True)
        layout.addWidget(self.keys)

        # Keys are read by an application event filter rather than QShortcut, so they work wherever the
        # focus is in this window (the table, the log) and never while a form is open over it.
        self.key_map: dict[tuple[int, int], Any] = {}
        plain = Qt.KeyboardModifier.NoModifier.value
        ctrl = Qt.KeyboardModifier.ControlModifier.value
        for key, handler in ((Qt.Key.Key_F2, self.incident), (Qt.Key.Key_F3, self.late),
                             (Qt.Key.Key_F4, self.absent), (Qt.Key.Key_F5, self.pause_or_resume),
                             (Qt.Key.Key_F6, self.next_step), (Qt.Key.Key_F7, self.candidate_status),
                             (Qt.Key.Key_F8, self.remark), (Qt.Key.Key_F10, self.close_session),
                             (Qt.Key.Key_Space, self.present)):
            self.key_map[(key.value, plain)] = handler
        self.key_map[(Qt.Key.Key_L.value, ctrl)] = self.lock
        self.key_map[(Qt.Key.Key_Q.value, ctrl)] = self.close
        for number in range(1, 10):
            category = self.service.catalogue.quick(number)
            if category is not None:
                self.key_map[(Qt.Key.Key_0.value + number, ctrl)] = lambda c=category: self.incident(c)

        self.refresh()
        self.tick()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(1000)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.table.setFocus()
        if self.state.candidates:
            self.table.selectRow(0)

    # --- drawing -------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The log takes a fifth of the height, so a laptop screen still shows most candidates."""
        self.log.setFixedHeight(max(110, min(240, self.height() // 5)))
        super().resizeEvent(event)

    def show_full(self) -> None:
        """Full screen on the screen it is on; the geometry is set first, so the window fills the
        screen even on a locked-down PC whose window manager ignores the full-screen request."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()
    def refresh(self) -> None:
        """After every saved action: the state folded again from the events just committed."""
        now = self.ctx.clock()
        self.state = self.service.state(now)
        selected = self.selected_ids()
        self.model.show_rows(self.state.candidates, now)
        flags = self.table.selectionModel().SelectionFlag
        first = True
        for row, c in enumerate(self.state.candidates):
            if c.candidate_id in selected:
                index = self.model.index(row, 0)
                if first:
                    self.table.selectionModel().setCurrentIndex(index, flags.NoUpdate)
                    first = False
                self.table.selectionModel().select(index, flags.Select | flags.Rows)
        self._draw_header()
        self._draw_log()

    def _draw_header(self) -> None:
        s = self.state
        plan = s.plan
        self.header.setText(f"{plan.header} · surveillant: {plan.invigilator_names}")
        parts = [f"{format_weekday_date(plan.starts_at)}"]
        if s.started_at:
            parts.append(f"gestart {format_time(s.started_at)}")
            parts.append(f"eindtijd {format_time(s.base_end)} (+ individueel)")
            if s.ended_at is None:
                parts.append(f"toelating tot {format_time(s.late_limit)}")
        else:
            parts.append(f"gepland {format_time(plan.starts_at)}–{format_time(plan.planned_end)}")
        if s.ended_at:
            parts.append(f"einde {format_time(s.ended_at)}")
        if s.open_pauses:
            parts.append("PAUZE LOOPT")
        self.subheader.setText(" · ".join(parts))
        done = (s.receipt is not None, s.started_at is not None, s.started_at is not None,
                s.ended_at is not None, s.closed)
        pending = next((n for n, flag in enumerate(done) if not flag), None)
        chips = []
        for n, (_, label) in enumerate(STEP_ORDER):
            if done[n] and not (n == 1 and not s.started_at):
                chips.append(f"[{label} ✓]")
            elif n == pending or (n == 1 and pending == 2):
                chips.append(f"[▶ {label}]")
            else:
                chips.append(f"[{label}]")
        self.steps.setText("  ".join(chips))

    def _draw_log(self) -> None:
        self.log.clear()
        for line in self.state.log:
            text = f"{format_time(line.at)}  {line.text}"
            if line.corrected:
                text += "  (gecorrigeerd)"
            if line.voided:
                text += "  (vervallen)"
            item = QListWidgetItem(f"{text}    — {self.service.display_name(line.username)}")
            item.setData(Qt.ItemDataRole.UserRole, line.event_id)
            if line.voided:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QBrush(QColor(MUTED)))
            self.log.addItem(item)
        if self.locked:
            self.log.hide()

    def tick(self) -> None:
        """Once a second: the clock, and the end times when a pause is running or a minute turned."""
        now = self.ctx.clock()
        self.clock.setText(format_time(now, seconds=True))
        minute = format_time(now)
        if self.state.open_pauses or minute != self._last_minute:
            self.state = self.state.at(now)
            self.model.update_end_times(self.state.candidates, now)
        self._last_minute = minute
        if not self.locked and (now - self._last_activity).total_seconds() >= self.lock_seconds:
            self.lock()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove):
            self._last_activity = self.ctx.clock()
        if kind == QEvent.Type.KeyPress and isinstance(obj, QWidget) and obj.window() is self:
            modifiers = event.modifiers().value & (Qt.KeyboardModifier.ControlModifier.value
                                                   | Qt.KeyboardModifier.ShiftModifier.value
                                                   | Qt.KeyboardModifier.AltModifier.value)
            handler = self.key_map.get((event.key(), modifiers))
            if handler is not None and not self.locked and self.dialog is None:
                handler()
                return True
        return False

    # --- feedback ------------------------------------------------------------------------------
    def saved_now(self, message: str, warn: bool = False) -> None:
        """Shown only after the service returned, i.e. after the commit."""
        self.refresh()
        self.saved.setText(f"opgeslagen {format_time(self.ctx.clock(), seconds=True)}")
        self.say(message, warn)

    def say(self, message: str, warn: bool = False) -> None:
        self.message.setObjectName("MessageWarn" if warn else "Message")
        self.message.setStyleSheet("")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(message)

    def _run(self, dialog: SessionForm) -> None:
        """Opens the form over the session without blocking the clock; on save, the screen follows."""
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def accepted() -> None:
            warn = dialog.result_message.startswith("!")
            self.saved_now(dialog.result_message.lstrip("!"), warn)

        def finished(_result: int) -> None:
            self.dialog = None
            self.activateWindow()
            self.table.setFocus()

        dialog.accepted.connect(accepted)
        dialog.finished.connect(finished)
        dialog.open()
        dialog.activateWindow()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}) if self.table.model() else []
        return [self.model.rows[r].candidate_id for r in rows if r < len(self.model.rows)]

    def _selected_one(self) -> CandidateState | None:
        ids = self.selected_ids()
        return self.state.candidate(ids[0]) if ids else None

    def _guard(self) -> bool:
        return not self.locked and self.dialog is None

    # --- actions -------------------------------------------------------------------------------
    def incident(self, category: Any = None) -> None:
        if not self._guard():
            return
        dialog = IncidentDialog(self, self.service, self.state, self.ctx.clock(), self.selected_ids(),
                                category if category is not None and not isinstance(category, bool) else None)
        self._run(dialog)

    def present(self) -> None:
        """Space: the selected candidates are present (after the start: arrived late)."""
        if not self._guard():
            return
        ids = [i for i in self.selected_ids() if self.state.candidate(i).status == CandidateStatus.VERWACHT]
        if not ids:
            self.say("Selecteer met ↑↓ (en Shift) kandidaten met de status 'verwacht' en druk op spatie.", True)
            return
        try:
            messages = self.service.mark_present(ids)
        except ExamDeskError as exc:
            self.say(exc.message, True)
            return
        self.saved_now(" ".join(messages), any("geweigerd" in m for m in messages))
        self._select_next_expected()

    def _select_next_expected(self) -> None:
        for row, c in enumerate(self.state.candidates):
            if c.status == CandidateStatus.VERWACHT:
                self.table.selectRow(row)
                return

    def late(self) -> None:
        if not self._guard():
            return
        field = CandidateField(self.state, self._selected_one())
        time = TimeField(self.ctx.clock())

        def save() -> str:
            outcome = self.service.late_arrival(field.candidate_id(), time.value())
            return outcome.message if outcome.admitted else "!" + outcome.message

        dialog = SessionForm(self, "Te laat gekomen", save)
        dialog.form.addRow("Kandidaat", field)
        dialog.form.addRow("Aangekomen om", time)
        limit = self.state.late_limit
        if limit:
            dialog.form.addRow("", QLabel(f"Toelating tot {format_time(limit)}; de eindtijd blijft gelijk."))
        self._run(dialog)

    def absent(self) -> None:
        if not self._guard():
            return
        field = CandidateField(self.state, self._selected_one())
        reason = pick_combo([("onbekend", None), ("met geldige reden", True), ("zonder geldige reden", False)])
        remark = QLineEdit()
        time = TimeField(self.ctx.clock())

        def save() -> str:
            self.service.mark_absent(field.candidate_id(), reason.currentData(), remark.text(), time.value())
            return f"{field.candidate().entry.name} afwezig gemeld"

        dialog = SessionForm(self, "Afwezig", save)
        dialog.form.addRow("Kandidaat", field)
        dialog.form.addRow("Reden", reason)
        dialog.form.addRow("Opmerking", remark)
        dialog.form.addRow("Tijd", time)
        self._run(dialog)

    def pause_or_resume(self) -> None:
        if not self._guard():
            return
        time = TimeField(self.ctx.clock())
        if self.state.open_pauses:
            pauses = QListWidget()
            for p in self.state.open_pauses:
                item = QListWidgetItem(f"sinds {format_time(p.started)} · {len(p.candidate_ids)} kandidaten · {p.reason}")
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                pauses.addItem(item)

            def resume() -> str:
                chosen = [pauses.item(i).data(Qt.ItemDataRole.UserRole) for i in range(pauses.count())
                          if pauses.item(i).checkState() == Qt.CheckState.Checked]
                events = self.service.resume(chosen, time.value())
                minutes = ", ".join(f"+{e.payload.minutes} min" for e in events
                                    if isinstance(e.payload, ResumePayload))
                return f"Hervat om {format_time(time.value())} ({minutes} op de eindtijd)"

            dialog = SessionForm(self, "Hervatten", resume)
            dialog.form.addRow("Pauzes", pauses)
            dialog.form.addRow("Hervat om", time)
            self._run(dialog)
            return
        selected = self.selected_ids()
        everyone = QRadioButton("alle kandidaten die aan het werk zijn")
        chosen = QRadioButton(f"alleen de geselecteerde ({len(selected)})")
        everyone.setChecked(True)
        chosen.setEnabled(bool(selected))
        reason = QLineEdit()
        reason.setPlaceholderText("stroomstoring, storing platform, ontruiming, …")

        def pause() -> str:
            ids = None if everyone.isChecked() else selected
            self.service.pause(ids, reason.text(), time.value())
            return f"Pauze vanaf {format_time(time.value())}: de eindtijden lopen mee tot het hervatten (F5)"

        dialog = SessionForm(self, "Pauze (storing)", pause)
        dialog.form.addRow("Voor", everyone)
        dialog.form.addRow("", chosen)
        dialog.form.addRow("Reden", reason)
        dialog.form.addRow("Vanaf", time)
        dialog.first_field = reason
        self._run(dialog)

    def next_step(self) -> None:
        if not self._guard():
            return
        step = self.state.step
        if step == "ontvangst":
            self.receipt()
        elif step == "aanwezigheid":
            self.start()
        elif step == "bezig":
            self.end()
        elif step == "afsluiten":
            self.close_session()
        else:
            self.say("Deze afname is afgesloten. Met F8 voegt u nog een opmerking toe.")

    def receipt(self) -> None:
        who = QLineEdit(self.ctx.user.full_name if self.ctx.user else "")
        intact = QCheckBox("verzegeld en intact ontvangen")
        intact.setChecked(True)
        remark = QLineEdit()
        time = TimeField(self.ctx.clock())

        def save() -> str:
            self.service.record_receipt(who.text(), intact.isChecked(), remark.text(), time.value())
            return "Ontvangst van de exameninstrumenten vastgelegd. Meld nu de kandidaten aanwezig (spatie)."

        dialog = SessionForm(self, "Ontvangst exameninstrumenten", save)
        dialog.form.addRow("Ontvangen door", who)
        dialog.form.addRow("Staat", intact)
        dialog.form.addRow("Opmerking", remark)
        dialog.form.addRow("Tijd", time)
        self._run(dialog)

    def start(self) -> None:
        time = TimeField(self.ctx.clock())
        waiting = [c.entry.name for c in self.state.candidates if c.status == CandidateStatus.VERWACHT]

        def save() -> str:
            self.service.start(time.value())
            return (f"Afname gestart om {format_time(time.value())}; iedereen is klaar om "
                    f"{format_time(self.service.state().base_end)} plus eigen extra tijd.")

        dialog = SessionForm(self, "Start van de afname", save)
        dialog.form.addRow("Starttijd", time)
        if waiting:
            note = QLabel(f"Nog verwacht ({len(waiting)}): {', '.join(waiting[:6])}{' …' if len(waiting) > 6 else ''}."
                          " Zij kunnen tot de toelatingsgrens binnenkomen (F3).")
            note.setWordWrap(True)
            dialog.form.addRow("", note)
        self._run(dialog)

    def end(self) -> None:
        time = TimeField(self.ctx.clock())

        def save() -> str:
            self.service.end(time.value())
            return f"Einde vastgelegd om {format_time(time.value())}. Sluit af met F10."

        dialog = SessionForm(self, "Einde van de afname", save)
        dialog.form.addRow("Eindtijd", time)
        self._run(dialog)

    def candidate_status(self) -> None:
        if not self._guard():
            return
        field = CandidateField(self.state, self._selected_one())
        status = pick_combo([("weer aan het werk" if s == CandidateStatus.AANWEZIG else s.label, s.value)
                             for s in (CandidateStatus.INGELEVERD, CandidateStatus.VERTROKKEN, CandidateStatus.ONWEL,
                                       CandidateStatus.AANWEZIG)])
        remark = QLineEdit()
        time = TimeField(self.ctx.clock())

        def save() -> str:
            self.service.set_candidate_status(field.candidate_id(), status.currentData(), remark.text(), time.value())
            return f"{field.candidate().entry.name}: {status.currentText()}"

        dialog = SessionForm(self, "Status van een kandidaat", save)
        dialog.form.addRow("Kandidaat", field)
        dialog.form.addRow("Status", status)
        dialog.form.addRow("Opmerking", remark)
        dialog.form.addRow("Tijd", time)
        dialog.first_field = status
        self._run(dialog)

    def remark(self) -> None:
        if not self._guard():
            return
        text = EnterTextEdit()
        text.setFixedHeight(110)
        time = TimeField(self.ctx.clock())

        def save() -> str:
            self.service.remark(text.toPlainText(), time.value())
            return "Opmerking opgeslagen"

        dialog = SessionForm(self, "Opmerking", save)
        text.submitted.connect(dialog.ok)
        dialog.form.addRow("Opmerking", text)
        dialog.form.addRow("Tijd", time)
        self._run(dialog)

    def close_session(self) -> None:
        if not self._guard():
            return
        if self.state.closed:
            self.say("Deze afname is al afgesloten. Met F8 voegt u nog een opmerking toe.")
            return
        summary = self.service.summary(self.state)
        time = TimeField(self.ctx.clock())

        def save() -> str:
            self.service.close(time.value())
            return "Afname afgesloten. Alleen opmerkingen en correcties kunnen nog worden toegevoegd."

        dialog = SessionForm(self, "Afsluiten", save)
        text = QPlainTextEdit(self.summary_text(summary))
        text.setReadOnly(True)
        text.setMinimumHeight(330)
        text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        dialog.form.addRow(text)
        if self.state.ended_at is None:
            dialog.form.addRow("Einde en afsluiten om", time)
        else:
            dialog.form.addRow("Afsluiten om", time)
        dialog.ok_button.setText("Afsluiten (⏎)")
        dialog.setMinimumWidth(900)
        self._run(dialog)

    @staticmethod
    def summary_text(s: ClosingSummary) -> str:
        def line(label: str, items: tuple[str, ...]) -> str:
            return f"{label}: {', '.join(items) if items else 'geen'}"

        return "\n".join([
            f"Afname van {s.date}, gestart {s.started_at or '—'}, einde {s.ended_at or 'bij afsluiten'}",
            f"Deelgenomen: {s.took_part} van {s.planned} kandidaten",
            line("Afwezig (wie nog 'verwacht' is, wordt afwezig)", s.absent),
            line("Te laat", s.late),
            line("Geweigerd (na de toelatingsgrens)", s.refused),
            line("Onwel", s.unwell),
            line("Vertrokken", s.left),
            line("Storingen", s.disruptions),
            line("Incidenten", s.incidents),
            line("Faciliteiten toegekend", s.facilities),
            line("Betrokken medewerkers", s.staff),
        ])

    def _correct_item(self, item: QListWidgetItem) -> None:
        """Enter on a log line: an incident opens for correction; anything else can be declared void."""
        if not self._guard():
            return
        event_id = item.data(Qt.ItemDataRole.UserRole)
        event = self.state.effective.get(event_id)
        if event is None:
            self.say("Deze registratie is al vervallen verklaard.")
            return
        if isinstance(event.payload, IncidentPayload):
            dialog = IncidentDialog(self, self.service, self.state, self.ctx.clock(), [], correcting=event_id,
                                    correcting_as=IncidentInput.of(event.payload, event.occurred))
            self._run(dialog)
            return
        reason = QLineEdit()

        def save() -> str:
            self.service.void(event_id, reason.text())
            return "Registratie vervallen verklaard (blijft zichtbaar, doorgestreept)"

        dialog = SessionForm(self, "Registratie vervallen verklaren", save)
        dialog.form.addRow("Registratie", QLabel(item.text()))
        dialog.form.addRow("Reden", reason)
        self._run(dialog)

    # --- the lock ------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.model.set_hidden(True)
        self.log.hide()
        self.keys.hide()
        self.message.setText("")
        name = self.ctx.user.full_name if self.ctx.user else ""
        self.lock_text.setText(f"Scherm vergrendeld · wachtwoord van {name} en Enter")
        self.lock_panel.show()
        self.password.clear()
        self.password.setFocus()
        QTimer.singleShot(0, self.password.setFocus)

    def _try_unlock(self) -> None:
        try:
            self.service.unlock(self.password.text())
        except ExamDeskError as exc:
            self.password.clear()
            self.lock_text.setText(exc.message)
            return
        self.locked = False
        self._last_activity = self.ctx.clock()
        self.model.set_hidden(False)
        self.lock_panel.hide()
        self.log.show()
        self.keys.show()
        self.table.setFocus()
        self.say("Scherm ontgrendeld.")

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()
        super().closeEvent(event)



def resume_running_session(window: Any) -> SessionModeWindow | None:
    """After a crash or power cut: an invigilator who was running a session is taken straight back
    to it, exactly as last saved (the main window stays behind it)."""
    from examdesk.domain.roles import Action
    from examdesk.services.navigation import ScreenKey, SessionsTarget
    from examdesk.services.sessions import SessionService

    ctx = window.ctx
    if not ctx.can(Action.RUN_SESSION):
        return None
    plan = SessionService(ctx).running_for_me()
    if plan is None:
        return None
    screen = window.show_screen(ScreenKey.SESSIONS, SessionsTarget(status=SessionStatus.BEZIG, session_id=plan.id))
    if screen is None:
        return None
    screen.open_session_mode()
    return screen.mode_window
