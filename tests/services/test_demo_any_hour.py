"""The demo is made at whatever time someone runs `examdesk demo` (or the test suite, or CI): its session
"running now" must still fit in the day late in the evening, when fifty minutes ago plus ninety minutes
is past midnight, and just after midnight, when it can only just have started. (Between 22:30 and 00:05
Amsterdam time the demo could not be made at all.)"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from examdesk.domain import clock
from examdesk.domain.sessions import SessionFilter
from examdesk.services.demo import create_demo


@pytest.mark.parametrize("hh, mm", [(22, 45), (23, 40), (23, 58), (0, 0), (0, 3), (0, 10), (0, 54), (13, 30)])
def test_the_demo_can_be_made_at_any_hour_and_has_a_session_running_today(hh, mm, tmp_path: Path):
    at = datetime(2026, 11, 30, hh, mm, tzinfo=clock.AMSTERDAM)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return at.astimezone(tz) if tz is not None else at.replace(tzinfo=None)

    from examdesk.data import sessions as session_data

    with mock.patch.object(clock, "datetime", Frozen):
        store = create_demo(tmp_path / "demo.sqlite")
        try:
            today = [p for p in session_data.list_sessions(store, SessionFilter()) if p.session_date == at.date()]
            running = [p for p in today if p.status == "bezig"]
            assert running, [(p.title, p.status) for p in today]
            assert all(p.starts_at.hour * 60 + p.starts_at.minute + p.duration_minutes <= 24 * 60 for p in today)
        finally:
            store.close()
