"""The daemon on a real desktop: Xvfb for idle time, xdotool for input, dunst for reminders.

That steady input keeps one sitting is the tracker's rule, tested in-process
(tests/inprocess/test_daemon_day.py); that a key press resets X11's idle time is
tested on the adapter (tests/adapters/test_idle_x11.py).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop import DesktopSession, wait_until
from tests.e2e.daemon_process import DaemonProcess
from tests.e2e.wakeups import settled_wakeups, wakeups
from tests.notify_monitor import NotificationMonitor

pytestmark = pytest.mark.desktop

AWAY_QUICKLY = """\
sitting:
  remind_after: 1h
  break_after_idle: 1s
activity:
  poll_every: 1s
notify:
  backend: log
"""

PLYER = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: plyer
"""


def test_no_input_is_away_without_waking_the_daemon_and_input_brings_the_user_back(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    """X11's SYNC idle alarm reports the return: no sampling every poll_every (1 s here)."""
    desktop.xdotool("mousemove", "10", "10")
    daemon = DaemonProcess(tmp_path, AWAY_QUICKLY, env=desktop.subprocess_env()).start()
    try:
        assert daemon.status()["idle_source"] == "x11-screensaver"
        away = daemon.wait_for_state("away")
        assert away["sitting_seconds"] is None
        assert daemon.proc is not None
        before = settled_wakeups(daemon.proc.pid)  # the status call's own work is over
        time.sleep(2)
        assert wakeups(daemon.proc.pid) - before <= 1, "the daemon woke while nobody was there"
        later = daemon.status()
        assert later["state"] == "away"
        assert later["idle_seconds"] > away["idle_seconds"], "idle time did not grow"

        mark = daemon.log_mark()
        desktop.xdotool("mousemove", "200", "300")
        daemon.wait_for_log("natural break of", timeout=3, after=mark)  # the alarm woke it
        back = daemon.status()
        assert back["state"] == "sitting"
        assert back["sitting_seconds"] <= 1
        assert back["idle_seconds"] <= 1
    finally:
        daemon.stop()


def test_a_reminder_through_plyer_arrives_in_the_notification_server_with_its_icon(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    desktop.clear_notifications()
    desktop.xdotool("mousemove", "20", "20")
    daemon = DaemonProcess(tmp_path, PLYER, env=desktop.subprocess_env()).start()
    try:
        with NotificationMonitor(desktop.bus_address) as monitor:
            assert daemon.cli("remind-now").returncode == 0
            shown = monitor.wait_for_notify()
        icons = {shown.app_icon, str(shown.hints.get("image-path", ""))}
        assert any(icon.endswith("/icons/standing-lunge.png") for icon in icons), shown
        assert shown.actions == []  # plyer has no buttons
        wait_until(lambda: daemon.status()["notifier"] == "plyer (NotifySendNotification)")
        wait_until(lambda: desktop.displayed_count() >= 1, message="no notification on screen")
        desktop.dunstctl("close-all")
        [entry] = wait_until(desktop.dunst_history, message="nothing in dunst's history")
        assert entry["summary"] == "Stretch break: Standing lunge"
        assert entry["appname"] == "breakd"
        assert "Navel in" in entry["body"]
        assert "Hold 30 s each side." in entry["body"]
    finally:
        daemon.stop()
