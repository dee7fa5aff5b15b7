"""`examdesk backup`, `examdesk restore` and `examdesk verify`: exit codes and what they say."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.paths import backup_dir
from tests.backup_support import as_plain


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def as_demo(monkeypatch):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")


def test_backup_to_the_folder_and_to_a_file(demo_db, tmp_path, capsys, as_demo):
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder"]) == 0
    out = capsys.readouterr().out
    made = list(backup_dir().rglob("*.sqlite"))
    assert len(made) == 1 and f"Back-up gemaakt en gecontroleerd: {made[0]}" in out
    target = tmp_path / "stick" / "kopie.sqlite"
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder", "--out", str(target)]) == 0
    assert target.exists()
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder", "--out", str(target)]) == 1
    assert "bestaat al" in capsys.readouterr().err


def test_backup_needs_the_beheerder(demo_db, capsys, as_demo):
    assert main(["backup", "--db", str(demo_db), "--user", "commissie"]) == 1
    assert "mag niet back-ups maken en terugzetten" in capsys.readouterr().err
    assert not backup_dir().exists()


def _newer(path: Path) -> None:
    conn = sqlite3.connect(as_plain(path))
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(("make_bad", "message"), [
    (lambda p: p.write_text("naam;klas\nAyşe;2B\n"), "geen back-up van ExamDesk"),
    (lambda p: p.write_bytes(p.read_bytes()[:20000]), "onvolledig (afgekapt)"),
    (_newer, "nieuwere versie van ExamDesk"),
])
def test_restore_refuses_bad_input_in_one_line_and_changes_nothing(demo_db, tmp_path, capsys, as_demo,
                                                                    make_bad, message):
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder", "--out", str(tmp_path / "b.sqlite")]) == 0
    bad = tmp_path / "b.sqlite"
    make_bad(bad)
    capsys.readouterr()
    before = digest(demo_db)
    assert main(["restore", str(bad), "--db", str(demo_db), "--user", "beheerder"]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and "Er is niets gewijzigd." in err and "\n" not in err
    assert digest(demo_db) == before
    assert not backup_dir().exists()  # no safety copy either: refused before anything happened


def test_restore_of_a_missing_file(demo_db, capsys):
    assert main(["restore", "bestaat-niet.sqlite", "--db", str(demo_db)]) == 1
    assert "bestaat niet" in capsys.readouterr().err


def test_restore_on_a_healthy_database_needs_a_login(demo_db, capsys, as_demo):
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder"]) == 0
    name = next(backup_dir().rglob("*.sqlite")).name
    capsys.readouterr()
    assert main(["restore", name, "--db", str(demo_db)]) == 1
    assert "--user" in capsys.readouterr().err
    assert main(["restore", name, "--db", str(demo_db), "--user", "beheerder"]) == 0
    out = capsys.readouterr().out
    assert "is teruggezet" in out and "vóór het terugzetten" in out


def test_verify_points_at_the_newest_good_backup_and_restore_works_without_login(demo_db, capsys, as_demo):
    assert main(["verify", "--db", str(demo_db)]) == 0
    assert "In orde" in capsys.readouterr().out
    assert main(["backup", "--db", str(demo_db), "--user", "beheerder"]) == 0
    backup = next(backup_dir().rglob("*.sqlite"))
    with open(demo_db, "r+b") as handle:
        handle.truncate(demo_db.stat().st_size // 2)
    capsys.readouterr()

    assert main(["verify", "--db", str(demo_db)]) == 1
    out = capsys.readouterr().out
    assert "De nieuwste goede back-up is van" in out
    assert f'examdesk restore "{backup}" --db "{demo_db}"' in out

    assert main(["restore", str(backup), "--db", str(demo_db)]) == 0  # no --user: the database is damaged
    out = capsys.readouterr().out
    assert "niet verwijderd maar verplaatst naar" in out
    assert any(p.name.startswith("demo.sqlite.beschadigd-") for p in demo_db.parent.iterdir())
    assert main(["verify", "--db", str(demo_db)]) == 0


def test_verify_on_a_missing_database_without_backups(tmp_path, capsys):
    assert main(["verify", "--db", str(tmp_path / "weg.sqlite")]) == 1
    out = capsys.readouterr().out
    assert "ontbreekt" in out and "Er is geen goede back-up gevonden" in out


def test_restore_help_says_it_works_without_login_when_damaged(capsys):
    with pytest.raises(SystemExit):
        main(["restore", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "zonder inloggen" in help_text and "niet verwijderd" in help_text
