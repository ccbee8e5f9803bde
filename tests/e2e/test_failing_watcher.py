"""A busy signal whose service fails in the middle of a call, while a reminder goes out.

The real daemon runs against real dunst; XFCE's settings service (`org.xfce.Xfconf`)
is played by a stand-in that holds the watcher's first `GetProperty` until the
reminder has reached dunst, then answers it with an error, with the wrong types, or
leaves the bus without answering. (The real xfconfd cannot be made to misbehave;
tests/e2e/test_xfce4_notifyd.py runs it for real.) Whatever the failure: the
reminder arrives and its buttons work, the log says what happened in one line and
has no traceback, and the other watchers on the same session-bus connection (dunst's
do-not-disturb here) keep working.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from breakd.ipc import client
from tests.dbus_services import ServiceHost, StandIn, service_host
from tests.desktop import DESKTOP_TOOLS, DesktopSession, require_tools, start_desktop, wait_until
from tests.e2e.daemon_process import DaemonProcess
from tests.notify_monitor import NotificationMonitor

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
dont_interrupt:
  signals:
    fullscreen: false
    camera: false
    inhibitors: "off"
"""
XFCONF = "org.xfce.Xfconf"
XFCONF_PATH = "/org/xfce/Xfconf"


class HeldXfconf(StandIn):
    """Owns org.xfce.Xfconf and holds every GetProperty until the test says how to end it."""

    names = (XFCONF,)

    def __init__(self, host: ServiceHost, bus_address: str) -> None:
        super().__init__(host, bus_address)
        self.held: list[Any] = []
        self.method(XFCONF_PATH, XFCONF, "GetProperty", self._hold)

    def _hold(self, message: Any) -> None:
        self.held.append(message)  # no answer yet

    def answer(self, *replies: Any) -> None:
        """Send these messages, in order, as the answers to the held call."""

        async def send() -> None:
            for reply in replies:
                await self._router.send(reply)

        self.host.run(send())


def end_the_call(how: str, xfconf: HeldXfconf) -> None:
    from jeepney.wrappers import new_error, new_method_return

    (call,) = xfconf.held
    if how == "error":
        xfconf.answer(new_error(call, "org.xfce.Xfconf.Error.InternalError", "s", ("broken",)))
    elif how == "garbage":
        xfconf.answer(new_method_return(call, "s", ("yes",)))  # a string, not a variant
    else:
        xfconf.stop()  # gone without a word: the bus answers for it


SAID = {
    "error": "busy signal dnd:xfce is not available: org.xfce.Xfconf:"
    " org.xfce.Xfconf.Error.InternalError: broken",
    "garbage": "busy signal dnd:xfce is not available: org.xfce.Xfconf answered GetProperty"
    " with (s) where (v) was expected",
    "vanish": "busy signal dnd:xfce is not available: org.xfce.Xfconf:"
    " org.freedesktop.DBus.Error.NoReply: ",
}


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DesktopSession]:
    """A session of its own: the stand-in takes a name other tests' sessions must not have."""
    require_tools(*DESKTOP_TOOLS)
    desktop = start_desktop(tmp_path / "desktop")
    try:
        yield desktop
    finally:
        desktop.stop()


@pytest.mark.parametrize("how", ["error", "garbage", "vanish"])
def test_a_watcher_failing_mid_call_leaves_the_reminder_and_the_connection_alone(
    how: str, session: DesktopSession, tmp_path: Path
) -> None:
    with service_host() as host, NotificationMonitor(session.bus_address) as monitor:
        xfconf = HeldXfconf(host, session.bus_address).start()
        session.xdotool("mousemove", "20", "20")  # present: an absent user is not reminded
        daemon = DaemonProcess(tmp_path, CONFIG, env=session.subprocess_env()).start()
        try:
            wait_until(lambda: xfconf.held, message="the xfce watcher never asked xfconf")
            client.call("remind-now")
            shown = monitor.wait_for_notify()
            end_the_call(how, xfconf)
            daemon.wait_for_log(SAID[how])

            assert [key for key, _label in shown.action_pairs][:3] == ["default", "done", "skip"]
            session.pick_action(f"{shown.id},done")
            assert daemon.wait_for_state("sitting")["done_count"] == 1

            # dunst's do-not-disturb is watched on the same connection: still followed.
            daemon.wait_for_log("busy signals: watching dnd:dunst (free)")
            session.dunstctl("set-paused", "true")
            daemon.wait_for_log("busy signal dnd:dunst says busy: dnd:dunst")
            log = daemon.log()
            about_xfce = [
                line
                for line in log.splitlines()
                if "dnd:xfce" in line and " not here: " not in line  # the start-up summary
            ]
            assert about_xfce == [line for line in log.splitlines() if SAID[how] in line], (
                "one line about the failure, and nothing else about xfce"
            )
            assert len([line for line in log.splitlines() if SAID[how] in line]) == 1
            assert "Traceback" not in log and " WARNING " not in log, log
            assert "bus went away" not in log and "connecting again" not in log, log
        finally:
            daemon.stop()  # and it fails on any ERROR line
