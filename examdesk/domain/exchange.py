"""The `.examdesk` exchange file: what its manifest says, the rules a file must pass before anything
is read into a database, and how a session's events from another PC join the local chain.

Two kinds travel between the office and an offline exam-location PC:

* an **afnamepakket** (session package, office → exam room): planned sessions with what the
  invigilator needs to run them and the invigilators' accounts;
* an **afnameverslag** (session record, exam room → commission): every event of one or more
  sessions, as the exporting PC's hash chain.

Joining the chain (why re-chain, and what stays verifiable). ``session_events`` has one chain per
session (``seq`` from 1, ``prev_hash``, ``hash``) and may only grow. Events recorded on another PC
are appended to the local chain in the order of the exporting PC's chain (its recording order, so a
correction always follows what it corrects), after the events already present. They keep their
UUID, times, author name, kind, data and ``corrects`` unchanged; they get the next local ``seq``
and a local ``prev_hash``/``hash``, and the exporting PC's ``seq``, ``prev_hash``, ``hash`` (and
user number) are kept beside them in ``event_origins``, so each original hash can still be
recomputed and checked (`origin_hash_ok`). When the local database has no events of the session
yet — the usual case: planned here, run there — the re-chained events get exactly the same
``seq``, ``prev_hash`` and ``hash`` as on the exam PC, so both chains end in the same head hash.
Events of two PCs for one session are all kept; the chain holds them in the order they arrived,
the record (procesverbaal, session log) orders them by the time they happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.session_events import (
    GENESIS_HASH,
    Event,
    encodable,
    event_hash,
    parse_payload,
    verify_chain,
)

FORMAT_NAME = "examdesk-uitwisseling"
# Raise when the payload changes shape; add a reader for the old shape in `upgrade_payload`.
FORMAT_VERSION = 1
FILE_SUFFIX = ".examdesk"
MANIFEST_NAME = "manifest.json"
CONTENT_NAME = "inhoud.json"
# The file ends in this marker and the SHA-256 (hex) of every byte before the marker.
TRAILER_MARKER = b"examdesk-sha256:"
TRAILER_LENGTH = len(TRAILER_MARKER) + 64
MAX_FILE_BYTES = 512 * 1024 * 1024

KIND_PACKAGE = "afnamepakket"
KIND_RECORD = "afnameverslag"
KIND_LABELS = {KIND_PACKAGE: "afnamepakket", KIND_RECORD: "afnameverslag"}

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ExchangeRefused(ExamDeskError):
    """An exchange file that is not read at all: damaged, edited, newer, or not for this database.
    The message says what failed; nothing was imported."""


def refused(reason: str) -> ExchangeRefused:
    return ExchangeRefused(f"{reason} Er is niets ingelezen.")


@dataclass(frozen=True)
class ManifestSession:
    """One session in a file. For a record, `events` and `chain_head` describe its hash chain."""

    id: str
    title: str
    session_date: str          # ISO date
    events: int = 0
    chain_head: str = GENESIS_HASH

    @property
    def label(self) -> str:
        try:
            when = format_date(date.fromisoformat(self.session_date))
        except ValueError:
            when = self.session_date
        return f"'{self.title}' op {when}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "session_date": self.session_date, "events": self.events,
                "chain_head": self.chain_head}


@dataclass(frozen=True)
class Manifest:
    file_id: str
    kind: str
    format_version: int
    created_at: str
    created_by: str
    created_by_name: str
    app_version: str
    database_id: str
    institution_name: str
    brin: str
    sessions: tuple[ManifestSession, ...]
    content: dict[str, dict[str, Any]] = field(default_factory=dict)   # member → {"sha256", "bytes"}
    catalogue_version: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME, "format_version": self.format_version, "file_id": self.file_id,
            "kind": self.kind, "created_at": self.created_at, "created_by": self.created_by,
            "created_by_name": self.created_by_name, "app_version": self.app_version,
            "database_id": self.database_id, "institution": {"name": self.institution_name, "brin": self.brin},
            "catalogue_version": self.catalogue_version,
            "sessions": [s.as_dict() for s in self.sessions], "content": self.content,
        }


def parse_manifest(raw: Any) -> Manifest:
    """The manifest as written by `Manifest.as_dict`, from this or an older format version.
    A newer version is refused with that reason before anything else is looked at."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise refused("Dit is geen ExamDesk-uitwisselbestand: het manifest noemt een ander formaat.")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refused("Het manifest van dit bestand heeft geen geldige formaatversie.")
    if version > FORMAT_VERSION:
        made_with = raw.get("app_version") or "een nieuwere versie"
        raise refused(
            f"Dit bestand is gemaakt met een nieuwere ExamDesk ({made_with}, formaatversie {version}); deze "
            f"versie leest uitwisselbestanden tot en met formaatversie {FORMAT_VERSION}. Werk ExamDesk bij.")
    try:
        kind = raw["kind"]
        if kind not in KIND_LABELS:
            raise ValueError(kind)
        sessions = tuple(
            ManifestSession(_text(s["id"]), _text(s["title"]), _text(s["session_date"]), _count(s["events"]),
                            _hash(s["chain_head"]))
            for s in raw["sessions"])
        content = raw["content"]
        if not isinstance(content, dict) or not content:
            raise ValueError("content")
        for name, entry in content.items():
            if not isinstance(name, str) or not isinstance(entry, dict):
                raise ValueError("content")
            _hash(entry["sha256"])
            _count(entry["bytes"])
        inst = raw["institution"]
        return Manifest(
            file_id=_text(raw["file_id"]), kind=kind, format_version=version, created_at=_text(raw["created_at"]),
            created_by=_text(raw["created_by"]), created_by_name=_text(raw.get("created_by_name", "")),
            app_version=_text(raw.get("app_version", "")), database_id=_text(raw["database_id"]),
            institution_name=_text(inst["name"]), brin=_text(inst["brin"]), sessions=sessions, content=content,
            catalogue_version=_text(raw.get("catalogue_version", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refused("Het manifest van dit bestand is onvolledig of onleesbaar.") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(value)
    return value


def _hash(value: Any) -> str:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise ValueError(value)
    return value


def upgrade_payload(version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload in the current shape. Format version 1 is the first and current one; a later
    version adds here, per older version, the step that brings its payload to the new shape, so a
    newer ExamDesk keeps reading every file an older one wrote."""
    if version == FORMAT_VERSION:
        return payload
    raise refused(f"Formaatversie {version} wordt door deze ExamDesk niet gelezen.")


# --- events in a record ----------------------------------------------------------------------

def event_from_json(raw: Any, session_id: str) -> Event:
    """One event row of a record, with its payload typed and checked (`session_events.parse_payload`):
    a row of the wrong shape, an unknown kind or key, or a row of another session is refused."""
    try:
        if not isinstance(raw, dict) or raw.keys() != _EVENT_KEYS:
            raise TypeError(raw)
        user_id = raw["user_id"]
        if user_id is not None and (type(user_id) is not int):
            raise TypeError(user_id)
        corrects = raw["corrects"]
        seq = raw["seq"]
        if type(seq) is not int or seq < 1:
            raise TypeError(seq)
        for key, limit in _EVENT_TEXTS:
            value = raw[key]
            if type(value) is not str or len(value) > limit or not encodable(value):
                raise ValueError(key)
        if corrects is not None and (type(corrects) is not str or len(corrects) > 200 or not encodable(corrects)):
            raise ValueError(corrects)
        kind = raw["kind"]
    except (KeyError, TypeError, ValueError):
        raise refused("Een gebeurtenis in het verslag is onvolledig of onleesbaar.") from None
    try:
        payload = parse_payload(kind, raw["data"])
    except ValidationError as exc:
        raise refused(f"Een gebeurtenis in het verslag is niet wat ExamDesk vastlegt: {exc.message}") from None
    try:
        prev_hash, digest = raw["prev_hash"], raw["hash"]
        if type(prev_hash) is not str or type(digest) is not str or len(prev_hash) != 64 or len(digest) != 64:
            raise ValueError(digest)      # their content is proven by the chain check (`check_record_chain`)
        e = Event(raw["id"], raw["session_id"], seq, raw["occurred_at"], raw["recorded_at"], user_id, raw["username"],
                  kind, payload, corrects, prev_hash, digest)
        if e.occurred.tzinfo is None or e.recorded.tzinfo is None:   # parsed once here, kept for the checks
            raise ValueError(e.occurred_at)
    except (TypeError, ValueError):
        raise refused("Een gebeurtenis in het verslag is onvolledig of onleesbaar.") from None
    if e.session_id != session_id:
        raise refused("Een gebeurtenis in het verslag hoort bij een andere afname dan waaronder zij staat.")
    return e


_EVENT_KEYS = frozenset({"id", "session_id", "seq", "occurred_at", "recorded_at", "user_id", "username", "kind",
                         "data", "corrects", "prev_hash", "hash"})
_EVENT_TEXTS = (("id", 200), ("session_id", 200), ("username", 200), ("occurred_at", 40), ("recorded_at", 40),
                ("kind", 40))


def check_record_chain(entry: ManifestSession, events: list[Event]) -> None:
    """The chain of one session in a record: complete, unaltered, and the one the manifest names."""
    check = verify_chain(events)
    if not check.ok:
        raise refused(f"De gebeurtenissenketen van afname {entry.label} klopt niet: {check.reason}")
    head = max(events, key=lambda e: e.seq).hash if events else GENESIS_HASH
    if len(events) != entry.events or head != entry.chain_head:
        raise refused(
            f"De gebeurtenissen van afname {entry.label} komen niet overeen met het manifest "
            f"({len(events)} gebeurtenissen in het bestand, {entry.events} volgens het manifest; de keten eindigt "
            "niet bij de controlewaarde in het manifest).")
    ids = {e.id for e in events}
    if len(ids) != len(events):
        raise refused(f"Afname {entry.label} bevat een gebeurtenis twee keer.")
    earlier: set[str] = set()
    for e in sorted(events, key=lambda ev: ev.seq):
        if e.corrects is not None and e.corrects not in earlier:
            raise refused(f"Een correctie in afname {entry.label} verwijst naar een gebeurtenis die er niet vóór staat.")
        earlier.add(e.id)


def same_content(a: Event, b: Event) -> bool:
    """The same event as recorded (the chain position and user number may differ between PCs)."""
    return (a.id, a.session_id, a.occurred_at, a.recorded_at, a.username, a.kind, a.data_json(), a.corrects) == (
        b.id, b.session_id, b.occurred_at, b.recorded_at, b.username, b.kind, b.data_json(), b.corrects)


def origin_hash_ok(local: Event, origin_seq: int, origin_prev_hash: str, origin_user_id: int | None,
                   origin_hash: str) -> bool:
    """Recomputes the hash the event had on the PC it came from."""
    return event_hash(origin_prev_hash, local.id, local.session_id, origin_seq, local.occurred_at,
                      local.recorded_at, origin_user_id, local.username, local.kind, local.data_json(),
                      local.corrects) == origin_hash


# --- what an import will do (shown before committing, and reported after) -----------------

@dataclass(frozen=True)
class SessionChange:
    session_id: str
    label: str
    action: str          # Dutch: 'nieuw', 'bijgewerkt', 'ongewijzigd', 'overgeslagen: …', or for records
    new_events: int = 0  # the number of events added
    known_events: int = 0


@dataclass(frozen=True)
class ImportSummary:
    kind: str
    file_name: str
    made_by: str
    made_at: str
    sessions: tuple[SessionChange, ...]
    notes: tuple[str, ...] = ()
    users: int = 0
    candidates: int = 0
    earlier_imports: tuple[str, ...] = ()

    @property
    def added_events(self) -> int:
        return sum(s.new_events for s in self.sessions)

    @property
    def changes_anything(self) -> bool:
        if self.kind == KIND_RECORD:
            return self.added_events > 0
        return any(s.action in ("nieuw", "bijgewerkt") for s in self.sessions)

    def lines(self) -> list[str]:
        """Dutch lines for the preview dialog and the command line."""
        out = [f"{KIND_LABELS[self.kind].capitalize()} {self.file_name}, gemaakt door {self.made_by} op {self.made_at}."]
        for when in self.earlier_imports:
            out.append(f"Dit bestand is al eerder ingelezen ({when}); wat er al is, wordt niet opnieuw toegevoegd.")
        for s in self.sessions:
            if self.kind == KIND_RECORD:
                out.append(f"Afname {s.label}: {s.new_events} nieuwe gebeurtenissen"
                           + (f", {s.known_events} al aanwezig" if s.known_events else "") + ".")
            else:
                out.append(f"Afname {s.label}: {s.action}.")
        if self.kind == KIND_PACKAGE:
            out.append(f"{self.candidates} kandidaten en {self.users} surveillanten.")
        out.extend(self.notes)
        if not self.changes_anything:
            out.append("Er is niets nieuws in dit bestand; er verandert niets.")
        return out
