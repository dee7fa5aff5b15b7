"""One typed payload per event kind: it reads back exactly what was stored (so every existing hash chain
still verifies) and refuses what ExamDesk never writes — unknown kinds and keys, wrong types, sizes."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examdesk.domain.errors import ValidationError
from examdesk.domain.session_events import (
    KIND_LABELS,
    PAYLOAD_TYPES,
    Kind,
    Unreadable,
    parse_payload,
    read_payload,
)

ROUTE = {"handler": "inspectie", "handler_label": "melden bij de Inspectie", "protocol_point": 9, "letter": "b",
         "decision_to_inspectie": False, "serious": False, "note": ""}
SUMMARY = {"planned": 2, "took_part": 1, "absent": ["A"], "late": [], "refused": [], "unwell": [], "left": [],
           "incidents": ["09:30 Onwel"], "disruptions": [], "facilities": [], "staff": ["Jan Bakker"],
           "started_at": "09:02", "ended_at": "11:02", "date": "10-03-2027"}
EXAMPLES = {
    Kind.RECEIPT: {"received_by": "Jan Bakker", "intact": False, "remark": "zegel verbroken"},
    Kind.PRESENT: {"candidate_ids": [3, 1], "identity_checked": True},
    Kind.ABSENT: {"candidate_id": 4, "valid_reason": None, "remark": "niet verschenen"},
    Kind.START: {},
    Kind.LATE: {"candidate_id": 2, "admitted": True, "limit": "2027-03-10T09:32:00+01:00"},
    Kind.PAUSE: {"candidate_ids": None, "reason": "stroomstoring"},
    Kind.RESUME: {"pause_id": "5b8c", "minutes": 8},
    Kind.INCIDENT: {"category": "GEHEIMHOUDING", "catalogue_version": "2026.1", "route": ROUTE,
                    "all_candidates": False, "candidate_ids": [1], "duration_minutes": None,
                    "what_happened": "Opgaven in een groepsapp", "what_was_done": ""},
    Kind.CANDIDATE_STATUS: {"candidate_id": 1, "status": "aanwezig", "remark": ""},
    Kind.REMARK: {"text": "Raam open"},
    Kind.END: {},
    Kind.CLOSE: {"summary": SUMMARY, "staff": ["Jan Bakker"]},
    Kind.REOPEN: {"reason": "controle"},
    Kind.END_TIME_DECISION: {"candidate_id": 1, "minutes": 15, "reason": "trein"},
    Kind.VOID: {"reason": "vergissing"},
    Kind.FOUND_INCIDENT: {"category": "FRAUDE_KANDIDAAT", "catalogue_version": "2026.1", "route": ROUTE,
                          "all_candidates": False, "candidate_ids": [1], "duration_minutes": None,
                          "what_happened": "Antwoorden in een groepsapp, een week later gemeld",
                          "what_was_done": "", "found_on": "2027-03-17", "found_how": "melding_docent",
                          "reported_by": "J. de Vries"},
}


def rebuilt(p):
    """The JSON a payload makes from its fields (not the dict it was read from and keeps for the hash)."""
    return replace(p, stored=None).to_json()


def test_every_kind_has_a_payload_type_and_an_example():
    assert set(PAYLOAD_TYPES) == set(Kind) == set(EXAMPLES) == set(KIND_LABELS)


@pytest.mark.parametrize("kind", list(Kind))
def test_a_payload_gives_back_exactly_the_dict_it_read(kind):
    p = parse_payload(kind, EXAMPLES[kind])
    assert p.kind == kind
    assert json.dumps(rebuilt(p), sort_keys=True) == json.dumps(EXAMPLES[kind], sort_keys=True)


def test_every_event_of_the_demo_reads_typed_and_round_trips(store):
    rows = store.query("SELECT kind, data FROM session_events")
    assert len(rows) > 50
    for kind, data in rows:
        stored = json.loads(data)
        p = read_payload(kind, stored)
        assert not isinstance(p, Unreadable), (kind, p)
        assert rebuilt(p) == stored


chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.text(chars, max_size=60)
ids = st.lists(st.integers(1, 10**9), unique=True, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({
    "category": st.text(chars, min_size=1, max_size=20).filter(str.strip),
    "catalogue_version": st.text(chars, max_size=10),
    "route": st.fixed_dictionaries({
        "handler": st.sampled_from(["examencommissie", "inspectie", "minister"]), "handler_label": texts,
        "protocol_point": st.none() | st.integers(6, 10), "letter": st.none() | st.sampled_from("abcdef"),
        "decision_to_inspectie": st.booleans(), "serious": st.booleans(), "note": texts}),
    "all_candidates": st.just(False), "candidate_ids": ids, "duration_minutes": st.none() | st.integers(0, 600),
    "what_happened": st.text(chars, min_size=1, max_size=200).filter(str.strip), "what_was_done": texts}))
def test_any_incident_that_passes_round_trips(data):
    assert rebuilt(parse_payload("incident", data)) == data


@pytest.mark.parametrize(("kind", "data", "reason"), [
    ("grade", {"candidate_id": 1}, "Onbekende soort registratie"),
    (Kind.REMARK, {"text": "x", "extra": 1}, "onbekend veld extra"),
    (Kind.REMARK, {}, "het veld text ontbreekt"),
    (Kind.REMARK, {"text": "   "}, "is leeg"),
    (Kind.REMARK, {"text": "x" * 4001}, "langer dan 4000"),
    (Kind.REMARK, {"text": "half \ud800 teken"}, "ongeldig teken"),
    (Kind.REMARK, ["text"], "niet de vorm"),
    (Kind.ABSENT, {"candidate_id": True, "valid_reason": None, "remark": ""}, "geheel getal"),
    (Kind.ABSENT, {"candidate_id": 1.0, "valid_reason": None, "remark": ""}, "geheel getal"),
    (Kind.ABSENT, {"candidate_id": "1", "valid_reason": None, "remark": ""}, "geheel getal"),
    (Kind.ABSENT, {"candidate_id": 1, "valid_reason": 1, "remark": ""}, "ja of nee"),
    (Kind.PRESENT, {"candidate_ids": [1, 1], "identity_checked": True}, "twee keer"),
    (Kind.PRESENT, {"candidate_ids": list(range(1, 502)), "identity_checked": True}, "meer dan 500"),
    (Kind.PRESENT, {"candidate_ids": [], "identity_checked": True}, "geen kandidaat"),
    (Kind.LATE, {"candidate_id": 1, "admitted": True, "limit": "09:30"}, "geen tijdstip|geen tijdzone"),
    (Kind.RESUME, {"pause_id": "p", "minutes": -1}, "tussen 0 en"),
    (Kind.END_TIME_DECISION, {"candidate_id": 1, "minutes": 500, "reason": "x"}, "tussen 1 en 120"),
    (Kind.CANDIDATE_STATUS, {"candidate_id": 1, "status": "geslaagd", "remark": ""}, "onbekende status"),
    (Kind.INCIDENT, {**EXAMPLES[Kind.INCIDENT], "route": {**ROUTE, "handler": "rector"}}, "onbekende behandelaar"),
    (Kind.INCIDENT, {**EXAMPLES[Kind.INCIDENT], "route": {**ROUTE, "protocol_point": 12}}, "tussen 6 en 10"),
    (Kind.INCIDENT, {**EXAMPLES[Kind.INCIDENT], "all_candidates": True}, "noemt geen losse kandidaten"),
    (Kind.INCIDENT, {**EXAMPLES[Kind.INCIDENT], "duration_minutes": True}, "geheel getal"),
    (Kind.CLOSE, {"summary": {**SUMMARY, "took_part": 3}, "staff": []}, "tussen 0 en 2"),
    (Kind.START, {"at": "09:00"}, "onbekend veld at"),
])
def test_what_examdesk_never_writes_is_refused_in_dutch(kind, data, reason):
    with pytest.raises(ValidationError, match=reason):
        parse_payload(kind, data)


def test_storage_never_fails_to_read_a_row_but_says_it_is_unreadable():
    p = read_payload("remark", {"text": 5})
    assert isinstance(p, Unreadable) and "tekst" in p.reason and p.to_json() == {"text": 5}


def test_a_field_added_later_leaves_the_rows_stored_before_it_as_they_were():
    """'Adding a field to an incident touches the payload type, the form and the document': the new key
    is OPTIONAL with a default, old rows read without it and hash as before."""
    from examdesk.domain.session_events import RemarkPayload

    @dataclass(frozen=True)
    class RemarkWithTone(RemarkPayload):
        KEYS: ClassVar[tuple[str, ...]] = ("text", "tone")
        OPTIONAL: ClassVar[frozenset[str]] = frozenset({"tone"})
        tone: str = "neutraal"

    old = RemarkWithTone.from_json({"text": "Raam open"})
    assert old.tone == "neutraal" and rebuilt(old) == {"text": "Raam open"}
    new = RemarkWithTone("Raam open", tone="streng")
    assert rebuilt(RemarkWithTone.from_json(new.to_json())) == {"text": "Raam open", "tone": "streng"}
    with pytest.raises(ValidationError, match="het veld text ontbreekt"):
        RemarkWithTone.from_json({"tone": "x"})


@settings(max_examples=200, deadline=None)
@given(st.text(chars), st.text(chars), st.integers(1, 10**9), st.text(chars), st.text(chars),
       st.none() | st.integers(1, 10**9), st.text(chars), st.none() | st.text(chars),
       st.text(chars, min_size=1).filter(str.strip))
def test_the_fast_chain_hash_is_the_documented_one(event_id, session_id, seq, occurred, recorded, user_id, username,
                                                   corrects, text):
    """chain_hash assembles the canonical row from the payload's cached JSON; it must be byte for byte the
    SHA-256 over the previous hash and json.dumps(row, sort_keys, compact, UTF-8) that docs/exchange.md names."""
    from examdesk.domain.session_events import RemarkPayload, chain_hash, event_hash

    payload = RemarkPayload(text)
    prev = "a" * 64
    assert chain_hash(prev, event_id, session_id, seq, occurred, recorded, user_id, username, "remark",
                      payload.canonical(), corrects) == event_hash(prev, event_id, session_id, seq, occurred, recorded, user_id, username,
                                              "remark", payload.to_json(), corrects)


def test_a_keyed_chain_hash_is_rfc_2104_hmac_sha256_over_the_documented_bytes():
    """The session chains' keyed hash (v011) is plain HMAC-SHA256 (docs/exchange.md), however it is computed."""
    import hashlib
    import hmac

    from examdesk.domain.fingerprint import canonical_json
    from examdesk.domain.session_events import RemarkPayload, chain_hash, event_hash, new_event

    key = bytes(range(32))
    payload = RemarkPayload("Raam open gezet")
    body = {"id": "e1", "session_id": "s1", "seq": 2, "occurred_at": "2027-03-10T09:00:00+01:00",
            "recorded_at": "2027-03-10T09:00:00+01:00", "user_id": 3, "username": "surveillant", "kind": "remark",
            "data": payload.to_json(), "corrects": None}
    expected = hmac.new(key, b"a" * 64 + canonical_json(body), hashlib.sha256).hexdigest()
    assert event_hash("a" * 64, "e1", "s1", 2, body["occurred_at"], body["recorded_at"], 3, "surveillant", "remark",
                      payload.to_json(), None, key) == expected
    assert chain_hash("a" * 64, "e1", "s1", 2, body["occurred_at"], body["recorded_at"], 3, "surveillant", "remark",
                      payload.canonical(), None, key) == expected
    event = new_event("e1", "s1", 2, "a" * 64, body["occurred_at"], body["recorded_at"], 3, "surveillant", payload,
                      key=key)
    assert event.hash == expected
    moved = event.placed(5, "b" * 64, 7, key)
    assert (moved.seq, moved.user_id, moved.prev_hash, moved.payload, moved.occurred) == (5, 7, "b" * 64, payload,
                                                                                          event.occurred)
    assert moved.hash == event_hash("b" * 64, "e1", "s1", 5, body["occurred_at"], body["recorded_at"], 7,
                                    "surveillant", "remark", payload.to_json(), None, key)
    assert (event.seq, event.hash) == (2, expected)                  # the original is unchanged


@pytest.mark.parametrize("change, problem", [
    ({"found_on": "17-03-2027"}, "geen datum"),
    ({"found_how": "gerucht"}, "onbekende manier"),
    ({"duration_minutes": 5}, "geen duur"),
])
def test_an_incident_found_afterwards_refuses_what_exammdesk_never_writes(change, problem):
    with pytest.raises(ValidationError, match=problem):
        parse_payload(Kind.FOUND_INCIDENT, {**EXAMPLES[Kind.FOUND_INCIDENT], **change})


def test_an_incident_found_afterwards_is_an_incident_and_a_commission_kind():
    from examdesk.domain.session_events import COMMISSION_KINDS, IncidentPayload

    p = parse_payload(Kind.FOUND_INCIDENT, EXAMPLES[Kind.FOUND_INCIDENT])
    assert isinstance(p, IncidentPayload) and p.found_date.isoformat() == "2027-03-17"
    assert Kind.FOUND_INCIDENT in COMMISSION_KINDS
