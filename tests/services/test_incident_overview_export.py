"""The year's incident overview as CSV and XLSX says, cell for cell, what the Incidenten list says of each
incident: the export builds its rows from plain columns for speed (issue 16: 25,000 rows in a year), and this
holds that it still formats them exactly as the list's own rows and the shared formatters do."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date, format_time
from examdesk.domain.collation import sorted_names
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.doc_incidenten import COLUMNS, export_incidents
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.spreadsheet_export import csv_text


def _expected(ctx, f: IncidentFilter) -> list[list[str]]:
    """Every incident of the period as the list shows it, oldest first, as CSV cells."""
    names = {c.code: c.name for c in default_catalogue().categories}
    rows = IncidentDeskService(ctx).page(f, 0, 10_000, "tijd", descending=False)
    found = []
    for r in rows:
        people = ", ".join(sorted_names(n for n in r.candidate_names.split(", ") if n))
        more = f" (+{r.candidate_count - 3})" if r.candidate_count > 3 else ""
        found.append([csv_text(v) for v in (
            format_date(r.occurred_at), format_time(r.occurred_at), r.session_title, r.location_name, r.room_name,
            r.category, names.get(r.category, r.category), r.protocol_point or "", r.handler_label, r.status,
            people + more, r.candidate_count, r.what_happened or "", r.what_was_done or "", r.incident_id)])
    return found


def test_csv_and_xlsx_hold_what_the_list_shows_of_every_incident(ctx_for, tmp_path):
    ctx = ctx_for(Role.COMMISSIE)
    f = IncidentFilter(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    expected = _expected(ctx, f)
    assert any(", " in row[10] for row in expected), "the demo has an incident with several candidates"
    assert any(not row[10].isascii() for row in expected), "and names with accents (Şahin, Łukasz)"

    assert export_incidents(ctx, f, tmp_path / "jaar.csv") == len(expected)
    text = (tmp_path / "jaar.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == COLUMNS
    assert sorted(rows[1:], key=lambda r: r[-1]) == sorted(expected, key=lambda r: r[-1])
    moments = [(r[0][6:], r[0][3:5], r[0][:2], r[1]) for r in rows[1:]]
    assert moments == sorted(moments)   # in time order, oldest first

    assert export_incidents(ctx, f, tmp_path / "jaar.xlsx") == len(expected)
    sheet = load_workbook(tmp_path / "jaar.xlsx", read_only=True).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows


def test_names_holding_the_export_s_separators_come_out_as_the_list_shows_them(ctx_for, store, tmp_path):
    """The overview reads its names aggregated in one query, a name's parts and the names joined by two control
    characters. A candidate imported from outside whose name holds those characters (or the list's ', ') must
    still be named as the list names it, never split into more people nor merged with the next one."""
    from dataclasses import replace

    from examdesk.domain.errors import ValidationError
    from examdesk.services.candidates import CandidateService

    ctx = ctx_for(Role.COMMISSIE)
    f = IncidentFilter(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    several = next(r for r in IncidentDeskService(ctx).page(f, 0, 10_000, "tijd") if r.candidate_count >= 2)
    people = [row[1] for row in store.query(
        "SELECT ic.incident_id, ic.candidate_id FROM incident_candidates ic WHERE ic.incident_id = ?",
        (several.incident_id,))]
    odd = [("Ab\x1eba", "Kees\x1f", "van"), ("Zee, de", "Ann\x1e\x1f", "")]
    for candidate_id, (last, first, prefix) in zip(people, odd, strict=False):
        try:   # as the candidate screen would save it, or (refused there) as a crafted file could hold it
            CandidateService(ctx_for(Role.BUREAU)).save(replace(CandidateService(ctx_for(Role.BUREAU)).get(
                candidate_id), last_name=last, first_name=first, prefix=prefix))
        except ValidationError:
            store.conn.execute("UPDATE candidates SET first_name = ?, prefix = ?, last_name = ? WHERE id = ?",
                               (first, prefix, last, candidate_id))
    expected = _expected(ctx, f)
    shown = next(row[10] for row in expected if row[-1] == several.incident_id)
    assert "\x1e" in shown or "\x1f" in shown

    export_incidents(ctx, f, tmp_path / "jaar.csv")
    text = (tmp_path / "jaar.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert sorted(rows[1:], key=lambda r: r[-1]) == sorted(expected, key=lambda r: r[-1])


def test_the_overview_is_read_in_one_statement_whatever_the_number_of_incidents(ctx_for, store):
    """A year of a large school is 25,000 incidents and 117,000 names (issue 16): the rows and their names come
    from one statement, never a query per incident or per page of incidents."""
    from examdesk.services.doc_incidenten import rows_for

    f = IncidentFilter(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    rows_for(store, f)   # the incident index brought up to date first: its catch-up is not what is counted
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        rows = rows_for(store, f)
    finally:
        store.conn.set_trace_callback(None)
    assert len(rows) > 10 and any(", " in r["kandidaten"] for r in rows)
    reads = [s for s in seen if "incident_candidates" in s or "desk_incidents" in s]
    assert len(reads) == 1, reads
