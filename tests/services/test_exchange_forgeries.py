"""Issue 11, "Import checks meaning, not only bytes" and "SQL injection through JSON keys": files built by
hand from docs/exchange.md (tests/exchange_forger.py: no ExamDesk writer code) by someone who holds a
surveillant's login — and, so that these files get past the signature at all, a key this database
trusts: an exam PC's key (which an invigilator with that PC's Windows account holds) for records, a
key a beheerder confirmed as the commission's for packages. Even so, each forgery is refused, or —
where a package may still add a session — changes nothing it must not: accounts, passwords, roles,
lockouts, candidates, a planned session. (What a forger without a trusted key meets first — the
signature, the pinned keys, the encryption, the bounds — is in test_signed_exchange.py.)"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest

from examdesk.data import sessions as session_data
from examdesk.domain.errors import AuthenticationError
from examdesk.domain.exchange import ExchangeRefused
from examdesk.domain.session_state import SessionStatus
from examdesk.domain.sessions import SessionFilter
from examdesk.services.auth import AuthService
from examdesk.services.exchange import ExchangeService
from examdesk.services.exchange_keys import ExchangeKeyService
from tests import exchange_forger as forger
from tests.exchange_support import dump
from tests.session_support import Clock, at, context, plan_session

ATTACKER_PASSWORD = "overgenomen-2027"


@pytest.fixture
def office_key(store, tmp_path) -> forger.Recipient:
    """The office's exchange key, as every file it sends names it in its readable manifest."""
    bureau = ExchangeService(context(store, "bureau", Clock(at(7, 0))))
    sent = bureau.export_package([bureau.package_choices()[0].id], tmp_path / "van-het-kantoor.examdesk")
    return forger.sender_of(sent.path)


def trusted(store, tmp_path, kind: str, office: forger.Recipient) -> forger.Key:
    """A key of the forger's that the beheerder confirmed here: as the commission's (kind afnamepakket) or as
    an exam PC's (afnameverslag), from a first, empty file it signed."""
    key = forger.Key.new()
    first = forger.write(tmp_path / f"eerste-{key.key_id[:8]}.examdesk", kind,
                         {"sessions": [], "users": []}, [], signer=key, recipients=[office], sequence=1)
    ExchangeKeyService(context(store, "beheerder", Clock(at(7, 0)))).trust(first, key.fingerprint)
    return key


@pytest.fixture
def commission(store, tmp_path, office_key):
    """Writes packages as a commission whose key is trusted here, each with the next number."""
    key = trusted(store, tmp_path, "afnamepakket", office_key)
    numbers = iter(range(2, 1000))

    def write(path: Path, payload: dict, sessions: list) -> Path:
        return forger.write(path, "afnamepakket", payload, sessions, signer=key, recipients=[office_key],
                            sequence=next(numbers))
    return write

def _user_row(store, username: str) -> tuple:
    return tuple(store.query_one("SELECT * FROM users WHERE username = ?", (username,)))


def _institution(store) -> dict[str, Any]:
    r = store.query_one("SELECT * FROM institution")
    return {k: r[k] for k in ("name", "brin", "commission_name", "place", "late_admission_minutes",
                              "appeal_term_days", "appeal_body")}


def _package(store, *, users=(), candidates=(), sessions=(), invigilators=(), roster=(), qualifications=()) -> dict:
    return {
        "institution": _institution(store),
        "locations": [{"id": 900, "name": "Zolder", "address": "Dakgoot 1"}],
        "rooms": [{"id": 900, "location_id": 900, "name": "Z1", "workstations": 30}],
        "qualifications": list(qualifications), "suppliers": [], "instruments": [], "instrument_status": [],
        "users": list(users), "candidates": list(candidates), "sessions": list(sessions),
        "session_invigilators": list(invigilators), "session_candidates": list(roster),
        "instrument_verdicts": {}, "catalogue_version": "",
    }


def _session(session_id: str, room_id: int = 900, start: str = "09:00", day: str = "2027-06-01") -> dict[str, Any]:
    return {"id": session_id, "exam_kind": "centraal", "instrument_id": None, "central_exam": "Ned3F",
            "title": "Nederlands 3F", "session_date": day, "starts_at": f"{day}T{start}:00+02:00",
            "duration_minutes": 120, "room_id": room_id, "variant": "A", "period": "2026-2027 periode 4",
            "late_limit_minutes": 30, "status": "gepland", "created_at": f"{day}T08:00:00+02:00",
            "created_by": "bureau"}


def _import_as_surveillant(store, path: Path):
    return ExchangeService(context(store, "surveillant", Clock(at(8, 0)))).import_file(path)


def _a_candidate(store) -> dict[str, Any]:
    r = store.query_one("SELECT id, student_number, last_name, prefix, first_name, facility_other FROM candidates"
                        " ORDER BY id LIMIT 1")
    return dict(r)


def test_a_package_cannot_reset_reactivate_or_unlock_another_invigilators_account(store, tmp_path, commission):
    store.conn.execute("UPDATE users SET active = 0, failed_attempts = 5, locked_until = '2099-01-01T00:00:00+01:00'"
                       " WHERE username = 'l.vandijk'")
    before = _user_row(store, "l.vandijk")
    roles_before = store.query("SELECT role FROM user_roles ORDER BY user_id, role")
    candidate = _a_candidate(store)
    session = _session("forged-session-1")
    package = _package(
        store, users=[{"id": 3, "username": "l.vandijk", "full_name": "Loes van Dijk", "function": "surveillant",
                       "password_hash": forger.scrypt_hash(ATTACKER_PASSWORD)}],
        candidates=[candidate], sessions=[session], invigilators=[{"session_id": session["id"], "user_id": 3}],
        roster=[{"session_id": session["id"], "candidate_id": candidate["id"], "workstation": 1,
                 "extra_minutes": 0, "facilities": "[]"}])
    path = commission(tmp_path / "pakket.examdesk", package, [forger.package_entry(session)])
    summary = _import_as_surveillant(store, path)

    assert _user_row(store, "l.vandijk") == before                      # hash, active, lockout: untouched
    assert store.query("SELECT role FROM user_roles ORDER BY user_id, role") == roles_before
    assert any("Accounts, wachtwoorden en kandidaten" in n for n in summary.notes)
    with pytest.raises(AuthenticationError):
        AuthService(store).login("l.vandijk", ATTACKER_PASSWORD)


def test_a_package_cannot_create_an_account_in_a_database_that_is_set_up(store, tmp_path, commission):
    package = _package(store, users=[{"id": 77, "username": "indringer", "full_name": "Indringer", "function": "",
                                      "password_hash": forger.scrypt_hash(ATTACKER_PASSWORD)}])
    path = commission(tmp_path / "pakket.examdesk", package, [])
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="indringer heeft in deze database geen account"):
        _import_as_surveillant(store, path)
    assert dump(store) == before


def test_a_package_cannot_rename_or_add_a_candidate(store, tmp_path, commission):
    candidate = _a_candidate(store)
    renamed = {**candidate, "last_name": "Hacked", "first_name": "Mr"}
    name_before = store.query_one("SELECT first_name, last_name, updated_at FROM candidates WHERE id = ?",
                                  (candidate["id"],))
    path = commission(tmp_path / "hernoemd.examdesk", _package(store, candidates=[renamed]), [])
    _import_as_surveillant(store, path)
    assert store.query_one("SELECT first_name, last_name, updated_at FROM candidates WHERE id = ?",
                           (candidate["id"],)) == name_before

    new = {"id": 99_999, "student_number": "X999999", "last_name": "Nieuw", "prefix": "", "first_name": "Iemand",
           "facility_other": ""}
    before = dump(store)
    path = commission(tmp_path / "nieuw.examdesk", _package(store, candidates=[new]), [])
    with pytest.raises(ExchangeRefused, match="X999999 staat niet in deze database"):
        _import_as_surveillant(store, path)
    assert dump(store) == before


def test_a_package_cannot_replan_a_session_that_is_planned_here(store, tmp_path, commission):
    plan = next(p for p in session_data.list_sessions(store, SessionFilter(status=SessionStatus.GEPLAND))
                if not session_data.has_events(store, p.id))
    row_before = tuple(store.query_one("SELECT * FROM sessions WHERE id = ?", (plan.id,)))
    roster_before = store.query("SELECT * FROM session_candidates WHERE session_id = ? ORDER BY candidate_id",
                                (plan.id,))
    moved = _session(plan.id, start="06:00", day=plan.session_date.isoformat())
    path = commission(tmp_path / "herpland.examdesk", _package(store, sessions=[moved]), [forger.package_entry(moved)])
    summary = _import_as_surveillant(store, path)
    assert summary.sessions[0].action.startswith("overgeslagen")
    assert tuple(store.query_one("SELECT * FROM sessions WHERE id = ?", (plan.id,))) == row_before
    assert store.query("SELECT * FROM session_candidates WHERE session_id = ? ORDER BY candidate_id",
                       (plan.id,)) == roster_before


def test_json_keys_never_become_sql(store, tmp_path, commission):
    """The 'kwalificatie' whose keys once carried SQL that wrote every user's name and hash into its name."""
    evil_key = ("crebo, name, niveau, updated_at) SELECT '99999', (SELECT group_concat(username || ':' || "
                "password_hash) FROM users), 1, 'x' --")
    row = {evil_key: "", "crebo": "99998", "name": "x", "niveau": 1, "dossier": "", "dossier_crebo": "", "domain": "",
           "kind": "kwalificatie", "valid_from": None, "valid_until": None, "updated_at": "2027-01-01T00:00:00+01:00"}
    path = commission(tmp_path / "sql.examdesk", _package(store, qualifications=[row]), [])
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="andere velden dan ExamDesk schrijft"):
        _import_as_surveillant(store, path)
    assert dump(store) == before
    assert store.query_one("SELECT count(*) FROM qualifications WHERE name LIKE '%scrypt$%'")[0] == 0


def test_a_package_with_a_value_of_the_wrong_type_is_refused(store, tmp_path, commission):
    room_as_text = _package(store)
    room_as_text["rooms"][0]["workstations"] = "30; DROP TABLE users"
    path = commission(tmp_path / "soort.examdesk", room_as_text, [])
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="verkeerde soort of lengte"):
        _import_as_surveillant(store, path)
    assert dump(store) == before


# --- forged records -------------------------------------------------------------------------------

@pytest.fixture
def office(store, tmp_path, office_key):
    """The office database with a planned central session (the demo's surveillant invigilates it), and the
    forger's key confirmed here as an exam PC's: what an invigilator with that PC's account holds."""
    clock = Clock(at(8, 0))
    sid, ids = plan_session(store, clock, count=3, start=time(9, 0))
    exam_pc = trusted(store, tmp_path, "afnameverslag", office_key)
    return store, sid, ids, exam_pc, office_key


def _genuine(ids: list[int]) -> list[dict[str, Any]]:
    """The start of a session as an exam PC records it: receipt, present, start."""
    return [
        {"occurred_at": "2027-03-10T08:40:00+01:00", "username": "surveillant", "kind": "receipt",
         "data": {"received_by": "Jan Bakker", "intact": True, "remark": ""}},
        {"occurred_at": "2027-03-10T08:55:00+01:00", "username": "surveillant", "kind": "present",
         "data": {"candidate_ids": ids[:2], "identity_checked": True}},
        {"occurred_at": "2027-03-10T09:02:00+01:00", "username": "surveillant", "kind": "start", "data": {}},
    ]


def _planned(store, sid: str) -> dict[str, Any]:
    """The session as a record carries it (the columns of schema v003 but the room)."""
    r = store.query_one("SELECT * FROM sessions WHERE id = ?", (sid,))
    return {k: r[k] for k in ("id", "exam_kind", "instrument_id", "central_exam", "title", "session_date", "starts_at",
                              "duration_minutes", "variant", "period", "late_limit_minutes", "status", "created_at",
                              "created_by")}


def _record(office, extra: list[dict[str, Any]], tmp_path: Path, name: str = "verslag.examdesk",
            created_by: str = "surveillant") -> Path:
    store, sid, ids, exam_pc, office_key = office
    rows = forger.chain(sid, _genuine(ids) + extra)
    numbers = {r[0]: r[1] for r in store.query("SELECT id, student_number FROM candidates")}
    payload = {"sessions": [{"session": _planned(store, sid), "roster": [
        {"candidate_id": c, "student_number": numbers[c], "workstation": n + 1} for n, c in enumerate(ids)],
        "events": rows}], "users": []}
    return forger.write(tmp_path / name, "afnameverslag", payload, [forger.record_entry(sid, rows)], signer=exam_pc,
                        recipients=[office_key], created_by=created_by)


def _import_as_bureau(store, path: Path):
    return ExchangeService(context(store, "bureau", Clock(at(13, 0)))).import_file(path)


def test_a_genuine_hand_built_record_is_read(office, tmp_path):
    store, sid, ids, _, _ = office
    summary = _import_as_bureau(store, _record(office, [], tmp_path))
    assert summary.added_events == 3
    assert session_data.session(store, sid).status == SessionStatus.BEZIG


ROUTE = {"handler": "examencommissie", "handler_label": "examencommissie", "protocol_point": 6, "letter": None,
         "decision_to_inspectie": False, "serious": False, "note": ""}


def _incident(**values: Any) -> dict[str, Any]:
    return {"category": "ONWEL", "catalogue_version": "2026.1", "route": ROUTE, "all_candidates": False,
            "candidate_ids": [], "duration_minutes": None, "what_happened": "misselijk", "what_was_done": "",
            **values}


FORGERIES = [
    ("an end-time decision 'signed' as the commission",
     {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "commissie", "kind": "end_time_decision",
      "data": {"candidate_id": "CANDIDATE", "minutes": 60, "reason": "zomaar"}}, "besluit van de examencommissie"),
    ("a reopen by someone who is no invigilator",
     {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "bureau", "kind": "reopen",
      "data": {"reason": "nog even"}}, "besluit van de examencommissie"),
    ("an incident by a user who is not an invigilator of this session",
     {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "l.vandijk", "kind": "incident",
      "data": _incident(candidate_ids=["CANDIDATE"])}, "geen surveillant van deze afname"),
    ("an unknown kind", {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant", "kind": "grade",
                         "data": {"candidate_id": 1, "grade": 10}}, "Onbekende soort registratie"),
    ("an unknown key", {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant", "kind": "remark",
                        "data": {"text": "hallo", "sql": "DROP TABLE users"}}, "onbekend veld sql"),
    ("a bool for a number", {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant",
                             "kind": "incident", "data": _incident(duration_minutes=True)}, "geheel getal"),
    ("a text of a megabyte", {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant",
                              "kind": "remark", "data": {"text": "x" * 1_000_000}}, "langer dan"),
    ("a candidate who is not in the roster",
     {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant", "kind": "incident",
      "data": _incident(candidate_ids=[999_999])}, "niet in deze afname staat"),
    ("a late candidate admitted after the limit",
     {"occurred_at": "2027-03-10T09:45:00+01:00", "username": "surveillant", "kind": "late",
      "data": {"candidate_id": "LAST", "admitted": True, "limit": "2027-03-10T10:02:00+01:00"}}, "klopt niet"),
    ("an incident dated on another day",
     {"occurred_at": "2027-03-12T09:30:00+01:00", "recorded_at": "2027-03-12T09:30:00+01:00",
      "username": "surveillant", "kind": "incident", "data": _incident(candidate_ids=["CANDIDATE"])},
     "buiten de afname"),
    ("an event recorded before it happened",
     {"occurred_at": "2027-03-10T11:30:00+01:00", "recorded_at": "2027-03-10T09:30:00+01:00",
      "username": "surveillant", "kind": "remark", "data": {"text": "uit de toekomst"}}, "later dan nu"),
    ("a text no UTF-8 can hold", {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant",
                                  "kind": "remark", "data": {"text": "half \ud800 teken"}}, "ongeldig teken"),
    ("a user name no UTF-8 can hold", {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "jan\udfff",
                                       "kind": "remark", "data": {"text": "x"}}, "onvolledig of onleesbaar"),
    ("a void of something that is not there",
     {"occurred_at": "2027-03-10T09:30:00+01:00", "username": "surveillant", "kind": "void",
      "data": {"reason": "weg ermee"}, "corrects": "00000000-0000-0000-0000-000000000000"}, "verwijst naar"),
]


@pytest.mark.parametrize(("what", "event", "reason"), FORGERIES, ids=[f[0] for f in FORGERIES])
def test_a_forged_record_is_refused_and_changes_nothing(office, tmp_path, what, event, reason):
    store, sid, ids, _, _ = office
    data = event.get("data", {})
    if isinstance(data, dict):
        data = {k: (ids[0] if v == "CANDIDATE" else ids[-1] if v == "LAST" else
                    [ids[0] if x == "CANDIDATE" else x for x in v] if isinstance(v, list) else v)
                for k, v in data.items()}
    path = _record(office, [{**event, "data": data}], tmp_path)
    before = dump(store)
    with pytest.raises(ExchangeRefused, match=reason):
        _import_as_bureau(store, path)
    assert dump(store) == before, what


def test_a_forged_event_after_a_genuine_import_is_refused(office, tmp_path):
    """A record read before, then the same chain with a commission decision appended by hand."""
    store, sid, ids, _, _ = office
    _import_as_bureau(store, _record(office, [], tmp_path))
    later = [{"occurred_at": "2027-03-10T09:40:00+01:00", "username": "surveillant", "kind": "end_time_decision",
              "data": {"candidate_id": ids[0], "minutes": 30, "reason": "zelf besloten"}}]
    path = _record(office, later, tmp_path, "later.examdesk")
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="besluit van de examencommissie"):
        _import_as_bureau(store, path)
    assert dump(store) == before


def test_a_record_exported_by_someone_who_is_no_invigilator_of_the_session_is_refused(office, tmp_path):
    """The exam PC's key vouches for the PC; the record must still come from an invigilator of the session."""
    store, *_ = office
    path = _record(office, [], tmp_path, created_by="l.vandijk")
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="gemaakt door l.vandijk, die hier geen surveillant van deze afname is"):
        _import_as_bureau(store, path)
    assert dump(store) == before


RECORD_PARTS = [
    ("an unknown part", lambda p: p.update(extra=[1]), "niet de onderdelen"),
    ("a user row with another field", lambda p: p.update(users=[{"id": 1, "username": "x", "full_name": "y",
                                                                 "password_hash": "z"}]), "andere velden"),
    ("a roster row with another field", lambda p: p["sessions"][0]["roster"][0].update(birth_date="2008-01-01"),
     "andere velden"),
    ("a session with a field of the wrong type", lambda p: p["sessions"][0]["session"].update(duration_minutes="90"),
     "verkeerde soort"),
    ("a candidate twice in the roster", lambda p: p["sessions"][0]["roster"].append(p["sessions"][0]["roster"][0]),
     "twee keer"),
]


@pytest.mark.parametrize(("what", "change", "reason"), RECORD_PARTS, ids=[r[0] for r in RECORD_PARTS])
def test_a_record_carries_nothing_but_what_an_exam_pc_writes(office, tmp_path, what, change, reason):
    store, sid, ids, exam_pc, office_key = office
    rows = forger.chain(sid, _genuine(ids))
    numbers = {r[0]: r[1] for r in store.query("SELECT id, student_number FROM candidates")}
    payload = {"sessions": [{"session": _planned(store, sid), "roster": [
        {"candidate_id": c, "student_number": numbers[c], "workstation": n + 1} for n, c in enumerate(ids)],
        "events": rows}], "users": []}
    change(payload)
    path = forger.write(tmp_path / "verslag.examdesk", "afnameverslag", payload, [forger.record_entry(sid, rows)],
                        signer=exam_pc, recipients=[office_key])
    before = dump(store)
    with pytest.raises(ExchangeRefused, match=reason):
        _import_as_bureau(store, path)
    assert dump(store) == before, what
