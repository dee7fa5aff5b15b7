"""Ids people can type: every command that names a session, incident or decision takes the full id or a
unique prefix of at least 8 characters, says so in Dutch when the prefix is unknown, ambiguous or too
short, and lists the most recent choices when no id is given."""

from __future__ import annotations

import re
import uuid

import pytest

from examdesk.cli import main
from examdesk.data import incident_desk as desk_data
from examdesk.data.db import open_store
from examdesk.data.reports import all_decisions
from examdesk.data.users import by_username
from examdesk.domain.errors import NotFound
from examdesk.domain.incident_desk import DecisionInput, IncidentFilter
from examdesk.services.context import AppContext
from examdesk.services.exchange import ExchangeService
from examdesk.services.ids import resolve_id
from tests.desk_support import SECOND, UNHEARD, desk, log, running
from tests.session_support import DAY, Clock, at

TWIN = "abcdef12"   # the first 8 characters every id made by the `twins` fixture shares


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def twins(demo_db, monkeypatch):
    """Beside the demo data: two running central sessions, two incidents each (one for the Inspectie, one
    fraud decided for a candidate), all with ids that begin with TWIN. Returns their ids by kind."""
    counter = iter(range(1, 10_000))
    uuids = pytest.MonkeyPatch()  # undone on its own: monkeypatch.undo() would also undo EXAMDESK_HOME
    uuids.setattr(uuid, "uuid4", lambda: uuid.UUID(f"{TWIN}-{next(counter):04d}-4000-8000-000000000000"))
    store = open_store(demo_db)
    clock = Clock(at(8, 30))
    made: dict[str, list[str]] = {"afname": [], "incident": [], "besluit": []}
    try:
        for tag in ("x", "y"):
            clock.set(8, 30)
            session, ids = running(store, clock, count=2, tag=tag)
            made["afname"].append(session.session_id)
            made["incident"].append(log(session, clock, "TE_VEEL_TIJD", (ids[1],), mm=40))
            fraud = log(session, clock, "FRAUDE_KANDIDAAT", (ids[0],))
            made["incident"].append(fraud)
            clock.set(15, 0)
            member = by_username(store, "commissie").id
            [decision] = desk(store, clock).decide(fraud, DecisionInput(
                candidate_ids=(ids[0],), decided_on=DAY, member_ids=(member,), measures=("cijfer_1",),
                reasoning="Spiekbriefje gevonden.", no_hearing_reason=UNHEARD), SECOND)
            made["besluit"].append(decision.id)
    finally:
        store.close()
        uuids.undo()
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")
    assert all(i.startswith(TWIN) for ids in made.values() for i in ids)
    return made


def _demo_id(demo_db, command: str) -> str:
    """A record of the demo data the command can make its document of."""
    store = open_store(demo_db)
    try:
        if command == "procesverbaal":
            rows = desk_data.page(store, IncidentFilter(category="TE_VEEL_TIJD"), 0, 10)
            return next(r.session_id for r in rows if not r.session_id.startswith(TWIN))
        if command == "inspectie":
            rows = desk_data.page(store, IncidentFilter(category="TE_VEEL_TIJD"), 0, 10)
            return next(r.incident_id for r in rows if not r.incident_id.startswith(TWIN))
        return next(d.id for d in all_decisions(store) if d.candidate_id and not d.id.startswith(TWIN))
    finally:
        store.close()


NOUN = {"procesverbaal": ("afname", "Afname"), "inspectie": ("incident", "Incident"),
        "besluit": ("besluit", "Besluit")}


@pytest.mark.parametrize("command", ["procesverbaal", "inspectie", "besluit"])
def test_report_commands_take_a_unique_prefix_and_explain_the_others(command, twins, demo_db, tmp_path, capsys):
    what, title = NOUN[command]
    out = tmp_path / f"{command}.pdf"
    base = ["report", command, "--out", out, "--db", demo_db, "--user", "commissie"]

    record = _demo_id(demo_db, command)
    code, stdout, err = run([*base[:2], record[:8], *base[2:]], capsys)
    assert (code, err) == (0, "") and out.read_bytes().startswith(b"%PDF") and "vingerafdruk" in stdout
    out.unlink()

    code, _, err = run([*base[:2], TWIN, *base[2:]], capsys)
    assert code == 1 and not out.exists()
    assert err.startswith(f"'{TWIN}' past bij meer dan één {what}: ") and err.count("\n") == 1
    shown = re.findall(rf"({TWIN}[0-9a-f-]*) \(", err)                # just long enough to tell them apart
    store = open_store(demo_db)
    try:
        assert sorted(resolve_id(store, what, prefix) for prefix in shown) == sorted(twins[what]), err
    finally:
        store.close()
    assert "Typ meer tekens van het id." in err

    code, _, err = run([*base[:2], "47f1429x", *base[2:]], capsys)
    assert (code, err) == (1, f"{title} '47f1429x' bestaat niet.\n") and not out.exists()

    code, _, err = run([*base[:2], TWIN[:7], *base[2:]], capsys)
    assert code == 1 and err == (f"'{TWIN[:7]}' is te kort: geef ten minste 8 tekens van het id van de {what}.\n")
    assert not out.exists()

    exact = twins[what][0]                                                      # (for incidents: TE_VEEL_TIJD)
    code, stdout, err = run([*base[:2], exact.upper(), *base[2:]], capsys)      # a full id, as pasted
    assert (code, err) == (0, "") and out.exists(), err

    code, stdout, err = run(base, capsys)                                       # no id: the recent choices
    assert code == 2 and stdout.splitlines() and "de eerste 8 tekens volstaan" in err
    listed = [line.split()[0] for line in stdout.splitlines() if not line.startswith("…")]
    assert all(len(x) == 8 for x in listed) and record[:8] in listed and len(listed) <= 20


def test_report_incidenten_takes_a_session_prefix(twins, demo_db, tmp_path, capsys):
    out = tmp_path / "overzicht.csv"
    base = ["report", "incidenten", "--van", "10-03-2027", "--tot", "10-03-2027", "--out", out, "--db", demo_db,
            "--user", "commissie"]
    code, _, err = run([*base, "--afname", TWIN], capsys)
    assert code == 1 and "past bij meer dan één afname" in err and not out.exists()
    session = twins["afname"][1]
    code, stdout, err = run([*base, "--afname", session[:20]], capsys)
    assert (code, err) == (0, "") and stdout.startswith("2 incidenten geschreven")
    text = out.read_text(encoding="utf-8-sig")
    assert all(i in text for i in twins["incident"][2:]) and twins["incident"][0] not in text


def test_exchange_takes_the_same_prefixes(twins, demo_db, tmp_path, capsys):
    out = tmp_path / "pakket"
    base = ["export", "sessies", "--db", demo_db, "--user", "bureau", "--out", out]
    store = open_store(demo_db)
    try:
        planned = ExchangeService(AppContext(store, by_username(store, "bureau"))).package_choices()[0].id
    finally:
        store.close()
    code, stdout, err = run([*base, "--ids", planned[:8]], capsys)
    assert (code, err) == (0, "") and "Afnamepakket opgeslagen" in stdout
    for typed, message in ((TWIN, f"'{TWIN}' past bij meer dan één afname: "),
                           ("47f1429x", "Afname '47f1429x' bestaat niet."),
                           (planned[:5], f"'{planned[:5]}' is te kort: geef ten minste 8 tekens")):
        code, _, err = run([*base[:-1], tmp_path / "ander", "--ids", typed], capsys)
        assert code == 1 and err.startswith(message), err
        assert not (tmp_path / "ander.examdesk").exists()
    code, _, err = run(["export", "verslag", "--db", demo_db, "--user", "bureau", "--out", tmp_path / "v",
                        "--sessies", TWIN], capsys)
    assert code == 1 and "past bij meer dan één afname" in err
    code, stdout, err = run(base, capsys)                                    # no ids: the choice
    assert code == 2 and planned[:8] in stdout and "de eerste 8 tekens volstaan" in err


def test_one_resolver_for_every_kind(twins, store):
    for what, ids in twins.items():
        assert resolve_id(store, what, ids[0]) == ids[0]
        assert resolve_id(store, what, f"  {ids[1].upper()} ") == ids[1]
    session = twins["afname"][0]
    assert resolve_id(store, "afname", session[:30]) == session


def test_a_withdrawn_incident_cannot_be_named(store):
    """Only incidents that stand can be named: the desk and the documents leave a withdrawn one out."""
    clock = Clock(at(8, 30))
    session, ids = running(store, clock, count=2, tag="v")
    incident = log(session, clock, "ONWEL", (ids[0],))
    assert resolve_id(store, "incident", incident[:8]) == incident
    clock.set(9, 45)
    session.void(incident, "Verkeerde kandidaat aangeklikt.")
    with pytest.raises(NotFound, match=f"Incident '{incident[:8]}' bestaat niet."):
        resolve_id(store, "incident", incident[:8])
