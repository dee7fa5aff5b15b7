"""'Opslaan als…' starts where the user looks for the file afterwards: the folder last saved to in ExamDesk,
else the user's Documents folder — never the program's working directory — with a name that says what the
file is. 'Bestand kiezen…' starts where the user keeps the files to read in: the folder last opened from in
ExamDesk (remembered apart from the save folder), else Documents; an exchange file on the folder of its USB
stick. One helper asks for every file dialog (`examdesk.ui.save_dialog`)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from examdesk.data.sessions import list_sessions
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.register import RegisterService
from examdesk.ui.admin.exchange_keys import ExchangeKeysPanel
from examdesk.ui.exchange_dialog import ExchangeDialog, setup_from_package
from examdesk.ui.incidents.casework_dialogs import EvidenceDialog
from examdesk.ui.register.import_dialog import ImportDialog, choose_export_file
from examdesk.ui.save_dialog import file_name, start_folder
from examdesk.ui.sessions.candidates import CandidatesTab
from examdesk.ui.sessions.procesverbaal_panel import ProcesverbaalPanel

PACKAGE = Path(__file__).resolve().parents[2] / "examdesk"


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "Documenten"
    folder.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    return folder


def _answered(monkeypatch, method: str, filter_when_cancelled: bool) -> tuple[list[str], list[str]]:
    """Qt's `method` dialog, answered: records where it opened and returns the answer the test sets."""
    asked: list[str] = []
    answer: list[str] = [""]

    def ask(_parent, _title, start, file_filter, *_args):
        asked.append(start)
        return answer[0], file_filter.split(";;")[0] if answer[0] or filter_when_cancelled else ""

    monkeypatch.setattr(QFileDialog, method, ask)
    return asked, answer


@pytest.fixture
def dialog(monkeypatch):
    """Qt's save dialog, answered."""
    return _answered(monkeypatch, "getSaveFileName", filter_when_cancelled=True)


@pytest.fixture
def open_dialog(monkeypatch):
    """Qt's open dialog, answered (a warning about the file is let through)."""
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    return _answered(monkeypatch, "getOpenFileName", filter_when_cancelled=False)


def test_an_import_opens_in_documents_and_the_next_file_to_open_starts_where_the_last_one_came_from(
        qtbot, ctx_for, documents, open_dialog, dialog, tmp_path):
    asked, answer = open_dialog
    eduarte = tmp_path / "Downloads" / "eduarte"
    eduarte.mkdir(parents=True)
    export = eduarte / "kandidaten.csv"                                # the examenbureau's Eduarte export
    export.write_text("Studentnummer;Achternaam;Voorvoegsels;Roepnaam\n9990001;Daoudi;;Noël\n", encoding="utf-8")
    tab = CandidatesTab(ctx_for(Role.BUREAU))
    qtbot.addWidget(tab)
    tab.exec_dialog = lambda d: 0                                     # the import's own dialog, cancelled
    answer[0] = str(export)
    tab.import_file()
    assert Path(asked[0]) == documents                                 # not the working directory ("")

    answer[0] = ""
    commissie = ctx_for(Role.COMMISSIE)
    register_import = ImportDialog(None, RegisterService(commissie))
    qtbot.addWidget(register_import)
    register_import._browse()
    evidence = EvidenceDialog(None, [], lambda *a: None)
    qtbot.addWidget(evidence)
    evidence._choose()
    assert [Path(a) for a in asked[1:]] == [eduarte, eduarte]         # where the last file came from

    save_asked, _ = dialog                                             # saving keeps its own folder
    choose_export_file(None, date(2026, 11, 23))
    assert Path(save_asked[0]).parent == documents


def test_an_exchange_file_is_opened_from_its_own_folder_not_from_the_last_import(
        qtbot, ctx_for, documents, open_dialog, tmp_path):
    asked, answer = open_dialog
    eduarte = tmp_path / "eduarte"
    eduarte.mkdir()
    tab = CandidatesTab(ctx_for(Role.BUREAU))
    qtbot.addWidget(tab)
    tab.exec_dialog = lambda d: 0
    answer[0] = str(eduarte / "kandidaten.csv")                       # missing: a Dutch message, nothing read
    tab.import_file()

    stick = tmp_path / "USB-STICK"
    stick.mkdir()
    (stick / "pakket.examdesk").write_bytes(b"geen pakket")
    panel = ExchangeKeysPanel(ctx_for(Role.BEHEERDER))
    qtbot.addWidget(panel)
    answer[0] = str(stick / "pakket.examdesk")
    panel.choose_file()                                                # a broken file: refused, folder kept
    assert Path(asked[1]) == documents                                 # not the Eduarte folder

    answer[0] = ""
    exchange = ExchangeDialog(ctx_for(Role.BUREAU))
    qtbot.addWidget(exchange)
    exchange.choose_file()
    assert setup_from_package(None, ctx_for(Role.BUREAU)) is False
    assert [Path(a) for a in asked[2:]] == [stick, stick]


def test_the_procesverbaal_is_offered_in_documents_under_its_own_name_and_the_next_save_starts_where_it_went(
        qtbot, ctx_for, documents, dialog, tmp_path):
    asked, answer = dialog
    ctx = ctx_for(Role.COMMISSIE)
    session = list_sessions(ctx.store, SessionFilter(status="afgesloten"))[0]
    panel = ProcesverbaalPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_session(session.id, "afgesloten")
    panel.button.click()
    qtbot.waitUntil(lambda: panel.last_viewer is not None, timeout=15000)
    chosen = tmp_path / "commissie" / "pv.pdf"
    chosen.parent.mkdir()
    answer[0] = str(chosen)
    assert panel.last_viewer.save_as() == chosen and chosen.read_bytes().startswith(b"%PDF")
    start = Path(asked[0])
    assert start.parent == documents                                   # not the working directory
    assert start.name == f"procesverbaal-{file_name(session.title, 'pdf')[:-4]}-{session.session_date:%Y-%m-%d}.pdf"

    answer[0] = ""                                                     # another export, cancelled
    assert choose_export_file(panel, date(2026, 11, 23)) is None
    assert Path(asked[1]) == chosen.parent / "instrumentenregister-2026-11-23.xlsx"


def test_a_remembered_folder_that_is_gone_falls_back_to_documents_and_without_documents_to_home(
        documents, dialog, tmp_path, monkeypatch):
    asked, answer = dialog
    gone = tmp_path / "usb-stick"
    gone.mkdir()
    answer[0] = str(gone / "register.xlsx")
    choose_export_file(None, date(2026, 11, 23))
    assert start_folder() == gone
    gone.rmdir()                                                       # the stick was pulled out
    assert start_folder() == documents
    documents.rmdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    assert start_folder() == Path.home()


@pytest.mark.parametrize(("title", "expected"), [
    ("Procesverbaal Nederlands 3F, 23-11-2026", "procesverbaal-nederlands-3f-2026-11-23.pdf"),
    ("Incidentenoverzicht 01-09-2026 tot 23-11-2026", "incidentenoverzicht-2026-09-01-tot-2026-11-23.pdf"),
    ("Besluit Elif Şahin", "besluit-elif-şahin.pdf"),
    ("../../etc/passwd", "etc-passwd.pdf"),                            # no folder in a suggested name
    ('CON: <rapport> "x"|?*\\', "con-rapport-x.pdf"),                  # nothing Windows refuses
    ("", "examdesk.pdf"),
])
def test_a_suggested_name_says_what_the_file_is_and_is_a_plain_file_name(title, expected):
    assert file_name(title, "pdf") == expected


def test_every_file_dialog_is_asked_through_the_one_helper():
    """A new 'Opslaan als…' or 'Bestand kiezen…' that calls Qt directly would open in the working directory
    again."""
    direct = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "ui/save_dialog.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith(("getSave", "getOpen", "getExisting")):
                direct.append(f"{rel}:{node.lineno}")
    assert direct == []
