"""Login cost with argon2id (OWASP m=19 MiB, t=2, p=1), beside the scrypt hash ExamDesk used before,
measured in the same run on a copy of the demo database. Goal (issue 11): a login under 400 ms.

Also prints what an attacker could time: the right password, a wrong one, an unknown user name and a
blocked name should cost about the same (each verifies one argon2 hash inside one write transaction).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("EXAMDESK_HOME", tempfile.mkdtemp(prefix="examdesk-bench-"))

from examdesk.data.db import open_store  # noqa: E402
from examdesk.domain.errors import AuthenticationError  # noqa: E402
from examdesk.domain.users import hash_password, verify_password  # noqa: E402
from examdesk.services.auth import AuthService  # noqa: E402
from examdesk.services.demo import create_demo  # noqa: E402

RUNS = 15


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            action()
        except AuthenticationError:
            pass
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def scrypt_hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def main() -> None:
    db = Path(os.environ["EXAMDESK_HOME"]) / "login-bench.sqlite"
    create_demo(db).close()
    store = open_store(db)
    auth = AuthService(store)

    argon = hash_password("demo")
    legacy = scrypt_hash("demo")
    print(f"hash verification (median of {RUNS})")
    print(f"  scrypt N=2^14 (before)          : {median_ms(lambda: verify_password('demo', legacy)):6.1f} ms")
    print(f"  argon2id m=19 MiB, t=2, p=1     : {median_ms(lambda: verify_password('demo', argon)):6.1f} ms")

    print(f"AuthService.login (median of {RUNS}, demo database)")
    good = median_ms(lambda: auth.login("commissie", "demo"))
    print(f"  right password                  : {good:6.1f} ms   (goal < 400 ms)")

    def wrong() -> None:
        try:
            auth.login("bureau", "fout")
        finally:
            store.write("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = 'bureau'")

    def unknown() -> None:
        try:
            auth.login("niemand", "fout")
        finally:
            store.write("DELETE FROM login_throttle")

    print(f"  wrong password                  : {median_ms(wrong):6.1f} ms")
    print(f"  unknown user name               : {median_ms(unknown):6.1f} ms")
    for _ in range(5):
        try:
            auth.login("surveillant", "fout")
        except AuthenticationError:
            pass
    print(f"  blocked user name               : {median_ms(lambda: auth.login('surveillant', 'demo')):6.1f} ms")

    def upgrade() -> None:
        store.write("UPDATE users SET password_hash = ? WHERE username = 'h.jansen'", (scrypt_hash("demo"),))
        auth.login("h.jansen", "demo")

    print(f"  first login with a scrypt hash  : {median_ms(upgrade, 7):6.1f} ms   (verify + rehash, once per user)")
    store.close()


if __name__ == "__main__":
    main()
