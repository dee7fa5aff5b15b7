"""`examdesk import …` and `examdesk export register`: exit codes, messages, roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from examdesk.cli import main


@pytest.fixture
def as_user(monkeypatch):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")


def test_import_suppliers_ok(demo_db, tmp_path, as_user, capsys):
    path = tmp_path / "lev.csv"
    path.write_text("Naam;Certificaatnummer;Gecertificeerd van;Gecertificeerd tot\n"
                    "Examenhuis Noord;SCE-1;01-01-2025;31-12-2027\n", encoding="utf-8")
    code = main(["import", "leveranciers", str(path), "--db", str(demo_db), "--user", "bureau"])
    assert code == 0
    assert "1 leverancier geïmporteerd uit lev.csv: 1 nieuw" in capsys.readouterr().out


def test_import_with_errors_is_refused_with_rows_and_columns(demo_db, tmp_path, as_user, capsys):
    path = tmp_path / "lijst.csv"
    path.write_text("crebo;naam;niveau\n25080;Betonreparateur;2\n2508;Vier;7\n", encoding="utf-8")
    code = main(["import", "kwalificaties", str(path), "--db", str(demo_db), "--user", "commissie"])
    err = capsys.readouterr().err
    assert code == 1
    assert "lijst.csv is niet geïmporteerd: 2 fouten gevonden. Er is niets opgeslagen." in err
    assert "Rij 3, kolom 'crebo': Crebo '2508' heeft 4 cijfers" in err
    assert "Rij 3, kolom 'niveau': Niveau 7 bestaat niet" in err
    assert "--alleen-geldige-rijen" in err and "Traceback" not in err
    code = main(["import", "kwalificaties", str(path), "--alleen-geldige-rijen", "--db", str(demo_db),
                 "--user", "commissie"])
    out = capsys.readouterr()
    assert code == 0 and "1 kwalificatie geïmporteerd" in out.out and "overgeslagen: Rij 3" in out.err


def test_import_role_check(demo_db, tmp_path, as_user, capsys):
    path = tmp_path / "lev.csv"
    path.write_text("Naam\nExamenhuis Noord\n", encoding="utf-8")
    code = main(["import", "leveranciers", str(path), "--db", str(demo_db), "--user", "surveillant"])
    assert code == 1
    assert "mag niet kwalificaties, instrumenten of leveranciers importeren" in capsys.readouterr().err


def test_unreadable_file_is_one_dutch_line(demo_db, tmp_path, as_user, capsys):
    code = main(["import", "instrumenten", str(tmp_path / "weg.csv"), "--db", str(demo_db), "--user", "bureau"])
    assert code == 1
    assert capsys.readouterr().err.strip().endswith("weg.csv bestaat niet.")


def test_usage_errors_exit_2(demo_db, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["import", "kwalificaties", "--db", str(demo_db)])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["import", "cijfers", "x.csv"])
    assert caught.value.code == 2


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_register(demo_db, tmp_path, as_user, capsys, suffix):
    out = tmp_path / f"register.{suffix}"
    code = main(["export", "register", "--out", str(out), "--db", str(demo_db), "--user", "bureau"])
    assert code == 0 and out.exists()
    assert "40 instrumenten" in capsys.readouterr().out
    if suffix == "xlsx":
        assert load_workbook(out)["Register"].max_row == 41


def test_export_on_a_date_and_bad_date(demo_db, tmp_path, as_user, capsys):
    out = tmp_path / "register.csv"
    assert main(["export", "register", "--out", str(out), "--op", "01-09-2030", "--db", str(demo_db),
                 "--user", "commissie"]) == 0
    assert "validiteit op 01-09-2030" in capsys.readouterr().out
    assert main(["export", "register", "--out", str(out), "--op", "morgen", "--db", str(demo_db),
                 "--user", "commissie"]) == 1
    assert "'morgen' is geen datum" in capsys.readouterr().err
    assert Path(out).exists()
