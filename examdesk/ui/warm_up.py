"""What ExamDesk imports and builds while it waits (issue 16): the modules the main window and the Overzicht need,
imported one per turn of the event loop while the login waits for the startup check (`WARM_UP`), and after the
Overzicht is complete the modules and widgets of the other screens (`WARM_AFTER_READY`, `build_when_idle`) — so
neither *Inloggen* nor a screen's first open waits for an import."""

from __future__ import annotations

from collections.abc import Callable

# What follows the login, in the order it is needed: the modules `_checked` uses when the check is done, then the
# main window's, the Overzicht's and its cards' services (`services.overview._providers`), and what the launcher
# opens with the window. Imported one per turn of the event loop once *Inloggen* is enabled, while the user types
# the password — not during the startup check, whose reads each wait for the Python thread an import holds; a
# click that comes first imports the rest while argon2 verifies the password on its own thread (`_warm_rest`).
# After *Inloggen* they cost nothing (issue 16: ~250 ms on the GUI thread after the click). The recovery dialog is
# not among them: only a check that finds a problem, and the full check after the Overzicht, use it.
# Nothing else: what the first paint and the filled Overzicht do not use (the session mode, planning's rules, the
# other screens) waits for `WARM_AFTER_READY` — tests/ui/test_launch_first_paint.py names the heavy ones.
# A module left out here is merely imported later, where it is used.
WARM_UP = ("examdesk.services.auth", "examdesk.services.database", "examdesk.ui.main_window",
           "examdesk.ui.overview_screen", "examdesk.services.register", "examdesk.services.sessions",
           "examdesk.services.incident_desk", "examdesk.services.casework", "examdesk.services.privacy",
           "examdesk.ui.admin.backups")


# What the first visit to each screen imports (issue 16: Incidenten 60-100 ms on the GUI thread at the first click,
# the Register 30-55 ms, Afnames more), imported one per turn of the event loop once the Overzicht is complete —
# after *ready*, while the user reads it. Keyed by the screen (`ScreenKey`'s value, not the enum: `services.navigation`
# is not imported before the login is drawn); only the screens the user may open are warmed, Incidenten first.
# Within a screen, modules are listed before the ones that import them, so each turn imports a little.
WARM_AFTER_READY_BY_SCREEN: dict[str, tuple[str, ...]] = {
    "incidenten": ("examdesk.services.documents", "examdesk.services.incident_file",
                   "examdesk.services.decision_letters", "examdesk.services.spreadsheet_export",
                   "examdesk.ui.incidents.model", "examdesk.ui.incidents.filters", "examdesk.ui.incidents.case_panel",
                   "examdesk.ui.incidents.screen"),
    "register": ("examdesk.services.register_detail", "examdesk.ui.register.criteria_dialog",
                 "examdesk.ui.register.models", "examdesk.ui.register.dialogs", "examdesk.domain.register_import",
                 "examdesk.domain.imports", "examdesk.services.tabular", "examdesk.services.register_imports",
                 "examdesk.ui.register.import_dialog", "examdesk.ui.register.actions", "examdesk.ui.register.detail",
                 "examdesk.ui.register.filters", "examdesk.ui.register.reflow", "examdesk.ui.register.suppliers",
                 "examdesk.ui.register.screen"),
    "afnames": ("examdesk.domain.candidate_import", "examdesk.services.candidates",
                "examdesk.ui.sessions.candidate_import", "examdesk.ui.sessions.candidates",
                "examdesk.ui.sessions.end_time_dialog", "examdesk.domain.planning", "examdesk.data.planning",
                "examdesk.services.exam_periods", "examdesk.ui.sessions.exam_periods",
                "examdesk.domain.grade_determination", "examdesk.services.grade_determination",
                "examdesk.ui.sessions.grade_determination", "examdesk.ui.sessions.locations",
                "examdesk.ui.sessions.pages", "examdesk.ui.sessions.plan_dialog", "examdesk.ui.documents.viewer",
                "examdesk.ui.documents.panel", "examdesk.ui.sessions.procesverbaal_panel",
                "examdesk.ui.sessions.screen", "examdesk.services.doc_besluit", "examdesk.services.doc_inspectie",
                "examdesk.services.commission_policy", "examdesk.services.doc_jaarverslag",
                "examdesk.services.doc_procesverbaal", "examdesk.ui.session_mode.window"),
    "rapporten": ("examdesk.ui.reports.annual_report", "examdesk.ui.reports.screen"),
    "beheer": ("examdesk.services.audit", "examdesk.ui.admin.audit", "examdesk.ui.admin.institution",
               "examdesk.services.users", "examdesk.ui.admin.users", "examdesk.ui.admin.screen"),
}
WARM_AFTER_READY: tuple[str, ...] = tuple(dict.fromkeys(
    m for modules in WARM_AFTER_READY_BY_SCREEN.values() for m in modules))


def after_ready_modules(window) -> list[str]:
    """`WARM_AFTER_READY` for the screens in this window's sidebar (a surveillant's lacks the Register's)."""
    shown = {str(spec.key) for spec in window.specs}
    return list(dict.fromkeys(m for screen, modules in WARM_AFTER_READY_BY_SCREEN.items() if screen in shown
                              for m in modules))


def warm_up_when_ready(window, modules: list[str] | None = None) -> None:
    """Imports `WARM_AFTER_READY` while the main window is idle: not before its screen is complete (the
    Overzicht's cards counted on their threads; an import holds the one Python thread they report to)."""
    modules = after_ready_modules(window) if modules is None else modules
    when_screen_complete(window, lambda: import_in_turns(modules, then=lambda: build_when_idle(window)))


def when_screen_complete(window, then: Callable[[], None]) -> None:
    """Runs `then` once the screen on show is complete (the Overzicht's cards counted on their threads: what
    runs meanwhile holds the one Python thread they report to), unless the window has closed."""
    from PySide6.QtCore import QTimer

    if window.closed:
        return
    screen = window.current_screen()
    if screen is not None and not getattr(screen, "complete", True):
        QTimer.singleShot(20, window, lambda: when_screen_complete(window, then))
        return
    then()


def import_in_turns(modules: list[str], then: Callable[[], None] | None = None) -> None:
    """Imports the next module of `modules`, then lets the event loop go round (a key typed in the login, the
    check's result) before the one after it; `then` once all are imported."""
    if not modules:
        if then is not None:
            then()
        return
    import importlib

    from PySide6.QtCore import QTimer

    importlib.import_module(modules.pop(0))
    QTimer.singleShot(0, lambda: import_in_turns(modules, then))


def build_when_idle(window, keys: list | None = None) -> None:
    """Builds the user's other screens while the window is idle, one per turn of the event loop, after their
    modules are imported: a screen's first open then costs what opening it again costs — filling and painting
    it — instead of also creating its widgets (the Register's lists, filters and detail panel 65-100 ms, on
    the demo as on ten years; issue 16: open < 150 ms). Hidden in the window's stack until opened; each waits
    while the screen on show is still being filled, and a screen the user opened meanwhile is not built twice."""
    from PySide6.QtCore import QTimer

    if window.closed:
        return
    if keys is None:
        keys = [spec.key for spec in window.specs if spec.key not in window.screens]
    if not keys:
        from examdesk import method_code

        method_code.save()   # every screen's modules imported: the next start finds their dataclass code
        return

    def build_next() -> None:
        key = keys.pop(0)
        if key not in window.screens:
            screen = window.build_screen(key)
            if hasattr(screen, "fill_out_of_sight"):
                QTimer.singleShot(0, window, lambda: fill_out_of_sight(window, screen))
        QTimer.singleShot(0, window, lambda: build_when_idle(window, keys))

    when_screen_complete(window, build_next)


def fill_out_of_sight(window, screen) -> None:
    """A screen whose first fill builds more than showing it again does (Incidenten: the first row's file, its
    text laid out, 60-100 ms on ten years) is filled on a turn of its own while still out of sight; opened, it
    reads its list again and keeps that file when nothing changed since (`IncidentsScreen.select`). Not once
    the user has opened it (filled on show) or the window has closed."""
    if not window.closed and window.current_screen() is not screen:
        screen.fill_out_of_sight()
