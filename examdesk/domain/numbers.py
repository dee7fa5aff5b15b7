"""Numbers as a Dutch reader writes them: a decimal comma, no thousands separator in small counts
('55,0%', '12,5'). One place, so every document and screen says the same."""

from __future__ import annotations


def dutch_decimal(value: float, digits: int = 1) -> str:
    """12.5 → '12,5'; -0.04 with one digit → '0,0' (never '-0,0')."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",")


def dutch_percent(part: int | float, total: int | float, digits: int = 1) -> str:
    """11 of 20 → '55,0%'; a share of nothing → '—'."""
    if not total:
        return "—"
    return f"{dutch_decimal(100 * part / total, digits)}%"
