"""Red team, the forger (issue 11 "Done when"): someone who has read docs/exchange.md, holds every file that
travels and — the strongest forger the threat model names — the key of a *pinned* exam PC (an invigilator
with that PC's Windows account). Files are built with tests/exchange_forger.py (standard library and
`cryptography` only). Each attack is refused with a Dutch sentence and the database unchanged, or — where
the attack is that something is accepted — the test shows it is not."""

from __future__ import annotations

import json
import zipfile
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from examdesk.data import sessions as session_data
from examdesk.domain.exchange import ExchangeRefused
from examdesk.services.exchange import ExchangeService
from examdesk.services.exchange_keys import ExchangeKeyService
from tests import exchange_forger as forger
from tests.exchange_support import dump
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def office_key(store, tmp_path) -> forger.Recipient:
    """The office's exchange key, as every file it sends names it in its readable manifest."""
    bureau = ExchangeService(context(store, "bureau", Clock(at(7, 0))))
    sent = bureau.export_package([bureau.package_choices()[0].id], tmp_path / "van-het-kantoor.examdesk")
    return forger.sender_of(sent.path)


def exam_pc(store, tmp_path: Path, office: forger.Recipient, name: str) -> forger.Key:
    """An exam PC whose key a beheerder confirmed here (from a first, empty record it signed)."""
    key = forger.Key.new()
    first = forger.write(tmp_path / f"eerste-{name}.examdesk", "afnameverslag", {"sessions": [], "users": []}, [],
                         signer=key, recipients=[office], sequence=1)
    ExchangeKeyService(context(store, "beheerder", Clock(at(7, 0)))).trust(first, key.fingerprint, name)
    return key


def _planned(store, sid: str) -> dict[str, Any]:
    r = store.query_one("SELECT * FROM sessions WHERE id = ?", (sid,))
    return {k: r[k] for k in ("id", "exam_kind", "instrument_id", "central_exam", "title", "session_date", "starts_at",
                              "duration_minutes", "variant", "period", "late_limit_minutes", "status", "created_at",
                              "created_by")}


def _start(ids: list[int]) -> list[dict[str, Any]]:
    """The start of a session as an exam PC records it (fixed ids: a later record of the same PC repeats them)."""
    return [
        {"id": "e0000000-0000-4000-8000-000000000001", "occurred_at": "2027-03-10T08:40:00+01:00",
         "username": "surveillant", "kind": "receipt", "data": {"received_by": "Jan Bakker", "intact": True,
                                                                "remark": ""}},
        {"id": "e0000000-0000-4000-8000-000000000002", "occurred_at": "2027-03-10T08:55:00+01:00",
         "username": "surveillant", "kind": "present", "data": {"candidate_ids": ids[:2], "identity_checked": True}},
        {"id": "e0000000-0000-4000-8000-000000000003", "occurred_at": "2027-03-10T09:02:00+01:00",
         "username": "surveillant", "kind": "start", "data": {}},
    ]


def _remark(text: str, hh_mm: str = "09:30") -> dict[str, Any]:
    return {"occurred_at": f"2027-03-10T{hh_mm}:00+01:00", "username": "surveillant", "kind": "remark",
            "data": {"text": text}}


def record(store, sid: str, ids: list[int], events: list[dict[str, Any]], path: Path, signer: forger.Key,
           office: forger.Recipient, created_by: str = "surveillant") -> Path:
    rows = forger.chain(sid, events)
    numbers = {r[0]: r[1] for r in store.query("SELECT id, student_number FROM candidates")}
    payload = {"sessions": [{"session": _planned(store, sid), "roster": [
        {"candidate_id": c, "student_number": numbers[c], "workstation": n + 1} for n, c in enumerate(ids)],
        "events": rows}], "users": []}
    return forger.write(path, "afnameverslag", payload, [forger.record_entry(sid, rows)], signer=signer,
                        recipients=[office], created_by=created_by)


def _import(store, path: Path):
    return ExchangeService(context(store, "bureau", Clock(at(13, 0)))).import_file(path)


# --- a pinned exam PC writes for a session it was not given -------------------------------------------------

@pytest.fixture
def two_pcs(store, tmp_path, office_key):
    """One session, run on exam PC A; exam PC B is pinned here too (it runs other sessions)."""
    sid, ids = plan_session(store, Clock(at(8, 0)), count=3, start=time(9, 0))
    a = exam_pc(store, tmp_path, office_key, "laptop A")
    b = exam_pc(store, tmp_path, office_key, "laptop B")
    return sid, ids, a, b


def test_another_exam_pc_cannot_add_to_a_session_read_from_the_pc_that_ran_it(store, tmp_path, office_key, two_pcs):
    sid, ids, a, b = two_pcs
    _import(store, record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key))
    forged = record(store, sid, ids, [_remark("kandidaat 2 keek af")], tmp_path / "b.examdesk", b, office_key)
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="andere examenpc"):
        _import(store, forged)
    assert dump(store) == before
    # the PC that ran it still adds to it
    more = record(store, sid, ids, [*_start(ids), _remark("rustig verloop")], tmp_path / "a2.examdesk", a,
                  office_key)
    assert _import(store, more).added_events == 1


def test_a_session_sent_to_one_exam_pc_takes_no_record_from_another(store, tmp_path, office_key, two_pcs):
    sid, ids, a, b = two_pcs
    bureau = ExchangeService(context(store, "bureau", Clock(at(7, 30))))
    bureau.export_package([sid], tmp_path / "voor-a.examdesk", recipient=a.fingerprint)
    forged = record(store, sid, ids, _start(ids), tmp_path / "b.examdesk", b, office_key)
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="andere examenpc"):
        _import(store, forged)
    assert dump(store) == before
    assert _import(store, record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key)
                   ).added_events == 3
    assert len(session_data.events(store, sid)) == 3


# --- the readable manifest: JSON that parses two ways ------------------------------------------------------

def _with_manifest_text(path: Path, out: Path, text: bytes) -> Path:
    return forger.repack(path, out, {"manifest.json": text})


def test_a_manifest_with_a_duplicate_key_is_refused(store, tmp_path, office_key, two_pcs):
    """The signature covers the *parsed* manifest; a duplicate key means another reader (one that keeps the
    first value) would see another file than the one that was checked. ExamDesk never writes one."""
    sid, ids, a, _ = two_pcs
    genuine = record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key)
    text = forger.members(genuine)["manifest.json"]
    doubled = text.replace(b'{"format":', b'{"kind": "afnamepakket", "format":', 1)
    assert doubled != text and json.loads(doubled) == json.loads(text)
    path = _with_manifest_text(genuine, tmp_path / "dubbel.examdesk", doubled)
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="twee keer"):
        _import(store, path)
    assert dump(store) == before


def test_content_with_a_duplicate_key_is_refused(store, tmp_path, office_key, two_pcs):
    sid, ids, a, _ = two_pcs
    rows = forger.chain(sid, _start(ids))
    numbers = {r[0]: r[1] for r in store.query("SELECT id, student_number FROM candidates")}
    payload = {"sessions": [{"session": _planned(store, sid), "roster": [
        {"candidate_id": c, "student_number": numbers[c], "workstation": n + 1} for n, c in enumerate(ids)],
        "events": rows}], "users": []}
    entry = forger.record_entry(sid, rows)
    inner = {"file_id": "F", "kind": "afnameverslag"}
    text = json.dumps({"manifest": inner, "content": payload}).encode()
    # a second 'users' part before the real one: a parser that keeps the first would read another record
    text = text.replace(b'"content": {', b'"content": {"users": [{"id": 1, "username": "x", "full_name": "y"}], ', 1)
    file_id = "0b8e2a7c-3f8d-4c55-9a3b-2f1e6d7c8a90"
    inner_full = {"file_id": file_id, "kind": "afnameverslag", "created_at": "2027-03-10T12:00:00+01:00",
                  "created_by": "surveillant", "created_by_name": "Jan Bakker", "app_version": "ExamDesk 1.0",
                  "database_id": a.database_id, "institution": {"name": "ROC Midden-Holland", "brin": "25PZ"},
                  "catalogue_version": "", "sessions": [entry]}
    text = text.replace(json.dumps(inner).encode(), json.dumps(inner_full).encode())
    path = forger.write(tmp_path / "dubbel-inhoud.examdesk", "afnameverslag", payload, [entry], signer=a,
                        recipients=[office_key], file_id=file_id, plain=text)
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="twee keer"):
        _import(store, path)
    assert dump(store) == before


# --- member names, encodings ------------------------------------------------------------------------------

NAMES = ["../manifest.json", "/manifest.json", "manifest.json/", "Manifest.json", "manifest.json\\",
         "..\\..\\manifest.json"]


@pytest.mark.parametrize("name", NAMES)
def test_a_member_under_another_name_or_path_is_refused(store, tmp_path, office_key, two_pcs, name):
    sid, ids, a, _ = two_pcs
    genuine = record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key)
    found = forger.members(genuine)
    out = tmp_path / "pad.examdesk"
    out.write_bytes(forger.zipped([("inhoud.bin", found["inhoud.bin"], zipfile.ZIP_STORED),
                                   ("handtekening.json", found["handtekening.json"], zipfile.ZIP_STORED),
                                   (name, found["manifest.json"], zipfile.ZIP_STORED)]))
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="Er is niets ingelezen"):
        _import(store, out)
    assert dump(store) == before
    assert not (tmp_path.parent / "manifest.json").exists()


def test_a_member_named_twice_is_refused(store, tmp_path, office_key, two_pcs):
    sid, ids, a, _ = two_pcs
    genuine = record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key)
    found = forger.members(genuine)
    out = tmp_path / "twee.examdesk"
    with pytest.warns(UserWarning):     # the zip module itself warns about the duplicate name
        out.write_bytes(forger.zipped([("inhoud.bin", found["inhoud.bin"], zipfile.ZIP_STORED),
                                       ("manifest.json", b"{}", zipfile.ZIP_STORED),
                                       ("manifest.json", found["manifest.json"], zipfile.ZIP_STORED)]))
    with pytest.raises(ExchangeRefused, match="Er is niets ingelezen"):
        _import(store, out)


ENCODINGS = [
    ("UTF-16 with a byte order mark", lambda t: t.decode().encode("utf-16")),
    ("UTF-16, odd length", lambda t: t.decode().encode("utf-16")[:-1]),
    ("UTF-8 with a byte order mark", lambda t: b"\xef\xbb\xbf" + t),
    ("Latin-1 bytes", lambda t: t.replace(b'"ExamDesk 1.0"', b'"ExamDesk \xe9"')),
    ("a lone surrogate escaped", lambda t: t.replace(b'"ExamDesk 1.0"', b'"ExamDesk \\ud800"')),
    ("a NUL byte", lambda t: t + b"\x00"),
]


@pytest.mark.parametrize(("what", "change"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_a_manifest_in_an_odd_encoding_is_refused_in_dutch(store, tmp_path, office_key, two_pcs, what, change):
    sid, ids, a, _ = two_pcs
    genuine = record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key)
    path = _with_manifest_text(genuine, tmp_path / "codering.examdesk", change(forger.members(genuine)["manifest.json"]))
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="Er is niets ingelezen"):
        _import(store, path)
    assert dump(store) == before


def test_many_sessions_in_one_record_are_refused_before_they_are_read(store, tmp_path, office_key, two_pcs):
    sid, ids, a, _ = two_pcs
    entries = [forger.record_entry(f"{n:08d}-0000-4000-8000-000000000000", []) for n in range(1_001)]
    path = forger.write(tmp_path / "veel.examdesk", "afnameverslag", {"sessions": [], "users": []}, entries,
                        signer=a, recipients=[office_key])
    before = dump(store)
    with pytest.raises(ExchangeRefused, match="Er is niets ingelezen"):
        _import(store, path)
    assert dump(store) == before


def test_a_record_replayed_after_it_was_read_adds_nothing(store, tmp_path, office_key, two_pcs):
    sid, ids, a, _ = two_pcs
    path = record(store, sid, ids, _start(ids), tmp_path / "a.examdesk", a, office_key)
    _import(store, path)
    events = session_data.events(store, sid)
    assert _import(store, path).added_events == 0
    assert session_data.events(store, sid) == events
