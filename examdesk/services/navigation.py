"""Where a link takes the user: a screen by its key and, per screen, a typed target that says what the
screen shows — instead of Dutch dicts that one side writes and the other parses. A count on the
Overzicht (`overview.CardLine`) carries one; the main window opens `target.screen` and hands the target
to that screen's `apply_filter`. Adding a screen adds its key and its target here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import ClassVar

from examdesk.domain.incident_desk import IncidentFilter
from examdesk.domain.register import RegisterFilter
from examdesk.domain.session_state import SessionStatus


class ScreenKey(StrEnum):
    OVERVIEW = "overzicht"
    REGISTER = "register"
    SESSIONS = "afnames"
    INCIDENTS = "incidenten"
    REPORTS = "rapporten"
    ADMIN = "beheer"


@dataclass(frozen=True)
class OverviewTarget:
    screen: ClassVar[ScreenKey] = ScreenKey.OVERVIEW


@dataclass(frozen=True)
class RegisterTarget:
    """The register narrowed by `filter` in `school_year` (empty: the current one), with a kwalificatie
    or instrument selected; or the Leveranciers tab, optionally only expiring or expired certificates."""

    screen: ClassVar[ScreenKey] = ScreenKey.REGISTER
    filter: RegisterFilter = field(default_factory=RegisterFilter)
    school_year: str = ""
    crebo: str = ""
    instrument_id: str = ""
    suppliers: bool = False
    certificate_expiring: bool = False
    certificate_expired: bool = False


class SessionDates(StrEnum):
    """The date filter of the Afnames list."""

    ALL = ""
    TODAY = "vandaag"
    FUTURE = "toekomst"
    PAST = "verleden"

    @property
    def label(self) -> str:
        return {"": "alle datums", "vandaag": "vandaag", "toekomst": "vanaf vandaag",
                "verleden": "voor vandaag"}[self.value]

    def bounds(self, today: date) -> tuple[str, str]:
        """(from, to) as ISO dates for `SessionFilter`; '' is open."""
        if self is SessionDates.TODAY:
            return today.isoformat(), today.isoformat()
        if self is SessionDates.FUTURE:
            return today.isoformat(), ""
        if self is SessionDates.PAST:
            return "", (today - timedelta(days=1)).isoformat()
        return "", ""


@dataclass(frozen=True)
class SessionsTarget:
    """The Afnames list by date and status, optionally only sessions whose instrument is no longer valid,
    with one session selected."""

    screen: ClassVar[ScreenKey] = ScreenKey.SESSIONS
    dates: SessionDates = SessionDates.ALL
    status: SessionStatus | None = None
    instrument_invalid: bool = False
    session_id: str = ""


@dataclass(frozen=True)
class IncidentsTarget:
    """The desk's list with these filters (everything not named is cleared), one incident on show."""

    screen: ClassVar[ScreenKey] = ScreenKey.INCIDENTS
    filter: IncidentFilter = field(default_factory=IncidentFilter)
    incident_id: str = ""


@dataclass(frozen=True)
class ReportsTarget:
    """A kind of document chosen, about this subject (when the kind offers it)."""

    screen: ClassVar[ScreenKey] = ScreenKey.REPORTS
    kind: str = ""
    subject_id: str = ""


class AdminTab(StrEnum):
    INSTITUTION = "instelling"
    USERS = "gebruikers"
    AUDIT = "audit"
    BACKUPS = "backups"
    KEYS = "sleutels"
    EXCHANGE_KEYS = "uitwisselsleutels"
    PRIVACY = "privacy"


@dataclass(frozen=True)
class AdminTarget:
    screen: ClassVar[ScreenKey] = ScreenKey.ADMIN
    tab: AdminTab | None = None


Target = OverviewTarget | RegisterTarget | SessionsTarget | IncidentsTarget | ReportsTarget | AdminTarget
