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
