"""Export and import of a session record with 300 candidates and 2,000 events, beside copying the
same rows with raw sqlite3 (WAL, synchronous=FULL, one transaction) in the same run.

    python bench/exchange.py [--events 2000] [--candidates 300] [--runs 5]

Goals: the import at most 3× the raw copy (issue 7), and signing and verification adding at most 20%
to the import (issue 11). The import is the whole use case a user waits for: read the file within its
bounds, check the whole-file SHA-256, the signature, the signer against the pinned keys and their
seals, decrypt, check the manifest and the event chain, type every payload and check its meaning, then
append the events (re-chained under the office's key) with their origins, the exchange log and the
audit entry in one transaction. Each run imports into a fresh copy of the office database (a second
import would add nothing), which already trusts the exam PC's key.

What signing and verification cost is measured in the same run on the same file: the Ed25519
signature check, the trust decision with the seal check of the pinned key, and unwrapping and
decrypting the content — beside the rest of the import.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examdesk.data import exchange as container  # noqa: E402
from examdesk.data import exchange_keys as key_data  # noqa: E402
from examdesk.data import exchange_rows, keystore  # noqa: E402
from examdesk.data import sessions as session_data  # noqa: E402
from examdesk.data.db import open_store  # noqa: E402
from examdesk.data.users import by_username  # noqa: E402
from examdesk.domain.candidates import Candidate  # noqa: E402
from examdesk.domain.catalogue import default_catalogue  # noqa: E402
from examdesk.domain.clock import AMSTERDAM, to_iso  # noqa: E402
from examdesk.domain.exchange_crypto import (  # noqa: E402
    identity_of,
    signature_valid,
    unwrap,
)
from examdesk.domain.exchange_keys import decide  # noqa: E402
from examdesk.domain.session_events import parse_payload  # noqa: E402
from examdesk.domain.sessions import PlanDraft  # noqa: E402
from examdesk.services.candidates import CandidateService  # noqa: E402
from examdesk.services.context import AppContext  # noqa: E402
from examdesk.services.demo import create_demo  # noqa: E402
from examdesk.services.exchange import ExchangeService, import_into_new_database  # noqa: E402
from examdesk.services.exchange_keys import ExchangeKeyService  # noqa: E402
from examdesk.services.sessions import LocationService, SessionService  # noqa: E402

DAY = date(2027, 6, 14)


def clock_at(hh: int, mm: int) -> datetime:
    return datetime.combine(DAY, dtime(hh, mm), tzinfo=AMSTERDAM)


def build_office(path: Path, candidates: int) -> str:
    create_demo(path).close()
    store = open_store(path)
    bureau = AppContext(store, by_username(store, "bureau"), clock=lambda: clock_at(7, 0))
    places = LocationService(bureau)
    room = places.save_room(None, places.save_location(None, "Sporthal", "Sportlaan 1"), "Zaal", 400)
    people = CandidateService(bureau)
    ids = [people.save(Candidate(f"B{n:06d}", f"Achternaam{n}", "", f"Voornaam{n}", date(2005, 1, 1), "25480",
                                 "2025")).id for n in range(candidates)]
    planner = SessionService(bureau)
    draft = PlanDraft(
        exam_kind="centraal", session_date=DAY, start=dtime(9, 0), duration_minutes=180, room_id=room,
        late_limit_minutes=30, central_exam="Ned3F", variant="A", period="2026-2027 periode 4",
        invigilator_ids=(by_username(store, "surveillant").id,), candidates=tuple((i, None) for i in ids))
    plan = planner.plan(draft, confirmed=planner.check_plan(draft))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return plan.id


def record_events(path: Path, session_id: str, count: int) -> None:
    """A long session on the exam PC: attendance, then remarks and incidents (one transaction, for speed)."""
    store = open_store(path)
    user = by_username(store, "surveillant")
    ids = [r.candidate_id for r in session_data.roster(store, session_id)]
    catalogue = default_catalogue()
    start = clock_at(8, 30)
    with store.transaction():
        for n in range(count):
            at = to_iso(start + timedelta(seconds=5 * n))
            if n < len(ids):
                kind, data = "present", {"candidate_ids": [ids[n]], "identity_checked": True}
            elif n % 3:
                kind, data = "remark", {"text": f"Opmerking {n}: kandidaat vroeg om kladpapier bij pc {n % 300}."}
            else:
                kind, data = "incident", {
                    "category": "GELUIDSOVERLAST", "catalogue_version": catalogue.version,
                    "route": catalogue.route("GELUIDSOVERLAST", "centraal").as_dict(),
                    "all_candidates": False, "candidate_ids": [ids[n % len(ids)]], "duration_minutes": 2,
                    "what_happened": "Geluid van de gang.", "what_was_done": "Deur dichtgedaan."}
            session_data.append_event(store, session_id, at, at, user.id, user.username, parse_payload(kind, data))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def raw_copy(source: Path, target: Path, session_id: str) -> float:
    """The baseline: the same rows read from the exam PC's file and inserted with plain sqlite3 in one
    transaction. Both connections are opened (and closed) outside the timing, as the measured import
    works on a store that is already open and leaves it open: closing the last connection to a WAL
    database checkpoints it, work the import does not do (issue 16)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = FULL")
    dst.execute("PRAGMA foreign_keys = ON")
    began = time.perf_counter()
    rows = src.execute("SELECT id, session_id, seq, occurred_at, recorded_at, user_id, username, kind, data,"
                       " corrects, prev_hash, hash FROM session_events WHERE session_id = ? ORDER BY seq",
                       (session_id,)).fetchall()
    dst.execute("BEGIN IMMEDIATE")
    dst.executemany("INSERT INTO session_events (id, session_id, seq, occurred_at, recorded_at, user_id, username,"
                    " kind, data, corrects, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    dst.execute("COMMIT")
    elapsed = time.perf_counter() - began
    src.close()
    dst.close()
    return elapsed


def fingerprint(store) -> str:
    return identity_of(keystore.require(exchange_rows.database_id(store))).fingerprint


def crypto_seconds(store, record: Path) -> float:
    """Signing and verification within one import, on the same file and database: the signature check, the
    trust decision and the seal of the pinned key, unwrapping the content key and decrypting the content."""
    sealed = container.read_sealed(record)
    envelope = sealed.envelope
    import json
    import zipfile

    with zipfile.ZipFile(record) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        signature = __import__("base64").b64decode(json.loads(zf.read("handtekening.json"))["signature"])
    keys = keystore.require(exchange_rows.database_id(store))
    began = time.perf_counter()
    assert signature_valid(manifest, envelope.sender.signing_key, signature)
    pinned = decide(envelope, key_data.pinned(store), identity_of(keys))
    assert pinned is not None and key_data.seal_problem(store, pinned.fingerprint) is None
    content_key = unwrap(envelope.encryption, envelope.file_id, keys, None)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from examdesk.domain.exchange_crypto import CONTENT_AAD

    AESGCM(content_key).decrypt(envelope.encryption.nonce, sealed.ciphertext,
                                CONTENT_AAD + envelope.file_id.encode("utf-8"))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        office = folder / "kantoor.sqlite"
        exam_pc = folder / "examenpc.sqlite"
        sid = build_office(office, args.candidates)
        store = open_store(office)
        sent = ExchangeService(AppContext(store, by_username(store, "bureau"), clock=lambda: clock_at(7, 30))
                               ).export_package([sid], folder / "pakket.examdesk")
        commission = fingerprint(store)
        store.close()
        b = open_store(exam_pc)
        import_into_new_database(AppContext(b, None), sent.path, setup_code=sent.setup_code,
                                 trusted_fingerprint=commission)
        b.close()
        record_events(exam_pc, sid, args.events)

        export_times, import_times, raw_times, crypto_times = [], [], [], []
        b = open_store(exam_pc)
        exporter = ExchangeService(AppContext(b, by_username(b, "surveillant"), clock=lambda: clock_at(13, 0)))
        for n in range(args.runs):
            began = time.perf_counter()
            result = exporter.export_record([sid], folder / f"verslag{n}.examdesk")
            export_times.append(time.perf_counter() - began)
        exam_pc_key = fingerprint(b)
        b.close()
        record = result.path
        size = record.stat().st_size
        store = open_store(office)       # the office confirms the exam PC's key once, before the copies are made
        ExchangeKeyService(AppContext(store, by_username(store, "beheerder"), clock=lambda: clock_at(13, 1))).trust(
            record, exam_pc_key)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        for n in range(args.runs):
            copy = folder / f"kantoor-import{n}.sqlite"
            shutil.copyfile(office, copy)
            target = open_store(copy)
            service = ExchangeService(AppContext(target, by_username(target, "bureau"), clock=lambda: clock_at(13, 5)))
            crypto_times.append(crypto_seconds(target, record))
            began = time.perf_counter()
            summary = service.import_file(record)
            import_times.append(time.perf_counter() - began)
            assert summary.added_events == args.events, summary.added_events
            target.close()
            raw_target = folder / f"kantoor-raw{n}.sqlite"
            shutil.copyfile(office, raw_target)
            raw_times.append(raw_copy(exam_pc, raw_target, sid))

    exp, imp, raw, crypto = (statistics.median(t) * 1000 for t in (export_times, import_times, raw_times,
                                                                   crypto_times))
    print(f"Afnameverslag: {args.candidates} kandidaten, {args.events} gebeurtenissen, {args.runs} herhalingen (mediaan)")
    print(f"  export (lezen, keten controleren, ondertekenen, versleutelen, schrijven + fsync): {exp:8.1f} ms")
    print(f"  import (controleren, ontsleutelen + toevoegen in één transactie):             {imp:8.1f} ms")
    print(f"  kale sqlite3-kopie van dezelfde rijen (WAL, synchronous=FULL):                {raw:8.1f} ms")
    ratio = imp / raw if raw else float("inf")
    verdict = "gehaald" if ratio <= 3 else "NIET gehaald"
    print(f"  import / kale kopie = {ratio:.2f}× (doel ≤ 3×: {verdict}); verslagbestand {size / 1024:.0f} kB")
    share = crypto / (imp - crypto) if imp > crypto else float("inf")
    verdict = "gehaald" if share <= 0.20 else "NIET gehaald"
    print(f"  handtekening, vertrouwen en ontsleutelen: {crypto:.1f} ms = +{share * 100:.1f}% op de rest van de import "
          f"(doel ≤ 20%: {verdict})")


if __name__ == "__main__":
    main()
