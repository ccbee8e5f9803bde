"""The real mako (Debian's mako-notifier 1.7.1) on a headless sway, as a Sway user has it.

The daemon runs on defaults but for short times: its reminder reaches mako with
its action keys, `makoctl invoke` and `makoctl menu` answer it as the buttons do,
and `makoctl mode -a do-not-disturb` holds a due reminder until `makoctl mode -r`,
after which exactly one prompt follows. mako 1.7.1 answers several calls twice (the
reply, then an UnknownMethod error): once enough to take breakd's session-bus
connection down, so every daemon here must end with a log free of errors.

One sway and mako serve the module; each test leaves mako with nothing on screen
and no mode but "default".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.desktop import wait_until
from tests.e2e.daemon_process import DaemonProcess
from tests.e2e.real_servers import DEBOUNCE, SETTLE, doctor_rows, start
from tests.notify_monitor import NotificationMonitor
from tests.wayland import WaylandSession, mako_session

pytestmark = pytest.mark.desktop

ACTIONS = {
    "default": "Start",
    "done": "Done",
    "skip": "Skip",
    "snooze:300": "Snooze 5 min",
    "snooze:600": "Snooze 10 min",
    "snooze:1800": "Snooze 30 min",
}
POLL = 5.0
"""mako 1.7 to 1.9 signal no change of mode: breakd reads them every 5 s."""


@pytest.fixture(scope="module")
def mako() -> Iterator[WaylandSession]:
    with mako_session() as session:
        yield session


@pytest.fixture
def session(mako: WaylandSession) -> Iterator[WaylandSession]:
    """The module's mako, cleared of notifications and modes after each test."""
    yield mako
    mako.makoctl("mode", "-s", "default")
    mako.makoctl("dismiss", "--all")


@pytest.fixture
def monitor(session: WaylandSession) -> Iterator[NotificationMonitor]:
    with NotificationMonitor(session.bus_address) as watching:
        yield watching


def assert_mako_watched(daemon: DaemonProcess) -> None:
    log = daemon.log()
    assert "busy signals: watching dnd:mako" in log, log
    assert "dnd:mako failed" not in log and "dnd:mako stopped" not in log, log


def test_makoctl_invoke_and_menu_answer_a_reminder_as_its_buttons_do(
    session: WaylandSession,
    monitor: NotificationMonitor,
    daemons: list[DaemonProcess],
    tmp_path: Path,
) -> None:
    daemon = start(session, tmp_path, daemons, remind_after="1h")
    assert daemon.cli("remind-now").returncode == 0
    shown = monitor.wait_for_notify()
    (listed,) = wait_until(session.notifications, message="mako shows nothing")
    assert (listed["id"], listed["app-name"]) == (shown.id, "breakd")
    assert listed["actions"] == ACTIONS
    assert "notifications go to mako " in daemon.log()
    # mako draws no buttons: the body says where they are.
    assert shown.body.splitlines()[-1].startswith("Answer from the menu (makoctl menu)")

    session.makoctl("invoke", "snooze:300")  # mako's last notification: the reminder
    status = daemon.wait_for_state("snoozed")
    until = datetime.fromisoformat(status["snoozed_until"])
    assert 290 < (until - datetime.now().astimezone()).total_seconds() <= 300, status
    wait_until(lambda: session.notifications() == [], message="breakd left it on screen")

    assert daemon.cli("remind-now").returncode == 0
    monitor.wait_for_notify(2)
    picker = tmp_path / "pick-skip.sh"
    picker.write_text("#!/bin/sh\ngrep -m1 -x Skip\n")  # a dmenu that picks "Skip"
    picker.chmod(0o755)
    session.makoctl("menu", str(picker))
    assert daemon.wait_for_state("sitting")["skipped_count"] == 1

    assert daemon.cli("remind-now").returncode == 0
    monitor.wait_for_notify(3)
    session.makoctl("invoke")  # the default action (Start, a click on the body): the guide
    first = monitor.wait_for_notify(4)
    assert first.summary.startswith("Get into position: ")
    status = daemon.status()
    assert (status["state"], status["done_count"]) == ("guiding", 0)
    session.makoctl("invoke", "cancel")  # nothing counted: the reminder is back
    assert monitor.wait_for_notify(5).summary.startswith("Stretch break: ")
    session.makoctl("invoke", "done")
    assert daemon.wait_for_state("sitting")["done_count"] == 1
    wait_until(lambda: session.notifications() == [], message="breakd left it on screen")
    assert_mako_watched(daemon)


def test_a_do_not_disturb_mode_holds_a_due_reminder_and_one_prompt_follows(
    session: WaylandSession,
    monitor: NotificationMonitor,
    daemons: list[DaemonProcess],
    tmp_path: Path,
) -> None:
    session.makoctl("mode", "-a", "do-not-disturb")
    daemon = start(session, tmp_path, daemons, remind_after="1s")
    daemon.wait_for_log("busy signals: watching dnd:mako (busy: dnd:mako)")
    held = wait_until(
        lambda: (status := daemon.status())["deferred"] is not None and status,
        message=f"the reminder was never held; log:\n{daemon.log()}",
    )
    assert held["deferred"]["reasons"] == ["dnd:mako"]
    assert monitor.sent() == [], "a reminder went to mako during do-not-disturb"

    session.makoctl("mode", "-r", "do-not-disturb")
    off = time.monotonic()
    prompt = monitor.wait_for_notify(1, timeout=POLL + DEBOUNCE + SETTLE + 5)
    waited = time.monotonic() - off

    assert prompt.summary.endswith(", now do not disturb is off"), prompt.summary
    assert waited >= DEBOUNCE + SETTLE - 0.3, f"sent {waited:.1f} s after the mode went"
    assert [entry["id"] for entry in session.notifications()] == [prompt.id]
    daemon.wait_for_log("busy: no longer")
    time.sleep(0.3)
    assert len(monitor.sent()) == 1, "more than one prompt"
    assert_mako_watched(daemon)


def test_doctor_names_mako_and_reads_its_modes(session: WaylandSession, tmp_path: Path) -> None:
    session.makoctl("mode", "-a", "do-not-disturb")
    rows = doctor_rows(session)
    assert rows["dnd:mako"] == [
        "on",
        "mako's modes do-not-disturb, polled every 5 s as before 1.10 (now: do not disturb is on)",
    ]
    # Every mako says version 0.0.0: it is written so in its source, up to 1.11.
    assert rows["dbus"] == [
        "in use",
        "mako 0.0.0 by emersion (notification spec 1.2): buttons, body markup, images,"
        " progress bars; no sounds",
    ]
