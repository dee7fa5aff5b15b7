"""Nothing clipped (issue 14): every screen and every dialog of ExamDesk, styled as it runs, on a 1366×768
laptop at 100 %, on a 1920×1080 screen at 150 % (QT_SCALE_FACTOR) and at 200 % font size (the application
font doubled). Each mode needs its own process (the scale and the screen are fixed when Qt starts), which
runs tests/ui/layout_probe.py; a failure there prints what is clipped, widget by widget.

EXAMDESK_LAYOUT_SHOTS=<folder> keeps a PNG of every screen and dialog per mode to look at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# mode → (screen width, height in physical pixels, scale factor, font scale)
MODES = {
    "1366x768": (1366, 768, 1.0, 1.0),
    "1920x1080-150": (1920, 1080, 1.5, 1.0),
    "1366x768-font200": (1366, 768, 1.0, 2.0),
}


def run_probe(mode: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    width, height, scale, font = MODES[mode]
    screen = folder / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": mode, "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": str(scale),
           "EXAMDESK_LAYOUT_MODE": mode, "EXAMDESK_LAYOUT_FONT": str(font),
           "EXAMDESK_LAYOUT_REPORT": str(folder / "report.txt")}
    shots = os.environ.get("EXAMDESK_LAYOUT_SHOTS")
    if shots:
        env["EXAMDESK_LAYOUT_SHOTS"] = str(Path(shots) / mode)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "--tb=line", "-o", "addopts=", str(ROOT / "tests/ui/layout_probe.py"), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("mode", list(MODES))
def test_nothing_is_clipped(mode, tmp_path):
    result = run_probe(mode, tmp_path)
    report = tmp_path / "report.txt"
    clipped = report.read_text(encoding="utf-8") if report.exists() else ""
    assert result.returncode == 0, f"clipped at {mode}:\n{clipped}\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
    assert " passed" in result.stdout and "skipped" not in result.stdout.split("\n")[-2]
