"""An error that repeats with every event: logged at once, then once a minute with a count."""

from __future__ import annotations

import logging

import pytest

from breakd.repeated_log import RepeatedLog

DISK = "cannot save state to %s: %s"
FULL = "cannot save state to /s: No space left on device"


class Minutes:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Minutes:
    return Minutes()


@pytest.fixture
def repeats(caplog: pytest.LogCaptureFixture, clock: Minutes) -> RepeatedLog:
    caplog.set_level(logging.INFO, logger="test.repeats")
    return RepeatedLog(logging.getLogger("test.repeats"), clock)


def test_a_repeat_is_held_back_for_a_minute_then_logged_with_its_count(
    repeats: RepeatedLog, clock: Minutes, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(30):
        repeats.error(DISK, "/s", "No space left on device")
        clock.now += 1.0
    assert caplog.messages == [FULL]
    clock.now = 60.0
    repeats.error(DISK, "/s", "No space left on device")
    assert caplog.messages == [FULL, FULL + " (29 more times)"]
    clock.now = 121.0
    repeats.error(DISK, "/s", "No space left on device")
    assert caplog.messages[2] == FULL  # nothing came in between


def test_other_messages_are_news_and_flush_says_the_count_now(
    repeats: RepeatedLog, caplog: pytest.LogCaptureFixture
) -> None:
    repeats.error(DISK, "/s", "No space left on device")
    repeats.error(DISK, "/s", "Read-only file system")
    repeats.error(DISK, "/s", "No space left on device")
    repeats.error(DISK, "/s", "No space left on device", flush=True)
    assert caplog.messages == [
        FULL,
        "cannot save state to /s: Read-only file system",
        FULL + " (1 more time)",
    ]


def test_after_a_reset_the_next_error_is_logged_at_once(
    repeats: RepeatedLog, caplog: pytest.LogCaptureFixture
) -> None:
    assert repeats.reset() is None
    repeats.warning("refused a control connection from uid %s", 65534)
    repeats.warning("refused a control connection from uid %s", 65534)
    assert repeats.reset() == 1
    repeats.warning("refused a control connection from uid %s", 65534)
    assert len(caplog.messages) == 2


def test_only_so_many_distinct_messages_are_remembered(
    repeats: RepeatedLog, caplog: pytest.LogCaptureFixture
) -> None:
    for uid in range(1000):
        repeats.warning("refused a control connection from uid %s", uid)
    repeats.warning("refused a control connection from uid %s", 0)  # long forgotten: news
    assert len(caplog.messages) == 1001
