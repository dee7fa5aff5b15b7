"""Session mode: the invigilator's full-screen view of one running session.
(Over 400 lines: the one window an invigilator sees — header, table, log, lock screen, key bar — laid out together.)
(The candidate table is `model.py`, what each key does `actions.py`, the forms `forms.py`; the header
and log sentences come from `services.session_views`.)

Large type, high contrast, the clock always visible, every action on a key. Each action is saved
through SessionModeService (one committed event) before the status line says "opgeslagen hh:mm:ss".
The screen locks itself after a configurable idle time; the clock and end times stay visible, the
names are hidden, and the invigilator's password opens it again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_time
from examdesk.domain.errors import ExamDeskError
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import CandidateState, SessionState
from examdesk.services.context import AppContext
from examdesk.services.session_mode import SessionModeService
from examdesk.services.session_views import log_entries, session_header
from examdesk.ui import style
from examdesk.ui.accessibility import name_controls
from examdesk.ui.common import ask, elide_headers, wrap_lines
from examdesk.ui.flow_layout import FlowLayout, keep_wrapped_height
from examdesk.ui.rich_text import plain_label
from examdesk.ui.session_mode.actions import SessionActions
from examdesk.ui.session_mode.forms import SessionForm
from examdesk.ui.session_mode.model import CandidateModel

STYLE = f"""
QWidget#SessionMode {{ background: {style.WHITE}; }}
QWidget#TopBar {{ background: {style.SESSION_BAR}; }}
QLabel#Header {{ color: {style.WHITE}; font-size: 20pt; font-weight: bold; }}
QLabel#SubHeader {{ color: {style.SESSION_SUBHEADER}; font-size: 16pt; }}
QLabel#Clock {{ color: {style.WHITE}; font-size: 46pt; font-weight: bold; font-family: "DejaVu Sans Mono", monospace; }}
QLabel#Steps {{ color: {style.WHITE}; font-size: 14pt; }}
QTableView {{ font-size: 21pt; color: {style.SESSION_INK}; gridline-color: {style.SESSION_GRID}; selection-background-color: {style.SESSION_SELECTION};
    selection-color: {style.SESSION_INK}; border: none; }}
QHeaderView {{ font-size: 14pt; font-weight: bold; }}
QHeaderView::section {{ background: {style.SESSION_HEADER}; color: {style.SESSION_INK}; padding: 6px;
    padding-top: 3px; padding-bottom: 3px; border: none; border-bottom: 2px solid {style.SESSION_BAR}; }}
QListWidget#Log {{ font-size: 15pt; color: {style.SESSION_INK}; border: none; border-top: 2px solid {style.SESSION_BAR}; }}
QLabel#Saved {{ font-size: 15pt; color: {style.SAVED}; font-weight: bold; }}
QLabel#Message {{ font-size: 15pt; color: {style.SESSION_INK}; }}
QLabel#MessageWarn {{ font-size: 15pt; color: {style.WARN}; font-weight: bold; }}
QWidget#Keys {{ background: {style.SESSION_BAR}; }}
QWidget#Keys QLabel {{ color: {style.WHITE}; font-size: 14pt; }}
QWidget#LockPanel {{ background: {style.WARN}; }}
QLabel#LockText {{ color: {style.WHITE}; font-size: 20pt; font-weight: bold; }}
QLineEdit#LockPassword {{ font-size: 20pt; padding: 6px; }}
"""

# the key legend, one whole label per key: a key is never parted from what it does ("F10 | afsluiten")
KEYS = (("F2", "incident"), ("F3", "te laat"), ("F4", "afwezig"), ("F5", "pauze/hervat"), ("F6", "volgende stap"),
        ("F7", "status"), ("F8", "opmerking"), ("F10", "afsluiten"), ("spatie", "aanwezig"), ("Ctrl+L", "vergrendel"),
        ("Ctrl+Q", "sessiemodus verlaten"))
KEYS_TEXT = "   ".join(f"{key} {action}" for key, action in KEYS)

class SessionLog(QListWidget):
    """The session's log, newest first, showing whole entries only: the space below the last entry that
    fits is left blank instead of showing the top half of the next one (scrolling brings it in whole)."""

    def __init__(self) -> None:
        super().__init__()
        wrap_lines(self)            # a long remark wraps; nothing to scroll sideways to
        self.verticalScrollBar().valueChanged.connect(self.show_whole_entries)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        QTimer.singleShot(0, self.show_whole_entries)   # once the entries are laid out at the new width

    def show_whole_entries(self) -> None:
        self.doItemsLayout()                      # the entries wrapped at the current width, not the last one
        room = self.viewport().height() + self.viewportMargins().bottom()
        first = self.indexAt(self.viewport().rect().topLeft()).row()
        used = 0
        for row in range(max(first, 0), self.count()):
            height = self.visualRect(self.model().index(row, 0)).height()
            if used + height > room:
                break
            used += height
        blank = room - used if 0 < used < room and first >= 0 else 0
        if self.viewportMargins().bottom() != blank:
            self.setViewportMargins(0, 0, 0, blank)


class SessionModeWindow(QWidget):
    def __init__(self, ctx: AppContext, session_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SessionMode")
        self.setStyleSheet(style.scaled(STYLE, large_type=True))
        self.ctx = ctx
        self.session_id = session_id
        self.service = SessionModeService(ctx, session_id)
        self.setWindowTitle(f"ExamDesk — sessiemodus — {self.service.plan.title}")
        self.locked = False
        self.dialog: SessionForm | None = None
        self.state: SessionState = self.service.state()
        self._last_minute = ""
        self._last_activity = ctx.clock()
        self.lock_seconds = self.service.lock_minutes() * 60
        self.actions = SessionActions(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        top = QWidget()
        top.setObjectName("TopBar")
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(22, 8, 22, 8)
        left = QVBoxLayout()
        left.setSpacing(2)
        self.header = plain_label()
        self.header.setObjectName("Header")
        self.subheader = plain_label()
        self.subheader.setObjectName("SubHeader")
        self.steps = plain_label()
        self.steps.setObjectName("Steps")
        for label in (self.header, self.subheader):
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
        self.table = elide_headers(QTableView())
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.viewport().installEventFilter(self)   # rows fitted to its height (_fit_rows)
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

        # Below the table one band, the log beside the status line and the key legend: stacked, the three
        # took the height of half the candidates on a laptop (7 of 16 rows at 100 %, 4 at 200 %).
        bottom = QHBoxLayout()
        bottom.setSpacing(0)
        self.log = SessionLog()
        self.log.setObjectName("Log")
        # as high as the band beside it (the status line and the keys) asks, at least a few lines (_fit_rows)
        self.log.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.log.itemActivated.connect(lambda item: self.actions.correct_item(item))
        told = QVBoxLayout()               # what was just saved, above the log of what was saved before
        told.setSpacing(0)
        status = QHBoxLayout()
        status.setContentsMargins(6, 2, 14, 2)
        self.message = QLabel("")
        self.message.setObjectName("Message")
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.saved = QLabel("")
        self.saved.setObjectName("Saved")
        status.addWidget(self.message, 1)
        status.addWidget(self.saved)
        told.addLayout(status)
        told.addWidget(self.log, 1)
        bottom.addLayout(told, 2)
        # the session's steps beside the keys that take them (F6 volgende stap), not a third line over the table
        self.keys = QWidget()
        self.keys.setObjectName("Keys")
        self.keys.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.keys.setAccessibleName("Toetsen in de sessiemodus")
        self.keys.setAccessibleDescription(KEYS_TEXT)
        panel = QVBoxLayout(self.keys)
        panel.setContentsMargins(14, 4, 14, 4)
        panel.setSpacing(2)
        self.steps.setWordWrap(True)
        self.steps.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        panel.addWidget(self.steps)
        legend_box = keep_wrapped_height(QWidget())
        panel.addWidget(legend_box, 1)
        legend = FlowLayout(legend_box, spacing=0)
        self.key_labels = []
        for key, action in KEYS:
            label = QLabel(f"{key} {action}")
            label.setContentsMargins(0, 1, 16, 1)
            legend.add(label)
            self.key_labels.append(label)
        bottom.addWidget(self.keys, 3)
        layout.addLayout(bottom)

        self.lock_panel = QWidget()
        self.lock_panel.setObjectName("LockPanel")
        lock_row = QHBoxLayout(self.lock_panel)
        lock_row.setContentsMargins(22, 10, 22, 10)
        self.lock_text = QLabel("")
        self.lock_text.setObjectName("LockText")
        # a long refusal wraps inside the panel instead of widening the window past the screen
        self.lock_text.setWordWrap(True)
        self.lock_text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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

        # Keys are read by an application event filter rather than QShortcut, so they work wherever the
        # focus is in this window (the table, the log) and never while a form is open over it.
        self.key_map: dict[tuple[int, int], Any] = {}
        plain = Qt.KeyboardModifier.NoModifier.value
        ctrl = Qt.KeyboardModifier.ControlModifier.value
        a = self.actions
        for key, handler in ((Qt.Key.Key_F2, a.incident), (Qt.Key.Key_F3, a.late),
                             (Qt.Key.Key_F4, a.absent), (Qt.Key.Key_F5, a.pause_or_resume),
                             (Qt.Key.Key_F6, a.next_step), (Qt.Key.Key_F7, a.candidate_status),
                             (Qt.Key.Key_F8, a.remark), (Qt.Key.Key_F10, a.close_session),
                             (Qt.Key.Key_Space, a.present)):
            self.key_map[(key.value, plain)] = handler
        self.key_map[(Qt.Key.Key_L.value, ctrl)] = self.lock
        self.key_map[(Qt.Key.Key_Q.value, ctrl)] = self.close
        self.key_map[(Qt.Key.Key_Escape.value, plain)] = self.ask_to_leave
        for number in range(1, 10):
            category = self.service.catalogue.quick(number)
            if category is not None:
                self.key_map[(Qt.Key.Key_0.value + number, ctrl)] = lambda c=category: a.incident(c)

        self.refresh()
        self.tick()
        name_controls(self)
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

    def _fit_rows(self) -> None:
        """Rows as high as the table's (large) text needs, stretched a little so the rows shown fill the
        table exactly: no candidate is shown cut in half at the bottom. The log keeps at least three lines."""
        least = self.table.fontMetrics().height() + 3
        space = self.table.viewport().height()
        rows = max(1, space // least)
        height, extra = max(least, space // rows), space % rows if space >= least else 0
        header = self.table.verticalHeader()
        header.setDefaultSectionSize(height)
        for row in range(self.model.rowCount()):     # the pixels left over go one each to the first rows
            header.resizeSection(row, height + (1 if row < extra else 0))
        self.log.setMinimumHeight(3 * self.log.fontMetrics().lineSpacing() + 2 * self.log.frameWidth() + 4)
        # On a large screen the table is no higher than its candidates need; the log below takes the rest
        # (1920×1080: three lines of log under a band of empty rows). On a laptop the candidates need more than
        # the screen has, and the table takes what the band below leaves, as before.
        need = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth() \
            + max(1, self.model.rowCount()) * least
        if self.table.maximumHeight() != need:
            self.table.setMaximumHeight(need)

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
        self._fit_rows()                              # the rows a reset gave the default height
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
        header = session_header(self.state, draft_waiting=self.service.draft() is not None)
        self.header.setText(header.title)
        self.subheader.setText(header.subtitle)
        self.steps.setText(header.steps)

    def _draw_log(self) -> None:
        self.log.clear()
        for entry in log_entries(self.state, self.service.display_name):
            item = QListWidgetItem(entry.text)
            item.setData(Qt.ItemDataRole.UserRole, entry.event_id)
            if entry.voided:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QBrush(QColor(style.MUTED)))
            self.log.addItem(item)
        if self.locked:
            self.log.hide()
        QTimer.singleShot(0, self.log.show_whole_entries)

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
        if kind == QEvent.Type.Resize and obj is self.table.viewport():
            self._fit_rows()
            return False
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

    def run_form(self, dialog: SessionForm) -> None:
        """Opens the form over the session without blocking the clock; on save, the screen follows."""
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def accepted() -> None:
            warn = dialog.result_message.startswith("!")
            self.saved_now(dialog.result_message.lstrip("!"), warn)

        def finished(_result: int) -> None:
            self.dialog = None
            QTimer.singleShot(0, self._draw_header)   # a draft kept or thrown away (after the form) shows
            self.activateWindow()
            self.table.setFocus()

        dialog.accepted.connect(accepted)
        dialog.finished.connect(finished)
        dialog.open()
        dialog.activateWindow()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}) if self.table.model() else []
        return [self.model.rows[r].candidate_id for r in rows if r < len(self.model.rows)]

    def selected_one(self) -> CandidateState | None:
        ids = self.selected_ids()
        return self.state.candidate(ids[0]) if ids else None

    def ready(self) -> bool:
        """Nothing locked and no form open: a key may start an action."""
        return not self.locked and self.dialog is None

    def ask_to_leave(self) -> None:
        """Escape: asks before leaving session mode (nothing is lost: every action is already saved;
        the session goes on and opens again from Afnames)."""
        if ask(self, "Sessiemodus verlaten?", "Wilt u de sessiemodus verlaten? Alles is opgeslagen; de afname "
               "loopt door en u opent haar weer vanuit Afnames.", "Verlaten", "In de sessiemodus blijven"):
            self.close()

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
