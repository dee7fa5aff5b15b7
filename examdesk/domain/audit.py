"""The audit trail's hash chain: each entry's hash covers the previous entry's hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from examdesk.domain.fingerprint import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64


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
    entity: str, entity_id: str, summary: dict[str, Any],
) -> str:
    body = {
        "seq": seq, "at": at, "user_id": user_id, "username": username, "action": action,
        "entity": entity, "entity_id": entity_id, "summary": summary,
    }
    return sha256_hex(prev_hash.encode("ascii") + canonical_json(body))


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(entries: list[AuditEntry], head: tuple[int, str] | None) -> ChainVerdict:
    """Checks every link, the numbering (a removed row leaves a gap) and the recorded head."""
    prev = GENESIS_HASH
    expected_seq = 1
    for e in entries:
        if e.seq != expected_seq:
            return ChainVerdict(False, expected_seq - 1, expected_seq,
                                f"Auditregel {expected_seq} ontbreekt (verwijderd buiten ExamDesk).")
        if e.prev_hash != prev:
            return ChainVerdict(False, e.seq - 1, e.seq,
                                f"Auditregel {e.seq} sluit niet aan op de vorige regel.")
        recomputed = entry_hash(prev, e.seq, e.at, e.user_id, e.username, e.action, e.entity,
                                e.entity_id, e.summary)
        if recomputed != e.hash:
            return ChainVerdict(False, e.seq - 1, e.seq,
                                f"Auditregel {e.seq} is gewijzigd buiten ExamDesk.")
        prev = e.hash
        expected_seq += 1
    count = expected_seq - 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != count or head_hash != prev:
            return ChainVerdict(False, count, count + 1 if head_seq > count else head_seq,
                                f"Het auditlogboek eindigt bij regel {count}, maar ExamDesk schreef tot regel "
                                f"{head_seq}: regels zijn verwijderd of toegevoegd buiten ExamDesk.")
    return ChainVerdict(True, count)


@dataclass(frozen=True)
class AuditFilter:
    text: str = ""
    action: str = ""
    username: str = ""
    date_from: str = ""  # ISO date, inclusive
    date_to: str = ""    # ISO date, inclusive
