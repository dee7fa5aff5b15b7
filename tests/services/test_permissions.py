"""Every action × every role, through the services: the GUI hides, the service refuses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from examdesk.domain.audit import AuditFilter
from examdesk.domain.errors import PermissionDenied
from examdesk.domain.institution import Institution
from examdesk.domain.roles import PERMISSIONS, Action, Role, allowed, parse_roles
from examdesk.services.audit import AuditService
from examdesk.services.context import AppContext
from examdesk.services.institution import InstitutionService
from examdesk.services.overview import OverviewService
from examdesk.services.users import UserService

# One call per action that the foundation's services perform. Later parts add theirs in their own tests.
CALLS: dict[Action, Callable[[AppContext], object]] = {
    Action.VIEW_OVERVIEW: lambda ctx: OverviewService(ctx).cards(),
    Action.MANAGE_USERS: lambda ctx: UserService(ctx).add("nieuw", "Nieuwe Collega", "koffie-met-twee-klontjes",
                                                          frozenset({Role.SURVEILLANT})),
    Action.EDIT_INSTITUTION: lambda ctx: InstitutionService(ctx).update(
        Institution("ROC Midden-Holland", "25PZ", "Examencommissie Techniek", "Gouda")),
    Action.VIEW_AUDIT: lambda ctx: AuditService(ctx).page(AuditFilter(), 0, 10),
}


def test_every_action_has_a_row_in_the_table():
    assert set(PERMISSIONS) == set(Action)
    assert all(PERMISSIONS[a] for a in Action), "an action nobody may perform"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(CALLS))
def test_service_enforces_the_table(ctx_for, role: Role, action: Action):
    ctx = ctx_for(role)
    audit_rows_before = ctx.store.query_one("SELECT count(*) FROM audit_log")[0]
    if allowed({role}, action):
        CALLS[action](ctx)
    else:
        with pytest.raises(PermissionDenied) as info:
            CALLS[action](ctx)
        assert "mag niet" in info.value.message
        assert ctx.store.query_one("SELECT count(*) FROM audit_log")[0] == audit_rows_before


def test_not_logged_in_is_refused(store):
    with pytest.raises(PermissionDenied, match="niet ingelogd"):
        UserService(AppContext(store)).list_users()


def test_parse_roles_accepts_short_names_and_refuses_unknown():
    assert parse_roles("commissie, bureau") == {Role.COMMISSIE, Role.BUREAU}
    with pytest.raises(ValueError, match="Onbekende rol 'docent'"):
        parse_roles("docent")
