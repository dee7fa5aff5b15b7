"""tools/sql_inventory.py, the evidence behind the dialect decision (docs/architecture.md): it counts SQL
inside string constants, code outside them, and neither in docstrings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("sql_inventory", ROOT / "tools" / "sql_inventory.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["sql_inventory"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_constructs_are_counted_in_sql_strings_and_code_but_not_in_docstrings(tmp_path):
    (tmp_path / "part.py").write_text('''"""Uses PRAGMA and INSERT OR IGNORE in prose only."""
def add(store, rows):
    """Also prose: json_extract(x)."""
    store.conn.executemany("INSERT OR IGNORE INTO t (a, b) VALUES (?, ?)", rows)
    cur = store.write("INSERT INTO u (name) VALUES (:name)", {"name": "x"})  # PRAGMA in a comment
    return cur.lastrowid
''', encoding="utf-8")
    counts = _tool().inventory(tmp_path)
    found = {construct: sum(per_file.values()) for construct, per_file in counts.items() if per_file}
    assert found == {"`?` placeholders": 2, "`:name` placeholders": 1, "`INSERT OR IGNORE`": 1, "`executemany`": 1,
                     "`lastrowid` / `last_insert_rowid`": 1, "`store.conn` used directly": 1}


def test_the_real_data_layer_has_the_constructs_the_decision_names():
    tool = _tool()
    counts = tool.inventory()
    assert counts["`RAISE(ABORT, …)`"]["schema/v001_foundation.py"] == 2
    assert counts["`PRAGMA`"]["db.py"] > 0
    assert not any(f in tool.NOT_COUNTED for per_file in counts.values() for f in per_file)
    assert tool.table(counts).startswith("| construct | count |")
