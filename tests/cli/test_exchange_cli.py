"""`examdesk export sessies`, `examdesk export verslag` and `examdesk import F.examdesk`."""

from __future__ import annotations

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


def test_package_out_record_back_through_the_command_line(demo_db, planned, tmp_path, capsys, monkeypatch):
    sid, ids = planned
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    code, out, err = run(["export", "sessies", "--db", demo_db, "--user", "bureau", "--out", tmp_path / "p"], capsys)
    assert code == 2 and sid[:8] in out and "id" in err          # without --ids: the choice
    code, out, _ = run(["export", "sessies", "--db", demo_db, "--user", "bureau", "--ids", sid[:8],
                        "--out", tmp_path / "pakket"], capsys)
    assert code == 0 and "Afnamepakket opgeslagen" in out
    package = tmp_path / "pakket.examdesk"

    exam_pc = tmp_path / "examenpc" / "examdesk.sqlite"
    code, out, _ = run(["import", package, "--db", exam_pc, "--controleer"], capsys)
    assert code == 0 and "nieuw" in out and "niets ingelezen" in out
    code, out, _ = run(["import", package, "--db", exam_pc], capsys)
    assert code == 0 and "Ingelezen." in out and "1 surveillanten" in out

    clock = Clock(at(8, 0))
    b = open_store(exam_pc)
    try:
        assert [p.id for p in session_data.list_sessions(b, session_data.SessionFilter())] == [sid]
        run_first_half(b, clock, sid, ids)
    finally:
        b.close()
    code, out, _ = run(["export", "verslag", "--db", exam_pc, "--user", "surveillant", "--sessies", sid,
                        "--out", tmp_path / "verslag.examdesk"], capsys)
    assert code == 0 and "Afnameverslag opgeslagen" in out
    record = tmp_path / "verslag.examdesk"

    code, out, err = run(["import", record, "--db", demo_db, "--user", "commissie"], capsys)
    assert code == 1 and "mag niet" in err
    code, out, _ = run(["import", record, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 0 and "nieuwe gebeurtenissen" in out
    code, out, _ = run(["import", record, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 0 and "0 nieuwe gebeurtenissen" in out and "al eerder ingelezen" in out

    damaged = tmp_path / "kapot.examdesk"
    damaged.write_bytes(record.read_bytes()[:-10])
    code, out, err = run(["import", damaged, "--db", demo_db, "--user", "bureau"], capsys)
    assert code == 1 and "Er is niets ingelezen." in err and err.count("\n") == 1 and "Traceback" not in err
