"""`systemd-analyze --user verify` on a unit, as the tests of both autostart methods run it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

OTHER_PACKAGES = re.compile(
    r"Failed to put bus name to hashmap: File exists\n"
    r"|(?P<unit>[\w@.-]+\.service): Two services allocated for the same bus name \S+,"
    r" refusing operation\.\n"
)
"""What systemd says of the machine's own user units when several notification servers
are installed side by side (dunst, mako, swaync and xfce4-notifyd all claim
org.freedesktop.Notifications), as on CI: not about the unit under test."""


def systemd_verify(unit: Path) -> subprocess.CompletedProcess[str]:
    """Verify `unit` with a runtime dir of its own, short enough for the socket paths that
    systemd derives from it (108 bytes at most), wherever pytest keeps its temp dirs.
    Complaints about other packages' units are left out of stderr (OTHER_PACKAGES)."""
    runtime = tempfile.mkdtemp(prefix="bd-", dir="/tmp")
    try:
        result = subprocess.run(
            ["systemd-analyze", "--user", "verify", str(unit)],
            env={**os.environ, "XDG_RUNTIME_DIR": runtime},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    finally:
        shutil.rmtree(runtime, ignore_errors=True)

    def others(match: re.Match[str]) -> str:
        return match.group(0) if match.group("unit") == unit.name else ""

    result.stderr = OTHER_PACKAGES.sub(others, result.stderr)
    return result
