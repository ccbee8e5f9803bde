"""A peer that hangs never freezes the daemon: `breakd status` keeps answering at once.

The peers are real programs stopped with SIGSTOP (dunst, Xvfb, the session bus), or a
helper that never returns; each test fails if any answer took half a second or more.
"""

from __future__ import annotations

import contextlib
import math
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from breakd.ipc import client
from tests.dbus_services import MutterIdleMonitor, private_buses, service_host
from tests.desktop import (
    DesktopSession,
    wait_until,
)
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
    daemon.wait_for_log("in use: ")  # the start-up summary, before any peer hangs
    try:
        assert daemon.cli("remind-now").returncode == 0
        daemon.wait_for_log("reminder: ")
        slowest = 0.0
        while "plyer did not deliver within 5 s" not in daemon.log():
            started = time.monotonic()
            assert client.call("status")["status"]["state"] == "reminding"  # type: ignore[index]
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
        print(f"slowest status while notify-send hung: {slowest:.3f} s")
        assert slowest < STATUS_WITHIN, f"status took {slowest:.2f} s while notify-send hung"
        wait_until(lambda: "REMINDER Stretch break: Standing lunge" in daemon.log())
        assert daemon.stop() == 0  # the hung helper's thread holds nothing up
    finally:
        daemon.stop()


# -- real peers stopped with SIGSTOP ----------------------------------------------------

STATUS_WITHIN = 0.5
"""Seconds `breakd status` may take while a peer hangs."""


@contextlib.contextmanager
def stopped(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """The process hangs (SIGSTOP) inside the block, and goes on after it."""
    proc.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGCONT)


def process(session: DesktopSession, program: str) -> subprocess.Popen[bytes]:
    return next(proc for proc in session.processes if proc.args[0] == program)


@dataclass
class Polled:
    slowest: float = 0.0
    """The slowest answer, in seconds."""
    done_at: float = math.inf
    """When `done()` was first seen to hold (monotonic)."""


def poll_status(daemon: DaemonProcess, done: Callable[[], bool], at_least: float) -> Polled:
    """Ask for the status every 0.1 s, as `breakd status` does, until `done()` holds and
    `at_least` seconds have passed."""
    polled, started = Polled(), time.monotonic()
    while polled.done_at == math.inf or time.monotonic() - started < at_least:
        asked = time.monotonic()
        daemon.status()  # fails the test if no answer comes within its 5 s socket timeout
        polled.slowest = max(polled.slowest, time.monotonic() - asked)
        if polled.done_at == math.inf and done():
            polled.done_at = time.monotonic()
        time.sleep(0.1)
    return polled


def warnings_logged(daemon: DaemonProcess) -> list[str]:
    return [line for line in daemon.log().splitlines() if " WARNING " in line or " ERROR " in line]


def only(lines: list[str], *expected: str) -> list[str]:
    """The lines that none of `expected` accounts for."""
    return [line for line in lines if not any(text in line for text in expected)]


AUTO = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
"""


def test_a_hung_dunst_costs_the_reminder_its_route_not_the_daemon_its_answers(
    own_session: DesktopSession, tmp_path: Path
) -> None:
    """dunst stopped while a reminder goes to it: D-Bus, then plyer's notify-send, wait on
    it in vain; the log shows the reminder, and `status` answered at once throughout."""
    own_session.xdotool("mousemove", "5", "5")
    daemon = DaemonProcess(tmp_path, AUTO, env=own_session.subprocess_env()).start()
    daemon.wait_for_log("in use: ")  # the start-up summary, before any peer hangs
    try:
        with stopped(process(own_session, "dunst")):
            assert daemon.cli("remind-now").returncode == 0
            slowest = poll_status(
                daemon, lambda: "REMINDER Stretch break" in daemon.log(), at_least=1.0
            ).slowest
        print(f"slowest status while dunst hung: {slowest:.3f} s")
        assert slowest < STATUS_WITHIN, f"status took {slowest:.2f} s while dunst hung"
        assert (
            only(
                warnings_logged(daemon),
                "the notification server did not answer within 5 s; falling back",
                "plyer did not deliver within 5 s; falling back",
            )
            == []
        )
        # dunst goes on: the next reminder is its again, and the daemon never stalled
        assert daemon.cli("done").returncode == 0
        assert daemon.cli("remind-now").returncode == 0
        daemon.wait_for_log("reminders now go through", count=2)
        own_session.wait_for(lambda: own_session.displayed_count() >= 1)
    finally:
        assert daemon.stop() == 0


LOG_ONLY = """\
sitting:
  remind_after: 3s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
"""


def test_a_hung_x_server_holds_no_command_up_and_the_reminder_keeps_its_time(
    own_session: DesktopSession, tmp_path: Path
) -> None:
    """Xvfb stopped half a second before a reminder is due: the X11 idle source's round trip
    waits on the worker until its 2 s deadline, then the source is dropped; meanwhile the
    daemon answers, and the reminder comes on time."""
    own_session.xdotool("mousemove", "5", "5")
    daemon = DaemonProcess(tmp_path, LOG_ONLY, env=own_session.subprocess_env()).start()
    daemon.wait_for_log("in use: ")  # the start-up summary, before any peer hangs
    due = time.monotonic() + 3.0  # remind_after from a start that came before this
    try:
        assert daemon.status()["idle_source"] == "x11-screensaver"
        time.sleep(max(0.0, due - 0.5 - time.monotonic()))
        with stopped(process(own_session, "Xvfb")):
            polled = poll_status(
                daemon, lambda: "REMINDER Stretch break" in daemon.log(), at_least=3.0
            )
            slowest, reminded = polled.slowest, polled.done_at
            daemon.wait_for_log("idle source x11-screensaver stopped working")
        print(f"slowest status while Xvfb hung: {slowest:.3f} s; reminder {reminded - due:+.3f} s")
        assert slowest < STATUS_WITHIN, f"status took {slowest:.2f} s while the X server hung"
        assert reminded < due + 0.5, f"the reminder came {reminded - due:.2f} s late"
        assert (
            only(
                warnings_logged(daemon),
                "idle source x11-screensaver stopped working (the X server on "
                f"{own_session.display} did not answer the idle-time query)",
            )
            == []
        )
        assert daemon.status()["idle_source"] is None  # counted as present until one is found
        assert daemon.cli("done").returncode == 0
        assert daemon.status()["state"] == "sitting"
    finally:
        assert daemon.stop() == 0


GNOME_LOG_ONLY = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
notify:
  backend: log
"""


def test_a_hung_session_bus_holds_no_command_up_and_the_daemon_recovers(tmp_path: Path) -> None:
    """The session bus stopped under GNOME's idle monitor (a stand-in): the call waits on the
    worker until its 1 s deadline, the source is dropped, and every command answers at once."""
    with private_buses(tmp_path / "buses") as buses, service_host() as host:
        MutterIdleMonitor(host, buses.session_address, idle_ms=0).start()
        daemon = DaemonProcess(tmp_path, GNOME_LOG_ONLY, env=buses.env()).start()
        daemon.wait_for_log("in use: ")  # the start-up summary, before any peer hangs
        try:
            assert daemon.status()["idle_source"] == "mutter-idle-monitor"
            with stopped(buses.processes[0]):
                slowest = poll_status(daemon, lambda: True, at_least=2.5).slowest
                daemon.wait_for_log("idle source mutter-idle-monitor stopped working")
                for command in ("remind-now", "snooze", "remind-now", "done"):
                    asked = time.monotonic()
                    assert (daemon.ask(command) or {}).get("ok") is True, command
                    slowest = max(slowest, time.monotonic() - asked)
            print(f"slowest answer while the session bus hung: {slowest:.3f} s")
            assert slowest < STATUS_WITHIN, f"status took {slowest:.2f} s while the bus hung"
            assert (
                only(
                    warnings_logged(daemon),
                    "idle source mutter-idle-monitor stopped working"
                    " (org.gnome.Mutter.IdleMonitor gave no answer within 1 s)",
                )
                == []
            )
            # the bus goes on: the daemon answers and acts as before
            assert daemon.cli("remind-now").returncode == 0
            assert daemon.status()["state"] == "reminding"
            assert daemon.cli("skip").returncode == 0
            assert daemon.status()["state"] == "sitting"
        finally:
            assert daemon.stop() == 0
