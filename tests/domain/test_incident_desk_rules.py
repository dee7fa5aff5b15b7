"""The desk's pure rules: measures per protocol point, minors, the report deadline, the triage sentence."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from examdesk.domain.candidates import age_on, is_minor
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import AMSTERDAM
from examdesk.domain.errors import ValidationError
from examdesk.domain.incident_desk import (
    DecisionInput,
    Measure,
    add_working_days,
    allowed_measures,
    check_decision,
    report_deadline,
    triage_explanation,
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


def test_report_deadline_counts_working_days():
    assert add_working_days(date(2027, 3, 12), 1) == date(2027, 3, 15)      # Friday → Monday
    friday = datetime(2027, 3, 12, 10, 0, tzinfo=AMSTERDAM)
    assert not report_deadline(friday, datetime(2027, 3, 15, 16, 0, tzinfo=AMSTERDAM)).overdue
    late = report_deadline(friday, datetime(2027, 3, 16, 8, 0, tzinfo=AMSTERDAM))
    assert late.overdue and "te laat" in late.text and "15-03-2027" in late.text
    assert report_deadline(friday, datetime(2027, 3, 16, 8, 0, tzinfo=AMSTERDAM), working_days=2).overdue is False


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
