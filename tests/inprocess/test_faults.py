"""Faults around a running daemon: it reports them and keeps working."""

from __future__ import annotations

import os
from pathlib import Path

from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run


def test_a_reload_from_a_named_pipe_is_refused_and_the_daemon_keeps_answering(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.guard.expected += ["config reload failed", "not a regular file (a named pipe)"]
        d.config_file.unlink()
        os.mkfifo(d.config_file)
        assert d.daemon is not None
        d.daemon.reload()  # returns at once: nothing waits for a writer
        assert any("a named pipe" in message for message in d.guard.messages())
        await d.advance(45 * MIN + 1)
        assert await d.state() == "reminding"

    run(tmp_path, scenario, "sitting:\n  remind_after: 45m\n")


BAD_SECONDS = [1e308, float("inf"), float("-inf"), float("nan"), 2.5e11, 86401, 0, -5, True, "60"]


def test_out_of_range_durations_are_refused_and_the_daemon_stays_healthy(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(45 * MIN + 1)
        for command in ("snooze", "pause"):
            for seconds in BAD_SECONDS:
                reply = await d.cli(command, seconds=seconds)
                assert reply["ok"] is False, (command, seconds, reply)
                assert str(reply["message"]).startswith(
                    "seconds must be a number above 0 and at most 86400 (24h), found "
                )
                assert await d.state() == "reminding"
        assert d.notifier is not None
        d.notifier.press("snooze:99999999999999999999")  # a key breakd never sent
        d.guard.expected.append("ignored an unknown notification action")
        await d.settle()
        reply = await d.cli("snooze", seconds=86400)
        assert reply["ok"], reply
        assert (await d.status())["snoozed_until"] == "2026-11-24T09:45:01+00:00"

    run(tmp_path, scenario)


def test_a_command_that_fails_inside_is_answered_and_the_next_one_works(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(45 * MIN + 1)
        d.guard.expected.append("the done command failed")
        broken = d.idle.idle_seconds
        d.idle.idle_seconds = lambda: 1 / 0  # type: ignore[method-assign]  # an adapter's bug
        reply = await d.cli("done")
        assert reply == {"ok": False, "message": "done failed inside breakd; its log says why"}
        d.idle.idle_seconds = broken  # type: ignore[method-assign]
        reply = await d.cli("done")
        assert reply["ok"], reply
        status = await d.status()
        assert (status["state"], status["done_count"]) == ("sitting", 1)

    run(tmp_path, scenario)
