"""The events of a session: one typed payload per kind, and the per-session hash chain.
(Over 400 lines: fifteen payload types that belong together, each with its own to_json/from_json.)

Every action in a session is one event. Nothing is changed afterwards: a correction is a new event
of the same kind whose ``corrects`` names the event it replaces (its payload is the full new
content), and ``void`` withdraws the event it ``corrects``. The payload per kind:

=================  ==========================================================================
kind               payload (the keys of the stored JSON)
=================  ==========================================================================
receipt            ReceiptPayload: received_by (str), intact (bool), remark (str)
present            PresentPayload: candidate_ids (list[int]), identity_checked (bool)
absent             AbsentPayload: candidate_id (int), valid_reason (bool | None), remark (str)
start              StartPayload: {} (occurred_at is the actual start)
late               LatePayload: candidate_id (int), admitted (bool), limit (ISO time of the admission limit)
pause              PausePayload: candidate_ids (list[int] | None = every candidate at work), reason (str)
resume             ResumePayload: pause_id (str), minutes (int, the minutes the pause added)
incident           IncidentPayload: category, catalogue_version, route (HandlingRoute.as_dict()),
                   all_candidates (bool), candidate_ids (list[int]), duration_minutes (int | None),
                   what_happened (str), what_was_done (str), optional correction_reason (str: a
                   correction by the examencommissie, with its reason)
candidate_status   CandidateStatusPayload: candidate_id (int), status (onwel | vertrokken |
                   ingeleverd | aanwezig), remark (str)
remark             RemarkPayload: text (str)
end                EndPayload: {} (occurred_at is the end of the session)
close              ClosePayload: summary (ClosingSummary), staff (list[str])
reopen             ReopenPayload: reason (str) — by a commission member
end_time_decision  EndTimeDecisionPayload: candidate_id (int), minutes (int), reason (str) — by a
                   commission member
void               VoidPayload: reason (str), optional commission (bool: the examencommissie
                   withdraws an incident)
found_incident     FoundIncidentPayload: the incident's keys, and found_on (ISO date it came to light),
                   found_how (domain/casework.FOUND_HOW), reported_by (str) — by the commission or, for
                   an administrative fault (Beleidsregel art. 2(1) e/f), the examenbureau
=================  ==========================================================================

Each payload checks itself when it is made — required keys, types (a bool is not an int), ranges,
the length of texts and lists — and `from_json` refuses unknown keys and `parse_payload` unknown
kinds, each with a Dutch sentence. `to_json` gives back exactly the dict `from_json` read, key for
key, so the hash chain of every existing database still verifies. What needs context (times within
the session, candidates in the roster, who may write which kind) is checked in
`domain/event_checks.py`.
"""

from __future__ import annotations

import dataclasses
import functools
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from json.encoder import encode_basestring as _encode_text
from typing import Any, ClassVar, Self

from examdesk.domain.casework import FOUND_HOW
from examdesk.domain.catalogue import HANDLERS, LETTERS, HandlingRoute
from examdesk.domain.clock import from_iso
from examdesk.domain.errors import ValidationError
from examdesk.domain.fingerprint import canonical_json, sha256_hex
from examdesk.domain.keys import mac, mac_matches
from examdesk.domain.privacy import Redaction, accepts
from examdesk.domain.session_state import SETTABLE_STATUSES

GENESIS_HASH = "0" * 64

# Limits on what one event may carry: generous for people, tight for a crafted file.
SHORT_TEXT = 200          # a name, a code, a label
LONG_TEXT = 4000          # what happened, a reason, a remark
MAX_CANDIDATES = 500      # a room has at most 500 workstations (schema v003)
MAX_LIST = 500            # lines of a closing summary
MAX_ID = 2**53            # candidate numbers are SQLite integers that JSON carries exactly


class Kind(StrEnum):
    RECEIPT = "receipt"
    PRESENT = "present"
    ABSENT = "absent"
    START = "start"
    LATE = "late"
    PAUSE = "pause"
    RESUME = "resume"
    INCIDENT = "incident"
    CANDIDATE_STATUS = "candidate_status"
    REMARK = "remark"
    END = "end"
    CLOSE = "close"
    REOPEN = "reopen"
    END_TIME_DECISION = "end_time_decision"
    VOID = "void"
    FOUND_INCIDENT = "found_incident"


KIND_LABELS: dict[str, str] = {
    Kind.RECEIPT: "Ontvangst exameninstrumenten",
    Kind.PRESENT: "Aanwezig",
    Kind.ABSENT: "Afwezig",
    Kind.START: "Start",
    Kind.LATE: "Te laat",
    Kind.PAUSE: "Pauze",
    Kind.RESUME: "Hervat",
    Kind.INCIDENT: "Incident",
    Kind.CANDIDATE_STATUS: "Status kandidaat",
    Kind.REMARK: "Opmerking",
    Kind.END: "Einde",
    Kind.CLOSE: "Afgesloten",
    Kind.REOPEN: "Heropend",
    Kind.END_TIME_DECISION: "Eindtijd aangepast",
    Kind.VOID: "Vervallen",
    Kind.FOUND_INCIDENT: "Achteraf vastgesteld incident",
}

# Who writes which kind: the commission reopens and decides on end times (examenprotocol 14,
# 'tenzij de examencommissie anders beslist'); everything else is the invigilator's, in session mode.
# An exam PC's record may carry only the invigilator's kinds.
# An incident found afterwards (issue 13) is the commission's (or, for an administrative fault, the
# examenbureau's): recorded at the desk, never in the exam room, so never in an exam PC's record.
COMMISSION_KINDS: frozenset[Kind] = frozenset({Kind.REOPEN, Kind.END_TIME_DECISION, Kind.FOUND_INCIDENT})
# What may still be appended to a closed session (the record only grows).
AFTER_CLOSE_KINDS: frozenset[Kind] = frozenset({Kind.REMARK, Kind.VOID, Kind.END_TIME_DECISION, Kind.REOPEN,
                                                Kind.FOUND_INCIDENT})


# --- checks shared by the payloads ------------------------------------------------------------------

def _refuse(kind: Kind, problem: str) -> ValidationError:
    return ValidationError(f"Registratie '{KIND_LABELS[kind]}': {problem}")


def _text(kind: Kind, what: str, value: Any, limit: int, required: bool = False) -> str:
    if not isinstance(value, str):
        raise _refuse(kind, f"{what} moet tekst zijn.")
    if len(value) > limit:
        raise _refuse(kind, f"{what} is langer dan {limit} tekens.")
    if "\x00" in value or not encodable(value):
        raise _refuse(kind, f"{what} bevat een ongeldig teken.")
    if required and not value.strip():
        raise _refuse(kind, f"{what} is leeg.")
    return value


def encodable(value: str) -> bool:
    """Text that UTF-8 can hold (a lone surrogate from a crafted file cannot be stored or hashed)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _int(kind: Kind, what: str, value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _refuse(kind, f"{what} moet een geheel getal zijn.")
    if not low <= value <= high:
        raise _refuse(kind, f"{what} moet tussen {low} en {high} liggen.")
    return value


def _bool(kind: Kind, what: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _refuse(kind, f"{what} moet ja of nee zijn.")
    return value


def _candidate(kind: Kind, value: Any) -> int:
    return _int(kind, "het kandidaatnummer", value, 1, MAX_ID)


def _candidates(kind: Kind, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list | tuple):
        raise _refuse(kind, "de kandidaten moeten een lijst zijn.")
    if len(value) > MAX_CANDIDATES:
        raise _refuse(kind, f"meer dan {MAX_CANDIDATES} kandidaten.")
    ids = tuple(_candidate(kind, v) for v in value)
    if len(set(ids)) != len(ids):
        raise _refuse(kind, "een kandidaat staat twee keer in de lijst.")
    return ids


def _texts(kind: Kind, what: str, value: Any, limit: int = LONG_TEXT * 2) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise _refuse(kind, f"{what} moet een lijst zijn.")
    if len(value) > MAX_LIST:
        raise _refuse(kind, f"{what} heeft meer dan {MAX_LIST} regels.")
    return tuple(_text(kind, what, v, limit) for v in value)


def _moment(kind: Kind, what: str, value: Any) -> str:
    _text(kind, what, value, 40)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(kind, f"{what} is geen tijdstip.") from None
    if moment.tzinfo is None:
        raise _refuse(kind, f"{what} heeft geen tijdzone.")
    return value


@functools.cache
def _keyset(keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(keys)


def _keys(kind: Kind, raw: Any, keys: tuple[str, ...], optional: Iterable[str] = ()) -> dict[str, Any]:
    """The stored dict with exactly these keys (the optional ones may be missing): a missing key or one
    ExamDesk does not write is refused."""
    if not isinstance(raw, dict):
        raise _refuse(kind, "de gegevens hebben niet de vorm van een registratie.")
    if raw.keys() == _keyset(keys):                             # the usual case, checked fast
        return raw
    wanted = set(keys)
    missing = sorted(wanted - set(optional) - set(raw))
    unknown = sorted(str(k) for k in set(raw) - wanted)
    if missing:
        raise _refuse(kind, f"het veld {', '.join(missing)} ontbreekt.")
    if unknown:
        raise _refuse(kind, f"onbekend veld {', '.join(unknown)}.")
    return raw


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# --- the payloads --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Payload:
    """One kind's content. Subclasses are frozen dataclasses whose fields are the JSON keys (`KEYS`).

    A field added to a kind later gets a default and goes into `OPTIONAL`: rows stored before it read
    without it, and `to_json` leaves it out again for them (`absent`), so their hash stays the same."""

    KIND: ClassVar[Kind]
    KEYS: ClassVar[tuple[str, ...]] = ()
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()
    absent: frozenset[str] = field(default=frozenset(), kw_only=True, compare=False, repr=False)
    # the JSON dict this payload was read from (or made into): what the hash covers; never to be changed
    stored: Any = field(default=None, kw_only=True, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return self.KIND

    def to_json(self) -> Any:
        """The dict that is stored and hashed. Computed once; for a payload read from storage or a file it
        is exactly the dict that was read (a payload accepts only what it gives back key for key)."""
        if self.stored is None:
            object.__setattr__(self, "stored", self._json())
        return self.stored

    def _json(self) -> dict[str, Any]:
        """An optional field at its default is left out: a registration that does not use it is stored
        exactly as before the field existed (the same bytes, the same hash, readable by older versions)."""
        if not self.OPTIONAL:
            return {key: _plain(getattr(self, key)) for key in self.KEYS if key not in self.absent}
        defaults = _defaults(type(self))
        return {key: _plain(getattr(self, key)) for key in self.KEYS if key not in self.absent
                and not (key in self.OPTIONAL and getattr(self, key) == defaults.get(key))}

    def canonical(self) -> str:
        """`to_json` as canonical JSON (sorted keys, no spaces): what is stored and what the hash covers."""
        found = self.__dict__.get("_canonical")
        if found is None:
            found = canonical_json(self.to_json()).decode("utf-8")
            object.__setattr__(self, "_canonical", found)
        return found

    @classmethod
    def _values(cls, raw: Any) -> tuple[dict[str, Any], frozenset[str]]:
        values = _keys(cls.KIND, raw, cls.KEYS, cls.OPTIONAL)
        if not cls.OPTIONAL:
            return values, _NONE
        return values, frozenset(k for k in cls.OPTIONAL if k not in values)

    @classmethod
    def from_json(cls, raw: Any) -> Self:
        values, absent = cls._values(raw)
        fields = {key: (tuple(v) if type(v) is list else v) for key, v in values.items()}
        return cls._made(fields, absent, raw)

    @classmethod
    def _made(cls, fields: dict[str, Any], absent: frozenset[str], raw: Any) -> Self:
        """The payload with these field values, checked by its `__post_init__` — without the frozen
        dataclass's per-field setattr, which made reading a long record slow."""
        payload = object.__new__(cls)
        state = payload.__dict__
        defaults = _defaults(cls)
        if defaults:
            state.update(defaults)
        state.update(fields)
        state["absent"] = absent
        state["stored"] = raw
        payload.__post_init__()
        return payload

    def __post_init__(self) -> None:
        """Each kind checks its fields here."""


_NONE: frozenset[str] = frozenset()


@functools.cache
def _defaults(cls: type) -> dict[str, Any]:
    """The defaults of the fields a stored row may lack (not `absent` and `stored`, which `_made` sets)."""
    return {f.name: f.default for f in dataclasses.fields(cls)
            if f.default is not dataclasses.MISSING and f.name not in ("absent", "stored")}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, ClosingSummary | HandlingRoute):
        return value.to_json() if isinstance(value, ClosingSummary) else value.as_dict()
    return value


@dataclass(frozen=True)
class ReceiptPayload(Payload):
    KIND: ClassVar[Kind] = Kind.RECEIPT
    KEYS: ClassVar[tuple[str, ...]] = ("received_by", "intact", "remark")
    received_by: str
    intact: bool
    remark: str = ""

    def __post_init__(self) -> None:
        _text(self.KIND, "wie ontving", self.received_by, SHORT_TEXT, required=True)
        _bool(self.KIND, "intact", self.intact)
        _text(self.KIND, "de opmerking", self.remark, LONG_TEXT)


@dataclass(frozen=True)
class PresentPayload(Payload):
    KIND: ClassVar[Kind] = Kind.PRESENT
    KEYS: ClassVar[tuple[str, ...]] = ("candidate_ids", "identity_checked")
    candidate_ids: tuple[int, ...]
    identity_checked: bool = True

    def __post_init__(self) -> None:
        if not _candidates(self.KIND, self.candidate_ids):
            raise _refuse(self.KIND, "er is geen kandidaat gekozen.")
        _bool(self.KIND, "identiteit gecontroleerd", self.identity_checked)


@dataclass(frozen=True)
class AbsentPayload(Payload):
    KIND: ClassVar[Kind] = Kind.ABSENT
    KEYS: ClassVar[tuple[str, ...]] = ("candidate_id", "valid_reason", "remark")
    candidate_id: int
    valid_reason: bool | None = None
    remark: str = ""

    def __post_init__(self) -> None:
        _candidate(self.KIND, self.candidate_id)
        if self.valid_reason is not None:
            _bool(self.KIND, "geldige reden", self.valid_reason)
        _text(self.KIND, "de opmerking", self.remark, LONG_TEXT)


@dataclass(frozen=True)
class StartPayload(Payload):
    KIND: ClassVar[Kind] = Kind.START


@dataclass(frozen=True)
class LatePayload(Payload):
    KIND: ClassVar[Kind] = Kind.LATE
    KEYS: ClassVar[tuple[str, ...]] = ("candidate_id", "admitted", "limit")
    candidate_id: int
    admitted: bool
    limit: str                      # ISO 8601 with offset: the admission limit that applied

    def __post_init__(self) -> None:
        _candidate(self.KIND, self.candidate_id)
        _bool(self.KIND, "toegelaten", self.admitted)
        _moment(self.KIND, "de toelatingsgrens", self.limit)

    @property
    def limit_at(self) -> datetime:
        return from_iso(self.limit)


@dataclass(frozen=True)
class PausePayload(Payload):
    KIND: ClassVar[Kind] = Kind.PAUSE
    KEYS: ClassVar[tuple[str, ...]] = ("candidate_ids", "reason")
    candidate_ids: tuple[int, ...] | None     # None: every candidate at work
    reason: str

    def __post_init__(self) -> None:
        if self.candidate_ids is not None and not _candidates(self.KIND, self.candidate_ids):
            raise _refuse(self.KIND, "er is geen kandidaat gekozen.")
        _text(self.KIND, "de reden", self.reason, LONG_TEXT, required=True)


@dataclass(frozen=True)
class ResumePayload(Payload):
    KIND: ClassVar[Kind] = Kind.RESUME
    KEYS: ClassVar[tuple[str, ...]] = ("pause_id", "minutes")
    pause_id: str
    minutes: int

    def __post_init__(self) -> None:
        _text(self.KIND, "de pauze", self.pause_id, 64, required=True)
        _int(self.KIND, "het aantal minuten", self.minutes, 0, 24 * 60)


@dataclass(frozen=True)
class IncidentPayload(Payload):
    KIND: ClassVar[Kind] = Kind.INCIDENT
    KEYS: ClassVar[tuple[str, ...]] = ("category", "catalogue_version", "route", "all_candidates", "candidate_ids",
                                       "duration_minutes", "what_happened", "what_was_done", "correction_reason")
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"correction_reason"})
    category: str
    catalogue_version: str
    route: HandlingRoute            # as it stood when the incident was recorded
    all_candidates: bool
    candidate_ids: tuple[int, ...]
    duration_minutes: int | None
    what_happened: str
    what_was_done: str = ""
    correction_reason: str = ""     # only the commission corrects with a reason (event_checks)

    def __post_init__(self) -> None:
        _text(self.KIND, "de categorie", self.category, 64, required=True)
        _text(self.KIND, "de versie van de catalogus", self.catalogue_version, 32)
        if not isinstance(self.route, HandlingRoute):
            raise _refuse(self.KIND, "de afhandelingsroute ontbreekt.")
        _bool(self.KIND, "alle kandidaten", self.all_candidates)
        _candidates(self.KIND, self.candidate_ids)
        if self.all_candidates and self.candidate_ids:
            raise _refuse(self.KIND, "'alle kandidaten' noemt geen losse kandidaten.")
        if self.duration_minutes is not None:
            _int(self.KIND, "de duur", self.duration_minutes, 0, 600)
        _text(self.KIND, "wat er gebeurde", self.what_happened, LONG_TEXT, required=True)
        _text(self.KIND, "wat er is gedaan", self.what_was_done, LONG_TEXT)
        _text(self.KIND, "de reden van de correctie", self.correction_reason, LONG_TEXT)

    @property
    def by_commission(self) -> bool:
        """A correction the examencommissie made (with its reason), not the invigilator's."""
        return bool(self.correction_reason.strip())

    @classmethod
    def from_json(cls, raw: Any) -> Self:
        values, absent = cls._values(raw)
        fields = {key: _tuple(values[key]) for key in cls.KEYS if key != "route" and key in values}
        return cls._made({**fields, "route": route_from_json(values["route"])}, absent, raw)

    @property
    def point(self) -> int | None:
        return self.route.protocol_point


@dataclass(frozen=True)
class FoundIncidentPayload(IncidentPayload):
    """An incident that came to light after the session (a teacher's report, a check of results, a group app
    that surfaced a week later): an incident in every other respect — routed by the same catalogue, on the
    desk, decided, corrected or withdrawn — so it is a subclass, and every rule that asks "an incident?"
    (`isinstance(p, IncidentPayload)`) counts it. Its moment (`occurred_at`) is when it was recorded."""

    KIND: ClassVar[Kind] = Kind.FOUND_INCIDENT
    KEYS: ClassVar[tuple[str, ...]] = (*IncidentPayload.KEYS, "found_on", "found_how", "reported_by")
    found_on: str = ""              # ISO date the incident came to light
    found_how: str = ""
    reported_by: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _text(self.KIND, "de datum waarop het aan het licht kwam", self.found_on, 10, required=True)
        try:
            date.fromisoformat(self.found_on)
        except ValueError:
            raise _refuse(self.KIND, "de datum waarop het aan het licht kwam is geen datum.") from None
        if self.found_how not in FOUND_HOW:
            raise _refuse(self.KIND, f"onbekende manier van vaststellen '{str(self.found_how)[:40]}'.")
        _text(self.KIND, "wie het meldde", self.reported_by, SHORT_TEXT)
        if self.duration_minutes is not None:
            raise _refuse(self.KIND, "een incident dat achteraf is vastgesteld heeft geen duur in de afname.")

    @property
    def found_date(self) -> date:
        return date.fromisoformat(self.found_on)


_ROUTE_KEYS = ("handler", "handler_label", "protocol_point", "letter", "decision_to_inspectie", "serious", "note")


def route_from_json(raw: Any) -> HandlingRoute:
    """The handling route stored with an incident (HandlingRoute.as_dict), checked key by key. The few
    routes of a catalogue repeat in every incident: each distinct one is checked and made once."""
    values = _keys(Kind.INCIDENT, raw, _ROUTE_KEYS)
    try:
        return _route(tuple((k, values[k], type(values[k])) for k in _ROUTE_KEYS))
    except TypeError:                     # an unhashable value (a list where a text belongs)
        return _check_route(values)


@functools.lru_cache(maxsize=256)
def _route(items: tuple[tuple[str, Any, type], ...]) -> HandlingRoute:
    return _check_route({k: v for k, v, _ in items})


def _check_route(values: dict[str, Any]) -> HandlingRoute:
    kind = Kind.INCIDENT
    if values["handler"] not in HANDLERS:
        raise _refuse(kind, f"onbekende behandelaar '{str(values['handler'])[:40]}'.")
    point = values["protocol_point"]
    if point is not None:
        _int(kind, "het protocolpunt", point, 6, 10)
    letter = values["letter"]
    if letter is not None and letter not in LETTERS:
        raise _refuse(kind, "de letter van de Beleidsregel bestaat niet (a tot en met f).")
    return HandlingRoute(
        handler=values["handler"], handler_label=_text(kind, "de behandelaar", values["handler_label"], SHORT_TEXT),
        protocol_point=point, letter=letter,
        decision_to_inspectie=_bool(kind, "besluit naar de Inspectie", values["decision_to_inspectie"]),
        serious=_bool(kind, "ernstig", values["serious"]), note=_text(kind, "de toelichting", values["note"],
                                                                       LONG_TEXT))


@dataclass(frozen=True)
class CandidateStatusPayload(Payload):
    KIND: ClassVar[Kind] = Kind.CANDIDATE_STATUS
    KEYS: ClassVar[tuple[str, ...]] = ("candidate_id", "status", "remark")
    candidate_id: int
    status: str
    remark: str = ""

    def __post_init__(self) -> None:
        _candidate(self.KIND, self.candidate_id)
        if self.status not in SETTABLE_STATUSES:
            raise _refuse(self.KIND, f"onbekende status '{str(self.status)[:40]}'.")
        _text(self.KIND, "de opmerking", self.remark, LONG_TEXT)


@dataclass(frozen=True)
class RemarkPayload(Payload):
    KIND: ClassVar[Kind] = Kind.REMARK
    KEYS: ClassVar[tuple[str, ...]] = ("text",)
    text: str

    def __post_init__(self) -> None:
        _text(self.KIND, "de opmerking", self.text, LONG_TEXT, required=True)


@dataclass(frozen=True)
class EndPayload(Payload):
    KIND: ClassVar[Kind] = Kind.END


@dataclass(frozen=True)
class ClosingSummary:
    """What the procesverbaal needs at closing (examenprotocol point 11): absent, late, unwell,
    particulars, facilities granted, and the staff (see `domain/sessions.closing_summary`)."""

    KEYS: ClassVar[tuple[str, ...]] = ("planned", "took_part", "absent", "late", "refused", "unwell", "left",
                                       "incidents", "disruptions", "facilities", "staff", "started_at", "ended_at",
                                       "date")
    planned: int
    took_part: int
    absent: tuple[str, ...]
    late: tuple[str, ...]
    refused: tuple[str, ...]
    unwell: tuple[str, ...]
    left: tuple[str, ...]
    incidents: tuple[str, ...]
    disruptions: tuple[str, ...]
    facilities: tuple[str, ...]
    staff: tuple[str, ...]
    started_at: str                 # 'hh:mm' or ''
    ended_at: str
    date: str                       # 'dd-mm-jjjj'

    def __post_init__(self) -> None:
        kind = Kind.CLOSE
        _int(kind, "het aantal geplande kandidaten", self.planned, 0, MAX_CANDIDATES)
        _int(kind, "het aantal deelnemers", self.took_part, 0, self.planned)
        for key in ("absent", "late", "refused", "unwell", "left", "incidents", "disruptions", "facilities",
                    "staff"):
            _texts(kind, f"de samenvatting ({key})", getattr(self, key))
        for key in ("started_at", "ended_at", "date"):
            _text(kind, f"de samenvatting ({key})", getattr(self, key), 16)

    def to_json(self) -> dict[str, Any]:
        return {key: _plain(getattr(self, key)) for key in self.KEYS}

    @classmethod
    def from_json(cls, raw: Any) -> ClosingSummary:
        values = _keys(Kind.CLOSE, raw, cls.KEYS)
        return cls(**{key: _tuple(values[key]) for key in cls.KEYS})


@dataclass(frozen=True)
class ClosePayload(Payload):
    KIND: ClassVar[Kind] = Kind.CLOSE
    KEYS: ClassVar[tuple[str, ...]] = ("summary", "staff")
    summary: ClosingSummary
    staff: tuple[str, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.summary, ClosingSummary):
            raise _refuse(self.KIND, "de samenvatting ontbreekt.")
        _texts(self.KIND, "de medewerkers", self.staff, SHORT_TEXT)

    @classmethod
    def from_json(cls, raw: Any) -> Self:
        values, absent = cls._values(raw)
        return cls._made({"summary": ClosingSummary.from_json(values["summary"]), "staff": _tuple(values["staff"])},
                         absent, raw)


@dataclass(frozen=True)
class ReopenPayload(Payload):
    KIND: ClassVar[Kind] = Kind.REOPEN
    KEYS: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str

    def __post_init__(self) -> None:
        _text(self.KIND, "de reden", self.reason, LONG_TEXT, required=True)


@dataclass(frozen=True)
class EndTimeDecisionPayload(Payload):
    KIND: ClassVar[Kind] = Kind.END_TIME_DECISION
    KEYS: ClassVar[tuple[str, ...]] = ("candidate_id", "minutes", "reason")
    candidate_id: int
    minutes: int
    reason: str

    def __post_init__(self) -> None:
        _candidate(self.KIND, self.candidate_id)
        _int(self.KIND, "het aantal extra minuten", self.minutes, 1, 120)
        _text(self.KIND, "de reden", self.reason, LONG_TEXT, required=True)


@dataclass(frozen=True)
class VoidPayload(Payload):
    KIND: ClassVar[Kind] = Kind.VOID
    KEYS: ClassVar[tuple[str, ...]] = ("reason", "commission")
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"commission"})
    reason: str
    commission: bool = False        # the examencommissie withdraws an incident (event_checks: only it may)

    def __post_init__(self) -> None:
        _text(self.KIND, "de reden", self.reason, LONG_TEXT, required=True)
        _bool(self.KIND, "door de examencommissie", self.commission)


PAYLOAD_TYPES: dict[Kind, type[Payload]] = {t.KIND: t for t in (
    ReceiptPayload, PresentPayload, AbsentPayload, StartPayload, LatePayload, PausePayload, ResumePayload,
    IncidentPayload, CandidateStatusPayload, RemarkPayload, EndPayload, ClosePayload, ReopenPayload,
    EndTimeDecisionPayload, VoidPayload, FoundIncidentPayload)}


_BY_KIND: dict[str, type[Payload]] = {k.value: t for k, t in PAYLOAD_TYPES.items()}


def parse_payload(kind: Any, raw: Any) -> Payload:
    """The typed payload of a stored or received event; an unknown kind or a wrong shape is refused."""
    payload_type = _BY_KIND.get(kind) if isinstance(kind, str) else None
    if payload_type is None:
        raise ValidationError(f"Onbekende soort registratie '{str(kind)[:40]}'.")
    return payload_type.from_json(raw)


@dataclass(frozen=True)
class Unreadable(Payload):
    """A stored row whose data no payload type accepts (written outside ExamDesk, or by a version that
    did not check). Kept as it is so the chain still verifies; the record shows it as unreadable."""

    stored_kind: str
    raw: Any
    reason: str

    @property
    def kind(self) -> str:
        return self.stored_kind

    def _json(self) -> Any:
        return self.raw


def read_payload(kind: str, raw: Any) -> Payload:
    """What storage hands back: the typed payload, or `Unreadable` — reading the record never fails."""
    try:
        return parse_payload(kind, raw)
    except ValidationError as exc:
        return Unreadable(kind, raw, exc.message)


# --- the event and its chain ---------------------------------------------------------------------------

@dataclass(frozen=True, init=False)
class Event:
    id: str
    session_id: str
    seq: int
    occurred_at: str          # ISO 8601 with offset, as stored
    recorded_at: str
    user_id: int | None
    username: str
    kind: str                 # a Kind (a str), or what an unreadable row says
    payload: Payload
    corrects: str | None
    prev_hash: str
    hash: str

    def __init__(self, id: str, session_id: str, seq: int, occurred_at: str, recorded_at: str,  # noqa: A002
                 user_id: int | None, username: str, kind: str, payload: Payload, corrects: str | None,
                 prev_hash: str, hash: str) -> None:  # noqa: A002
        """Frozen like a dataclass, made without its per-field setattr: a record has thousands of events."""
        if payload.kind != kind:
            raise ValueError(f"payload {payload.kind} for an event of kind {kind}")
        self.__dict__.update(id=id, session_id=session_id, seq=seq, occurred_at=occurred_at,
                             recorded_at=recorded_at, user_id=user_id, username=username, kind=kind, payload=payload,
                             corrects=corrects, prev_hash=prev_hash, hash=hash)

    @classmethod
    def stored(cls, id: str, session_id: str, seq: int, occurred_at: str, recorded_at: str,  # noqa: A002
               user_id: int | None, username: str, kind: str, data: Any, corrects: str | None, prev_hash: str,
               hash: str) -> Event:  # noqa: A002
        """An event as storage holds it: its payload is typed when first asked for (`read_payload`), so
        verifying or exporting a long chain does not type every payload it only passes on."""
        event = object.__new__(cls)
        event.__dict__.update(id=id, session_id=session_id, seq=seq, occurred_at=occurred_at,
                              recorded_at=recorded_at, user_id=user_id, username=username, kind=kind, _data=data,
                              corrects=corrects, prev_hash=prev_hash, hash=hash)
        return event

    def __getattr__(self, name: str) -> Any:
        if name == "payload" and "_data" in self.__dict__:
            payload = read_payload(self.kind, self.__dict__["_data"])
            self.__dict__["payload"] = payload
            return payload
        raise AttributeError(name)

    def data_json(self) -> Any:
        """The stored JSON of the payload (what the hash covers), without typing it."""
        return self.payload.to_json() if "payload" in self.__dict__ else self.__dict__["_data"]

    def canonical_data(self) -> str:
        found = self.__dict__.get("_canonical")
        if found is None:
            found = (self.payload.canonical() if "payload" in self.__dict__
                     else canonical_json(self.__dict__["_data"]).decode("utf-8"))
            self.__dict__["_canonical"] = found
        return found

    @property
    def occurred(self) -> datetime:
        """occurred_at as a moment (parsed once: the checks and the fold ask for it often)."""
        found = self.__dict__.get("_occurred")
        if found is None:
            found = from_iso(self.occurred_at)
            object.__setattr__(self, "_occurred", found)
        return found

    @property
    def recorded(self) -> datetime:
        found = self.__dict__.get("_recorded")
        if found is None:
            found = from_iso(self.recorded_at)
            object.__setattr__(self, "_recorded", found)
        return found

    def as_json(self) -> dict[str, Any]:
        """The row as the exchange format carries it (every column of session_events)."""
        return {"id": self.id, "session_id": self.session_id, "seq": self.seq, "occurred_at": self.occurred_at,
                "recorded_at": self.recorded_at, "user_id": self.user_id, "username": self.username,
                "kind": self.kind, "data": self.data_json(), "corrects": self.corrects,
                "prev_hash": self.prev_hash, "hash": self.hash}

    def placed(self, seq: int, prev_hash: str, user_id: int | None, key: bytes | None = None) -> Event:
        """The same event at another place in a chain (another PC's), with the hash for that place, keyed
        under `key` (this database's session chain key) when given."""
        data = self.canonical_data()
        digest = chain_hash(prev_hash, self.id, self.session_id, seq, self.occurred_at, self.recorded_at, user_id,
                            self.username, self.kind, data, self.corrects, key)
        event = object.__new__(Event)      # the same payload and parsed times: a long record is re-chained fast
        event.__dict__.update(self.__dict__)
        event.__dict__.update(seq=seq, user_id=user_id, prev_hash=prev_hash, hash=digest, _canonical=data)
        return event


def event_hash(prev_hash: str, event_id: str, session_id: str, seq: int, occurred_at: str, recorded_at: str,
               user_id: int | None, username: str, kind: str, data: Any, corrects: str | None,
               key: bytes | None = None) -> str:
    """The hash over the previous hash and the canonical JSON of the row (docs/exchange.md): SHA-256, or
    HMAC-SHA256 under the session chain key for a keyed event (schema v011 on, see `session_chain_key`)."""
    body = {
        "id": event_id, "session_id": session_id, "seq": seq, "occurred_at": occurred_at,
        "recorded_at": recorded_at, "user_id": user_id, "username": username, "kind": kind, "data": data,
        "corrects": corrects,
    }
    message = prev_hash.encode("ascii") + canonical_json(body)
    return sha256_hex(message) if key is None else hmac.digest(key, message, "sha256").hex()


def _text_json(value: str | None) -> str:
    return "null" if value is None else _encode_text(value)


def chain_hash(prev_hash: str, event_id: str, session_id: str, seq: int, occurred_at: str, recorded_at: str,
               user_id: int | None, username: str, kind: str, data_json: str, corrects: str | None,
               key: bytes | None = None) -> str:
    """`event_hash` for a payload whose canonical JSON is already known: the same bytes, assembled in key
    order instead of encoding the whole row again (a long record is hashed and stored without encoding
    each payload twice)."""
    body = (f'{{"corrects":{_text_json(corrects)},"data":{data_json},"id":{_encode_text(event_id)},'
            f'"kind":{_encode_text(kind)},"occurred_at":{_encode_text(occurred_at)},'
            f'"recorded_at":{_encode_text(recorded_at)},"seq":{int(seq)},"session_id":{_encode_text(session_id)},'
            f'"user_id":{"null" if user_id is None else int(user_id)},"username":{_encode_text(username)}}}')
    message = prev_hash.encode("ascii") + body.encode("utf-8")
    if key is None:
        return sha256_hex(message)
    inner, outer = _hmac_pads(key)          # HMAC-SHA256 (RFC 2104) from the key's precomputed pads: a long
    inner = inner.copy()                    # record is hashed at twice the speed of hmac.digest
    inner.update(message)
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()


@functools.lru_cache(maxsize=8)
def _hmac_pads(key: bytes) -> tuple[Any, Any]:
    import hashlib

    block = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    return (hashlib.sha256(bytes(b ^ 0x36 for b in block)), hashlib.sha256(bytes(b ^ 0x5C for b in block)))


def new_event(event_id: str, session_id: str, seq: int, prev_hash: str, occurred_at: str, recorded_at: str,
              user_id: int | None, username: str, payload: Payload, corrects: str | None = None,
              key: bytes | None = None) -> Event:
    """An event at the head of a chain, with its hash (keyed under `key` when given)."""
    digest = chain_hash(prev_hash, event_id, session_id, seq, occurred_at, recorded_at, user_id, username,
                        payload.kind, payload.canonical(), corrects, key)
    return Event(event_id, session_id, seq, occurred_at, recorded_at, user_id, username, payload.kind, payload,
                 corrects, prev_hash, digest)


# --- keyed session chains (schema v011) ------------------------------------------------------------------
#
# Like the audit chain since v007 (domain/audit.py), every session chain is keyed: an event's hash is
# HMAC-SHA256 under the database's session chain key instead of plain SHA-256 over the same bytes, so
# someone who holds only the database file cannot recompute a chain after changing an event. A session
# that already had events when its database was upgraded keeps them plain; its **anchor** records from
# which seq on the chain is keyed and the hash of its last plain event, with an HMAC over both (and the
# session id). A session without an anchor is keyed from its first event.

SESSION_ANCHOR_PURPOSE = "examdesk-session-anchor"
_SESSION_KEY_LABEL = b"examdesk-sessieketen\0"


def session_chain_key(hmac_key: bytes) -> bytes:
    """The session chains' own key, derived from the database's HMAC key (the audit chain's): one secret
    to keep and export, and an audit entry's MAC can never pass for an event's or the other way round."""
    return hmac.digest(hmac_key, _SESSION_KEY_LABEL, "sha256")


@dataclass(frozen=True)
class SessionAnchor:
    """From `keyed_from` on, the session's events are keyed; `prev_hash` is the hash of event keyed_from - 1."""

    session_id: str
    keyed_from: int
    prev_hash: str
    mac: str

    def payload(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "keyed_from": self.keyed_from, "prev_hash": self.prev_hash}

    def valid_for(self, key: bytes) -> bool:
        return mac_matches(key, SESSION_ANCHOR_PURPOSE, self.payload(), self.mac)


def make_session_anchor(key: bytes, session_id: str, keyed_from: int, prev_hash: str) -> SessionAnchor:
    return SessionAnchor(session_id, keyed_from, prev_hash,
                         mac(key, SESSION_ANCHOR_PURPOSE, {"session_id": session_id, "keyed_from": keyed_from,
                                                           "prev_hash": prev_hash}))


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(events: list[Event], key: bytes | None = None, anchor: SessionAnchor | None = None,
                 redactions: Mapping[tuple[str, str], Redaction] | None = None) -> ChainCheck:
    """Checks one session's events: numbering without gaps, each link, each hash; an event whose personal
    values an anonymisation replaced verifies against its valid redaction (`domain/privacy.Redaction`).

    Without `key` every hash is plain SHA-256 (a database from before v011). With the session chain `key`
    the events are keyed from the `anchor`'s `keyed_from` on (from the first without an anchor), and the
    plain events before it must end in the anchor's `prev_hash`."""
    if key is not None and anchor is not None and not anchor.valid_for(key):
        return ChainCheck(False, 0, anchor.keyed_from, "Het sleutelanker van de afname (session_chain_anchors) is "
                                                       "gewijzigd buiten ExamDesk of hoort bij een andere sleutel.")
    keyed_from = 1 if key is None or anchor is None else anchor.keyed_from
    prev = GENESIS_HASH
    for expected, e in enumerate(sorted(events, key=lambda ev: ev.seq), start=1):
        if e.seq != expected:
            return ChainCheck(False, expected - 1, expected, f"Gebeurtenis {expected} van de afname ontbreekt.")
        if anchor is not None and key is not None and e.seq == keyed_from and prev != anchor.prev_hash:
            return _anchor_broken(anchor, expected - 1)
        if e.prev_hash != prev:
            return ChainCheck(False, expected - 1, e.seq, f"Gebeurtenis {e.seq} sluit niet aan op de vorige.")
        digest = chain_hash(prev, e.id, e.session_id, e.seq, e.occurred_at, e.recorded_at, e.user_id, e.username,
                            e.kind, e.canonical_data(), e.corrects, key if e.seq >= keyed_from else None)
        if not hmac.compare_digest(digest, e.hash) and not (redactions and accepts(
                redactions, "session_events", e.id, e.hash,
                chain_hash(prev, e.id, e.session_id, e.seq, e.occurred_at, e.recorded_at, e.user_id, e.username,
                           e.kind, e.canonical_data(), e.corrects))):
            return ChainCheck(False, expected - 1, e.seq, f"Gebeurtenis {e.seq} is gewijzigd buiten ExamDesk.")
        prev = e.hash
    if anchor is not None and key is not None and len(events) < keyed_from and (
            len(events) < keyed_from - 1 or prev != anchor.prev_hash):
        return _anchor_broken(anchor, len(events))
    return ChainCheck(True, len(events))


def _anchor_broken(anchor: SessionAnchor, checked: int) -> ChainCheck:
    last = anchor.keyed_from - 1
    return ChainCheck(False, checked, last,
                      f"Gebeurtenis {last} past niet meer bij het sleutelanker van de afname: de gebeurtenissen 1 tot "
                      f"en met {last} (van vóór de beveiliging met een sleutel) zijn buiten ExamDesk herschreven of "
                      "verwijderd.")


def verify_links(events: list[Event]) -> ChainCheck:
    """The shape of another PC's chain, whose hashes are keyed under that PC's key and cannot be recomputed
    here (its signature proves what it holds): numbering without gaps and every link."""
    prev = GENESIS_HASH
    for expected, e in enumerate(sorted(events, key=lambda ev: ev.seq), start=1):
        if e.seq != expected:
            return ChainCheck(False, expected - 1, expected, f"Gebeurtenis {expected} van de afname ontbreekt.")
        if e.prev_hash != prev:
            return ChainCheck(False, expected - 1, e.seq, f"Gebeurtenis {e.seq} sluit niet aan op de vorige.")
        prev = e.hash
    return ChainCheck(True, len(events))
