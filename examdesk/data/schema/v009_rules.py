"""Version 9: the register, planning and afnameperiodes as the sources write them (issue 12).

* ``instruments.assignments``: 'vast' (a fixed assignment: a change ends validity, seed 000 §4 "met
  vaste examenopdracht gewijzigd") or 'vervangbaar' (the school may replace assignments; the changed
  instrument is *onder voorbehoud* until the commission adopts it again). Existing instruments whose
  history already shows the school replacing assignments (a 'voorbehoud' step) or a re-adoption after
  a change are marked 'vervangbaar' — that is how the school used them, and it keeps their verdicts;
  every other instrument is 'vast', the source's default. An instrument whose last step is
  'voorbehoud' no longer counts as valid: the source makes it valid again only by a new adoption.
* ``instruments.purchased_on``: the route-1 purchase date, which must fall inside a certificate
  period of the supplier. Unknown (NULL) for existing instruments; the register flags that.
* ``suppliers.cooperative``: the supplier is the Coöperatie Examens MBO, whose target-group decision
  (seed 002) applies to its products only.
* ``supplier_certificates``: earlier certificates of a supplier, kept when a certificate is replaced,
  so a past purchase or session is judged by the certificate in force then. Append-only.
* ``instrument_criteria``: the checks of the five criteria of bijlage 2 A and the expertise of 2 B per
  route-2 instrument (met or not, by whom, when, a note). Append-only; the latest check counts.
* ``route_exceptions``: the commission's recorded decision to use an instrument in a school year
  outside the route choice, with its reason.
* ``exam_periods``: the afnameperiodes of the central exams per school year, per exam and (when
  known) per week; filled with the real 2014-2015 tijdvakken (Regeling afnameperiodes centrale
  examinering mbo, BWBR0033897); the examenbureau adds newer ones.
* ``session_planning_notes``: the warnings a planner confirmed when planning a session (start in the
  past, outside the afnameperiode, extra time capped, …), shown beside the session.
"""

from __future__ import annotations

import sqlite3

SOURCE_2014_2015 = "Regeling afnameperiodes centrale examinering mbo 2014-2015 (BWBR0033897)"

# (period, from, to, week, exam): the 2014-2015 tijdvakken as published; '2F Taal' is Nederlands 2F.
TIJDVAKKEN_2014_2015: list[tuple[int, str, str, int, str]] = [
    (2, "2014-10-27", "2014-12-06", 44, "Ned2F"), (2, "2014-10-27", "2014-12-06", 45, "Ned2F"),
    (2, "2014-10-27", "2014-12-06", 45, "Rek2F"), (2, "2014-10-27", "2014-12-06", 46, "Rek2F"),
    (2, "2014-10-27", "2014-12-06", 47, "Rek3F"), (2, "2014-10-27", "2014-12-06", 48, "Rek3F"),
    (2, "2014-10-27", "2014-12-06", 48, "Ned3F"), (2, "2014-10-27", "2014-12-06", 49, "Ned3F"),
    (3, "2015-01-05", "2015-02-14", 2, "Ned2F"), (3, "2015-01-05", "2015-02-14", 3, "Ned2F"),
    (3, "2015-01-05", "2015-02-14", 3, "Rek2F"), (3, "2015-01-05", "2015-02-14", 4, "Rek2F"),
    (3, "2015-01-05", "2015-02-14", 5, "Rek3F"), (3, "2015-01-05", "2015-02-14", 6, "Rek3F"),
    (3, "2015-01-05", "2015-02-14", 6, "Ned3F"), (3, "2015-01-05", "2015-02-14", 7, "Ned3F"),
    (4, "2015-03-16", "2015-04-25", 12, "Ned2F"), (4, "2015-03-16", "2015-04-25", 13, "Ned2F"),
    (4, "2015-03-16", "2015-04-25", 13, "Rek2F"), (4, "2015-03-16", "2015-04-25", 14, "Rek2F"),
    (4, "2015-03-16", "2015-04-25", 15, "Rek3F"), (4, "2015-03-16", "2015-04-25", 16, "Rek3F"),
    (4, "2015-03-16", "2015-04-25", 16, "Ned3F"), (4, "2015-03-16", "2015-04-25", 17, "Ned3F"),
    (5, "2015-05-18", "2015-06-06", 21, "Rek3F"), (5, "2015-05-18", "2015-06-06", 22, "Rek3F"),
    (5, "2015-05-18", "2015-06-06", 22, "Ned3F"), (5, "2015-05-18", "2015-06-06", 23, "Ned3F"),
]


def upgrade(conn: sqlite3.Connection) -> None:
    from examdesk.data.migrations import run_sql

    run_sql(conn, """
ALTER TABLE instruments ADD COLUMN assignments TEXT NOT NULL DEFAULT 'vast'
    CHECK (assignments IN ('vast', 'vervangbaar'));
ALTER TABLE instruments ADD COLUMN purchased_on TEXT;
ALTER TABLE suppliers ADD COLUMN cooperative INTEGER NOT NULL DEFAULT 0 CHECK (cooperative IN (0, 1));

UPDATE instruments SET assignments = 'vervangbaar'
 WHERE id IN (SELECT instrument_id FROM instrument_status WHERE status = 'voorbehoud')
    OR id IN (SELECT a.instrument_id FROM instrument_status a JOIN instrument_status c
                ON c.instrument_id = a.instrument_id AND c.status = 'gewijzigd'
               WHERE a.status = 'vastgesteld' AND (a.effective_on > c.effective_on
                     OR (a.effective_on = c.effective_on AND a.seq > c.seq)));

CREATE TABLE supplier_certificates (
    id           INTEGER PRIMARY KEY,
    supplier_id  TEXT NOT NULL REFERENCES suppliers(id),
    number       TEXT NOT NULL CHECK (number <> ''),
    authority    TEXT NOT NULL DEFAULT '',
    starts_on    TEXT,
    ends_on      TEXT NOT NULL,
    replaced_at  TEXT NOT NULL,
    replaced_by  TEXT NOT NULL,
    CHECK (starts_on IS NULL OR starts_on <= ends_on)
);
CREATE INDEX supplier_certificates_supplier ON supplier_certificates(supplier_id);
CREATE TRIGGER supplier_certificates_no_update BEFORE UPDATE ON supplier_certificates
BEGIN
    SELECT RAISE(ABORT, 'Eerdere certificaten van een leverancier kunnen niet worden gewijzigd.');
END;
CREATE TRIGGER supplier_certificates_no_delete BEFORE DELETE ON supplier_certificates
BEGIN
    SELECT RAISE(ABORT, 'Eerdere certificaten van een leverancier kunnen niet worden gewijzigd.');
END;

CREATE TABLE instrument_criteria (
    seq            INTEGER PRIMARY KEY,
    instrument_id  TEXT NOT NULL REFERENCES instruments(id),
    criterion      TEXT NOT NULL CHECK (criterion IN ('A1', 'A2', 'A3', 'A4', 'A5', 'B')),
    met            INTEGER NOT NULL CHECK (met IN (0, 1)),
    checked_by     TEXT NOT NULL CHECK (checked_by <> ''),
    checked_on     TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    CHECK (met = 1 OR note <> '')
);
CREATE INDEX instrument_criteria_instrument ON instrument_criteria(instrument_id, checked_on, seq);
CREATE TRIGGER instrument_criteria_no_update BEFORE UPDATE ON instrument_criteria
BEGIN
    SELECT RAISE(ABORT, 'Een vastgelegde toetsing van een criterium kan niet worden gewijzigd; leg een nieuwe vast.');
END;
CREATE TRIGGER instrument_criteria_no_delete BEFORE DELETE ON instrument_criteria
BEGIN
    SELECT RAISE(ABORT, 'Een vastgelegde toetsing van een criterium kan niet worden gewijzigd; leg een nieuwe vast.');
END;

CREATE TABLE route_exceptions (
    instrument_id  TEXT NOT NULL REFERENCES instruments(id),
    school_year    TEXT NOT NULL CHECK (school_year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    reason         TEXT NOT NULL CHECK (reason <> ''),
    decided_by     TEXT NOT NULL,
    decided_on     TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    PRIMARY KEY (instrument_id, school_year)
);

CREATE TABLE exam_periods (
    id           INTEGER PRIMARY KEY,
    school_year  TEXT NOT NULL CHECK (school_year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    period       INTEGER NOT NULL CHECK (period BETWEEN 1 AND 9),
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    exam         TEXT NOT NULL CHECK (exam IN ('Ned2F', 'Ned3F', 'Rek2F', 'Rek3F')),
    week         INTEGER CHECK (week IS NULL OR week BETWEEN 1 AND 53),
    source       TEXT NOT NULL DEFAULT '',
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    CHECK (starts_on <= ends_on)
);
CREATE UNIQUE INDEX exam_periods_key ON exam_periods(school_year, period, exam, coalesce(week, 0));
CREATE INDEX exam_periods_dates ON exam_periods(starts_on, ends_on);

CREATE TABLE session_planning_notes (
    id           INTEGER PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES sessions(id),
    kind         TEXT NOT NULL CHECK (kind IN ('waarschuwing', 'afwijking')),
    text         TEXT NOT NULL CHECK (text <> ''),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX session_planning_notes_session ON session_planning_notes(session_id);
""")
    conn.executemany(
        "INSERT INTO exam_periods (school_year, period, starts_on, ends_on, exam, week, source, added_at, added_by)"
        " VALUES ('2014-2015', ?, ?, ?, ?, ?, ?, '2015-01-01T00:00:00+01:00', 'systeem')",
        [(period, start, end, exam, week, SOURCE_2014_2015) for period, start, end, week, exam in TIJDVAKKEN_2014_2015])
