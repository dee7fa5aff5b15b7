"""The benchmark's large school (bench/generate.py), at its smallest size: made through the project's own
code, it passes `examdesk verify`, the same options give the same rows, and it is cached with its keys.
On a school of that kind, a year's incident overview of more than `SUMMARY_FROM` incidents is a summary
as a PDF, with every incident in the spreadsheet."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bench import generate
from examdesk.data.db import open_store
from examdesk.data.users import by_username
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.services.context import AppContext
from examdesk.services.doc_incidenten import SUMMARY_FROM, export_incidents, subject_of
from examdesk.services.documents import DocumentService

TINY = replace(generate.PRESETS["tiny"], sessions=700)   # ~170 sessions in three months: over 500 incidents


@pytest.fixture
def school(tmp_path, monkeypatch) -> generate.Entry:
    monkeypatch.setenv("EXAMDESK_BENCH_CACHE", str(tmp_path / "cache"))
    return generate.ensure(TINY, log=lambda _line: None)


def _rows(path: Path, sql: str) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_generated_school_passes_verify_and_is_the_same_every_time(school, tmp_path, monkeypatch):
    info = school.info
    assert info["counts"]["incident_index"] > SUMMARY_FROM and info["counts"]["decisions"] > 0
    assert info["counts"]["documents"] > 0 and len(school.key_files) == 1
    home = tmp_path / "home"
    db = generate.install(school, home, tmp_path / "kopie" / "examdesk.sqlite")
    env = dict(os.environ, EXAMDESK_HOME=str(home), EXAMDESK_KEYS="bestand")
    done = subprocess.run([sys.executable, "-m", "examdesk", "verify", "--db", str(db)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("In orde")
    assert generate.ensure(TINY).folder == school.folder     # cached: not made again
    monkeypatch.setenv("EXAMDESK_BENCH_CACHE", str(tmp_path / "cache2"))
    again = generate.ensure(TINY, log=lambda _line: None)
    for sql in ("SELECT id, title, session_date, room_id, status FROM sessions ORDER BY id",
                "SELECT id, student_number, last_name FROM candidates ORDER BY id",
                "SELECT id, kind, data FROM session_events ORDER BY id"):
        assert _rows(again.database, sql) == _rows(school.database, sql)
    # the retention check's stored facts cover the bulk-inserted rows as the history gives them
    from examdesk.data import retention

    stored = _rows(school.database, f"SELECT {retention.COLUMNS} FROM candidate_retention ORDER BY 1")
    assert len(stored) == info["counts"]["candidates"]
    assert stored == sorted(_rows(school.database, retention.RECOMPUTE))
    # and every instrument's stored validity verdict, as a school's file has them: none left to work out at a start
    held = _rows(school.database, "SELECT count(*) FROM instrument_validity")[0][0]
    assert held == _rows(school.database, "SELECT count(*) FROM instruments")[0][0] > 0


def test_a_year_too_large_to_list_is_a_summary_pdf_and_a_full_spreadsheet(school, tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("EXAMDESK_HOME", str(home))
    monkeypatch.setenv("EXAMDESK_KEYS", "bestand")
    store = open_store(generate.install(school, home, tmp_path / "work" / "examdesk.sqlite"))
    try:
        ctx = AppContext(store, by_username(store, "commissie"))
        f = IncidentFilter(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
        total = export_incidents(ctx, f, tmp_path / "jaar.xlsx")
        assert total > SUMMARY_FROM
        sheet = load_workbook(tmp_path / "jaar.xlsx", read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == total + 1 and rows[0][0] == "Datum"
        record, pdf = DocumentService(ctx).issue("incidenten", subject_of(f))
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert f"{total} incidenten: samenvatting" in text and "Per categorie" in text and "Per maand" in text
        assert "XLSX of CSV" in text
        assert len(PdfReader(io.BytesIO(pdf)).pages) <= 4       # counts, not 40 pages of rows
        assert "Wat gebeurde er" not in text
    finally:
        store.close()


def test_a_small_overview_still_lists_every_incident(ctx_for):
    from examdesk.domain.roles import Role

    ctx = ctx_for(Role.COMMISSIE)
    f = IncidentFilter(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    record, pdf = DocumentService(ctx).issue("incidenten", subject_of(f))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "samenvatting" not in text and "Wat gebeurde er" in text
