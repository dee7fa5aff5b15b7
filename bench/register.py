"""Register screen on a generated register of 1,200 kwalificaties and 6,000 instruments:

* opening the screen (service view + models + first paint), beside the raw SQL that loads the
  same rows (qualifications, suppliers, instruments, status history, route choices);
* one filter keystroke in the search field (filter + model reset + repaint), beside the raw SQL
  query that answers the same search (LIKE on crebo, name, code and title).

Goal: a keystroke under 50 ms and within 2x the raw query. Run: `python bench/register.py`."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["EXAMDESK_HOME"] = tempfile.mkdtemp(prefix="examdesk-bench-register-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examdesk.data import register as data  # noqa: E402
from examdesk.data import users  # noqa: E402
from examdesk.data.db import Store, open_store  # noqa: E402
from examdesk.domain.register import (  # noqa: E402
    Instrument,
    Qualification,
    RouteChoice,
    Status,
    Supplier,
    school_year_of,
)
from examdesk.domain.roles import Role  # noqa: E402
from examdesk.domain.users import User  # noqa: E402
from examdesk.services.context import AppContext  # noqa: E402

QUALIFICATIONS, PER_QUALIFICATION, SUPPLIERS = 1200, 5, 60
WORDS = ("verzorgende", "monteur", "kok", "logistiek", "medewerker", "assistent", "technicus", "verkoper",
         "pedagogisch", "timmerman", "installatie", "zorg", "ict", "beheerder", "allround", "eerste",
         "gespecialiseerd", "bediening", "mediavormgever", "dierenverzorger")
KINDS = ("proeve van bekwaamheid", "criteriumgericht interview", "schriftelijk examen", "digitaal examen")
TYPED = ("verzorg", "kok", "25", "med", "logistiek m", "pvb-3", "zz")
RAW_SEARCH = """
SELECT q.crebo, q.name, q.niveau FROM qualifications q
WHERE q.crebo LIKE :like OR q.name LIKE :like OR EXISTS (
    SELECT 1 FROM instruments i WHERE i.crebo = q.crebo AND (i.code LIKE :like OR i.title LIKE :like))
ORDER BY q.crebo
"""
RAW_LOAD = ("SELECT * FROM qualifications ORDER BY crebo", "SELECT * FROM suppliers ORDER BY name",
            "SELECT * FROM instruments ORDER BY crebo, code",
            "SELECT * FROM instrument_status ORDER BY instrument_id, effective_on, seq",
            "SELECT * FROM route_choices WHERE school_year = :year")


def generate(store: Store, today: date) -> None:
    rng = random.Random(2026)
    now = "2026-01-01T00:00:00+01:00"
    year = school_year_of(today)
    with store.transaction():
        suppliers = []
        for n in range(SUPPLIERS):
            start = today - timedelta(days=rng.randint(100, 1200))
            s = Supplier(str(uuid.uuid4()), f"Examenleverancier {n:02d}", "Stichting Certificering Examenkwaliteit",
                         f"SCE-{n:04d}", start, today + timedelta(days=rng.randint(-90, 900)))
            data.save_supplier(store, s, now)
            suppliers.append(s)
        for n in range(QUALIFICATIONS):
            crebo = str(25000 + n)
            name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}"
            data.upsert_qualification(store, Qualification(crebo, name, rng.randint(1, 4), f"Dossier {n // 4}"), now)
            for k in range(PER_QUALIFICATION):
                route = rng.choice((1, 1, 1, 2, 3))
                i = Instrument(str(uuid.uuid4()), f"{crebo}-PVB-{k}", f"Proeve {name} deel {k}", crebo, f"B1-K{k}",
                               rng.choice(KINDS), rng.random() < 0.2, route,
                               rng.choice(suppliers).id if route == 1 else None,
                               "Stichting Externe Validering" if route == 3 else "",
                               today - timedelta(days=400) if route == 3 else None)
                data.save_instrument(store, i, now)
                data.append_status(store, i.id, Status.CONCEPT, today - timedelta(days=500), "", "", now, "bench")
                roll = rng.random()
                if roll < 0.85:
                    data.append_status(store, i.id, Status.ADOPTED, today - timedelta(days=400), f"EC-{n}-{k}", "",
                                       now, "bench")
                if 0.75 < roll < 0.85:
                    data.append_status(store, i.id, Status.CHANGED, today - timedelta(days=30), "", "gewijzigd", now,
                                       "bench")
            if rng.random() < 0.9:
                data.save_route_choice(store, RouteChoice(crebo, year, frozenset({1, 2}), "afwegingen", "bench",
                                                          today - timedelta(days=60)), now)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    from examdesk.ui.launch import create_application
    from examdesk.ui.register.screen import RegisterScreen

    app = create_application()  # with the house style sheet, as users see it
    path = Path(os.environ["EXAMDESK_HOME"]) / "bench.sqlite"
    store = open_store(path)
    user_id = users.insert(store, "commissie", "Bench Commissie", "-", frozenset({Role.COMMISSIE}),
                           "2025-01-01T00:00:00+01:00")   # the services read the account on every call
    ctx = AppContext(store, User(user_id, "commissie", "Bench Commissie", frozenset({Role.COMMISSIE})))
    today = ctx.clock().date()
    started = time.perf_counter()
    generate(store, today)
    print(f"generated {QUALIFICATIONS} kwalificaties, {QUALIFICATIONS * PER_QUALIFICATION} instruments, "
          f"{SUPPLIERS} suppliers in {time.perf_counter() - started:.1f} s")

    def raw_load() -> None:
        for sql in RAW_LOAD:
            store.conn.execute(sql, {"year": school_year_of(today)}).fetchall()

    def open_screen() -> RegisterScreen:
        screen = RegisterScreen(ctx)
        screen.resize(1400, 850)
        screen.show()
        screen.refresh()
        app.processEvents()
        return screen

    raw_load()
    open_screen().close()  # warm-up
    raw_open = [_timed(raw_load) for _ in range(5)]
    opened: list[float] = []
    screen = None
    for _ in range(5):
        if screen is not None:
            screen.close()
            screen.deleteLater()
            app.processEvents()
        start = time.perf_counter()
        screen = open_screen()
        opened.append(time.perf_counter() - start)
    assert screen is not None

    keystrokes: list[float] = []
    updates: list[float] = []
    raw_queries: list[float] = []
    for word in TYPED * 3:
        screen.filters.search.clear()
        app.processEvents()
        for end in range(1, len(word) + 1):
            text = word[:end]

            def keystroke(text: str = text) -> None:
                screen.filters.search.setText(text)   # textChanged → filter → model reset → selection → detail
                app.processEvents()           # paint

            keystrokes.append(_timed(keystroke))
            screen.filters.search.blockSignals(True)
            screen.filters.search.setText(text[:-1])
            screen.filters.search.blockSignals(False)
            screen.apply_current_filter()
            app.processEvents()
            screen.filters.search.blockSignals(True)
            screen.filters.search.setText(text)
            screen.filters.search.blockSignals(False)
            updates.append(_timed(screen.apply_current_filter))  # filter + models + detail, before painting
            app.processEvents()
            raw_queries.append(_timed(lambda text=text: store.conn.execute(RAW_SEARCH, {"like": f"%{text}%"}).fetchall()))
    shown = screen.qual_model.rowCount()

    o, ro = median_ms(opened), median_ms(raw_open)
    k, rq = median_ms(keystrokes), median_ms(raw_queries)
    k90 = sorted(keystrokes)[int(len(keystrokes) * 0.9)] * 1000
    print(f"register screen, {QUALIFICATIONS} kwalificaties / {QUALIFICATIONS * PER_QUALIFICATION} instruments "
          f"(medians; platform {os.environ['QT_QPA_PLATFORM']})")
    print(f"  open screen (view + models + paint) : {o:8.1f} ms")
    print(f"  raw SQL loading the same rows        : {ro:8.1f} ms   ratio {o / ro:5.2f}x")
    u = median_ms(updates)
    print(f"  filter keystroke (filter + repaint) : {k:8.1f} ms   (90th percentile {k90:.1f} ms; goal < 50 ms)")
    print(f"    of which filter + model update    : {u:8.1f} ms   (the rest is Qt painting the two tables)")
    print(f"  raw SQL search query behind it      : {rq:8.1f} ms   ratio keystroke {k / rq:5.2f}x, "
          f"update {u / rq:5.2f}x (goal <= 2x)")
    print(f"  ({len(keystrokes)} keystrokes; last search shows {shown} kwalificaties)")
    screen.close()
    store.close()
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown of thousands of Python-owned objects; nothing is left to save


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
