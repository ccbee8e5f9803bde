"""The daemon's timers for real: the boot-clock wake-up and the wall-clock step watch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from breakd.adapters import timerfd
from breakd.adapters.clock_steps import CancelOnSetWatch, ComparedClocks
from breakd.adapters.system_clock import SystemClock
from breakd.adapters.wakeup_timer import BootClockTimer, LoopTimer, WakeupTimer
from tests.core.fake_clock import FakeClock
from tests.desktop import skip_or_fail

TIMERS: list[Callable[[asyncio.AbstractEventLoop, SystemClock], WakeupTimer]] = [
    BootClockTimer,
    LoopTimer,
]


@pytest.mark.parametrize("make", TIMERS, ids=["timerfd", "loop"])
def test_the_timer_fires_once_at_the_deadline_and_a_new_one_replaces_it(make: Callable) -> None:  # type: ignore[type-arg]
    clock = SystemClock()

    async def scenario() -> list[tuple[str, float]]:
        fired: list[tuple[str, float]] = []
        timer = make(asyncio.get_running_loop(), clock)
        start = clock.monotonic()
        timer.wake_at(start + 0.1, lambda: fired.append(("first", clock.monotonic() - start)))
        timer.wake_at(start + 0.3, lambda: fired.append(("second", clock.monotonic() - start)))
        await asyncio.sleep(0.6)
        timer.wake_at(clock.monotonic() + 0.1, lambda: fired.append(("cancelled", 0.0)))
        timer.wake_at(None, lambda: fired.append(("none", 0.0)))
        await asyncio.sleep(0.3)
        timer.close()
        return fired

    fired = asyncio.run(scenario())
    assert [name for name, _ in fired] == ["second"]
    assert 0.29 <= fired[0][1] < 0.45


def test_a_deadline_already_past_fires_at_once() -> None:
    clock = SystemClock()

    async def scenario() -> float:
        timer = BootClockTimer(asyncio.get_running_loop(), clock)
        done = asyncio.Event()
        start = time.monotonic()
        timer.wake_at(clock.monotonic() - 5, done.set)
        await asyncio.wait_for(done.wait(), 2)
        timer.close()
        return time.monotonic() - start

    assert asyncio.run(scenario()) < 0.1


def test_setting_the_wall_clock_wakes_the_watch_and_only_a_real_step_counts() -> None:
    """The real clock is set to what it already says (as root, a step of microseconds),
    which makes the kernel wake the watch; whether a wake is a step is read from a fake
    clock, so nothing else on the machine sees the wall clock move."""
    if not timerfd.available():
        pytest.skip("timerfd is Linux only; elsewhere the clocks are compared (tested below)")
    clock = FakeClock()

    async def woken(watch: CancelOnSetWatch, times: int) -> None:
        deadline = time.monotonic() + 2
        while watch.wakes < times:
            assert time.monotonic() < deadline, "the kernel never woke the watch"
            await asyncio.sleep(0.01)

    async def scenario() -> None:
        steps: list[int] = []
        watch = CancelOnSetWatch(asyncio.get_running_loop(), clock)
        watch.start(lambda: steps.append(1))
        await asyncio.sleep(0.05)
        assert (watch.wakes, steps) == (0, [])
        try:
            time.clock_settime(time.CLOCK_REALTIME, time.time())
        except PermissionError:
            watch.close()
            skip_or_fail("setting the clock needs root (CAP_SYS_TIME)")
        await woken(watch, 1)
        assert steps == []  # set, but to the time it was: not a step
        clock.jump_wall(-1800)
        time.clock_settime(time.CLOCK_REALTIME, time.time())  # re-armed: noticed again
        await woken(watch, 2)
        assert steps == [1]
        watch.close()

    asyncio.run(scenario())


def test_compared_clocks_see_a_step_but_not_time_passing() -> None:
    clock = FakeClock()
    steps: list[int] = []
    watch = ComparedClocks(clock)
    watch.start(lambda: steps.append(1))
    clock.advance(3600)
    watch.check()
    assert steps == []
    clock.jump_wall(-1800)
    watch.check()
    watch.check()
    assert steps == [1]
    clock.jump_wall(1)  # drift, not a step
    watch.check()
    assert steps == [1]
