"""The incident overview's subject id carries every filter of the Incidenten screen, typed text included,
and still reads the subject ids of overviews issued before the screen's filters were added."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.domain.errors import NotFound
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.doc_incidenten import filter_of, rows_for, subject_of, with_period
from examdesk.services.documents import DocumentService


def test_every_screen_filter_survives_the_subject_id():
    f = IncidentFilter(date_from=date(2026, 9, 1), date_to=date(2026, 12, 31), status="in behandeling",
                       category="ONWEL", handler="inspectie", location_id=3, session_id="abc", candidate_id=7,
                       candidate="Şahin; 100%", text="a=b;c %3B", to_report=True, without_letter=True)
    subject = subject_of(f)
    assert subject.count(";") == 11 and "zoek=a%3Db%3Bc %253B" in subject
    assert filter_of(subject) == f


def test_subject_ids_issued_earlier_read_as_before():
    old = "van=2026-01-01;tot=2026-07-31;status=in behandeling;categorie=ONWEL;locatie=2"
    f = filter_of(old)
    assert (f.status, f.category, f.location_id, f.text, f.to_report) == ("in behandeling", "ONWEL", 2, "", False)
    assert subject_of(f) == old


def test_the_search_finds_category_names_as_on_the_screen(ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    f = with_period(ctx.store, IncidentFilter(text="onwel"), ctx.clock().date())
    codes = {r["code"] for r in rows_for(ctx.store, f)}
    assert "ONWEL" in codes                                  # by its category name, 'Onwel geworden'
    _, pdf = DocumentService(ctx).issue("incidenten", subject_of(f))
    assert pdf.startswith(b"%PDF")


def test_without_a_period_the_overview_runs_from_the_first_incident_that_fits(ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    today = ctx.clock().date()
    f = with_period(ctx.store, IncidentFilter(category="ONWEL"), today)
    every = IncidentFilter(category="ONWEL", date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    first = rows_for(ctx.store, every)[0]["datum"]                  # rows come in time order
    assert f.date_from.strftime("%d-%m-%Y") == first and f.date_to == today
    kept = IncidentFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 2))
    assert with_period(ctx.store, kept, today) is kept
    with pytest.raises(NotFound, match="Geen incidenten bij deze filters"):
        with_period(ctx.store, IncidentFilter(text="hier staat niets"), today)
