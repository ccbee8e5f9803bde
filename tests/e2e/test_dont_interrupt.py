"""Don't interrupt, end to end: the real daemon holds a reminder while the user is busy
and sends exactly one prompt once they are free.

The daemon runs as a subprocess with `notify.backend: dbus` against the real desktop
pieces (dunst on a private bus under Xvfb); a D-Bus monitor shows every Notify it sends.
Full screen runs on an Xvfb of its own with a real window manager, and the daemon's
reminders go to its log.

The configs are as short as the real parts allow: the first reading of a signal counts
at once (it is in before the daemon answers), so a reminder due 1 s after start is
held; each change after that must stay for the 2 s debounce (not configurable), and
the prompt waits `settle` (1 s) more. The
exact times of holding and settling are tested in-process
(tests/inprocess/test_daemon_day.py).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from tests.desktop import DesktopSession, require_tools, start_xvfb, stop_process, wait_until
from tests.e2e.daemon_process import DaemonProcess, isolated_env
from tests.notify_monitor import NotificationMonitor

CONFIG = """\
sitting:
  remind_after: {remind_after}
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: dbus
log:
  level: debug
dont_interrupt:
  settle: {settle}
  signals:
    dnd: {dnd}
    fullscreen: false
    camera: false
    inhibitors: "off"
"""
DEBOUNCE = 2.0
SETTLE = 1.0
NO_SECOND_PROMPT = 0.3
"""How long to watch for a second prompt: one would follow the first at once."""


def config(remind_after: str, settle: str = "1s", dnd: bool = True) -> str:
    return CONFIG.format(remind_after=remind_after, settle=settle, dnd="true" if dnd else "false")


@pytest.fixture
def monitor(desktop: DesktopSession) -> Iterator[NotificationMonitor]:
    desktop.clear_notifications()
    with NotificationMonitor(desktop.bus_address) as watching:
        yield watching


@pytest.fixture
def paused_dunst(desktop: DesktopSession) -> Iterator[DesktopSession]:
    """dunst in do-not-disturb; unpaused again after the test, since the session is shared."""
    desktop.dunstctl("set-paused", "true")
    assert desktop.dunstctl("is-paused").strip() == "true"
    try:
        yield desktop
    finally:
        desktop.dunstctl("set-paused", "false")
        desktop.clear_notifications()


@pytest.fixture
def daemon(desktop: DesktopSession, tmp_path: Path) -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for process in started:
        process.stop()


def start(desktop: DesktopSession, workdir: Path, text: str) -> DaemonProcess:
    # The tracker holds a reminder for an absent user (idle 30 s or more): be present.
    desktop.xdotool("mousemove", "200", "150")
    return DaemonProcess(workdir, text, env=desktop.subprocess_env()).start()


def test_dunst_paused_holds_the_reminder_and_one_prompt_follows_unpause(
    paused_dunst: DesktopSession,
    monitor: NotificationMonitor,
    daemon: list[DaemonProcess],
    tmp_path: Path,
) -> None:
    desktop = paused_dunst
    breakd = start(desktop, tmp_path, config(remind_after="1s"))
    daemon.append(breakd)
    breakd.wait_for_log("busy signals: watching dnd:dunst (busy: dnd:dunst)")

    held = wait_until(
        lambda: (status := breakd.status())["deferred"] is not None and status,
        timeout=10,
        message=f"the reminder was never held; log:\n{breakd.log()}",
    )
    assert held["deferred"]["reasons"] == ["dnd:dunst"]
    since = datetime.fromisoformat(held["deferred"]["since"])
    assert abs((datetime.now().astimezone() - since).total_seconds()) < 5
    assert monitor.sent() == [], "a reminder went to dunst during do-not-disturb"
    assert int(desktop.dunstctl("count", "waiting").strip()) == 0

    desktop.xdotool("mousemove", "210", "160")
    desktop.dunstctl("set-paused", "false")
    unpaused = time.monotonic()
    prompt = monitor.wait_for_notify(1, timeout=15)
    waited = time.monotonic() - unpaused

    assert prompt.summary.endswith(", now do not disturb is off"), prompt.summary
    assert waited >= DEBOUNCE + SETTLE - 0.3, f"sent {waited:.1f} s after unpausing"
    after = breakd.status()
    assert (after["state"], after["deferred"]) == ("reminding", None)
    breakd.wait_for_log("busy: no longer")
    time.sleep(NO_SECOND_PROMPT)
    assert [call.summary for call in monitor.sent()] == [prompt.summary]


def test_a_pause_shorter_than_the_debounce_holds_nothing(
    desktop: DesktopSession,
    monitor: NotificationMonitor,
    daemon: list[DaemonProcess],
    tmp_path: Path,
) -> None:
    """Toggled on and off by mistake within the debounce: the reminder comes on time."""
    breakd = start(desktop, tmp_path, config(remind_after="2s"))  # time to toggle first
    daemon.append(breakd)
    breakd.wait_for_log("busy signals: watching dnd:dunst (free)")
    try:
        desktop.dunstctl("set-paused", "true")
        breakd.wait_for_log("busy signal dnd:dunst says busy: dnd:dunst")
    finally:
        desktop.dunstctl("set-paused", "false")
    breakd.wait_for_log("busy signal dnd:dunst says free")

    prompt = monitor.wait_for_notify(1, timeout=10)

    assert prompt.summary.startswith("Stretch break: "), prompt.summary
    log = breakd.log()
    assert "busy: dnd:dunst" not in log.replace("says busy: dnd:dunst", "")
    assert log.index("busy signal dnd:dunst says free") < log.index("reminder: Stretch break")


def test_with_dnd_switched_off_dunst_paused_does_not_hold(
    paused_dunst: DesktopSession,
    monitor: NotificationMonitor,
    daemon: list[DaemonProcess],
    tmp_path: Path,
) -> None:
    breakd = start(paused_dunst, tmp_path, config(remind_after="1s", dnd=False))
    daemon.append(breakd)

    wait_until(lambda: breakd.status()["state"] == "reminding", timeout=10)

    assert breakd.status()["deferred"] is None
    assert "dnd:dunst" not in breakd.log()
    # dunst itself holds it as "waiting": exactly what breakd avoids when dnd is on.
    wait_until(lambda: int(paused_dunst.dunstctl("count", "waiting").strip()) == 1)


FULLSCREEN_CONFIG = """\
sitting:
  remind_after: 1s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
log:
  level: debug
dont_interrupt:
  settle: 1s
  signals:
    dnd: false
    fullscreen: true
    camera: false
    inhibitors: "off"
"""
WINDOW = "breakd-e2e-presentation"
FULL_SCREEN_TOOLS = ("Xvfb", "matchbox-window-manager", "wmctrl", "xmessage", "xdotool")
FULL_SCREEN_TEST = "test_a_full_screen_window_holds_the_reminder_and_one_prompt_follows"


@pytest.fixture(scope="module", autouse=True)
def full_screen_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Future[None] | None]:
    """The full-screen scenario, started in a thread with the module: it has an X display
    of its own and no session bus, so it shares nothing with the dunst tests, and its
    seconds of waiting overlap theirs. Its test takes the outcome."""
    wanted = any(item.name == FULL_SCREEN_TEST for item in request.session.items)
    if not wanted or any(shutil.which(tool) is None for tool in FULL_SCREEN_TOOLS):
        yield None  # the test itself says what is missing
        return
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit(full_screen_scenario, tmp_path_factory.mktemp("full-screen"))


def test_a_full_screen_window_holds_the_reminder_and_one_prompt_follows(
    full_screen_run: Future[None] | None,
) -> None:
    require_tools(*FULL_SCREEN_TOOLS)
    assert full_screen_run is not None
    full_screen_run.result(timeout=60)


def full_screen_scenario(workdir: Path) -> None:
    """Its own Xvfb with a real window manager (matchbox), so the shared desktop's dunst is
    never managed; `wmctrl` puts an xmessage window in and out of full screen."""
    xvfb, display = start_xvfb(log=workdir / "xvfb.log")
    env = {**isolated_env(workdir), "DISPLAY": display}
    helpers: list[subprocess.Popen[bytes]] = [xvfb]
    daemon: list[DaemonProcess] = []

    def run(*argv: str) -> str:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=10)
        assert result.returncode == 0, f"{argv}: {result.stderr}"
        return result.stdout

    def spawn(*argv: str) -> None:
        helpers.append(
            subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )

    try:
        spawn("matchbox-window-manager", "-use_titlebar", "no")
        wait_until(
            lambda: subprocess.run(["wmctrl", "-m"], env=env, capture_output=True).returncode == 0,
            message="no window manager",
        )
        spawn("xmessage", "-title", WINDOW, "slides")
        wait_until(lambda: WINDOW in run("wmctrl", "-l"), message="the window never appeared")
        run("wmctrl", "-r", WINDOW, "-b", "add,fullscreen")
        run("xdotool", "mousemove", "200", "150")  # present: an absent user is not reminded

        breakd = DaemonProcess(workdir, FULLSCREEN_CONFIG, env=env).start()
        daemon.append(breakd)
        breakd.wait_for_log("busy signals: watching fullscreen:x11 (busy: fullscreen:xmessage)")
        held = wait_until(
            lambda: (status := breakd.status())["deferred"] is not None and status,
            timeout=10,
            message=f"the reminder was never held; log:\n{breakd.log()}",
        )
        assert held["deferred"]["reasons"] == ["fullscreen:xmessage"]
        assert "REMINDER" not in breakd.log()

        run("xdotool", "mousemove", "210", "160")
        run("wmctrl", "-r", WINDOW, "-b", "remove,fullscreen")
        left = time.monotonic()
        log = breakd.wait_for_log("REMINDER", timeout=15)
        waited = time.monotonic() - left

        assert ", now full screen is over" in log, log
        assert waited >= DEBOUNCE + SETTLE - 0.3, f"sent {waited:.1f} s after full screen ended"
        assert breakd.status()["deferred"] is None
        time.sleep(NO_SECOND_PROMPT)
        assert breakd.log().count("REMINDER") == 1
    finally:
        try:
            for process in daemon:
                process.stop()
        finally:
            while helpers:
                stop_process(helpers.pop())
