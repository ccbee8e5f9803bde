"""A camera in use on Linux: some process has a camera device open.

V4L2 has no "in use" flag and sends nothing when a device is opened, so this
one signal polls: every `poll_every` seconds it looks for the device paths
among the open files in `/proc/*/fd` (only the user's own processes are
readable, which is enough for desktop apps). The PipeWire daemons hold every
camera open while idle, so they are ignored by default. With no camera device
present it only globs for one, once a minute, so a machine without a camera
pays almost nothing (a camera plugged in later is noticed within that minute).

Not covered: apps that reach the camera through the PipeWire camera portal
never open the device themselves.
"""

from __future__ import annotations

import asyncio
import glob
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.busy_reasons import CAMERA, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

POLL_EVERY = 10.0
NO_DEVICE_RECHECK = 60.0


class CameraInUse:
    """Busy ("camera:<process>") while a process other than the ignored ones has a camera open."""

    name = "camera"

    def __init__(
        self,
        devices: Iterable[str] = ("/dev/video*",),
        ignore_processes: Iterable[str] = ("pipewire", "wireplumber"),
        poll_every: float = POLL_EVERY,
        proc: str = "/proc",
    ) -> None:
        self._patterns = tuple(devices)
        self._ignore = frozenset(ignore_processes)
        self._poll_every = poll_every
        self._proc = proc

    async def probe(self) -> str:
        self._require_proc()
        devices = self._devices()
        if not devices:
            return f"no camera device matches {', '.join(self._patterns)}"
        reading = self.scan()
        now = ", ".join(sorted(reading.reasons)) or "not in use"
        return f"open files of your processes, every {self._poll_every:g} s, for {len(devices)} camera device(s) (now: {now})"

    async def watch(self, report: Report) -> None:
        self._require_proc()
        while True:
            report(self.scan())
            idle_wait = (
                self._poll_every if self._devices() else max(self._poll_every, NO_DEVICE_RECHECK)
            )
            await asyncio.sleep(idle_wait)

    def scan(self) -> Reading:
        """One look through /proc: the processes holding a camera, minus the ignored ones."""
        devices = self._devices()
        if not devices:
            return FREE
        holders: set[str] = set()
        for pid in os.listdir(self._proc):
            if not pid.isdigit():
                continue
            fd_dir = f"{self._proc}/{pid}/fd"
            try:
                fds = os.listdir(fd_dir)
            except OSError:  # another user's process, or it just exited
                continue
            for fd in fds:
                try:
                    target = os.readlink(f"{fd_dir}/{fd}")
                except OSError:
                    continue
                if target in devices:
                    command = self._command(pid)
                    if command and command not in self._ignore:
                        holders.add(reason(CAMERA, command))
                    break
        return Reading.of(holders)

    def _devices(self) -> frozenset[str]:
        found: set[str] = set()
        for pattern in self._patterns:
            for path in glob.glob(os.path.expanduser(pattern)):
                found.add(os.path.realpath(path))
        return frozenset(found)

    def _command(self, pid: str) -> str:
        try:
            with open(f"{self._proc}/{pid}/comm", encoding="utf-8", errors="replace") as file:
                return file.read().strip()
        except OSError:
            return ""

    def _require_proc(self) -> None:
        if not sys.platform.startswith("linux") or not os.path.isdir(f"{self._proc}/self/fd"):
            raise WatcherUnavailable(f"no {self._proc} file system with open files to look in")


def open_signal(settings: DontInterruptConfig) -> CameraInUse:
    return CameraInUse(settings.camera.devices, settings.camera.ignore_processes)
