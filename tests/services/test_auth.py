from __future__ import annotations

import hashlib
import secrets
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from examdesk.data.db import open_store
from examdesk.domain.clock import now
from examdesk.domain.errors import AuthenticationError, ValidationError
from examdesk.domain.institution import Institution
from examdesk.domain.roles import Role
from examdesk.domain.users import ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST, DUMMY_HASH
from examdesk.services import auth as auth_module
from examdesk.services.auth import WRONG_CREDENTIALS, AuthService
from examdesk.services.context import AppContext
from examdesk.services.users import UserService

GOOD = "uil op de kerktoren"


class FakeClock:
    def __init__(self):
        self.moment = now()

    def __call__(self):
        return self.moment


def _actions(store, username: str) -> list[str]:
    return [r[0] for r in store.query("SELECT action FROM audit_log WHERE username = ? ORDER BY seq", (username,))]


def test_first_start_setup_creates_institution_and_first_beheerder(empty_db):
    store = open_store(empty_db)
    auth = AuthService(store)
    assert auth.needs_setup()
    user = auth.setup(Institution("ROC Test", "25pz", "Examencommissie Zorg"), "Admin", "Anna Admin", GOOD)
    assert user.username == "admin"
    assert [r.value for r in user.roles] == ["beheerder"]
    assert not auth.needs_setup()
    assert auth.login("admin", GOOD).full_name == "Anna Admin"
    with pytest.raises(ValidationError, match="al ingericht"):
        auth.setup(Institution("X", "25PZ", "Y"), "tweede", "Tweede", GOOD)


@pytest.mark.parametrize("brin", ["25P", "2PZZ", "ABCD", "25PZ1", ""])
def test_setup_refuses_a_malformed_brin(empty_db, brin):
    store = open_store(empty_db)
    with pytest.raises(ValidationError, match="BRIN"):
        AuthService(store).setup(Institution("ROC", brin, "Commissie"), "admin", "A", GOOD)
    assert AuthService(store).needs_setup()


@pytest.mark.parametrize("password,why", [
    ("demo", "minstens 10 tekens"),
    ("1234", "minstens 10 tekens"),
    ("aaaa", "minstens 10 tekens"),
    ("aaaaaaaaaaaa", "te weinig verschillende tekens"),
    ("wachtwoord123", "veelgebruikte wachtwoorden"),
    ("Welkom2025!", "veelgebruikte wachtwoorden"),
    ("PASSWORD1234", "veelgebruikte wachtwoorden"),
    ("admin-van-de-school", "gebruikersnaam"),
    ("ik werk bij roc zuid-holland", "naam van de instelling"),
])
def test_the_first_beheerder_gets_no_weak_password_either(empty_db, password, why):
    store = open_store(empty_db)
    with pytest.raises(ValidationError, match=why):
        AuthService(store).setup(Institution("ROC Zuid-Holland", "25PZ", "Examencommissie"), "admin", "A", password)
    assert AuthService(store).needs_setup()


# --- hashing -------------------------------------------------------------------------------------

def test_passwords_are_stored_as_salted_argon2id_hashes_at_owasp_parameters(store):
    hashes = [r[0] for r in store.query("SELECT password_hash FROM users")]
    expected = f"$argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_TIME_COST},p={ARGON2_PARALLELISM}$"
    assert all(h.startswith(expected) for h in hashes)
    assert (ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM) == (19 * 1024, 2, 1)
    assert len(set(hashes)) == len(hashes)  # same password 'demo', different salts
    assert not any("demo" in h for h in hashes)
    assert DUMMY_HASH.startswith(expected)   # the dummy costs what a real hash costs


def _scrypt_hash(password: str) -> str:
    """A hash as ExamDesk wrote them before argon2 (scrypt N=2^14, r=8, p=1)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def _vouch_as_the_v018_upgrade(store) -> None:
    """Hashes put in by these tests stand for hashes of an older version: the v018 upgrade vouches for what
    it finds (one keyed entry), as it does for a school's file; without it the login refuses them."""
    from examdesk.data import audit as audit_data
    from examdesk.domain.audit_ledgers import PASSWORD_UPGRADE_ACTION

    hashes = {r[0]: r[1] for r in store.query("SELECT id, password_hash FROM users")}
    audit_data.append(store, None, "systeem", PASSWORD_UPGRADE_ACTION, "database", "test",
                      audit_data.passwords_summary(store, hashes))


def test_an_old_scrypt_hash_still_logs_in_and_is_upgraded_to_argon2id_at_that_login(store):
    store.write("UPDATE users SET password_hash = ? WHERE username = 'bureau'", (_scrypt_hash("demo"),))
    _vouch_as_the_v018_upgrade(store)
    with pytest.raises(AuthenticationError):
        AuthService(store).login("bureau", "Demo")
    assert store.query_one("SELECT password_hash FROM users WHERE username = 'bureau'")[0].startswith("scrypt$")
    AuthService(store).login("bureau", "demo")
    stored = store.query_one("SELECT password_hash FROM users WHERE username = 'bureau'")[0]
    assert stored.startswith("$argon2id$")
    assert _actions(store, "bureau")[-2:] == ["wachtwoordopslag vernieuwd", "ingelogd"]
    summary = store.query_one("SELECT summary FROM audit_log WHERE action = 'wachtwoordopslag vernieuwd'")[0]
    assert '"van": "scrypt"' in summary and '"naar": "argon2id"' in summary
    AuthService(store).login("bureau", "demo")    # once upgraded, nothing more to do
    assert _actions(store, "bureau").count("wachtwoordopslag vernieuwd") == 1


@pytest.mark.parametrize("crafted", [
    "$argon2id$v=19$m=4194304,t=2,p=1$+8D+SWgDWoAC491oE9/1Cw$YP8KbBzsZtiS2+M0PtPNYD8+qhT/mVnJv/k835Ql11g",
    "$argon2id$v=19$m=19456,t=100000,p=1$+8D+SWgDWoAC491oE9/1Cw$YP8KbBzsZtiS2+M0PtPNYD8+qhT/mVnJv/k835Ql11g",
    f"scrypt${2**30}$8$1${'00' * 16}${'00' * 32}",
    f"scrypt${2**14}$8$1${'00' * 16}$" + "ab" * 10_000,
    "plain-text-password", "", "$argon2id$garbage",
])
def test_a_crafted_hash_is_no_match_and_asks_for_no_work(store, crafted):
    """A hash can arrive from outside (a package, an edited file): a gigabyte or an hour of work is refused."""
    store.write("UPDATE users SET password_hash = ? WHERE username = 'bureau'", (crafted,))
    with pytest.raises(AuthenticationError, match=WRONG_CREDENTIALS):
        AuthService(store).login("bureau", "plain-text-password")


# --- the lock-out --------------------------------------------------------------------------------

def test_wrong_password_says_how_many_attempts_are_left(store):
    with pytest.raises(AuthenticationError, match="Nog 4 pogingen"):
        AuthService(store).login("commissie", "fout")


def test_five_wrong_passwords_lock_for_five_minutes_even_after_a_restart(demo_db):
    clock = FakeClock()
    store = open_store(demo_db)
    auth = AuthService(store, clock)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.login("bureau", "fout")
    with pytest.raises(AuthenticationError, match="geblokkeerd"):
        auth.login("bureau", "fout")
    store.close()

    store = open_store(demo_db)  # a restart does not reset the lock
    auth = AuthService(store, clock)
    with pytest.raises(AuthenticationError, match="geblokkeerd"):
        auth.login("bureau", "demo")
    clock.moment += timedelta(minutes=4, seconds=59)
    with pytest.raises(AuthenticationError, match="geblokkeerd"):
        auth.login("bureau", "demo")
    clock.moment += timedelta(seconds=2)
    assert auth.login("bureau", "demo").username == "bureau"
    actions = _actions(store, "bureau")
    assert actions.count("inloggen mislukt") == 4
    assert "account geblokkeerd" in actions
    assert actions[-1] == "ingelogd"


def test_a_good_login_resets_the_failure_count(store):
    auth = AuthService(store)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.login("bureau", "fout")
    auth.login("bureau", "demo")
    with pytest.raises(AuthenticationError, match="Nog 4 pogingen"):
        auth.login("bureau", "fout")


def _race(db: Path, username: str, passwords: list[str]) -> list[str]:
    """Every password at once, each attempt on its own thread with its own connection."""
    start = threading.Barrier(len(passwords))
    results: list[str] = []

    def attempt(password: str) -> None:
        store = open_store(db)
        try:
            start.wait()
            AuthService(store).login(username, password)
            results.append("ingelogd")
        except AuthenticationError as exc:
            results.append(exc.message)
        finally:
            store.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_twenty_parallel_wrong_passwords_lock_the_account_after_five(demo_db):
    """Issue 11: 20 parallel attempts left the counter at 1 (it was read outside the transaction)."""
    results = _race(demo_db, "commissie", [f"fout-{i}" for i in range(20)])
    store = open_store(demo_db)
    failed, locked_until = store.query_one("SELECT failed_attempts, locked_until FROM users WHERE username = 'commissie'")
    assert failed == 5 and locked_until is not None
    actions = _actions(store, "commissie")
    assert actions.count("inloggen mislukt") == 4 and actions.count("account geblokkeerd") == 1  # five tried, no more
    assert sum("geblokkeerd" in r for r in results) == 16
    with pytest.raises(AuthenticationError, match="geblokkeerd"):
        AuthService(store).login("commissie", "demo")


def test_the_right_password_among_parallel_guesses_does_not_get_past_a_lock(demo_db):
    results = _race(demo_db, "commissie", [f"fout-{i}" for i in range(12)] + ["demo"])
    store = open_store(demo_db)
    verified = [a for a in _actions(store, "commissie") if a in ("inloggen mislukt", "account geblokkeerd", "ingelogd")]
    # The attempts were counted one after the other: a success resets the count, the fifth failure in a
    # row locks, and after the lock nothing more was checked — the right password included.
    assert verified[-1] == "account geblokkeerd"
    in_a_row = 0
    for action in verified:
        in_a_row = 0 if action == "ingelogd" else in_a_row + 1
        assert (action == "account geblokkeerd") == (in_a_row == 5)
    assert results.count("ingelogd") == verified.count("ingelogd")


_PROCESS_ATTEMPT = """
import sys, time
from pathlib import Path
from examdesk.data.db import open_store
from examdesk.domain.errors import AuthenticationError
from examdesk.services.auth import AuthService
db, go, password = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
store = open_store(db)
while not go.exists():
    time.sleep(0.005)
try:
    AuthService(store).login("bureau", password)
    print("ingelogd")
except AuthenticationError as exc:
    print(exc.message)
"""


def test_parallel_processes_with_wrong_passwords_lock_the_account(demo_db, tmp_path):
    """The same race across processes (ten here: each is a Python start-up; the threads above run twenty)."""
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _PROCESS_ATTEMPT, str(demo_db), str(go), f"fout-{i}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(10)]
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs if err][:1]
    store = open_store(demo_db)
    failed, locked_until = store.query_one("SELECT failed_attempts, locked_until FROM users WHERE username = 'bureau'")
    assert failed == 5 and locked_until is not None
    assert sum("geblokkeerd" in out for out, _ in outputs) == 6


# --- the same answer for every name ----------------------------------------------------------------

def test_unknown_user_gets_the_same_message_as_a_wrong_password_all_the_way_to_the_lock(store):
    auth = AuthService(store)
    for _ in range(5):
        answers = []
        for name in ("commissie", "niemand"):
            with pytest.raises(AuthenticationError) as info:
                auth.login(name, "fout")
            answers.append(info.value.message)
        assert answers[0] == answers[1]
    assert "geblokkeerd tot" in answers[0]
    answers = []
    for name in ("commissie", "niemand"):
        with pytest.raises(AuthenticationError) as info:
            auth.login(name, "demo")
        answers.append(info.value.message)
    assert answers[0] == answers[1] and "geblokkeerd" in answers[0]


def test_an_unknown_name_is_counted_without_storing_what_was_typed(store):
    with pytest.raises(AuthenticationError):
        AuthService(store).login("Mijn Geheime Wachtwoord", "fout")
    rows = store.query("SELECT * FROM login_throttle")
    assert len(rows) == 1 and rows[0]["failed_attempts"] == 1
    assert "geheime" not in " ".join(str(v).lower() for v in rows[0])


def test_unknown_and_blocked_names_are_checked_against_a_dummy_hash(store, monkeypatch):
    """Comparable timing without a timed assertion: an unknown name costs one argon2 verification of the
    dummy hash, as a known name costs one of its own hash."""
    checked: list[str] = []
    real = auth_module.verify_password

    def spy(password: str, stored: str) -> bool:
        checked.append(stored)
        return real(password, stored)

    monkeypatch.setattr(auth_module, "verify_password", spy)
    auth = AuthService(store)
    with pytest.raises(AuthenticationError):
        auth.login("niemand", "fout")
    assert checked == [DUMMY_HASH]
    checked.clear()
    with pytest.raises(AuthenticationError):
        auth.login("commissie", "fout")
    assert len(checked) == 1 and checked[0] != DUMMY_HASH and checked[0].startswith("$argon2id$")
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            auth.login("commissie", "fout")
    checked.clear()
    with pytest.raises(AuthenticationError, match="geblokkeerd"):
        auth.login("commissie", "demo")
    assert checked == [DUMMY_HASH]            # while blocked, the real hash is not tried at all


def test_a_deactivated_account_says_so_only_to_whoever_knows_its_password(store, ctx_for):
    UserService(ctx_for(Role.BEHEERDER)).set_active("surveillant", False)
    with pytest.raises(AuthenticationError) as wrong:
        AuthService(store).login("surveillant", "fout")
    with pytest.raises(AuthenticationError) as unknown:
        AuthService(store).login("niemand", "fout")
    assert wrong.value.message == unknown.value.message
    with pytest.raises(AuthenticationError, match="gedeactiveerd"):
        AuthService(store).login("surveillant", "demo")


def test_user_can_change_own_password_after_giving_the_current_one(store):
    user = AuthService(store).login("surveillant", "demo")
    service = UserService(AppContext(store, user))
    with pytest.raises(AuthenticationError):
        service.change_own_password("fout", GOOD)
    with pytest.raises(ValidationError, match="minstens 10 tekens"):
        service.change_own_password("demo", "nieuw123")
    with pytest.raises(ValidationError, match="gebruikersnaam"):
        service.change_own_password("demo", "ik ben de surveillant")
    service.change_own_password("demo", GOOD)
    assert AuthService(store).login("surveillant", GOOD).id == user.id


def test_a_school_database_from_before_this_version_upgrades_and_its_users_still_log_in(demo_db):
    """Existing files: the v010 step adds the name counter to a database that has none, and scrypt hashes
    of the previous version still log in (and are replaced then); the audit chain keeps verifying."""
    from examdesk.data.schema import v010_login_throttle
    from examdesk.services.audit import verify_store

    store = open_store(demo_db)
    store.write("DROP TABLE login_throttle")
    for (name,) in store.query("SELECT username FROM users"):
        store.write("UPDATE users SET password_hash = ? WHERE username = ?", (_scrypt_hash("demo"), name))
    _vouch_as_the_v018_upgrade(store)
    with store.transaction() as conn:
        v010_login_throttle.upgrade(conn)
    for name in ("beheerder", "commissie", "bureau", "surveillant"):
        assert AuthService(store).login(name, "demo").username == name
    with pytest.raises(AuthenticationError, match="Nog 4 pogingen"):
        AuthService(store).login("niemand", "demo")
    assert store.query_one("SELECT count(*) FROM users WHERE password_hash LIKE 'scrypt$%'")[0] == 3  # not logged in
    assert verify_store(store).ok
