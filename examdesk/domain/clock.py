"""Time as the user sees it: stored as ISO 8601 with offset, shown in Europe/Amsterdam."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def now() -> datetime:
    return datetime.now(AMSTERDAM)


def today() -> date:
    return now().date()


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(AMSTERDAM)


def format_date(value: date | datetime | None) -> str:
    """dd-mm-jjjj, the Dutch way."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).date()
    return value.strftime("%d-%m-%Y")


def format_time(value: datetime, seconds: bool = False) -> str:
    return value.astimezone(AMSTERDAM).strftime("%H:%M:%S" if seconds else "%H:%M")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} {format_time(value)}"


def format_weekday_date(value: datetime) -> str:
    """'ma 23-11-2026', as in the header of the main window."""
    local = value.astimezone(AMSTERDAM)
    return f"{_WEEKDAYS[local.weekday()]} {format_date(local)}"


def parse_date(text: str) -> date:
    """Accepts dd-mm-jjjj and jjjj-mm-dd; raises ValueError otherwise."""
    text = text.strip()
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
