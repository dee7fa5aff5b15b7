"""Red team, the invigilator (issue 11 "Done when": a surveillant sees nothing of the school beyond the
sessions they run): a surveillant account with a login at the commission's database, through the services
and the command line."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.domain.errors import PermissionDenied
from examdesk.services.exchange import ExchangeService
from examdesk.services.exchange_keys import ExchangeKeyService
from tests import exchange_forger as forger
from tests.exchange_support import dump
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def someone_elses_record(store, tmp_path) -> tuple[str, Path]:
    """A genuine record, signed by a pinned exam PC, of a session the demo surveillant does not run
    (l.vandijk does): the kind of file that lies in the commission's exchange folder."""
    bureau = ExchangeService(context(store, "bureau", Clock(at(7, 0))))
    office = forger.sender_of(bureau.export_package([bureau.package_choices()[0].id],
                                                    tmp_path / "kantoor.examdesk").path)
    sid, ids = plan_session(store, Clock(at(8, 0)), count=3, start=time(9, 0), invigilator="l.vandijk")
    key = forger.Key.new()
    first = forger.write(tmp_path / "eerste.examdesk", "afnameverslag", {"sessions": [], "users": []}, [],
                         signer=key, recipients=[office])
    ExchangeKeyService(context(store, "beheerder", Clock(at(7, 0)))).trust(first, key.fingerprint, "laptop 7")
    events = forger.chain(sid, [
        {"occurred_at": "2027-03-10T08:40:00+01:00", "username": "l.vandijk", "kind": "receipt",
         "data": {"received_by": "Loes van Dijk", "intact": True, "remark": ""}},
        {"occurred_at": "2027-03-10T09:20:00+01:00", "username": "l.vandijk", "kind": "remark",
         "data": {"text": "kandidaat had een paniekaanval (medisch)"}}])
    r = store.query_one("SELECT * FROM sessions WHERE id = ?", (sid,))
    planned = {k: r[k] for k in ("id", "exam_kind", "instrument_id", "central_exam", "title", "session_date",
                                 "starts_at", "duration_minutes", "variant", "period", "late_limit_minutes", "status",
                                 "created_at", "created_by")}
    numbers = {c[0]: c[1] for c in store.query("SELECT id, student_number FROM candidates")}
    payload = {"sessions": [{"session": planned, "roster": [
        {"candidate_id": c, "student_number": numbers[c], "workstation": n + 1} for n, c in enumerate(ids)],
        "events": events}], "users": []}
    path = forger.write(tmp_path / "verslag-lokaal-7.examdesk", "afnameverslag", payload,
                        [forger.record_entry(sid, events)], signer=key, recipients=[office], created_by="l.vandijk")
    return sid, path


def test_a_surveillant_cannot_open_read_or_import_another_sessions_record(store, someone_elses_record):
    sid, path = someone_elses_record
    surveillant = ExchangeService(context(store, "surveillant", Clock(at(13, 0))))
    before = dump(store)
    for look in (surveillant.read, surveillant.preview, surveillant.import_file):
        with pytest.raises(PermissionDenied, match="geen surveillant van"):
            look(path)
    assert dump(store) == before
    # the examenbureau reads it as ever
    assert ExchangeService(context(store, "bureau", Clock(at(13, 0)))).import_file(path).added_events == 2


def test_on_the_command_line_too(store, someone_elses_record, capsys, monkeypatch):
    _, path = someone_elses_record
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    code = main(["import", str(path), "--controleer", "--db", str(store.path), "--user", "surveillant"])
    captured = capsys.readouterr()
    assert code == 1 and "geen surveillant van" in captured.err
    assert "paniekaanval" not in captured.out + captured.err


COMMANDS = [
    ["report", "incidenten", "--van", "2020-01-01", "--tot", "2030-12-31", "--out", "{tmp}/i.csv"],
    ["report", "jaarverslag", "--schooljaar", "2026-2027", "--out", "{tmp}/j.pdf"],
    ["export", "register", "--out", "{tmp}/r.csv"],
    ["user", "list"],
    ["keys", "list"],
    ["keys", "export", "--out", "{tmp}/k.json"],
    ["backup", "--out", "{tmp}/b.sqlite"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_a_surveillant_gets_nothing_of_the_school_from_the_command_line(store, tmp_path, capsys, monkeypatch, argv):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    out = tmp_path / "uit"
    out.mkdir()
    code = main([*[a.replace("{tmp}", str(out)) for a in argv], "--db", str(store.path), "--user", "surveillant"])
    captured = capsys.readouterr()
    assert code == 1 and captured.err.strip(), captured
    assert list(out.iterdir()) == []
    assert "Traceback" not in captured.err


# --- verify-document takes any file, without a login ---------------------------------------------------------

def test_verify_document_refuses_a_huge_file_or_a_device_in_dutch(store, tmp_path, capsys):
    huge = tmp_path / "groot.pdf"
    with huge.open("wb") as handle:          # sparse: 200 MB declared, nothing written
        handle.truncate(200 * 1024 * 1024)
    assert main(["verify-document", str(huge), "--db", str(store.path)]) == 2
    assert "groter dan 64 MB" in capsys.readouterr().out
    assert main(["verify-document", "/dev/zero", "--db", str(store.path)]) == 2
    assert "geen gewoon bestand" in capsys.readouterr().out
    assert main(["verify-document", str(tmp_path), "--db", str(store.path)]) == 2
    assert "geen gewoon bestand" in capsys.readouterr().out
