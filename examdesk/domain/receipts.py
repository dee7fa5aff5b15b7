"""The commission's receipt for a session record (ontvangstbewijs): what it says, how it is signed, and the
rules an exam PC applies before it forgets a session's candidate data (issue 18, "exam PCs forget").

The commission signs, with the same Ed25519 key as its exchange files, which sessions it holds from which
exam PC and up to which event (the exam PC's own sequence number and hash, kept in ``event_origins``). The
exam PC accepts it only when the signer is the commission's key it pinned (not revoked), the receipt is
meant for this exam PC, and it names the exam PC's own head of the session: an event recorded after the
record was made keeps the session here until a newer receipt covers it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from examdesk.domain.errors import ValidationError
from examdesk.domain.fingerprint import canonical_json
from examdesk.domain.plural import counted

FORMAT = "examdesk-ontvangstbewijs"
VERSION = 1
SUFFIX = ".ontvangstbewijs"
MAX_BYTES = 1024 * 1024
MAX_SESSIONS = 1000
CONTEXT = b"examdesk-ontvangstbewijs\0"    # signed in front of the content: never valid as an exchange signature


@dataclass(frozen=True)
class ReceivedSession:
    exam_pc: str          # the exam PC's database id
    session_id: str
    events: int           # the exam PC's sequence number of the last event the commission holds
    head: str             # that event's hash on the exam PC


@dataclass(frozen=True)
class Receipt:
    commission: str       # the commission's database id
    made_at: str
    sessions: tuple[ReceivedSession, ...]
    signing_key: bytes    # the signer's Ed25519 public key
    signature: bytes
    digest: str           # SHA-256 of the file

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.signing_key).hexdigest()


def body(commission: str, made_at: str, sessions: list[ReceivedSession]) -> dict[str, Any]:
    return {"formaat": FORMAT, "versie": VERSION, "examencommissie": commission, "gemaakt_op": made_at,
            "afnames": [{"examenpc": s.exam_pc, "afname": s.session_id, "gebeurtenissen": s.events, "kop": s.head}
                        for s in sessions]}


def file_bytes(content: dict[str, Any], public_key: bytes, signature: bytes) -> bytes:
    return canonical_json({"ontvangstbewijs": content, "sleutel": base64.b64encode(public_key).decode("ascii"),
                           "handtekening": base64.b64encode(signature).decode("ascii")})


def _refuse(why: str) -> ValidationError:
    return ValidationError(f"Dit ontvangstbewijs wordt niet gebruikt: {why} Er is niets verwijderd.")


def parse(data: bytes) -> tuple[Receipt, bytes]:
    """The receipt and the exact bytes its signature covers; a Dutch refusal for anything malformed."""
    import json

    if len(data) > MAX_BYTES:
        raise _refuse("het bestand is te groot.")
    try:
        raw = json.loads(data)
        content, key, sig = raw["ontvangstbewijs"], raw["sleutel"], raw["handtekening"]
        if set(raw) != {"ontvangstbewijs", "sleutel", "handtekening"}:
            raise KeyError("keys")
        if content["formaat"] != FORMAT:
            raise ValueError("format")
        if content["versie"] != VERSION:
            raise _refuse("het is gemaakt met een andere versie van ExamDesk.")
        items = content["afnames"]
        if not isinstance(items, list) or len(items) > MAX_SESSIONS:
            raise ValueError("sessions")
        sessions = tuple(ReceivedSession(str(i["examenpc"])[:64], str(i["afname"])[:64], int(i["gebeurtenissen"]),
                                         str(i["kop"])[:64]) for i in items)
        public_key = base64.b64decode(key, validate=True)
        signature = base64.b64decode(sig, validate=True)
        if len(public_key) != 32 or len(signature) != 64:
            raise ValueError("key")
        receipt = Receipt(str(content["examencommissie"])[:64], str(content["gemaakt_op"])[:40], sessions, public_key,
                          signature, hashlib.sha256(data).hexdigest())
    except ValidationError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
        raise _refuse("het is geen leesbaar ontvangstbewijs van ExamDesk.") from None
    return receipt, CONTEXT + canonical_json(content)


def check_signature(receipt: Receipt, signed: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(receipt.signing_key).verify(receipt.signature, signed)
    except (InvalidSignature, ValueError):
        raise _refuse("de handtekening klopt niet (het bestand is gewijzigd of vervalst).") from None


def refuse_signer(why: str) -> ValidationError:
    return _refuse(why)


@dataclass(frozen=True)
class ForgetPlan:
    forget: tuple[str, ...]                 # session ids whose candidate data goes
    kept: tuple[tuple[str, str], ...]       # (session id, Dutch reason) that stay


def plan_forget(receipt: Receipt, own_id: str, heads: dict[str, tuple[int, str]]) -> ForgetPlan:
    """Which sessions this exam PC may forget: those the receipt names for this PC at exactly the head the
    PC has (`heads`: session id -> (last seq, its hash) here)."""
    mine = [s for s in receipt.sessions if s.exam_pc == own_id]
    if not mine:
        raise _refuse("het is niet voor deze examenpc (het noemt alleen afnames van andere computers).")
    forget, kept = [], []
    for s in mine:
        here = heads.get(s.session_id)
        if here is None:
            kept.append((s.session_id, "deze afname staat niet (meer) op deze examenpc"))
        elif here != (s.events, s.head):
            kept.append((s.session_id, f"hier staan {counted(here[0], 'gebeurtenis')}, de examencommissie bevestigt er "
                                       f"{s.events}: maak eerst een nieuw afnameverslag"))
        else:
            forget.append(s.session_id)
    return ForgetPlan(tuple(forget), tuple(kept))
