"""Settings declared once (issue 15): every key lives in examdesk/services/settings.py, each setting names
the modules that read it, and a stored value that cannot be read counts as the default."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from examdesk.data.institution import set_setting
from examdesk.domain.roles import Role
from examdesk.services import settings
from examdesk.services.backup import BackupService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import SessionService

PACKAGE = Path(settings.__file__).resolve().parent.parent
DECLARED = {name: value for name, value in vars(settings).items()
            if isinstance(value, settings.IntSetting | settings.WindowSetting)}


def _python_files() -> list[tuple[str, str]]:
    return [(p.relative_to(PACKAGE).as_posix(), p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")]


def test_every_setting_is_listed_once():
    listed = [*settings.DATABASE_SETTINGS, *settings.WINDOW_SETTINGS]
    assert sorted(id(s) for s in listed) == sorted(id(s) for s in DECLARED.values())
    keys = [s.key for s in listed]
    assert len(keys) == len(set(keys))


def test_no_setting_key_is_written_anywhere_else():
    """A literal key at a call site is how a setting gets two defaults; the key's prefix is enough to find it."""
    offenders = []
    for rel, text in _python_files():
        if rel == "services/settings.py":
            continue
        for literal in (node.value for node in ast.walk(ast.parse(text))
                        if isinstance(node, ast.Constant) and isinstance(node.value, str)):
            for setting in DECLARED.values():
                stem = setting.key.split("{")[0]
                if stem and stem in literal:
                    offenders.append(f"{rel}: {literal!r}")
    assert offenders == []


def test_readers_name_exactly_the_modules_that_use_each_setting():
    used: dict[str, set[str]] = {name: set() for name in DECLARED}
    for rel, text in _python_files():
        if rel == "services/settings.py":
            continue
        for node in ast.walk(ast.parse(text)):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if isinstance(node, ast.alias):
                name = node.name
            if name in used:
                used[name].add(rel)
    assert {name: sorted(paths) for name, paths in used.items()} == {
        name: sorted(setting.readers) for name, setting in DECLARED.items()}


def test_stored_values_are_read_with_their_default_and_minimum(store):
    assert settings.read(store, settings.SESSION_LOCK_MINUTES) == 5           # never stored: the default
    for stored, expected in (("12", 12), ("0", 1), ("-3", 1), ("vijf", 5), ("", 5)):
        set_setting(store, settings.SESSION_LOCK_MINUTES.key, stored)
        assert settings.read(store, settings.SESSION_LOCK_MINUTES) == expected
    settings.write(store, settings.BACKUP_KEEP_WEEKLY, 0)
    assert settings.read(store, settings.BACKUP_KEEP_WEEKLY) == 0            # a minimum of 0 keeps 0


@pytest.mark.parametrize(("setting", "read"), [
    (settings.SESSION_LOCK_MINUTES, lambda ctx, sid: SessionModeService(ctx, sid).lock_minutes()),
    (settings.BACKUP_KEEP_DAILY, lambda ctx, sid: BackupService(ctx).retention()[0]),
    (settings.BACKUP_KEEP_WEEKLY, lambda ctx, sid: BackupService(ctx).retention()[1]),
])
def test_the_services_read_through_the_declaration(store, ctx_for, setting, read):
    """What a school stored is what the service uses; garbage falls back to the declared default."""
    surveillant = ctx_for(Role.SURVEILLANT)
    ctx = surveillant if setting is settings.SESSION_LOCK_MINUTES else ctx_for(Role.BEHEERDER)
    session_id = SessionService(surveillant).list()[0].id
    set_setting(store, setting.key, str(setting.minimum + 3))
    assert read(ctx, session_id) == setting.minimum + 3
    set_setting(store, setting.key, "onleesbaar")
    assert read(ctx, session_id) == setting.default


def test_window_settings_fill_in_the_dialog_name():
    assert settings.DIALOG_GEOMETRY.key_for("AdoptDialog") == "dialogs/AdoptDialog"
    assert settings.MAIN_WINDOW_GEOMETRY.key_for("ignored") == "main/geometry"
