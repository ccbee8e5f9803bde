"""The daemon on a headless sway: idle time from org_kde_kwin_idle, input through wtype;
a full-screen window (foot) from its window list holds a reminder. And on a headless
KWin 5.27, idle time from ext-idle-notify-v1 (version 1), which sway 1.7 does not offer;
there activity is KWin's simulated user activity (tests/kwin.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.desktop import require_tools, stop_process, wait_until
from tests.e2e.daemon_process import DaemonProcess
from tests.e2e.wakeups import settled_wakeups, wakeups
from tests.kwin import kwin_session
from tests.wayland import sway_session

pytestmark = pytest.mark.desktop

AWAY_QUICKLY = """\
sitting:
  remind_after: 1h
  break_after_idle: 2s
activity:
  poll_every: 1s
notify:
  backend: log
"""
HELD_BY_FULL_SCREEN = """\
sitting:
  remind_after: 1s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
dont_interrupt:
  settle: 1s
  signals: {dnd: false, fullscreen: true, camera: false, inhibitors: "off"}
"""
APP = "breakd-slides"


def wayland_env(display: str) -> dict[str, str]:
    """This process's environment on `display`, without the shared X11 desktop or bus."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    env["WAYLAND_DISPLAY"] = display
    return env


def test_present_then_away_past_the_threshold_then_back_at_a_key_press(tmp_path: Path) -> None:
    """Away once the idle edge (5 s without input) is read; back at the key press, which
    the watch reports: the daemon does not sample every poll_every (1 s) meanwhile.

    Its wake-ups (context switches, tests/e2e/wakeups.py) are counted from a key press
    to the log's "away", and then over as long a span while away: a daemon that sampled
    each second while away would wake as often as it did while sitting. The bound is
    generous, and nothing is timed: the span only sets how long to count."""
    with sway_session() as sway:
        daemon = DaemonProcess(tmp_path, AWAY_QUICKLY, env=wayland_env(sway.display)).start()
        try:
            status = daemon.status()
            assert status["idle_source"] == "wayland-idle-notify"
            assert status["state"] == "sitting"
            assert daemon.proc is not None
            pid = daemon.proc.pid
            settled_wakeups(pid)
            sway.type("a")
            pressed, sitting_mark = time.monotonic(), wakeups(pid)
            daemon.wait_for_log("sitting -> away", timeout=15)  # the log: not waking it
            span = time.monotonic() - pressed
            sitting = wakeups(pid) - sitting_mark
            away_mark = settled_wakeups(pid)  # the going away's own work is over
            time.sleep(span)
            while_away = wakeups(pid) - away_mark
            assert while_away < max(span, sitting / 2), (
                f"woke {while_away} times in {span:.1f} s away, {sitting} while sitting"
            )
            away = daemon.status()
            assert away["state"] == "away"
            assert away["idle_seconds"] >= 5
            mark = daemon.log_mark()
            sway.type("a")
            daemon.wait_for_log("natural break of", timeout=5, after=mark)
            back = daemon.status()
            assert back["state"] == "sitting"
            assert back["idle_seconds"] <= 1
        finally:
            daemon.stop()


def test_a_full_screen_window_holds_the_reminder_until_it_leaves_full_screen(
    tmp_path: Path,
) -> None:
    require_tools("foot")
    with sway_session() as sway:
        window = sway.open_window(APP)
        try:
            sway.swaymsg("fullscreen", "enable")
            sway.type("a")  # present: an absent user is not reminded
            daemon = DaemonProcess(tmp_path, HELD_BY_FULL_SCREEN, env=wayland_env(sway.display))
            daemon.start()
            try:
                daemon.wait_for_log(f"INFO busy: fullscreen:{APP}")
                held = wait_until(
                    lambda: (status := daemon.status())["deferred"] is not None and status,
                    timeout=10,
                    message=f"the reminder was never held; log:\n{daemon.log()}",
                )
                assert held["deferred"]["reasons"] == [f"fullscreen:{APP}"]
                assert "REMINDER" not in daemon.log()
                sway.type("b")
                sway.swaymsg("fullscreen", "disable")
                log = daemon.wait_for_log("REMINDER", timeout=15)
                assert ", now full screen is over" in log, log
                assert daemon.status()["deferred"] is None
            finally:
                daemon.stop()
        finally:
            stop_process(window)


def test_on_kwin_away_past_the_threshold_then_back_at_its_user_activity(tmp_path: Path) -> None:
    with kwin_session() as kwin:
        daemon = DaemonProcess(tmp_path, AWAY_QUICKLY, env=wayland_env(kwin.display)).start()
        try:
            status = daemon.status()
            assert status["idle_source"] == "wayland-idle-notify"
            assert status["state"] == "sitting"
            away = daemon.wait_for_state("away", timeout=15)
            assert away["idle_seconds"] >= 5
            mark = daemon.log_mark()
            kwin.simulate_activity()
            daemon.wait_for_log("natural break of", timeout=5, after=mark)
            back = daemon.status()
            assert back["state"] == "sitting"
            assert back["idle_seconds"] <= 1
        finally:
            daemon.stop()
