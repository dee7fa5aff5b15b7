"""What issue 16 asks of backups and the startup check: closing after a login that changed nothing makes
no backup; a backup is named after a quick check and fully checked in the background; the copy just made
is never rotated away; a normal start leaves the page-by-page check to the background check, which —
finding damage — makes the next start look at the pages first."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from examdesk.data import backup as backup_data
from examdesk.data.users import by_username
from examdesk.domain.backups import DatabaseState
from examdesk.domain.roles import Role
from examdesk.services.auth import AuthService
from examdesk.services.backup import (
    BackupService,
    automatic_backup_if_due,
    changed_since,
    check_database,
    check_pending,
    folder_of,
)
from examdesk.services.candidates import CandidateService
from examdesk.services.context import AppContext
from examdesk.services.users import UserService
from tests.backup_support import as_plain
from tests.services.test_index_damage import garble_index_page


def _backups(store) -> list[str]:
    return [b.name for b in backup_data.list_backup_files(folder_of(store.path))]


def test_closing_after_a_login_and_a_look_makes_no_backup_but_after_a_change_it_does(store, ctx_for):
    admin = ctx_for(Role.BEHEERDER)
    made = BackupService(admin).backup_now()                 # audits 'back-up gemaakt' after the copy
    later = made.taken_at + timedelta(minutes=1)
    user = AuthService(store).login("commissie", "demo")     # audits 'ingelogd'
    bureau = AppContext(store, by_username(store, "bureau"))
    CandidateService(bureau).get(CandidateService(bureau).search("")[0].id)   # 'kandidaatgegevens ingezien'
    assert automatic_backup_if_due(store, closing=True, clock=lambda: later) is None
    assert _backups(store) == [made.name]
    UserService(admin).set_active(user.username, False)      # a change
    second = automatic_backup_if_due(store, closing=True, clock=lambda: later + timedelta(seconds=1))
    assert second is not None and second.path.exists()
    assert len(_backups(store)) == 2


def test_a_backup_of_another_line_of_history_counts_as_changed(store, ctx_for):
    made = BackupService(ctx_for(Role.BEHEERDER)).backup_now()
    AuthService(store).login("commissie", "demo")
    assert not changed_since(store.path, made.path)         # only a login since
    conn = sqlite3.connect(as_plain(made.path))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'", ("f" * 64,))
    conn.commit()
    conn.close()
    assert changed_since(store.path, made.path)             # its head is not in this chain: not this history


def test_the_copy_just_made_is_never_rotated_away_in_the_same_second(store, ctx_for):
    admin = ctx_for(Role.BEHEERDER)
    moment = admin.clock()
    fixed = AppContext(store, admin.user, clock=lambda: moment)
    manual = BackupService(fixed).backup_now()
    UserService(admin).add("x.test", "X Test", "lange-zin-om-te-testen", frozenset({Role.BUREAU}))
    automatic = automatic_backup_if_due(store, closing=True, clock=lambda: manual.taken_at)
    assert automatic is not None and automatic.path.exists()   # 'automatisch' sorts before 'handmatig'


def test_a_backup_is_named_after_a_quick_check_and_fully_checked_in_the_background(store, ctx_for):
    service = BackupService(ctx_for(Role.BEHEERDER))
    good = service.backup_now()
    bad = service.backup_now()
    assert [x.check_label for x in service.list()] == ["nog niet gecontroleerd"] * 2
    garble_index_page(as_plain(bad.path))                           # a page went bad on the backup disk
    checks = check_pending(store.path)
    assert sorted(c.ok for c in checks) == [False, True]
    labels = {x.backup.name: x.check_label for x in service.list()}
    assert labels[good.name] == "gecontroleerd"
    assert labels[bad.name].startswith("beschadigd: ") and bad.name in labels[bad.name]
    assert check_pending(store.path) == []                  # each backup is checked once


def test_a_normal_start_leaves_the_pages_to_the_background_check_which_makes_the_next_start_look(demo_db):
    assert check_database(demo_db, record=True).state is DatabaseState.OK   # first start here: pages checked
    garble_index_page(demo_db)
    assert check_database(demo_db, record=True).state is DatabaseState.OK   # a normal start reads no page more
    background = check_database(demo_db, find_backup=False, thorough=True, record=True)
    assert background.state is DatabaseState.DAMAGED and "beschadigd" in background.problem
    verdict = check_database(demo_db, record=True)
    assert verdict.state is DatabaseState.DAMAGED                           # found before the window next time


def test_a_first_start_on_this_pc_still_checks_the_pages(demo_db):
    garble_index_page(demo_db)
    assert check_database(demo_db, record=True).state is DatabaseState.DAMAGED
