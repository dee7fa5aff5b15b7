"""Version 20 (issue 16): each instrument's validity verdict stored with the days it holds for.

``instrument_validity`` holds per instrument the verdict of `domain.register.validity` (valid, onder voorbehoud,
the reasons without their date), its current status, and the range of days over which that verdict cannot change
(``stable_from`` up to, not including, ``stable_until``; NULL is open-ended): `data/validity`. The register card
counts it in SQL and the Register reads it instead of working out 6,000 verdicts on every start.

It is derived: the triggers below delete the rows a write to an input makes stale, in the writer's transaction,
and reading works out again whatever is missing or out of range. The rows are filled once here.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

SCHEMA = """
CREATE TABLE instrument_validity (
    instrument_id TEXT PRIMARY KEY,
    valid INTEGER NOT NULL,
    provisional INTEGER NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    stable_from TEXT,
    stable_until TEXT
);
CREATE TRIGGER instrument_validity_instrument_new AFTER INSERT ON instruments BEGIN
    DELETE FROM instrument_validity WHERE instrument_id = NEW.id;
END;
CREATE TRIGGER instrument_validity_instrument AFTER UPDATE ON instruments BEGIN
    DELETE FROM instrument_validity WHERE instrument_id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER instrument_validity_instrument_gone AFTER DELETE ON instruments BEGIN
    DELETE FROM instrument_validity WHERE instrument_id = OLD.id;
END;
CREATE TRIGGER instrument_validity_status AFTER INSERT ON instrument_status BEGIN
    DELETE FROM instrument_validity WHERE instrument_id = NEW.instrument_id;
END;
CREATE TRIGGER instrument_validity_criteria AFTER INSERT ON instrument_criteria BEGIN
    DELETE FROM instrument_validity WHERE instrument_id = NEW.instrument_id;
END;
CREATE TRIGGER instrument_validity_supplier AFTER UPDATE ON suppliers BEGIN
    DELETE FROM instrument_validity WHERE instrument_id IN (SELECT id FROM instruments WHERE supplier_id = NEW.id);
END;
CREATE TRIGGER instrument_validity_supplier_gone AFTER DELETE ON suppliers BEGIN
    DELETE FROM instrument_validity WHERE instrument_id IN (SELECT id FROM instruments WHERE supplier_id = OLD.id);
END;
CREATE TRIGGER instrument_validity_certificate AFTER INSERT ON supplier_certificates BEGIN
    DELETE FROM instrument_validity
    WHERE instrument_id IN (SELECT id FROM instruments WHERE supplier_id = NEW.supplier_id);
END;
CREATE TRIGGER instrument_validity_qualification_new AFTER INSERT ON qualifications BEGIN
    DELETE FROM instrument_validity WHERE instrument_id IN (SELECT id FROM instruments WHERE crebo = NEW.crebo);
END;
CREATE TRIGGER instrument_validity_qualification AFTER UPDATE ON qualifications BEGIN
    DELETE FROM instrument_validity
    WHERE instrument_id IN (SELECT id FROM instruments WHERE crebo IN (OLD.crebo, NEW.crebo));
END;
CREATE TRIGGER instrument_validity_qualification_gone AFTER DELETE ON qualifications BEGIN
    DELETE FROM instrument_validity WHERE instrument_id IN (SELECT id FROM instruments WHERE crebo = OLD.crebo);
END;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data import validity
    from examdesk.data.db import SqliteStore
    from examdesk.data.migrations import run_sql

    run_sql(conn, SCHEMA)
    # the day the upgrade runs: a row read for a date outside its range is worked out again then
    validity.rebuild(SqliteStore(conn, Path("")), date.today())
