"""Examenprotocol 11b on the procesverbaal and the closing summary, from one function (`domain/sessions.attendance`):
the counts above the tables and the tables agree (no more "onwel: 0" above a table listing one), a candidate
who became unwell and went on after quarantine still counts as unwell, and a candidate who stopped (unwell, or
left without finishing) has no end time."""

from __future__ import annotations

from examdesk.domain.sessions import IncidentInput
from examdesk.services.doc_procesverbaal import collect
from examdesk.services.session_mode import SessionModeService
from tests.session_support import Clock, at, context, plan_session


def test_counts_tables_and_summary_agree_and_stopped_candidates_have_no_end_time(store):
    clock = Clock(at(8, 30))
    sid, ids = plan_session(store, clock, count=6, names=[
        ("Anouk", "", "Jansen"), ("Loïs", "van den", "Berg"), ("Noël", "", "Daoudi"), ("Elif", "", "Şahin"),
        ("Łukasz", "", "Wójcik"), ("Thi Mai", "", "Nguyễn")])
    back, stopped, left, late, absent, plain = ids
    run = SessionModeService(context(store, "surveillant", clock), sid)
    clock.set(8, 40)
    run.record_receipt("Jan Bakker", True)
    clock.set(8, 55)
    run.mark_present([back, stopped, left, plain])
    run.mark_absent(absent, True, "ziek gemeld")
    clock.set(9, 0)
    run.start()
    clock.set(9, 10)
    run.late_arrival(late)
    clock.set(9, 20)
    run.log_incident(IncidentInput("ONWEL", candidate_ids=(back,), what_happened="Duizelig",
                                   what_was_done="In quarantaine in A0.05"))
    clock.set(9, 25)
    run.log_incident(IncidentInput("ONWEL", candidate_ids=(stopped,), what_happened="Misselijk, kan niet verder"))
    clock.set(9, 50)
    run.set_candidate_status(back, "aanwezig", "Na quarantaine voortgezet")
    clock.set(9, 55)
    run.set_candidate_status(left, "vertrokken", "Wilde niet verder")
    clock.set(10, 30)
    run.set_candidate_status(late, "ingeleverd")
    clock.set(11, 5)
    run.close()

    summary = run.summary()
    data = collect(store, sid).data
    counts = data["aanwezigheid"]
    assert counts["onwel"] == len(data["onwel"]) == len(summary.unwell) == 2
    assert {r["kandidaat"].split(" (")[0] for r in data["onwel"]} == {"Anouk Jansen", "Loïs van den Berg"}
    assert set(summary.unwell) == {"Anouk Jansen", "Loïs van den Berg"}
    assert counts["te_laat_toegelaten"] == len([r for r in data["te_laat"] if r["toegelaten"]]) == len(summary.late)
    assert summary.late == ("Elif Şahin (09:10)",)            # came late, though she handed in later
    assert counts["afwezig"] == len(data["afwezig"]) == len(summary.absent) == 1
    assert summary.left == ("Noël Daoudi",)
    anouk = next(r for r in data["onwel"] if r["kandidaat"].startswith("Anouk"))
    assert "voortgezet om 09:50" in anouk["quarantaine"] and "quarantaine" in anouk["toelichting"].lower()

    end = {r["naam"]: r["eindtijd"] for r in data["kandidaten"]}
    assert end["Loïs van den Berg"] == "" and end["Noël Daoudi"] == ""      # stopped: no end time
    assert end["Anouk Jansen"] == "11:00" and end["Thi Mai Nguyễn"] == "11:00"
    assert end["Elif Şahin"] == "11:00"                                     # late: the same end time (point 14)
    assert end["Łukasz Wójcik"] == ""                                       # absent
