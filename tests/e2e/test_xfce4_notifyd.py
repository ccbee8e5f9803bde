"""The real xfce4-notifyd (Debian's 0.7.3) with the real xfconfd, under Xvfb.

A reminder arrives with its buttons and a real click on one answers it; the
do-not-disturb switch (`xfconf-query -c xfce4-notifyd -p /do-not-disturb`) holds a
due reminder, and once it is off exactly one prompt follows; `breakd doctor` names
the server. xfce4-notifyd 0.7.3 draws the `default` action as a button of its own
(a second "Done") and closes a notification clicked on its body without invoking
it, so the test clicks a real button: the last one, "Snooze 30 min".

One session (Xvfb, a private bus, xfconfd, xfce4-notifyd) serves the module, each
started here and stopped by PID.
"""

from __future__ import annotations

import glob
import re
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.desktop import (
    DESKTOP_TOOLS,
    DesktopSession,
    require_tools,
    skip_or_fail,
    start_desktop,
    wait_until,
)
from tests.e2e.daemon_process import DaemonProcess
from tests.e2e.real_servers import ACTION_KEYS, DEBOUNCE, SETTLE, doctor_rows, start
from tests.notify_monitor import NotificationMonitor

pytestmark = pytest.mark.desktop


def _binary(pattern: str, package: str) -> str:
    found = sorted(glob.glob(pattern))
    if not found:
        skip_or_fail(f"{pattern} is not installed (Debian package {package})")
    return found[0]


def _start(session: DesktopSession, name: str, argv: list[str]) -> None:
    with (session.runtime_dir / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            argv, env=session.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    session.processes.append(process)


@pytest.fixture(scope="module")
def xfce(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopSession]:
    require_tools(*DESKTOP_TOOLS, "xfconf-query")
    xfconfd = _binary("/usr/lib/*/xfce4/xfconf/xfconfd", "xfconf")
    notifyd = _binary("/usr/lib/*/xfce4/notifyd/xfce4-notifyd", "xfce4-notifyd")
    session = start_desktop(tmp_path_factory.mktemp("xfce"), dunst=False)
    try:
        _start(session, "xfconfd", [xfconfd])
        wait_until(lambda: session.name_has_owner("org.xfce.Xfconf"), message="no xfconfd")
        _start(session, "xfce4-notifyd", [notifyd])
        wait_until(session.name_has_owner, message="xfce4-notifyd did not own the name")
        yield session
    finally:
        session.stop()


def set_dnd(session: DesktopSession, on: bool) -> None:
    value = "true" if on else "false"
    session.run(
        *("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb"),
        *("-n", "-t", "bool", "-s", value),
    )


@pytest.fixture
def session(xfce: DesktopSession) -> Iterator[DesktopSession]:
    xfce.xdotool("mousemove", "30", "30")  # present: an absent user is not reminded
    yield xfce
    set_dnd(xfce, False)


def click_last_button(session: DesktopSession) -> None:
    """The buttons share the bubble's bottom row, the last one at its right end."""
    window = wait_until(
        lambda: session.run(
            "xdotool", "search", "--onlyvisible", "--name", "^xfce4-notifyd$", check=False
        ).stdout.split(),
        message="no notification window",
    )[-1]
    geometry = dict(
        line.split("=", 1)
        for line in session.xdotool("getwindowgeometry", "--shell", window).split()
    )
    x = int(geometry["X"]) + int(geometry["WIDTH"]) - 60
    y = int(geometry["Y"]) + int(geometry["HEIGHT"]) - 32
    session.xdotool("mousemove", str(x), str(y), "click", "1")


def test_a_reminder_arrives_with_its_buttons_and_a_click_on_one_answers_it(
    session: DesktopSession, daemons: list[DaemonProcess], tmp_path: Path
) -> None:
    with NotificationMonitor(session.bus_address) as monitor:
        daemon = start(session, tmp_path, daemons, remind_after="1h")
        assert daemon.cli("remind-now").returncode == 0
        shown = monitor.wait_for_notify()
        assert [key for key, _label in shown.action_pairs] == ACTION_KEYS
        assert "notifications go to Xfce Notify Daemon " in daemon.log()

        click_last_button(session)
        invoked = monitor.wait_for("ActionInvoked", lambda signal: True)
        assert invoked.body == (shown.id, "snooze:1800")
        status = daemon.wait_for_state("snoozed")
        until = datetime.fromisoformat(str(status["snoozed_until"]))
        assert 1790 < (until - datetime.now().astimezone()).total_seconds() <= 1800
        assert "busy signals: watching dnd:xfce (free)" in daemon.log()


def test_do_not_disturb_holds_a_due_reminder_and_one_prompt_follows(
    session: DesktopSession, daemons: list[DaemonProcess], tmp_path: Path
) -> None:
    set_dnd(session, True)
    with NotificationMonitor(session.bus_address) as monitor:
        daemon = start(session, tmp_path, daemons, remind_after="1s")
        daemon.wait_for_log("busy signals: watching dnd:xfce (busy: dnd:xfce)")
        held = wait_until(
            lambda: (status := daemon.status())["deferred"] is not None and status,
            message=f"the reminder was never held; log:\n{daemon.log()}",
        )
        assert held["deferred"]["reasons"] == ["dnd:xfce"]
        assert monitor.sent() == [], "a reminder went out during do-not-disturb"

        session.xdotool("mousemove", "40", "40")
        set_dnd(session, False)
        off = time.monotonic()
        prompt = monitor.wait_for_notify(1, timeout=15)
        waited = time.monotonic() - off

        assert prompt.summary.endswith(", now do not disturb is off"), prompt.summary
        assert waited >= DEBOUNCE + SETTLE - 0.3, f"sent {waited:.1f} s after DND went off"
        daemon.wait_for_log("busy: no longer")
        time.sleep(0.3)
        assert len(monitor.sent()) == 1, "more than one prompt"


def test_doctor_names_xfce4_notifyd_and_reads_its_switch(session: DesktopSession) -> None:
    set_dnd(session, True)
    rows = doctor_rows(session)
    assert rows["dnd:xfce"] == [
        "on",
        "xfconf's xfce4-notifyd /do-not-disturb on the session bus (now: do not disturb is on)",
    ]
    assert rows["dbus"][0] == "in use"
    assert re.fullmatch(
        r"Xfce Notify Daemon 0\.7\.\d+ by Xfce \(notification spec 1\.2\): buttons,"
        r" body markup, images, progress bars; no sounds",
        rows["dbus"][1],
    ), rows["dbus"]
