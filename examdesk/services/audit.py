"""Reading and verifying the audit trail; it is never changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from examdesk.data import audit as audit_data
from examdesk.data import audit_labels
from examdesk.data.db import Store
from examdesk.domain.audit import AuditEntry, AuditFilter, ChainVerdict
from examdesk.domain.catalogue import default_catalogue
from examdesk.domain.clock import format_date
from examdesk.domain.roles import Action
from examdesk.services.context import AppContext
from examdesk.services.ids import short_id
from examdesk.services.integrity import verify_audit


def verify_store(store: Store) -> ChainVerdict:
    """Integrity of the (keyed) chain from its first entry; needs no login. `examdesk verify` and the
    startup check verify more (desk rows, session chains, witnesses): see services/integrity.py."""
    return verify_audit(store)


@dataclass(frozen=True)
class AuditLine:
    """One entry as the Auditlogboek shows it: names where the entry holds ids (a person, a session, an
    incident, a decision, a candidate), so nobody has to look a UUID up. The entry itself is unchanged."""

    entry: AuditEntry
    who: str       # 'Marieke de Vries (commissie)'
    subject: str   # 'besluit 6', "afname 'Nederlands 3F' op 18-11-2026"
    details: str   # the summary, with the ids in it named


# a seal's entity id is 'table#key': the tables whose key the screen can name, and as what
_SEALED_KIND = {"decisions": "besluit", "sessions": "afname", "incident_index": "incident"}
# summary fields that hold an id, and what kind of id
_SUMMARY_KIND = {"incident": "incident", "kandidaat": "kandidaat", "vervangt": "besluit", "afname": "afname",
                 "besluit": "besluit"}


def _day(iso_day: str) -> str:
    try:
        return format_date(date.fromisoformat(iso_day))
    except (TypeError, ValueError):
        return iso_day


class _Names:
    """The names for every id on one page, looked up in one batch per kind of id (and one per sealed table on
    the page, for what its rows belong to): never one query per row."""

    def __init__(self, store: Store, entries: list[AuditEntry], show_candidates: bool):
        wanted: dict[str, set[str]] = {k: set() for k in ("afname", "incident", "besluit", "kandidaat",
                                                           "instrument", "leverancier", "gebruiker", "locatie",
                                                           "lokaal", "routekeuze")}
        sealed: dict[str, set[str]] = {}
        users: set[int] = set()
        for e in entries:
            if e.user_id is not None:
                users.add(e.user_id)
            kind, key = self._kind_of(e.entity, e.entity_id)
            if kind in wanted:
                wanted[kind].add(key)
            table, sep, row = e.entity_id.partition("#")
            if sep and table not in _SEALED_KIND:
                sealed.setdefault(table, set()).add(row)
            for field, value in e.summary.items():
                if field in _SUMMARY_KIND and isinstance(value, str) and value:
                    wanted[_SUMMARY_KIND[field]].add(value)
        # 'triage nr. 4' named what it belongs to: 'triage · incident …'
        self.owners = {table: audit_labels.sealed_owners(store, table, rows) for table, rows in sealed.items()}
        for owners in self.owners.values():
            for kind, key in owners.values():
                if key:
                    wanted[kind].add(str(key))
        users |= {int(k) for k in wanted["gebruiker"] if k.isdigit()}
        self.users = audit_labels.users(store, users)
        self.sessions = audit_labels.sessions(store, wanted["afname"])
        self.incidents = audit_labels.incidents(store, wanted["incident"])
        self.decisions = audit_labels.decisions(store, wanted["besluit"])
        self.instruments = audit_labels.instruments(store, wanted["instrument"])
        self.suppliers = audit_labels.suppliers(store, wanted["leverancier"])
        self.candidates = audit_labels.candidates(store, wanted["kandidaat"]) if show_candidates else {}
        self.show_candidates = show_candidates
        self.locations = audit_labels.locations(store, wanted["locatie"])
        self.rooms = audit_labels.rooms(store, wanted["lokaal"])
        self.qualifications = audit_labels.qualifications(
            store, {key.partition("/")[0] for key in wanted["routekeuze"]})
        self.categories = {c.code: c.name for c in default_catalogue().categories}

    @staticmethod
    def _kind_of(entity: str, entity_id: str) -> tuple[str, str]:
        table, sep, key = entity_id.partition("#")
        if sep and table in _SEALED_KIND:
            return _SEALED_KIND[table], key
        return entity, entity_id

    def user(self, user_id: int | None, username: str) -> str:
        found = self.users.get(user_id) if user_id is not None else None
        return f"{found[0]} ({found[1]})" if found else username

    def name(self, kind: str, key: str) -> str | None:
        """What `key` (an id of `kind`) refers to, or None when it is unknown (removed, or not shown)."""
        if kind == "gebruiker" and key.isdigit() and int(key) in self.users:
            full_name, username = self.users[int(key)]
            return f"{full_name} ({username})"
        if kind == "afname" and key in self.sessions:
            title, day = self.sessions[key]
            return f"'{title}' op {_day(day)}"
        if kind == "incident" and key in self.incidents:   # as Incidenten lists it: category, date, short id
            code, day, own_id = self.incidents[key]
            return f"{short_id(own_id)} ({self.categories.get(code, code)}, {_day(day)})"
        if kind == "besluit" and key in self.decisions:
            return str(self.decisions[key])
        if kind == "kandidaat" and key in self.candidates:
            name = " ".join(p for p in self.candidates[key] if p)
            return f"{name} ({key})"
        if kind == "instrument" and key in self.instruments:
            return self.instruments[key]
        if kind == "leverancier" and key in self.suppliers:
            return self.suppliers[key]
        if kind == "locatie" and key in self.locations:
            return self.locations[key]
        if kind == "lokaal" and key in self.rooms:
            room, location = self.rooms[key]
            return f"{room} ({location})"
        if kind == "routekeuze":
            crebo, _sep, year = key.partition("/")
            if crebo in self.qualifications:
                return f"{self.qualifications[crebo]} ({crebo}), {year}" if year else self.qualifications[crebo]
        return None

    def gone(self, kind: str, key: str) -> str | None:
        """An incident or a candidate the log names but the file no longer holds: an exam PC removes a session's
        incidents and candidates once the central database has them (privacy rules, `data/exam_pc`)."""
        if kind == "incident" or (kind == "kandidaat" and self.show_candidates):
            return f"{short_id(key) if kind == 'incident' else key} (verwijderd)"
        return None

    def subject(self, entity: str, entity_id: str) -> str:
        kind, key = self._kind_of(entity, entity_id)
        named = self.name(kind, key)
        if named is not None:
            return f"{entity} {named}"
        table, sep, rest = entity_id.partition("#")
        owner = self.owners.get(table, {}).get(rest) if sep else None
        if owner is not None:                     # a sealed row: named by what it belongs to
            owner_kind, owner_key = owner
            named = self.name(owner_kind, str(owner_key)) or self.gone(owner_kind, str(owner_key))
            if named is not None:
                return f"{entity} · {owner_kind} {named}"
        gone = self.gone(kind, key) if not sep else None
        if gone is not None:
            return f"{entity} {gone}"
        return f"{entity} nr. {rest}" if sep and rest.isdigit() else f"{entity} {entity_id}"

    def details(self, summary: dict[str, Any]) -> str:
        kinds = dict(_SUMMARY_KIND)
        sealed = _SEALED_KIND.get(str(summary.get("tabel", "")))
        if sealed:   # a seal's 'sleutel' is the key of the row it sealed (already looked up for the subject)
            kinds["sleutel"] = sealed

        def show(field: str, value: object) -> str:
            if field in kinds and isinstance(value, str):
                named = self.name(kinds[field], value)
                if named is not None:
                    return named
            if isinstance(value, list | tuple):
                return ", ".join(str(v) for v in value)
            return str(value)

        return "; ".join(f"{k}: {show(k, v)}" for k, v in summary.items())


class AuditService:
    def __init__(self, ctx: AppContext):
        self.ctx = ctx

    def count(self, f: AuditFilter) -> int:
        self.ctx.require(Action.VIEW_AUDIT)
        return audit_data.count(self.ctx.store, f)

    def page(self, f: AuditFilter, offset: int, limit: int) -> list[AuditEntry]:
        self.ctx.require(Action.VIEW_AUDIT)
        return audit_data.page(self.ctx.store, f, offset, limit)

    def lines(self, f: AuditFilter, offset: int, limit: int) -> list[AuditLine]:
        """A page as the screen shows it: user and object ids named, in one lookup per kind of id for the
        whole page. Candidates' names only for who may see candidates; others read the student number."""
        entries = self.page(f, offset, limit)
        names = _Names(self.ctx.store, entries, self.ctx.can(Action.VIEW_CANDIDATES))
        return [AuditLine(e, names.user(e.user_id, e.username), names.subject(e.entity, e.entity_id),
                          names.details(e.summary)) for e in entries]

    def actions(self) -> list[str]:
        self.ctx.require(Action.VIEW_AUDIT)
        return audit_data.distinct_actions(self.ctx.store)

    def verify(self) -> ChainVerdict:
        self.ctx.require(Action.VIEW_AUDIT)
        return verify_store(self.ctx.store)
