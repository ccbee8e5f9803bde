"""The guided stretch through the real daemon wiring, on the fake clock.

The whole guide, from the reminder's Start to the stretch counted, with each
frame's time and progress value; Cancel; and what pauses it midway (a lock, a
walk away, do not disturb) and the offer to carry on that follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from breakd import paths
from breakd.core import history
from breakd.core.events import ScreenLocked, ScreenUnlocked
from breakd.core.guide_text import GuideMessage
from breakd.core.stretches import STRETCHES
from breakd.history_reader import read_days
from tests.inprocess.harness import InProcessDaemon, ShownReminder
from tests.inprocess.test_daemon_day import MIN, run, titles

LUNGE = STRETCHES["standing-lunge"].text["en"]


def frames(d: InProcessDaemon, since: float = 0.0) -> list[ShownReminder]:
    assert d.notifier is not None
    return [shown for shown in d.notifier.guide_frames if shown.at >= since]


def guide(shown: ShownReminder) -> GuideMessage:
    assert isinstance(shown.message, GuideMessage)
    return shown.message


async def start_from_the_reminder(d: InProcessDaemon) -> float:
    """The reminder comes; the user picks Start. Returns when."""
    assert d.notifier is not None
    await d.advance(45 * MIN)
    assert titles(d) == ["Stretch break: Standing lunge"]
    d.notifier.press("default")  # Start, or a click on the body
    await d.settle()
    return d.now


def test_a_whole_guide_counts_down_each_side_and_counts_the_stretch_done(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        start = await start_from_the_reminder(d)
        wakeups, samples = d.timer.wakeups, d.idle.samples
        assert (await d.status())["state"] == "guiding"
        samples += 1  # that status call's own
        await d.advance(80)
        shown = frames(d)
        assert d.timer.wakeups - wakeups == 70  # one a second, no more
        # The ticks need the time, not the idle source: none of them samples it while no
        # reading could count the user away (break_after_idle after the last input, 5 min).
        assert d.idle.samples - samples == 0, d.idle.samples - samples
        # One frame a second, each replacing the last, from Start to the end.
        assert [round(frame.at - start, 6) for frame in shown] == list(range(71))
        starts = {}
        for frame in shown:
            starts.setdefault(guide(frame).title, round(frame.at - start, 6))
        assert starts == {
            "Get into position: Standing lunge": 0,
            "Left leg back: hold": 5,
            "Switch sides": 35,
            "Right leg back: hold": 40,
            "Well done: Standing lunge": 70,
        }
        first = guide(shown[0])
        assert first.body.splitlines() == ["5 s to go", LUNGE.start]
        side_one = [guide(frame) for frame in shown[5:35]]
        assert [message.body.splitlines()[0] for message in side_one][:3] == [
            "30 s to go",
            "29 s to go",
            "28 s to go",
        ]
        assert side_one[0].body.splitlines()[1] == LUNGE.cue
        assert [message.value for message in side_one][:4] == [0, 3, 7, 10]
        assert side_one[-1].value == 97
        assert {guide(frame).kind for frame in shown[:-1]} == {"running"}
        assert [guide(frame).cue for frame in shown].count(True) == 2  # switch, end
        end = guide(shown[-1])
        assert (end.kind, end.value, end.body) == (
            "end",
            None,
            "Stretch done; sitting time starts again from 0.",
        )

        status = await d.status()
        assert (status["state"], status["done_count"], status["skipped_count"]) == (
            "sitting",
            1,
            0,
        )
        assert status["exercise"] == "kneeling-lunge"  # the rotation moved on
        assert status["guide"] is None
        assert status["sitting_seconds"] == 10
        # Nothing after: the next wake-up is the ordinary one, minutes away.
        assert d.timer.deadline is not None and d.timer.deadline - d.now >= 4 * MIN
        # The history has it as the stretch done, guided.
        today = d.clock.wall().date()
        answers = [
            entry.details
            for entry in read_days(paths.history_dir(), today, today).entries
            if entry.kind == history.ANSWER
        ]
        assert [(a["how"], a["exercise"], a.get("guided")) for a in answers] == [
            ("done", "standing-lunge", True)
        ]

    run(tmp_path, scenario)


def test_breakd_guide_with_no_reminder_out_guides_the_stretch_named(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(10 * MIN)
        reply = await d.cli("guide", exercise="prone-press-up")
        assert reply["message"] == "Guided stretch: Prone press-up."
        assert (await d.cli("guide"))["ok"] is False  # one at a time
        await d.advance(40)
        assert [guide(frame).title for frame in frames(d)][::5] == [
            "Get into position: Prone press-up",
            *["Prone press-up: hold"] * 6,
            "Well done: Prone press-up",
        ]
        status = await d.status()
        assert (status["state"], status["done_count"]) == ("sitting", 1)
        unknown = await d.cli("guide", exercise="cartwheel")
        assert unknown == {
            "ok": False,
            "message": "There is no stretch cartwheel; `breakd exercises` lists them.",
        }

    run(tmp_path, scenario)


def test_cancel_mid_guide_counts_nothing_and_the_reminder_answers_still_work(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await start_from_the_reminder(d)
        await d.advance(20)
        d.notifier.press("cancel")
        await d.settle()
        status = await d.status()
        assert (status["state"], status["done_count"], status["skipped_count"]) == (
            "reminding",
            0,
            0,
        )
        back = d.notifier.on_screen
        assert back is not None and back.message.title == "Stretch break: Standing lunge"
        cancelled_at = d.now
        await d.advance(60)
        assert frames(d, since=cancelled_at + 0.5) == []  # the countdown stopped
        d.notifier.press("snooze:600")
        await d.settle()
        assert await d.state() == "snoozed"
        await d.advance(10 * MIN)
        d.notifier.press("skip")
        await d.settle()
        status = await d.status()
        assert (status["state"], status["done_count"], status["skipped_count"]) == (
            "sitting",
            0,
            1,
        )
        assert status["exercise"] == "standing-lunge"  # skipped: the same one comes next

    run(tmp_path, scenario)


@pytest.mark.parametrize("why", ["lock", "dnd", "away"])
def test_a_lock_a_walk_away_or_do_not_disturb_pauses_the_guide_until_the_user_carries_on(
    tmp_path: Path, why: str
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        start = await start_from_the_reminder(d)
        await d.advance(10)  # 5 s into the first side
        if why == "lock":
            d.session(ScreenLocked())
        elif why == "dnd":
            d.busy("dnd:dunst")
        else:
            d.idle.leave()
        await d.settle()
        if why == "away":
            await d.advance(20)  # break_after_idle: the guide ran on until then
            assert (await d.status())["state"] == "away"
        else:
            assert d.notifier.on_screen is None  # the countdown left the screen
        paused = (await d.status())["guide"]
        assert paused is not None and paused["paused"]
        left = paused["seconds_left"]
        stopped = d.now
        await d.advance(10 * MIN)
        assert frames(d, since=stopped + 0.5) == []  # it stood still
        assert (await d.status())["guide"] == paused

        if why == "lock":
            d.session(ScreenUnlocked())
        elif why == "dnd":
            d.busy()
        else:
            d.idle.come_back()
        await d.settle()
        offer = d.notifier.on_screen
        assert offer is not None
        assert offer.message.title == "Paused: Standing lunge"
        assert offer.message.body == (
            f"Carry on where you stopped ({left} s to go), or finish it here."
        )
        assert guide(offer).kind == "paused"
        d.notifier.press("default")  # Carry on
        await d.settle()
        resumed = d.now
        await d.advance(60 + left)
        end = frames(d)[-1]
        assert guide(end).kind == "end"
        assert end.at - resumed == pytest.approx(left + 35)  # the rest of side one, switch, two
        assert start < stopped
        status = await d.status()
        assert (status["state"], status["done_count"]) == ("sitting", 1)

    config = "sitting:\n  break_after_idle: 20s\n" if why == "away" else ""
    run(tmp_path, scenario, config)


def test_a_daemon_stopped_mid_guide_takes_the_countdown_off_screen(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await start_from_the_reminder(d)
        await d.advance(10)
        assert d.notifier is not None and d.notifier.on_screen is not None

    daemon = run(tmp_path, scenario)
    assert daemon.notifier is not None and daemon.notifier.on_screen is None


def test_do_not_disturb_at_the_switch_holds_its_cue_until_the_user_carries_on(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        start = await start_from_the_reminder(d)
        await d.advance(34.5)  # half a second before "Switch sides" and its sound
        d.busy("dnd:dunst")
        await d.settle()
        stopped = d.now
        await d.advance(10 * MIN)
        # No frame while do not disturb is on, so no cue: the sound goes with a frame.
        assert frames(d, since=stopped) == []
        assert not any(guide(frame).cue for frame in frames(d))
        d.busy()
        await d.settle()
        offer = d.notifier.on_screen
        assert offer is not None and guide(offer).kind == "paused"
        assert not guide(offer).cue  # the offer to carry on is silent
        d.notifier.press("default")  # Carry on
        await d.settle()
        await d.advance(1)
        cues = [frame for frame in frames(d) if guide(frame).cue]
        assert [guide(frame).title for frame in cues] == ["Switch sides"]
        assert cues[0].at > stopped + 10 * MIN  # only once do not disturb was off
        assert start < stopped

    run(tmp_path, scenario)
