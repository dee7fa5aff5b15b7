"""Helpers for the exchange tests: the office database (A), exam-location PCs (B, C), and running a
session on one of them through the sessions service."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from examdesk.data.db import Store, open_store
from examdesk.domain.sessions import IncidentInput
from examdesk.services.context import AppContext
from examdesk.services.exchange import ExchangeService, import_into_new_database
from examdesk.services.session_mode import SessionModeService
from tests.session_support import Clock, context


def new_pc(template: Path, folder: Path, name: str) -> Store:
    """An exam-location PC: a fresh, empty ExamDesk database."""
    path = folder / f"{name}.sqlite"
    shutil.copyfile(template, path)
    return open_store(path)


def send_package(a: Store, clock: Clock, session_ids: list[str], out: Path) -> Path:
    return ExchangeService(context(a, "bureau", clock)).export_package(session_ids, out).path


def receive_package(b: Store, clock: Clock, package: Path) -> None:
    import_into_new_database(AppContext(b, None, clock), package)


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
