"""The real daemon on private buses with stand-in GNOME and logind services.

The daemon runs as a subprocess through the real CLI, with no display at all:
its idle time comes from the Mutter stand-in on the session bus, and its lock,
suspend and inhibitor events from the logind stand-in on a second bus handed
to it as DBUS_SYSTEM_BUS_ADDRESS, and from GNOME's session manager stand-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dbus_services import (
    GnomeSessionManager,
    Login1,
    MutterIdleMonitor,
    PrivateBuses,
    private_buses,
    service_host,
)
from tests.desktop import wait_until
from tests.e2e.daemon_process import DaemonProcess

TWO_HOURS_MS = 7_200_000
TEN_MINUTES_MS = 600_000


def config(inhibitors_count_as_present: bool = True) -> str:
    present = "true" if inhibitors_count_as_present else "false"
    return f"""\
sitting:
  remind_after: 1h
  break_after_idle: 1s
  repeat_every: 0s
activity:
  poll_every: 1s
  inhibitors_count_as_present: {present}
notify:
  backend: log
log:
  level: debug
"""


@dataclass
class GnomeDesktop:
    """The stand-ins of a GNOME session on logind, and the buses they are on."""

    buses: PrivateBuses
    mutter: MutterIdleMonitor
    login1: Login1
    session_manager: GnomeSessionManager

    def daemon(self, workdir: Path, config_text: str) -> DaemonProcess:
        return DaemonProcess(workdir, config_text, env=self.buses.env()).start()


@pytest.fixture
def gnome(tmp_path: Path) -> Iterator[GnomeDesktop]:
    with private_buses(tmp_path / "buses") as buses, service_host() as host:
        yield GnomeDesktop(
            buses,
            MutterIdleMonitor(host, buses.session_address, idle_ms=0).start(),
            Login1(host, buses.system_address).start(),
            GnomeSessionManager(host, buses.session_address).start(),
        )


def watching_all(daemon: DaemonProcess) -> None:
    """Wait until every session source has reported, so events from now on are seen."""
    for name in ("logind", "gnome-session-manager"):
        daemon.wait_for_log(f"session events: watching {name}")


def test_mutter_is_the_idle_source_logind_reports_the_lock_and_a_suspend_is_a_break(
    gnome: GnomeDesktop, tmp_path: Path
) -> None:
    """What the tracker makes of a suspend (a reminder due in it never comes) is tested
    in-process; here, that logind's signals and Mutter's idle time reach it."""
    daemon = gnome.daemon(tmp_path, config())
    try:
        status = daemon.status()
        assert status["idle_source"] == "mutter-idle-monitor"
        assert status["locked"] is False
        assert (
            "idle source: mutter-idle-monitor (GNOME's org.gnome.Mutter.IdleMonitor on the"
            " session bus)"
        ) in daemon.log()
        watching_all(daemon)
        assert (
            "session events: screensaver is not available: neither org.freedesktop.ScreenSaver"
            " nor org.gnome.ScreenSaver on the session bus"
        ) in daemon.log()

        gnome.login1.set_locked_hint(True)
        wait_until(lambda: daemon.status()["locked"] is True, message="never locked")
        gnome.login1.set_locked_hint(False)
        unlocked = wait_until(
            lambda: (status := daemon.status())["locked"] is False and status,
            message="never unlocked",
        )
        assert unlocked["state"] == "sitting"

        gnome.login1.prepare_for_sleep(True)
        # The monitor still says 0 s idle: only the suspend can make the user away.
        asleep = daemon.wait_for_state("away")
        assert asleep["sitting_seconds"] is None

        gnome.mutter.idle_ms = TWO_HOURS_MS  # what GNOME's monitor says after a long sleep
        gnome.login1.prepare_for_sleep(False)
        daemon.wait_for_log("session events: logind says woke up")
        assert daemon.status()["state"] == "away", "two hours idle: still away"

        mark = daemon.log_mark()
        gnome.mutter.user_input()  # the user is back
        daemon.wait_for_log("natural break of", after=mark)
        back = daemon.status()
        assert back["state"] == "sitting"
        assert back["sitting_seconds"] <= 1
    finally:
        daemon.stop()


def test_an_idle_inhibitor_keeps_an_idle_user_sitting(gnome: GnomeDesktop, tmp_path: Path) -> None:
    daemon = gnome.daemon(tmp_path, config())
    try:
        watching_all(daemon)
        video = gnome.session_manager.add_inhibitor(GnomeSessionManager.IDLE)
        wait_until(lambda: daemon.status()["inhibited"] is True, message="never inhibited")

        gnome.mutter.idle_ms = TEN_MINUTES_MS  # watching, not typing
        status = daemon.status()  # a fresh sample: without the inhibitor this is away
        assert (status["state"], status["inhibited"]) == ("sitting", True)

        gnome.session_manager.remove_inhibitor(video)
        # The film ended: the user was there then, and has not touched anything since.
        away = daemon.wait_for_state("away")  # break_after_idle (1 s) after it ended
        assert away["inhibited"] is False
    finally:
        daemon.stop()


def test_with_inhibitors_not_counted_an_idle_user_is_away(
    gnome: GnomeDesktop, tmp_path: Path
) -> None:
    daemon = gnome.daemon(tmp_path, config(inhibitors_count_as_present=False))
    try:
        watching_all(daemon)
        gnome.login1.set_block_inhibited("handle-lid-switch:idle")  # systemd-inhibit --what=idle
        wait_until(lambda: daemon.status()["inhibited"] is True, message="never inhibited")

        gnome.mutter.idle_ms = TEN_MINUTES_MS
        status = daemon.status()
        assert (status["state"], status["inhibited"]) == ("away", True)
    finally:
        daemon.stop()
