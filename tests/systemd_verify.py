"""`systemd-analyze --user verify` on a unit, as the tests of both autostart methods run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def systemd_verify(unit: Path) -> subprocess.CompletedProcess[str]:
    """Verify `unit` with a runtime dir of its own, short enough for the socket paths that
    systemd derives from it (108 bytes at most), wherever pytest keeps its temp dirs."""
    runtime = tempfile.mkdtemp(prefix="bd-", dir="/tmp")
    try:
        return subprocess.run(
            ["systemd-analyze", "--user", "verify", str(unit)],
            env={**os.environ, "XDG_RUNTIME_DIR": runtime},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
