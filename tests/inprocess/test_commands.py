"""The reminder and the answers to it through the daemon, on the fake clock.

The commands go over the real control socket as the CLI sends them; what they do
to the tracker is checked here to the second. tests/e2e/test_daemon_cli.py shows
the same commands as a user types them: their output and exit codes.
"""

from __future__ import annotations

from pathlib import Path

from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run, titles


def test_the_reminder_names_the_stretch_and_repeats_while_unanswered(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN - 1)
        assert titles(d) == []
        await d.advance(2)
        status = await d.status()
        assert (status["state"], status["exercise"]) == ("reminding", "standing-lunge")
        assert titles(d) == ["Stretch break: Standing lunge"]
        body = d.notifier.shown[0].message.body
        assert "Navel in" in body
        assert "Hold 30 s each side." in body
        await d.advance(5 * MIN - 2)  # repeat_every: 5m
        assert len(titles(d)) == 1
        await d.advance(5 * MIN + 2)
        assert titles(d) == [
            "Stretch break: Standing lunge",
            "Still sitting? Stretch break: Standing lunge",
            "Still sitting? Stretch break: Standing lunge",
        ]

    run(tmp_path, scenario)


def test_snooze_puts_the_reminder_off_for_the_given_time_or_the_default(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN)
        assert d.notifier.on_screen is not None
        reply = await d.cli("snooze", seconds=20 * MIN)
        assert reply["ok"], reply
        assert reply["message"] == "Snoozed until 10:05."
        status = await d.status()
        assert status["state"] == "snoozed"
        assert status["snoozed_until"] == "2026-11-23T10:05:00+00:00"
        assert d.notifier.on_screen is None
        await d.advance(20 * MIN - 1)
        assert await d.state() == "snoozed"
        await d.advance(1)
        assert await d.state() == "reminding"

        await d.cli("snooze")  # snooze.default: 10m
        status = await d.status()
        assert status["state"] == "snoozed"
        assert status["snoozed_until"] == "2026-11-23T10:15:00+00:00"

    run(tmp_path, scenario)


def test_done_moves_on_to_the_next_stretch_and_skip_keeps_it(tmp_path: Path) -> None:
    """By the buttons, as the CLI's commands (the same path); the CLI's output is in e2e."""

    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN)
        d.notifier.press("done")
        await d.settle()
        status = await d.status()
        assert (status["state"], status["exercise"], status["sitting_seconds"]) == (
            "sitting",
            "kneeling-lunge",
            0,
        )
        assert (status["done_count"], status["skipped_count"]) == (1, 0)
        assert d.notifier.on_screen is None
        await d.advance(45 * MIN)
        assert titles(d)[-1] == "Stretch break: Half-kneeling lunge"

        d.notifier.press("skip")
        await d.settle()
        status = await d.status()
        assert (status["state"], status["exercise"], status["sitting_seconds"]) == (
            "sitting",
            "kneeling-lunge",
            0,
        )
        assert (status["done_count"], status["skipped_count"]) == (1, 1)
        assert d.notifier.on_screen is None
        await d.advance(45 * MIN)
        assert titles(d)[-1] == "Stretch break: Half-kneeling lunge"  # the same one again

        d.notifier.press("done")
        await d.settle()
        status = await d.status()
        assert (status["exercise"], status["done_count"]) == ("prone-press-up", 2)

        await d.advance(45 * MIN)
        reply = await d.cli("done")  # from the CLI too, and after the last stretch the first
        assert reply["message"] == "Well done. Next stretch: Standing lunge."
        assert (await d.status())["done_count"] == 3

    run(tmp_path, scenario)


def test_remind_now_shows_the_stretch_at_once(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(10 * MIN)
        reply = await d.cli("remind-now")
        assert reply["message"] == "Reminder shown: Standing lunge."
        assert await d.state() == "reminding"
        assert titles(d) == ["Stretch break: Standing lunge"]

    run(tmp_path, scenario)
