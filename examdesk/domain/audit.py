"""The audit trail's chain: each entry's hash covers the previous entry's hash.

Since schema v007 the chain is **keyed**: an entry's hash is HMAC-SHA256 under the database's HMAC
key (``domain/keys.py``) instead of plain SHA-256 over the same bytes, so someone who holds only
the database file cannot recompute it after a rewrite. A database that existed before v007 keeps
its plain entries; the upgrade records an **anchor** (``meta.audit_anchor``): from which sequence
number the chain is keyed and the hash of the last plain entry, with an HMAC over both. A rewrite of
the old entries with recomputed plain hashes then no longer meets the anchor, and a changed anchor
no longer carries a valid HMAC.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from examdesk.domain.fingerprint import canonical_json, sha256_hex
from examdesk.domain.keys import mac, mac_matches
from examdesk.domain.privacy import Redaction, accepts

GENESIS_HASH = "0" * 64
ANCHOR_PURPOSE = "examdesk-audit-anchor"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: str
    summary: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str, seq: int, at: str, user_id: int | None, username: str, action: str,
    entity: str, entity_id: str, summary: dict[str, Any], key: bytes | None = None,
) -> str:
    """SHA-256 (before v007) or HMAC-SHA256 under `key` (keyed entries) over the previous hash and the entry."""
    body = {
        "seq": seq, "at": at, "user_id": user_id, "username": username, "action": action,
        "entity": entity, "entity_id": entity_id, "summary": summary,
    }
    message = prev_hash.encode("ascii") + canonical_json(body)
    if key is None:
        return sha256_hex(message)
    return hmac.digest(key, message, "sha256").hex()  # the one-shot C implementation: a long chain verifies fast


@dataclass(frozen=True)
class Anchor:
    """From `keyed_from` on, entries are keyed; `prev_hash` is the hash of entry keyed_from - 1."""

    keyed_from: int
    prev_hash: str
    mac: str

    def payload(self) -> dict[str, Any]:
        return {"keyed_from": self.keyed_from, "prev_hash": self.prev_hash}

    def valid_for(self, key: bytes) -> bool:
        return mac_matches(key, ANCHOR_PURPOSE, self.payload(), self.mac)

    def to_dict(self) -> dict[str, Any]:
        return {**self.payload(), "mac": self.mac}


def make_anchor(key: bytes, keyed_from: int, prev_hash: str) -> Anchor:
    return Anchor(keyed_from, prev_hash, mac(key, ANCHOR_PURPOSE, {"keyed_from": keyed_from, "prev_hash": prev_hash}))


def anchor_from_dict(raw: Any) -> Anchor | None:
    """None for anything that is not a well-formed anchor (the caller reports it as tampered)."""
    if not isinstance(raw, dict):
        return None
    keyed_from, prev_hash, claimed = raw.get("keyed_from"), raw.get("prev_hash"), raw.get("mac")
    if type(keyed_from) is not int or keyed_from < 1 or not isinstance(prev_hash, str) or not isinstance(claimed, str):
        return None
    return Anchor(keyed_from, prev_hash, claimed)


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    last: tuple[int, str] = (0, GENESIS_HASH)  # the last entry that verified: a position to resume from


def holds_own_hmac(e: AuditEntry, key: bytes) -> bool:
    """Whether one keyed entry carries its own HMAC (over its stored previous hash): a row written into the
    file by someone without the key does not. One entry, not the chain: `verify` checks the links."""
    return hmac.compare_digest(entry_hash(e.prev_hash, e.seq, e.at, e.user_id, e.username, e.action, e.entity,
                                          e.entity_id, e.summary, key), e.hash)


def verify_chain(entries: Iterable[AuditEntry], head: tuple[int, str] | None, key: bytes | None = None,
                 anchor: Anchor | None = None, start: tuple[int, str] | None = None,
                 redactions: Mapping[tuple[str, str], Redaction] | None = None) -> ChainVerdict:
    """Checks every link, every hash, the numbering (a removed row leaves a gap) and the recorded head.

    With an `anchor`, entries from `anchor.keyed_from` on must carry an HMAC under `key`, and the plain
    entries before it must end in `anchor.prev_hash`. `start` = (seq, hash) of an entry verified
    before (a checkpoint): `entries` then begin right after it. `redactions`: the valid redactions of
    anonymisations (`domain/privacy.valid_redactions`): an entry whose personal values one replaced verifies
    against the redaction, and its stored hash stays the link to the next entry.
    """
    if anchor is not None:
        if key is None:
            return ChainVerdict(False, 0, None, "De sleutel van het auditlogboek ontbreekt op deze computer.")
        if not anchor.valid_for(key):
            return ChainVerdict(False, 0, anchor.keyed_from,
                                "Het sleutelanker van het auditlogboek (meta.audit_anchor) is gewijzigd buiten "
                                "ExamDesk of hoort bij een andere sleutel.")
    prev = start[1] if start else GENESIS_HASH
    expected_seq = (start[0] if start else 0) + 1
    last = start or (0, GENESIS_HASH)

    def anchor_broken(seq: int) -> ChainVerdict:
        k = anchor.keyed_from - 1  # type: ignore[union-attr]
        return ChainVerdict(False, seq - 1, k,
                            f"Auditregel {k} past niet meer bij het sleutelanker: de regels 1 tot en met {k} (van "
                            "vóór de beveiliging met een sleutel) zijn buiten ExamDesk herschreven.", last)

    for e in entries:
        if e.seq != expected_seq:
            return ChainVerdict(False, expected_seq - 1, expected_seq,
                                f"Auditregel {expected_seq} ontbreekt (verwijderd buiten ExamDesk).", last)
        keyed = anchor is not None and e.seq >= anchor.keyed_from
        if anchor is not None and e.seq == anchor.keyed_from and prev != anchor.prev_hash:
            return anchor_broken(e.seq)
        if e.prev_hash != prev:
            return ChainVerdict(False, e.seq - 1, e.seq,
                                f"Auditregel {e.seq} sluit niet aan op de vorige regel.", last)
        recomputed = entry_hash(prev, e.seq, e.at, e.user_id, e.username, e.action, e.entity,
                                e.entity_id, e.summary, key if keyed else None)
        if not hmac.compare_digest(recomputed, e.hash) and not (redactions and accepts(
                redactions, "audit_log", e.seq, e.hash, entry_hash(prev, e.seq, e.at, e.user_id, e.username, e.action,
                                                                   e.entity, e.entity_id, e.summary))):
            return ChainVerdict(False, e.seq - 1, e.seq,
                                f"Auditregel {e.seq} is gewijzigd buiten ExamDesk.", last)
        prev = e.hash
        last = (e.seq, e.hash)
        expected_seq += 1
    count = expected_seq - 1
    if anchor is not None and count == anchor.keyed_from - 1 and prev != anchor.prev_hash:
        return anchor_broken(count + 1)
    if head is not None:
        head_seq, head_hash = head
        if head_seq != count or head_hash != prev:
            return ChainVerdict(False, count, count + 1 if head_seq > count else head_seq,
                                f"Het auditlogboek eindigt bij regel {count}, maar ExamDesk schreef tot regel "
                                f"{head_seq}: regels zijn verwijderd of toegevoegd buiten ExamDesk.", last)
    return ChainVerdict(True, count, last=last)


@dataclass(frozen=True)
class AuditFilter:
    text: str = ""
    action: str = ""
    username: str = ""
    date_from: str = ""  # ISO date, inclusive
    date_to: str = ""    # ISO date, inclusive
    candidate_id: int | None = None  # only entries about this candidate (who looked, what changed)
