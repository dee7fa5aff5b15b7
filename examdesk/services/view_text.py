"""Composed sentences for a screen to lay out: a line is a few spans of text, each with a tone (muted,
warning, accent) and emphasis (bold, italic, struck through); a section is a titled list of lines.

The services build these from their records (`register_detail`, `incident_file`, `session_views`), so
the Dutch sentences are written — and tested — once, without Qt; a screen only turns tones into its
colours (`examdesk.ui.rich_text`). Texts are plain: the renderer escapes them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tone(StrEnum):
    PLAIN = "plain"
    MUTED = "muted"        # secondary: who recorded it, when
    WARN = "warn"          # needs attention: not valid, overdue, minor
    ACCENT = "accent"      # the good or current state


@dataclass(frozen=True)
class Span:
    text: str
    tone: Tone = Tone.PLAIN
    bold: bool = False
    italic: bool = False
    struck: bool = False
    size: float | None = None   # points, for a heading


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]


def text(value: str) -> Span:
    return Span(value)


def muted(value: str) -> Span:
    return Span(value, Tone.MUTED)


def warn(value: str, bold: bool = False) -> Span:
    return Span(value, Tone.WARN, bold=bold)


def bold(value: str, tone: Tone = Tone.PLAIN) -> Span:
    return Span(value, tone, bold=True)


def italic(value: str) -> Span:
    return Span(value, italic=True)


def plain_text(line: Line) -> str:
    """The line as a reader would say it (for tests, tooltips and logs)."""
    return "".join(span.text for span in line)
