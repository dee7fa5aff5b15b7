from __future__ import annotations

from datetime import timedelta

import pytest

from examdesk.data.db import open_store
from examdesk.domain.clock import now
from examdesk.domain.errors import AuthenticationError, ValidationError
from examdesk.domain.institution import Institution
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.users import UserService


class FakeClock:
    def __init__(self):
        self.moment = now()

    def __call__(self):
        return self.moment


def test_first_start_setup_creates_institution_and_first_beheerder(empty_db):
    store = open_store(empty_db)
    auth = AuthService(store)
    assert auth.needs_setup()
    user = auth.setup(Institution("ROC Test", "25pz", "Examencommissie Zorg"), "Admin", "Anna Admin", "geheim")
    assert user.username == "admin"
    assert [r.value for r in user.roles] == ["beheerder"]
    assert not auth.needs_setup()
    assert auth.login("admin", "geheim").full_name == "Anna Admin"
    with pytest.raises(ValidationError, match="al ingericht"):
        auth.setup(Institution("X", "25PZ", "Y"), "tweede", "Tweede", "geheim")


@pytest.mark.parametrize("brin", ["25P", "2PZZ", "ABCD", "25PZ1", ""])
def test_setup_refuses_a_malformed_brin(empty_db, brin):
    store = open_store(empty_db)
    with pytest.raises(ValidationError, match="BRIN"):
        AuthService(store).setup(Institution("ROC", brin, "Commissie"), "admin", "A", "geheim")
    assert AuthService(store).needs_setup()


def test_wrong_password_says_how_many_attempts_are_left(store):
    with pytest.raises(AuthenticationError, match="Nog 4 pogingen"):
        AuthService(store).login("commissie", "fout")


def test_unknown_user_gets_the_same_message_as_a_wrong_password(store):
    with pytest.raises(AuthenticationError, match="Onbekende gebruikersnaam of onjuist wachtwoord"):
        AuthService(store).login("niemand", "demo")


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
    actions = [r[0] for r in store.query("SELECT action FROM audit_log WHERE username = 'bureau' ORDER BY seq")]
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


def test_deactivated_account_cannot_log_in(store, ctx_for):
    from examdesk.domain.roles import Role

    UserService(ctx_for(Role.BEHEERDER)).set_active("surveillant", False)
    with pytest.raises(AuthenticationError, match="gedeactiveerd"):
        AuthService(store).login("surveillant", "demo")


def test_passwords_are_stored_as_salted_scrypt_hashes(store):
    rows = store.query("SELECT password_hash FROM users")
    hashes = [r[0] for r in rows]
    assert all(h.startswith("scrypt$") for h in hashes)
    assert len(set(hashes)) == len(hashes)  # same password 'demo', different salts
    assert not any("demo" in h for h in hashes)


def test_user_can_change_own_password_after_giving_the_current_one(store):
    user = AuthService(store).login("surveillant", "demo")
    service = UserService(AppContext(store, user))
    with pytest.raises(AuthenticationError):
        service.change_own_password("fout", "nieuw123")
    service.change_own_password("demo", "nieuw123")
    assert AuthService(store).login("surveillant", "nieuw123").id == user.id
