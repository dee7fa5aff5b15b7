"""A database whose keys are not on this PC (copied or restored elsewhere): explained in Dutch at the
start and by `verify`, nothing written to it; exporting the keys on one PC and importing them on the
other makes it usable again. The import never replaces keys and refuses a file that is not this
database's."""

from __future__ import annotations

import io
import shutil

import pytest

from examdesk.cli import main
from examdesk.data import keystore
from examdesk.data.db import open_store
from examdesk.domain.backups import DatabaseState
from examdesk.domain.errors import DatabaseRefused, KeysMissing, PermissionDenied, ValidationError
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.backup import check_database
from examdesk.services.keys import KeyService, import_key_file

PASS = "lang genoeg wachtwoord"


def _move_to_another_pc(tmp_path, monkeypatch) -> None:
    """The same database file, on a PC whose home has no keys."""
    other = tmp_path / "andere-pc"
    monkeypatch.setenv("EXAMDESK_HOME", str(other))


def test_keys_missing_is_explained_and_nothing_is_written(demo_db, tmp_path, monkeypatch, capsys):
    _move_to_another_pc(tmp_path, monkeypatch)
    before = demo_db.read_bytes()
    verdict = check_database(demo_db)
    assert verdict.state is DatabaseState.KEYS_MISSING and not verdict.needs_recovery
    assert "staan niet op deze computer" in verdict.problem and "sleutelbestand" in verdict.problem

    assert main(["verify", "--db", str(demo_db)]) == 1
    out = capsys.readouterr().out
    assert "staan niet op deze computer" in out and "Traceback" not in out

    store = open_store(demo_db)
    try:
        count = store.query_one("SELECT count(*) FROM audit_log")[0]
        with pytest.raises(KeysMissing):
            AuthService(store).login("beheerder", "demo")  # a login is audited: not without the key
        assert store.query_one("SELECT count(*) FROM audit_log")[0] == count
    finally:
        store.close()
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    assert main(["user", "list", "--db", str(demo_db), "--user", "beheerder"]) == 1
    assert "staan niet op deze computer" in capsys.readouterr().err
    assert demo_db.read_bytes()[:100] == before[:100]


def test_export_on_one_pc_and_import_on_the_other(ctx_for, store, demo_db, tmp_path, monkeypatch):
    service = KeyService(ctx_for(Role.BEHEERDER))
    fingerprint = service.info().fingerprint
    key_file = service.export(tmp_path / "stick" / "sleutels.examdesk-sleutels", PASS, PASS)
    assert store.query_one("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")[0] == "sleutels geëxporteerd"
    store.close()
    copy = tmp_path / "kopie.sqlite"
    shutil.copyfile(demo_db, copy)

    _move_to_another_pc(tmp_path, monkeypatch)
    assert check_database(copy).state is DatabaseState.KEYS_MISSING
    with pytest.raises(ValidationError, match="klopt niet"):
        import_key_file(copy, key_file, PASS + "!")
    assert check_database(copy).state is DatabaseState.KEYS_MISSING

    assert import_key_file(copy, key_file, PASS) != []
    assert check_database(copy, thorough=True).state is DatabaseState.OK
    assert keystore.require(keystore_id(copy)).fingerprint == fingerprint
    reopened = open_store(copy)
    try:
        assert AuthService(reopened).login("beheerder", "demo").username == "beheerder"
        actions = [r[0] for r in reopened.query("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2")]
        assert actions == ["ingelogd", "sleutels ingelezen"]
    finally:
        reopened.close()
    assert import_key_file(copy, key_file, PASS) == []  # already there: nothing changes


def keystore_id(path) -> str:
    store = open_store(path)
    try:
        return store.query_one("SELECT value FROM meta WHERE key = 'database_id'")[0]
    finally:
        store.close()


def test_a_key_file_of_another_database_is_refused(demo_db, empty_db, tmp_path, monkeypatch):
    """Keys made for a forged copy (same id, other keys) do not verify the real anchor."""
    from examdesk.domain.keys import new_keys, seal_key_file

    forged = new_keys(keystore_id(demo_db), "")
    key_file = tmp_path / "vals.examdesk-sleutels"
    key_file.write_bytes(seal_key_file([forged], PASS, ""))
    _move_to_another_pc(tmp_path, monkeypatch)
    with pytest.raises(DatabaseRefused, match="passen niet bij"):
        import_key_file(demo_db, key_file, PASS)
    assert not keystore.has_keys(keystore_id(demo_db))
    with pytest.raises(ValidationError, match="bevat geen sleutels voor"):
        import_key_file(empty_db, key_file, PASS)


def test_only_the_beheerder_exports_keys_and_the_passphrase_must_be_long(ctx_for, tmp_path):
    with pytest.raises(PermissionDenied):
        KeyService(ctx_for(Role.COMMISSIE)).export(tmp_path / "k", PASS, PASS)
    service = KeyService(ctx_for(Role.BEHEERDER))
    with pytest.raises(ValidationError, match="minstens 12"):
        service.export(tmp_path / "k", "demo", "demo")
    with pytest.raises(ValidationError, match="niet gelijk"):
        service.export(tmp_path / "k", PASS, PASS + "x")
    (tmp_path / "bestaat").write_text("x")
    with pytest.raises(ValidationError, match="bestaat al"):
        service.export(tmp_path / "bestaat", PASS, PASS)
    assert not (tmp_path / "k").exists()


def test_keys_cli_show_export_import(demo_db, tmp_path, monkeypatch, capsys):
    assert main(["keys", "show", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    fingerprint = out.split("Vingerafdruk van de sleutel: ")[1].splitlines()[0]
    assert len(fingerprint.split(" ")) == 16
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    key_file = tmp_path / "sleutels.examdesk-sleutels"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASS + "\n"))
    assert main(["keys", "export", "--db", str(demo_db), "--user", "beheerder", "--out", str(key_file)]) == 0
    assert fingerprint in capsys.readouterr().out

    _move_to_another_pc(tmp_path, monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("fout wachtwoord\n"))
    assert main(["keys", "import", str(key_file), "--db", str(demo_db)]) == 1
    assert "klopt niet" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASS + "\n"))
    assert main(["keys", "import", str(key_file), "--db", str(demo_db)]) == 0
    assert main(["verify", "--db", str(demo_db)]) == 0
