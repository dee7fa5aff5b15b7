"""Helpers for the exchange tests: the office database (A), exam-location PCs (B, C), and running a
session on one of them through the sessions service.

Every file is signed and encrypted through the real path. The people of the procedure are played here:
the examenbureau passes each package's setup code on apart from the file (`SETUP_CODES`), whoever sets
up an exam PC compares the commission's fingerprint by phone (read from the office's own key store, not
from the file), and the commission's beheerder confirms an exam PC's fingerprint the same way."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from examdesk.data import exchange_rows, keystore
from examdesk.data.db import Store, open_store
from examdesk.domain.exchange_crypto import identity_of
from examdesk.domain.sessions import IncidentInput
from examdesk.services.context import AppContext
from examdesk.services.exchange import ExchangeService, import_into_new_database
from examdesk.services.exchange_keys import ExchangeKeyService
from examdesk.services.session_mode import SessionModeService
from tests.session_support import Clock, context

# file → (setup code, the office's fingerprint): what the examenbureau tells the exam room over the phone
SETUP_CODES: dict[Path, tuple[str, str]] = {}


def fingerprint(store: Store) -> str:
    """The installation's fingerprint of a database, as Beheer → Sleutels shows it to be read aloud."""
    return identity_of(keystore.require(exchange_rows.database_id(store))).fingerprint


def new_pc(template: Path, folder: Path, name: str) -> Store:
    """An exam-location PC: a fresh, empty ExamDesk database."""
    path = folder / f"{name}.sqlite"
    shutil.copyfile(template, path)
    return open_store(path)


def send_package(a: Store, clock: Clock, session_ids: list[str], out: Path, recipient: str | None = None) -> Path:
    """A package from the office, encrypted under a new setup code (or for a pinned exam PC)."""
    result = ExchangeService(context(a, "bureau", clock)).export_package(session_ids, out, recipient)
    if result.setup_code:
        SETUP_CODES[result.path] = (result.setup_code, fingerprint(a))
    return result.path


def setup_code(package: Path) -> str:
    return SETUP_CODES[Path(package)][0]


def receive_package(b: Store, clock: Clock, package: Path) -> None:
    """An exam PC set up from the package: its setup code typed, the commission's fingerprint confirmed."""
    code, office = SETUP_CODES[Path(package)]
    import_into_new_database(AppContext(b, None, clock), package, setup_code=code, trusted_fingerprint=office)


def import_package(b: Store, clock: Clock, package: Path, username: str = "surveillant"):
    """A further package read on an exam PC that is set up (opened with its setup code when it has one)."""
    code = SETUP_CODES.get(Path(package), (None, ""))[0]
    return ExchangeService(context(b, username, clock)).import_file(package, code)


def pin_exam_pc(a: Store, clock: Clock, exam_pc: Store, record: Path) -> None:
    """The commission's beheerder confirms the exam PC's key from its first record (fingerprint by phone)."""
    ExchangeKeyService(context(a, "beheerder", clock)).trust(record, fingerprint(exam_pc))


def send_record(b: Store, a: Store, clock: Clock, session_ids: list[str], out: Path) -> Path:
    """A record from exam PC `b`, with its key confirmed at the office `a` when that is its first."""
    path = ExchangeService(context(b, "surveillant", clock)).export_record(session_ids, out).path
    from examdesk.data import exchange_keys

    if exchange_keys.by_fingerprint(a, identity_of(keystore.require(exchange_rows.database_id(b))).key_id) is None:
        pin_exam_pc(a, clock, b, path)
    return path


def run_first_half(b: Store, clock: Clock, sid: str, candidate_ids: list[int]) -> SessionModeService:
    run = SessionModeService(context(b, "surveillant", clock), sid)
    clock.set(8, 40)
    run.record_receipt("Jan Bakker", True, "envelop verzegeld")
    clock.set(8, 55)
    run.mark_present(candidate_ids[:3])
    clock.set(8, 56)
    run.mark_absent(candidate_ids[4], True, "ziek gemeld")
    clock.set(9, 2)
    run.start()
    clock.set(9, 20)
    run.late_arrival(candidate_ids[3])
    clock.set(9, 47)
    run.pause(None, "Facet storing")
    clock.set(9, 55)
    run.resume()
    return run


def run_second_half(run: SessionModeService, clock: Clock, candidate_ids: list[int]) -> None:
    clock.set(10, 12)
    incident = run.log_incident(IncidentInput("ONWEL", candidate_ids=(candidate_ids[0],), what_happened="misselijk",
                                              what_was_done="opgevangen door BHV"))
    clock.set(10, 20)
    run.correct_incident(incident.id, IncidentInput("ONWEL", clock.at.replace(minute=10),
                                                    candidate_ids=(candidate_ids[0],),
                                                    what_happened="misselijk, lokaal verlaten",
                                                    what_was_done="opgevangen door BHV; ouders gebeld"))
    clock.set(10, 30)
    wrong = run.remark("Raam open gezet")
    clock.set(10, 31)
    run.void(wrong.id, "bij de verkeerde afname genoteerd")
    clock.set(11, 45)
    run.close()


def dump(store: Store) -> str:
    """Every row of the database, for 'nothing changed' comparisons."""
    copy = sqlite3.connect(str(store.path))
    try:
        return "\n".join(copy.iterdump())
    finally:
        copy.close()
