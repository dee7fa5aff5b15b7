"""WCAG AA contrast (issue 14): every text colour ExamDesk sets, on every background it is drawn on, is
declared once in examdesk/ui/style.py and meets 4.5:1 (3:1 for large text), computed with WCAG 2.x's
relative luminance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from examdesk.ui import style

UI = Path(style.__file__).parent
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|QColor\(\"|:\s*(white|black)\b|\"(white|black)\"")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x: sRGB channels linearised, weighted 0.2126 R + 0.7152 G + 0.0722 B."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_ratio_is_wcag_s():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)   # the classic near miss
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("pair", [p for p in style.CONTRAST_PAIRS if not p.exempt], ids=lambda p: p.where)
def test_every_text_colour_meets_aa_on_its_background(pair):
    needed = 3.0 if pair.large else 4.5
    ratio = contrast_ratio(pair.foreground, pair.background)
    assert ratio >= needed, f"{pair.where}: {pair.foreground} op {pair.background} is {ratio:.2f}:1 < {needed}:1"


def test_colours_are_declared_only_in_the_style_module():
    """A colour written anywhere else in ui/ is one the contrast test never sees."""
    found = [f"{path.relative_to(UI)}:{number}: {line.strip()}"
             for path in sorted(UI.rglob("*.py")) if path.name != "style.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if COLOUR_LITERAL.search(line)]
    assert found == []


def test_the_style_sheets_draw_the_declared_pairs():
    """The pairs are those actually set: the house style sheet uses the palette's selection and alternate
    row colours, and session mode its own bar and selection."""
    from examdesk.ui.session_mode.window import STYLE

    assert f"selection-background-color: {style.SELECTION}" in style.STYLESHEET
    assert f"alternate-background-color: {style.ALTERNATE_ROW}" in style.STYLESHEET
    assert f"selection-background-color: {style.SESSION_SELECTION}" in STYLE
    assert f"background: {style.SESSION_BAR}" in STYLE
