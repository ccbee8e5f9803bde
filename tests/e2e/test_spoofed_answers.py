"""Only the notification server answers a reminder: a look-alike signal from any other
client on the session bus is ignored, however well it guesses the notification's id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import open_dbus_connection

from tests.desktop import DesktopSession
from tests.e2e.daemon_process import DaemonProcess

pytestmark = pytest.mark.desktop

CONFIG = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: dbus
log:
  level: debug
"""
NOTIFICATIONS = DBusAddress(
    "/org/freedesktop/Notifications", interface="org.freedesktop.Notifications"
)


def test_an_action_signal_from_another_client_is_ignored(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    desktop.clear_notifications()
    desktop.xdotool("mousemove", "7", "7")
    daemon = DaemonProcess(tmp_path, CONFIG, env=desktop.subprocess_env()).start()
    try:
        assert daemon.cli("remind-now").returncode == 0
        log = daemon.wait_for_log("(replacing 0)")
        notification_id = int(re.search(r"notification (\d+) \(replacing", log).group(1))  # type: ignore[union-attr]
        spoofer = open_dbus_connection(desktop.bus_address)
        try:
            keys = ["snooze:300", "snooze:99999999999999999999", "done"]
            for key in keys:
                spoofer.send(
                    new_signal(NOTIFICATIONS, "ActionInvoked", "us", (notification_id, key))
                )
            ignored = f"ignored ActionInvoked from {spoofer.unique_name}"
            daemon.wait_for_log(ignored, count=len(keys))
        finally:
            spoofer.close()
        status = daemon.status()
        assert (status["state"], status["done_count"]) == ("reminding", 0)
    finally:
        daemon.stop()
