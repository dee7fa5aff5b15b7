"""A demo database built deterministically (a frozen clock, seeded UUIDs), and the fingerprint of
every official document it has: what `tests/services/test_document_fingerprints_pinned.py` compares
with the values captured before the session-event refactor (issue 15: "the procesverbaal of every
demo session is byte-identical in content before and after").

Run as a script to print the current values (to capture them again after a deliberate change of the
demo data or of a document's content):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.fingerprint_support
"""

from __future__ import annotations

import random
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from examdesk.domain import clock

# A Wednesday afternoon in school year 2025-2026: every demo step has something to show then.
FROZEN_AT = datetime(2026, 3, 11, 13, 30, tzinfo=clock.AMSTERDAM)
PINNED_KINDS = ("procesverbaal", "inspectie", "besluit", "jaarverslag", "incidenten")


class _FrozenDateTime(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        return FROZEN_AT.astimezone(tz) if tz is not None else FROZEN_AT.replace(tzinfo=None)


class _SeededUuids:
    """uuid4 from a generator reseeded per demo step, so a change in one step's data (another
    branch adding a register entry) does not shift the ids of every later step."""

    def __init__(self) -> None:
        self.rng = random.Random("setup")

    def seed(self, name: str) -> None:
        self.rng = random.Random(name)

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _seeding(step: Callable[[Any], None], name: str, ids: _SeededUuids) -> Callable[[Any], None]:
    def run(store: Any) -> None:
        ids.seed(name)
        step(store)

    return run


@contextmanager
def frozen_world() -> Iterator[None]:
    """The clock stands still at FROZEN_AT and uuid4 is deterministic while inside."""
    from examdesk.services import demo

    ids = _SeededUuids()
    patches = [mock.patch.object(clock, "datetime", _FrozenDateTime), mock.patch.object(uuid, "uuid4", ids)]
    for module in demo.demo_steps():
        patches.append(mock.patch.object(module, "populate_demo",
                                         _seeding(module.populate_demo, module.__name__, ids)))
    for p in patches:
        p.start()
    try:
        yield
    finally:
        for p in reversed(patches):
            p.stop()


def demo_fingerprints(folder: Path) -> dict[str, str]:
    """'kind subject-id' → fingerprint, for every subject each pinned document kind offers."""
    from examdesk.domain.errors import NotFound
    from examdesk.services.demo import create_demo
    from examdesk.services.documents import current_fingerprint, kind

    with frozen_world():
        store = create_demo(folder / "pinned-demo.sqlite")
        try:
            found: dict[str, str] = {}
            for name in PINNED_KINDS:
                for subject_id, _label in kind(name).subjects(store):
                    try:
                        found[f"{name} {subject_id}"] = current_fingerprint(store, name, subject_id)
                    except NotFound:          # a period without incidents: no document to pin
                        found[f"{name} {subject_id}"] = "geen document"
            return found
        finally:
            store.close()


def main() -> None:
    import os

    with tempfile.TemporaryDirectory() as folder:
        os.environ["EXAMDESK_HOME"] = str(Path(folder) / "home")
        for key, value in sorted(demo_fingerprints(Path(folder)).items()):
            print(f"    {key!r}: {value!r},")  # noqa: T201 (a developer tool)


if __name__ == "__main__":
    main()
