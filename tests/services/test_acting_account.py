"""AppContext.require reads the acting account afresh: an open window of an account that was
deactivated, locked or stripped of a role since login cannot go on working (issue 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examdesk.domain.clock import now
from examdesk.domain.errors import AuthenticationError, PermissionDenied
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.incident_desk import IncidentDeskService
from examdesk.services.sessions import LocationService
from examdesk.services.users import UserService


def _audit_count(store) -> int:
    return store.query_one("SELECT count(*) FROM audit_log")[0]


def test_a_deactivated_users_open_window_cannot_keep_writing(store):
    bureau = AppContext(store, AuthService(store).login("bureau", "demo"))      # logged in, window open
    admin = AppContext(store, AuthService(store).login("beheerder", "demo"))
    LocationService(bureau).save_location(None, "Locatie Noord", "Noordweg 1")  # works while active
    UserService(admin).set_active("bureau", False)
    before = _audit_count(store)
    with pytest.raises(PermissionDenied, match="gedeactiveerd"):
        LocationService(bureau).save_location(None, "Locatie Zuid", "Zuidweg 1")
    with pytest.raises(PermissionDenied, match="gedeactiveerd"):
        UserService(bureau).update_own_profile("medewerker", "", "")
    assert _audit_count(store) == before
    assert store.query_one("SELECT count(*) FROM locations WHERE name = 'Locatie Zuid'")[0] == 0
    UserService(admin).set_active("bureau", True)
    LocationService(bureau).save_location(None, "Locatie Zuid", "Zuidweg 1")


def test_a_locked_account_is_stopped_until_the_lock_runs_out(store):
    class Clock:
        moment = now()

        def __call__(self):
            return self.moment

    clock = Clock()
    bureau = AppContext(store, AuthService(store, clock).login("bureau", "demo"), clock)
    for _ in range(5):                                   # someone else guesses at this account
        with pytest.raises(AuthenticationError):
            AuthService(store, clock).login("bureau", "fout")
    with pytest.raises(PermissionDenied, match="geblokkeerd tot"):
        LocationService(bureau).save_location(None, "Locatie Oost", "Oostweg 1")
    clock.moment += timedelta(minutes=6)
    LocationService(bureau).save_location(None, "Locatie Oost", "Oostweg 1")


def test_a_role_taken_away_since_login_is_gone_at_the_next_call(store):
    commission = AppContext(store, AuthService(store).login("commissie", "demo"))
    admin = AppContext(store, AuthService(store).login("beheerder", "demo"))
    IncidentDeskService(commission).status_counts()
    UserService(admin).set_roles("commissie", frozenset({Role.SURVEILLANT}))
    with pytest.raises(PermissionDenied, match="mag niet incidenten bekijken"):
        IncidentDeskService(commission).status_counts()
    assert commission.user.roles == {Role.SURVEILLANT}


def test_an_account_removed_from_under_a_window_is_refused(store):
    ghost = AppContext(store, AuthService(store).login("bureau", "demo"))
    store.write("UPDATE users SET username = 'weg' WHERE username = 'bureau'")   # the same row stays
    LocationService(ghost).locations()
    store.write("PRAGMA foreign_keys = OFF")
    store.write("DELETE FROM user_roles WHERE user_id = ?", (ghost.user.id,))
    store.write("DELETE FROM users WHERE id = ?", (ghost.user.id,))
    with pytest.raises(PermissionDenied, match="bestaat niet meer"):
        LocationService(ghost).locations()
