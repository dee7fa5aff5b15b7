"""A damaged `.examdesk` file is refused as a whole and leaves the database exactly as it was."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from examdesk.data import exchange as container
from examdesk.domain.exchange import TRAILER_LENGTH, ExchangeRefused
from examdesk.services.exchange import ExchangeService
from tests.exchange_support import dump, new_pc, receive_package, run_first_half, send_package, send_record
from tests.session_support import Clock, at, context, plan_session


@pytest.fixture
def files(store, empty_db: Path, tmp_path: Path) -> dict[str, bytes]:
    clock = Clock(at(8, 0))
    sid, ids = plan_session(store, clock)
    package = send_package(store, clock, [sid], tmp_path / "pakket")
    b = new_pc(empty_db, tmp_path, "pc-b")
    try:
        receive_package(b, clock, package)
        run_first_half(b, clock, sid, ids)
        record = send_record(b, store, clock, [sid], tmp_path / "verslag")
    finally:
        b.close()
    return {"pakket": package.read_bytes(), "verslag": record.read_bytes()}


def test_the_same_content_gives_the_same_checked_file(files):
    for raw in files.values():
        parsed = container.parse_bytes(raw, "x.examdesk")
        assert parsed.file_sha256 == container.sha256_hex(raw)
        assert raw[-TRAILER_LENGTH:-64] == b"examdesk-sha256:"


def test_every_flipped_byte_or_truncation_is_refused_and_nothing_changes(store, files, tmp_path):
    office = ExchangeService(context(store, "bureau", Clock(at(12, 0))))
    rng = random.Random(20270310)
    before = dump(store)
    changes = store.conn.total_changes
    target = tmp_path / "beschadigd.examdesk"
    cases = 0
    for name, raw in files.items():
        positions = rng.sample(range(len(raw)), 130)
        cuts = rng.sample(range(len(raw)), 40)
        damaged = [raw[:p] + bytes([raw[p] ^ rng.randint(1, 255)]) + raw[p + 1:] for p in positions]
        damaged += [raw[:c] for c in cuts]
        damaged += [raw[:-1], raw[1:], b"", raw + b"\n"]
        for data in damaged:
            target.write_bytes(data)
            with pytest.raises(ExchangeRefused) as refused:
                office.import_file(target)
            assert refused.value.message.endswith("Er is niets ingelezen."), (name, refused.value.message)
            assert store.conn.total_changes == changes
            cases += 1
    assert cases >= 300
    assert dump(store) == before


def test_the_messages_say_what_failed(files, tmp_path):
    raw = files["verslag"]
    with pytest.raises(ExchangeRefused, match="afgekapt"):
        container.parse_bytes(raw[: len(raw) // 2], "v.examdesk")
    middle = len(raw) // 2
    with pytest.raises(ExchangeRefused, match="beschadigd of bewerkt: de SHA-256 over het hele bestand klopt niet"):
        container.parse_bytes(raw[:middle] + bytes([raw[middle] ^ 1]) + raw[middle + 1:], "v.examdesk")
    with pytest.raises(ExchangeRefused, match="bestaat niet"):
        container.read_sealed(tmp_path / "weg.examdesk")
