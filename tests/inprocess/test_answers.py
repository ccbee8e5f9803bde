"""What an answer means, as a user would guess it, through the real daemon wiring.

A click on the reminder's body starts the guided stretch (tests/inprocess/test_guide.py),
and a late one on an answered reminder starts nothing; `done` with no
reminder out counts once; and `breakd status` says why nothing is on screen.
"""

from __future__ import annotations

from pathlib import Path

from breakd.status_text import format_status
from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import HOUR, MIN, run


def test_a_click_on_the_body_after_the_answer_shows_nothing(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN)
        assert (await d.cli("skip"))["ok"]
        d.notifier.press("default")  # a late click on a reminder already answered
        await d.settle()
        assert d.notifier.on_screen is None
        status = await d.status()
        assert (status["state"], status["done_count"], status["skipped_count"]) == (
            "sitting",
            0,
            1,
        )

    run(tmp_path, scenario)


def test_done_twice_with_no_reminder_out_counts_once(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(10 * MIN)
        first = await d.cli("done")  # a stretch done unprompted counts, once
        assert first["ok"], first
        assert first["message"] == "Well done. Next stretch: Half-kneeling lunge."
        again = await d.cli("done")
        assert again == {
            "ok": False,
            "message": "Already counted: no reminder has come since your last answer;"
            " `breakd status` says when.",
        }
        await d.advance(10 * MIN)
        assert not (await d.cli("done"))["ok"]
        status = await d.status()
        assert (status["done_count"], status["exercise"]) == (1, "kneeling-lunge")
        assert status["sitting_seconds"] == 10 * MIN  # the refused one restarted nothing

        skip = await d.cli("skip")
        assert skip == {
            "ok": False,
            "message": "There is no reminder to skip; `breakd snooze` puts off the next one.",
        }

        await d.advance(35 * MIN)  # the next reminder: answering it counts again
        assert (await d.state()) == "reminding"
        assert (await d.cli("done"))["ok"]
        assert not (await d.cli("done"))["ok"]
        assert (await d.status())["done_count"] == 2

    run(tmp_path, scenario)


def test_done_counts_for_a_reminder_that_is_due_but_held(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(40 * MIN)
        d.busy("dnd:dunst")
        await d.advance(10 * MIN)
        assert (await d.status())["deferred"] is not None
        assert (await d.cli("skip"))["ok"]  # due, though not shown: there is one to skip
        assert (await d.status())["skipped_count"] == 1

    run(tmp_path, scenario)


async def reminder_row(d: InProcessDaemon) -> str:
    """The "reminder" row of `breakd status`, as the CLI prints it."""
    reply = await d.cli("status")
    text = format_status(reply["status"])  # type: ignore[arg-type]
    [row] = [line for line in text.splitlines() if line.startswith("reminder ")]
    return row.removeprefix("reminder").strip()


def test_status_says_when_the_next_reminder_comes_and_that_one_is_on_screen(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(10 * MIN)
        assert await reminder_row(d) == "next at 09:45 (in 35 min)"
        await d.advance(35 * MIN)
        assert await reminder_row(d) == "on screen now"

    run(tmp_path, scenario)


def test_status_says_a_reminder_is_held_for_do_not_disturb_and_since_when(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(40 * MIN)
        d.busy("dnd:dunst")
        await d.advance(12 * MIN)
        assert await reminder_row(d) == (
            "held since 09:45 (7 min ago): do not disturb is on; it comes when that ends"
        )
        d.busy("camera:zoom")
        await d.settle()
        assert (await reminder_row(d)).endswith(": you are in a call; it comes when that ends")

    run(tmp_path, scenario)


def test_status_says_a_due_reminder_waits_for_you_to_come_back(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(43 * MIN)
        d.idle.leave()  # up for a coffee, not yet long enough for a break (5 min)
        await d.advance(4 * MIN)
        status = await d.status()
        assert (status["state"], status["awaiting_return"]) == ("sitting", True)
        assert await reminder_row(d) == (
            "due since 09:45 (2 min ago); waiting for you to come back"
        )
        await d.advance(2 * MIN)
        assert await reminder_row(d) == "none while you are away (no input for 6 min)"

    run(tmp_path, scenario)


def test_status_says_until_when_snoozed_and_paused(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(45 * MIN)
        assert (await d.cli("snooze", seconds=20 * MIN))["ok"]
        await d.advance(8 * MIN)
        assert await reminder_row(d) == "snoozed until 10:05 (in 12 min)"
        assert (await d.cli("pause", seconds=HOUR))["ok"]
        assert await reminder_row(d) == "paused until 10:53 (in 1 h)"
        assert (await d.cli("resume"))["ok"]
        assert (await d.cli("pause"))["ok"]
        assert await reminder_row(d) == "paused until you run `breakd resume`"

    run(tmp_path, scenario)


def test_status_says_when_active_hours_start_again(tmp_path: Path) -> None:
    config = 'active_hours:\n  days: [mon, tue, wed, thu, fri]\n  from: "09:00"\n  to: "17:00"\n'

    async def scenario(d: InProcessDaemon) -> None:
        await d.set_wall_clock(9 * HOUR + 30 * MIN)  # Monday 18:30
        await d.settle()
        assert await d.state() == "off_hours"
        assert await reminder_row(d) == (
            "none outside active hours; they start again at 09:00 (in 14 h 30 min)"
        )
        status = await d.status()
        assert status["active_again_at"] == "2026-11-24T09:00:00+00:00"

    run(tmp_path, scenario, config)
