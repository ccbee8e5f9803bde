"""The guide's cue sounds (switch sides, the end), through whichever path the session has.

A server that announces the `sound` capability gets the `sound-name` hint and plays
it itself: GNOME's notification-daemon (Debian package notification-daemon) does,
and runs here under Xvfb. dunst announces none, so a player on the system plays the
cue: a stand-in `canberra-gtk-play` first on PATH records its arguments to a file.
That the player is really heard, or that notification-daemon's libcanberra finds a
sound card, is not covered: there is none here. `guide.sound: false` turns both off.
Do not disturb stops the guide itself, and with it every cue: tests/inprocess/test_guide.py.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
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
from tests.notify_monitor import NotificationMonitor, NotifyCall

pytestmark = pytest.mark.desktop

NOTIFICATION_DAEMON = Path("/usr/lib/notification-daemon/notification-daemon")
CONFIG = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
exercises:
  hold: 5s
guide:
  get_ready: 1s
  sound: {sound}
notify:
  backend: dbus
log:
  level: debug
"""
"""Second-scale guide: 1 s into position, 5 s a side, 1 s to switch."""
END = "Well done: Standing lunge"


@pytest.fixture
def player(tmp_path: Path) -> tuple[str, Path]:
    """PATH with a recording canberra-gtk-play first, and the file it appends its argv to."""
    directory = tmp_path / "bin"
    directory.mkdir()
    played = tmp_path / "played"
    script = directory / "canberra-gtk-play"
    script.write_text(f'#!/bin/sh\necho "$*" >> {played}\n')
    script.chmod(0o755)
    return f"{directory}:{os.environ['PATH']}", played


@pytest.fixture
def sounding_session(tmp_path: Path) -> Iterator[DesktopSession]:
    """Xvfb, a private bus and notification-daemon, which announces `sound`."""
    require_tools(*DESKTOP_TOOLS)
    if not NOTIFICATION_DAEMON.exists():
        skip_or_fail("notification-daemon is not installed (Debian package notification-daemon)")
    session = start_desktop(tmp_path / "session", dunst=False)
    try:
        with (session.runtime_dir / "notification-daemon.log").open("wb") as log:
            server = subprocess.Popen(
                [str(NOTIFICATION_DAEMON)],
                env=session.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        session.processes.append(server)
        wait_until(session.name_has_owner, message="notification-daemon did not own the name")
        yield session
    finally:
        session.stop()


def run_guide(
    session: DesktopSession, workdir: Path, sound: bool, path: str
) -> tuple[list[NotifyCall], DaemonProcess]:
    """One whole guide through the daemon's notifications; every frame it sent."""
    workdir.mkdir()
    config = CONFIG.format(sound=str(sound).lower())
    daemon = DaemonProcess(workdir, config, env=session.subprocess_env(PATH=path)).start()
    try:
        with NotificationMonitor(session.bus_address) as monitor:
            assert daemon.cli("guide").returncode == 0  # not on a terminal: notifications
            daemon.wait_for_state("sitting", timeout=30)
            wait_until(
                lambda: (sent := monitor.sent()) and sent[-1].summary == END,
                message=f"the guide's closing line never came (seen: {monitor.summaries()})",
            )
            frames = monitor.sent()
        assert daemon.status()["done_count"] == 1
    finally:
        daemon.stop()
    return frames, daemon


def sounds(frames: list[NotifyCall]) -> list[tuple[str, str]]:
    return [(f.summary, f.hints["sound-name"]) for f in frames if "sound-name" in f.hints]


def test_a_server_that_plays_sounds_gets_the_hint_and_no_player_runs(
    sounding_session: DesktopSession, player: tuple[str, Path], tmp_path: Path
) -> None:
    path, played = player
    frames, daemon = run_guide(sounding_session, tmp_path / "daemon", True, path)
    assert "Notification Daemon 3" in daemon.log()  # the server in use, named at first use
    # One cue at the switch's first second and one at the end, nothing else.
    assert sounds(frames) == [("Switch sides", "bell"), (END, "complete")]
    assert not played.exists()  # the server plays them: no player as well


def test_a_server_without_sounds_has_the_player_play_them(
    own_session: DesktopSession, player: tuple[str, Path], tmp_path: Path
) -> None:
    path, played = player
    frames, _daemon = run_guide(own_session, tmp_path / "daemon", True, path)
    assert sounds(frames) == []  # dunst announces no `sound`: no hint it would ignore
    cues = wait_until(lambda: played.exists() and played.read_text().splitlines(), timeout=5)
    assert cues == ["--id bell --description breakd", "--id complete --description breakd"]


@pytest.mark.parametrize("server", ["notification-daemon", "dunst"])
def test_guide_sound_false_plays_nothing_either_way(
    server: str, player: tuple[str, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    fixture = "sounding_session" if server == "notification-daemon" else "own_session"
    session: DesktopSession = request.getfixturevalue(fixture)
    path, played = player
    frames, _daemon = run_guide(session, tmp_path / "daemon", False, path)
    assert [frame.summary for frame in frames].count("Switch sides") >= 1
    assert sounds(frames) == []
    assert not played.exists()
