"""Settings declared once (issue 15): every key lives in examdesk/services/settings.py (the database's) or
examdesk/services/window_settings.py (this PC's windows, light enough to load before the login is drawn —
issue 16), each setting names the modules that read it, and a stored value that cannot be read counts as the
default."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examdesk.data.institution import set_setting
from examdesk.domain.roles import Role
from examdesk.services import settings, window_settings
from examdesk.services.backup import BackupService
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import SessionService

PACKAGE = Path(settings.__file__).resolve().parent.parent
HOMES = ("services/settings.py", "services/window_settings.py")      # together: the one home of every key
DECLARED = {name: value for module in (settings, window_settings) for name, value in vars(module).items()
            if isinstance(value, settings.IntSetting | window_settings.WindowSetting)}


def _python_files() -> list[tuple[str, str]]:
    return [(p.relative_to(PACKAGE).as_posix(), p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")]


def test_every_setting_is_listed_once():
    listed = [*settings.DATABASE_SETTINGS, *window_settings.WINDOW_SETTINGS]
    names = [name for module in (settings, window_settings) for name, value in vars(module).items()
             if isinstance(value, settings.IntSetting | window_settings.WindowSetting)]
    assert len(names) == len(set(names))         # no name declared in both homes
    assert sorted(id(s) for s in listed) == sorted(id(s) for s in DECLARED.values())
    keys = [s.key for s in listed]
    assert len(keys) == len(set(keys))


def test_no_setting_key_is_written_anywhere_else():
    """A literal key at a call site is how a setting gets two defaults; the key's prefix is enough to find it."""
    offenders = []
    for rel, text in _python_files():
        if rel in HOMES:
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
        if rel in HOMES:
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
    assert window_settings.DIALOG_GEOMETRY.key_for("AdoptDialog") == "dialogs/AdoptDialog"
    assert window_settings.MAIN_WINDOW_GEOMETRY.key_for("ignored") == "main/geometry"


def test_the_login_dialog_loads_no_domain_rules_or_data_layer():
    """The login is drawn first (issue 16): the dialog and its geometry need nothing of the domain's rules
    (casework, privacy, backups) nor the data layer, which cost 40–60 ms before the paint."""
    code = ("import sys; import examdesk.ui.auth_dialogs; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('examdesk.domain', 'examdesk.data', "
            "'examdesk.services')))))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.split())
    assert loaded <= {"examdesk.domain", "examdesk.domain.errors", "examdesk.services",
                      "examdesk.services.window_settings"}
