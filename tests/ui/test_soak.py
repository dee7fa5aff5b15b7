"""Issue 10: a long exam day must not kill ExamDesk. The soak runs in its own process, so a binding
that aborts the interpreter (PySide6 6.12.0 on CPython 3.11) fails this test instead of the suite."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

from examdesk.services.selftest import binding_problem
from examdesk.ui.soak import NONE_IS_COUNTED, _measure


def test_a_four_hour_exam_day_and_every_screen_leave_the_process_alive(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXAMDESK_HOME=str(tmp_path / "home"))
    run = subprocess.run([sys.executable, "-m", "examdesk", "selftest", "--soak", "240"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    # four hours of session mode plus a quarter of an hour of closing, one tick per simulated second
    assert "[duur] sessiemodus: 15300 stappen" in run.stdout
    assert "[duur] alle schermen:" in run.stdout
    assert "Zelftest geslaagd." in run.stdout


@pytest.mark.skipif(not NONE_IS_COUNTED, reason="None is immortal from Python 3.12 on")
def test_the_soak_measure_catches_a_binding_that_drops_references_to_none():
    decref, incref = ctypes.pythonapi.Py_DecRef, ctypes.pythonapi.Py_IncRef
    for f in (decref, incref):
        f.argtypes = [ctypes.py_object]
    try:
        phase = _measure("lek", 1000, lambda _step: decref(None))   # what 6.12.0 does on every setText
    finally:
        for _ in range(1000):
            incref(None)
    assert phase.none_lost >= 1000 and not phase.ok
    assert _measure("gezond", 1000, lambda _step: None).ok


@pytest.mark.parametrize(("version", "python", "bad"), [
    ("6.12.0", (3, 11), True),
    ("6.12.0", (3, 12), False),     # None is immortal there: the lost references do no harm
    ("6.11.3", (3, 11), False),
])
def test_selftest_knows_the_bad_binding(version, python, bad):
    problem = binding_problem(version, python)
    assert (problem is not None) == bad
    if bad:
        assert "midden in een examen" in problem
