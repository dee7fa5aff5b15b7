"""Writing safely when several desks write at once (central mode, issue 17): the primitives the
chains and the commission's records need on a server. Written once, for both backends.

* **Chains** (audit log, session events): `chain_lock(store, chain, key)` inside the write
  transaction, before reading the chain's head. On PostgreSQL it is a transaction-scoped advisory
  lock per chain (per session for session chains): the next appender to the same chain waits until
  this transaction commits and then reads the new head, so numbers stay gap-free and ordered and
  every ``prev_hash`` is its predecessor's hash. Appends to different chains do not wait for each
  other. On SQLite the file's write lock (``BEGIN IMMEDIATE``) already orders all writers.
* **Records people decide on** (an incident, a decision): a ``version`` column and
  `update_versioned`. The screen remembers the version it showed; saving changes the row only if
  the version is still that one, else nothing is saved and the user is told the case changed
  (`ChangedMeanwhile`) — no lost update, whichever desk was first.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from examdesk.data.db import Store
from examdesk.domain.errors import ChangedMeanwhile, NotFound

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def chain_key(chain: str, key: str = "") -> int:
    """The advisory-lock number of one chain: the first 8 bytes of SHA-256("examdesk-chain:chain:key")."""
    digest = hashlib.sha256(f"examdesk-chain:{chain}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def chain_lock(store: Store, chain: str, key: str = "") -> None:
    """Inside a write transaction: wait until no other transaction is appending to this chain, and keep
    it to ourselves until commit or rollback. Call it before reading the chain's head."""
    if not store.in_transaction:
        raise RuntimeError("chain_lock() outside a transaction: the lock would end at once")
    if store.dialect == "postgresql":
        store.conn.execute("SELECT pg_advisory_xact_lock(?)", (chain_key(chain, key),))


def _identifier(name: str) -> str:
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


def update_versioned(store: Store, table: str, key: dict[str, Any], seen_version: int, values: dict[str, Any],
                     what: str = "Dit gegeven") -> int:
    """Changes `values` of the row `key` of `table` if its version is still `seen_version`; returns the
    new version. Someone else saved in between → `ChangedMeanwhile` (nothing saved); the row is gone →
    `NotFound`. Table and column names come from code, never from input (checked)."""
    if not key or not values:
        raise ValueError("update_versioned needs a key and values")
    table = _identifier(table)
    sets = ", ".join(f"{_identifier(name)} = :v_{name}" for name in values)
    where = " AND ".join(f"{_identifier(name)} = :k_{name}" for name in key)
    params = {**{f"v_{n}": v for n, v in values.items()}, **{f"k_{n}": v for n, v in key.items()},
              "seen_version": seen_version}
    cursor = store.write(f"UPDATE {table} SET {sets}, version = version + 1 WHERE {where}"
                         " AND version = :seen_version", params)
    if cursor.rowcount == 1:
        return seen_version + 1
    row = store.query_one(f"SELECT version FROM {table} WHERE {where}", {f"k_{n}": v for n, v in key.items()})
    if row is None:
        raise NotFound(f"{what} bestaat niet (meer). Er is niets opgeslagen.")
    raise ChangedMeanwhile(
        f"{what} is intussen door iemand anders gewijzigd (u zag versie {seen_version}, nu is het versie "
        f"{row[0]}). Er is niets opgeslagen; bekijk de nieuwe stand en beslis opnieuw.")
