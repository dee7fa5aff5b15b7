"""Managing accounts (beheerder): add, change roles, reset password, deactivate — never delete."""

from __future__ import annotations

from collections.abc import Callable

from examdesk.data import audit as audit_data
from examdesk.data import institution as institution_data
from examdesk.data import users as user_data
from examdesk.data.memo import while_unchanged
from examdesk.domain.clock import to_iso
from examdesk.domain.collation import full_name_key
from examdesk.domain.errors import AuthenticationError, NotFound, PermissionDenied, ValidationError
from examdesk.domain.roles import Action, Role
from examdesk.domain.users import User, check_new_password, hash_password, validate_contact, validate_username
from examdesk.services.context import AppContext


def user_names(ctx: AppContext) -> Callable[[str], str]:
    """Who did something, by the name people know them by ('Marieke de Wit'), for a line on screen where the
    record keeps the username it was made under ('vastgelegd door commissie' read as a role, not a person).
    An account whose name was anonymised, or a username not known here (an imported record), stays as it is.
    The one place that names a user: the Register's status history, an incident's file, session mode's log."""
    # read once per state of the database, not on every incident or instrument shown (the Incidenten file
    # follows each selection and typing pause)
    names = while_unchanged(ctx.store, "user_names", (), lambda: {
        u.username: u.full_name for u in user_data.all_users(ctx.store) if u.full_name.strip()})
    return lambda username: names.get(username, username)


class UserService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def list_users(self) -> list[User]:
        """Active accounts first, each group in Dutch name order (Şahin before Wójcik, 'de Vries' under V)."""
        self.ctx.require(Action.MANAGE_USERS)
        return sorted(user_data.all_users(self.ctx.store), key=lambda u: (not u.active, full_name_key(u.full_name)))

    def _get(self, username: str) -> User:
        user = user_data.by_username(self.ctx.store, username.strip().lower())
        if user is None:
            raise NotFound(f"Gebruiker '{username}' bestaat niet.")
        return user

    def add(self, username: str, full_name: str, password: str, roles: frozenset[Role],
            function: str = "", phone: str = "", email: str = "") -> User:
        self.ctx.require(Action.MANAGE_USERS)
        username = validate_username(username)
        if not full_name.strip():
            raise ValidationError("Vul de volledige naam in.")
        if not roles:
            raise ValidationError("Kies minstens één rol.")
        self._check_password(password, username)
        phone, email = validate_contact(phone, email)
        if user_data.by_username(self.ctx.store, username):
            raise ValidationError(f"De gebruikersnaam '{username}' is al in gebruik.")
        with self.ctx.store.transaction():
            stored = hash_password(password)
            user_id = user_data.insert(self.ctx.store, username, full_name.strip(), stored, roles,
                                       to_iso(self.ctx.clock()), function.strip(), phone.strip(), email.strip())
            self.ctx.audit("gebruiker toegevoegd", "gebruiker", user_id,
                           {"gebruikersnaam": username, "naam": full_name.strip(), "rollen": sorted(roles),
                            **audit_data.passwords_summary(self.ctx.store, {user_id: stored})})
        return user_data.get(self.ctx.store, user_id)

    def set_roles(self, username: str, roles: frozenset[Role]) -> User:
        actor = self.ctx.require(Action.MANAGE_USERS)
        user = self._get(username)
        if not roles:
            raise ValidationError("Kies minstens één rol.")
        if user.id == actor.id and Role.BEHEERDER not in roles:
            raise ValidationError("U kunt uw eigen beheerdersrol niet intrekken; laat een andere beheerder dat doen.")
        self._keep_one_admin(user, roles=roles)
        with self.ctx.store.transaction():
            user_data.set_roles(self.ctx.store, user.id, roles)
            self.ctx.audit("rollen gewijzigd", "gebruiker", user.id,
                           {"gebruikersnaam": user.username, "was": sorted(user.roles), "wordt": sorted(roles)})
        return user_data.get(self.ctx.store, user.id)

    def update_profile(self, username: str, full_name: str, function: str, phone: str, email: str) -> User:
        self.ctx.require(Action.MANAGE_USERS)
        user = self._get(username)
        if not full_name.strip():
            raise ValidationError("Vul de volledige naam in.")
        phone, email = validate_contact(phone, email)
        with self.ctx.store.transaction():
            user_data.update_profile(self.ctx.store, user.id, full_name.strip(), function.strip(), phone.strip(),
                                     email.strip())
            self.ctx.audit("gebruiker gewijzigd", "gebruiker", user.id,
                           {"gebruikersnaam": user.username, "naam": full_name.strip(), "functie": function.strip()})
        return user_data.get(self.ctx.store, user.id)

    def own_profile(self) -> User:
        """The logged-in user as the database has them now (the session's copy may be older)."""
        me = self._me()
        user = user_data.get(self.ctx.store, me.id)
        if user is None:
            raise NotFound(f"Uw account ({me.username}) bestaat niet meer in deze database.")
        return user

    def update_own_profile(self, function: str, phone: str, email: str) -> User:
        """Any logged-in user keeps their own function, phone and e-mail up to date (the Inspectie form
        prints them as the submitter's); the name and roles stay with the beheerder."""
        user = self.own_profile()
        function = function.strip()
        phone, email = validate_contact(phone, email)
        if len(function) > 100:
            raise ValidationError("De functie is te lang; gebruik hoogstens 100 tekens.")
        changed = [label for label, old, new in (("functie", user.function, function), ("telefoon", user.phone, phone),
                                                 ("e-mail", user.email, email)) if old != new]
        if not changed:
            return user
        with self.ctx.store.transaction():
            user_data.update_profile(self.ctx.store, user.id, user.full_name, function, phone, email)
            self.ctx.audit("eigen gegevens gewijzigd", "gebruiker", user.id,
                           {"gebruikersnaam": user.username, "gewijzigd": changed, "functie": function})
        return user_data.get(self.ctx.store, user.id)

    def _check_password(self, password: str, username: str) -> None:
        """The one policy (domain/users.check_new_password) for every role and every path."""
        inst = institution_data.get(self.ctx.store)
        check_new_password(password, username, inst.name if inst else "")

    def _me(self) -> User:
        if self.ctx.user is None:
            raise PermissionDenied("U bent niet ingelogd en kunt daarom uw gegevens niet wijzigen.")
        return self.ctx.acting_user()

    def reset_password(self, username: str, new_password: str) -> None:
        self.ctx.require(Action.MANAGE_USERS)
        user = self._get(username)
        self._check_password(new_password, user.username)
        with self.ctx.store.transaction():
            stored = hash_password(new_password)
            user_data.set_password_hash(self.ctx.store, user.id, stored)
            self.ctx.audit("wachtwoord opnieuw ingesteld", "gebruiker", user.id, {
                "gebruikersnaam": user.username, **audit_data.passwords_summary(self.ctx.store, {user.id: stored})})

    def change_own_password(self, old_password: str, new_password: str) -> None:
        """Any logged-in user may change their own password, after giving the current one."""
        from examdesk.services.auth import WRONG_CREDENTIALS, AuthService

        self._me()
        self._check_password(new_password, self.ctx.user.username)   # first: a refused one costs no attempt
        try:
            AuthService(self.ctx.store, self.ctx.clock).login(self.ctx.user.username, old_password)
        except AuthenticationError as exc:
            if not exc.message.startswith(WRONG_CREDENTIALS):
                raise          # locked or deactivated: that sentence says it already
            raise AuthenticationError(exc.message.replace(
                WRONG_CREDENTIALS, "Het huidige wachtwoord is onjuist; uw wachtwoord is niet gewijzigd.")) from None
        with self.ctx.store.transaction():
            stored = hash_password(new_password)
            user_data.set_password_hash(self.ctx.store, self.ctx.user.id, stored)
            self.ctx.audit("eigen wachtwoord gewijzigd", "gebruiker", self.ctx.user.id, {
                "gebruikersnaam": self.ctx.user.username,
                **audit_data.passwords_summary(self.ctx.store, {self.ctx.user.id: stored})})

    def set_active(self, username: str, active: bool) -> User:
        actor = self.ctx.require(Action.MANAGE_USERS)
        user = self._get(username)
        if not active and user.id == actor.id:
            raise ValidationError("U kunt uw eigen account niet deactiveren.")
        if not active:
            self._keep_one_admin(user, active=False)
        with self.ctx.store.transaction():
            user_data.set_active(self.ctx.store, user.id, active)
            self.ctx.audit("gebruiker geactiveerd" if active else "gebruiker gedeactiveerd", "gebruiker", user.id,
                           {"gebruikersnaam": user.username})
        return user_data.get(self.ctx.store, user.id)

    def _keep_one_admin(self, user: User, roles: frozenset[Role] | None = None, active: bool = True) -> None:
        if Role.BEHEERDER not in user.roles:
            return
        loses_admin = (not active) or (roles is not None and Role.BEHEERDER not in roles)
        others = [u for u in user_data.active_with_role(self.ctx.store, Role.BEHEERDER) if u.id != user.id]
        if loses_admin and not others:
            raise ValidationError("Er moet minstens één actieve beheerder overblijven.")
