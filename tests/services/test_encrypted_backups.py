"""Encrypted backups (issue 18): AES-GCM under the database's backup key, streamed in chunks; restoring
needs the key; a lost or foreign key is explained in Dutch; plain backups from before still restore."""

from __future__ import annotations

import hashlib
import shutil
import tracemalloc
from pathlib import Path

import pytest

from examdesk.data import backup as backup_data
from examdesk.data import backup_crypto, keystore
from examdesk.data import meta as meta_data
from examdesk.data.db import open_store
from examdesk.domain.errors import DatabaseRefused
from examdesk.domain.roles import Role
from examdesk.services.backup import BackupService, check_backup


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_encrypted_and_holds_no_readable_name(store, ctx_for):
    name = store.query_one("SELECT first_name || ' ' || last_name, student_number FROM candidates LIMIT 1")
    made = BackupService(ctx_for(Role.BEHEERDER)).backup_now()
    raw = made.path.read_bytes()
    assert raw.startswith(backup_crypto.MAGIC) and b"SQLite format 3" not in raw
    assert name[0].encode() not in raw and name[1].encode() not in raw
    listing = BackupService(ctx_for(Role.BEHEERDER)).list()[0]
    assert listing.encrypted and listing.encryption_label == "versleuteld"
    assert listing.audit_head is not None          # read from the header, without the key
    assert check_backup(made.path).ok              # decrypted beside it, checked, and the plain copy removed
    assert sorted(p.name for p in made.path.parent.iterdir() if p.name.startswith(".")) == []


def test_round_trip_restores_the_same_database(store, ctx_for, demo_db):
    service = BackupService(ctx_for(Role.BEHEERDER))
    made = service.backup_now()
    with backup_data.plain_backup(made.path) as plain:
        assert plain.read_bytes().startswith(b"SQLite format 3")
        inside = open_store(plain, create=False)
        expected = inside.query_one("SELECT max(seq) FROM audit_log")[0]
        inside.close()
    from examdesk.services.candidates import CandidateService
    CandidateService(ctx_for(Role.COMMISSIE)).get(1)           # a change after the backup
    service.restore(made.path)
    last = store.query("SELECT seq, action FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert (last["seq"], last["action"]) == (expected + 1, "back-up teruggezet")
    assert not any(p.name.endswith(backup_data.TEMP_MARK) for p in made.path.parent.iterdir())


def test_restore_without_the_key_is_explained_and_changes_nothing(store, ctx_for, demo_db, tmp_path):
    made = BackupService(ctx_for(Role.BEHEERDER)).backup_now()
    stick = tmp_path / "stick.sqlite"
    shutil.copyfile(made.path, stick)
    database_id = meta_data.database_id(store)
    keyfile = keystore.keys_folder() / f"{database_id}.json"
    saved = keyfile.read_bytes()
    keyfile.unlink()                              # another PC, or the key file lost
    try:
        check = check_backup(stick)
        assert not check.ok and "die sleutel staat niet op deze computer" in check.reason
        assert "examdesk keys import" in check.reason
    finally:
        keyfile.write_bytes(saved)


def test_a_backup_with_another_databases_key_or_tampered_is_refused(store, ctx_for, tmp_path):
    made = BackupService(ctx_for(Role.BEHEERDER)).backup_now()
    other = tmp_path / "ander.sqlite"
    with backup_data.plain_backup(made.path) as plain:
        header = backup_crypto.header_of(made.path)
        backup_crypto.encrypt_file(plain, other, bytes(32), {
            "database_id": header.database_id, "demo": header.demo, "institution": header.institution,
            "brin": header.brin, "schema_version": header.schema_version, "audit_head": header.audit_head})
    check = check_backup(other)
    assert not check.ok and "andere back-upsleutel" in check.reason
    before = _sha(store.path)
    with pytest.raises(DatabaseRefused, match="andere back-upsleutel"):
        BackupService(ctx_for(Role.BEHEERDER)).restore(other)
    assert _sha(store.path) == before
    flipped = tmp_path / "gewijzigd.sqlite"
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 1
    flipped.write_bytes(bytes(data))
    check = check_backup(flipped)
    assert not check.ok and "beschadigd of buiten ExamDesk gewijzigd" in check.reason
    cut = tmp_path / "afgekapt.sqlite"
    cut.write_bytes(made.path.read_bytes()[:-5000])
    assert "afgekapt" in check_backup(cut).reason or "beschadigd" in check_backup(cut).reason


def test_an_old_unencrypted_backup_still_restores_and_says_so(store, ctx_for, demo_db):
    service = BackupService(ctx_for(Role.BEHEERDER))
    folder = service.folder()
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / "examdesk_20260101_120000_handmatig.sqlite"
    backup_data.copy_database(demo_db, old)                       # as made before encryption: plain
    assert old.read_bytes().startswith(b"SQLite format 3")
    listing = {x.backup.name: x for x in service.list()}[old.name]
    assert not listing.encrypted and listing.encryption_label.startswith("niet versleuteld")
    result = service.restore(old)
    assert result.restored.name == old.name
    assert result.safety_copy is not None and backup_data.is_encrypted(result.safety_copy.path)


def test_200_mb_streams_in_bounded_memory(tmp_path):
    """A 200 MB database never needs 200 MB of memory: encrypting holds a few chunks (read and sealed two ahead of
    the one written), decrypting about two."""
    source = tmp_path / "groot.sqlite"
    block = hashlib.sha256(b"x").digest() * (1 << 15)             # 1 MiB
    with open(source, "wb") as out:
        for _ in range(200):
            out.write(block)
    key = bytes(range(32))
    sealed, back = tmp_path / "groot.enc", tmp_path / "terug.sqlite"
    fields = {"database_id": "d", "demo": False, "institution": "", "brin": "", "schema_version": 1,
              "audit_head": (1, "0" * 64)}
    tracemalloc.start()
    try:
        backup_crypto.encrypt_file(source, sealed, key, fields)
        backup_crypto.decrypt_file(sealed, back, key)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * (1 << 20), f"peak {peak / (1 << 20):.1f} MiB"
    assert back.stat().st_size == source.stat().st_size and _sha(back) == _sha(source)
