"""The beheerder's retention check (issue 16, issue 18): which candidates' data is due for anonymisation, from
the stored per-candidate facts (`data/retention`, v019) and — in the same run, on the same copy — worked out
from the whole history as before v019; beside a raw ``SELECT count(*)`` of the candidates. Also the work of
migration v019 on the copy (filling ``candidate_retention`` from the history, rolled back), beside a raw
``SELECT count(*)`` of the roster rows it reads. And the Overzicht's privacy card: its counts in SQL, beside the
same card made as before (the whole due list in Python, then counted), which must give the same numbers; and
Beheer → Privacy's counts and first page, sorted and cut in SQL, beside the whole list it was made from before.

    python bench/privacy.py [--databases demo,1y,10y]

Goal: the check does not grow with the history (< 150 ms with nothing to anonymise; what it lists it must
read). Both ways give the same list (checked here on every run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Database, Row, part_main, run_child  # noqa: E402

CHILD = r"""
import json, sqlite3, statistics, sys, time
from pathlib import Path
from examdesk.data import privacy as privacy_data
from examdesk.data import retention
from examdesk.data.db import open_store
from examdesk.domain.plural import number
from examdesk.domain.privacy import DOSSIERS, RESULTS, due
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services import privacy as privacy_service
from examdesk.services.privacy import PrivacyService

path, password = Path(sys.argv[1]), sys.argv[2]
store = open_store(path)
ctx = AppContext(store, AuthService(store).login("beheerder", password))
svc = PrivacyService(ctx)
today = ctx.clock().date()
periods = svc.retention()

def timed(fn, runs=1):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result

def history():
    # the check before v019: every candidate's facts grouped from the history, then the open cases of those due
    items = due(privacy_data.candidate_facts(store), today, periods[RESULTS.name], periods[DOSSIERS.name])
    cases = privacy_data.open_cases(store, [i.candidate_id for i in items], today)
    return [(i.candidate_id, "; ".join(cases.get(i.candidate_id, []))) for i in items]

def raw(sql):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    began = time.perf_counter()
    conn.execute(sql).fetchone()
    spent = time.perf_counter() - began
    conn.close()
    return spent

def fill():
    with store.transaction():
        n = retention.rebuild(store.conn)
        raise KeyboardInterrupt(n)      # rolled back: the copy stays as it was

def card_before():
    # the Overzicht's card before: the whole due list made in Python, then counted
    items = svc.due()
    ready = sum(1 for i in items if i.can_anonymise)
    return ready, len(items) - ready, privacy_data.anonymised_count(store)

def card_now():
    return [line.text for line in privacy_service._privacy_card(ctx).lines]

found = {}
found["raw"] = min(raw("SELECT count(*) FROM candidates") for _ in range(3))
found["card"], lines = timed(card_now, 5)
found["card_before"], counted = timed(card_before, 3)
found["card_same"] = lines[0].startswith(f"{number(counted[0])} ") and (   # as the card writes them: '3.539'
    any(line.startswith(f"{number(counted[1])} wacht") for line in lines) or counted[1] == 0)
found["stored"], items = timed(svc.due, 5)
found["page"], (page_counts, page) = timed(lambda: (svc.due_counts(), svc.due_page(0, 200)), 5)
found["page_same"] = page == items[:200] and page_counts == (len(items), sum(1 for i in items if i.blocked))
found["history"], old = timed(history)
found["due"], found["blocked"] = len(items), sum(1 for i in items if i.blocked)
found["same"] = [(i.candidate_id, i.blocked) for i in items] == old
found["raw_rosters"] = min(raw("SELECT count(*) FROM session_candidates") for _ in range(3))
began = time.perf_counter()
try:
    fill()
except KeyboardInterrupt as filled:
    found["fill"], found["filled"] = time.perf_counter() - began, filled.args[0]
store.close()
print(json.dumps(found), flush=True)
"""


def measure(db: Database) -> dict[str, Any]:
    return run_child(CHILD, db, db.password)


def rows(db: Database) -> list[Row]:
    m = measure(db)
    listed = f"{m['due']:,} over de termijn, {m['blocked']:,} wacht op een zaak".replace(",", ".").replace("n. ", "n, ")
    same = "" if m["same"] else "ANDERE LIJST dan uit de geschiedenis"
    return [
        Row(db.label, "privacy: kaart op het Overzicht (aantallen in SQL)", m["card"], m["raw"],
            "SELECT count(*) kandidaten", "< 150 ms", m["card"] < 0.15,
            note="" if m["card_same"] else "ANDERE AANTALLEN dan uit de lijst"),
        Row(db.label, "privacy: dezelfde kaart uit de hele lijst (vóór)", m["card_before"], m["raw"],
            "SELECT count(*) kandidaten"),
        Row(db.label, f"privacy: bewaartermijncontrole ({listed})", m["stored"], m["raw"],
            "SELECT count(*) kandidaten", "groeit niet", None, note=same),
        Row(db.label, "privacy: Beheer → Privacy, aantallen + eerste pagina (200) in SQL", m["page"], m["raw"],
            "SELECT count(*) kandidaten", "< 150 ms", m["page"] < 0.15,
            note="" if m["page_same"] else "ANDERE PAGINA dan de hele lijst"),
        Row(db.label, "privacy: zelfde controle uit de hele geschiedenis (vóór v019)", m["history"], m["raw"],
            "SELECT count(*) kandidaten"),
        Row(db.label, f"privacy: migratie v019 vult {m['filled']:,} kandidaten".replace(",", "."), m["fill"],
            m["raw_rosters"], "SELECT count(*) roosterregels"),
    ]


def main() -> None:
    part_main(__doc__, lambda db, _runs: rows(db))


if __name__ == "__main__":
    main()
