"""What reading an exchange file into this database will do: the file parsed into typed, bounded rows,
then an import plan computed from those rows and what the database already holds. Pure: the service
(`services/exchange.py`) gathers the facts, asks for the plan, and applies it through the data layer's
fixed column lists — nothing read from a file ever becomes an SQL identifier.
(Over 400 lines: the package's row types and both plans belong together with their refusals.)

The rules (issue 11, "Import checks meaning, not only bytes"):

* a **package** sets up an empty exam PC: the institution, the invigilators' accounts (surveillant
  only), the candidates, the sessions. Read into a database that is already set up it never creates
  or changes an account, a password, a role, a lockout or a candidate, and never re-plans a session
  that is already there; it only adds sessions that are new, whose invigilators and candidates this
  database already knows;
* a **record** only appends events to sessions planned here; every new event is checked for what it
  means (`domain/event_checks.check_new_event`, as if the invigilator saved it here) — a record may
  carry only what an exam PC writes, by an invigilator of that session.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ValidationError
from examdesk.domain.event_checks import ChainFacts, SessionFrame, check_new_event
from examdesk.domain.exchange import (
    MAX_SESSIONS,
    ImportSummary,
    ManifestSession,
    SessionChange,
    check_record_chain,
    event_from_json,
    refused,
    same_content,
)
from examdesk.domain.session_events import GENESIS_HASH, MAX_CANDIDATES, Event, encodable
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import status_after

MAX_ROWS = 100_000          # rows of one kind in a package: far beyond any exam day
_CREBO = re.compile(r"^[0-9]{5}$")

Checker = Callable[[Any], Any]


class _Bad(ValueError):
    """A value of the wrong type or size; turned into one Dutch refusal for the whole file."""


def _text(limit: int = 200, empty: bool = True) -> Checker:
    def check(v: Any) -> str:
        if not isinstance(v, str) or len(v) > limit or "\x00" in v or (not empty and not v.strip()) \
                or not encodable(v):
            raise _Bad(v)
        return v
    return check


def _opt(checker: Checker) -> Checker:
    def check(v: Any) -> Any:
        return None if v is None else checker(v)
    return check


def _int(low: int, high: int) -> Checker:
    def check(v: Any) -> int:
        if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high:
            raise _Bad(v)
        return v
    return check


def _iso_date(v: Any) -> str:
    _text(10)(v)
    try:
        date.fromisoformat(v)
    except ValueError:
        raise _Bad(v) from None
    return v


def _moment(v: Any) -> str:
    _text(40)(v)
    try:
        if datetime.fromisoformat(v).tzinfo is None:
            raise _Bad(v)
    except ValueError:
        raise _Bad(v) from None
    return v


def _crebo(v: Any) -> str:
    if not isinstance(v, str) or not _CREBO.match(v):
        raise _Bad(v)
    return v


def _choice(*values: Any) -> Checker:
    def check(v: Any) -> Any:
        if v not in values or isinstance(v, bool) != any(isinstance(x, bool) for x in values):
            raise _Bad(v)
        return v
    return check


def _facilities(v: Any) -> str:
    """The roster's facilities: a JSON list of short texts, as schema v003 stores it."""
    _text(2000)(v)
    try:
        items = json.loads(v)
    except ValueError:
        raise _Bad(v) from None
    if not isinstance(items, list) or len(items) > 20 or not all(isinstance(i, str) and len(i) < 200 for i in items):
        raise _Bad(v)
    return v


_ID = _int(1, 2**53)
_UUID = _text(64, empty=False)
_NAME = _text(200, empty=False)

# The rows a package carries, with their columns (the names of schema v001–v003) and what each may hold.
# These tuples are the only column names the import writes: the file's own keys are checked against
# them and never used otherwise.
PACKAGE_TABLES: dict[str, dict[str, Checker]] = {
    "locations": {"id": _ID, "name": _NAME, "address": _text(400)},
    "rooms": {"id": _ID, "location_id": _ID, "name": _NAME, "workstations": _int(1, 500)},
    "qualifications": {
        "crebo": _crebo, "name": _NAME, "niveau": _int(1, 4), "dossier": _text(400), "dossier_crebo": _text(10),
        "domain": _text(400), "kind": _choice("kwalificatie", "mbo-certificaat", "generiek"),
        "valid_from": _opt(_iso_date), "valid_until": _opt(_iso_date), "updated_at": _moment},
    "suppliers": {
        "id": _UUID, "name": _NAME, "authority": _text(400), "certificate_number": _text(200),
        "certified_from": _opt(_iso_date), "certified_until": _opt(_iso_date), "updated_at": _moment},
    "instruments": {
        "id": _UUID, "code": _NAME, "title": _text(400, empty=False), "crebo": _crebo, "part": _text(400),
        "kind": _text(100, empty=False), "formative": _choice(0, 1), "route": _int(1, 3),
        "supplier_id": _opt(_UUID), "validator": _text(400), "validation_date": _opt(_iso_date),
        "version": _text(50), "created_at": _moment, "updated_at": _moment},
    "instrument_status": {
        "instrument_id": _UUID, "status": _choice("concept", "vastgesteld", "gewijzigd", "voorbehoud", "ingetrokken"),
        "effective_on": _iso_date, "decision_number": _text(200), "reason": _text(4000), "recorded_at": _moment,
        "recorded_by": _text(200)},
    "users": {"id": _ID, "username": _NAME, "full_name": _NAME, "function": _text(200),
              "password_hash": _text(1000, empty=False)},
    "candidates": {"id": _ID, "student_number": _text(50, empty=False), "last_name": _NAME, "prefix": _text(50),
                   "first_name": _text(200), "facility_other": _text(400)},
    "sessions": {
        "id": _UUID, "exam_kind": _choice("instelling", "centraal"), "instrument_id": _opt(_UUID),
        "central_exam": _opt(_choice("Ned2F", "Ned3F", "Rek2F", "Rek3F")), "title": _text(400, empty=False),
        "session_date": _iso_date, "starts_at": _moment, "duration_minutes": _int(1, 600), "room_id": _ID,
        "variant": _text(50), "period": _text(200), "late_limit_minutes": _int(0, 30),
        "status": _choice(*SessionStatus), "created_at": _moment, "created_by": _text(200)},
    "session_invigilators": {"session_id": _UUID, "user_id": _ID},
    "session_candidates": {"session_id": _UUID, "candidate_id": _ID, "workstation": _int(1, 500),
                           "extra_minutes": _int(0, 240), "facilities": _facilities},
}
INSTITUTION_COLUMNS: dict[str, Checker] = {
    "name": _NAME, "brin": _text(8, empty=False), "commission_name": _text(400), "place": _text(200),
    "late_admission_minutes": _int(0, 30), "appeal_term_days": _int(0, 365), "appeal_body": _text(400)}
# What of a session the exam PC keeps as planned, and compares when a package names it again.
PLAN_COLUMNS = tuple(c for c in PACKAGE_TABLES["sessions"] if c not in ("status", "created_at", "created_by"))

Row = Mapping[str, Any]


def _row(table: str, columns: dict[str, Checker], raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(columns):
        raise refused(f"Het afnamepakket bevat in '{table}' een rij met andere velden dan ExamDesk schrijft.")
    try:
        return {name: check(raw[name]) for name, check in columns.items()}
    except _Bad:
        raise refused(f"Het afnamepakket bevat in '{table}' een waarde van de verkeerde soort of lengte.") from None


@dataclass(frozen=True)
class Package:
    """The content of an afnamepakket, every row checked against `PACKAGE_TABLES`."""

    institution: Row | None
    tables: dict[str, tuple[Row, ...]]
    verdicts: dict[str, dict[str, Any]]
    catalogue_version: str

    def rows(self, table: str) -> tuple[Row, ...]:
        return self.tables[table]


def parse_package(payload: Any) -> Package:
    """The package's content, or a refusal naming the part that is not what ExamDesk writes."""
    expected = {*PACKAGE_TABLES, "institution", "instrument_verdicts", "catalogue_version"}
    if not isinstance(payload, dict) or set(payload) != expected:
        raise refused("De inhoud van het afnamepakket heeft niet de onderdelen die ExamDesk schrijft.")
    tables: dict[str, tuple[Row, ...]] = {}
    for table, columns in PACKAGE_TABLES.items():
        raw = payload[table]
        if not isinstance(raw, list) or len(raw) > MAX_ROWS:
            raise refused(f"Het onderdeel '{table}' van het afnamepakket is geen lijst van rijen.")
        tables[table] = tuple(_row(table, columns, r) for r in raw)
    institution = None if payload["institution"] is None else _row("institution", INSTITUTION_COLUMNS,
                                                                   payload["institution"])
    verdicts = payload["instrument_verdicts"]
    if not isinstance(verdicts, dict) or not all(isinstance(v, dict) for v in verdicts.values()):
        raise refused("De geldigheid van de instrumenten in het afnamepakket is onleesbaar.")
    for verdict in verdicts.values():
        if any(not isinstance(k, str) or not isinstance(v, str | bool | int | None) or
               (isinstance(v, str) and len(v) > 2000) for k, v in verdict.items()):
            raise refused("De geldigheid van de instrumenten in het afnamepakket is onleesbaar.")
    catalogue = payload["catalogue_version"]
    if not isinstance(catalogue, str) or len(catalogue) > 32:
        raise refused("De catalogusversie in het afnamepakket is onleesbaar.")
    return Package(institution, tables, verdicts, catalogue)


# --- the package plan -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocalUser:
    id: int
    roles: frozenset[str]


@dataclass(frozen=True)
class LocalSession:
    """A session the database already has, as a package would compare it."""

    plan: Row                         # PLAN_COLUMNS (room as 'location name / room name')
    invigilators: frozenset[str]      # user names
    roster: frozenset[tuple[int, int, int, str]]   # (candidate, workstation, extra minutes, facilities)
    begun: bool                       # has events, or is no longer planned


@dataclass(frozen=True)
class PackageFacts:
    """What the database holds of the package's keys."""

    setting_up: bool                                   # an empty exam PC: accounts and candidates may come
    has_institution: bool
    users: dict[str, LocalUser]                        # by user name
    candidates_by_id: dict[int, str]                   # id → studentnummer
    candidates_by_number: dict[str, int]
    instrument_codes: dict[str, str]                   # code (lower case) → id here
    sessions: dict[str, LocalSession]


@dataclass(frozen=True)
class PackageSessionPlan:
    id: str
    label: str
    action: str                                        # nieuw | ongewijzigd | overgeslagen: …
    row: Row
    room_key: tuple[str, str]                          # (location name, room name) in the file
    invigilators: tuple[str, ...]                      # user names
    roster: tuple[Row, ...]

    @property
    def create(self) -> bool:
        return self.action == "nieuw"


@dataclass(frozen=True)
class PackagePlan:
    institution: Row | None                            # to write: only into a database without one
    users: tuple[Row, ...]                             # to create (setting up only)
    candidates: tuple[Row, ...]                        # to create (setting up only)
    locations: tuple[Row, ...]
    rooms: tuple[tuple[str, Row], ...]                 # (location name, room)
    register: dict[str, tuple[Row, ...]]               # rows to insert when missing
    sessions: tuple[PackageSessionPlan, ...]
    notes: tuple[str, ...] = ()
    user_count: int = 0
    candidate_count: int = 0

    def summary(self, kind: str, file_name: str, made_by: str, made_at: str) -> ImportSummary:
        changes = tuple(SessionChange(s.id, s.label, s.action) for s in self.sessions)
        return ImportSummary(kind, file_name, made_by, made_at, changes, self.notes, self.user_count,
                             self.candidate_count)


def session_label(title: str, iso_day: str) -> str:
    try:
        when = format_date(date.fromisoformat(iso_day))
    except ValueError:
        when = iso_day
    return f"'{title}' op {when}"


def plan_package(p: Package, facts: PackageFacts) -> PackagePlan:
    """What reading this package here will do, or a refusal (nothing is written then)."""
    notes: list[str] = []
    users = {u["id"]: u for u in p.rows("users")}
    if len(users) != len(p.rows("users")) or len({u["username"] for u in users.values()}) != len(users):
        raise refused("Het afnamepakket noemt een surveillant twee keer.")
    created_users: list[Row] = []
    for u in users.values():
        here = facts.users.get(u["username"])
        if here is None:
            if not facts.setting_up:
                raise refused(
                    f"De surveillant {u['username']} heeft in deze database geen account. Een afnamepakket maakt "
                    "alleen accounts aan wanneer een lege examenpc wordt ingericht; laat de beheerder het account "
                    "aanmaken of richt de examenpc opnieuw in.")
            created_users.append(u)
        elif "surveillant" not in here.roles:
            raise refused(f"De gebruiker {u['username']} bestaat in deze database al, maar is hier geen "
                          "surveillant; dit pakket kan dat account niet overnemen.")
        # an existing account is used as it is: its name, password, roles and lockout stay
    if users and not facts.setting_up:
        notes.append("Accounts, wachtwoorden en kandidaten in deze database blijven zoals ze zijn; het pakket "
                     "voegt alleen afnames toe.")

    created_candidates: list[Row] = []
    for c in p.rows("candidates"):
        by_id = facts.candidates_by_id.get(c["id"])
        by_number = facts.candidates_by_number.get(c["student_number"])
        if (by_id is not None and by_id != c["student_number"]) or (by_number is not None and by_number != c["id"]):
            raise refused(
                f"Kandidaat {c['student_number']} past niet in deze database: het interne nummer is hier al in "
                "gebruik of de kandidaat staat hier onder een ander nummer. Lees een afnamepakket in een lege "
                "database in, of in een database die alleen pakketten van dezelfde school heeft ontvangen.")
        if by_id is None:
            if not facts.setting_up:
                raise refused(
                    f"Kandidaat {c['student_number']} staat niet in deze database. Een afnamepakket voegt alleen "
                    "kandidaten toe wanneer een lege examenpc wordt ingericht.")
            created_candidates.append(c)

    for i in p.rows("instruments"):
        here = facts.instrument_codes.get(i["code"].lower())
        if here is not None and here != i["id"]:
            raise refused(f"Exameninstrument {i['code']} staat in deze database al onder een ander nummer; dit pakket "
                          "komt uit een andere ExamDesk-database.")

    locations = {loc["id"]: loc for loc in p.rows("locations")}
    rooms = {r["id"]: r for r in p.rows("rooms")}
    for r in rooms.values():
        if r["location_id"] not in locations:
            raise refused("Een lokaal in het afnamepakket hoort bij een locatie die er niet in staat.")
    invigilators: dict[str, list[str]] = {}
    for row in p.rows("session_invigilators"):
        if row["user_id"] not in users:
            raise refused("Een afname in het afnamepakket noemt een surveillant die er niet in staat.")
        invigilators.setdefault(row["session_id"], []).append(users[row["user_id"]]["username"])
    known_candidates = {c["id"] for c in p.rows("candidates")}
    rosters: dict[str, list[Row]] = {}
    for row in p.rows("session_candidates"):
        if row["candidate_id"] not in known_candidates:
            raise refused("Een afname in het afnamepakket noemt een kandidaat die er niet in staat.")
        rosters.setdefault(row["session_id"], []).append(row)

    sessions: list[PackageSessionPlan] = []
    seen: set[str] = set()
    for s in p.rows("sessions"):
        if s["id"] in seen:
            raise refused("Het afnamepakket noemt een afname twee keer.")
        seen.add(s["id"])
        if s["room_id"] not in rooms:
            raise refused("Een afname in het afnamepakket staat in een lokaal dat er niet in staat.")
        if len(rosters.get(s["id"], ())) > MAX_CANDIDATES:
            raise refused("Een afname in het afnamepakket heeft meer kandidaten dan een lokaal werkplekken.")
        room = rooms[s["room_id"]]
        room_key = (locations[room["location_id"]]["name"], room["name"])
        label = session_label(s["title"], s["session_date"])
        wanted_people = frozenset(invigilators.get(s["id"], ()))
        wanted_roster = frozenset((r["candidate_id"], r["workstation"], r["extra_minutes"], r["facilities"])
                                  for r in rosters.get(s["id"], ()))
        here = facts.sessions.get(s["id"])
        if here is None:
            action = "nieuw"
        elif here.begun:
            action = "overgeslagen: deze afname is hier al begonnen; het verslag hier blijft zoals het is"
        elif (dict(here.plan) == {**{k: s[k] for k in PLAN_COLUMNS}, "room_id": "/".join(room_key)}
              and here.invigilators == wanted_people and here.roster == wanted_roster):
            action = "ongewijzigd"
        else:
            action = ("overgeslagen: deze afname staat hier al met een andere planning; een afnamepakket plant een "
                      "afname die er al is niet opnieuw")
        sessions.append(PackageSessionPlan(s["id"], label, action, s, room_key, tuple(sorted(wanted_people)),
                                           tuple(rosters.get(s["id"], ()))))

    inst = p.institution if p.institution is not None and not facts.has_institution else None
    if inst is not None:
        notes.insert(0, f"De instellingsgegevens van {inst['name']} ({inst['brin']}) zijn overgenomen.")
    return PackagePlan(
        institution=inst, users=tuple(created_users), candidates=tuple(created_candidates),
        locations=tuple(locations.values()),
        rooms=tuple((locations[r["location_id"]]["name"], r) for r in rooms.values()),
        register={t: p.rows(t) for t in ("qualifications", "suppliers", "instruments", "instrument_status")},
        sessions=tuple(sessions), notes=tuple(notes), user_count=len(users), candidate_count=len(known_candidates))


# --- the record ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordSession:
    """One session of a verified record, in the exporting PC's chain order."""

    id: str
    label: str
    roster: dict[int, str]            # candidate id → studentnummer, as on the exporting PC
    events: tuple[Event, ...]


_ROSTER_ENTRY = {"candidate_id": _ID, "student_number": _text(50, empty=False), "workstation": _int(1, 500)}
_RECORD_USER = {"id": _ID, "username": _NAME, "full_name": _text(200)}
_RECORD_SESSION = {c: check for c, check in PACKAGE_TABLES["sessions"].items() if c != "room_id"}


def _record_rows(part: str, columns: dict[str, Checker], raw: Any, limit: int) -> list[dict[str, Any]]:
    """Rows of a record's part with exactly these columns, each value typed and bounded."""
    if not isinstance(raw, list) or len(raw) > limit:
        raise refused(f"Het onderdeel '{part}' van het afnameverslag is geen lijst van rijen.")
    rows = []
    for r in raw:
        if not isinstance(r, dict) or set(r) != set(columns):
            raise refused(f"Het afnameverslag bevat in '{part}' een rij met andere velden dan ExamDesk schrijft.")
        try:
            rows.append({name: check(r[name]) for name, check in columns.items()})
        except _Bad:
            raise refused(f"Het afnameverslag bevat in '{part}' een waarde van de verkeerde soort of lengte.") from None
    return rows


def parse_record(payload: Any, manifest_sessions: tuple[ManifestSession, ...]) -> list[RecordSession]:
    """The record's sessions, every part typed and bounded (the session as planned, the roster, each event,
    who is who) and each chain checked against the manifest, before anything is written. A record carries
    nothing else: an unknown part or field refuses it."""
    if not isinstance(payload, dict) or set(payload) != {"sessions", "users"}:
        raise refused("De inhoud van het afnameverslag heeft niet de onderdelen die ExamDesk schrijft.")
    _record_rows("users", _RECORD_USER, payload["users"], MAX_CANDIDATES)
    raw_sessions = payload["sessions"]
    if not isinstance(raw_sessions, list) or any(not isinstance(s, dict) or set(s) != {"session", "roster", "events"}
                                                 for s in raw_sessions):
        raise refused("De inhoud van het afnameverslag is onvolledig of onleesbaar.")
    planned = _record_rows("sessions", _RECORD_SESSION, [s["session"] for s in raw_sessions], MAX_SESSIONS)
    by_id = {p["id"]: s for p, s in zip(planned, raw_sessions, strict=True)}
    if sorted(by_id) != sorted(s.id for s in manifest_sessions) or len(by_id) != len(raw_sessions):
        raise refused("De afnames in het verslag komen niet overeen met het manifest.")
    result = []
    for entry in manifest_sessions:
        raw = by_id[entry.id]
        if not isinstance(raw["events"], list):
            raise refused("De inhoud van het afnameverslag is onvolledig of onleesbaar.")
        events = [event_from_json(e, entry.id) for e in raw["events"]]
        check_record_chain(entry, events)
        roster: dict[int, str] = {}
        for r in _record_rows("roster", _ROSTER_ENTRY, raw["roster"], MAX_CANDIDATES):
            if r["candidate_id"] in roster:
                raise refused(f"Afname {entry.label}: een kandidaat staat twee keer in de lijst van het verslag.")
            roster[r["candidate_id"]] = r["student_number"]
        result.append(RecordSession(entry.id, entry.label, roster, tuple(sorted(events, key=lambda e: e.seq))))
    return result


@dataclass(frozen=True)
class LocalRecordSession:
    """What this database holds of a session a record names."""

    frame: SessionFrame
    status: SessionStatus
    numbers: dict[int, str]           # candidate id → studentnummer here, for the record's roster
    events: tuple[Event, ...]         # its chain here
    # key ids of the exam PCs this session belongs to: a package with it was encrypted for them, or a record
    # of it signed by them was read here. Empty: sent under a setup code and not yet read back (the first
    # exam PC whose record is read then binds it).
    exam_pcs: frozenset[str] = frozenset()


class Origin(NamedTuple):
    """Where an imported event stood in the exporting PC's chain (kept in event_origins)."""

    event_id: str
    origin_seq: int
    origin_prev_hash: str
    origin_hash: str
    origin_user_id: int | None


@dataclass(frozen=True)
class SessionImport:
    session_id: str
    events: tuple[Event, ...]         # placed in the local chain, to append
    origins: tuple[Origin, ...]
    status: SessionStatus | None      # the new status, when it changes
    change: SessionChange


@dataclass(frozen=True)
class RecordPlan:
    sessions: tuple[SessionImport, ...] = field(default_factory=tuple)

    def summary(self, kind: str, file_name: str, made_by: str, made_at: str) -> ImportSummary:
        return ImportSummary(kind, file_name, made_by, made_at, tuple(s.change for s in self.sessions))


def plan_record(sessions: list[RecordSession], local: Mapping[str, LocalRecordSession | None],
                user_ids: Mapping[str, int], key: bytes | None = None, exporter: str | None = None,
                signer: str | None = None) -> RecordPlan:
    """The events that are new here, each checked for its meaning in chain order and placed at the head
    of the local chain, keyed under `key` (see `domain/exchange.py` on joining the chain); or a refusal for
    the whole file: a session not planned here, a record not exported by one of its invigilators
    (`exporter`; None for a record this installation made itself), a record signed by an exam PC the session
    does not belong to (`signer`, its key id; None for this installation's own record), a candidate number
    meaning someone else here, an event already here with other content, or an event this session's record
    cannot take."""
    result = []
    for s in sessions:
        here = local.get(s.id)
        if here is None:
            raise refused(f"Afname {s.label} bestaat niet in deze database. Een afnameverslag wordt ingelezen in de "
                          "database waarin de afname is gepland.")
        if exporter is not None and exporter not in here.frame.invigilators:
            raise refused(f"Afname {s.label}: het verslag is gemaakt door {exporter}, die hier geen surveillant van "
                          "deze afname is. Een examenpc stuurt alleen verslagen van de eigen surveillanten.")
        if signer is not None and here.exam_pcs and signer not in here.exam_pcs:
            raise refused(f"Afname {s.label}: het verslag is ondertekend door een andere examenpc dan die waarvoor het "
                          "afnamepakket van deze afname is versleuteld of waarvan het verslag al is ingelezen. Een "
                          "examenpc stuurt alleen verslagen van de afnames die hij heeft gekregen.")
        for cid, number in s.roster.items():
            if here.numbers.get(cid) != number:
                raise refused(f"Afname {s.label}: kandidaat {number} is in deze database niet dezelfde kandidaat; het "
                              "verslag hoort bij een andere database.")
        known = {e.id: e for e in here.events}
        for e in s.events:
            if e.id in known and not same_content(known[e.id], e):
                raise refused(f"Afname {s.label}: gebeurtenis {e.seq} staat hier al, maar met een andere inhoud. "
                              "Wat al is vastgelegd wordt nooit overschreven.")
        facts = ChainFacts.of(here.events)
        seq, prev = (here.events[-1].seq, here.events[-1].hash) if here.events else (0, GENESIS_HASH)
        placed: list[Event] = []
        origins: list[Origin] = []
        for e in s.events:
            if e.id in known:
                continue
            try:
                check_new_event(here.frame, facts, e.payload, e.occurred, e.recorded, e.username, e.corrects,
                                exam_pc=True)
            except ValidationError as exc:
                raise refused(f"Afname {s.label}, gebeurtenis {e.seq}: {exc.message}") from None
            seq += 1
            new = e.placed(seq, prev, user_ids.get(e.username), key)   # re-chained under this database's key
            prev = new.hash
            facts.add(new)
            placed.append(new)
            origins.append(Origin(e.id, e.seq, e.prev_hash, e.hash, e.user_id))
        status = status_after([*here.events, *placed], here.status) if placed else here.status
        change = SessionChange(s.id, s.label, "bijgewerkt" if placed else "ongewijzigd", len(placed),
                               len(s.events) - len(placed))
        result.append(SessionImport(s.id, tuple(placed), tuple(origins), status if status != here.status else None,
                                    change))
    return RecordPlan(tuple(result))
