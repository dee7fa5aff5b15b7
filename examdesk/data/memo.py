"""Derived data kept while the database is unchanged: one place for the memo that each list's counts, the Register's
view and the names of users are read through (issue 16: asked again before anything is written, not read again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from examdesk.data.db import Store, written_state

T = TypeVar("T")


def while_unchanged(store: Store, name: str, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """`make()`, kept in the store's memo under `name` for `key` and this state of the database
    (`written_state`, read before `make` runs): asked again for the same key before anything is written, the
    kept answer. One answer per name — the last key asked."""
    marked = (*key, written_state(store))
    memo = store.memo.get(name)
    if memo is not None and memo[0] == marked:
        return memo[1]
    value = make()
    store.memo[name] = (marked, value)
    return value
