"""`make screenshot`'s script makes a PNG of a real reminder: the real daemon, asked with
`breakd remind-now`, shown by a real dunst under Xvfb, saved from dunst's window."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

from tests.desktop import require_tools
from tests.screenshot import TOOLS

REPO = Path(__file__).resolve().parents[2]


def test_the_screenshot_script_saves_dunsts_window_showing_a_reminder(tmp_path: Path) -> None:
    require_tools(*TOOLS)
    out = tmp_path / "shot.png"
    made = subprocess.run(
        [sys.executable, "-m", "tests.screenshot", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    # The daemon said which stretch it showed, after dunst counted it on screen.
    assert made.stdout.startswith(f"wrote {out}: a reminder to do the ")
    assert made.stdout.rstrip().endswith(", as dunst showed it")
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert 400 <= width <= 800 and 80 <= height <= 400, (width, height)  # dunst's window
    # Text and the stretch's icon do not compress like an empty window would.
    assert len(png) > 4000, len(png)
