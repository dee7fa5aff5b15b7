"""The keys this database trusts for signed exchange (schema v011): pinned keys and their revocations,
both append-only and sealed into the keyed audit chain when written, and the numbers that keep an older
package from being read after a newer one. What to trust is decided in `domain/exchange_keys.py`."""

from __future__ import annotations

import base64
from typing import Any

from examdesk.data import audit as audit_data
from examdesk.data import meta as meta_data
from examdesk.data.db import Store
from examdesk.domain.exchange import KIND_PACKAGE
from examdesk.domain.exchange_keys import PinnedKey
from examdesk.domain.integrity import SEALED, row_digest

SEQUENCE_KEY = "exchange_sequence"
_COLUMNS = SEALED["exchange_keys"].columns


def _key(r: Any) -> PinnedKey:
    return PinnedKey(
        fingerprint=r["fingerprint"], role=r["role"], signing_key=base64.b64decode(r["signing_key"]),
        exchange_key=base64.b64decode(r["exchange_key"]), database_id=r["database_id"], institution=r["institution"],
        label=r["label"], first_file=r["first_file"], first_file_at=r["first_file_at"],
        confirmed_at=r["confirmed_at"], confirmed_by=r["confirmed_by"], confirmed_how=r["confirmed_how"],
        revoked_at=r["revoked_at"], revoked_by=r["revoked_by"] or "", revoked_reason=r["reason"] or "")


_SELECT = (f"SELECT {', '.join('k.' + c for c in _COLUMNS)}, r.revoked_at, r.revoked_by, r.reason"
           " FROM exchange_keys k LEFT JOIN exchange_key_revocations r ON r.fingerprint = k.fingerprint")


def pinned(store: Store) -> list[PinnedKey]:
    """Every pinned key, revoked ones included, newest confirmation first."""
    return [_key(r) for r in store.query(_SELECT + " ORDER BY k.confirmed_at DESC, k.fingerprint")]


def by_fingerprint(store: Store, fingerprint: str) -> PinnedKey | None:
    r = store.query_one(_SELECT + " WHERE k.fingerprint = ?", (fingerprint,))
    return _key(r) if r else None


def insert(store: Store, key: PinnedKey, user_id: int | None, username: str) -> None:
    """Pins a key and seals the row in the same transaction (joins the caller's)."""
    values = {c: getattr(key, c) for c in _COLUMNS}
    values["signing_key"] = base64.b64encode(key.signing_key).decode("ascii")
    values["exchange_key"] = base64.b64encode(key.exchange_key).decode("ascii")
    with store.transaction():
        store.write(f"INSERT INTO exchange_keys ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                    tuple(values[c] for c in _COLUMNS))
        audit_data.seal(store, "exchange_keys", key.fingerprint, user_id, username, key.confirmed_at)


def revoke(store: Store, fingerprint: str, at: str, by: str, reason: str, user_id: int | None) -> None:
    with store.transaction():
        store.write("INSERT INTO exchange_key_revocations (fingerprint, revoked_at, revoked_by, reason)"
                    " VALUES (?, ?, ?, ?)", (fingerprint, at, by, reason))
        audit_data.seal(store, "exchange_key_revocations", fingerprint, user_id, by or "systeem", at)


def seal_problem(store: Store, fingerprint: str) -> str | None:
    """Why the pinned row of this key cannot be trusted (written or changed outside ExamDesk, or its
    revocation removed), in Dutch; None when its seals hold."""
    content = audit_data.row_content(store.conn, "exchange_keys", fingerprint)
    if content is not None:
        sealed = audit_data.seal_of(store, "exchange_keys", fingerprint)
        if sealed is None or sealed != row_digest("exchange_keys", content):
            return ("De vastgelegde uitwisselsleutel in deze database is buiten ExamDesk toegevoegd of gewijzigd "
                    "(het auditlogboek heeft er geen kloppend zegel van).")
    revoked = audit_data.row_content(store.conn, "exchange_key_revocations", fingerprint)
    if revoked is None and audit_data.seal_of(store, "exchange_key_revocations", fingerprint) is not None:
        return "Deze uitwisselsleutel is hier ingetrokken, maar de intrekking is buiten ExamDesk verwijderd."
    return None


def last_package_sequence(store: Store, signer: str) -> tuple[int, str]:
    """(the highest sequence number, when) of a package from this signer that was read in here."""
    r = store.query_one("SELECT sequence, at FROM exchange_log WHERE signer = ? AND kind = ? AND direction = 'import'"
                        " ORDER BY sequence DESC LIMIT 1", (signer, KIND_PACKAGE))
    return (r[0], r[1]) if r else (0, "")


def next_sequence(store: Store) -> int:
    """This database's next file number (inside the export's transaction): a receiver reads no package
    older than one it already has from the same sender."""
    with store.transaction():
        number = int(meta_data.get(store, SEQUENCE_KEY) or 0) + 1
        meta_data.put(store, SEQUENCE_KEY, str(number))
    return number
