"""Least privilege for invigilators (issue 11): what a user without `VIEW_ALL_SESSIONS` may see.

A surveillant sees the sessions they are assigned to, and of those the roster without birth dates;
the extra minutes and facilities they must provide stay, the reason for extra time never reaches
them (it is not on a roster at all: it lives in the candidate's file, `CandidateService.get`, which
needs `VIEW_CANDIDATES`). Every service that reads sessions, rosters or events goes through here,
so the rule is written once; `tests/services/test_role_matrix.py` checks it on every public method.
"""

from __future__ import annotations

from dataclasses import replace

from examdesk.data import sessions as data
from examdesk.domain.errors import NotFound, PermissionDenied
from examdesk.domain.roles import Action
from examdesk.domain.sessions import RosterEntry, SessionFilter, SessionPlan
from examdesk.domain.users import User
from examdesk.services.context import AppContext

NOT_FOUND = "Deze afname bestaat niet (meer)."


def sees_all_sessions(ctx: AppContext) -> bool:
    return ctx.can(Action.VIEW_ALL_SESSIONS)


def sees_candidate_files(ctx: AppContext) -> bool:
    return ctx.can(Action.VIEW_CANDIDATES)


def session_filter(ctx: AppContext, f: SessionFilter | None = None) -> SessionFilter:
    """The filter as asked, narrowed to the user's own sessions when they may not see all."""
    user = ctx.require(Action.VIEW_SESSIONS)
    f = f or SessionFilter()
    return f if sees_all_sessions(ctx) else replace(f, invigilator_id=user.id)


def is_assigned(user: User, plan: SessionPlan) -> bool:
    return user.id in {uid for uid, _ in plan.invigilators}


def check_session(ctx: AppContext, plan: SessionPlan) -> SessionPlan:
    return check_sessions(ctx, [plan])[0]


def check_sessions(ctx: AppContext, plans: list[SessionPlan]) -> list[SessionPlan]:
    """The plans, if this user may see every one of them: the account is read once for the whole list
    (a list of 1,000 sessions is one read, not 1,000)."""
    user = ctx.require(Action.VIEW_SESSIONS)
    if not sees_all_sessions(ctx):
        for plan in plans:
            if not is_assigned(user, plan):
                raise PermissionDenied(f"{user.full_name} is geen surveillant van deze afname en mag haar niet "
                                       "inzien.")
    return plans


def visible_session(ctx: AppContext, session_id: str) -> SessionPlan:
    """The session, if this user may see it: NotFound, or PermissionDenied for someone else's session."""
    ctx.require(Action.VIEW_SESSIONS)
    plan = data.session(ctx.store, session_id)
    if plan is None:
        raise NotFound(NOT_FOUND)
    return check_session(ctx, plan)


def visible_roster(ctx: AppContext, plan: SessionPlan) -> list[RosterEntry]:
    """The roster of a session the user may see; without birth dates for whoever may not read files."""
    check_session(ctx, plan)
    entries = data.roster(ctx.store, plan.id)
    if sees_candidate_files(ctx):
        return entries
    return [replace(e, birth_date=None) for e in entries]
