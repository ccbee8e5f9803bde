"""The daemon's clock notices a suspend from its two clocks drifting apart.

Not covered: a real suspend (this machine cannot be put to sleep in a test). The two
kernel clocks are replaced at the `time` module boundary, which is all the adapter reads.
"""

from __future__ import annotations

import time

import pytest

from breakd.adapters.system_clock import SystemClock


class TwoClocks:
    def __init__(self) -> None:
        self.boot = 5000.0
        self.mono = 4000.0

    def clock_gettime(self, clock_id: int) -> float:
        return self.boot

    def monotonic(self) -> float:
        return self.mono


@pytest.mark.skipif(not hasattr(time, "CLOCK_BOOTTIME"), reason="Linux: CLOCK_BOOTTIME")
def test_a_jump_of_boottime_over_monotonic_is_a_suspend(monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = TwoClocks()
    monkeypatch.setattr(time, "clock_gettime", clocks.clock_gettime)
    monkeypatch.setattr(time, "monotonic", clocks.monotonic)
    clock = SystemClock()
    clocks.boot += 60
    clocks.mono += 60
    assert clock.slept_since_last_check() == 0.0
    clocks.boot += 7200 + 5
    clocks.mono += 5
    assert clock.slept_since_last_check() == pytest.approx(7200)
    assert clock.slept_since_last_check() == 0.0
    assert clock.monotonic() == clocks.boot


def test_the_real_clocks_show_no_suspend_in_a_moment() -> None:
    clock = SystemClock()
    first = clock.monotonic()
    assert clock.slept_since_last_check() == 0.0
    assert clock.monotonic() >= first
    assert clock.wall().tzinfo is not None
