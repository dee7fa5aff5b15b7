"""What the red team left open (issue 11, trust2), each attack first: a password hash planted in the file,
an account changed in the file between two starts, `event_origins` and `exchange_log` edited. Plain sqlite3
and the argon2 library (what anyone holding the file has); no ExamDesk code writes the forgery."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from examdesk.cli import main
from examdesk.data.db import open_store
from examdesk.data.users import by_username
from examdesk.domain.backups import DatabaseState
from examdesk.domain.errors import AuthenticationError
from examdesk.domain.roles import Role
from examdesk.services.auth import UNVOUCHED, AuthService
from examdesk.services.backup import check_database
from examdesk.services.context import AppContext
from examdesk.services.users import UserService

ATTACKER_PASSWORD = "ik-ben-nu-de-beheerder"


def verify(path: Path, capsys) -> tuple[int, str]:
    code = main(["verify", "--db", str(path)])
    return code, capsys.readouterr().out


def started(path: Path) -> None:
    assert check_database(path, record=True).state is DatabaseState.OK


def sql(path: Path, *statements: str, params: tuple = ()) -> list:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        rows: list = []
        for s in statements:
            rows = conn.execute(s, params).fetchall()
        return rows
    finally:
        conn.close()


def plant_hash(path: Path, username: str, password_hash: str) -> None:
    sql(path, "UPDATE users SET password_hash = ? WHERE username = ?", params=(password_hash, username))


def login(path: Path, username: str, password: str) -> None:
    store = open_store(path)
    try:
        AuthService(store).login(username, password)
    finally:
        store.close()


# --- 1. a password hash swapped in the file -----------------------------------------------------------------

def test_a_hash_planted_on_the_beheerder_is_refused_at_login_and_named(demo_db, capsys):
    started(demo_db)
    plant_hash(demo_db, "beheerder", PasswordHasher().hash(ATTACKER_PASSWORD))
    with pytest.raises(AuthenticationError) as refused:
        login(demo_db, "beheerder", ATTACKER_PASSWORD)
    assert refused.value.message == UNVOUCHED
    assert sql(demo_db, "SELECT count(*) FROM audit_log WHERE action = 'inloggen geweigerd'")[0][0] == 1
    startup = check_database(demo_db)
    assert startup.state is not DatabaseState.OK
    assert "Het wachtwoord van account beheerder is buiten ExamDesk gewijzigd" in " ".join(startup.details)
    code, out = verify(demo_db, capsys)
    assert code == 1 and "Het wachtwoord van account beheerder is buiten ExamDesk gewijzigd" in out


def test_another_accounts_genuine_hash_copied_over_is_refused(demo_db):
    """The digest is bound to the account: the surveillant's own (vouched) hash does not vouch for the beheerder."""
    store = open_store(demo_db)
    UserService(AppContext(store, by_username(store, "beheerder"))).reset_password("surveillant", ATTACKER_PASSWORD)
    store.close()
    hash_of = sql(demo_db, "SELECT password_hash FROM users WHERE username = 'surveillant'")[0][0]
    plant_hash(demo_db, "beheerder", hash_of)
    with pytest.raises(AuthenticationError, match="buiten ExamDesk"):
        login(demo_db, "beheerder", ATTACKER_PASSWORD)


def test_an_old_hash_put_back_after_a_reset_is_refused(demo_db, capsys):
    """A rollback to a password the insider knew: the newest entry vouches for the new hash only."""
    old = sql(demo_db, "SELECT password_hash FROM users WHERE username = 'commissie'")[0][0]
    store = open_store(demo_db)
    UserService(AppContext(store, by_username(store, "beheerder"))).reset_password("commissie", "een-nieuw-geheim-1")
    store.close()
    plant_hash(demo_db, "commissie", old)
    with pytest.raises(AuthenticationError, match="buiten ExamDesk"):
        login(demo_db, "commissie", "demo")
    code, out = verify(demo_db, capsys)
    assert code == 1 and "account commissie" in out


def test_a_forged_password_entry_vouches_for_nothing(demo_db):
    """An audit row written by hand, with a digest copied from a genuine entry, carries no HMAC of its own."""
    genuine = sql(demo_db, "SELECT summary FROM audit_log WHERE action = 'gebruiker toegevoegd' AND "
                           "json_extract(summary, '$.gebruikersnaam') = 'surveillant'")[0][0]
    plant_hash(demo_db, "beheerder", PasswordHasher().hash(ATTACKER_PASSWORD))
    head = sql(demo_db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    sql(demo_db, "INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, summary, prev_hash,"
                 " hash) VALUES (?, '2027-01-01T00:00:00', 1, 'beheerder', 'wachtwoord opnieuw ingesteld', 'gebruiker',"
                 " '1', ?, ?, ?)", params=(head[0] + 1000, genuine.replace('"4"', '"1"'), head[1], "0" * 64))
    with pytest.raises(AuthenticationError, match="buiten ExamDesk"):
        login(demo_db, "beheerder", ATTACKER_PASSWORD)


def test_every_way_examdesk_sets_a_password_stays_vouched(demo_db, capsys):
    store = open_store(demo_db)
    admin = UserService(AppContext(store, by_username(store, "beheerder")))
    admin.add("k.dejong", "Kees de Jong", "kees fietst naar gouda", frozenset({Role.COMMISSIE}))
    admin.reset_password("bureau", "vlinders-boven-de-dijk")
    me = AuthService(store).login("k.dejong", "kees fietst naar gouda")
    UserService(AppContext(store, me)).change_own_password("kees fietst naar gouda", "rode-tulpen-in-mei-42")
    store.close()
    login(demo_db, "k.dejong", "rode-tulpen-in-mei-42")
    login(demo_db, "bureau", "vlinders-boven-de-dijk")
    login(demo_db, "beheerder", "demo")
    code, out = verify(demo_db, capsys)
    assert code == 0, out


# --- 2. accounts changed in the file between two starts ------------------------------------------------------

@pytest.mark.parametrize(("statement", "named"), [
    ("INSERT INTO user_roles (user_id, role) SELECT id, 'beheerder' FROM users WHERE username = 'surveillant'",
     "De rollen van account surveillant"),
    ("UPDATE users SET active = 0 WHERE username = 'commissie'", "Account commissie is buiten ExamDesk gedeactiveerd"),
], ids=["role given", "deactivated"])
def test_the_startup_check_names_an_account_changed_in_the_file(demo_db, statement, named):
    started(demo_db)          # a checkpoint: the next start resumes from it
    started(demo_db)
    sql(demo_db, statement)
    verdict = check_database(demo_db)
    assert verdict.state is not DatabaseState.OK and named in " ".join(verdict.details)


def test_the_startup_check_resumes_with_accounts_changed_through_examdesk(demo_db):
    started(demo_db)
    store = open_store(demo_db)
    UserService(AppContext(store, by_username(store, "beheerder"))).set_active("commissie", False)
    store.close()
    started(demo_db)
    started(demo_db)


# --- 3. event_origins and exchange_log sealed -----------------------------------------------------------------

@pytest.fixture
def exchanged(store, empty_db: Path, tmp_path: Path):
    """A session planned at the office (the demo), run on exam PC B set up from its package, its record read
    back at the office: exchange_log rows on both sides, event_origins at the office."""
    from examdesk.services.exchange import ExchangeService
    from tests.exchange_support import (
        new_pc,
        receive_package,
        run_first_half,
        run_second_half,
        send_package,
        send_record,
    )
    from tests.session_support import Clock, at, context, plan_session

    clock = Clock(at(8, 0))
    sid, ids = plan_session(store, clock)
    b = new_pc(empty_db, tmp_path, "examenpc-b")
    receive_package(b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run = run_first_half(b, clock, sid, ids)
    run_second_half(run, clock, ids)
    ExchangeService(context(store, "bureau", clock)).import_file(send_record(b, store, clock, [sid], tmp_path / "verslag"))
    yield store, b
    b.close()


def _drop_triggers(path: Path) -> None:
    for (name,) in sql(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        sql(path, f'DROP TRIGGER "{name}"')


def test_an_exchange_verifies_on_both_sides_and_the_package_accounts_log_in(exchanged, capsys):
    from examdesk.services.integrity import check_store

    office, b = exchanged
    assert office.query_one("SELECT count(*) FROM event_origins")[0] > 0
    assert check_store(b, full=True).ok and check_store(office, full=True).ok
    assert AuthService(b).login("surveillant", "demo").username == "surveillant"   # vouched by the import entry
    code, out = verify(office.path, capsys)
    assert code == 0, out


def test_an_edited_event_origin_is_named(exchanged, capsys):
    office, _b = exchanged
    path = Path(office.path)
    started(path)
    _drop_triggers(path)
    event = sql(path, "SELECT event_id FROM event_origins LIMIT 1")[0][0]
    sql(path, "UPDATE event_origins SET signer = 'AAAA' WHERE event_id = ?", params=(event,))
    code, out = verify(path, capsys)
    assert code == 1 and event in out and "event_origins" in out and "gewijzigd buiten ExamDesk" in out


def test_a_cleared_replay_record_is_named(exchanged, capsys):
    office, _b = exchanged
    path = Path(office.path)
    started(path)
    _drop_triggers(path)
    seq = sql(path, "SELECT max(seq) FROM exchange_log WHERE direction = 'import'")[0][0]
    sql(path, "PRAGMA foreign_keys = OFF", f"DELETE FROM event_origins WHERE import_seq = {seq}",
        f"DELETE FROM exchange_log WHERE seq = {seq}")
    code, out = verify(path, capsys)
    assert code == 1 and "exchange_log" in out and "verwijderd buiten ExamDesk" in out


def test_a_package_account_given_a_planted_hash_on_the_exam_pc_is_refused(exchanged):
    _office, b = exchanged
    b.write("UPDATE users SET password_hash = ? WHERE username = 'surveillant'",
            (PasswordHasher().hash(ATTACKER_PASSWORD),))
    with pytest.raises(AuthenticationError, match="buiten ExamDesk"):
        AuthService(b).login("surveillant", ATTACKER_PASSWORD)


# --- 4. no whole-file reads of a file anyone may choose -------------------------------------------------------

def _huge(path: Path, size: int) -> Path:
    """A sparse file: its size claims `size` bytes; reading it whole is what the bound must prevent."""
    with path.open("wb") as f:
        f.truncate(size)
    return path


def test_the_guis_document_check_refuses_a_pipe_a_folder_and_a_huge_file_in_dutch(qtbot, ctx_for, tmp_path,
                                                                                    monkeypatch):
    import os

    from examdesk.services.documents import MAX_PDF_BYTES
    from examdesk.ui.reports import screen as screen_module

    shown: list[str] = []
    monkeypatch.setattr(screen_module, "show_error", lambda parent, message, *a, **k: shown.append(message))
    screen = screen_module.ReportsScreen(ctx_for(Role.COMMISSIE))
    qtbot.addWidget(screen)
    pipe = tmp_path / "pijp.pdf"
    os.mkfifo(pipe)          # read whole, a pipe never ends: the screen would hang
    assert screen.verify_file(str(pipe)) is None and "geen gewoon bestand" in shown[-1]
    assert screen.verify_file(str(tmp_path)) is None and "geen gewoon bestand" in shown[-1]
    huge = _huge(tmp_path / "groot.pdf", MAX_PDF_BYTES + 1)
    assert screen.verify_file(str(huge)) is None and "groter dan 64 MB" in shown[-1]


def test_evidence_is_bounded_before_it_is_read(tmp_path):
    import os

    from examdesk.domain.casework import ATTACHMENT_LIMIT
    from examdesk.domain.errors import ValidationError
    from examdesk.services.casework import read_evidence_file

    pipe = tmp_path / "bewijs.png"
    os.mkfifo(pipe)
    with pytest.raises(ValidationError, match="geen gewoon bestand"):
        read_evidence_file(pipe)
    with pytest.raises(ValidationError, match="groter dan 10 MB"):
        read_evidence_file(_huge(tmp_path / "foto.png", ATTACHMENT_LIMIT + 1))
    small = tmp_path / "foto2.png"
    small.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert read_evidence_file(small) == ("foto2.png", small.read_bytes())


# --- the v018 upgrade ------------------------------------------------------------------------------------------

def test_a_v017_database_upgrades_vouches_its_hashes_seals_its_exchange_log_and_verifies(tmp_path, monkeypatch,
                                                                                          capsys):
    from examdesk.data import migrations
    from examdesk.domain.institution import Institution

    path = tmp_path / "school.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "STEPS", migrations.STEPS[:17])
        store = open_store(path)
        assert store.schema_version() == 17
        AuthService(store).setup(Institution("ROC Oud", "25XX", "Examencommissie", "Gouda", 30, 42, "Beroep"),
                                 "beheerder", "Ruud Kok", "een-lang-wachtwoord-2026")
        store.write("INSERT INTO exchange_log (file_id, direction, kind, file_name, file_sha256, origin, at, username,"
                    " sessions, outcome) VALUES ('f1', 'import', 'afnamepakket', 'p.examdesk', 'ab', 'x',"
                    " '2027-01-01T10:00:00+01:00', 'beheerder', '[]', '{}')")
        store.close()
    store = open_store(path)
    assert store.schema_version() == migrations.LATEST_VERSION
    assert store.query_one("SELECT count(*) FROM audit_log WHERE action = 'wachtwoorden vastgelegd'")[0] == 1
    store.close()
    login(path, "beheerder", "een-lang-wachtwoord-2026")
    code, out = verify(path, capsys)
    assert code == 0, out
    _drop_triggers(path)
    sql(path, "UPDATE exchange_log SET file_id = 'f2'")
    code, out = verify(path, capsys)
    assert code == 1 and "exchange_log" in out
