"""A bytecode cache for the methods `dataclasses` writes, beside each module's own bytecode.

Why (issue 16): `@dataclass` writes the source of a class's `__init__`, `__repr__`, `__eq__`, `__hash__`
and, when frozen, `__setattr__` and `__delattr__`, and compiles each with `exec` — on every start, for every
class, although the text is the same each time. After the login, ExamDesk imports some 160 frozen
dataclasses for the main window, the Overzicht's cards and the startup check, and compiling their methods
was about half of that import time (~1 ms per class; 180-210 ms of ~400 ms on a loaded machine). Python
caches a module's own code in `__pycache__`; this does the same for the code `dataclasses` writes.

How: `dataclasses` calls `exec(text, module_globals, namespace)` (one call site in 3.11-3.13). `install()`
gives that module an `exec` that looks the text up in the defining module's cache file and runs the stored
code object; a text not found is compiled as before and written at `save()` (the launcher calls it when the
main window is idle, and at exit). The key is the whole text, so a changed class simply misses; the file
starts with the interpreter's bytecode magic number, so another Python ignores it.

Trust: the files lie where Python keeps the module's own `.pyc` (`importlib.util.cache_from_source`), with
the same write rights, and are skipped when bytecode writing is off. Only ExamDesk's own modules are cached.
The PyInstaller bundle has no `__pycache__`: `build.spec` writes the files of every module at build time
(`export`) into the bundle's own folder, which the program reads and never writes. An unreadable or damaged
file is ignored, never trusted in part.
"""

from __future__ import annotations

import builtins
import importlib.util
import marshal
import os
import sys
import threading
from pathlib import Path
from types import CodeType
from typing import Any

HEADER = importlib.util.MAGIC_NUMBER + b"examdesk-dataclass-code-1\n"
SUFFIX = ".dataclass-code"
BUNDLED = "examdesk-dataclass-code"             # the bundle's folder of them (build.spec)

_lock = threading.Lock()
_loaded: dict[str, dict[str, CodeType]] = {}   # cache file → its code by text
_used: dict[str, dict[str, CodeType]] = {}     # cache file → the code this process used
_missed: set[str] = set()                      # cache files with a text compiled in this process
misses = 0                                      # how many texts were compiled (what a test and a bench read)


def cache_file(module_file: str, module: str = "") -> str | None:
    """Where the dataclass code of `module` (in `module_file`) is kept, or None (no bytecode cache there)."""
    if getattr(sys, "frozen", False):
        return os.path.join(getattr(sys, "_MEIPASS", ""), BUNDLED, module + SUFFIX) if module else None
    try:
        pyc = importlib.util.cache_from_source(module_file)
    except (NotImplementedError, ValueError):
        return None
    return pyc[: -len(".pyc")] + SUFFIX if pyc.endswith(".pyc") else None


def _read(path: str) -> dict[str, CodeType]:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return {}
    if not data.startswith(HEADER):
        return {}
    try:
        found = marshal.loads(data[len(HEADER):])
    except Exception:  # noqa: BLE001 — a damaged file is a missing file: the methods are compiled again
        return {}
    if not isinstance(found, dict) or not all(
            isinstance(k, str) and isinstance(v, CodeType) for k, v in found.items()):
        return {}
    return found


_files: dict[tuple[str, str], str | None] = {}   # (module, its file) → its cache file: six lookups per class


def _own_cache(globals_: Any) -> str | None:
    if not isinstance(globals_, dict):
        return None
    name, file = globals_.get("__name__"), globals_.get("__file__")
    if not (isinstance(name, str) and name.startswith("examdesk.") and isinstance(file, str)):
        return None
    key = (name, file)
    if key not in _files:
        _files[key] = cache_file(file, name)
    return _files[key]


def cached_exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
    """`exec` as `dataclasses` calls it, with the compiled text taken from the module's cache file."""
    global misses
    path = _own_cache(globals_) if isinstance(source, str) else None
    if path is None:
        return builtins.exec(source, globals_, locals_)
    with _lock:
        known = _loaded.get(path)
        if known is None:
            known = _loaded[path] = _read(path)
        code = known.get(source)
        if code is None:
            code = compile(source, "<string>", "exec")   # what exec(source) compiles, the same file name
            known[source] = code
            _missed.add(path)
            misses += 1
        _used.setdefault(path, {})[source] = code
    return builtins.exec(code, globals_, locals_)


def counts() -> tuple[int, int]:
    """(methods of ExamDesk's dataclasses made in this process, how many of them were compiled here)."""
    with _lock:
        return sum(len(codes) for codes in _used.values()), misses


def install() -> None:
    """From now on, the dataclasses ExamDesk's modules define take their methods' code from the cache."""
    import dataclasses

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]  # the module's one exec call finds this first


def save() -> int:
    """Writes the cache file of each module that compiled a text in this process — only the texts it used, so
    a class removed leaves nothing behind. Returns how many files were written; a folder that cannot be
    written is left as it is (as Python does with its `.pyc`)."""
    if sys.dont_write_bytecode or getattr(sys, "frozen", False):
        return 0
    with _lock:
        todo = {path: dict(_used.get(path, {})) for path in _missed}
        _missed.clear()
    written = 0
    for path, codes in todo.items():
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(temporary, "wb") as out:
                out.write(HEADER + marshal.dumps(codes))
            os.replace(temporary, path)        # whole or not at all: another ExamDesk may read it now
            written += 1
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
    return written


def export(folder: str | os.PathLike) -> int:
    """For the bundle (build.spec): imports every module of ExamDesk and writes each one's dataclass code to
    `folder` as `<module>.dataclass-code`, the names the bundle looks for. Returns how many files."""
    import pkgutil

    import examdesk

    for info in pkgutil.walk_packages(examdesk.__path__, "examdesk."):
        if info.name.endswith("__main__"):
            continue                                # running it would start ExamDesk
        try:
            importlib.import_module(info.name)
        except ImportError:
            continue                                # an optional extra not installed: the bundle lacks it too
    os.makedirs(folder, exist_ok=True)
    for old in Path(folder).glob("*" + SUFFIX):
        old.unlink()                                # of a module since removed
    written = 0
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        path = cache_file(file, name) if name.startswith("examdesk.") and file else None
        codes = _used.get(path) if path else None
        if codes:
            with open(os.path.join(folder, name + SUFFIX), "wb") as out:
                out.write(HEADER + marshal.dumps(codes))
            written += 1
    return written
