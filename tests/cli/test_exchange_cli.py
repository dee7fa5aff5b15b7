"""`examdesk export sessies`, `examdesk export verslag`, `examdesk import F.examdesk` and
`examdesk keys list|trust|revoke`: the whole signed round trip on the command line, with the setup code
and both fingerprints passed on as people pass them on (read from the other side's own output)."""

from __future__ import annotations

import re

import pytest

from examdesk.cli import build_parser, main
from examdesk.data import sessions as session_data
from examdesk.data.db import open_store
from tests.exchange_support import run_first_half
from tests.session_support import Clock, at, plan_session


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def planned(demo_db):
    store = open_store(demo_db)
    try:
        return plan_session(store, Clock(at(8, 0)))
    finally:
        store.close()


def test_import_dispatches_on_the_suffix_and_keeps_the_other_imports():
    parser = build_parser()
    args = parser.parse_args(["import", "pakket.examdesk", "--db", "x.sqlite"])
    assert args.func.__name__ == "cmd_import_file" and args.file == "pakket.examdesk"
    args = parser.parse_args(["import", "PAKKET.EXAMDESK"])
    assert args.func.__name__ == "cmd_import_file"
    args = parser.parse_args(["import", "kwalificaties", "crebo.csv"])
    assert args.func.__name__ == "cmd_import" and args.kind == "kwalificaties"
    args = parser.parse_args(["import", "kandidaten", "eduarte.csv"])
    assert args.func.__name__ == "cmd_import_candidates"


def _fingerprint(db, capsys) -> str:
    code, out, _ = run(["keys", "show", "--db", db], capsys)
    assert code == 0
    return re.search(r"Vingerafdruk van de sleutel: ([0-9A-F ]+)", out).group(1).strip()


def test_package_out_record_back_through_the_command_line(demo_db, planned, tmp_path, capsys, monkeypatch):
    sid, ids = planned
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    code, out, err = run(["export", "sessies", "--db", demo_db, "--user", "bureau", "--out", tmp_path / "p"], capsys)
    assert code == 2 and sid[:8] in out and "id" in err          # without --ids: the choice
    code, out, _ = run(["export", "sessies", "--db", demo_db, "--user", "bureau", "--ids", sid[:8],
                        "--out", tmp_path / "pakket"], capsys)
    assert code == 0 and "Afnamepakket opgeslagen" in out and "ondertekend en versleuteld" in out
    setup_code = re.search(r"Instelcode: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})", out).group(1)
    package = tmp_path / "pakket.examdesk"
    commission = _fingerprint(demo_db, capsys)                    # read aloud by the commission

    exam_pc = tmp_path / "examenpc" / "examdesk.sqlite"
    code, out, err = run(["import", package, "--db", exam_pc, "--controleer"], capsys)
    assert code == 1 and commission in err and "--vertrouw" in err and "Traceback" not in err
    monkeypatch.setenv("EXAMDESK_INSTELCODE", "AAAA-BBBB-CCCC-DDDD")
    code, out, err = run(["import", package, "--db", exam_pc, "--vertrouw", commission], capsys)
    assert code == 1 and "instelcode klopt niet" in err
    wrong = commission[:-1] + ("1" if commission.endswith("0") else "0")   # one character off, never the same
    code, out, err = run(["import", package, "--db", exam_pc, "--vertrouw", wrong], capsys)
    assert code == 1 and "niet die van de sleutel" in err
    monkeypatch.setenv("EXAMDESK_INSTELCODE", setup_code.lower())   # typed in lower case: forgiven
    code, out, _ = run(["import", package, "--db", exam_pc, "--vertrouw", commission, "--controleer"], capsys)
    assert code == 0 and "nieuw" in out and "niets ingelezen" in out
    code, out, _ = run(["import", package, "--db", exam_pc, "--vertrouw", commission], capsys)
    assert code == 0 and "Ingelezen." in out and "en 1 surveillant." in out
    monkeypatch.delenv("EXAMDESK_INSTELCODE")

    clock = Clock(at(8, 0))
    b = open_store(exam_pc)
    try:
        assert [p.id for p in session_data.list_sessions(b, session_data.SessionFilter())] == [sid]
        run_first_half(b, clock, sid, ids)
    finally:
        b.close()
    code, out, _ = run(["export", "verslag", "--db", exam_pc, "--user", "surveillant", "--sessies", sid,
                        "--out", tmp_path / "verslag.examdesk"], capsys)
    assert code == 0 and "Afnameverslag opgeslagen" in out and "versleuteld voor de examencommissie" in out
    record = tmp_path / "verslag.examdesk"

    code, out, err = run(["import", record, "--db", demo_db, "--user", "commissie"], capsys)
    assert code == 1 and "mag niet" in err
    code, out, err = run(["import", record, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 1 and "nog niet kent" in err and "keys trust" in err      # the exam PC's key: first seen
    exam_pc_key = _fingerprint(exam_pc, capsys)                              # read aloud at the exam PC
    code, out, err = run(["keys", "trust", record, "--fingerprint", exam_pc_key, "--db", demo_db, "--user", "bureau"],
                         capsys)
    assert code == 1 and "mag niet" in err                                   # only the beheerder confirms
    code, out, _ = run(["keys", "trust", record, "--fingerprint", exam_pc_key, "--naam", "laptop 3",
                        "--db", demo_db, "--user", "beheerder"], capsys)
    assert code == 0 and "Vertrouwd" in out and "laptop 3" in out
    code, out, _ = run(["keys", "list", "--db", demo_db, "--user", "beheerder"], capsys)
    assert code == 0 and exam_pc_key in out and "bevestigd door beheerder" in out
    code, out, _ = run(["import", record, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 0 and "nieuwe gebeurtenissen" in out
    code, out, _ = run(["import", record, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 0 and "0 nieuwe gebeurtenissen" in out and "al eerder ingelezen" in out

    damaged = tmp_path / "kapot.examdesk"
    damaged.write_bytes(record.read_bytes()[:-10])
    code, out, err = run(["import", damaged, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 1 and "Er is niets ingelezen." in err and err.count("\n") == 1 and "Traceback" not in err

    code, out, _ = run(["keys", "revoke", exam_pc_key[:9], "--reden", "laptop gestolen", "--db", demo_db,
                        "--user", "beheerder"], capsys)
    assert code == 0 and "Ingetrokken" in out
    code, out, err = run(["import", record, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 1 and "ingetrokken" in err and "laptop gestolen" in err
