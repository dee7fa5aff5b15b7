"""Names listed for people in Dutch order (issue 14: "Şahin sorts after Wójcik"): the procesverbaal's candidate
list, the incident overview, the Beheer users, a session's roster and the commission members — Ëlif, Şahin,
de Vries (under V), Wójcik — sorted in Python with domain/collation after the query (bounded lists)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from examdesk.data.sessions import list_sessions, roster
from examdesk.domain.roles import Role
from examdesk.domain.sessions import SessionFilter
from examdesk.services.documents import DocumentService, kind
from examdesk.services.sessions import SessionService
from examdesk.services.users import UserService

WANTED = ["Ëlif", "Şahin", "Vries", "Wójcik"]


def _order(names: list[str]) -> list[str]:
    """Which of WANTED each name holds, in the order they come."""
    return [w for n in names for w in WANTED if w in n]


def _session_with_sahin_and_wojcik(store) -> str:
    for s in list_sessions(store, SessionFilter(status="afgesloten")):
        names = " ".join(r.name for r in roster(store, s.id))
        if "Şahin" in names and "Wójcik" in names:
            return s.id
    raise AssertionError("the demo has a closed session with Şahin and Wójcik")


def test_the_procesverbaal_lists_candidates_in_dutch_order(ctx_for):
    ctx = ctx_for(Role.COMMISSIE)
    sid = _session_with_sahin_and_wojcik(ctx.store)
    rows = kind("procesverbaal").collect(ctx.store, sid).data["kandidaten"]
    assert [r["naam"] for r in rows] == [e.name for e in SessionService(ctx).roster(sid)]
    assert _order([r["naam"] for r in rows]) == ["Şahin", "Vries", "Wójcik"]     # by workstation: Şahin, Wójcik, Vries
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(DocumentService(ctx).prepare(
        "procesverbaal", sid).pdf)).pages)
    assert text.index("Şahin") < text.index("Wójcik")


def test_users_roster_and_members_in_dutch_order(ctx_for):
    admin = UserService(ctx_for(Role.BEHEERDER))
    for username, full_name, role in (("a.wojcik", "Anna Wójcik", Role.COMMISSIE), ("e.sahin2", "Elif Şahin", Role.COMMISSIE),
                                      ("j.devries", "Jan de Vries", Role.COMMISSIE), ("elif", "Ëlif", Role.COMMISSIE)):
        admin.add(username, full_name, "een-lang-wachtwoord-2026", frozenset({role}))
    users = [u.full_name for u in admin.list_users() if u.active]
    assert _order([n for n in users if n in ("Anna Wójcik", "Elif Şahin", "Jan de Vries", "Ëlif")]) == WANTED

    from examdesk.services.incident_desk import IncidentDeskService

    members = [u.full_name for u in IncidentDeskService(ctx_for(Role.COMMISSIE)).commission_members()]
    assert _order([n for n in members if n in ("Anna Wójcik", "Elif Şahin", "Jan de Vries", "Ëlif")]) == WANTED
