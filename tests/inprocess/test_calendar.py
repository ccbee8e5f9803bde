"""Active hours and the day's counts through the daemon, on the real cron triggers.

The fake clock's wall time is in a zone with daylight saving where that matters;
a wall-clock step is noticed the way a machine without a timerfd notices it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import HOUR, MIN, run

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EVERY_DAY_8_TO_18 = """\
active_hours:
  days: [mon, tue, wed, thu, fri, sat, sun]
  from: "08:00"
  to: "18:00"
"""


def local(d: InProcessDaemon) -> str:
    return d.clock.wall().astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M")


def test_active_hours_begin_and_end_on_weekdays_only(tmp_path: Path) -> None:
    config = 'active_hours:\n  days: [mon, tue, wed, thu, fri]\n  from: "09:00"\n  to: "17:00"\n'
    friday_1630 = datetime(2026, 11, 27, 16, 30, tzinfo=AMSTERDAM)

    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        assert await d.state() == "sitting"
        await d.advance(30 * MIN - 1)
        assert await d.state() == "sitting"
        await d.advance(2)
        assert await d.state() == "off_hours"
        await d.advance(2 * 24 * HOUR + 16 * HOUR - 3)  # the weekend, up to Monday 08:59:58
        assert await d.state() == "off_hours"
        assert d.notifier.shown == []
        await d.advance(3)
        assert (await d.state(), local(d)) == ("sitting", "2026-11-30 09:00")
        await d.advance(45 * MIN + 1)
        assert await d.state() == "reminding"

    run(tmp_path, scenario, config, wall=friday_1630)


def test_a_reminder_on_screen_when_active_hours_end_is_taken_back(tmp_path: Path) -> None:
    config = EVERY_DAY_8_TO_18 + "sitting:\n  repeat_every: 0s\n"

    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(46 * MIN)
        assert d.notifier.on_screen is not None
        await d.advance(14 * MIN)
        assert (await d.state(), local(d)) == ("off_hours", "2026-11-23 18:00")
        assert d.notifier.on_screen is None
        assert len(d.notifier.shown) == 1

    run(tmp_path, scenario, config, wall=datetime(2026, 11, 23, 17, 0, tzinfo=AMSTERDAM))


@pytest.mark.parametrize(
    ("evening", "hours_to_morning"),
    [
        (datetime(2026, 10, 24, 17, 0, tzinfo=AMSTERDAM), 15),  # clocks go back: a 15-hour night
        (datetime(2027, 3, 27, 17, 0, tzinfo=AMSTERDAM), 13),  # clocks go forward: 13 hours
    ],
    ids=["autumn", "spring"],
)
def test_active_hours_follow_local_time_across_a_daylight_saving_change(
    tmp_path: Path, evening: datetime, hours_to_morning: int
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(HOUR)
        assert (await d.state(), local(d)[11:]) == ("off_hours", "18:00")
        await d.advance(hours_to_morning * HOUR - 1)
        assert await d.state() == "off_hours"
        await d.advance(2)
        assert (await d.state(), local(d)[11:]) == ("sitting", "08:00")

    run(tmp_path, scenario, EVERY_DAY_8_TO_18, wall=evening)


@pytest.mark.parametrize(
    ("start", "step", "change"),
    [
        (datetime(2026, 11, 23, 17, 0, tzinfo=AMSTERDAM), +2 * HOUR, "sitting -> off_hours"),
        (datetime(2026, 11, 23, 19, 0, tzinfo=AMSTERDAM), -2 * HOUR, "off_hours -> sitting"),
        (datetime(2026, 11, 23, 17, 0, tzinfo=AMSTERDAM), -2 * HOUR, None),
    ],
    ids=["forward-out", "back-in", "back-within"],
)
def test_a_wall_clock_step_re_evaluates_active_hours_at_once(
    tmp_path: Path, start: datetime, step: float, change: str | None
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(10 * MIN)
        before = len(d.guard.records)
        await d.set_wall_clock(step)
        said = d.guard.messages()[before:]
        assert "the wall clock was set; active hours and the day follow the new time" in said
        assert [m for m in said if " -> " in m] == ([change] if change else [])
        if await d.state() == "sitting":  # the end of active hours still comes at 18:00
            wall = d.clock.wall()
            six = wall.astimezone(AMSTERDAM).replace(hour=18, minute=0, second=0)
            await d.advance((six - wall).total_seconds() - 2)
            assert await d.state() in ("sitting", "reminding")
            await d.advance(3)
            assert (await d.state(), local(d)[11:]) == ("off_hours", "18:00")

    run(tmp_path, scenario, EVERY_DAY_8_TO_18, wall=start)


def test_the_days_counts_start_again_at_day_starts_at(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        for _ in range(2):
            await d.advance(45 * MIN + 1)
            d.notifier.press("done")
            await d.settle()
        assert (await d.status())["done_count"] == 2
        await d.advance(HOUR)  # 02:31: a late night still counts toward the day before
        assert (await d.status())["done_count"] == 2
        d.idle.leave()
        await d.advance(2 * HOUR)  # past 04:00 while away: no sample but the calendar's
        assert (await d.status())["done_count"] == 0

    run(tmp_path, scenario, wall=datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc))


def test_counts_from_an_earlier_day_do_not_carry_over_a_restart(tmp_path: Path) -> None:
    async def evening(d: InProcessDaemon) -> None:
        await d.advance(45 * MIN + 1)
        await d.cli("done")

    stopped = run(tmp_path, evening, wall=datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc))

    async def same_day(d: InProcessDaemon) -> None:
        assert (await d.status())["done_count"] == 1

    run(tmp_path, same_day, wall=stopped.clock.wall())

    async def next_day(d: InProcessDaemon) -> None:
        assert (await d.status())["done_count"] == 0

    run(tmp_path, next_day, wall=datetime(2026, 11, 23, 4, 1, tzinfo=timezone.utc))


NIGHT_SHIFT = """\
active_hours:
  days: [{days}]
  from: "22:00"
  to: "06:00"
"""


def test_a_night_shift_runs_across_midnight_into_the_next_morning(tmp_path: Path) -> None:
    """Friday's shift runs into Saturday morning; Saturday and Sunday have none; Monday's
    starts at 22:00. A day not listed never starts a shift, even though one ends on it."""
    config = NIGHT_SHIFT.format(days="mon, tue, wed, thu, fri")

    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        assert (await d.state(), local(d)) == ("off_hours", "2026-11-27 21:30")
        await d.advance(30 * MIN + 1)
        assert await d.state() == "sitting"
        await d.advance(2 * HOUR)  # past midnight: Saturday 00:00
        assert (await d.state(), local(d)[:10]) == ("reminding", "2026-11-28")
        d.notifier.press("done")
        await d.settle()
        await d.advance(6 * HOUR - 2)  # Saturday 05:59:59
        assert await d.state() in ("sitting", "reminding")
        await d.advance(2)
        assert (await d.state(), local(d)) == ("off_hours", "2026-11-28 06:00")
        await d.advance(2 * 24 * HOUR + 16 * HOUR - 2)  # up to Monday 21:59:59
        assert await d.state() == "off_hours"
        await d.advance(2)
        assert (await d.state(), local(d)) == ("sitting", "2026-11-30 22:00")

    run(tmp_path, scenario, config, wall=datetime(2026, 11, 27, 21, 30, tzinfo=AMSTERDAM))


@pytest.mark.parametrize(
    ("saturday", "shift_hours"),
    [
        (datetime(2026, 10, 24, 21, 0, tzinfo=AMSTERDAM), 9),  # clocks go back in the night
        (datetime(2027, 3, 27, 21, 0, tzinfo=AMSTERDAM), 7),  # clocks go forward
    ],
    ids=["autumn", "spring"],
)
def test_a_night_shift_ends_at_its_local_time_across_a_daylight_saving_change(
    tmp_path: Path, saturday: datetime, shift_hours: int
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(HOUR)
        assert (await d.state(), local(d)[11:]) == ("sitting", "22:00")
        await d.advance(shift_hours * HOUR - 1)
        assert await d.state() in ("sitting", "reminding")
        await d.advance(2)
        assert (await d.state(), local(d)[11:]) == ("off_hours", "06:00")

    run(tmp_path, scenario, NIGHT_SHIFT.format(days="sat"), wall=saturday)


def test_a_night_shift_counts_as_one_day_when_the_day_starts_at_noon(tmp_path: Path) -> None:
    config = NIGHT_SHIFT.format(days="mon") + 'day_starts_at: "12:00"\n'

    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        for _ in range(3):  # 22:45, 23:31 and, after midnight, 00:17
            await d.advance(45 * MIN + 1)
            d.notifier.press("done")
            await d.settle()
        assert local(d)[:10] == "2026-11-24"
        assert (await d.status())["done_count"] == 3

    run(tmp_path, scenario, config, wall=datetime(2026, 11, 23, 22, 0, tzinfo=AMSTERDAM))
