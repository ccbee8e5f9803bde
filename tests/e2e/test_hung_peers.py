"""A peer that hangs never freezes the daemon: `breakd status` keeps answering at once."""

from __future__ import annotations

import time
from pathlib import Path

from breakd.ipc import client
from tests.desktop import DesktopSession, wait_until
from tests.e2e.daemon_process import DaemonProcess

PLYER = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: plyer
"""


def test_a_hung_notify_send_is_abandoned_and_status_answers_meanwhile(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    hung = bin_dir / "notify-send"
    hung.write_text("#!/bin/sh\nexec sleep 60\n")  # a notify-send whose server never answers
    hung.chmod(0o755)
    env = desktop.subprocess_env()
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    desktop.xdotool("mousemove", "5", "5")
    daemon = DaemonProcess(tmp_path, PLYER, env=env).start()
    try:
        assert daemon.cli("remind-now").returncode == 0
        daemon.wait_for_log("reminder: ")
        slowest = 0.0
        while "plyer did not deliver within 5 s" not in daemon.log():
            started = time.monotonic()
            assert client.call("status")["status"]["state"] == "reminding"  # type: ignore[index]
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
        assert slowest < 0.5, f"status took {slowest:.2f} s while notify-send hung"
        wait_until(lambda: "REMINDER Stretch break: Standing lunge" in daemon.log())
        assert daemon.stop() == 0  # the hung helper's thread holds nothing up
    finally:
        daemon.stop()
