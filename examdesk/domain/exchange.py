"""The `.examdesk` exchange file: what its manifest says, the rules a file must pass before anything
is read into a database, and how a session's events from another PC join the local chain.
(Over 400 lines: the file's format is one contract — envelope, manifest, bounds, events and chain — read in one place.)

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

import json
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import Any

from examdesk.domain.clock import format_date
from examdesk.domain.errors import ExamDeskError, ValidationError
from examdesk.domain.exchange_crypto import (
    CIPHER,
    COMPRESSION,
    NONCE_BYTES,
    SIGNATURE_ALGORITHM,
    SIGNATURE_BYTES,
    SLOT_SETUP_CODE,
    SLOT_X25519,
    WRAPPED_BYTES,
    Encryption,
    Identity,
    SetupCodeSlot,
    Slot,
    X25519Slot,
    scrypt_bounds_ok,
    unb64,
)
from examdesk.domain.keys import KEY_BYTES
from examdesk.domain.plural import counted
from examdesk.domain.session_events import (
    GENESIS_HASH,
    Event,
    encodable,
    event_hash,
    parse_payload,
    verify_links,
)

FORMAT_NAME = "examdesk-uitwisseling"
# 2: signed and encrypted (docs/exchange.md). Raise when the payload changes shape; add a reader for the
# old shape in `upgrade_payload`. Version 1 files (unsigned) are refused: nothing proves who wrote them.
FORMAT_VERSION = 2
UNSIGNED_VERSION = 1
FILE_SUFFIX = ".examdesk"
MANIFEST_NAME = "manifest.json"          # readable and signed: what the file is, who sent it, for whom
CONTENT_NAME = "inhoud.bin"              # the encrypted content (inner manifest and payload)
SIGNATURE_NAME = "handtekening.json"     # the Ed25519 signature over the manifest
MEMBERS = frozenset({MANIFEST_NAME, CONTENT_NAME, SIGNATURE_NAME})
# The file ends in this marker and the SHA-256 (hex) of every byte before the marker (the zip comment).
TRAILER_MARKER = b"examdesk-sha256:"
TRAILER_LENGTH = len(TRAILER_MARKER) + 64

# Bounds, each checked before the thing it bounds is read, decompressed or parsed (issue 11, "Resource
# exhaustion"). A genuine record of a long exam day (20,000 events) is about 15 MB of JSON, 2 MB packed.
MAX_FILE_BYTES = 48 * 1024 * 1024        # the file on disk
MAX_MEMBERS = len(MEMBERS)               # entries in the zip's central directory
MAX_DIRECTORY_BYTES = 4 * 1024           # the central directory itself
MAX_MANIFEST_BYTES = 64 * 1024           # manifest.json, uncompressed
MAX_SIGNATURE_BYTES = 1024               # handtekening.json, uncompressed
MAX_CONTENT_BYTES = 40 * 1024 * 1024     # inhoud.bin (encrypted, already compressed)
MAX_TOTAL_BYTES = MAX_MANIFEST_BYTES + MAX_SIGNATURE_BYTES + MAX_CONTENT_BYTES
MEMBER_LIMITS = {MANIFEST_NAME: MAX_MANIFEST_BYTES, SIGNATURE_NAME: MAX_SIGNATURE_BYTES,
                 CONTENT_NAME: MAX_CONTENT_BYTES}
MAX_PLAIN_BYTES = 32 * 1024 * 1024       # the content once decrypted and decompressed
MAX_MANIFEST_DEPTH = 6                   # nesting of the manifest and the signature (checked before parsing)
MAX_MANIFEST_ITEMS = 4_000
MAX_CONTENT_ITEMS = 1_500_000            # values in the content (a 2,000-event record has ~70,000)
MAX_RECIPIENTS = 64
MAX_SESSIONS = 1_000

KIND_PACKAGE = "afnamepakket"
KIND_RECORD = "afnameverslag"
KIND_LABELS = {KIND_PACKAGE: "afnamepakket", KIND_RECORD: "afnameverslag"}

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DATABASE_ID = re.compile(r"^[0-9a-f]{32}$")


class ExchangeRefused(ExamDeskError):
    """An exchange file that is not read at all: damaged, edited, unsigned, signed by a key this database
    does not trust, not encrypted for it, too large, newer, or not for this database. The message says
    what failed; nothing was imported."""


def refused(reason: str) -> ExchangeRefused:
    return ExchangeRefused(f"{reason} Er is niets ingelezen.")


# --- reading JSON within bounds ---------------------------------------------------------------------

_DEPTH_STEP = [0] * 256
for _open in b"[{":
    _DEPTH_STEP[_open] = 1
for _close in b"]}":
    _DEPTH_STEP[_close] = -1
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text, outside its strings (escaped quotes and
    backslashes removed first, so every remaining quote opens or closes a string)."""
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(plain.split(b'"')[0::2])
    return max(accumulate(_DEPTH_STEP[b] for b in outside.translate(None, _NOT_BRACKETS)), default=0)


def _no_constants(name: str) -> Any:
    raise ValueError(name)                # NaN and Infinity are not JSON ExamDesk writes


class _DuplicateKey(Exception):
    """An object names a key twice: valid JSON, but parsers disagree on which value counts (Python keeps the
    last, others the first), so what was signed or checked need not be what another reader sees."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


def bounded_json(data: bytes, what: str, max_items: int, max_depth: int | None = None) -> Any:
    """JSON read within bounds: the number of values (every comma and every opening bracket counted,
    an upper bound found at C speed) and, for the small documents read before any signature is checked,
    the exact nesting depth — both before parsing. Deeper content than the parser's own recursion guard
    (which ExamDesk turns into this refusal) is refused too; what the parser accepts is then read into
    typed values that refuse every level ExamDesk does not write."""
    if data.count(b",") + data.count(b"[") + data.count(b"{") > max_items:
        raise refused(f"{what} bevat meer dan {max_items:,} waarden; dat schrijft ExamDesk niet.".replace(",", "."))
    if max_depth is not None and json_depth(data) > max_depth:
        raise refused(f"{what} is dieper genest dan ExamDesk schrijft.")
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constants, object_pairs_hook=_unique_keys)
    except _DuplicateKey:
        raise refused(f"{what} noemt een veld twee keer in hetzelfde object; dat schrijft ExamDesk niet.") from None
    except RecursionError:
        raise refused(f"{what} is dieper genest dan ExamDesk schrijft.") from None
    except (UnicodeDecodeError, ValueError):
        raise refused(f"{what} is onleesbaar (geen geldige JSON).") from None


# --- the readable, signed manifest (envelope) ---------------------------------------------------------

@dataclass(frozen=True)
class Envelope:
    """What a file of format version 2 says of itself before it is opened: which file, from whom (the
    signing and exchange keys of the sending installation), for whom (the recipients' slots), and the
    size and SHA-256 of the encrypted content. The signature covers all of it."""

    file_id: str
    kind: str
    format_version: int
    created_at: str
    sequence: int
    app_version: str
    institution_name: str
    brin: str
    sender: Identity
    encryption: Encryption
    content_sha256: str
    content_bytes: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def needs_setup_code(self) -> bool:
        return self.encryption.needs_setup_code


def envelope_dict(file_id: str, kind: str, created_at: str, sequence: int, app_version: str, institution_name: str,
                  brin: str, sender: Identity, encryption: Encryption, content_sha256: str,
                  content_bytes: int) -> dict[str, Any]:
    """The manifest of a version 2 file, as it is written and signed (docs/exchange.md)."""
    from examdesk.domain.exchange_crypto import b64

    return {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "file_id": file_id, "kind": kind,
        "created_at": created_at, "sequence": sequence, "app_version": app_version,
        "institution": {"name": institution_name, "brin": brin},
        "sender": {"database_id": sender.database_id, "signing_key": b64(sender.signing_key),
                   "exchange_key": b64(sender.exchange_key)},
        "encryption": encryption.to_dict(),
        "content": {CONTENT_NAME: {"sha256": content_sha256, "bytes": content_bytes}},
    }


def check_format(raw: Any) -> int:
    """The format version of a manifest: ours, signed (2) and not newer than this ExamDesk reads."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise refused("Dit is geen ExamDesk-uitwisselbestand: het manifest noemt een ander formaat.")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refused("Het manifest van dit bestand heeft geen geldige formaatversie.")
    if version > FORMAT_VERSION:
        made_with = raw.get("app_version") if isinstance(raw.get("app_version"), str) else "een nieuwere versie"
        raise refused(
            f"Dit bestand is gemaakt met een nieuwere ExamDesk ({str(made_with)[:40]}, formaatversie {version}); deze "
            f"versie leest uitwisselbestanden tot en met formaatversie {FORMAT_VERSION}. Werk ExamDesk bij.")
    if version == UNSIGNED_VERSION:
        raise refused(
            "Dit bestand heeft het oude formaat (versie 1) en is niet ondertekend: niets bewijst wie het heeft "
            "gemaakt. ExamDesk leest alleen ondertekende en versleutelde uitwisselbestanden; laat de afzender het "
            "bestand opnieuw maken met deze versie van ExamDesk.")
    return version


def parse_envelope(raw: Any) -> Envelope:
    """The manifest of a version 2 file, every value typed and bounded; anything else is refused."""
    version = check_format(raw)
    try:
        if set(raw) != _ENVELOPE_KEYS:
            raise KeyError("keys")
        kind = raw["kind"]
        if kind not in KIND_LABELS:
            raise ValueError(kind)
        sequence = raw["sequence"]
        if type(sequence) is not int or not 1 <= sequence <= 2 ** 53:
            raise ValueError(sequence)
        inst, sender, enc, content = raw["institution"], raw["sender"], raw["encryption"], raw["content"]
        if set(inst) != {"name", "brin"} or set(sender) != {"database_id", "signing_key", "exchange_key"}:
            raise KeyError("keys")
        database_id = sender["database_id"]
        if not isinstance(database_id, str) or not _DATABASE_ID.match(database_id):
            raise ValueError(database_id)
        identity = Identity(database_id, unb64(sender["signing_key"], KEY_BYTES),
                            unb64(sender["exchange_key"], KEY_BYTES))
        if set(content) != {CONTENT_NAME} or set(content[CONTENT_NAME]) != {"sha256", "bytes"}:
            raise KeyError("content")
        entry = content[CONTENT_NAME]
        return Envelope(
            file_id=_text(raw["file_id"], 64), kind=kind, format_version=version,
            created_at=_text(raw["created_at"], 40), sequence=sequence, app_version=_text(raw["app_version"], 100),
            institution_name=_text(inst["name"], 400), brin=_text(inst["brin"], 8), sender=identity,
            encryption=_encryption(enc), content_sha256=_hash(entry["sha256"]), content_bytes=_count(entry["bytes"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refused("Het manifest van dit bestand is onvolledig of onleesbaar.") from None


_ENVELOPE_KEYS = frozenset({"format", "format_version", "file_id", "kind", "created_at", "sequence", "app_version",
                            "institution", "sender", "encryption", "content"})


def _encryption(raw: Any) -> Encryption:
    if set(raw) != {"cipher", "compression", "nonce", "recipients"} or raw["cipher"] != CIPHER \
            or raw["compression"] != COMPRESSION:
        raise ValueError("encryption")
    recipients = raw["recipients"]
    if not isinstance(recipients, list) or not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise ValueError("recipients")
    return Encryption(unb64(raw["nonce"], NONCE_BYTES), tuple(_slot(r) for r in recipients))


def _slot(raw: Any) -> Slot:
    kind = raw["type"]
    if kind == SLOT_X25519:
        if set(raw) != {"type", "recipient", "ephemeral_key", "nonce", "wrapped_key"}:
            raise KeyError("slot")
        return X25519Slot(_hash(raw["recipient"]), unb64(raw["ephemeral_key"], KEY_BYTES),
                          unb64(raw["nonce"], NONCE_BYTES), unb64(raw["wrapped_key"], WRAPPED_BYTES))
    if kind == SLOT_SETUP_CODE:
        kdf = raw["kdf"]
        if set(raw) != {"type", "kdf", "nonce", "wrapped_key"} or set(kdf) != {"name", "n", "r", "p", "salt"} \
                or kdf["name"] != "scrypt" or not scrypt_bounds_ok(kdf["n"], kdf["r"], kdf["p"]):
            raise ValueError("kdf")
        return SetupCodeSlot(unb64(kdf["salt"], 16), kdf["n"], kdf["r"], kdf["p"], unb64(raw["nonce"], NONCE_BYTES),
                             unb64(raw["wrapped_key"], WRAPPED_BYTES))
    raise ValueError(kind)


def parse_signature(raw: Any) -> bytes:
    try:
        if set(raw) != {"algorithm", "signature"} or raw["algorithm"] != SIGNATURE_ALGORITHM:
            raise ValueError("algorithm")
        return unb64(raw["signature"], SIGNATURE_BYTES)
    except (TypeError, ValueError, AttributeError):
        raise refused("De handtekening van dit bestand is onleesbaar of van een onbekende soort.") from None


# --- the inner manifest (encrypted with the content) -----------------------------------------------------

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
    """What the file holds, as the sender described it (inside the encryption: names, sessions)."""

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
    catalogue_version: str = ""
    signer: str = field(default="", compare=False)   # key id of the signature (set when read)
    sequence: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id, "kind": self.kind, "created_at": self.created_at, "created_by": self.created_by,
            "created_by_name": self.created_by_name, "app_version": self.app_version,
            "database_id": self.database_id, "institution": {"name": self.institution_name, "brin": self.brin},
            "catalogue_version": self.catalogue_version, "sessions": [s.as_dict() for s in self.sessions],
        }


_INNER_KEYS = frozenset({"file_id", "kind", "created_at", "created_by", "created_by_name", "app_version",
                         "database_id", "institution", "catalogue_version", "sessions"})


def parse_manifest(raw: Any, envelope: Envelope) -> Manifest:
    """The inner manifest, which must describe the same file as the signed envelope around it."""
    try:
        if not isinstance(raw, dict) or set(raw) != _INNER_KEYS:
            raise KeyError("keys")
        sessions_raw = raw["sessions"]
        if not isinstance(sessions_raw, list) or len(sessions_raw) > MAX_SESSIONS:
            raise ValueError("sessions")
        sessions = tuple(
            ManifestSession(_text(s["id"], 64), _text(s["title"], 400), _text(s["session_date"], 10),
                            _count(s["events"]), _hash(s["chain_head"]))
            for s in sessions_raw)
        inst = raw["institution"]
        manifest = Manifest(
            file_id=_text(raw["file_id"], 64), kind=_text(raw["kind"], 20), format_version=envelope.format_version,
            created_at=_text(raw["created_at"], 40), created_by=_text(raw["created_by"], 200),
            created_by_name=_text(raw["created_by_name"], 200), app_version=_text(raw["app_version"], 100),
            database_id=_text(raw["database_id"], 32), institution_name=_text(inst["name"], 400),
            brin=_text(inst["brin"], 8), sessions=sessions, catalogue_version=_text(raw["catalogue_version"], 32),
            signer=envelope.sender.key_id, sequence=envelope.sequence)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refused("Het manifest in de inhoud van dit bestand is onvolledig of onleesbaar.") from None
    if (manifest.file_id, manifest.kind, manifest.database_id, manifest.brin) != (
            envelope.file_id, envelope.kind, envelope.sender.database_id, envelope.brin):
        raise refused("De inhoud van dit bestand beschrijft een ander bestand dan het ondertekende manifest.")
    if len({s.id for s in sessions}) != len(sessions):
        raise refused("Het manifest noemt een afname twee keer.")
    return manifest


def _text(value: Any, limit: int = 400) -> str:
    if not isinstance(value, str) or len(value) > limit or not encodable(value):
        raise TypeError(value)
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2 ** 53:
        raise ValueError(value)
    return value


def _hash(value: Any) -> str:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise ValueError(value)
    return value


def upgrade_payload(version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload in the current shape. Version 2 signed and encrypted the container; the payload kept
    the shape of version 1. A later version adds here, per older version, the step that brings its payload
    to the new shape, so a newer ExamDesk keeps reading every file an older one wrote."""
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
    """The chain of one session in a record: complete, linked, and the one the manifest names. Its hashes
    are keyed under the sending PC's key and cannot be recomputed here; the file's signature proves them."""
    check = verify_links(events)
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
            out.append(f"{counted(self.candidates, 'kandidaat')} en {counted(self.users, 'surveillant')}.")
        out.extend(self.notes)
        if not self.changes_anything:
            out.append("Er is niets nieuws in dit bestand; er verandert niets.")
        return out
