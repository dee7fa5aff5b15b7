"""Users and their roles."""

from __future__ import annotations

from typing import Any

from examdesk.data.db import Store
from examdesk.domain.clock import from_iso, to_iso
from examdesk.domain.roles import Role
from examdesk.domain.users import LoginCounter, User


def _roles_of(store: Store, user_id: int) -> frozenset[Role]:
    return frozenset(Role(r[0]) for r in store.query("SELECT role FROM user_roles WHERE user_id = ?", (user_id,)))


def _user(store: Store, row: Any) -> User:
    return User(
        id=row["id"], username=row["username"], full_name=row["full_name"], roles=_roles_of(store, row["id"]),
        active=bool(row["active"]), function=row["function"], phone=row["phone"], email=row["email"],
    )


def get(store: Store, user_id: int) -> User | None:
    row = store.query_one("SELECT * FROM users WHERE id = ?", (user_id,))
    return _user(store, row) if row else None


def by_username(store: Store, username: str) -> User | None:
    row = store.query_one("SELECT * FROM users WHERE username = ?", (username,))
    return _user(store, row) if row else None


def credentials(store: Store, username: str) -> Any:
    """The row with password hash and lock-out counters; only the login service reads it."""
    return store.query_one(
        "SELECT id, password_hash, active, failed_attempts, locked_until FROM users WHERE username = ?", (username,)
    )


def all_users(store: Store) -> list[User]:
    return [_user(store, r) for r in store.query("SELECT * FROM users ORDER BY active DESC, full_name")]


def account_states(store: Store) -> list[tuple[int, str, frozenset[str], bool, str]]:
    """(id, user name, roles, active, password hash) of every account, for `verify` and the startup check to
    compare with the audit trail."""
    roles: dict[int, set[str]] = {}
    for user_id, role in store.query("SELECT user_id, role FROM user_roles"):
        roles.setdefault(user_id, set()).add(role)
    return [(r[0], r[1], frozenset(roles.get(r[0], ())), bool(r[2]), r[3])
            for r in store.query("SELECT id, username, active, password_hash FROM users ORDER BY id")]


def count_users(store: Store) -> int:
    return store.query_one("SELECT count(*) FROM users")[0]


def insert(store: Store, username: str, full_name: str, password_hash: str, roles: frozenset[Role],
           created_at: str, function: str = "", phone: str = "", email: str = "") -> int:
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO users (username, full_name, password_hash, function, phone, email, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (username, full_name, password_hash, function, phone, email, created_at),
        )
        user_id = cur.lastrowid
        conn.executemany("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [(user_id, r.value) for r in roles])
    return user_id


def set_roles(store: Store, user_id: int, roles: frozenset[Role]) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM user_roles WHERE user_id = ?", (user_id,))
        conn.executemany("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [(user_id, r.value) for r in roles])


def update_profile(store: Store, user_id: int, full_name: str, function: str, phone: str, email: str) -> None:
    store.write("UPDATE users SET full_name = ?, function = ?, phone = ?, email = ? WHERE id = ?",
                (full_name, function, phone, email, user_id))


def set_password_hash(store: Store, user_id: int, password_hash: str) -> None:
    store.write("UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
                (password_hash, user_id))


def set_active(store: Store, user_id: int, active: bool) -> None:
    store.write("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))


def record_login_failure(store: Store, user_id: int, counter: LoginCounter) -> None:
    store.write("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                (counter.failed_attempts, to_iso(counter.locked_until)
                 if counter.locked_until else None, user_id))


def reset_login_failures(store: Store, user_id: int) -> None:
    store.write("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?", (user_id,))


def counter_of(row: Any) -> LoginCounter:
    """The lock-out counter of a `credentials` row."""
    return LoginCounter(row["failed_attempts"], from_iso(row["locked_until"]) if row["locked_until"] else None)


def throttle(store: Store, name_key: str) -> LoginCounter:
    """The counter of a user name that has no account (see schema v010)."""
    row = store.query_one("SELECT failed_attempts, locked_until FROM login_throttle WHERE name_key = ?", (name_key,))
    return counter_of(row) if row else LoginCounter()


def record_throttle_failure(store: Store, name_key: str, counter: LoginCounter, at: str, prune_before: str) -> None:
    store.write("DELETE FROM login_throttle WHERE updated_at < ?", (prune_before,))
    store.write(
        "INSERT INTO login_throttle (name_key, failed_attempts, locked_until, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(name_key) DO UPDATE SET failed_attempts = excluded.failed_attempts,"
        " locked_until = excluded.locked_until, updated_at = excluded.updated_at",
        (name_key, counter.failed_attempts,
         to_iso(counter.locked_until) if counter.locked_until else None, at))


def access_state(store: Store, user_id: int) -> tuple[bool, str | None, frozenset[Role]] | None:
    """(active, locked_until, roles) as the database has them now: what `AppContext.require` checks on
    every call, so an account deactivated, locked or stripped of a role since login stops at once."""
    row = store.query_one(
        "SELECT u.active, u.locked_until, (SELECT group_concat(role, ',') FROM user_roles WHERE user_id = u.id)"
        " FROM users u WHERE u.id = ?", (user_id,))
    if row is None:
        return None
    roles = frozenset(Role(r) for r in (row[2] or "").split(",") if r)
    return bool(row[0]), row[1], roles


def active_with_role(store: Store, role: Role) -> list[User]:
    rows = store.query(
        "SELECT u.* FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = ? AND u.active = 1"
        " ORDER BY u.full_name", (role.value,))
    return [_user(store, r) for r in rows]
