"""Renders session mode (running, locked, closing) and the Afnames screen offscreen to PNG files,
from a fresh demo database, so they can be looked at without a display.

    QT_QPA_PLATFORM=offscreen python tools/session_screenshots.py [FOLDER]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    os.environ["EXAMDESK_HOME"] = str(work / "home")

    from examdesk.services.auth import AuthService
    from examdesk.services.context import AppContext
    from examdesk.services.demo import create_demo
    from examdesk.services.sessions import SessionService
    from examdesk.ui.launch import create_application

    app = create_application()
    store = create_demo(work / "demo.sqlite")
    surveillant = AppContext(store, AuthService(store).login("surveillant", "demo"))
    running = SessionService(surveillant).running_for_me()

    from examdesk.ui.session_mode import SessionModeWindow

    window = SessionModeWindow(surveillant, running.id)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    window.table.selectRow(6)
    app.processEvents()
    window.grab().save(str(out / "session-running.png"))

    window.incident()
    app.processEvents()
    window.dialog.filter.setText("onwel")
    window.dialog.happened.setPlainText("Kandidaat werd misselijk en verliet het lokaal")
    app.processEvents()
    window.dialog.grab().save(str(out / "session-incident-form.png"))
    window.dialog.reject()
    app.processEvents()

    window.close_session()
    app.processEvents()
    window.dialog.grab().save(str(out / "session-closing.png"))
    window.dialog.reject()
    app.processEvents()

    window.lock()
    app.processEvents()
    window.grab().save(str(out / "session-locked.png"))
    window.close()

    from examdesk.ui.sessions_screen import SessionsScreen

    bureau = AppContext(store, AuthService(store).login("bureau", "demo"))
    screen = SessionsScreen(bureau)
    screen.resize(1500, 850)
    screen.show()
    screen.refresh()
    app.processEvents()
    screen.table.selectRow(2)
    app.processEvents()
    screen.grab().save(str(out / "afnames.png"))
    screen.tabs.setCurrentIndex(1)
    app.processEvents()
    screen.grab().save(str(out / "kandidaten.png"))
    store.close()
    print(f"Schermafdrukken in {out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
