"""The cache of the code `dataclasses` writes (issue 16): a second start compiles no dataclass method, the classes
behave as compiled ones do, and a damaged, foreign or crafted cache file is ignored, never run in part."""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import sys

import pytest

from examdesk import method_code

SOURCE = '''
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seat:
    number: int
    candidate: str = ""
    extra_minutes: int = 0
    notes: tuple[str, ...] = field(default=())
'''


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A module of ExamDesk's (by its name) in a folder of the test's own, imported afresh by each call, with the
    cache's memory of this process forgotten in between — as a new start would find it."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "probe_module.py"
    path.write_text(SOURCE, encoding="utf-8")

    def load():
        for table in (method_code._loaded, method_code._used):
            table.pop(method_code.cache_file(str(path)), None)
        name = "examdesk._probe_module"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[name]
        return module

    load.cache = method_code.cache_file(str(path))
    return load


def test_a_second_start_compiles_no_dataclass_method(probe):
    before = method_code.misses
    first = probe()
    assert method_code.misses - before == 6          # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    assert method_code.save() >= 1

    before = method_code.misses
    second = probe()
    assert method_code.misses == before               # every method's code came from the file
    seat = second.Seat(3, "Eliën Öztürk", 30)
    assert seat == second.Seat(3, "Eliën Öztürk", 30) and hash(seat) == hash(second.Seat(3, "Eliën Öztürk", 30))
    assert repr(seat) == repr(first.Seat(3, "Eliën Öztürk", 30)).replace("first", "second")
    with pytest.raises(dataclasses.FrozenInstanceError):
        seat.extra_minutes = 0
    assert dataclasses.replace(seat, extra_minutes=45).extra_minutes == 45


def test_a_changed_class_is_compiled_again_and_the_file_keeps_only_what_is_used(probe, tmp_path):
    probe()
    method_code.save()
    old = set(method_code._read(probe.cache))
    (tmp_path / "probe_module.py").write_text(SOURCE + "    room: str = ''\n", encoding="utf-8")
    before = method_code.misses
    module = probe()
    assert method_code.misses > before
    assert module.Seat(1, room="B1.04").room == "B1.04"
    method_code.save()
    stored = set(method_code._read(probe.cache))
    assert len(stored) == len(old) == 6 and not stored & old     # the old texts are gone


@pytest.mark.parametrize("damage", ["truncated", "other_python", "crafted_values", "not_marshal"])
def test_a_damaged_or_crafted_file_is_ignored_and_the_classes_still_work(probe, damage):
    probe()
    method_code.save()
    data = open(probe.cache, "rb").read()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "other_python":
        data = b"\x00\x00\r\n" + data[4:]
    elif damage == "crafted_values":           # the texts with something other than code beside them
        data = method_code.HEADER + marshal.dumps({text: "print('overgenomen')" for text in
                                                      method_code._read(probe.cache)})
    else:
        data = method_code.HEADER + b"\xff\xfe not marshal"
    open(probe.cache, "wb").write(data)

    before = method_code.misses
    module = probe()
    assert method_code.misses - before == 6             # compiled again, nothing of the file used
    assert module.Seat(2, "Anna") == module.Seat(2, "Anna")


def test_only_examdesk_modules_are_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "elsewhere.py"
    path.write_text(SOURCE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("elsewhere", path)
    module = importlib.util.module_from_spec(spec)
    before = method_code.misses
    spec.loader.exec_module(module)
    assert method_code.misses == before
    assert module.Seat(1) == module.Seat(1)


def test_nothing_is_written_where_python_writes_no_bytecode(probe, monkeypatch):
    probe()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert method_code.save() == 0
    assert not __import__("os").path.exists(probe.cache)
