"""`breakd status --follow` against the real daemon: live lines, a restart, many followers.

The followers are the real CLI (`python -m breakd status --follow`), or, where
dozens are needed, raw sockets that send the CLI's follow request and read as it
does; the daemon is a real process on second-scale timings.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from breakd.ipc import protocol
from tests.desktop import stop_process, wait_until
from tests.e2e.daemon_process import DaemonProcess, isolated_env

CONFIG = """\
sitting:
  remind_after: 1h
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
log:
  level: debug
"""


AS_FROM_A_TERMINAL = (
    "import signal, sys; from breakd.cli import main;"
    " signal.signal(signal.SIGINT, signal.default_int_handler); sys.exit(main(sys.argv[1:]))"
)
"""The CLI with Ctrl-C handled, as in a terminal, even where this test runs with SIGINT
ignored (a job a non-interactive shell started in the background), which a child
inherits and Python then leaves ignored."""


class Follower:
    """`breakd status --follow` in a process of its own; every line it printed, as it came."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", AS_FROM_A_TERMINAL, "status", "--follow", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        self.lines: list[tuple[float, str]] = []
        """(time.monotonic() when read, line)"""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for(
        self, wanted: Callable[[str], bool], after: int = 0, timeout: float = 10.0
    ) -> tuple[int, float, str]:
        """The first line from index `after` on that is `wanted`: (index, when read, line)."""

        def found() -> tuple[int, float, str] | None:
            for index, (at, line) in enumerate(self.lines[after:], after):
                if wanted(line):
                    return index, at, line
            return None

        return wait_until(found, timeout=timeout, interval=0.01, message=f"lines: {self.lines}")

    def stop(self) -> str:
        """Stop it; its stderr, which should be empty."""
        stop_process(self.proc)
        assert self.proc.stderr is not None
        return self.proc.stderr.read()


@pytest.fixture
def daemon(tmp_path: Path, daemons: list[DaemonProcess]) -> DaemonProcess:
    started = DaemonProcess(tmp_path, CONFIG, env=isolated_env(tmp_path)).start()
    daemons.append(started)
    return started


@pytest.fixture
def followers() -> Iterator[list[Follower]]:
    started: list[Follower] = []
    yield started
    for follower in started:
        follower.stop()


def test_the_line_changes_within_a_second_of_a_state_change(
    daemon: DaemonProcess, followers: list[Follower]
) -> None:
    follower = Follower(daemon.env)
    followers.append(follower)
    follower.wait_for(lambda line: line == "sitting 0 min, stretch in 1 h")
    asked_at = time.monotonic()
    assert daemon.ask("snooze", seconds=600)["ok"]  # type: ignore[index]
    _, seen_at, _ = follower.wait_for(lambda line: line.startswith("snoozed until "))
    assert seen_at - asked_at < 1.0
    assert daemon.cli("resume").returncode != 0  # not paused: refused, nothing changes
    assert daemon.cli("pause").returncode == 0
    follower.wait_for(lambda line: line == "paused")
    assert [line for _, line in follower.lines][::2] == ["sitting 0 min, stretch in 1 h", "paused"]
    assert len(follower.lines) == 3, "a line for each change, and none for the refused resume"
    assert follower.stop() == ""


def test_a_follower_says_not_running_while_the_daemon_restarts_and_then_follows_again(
    daemon: DaemonProcess, followers: list[Follower]
) -> None:
    follower = Follower(daemon.env, "--format", "waybar")
    followers.append(follower)
    index, _, _ = follower.wait_for(lambda line: json.loads(line)["class"] == "sitting")
    assert daemon.stop() == 0
    index, _, gone = follower.wait_for(lambda line: "stopped" in line, after=index + 1)
    assert json.loads(gone) == {
        "text": "breakd not running",
        "tooltip": "breakd is not running (start it with `breakd run`)",
        "class": "stopped",
        "alt": "stopped",
        "percentage": 0,
    }
    daemon.start()
    assert daemon.cli("pause").returncode == 0
    follower.wait_for(lambda line: json.loads(line)["class"] == "paused", after=index + 1)
    assert follower.stop() == ""


def test_ctrl_c_ends_a_follower_quietly_with_130(
    daemon: DaemonProcess, followers: list[Follower]
) -> None:
    follower = Follower(daemon.env)
    follower.wait_for(lambda line: line.startswith("sitting"))
    follower.proc.send_signal(signal.SIGINT)
    assert follower.proc.wait(timeout=10) == 130
    assert follower.stop() == ""


def test_a_follower_whose_bar_quit_ends_quietly_at_the_next_line(daemon: DaemonProcess) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "breakd", "status", "--follow"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=daemon.env,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().startswith("sitting")
        proc.stdout.close()  # what a bar that quits does to the pipe
        assert daemon.cli("pause").returncode == 0
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read() == ""
    finally:
        stop_process(proc)


# -- many followers ---------------------------------------------------------------


class RawFollower:
    """A follow connection as the CLI opens it, read (or not) by the test."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(path))
        self.sock.sendall(protocol.request(protocol.FOLLOW))
        self.states: list[tuple[float, str]] = []
        self._buffer = b""

    def take(self, data: bytes) -> None:
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self.states.append((time.monotonic(), json.loads(line)["status"]["state"]))


class Readers:
    """A thread that reads every follower it is given, as fast as they are sent to."""

    def __init__(self, followers: list[RawFollower]) -> None:
        self._followers = followers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import selectors

        with selectors.DefaultSelector() as selector:
            for follower in self._followers:
                selector.register(follower.sock, selectors.EVENT_READ, follower)
            while not self._stop.is_set():
                for key, _ in selector.select(0.1):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if data:
                        key.data.take(data)
                    else:
                        selector.unregister(key.fileobj)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(sys.platform != "linux", reason="reads the daemon's RSS in /proc")
def test_fifty_followers_a_stuck_one_and_a_vanished_one_keep_the_reminder_on_time_and_memory_flat(
    tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    daemon = DaemonProcess(
        tmp_path, CONFIG.replace("remind_after: 1h", "remind_after: 6s"), isolated_env(tmp_path)
    ).start()
    daemons.append(daemon)
    assert daemon.proc is not None
    readers = [RawFollower(daemon.socket_path) for _ in range(50)]
    vanishing = RawFollower(daemon.socket_path)
    stuck = RawFollower(daemon.socket_path)  # never read: the daemon must drop it
    reading = Readers([*readers, vanishing])
    try:
        wait_until(lambda: all(follower.states for follower in readers), timeout=10)

        def burst(pairs: int) -> None:
            for _ in range(pairs):  # each answer is pushed to every follower
                assert daemon.ask("pause")["ok"]  # type: ignore[index]
                assert daemon.ask("resume")["ok"]  # type: ignore[index]

        burst(50)  # the daemon's allocations settle
        vanishing.sock.shutdown(socket.SHUT_RDWR)  # gone mid-stream
        before = rss_kib(daemon.proc.pid)
        burst(1000)  # some 2 MiB of status for the stuck follower alone
        after = rss_kib(daemon.proc.pid)
        # Measured: +130 KiB; +1.4 MiB when the stuck follower's messages pile up unread.
        assert after - before < 640, f"the daemon's RSS went from {before} to {after} KiB"

        status = daemon.status()
        assert status["state"] == "sitting"
        due_at = time.monotonic() + float(status["next_reminder_in_seconds"])  # type: ignore[arg-type]
        for follower in readers:
            wait_until(lambda follower=follower: follower.states[-1][1] == "reminding", 15)
            reminded_at = next(at for at, state in follower.states if state == "reminding")
            assert abs(reminded_at - due_at) < 1.5  # the status's whole seconds, and a margin
        assert "reminder: " in daemon.log()
    finally:
        reading.stop()
    # The stuck follower was dropped: what reached its socket ends, well short of the burst.
    stuck.sock.settimeout(5)
    received = 0
    while data := stuck.sock.recv(65536):
        received += len(data)
    assert 0 < received < 1000 * len(protocol.reply("", daemon.status()))  # type: ignore[arg-type]
    for follower in (*readers, vanishing, stuck):
        follower.sock.close()


def test_format_without_follow_prints_one_line_and_the_stopped_one_without_a_daemon(
    daemon: DaemonProcess,
) -> None:
    result = daemon.cli("status", "--format", "i3blocks")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "full_text": "sitting 0 min, stretch in 1 h",
        "short_text": "0 min",
    }
    assert daemon.stop() == 0
    result = daemon.cli("status", "--format", "polybar")
    assert result.returncode == 3
    assert result.stdout == "%{F#9a9996}breakd not running%{F-}\n"
    assert result.stderr == "breakd: breakd is not running (start it with `breakd run`)\n"
