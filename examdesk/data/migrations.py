"""Schema versions (PRAGMA user_version) and the numbered steps that reach the latest one.

A new file is built by the same chain as an old one is upgraded. All pending steps run in one
BEGIN IMMEDIATE … COMMIT; any error rolls everything back and leaves the file as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from examdesk.data.schema import (
    v001_foundation,
    v002_register,
    v003_sessions,
    v004_documents,
    v005_incident_desk,
    v006_exchange,
    v007_integrity,
    v008_incident_state,
    v009_rules,
    v010_login_throttle,
    v011_signed_exchange,
    v012_desk_rules,
    v013_search,
    v014_casework,
    v015_privacy,
    v016_appeal_work,
    v017_casework_privacy,
    v018_trust_seals,
    v019_retention_facts,
    v020_instrument_validity,
    v021_incident_counts,
)

if TYPE_CHECKING:
    from examdesk.data.db import Store

Step = Callable[[sqlite3.Connection], None]

# Append new steps here; never change or reorder a step that has shipped.
STEPS: list[Step] = [
    v001_foundation.upgrade,
    v002_register.upgrade,
    v003_sessions.upgrade,
    v004_documents.upgrade,
    v005_incident_desk.upgrade,
    v006_exchange.upgrade,
    v007_integrity.upgrade,
    v008_incident_state.upgrade,
    v009_rules.upgrade,
    v010_login_throttle.upgrade,
    v011_signed_exchange.upgrade,
    v012_desk_rules.upgrade,
    v013_search.upgrade,
    v014_casework.upgrade,
    v015_privacy.upgrade,
    v016_appeal_work.upgrade,
    v017_casework_privacy.upgrade,
    v018_trust_seals.upgrade,
    v019_retention_facts.upgrade,
    v020_instrument_validity.upgrade,
    v021_incident_counts.upgrade,
]

LATEST_VERSION = len(STEPS)


def run_sql(conn: sqlite3.Connection, script: str) -> None:
    """Runs a block of statements one by one (executescript would commit the transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer!r}")


def upgrade(store: Store, steps: list[Step] | None = None) -> int:
    """Brings the schema to the latest version; returns the number of steps run."""
    from examdesk.data.db import APPLICATION_ID

    steps = STEPS if steps is None else steps
    current = store.schema_version()
    if current >= len(steps):
        return 0
    with store.transaction() as conn:
        for number in range(current + 1, len(steps) + 1):
            steps[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if steps is STEPS and len(steps) == LATEST_VERSION:
        # derived data the steps may have reset (the incident desk's index, v008), rebuilt with the
        # rules of this version now that the schema is the latest
        from examdesk.data import search
        from examdesk.data.incident_desk import letters_due
        from examdesk.data.incident_index import catch_up

        catch_up(store)
        search.ensure(store)   # the search tables (v013) filled, or rebuilt for what this version searches
        letters_due(store)     # the decisions still owed a letter (v013)
    return len(steps) - current
