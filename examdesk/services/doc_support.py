"""What several official documents read alike: the institution block, the people behind user names
and the particulars of a session (instrument or central exam, kwalificatie, room, times).

Everything returned is plain JSON-able data: the document's fingerprint is taken over it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from examdesk.data import institution as institution_data
from examdesk.data import register as register_data
from examdesk.data import sessions as session_data
from examdesk.data import users as user_data
from examdesk.data.db import Store
from examdesk.domain.clock import format_date, format_time
from examdesk.domain.errors import NotFound
from examdesk.domain.sessions import CENTRAL_EXAMS, EXAM_KINDS, SessionPlan, fold
from examdesk.domain.users import User


def matching(choices: Iterable[tuple[str, str]], text: str, limit: int | None) -> list[tuple[str, str]]:
    """The choices whose label holds every typed word (any case), at most `limit`, in their order."""
    words = text.casefold().split()
    found = []
    for subject_id, label in choices:
        folded = label.casefold()
        if all(w in folded for w in words):
            found.append((subject_id, label))
            if limit is not None and len(found) >= limit:
                break
    return found


def searchable(text: str, fixed: Iterable[str]) -> str:
    """The typed words a full-text search can narrow a list by: not a date or a time, and not part of the
    label's own words (`fixed`: statuses, 'lokaal', category names …), which every row has or the search
    index does not hold. The label check (`matching`) still decides."""
    vocabulary = " ".join(fixed).casefold()
    return " ".join(w for w in text.split()
                    if not re.fullmatch(r"[\d:./-]+", w) and w.casefold() not in vocabulary)


def first_matching(fetch: Callable[[int, int], list[tuple[str, str] | None]], text: str, limit: int | None,
                   batch: int = 200) -> list[tuple[str, str]]:
    """`matching` over a list read page by page from the database (`fetch(offset, count)`, in the list's
    order, already narrowed by SQL to what can match; None for a row read that is not a choice), until
    `limit` choices are found: a list that grows with the years is never read whole for the first few. Without
    typed text every row read is a choice: no more rows are read than asked for (the Rapporten screen's newest
    subject is one row, not a page of 200 labelled ones)."""
    found: list[tuple[str, str]] = []
    offset = 0
    if limit is not None and not text.strip():
        batch = min(batch, max(limit, 1))
    while limit is None or len(found) < limit:
        chunk = fetch(offset, batch)
        found += matching([c for c in chunk if c is not None], text, None if limit is None else limit - len(found))
        if len(chunk) < batch:
            break
        offset += batch
    return found


def institution(store: Store) -> dict[str, Any]:
    inst = institution_data.get(store)
    if inst is None:
        raise NotFound("Deze database is nog niet ingericht: er zijn geen instellingsgegevens.")
    return {"naam": inst.name, "brin": inst.brin, "examencommissie": inst.commission_name, "plaats": inst.place,
            "beroepsinstantie": inst.appeal_body, "beroepstermijn_dagen": inst.appeal_term_days}


class People:
    """User names in the record → the person (full name, roles, function); looked up once each."""

    def __init__(self, store: Store):
        self.store = store
        self._by_name: dict[str, User | None] = {}

    def user(self, username: str) -> User | None:
        if username not in self._by_name:
            self._by_name[username] = user_data.by_username(self.store, username)
        return self._by_name[username]

    def by_id(self, user_id: int) -> User | None:
        u = user_data.get(self.store, user_id)
        if u is not None:
            self._by_name.setdefault(u.username, u)
        return u

    def name(self, username: str) -> str:
        u = self.user(username)
        return u.full_name if u else username


def session_plan(store: Store, session_id: str) -> SessionPlan:
    plan = session_data.session(store, session_id)
    if plan is None:
        raise NotFound(f"Afname '{session_id}' bestaat niet.")
    return plan


def session_particulars(store: Store, plan: SessionPlan) -> dict[str, Any]:
    """The exam and where and when it was taken, as the procesverbaal and the Inspectie form show it."""
    instrument: dict[str, Any] = {}
    qualification = ""
    if plan.instrument_id:
        i = register_data.get_instrument(store, plan.instrument_id)
        if i is not None:
            instrument = {"code": i.code, "titel": i.title, "onderdeel": i.part, "route": i.route,
                          "versie": i.version}
            q = register_data.get_qualification(store, i.crebo)
            qualification = f"{i.crebo} {q.name} (niveau {q.niveau_label})" if q else i.crebo
    room = session_data.room(store, plan.room_id)
    address = ""
    location_name = ""
    if room is not None:
        location_name = room.location_name
        address = next((loc.address for loc in session_data.locations(store) if loc.id == room.location_id), "")
    return {
        "id": plan.id,
        "titel": plan.title,
        "soort": EXAM_KINDS[plan.exam_kind],
        "soort_code": plan.exam_kind,
        "centraal_examen": plan.central_exam or "",
        "centraal_examen_naam": CENTRAL_EXAMS.get(plan.central_exam or "", ""),
        "instrument": instrument,
        "kwalificatie": qualification,
        "variant": plan.variant,
        "afnameperiode": plan.period,
        "datum": format_date(plan.session_date),
        "datum_iso": plan.session_date.isoformat(),
        "locatie": location_name,
        "adres": address,
        "lokaal": room.name if room else plan.room_label,
        "gepland_begin": format_time(plan.starts_at),
        "gepland_einde": format_time(plan.planned_end),
        "duur_minuten": plan.duration_minutes,
        "toelatingsgrens_minuten": plan.late_limit_minutes,
        "status": plan.status,
    }


def took_part_count(store: Store, plan: SessionPlan) -> int:
    """How many candidates took part (deelgenomen, `session_state.took_part`), as the record now stands."""
    events = session_data.events(store, plan.id)
    last = max((e.recorded for e in events), default=plan.starts_at)
    return len(fold(plan, session_data.roster(store, plan.id), events, last).took_part)


def exam_line(particulars: dict[str, Any]) -> str:
    """'Nederlands 3F (Ned3F)' or 'VIG-ENG-A2 Engels A2 lezen' — what was examined."""
    if particulars["centraal_examen"]:
        return f"{particulars['centraal_examen_naam']} ({particulars['centraal_examen']})"
    i = particulars["instrument"]
    if i:
        return f"{i['code']} {i['titel']}"
    return particulars["titel"]


def hhmm(moment: datetime | None) -> str:
    return format_time(moment) if moment else ""
