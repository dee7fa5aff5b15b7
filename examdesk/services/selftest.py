"""`examdesk selftest`: proves on this machine (source tree or bundle) that the parts ExamDesk needs work."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, time
from pathlib import Path

from examdesk.data import audit as audit_data
from examdesk.data import keystore
from examdesk.data import meta as meta_data
from examdesk.data.db import open_store
from examdesk.domain.audit import verify_chain
from examdesk.services.context import AppContext


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


# PySide6 releases that break ExamDesk on this Python, with the reason a school is told
KNOWN_BAD_BINDINGS: dict[str, tuple[tuple[int, int], str]] = {
    # version: (first Python that is safe, why)
    "6.12.0": ((3, 12), "verliest bij elke Qt-aanroep een referentie naar None; na een uur of twee "
                        "klokslagen breekt het programma midden in een examen af"),
}


def binding_problem(pyside_version: str, python: tuple[int, int]) -> str | None:
    """Why this PySide6 cannot run ExamDesk on this Python, or None when it is not known to be bad."""
    known = KNOWN_BAD_BINDINGS.get(pyside_version)
    if known is None or python >= known[0]:
        return None
    return f"PySide6 {pyside_version} op Python {python[0]}.{python[1]} {known[1]}"


def _none_leak_probe(calls: int = 1000) -> int:
    """References to None lost by `calls` void Qt calls (0 on a sound binding, and on Python 3.12+,
    where None is immortal). Small enough that a leaking binding survives the probe itself."""
    import gc

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    gc.collect()
    before = sys.getrefcount(None)
    for i in range(calls):
        label.setText(str(i))
    gc.collect()
    return max(0, before - sys.getrefcount(None)) if sys.version_info < (3, 12) else 0


def _check_gui(folder: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication, QMainWindow

    versions = f"PySide6 {PySide6.__version__}, Qt {qVersion()}, Python {platform.python_version()}"
    problem = binding_problem(PySide6.__version__, sys.version_info[:2])
    if problem:
        raise RuntimeError(f"{versions}: {problem}. Installeer de versie die ExamDesk voorschrijft.")
    app = QApplication.instance() or QApplication([])
    lost = _none_leak_probe()
    if lost > 200:
        raise RuntimeError(f"{versions}: {lost} referenties naar None verloren in 1000 Qt-aanroepen; deze "
                           "Qt-binding breekt ExamDesk tijdens een lange examendag af.")
    window = QMainWindow()
    window.show()
    app.processEvents()
    window.close()
    from PySide6.QtPdf import QPdfDocument  # noqa: F401  (the preview of documents needs it)

    return f"Qt {app.platformName()} in orde ({versions})"


def demo_context(store, username: str, clock) -> AppContext:
    """A demo account's context without its password: for the soak, which runs on a fresh demo."""
    from examdesk.data.users import by_username

    return AppContext(store, by_username(store, username), clock=clock)


def plan_running_session(store, clock, day: date, minutes: int) -> str:
    """The soak's session: a central exam of `minutes` with up to 28 demo candidates, planned by the
    demo bureau, then received, attended and started by the demo surveillant."""
    from examdesk.data import sessions as session_data
    from examdesk.domain.sessions import PlanDraft
    from examdesk.services.session_mode import SessionModeService
    from examdesk.services.sessions import SessionService

    surveillant = demo_context(store, "surveillant", clock)
    room = max(session_data.rooms(store), key=lambda r: r.workstations)
    candidates = session_data.search_candidates(store)[: min(28, room.workstations)]
    planner = SessionService(demo_context(store, "bureau", clock))
    draft = PlanDraft(
        exam_kind="centraal", session_date=day, start=time(8, 30), duration_minutes=minutes, room_id=room.id,
        late_limit_minutes=30, central_exam="Ned3F", variant="A", period="duurtest", title="Duurtest",
        invigilator_ids=(surveillant.user.id,), candidates=tuple((c.id, None) for c in candidates))
    plan = planner.plan(draft, confirmed=planner.check_plan(draft))   # e.g. a date outside the demo's periods
    runner = SessionModeService(surveillant, plan.id)
    runner.record_receipt(surveillant.user.full_name, True)
    runner.mark_present([c.id for c in candidates])
    runner.start()
    return plan.id


def _check_keys(folder: Path) -> str:
    """The key file (scrypt + AES-GCM) and the Ed25519 key pair: proves the bundle has cryptography."""
    from examdesk.domain.keys import new_keys, open_key_file, seal_key_file

    keys = new_keys("0" * 32, "")
    passphrase = "zelftest-wachtwoord"
    if open_key_file(seal_key_file([keys], passphrase, ""), passphrase) != [keys]:
        raise RuntimeError("het sleutelbestand geeft andere sleutels terug")
    _check_exchange_crypto(keys)
    return (f"sleutelbestand, sleutelpaar en versleutelde uitwisseling in orde (vingerafdruk "
            f"{keys.fingerprint[:9]} …)")


def _check_exchange_crypto(keys) -> None:
    """Signed exchange (docs/exchange.md): Ed25519, X25519 with HKDF, AES-GCM and scrypt, as a file uses them."""
    from examdesk.domain.exchange_crypto import (
        Encryption,
        decrypt_content,
        encrypt_content,
        identity_of,
        new_setup_code,
        sign,
        signature_valid,
        slot_for_installation,
        slot_for_setup_code,
        unwrap,
    )

    own = identity_of(keys)
    content_key, nonce, ciphertext = encrypt_content(b'{"zelftest": true}', "zelftest")
    code = new_setup_code()
    encryption = Encryption(nonce, (slot_for_installation(own, content_key, "zelftest"),
                                    slot_for_setup_code(code, content_key, "zelftest")))
    for opener in ((keys, None), (None, code)):
        if decrypt_content(unwrap(encryption, "zelftest", *opener), nonce, ciphertext, "zelftest", 1024) != \
                b'{"zelftest": true}':
            raise RuntimeError("een versleuteld uitwisselbestand geeft een andere inhoud terug")
    manifest = {"zelftest": encryption.to_dict()}
    if not signature_valid(manifest, own.signing_key, sign(manifest, keys)):
        raise RuntimeError("een ondertekend uitwisselbestand verifieert niet")


def _check_startup_code(_folder: Path) -> str:
    """The bundle brings the code of its dataclasses' methods (build.spec, `examdesk.method_code`): compiling
    it at every start was half the imports after the login (issue 16). Here every module of the main window and
    the Overzicht is imported; in the bundle none of their methods may have been compiled."""
    import importlib

    from examdesk import method_code

    for module in ("examdesk.ui.main_window", "examdesk.ui.overview_screen", "examdesk.services.backup",
                   "examdesk.services.casework", "examdesk.services.privacy", "examdesk.services.sessions"):
        importlib.import_module(module)
    made, compiled = method_code.counts()
    if getattr(sys, "frozen", False) and (compiled or not made):
        raise RuntimeError(f"{compiled} van {made} dataclass-methoden gecompileerd: de bundel mist hun code "
                           f"({method_code.BUNDLED})")
    return f"{made} dataclass-methoden, waarvan {compiled} gecompileerd"


CHECKS: list[tuple[str, Callable[..., str]]] = [
    ("database", _check_database),
    ("sleutels", _check_keys),
    ("pdf", _check_pdf),
    ("gui", _check_gui),
    ("opstartcode", _check_startup_code),
]


@contextmanager
def scratch_home(prefix: str = "examdesk-selftest-") -> Iterator[Path]:
    """A temporary folder as ExamDesk's home, the keys of its databases included (as a file there,
    never in the OS key store), so a self test or a soak leaves nothing behind on the PC."""
    saved = {name: os.environ.get(name) for name in ("EXAMDESK_HOME", "EXAMDESK_KEYS")}
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp)
        os.environ["EXAMDESK_HOME"] = str(folder / "home")
        os.environ["EXAMDESK_KEYS"] = "bestand"
        try:
            yield folder
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def run_selftest(report: Callable[[str], None]) -> bool:
    ok = True
    with scratch_home() as folder:
        for name, check in CHECKS:
            try:
                detail = check(folder)
                report(f"[ok]   {name}: {detail}")
            except Exception as exc:  # a self test reports every failure, whatever its kind
                ok = False
                report(f"[FOUT] {name}: {exc}")
    return ok
