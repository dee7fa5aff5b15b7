"""Lays out the services' composed sentences (`examdesk.services.view_text`) as Qt rich text: each span
escaped, its tone in the house colours. The only place in ui/ that writes HTML for them."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from examdesk.services.view_text import Line, Span, Tone
from examdesk.ui.style import ACCENT, MUTED, WARN, scaled

COLOURS = {Tone.PLAIN: "", Tone.MUTED: MUTED, Tone.WARN: WARN, Tone.ACCENT: ACCENT}


def span_html(span: Span) -> str:
    html = escape(span.text).replace("\n", "<br>")
    style = []
    if COLOURS[span.tone]:
        style.append(f"color:{COLOURS[span.tone]}")
    if span.bold:
        style.append("font-weight:bold")
    if span.italic:
        style.append("font-style:italic")
    if span.struck:
        style.append("text-decoration:line-through")
    if span.size:
        style.append(scaled(f"font-size:{span.size}pt"))   # points at 100 %, as every style sheet's (200 %: twice)
    return f"<span style='{'; '.join(style)}'>{html}</span>" if style else html


def line_html(line: Line) -> str:
    return "".join(span_html(span) for span in line)


def lines_html(lines: Iterable[Line]) -> str:
    return "<br>".join(line_html(line) for line in lines)


def table_html(rows: Iterable[tuple[str, Iterable[Line]]], label_tone: Tone = Tone.MUTED) -> str:
    """Label and value side by side, as a fact sheet."""
    cells = "".join(f"<tr><td style='color:{COLOURS[label_tone]}; padding-right:10px' valign='top'>{escape(label)}"
                    f"</td><td>{lines_html(value)}</td></tr>" for label, value in rows)
    return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"


def plain_label(text: str = "") -> QLabel:
    """A label for text people or files typed: shown exactly as written. QLabel's default guesses, and
    a name like 'Engels <b>2F</b>' or an institution name in a crafted file would be taken for markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def rich_label(html: str = "") -> QLabel:
    """A read-only block of composed text that wraps, can be selected, and sits at the top of its cell."""
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label
