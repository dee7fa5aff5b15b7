from __future__ import annotations

import pytest

from examdesk.domain.errors import ValidationError
from examdesk.domain.roles import Role
from examdesk.services.users import UserService


def test_add_change_roles_reset_and_deactivate_are_audited(ctx_for):
    ctx = ctx_for(Role.BEHEERDER)
    service = UserService(ctx)
    service.add("p.devries", "Pieter de Vries", "koffie-met-twee-klontjes", frozenset({Role.SURVEILLANT}))
    service.set_roles("p.devries", frozenset({Role.SURVEILLANT, Role.BUREAU}))
    service.reset_password("p.devries", "regen op de tulpenvelden")
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
        UserService(ctx_for(Role.BEHEERDER)).add(username, "Iemand", "koffie-met-twee-klontjes", frozenset({Role.BUREAU}))


def test_a_user_without_roles_is_refused(ctx_for):
    with pytest.raises(ValidationError, match="minstens één rol"):
        UserService(ctx_for(Role.BEHEERDER)).add("iemand", "Iemand", "koffie-met-twee-klontjes", frozenset())


def test_the_last_beheerder_cannot_be_removed(ctx_for):
    service = UserService(ctx_for(Role.BEHEERDER))
    with pytest.raises(ValidationError, match="eigen account"):
        service.set_active("beheerder", False)
    with pytest.raises(ValidationError, match="eigen beheerdersrol"):
        service.set_roles("beheerder", frozenset({Role.COMMISSIE}))


# --- Mijn gegevens: every user keeps their own contact details ----------------------------------------

def _audit(ctx, user_id: int) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in ctx.store.query(
        "SELECT action, username FROM audit_log WHERE entity = 'gebruiker' AND entity_id = ? ORDER BY seq",
        (str(user_id),))]


@pytest.mark.parametrize("role", list(Role))
def test_any_logged_in_user_updates_their_own_profile_and_it_is_audited(ctx_for, role):
    ctx = ctx_for(role)
    me = ctx.user
    saved = UserService(ctx).update_own_profile(" coördinator examens ", "+31 6 1234 5678", "  ik@rocmh.example.nl ")
    assert (saved.function, saved.phone, saved.email) == ("coördinator examens", "+31 6 1234 5678",
                                                         "ik@rocmh.example.nl")
    assert saved.full_name == me.full_name and saved.roles == me.roles      # name and roles stay with the beheerder
    assert UserService(ctx).own_profile() == saved
    assert _audit(ctx, me.id)[-1] == ("eigen gegevens gewijzigd", me.username)
    summary = ctx.store.query_one("SELECT summary FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert "telefoon" in summary and "e-mail" in summary


def test_saving_an_unchanged_profile_writes_nothing(ctx_for):
    ctx = ctx_for(Role.SURVEILLANT)
    me = UserService(ctx).own_profile()
    before = len(_audit(ctx, me.id))
    assert UserService(ctx).update_own_profile(me.function, me.phone, me.email) == me
    assert len(_audit(ctx, me.id)) == before


@pytest.mark.parametrize("phone,email,message", [
    ("0182 556 210", "m.devries", "geen geldig e-mailadres"),
    ("0182 556 210", "m.devries@rocmh", "geen geldig e-mailadres"),
    ("0182 556 210", "m de vries@rocmh.nl", "geen geldig e-mailadres"),
    ("bel de balie", "m.devries@rocmh.example.nl", "geen geldig telefoonnummer"),
    ("0182", "m.devries@rocmh.example.nl", "geen geldig telefoonnummer"),
    ("06-1234567890123456", "m.devries@rocmh.example.nl", "geen geldig telefoonnummer"),
])
def test_bad_phone_or_email_is_refused_in_dutch_and_nothing_is_saved(ctx_for, phone, email, message):
    ctx = ctx_for(Role.COMMISSIE)
    before = UserService(ctx).own_profile()
    with pytest.raises(ValidationError, match=message):
        UserService(ctx).update_own_profile("secretaris", phone, email)
    assert UserService(ctx).own_profile() == before


def test_contact_details_may_be_left_empty(ctx_for):
    saved = UserService(ctx_for(Role.BUREAU)).update_own_profile("", "", "")
    assert (saved.function, saved.phone, saved.email) == ("", "", "")


def test_updating_a_profile_needs_a_login(store):
    from examdesk.domain.errors import PermissionDenied
    from examdesk.services.context import AppContext

    with pytest.raises(PermissionDenied, match="niet ingelogd"):
        UserService(AppContext(store, None)).update_own_profile("x", "0182 556 210", "x@y.nl")


def test_a_wrong_current_password_says_so_in_the_users_words(ctx_for):
    from examdesk.domain.errors import AuthenticationError

    with pytest.raises(AuthenticationError, match="huidige wachtwoord is onjuist.*Nog 4 pogingen"):
        UserService(ctx_for(Role.COMMISSIE)).change_own_password("fout", "regen op de tulpenvelden")


@pytest.mark.parametrize("phone,email", [("0182", ""), ("", "geen-adres"), ("bel mij", "")])
def test_beheerder_cannot_save_a_broken_phone_or_email_either(ctx_for, phone, email):
    service = UserService(ctx_for(Role.BEHEERDER))
    with pytest.raises(ValidationError, match="geen geldig"):
        service.update_profile("bureau", "Samira El Amrani", "medewerker", phone, email)
    with pytest.raises(ValidationError, match="geen geldig"):
        service.add("nieuw", "Nieuw", "koffie-met-twee-klontjes", frozenset({Role.BUREAU}), "", phone, email)
    assert next(u for u in service.list_users() if u.username == "bureau").phone == "0182 556 230"
