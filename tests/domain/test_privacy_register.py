"""The register of personal data covers the schema exactly, and docs/privacy.md names every personal field.

A new column or table fails here until it is classified in `domain/privacy_register.py`: personal (with
its purpose) or reviewed as not personal."""

from __future__ import annotations

from pathlib import Path

from examdesk.data.db import open_store
from examdesk.domain.privacy_register import NOT_PERSONAL, PERSONAL, PURPOSES, classified

DOCS = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def _schema(path: Path) -> dict[str, set[str]]:
    store = open_store(path)
    try:
        tables = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        return {t: {r["name"] for r in store.query(f"PRAGMA table_info('{t}')")} for t in tables}
    finally:
        store.close()


def test_every_column_of_the_schema_is_in_the_register(empty_db):
    schema = _schema(empty_db)
    register = classified()
    missing = sorted(f"{t}.{c}" for t, cols in schema.items() for c in cols - register.get(t, set()))
    stale = sorted(f"{t}.{c}" for t, cols in register.items() for c in cols - schema.get(t, set()))
    assert not missing, ("columns not in the privacy register (domain/privacy_register.py): say whether they "
                         f"hold personal data and why: {missing}")
    assert not stale, f"register entries for columns that no longer exist: {stale}"


def test_a_column_is_personal_or_not_never_both():
    personal = {(f.table, f.column) for f in PERSONAL}
    plain = {(t, c) for t, cols in NOT_PERSONAL.items() for c in cols.split()}
    assert not personal & plain
    assert len(personal) == len(PERSONAL)


def test_every_personal_field_has_a_known_purpose_and_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for f in PERSONAL:
        assert f.purpose in PURPOSES, f.name
        assert f"`{f.name}`" in text, f"docs/privacy.md does not name {f.name}"
