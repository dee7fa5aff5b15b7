from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest

from examdesk.cli import main
from examdesk.data.db import open_store
from examdesk.ui.launch import NO_DISPLAY


def run(argv, capsys, monkeypatch, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_python_dash_m_and_bad_arguments_exit_2_with_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "examdesk", "onzin"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "ongeldige keuze" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "examdesk", "user", "add"], capture_output=True, text=True)
    assert proc.returncode == 2 and "ontbreken" in proc.stderr


def test_demo_without_gui_creates_the_database(tmp_path, capsys, monkeypatch):
    path = tmp_path / "demo.sqlite"
    code, out, _ = run(["demo", "--db", str(path), "--no-gui"], capsys, monkeypatch)
    assert code == 0 and "wachtwoord 'demo'" in out and path.exists()
    code, out, _ = run(["demo", "--db", str(path), "--no-gui"], capsys, monkeypatch)
    assert code == 0 and "staat klaar" in out


def test_verify_passes_and_then_names_the_first_broken_row(demo_db, capsys, monkeypatch):
    code, out, _ = run(["verify", "--db", str(demo_db)], capsys, monkeypatch)
    assert code == 0 and "In orde" in out
    conn = sqlite3.connect(demo_db)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET username = 'indringer' WHERE seq = 2")
    conn.commit()
    conn.close()
    code, out, _ = run(["--db", str(demo_db), "verify"], capsys, monkeypatch)
    assert code == 1 and "Auditregel 2 is gewijzigd" in out


def test_verify_refuses_a_file_that_is_not_examdesk(tmp_path, capsys, monkeypatch):
    path = tmp_path / "x.sqlite"
    path.write_text("geen database")
    code, out, err = run(["verify", "--db", str(path)], capsys, monkeypatch)
    assert code == 1 and "geen leesbare database" in out and "Traceback" not in out + err
    assert path.read_text() == "geen database"


def test_user_list_needs_a_password_and_the_right_role(demo_db, capsys, monkeypatch):
    code, out, _ = run(["user", "list", "--db", str(demo_db), "--user", "beheerder", "--password-stdin"],
                       capsys, monkeypatch, stdin="demo\n")
    assert code == 0 and "Marieke de Vries" in out
    code, _, err = run(["user", "list", "--db", str(demo_db), "--user", "commissie", "--password-stdin"],
                       capsys, monkeypatch, stdin="demo\n")
    assert code == 1 and "mag niet gebruikers beheren" in err
    code, _, err = run(["user", "list", "--db", str(demo_db), "--user", "beheerder", "--password-stdin"],
                       capsys, monkeypatch, stdin="fout\n")
    assert code == 1 and "onjuist wachtwoord" in err


def test_user_add_reads_both_passwords_from_stdin_or_env(demo_db, capsys, monkeypatch):
    code, out, _ = run(["user", "add", "k.dejong", "--name", "Kees de Jong", "--roles", "surveillant,bureau",
                        "--db", str(demo_db), "--user", "beheerder", "--password-stdin"],
                       capsys, monkeypatch, stdin="demo\nkeesfietst-naar-gouda\n")
    assert code == 0 and "k.dejong" in out
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    code, out, _ = run(["user", "passwd", "k.dejong", "--db", str(demo_db), "--user", "beheerder"],
                       capsys, monkeypatch, stdin="zeven zeeën over\n")
    assert code == 0
    monkeypatch.setenv("EXAMDESK_PASSWORD", "zeven zeeën over")
    code, out, _ = run(["user", "list", "--db", str(demo_db), "--user", "k.dejong"], capsys, monkeypatch)
    assert code == 1  # logged in fine, but an invigilator may not manage users
    code, out, _ = run(["user", "deactivate", "k.dejong", "--db", str(demo_db), "--user", "beheerder"],
                       capsys, monkeypatch, stdin="")
    assert code == 1  # EXAMDESK_PASSWORD is now k.dejong's, not the beheerder's


def test_user_add_with_unknown_role_or_missing_password(demo_db, capsys, monkeypatch):
    code, _, err = run(["user", "add", "x.y", "--name", "X", "--roles", "docent", "--db", str(demo_db),
                        "--user", "beheerder", "--password-stdin"], capsys, monkeypatch, stdin="demo\ngeheim\n")
    assert code == 1 and "Onbekende rol 'docent'" in err
    code, _, err = run(["user", "add", "x.y", "--name", "X", "--roles", "bureau", "--db", str(demo_db),
                        "--user", "beheerder", "--password-stdin"], capsys, monkeypatch, stdin="demo\n")
    assert code == 1 and "Geen nieuw wachtwoord" in err


def test_password_is_never_an_argument():
    from examdesk.cli import build_parser

    options = {opt for action in build_parser()._actions for opt in action.option_strings}
    assert "--password" not in options


def test_selftest_passes(capsys, monkeypatch):
    code, out, _ = run(["selftest"], capsys, monkeypatch)
    assert code == 0, out
    assert "Zelftest geslaagd" in out


def test_gui_without_a_display_says_so_in_one_sentence(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if sys.platform.startswith("win"):
        pytest.skip("Windows always has a display")
    proc = subprocess.run([sys.executable, "-m", "examdesk", "--db", str(tmp_path / "x.sqlite")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr.strip() == NO_DISPLAY


@pytest.mark.parametrize("argv", [[], ["--db", "school.sqlite"], ["--db=school.sqlite"], ["--db="]])
def test_a_gui_start_reads_its_database_as_the_parser_does_without_building_it(monkeypatch, argv):
    from examdesk import cli

    expected = cli.build_parser().parse_args(argv)
    opened = []
    monkeypatch.setattr(cli, "cmd_gui", lambda args: opened.append(args.db) or 0)
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("every command's parser built for a GUI start"))
    assert cli.main(argv) == 0
    assert opened == [expected.db] and expected.func.__name__ == "cmd_gui"


@pytest.mark.parametrize("argv,said", [(["--db"], "verwacht één waarde"), (["--db", "-x"], "verwacht één waarde"),
                                       (["--db", "a", "b"], "ongeldige keuze")])
def test_a_gui_start_with_a_mistake_gets_the_parsers_dutch_line(capsys, argv, said):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2 and said in capsys.readouterr().err


@pytest.mark.parametrize("new,why", [("kees1234", "minstens 10 tekens"), ("welkom2025!", "veelgebruikte"),
                                     ("surveillant-k.dejong", "gebruikersnaam")])
def test_user_add_and_passwd_refuse_a_weak_password_and_save_nothing(demo_db, capsys, monkeypatch, new, why):
    code, _, err = run(["user", "add", "k.dejong", "--name", "Kees de Jong", "--roles", "surveillant",
                        "--db", str(demo_db), "--user", "beheerder", "--password-stdin"],
                       capsys, monkeypatch, stdin=f"demo\n{new}\n")
    assert code == 1 and why in err and "Traceback" not in err
    code, _, err = run(["user", "passwd", "surveillant", "--db", str(demo_db), "--user", "beheerder",
                        "--password-stdin"], capsys, monkeypatch, stdin=f"demo\n{new}\n")
    assert code == 1 and why in err
    store = open_store(demo_db)
    assert store.query_one("SELECT count(*) FROM users WHERE username = 'k.dejong'")[0] == 0
    store.close()
