"""Roles and what each may do: the one table the services enforce and the UI follows."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    BEHEERDER = "beheerder"
    COMMISSIE = "examencommissie"
    BUREAU = "examenbureau"
    SURVEILLANT = "surveillant"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.BEHEERDER: "beheerder",
    Role.COMMISSIE: "examencommissie",
    Role.BUREAU: "examenbureau",
    Role.SURVEILLANT: "surveillant",
}


class Action(StrEnum):
    """Everything a service may refuse. The value is the Dutch phrase used in refusals."""

    VIEW_OVERVIEW = "het overzicht bekijken"
    MANAGE_USERS = "gebruikers beheren"
    EDIT_INSTITUTION = "de instellingsgegevens wijzigen"
    VIEW_AUDIT = "het auditlogboek bekijken"
    MANAGE_BACKUPS = "back-ups maken en terugzetten"
    VIEW_REGISTER = "het instrumentenregister bekijken"
    EDIT_REGISTER = "het instrumentenregister bewerken"
    IMPORT_REGISTER = "kwalificaties, instrumenten of leveranciers importeren"
    ADOPT_INSTRUMENT = "exameninstrumenten vaststellen"
    CHOOSE_ROUTES = "de routekeuze per kwalificatie vaststellen"
    EXPORT_REGISTER = "het register exporteren"
    MANAGE_CANDIDATES = "kandidaten beheren en importeren"
    PLAN_SESSION = "afnames plannen"
    VIEW_SESSIONS = "afnames bekijken"
    VIEW_ALL_SESSIONS = "alle afnames en lokalen van de school bekijken"  # without it: only one's own sessions
    VIEW_CANDIDATES = "kandidaten en hun gegevens bekijken"              # birth dates, reasons for extra time
    RUN_SESSION = "een afname afnemen (sessiemodus)"
    REOPEN_SESSION = "een afgesloten afname heropenen"
    VIEW_INCIDENTS = "incidenten bekijken"
    DECIDE_INCIDENT = "over incidenten beslissen en melden bij de Inspectie"
    RECORD_FOUND_INCIDENT = "een achteraf vastgesteld incident vastleggen"
    PRODUCE_DOCUMENTS = "officiële documenten maken"
    RECORD_RESULTS = "de verwerking van de resultaten vastleggen"
    EXCHANGE = "afnamepakketten en verslagen uitwisselen"
    TRUST_EXCHANGE_KEY = "sleutels voor de uitwisseling vertrouwen of intrekken"
    MANAGE_PRIVACY = "bewaartermijnen beheren en verlopen gegevens anonimiseren"
    SUBJECT_ACCESS = "alle gegevens van een kandidaat exporteren (inzageverzoek)"


_B, _C, _E, _S = Role.BEHEERDER, Role.COMMISSIE, Role.BUREAU, Role.SURVEILLANT

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW_OVERVIEW: frozenset({_B, _C, _E, _S}),
    Action.MANAGE_USERS: frozenset({_B}),
    Action.EDIT_INSTITUTION: frozenset({_B}),
    Action.VIEW_AUDIT: frozenset({_B, _C}),
    Action.MANAGE_BACKUPS: frozenset({_B}),
    Action.VIEW_REGISTER: frozenset({_C, _E, _B}),
    Action.EDIT_REGISTER: frozenset({_C, _E}),
    Action.IMPORT_REGISTER: frozenset({_C, _E}),
    Action.ADOPT_INSTRUMENT: frozenset({_C}),
    Action.CHOOSE_ROUTES: frozenset({_C}),
    Action.EXPORT_REGISTER: frozenset({_C, _E}),
    Action.MANAGE_CANDIDATES: frozenset({_E}),
    Action.PLAN_SESSION: frozenset({_E}),
    Action.VIEW_SESSIONS: frozenset({_C, _E, _S}),
    Action.VIEW_ALL_SESSIONS: frozenset({_C, _E}),
    Action.VIEW_CANDIDATES: frozenset({_C, _E}),
    Action.RUN_SESSION: frozenset({_S}),
    Action.REOPEN_SESSION: frozenset({_C}),
    Action.VIEW_INCIDENTS: frozenset({_C}),
    Action.DECIDE_INCIDENT: frozenset({_C}),
    # the examenbureau only for an administrative fault (Beleidsregel art. 2(1) e/f; domain/casework)
    Action.RECORD_FOUND_INCIDENT: frozenset({_C, _E}),
    Action.PRODUCE_DOCUMENTS: frozenset({_C, _E}),
    Action.RECORD_RESULTS: frozenset({_E}),
    Action.EXCHANGE: frozenset({_E, _S}),
    Action.TRUST_EXCHANGE_KEY: frozenset({_B}),
    Action.MANAGE_PRIVACY: frozenset({_B}),
    Action.SUBJECT_ACCESS: frozenset({_C, _E}),
}


def allowed(roles: frozenset[Role] | set[Role], action: Action) -> bool:
    return bool(PERMISSIONS[action] & set(roles))


def parse_roles(text: str) -> frozenset[Role]:
    """'beheerder,examencommissie' → roles; accepts the short demo names too (commissie, bureau)."""
    aliases = {"commissie": Role.COMMISSIE, "bureau": Role.BUREAU}
    roles = set()
    for part in text.replace(";", ",").split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name in aliases:
            roles.add(aliases[name])
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise ValueError(f"Onbekende rol '{part.strip()}'. Bekende rollen: {known}.") from None
    return frozenset(roles)
