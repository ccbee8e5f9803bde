"""The real SwayNotificationCenter (Debian's swaync 0.7.3) on a headless sway.

A reminder reaches it with its buttons and `breakd done` takes it back; its
do-not-disturb (`swaync-client -dn` / `-df`) holds a due reminder, and exactly one
prompt follows once it is off; `breakd doctor` names it. swaync-client 0.7.3 has no
way to press a notification's button, and a click needs a pointer on sway's
headless output, so the buttons themselves are not pressed here: the D-Bus side of
a button press is the same for every server and is tested with dunst, mako and
xfce4-notifyd. swaync 0.8's inhibitors (`SubscribeV2`) are not in Debian 12: a
stand-in covers them (tests/adapters/test_busy_swaync.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import wait_until
from tests.e2e.daemon_process import DaemonProcess
from tests.e2e.real_servers import ACTION_KEYS, DEBOUNCE, SETTLE, doctor_rows, start
from tests.notify_monitor import NotificationMonitor
from tests.wayland import WaylandSession, swaync_session

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def swaync() -> Iterator[WaylandSession]:
    with swaync_session() as session:
        yield session


@pytest.fixture
def session(swaync: WaylandSession) -> Iterator[WaylandSession]:
    yield swaync
    swaync.run("swaync-client", "--dnd-off")
    swaync.run("swaync-client", "--close-all")


def test_a_reminder_reaches_swaync_with_its_buttons_and_doctor_names_it(
    session: WaylandSession, daemons: list[DaemonProcess], tmp_path: Path
) -> None:
    with NotificationMonitor(session.bus_address) as monitor:
        daemon = start(session, tmp_path, daemons, remind_after="1h")
        assert daemon.cli("remind-now").returncode == 0
        shown = monitor.wait_for_notify()
        assert [key for key, _label in shown.action_pairs] == ACTION_KEYS
        assert "notifications go to SwayNotificationCenter " in daemon.log()
        assert session.run("swaync-client", "--count").strip() == "1"

        assert daemon.cli("done").returncode == 0
        monitor.wait_for("CloseNotification", lambda call: call.body == (shown.id,))
        wait_until(lambda: session.run("swaync-client", "--count").strip() == "0")
        assert "busy signals: watching dnd:swaync (free)" in daemon.log()

    rows = doctor_rows(session)
    assert rows["dnd:swaync"] == [
        "on",
        "swaync's control centre on the session bus (now: do not disturb is off)",
    ]
    assert rows["dbus"][0] == "in use"
    assert re.fullmatch(
        r"SwayNotificationCenter 0\.7\.\d+ by ErikReider \(notification spec 1\.2\): buttons,"
        r" body markup, images; no sounds, no progress bars",
        rows["dbus"][1],
    ), rows["dbus"]


def test_do_not_disturb_holds_a_due_reminder_and_one_prompt_follows(
    session: WaylandSession, daemons: list[DaemonProcess], tmp_path: Path
) -> None:
    assert session.run("swaync-client", "--dnd-on").strip() == "true"
    with NotificationMonitor(session.bus_address) as monitor:
        daemon = start(session, tmp_path, daemons, remind_after="1s")
        daemon.wait_for_log("busy signals: watching dnd:swaync (busy: dnd:swaync)")
        held = wait_until(
            lambda: (status := daemon.status())["deferred"] is not None and status,
            message=f"the reminder was never held; log:\n{daemon.log()}",
        )
        assert held["deferred"]["reasons"] == ["dnd:swaync"]
        assert monitor.sent() == [], "a reminder went out during do-not-disturb"

        session.run("swaync-client", "--dnd-off")
        off = time.monotonic()
        prompt = monitor.wait_for_notify(1, timeout=15)
        waited = time.monotonic() - off

        assert prompt.summary.endswith(", now do not disturb is off"), prompt.summary
        assert waited >= DEBOUNCE + SETTLE - 0.3, f"sent {waited:.1f} s after DND went off"
        daemon.wait_for_log("busy: no longer")
        time.sleep(0.3)
        assert len(monitor.sent()) == 1, "more than one prompt"
