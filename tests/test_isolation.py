"""Tests never write outside their own EXAMDESK_HOME: not the session templates (built in a home of
their own), not the keys, not a test that undoes its monkeypatches. conftest points EXAMDESK_HOME
at a guard folder until a test sets its own; that guard must stay empty."""

from __future__ import annotations

import os

from tests.conftest import GUARD_HOME


def test_templates_get_their_keys_in_their_own_home_and_tests_get_a_copy(_templates, demo_db, examdesk_home):
    assert any(_templates["keys"].glob("*.json")), "the template databases' keys are in the template home"
    assert any((examdesk_home / "config" / "keys").glob("*.json")), "and copied into this test's home"
    assert os.environ["EXAMDESK_HOME"] == str(examdesk_home)


def test_nothing_is_written_to_the_guard_home(_templates):
    written = [str(p.relative_to(GUARD_HOME)) for p in GUARD_HOME.rglob("*")]
    assert written == []


def test_the_os_key_store_is_never_used_in_tests():
    import keyring
    from keyring.backends import fail

    assert isinstance(keyring.get_keyring(), fail.Keyring)
