"""The main window: sidebar of screens, a header with the screen title and the clock, a status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from examdesk.domain.clock import format_time, format_weekday_date
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.services.navigation import ScreenKey, Target
from examdesk.services.window_settings import MAIN_WINDOW_GEOMETRY
from examdesk.ui.accessibility import name_controls
from examdesk.ui.common import ElidedLabel, remember, remembered
from examdesk.ui.dialogs import focus_first_field
from examdesk.ui.unsaved import may_leave


class _FirstPaint(QObject):
    """Calls `then` once, when the watched window has been painted for the first time."""

    def __init__(self, then: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            then()
        return False


@dataclass(frozen=True)
class ScreenSpec:
    key: ScreenKey
    label: str
    action: Action          # the sidebar shows the screen only to roles allowed this action
    build: Callable[[AppContext, QWidget], QWidget]   # the screen, with refresh() and apply_filter(target)


# Each screen's module is imported when the screen is first opened, so the window appears before the
# screens it does not show yet are loaded.

def _overview(ctx: AppContext, parent: QWidget) -> QWidget:
    from examdesk.ui.overview_screen import OverviewScreen

    return OverviewScreen(ctx, parent)


def _register(ctx: AppContext, parent: QWidget) -> QWidget:
    from examdesk.ui.register.screen import RegisterScreen

    return RegisterScreen(ctx, parent)


def _sessions(ctx: AppContext, parent: QWidget) -> QWidget:
    from examdesk.ui.sessions.screen import SessionsScreen

    return SessionsScreen(ctx, parent)


def _incidents(ctx: AppContext, parent: QWidget) -> QWidget:
    from examdesk.ui.incidents.screen import IncidentsScreen

    return IncidentsScreen(ctx, parent)


def _reports(ctx: AppContext, parent: QWidget) -> QWidget:
    from examdesk.ui.reports.screen import ReportsScreen

    return ReportsScreen(ctx, parent)


def _admin(ctx: AppContext, parent: QWidget) -> QWidget:
    from examdesk.ui.admin.screen import AdminScreen

    return AdminScreen(ctx, parent)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec(ScreenKey.OVERVIEW, "Overzicht", Action.VIEW_OVERVIEW, _overview),
    ScreenSpec(ScreenKey.REGISTER, "Register", Action.VIEW_REGISTER, _register),
    ScreenSpec(ScreenKey.SESSIONS, "Afnames", Action.VIEW_SESSIONS, _sessions),
    ScreenSpec(ScreenKey.INCIDENTS, "Incidenten", Action.VIEW_INCIDENTS, _incidents),
    ScreenSpec(ScreenKey.REPORTS, "Rapporten", Action.PRODUCE_DOCUMENTS, _reports),
    ScreenSpec(ScreenKey.ADMIN, "Beheer", Action.VIEW_AUDIT, _admin),
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("ExamDesk")
        self.specs = [s for s in SCREENS if ctx.can(s.action)]
        self.relogin_requested = False
        self.closed = False
        self.screens: dict[ScreenKey, QWidget] = {}
        self._frames: dict[ScreenKey, QScrollArea] = {}
        self._first_fill_pending = False
        self._after_first_fill: list[Callable[[], None]] = []

        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        side = QWidget()
        side.setObjectName("Sidebar")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        name = QLabel("ExamDesk")
        name.setObjectName("AppName")
        side_layout.addWidget(name)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        # the menu fills its column: at least 190 px, and as wide as the name above it when a large font makes
        # that wider (a fixed 190 px left a dead band beside the menu at 200 %, its border line running through
        # it); its own size hint (256 px) does not widen the column
        self.sidebar.setMinimumWidth(190)
        self.sidebar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        for number, spec in enumerate(self.specs, start=1):
            item = QListWidgetItem(spec.label)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{spec.label} (Ctrl+{number})")
            self.sidebar.addItem(item)
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, activated=lambda k=spec.key: self.show_screen_by_key(k))
        side_layout.addWidget(self.sidebar)
        outer.addWidget(side)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        header = QWidget()
        header.setObjectName("Header")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(20, 12, 20, 12)
        self.title = QLabel("")
        self.title.setObjectName("ScreenTitle")
        self.clock = QLabel("")
        self.clock.setObjectName("HeaderClock")
        header_layout.addWidget(self.title)
        header_layout.addStretch(1)
        header_layout.addWidget(self.clock)
        right.addWidget(header)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        outer.addLayout(right, 1)
        self.setCentralWidget(central)

        inst = InstitutionService(ctx).get()
        user = ctx.user
        # a permanent label, not a status message: hovering a menu item (Bestand) replaces a message with
        # the item's tip and clears it after, which lost "ingelogd: …"
        # at a large font it ends in '…' at its start, so who is logged in stays in view (the whole line is its tooltip)
        self.who = ElidedLabel(
            f"{ctx.store.path.name} · {inst.name} ({inst.brin}) · ingelogd: {user.full_name} ({user.roles_label})",
            Qt.TextElideMode.ElideLeft)
        self.statusBar().addPermanentWidget(self.who, 1)
        self.statusBar().setToolTip(str(ctx.store.path))
        self.who.setToolTip(f"{self.who.text()}\n{ctx.store.path}")

        self.sidebar.currentItemChanged.connect(self._on_sidebar)
        self._tick()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)

        geometry = remembered(MAIN_WINDOW_GEOMETRY)
        self.first_start = geometry is None  # the launcher then shows the window maximised
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        self._at_least_usable()
        if self.specs:
            # the first screen fills right after the window is painted, so the window appears at once; what it
            # counts in the background (the Overzicht's slow cards) starts now, while the window is drawn
            first = self.show_screen(self.specs[0].key, defer=True)
            if first is not None and hasattr(first, "start_counting"):
                first.start_counting()
        self.setAcceptDrops(ctx.can(Action.PRODUCE_DOCUMENTS) or ctx.can(Action.EXCHANGE))
        if ctx.can(Action.EXCHANGE):
            exchange = self.menuBar().addMenu("&Bestand").addAction("&Uitwisselen: afnamepakket of verslag…")
            exchange.setShortcut(QKeySequence("Ctrl+U"))
            exchange.triggered.connect(lambda: self.open_exchange())
        # every user, whatever their roles: Alt+A, M from the menu, or the button beside the status line
        self.my_details_action = QAction("&Mijn gegevens…", self)
        self.my_details_action.setIconText("Mijn gegevens…")   # a tool button would drop the dots
        self.my_details_action.setToolTip("Uw functie, telefoon en e-mail, en uw wachtwoord wijzigen")
        self.my_details_action.triggered.connect(lambda: self.open_my_details())
        self.menuBar().addMenu("&Account").addAction(self.my_details_action)
        my_details = QToolButton()
        my_details.setDefaultAction(self.my_details_action)
        my_details.setAutoRaise(True)
        self.statusBar().addPermanentWidget(my_details)
        name_controls(self)

    def _at_least_usable(self) -> None:
        """Never back at a size nobody can work in (518×289 after a start without a window manager):
        at least 760×520 (the sidebar and a list beside it), or the whole screen when that is smaller."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 760, 520
        if screen is not None:
            available = screen.availableGeometry()
            width, height = min(width, available.width()), min(height, available.height())
        if self.width() < width or self.height() < height:
            self.resize(max(self.width(), width), max(self.height(), height))

    def open_my_details(self) -> bool:
        """Mijn gegevens (profile and own password); True when saved."""
        from examdesk.ui.profile_dialog import MyDetailsDialog

        return MyDetailsDialog(self.ctx, self).exec() == QDialog.DialogCode.Accepted

    def open_exchange(self, file: str | None = None) -> QWidget:
        """Afnamepakketten en verslagen maken en inlezen (a dropped .examdesk file opens here too)."""
        from examdesk.ui.exchange_dialog import open_exchange

        return open_exchange(self, self.ctx, file)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if any(u.toLocalFile().lower().endswith((".pdf", ".examdesk")) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        """A PDF dropped anywhere on the window is checked against the database (Rapporten)."""
        exchange_files = [u.toLocalFile() for u in event.mimeData().urls()
                          if u.toLocalFile().lower().endswith(".examdesk")]
        if exchange_files and self.ctx.can(Action.EXCHANGE):
            self.open_exchange(exchange_files[0])
            event.acceptProposedAction()
            return
        pdfs = [u.toLocalFile() for u in event.mimeData().urls() if u.toLocalFile().lower().endswith(".pdf")]
        if pdfs:
            screen = self.show_screen(ScreenKey.REPORTS)
            if screen is not None:
                screen.verify_file(pdfs[0])
                event.acceptProposedAction()

    def _tick(self) -> None:
        moment = self.ctx.clock()
        self.clock.setText(f"{format_weekday_date(moment)}  {format_time(moment)}")

    def _on_sidebar(self, current: QListWidgetItem | None, _previous: Any = None) -> None:
        if current is not None:
            self.show_screen(ScreenKey(current.data(Qt.ItemDataRole.UserRole)))

    def build_screen(self, key: ScreenKey) -> QWidget:
        if key not in self.screens:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.build(self.ctx, self)
            self.screens[key] = widget
            # a screen wider than a small laptop scrolls sideways instead of pushing the window off it
            frame = QScrollArea()
            frame.setWidget(widget)
            frame.setWidgetResizable(True)
            frame.setFrameShape(QFrame.Shape.NoFrame)
            self._frames[key] = frame
            self.stack.addWidget(frame)
        return self.screens[key]

    def current_screen(self) -> QWidget | None:
        frame = self.stack.currentWidget()
        return next((w for k, w in self.screens.items() if self._frames[k] is frame), None)

    def navigate(self, target: Target) -> QWidget | None:
        """Opens the screen a link points at, narrowed as the link says: how Overzicht links work."""
        return self.show_screen(target.screen, target)

    def show_screen(self, key: ScreenKey, target: Target | None = None, defer: bool = False) -> QWidget | None:
        """Opens a screen (built on first use), optionally with a target of its kind. With `defer`, its
        data is loaded on the next turn of the event loop. None when this user may not see it."""
        spec = next((s for s in self.specs if s.key == key), None)
        if spec is None:
            return None
        current = self.current_screen()
        if current is not None and current is not self.screens.get(spec.key) and not may_leave(current, self):
            self._select_sidebar(current)      # "Annuleren": back on the screen with what was typed
            return None
        widget = self.build_screen(spec.key)
        self.stack.setCurrentWidget(self._frames[spec.key])
        self.title.setText(spec.label)
        row = self.specs.index(spec)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        if defer:
            self._fill_after_paint(widget, target)
        else:
            self._fill(widget, target)
        return widget

    def show_screen_by_key(self, key: ScreenKey) -> QWidget | None:
        """Ctrl+N: the screen, with the keyboard in it — on its first field (a search field, a list) rather
        than left on the sidebar, twenty-five Tabs away from the list (issue 14). The sidebar's own arrow
        keys and clicks keep the focus where the user put it."""
        widget = self.show_screen(key)
        if widget is not None:
            focus_first_field(widget)
            # a screen that rebuilt its parts while filling (the Overzicht's cards) shows them on the next turn
            QTimer.singleShot(0, widget, lambda: widget.isAncestorOf(QApplication.focusWidget())
                              or focus_first_field(widget))
        return widget

    def after_first_fill(self, then: Callable[[], None]) -> None:
        """Runs `then` once the first screen has been filled after the first paint (at once when there is
        none pending): the launcher's work that may wait — the background check, resuming a session —
        does not compete with the first screen for the one Python thread (issue 16)."""
        if self._first_fill_pending:
            self._after_first_fill.append(then)
        else:
            QTimer.singleShot(0, self, then)

    def _fill_after_paint(self, widget: QWidget, target: Target | None) -> None:
        """The window is painted first (empty screen, title, sidebar), then the screen fills: a timer of 0
        ran before the first paint (issue 16). Once painted, the fill waits for the next turn of the event
        loop; a window that is never painted (hidden, offscreen) fills after a short wait all the same."""
        pending = {"done": False}
        self._first_fill_pending = True

        def fill() -> None:
            if not pending["done"] and not self.closed:
                pending["done"] = True
                self.removeEventFilter(watcher)
                self._fill(widget, target, after_paint=True)
                self._first_fill_pending = False
                waiting, self._after_first_fill = self._after_first_fill, []
                for then in waiting:
                    QTimer.singleShot(0, self, then)

        watcher = _FirstPaint(lambda: QTimer.singleShot(0, fill), self)
        self.installEventFilter(watcher)
        QTimer.singleShot(250, self, fill)

    def _select_sidebar(self, screen: QWidget) -> None:
        key = next(k for k, w in self.screens.items() if w is screen)
        row = next(n for n, s in enumerate(self.specs) if s.key == key)
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(row)
        self.sidebar.blockSignals(False)

    @staticmethod
    def _fill(widget: QWidget, target: Target | None, after_paint: bool = False) -> None:
        refresh = getattr(widget, "refresh_after_paint", None) if after_paint else None
        refresh = refresh or getattr(widget, "refresh", None)
        if refresh is not None:
            refresh()
        name_controls(widget)        # once filled: lists get their column titles, new rows their labels
        if target is not None:
            widget.apply_filter(target)

    def request_relogin(self) -> None:
        """After a restore the data (and maybe this account) changed underneath: log in again."""
        self.relogin_requested = True
        self.close()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if not may_leave(self.stack, self):      # every screen built so far, whichever is on show
            event.ignore()
            return
        remember(MAIN_WINDOW_GEOMETRY, self.saveGeometry())
        self.closed = True
        super().closeEvent(event)
