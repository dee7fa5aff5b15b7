"""Issue 15: no module over 400 lines without a one-line reason at its top — a long module is a choice
someone made and wrote down, not an accident nobody noticed."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "examdesk"
LIMIT = 400
REASON = "(Over 400 lines:"


def test_every_long_module_says_why_at_its_top():
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > LIMIT and not any(line.lstrip().startswith(REASON) for line in lines[:6]):
            unexplained.append(f"{path.relative_to(PACKAGE)} ({len(lines)} lines)")
    assert unexplained == [], f"over {LIMIT} lines without '{REASON} …)' near the top: {unexplained}"
