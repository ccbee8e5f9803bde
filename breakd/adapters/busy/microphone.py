"""A microphone in use: a program records from a real source of the sound server.

PulseAudio and PipeWire (through pipewire-pulse) both list each recording
stream as a "source-output". `pactl subscribe` runs for as long as the watcher
does and prints one line per change; only a line about a source-output makes
the watcher list them again (`pactl -f json list source-outputs`, plus the
sources to tell monitors apart), so nothing is polled. Not counted:

- recordings of a monitor source (what a sink plays: visualisers, screen
  recorders' desktop audio);
- corked (paused) streams, and virtual nodes such as echo cancellers;
- apps on `ignore_apps` (volume meters such as pavucontrol, effect filters
  such as EasyEffects), matched on the application id, binary or name.

Reason: "microphone:<app>" with the application name in lower case. Off by
default in the config: the subprocesses run only when it is switched on.
`pactl -f json` needs pactl 16 or newer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from breakd.adapters.busy import Reading, Report
from breakd.adapters.busy.command import CommandTimedOut, run_command
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.busy_reasons import MICROPHONE, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

LIST_TIMEOUT = 5.0
"""Seconds one `pactl list` may take; a local sound server answers in a few ms."""
_SOURCE_OUTPUT_EVENT = re.compile(rb"^Event '\w+' on source-output #\d+")


class MicrophoneInUse:
    """Busy ("microphone:<app>") while a program records from a microphone."""

    name = "microphone"

    def __init__(self, ignore_apps: Iterable[str] = ()) -> None:
        self._ignore = frozenset(app.casefold() for app in ignore_apps)

    async def probe(self) -> str:
        reading = await self.read()
        now = ", ".join(sorted(reading.reasons)) or "not in use"
        return f"recording streams of the sound server, via pactl (now: {now})"

    async def watch(self, report: Report) -> None:
        pactl = _pactl()
        # Subscribed before the first list, so a stream that starts meanwhile shows up.
        events = await asyncio.create_subprocess_exec(
            pactl,
            "subscribe",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C"},
        )
        assert events.stdout is not None
        try:
            report(await self.read())
            while True:
                line = await events.stdout.readline()
                if not line:
                    raise WatcherUnavailable("the sound server went away (pactl subscribe ended)")
                if _SOURCE_OUTPUT_EVENT.match(line):
                    report(await self.read())
        finally:
            if events.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    events.kill()
            await asyncio.shield(events.communicate())  # to the end: its pipe closes too

    async def read(self) -> Reading:
        """The recording streams now, minus the ones that do not count."""
        outputs = await _list("source-outputs")
        sources = await _list("sources")
        return Reading.of(recording_apps(outputs, sources, self._ignore))


def recording_apps(
    outputs: list[dict[str, Any]], sources: list[dict[str, Any]], ignore: frozenset[str]
) -> set[str]:
    """The busy reasons for `pactl -f json list source-outputs`, given the sources list."""
    monitors = {source.get("index") for source in sources if _is_monitor(source)}
    reasons = set()
    for output in outputs:
        properties = output.get("properties") or {}
        if output.get("source") in monitors or output.get("corked"):
            continue
        if str(properties.get("node.virtual", "")).casefold() == "true":
            continue
        names = [
            str(properties.get(key, ""))
            for key in ("application.id", "application.process.binary", "application.name")
        ]
        if any(name.casefold() in ignore for name in names if name):
            continue
        app = names[2] or names[1] or names[0] or "unknown"
        reasons.add(reason(MICROPHONE, app.casefold()))
    return reasons


def _is_monitor(source: dict[str, Any]) -> bool:
    properties = source.get("properties") or {}
    return (
        properties.get("device.class") == "monitor"
        or str(source.get("name", "")).endswith(".monitor")
        or source.get("monitor_of_sink") not in (None, "", "n/a")
    )


def _pactl() -> str:
    pactl = shutil.which("pactl")
    if pactl is None:
        raise WatcherUnavailable("pactl is not installed (PulseAudio's utilities)")
    return pactl


async def _list(kind: str) -> list[dict[str, Any]]:
    try:
        result = await run_command([_pactl(), "-f", "json", "list", kind], LIST_TIMEOUT)
    except CommandTimedOut:
        raise WatcherUnavailable(
            f"the sound server did not list its {kind} within {LIST_TIMEOUT:g} s"
        ) from None
    if result.returncode != 0:
        problem = result.stderr.strip().splitlines()
        raise WatcherUnavailable(
            f"no PulseAudio or PipeWire sound server answers"
            f" ({problem[-1] if problem else f'pactl exit {result.returncode}'})"
        )
    try:
        listed = json.loads(result.stdout or "[]")
    except ValueError:
        raise WatcherUnavailable(
            "pactl gave no JSON (pactl 16 or newer is needed for -f json)"
        ) from None
    return listed if isinstance(listed, list) else []


def open_signal(settings: DontInterruptConfig) -> MicrophoneInUse:
    return MicrophoneInUse(settings.microphone.ignore_apps)
