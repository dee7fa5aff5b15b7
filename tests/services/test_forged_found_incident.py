"""An incident 'found afterwards' forged into an exam PC's record (issue 13 follow-up), end to end: the attacker
holds a pinned exam PC's signing key and builds the record file by hand (`tests/exchange_forger.py`) — a genuine
start of the session, then a well-formed ``found_incident`` event, chained and signed as the exam PC would. Only
the commission records an incident found afterwards, on its own PC; the import refuses the whole file with a Dutch
sentence that names the kind, and nothing in the database changes."""

from __future__ import annotations

from typing import Any

import pytest

from examdesk.domain.exchange import ExchangeRefused
from examdesk.domain.session_events import KIND_LABELS, Kind
from tests.exchange_support import dump
from tests.services.test_exchange_forgeries import (  # noqa: F401 (fixtures)
    _genuine,
    _import_as_bureau,
    _incident,
    _record,
    office,
    office_key,
)

FRAUD_ROUTE = {"handler": "examencommissie", "handler_label": "examencommissie", "protocol_point": 8, "letter": "a",
               "decision_to_inspectie": False, "serious": False, "note": ""}


def _found(candidate: int, username: str) -> dict[str, Any]:
    """A found_incident as the commission's own PC would write it: every field valid, dated after the session."""
    return {"occurred_at": "2027-03-10T09:30:00+01:00", "recorded_at": "2027-03-10T10:30:00+01:00",
            "username": username, "kind": "found_incident",
            "data": _incident(category="FRAUDE_KANDIDAAT", route=FRAUD_ROUTE, candidate_ids=[candidate],
                              what_happened="Antwoorden gedeeld in een groepsapp.", found_on="2027-03-10",
                              found_how="melding_docent", reported_by="J. de Vries (docent)")}


@pytest.mark.parametrize("username", ["surveillant", "commissie"])
def test_a_found_incident_forged_into_an_exam_pc_record_is_refused_and_changes_nothing(office, tmp_path,  # noqa: F811
                                                                                       username):
    store, _sid, ids, _exam_pc, _key = office
    path = _record(office, [_found(ids[0], username)], tmp_path, name=f"vals-{username}.examdesk")
    before = dump(store)
    label = KIND_LABELS[Kind.FOUND_INCIDENT]
    with pytest.raises(ExchangeRefused, match=f"'{label}' is een besluit van de examencommissie en kan niet in een "
                                              "afnameverslag van een examenpc staan"):
        _import_as_bureau(store, path)
    assert dump(store) == before


def test_the_same_record_without_the_forged_event_is_read(office, tmp_path):  # noqa: F811
    """The refusal is the event's, not the file's: the hand-built record is otherwise one the office accepts."""
    store, _sid, ids, _exam_pc, _key = office
    assert _genuine(ids)
    assert _import_as_bureau(store, _record(office, [], tmp_path)).added_events == 3
