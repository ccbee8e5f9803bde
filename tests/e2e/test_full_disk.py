"""A full disk under the real daemon: every save fails, the log says so in a few lines.

The state directory is a 16 KiB tmpfs, filled up, in a mount namespace of the daemon's
own (so root only); the state file, its writer and the logging are all the real ones.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from breakd.ipc import client
from tests.desktop import skip_or_fail
from tests.e2e.daemon_process import DaemonProcess

FULL = "cannot save state to {}: No space left on device"
# Mounts the tmpfs on $0, fills it, then runs the daemon in that namespace.
ON_A_FULL_TMPFS = (
    'mount -t tmpfs -o size=16k tmpfs "$0" || exit 99\n'
    'dd if=/dev/zero of="$0/filler" bs=4k count=16 2>/dev/null\n'
    'exec "$@"\n'
)


def can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = ["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def test_a_full_disk_is_logged_once_and_counted_not_per_command(tmp_path: Path) -> None:
    if not can_mount():
        skip_or_fail("needs root and mount namespaces (unshare -m, mount -t tmpfs)")
    state_dir = Path(os.environ["XDG_STATE_HOME"]) / "breakd"
    state_dir.mkdir()
    full = FULL.format(state_dir / "state.json")
    daemon = DaemonProcess(tmp_path, "notify:\n  backend: log\n")
    daemon.expected_errors.append(full)
    wrapper = ["unshare", "-m", "sh", "-c", ON_A_FULL_TMPFS, str(state_dir)]
    daemon.start(wrapper=wrapper)
    try:
        for command in ("remind-now", "snooze") * 15:
            assert client.call(command)["ok"]
        assert daemon.log().count(full) == 1
    finally:
        assert daemon.stop() == 0
    lines = [line for line in daemon.log().splitlines() if full in line]
    assert len(lines) == 2, daemon.log()  # the last try as it stops says how many came between
    held = re.search(r"\((\d+) more times\)$", lines[1])
    assert held is not None and int(held[1]) >= 60, lines[1]
    assert list(state_dir.iterdir()) == []  # the tmpfs, and all it held, went with the daemon
