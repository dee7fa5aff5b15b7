"""The desk's pure rules: measures per protocol point, minors, how long a report has waited (no invented
deadline), point 7's report of a decision that takes the measure, bijzonderheden, the triage sentence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from examdesk.domain.candidates import age_on, is_minor
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import (
    CaseFacts,
    DecisionInput,
    Measure,
    allowed_measures,
    available_actions,
    check_decision,
    close_blocker,
    incident_status,
    report_subject,
    report_wait,
    triage_explanation,
    why_no_decision,
    why_no_report,
)

A, B, C, D, V = (Measure.GRADE_ONE, Measure.EXCLUSION, Measure.VOID, Measure.LATER_PERIOD, Measure.VOID_RESIT)


@pytest.mark.parametrize(("point", "measures"), [
    (6, {V}), (7, {V}), (8, {A, B, C, D}), (9, {A, B, C, D, V}), (10, {A, B, C, D, V}), (None, {V}),
])
def test_allowed_measures_per_protocol_point(point, measures):
    assert set(allowed_measures(point)) == measures


@pytest.mark.parametrize(("point", "measure", "ok"), [
    (7, "cijfer_1", False), (6, "uitsluiting", False), (8, "ongeldig_opnieuw", False), (8, "volgend_tijdvak", True),
    (7, "ongeldig_opnieuw", True), (9, "cijfer_1", True),
])
def test_check_decision_refuses_a_measure_outside_the_point(point, measure, ok):
    d = DecisionInput((1,), date(2027, 3, 10), (7,), (measure,), reasoning="r")
    args = (point, date(2027, 3, 10), date(2027, 3, 10), {1}, {7: "M. de Vries"}, {1: "Anouk"})
    if ok:
        assert check_decision(d, *args).measures == (measure,)
    else:
        with pytest.raises(ValidationError, match="past niet bij examenprotocol"):
            check_decision(d, *args)


@pytest.mark.parametrize(("birth", "on", "minor"), [
    (date(2009, 3, 10), date(2027, 3, 10), False),   # 18th birthday on the decision date
    (date(2009, 3, 11), date(2027, 3, 10), True),    # 18th birthday the day after
    (date(2009, 3, 9), date(2027, 3, 10), False),    # 18th birthday the day before
    (date(2008, 2, 29), date(2026, 2, 28), True),    # leap-day child: 18 on 1 March in a common year
    (date(2008, 2, 29), date(2026, 3, 1), False),
    (None, date(2027, 3, 10), None),
])
def test_minor_on_the_boundary_days(birth, on, minor):
    assert is_minor(birth, on) is minor
    if birth:
        assert (age_on(birth, on) < 18) is minor


@pytest.mark.parametrize(("waited_for", "shown"), [
    (timedelta(minutes=12), "wacht sinds 12 minuten"), (timedelta(hours=5), "wacht sinds 5 uur"),
    (timedelta(days=1, hours=2), "wacht sinds 1 dag"), (timedelta(days=3), "wacht sinds 3 dagen"),
    (timedelta(days=400), "wacht sinds 400 dagen"),
])
def test_a_report_says_how_long_it_waited_and_never_that_it_is_late(waited_for, shown):
    """Beleidsregel art. 2 lid 2: "zo spoedig mogelijk" — no number of days, so no deadline to miss."""
    since = datetime(2027, 3, 12, 10, 0, tzinfo=AMSTERDAM)
    wait = report_wait("melding", since, since + waited_for)
    assert shown in wait.text and "zo spoedig mogelijk" in wait.text
    for word in ("te laat", "uiterlijk", "verlopen", "termijn", "deadline"):
        assert word not in wait.text.lower()


# What a point-7 incident at a central exam needs, with and without a measure. Examenprotocol point 7: "Het
# besluit waarbij bedoelde maatregel wordt genomen, wordt in afschrift toegezonden aan de deelnemers en gemeld bij
# de Inspectie van het Onderwijs".
POINT_7 = CaseFacts(exam_kind="centraal", route_handler="examencommissie", protocol_point=7, route_to_inspectie=True,
                    doubtful=False, reported=False, open_report=False, last_answer=None, decision_reported=False,
                    decision_count=0, undecided=3, candidate_count=3, closed=False)


@pytest.mark.parametrize(("decided", "measures", "reported", "to_report", "closable"), [
    (0, 0, False, None, False),             # nothing decided yet: nothing to report, not closable
    (3, 0, False, None, True),              # "geen maatregel": not reported, does not block closing
    (3, 3, False, "besluit", False),        # the measure taken: reported before closing
    (3, 1, False, "besluit", False),        # one candidate's resit is a measure too
    (3, 3, True, None, True),               # reported: closable
])
def test_point_7_reports_only_a_decision_that_takes_the_measure(decided, measures, reported, to_report, closable):
    f = replace(POINT_7, decision_count=decided, undecided=3 - decided, measure_count=measures,
                decision_reported=reported, activity=decided > 0)
    assert report_subject(f) == to_report
    assert (close_blocker(f) == "") is closable
    assert available_actions(f).report == to_report
    if decided and not measures:
        assert "geen maatregel" in why_no_report(f)


def test_point_7_at_an_institution_exam_is_never_reported():
    f = replace(POINT_7, exam_kind="instelling", route_to_inspectie=False, decision_count=3, undecided=0,
                measure_count=3)
    assert report_subject(f) is None and close_blocker(f) == ""


def test_a_bijzonderheid_asks_for_no_decision_and_is_not_open_work():
    f = replace(POINT_7, route_handler="procesverbaal", protocol_point=None, route_to_inspectie=False)
    assert incident_status(f) == "bijzonderheid"
    actions = available_actions(f)
    assert not actions.decide and actions.report is None and actions.close and actions.reclassify
    assert "procesverbaal" in why_no_decision(f) and close_blocker(f) == ""
    assert incident_status(replace(f, closed=True)) == "afgesloten"


def test_triage_explanation_cites_point_and_letter_and_the_exam_kind():
    cat = default_catalogue()
    text = triage_explanation(cat.route("TOEZICHT", "centraal"), "centraal")
    assert "punt 10" in text and "artikel 2, eerste lid, onder c" in text and "Aanvraagformulier" in text
    text = triage_explanation(cat.route("GEHEIMHOUDING", "instelling"), "instelling")
    assert text.startswith("Instellingsexamen") and "punt 9" in text and "bestuur" in text
    text = triage_explanation(cat.route("ONWEL", "centraal"), "centraal", doubtful=True)
    assert text.startswith("Twijfelgeval") and "punt 6" in text
    text = triage_explanation(cat.route("NIET_GESTART", "centraal"), "centraal")
    assert "Minister" in text and "artikel 12" in text
    text = triage_explanation(cat.route("TOEZICHT", "centraal"), "centraal", referred_back_on=date(2027, 3, 12))
    assert "12-03-2027 terugverwezen" in text
    text = triage_explanation(cat.route("GELUIDSOVERLAST", "centraal"), "centraal")
    assert "bijzonderheid" in text.lower() and "punt 11" in text and "niet over te besluiten" in text
    text = triage_explanation(cat.route("STROOMSTORING", "centraal"), "centraal")
    assert "een besluit om geen maatregel te nemen niet" in text
