"""Counts inside documents in Dutch (issue 14: "1 kandidaten"): a document about one incident says
"1 incident", never "1 incidenten"; the counts go through domain/plural.py."""

from __future__ import annotations

import io

from pypdf import PdfReader

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.register import school_year_bounds, school_year_of
from examdesk.domain.roles import Role
from examdesk.services.doc_incidenten import subject_of
from examdesk.services.documents import DocumentService
from examdesk.services.incident_desk import IncidentDeskService


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_an_overview_of_one_incident_says_one_incident(ctx_for):
    commission = ctx_for(Role.COMMISSIE)
    start, end = school_year_bounds(school_year_of(commission.clock().date()))
    desk = IncidentDeskService(commission)
    codes = {r[0] for r in commission.store.query("SELECT DISTINCT category FROM incident_index")}
    one = next(IncidentFilter(date_from=start, date_to=end, category=c) for c in sorted(codes)
               if desk.count(IncidentFilter(date_from=start, date_to=end, category=c)) == 1)
    prepared = DocumentService(commission).prepare("incidenten", subject_of(one))
    text = _text(prepared.pdf)
    assert "1 incident, in volgorde van tijd" in text and "1 incidenten" not in text


def test_registrations_that_run_into_other_days_carry_their_dates():
    """A commission member who decided a week after the session read as '10:50–02:56' in 1.1."""
    from datetime import date, datetime

    from examdesk.domain.clock import AMSTERDAM
    from examdesk.services.doc_procesverbaal import _span

    day = date(2026, 11, 19)
    same = _span(datetime(2026, 11, 19, 8, 35, tzinfo=AMSTERDAM), datetime(2026, 11, 19, 11, 40, tzinfo=AMSTERDAM), day)
    later = _span(datetime(2026, 11, 19, 10, 50, tzinfo=AMSTERDAM), datetime(2026, 12, 1, 2, 56, tzinfo=AMSTERDAM), day)
    assert same == "08:35–11:40"
    assert later == "19-11-2026 10:50 – 01-12-2026 02:56"
