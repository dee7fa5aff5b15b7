"""The key file: a passphrase-protected export of a database's keys. Round trip, wrong passphrase,
and every crafted file a Dutch refusal — never a traceback, never unbounded work."""

from __future__ import annotations

import base64
import json

import pytest

from examdesk.domain.errors import ValidationError
from examdesk.domain.keys import (
    MAX_KEY_FILE_BYTES,
    key_fingerprint,
    new_keys,
    open_key_file,
    seal_key_file,
)

PASS = "correct paard batterij niet"
DB_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def sealed() -> tuple[bytes, object]:
    keys = new_keys(DB_ID, "2026-11-23T09:00:00+01:00")
    return seal_key_file([keys], PASS, "2026-11-23T09:00:00+01:00"), keys


def test_round_trip_gives_the_same_keys(sealed):
    data, keys = sealed
    [back] = open_key_file(data, PASS)
    assert back == keys
    assert back.fingerprint == keys.fingerprint


def test_the_file_holds_no_key_in_the_clear(sealed):
    data, keys = sealed
    for secret in (keys.hmac_key, keys.signing_seed, keys.backup_key):
        assert base64.b64encode(secret) not in data and secret not in data


def test_a_wrong_passphrase_is_refused_in_dutch(sealed):
    with pytest.raises(ValidationError, match="wachtwoord van het sleutelbestand klopt niet"):
        open_key_file(sealed[0], PASS + "x")


def _edited(data: bytes, change) -> bytes:
    document = json.loads(data)
    change(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: b"naam;klas\nAyse;2B\n", "geen sleutelbestand"),
    (lambda d: b"\xff\xfe" + b"x" * 11, "geen sleutelbestand"),
    (lambda d: b"[" * 100_000, "te groot"),
    (lambda d: b"[" * 60_000, "geen sleutelbestand"),  # nesting deeper than the parser goes
    (lambda d: b" " * (MAX_KEY_FILE_BYTES + 1), "te groot"),
    (lambda d: json.dumps({"format": "iets anders"}).encode(), "geen sleutelbestand"),
    (lambda d: _edited(d, lambda x: x.update(version=99)), "andere versie"),
    (lambda d: _edited(d, lambda x: x["kdf"].update(n=2 ** 40)), "beschadigd of gewijzigd"),  # a work bomb
    (lambda d: _edited(d, lambda x: x["kdf"].update(r=10_000)), "beschadigd of gewijzigd"),
    (lambda d: _edited(d, lambda x: x["kdf"].update(n=2 ** 18, r=16)), "beschadigd of gewijzigd"),  # 512 MiB
    (lambda d: _edited(d, lambda x: x["kdf"].update(n=3)), "beschadigd of gewijzigd"),
    (lambda d: _edited(d, lambda x: x.update(nonce="AAAA")), "beschadigd of gewijzigd"),
    (lambda d: _edited(d, lambda x: x.update(ciphertext="!!niet-base64!!")), "beschadigd of gewijzigd"),
    (lambda d: _edited(d, lambda x: x.update(exported_at="gisteren")), "klopt niet, of het bestand is gewijzigd"),
    (lambda d: _edited(d, lambda x: x.update(ciphertext=base64.b64encode(b"x" * 64).decode())), "klopt niet"),
])
def test_crafted_key_files_are_refused(sealed, make, message):
    with pytest.raises(ValidationError, match=message):
        open_key_file(make(sealed[0]), PASS)


def test_a_short_passphrase_is_refused_before_anything_is_written():
    with pytest.raises(ValidationError, match="minstens 12 tekens"):
        seal_key_file([new_keys(DB_ID, "")], "demo", "")


def test_the_fingerprint_is_readable_over_the_phone(sealed):
    fingerprint = sealed[1].fingerprint
    groups = fingerprint.split(" ")
    assert len(groups) == 16 and all(len(g) == 4 and g == g.upper() for g in groups)
    assert key_fingerprint(b"\0" * 32) != fingerprint


def test_keys_never_show_their_secrets_in_a_log(sealed):
    keys = sealed[1]
    assert base64.b64encode(keys.hmac_key).decode() not in repr(keys) and keys.hmac_key.hex() not in repr(keys)
