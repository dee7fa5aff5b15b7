"""The layering rule of DESIGN.md, checked on every run: it erodes the day nothing checks it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "examdesk"

# The self test proves that a bundle can start Qt, so it may import it; nothing else outside ui/ may.
QT_ALLOWED_OUTSIDE_UI = {"services/selftest.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules() -> list[tuple[str, set[str]]]:
    return [(p.relative_to(PACKAGE).as_posix(), _imports(p)) for p in PACKAGE.rglob("*.py")]


def test_only_ui_imports_qt_widgets():
    offenders = [
        rel for rel, names in _modules()
        if not rel.startswith("ui/") and rel not in QT_ALLOWED_OUTSIDE_UI
        and any(n == "PySide6" or n.startswith("PySide6.") for n in names)
    ]
    assert offenders == [], f"PySide6 imported outside examdesk/ui/: {offenders}"


def test_only_data_imports_sqlite():
    offenders = [
        rel for rel, names in _modules()
        if not rel.startswith("data/") and any(n.split(".")[0] in ("sqlite3", "sqlite_utils") for n in names)
    ]
    assert offenders == [], f"sqlite3/sqlite_utils imported outside examdesk/data/: {offenders}"


def test_domain_and_reports_do_not_reach_up_or_into_storage():
    offenders = [
        rel for rel, names in _modules()
        if rel.split("/")[0] in ("domain", "reports")
        and any(n.startswith(("examdesk.services", "examdesk.ui", "examdesk.data")) for n in names)
    ]
    assert offenders == [], f"domain/ or reports/ imports services, ui or data: {offenders}"


def test_ui_runs_no_sql():
    offenders = [
        rel for rel, names in _modules()
        if rel.startswith("ui/") and any(n.startswith("examdesk.data") for n in names)
    ]
    assert offenders == [], f"ui imports the data layer: {offenders}"
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM"):
            assert keyword not in text, f"SQL in {path.name}: {keyword}"


def _reads_a_dict_named_data(node: ast.AST) -> bool:
    """`x.data[...]` or `x.data.get(...)`: reading a stored JSON payload by key."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "data":
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "data")


def test_no_module_outside_the_domain_reads_an_events_dict_by_key():
    """Issue 15: an event's meaning lives in its payload type (domain/session_events.py); nothing else
    reads its JSON by key — not in Python (`e.data.get(...)`) and not in SQL (json_extract on events)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("domain/") or rel.startswith("data/schema/"):
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{rel}:{n.lineno}" for n in ast.walk(ast.parse(text)) if _reads_a_dict_named_data(n)]
        if "json_extract" in text or "json_each" in text:
            offenders.append(f"{rel}: reads event JSON in SQL")
    assert offenders == [], f"event data read by key outside examdesk/domain/: {offenders}"


def test_the_schema_views_join_and_decide_nothing(empty_db):
    """Issue 15/16: the rules of an incident (status, handler, what to report) are computed in the domain and
    stored as columns; a view of the latest schema only joins — no CASE, no reading JSON."""
    import sqlite3

    conn = sqlite3.connect(empty_db)
    try:
        views = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall()
    finally:
        conn.close()
    assert views, "the schema has views"
    offenders = [name for name, sql in views
                 if any(word in sql.upper() for word in ("CASE", "JSON_EXTRACT", "JSON_EACH"))]
    assert offenders == [], f"views with rules in them: {offenders}"
