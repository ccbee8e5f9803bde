"""Busy signals merged and debounced into BusyChanged events, with scripted signals."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from breakd.adapters.busy import FREE, UNKNOWN, Reading, Report
from breakd.adapters.busy.combined import CombinedBusySignals
from breakd.adapters.supervise import Backoff
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.events import BusyChanged
from tests.dbus_services import until

DEBOUNCE = 0.2


class Scripted:
    """A busy signal the test drives: readings, or an exception to end the watch with."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.steps: asyncio.Queue[Reading | BaseException] = asyncio.Queue()
        self.watches = 0

    async def probe(self) -> str:
        return "scripted"

    async def watch(self, report: Report) -> None:
        self.watches += 1
        while True:
            step = await self.steps.get()
            if isinstance(step, BaseException):
                raise step
            report(step)

    def say(self, *steps: Reading | BaseException) -> None:
        for step in steps:
            self.steps.put_nowait(step)


def busy(*reasons: str) -> Reading:
    return Reading.of(set(reasons))


@contextlib.asynccontextmanager
async def combined(
    *signals: Scripted, retry_after: float = 3600.0
) -> AsyncIterator[tuple[CombinedBusySignals, list[frozenset[str]]]]:
    emitted: list[frozenset[str]] = []

    def emit(event: BusyChanged) -> None:
        emitted.append(event.reasons)

    merger = CombinedBusySignals(
        signals, emit, debounce=DEBOUNCE, retry=Backoff(retry_after, retry_after)
    )
    task = asyncio.ensure_future(merger.run())
    try:
        yield merger, emitted
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def settle() -> None:
    await asyncio.sleep(DEBOUNCE * 1.5)


def test_the_first_reading_counts_at_once() -> None:
    async def scenario() -> None:
        dunst = Scripted("dnd:dunst")
        async with combined(dunst) as (merger, emitted):
            dunst.say(busy("dnd:dunst"))
            await until(lambda: emitted, timeout=DEBOUNCE / 2)
            assert emitted == [frozenset({"dnd:dunst"})]
            assert merger.reports[0].state == "watching"

    asyncio.run(scenario())


def test_a_free_start_emits_nothing() -> None:
    async def scenario() -> None:
        dunst = Scripted("dnd:dunst")
        async with combined(dunst) as (merger, emitted):
            dunst.say(FREE)
            await until(lambda: merger.reports[0].state == "watching")
            await settle()
            assert emitted == []

    asyncio.run(scenario())


def test_a_change_counts_only_once_it_has_been_stable_for_the_debounce() -> None:
    async def scenario() -> None:
        screen = Scripted("fullscreen:x11")
        async with combined(screen) as (_merger, emitted):
            screen.say(FREE, busy("fullscreen:mpv"))
            await asyncio.sleep(DEBOUNCE / 2)
            assert emitted == []
            await until(lambda: emitted, timeout=DEBOUNCE * 2)
            assert emitted == [frozenset({"fullscreen:mpv"})]
            screen.say(FREE)
            await settle()
            assert emitted == [frozenset({"fullscreen:mpv"}), frozenset()]

    asyncio.run(scenario())


def test_a_reading_said_again_is_no_news_and_does_not_restart_the_wait() -> None:
    async def scenario() -> None:
        screen = Scripted("fullscreen:x11")
        async with combined(screen) as (_merger, emitted):
            screen.say(FREE, FREE)
            await settle()
            assert emitted == []
            loop = asyncio.get_running_loop()
            started = loop.time()
            screen.say(busy("fullscreen:mpv"))
            await asyncio.sleep(DEBOUNCE / 2)
            screen.say(busy("fullscreen:mpv"))  # a watcher may repeat itself
            await until(lambda: emitted, timeout=DEBOUNCE * 2)
            assert loop.time() - started < DEBOUNCE * 1.4
            assert emitted == [frozenset({"fullscreen:mpv"})]

    asyncio.run(scenario())


def test_a_flapping_signal_does_not_flap_the_state() -> None:
    async def scenario() -> None:
        screen = Scripted("fullscreen:x11")
        async with combined(screen) as (_merger, emitted):
            screen.say(FREE)
            for _ in range(5):
                screen.say(busy("fullscreen:mpv"))
                await asyncio.sleep(DEBOUNCE / 4)
                screen.say(FREE)
                await asyncio.sleep(DEBOUNCE / 4)
            await settle()
            assert emitted == []

    asyncio.run(scenario())


def test_reasons_of_every_busy_signal_are_merged_and_unknown_counts_as_free() -> None:
    async def scenario() -> None:
        dunst, camera, screen = Scripted("dnd:dunst"), Scripted("camera"), Scripted("x11")
        async with combined(dunst, camera, screen) as (merger, emitted):
            dunst.say(busy("dnd:dunst"))
            camera.say(busy("camera:zoom"))
            screen.say(UNKNOWN)
            await until(lambda: len(emitted) == 2)
            assert emitted[-1] == frozenset({"dnd:dunst", "camera:zoom"})
            dunst.say(FREE)
            await until(lambda: len(emitted) == 3, timeout=DEBOUNCE * 3)
            assert emitted[-1] == frozenset({"camera:zoom"})
            assert merger.rule.reasons == frozenset({"camera:zoom"})

    asyncio.run(scenario())


def test_a_signal_that_stops_no_longer_holds_anything() -> None:
    async def scenario() -> None:
        dunst = Scripted("dnd:dunst")
        async with combined(dunst) as (merger, emitted):
            dunst.say(busy("dnd:dunst"))
            await until(lambda: emitted)
            dunst.say(WatcherUnavailable("the session bus went away"))  # after a reading
            await until(lambda: len(emitted) == 2, timeout=DEBOUNCE / 2)
            assert emitted[-1] == frozenset()
            assert merger.reports[0].state == "stopped"
            assert merger.reports[0].reason == "the session bus went away"

    asyncio.run(scenario())


@pytest.mark.parametrize("error", [WatcherUnavailable("no dunst"), RuntimeError("bug")])
def test_an_unavailable_or_broken_signal_is_tried_again(error: Exception) -> None:
    async def scenario() -> None:
        dunst = Scripted("dnd:dunst")
        dunst.say(error, busy("dnd:dunst"))
        async with combined(dunst, retry_after=0.05) as (merger, emitted):
            await until(lambda: emitted)
            assert dunst.watches == 2
            assert emitted == [frozenset({"dnd:dunst"})]
            assert merger.reports[0].state == "watching"

    asyncio.run(scenario())
