"""The Incidenten list's total and its counts per status come from one query, and agree with the rows the
pages hold — for every filter the screen can set (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.data import incident_desk as desk_data
from examdesk.domain.incident_desk import STATUSES, IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.incident_desk import IncidentDeskService


def _all_rows(service: IncidentDeskService, f: IncidentFilter) -> list:
    rows, offset = [], 0
    while True:
        page = service.page(f, offset, 3)       # small pages: the paging is part of what must agree
        rows += page
        if len(page) < 3:
            return rows
        offset += 3


@pytest.mark.parametrize("f", [
    IncidentFilter(), IncidentFilter(status="open"), IncidentFilter(status="besloten"), IncidentFilter(text="geluid"),
    IncidentFilter(text="kandidaat"), IncidentFilter(candidate="sahin"), IncidentFilter(handler="inspectie"),
    IncidentFilter(to_report=True), IncidentFilter(without_letter=True), IncidentFilter(category="ONWEL"),
    IncidentFilter(date_from=date(2020, 1, 1), date_to=date(2040, 1, 1), text="examen"),
], ids=lambda f: ",".join(f"{k}={v}" for k, v in vars(f).items() if v not in ("", None, False)) or "alles")
def test_total_counts_and_pages_agree(ctx_for, f):
    service = IncidentDeskService(ctx_for(Role.COMMISSIE))
    rows = _all_rows(service, f)
    counts = service.status_counts(f)
    assert service.count(f) == len(rows) == len({r.incident_id for r in rows})
    assert set(counts) == set(STATUSES)
    everything = _all_rows(service, f.without_status())
    assert counts == {s: sum(1 for r in everything if r.status == s) for s in STATUSES}
    if f.status:
        assert counts[f.status] == len(rows)
    else:
        assert sum(counts.values()) == len(rows)


def test_total_and_counts_are_one_query_and_follow_a_change(store, ctx_for):
    """The screen asks for the total and then the counts of the same filter: one query answers both — without a
    filter the counts the index's triggers keep (v021), with one a GROUP BY. A desk action in between is seen at
    once (the answer is kept only while the database is unchanged)."""
    service = IncidentDeskService(ctx_for(Role.COMMISSIE))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        total = service.count(IncidentFilter())
        counts = service.status_counts(IncidentFilter())
    finally:
        store.conn.set_trace_callback(None)
    counting = [s for s in statements if "count(*)" in s or "incident_status_counts" in s]
    assert len(counting) == 1 and "FROM incident_status_counts" in counting[0]
    statements.clear()
    store.conn.set_trace_callback(statements.append)
    try:
        service.count(IncidentFilter(handler="commissie"))
        service.status_counts(IncidentFilter(handler="commissie"))
    finally:
        store.conn.set_trace_callback(None)
    counting = [s for s in statements if "count(*)" in s or "incident_status_counts" in s]
    assert len(counting) == 1 and "GROUP BY status" in counting[0]
    assert total == sum(counts.values())
    opened = service.count(IncidentFilter(status="open"))
    first = service.page(IncidentFilter(status="open"), 0, 1)[0]
    other = next(c.code for c in service.catalogue.categories if c.code != first.category)
    service.reclassify(first.incident_id, other, "Bij nader inzien een andere categorie.")
    assert service.count(IncidentFilter(status="open")) == opened - 1
    assert service.status_counts(IncidentFilter())["in behandeling"] == counts["in behandeling"] + 1
    assert desk_data.count(store, IncidentFilter()) == total
