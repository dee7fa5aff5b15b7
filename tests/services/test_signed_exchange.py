"""Issue 11, "Signed exchange with pinned keys" and "Resource exhaustion" for .examdesk files: a forger
who has read docs/exchange.md and holds every file that travels (tests/exchange_forger.py builds each
file by hand; no ExamDesk writer code) tries to get a file read in that ExamDesk did not write, or to
exhaust the reader. Each attempt is refused with a Dutch sentence — in the service and on the command
line, with exit code 1 and no traceback — and the database is exactly as it was (a dump compared).

Who the forger is matters (docs/exchange.md, "Dreigingsmodel"): the courier holds only the files; an
invigilator with the exam PC's Windows account holds that PC's key (`insider`), and can sign what that
PC could write — which the meaning checks of test_exchange_forgeries.py then judge."""

from __future__ import annotations

import json
import os
import re
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import pytest

from examdesk.cli import main
from examdesk.data import exchange_rows, keystore
from examdesk.data.db import Store
from examdesk.domain.exchange import ExchangeRefused
from examdesk.services.exchange import ExchangeService
from examdesk.services.exchange_keys import ExchangeKeyService
from tests import exchange_forger as forger
from tests.exchange_support import (
    dump,
    import_package,
    new_pc,
    receive_package,
    run_first_half,
    run_second_half,
    send_package,
    send_record,
)
from tests.session_support import Clock, at, context, plan_for_surveillant, plan_session


@dataclass
class World:
    """The office (A) and an exam PC (B) set up from A's package, which ran a session and sent its record
    back; A confirmed B's key. `package` and `record` are the genuine files; `a_key` is A's exchange key as
    its files name it, `insider` B's own key (its seed, as B's key store holds it)."""

    a: Store
    b: Store
    clock: Clock
    sid: str
    ids: list[int]
    package: Path
    record: Path
    a_key: forger.Recipient
    insider: forger.Key
    tmp: Path

    def genuine_content(self) -> dict:
        return ExchangeService(context(self.a, "bureau", self.clock)).read(self.record).payload

    def record_payload(self, events: list[dict]) -> tuple[dict, list[dict]]:
        """The genuine record's content with these events (re-chained) instead."""
        payload = json.loads(json.dumps(self.genuine_content()))
        rows = forger.chain(self.sid, events)
        payload["sessions"][0]["events"] = rows
        return payload, rows


@pytest.fixture
def world(store, empty_db, tmp_path) -> World:
    clock = Clock(at(8, 0))
    sid, ids = plan_session(store, clock)
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    b = new_pc(empty_db, tmp_path, "examenpc")
    receive_package(b, clock, package)
    run_second_half(run_first_half(b, clock, sid, ids), clock, ids)
    record = send_record(b, store, clock, [sid], tmp_path / "verslag")
    database_id = exchange_rows.database_id(b)
    insider = forger.Key(keystore.require(database_id).signing_seed, database_id)
    yield World(store, b, clock, sid, ids, package, record, forger.sender_of(package), insider, tmp_path)
    b.close()


def _record_file(w: World, name: str, payload: dict, rows: list[dict], signer: forger.Key, **kw) -> Path:
    return forger.write(w.tmp / name, "afnameverslag", payload, [forger.record_entry(w.sid, rows)], signer=signer,
                        recipients=kw.pop("recipients", [w.a_key]), **kw)


def _events(w: World) -> list[dict]:
    return [dict(e) for e in w.genuine_content()["sessions"][0]["events"]]


# --- what the forger builds ------------------------------------------------------------------------------

def unsigned(w: World) -> Path:
    payload = w.genuine_content()
    rows = payload["sessions"][0]["events"]
    return forger.write_v1(w.tmp / "onondertekend.examdesk", "afnameverslag", payload, [forger.record_entry(w.sid, rows)])


def another_key(w: World) -> Path:
    payload, rows = w.record_payload(_events(w))
    return _record_file(w, "andere-sleutel.examdesk", payload, rows, forger.Key.new())


def key_change_without_confirmation(w: World) -> Path:
    """A new key that claims to be B (B's database id): 'the exam PC got a new key'."""
    payload, rows = w.record_payload(_events(w))
    return _record_file(w, "nieuwe-sleutel.examdesk", payload, rows, forger.Key.new(w.insider.database_id))


def content_changed_under_the_signature(w: World) -> Path:
    content = bytearray(forger.members(w.record)["inhoud.bin"])
    content[7] ^= 0x40
    return forger.repack(w.record, w.tmp / "inhoud-gewijzigd.examdesk", {"inhoud.bin": bytes(content)})


def content_replaced_under_the_signature(w: World) -> Path:
    """The courier's own encryption of an edited record (an incident deleted) in place of B's, B's
    signature and manifest kept: the SHA-256 the signature covers no longer matches."""
    events = [e for e in _events(w) if e["kind"] != "incident" and e.get("corrects") is None]
    payload, rows = w.record_payload(events)
    own = _record_file(w, "eigen.examdesk", payload, rows, forger.Key.new())
    return forger.repack(w.record, w.tmp / "inhoud-vervangen.examdesk", {"inhoud.bin": forger.members(own)["inhoud.bin"]})


def manifest_changed_after_signing(w: World) -> Path:
    manifest = forger.read_manifest(w.record)
    manifest["sequence"] += 1
    return forger.repack(w.record, w.tmp / "manifest-gewijzigd.examdesk",
                         {"manifest.json": json.dumps(manifest).encode()})


def signature_of_another_file(w: World) -> Path:
    return forger.repack(w.record, w.tmp / "handtekening-verwisseld.examdesk",
                         {"handtekening.json": forger.members(w.package)["handtekening.json"]})


def encrypted_for_another_recipient(w: World) -> Path:
    """Signed with B's own key (the insider), encrypted for someone who is not the commission."""
    payload, rows = w.record_payload(_events(w))
    stranger = forger.Key.new()
    return _record_file(w, "andere-ontvanger.examdesk", payload, rows, w.insider,
                        recipients=[forger.Recipient(stranger.key_id, stranger.exchange_public)])


# The forgeries, made by the courier (who holds the file but not B's key): whatever they change,
# they must sign it themselves.
def _courier(edit: Callable[[list[dict], World], list[dict]], name: str) -> Callable[[World], Path]:
    def build(w: World) -> Path:
        payload, rows = w.record_payload(edit(_events(w), w))
        return _record_file(w, f"koerier-{name}.examdesk", payload, rows, forger.Key.new(w.insider.database_id))
    build.__name__ = f"courier_{name}"
    return build


def _without_incident(events: list[dict], w: World) -> list[dict]:
    incident = next(e["id"] for e in events if e["kind"] == "incident")
    return [e for e in events if e["id"] != incident and e.get("corrects") != incident]


def _incident_rewritten(events: list[dict], w: World) -> list[dict]:
    for e in events:
        if e["kind"] == "incident":
            e["occurred_at"] = e["occurred_at"].replace("T10:", "T09:")
            e["data"] = {**e["data"], "what_happened": "niets aan de hand"}
    return events


def _void_appended(events: list[dict], w: World) -> list[dict]:
    incident = next(e["id"] for e in events if e["kind"] == "incident" and not e.get("corrects"))
    return [*events, {"id": "f" * 8 + "-0000-0000-0000-" + "0" * 12, "occurred_at": "2027-03-10T11:50:00+01:00",
                      "recorded_at": "2027-03-10T11:50:00+01:00", "user_id": None, "username": "surveillant",
                      "kind": "void", "data": {"reason": "weg ermee"}, "corrects": incident}]


def _end_time_decision(events: list[dict], w: World) -> list[dict]:
    return [*events, {"occurred_at": "2027-03-10T11:50:00+01:00", "username": "commissie",
                      "kind": "end_time_decision", "data": {"candidate_id": w.ids[0], "minutes": 60, "reason": "zomaar"}}]


def _reopen(events: list[dict], w: World) -> list[dict]:
    return [*events, {"occurred_at": "2027-03-10T11:50:00+01:00", "username": "bureau", "kind": "reopen",
                      "data": {"reason": "nog even"}}]


COURIER = [_courier(_without_incident, "incident-verwijderd"), _courier(_incident_rewritten, "tijd-en-tekst"),
           _courier(_void_appended, "vervallen-erbij"), _courier(_end_time_decision, "eindtijdbesluit"),
           _courier(_reopen, "heropend")]


# --- bombs and bounds ----------------------------------------------------------------------------------

GIB = 1 << 30


def _genuine_members(w: World) -> list[forger.RawMember]:
    found = forger.members(w.record)
    return [forger.stored(name, found[name]) for name in ("inhoud.bin", "handtekening.json", "manifest.json")]


def declared_gigabyte_member(w: World) -> Path:
    """1 MB on disk, a member that inflates to (and declares) 1 GiB."""
    data, crc = forger.deflated_zeros(GIB)
    members = [m for m in _genuine_members(w) if m.name != "inhoud.bin"]
    path = w.tmp / "gigabyte.examdesk"
    path.write_bytes(forger.raw_zip([forger.RawMember("inhoud.bin", data, GIB, crc), *members]))
    return path


def zip_bomb_with_a_lying_header(w: World) -> Path:
    """A member that declares 1 KiB but inflates to 1 GiB."""
    data, crc = forger.deflated_zeros(GIB)
    members = [m for m in _genuine_members(w) if m.name != "inhoud.bin"]
    path = w.tmp / "liegende-bom.examdesk"
    path.write_bytes(forger.raw_zip([forger.RawMember("inhoud.bin", data, 1024, crc), *members]))
    return path


def manifest_bomb(w: World) -> Path:
    data, crc = forger.deflated_zeros(GIB)
    members = [m for m in _genuine_members(w) if m.name != "manifest.json"]
    path = w.tmp / "manifestbom.examdesk"
    path.write_bytes(forger.raw_zip([*members, forger.RawMember("manifest.json", data, GIB, crc)]))
    return path


def deeply_nested_manifest(w: World) -> Path:
    deep = b"[" * 3_000 + b"]" * 3_000
    return forger.repack(w.record, w.tmp / "diep-manifest.examdesk", {"manifest.json": deep})


def deeply_nested_content(w: World) -> Path:
    """Signed with B's key (the insider) and encrypted for A: parsing is what remains to attack."""
    return forger.write(w.tmp / "diepe-inhoud.examdesk", "afnameverslag", {}, [], signer=w.insider,
                        recipients=[w.a_key], plain=b"[" * 200_000 + b"]" * 200_000)


def content_of_too_many_values(w: World) -> Path:
    return forger.write(w.tmp / "te-veel-waarden.examdesk", "afnameverslag", {}, [], signer=w.insider,
                        recipients=[w.a_key], plain=b"[" + b"0," * 2_000_000 + b"0]")


def content_too_large_unpacked(w: World) -> Path:
    return forger.write(w.tmp / "te-groot-uitgepakt.examdesk", "afnameverslag", {}, [], signer=w.insider,
                        recipients=[w.a_key], plain=b" " * (40 * 1024 * 1024))


def too_many_members(w: World) -> Path:
    path = w.tmp / "te-veel-onderdelen.examdesk"
    path.write_bytes(forger.raw_zip(_genuine_members(w) + [forger.stored(f"x{n}", b"") for n in range(10_000)]))
    return path


def one_member_too_many(w: World) -> Path:
    return forger.repack(w.record, w.tmp / "extra-onderdeel.examdesk", {"extra.txt": b"hallo"})


def file_too_large(w: World) -> Path:
    path = w.tmp / "te-groot.examdesk"
    with open(path, "wb") as handle:
        handle.truncate(49 * 1024 * 1024)          # sparse: nothing is written, the size is what counts
    return path


def not_a_regular_file(w: World) -> Path:
    path = w.tmp / "pijp.examdesk"
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)                            # reading it would wait forever
    else:
        path.mkdir()
    return path


RECORD_FORGERIES: list[tuple[Callable[[World], Path], str]] = [
    (unsigned, "niet ondertekend"),
    (another_key, "nog niet kent"),
    (key_change_without_confirmation, "andere sleutel dan die van"),
    (content_changed_under_the_signature, "na het ondertekenen gewijzigd"),
    (content_replaced_under_the_signature, "andere grootte dan het ondertekende manifest|na het ondertekenen"),
    (manifest_changed_after_signing, "handtekening van .* klopt niet"),
    (signature_of_another_file, "handtekening van .* klopt niet"),
    (encrypted_for_another_recipient, "niet voor deze computer versleuteld"),
    *[(build, "andere sleutel dan die van") for build in COURIER],
    (declared_gigabyte_member, "groter dan ExamDesk schrijft"),
    (zip_bomb_with_a_lying_header, "andere grootte|uitgepakt"),
    (manifest_bomb, "groter dan ExamDesk schrijft"),
    (deeply_nested_manifest, "dieper genest"),
    (deeply_nested_content, "dieper genest"),
    (content_of_too_many_values, "meer dan 1.500.000 waarden"),
    (content_too_large_unpacked, "uitgepakt groter dan ExamDesk leest"),
    (too_many_members, "10003 onderdelen"),
    (one_member_too_many, "4 onderdelen|andere onderdelen"),
    (file_too_large, "te groot"),
    (not_a_regular_file, "geen gewoon bestand"),
]


@pytest.mark.parametrize(("build", "reason"), RECORD_FORGERIES, ids=[f[0].__name__ for f in RECORD_FORGERIES])
def test_a_forged_or_hostile_file_is_refused_and_changes_nothing(world, build, reason):
    path = build(world)
    before = dump(world.a)
    tracemalloc.start()
    try:
        with pytest.raises(ExchangeRefused, match=reason) as refused:
            ExchangeService(context(world.a, "bureau", world.clock)).import_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.message.endswith("Er is niets ingelezen.")
    assert peak < 128 * 1024 * 1024, f"{build.__name__}: {peak / 1e6:.0f} MB"   # a gigabyte is never unpacked
    assert dump(world.a) == before


@pytest.mark.parametrize(("build", "reason"), [
    (unsigned, "niet ondertekend"), (another_key, "nog niet kent"), (manifest_bomb, "groter dan"),
    (deeply_nested_manifest, "dieper genest"), (deeply_nested_content, "dieper genest"),
    (too_many_members, "onderdelen"), (not_a_regular_file, "geen gewoon bestand")],
    ids=["unsigned", "another_key", "manifest_bomb", "deep_manifest", "deep_content", "members", "fifo"])
def test_on_the_command_line_a_refusal_is_one_dutch_sentence_and_exit_code_1(world, build, reason, capsys,
                                                                             monkeypatch):
    path = build(world)
    before = _without_logins(dump(world.a))
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    code = main(["import", str(path), "--db", str(world.a.path), "--user", "bureau"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err + out
    assert err.strip().endswith("Er is niets ingelezen.") and err.count("\n") == 1
    assert re.search(reason, err)
    assert _without_logins(dump(world.a)) == before      # the command's own login is the only new row


def _without_logins(text: str) -> list[str]:
    """A dump without what logging in writes (its audit entry, the audit head, the account's login time)."""
    return [line for line in text.splitlines() if ",'ingelogd'," not in line and "audit_head" not in line
            and not line.startswith('INSERT INTO "users"')]


# --- keys: revoked, or pinned outside ExamDesk -----------------------------------------------------------

def test_a_file_signed_by_a_revoked_key_is_refused(world):
    ExchangeKeyService(context(world.a, "beheerder", world.clock)).revoke(world.insider.key_id, "laptop gestolen")
    before = dump(world.a)
    with pytest.raises(ExchangeRefused, match="ingetrokken.*laptop gestolen"):
        ExchangeService(context(world.a, "bureau", world.clock)).import_file(world.record)
    assert dump(world.a) == before
    with pytest.raises(ExchangeRefused, match="ingetrokken"):
        ExchangeKeyService(context(world.a, "beheerder", world.clock)).trust(world.record, world.insider.fingerprint)


def test_a_key_pinned_in_the_database_file_outside_examdesk_is_not_trusted(world):
    """Someone with the database file inserts their own key as an exam PC's: it has no seal."""
    stranger = forger.Key.new()
    payload, rows = world.record_payload(_events(world))
    path = _record_file(world, "ingevoegd.examdesk", payload, rows, stranger)
    conn = __import__("sqlite3").connect(world.a.path)
    conn.execute("DROP TRIGGER exchange_keys_no_update")          # (not even needed for an INSERT)
    conn.execute(
        "INSERT INTO exchange_keys VALUES (?, 'examenpc', ?, ?, ?, 'ROC', 'laptop', 'x', '2027-03-10T08:00:00+01:00',"
        " '2027-03-10T08:00:00+01:00', 'beheerder', 'telefonisch')",
        (stranger.key_id, forger.b64(stranger.signing_public), forger.b64(stranger.exchange_public),
         stranger.database_id))
    conn.commit()
    conn.close()
    before = dump(world.a)
    with pytest.raises(ExchangeRefused, match="buiten ExamDesk toegevoegd of gewijzigd"):
        ExchangeService(context(world.a, "bureau", world.clock)).import_file(path)
    assert dump(world.a) == before


def test_a_revocation_removed_outside_examdesk_still_counts(world):
    ExchangeKeyService(context(world.a, "beheerder", world.clock)).revoke(world.insider.key_id, "laptop gestolen")
    conn = __import__("sqlite3").connect(world.a.path)
    conn.execute("DROP TRIGGER exchange_key_revocations_no_delete")
    conn.execute("DELETE FROM exchange_key_revocations")
    conn.commit()
    conn.close()
    with pytest.raises(ExchangeRefused, match="intrekking is buiten ExamDesk verwijderd"):
        ExchangeService(context(world.a, "bureau", world.clock)).import_file(world.record)


# --- packages on the exam PC -----------------------------------------------------------------------------

def _another_session(w: World, hour: int) -> str:
    """A session at the office for B's candidates and invigilator (so a package of it fits on B)."""
    from examdesk.domain.sessions import PlanDraft
    from examdesk.services.sessions import LocationService
    from tests.session_support import DAY

    bureau = context(w.a, "bureau", w.clock)
    places = LocationService(bureau)
    room = places.save_room(None, places.save_location(None, f"Middaglocatie {hour}", "Straat 1"), "M1", 30)
    draft = PlanDraft(exam_kind="centraal", session_date=DAY, start=time(hour, 0), duration_minutes=60, room_id=room,
                      late_limit_minutes=30, central_exam="Ned3F", variant="B", period="2026-2027 periode 2",
                      invigilator_ids=(), candidates=tuple((i, None) for i in w.ids))
    return plan_for_surveillant(w.a, bureau, draft).id


def test_a_replayed_package_is_refused(world):
    """The package B was set up with, read in again; and an older package after a newer one."""
    before = dump(world.b)
    with pytest.raises(ExchangeRefused, match="al ingelezen"):
        import_package(world.b, world.clock, world.package)
    assert dump(world.b) == before
    older = send_package(world.a, world.clock, [_another_session(world, 13)], world.tmp / "ouder")
    newer = send_package(world.a, world.clock, [_another_session(world, 15)], world.tmp / "nieuwer")
    assert import_package(world.b, world.clock, newer).sessions[0].action == "nieuw"
    before = dump(world.b)
    with pytest.raises(ExchangeRefused, match=r"ouder dan een pakket van dezelfde afzender"):
        import_package(world.b, world.clock, older)
    assert dump(world.b) == before


def test_a_package_for_another_exam_pc_is_refused(world):
    """The office encrypts a package for another exam PC it knows (C): B cannot open it."""
    c = forger.Key.new()
    first = forger.write(world.tmp / "van-c.examdesk", "afnameverslag", {"sessions": [], "users": []}, [], signer=c,
                         recipients=[world.a_key])
    ExchangeKeyService(context(world.a, "beheerder", world.clock)).trust(first, c.fingerprint)
    for_c = send_package(world.a, world.clock, [_another_session(world, 13)], world.tmp / "voor-c",
                         recipient=c.key_id[:8])
    assert [s["recipient"] for s in forger.read_manifest(for_c)["encryption"]["recipients"]] == [c.key_id]
    before = dump(world.b)
    with pytest.raises(ExchangeRefused, match="niet voor deze computer versleuteld"):
        import_package(world.b, world.clock, for_c)
    assert dump(world.b) == before


def test_a_package_signed_by_another_key_than_the_commissions_is_refused_on_the_exam_pc(world):
    impostor = forger.Key.new()
    exam_pc = forger.Recipient(world.insider.key_id, world.insider.exchange_public)
    path = forger.write(world.tmp / "nep-commissie.examdesk", "afnamepakket", {}, [], signer=impostor,
                        recipients=[exam_pc], sequence=10_000)
    before = dump(world.b)
    with pytest.raises(ExchangeRefused, match="andere sleutel dan die van de examencommissie"):
        import_package(world.b, world.clock, path)
    assert dump(world.b) == before


def test_a_fresh_exam_pc_is_not_set_up_without_the_code_and_the_confirmed_fingerprint(world, empty_db):
    from examdesk.services.context import AppContext
    from examdesk.services.exchange import import_into_new_database
    from tests.exchange_support import SETUP_CODES

    code, commission = SETUP_CODES[world.package]
    c = new_pc(empty_db, world.tmp, "examenpc-c")
    try:
        before = dump(c)
        for kwargs, reason in (({}, "vergelijk de vingerafdruk"), ({"trusted_fingerprint": commission}, "instelcode"),
                               ({"trusted_fingerprint": "0" * 64, "setup_code": code}, "niet die van de sleutel"),
                               ({"trusted_fingerprint": commission, "setup_code": "AAAA-BBBB-CCCC-DDDD"},
                                "instelcode klopt niet")):
            with pytest.raises(ExchangeRefused, match=reason):
                import_into_new_database(AppContext(c, None, world.clock), world.package, **kwargs)
            assert dump(c) == before
        # a package made by anyone else, with a code of their own, is signed by another key than the one read aloud
        impostor = forger.Key.new()
        forged = forger.write(world.tmp / "nep.examdesk", "afnamepakket", {}, [], signer=impostor,
                              setup_code="AAAA-BBBB-CCCC-DDDD")
        with pytest.raises(ExchangeRefused, match="niet die van de sleutel"):
            import_into_new_database(AppContext(c, None, world.clock), forged, setup_code="AAAA-BBBB-CCCC-DDDD",
                                     trusted_fingerprint=commission)
        assert dump(c) == before
    finally:
        c.close()
