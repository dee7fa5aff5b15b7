"""The crash test: a child process logs incidents (and drafts) in a loop and is killed with SIGKILL at
random moments. Every incident it reported as saved must be there afterwards, the file must pass
PRAGMA integrity_check, and the session's hash chain must still hold."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time as systime
from datetime import time
from pathlib import Path

from examdesk.data.db import open_store
from examdesk.data.users import by_username
from examdesk.domain.sessions import PlanDraft
from examdesk.services.context import AppContext
from examdesk.services.session_mode import SessionModeService
from examdesk.services.sessions import LocationService
from tests.session_support import plan_for_surveillant

KILLS = 50

CHILD = r"""
import sys
from examdesk.data.db import open_store
from examdesk.data.users import by_username
from examdesk.domain.sessions import IncidentInput
from examdesk.services.context import AppContext
from examdesk.services.session_mode import SessionModeService

store = open_store(sys.argv[1], create=False)
ctx = AppContext(store, by_username(store, "surveillant"))
service = SessionModeService(ctx, sys.argv[2])
out = sys.stdout
out.write("READY\n")
out.flush()
n = 0
while True:
    n += 1
    service.save_draft({"category": "OVERIG", "what_happened": "typen " + str(n)})
    event = service.log_incident(IncidentInput("OVERIG", all_candidates=True, what_happened="melding " + str(n)))
    out.write(event.id + "\n")
    out.flush()
"""


def _session_today(path: Path) -> str:
    store = open_store(path)
    try:
        bureau = AppContext(store, by_username(store, "bureau"))
        places = LocationService(bureau)
        room = places.save_room(None, places.save_location(None, "Crashlokaal", ""), "X1", 5)
        draft = PlanDraft(
            exam_kind="centraal", session_date=bureau.clock().date(), start=time(0, 0), duration_minutes=600,
            room_id=room, late_limit_minutes=30, central_exam="Ned2F", period="crash",
            invigilator_ids=())
        # Jan may already be in the demo's running session today (it moves with the clock): plan with a
        # stand-in, then hand it to him, as the session fixtures do
        return plan_for_surveillant(store, bureau, draft).id
    finally:
        store.close()


def test_every_incident_reported_saved_survives_sigkill(demo_db):
    session_id = _session_today(demo_db)
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    rng = random.Random(4)
    reported: list[str] = []
    deadline = systime.monotonic() + 55
    kills = 0
    while kills < KILLS and systime.monotonic() < deadline:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(demo_db), session_id],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert child.stdout.readline().strip() == b"READY", child.stderr.read().decode()
        systime.sleep(rng.uniform(0.0, 0.12))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        # only complete lines count as reported: a line cut off by the kill was never fully reported
        lines = out.decode().split("\n")
        reported += [line for line in lines[:-1] if line]
        kills += 1
    assert kills >= KILLS, f"only {kills} kills in the time allowed"
    assert len(reported) > KILLS

    store = open_store(demo_db)
    try:
        assert store.integrity_check() == ["ok"]
        present = {r[0] for r in store.query("SELECT id FROM session_events WHERE session_id = ?", (session_id,))}
        missing = [i for i in reported if i not in present]
        assert not missing, f"{len(missing)} reported incidents are missing"
        service = SessionModeService(AppContext(store, by_username(store, "surveillant")), session_id)
        ok, reason = service.verify()
        assert ok, reason
    finally:
        store.close()
