"""Snooze, done and skip straight from the notification, against a real server.

The real daemon runs as a subprocess with `notify.backend: dbus`; dunst on a
private bus under Xvfb shows its reminders, dunst's context menu (a scripted
"dmenu") or a real click picks a button, and a D-Bus monitor shows what the
daemon sent. Tests that break the notification server or the bus get a
session of their own, so the shared one always keeps a working dunst.

`breakd remind-now` brings each reminder on at once: that reminders come after
remind_after is tested in-process, and what the buttons do to the tracker too
(tests/inprocess/); here, that dunst shows them and its answers reach the daemon.
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import signal
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.desktop import (
    DESKTOP_TOOLS,
    DesktopSession,
    require_tools,
    restart_dunst,
    skip_or_fail,
    start_desktop,
    start_session_bus,
    stop_process,
    wait_until,
)
from tests.e2e.daemon_process import DaemonProcess, isolated_env
from tests.notify_monitor import NotificationMonitor, NotifyCall

pytestmark = pytest.mark.desktop

BUTTONS = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: {repeat}
snooze:
  choices: {choices}
language: {language}
notify:
  backend: {backend}
log:
  level: debug
"""

EN_ACTIONS = [
    ("default", "Start"),
    ("done", "Done"),
    ("skip", "Skip"),
    ("snooze:300", "Snooze 5 min"),
    ("snooze:600", "Snooze 10 min"),
    ("snooze:1800", "Snooze 30 min"),
]


def config(
    repeat: str = "0s",
    choices: str = "[5m, 10m, 30m]",
    language: str = "en",
    backend: str = "dbus",
) -> str:
    return BUTTONS.format(repeat=repeat, choices=choices, language=language, backend=backend)


StartDaemon = Callable[..., DaemonProcess]


@pytest.fixture
def start_daemon(tmp_path: Path) -> Iterator[StartDaemon]:
    """Start breakd on a session, the user freshly present; every daemon is stopped after."""
    started: list[DaemonProcess] = []

    def start(
        session: DesktopSession, config_text: str, name: str = "daemon", **env: str
    ) -> DaemonProcess:
        workdir = tmp_path / name
        workdir.mkdir()
        # The tracker holds a reminder while the user has been idle for 30 s or more.
        session.xdotool("mousemove", str(100 + len(started)), "100")
        daemon = DaemonProcess(workdir, config_text, env=session.subprocess_env(**env))
        started.append(daemon)
        return daemon.start()

    yield start
    for daemon in started:
        daemon.stop()


@pytest.fixture(scope="module")
def shared(
    desktop: DesktopSession, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DaemonProcess]:
    workdir = tmp_path_factory.mktemp("answering")
    env = {**isolated_env(workdir), **desktop.session_vars}
    daemon = DaemonProcess(workdir, config(), env=env).start()
    yield daemon
    daemon.stop()


@pytest.fixture
def answering(shared: DaemonProcess, desktop: DesktopSession) -> DaemonProcess:
    """One daemon for the tests that answer a reminder, sitting, the user present.

    Their counts and stretch are checked against the status before: which stretch
    comes next is tested in-process.
    """
    if shared.status()["state"] != "sitting":
        assert shared.cli("skip").returncode == 0
    assert shared.status()["state"] == "sitting"
    desktop.xdotool("mousemove", "90", "100")  # breakd holds reminders for an absent user
    return shared


@pytest.fixture
def monitor(desktop: DesktopSession) -> Iterator[NotificationMonitor]:
    desktop.clear_notifications()
    with NotificationMonitor(desktop.bus_address) as watching:
        yield watching


def remind_now(daemon: DaemonProcess) -> None:
    result = daemon.cli("remind-now")
    assert result.returncode == 0, result.stderr


def seconds_until(iso: object) -> float:
    return (datetime.fromisoformat(str(iso)) - datetime.now().astimezone()).total_seconds()


def wait_closed_by_breakd(monitor: NotificationMonitor, shown: NotifyCall) -> None:
    """breakd itself closes a notification after an action (dunst leaves it up)."""
    monitor.wait_for(
        "CloseNotification",
        lambda call: call.sender == shown.sender and call.body == (shown.id,),
    )


def test_a_reminder_arrives_with_its_stretch_icon_and_buttons(
    desktop: DesktopSession, monitor: NotificationMonitor, start_daemon: StartDaemon
) -> None:
    daemon = start_daemon(desktop, config())
    remind_now(daemon)
    shown = monitor.wait_for_notify()

    assert shown.summary == "Stretch break: Standing lunge"
    lines = shown.body.splitlines()
    assert lines[0] == "Stand in a long stride, one foot well ahead of the other."
    assert "Navel in" in shown.body
    assert "Hold 30 s each side." in shown.body
    # dunst draws no buttons: the last line says where they are.
    assert lines[-1] == (
        "Answer from the menu (ctrl+shift+.) or with breakd done, breakd skip or breakd snooze."
    )
    assert shown.action_pairs == EN_ACTIONS
    assert shown.urgency == 1
    assert shown.replaces_id == 0
    assert shown.expire_timeout == 0  # it waits for an answer
    icon = Path(shown.app_icon)
    assert icon.is_absolute()
    assert icon.name == "standing-lunge.png"
    assert icon.is_file()
    assert shown.hints["image-path"] == icon.as_uri()
    status = daemon.status()
    assert status["state"] == "reminding"
    assert status["notifier"] == "dbus"

    # dunst has it on screen, with that icon.
    wait_until(lambda: desktop.displayed_count() == 1, message="reminder not on screen")
    desktop.dunstctl("close-all")
    [entry] = wait_until(desktop.dunst_history, message="nothing in dunst's history")
    assert entry["icon_path"] == str(icon)
    assert entry["summary"] == shown.summary


def test_labels_follow_the_configured_language_and_a_reload(
    desktop: DesktopSession, monitor: NotificationMonitor, start_daemon: StartDaemon
) -> None:
    daemon = start_daemon(desktop, config(choices="[1m, 1h]", language="nl"))
    remind_now(daemon)
    shown = monitor.wait_for_notify()
    assert shown.summary == "Rekpauze: Staande uitvalspas"
    assert shown.action_pairs == [
        ("default", "Beginnen"),
        ("done", "Gedaan"),
        ("skip", "Overslaan"),
        ("snooze:60", "1 min uitstellen"),
        ("snooze:3600", "1 uur uitstellen"),
    ]

    daemon.config.write_text(config(choices="[10m]", language="en"))
    daemon.signal(signal.SIGHUP)
    daemon.wait_for_log("config reloaded")
    assert daemon.cli("remind-now").returncode == 0
    again = monitor.wait_for_notify(2)
    assert again.action_pairs == [
        ("default", "Start"),
        ("done", "Done"),
        ("skip", "Skip"),
        ("snooze:600", "Snooze 10 min"),
    ]
    assert again.replaces_id == shown.id  # the same reminder, shown anew


def test_the_snooze_button_snoozes_like_breakd_snooze(
    answering: DaemonProcess, desktop: DesktopSession, monitor: NotificationMonitor
) -> None:
    daemon, before, mark = answering, answering.status(), answering.log_mark()
    remind_now(daemon)
    shown = monitor.wait_for_notify()

    desktop.pick_action(f"{shown.id},snooze:600")
    status = daemon.wait_for_state("snoozed")
    assert 590 < seconds_until(status["snoozed_until"]) <= 600
    assert status["done_count"] == before["done_count"]
    invoked = monitor.wait_for("ActionInvoked", lambda signal: True)
    assert invoked.body == (shown.id, "snooze:600")
    assert invoked.destination == shown.sender  # unicast to the connection that sent it
    wait_closed_by_breakd(monitor, shown)
    wait_until(lambda: desktop.displayed_count() == 0, message="the reminder stayed on screen")
    assert "notification answered: snooze:600" in daemon.log(mark)


def test_the_done_button_restarts_sitting_and_moves_to_the_next_stretch(
    answering: DaemonProcess, desktop: DesktopSession, monitor: NotificationMonitor
) -> None:
    daemon, before = answering, answering.status()
    remind_now(daemon)
    shown = monitor.wait_for_notify()

    desktop.pick_action(f"{shown.id},done")
    status = daemon.wait_for_state("sitting")
    assert status["done_count"] == before["done_count"] + 1
    assert status["skipped_count"] == before["skipped_count"]
    assert status["exercise"] != before["exercise"]
    wait_closed_by_breakd(monitor, shown)
    wait_until(lambda: desktop.displayed_count() == 0, message="the reminder stayed on screen")


def test_the_skip_button_restarts_sitting_without_counting_it_done(
    answering: DaemonProcess, desktop: DesktopSession, monitor: NotificationMonitor
) -> None:
    daemon, before = answering, answering.status()
    remind_now(daemon)
    shown = monitor.wait_for_notify()

    desktop.pick_action(f"{shown.id},skip")
    status = daemon.wait_for_state("sitting")
    assert status["skipped_count"] == before["skipped_count"] + 1
    assert status["done_count"] == before["done_count"]
    assert status["exercise"] == before["exercise"]  # the same stretch comes next time
    wait_closed_by_breakd(monitor, shown)


def test_dunsts_menu_offers_done_once(
    answering: DaemonProcess, desktop: DesktopSession, monitor: NotificationMonitor
) -> None:
    remind_now(answering)
    shown = monitor.wait_for_notify()
    desktop.menu_log.write_text("")
    desktop.pick_action(f"{shown.id},no-such-key")  # open the menu, pick nothing

    def offered() -> list[str]:
        menu = desktop.menu_log.read_text()  # the script writes "---" after a whole menu
        whole = menu.split("\n---\n")[0] if "\n---\n" in menu else ""
        return [line for line in whole.splitlines() if f"[{shown.id}," in line]

    lines = wait_until(offered, message="dunst offered no menu")
    labels = [line.removeprefix("#").split(" (", 1)[0] for line in lines]
    assert labels.count("Done") == 1, lines
    assert sorted(labels) == sorted(label for _key, label in EN_ACTIONS)  # dunst's order
    assert answering.status()["state"] == "reminding"  # nothing picked, nothing answered


def test_a_click_on_the_body_starts_the_guide_and_counts_nothing(
    answering: DaemonProcess, desktop: DesktopSession, monitor: NotificationMonitor
) -> None:
    daemon, before, mark = answering, answering.status(), answering.log_mark()
    remind_now(daemon)
    shown = monitor.wait_for_notify()

    # A real left click on dunst's window, as a user would (dunstrc: do_action, close_current).
    window = wait_until(
        lambda: desktop.run(  # none mapped yet: xdotool exits 1, and we look again
            "xdotool", "search", "--onlyvisible", "--class", "Dunst", check=False
        ).stdout.split(),
        message="dunst shows no window",
    )[0]
    geometry = dict(
        line.split("=", 1)
        for line in desktop.xdotool("getwindowgeometry", "--shell", window).split()
    )
    x = int(geometry["X"]) + int(geometry["WIDTH"]) // 2
    y = int(geometry["Y"]) + int(geometry["HEIGHT"]) // 2
    desktop.xdotool("mousemove", str(x), str(y), "click", "1")

    invoked = monitor.wait_for("ActionInvoked", lambda signal: True)
    assert invoked.body == (shown.id, "default")
    first = monitor.wait_for_notify(2)
    assert first.summary == f"Get into position: {before['exercise_name']}"
    assert first.action_pairs == [("cancel", "Cancel")]
    assert first.hints["value"] == 0
    assert "notification opened: guiding the stretch" in daemon.log(mark)
    status = daemon.status()
    assert status["state"] == "guiding"
    assert (status["done_count"], status["skipped_count"]) == (
        before["done_count"],
        before["skipped_count"],
    )
    assert daemon.cli("cancel").returncode == 0  # nothing counted; the reminder is back
    back = monitor.wait_for_notify(3)
    assert back.action_pairs == EN_ACTIONS
    assert daemon.status()["state"] == "reminding"


def test_a_dismissed_reminder_repeats_in_place_at_normal_urgency(
    desktop: DesktopSession, monitor: NotificationMonitor, start_daemon: StartDaemon
) -> None:
    daemon = start_daemon(desktop, config(repeat="1s"))
    remind_now(daemon)
    first = monitor.wait_for_notify()
    assert first.urgency == 1
    wait_until(lambda: desktop.displayed_count() == 1, message="reminder not on screen")

    desktop.dunstctl("close")
    closed = monitor.wait_for("NotificationClosed", lambda signal: True)
    assert closed.body == (first.id, 2)  # dismissed by the user
    daemon.wait_for_log("reminder dismissed without an answer")
    assert daemon.status()["state"] == "reminding"  # unanswered: nothing happened

    second = monitor.wait_for_notify(2)
    assert second.summary == "Still sitting? Stretch break: Standing lunge"
    assert second.replaces_id == first.id
    # The repeats go on at normal urgency: never red, never through do-not-disturb.
    for count in (3, 4):
        repeat = monitor.wait_for_notify(count)
        assert repeat.replaces_id == first.id
        assert repeat.urgency == 1
    assert desktop.displayed_count() == 1  # replaced, never stacked
    status = daemon.status()
    assert (status["done_count"], status["skipped_count"]) == (0, 0)


def _notify_osd_binary() -> str:
    found = sorted(glob.glob("/usr/lib/*/notify-osd")) + sorted(glob.glob("/usr/lib/notify-osd/*"))
    if not found:
        skip_or_fail("notify-osd is not installed (Debian package notify-osd)")
    return found[0]


def test_a_server_without_buttons_gets_none_and_the_body_names_the_command(
    tmp_path: Path, start_daemon: StartDaemon
) -> None:
    require_tools(*DESKTOP_TOOLS)
    binary = _notify_osd_binary()
    session = start_desktop(tmp_path / "osd", dunst=False)
    try:
        with (session.runtime_dir / "notify-osd.log").open("wb") as log:
            osd = subprocess.Popen(
                [binary], env=session.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        session.processes.append(osd)
        wait_until(session.name_has_owner, message="notify-osd did not own the name")
        with NotificationMonitor(session.bus_address) as monitor:
            daemon = start_daemon(session, config())
            remind_now(daemon)
            shown = monitor.wait_for_notify()
            assert shown.actions == []  # notify-osd would turn them into a modal dialog
            assert shown.body.splitlines()[-2:] == [
                "Answer with breakd done, breakd skip or breakd snooze.",
                "For a guided countdown, run breakd guide in a terminal.",
            ]
            assert shown.app_icon.endswith("/icons/standing-lunge.svg")  # it renders SVG
            assert shown.expire_timeout == -1  # a lasting one would become a dialog box
            assert shown.id != 0  # a real bubble, which breakd can take back
            assert "which shows no buttons" in daemon.log()

            assert daemon.cli("snooze").returncode == 0
            assert daemon.status()["state"] == "snoozed"
            wait_closed_by_breakd(monitor, shown)

            # doctor names it from its own answers; it has no do-not-disturb to watch.
            doctor = daemon.cli("doctor")
            assert (doctor.returncode, doctor.stderr) == (0, "")
            table, verdict = doctor.stdout.split("\n\n")
            assert verdict.startswith("verdict: breakd will remind you through notify-osd ")
            assert verdict.endswith(
                " without buttons (answer with `breakd done`, `breakd skip` or `breakd snooze`);"
                " it sees your keyboard and mouse through x11-screensaver\n"
            )
            rows = [re.split(r" {2,}", line) for line in table.splitlines()]
            said = {name: (status, detail) for _kind, name, status, detail in rows}
            assert said["dbus"][0] == "in use"
            assert re.fullmatch(
                r"notify-osd \S+ by Canonical Ltd \(notification spec \S+\): body markup,"
                r" images, progress bars; no buttons, no sounds",
                said["dbus"][1],
            ), said["dbus"]
            assert {said[name][0] for name in ("dnd:dunst", "dnd:plasma", "dnd:mako")} == {
                "unsupported"
            }
            # notify-osd's error message ends in a newline: still one line.
            assert said["dnd:mako"][1].endswith("doesn't exist)")
    finally:
        session.stop()


def test_a_notification_server_that_dies_and_returns_is_used_again(
    own_session: DesktopSession, start_daemon: StartDaemon
) -> None:
    session = own_session
    with NotificationMonitor(session.bus_address) as monitor:
        daemon = start_daemon(session, config())
        remind_now(daemon)
        first = monitor.wait_for_notify()
        assert first.actions

        dunst = next(proc for proc in session.processes if proc.args[0] == "dunst")
        dunst.kill()
        dunst.wait()
        remind_now(daemon)
        log = daemon.wait_for_log("reminders now go through log")
        assert "no notification server answered on the D-Bus session bus" in log
        assert "REMINDER Stretch break: Standing lunge" in daemon.wait_for_log("REMINDER")
        assert daemon.status()["state"] == "reminding"  # alive, and still tracking

        restart_dunst(session)
        remind_now(daemon)
        back = monitor.wait_for_notify(2)  # the failed one got no id
        daemon.wait_for_log("reminders now go through dbus")
        assert back.action_pairs == EN_ACTIONS
        assert back.replaces_id == 0  # a new server knows none of the old ids
        session.pick_action(f"{back.id},done")
        assert daemon.wait_for_state("sitting")["done_count"] == 1


def test_a_session_bus_that_restarts_is_reconnected_to(
    own_session: DesktopSession, start_daemon: StartDaemon
) -> None:
    session = own_session
    with NotificationMonitor(session.bus_address) as monitor:
        daemon = start_daemon(session, config())
        remind_now(daemon)
        monitor.wait_for_notify()

    # The bus goes down under the open connection, and a new one takes its socket.
    for proc in [proc for proc in session.processes if proc.args[0] in ("dunst", "dbus-daemon")]:
        stop_process(proc)
        session.processes.remove(proc)
    bus, address = start_session_bus(session.runtime_dir, session.env)
    session.processes.append(bus)
    session.bus_address = address
    session.env["DBUS_SESSION_BUS_ADDRESS"] = address
    restart_dunst(session)

    with NotificationMonitor(session.bus_address) as monitor:
        remind_now(daemon)
        shown = monitor.wait_for_notify()
        assert shown.action_pairs == EN_ACTIONS
        session.pick_action(f"{shown.id},done")
        assert daemon.wait_for_state("sitting")["done_count"] == 1
    log = daemon.log()
    assert "connection was lost; connecting again" in log
    assert "falling back" not in log


GUIDE = "exercises:\n  hold: 5s\nguide:\n  get_ready: 1s\n"
"""Second-scale guide: 1 s into position, 5 s a side, 1 s to switch."""


def test_start_from_the_notification_guides_the_stretch_in_place_and_counts_it(
    desktop: DesktopSession,
    monitor: NotificationMonitor,
    start_daemon: StartDaemon,
    tmp_path: Path,
) -> None:
    # dunst plays no sounds (no `sound` capability): the cues go to a player on PATH.
    player_dir = tmp_path / "bin"
    player_dir.mkdir()
    played = tmp_path / "played"
    player = player_dir / "canberra-gtk-play"
    player.write_text(f'#!/bin/sh\necho "$*" >> {played}\n')
    player.chmod(0o755)
    path = f"{player_dir}:{os.environ['PATH']}"
    daemon = start_daemon(desktop, config() + GUIDE, PATH=path)
    before = daemon.status()
    assert before["exercise"] == "standing-lunge"
    remind_now(daemon)
    reminder = monitor.wait_for_notify()
    desktop.pick_action(f"{reminder.id},default")  # Start, from dunst's menu
    first = monitor.wait_for_notify(2)
    started = datetime.now()
    finished = daemon.wait_for_state("sitting", timeout=30)
    took = (datetime.now() - started).total_seconds()
    assert 10 <= took <= 16, took  # 1 + 5 + 1 + 5 s
    assert (finished["done_count"], finished["skipped_count"]) == (1, 0)
    assert finished["exercise"] == "kneeling-lunge"  # the rotation moved on

    # The closing line goes out after the state changed: wait for its reply too.
    wait_until(
        lambda: monitor.sent()[-1].summary == "Well done: Standing lunge",
        message="the guide's closing line never came",
    )
    frames = monitor.sent()[1:]
    assert frames[0] is first and first.replaces_id == 0  # the picked reminder was closed
    for earlier, later in itertools.pairwise(frames):
        assert later.replaces_id == earlier.id, (earlier, later)  # one notification, in place
    titles = [frame.summary for frame in frames]
    assert list(dict.fromkeys(titles)) == [
        "Get into position: Standing lunge",
        "Left leg back: hold",
        "Switch sides",
        "Right leg back: hold",
        "Well done: Standing lunge",
    ]
    assert titles.count("Left leg back: hold") == 5  # once a second
    side_one = [frame for frame in frames if frame.summary == "Left leg back: hold"]
    assert [frame.hints["value"] for frame in side_one] == [0, 20, 40, 60, 80]
    assert [frame.body.splitlines()[0] for frame in side_one] == [
        f"{left} s to go" for left in (5, 4, 3, 2, 1)
    ]
    assert all(frame.action_pairs == [("cancel", "Cancel")] for frame in frames[:-1])
    end = frames[-1]
    assert end.action_pairs == [] and "value" not in end.hints
    assert not any("sound-name" in frame.hints for frame in frames)
    cues = wait_until(lambda: played.exists() and played.read_text().splitlines(), timeout=5)
    assert cues == ["--id bell --description breakd", "--id complete --description breakd"]


def test_a_closed_countdown_stays_away_until_its_next_phase_comes_up_afresh(
    desktop: DesktopSession, monitor: NotificationMonitor, start_daemon: StartDaemon
) -> None:
    daemon = start_daemon(desktop, config() + "exercises:\n  hold: 6s\nguide:\n  get_ready: 1s\n")
    assert daemon.cli("guide").returncode == 0  # not on a terminal: through the notifications
    side_one = "Left leg back: hold"
    wait_until(
        lambda: [frame.summary for frame in monitor.sent()].count(side_one) >= 2,
        message=f"the first side's countdown never ran (seen: {monitor.summaries()})",
    )
    wait_until(lambda: desktop.displayed_count() == 1, message="the countdown is not on screen")
    desktop.dunstctl("close")  # the user dismisses it, 2 s or so into the first side
    closed = monitor.wait_for("NotificationClosed", lambda signal: True)
    assert closed.body[1] == 2  # dismissed by the user
    daemon.wait_for_log("the guide's countdown was closed (reason 2)")
    sent_before = len(monitor.sent())

    switch = wait_until(
        lambda: [frame for frame in monitor.sent() if frame.summary == "Switch sides"],
        message=f"no switch sides (seen: {monitor.summaries()})",
    )[0]
    after_close = monitor.sent()[sent_before:]
    # The rest of the first side was not drawn again; the next phase came up on its own.
    assert after_close[0] is switch, [frame.summary for frame in after_close]
    assert switch.reply_expected and switch.id == closed.body[0]
    wait_until(lambda: desktop.displayed_count() == 1, message="switch sides is not on screen")

    daemon.wait_for_state("sitting", timeout=30)
    wait_until(
        lambda: monitor.sent()[-1].summary == "Well done: Standing lunge",
        message="the guide's closing line never came",
    )
    # The second side counted down each second again, in place.
    side_two = [frame for frame in monitor.sent() if frame.summary == "Right leg back: hold"]
    assert [frame.hints["value"] for frame in side_two] == [0, 17, 33, 50, 67, 83]
    assert all(frame.replaces_id == switch.id for frame in side_two)
    assert [frame.reply_expected for frame in side_two] == [True] + [False] * 5
    assert daemon.status()["done_count"] == 1  # closing the countdown does not cancel it
