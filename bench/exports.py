"""The incident overview of a school year as CSV, XLSX and PDF, beside the same rows read and written
with plain sqlite3 and the csv module in the same run.

    python bench/exports.py [--databases demo,1y,10y]

The year is the last school year that ended (the current one for the demo): ~24,500 incidents on the
ten-year school, ~16,000 on the one-year school (its history starts in that year's November). Goals (issue 16): CSV and XLSX ≤ 2 s; a PDF that large is offered
as a summary with the details in the spreadsheet (its pages are counted)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Database, Row, compile_sources, part_main, run_child  # noqa: E402

CHILD = r"""
import csv, io, json, sqlite3, sys, time
from datetime import date
from pathlib import Path
from examdesk.data.db import open_store
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.register import school_year_bounds, school_year_of
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.doc_incidenten import export_incidents, subject_of
from examdesk.services.documents import DocumentService

path, password = Path(sys.argv[1]), sys.argv[2]
store = open_store(path)
ctx = AppContext(store, AuthService(store).login("commissie", password))
last = store.query_one("SELECT max(session_date) FROM incident_index")[0]
year = school_year_of(date.fromisoformat(last))   # the year still running …
previous = f"{int(year[:4]) - 1}-{year[:4]}"      # … or, when there is one, the last year that ended
if store.query_one("SELECT count(*) FROM incident_index WHERE session_date BETWEEN ? AND ?",
                   tuple(d.isoformat() for d in school_year_bounds(previous)))[0] > 1000:
    year = previous
start, end = school_year_bounds(year)
f = IncidentFilter(date_from=start, date_to=end)
found = {"year": year}

def raw():
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT ii.occurred_at, s.title, l.name, r.name, ii.route_category, ii.route_point, ii.effective_handler,"
        " ii.status, ii.candidate_count, ii.what_happened, ii.what_was_done, ii.incident_id FROM incident_index ii"
        " JOIN sessions s ON s.id = ii.session_id JOIN rooms r ON r.id = s.room_id JOIN locations l"
        " ON l.id = r.location_id WHERE ii.voided = 0 AND ii.occurred_at >= ? AND ii.occurred_at < ?"
        " ORDER BY ii.occurred_at", (start.isoformat(), date.fromordinal(end.toordinal() + 1).isoformat())).fetchall()
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.with_name("raw.csv").write_text(out.getvalue(), encoding="utf-8-sig")
    conn.close()
    return len(rows)

for name, fn in (("raw", raw),
                 ("csv", lambda: export_incidents(ctx, f, path.with_name("jaar.csv"))),
                 ("xlsx", lambda: export_incidents(ctx, f, path.with_name("jaar.xlsx")))):
    began = time.perf_counter()
    found[name + "_rows"] = fn()
    found[name] = time.perf_counter() - began
began = time.perf_counter()
record, pdf = DocumentService(ctx).issue("incidenten", subject_of(f))
found["pdf"] = time.perf_counter() - began
found["pdf_pages"] = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
found["pdf_bytes"] = len(pdf)
store.close()
print(json.dumps(found), flush=True)
"""


def measure(db: Database) -> dict[str, Any]:
    compile_sources(db)
    return run_child(CHILD, db, db.password)


def rows(db: Database) -> list[Row]:
    m = measure(db)
    what = f"{m['csv_rows']:,} incidenten, {m['year']}".replace(",", ".")
    return [
        Row(db.label, f"export CSV ({what})", m["csv"], m["raw"], "sqlite3 + csv", "≤ 2 s", m["csv"] <= 2),
        Row(db.label, "export XLSX (zelfde jaar)", m["xlsx"], m["raw"], "sqlite3 + csv", "≤ 2 s", m["xlsx"] <= 2),
        Row(db.label, "PDF van het jaar", m["pdf"], None, "", "samenvatting", None,
            note=f"{m['pdf_pages']} blz., {m['pdf_bytes'] / 1e6:.1f} MB"),
    ]


def main() -> None:
    part_main(__doc__, lambda db, _runs: rows(db))


if __name__ == "__main__":
    main()
