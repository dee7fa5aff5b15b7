"""Renders every screen of ExamDesk on the demo database to PNG (offscreen): `make screenshots`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["EXAMDESK_HOME"] = tempfile.mkdtemp(prefix="examdesk-shots-")

from examdesk.domain.incident_desk import IncidentFilter  # noqa: E402
from examdesk.services.auth import AuthService  # noqa: E402
from examdesk.services.context import AppContext  # noqa: E402
from examdesk.services.demo import create_demo  # noqa: E402
from examdesk.services.navigation import (  # noqa: E402
    AdminTab,
    AdminTarget,
    IncidentsTarget,
    ScreenKey,
    Target,
)
from examdesk.ui.launch import create_application  # noqa: E402
from examdesk.ui.main_window import MainWindow  # noqa: E402

# (file name, user, screen, what it shows)
SHOTS: list[tuple[str, str, ScreenKey, Target | None]] = [
    ("overzicht.png", "commissie", ScreenKey.OVERVIEW, None),
    ("overzicht-beheerder.png", "beheerder", ScreenKey.OVERVIEW, None),
    ("register.png", "commissie", ScreenKey.REGISTER, None),
    ("afnames.png", "bureau", ScreenKey.SESSIONS, None),
    ("rapporten.png", "commissie", ScreenKey.REPORTS, None),
    ("incidenten.png", "commissie", ScreenKey.INCIDENTS, None),
    ("incidenten-inspectieformulier.png", "commissie", ScreenKey.INCIDENTS,
     IncidentsTarget(IncidentFilter(category="GEHEIMHOUDING"))),
    ("beheer-gebruikers.png", "beheerder", ScreenKey.ADMIN, AdminTarget(AdminTab.USERS)),
    ("beheer-instelling.png", "beheerder", ScreenKey.ADMIN, AdminTarget(AdminTab.INSTITUTION)),
    ("beheer-audit.png", "beheerder", ScreenKey.ADMIN, AdminTarget(AdminTab.AUDIT)),
    ("beheer-uitwisselsleutels.png", "beheerder", ScreenKey.ADMIN, AdminTarget(AdminTab.EXCHANGE_KEYS)),
    ("beheer-back-ups.png", "beheerder", ScreenKey.ADMIN, AdminTarget(AdminTab.BACKUPS)),
    ("beheer-privacy.png", "beheerder", ScreenKey.ADMIN, AdminTarget(AdminTab.PRIVACY)),
    ("incidenten-ingetrokken.png", "commissie", ScreenKey.INCIDENTS,
     IncidentsTarget(IncidentFilter(status="ingetrokken"))),
]


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    store = create_demo(Path(os.environ["EXAMDESK_HOME"]) / "demo.sqlite")
    windows: dict[str, MainWindow] = {}
    for name, username, key, target in SHOTS:
        if username not in windows:
            window = MainWindow(AppContext(store, AuthService(store).login(username, "demo")))
            window.resize(1366, 800)
            window.show()
            windows[username] = window
        window = windows[username]
        if window.show_screen(key, target) is None:
            continue
        for _ in range(3):
            app.processEvents()
        window.grab().save(str(out / name))
        print(out / name)

    from examdesk.ui.auth_dialogs import LoginDialog

    login = LoginDialog(AuthService(store), "ROC Midden-Holland (25PZ)", str(store.path))
    login.username.setText("commissie")
    login.show()
    app.processEvents()
    login.grab().save(str(out / "inloggen.png"))
    print(out / "inloggen.png")
    incident_desk_shots(app, windows["commissie"], out)
    session_mode_shots(app, store, out)
    document_shots(store, out)
    return 0


def document_shots(store, out: Path) -> None:
    """First pages of the official documents, rendered with QtPdf as the in-app preview shows them."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    from examdesk.services.documents import DocumentService

    commission = AppContext(store, AuthService(store).login("commissie", "demo"))
    service = DocumentService(commission)
    for kind, page in (("procesverbaal", 0), ("inspectie", 0), ("besluit", 0), ("jaarverslag", 0)):
        subjects = service.subjects(kind)
        if kind == "procesverbaal":  # the richest closed session of the demo
            subjects = [s for s in subjects if "afgesloten" in s[1]][-1:]
        _, pdf = service.issue(kind, subjects[0][0])
        data = QByteArray(pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument()
        document.load(buffer)
        size = document.pagePointSize(page)
        image = document.render(page, QSize(int(size.width() * 1.4), int(size.height() * 1.4)))
        name = f"document-{kind}.png"
        image.save(str(out / name))
        print(out / name)


def incident_desk_shots(app, window: MainWindow, out: Path) -> None:
    """The decision cards with their Besluitbrief buttons (the file panel in full, not just what fits),
    and Mijn gegevens as it opens when the Inspectie form lacks the submitter's phone and e-mail."""
    from examdesk.ui.profile_dialog import CONTACT_NEEDED, MyDetailsDialog

    screen = window.navigate(IncidentsTarget(IncidentFilter(status="besloten", category="FRAUDE_KANDIDAAT")))
    for _ in range(3):
        app.processEvents()
    screen.detail.grab().save(str(out / "incidenten-besluitbrieven.png"))
    dialog = MyDetailsDialog(window.ctx, window, reason=CONTACT_NEEDED, require_contact=True)
    dialog.email.clear()
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "mijn-gegevens.png"))
    dialog.reject()
    for name in ("incidenten-besluitbrieven.png", "mijn-gegevens.png"):
        print(out / name)


def session_mode_shots(app, store, out: Path) -> None:
    """The invigilator's full-screen session mode: running, incident form, closing, locked."""
    from examdesk.services.sessions import SessionService
    from examdesk.ui.session_mode.window import SessionModeWindow

    surveillant = AppContext(store, AuthService(store).login("surveillant", "demo"))
    running = SessionService(surveillant).running_for_me()
    window = SessionModeWindow(surveillant, running.id)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    window.table.selectRow(6)
    app.processEvents()
    shots = [("sessiemodus.png", window)]
    window.grab().save(str(out / shots[0][0]))

    window.actions.incident()
    app.processEvents()
    window.dialog.filter.setText("onwel")
    window.dialog.happened.setPlainText("Kandidaat werd misselijk en verliet het lokaal")
    app.processEvents()
    window.dialog.grab().save(str(out / "sessiemodus-incident.png"))
    window.dialog.discard_without_asking()     # the typed example goes without the 'Weggooien?' question
    window.dialog.reject()
    app.processEvents()

    window.actions.close_session()
    app.processEvents()
    window.dialog.grab().save(str(out / "sessiemodus-afsluiten.png"))
    window.dialog.reject()
    app.processEvents()

    window.lock()
    app.processEvents()
    window.grab().save(str(out / "sessiemodus-vergrendeld.png"))
    window.close()
    for name in ("sessiemodus.png", "sessiemodus-incident.png", "sessiemodus-afsluiten.png",
                 "sessiemodus-vergrendeld.png"):
        print(out / name)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
