"""Counts every SQLite-specific construct in examdesk/data/ (and its schema steps), per file: the
evidence for the dialect decision in docs/architecture.md, *Twee databases* (issue 17).

    python tools/sql_inventory.py            # the Markdown table
    python tools/sql_inventory.py --check    # exit 1 if a construct has no counting rule left (for the tests)

SQL is counted inside Python string constants (docstrings left out), so words in comments do not
count; Python-level uses (executemany, lastrowid, sqlite3.*, sqlite-utils) are counted in the code.
The counts are of occurrences, not statements: a query with five `?` counts five.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examdesk" / "data"
# the central-mode groundwork itself: the PostgreSQL backend and the prototypes, not code the port must change
NOT_COUNTED = {"pg.py", "schema_def.py", "concurrency.py"}
SQL_HINT = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WHERE|VALUES|FROM|JOIN|CHECK|BEGIN|ORDER BY)\b|\?",
                      re.IGNORECASE)


# the 0/1 columns of the shipped schema (v001–v010): BOOLEAN on PostgreSQL
FLAG_COLUMNS = ("active", "formative", "voided", "serious", "decision_to_inspectie", "all_candidates", "heard",
                "minor", "not_before_next_period")


@dataclass(frozen=True)
class Rule:
    construct: str
    pattern: re.Pattern[str] | None     # in SQL strings
    code: re.Pattern[str] | None        # in Python code (outside strings)
    neutral: str                        # the dialect-neutral form, or what PostgreSQL needs


def _r(text: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(text, flags)


RULES = [
    Rule("`?` placeholders", _r(r"\?"), None, "kept; `translate` → `%s`"),
    Rule("`:name` placeholders", _r(r"(?<![:\w]):[a-z_]\w*"), None, "kept; `translate` → `%(name)s`"),
    Rule("`LIKE` (case-insensitive in SQLite)", _r(r"\bLIKE\b"), None, "kept; `translate` → `ILIKE`"),
    Rule("`INSERT OR IGNORE`", _r(r"INSERT\s+OR\s+IGNORE"), None, "`INSERT … ON CONFLICT DO NOTHING` (both)"),
    Rule("`INSERT OR REPLACE`", _r(r"INSERT\s+OR\s+REPLACE"), None, "`ON CONFLICT (key) DO UPDATE` (both)"),
    Rule("`ON CONFLICT … DO UPDATE` / `excluded.`", _r(r"ON\s+CONFLICT"), None, "already neutral"),
    Rule("`json_extract`", _r(r"\bjson_extract\s*\("), None, "leaves SQL with the typed events (issue 15); else `->>`"),
    Rule("`json_each`", _r(r"\bjson_each\s*\("), None, "`jsonb_array_elements`; or computed in Python"),
    Rule("`group_concat`", _r(r"\bgroup_concat\s*\("), None, "helper: `string_agg` on PostgreSQL"),
    Rule("`substr(…)` (dates, id prefixes)", _r(r"\bsubstr\s*\("), None, "already neutral (`substr(text, int, int)`)"),
    Rule("date functions (`date(`, `datetime(`, `julianday`, `strftime`)",
         _r(r"\b(date|datetime|julianday|strftime|unixepoch)\s*\("), None, "none: dates are ISO text from Python"),
    Rule("`PRAGMA`", _r(r"\bPRAGMA\b"), None, "SQLite backend only (`SqliteStore`, `backup.py`)"),
    Rule("`rowid`", _r(r"\browid\b"), None, "an explicit identity column (`incident_index` catch-up)"),
    Rule("`AUTOINCREMENT`", _r(r"\bAUTOINCREMENT\b"), None, "—"),
    Rule("`INTEGER PRIMARY KEY` (rowid alias)", _r(r"INTEGER\s+PRIMARY\s+KEY"), None,
         "`Type.IDENTITY` (assigned) or `Type.INTEGER` key (given)"),
    Rule("`CREATE TRIGGER`", _r(r"CREATE\s+TRIGGER"), None, "`AppendOnly`: one trigger function + TRUNCATE"),
    Rule("`RAISE(ABORT, …)`", _r(r"RAISE\s*\(\s*ABORT"), None, "`RAISE EXCEPTION … ERRCODE restrict_violation`"),
    Rule("`CREATE VIEW`", _r(r"CREATE\s+VIEW"), None, "neutral once the views only join (issue 15/16)"),
    Rule("`randomblob` / `hex(`", _r(r"\b(randomblob|hex)\s*\("), None, "value made in Python (`secrets`)"),
    Rule("`GLOB`", _r(r"\bGLOB\b"), None, "`Dialects(GLOB, ~ regex)` in a CHECK"),
    Rule("full-text search (`fts4`/`fts5`/`MATCH`)", _r(r"\b(fts[345]|MATCH)\b"), None, "—"),
    Rule("`COLLATE NOCASE`", _r(r"COLLATE\s+NOCASE"), None, "kept; ICU collation `nocase` on PostgreSQL"),
    Rule("`sqlite_master` / `sqlite_schema`", _r(r"\bsqlite_(master|schema)\b"), None, "`pg_catalog` (backend code)"),
    Rule("`BLOB`", _r(r"\bBLOB\b"), None, "`Type.BLOB` → `BYTEA`"),
    Rule("`BEGIN IMMEDIATE`", _r(r"BEGIN\s+IMMEDIATE"), None, "BEGIN + the writer lock (`PgStore`)"),
    Rule("flags compared with 0/1 (`active = 1`, `IN (0, 1)`)", _r(
        rf"\b(?:\w+\.)?(?:{'|'.join(FLAG_COLUMNS)})\s*(?:=|!=|<>)\s*[01]\b|IN\s*\(\s*0\s*,\s*1\s*\)"),
         None, "`= TRUE` / bare flag; Python `bool` parameters (both)"),
    Rule("`RETURNING`", _r(r"\bRETURNING\b"), None, "the neutral way to get a new id"),
    Rule("`executemany`", None, _r(r"\.\s*executemany\s*\("), "kept (`PgConnection.executemany`)"),
    Rule("`lastrowid` / `last_insert_rowid`", _r(r"last_insert_rowid"), _r(r"\.\s*lastrowid\b"),
         "`INSERT … RETURNING id` (SQLite ≥ 3.35 and PostgreSQL)"),
    Rule("sqlite-utils (`store.db`, `import sqlite_utils`)", None, _r(r"\bstore\s*\.\s*db\b|import\s+sqlite_utils|\.\s*db\s*\["),
         "one upsert → `ON CONFLICT DO UPDATE`; then drop the dependency"),
    Rule("`sqlite3.*` in code (Row, errors, connect, backup)", None, _r(r"\bsqlite3\s*\.\s*\w+"),
         "`store.IntegrityError`; backup/restore stay SQLite-only"),
    Rule("`store.conn` used directly", None, _r(r"\bstore\s*\.\s*conn\b"), "kept: `PgStore.conn` is the adapter"),
    Rule("`executescript`", None, _r(r"\.\s*executescript\s*\("), "— (`run_sql` statement by statement)"),
]


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _strings(tree: ast.AST) -> list[str]:
    skip = _docstring_ids(tree)
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


def _code_without_strings(source: str) -> str:
    """The source with every string literal blanked, so code patterns do not match inside SQL or prose."""
    import io
    import tokenize

    out = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT) or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            continue
        out.append(token.string)
    return " ".join(out)


def inventory(root: Path = DATA) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {rule.construct: Counter() for rule in RULES}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in NOT_COUNTED:
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        sql = [s for s in _strings(tree) if SQL_HINT.search(s)]
        code = _code_without_strings(source)
        for rule in RULES:
            n = 0
            if rule.pattern is not None:
                n += sum(len(rule.pattern.findall(s)) for s in sql)
            if rule.code is not None:
                n += len(rule.code.findall(code))
            if n:
                counts[rule.construct][rel] = n
    return counts


def table(counts: dict[str, Counter[str]]) -> str:
    lines = ["| construct | count | where (file: count) | neutral form / PostgreSQL |", "|---|---:|---|---|"]
    for rule in RULES:
        per_file = counts[rule.construct]
        where = ", ".join(f"{f}: {n}" for f, n in per_file.most_common()) or "—"
        lines.append(f"| {rule.construct} | {sum(per_file.values())} | {where} | {rule.neutral} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    counts = inventory()
    if "--check" in argv:
        return 0 if all(rule.construct in counts for rule in RULES) else 1
    print(table(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
