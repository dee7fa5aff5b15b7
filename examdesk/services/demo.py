"""The demo database behind `make run`: a realistic ROC with one account per role (password `demo`)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from examdesk.data import audit as audit_data
from examdesk.data import institution as institution_data
from examdesk.data import meta as meta_data
from examdesk.data import users as user_data
from examdesk.data.db import Store, open_store
from examdesk.domain.clock import now, to_iso
from examdesk.domain.errors import ValidationError
from examdesk.domain.institution import Institution, validate_institution
from examdesk.domain.roles import Role
from examdesk.domain.users import User, hash_password
from examdesk.paths import demo_db_path
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.users import UserService

DEMO_PASSWORD = "demo"

DEMO_INSTITUTION = Institution(
    name="ROC Midden-Holland",
    brin="25PZ",
    commission_name="Examencommissie Techniek, Zorg en Dienstverlening",
    place="Gouda",
    late_admission_minutes=30,
    appeal_term_days=42,
    appeal_body="Commissie van beroep voor de examens ROC Midden-Holland",
)

# (username, full name, roles, function, phone, e-mail)
DEMO_USERS: list[tuple[str, str, frozenset[Role], str, str, str]] = [
    ("commissie", "Marieke de Vries", frozenset({Role.COMMISSIE}), "secretaris examencommissie",
     "0182 556 210", "m.devries@rocmh.example.nl"),
    ("bureau", "Samira El Amrani", frozenset({Role.BUREAU}), "medewerker examenbureau",
     "0182 556 230", "s.elamrani@rocmh.example.nl"),
    ("surveillant", "Jan Bakker", frozenset({Role.SURVEILLANT}), "surveillant",
     "0182 556 240", "j.bakker@rocmh.example.nl"),
    ("h.jansen", "Henk Jansen", frozenset({Role.COMMISSIE}), "voorzitter examencommissie",
     "0182 556 211", "h.jansen@rocmh.example.nl"),
    ("l.vandijk", "Loes van Dijk", frozenset({Role.SURVEILLANT}), "surveillant",
     "0182 556 241", "l.vandijk@rocmh.example.nl"),
    ("e.sahin", "Elif Şahin-Bos", frozenset({Role.SURVEILLANT, Role.BUREAU}), "examenfunctionaris",
     "0182 556 242", "e.sahin@rocmh.example.nl"),
]


def populate(store: Store) -> None:
    """Fills an empty database: the institution and users here, then each part's own demo step.
    Only a database marked as the demo gets the demo accounts (password `demo`)."""
    if not meta_data.is_demo(store):
        raise ValidationError("De demogebruikers (wachtwoord 'demo') horen alleen in een demodatabase; deze "
                              "database is geen demodatabase. Er is niets gewijzigd.")
    admin = _demo_accounts(store)
    UserService(AppContext(store, admin)).update_profile(
        "beheerder", "Ruud Kok", "functioneel beheerder", "0182 556 200", "r.kok@rocmh.example.nl")
    for step in demo_steps():
        step.populate_demo(store)


def _demo_accounts(store: Store) -> User:
    """The institution and one account per role, each with password `demo`. These are written by code,
    never typed, so they do not pass the password policy (which refuses 'demo', as it must for every
    account a person sets up): this function is the only way to such an account, and only
    `examdesk demo` calls it, on an empty database."""
    inst = validate_institution(DEMO_INSTITUTION)
    at = to_iso(now())
    with store.transaction():
        institution_data.save(store, inst)
        stored = hash_password(DEMO_PASSWORD)
        admin_id = user_data.insert(store, "beheerder", "Ruud Kok", stored, frozenset({Role.BEHEERDER}), at)
        audit_data.append(store, admin_id, "beheerder", "inrichting", "instelling", inst.brin,
                          {"naam": inst.name, "brin": inst.brin, "beheerder": "beheerder",
                           **audit_data.passwords_summary(store, {admin_id: stored})}, at=at)
        for username, name, roles, function, phone, email in DEMO_USERS:
            stored = hash_password(DEMO_PASSWORD)
            user_id = user_data.insert(store, username, name, stored, roles, at, function, phone, email)
            audit_data.append(store, admin_id, "beheerder", "gebruiker toegevoegd", "gebruiker", user_id,
                              {"gebruikersnaam": username, "naam": name, "rollen": sorted(roles),
                               **audit_data.passwords_summary(store, {user_id: stored})}, at=at)
    return user_data.get(store, admin_id)


def demo_steps() -> tuple[ModuleType, ...]:
    """Each later part of ExamDesk adds its demo records in a module with `populate_demo(store)`, in
    dependency order (register before sessions before incidents). Imported when a demo is made, not
    when this module is: opening an existing demo database needs none of them."""
    from examdesk.services import (
        demo_documents,
        demo_incident_desk,
        demo_planning,
        demo_register,
        demo_sessions,
    )

    return (demo_register, demo_sessions, demo_incident_desk, demo_documents, demo_planning)


def create_demo(path: Path) -> Store:
    """Opens the demo database, creating and filling it on first use. It is marked as the demo (in
    `meta`) before its accounts exist, so the mark travels with every copy and backup of it; a demo
    database made before the mark existed gets it when it is opened at the demo path again."""
    store = open_store(path)
    try:
        if AuthService(store).needs_setup():
            meta_data.mark_demo(store)
            populate(store)
        elif not meta_data.is_demo(store) and Path(path).resolve() == demo_db_path().resolve():
            meta_data.mark_demo(store)
    except ValidationError:
        store.close()
        raise
    return store
