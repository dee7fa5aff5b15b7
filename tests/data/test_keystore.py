"""Where the keys live: the OS key store when keyring has a usable backend, else a file only this user
can read. Never overwritten; the tests never touch the real key store (conftest selects the fail
backend) nor the real home."""

from __future__ import annotations

import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend

from examdesk.data import keystore
from examdesk.domain.errors import KeysMissing, ValidationError
from examdesk.domain.keys import new_keys
from examdesk.paths import config_dir

DB_ID = "fedcba9876543210fedcba9876543210"


class MemoryKeyring(KeyringBackend):
    """A usable OS key store, in memory."""

    priority = 5

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


def test_without_a_usable_key_store_the_keys_go_to_a_private_file(examdesk_home):
    assert keystore._keyring() is None  # the fail backend of the test run
    keys = new_keys(DB_ID, "")
    where = keystore.save(keys)
    path = keystore.keys_folder() / f"{DB_ID}.json"
    assert str(path) in where and path.is_relative_to(config_dir())
    assert str(examdesk_home) in str(path)
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(keystore.keys_folder().stat().st_mode) == 0o700
    assert keystore.load(DB_ID) == keys


def test_a_usable_key_store_is_preferred_and_only_a_marker_stays_on_disk(monkeypatch):
    store = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(store)
    try:
        keys = new_keys(DB_ID, "")
        assert "sleutelkluis" in keystore.save(keys)
        assert not (keystore.keys_folder() / f"{DB_ID}.json").exists()
        marker = (keystore.keys_folder() / f"{DB_ID}.keyring").read_text()
        assert keys.hmac_key.hex() not in marker and "hmac" not in marker
        assert keystore.has_keys(DB_ID) and keystore.load(DB_ID) == keys
        store.entries.clear()  # the key store lost them: missing, not a crash
        assert keystore.load(DB_ID) is None
    finally:
        keyring.set_keyring(previous)


def test_existing_keys_are_never_overwritten():
    keystore.save(new_keys(DB_ID, ""))
    with pytest.raises(ValidationError, match="nooit overschreven"):
        keystore.save(new_keys(DB_ID, ""))


def test_missing_keys_are_a_dutch_sentence_with_the_way_out():
    with pytest.raises(KeysMissing) as caught:
        keystore.require(DB_ID, "/pad/examdesk.sqlite")
    assert "staan niet op deze computer" in caught.value.message
    assert "examdesk keys import" in caught.value.message


def test_a_damaged_key_file_is_explained():
    keystore.keys_folder().mkdir(parents=True)
    (keystore.keys_folder() / f"{DB_ID}.json").write_text("{kapot")
    with pytest.raises(ValidationError, match="onleesbaar"):
        keystore.load(DB_ID)


def test_ids_that_are_not_ours_never_become_file_names():
    for bad in ("../../etc/passwd", "", "ABC", "0" * 31):
        with pytest.raises(ValidationError):
            keystore.load(bad)
