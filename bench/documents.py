"""How fast the official documents are made, beside a raw reportlab platypus document with the same
number of table rows (the same cell texts, plain Table, no frame) built in the same run.

1. A procesverbaal for a session with 300 candidates and 100 incidents. Goal: ≤ 1.5× the raw document.
2. The annual report of a large school: 1,200 kwalificaties, 6,000 instruments, 20,000 incidents.
   Goal: under 3 s.

Times are for DocumentService.issue: collect from SQLite, fingerprint, story, PDF, storing the PDF.
Run: python bench/documents.py"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as dtime
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table  # noqa: E402

from examdesk.data.db import Store, open_store  # noqa: E402
from examdesk.data.sessions import append_event, chain_key  # noqa: E402
from examdesk.data.users import by_username  # noqa: E402
from examdesk.domain.catalogue import default_catalogue  # noqa: E402
from examdesk.domain.clock import AMSTERDAM, to_iso  # noqa: E402
from examdesk.domain.register import school_year_bounds, school_year_of  # noqa: E402
from examdesk.domain.roles import Role  # noqa: E402
from examdesk.domain.session_events import GENESIS_HASH, event_hash  # noqa: E402
from examdesk.reports.frame import FONT, register_fonts  # noqa: E402
from examdesk.services.auth import AuthService  # noqa: E402
from examdesk.services.context import AppContext  # noqa: E402
from examdesk.services.demo import DEMO_INSTITUTION  # noqa: E402
from examdesk.services.documents import DocumentService, kind  # noqa: E402
from examdesk.services.users import UserService  # noqa: E402

RUNS = 3
FIRST = ["Anouk", "Łukasz", "Elif", "Thi Mai", "Noël", "Kerem", "Loïs", "Oğuz", "Daan", "Zoë"]
LAST = ["Jansen", "Wójcik", "Şahin", "Nguyễn", "Daoudi", "Yılmaz", "van den Berg", "Çelik", "de Vries", "Bakker-de Vries"]


def fresh_store(folder: Path) -> tuple[Store, AppContext]:
    store = open_store(folder / "bench.sqlite")
    password = "bench-wachtwoord-voor-documenten"
    admin = AuthService(store).setup(DEMO_INSTITUTION, "beheerder", "Ruud Kok", password)
    users = UserService(AppContext(store, admin))
    users.add("commissie", "Marieke de Vries", password, frozenset({Role.COMMISSIE}), "secretaris", "0182 556 210",
              "m@x.nl")
    users.add("surveillant", "Jan Bakker", password, frozenset({Role.SURVEILLANT}))
    return store, AppContext(store, by_username(store, "commissie"))


def _place(store: Store) -> tuple[int, list[int]]:
    db = store.db
    db["locations"].insert_all([{"id": i, "name": f"Locatie {i}", "address": f"Straat {i}, Gouda"}
                                for i in range(1, 6)])
    db["rooms"].insert_all([{"id": i, "location_id": 1 + i % 5, "name": f"L{i:03d}", "workstations": 400}
                            for i in range(1, 41)])
    return 1, list(range(1, 41))


def _candidates(store: Store, n: int, today: date) -> list[int]:
    now = to_iso(datetime.now(AMSTERDAM))
    rows = [{"id": i, "student_number": f"S{i:07d}", "last_name": LAST[i % 10], "prefix": "",
             "first_name": FIRST[(i // 10) % 10], "birth_date": (today - timedelta(days=6000 + i)).isoformat(),
             "crebo": "25480", "cohort": "2025", "target_group": "regulier", "extra_minutes": 30 if i % 9 == 0 else 0,
             "extra_reason": "", "facilities": json.dumps(["vergroting"] if i % 18 == 0 else []),
             "facility_other": "", "created_at": now, "updated_at": now} for i in range(1, n + 1)]
    store.db["candidates"].insert_all(rows)
    return [r["id"] for r in rows]


def build_procesverbaal_session(store: Store, today: date) -> str:
    """300 candidates, 100 incidents, absences, latecomers, a pause: recorded through the data layer."""
    _place(store)
    ids = _candidates(store, 300, today)
    sid = str(uuid.uuid4())
    day = today - timedelta(days=2)
    start = datetime.combine(day, dtime(9, 0), tzinfo=AMSTERDAM)
    store.db["sessions"].insert({
        "id": sid, "exam_kind": "centraal", "instrument_id": None, "central_exam": "Ned3F",
        "title": "Nederlands 3F", "session_date": day.isoformat(), "starts_at": start.isoformat(timespec="seconds"),
        "duration_minutes": 180, "room_id": 1, "variant": "A", "period": "2025-2026 periode 2",
        "late_limit_minutes": 30, "status": "afgesloten", "created_at": to_iso(start), "created_by": "bureau"})
    surveillant = by_username(store, "surveillant")
    store.db["session_invigilators"].insert({"session_id": sid, "user_id": surveillant.id})
    store.db["session_candidates"].insert_all([
        {"session_id": sid, "candidate_id": c, "workstation": n + 1, "extra_minutes": 30 if c % 9 == 0 else 0,
         "facilities": json.dumps(["vergroting"] if c % 18 == 0 else [])} for n, c in enumerate(ids)])
    catalogue = default_catalogue()
    codes = ["ONWEL", "WERKPLEK_VAST", "GELUIDSOVERLAST", "FRAUDE_KANDIDAAT", "TE_LAAT", "PLATFORM_STORING"]

    def add(minutes: float, kind_: str, data: dict[str, Any]) -> Any:
        at = start + timedelta(minutes=minutes)
        return append_event(store, sid, to_iso(at), to_iso(at), surveillant.id, "surveillant", kind_, data)

    with store.transaction():
        add(-20, "receipt", {"received_by": "Jan Bakker", "intact": True, "remark": ""})
        add(-5, "present", {"candidate_ids": ids[:290], "identity_checked": True})
        for c in ids[290:295]:
            add(-2, "absent", {"candidate_id": c, "valid_reason": False, "remark": "niet verschenen"})
        add(0, "start", {})
        for n, c in enumerate(ids[295:]):
            add(5 + 8 * n, "late", {"candidate_id": c, "admitted": n < 3, "limit": to_iso(start + timedelta(minutes=30))})
        pause = add(60, "pause", {"candidate_ids": None, "reason": "Stroomstoring"})
        add(68, "resume", {"pause_id": pause.id, "minutes": 8})
        for n in range(100):
            code = codes[n % len(codes)]
            route = catalogue.route(code, "centraal").as_dict()
            add(10 + n * 1.5, "incident", {
                "category": code, "catalogue_version": catalogue.version, "route": route, "all_candidates": False,
                "candidate_ids": [ids[(n * 7) % 290]], "duration_minutes": 5,
                "what_happened": f"Voorval {n + 1}: kandidaat op pc {(n * 7) % 290 + 1} meldde een probleem; "
                                 "de surveillant heeft gekeken en het vastgelegd.",
                "what_was_done": "Opgelost; examen ging verder."})
        add(190, "end", {})
        add(195, "close", {"summary": {}, "staff": ["Jan Bakker"]})
    return sid


def build_large_school(store: Store, today: date) -> str:
    """1,200 kwalificaties, 6,000 instruments with a history, 20 suppliers, route choices, and 20,000
    incidents across 2,000 sessions of the current school year, inserted in bulk."""
    year = school_year_of(today)
    begin, end = school_year_bounds(year)
    last = min(end, today)
    rnd = random.Random(7)
    now = to_iso(datetime.now(AMSTERDAM))
    db = store.db
    db["qualifications"].insert_all([{
        "crebo": f"{25000 + i:05d}", "name": f"Kwalificatie {i} — Medewerker {LAST[i % 10]}", "niveau": 1 + i % 4,
        "dossier": "", "dossier_crebo": "", "domain": "", "kind": "kwalificatie", "valid_from": None,
        "valid_until": None, "updated_at": now} for i in range(1200)])
    suppliers = [{"id": str(uuid.uuid4()), "name": f"Leverancier {i}", "authority": "CI",
                  "certificate_number": f"C-{i}", "certified_from": "2020-01-01",
                  "certified_until": (today + timedelta(days=-30 if i % 7 == 0 else 400 + 40 * i)).isoformat(),
                  "updated_at": now} for i in range(20)]
    db["suppliers"].insert_all(suppliers)
    instruments, statuses = [], []
    for i in range(6000):
        route = 1 if i % 10 < 6 else 2 if i % 10 < 9 else 3
        iid = str(uuid.uuid4())
        instruments.append({
            "id": iid, "code": f"INS-{i:05d}", "title": f"Proeve {i} werkproces {i % 7 + 1}",
            "crebo": f"{25000 + i // 5:05d}", "part": "", "kind": "proeve", "formative": 0, "route": route,
            "supplier_id": suppliers[i % 20]["id"] if route == 1 else None,
            "validator": "Validatie-instituut" if route == 3 else "", "validation_date": "2024-01-01" if route == 3
            else None, "version": "1", "created_at": now, "updated_at": now})
        statuses.append({"instrument_id": iid, "status": "concept", "effective_on": "2023-09-01",
                         "decision_number": "", "reason": "", "recorded_at": now, "recorded_by": "bench"})
        if i % 23:
            statuses.append({"instrument_id": iid, "status": "vastgesteld", "effective_on": "2023-10-01",
                             "decision_number": f"EC-{i}", "reason": "", "recorded_at": now, "recorded_by": "bench"})
    db["instruments"].insert_all(instruments)
    db["instrument_status"].insert_all(statuses)
    db["route_choices"].insert_all([{
        "crebo": f"{25000 + i:05d}", "school_year": year, "routes": "1" if i % 3 else "1,2",
        "considerations": "" if i % 3 else "Eigen proeve voor de regionale praktijk; geen passend aanbod.",
        "adopted_by": "commissie", "adopted_on": begin.isoformat(), "updated_at": now}
        for i in range(1200) if i % 17])
    _, rooms = _place(store)
    catalogue = default_catalogue()
    codes = [c.code for c in catalogue.categories if c.protocol_point]
    key = chain_key(store)      # session chains are keyed since v011: the documents refuse a chain that is not
    sessions, events = [], []
    span = (last - begin).days
    for s in range(2000):
        sid = str(uuid.uuid4())
        day = begin + timedelta(days=rnd.randrange(span + 1))
        start = datetime.combine(day, dtime(9, 0), tzinfo=AMSTERDAM)
        central = s % 4 == 0
        sessions.append({
            "id": sid, "exam_kind": "centraal" if central else "instelling",
            "instrument_id": None if central else instruments[s % 6000]["id"],
            "central_exam": "Ned2F" if central else None, "title": "Sessie", "session_date": day.isoformat(),
            "starts_at": start.isoformat(timespec="seconds"), "duration_minutes": 90, "room_id": rooms[s % 40],
            "variant": "A", "period": "p1", "late_limit_minutes": 30, "status": "afgesloten",
            "created_at": now, "created_by": "bench"})
        prev = GENESIS_HASH
        for n in range(10):
            code = codes[(s + n) % len(codes)]
            at = to_iso(start + timedelta(minutes=5 * n))
            data = {"category": code, "catalogue_version": catalogue.version,
                    "route": catalogue.route(code, "centraal" if central else "instelling").as_dict(),
                    "all_candidates": False, "candidate_ids": [], "duration_minutes": None,
                    "what_happened": "Voorval", "what_was_done": ""}
            eid = str(uuid.uuid4())
            digest = event_hash(prev, eid, sid, n + 1, at, at, None, "bench", "incident", data, None, key)
            events.append({"id": eid, "session_id": sid, "seq": n + 1, "occurred_at": at, "recorded_at": at,
                           "user_id": None, "username": "bench", "kind": "incident",
                           "data": json.dumps(data, ensure_ascii=False, sort_keys=True), "corrects": None,
                           "prev_hash": prev, "hash": digest})
            prev = digest
    db["sessions"].insert_all(sessions)
    with store.transaction():
        db["session_events"].insert_all(events, batch_size=2000)
    return year


def raw_document(rows: list[list[str]], font: str = "Helvetica") -> float:
    """A plain platypus document: one Table with these rows (header repeated, columns of equal width),
    texts longer than a column wrapped in a default Paragraph; no frame, no fingerprint, no data."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    started = time.perf_counter()
    style = getSampleStyleSheet()["BodyText"].clone("cell", fontName=font, fontSize=8.5, leading=11)
    width = 174 * mm / len(rows[0])
    body = [[Paragraph(c, style) if len(c) > 22 else c for c in row] for row in rows]
    table = Table([[f"kolom {i + 1}" for i in range(len(rows[0]))]] + body, colWidths=[width] * len(rows[0]),
                  repeatRows=1)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")])
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([table])
    return time.perf_counter() - started


def table_rows(value: Any) -> list[list[str]]:
    """Every list of dicts in the document's data, as rows of five cells with the same texts."""
    found: list[list[str]] = []
    if isinstance(value, dict):
        for v in value.values():
            found += table_rows(v)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for item in value:
            cells = [str(v) for v in item.values() if not isinstance(v, (dict, list)) and str(v)]
            while len(cells) > 5:
                cells[-2:] = [cells[-2] + " " + cells[-1]]
            found.append((cells + [""] * 5)[:5])
    return found


def timed(fn: Any) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    today = datetime.now(AMSTERDAM).date()
    register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pv"
        folder.mkdir()
        store, ctx = fresh_store(folder)
        sid = build_procesverbaal_session(store, today)
        service = DocumentService(ctx)
        service.issue("procesverbaal", sid)   # warm-up: fonts, imports
        rows = table_rows(kind("procesverbaal").collect(store, sid).data)
        ours = timed(lambda: service.issue("procesverbaal", sid))
        raw = statistics.median(raw_document(rows) for _ in range(RUNS))
        raw_ttf = statistics.median(raw_document(rows, FONT) for _ in range(RUNS))
        _, pdf = service.issue("procesverbaal", sid)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        print(f"Procesverbaal, 300 kandidaten, 100 incidenten: {ours * 1000:.0f} ms "
              f"({len(rows)} tabelrijen, {len(pdf) // 1024} kB, ~{pages} pagina's)")
        print(f"  kale platypus-tabel, dezelfde {len(rows)} rijen en teksten, Helvetica: {raw * 1000:.0f} ms → "
              f"verhouding {ours / raw:.2f}×")
        print(f"  kale platypus-tabel, dezelfde rijen, ingebed DejaVu Sans (vereist voor Ş, ł, ễ): "
              f"{raw_ttf * 1000:.0f} ms → verhouding {ours / raw_ttf:.2f}× (doel ≤ 1,5×)")
        store.close()

        folder = Path(tmp) / "jv"
        folder.mkdir()
        store, ctx = fresh_store(folder)
        started = time.perf_counter()
        year = build_large_school(store, today)
        print(f"Grote school opgebouwd in {time.perf_counter() - started:.1f} s "
              f"(1.200 kwalificaties, 6.000 instrumenten, 20.000 incidenten)")
        service = DocumentService(ctx)
        collect_time = timed(lambda: kind("jaarverslag").collect(store, year))
        rows = table_rows(kind("jaarverslag").collect(store, year).data)
        ours = timed(lambda: service.issue("jaarverslag", year))
        raw = statistics.median(raw_document(rows, FONT) for _ in range(RUNS))
        print(f"Jaarverslag {year}: {ours:.2f} s (waarvan gegevens verzamelen {collect_time:.2f} s; "
              f"{len(rows)} tabelrijen) — doel < 3 s")
        print(f"  kale platypus-tabel, dezelfde rijen, DejaVu Sans: {raw:.2f} s → verhouding {ours / raw:.2f}×")
        store.close()


if __name__ == "__main__":
    main()
