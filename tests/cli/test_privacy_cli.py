"""`examdesk privacy …` and `examdesk export betrokkene`: what they say and their refusals in Dutch."""

from __future__ import annotations

import json

import pytest

from examdesk.cli import main
from examdesk.data.db import open_store


@pytest.fixture
def as_demo(monkeypatch):
    monkeypatch.setenv("EXAMDESK_PASSWORD", "demo")


def _number(path) -> str:
    store = open_store(path)
    try:
        return store.query_one("SELECT student_number FROM candidates ORDER BY id LIMIT 1")[0]
    finally:
        store.close()


def test_export_betrokkene_writes_pdf_and_json(demo_db, tmp_path, capsys, as_demo):
    number = _number(demo_db)
    out = tmp_path / "inzage"
    assert main(["export", "betrokkene", number, "--db", str(demo_db), "--user", "bureau", "--out", str(out)]) == 0
    assert "Inzage gemaakt" in capsys.readouterr().out
    record = json.loads((out / f"inzage_{number}.json").read_text(encoding="utf-8"))
    assert record["studentnummer"] == number and record["tabellen"]["candidates"]
    assert (out / f"inzage_{number}.pdf").read_bytes().startswith(b"%PDF")


def test_export_betrokkene_unknown_number_and_wrong_role(demo_db, tmp_path, capsys, as_demo):
    assert main(["export", "betrokkene", "999999", "--db", str(demo_db), "--user", "bureau",
                 "--out", str(tmp_path)]) == 1
    assert "geen kandidaat met studentnummer '999999'" in capsys.readouterr().err
    assert main(["export", "betrokkene", _number(demo_db), "--db", str(demo_db), "--user", "surveillant",
                 "--out", str(tmp_path)]) == 1
    assert "mag niet alle gegevens van een kandidaat exporteren" in capsys.readouterr().err
    assert not list(tmp_path.glob("inzage_*"))


def test_privacy_due_and_retention(demo_db, capsys, as_demo):
    assert main(["privacy", "due", "--db", str(demo_db), "--user", "beheerder"]) == 0
    assert "geen gegevens over de bewaartermijn" in capsys.readouterr().out
    assert main(["privacy", "bewaartermijn", "resultaten", "6", "--db", str(demo_db),
                 "--user", "beheerder"]) == 1
    assert "punt 18" in capsys.readouterr().err
    assert main(["privacy", "bewaartermijn", "--db", str(demo_db), "--user", "beheerder"]) == 0
    assert "resultaten = 24 maanden" in capsys.readouterr().out
    assert main(["privacy", "anonimiseer", _number(demo_db), "--db", str(demo_db), "--user", "beheerder"]) == 1
    assert "Niet op de lijst" in capsys.readouterr().err
