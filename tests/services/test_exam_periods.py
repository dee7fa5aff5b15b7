"""Afnameperiodes of the central exams: the real 2014-2015 tijdvakken as shipped and as a file, newer
periods added by the examenbureau, bad lines named, the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.exam_periods import ExamWindow, central_exam_timing
from examdesk.domain.roles import Role
from examdesk.services.exam_periods import ExamPeriodService

REAL = Path(__file__).parent.parent / "data" / "tijdvakken_ce_mbo_2014_2015_from_BWBR0033897.csv"


def test_the_real_file_matches_what_ships_with_the_database(store, ctx_for):
    service = ExamPeriodService(ctx_for(Role.BUREAU))
    shipped = {(w.period, w.starts_on, w.ends_on, w.exam, w.week) for w in service.windows("2014-2015")}
    assert len(shipped) == 28
    result = service.import_file(REAL)
    assert (result.added, result.already_known) == (0, 28)
    assert result.sentence == "0 afnameperiode-regels toegevoegd, 28 waren al bekend."


def test_newer_periods_are_added_checked_and_used(store, ctx_for, tmp_path):
    service = ExamPeriodService(ctx_for(Role.BUREAU))
    path = tmp_path / "tijdvakken_2040.csv"
    path.write_text("studiejaar,periode,periode_van,periode_tm,week,examen\n"
                    "2040-2041,2,22-10-2040,1-12-2040,44,2F Taal\n"
                    "2040-2041,2,22-10-2040,1-12-2040,45,2F Taal\n"
                    "2040-2041,2,22-10-2040,1-12-2040,,3F Rekenen\n", encoding="utf-8")
    assert service.import_file(path).added == 3
    windows = service.windows("2040-2041")
    assert central_exam_timing("Ned2F", date(2040, 10, 29), windows).problem is None            # week 44
    assert central_exam_timing("Rek3F", date(2040, 11, 26), windows).problem is None            # whole period
    assert "afgenomen in week 44 en 45" in central_exam_timing("Ned2F", date(2040, 11, 12), windows).problem


@pytest.mark.parametrize("line,error", [
    ("2040-2041,2,22-10-2040,1-12-2040,50,2F Taal", "Regel 2: Week 50 valt niet in periode 2"),
    ("2040-2041,2,1-12-2040,22-10-2040,,2F Taal", "Regel 2: De periode eindigt (22-10-2040) vóór ze begint"),
    ("2040-2041,2,22-10-2040,1-12-2040,,Engels", "Regel 2: Onbekend centraal examen 'Engels'"),
    ("2040-2042,2,22-10-2040,1-12-2040,,2F Taal", "Regel 2: Schooljaar '2040-2042' is ongeldig"),
    ("2040-2041,2,22-10-2040,31-13-2040,,2F Taal", "Regel 2: '22-10-2040' of '31-13-2040' is geen datum"),
    ("2040-2041,2,22-07-2040,1-12-2040,,2F Taal", "valt niet binnen schooljaar 2040-2041"),
])
def test_a_bad_line_adds_nothing_and_is_named(store, ctx_for, tmp_path, line, error):
    service = ExamPeriodService(ctx_for(Role.BUREAU))
    path = tmp_path / "fout.csv"
    path.write_text("studiejaar,periode,periode_van,periode_tm,week,examen\n" + line + "\n"
                    "2040-2041,3,7-1-2041,9-2-2041,2,2F Taal\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="Er is niets toegevoegd") as caught:
        service.import_file(path)
    assert error in caught.value.message
    assert service.windows("2040-2041") == []


def test_one_period_number_keeps_one_span_and_roles(store, ctx_for):
    service = ExamPeriodService(ctx_for(Role.BUREAU))
    service.add(ExamWindow("2040-2041", 2, date(2040, 10, 22), date(2040, 12, 1), "Ned2F", 44),
                ExamWindow("2040-2041", 2, date(2040, 10, 22), date(2040, 12, 1), "Ned2F", 45))
    with pytest.raises(ValidationError, match="Periode 2 van 2040-2041 loopt al van 22-10-2040 tot en met 01-12-2040"):
        service.add(ExamWindow("2040-2041", 2, date(2040, 10, 29), date(2040, 12, 1), "Rek2F", 45))
    with pytest.raises(ValidationError, match="Dit staat al vast: Ned2F in 2040-2041 periode 2, week 44"):
        service.add(ExamWindow("2040-2041", 2, date(2040, 10, 22), date(2040, 12, 1), "Ned2F", 44))
    assert len(ExamPeriodService(ctx_for(Role.COMMISSIE)).windows("2040-2041")) == 2
    with pytest.raises(PermissionDenied):
        ExamPeriodService(ctx_for(Role.COMMISSIE)).add(
            ExamWindow("2040-2041", 3, date(2041, 1, 7), date(2041, 2, 9), "Ned2F", None))


def test_cli_import_afnameperiodes(demo_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    path = tmp_path / "periodes.csv"
    path.write_text("studiejaar,periode,periode_van,periode_tm,week,examen\n"
                    "2040-2041,4,15-3-2041,24-4-2041,12,2F Taal\n", encoding="utf-8")
    assert main(["import", "afnameperiodes", str(path), "--db", str(demo_db), "--user", "bureau"]) == 0
    assert "1 afnameperiode-regel toegevoegd" in capsys.readouterr().out
    assert main(["import", "afnameperiodes", str(path), "--db", str(demo_db), "--user", "surveillant"]) == 1
    assert "mag niet afnames plannen" in capsys.readouterr().err
