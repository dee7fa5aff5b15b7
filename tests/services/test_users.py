from __future__ import annotations

import pytest

from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role
from examdesk.services.users import UserService


def test_add_change_roles_reset_and_deactivate_are_audited(ctx_for):
    ctx = ctx_for(Role.BEHEERDER)
    service = UserService(ctx)
    service.add("p.devries", "Pieter de Vries", "geheim", frozenset({Role.SURVEILLANT}))
    service.set_roles("p.devries", frozenset({Role.SURVEILLANT, Role.BUREAU}))
    service.reset_password("p.devries", "nieuw12")
    service.set_active("p.devries", False)
    user = next(u for u in service.list_users() if u.username == "p.devries")
    assert user.roles == {Role.SURVEILLANT, Role.BUREAU}
    assert not user.active
    actions = [r[0] for r in ctx.store.query("SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq",
                                             (str(user.id),))]
    assert actions == ["gebruiker toegevoegd", "rollen gewijzigd", "wachtwoord opnieuw ingesteld",
                       "gebruiker gedeactiveerd"]


def test_users_are_never_deleted(ctx_for):
    assert not hasattr(UserService, "delete")


@pytest.mark.parametrize("username,message", [
    ("beheerder", "al in gebruik"), ("x", "Gebruikersnaam ongeldig"), ("Jan Bakker", "Gebruikersnaam ongeldig"),
])
def test_bad_new_user_is_refused(ctx_for, username, message):
    with pytest.raises(ValidationError, match=message):
        UserService(ctx_for(Role.BEHEERDER)).add(username, "Iemand", "geheim", frozenset({Role.BUREAU}))


def test_a_user_without_roles_is_refused(ctx_for):
    with pytest.raises(ValidationError, match="minstens één rol"):
        UserService(ctx_for(Role.BEHEERDER)).add("iemand", "Iemand", "geheim", frozenset())


def test_the_last_beheerder_cannot_be_removed(ctx_for):
    service = UserService(ctx_for(Role.BEHEERDER))
    with pytest.raises(ValidationError, match="eigen account"):
        service.set_active("beheerder", False)
    with pytest.raises(ValidationError, match="eigen beheerdersrol"):
        service.set_roles("beheerder", frozenset({Role.COMMISSIE}))
