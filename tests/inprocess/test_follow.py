"""What a status follower is sent, and when, on the fake clock.

The follower is a real socket that sends the CLI's follow request; the daemon is
the real one, in-process. tests/e2e/test_follow.py runs the CLI's follower
against a daemon process.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

from breakd import paths
from breakd.ipc import protocol
from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run


class Follower:
    """A follow connection whose messages the test takes when it likes, without waiting."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(paths.socket_path()))
        self.sock.sendall(protocol.request(protocol.FOLLOW))
        self.sock.setblocking(False)
        self._buffer = b""

    def received(self) -> list[dict[str, object]]:
        """The statuses that arrived since the last call."""
        while True:
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                break
            if not data:
                break
            self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        messages = [json.loads(line) for line in lines]
        assert all(message["ok"] and message["message"] == "" for message in messages)
        return [message["status"] for message in messages]

    def close(self) -> None:
        self.sock.close()


async def follow(d: InProcessDaemon) -> tuple[Follower, dict[str, object]]:
    """A new follower, once the daemon has answered it with the status now."""
    follower = Follower()
    for _ in range(100):
        await d.settle()
        received = follower.received()
        if received:
            [first] = received
            return follower, first
    raise AssertionError("the daemon sent no status to a new follower")


def test_a_follower_gets_the_status_at_once_then_each_sitting_minute_and_each_change(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(30)
        follower, first = await follow(d)
        assert (first["state"], first["sitting_seconds"]) == ("sitting", 30)
        await d.advance(29)
        assert follower.received() == []  # idle samples, but nothing it shows changed
        await d.advance(2)
        assert [status["sitting_seconds"] for status in follower.received()] == [60]
        await d.advance(5 * MIN)
        assert [status["sitting_seconds"] for status in follower.received()] == [
            120,
            180,
            240,
            300,
            360,
        ]
        await d.cli("snooze", seconds=10 * MIN)
        [snoozed] = follower.received()
        assert (snoozed["state"], snoozed["snoozed_until"]) == (
            "snoozed",
            "2026-11-23T09:16:01+00:00",
        )
        await d.cli("snooze", seconds=10 * MIN)  # the same end, to the second: nothing new
        assert follower.received() == []
        follower.close()

    run(tmp_path, scenario)


def test_the_sitting_minutes_wake_the_daemon_only_while_someone_follows(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(30)
        start = d.timer.wakeups
        await d.advance(20 * MIN)
        alone = d.timer.wakeups - start
        follower, _ = await follow(d)
        start = d.timer.wakeups
        await d.advance(20 * MIN)
        assert d.timer.wakeups - start >= 20 > alone
        assert len(follower.received()) == 20  # one for each minute
        follower.close()
        await d.settle()
        start = d.timer.wakeups
        await d.advance(20 * MIN)
        assert d.timer.wakeups - start == alone

    run(tmp_path, scenario, "sitting:\n  remind_after: 2h\n")


def test_a_follower_that_leaves_is_forgotten_and_the_others_go_on(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        staying, _ = await follow(d)
        leaving, _ = await follow(d)
        leaving.close()
        await d.advance(1 * MIN)
        await d.cli("pause")
        sitting, paused = staying.received()  # no repeat of the first status as the other joins
        assert (sitting["state"], sitting["sitting_seconds"]) == ("sitting", 60)
        assert paused["state"] == "paused"
        staying.close()

    run(tmp_path, scenario)
