"""The offline exchange through the service: a session planned at the office (A), run on an exam
PC (B) that never shares a network with it, and its record read back into A."""

from __future__ import annotations

import importlib.util
import json
from datetime import time
from pathlib import Path

import pytest

from examdesk.data import exchange_keys, exchange_rows, incident_desk
from examdesk.data import sessions as session_data
from examdesk.data.db import Store, open_store
from examdesk.data.users import by_username
from examdesk.domain.errors import PermissionDenied, ValidationError
from examdesk.domain.exchange import ExchangeRefused
from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.context import AppContext
from examdesk.services.exchange import ExchangeService, import_into_new_database
from examdesk.services.session_mode import SessionModeService
from tests import exchange_forger as forger
from tests.exchange_support import (
    dump,
    fingerprint,
    import_package,
    new_pc,
    pin_exam_pc,
    receive_package,
    run_first_half,
    run_second_half,
    send_package,
    send_record,
)
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def clock() -> Clock:
    return Clock(at(8, 0))


@pytest.fixture
def planned(store: Store, clock: Clock) -> tuple[str, list[int]]:
    return plan_session(store, clock, extra={1: 30})


@pytest.fixture
def pc_b(empty_db: Path, tmp_path: Path):
    b = new_pc(empty_db, tmp_path, "examenpc-b")
    yield b
    b.close()


def _count(store: Store, table: str) -> int:
    return store.query_one(f"SELECT count(*) FROM {table}")[0]


def test_a_package_gives_the_exam_pc_exactly_its_sessions(store, clock, planned, pc_b, tmp_path):
    sid, ids = planned
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    assert package.suffix == ".examdesk"
    receive_package(pc_b, clock, package)

    assert [r[0] for r in pc_b.query("SELECT id FROM sessions")] == [sid]
    assert sorted(r[0] for r in pc_b.query("SELECT id FROM candidates")) == sorted(ids)
    assert [r[0] for r in pc_b.query("SELECT username FROM users")] == ["surveillant"]
    assert [r[0] for r in pc_b.query("SELECT role FROM user_roles")] == ["surveillant"]
    assert _count(pc_b, "locations") == 1 and _count(pc_b, "rooms") == 1
    assert _count(pc_b, "instruments") == 0 and _count(pc_b, "qualifications") == 0
    # AVG: no birth dates, no reasons for extra time, no phone numbers or e-mail addresses
    assert pc_b.query_one("SELECT count(*) FROM candidates WHERE birth_date IS NOT NULL OR extra_reason != ''"
                          " OR crebo != '' OR cohort != ''")[0] == 0
    assert pc_b.query_one("SELECT count(*) FROM users WHERE phone != '' OR email != ''")[0] == 0
    roster = session_data.roster(pc_b, sid)
    assert [r.extra_minutes for r in roster] == [r.extra_minutes for r in session_data.roster(store, sid)]
    assert session_data.session(pc_b, sid).title == session_data.session(store, sid).title
    # the invigilator logs in with their own password; the institution came with the package
    assert AuthService(pc_b).login("surveillant", "demo").username == "surveillant"
    assert pc_b.query_one("SELECT brin FROM institution")[0] == "25PZ"
    actions = [r[0] for r in pc_b.query("SELECT action FROM audit_log")]
    assert "afnamepakket ingelezen" in actions and "uitwisselsleutel vertrouwd" in actions
    assert "afnamepakket gemaakt" in [r[0] for r in store.query("SELECT action FROM audit_log")]
    # the exam PC pinned the commission's key from its first package, confirmed while it was set up
    [pinned] = exchange_keys.pinned(pc_b)
    assert (pinned.role, pinned.display, pinned.confirmed_by) == ("examencommissie", fingerprint(store), "")


def test_a_package_with_an_institution_exam_carries_the_instrument_and_its_verdict(store, pc_b, tmp_path):
    bureau = AppContext(store, by_username(store, "bureau"))
    service = ExchangeService(bureau)
    choice = next(p for p in service.package_choices() if p.exam_kind == "instelling")
    sent = service.export_package([choice.id], tmp_path / "instelling.examdesk")
    summary = import_into_new_database(AppContext(pc_b, None), sent.path, setup_code=sent.setup_code,
                                       trusted_fingerprint=fingerprint(store))
    assert any("Valide op" in n and "gecontroleerd bij het maken" in n for n in summary.notes)
    from examdesk.services.register import RegisterService

    on_a = RegisterService(bureau).validity_on(choice.instrument_id, choice.session_date)
    pc_b.conn.execute("INSERT INTO user_roles (user_id, role) SELECT id, 'examenbureau' FROM users LIMIT 1")
    b_user = pc_b.query_one("SELECT username FROM users LIMIT 1")[0]
    on_b = RegisterService(AppContext(pc_b, by_username(pc_b, b_user))).validity_on(choice.instrument_id,
                                                                                   choice.session_date)
    assert on_b == on_a and on_b.valid
    assert _count(pc_b, "instruments") == 1 and _count(pc_b, "qualifications") == 1


def test_round_trip_plan_here_run_there_record_back(store, clock, planned, pc_b, tmp_path):
    sid, ids = planned
    receive_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run = run_first_half(pc_b, clock, sid, ids)
    run_second_half(run, clock, ids)
    on_b = session_data.events(pc_b, sid)
    assert len(on_b) >= 12

    clock.set(12, 0)
    record = ExchangeService(context(pc_b, "surveillant", clock)).export_record([sid], tmp_path / "verslag")
    assert record.events == len(on_b)
    office = ExchangeService(context(store, "bureau", clock))
    with pytest.raises(ExchangeRefused, match="nog niet kent"):        # the exam PC's key, first seen
        office.import_file(record.path)
    pin_exam_pc(store, clock, pc_b, record.path)                     # the beheerder compared it by phone
    summary = office.import_file(record.path)
    assert summary.added_events == len(on_b)

    on_a = session_data.events(store, sid)
    # the same events in the same order; each database keys its own chain, so the hashes differ
    assert [(e.id, e.seq, e.kind, e.data_json(), e.occurred_at, e.username) for e in on_a] == \
           [(e.id, e.seq, e.kind, e.data_json(), e.occurred_at, e.username) for e in on_b]
    assert {e.hash for e in on_a}.isdisjoint({e.hash for e in on_b})
    assert session_data.session(store, sid).status == "afgesloten"
    assert incident_desk.count(store, IncidentFilter(session_id=sid)) == 1
    checked, problems = ExchangeService(context(store, "commissie", clock)).verify_origins(sid)
    assert checked == len(on_b) and problems == []
    ok, _ = SessionModeService(context(store, "commissie", clock), sid).verify()
    assert ok
    state_a = SessionModeService(context(store, "commissie", clock), sid).state(at(12, 0))
    state_b = SessionModeService(context(pc_b, "surveillant", clock), sid).state(at(12, 0))
    assert [(c.candidate_id, c.status, c.end_time) for c in state_a.candidates] == \
           [(c.candidate_id, c.status, c.end_time) for c in state_b.candidates]
    if importlib.util.find_spec("examdesk.services.doc_procesverbaal") is not None:
        from examdesk.domain.fingerprint import fingerprint
        from examdesk.services.doc_procesverbaal import collect

        assert fingerprint(collect(store, sid).data) == fingerprint(collect(pc_b, sid).data)
    actions = [r[0] for r in store.query("SELECT action FROM audit_log")]
    assert "afnameverslag ingelezen" in actions


def test_importing_the_same_record_twice_adds_nothing(store, clock, planned, pc_b, tmp_path):
    sid, ids = planned
    receive_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run_second_half(run_first_half(pc_b, clock, sid, ids), clock, ids)
    record = send_record(pc_b, store, clock, [sid], tmp_path / "verslag")
    office = ExchangeService(context(store, "bureau", clock))
    office.import_file(record)
    before = session_data.events(store, sid)
    again = office.import_file(record)
    assert again.added_events == 0 and not again.changes_anything
    assert again.earlier_imports
    assert session_data.events(store, sid) == before
    preview = office.preview(record)
    assert preview.added_events == 0


def test_overlapping_records_from_two_pcs_are_all_kept_in_time_order(store, clock, planned, empty_db, tmp_path):
    sid, ids = planned
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    b = new_pc(empty_db, tmp_path, "pc-b")
    c = new_pc(empty_db, tmp_path, "pc-c")
    try:
        receive_package(b, clock, package)
        receive_package(c, clock, package)
        run = run_first_half(b, clock, sid, ids)
        pc_b = ExchangeService(context(b, "surveillant", clock))
        early = send_record(b, store, clock, [sid], tmp_path / "b-halverwege")  # B's record, half-way
        run_second_half(run, clock, ids)
        late = pc_b.export_record([sid], tmp_path / "b-einde").path           # overlaps the first
        # the second invigilator's laptop (C) noted two things during the session
        on_c = SessionModeService(context(c, "surveillant", clock), sid)
        clock.set(9, 30)
        on_c.remark("Kandidaat op pc 3 vroeg om kladpapier", at(9, 30))
        clock.set(10, 5)
        on_c.remark("Conciërge kwam melden dat de brandoefening niet doorgaat", at(10, 5))
        from_c = ExchangeService(context(c, "surveillant", clock)).export_record([sid], tmp_path / "c").path

        office = ExchangeService(context(store, "bureau", clock))
        first = office.import_file(early)
        second = office.import_file(late)
        third = office.import_file(from_c)
        assert first.added_events + second.added_events == len(session_data.events(b, sid))
        assert second.sessions[0].known_events == first.added_events
        assert third.added_events == 2

        merged = session_data.events(store, sid)
        expected = {e.id for e in session_data.events(b, sid)} | {e.id for e in session_data.events(c, sid)}
        assert {e.id for e in merged} == expected and len(merged) == len(expected)
        assert SessionModeService(context(store, "commissie", clock), sid).verify()[0]
        log = SessionModeService(context(store, "commissie", clock), sid).state(at(12, 0)).log
        times = [line.at for line in log]
        assert times == sorted(times, reverse=True)          # the session log: newest first, both PCs mixed
        texts = [line.text for line in reversed(log)]
        assert texts.index("Opmerking: Kandidaat op pc 3 vroeg om kladpapier") < texts.index(
            "Opmerking: Conciërge kwam melden dat de brandoefening niet doorgaat")
        assert [e.seq for e in merged] == list(range(1, len(merged) + 1))
        checked, problems = ExchangeService(context(store, "commissie", clock)).verify_origins(sid)
        assert checked == len(merged) and problems == []
        # C's events were re-chained behind B's; their original hashes from C are kept beside them
        origins = exchange_rows.origins(store, sid)
        c_events = session_data.events(c, sid)
        assert {origins[e.id].origin_hash for e in c_events} == {e.hash for e in c_events}
        # and importing everything again changes nothing
        before = dump(store)
        for path in (late, early, from_c):
            assert office.import_file(path).added_events == 0
        assert session_data.events(store, sid) == merged
        assert before.count("INSERT INTO \"session_events\"") == dump(store).count("INSERT INTO \"session_events\"")
    finally:
        b.close()
        c.close()


def test_a_record_whose_content_was_edited_is_refused(store, clock, planned, pc_b, tmp_path):
    """Someone with the file (a courier) cannot even read it: it is encrypted for the commission. Changing its
    bytes and recomputing every checksum outside the signature still gives it away."""
    sid, ids = planned
    receive_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run_second_half(run_first_half(pc_b, clock, sid, ids), clock, ids)
    record = send_record(pc_b, store, clock, [sid], tmp_path / "verslag")
    content = bytearray(forger.members(record)["inhoud.bin"])
    content[len(content) // 2] ^= 0x01
    forged = forger.repack(record, tmp_path / "vervalst.examdesk", {"inhoud.bin": bytes(content)})
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="na het ondertekenen gewijzigd"):
        ExchangeService(context(store, "bureau", clock)).import_file(forged)
    assert dump(store) == before


def test_an_event_already_here_with_other_content_refuses_the_whole_record(store, clock, planned, pc_b, tmp_path):
    """Another history under the same event ids, signed with the exam PC's own key (an invigilator with
    that PC's account holds it): what was read in before is never overwritten."""
    sid, ids = planned
    receive_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run_second_half(run_first_half(pc_b, clock, sid, ids), clock, ids)
    record = send_record(pc_b, store, clock, [sid], tmp_path / "verslag")
    office = ExchangeService(context(store, "bureau", clock))
    office.import_file(record)
    genuine = office.read(record)
    payload = json.loads(json.dumps(genuine.payload))
    events = payload["sessions"][0]["events"]
    events[0]["data"]["remark"] = "andere tekst"
    rows = forger.chain(sid, events)                 # a consistent chain, from another history
    payload["sessions"][0]["events"] = rows
    from examdesk.data import keystore

    exam_pc = forger.Key(keystore.require(exchange_rows.database_id(pc_b)).signing_seed,
                         exchange_rows.database_id(pc_b))
    other = forger.write(tmp_path / "andere-geschiedenis.examdesk", "afnameverslag", payload,
                         [forger.record_entry(sid, rows)], signer=exam_pc,
                         recipients=[forger.sender_of(tmp_path / "pakket.examdesk")])  # the office, as it signs
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="andere inhoud"):
        office.import_file(other)
    assert dump(store) == before


def test_a_file_from_a_newer_examdesk_is_refused_with_that_reason(store, clock, planned, tmp_path):
    sid, _ = planned
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    manifest = forger.read_manifest(package)
    manifest["format_version"] = 3
    manifest["app_version"] = "ExamDesk 3.0"
    newer = forger.repack(package, tmp_path / "nieuw.examdesk", {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(ExchangeRefused, match="nieuwere ExamDesk \\(ExamDesk 3.0, formaatversie 3\\).*Werk ExamDesk bij"):
        ExchangeService(context(store, "bureau", clock)).preview(newer)


def test_roles(store, clock, planned, pc_b, tmp_path, ctx_for):
    sid, ids = planned
    for role in (Role.COMMISSIE, Role.BEHEERDER, Role.SURVEILLANT):
        with pytest.raises(PermissionDenied):
            ExchangeService(ctx_for(role)).export_package([sid], tmp_path / "x")
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    for role in (Role.COMMISSIE, Role.BEHEERDER):
        with pytest.raises(PermissionDenied):
            ExchangeService(ctx_for(role)).import_file(package)
    receive_package(pc_b, clock, package)
    run_first_half(pc_b, clock, sid, ids)
    with pytest.raises(PermissionDenied, match="Deze database is al ingericht"):
        import_into_new_database(AppContext(pc_b, None), package)
    # an invigilator exports only the record of a session they invigilate
    other = AppContext(store, by_username(store, "l.vandijk"), clock)
    with pytest.raises(PermissionDenied, match="geen surveillant van afname"):
        ExchangeService(other).export_record([sid], tmp_path / "y")


def test_what_cannot_go(store, clock, planned, pc_b, tmp_path):
    sid, ids = planned
    office = ExchangeService(context(store, "bureau", clock))
    with pytest.raises(ValidationError, match="nog geen verslag"):
        office.export_record([sid], tmp_path / "leeg")
    receive_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "pakket"))
    run_first_half(pc_b, clock, sid, ids)
    record = send_record(pc_b, store, clock, [sid], tmp_path / "verslag")
    office.import_file(record)
    assert session_data.session(store, sid).status == "bezig"
    with pytest.raises(ValidationError, match="al begonnen"):
        office.export_package([sid], tmp_path / "p")
    fresh = open_store(tmp_path / "leeg.sqlite")
    try:
        with pytest.raises(ExchangeRefused, match="alleen worden ingericht met een afnamepakket"):
            import_into_new_database(AppContext(fresh, None), record)
    finally:
        fresh.close()


def test_a_package_from_another_school_or_a_clashing_candidate_is_refused(store, clock, planned, pc_b, tmp_path):
    sid, ids = planned
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    from examdesk.domain.institution import Institution

    AuthService(pc_b).setup(Institution("ROC Elders", "99XX", "Examencommissie Elders"), "beheer", "Beheer",
                            "uil op de kerktoren")
    pc_b.conn.execute("INSERT INTO user_roles (user_id, role) VALUES (1, 'examenbureau')")
    elsewhere = AppContext(pc_b, by_username(pc_b, "beheer"), clock)
    before = dump(pc_b)
    with pytest.raises(ExchangeRefused, match="BRIN 25PZ.*BRIN 99XX"):
        ExchangeService(elsewhere).import_file(package)
    assert dump(pc_b) == before


def test_a_package_never_replans_a_session_that_is_already_here(store, clock, planned, pc_b, tmp_path):
    """Issue 11: a package read into an existing database never re-plans a session; the same plan again
    is 'ongewijzigd', a changed one is skipped with the reason, and one that began here is left alone."""
    sid, ids = planned
    receive_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "pakket1"))
    assert [s.action for s in import_package(pc_b, clock, send_package(store, clock, [sid], tmp_path / "zelfde")
                                             ).sessions] == ["ongewijzigd"]
    store.conn.execute("UPDATE sessions SET late_limit_minutes = 10 WHERE id = ?", (sid,))
    second = send_package(store, clock, [sid], tmp_path / "pakket2")
    before = dump(pc_b)
    action = import_package(pc_b, clock, second).sessions[0].action
    assert action.startswith("overgeslagen") and "niet opnieuw" in action
    assert session_data.session(pc_b, sid).late_limit_minutes == 30
    assert dump(pc_b).count("INSERT INTO \"sessions\"") == before.count("INSERT INTO \"sessions\"")
    run_first_half(pc_b, clock, sid, ids)
    store.conn.execute("UPDATE sessions SET late_limit_minutes = 20 WHERE id = ?", (sid,))
    third = send_package(store, clock, [sid], tmp_path / "pakket3")
    assert import_package(pc_b, clock, third).sessions[0].action.startswith(
        "overgeslagen: deze afname is hier al begonnen")
    assert session_data.session(pc_b, sid).late_limit_minutes == 30


def test_a_package_holds_only_what_its_sessions_need(store, clock, planned, tmp_path):
    """Issue 11, least privilege: the payload itself, column by column — only the roster's candidates
    (without birth date, kwalificatie, cohort, target group, extra time or its reason), only the invigilators
    of these sessions (no phone, e-mail or other roles), only these sessions."""
    sid, ids = planned
    other_sid, other_ids = plan_session(store, Clock(at(13, 0)), count=2, start=time(13, 0))
    store.conn.execute("UPDATE candidates SET extra_reason = 'dyslexie (medisch)' WHERE id = ?", (ids[1],))
    sent = ExchangeService(context(store, "bureau", clock)).export_package([sid], tmp_path / "pakket")
    payload = ExchangeService(context(store, "bureau", clock)).read(sent.path, sent.setup_code).payload

    assert [s["id"] for s in payload["sessions"]] == [sid]
    assert {c["id"] for c in payload["candidates"]} == set(ids)
    assert all(set(c) == {"id", "student_number", "last_name", "prefix", "first_name", "facility_other"}
               for c in payload["candidates"])
    invigilators = {r[0] for r in store.query("SELECT user_id FROM session_invigilators WHERE session_id = ?", (sid,))}
    assert {u["id"] for u in payload["users"]} == invigilators
    assert all(set(u) == {"id", "username", "full_name", "function", "password_hash"} for u in payload["users"])
    assert {r["session_id"] for r in payload["session_candidates"] + payload["session_invigilators"]} == {sid}
    text = json.dumps(payload)
    assert "birth_date" not in text and "dyslexie" not in text and "extra_reason" not in text
    assert not set(other_ids) & {c["id"] for c in payload["candidates"]} and other_sid not in text
    # and on the stick it is all encrypted: no name, studentnummer or session title in the file's bytes
    raw = sent.path.read_bytes()
    first = payload["candidates"][0]
    assert first["last_name"].encode() not in raw and first["student_number"].encode() not in raw
    assert b"Nederlands 3F" not in raw
