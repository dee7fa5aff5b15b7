"""`examdesk selftest`: proves on this machine (source tree or bundle) that the parts ExamDesk needs work."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from examdesk.data import audit as audit_data
from examdesk.data import keystore
from examdesk.data import meta as meta_data
from examdesk.data.db import open_store
from examdesk.domain.audit import verify_chain


def _check_database(folder: Path) -> str:
    from examdesk.data import migrations
    from examdesk.services.audit import verify_store
    from examdesk.services.demo import create_demo

    store = create_demo(folder / "selftest.sqlite")
    try:
        if store.schema_version() != migrations.LATEST_VERSION:
            raise RuntimeError(f"schemaversie {store.schema_version()} in plaats van {migrations.LATEST_VERSION}")
        for pragma, expected in (("journal_mode", "wal"), ("foreign_keys", 1), ("synchronous", 2)):
            value = store.query_one(f"PRAGMA {pragma}")[0]
            if value != expected:
                raise RuntimeError(f"PRAGMA {pragma} is {value}, verwacht {expected}")
        verdict = verify_store(store)
        if not verdict.ok or verdict.checked < 2:
            raise RuntimeError(f"auditketen: {verdict.reason or 'te weinig regels'}")
        if store.integrity_check() != ["ok"]:
            raise RuntimeError("integriteitscontrole mislukt")
    finally:
        store.close()
    # a row changed behind ExamDesk's back must be detected, also when its plain hash is recomputed
    reopened = open_store(folder / "selftest.sqlite")
    try:
        entries = audit_data.all_entries(reopened)
        _present, anchor = audit_data.anchor(reopened)
        key = keystore.require(meta_data.database_id(reopened)).hmac_key
    finally:
        reopened.close()
    if not verify_chain(entries, None, key, anchor).ok:
        raise RuntimeError("de auditketen klopt niet met de sleutel")
    tampered = [replace(e, username="x") if e.seq == 2 else e for e in entries]
    if verify_chain(tampered, None, key, anchor).ok:
        raise RuntimeError("een gewijzigde auditregel werd niet opgemerkt")
    return f"database en auditketen in orde ({verdict.checked} regels)"


def _check_pdf(folder: Path) -> str:
    from reportlab.platypus import Paragraph

    from examdesk.domain.fingerprint import fingerprint
    from examdesk.reports.frame import PageFrame, build_pdf, styles

    st = styles()
    names = "Elif Şahin, Łukasz Wójcik, Nguyễn Thị Lan, Ĳsselmeer, Bakker-de Vries"
    frame = PageFrame("Zelftest", "ExamDesk", "ROC Zelftest (00AA)", "zelftest", "01-01-2026 00:00",
                      fingerprint({"names": names}))
    data = build_pdf(frame, [Paragraph("Zelftest ExamDesk", st["title"]), Paragraph(names, st["body"])])
    (folder / "selftest.pdf").write_bytes(data)
    if not data.startswith(b"%PDF") or b"/FontFile2" not in data:
        raise RuntimeError("PDF zonder ingebed lettertype")
    return f"PDF met ingebed lettertype ({len(data) // 1024} kB)"


def _check_gui(folder: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    window.show()
    app.processEvents()
    window.close()
    from PySide6.QtPdf import QPdfDocument  # noqa: F401  (the preview of documents needs it)

    return f"Qt {app.platformName()} in orde"


def _check_keys(folder: Path) -> str:
    """The key file (scrypt + AES-GCM) and the Ed25519 key pair: proves the bundle has cryptography."""
    from examdesk.domain.keys import new_keys, open_key_file, seal_key_file

    keys = new_keys("0" * 32, "")
    passphrase = "zelftest-wachtwoord"
    if open_key_file(seal_key_file([keys], passphrase, ""), passphrase) != [keys]:
        raise RuntimeError("het sleutelbestand geeft andere sleutels terug")
    return f"sleutelbestand en sleutelpaar in orde (vingerafdruk {keys.fingerprint[:9]} …)"


CHECKS: list[tuple[str, Callable[..., str]]] = [
    ("database", _check_database),
    ("sleutels", _check_keys),
    ("pdf", _check_pdf),
    ("gui", _check_gui),
]


def run_selftest(report: Callable[[str], None]) -> bool:
    """Everything happens in a temporary folder, the keys of its test database included (as a file
    there, never in the OS key store), so a self test leaves nothing behind on the PC."""
    ok = True
    saved = {name: os.environ.get(name) for name in ("EXAMDESK_HOME", "EXAMDESK_KEYS")}
    with tempfile.TemporaryDirectory(prefix="examdesk-selftest-") as tmp:
        folder = Path(tmp)
        os.environ["EXAMDESK_HOME"] = str(folder / "home")
        os.environ["EXAMDESK_KEYS"] = "bestand"
        try:
            for name, check in CHECKS:
                try:
                    detail = check(folder)
                    report(f"[ok]   {name}: {detail}")
                except Exception as exc:  # a self test reports every failure, whatever its kind
                    ok = False
                    report(f"[FOUT] {name}: {exc}")
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return ok
